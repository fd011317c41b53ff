/*
 * MAP_SHARED file mappings hold their file without a descriptor of the
 * process: none shows in /proc/self/fd or to fcntl, close_range does not
 * touch the mapping, and the pages reach the file at msync, munmap and exit
 * (read back through read() once nothing maps the file any more), fork's
 * child sharing them.
 *
 *   shmapfd DIR          the run (DIR is made anew; its file DIR/data)
 *   shmapfd DIR check    what DIR/data holds (after a reboot, say)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
static char path[4096];

/* the descriptors above 2 the process has (the directory stream's own left out) */
static void fds(const char *when)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int seen[64], n = 0;

	if (!d) {
		printf("%s: opendir: %s\n", when, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		int v = atoi(e->d_name);
		if (e->d_name[0] != '.' && v > 2 && v != dirfd(d) && n < 64)
			seen[n++] = v;
	}
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && seen[j - 1] > seen[j]; j--) {
			int t = seen[j]; seen[j] = seen[j - 1]; seen[j - 1] = t;
		}
	printf("%s: descriptors above 2:", when);
	if (n == 0)
		printf(" none");
	for (int i = 0; i < n; i++)
		printf(" %d", seen[i]);
	printf("\n");
}

/* the strings at a few places of the file, read through read() */
static void show(const char *when)
{
	static const int at[] = { 0, 8, PAGE, PAGE + 100, 2 * PAGE - 8 };
	char buf[2 * PAGE];
	int fd = open(path, O_RDONLY);
	ssize_t n;
	struct stat st;

	if (fd < 0) {
		printf("%s: open: %s\n", when, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof buf);
	fstat(fd, &st);
	close(fd);
	printf("%s: size %ld, read %ld:", when, (long)st.st_size, (long)n);
	for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++)
		printf(" [%d] \"%.20s\"", at[i], at[i] < n ? buf + at[i] : "");
	printf("\n");
}

static void child_done(const char *what, pid_t pid)
{
	int st;

	waitpid(pid, &st, 0);
	printf("%s: exit %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

int main(int argc, char **argv)
{
	char *p, *ro;
	int fd, r;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: shmapfd DIR [check]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(path, sizeof path, "%s/data", argv[1]);
	if (argc > 2) {
		show("check");
		return 0;
	}
	unlink(path);
	rmdir(argv[1]);
	if (mkdir(argv[1], 0755) < 0) {
		printf("mkdir: %s\n", strerror(errno));
		return 1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char dots[2 * PAGE];
	memset(dots, '.', sizeof dots);
	dots[sizeof dots - 1] = 0;
	write(fd, dots, sizeof dots);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	/* as glibc maps gconv-modules.cache: read-only, shared, the descriptor closed at once */
	fd = open(path, O_RDONLY);
	ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED || ro == MAP_FAILED) {
		printf("mmap: %s\n", strerror(errno));
		return 1;
	}
	fds("two shared mappings, their descriptors closed");
	for (int n = 3; n < 1024; n++) {
		if (fcntl(n, F_GETFD) != -1 || errno != EBADF) {
			printf("fcntl(%d, F_GETFD): open\n", n);
		}
	}
	errno = 0;
	r = fcntl(768, F_GETFD);
	printf("fcntl(768, F_GETFD): %d %s\n", r, strerror(errno));

	strcpy(p, "parent");
	printf("msync MS_SYNC: %d\n", msync(p, 2 * PAGE, MS_SYNC));
	fd = open("/dev/null", O_RDONLY);
	r = syscall(SYS_close_range, 3, ~0U, 0);
	printf("close_range(3, ~0U, 0): %d; fcntl(%d): %d\n", r, fd, fcntl(fd, F_GETFD));
	strcpy(p + 8, "after close_range");
	printf("msync MS_ASYNC: %d\n", msync(p, PAGE, MS_ASYNC));
	printf("read-only mapping sees: \"%.20s\" \"%.20s\"\n", ro, ro + 8);

	/* fork's child shares the pages; its exit writes them back */
	pid = fork();
	if (pid == 0) {
		strcpy(p + PAGE, "child");
		fds("child");
		_exit(0);
	}
	child_done("child", pid);
	printf("parent sees the child's store: \"%.20s\"\n", p + PAGE);

	/* another process reads the file with read() */
	pid = fork();
	if (pid == 0) {
		show("another process, mapped");
		_exit(0);
	}
	child_done("reader", pid);

	printf("munmap: %d %d\n", munmap(p, 2 * PAGE), munmap(ro, PAGE));
	show("nothing maps it");

	/* a child maps it, stores and exits without msync or munmap */
	pid = fork();
	if (pid == 0) {
		int f = open(path, O_RDWR);
		char *q = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
		close(f);
		strcpy(q + PAGE + 100, "written at exit");
		strcpy(q + 2 * PAGE - 8, "end");
		exit(0);
	}
	child_done("mapper", pid);
	show("after the mapper's exit");
	fds("at the end");
	return 0;
}
