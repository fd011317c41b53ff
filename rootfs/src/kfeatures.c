/* Kernel features programs expect of a desktop or server kernel, as they
 * behave natively: dnotify (fcntl F_NOTIFY), fanotify, kcmp and
 * /proc/PID/task/TID/children. Each line is what a call returned and what the
 * program saw afterwards; nothing depends on pids, descriptors' numbers or
 * addresses.
 *
 * usage: kfeatures DIR   (DIR: a scratch directory, created and emptied)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];
static volatile sig_atomic_t got, got_fd, got_code, got_signo;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got++;
	got_signo = sig;
	got_fd = si->si_fd;
	got_code = si->si_code;
}

static const char *err(long r)
{
	static char buf[64];

	if (r >= 0) {
		snprintf(buf, sizeof buf, "%ld", r);
		return buf;
	}
	return strerrorname_np(errno) ? strerrorname_np(errno) : "?";
}

static void path(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

static void touch(const char *name, const char *data)
{
	char p[PATH_MAX];
	int fd;

	path(p, name);
	fd = open(p, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0 || write(fd, data, strlen(data)) < 0)
		perror(p), exit(1);
	close(fd);
}

static void dnotify(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	char p[PATH_MAX], q[PATH_MAX];
	int fd, file;
	long r;

	sigaction(SIGIO, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	fd = open(dir, O_RDONLY | O_DIRECTORY);

	/* one-shot, default signal (SIGIO, no siginfo fd) */
	r = fcntl(fd, F_NOTIFY, DN_CREATE);
	printf("dnotify: F_NOTIFY DN_CREATE: %s\n", err(r));
	r = fcntl(fd, F_GETSIG);
	printf("dnotify: F_GETSIG: %ld\n", r);
	touch("a", "1");
	printf("dnotify: create a: %d signal(s), SIGIO %s\n", got, got_signo == SIGIO ? "yes" : "no");
	touch("b", "1");
	printf("dnotify: create b (one-shot spent): %d signal(s)\n", got);

	/* multishot, queued signal with siginfo: si_fd is the directory's descriptor */
	got = 0;
	r = fcntl(fd, F_SETSIG, SIGRTMIN + 1);
	printf("dnotify: F_SETSIG SIGRTMIN+1: %s\n", err(r));
	r = fcntl(fd, F_NOTIFY, DN_MODIFY | DN_DELETE | DN_RENAME | DN_ATTRIB | DN_MULTISHOT);
	printf("dnotify: F_NOTIFY MODIFY|DELETE|RENAME|ATTRIB|MULTISHOT: %s\n", err(r));
	touch("a", "2");
	printf("dnotify: modify a: %d signal(s), SIGRTMIN+1 %s, si_fd is the directory %s, si_code %s\n", got,
	       got_signo == SIGRTMIN + 1 ? "yes" : "no", got_fd == fd ? "yes" : "no",
	       got_code == POLL_MSG ? "POLL_MSG" : got_code == SI_SIGIO ? "SI_SIGIO" : "other");
	path(p, "a");
	path(q, "c");
	rename(p, q);
	printf("dnotify: rename a c: %d signal(s)\n", got);
	chmod(q, 0600);
	printf("dnotify: chmod c: %d signal(s)\n", got);
	unlink(q);
	printf("dnotify: unlink c: %d signal(s)\n", got);
	touch("d", "1");
	printf("dnotify: create d (not asked for): %d signal(s)\n", got);

	/* F_NOTIFY 0 removes the watch; a regular file is ENOTDIR */
	r = fcntl(fd, F_NOTIFY, 0);
	printf("dnotify: F_NOTIFY 0: %s\n", err(r));
	touch("d", "2");
	printf("dnotify: modify d (no watch): %d signal(s)\n", got);
	path(p, "d");
	file = open(p, O_RDONLY);
	r = fcntl(file, F_NOTIFY, DN_MODIFY);
	printf("dnotify: F_NOTIFY on a regular file: %s\n", err(r));
	close(file);
	close(fd);
	unlink(p);
	path(p, "b");
	unlink(p);
}

