/* A dynamically linked program: ld-linux.so.2 loads libc.so.6 (PT_INTERP,
 * file mappings, relocations, TLS), then dlopen() brings in libm.so.6 at run
 * time; a thread, environment, a large allocation and stdio through the
 * shared C library; what a C library expects of a system: /etc/passwd and
 * /etc/hosts through NSS, the C.UTF-8 locale, the main thread's stack found
 * in /proc/self/maps. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <locale.h>
#include <netdb.h>
#include <pwd.h>
#include <wchar.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread int tls_counter = 5;

static void *worker(void *arg)
{
	tls_counter += (int)(long)arg;
	return (void *)(long)tls_counter;
}

static int has_libc;
static int each(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (strstr(info->dlpi_name, "libc.so.6")) has_libc = 1;
	return 0;
}

int main(int argc, char **argv)
{
	printf("dynamic: argc %d, argv[1] %s\n", argc, argc > 1 ? argv[1] : "(none)");
	dl_iterate_phdr(each, NULL);
	printf("libc.so.6 loaded: %d\n", has_libc);
	void *m = dlopen("libm.so.6", RTLD_NOW);
	if (!m) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	double (*cosine)(double) = (double (*)(double))dlsym(m, "cos");
	double (*power)(double, double) = (double (*)(double, double))dlsym(m, "pow");
	printf("cos(1) = %.9f, pow(2, 0.5) = %.9f\n", cosine(1.0), power(2.0, 0.5));
	dlclose(m);
	pthread_t t;
	void *ret;
	pthread_create(&t, NULL, worker, (void *)37L);
	pthread_join(t, &ret);
	printf("thread: %ld, main's TLS still %d\n", (long)ret, tls_counter);
	char *big = malloc(32 << 20);
	memset(big, 'z', 32 << 20);
	printf("32 MiB malloc: last byte %c\n", big[(32 << 20) - 1]);
	free(big);
	setenv("DYN_VAR", "set", 1);
	printf("getenv: %s\n", getenv("DYN_VAR"));
	char *end;
	printf("strtod: %.3f\n", strtod("3.14159xyz", &end));
	struct passwd *pw = getpwuid(0);
	printf("getpwuid(0): %s, home %s\n", pw ? pw->pw_name : "(none)", pw ? pw->pw_dir : "-");
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	int g = getaddrinfo("localhost", "80", &hints, &ai);
	printf("getaddrinfo(localhost): %s\n", g ? gai_strerror(g) : "127.0.0.1 found");
	printf("setlocale(C.UTF-8): %s", setlocale(LC_ALL, "C.UTF-8") ? "ok" : "failed");
	wchar_t w[8];
	printf(", mbstowcs of \"h\xc3\xa9\" gives %zu characters\n", mbstowcs(w, "h\xc3\xa9", 8));
	pthread_attr_t attr;
	void *stack;
	size_t stacksize;
	int ga = pthread_getattr_np(pthread_self(), &attr);
	if (ga == 0) pthread_attr_getstack(&attr, &stack, &stacksize);
	printf("main thread's stack from /proc/self/maps: %s\n", ga ? strerror(ga) : (char *)&tls_counter > (char *)0 && stacksize > 0 ? "found" : "empty");
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	int lib = 0, stk = 0;
	while (maps && fgets(line, sizeof line, maps)) {
		if (strstr(line, "/libc.so.6")) lib = 1;
		if (strstr(line, "[stack]")) stk = 1;
	}
	printf("/proc/self/maps names libc.so.6 %d and [stack] %d\n", lib, stk);
	/* another process's maps: a child that waits */
	int p[2];
	pipe(p);
	pid_t kid = fork();
	if (kid == 0) {
		char c;
		read(p[0], &c, 1);
		_exit(0);
	}
	char name[64];
	snprintf(name, sizeof name, "/proc/%d/maps", (int)kid);
	FILE *km = fopen(name, "r");
	int kstk = 0, klib = 0;
	while (km && fgets(line, sizeof line, km)) {
		if (strstr(line, "[stack]")) kstk = 1;
		if (strstr(line, "/libc.so.6")) klib = 1;
	}
	if (km) fclose(km);
	write(p[1], "x", 1);
	waitpid(kid, NULL, 0);
	printf("a child's /proc/PID/maps names libc.so.6 %d and [stack] %d\n", klib, kstk);
	return 3;
}
