/* Which futex waits a FUTEX_WAKE reaches, across processes and address spaces.
 *
 * Linux keys a private futex (FUTEX_PRIVATE_FLAG) by (mm, address): a wake
 * reaches waiters of the same address space only, never those of a forked
 * child at the same virtual address. A shared futex is keyed by what the
 * address maps: the object and offset of a MAP_SHARED page (file, anonymous
 * shared memory, SysV segment: it matches in every process and at every
 * address that maps it), or (mm, address) for private memory.
 *
 * Each case: a waiter (forked child, CLONE_VM child, or thread) signals that
 * it is about to wait, then waits on its word with a timeout; the parent
 * wakes its own word every millisecond until the waiter is done, and prints
 * how the wait ended and how many waiters its wakes woke.
 *
 * usage: futexfork FILE   (FILE: scratch file for the MAP_SHARED file case)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* how long a waiter waits: short where no wake may reach it, long where one must */
#define MISS_MS 300
#define HIT_MS 10000

enum { WOKEN, TIMEDOUT, AGAIN, INTR, OTHER };
static const char *const outcome[] = { "woken", "ETIMEDOUT", "EAGAIN", "EINTR", "other error" };

static long futex(int *uaddr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

/* Tell the parent (one byte on fd), then wait while *word is 0. */
static int waiter(int *word, int op, int ms, int fd)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	char c = 'w';

	if (write(fd, &c, 1) != 1)
		return OTHER;
	if (futex(word, op | FUTEX_WAIT, 0, &ts) == 0)
		return WOKEN;
	return errno == ETIMEDOUT ? TIMEDOUT : errno == EAGAIN ? AGAIN : errno == EINTR ? INTR : OTHER;
}

struct job {
	int *wait_at, *wake_at;
	int op;			/* 0 or FUTEX_PRIVATE_FLAG */
	int ms;
	int fd;			/* write end of the ready pipe */
	int result;
	int done;
};

static int job_waiter(void *arg)
{
	struct job *j = arg;

	return waiter(j->wait_at, j->op, j->ms, j->fd);
}

static void *thread_waiter(void *arg)
{
	struct job *j = arg;

	j->result = job_waiter(j);
	__atomic_store_n(&j->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

enum how { FORK, CLONE_VM_CHILD, THREAD };

static void run(const char *name, enum how how, int *wait_at, int *wake_at, int op, int ms)
{
	struct job j = { wait_at, wake_at, op, ms, -1, OTHER, 0 };
	static char stack[65536] __attribute__((aligned(16)));
	int p[2], status = 0;
	pid_t pid = 0;
	pthread_t t;
	long woken = 0;
	char c;

	fflush(stdout);
	if (pipe(p)) {
		perror("pipe");
		exit(1);
	}
	j.fd = p[1];
	if (how == FORK) {
		pid = fork();
		if (pid == 0)
			_exit(job_waiter(&j));
	} else if (how == CLONE_VM_CHILD) {
		pid = clone(job_waiter, stack + sizeof(stack), CLONE_VM | SIGCHLD, &j);
	} else if (pthread_create(&t, NULL, thread_waiter, &j)) {
		pid = -1;
	}
	if (pid < 0) {
		perror(name);
		exit(1);
	}
	if (read(p[0], &c, 1) != 1) {
		perror("read");
		exit(1);
	}
	close(p[0]);
	close(p[1]);
	for (;;) {
		long r = futex(wake_at, op | FUTEX_WAKE, 1, NULL);

		if (r > 0)
			woken += r;
		if (how == THREAD ? __atomic_load_n(&j.done, __ATOMIC_SEQ_CST) : waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(1000);
	}
	if (how == THREAD) {
		pthread_join(t, NULL);
		status = j.result << 8;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) > OTHER) {
		printf("%s: waiter ended with status %#x\n", name, status);
		return;
	}
	printf("%s: wait %s, wakes woke %ld\n", name, outcome[WEXITSTATUS(status)], woken);
}

static int word;		/* private memory: the same address in parent and child */
static int word2;

int main(int argc, char **argv)
{
	const int PRIV = FUTEX_PRIVATE_FLAG, SHARED = 0;
	int *anon, *fa, *fb, *sa, *sb;
	int fd, id;

	if (argc != 2) {
		fprintf(stderr, "usage: futexfork FILE\n");
		return 2;
	}

	/* fork: the child's memory is its own */
	run("fork, private futex, private memory", FORK, &word, &word, PRIV, MISS_MS);
	run("fork, shared futex, private memory", FORK, &word, &word, SHARED, MISS_MS);

	anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	run("fork, private futex, MAP_SHARED anonymous", FORK, anon, anon, PRIV, MISS_MS);
	run("fork, shared futex, MAP_SHARED anonymous", FORK, anon, anon, SHARED, HIT_MS);

	/* one file page mapped at two addresses: the waiter uses one, the waker the other */
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096)) {
		perror(argv[1]);
		return 1;
	}
	fa = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	fb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fa == MAP_FAILED || fb == MAP_FAILED || fa == fb) {
		perror("mmap file");
		return 1;
	}
	close(fd);
	run("fork, shared futex, MAP_SHARED file at another address", FORK, fa, fb, SHARED, HIT_MS);
	run("thread, shared futex, MAP_SHARED file at another address", THREAD, fa, fb, SHARED, HIT_MS);
	run("thread, private futex, MAP_SHARED file at another address", THREAD, fa, fb, PRIV, MISS_MS);
	unlink(argv[1]);

	/* a SysV segment attached twice */
	id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	sa = shmat(id, NULL, 0);
	sb = shmat(id, NULL, 0);
	shmctl(id, IPC_RMID, NULL);
	if (id < 0 || sa == (void *)-1 || sb == (void *)-1 || sa == sb) {
		perror("shm");
		return 1;
	}
	run("fork, shared futex, SysV segment at another address", FORK, sa, sb, SHARED, HIT_MS);

	/* one address space: the wake must reach */
	run("thread, private futex, private memory", THREAD, &word2, &word2, PRIV, HIT_MS);
	run("thread, shared futex, private memory", THREAD, &word2, &word2, SHARED, HIT_MS);
	run("CLONE_VM child, private futex, private memory", CLONE_VM_CHILD, &word2, &word2, PRIV, HIT_MS);
	run("CLONE_VM child, shared futex, private memory", CLONE_VM_CHILD, &word2, &word2, SHARED, HIT_MS);

	/* and once more across fork after all that */
	run("fork, private futex, private memory (again)", FORK, &word2, &word2, PRIV, MISS_MS);
	return 0;
}