static void fanotify(void)
{
	char buf[4096], link[PATH_MAX], want[PATH_MAX], self[64];
	struct fanotify_event_metadata *m;
	int fd;
	long r;
	ssize_t n;

	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	printf("fanotify: init: %s\n", fd >= 0 ? "ok" : err(fd));
	if (fd < 0)
		return;
	/* a mask bit above 32 is not an event: EINVAL (it must reach the kernel whole) */
	r = fanotify_mark(fd, FAN_MARK_ADD, FAN_CLOSE_WRITE | (1ULL << 32), AT_FDCWD, dir);
	printf("fanotify: mark with bit 32: %s\n", err(r));
	r = fanotify_mark(fd, FAN_MARK_ADD, FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD, AT_FDCWD, dir);
	printf("fanotify: mark FAN_CLOSE_WRITE|FAN_EVENT_ON_CHILD: %s\n", err(r));
	n = read(fd, buf, sizeof buf);
	printf("fanotify: read before any event: %s\n", err(n));
	touch("e", "1");
	n = read(fd, buf, sizeof buf);
	printf("fanotify: read after closing e: %s\n", n > 0 ? "events" : err(n));
	path(want, "e");
	for (m = (void *)buf; n > 0 && FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n)) {
		snprintf(self, sizeof self, "/proc/self/fd/%d", m->fd);
		link[0] = 0;
		r = readlink(self, link, sizeof link - 1);
		if (r >= 0)
			link[r] = 0;
		printf("fanotify: event: vers %s, mask 0x%llx, fd names e %s, pid is mine %s\n",
		       m->vers == FANOTIFY_METADATA_VERSION ? "current" : "other", (unsigned long long)m->mask,
		       strcmp(link, want) == 0 ? "yes" : "no", m->pid == getpid() ? "yes" : "no");
		close(m->fd);
	}
	r = fanotify_mark(fd, FAN_MARK_REMOVE, FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD, AT_FDCWD, dir);
	printf("fanotify: unmark: %s\n", err(r));
	touch("e", "2");
	n = read(fd, buf, sizeof buf);
	printf("fanotify: read after unmark: %s\n", err(n));
	close(fd);
	unlink(want);
}

static long kcmp(pid_t a, pid_t b, int type, unsigned long x, unsigned long y)
{
	return syscall(SYS_kcmp, a, b, type, x, y);
}

static const char *same(long r)
{
	return r == 0 ? "same" : r > 0 ? "different" : err(r);
}

static void kcmp_children(void)
{
	char p[64], text[64];
	int fd, fd2, d, pipefd[2], status;
	pid_t self = getpid(), child;
	ssize_t n;
	char c;

	fd = open("/", O_RDONLY);
	d = dup(fd);
	printf("kcmp: a descriptor and its dup: %s\n", same(kcmp(self, self, KCMP_FILE, fd, d)));
	fd2 = open("/", O_RDONLY);
	printf("kcmp: two opens of one file: %s\n", same(kcmp(self, self, KCMP_FILE, fd, fd2)));
	printf("kcmp: own memory: %s\n", same(kcmp(self, self, KCMP_VM, 0, 0)));
	printf("kcmp: a closed descriptor: %s\n", same(kcmp(self, self, KCMP_FILE, fd, 1000)));
	printf("kcmp: a bad type: %s\n", same(kcmp(self, self, 99, 0, 0)));

	if (pipe(pipefd) < 0)
		perror("pipe"), exit(1);
	child = fork();
	if (child == 0) {
		close(pipefd[1]);
		n = read(pipefd[0], &c, 1); /* until the parent is done */
		_exit(n == 0 ? 0 : 1);
	}
	close(pipefd[0]);
	printf("kcmp: a forked child's memory: %s\n", same(kcmp(self, child, KCMP_VM, 0, 0)));
	printf("kcmp: a forked child's descriptor table: %s\n", same(kcmp(self, child, KCMP_FILES, 0, 0)));
	printf("kcmp: a forked child's copy of the descriptor: %s\n", same(kcmp(self, child, KCMP_FILE, fd, fd)));
	printf("kcmp: a process that does not exist: %s\n", same(kcmp(self, INT_MAX, KCMP_VM, 0, 0)));

	snprintf(p, sizeof p, "/proc/%d/task/%d/children", self, self);
	d = open(p, O_RDONLY);
	n = d < 0 ? -1 : read(d, text, sizeof text - 1);
	if (n >= 0)
		text[n] = 0;
	snprintf(p, sizeof p, "%d ", child);
	printf("children: %s\n", n < 0 ? err(n) : strcmp(text, p) == 0 ? "the forked child" : text);
	close(pipefd[1]);
	waitpid(child, &status, 0);
	lseek(d, 0, SEEK_SET);
	n = read(d, text, sizeof text - 1);
	printf("children after wait: %s\n", n == 0 ? "none" : err(n));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: kfeatures DIR\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s", argv[1]);
	mkdir(dir, 0755);
	setvbuf(stdout, NULL, _IONBF, 0);
	dnotify();
	fanotify();
	kcmp_children();
	return 0;
}
