/* Files, sockets and memory the Linux way: stat, rename, readdir, large
 * offsets, file mappings; a socketpair, TCP on loopback with poll; a large
 * malloc and an mprotect fault caught with its siginfo. DIR (argv[1]) is a
 * scratch directory (created and removed). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int fault_code;
static void *volatile fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(env, 1);
}

/* The old sigaction(67): a 4-byte mask, no SA_RESTORER (the kernel's own sigreturn path). */
struct old_sa { void (*h)(int); unsigned long mask; unsigned long flags; void (*restorer)(void); };
static volatile int old_got;
static void old_handler(int s) { old_got = s; }

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
	char path[256], path2[256], buf[256];
	if (argc < 2) return 2;
	const char *dir = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);
	mkdir(dir, 0755);

	/* files: write, stat, rename, readdir */
	snprintf(path, sizeof path, "%s/a.txt", dir);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0640);
	write(fd, "hello file\n", 11);
	close(fd);
	struct stat st;
	stat(path, &st);
	printf("size %ld mode %o nlink %ld\n", (long)st.st_size, st.st_mode & 07777, (long)st.st_nlink);
	snprintf(path2, sizeof path2, "%s/b.txt", dir);
	int rn = rename(path, path2);
	printf("rename %d, old gone %d\n", rn, access(path, F_OK) < 0);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/f%d", dir, i);
		close(open(path, O_CREAT | O_WRONLY, 0644));
	}
	DIR *d = opendir(dir);
	char *names[16];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 16)
		if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	printf("readdir:");
	for (int i = 0; i < n; i++) printf(" %s", names[i]);
	printf("\n");

	/* the old stat and getdents calls, with a buffer that holds one entry at a time */
	struct old_stat { unsigned long dev, ino; unsigned short mode, nlink, uid, gid;
		unsigned long rdev, size, blksize, blocks, at, atn, mt, mtn, ct, ctn, u4, u5; } os;
	long sr = syscall(SYS_stat, path2, &os);
	printf("old stat %ld: size %lu mode %o nlink %u\n", sr, os.size, os.mode & 07777, os.nlink);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	char db[32];
	int seen = 0, calls = 0;
	char *gd[16];
	for (;;) {
		long k = syscall(SYS_getdents, dfd, db, sizeof db);
		if (k <= 0) { if (k < 0) printf("getdents error %s\n", strerror(errno)); break; }
		calls++;
		for (long o = 0; o < k; o += *(unsigned short *)(db + o + 8))
			if (db[o + 10] != '.' && seen < 16) gd[seen++] = strdup(db + o + 10);
	}
	close(dfd);
	qsort(gd, seen, sizeof *gd, cmp);
	printf("old getdents: %d names in %s calls:", seen, calls > 1 ? "several" : "one");
	for (int i = 0; i < seen; i++) printf(" %s", gd[i]);
	printf("\n");

	/* a large offset: 3 GiB into a sparse file */
	snprintf(path, sizeof path, "%s/big", dir);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC | O_LARGEFILE, 0644);
	off64_t where = lseek64(fd, 3LL << 30, SEEK_SET);
	write(fd, "Z", 1);
	struct stat64 st64;
	fstat64(fd, &st64);
	char z = 0;
	pread64(fd, &z, 1, 3LL << 30);
	printf("lseek64 %lld size %lld pread64 %c\n", (long long)where, (long long)st64.st_size, z);
	close(fd);
	unlink(path);

	/* a private file mapping */
	fd = open(path2, O_RDONLY);
	char *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap: %.10s\n", m == MAP_FAILED ? "failed" : m);
	munmap(m, 4096);
	close(fd);

	/* socketpair */
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "ping", 4);
	n = read(sv[1], buf, sizeof buf);
	printf("socketpair: %.*s\n", n, buf);

	/* TCP over loopback with poll, to a forked client */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bind(ls, (struct sockaddr *)&sa, sizeof sa);
	socklen_t sl = sizeof sa;
	getsockname(ls, (struct sockaddr *)&sa, &sl);
	listen(ls, 1);
	pid_t pid = fork();
	if (pid == 0) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&sa, sizeof sa)) _exit(1);
		write(c, "over tcp", 8);
		_exit(0);
	}
	struct pollfd pf = { .fd = ls, .events = POLLIN };
	int pr = poll(&pf, 1, 5000);
	int cs = accept(ls, NULL, NULL);
	n = read(cs, buf, sizeof buf);
	int wst;
	waitpid(pid, &wst, 0);
	printf("tcp: poll %d revents %d, got %.*s, client status %d, port nonzero %d\n", pr, pf.revents & POLLIN, n, buf, wst, sa.sin_port != 0);

	/* memory: a large malloc, then a write to a read-only page */
	size_t big = 64 << 20;
	char *p = malloc(big);
	for (size_t i = 0; i < big; i += 4096) p[i] = (char)(i >> 12);
	long sum = 0;
	for (size_t i = 0; i < big; i += 4096) sum += p[i];
	printf("malloc 64 MiB: sum %ld\n", sum);
	free(p);
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(page + 4096, 4096, PROT_READ);
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_sigaction = on_segv;
	act.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &act, NULL);
	if (!sigsetjmp(env, 1)) {
		page[4096 + 12] = 1;
		printf("no fault\n");
	} else {
		printf("SIGSEGV code %d at page+%ld\n", fault_code, (long)((char *)fault_addr - page));
	}

	struct old_sa osa = { old_handler, 0, 0, 0 }, prev;
	long r1 = syscall(SYS_sigaction, SIGUSR1, &osa, NULL);
	kill(getpid(), SIGUSR1);
	long r2 = syscall(SYS_sigaction, SIGUSR1, NULL, &prev);
	printf("old sigaction %ld %ld, handler ran %d, read back %d\n", r1, r2, old_got, prev.h == old_handler);

	/* mremap: grow a mapping (it may move), the contents come along */
	char *r0 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(r0, "kept across mremap");
	mmap(r0 + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0); /* block growth in place */
	char *m1 = mremap(r0, 4096, 3 * 4096, MREMAP_MAYMOVE);
	m1[2 * 4096] = 1;
	printf("mremap: moved %d, %s\n", m1 != r0, m1);

	/* a timer signal interrupts a blocking read (no SA_RESTART): EINTR */
	int tp[2];
	pipe(tp);
	memset(&act, 0, sizeof act);
	act.sa_handler = old_handler;
	sigaction(SIGALRM, &act, NULL);
	struct itimerval it = { .it_value = { .tv_usec = 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	old_got = 0;
	long rr = read(tp[0], buf, 1);
	printf("read interrupted: %ld %s, handler got %d\n", rr, strerror(errno), old_got);

	/* stop and continue a child: waitpid sees both */
	pid = fork();
	if (pid == 0) { for (;;) pause(); }
	kill(pid, SIGSTOP);
	waitpid(pid, &wst, WUNTRACED);
	printf("stopped %d by %d\n", WIFSTOPPED(wst), WSTOPSIG(wst));
	kill(pid, SIGCONT);
	waitpid(pid, &wst, WCONTINUED);
	printf("continued %d\n", WIFCONTINUED(wst));
	kill(pid, SIGKILL);
	waitpid(pid, &wst, 0);
	printf("killed %d by %d\n", WIFSIGNALED(wst), WTERMSIG(wst));

	/* a #! script run by execve */
	snprintf(path, sizeof path, "%s/script", dir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	const char *text = "#!/bin/sh -e\necho \"script $0 arg $1\"\n";
	write(fd, text, strlen(text));
	close(fd);
	pid = fork();
	if (pid == 0) {
		char *args[] = { path, "one", NULL };
		char *envp[] = { "PATH=/bin:/usr/bin", NULL };
		execve(path, args, envp);
		_exit(98);
	}
	waitpid(pid, &wst, 0);
	printf("script status %d\n", WEXITSTATUS(wst));
	unlink(path);

	/* clean up */
	unlink(path2);
	for (int i = 0; i < 3; i++) { snprintf(path, sizeof path, "%s/f%d", dir, i); unlink(path); }
	printf("rmdir %d\n", rmdir(dir));
	return 0;
}
