/* A dynamically linked program: ld-linux.so.2 loads libc.so.6 (PT_INTERP,
 * file mappings, relocations, TLS), then dlopen() brings in libm.so.6 at run
 * time; a thread, environment, a large allocation and stdio through the
 * shared C library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
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
	return 3;
}
