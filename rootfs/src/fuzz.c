/* System call fuzzer: random numbers 0-450 with random arguments, each
 * child a fork of this program, so that whatever a call does to its
 * process (unmapped stack, garbage signal frames, stopped, killed) ends
 * that child only. Children run one after another until CALLS calls were
 * made; the parent prints how each one ended and the call it was in.
 *
 * usage: fuzz SEED CALLS [DIR]
 *   SEED  the random sequence (the same seed makes the same calls)
 *   CALLS calls in all
 *   DIR   the children's working directory (default /tmp), where calls on
 *         random path names create their files
 *
 * Left out, because they would harm the test rather than the child: exit
 * and exit_group (a child ends after its calls), fork, vfork, clone and
 * clone3 (processes the parent does not know of), reboot. The pid of the
 * kill family, ptrace, pidfd_open, process_vm_writev and prlimit64 is the
 * child's own, so no other process is signalled, traced or written. Each
 * call runs under a 250 ms timer (unless the child has changed SIGALRM or
 * the timer itself), and the parent kills a child that has not ended after
 * 2 seconds. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_NR 450
#define SCRATCH (64 * 1024)
#define CHILD_SECONDS 2

/* what a child reports to the parent: calls made, the last call's number */
struct shared { volatile int done, nr; };

static uint64_t state;

/* splitmix64: a fixed sequence for a seed */
static uint32_t rnd(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static unsigned char *scratch;

/* an argument: often a pointer into memory the child owns (random bytes,
 * some NUL, so also short strings), the end of it (the next page is
 * PROT_NONE), small numbers (descriptors, flags), edge values */
static long arg(void)
{
	switch (rnd() % 16) {
	case 0: case 1: return 0;
	case 2: return rnd() % 8;
	case 3: return rnd() % 4096;
	case 4: return -1;
	case 5: case 6: case 7: case 8: return (long)(scratch + rnd() % SCRATCH);
	case 9: return (long)(scratch + SCRATCH - 1 - rnd() % 64);
	case 10: return (long)(0xc0000000u + rnd() % 0x40000000u);
	case 11: return (long)(1u << (rnd() % 32));
	default: return (long)rnd();
	}
}

static void refill(void)
{
	for (int i = 0; i < 64; i++) {
		uint32_t at = rnd() % SCRATCH, v = rnd();
		scratch[at] = (v & 0xf00) == 0 ? 0 : (unsigned char)v;
	}
}

/* sigreturn with the stack pointer in random bytes: a garbage frame */
static void sigreturn_on(long nr, unsigned char *sp)
{
	__asm__ volatile("mov %1, %%esp\n\tint $0x80" : : "a"(nr), "r"(sp) : "memory");
}

static void child(unsigned seed, int index, int calls, struct shared *sh, const char *dir)
{
	pid_t me = getpid();
	const struct itimerval timer = { .it_value = { .tv_usec = 250000 } };
	int fd = open("/dev/null", O_RDWR);

	/* its own session (vhangup, job control and tty signals stay with it), no console */
	setsid();
	if (fd >= 0) { dup2(fd, 0); dup2(fd, 1); dup2(fd, 2); if (fd > 2) close(fd); }
	if (chdir(dir) != 0) _exit(120);
	state = ((uint64_t)seed << 32) ^ (uint64_t)index * 0x100000001b3ULL;
	scratch = mmap(NULL, SCRATCH + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED) _exit(121);
	mprotect(scratch + SCRATCH, 4096, PROT_NONE);
	for (int i = 0; i < SCRATCH; i++) scratch[i] = (unsigned char)rnd();

	for (int i = 0; i < calls; i++) {
		long nr, a[6];
		do nr = rnd() % (MAX_NR + 1);
		while (nr == SYS_exit || nr == SYS_exit_group || nr == SYS_fork || nr == SYS_vfork ||
		       nr == SYS_clone || nr == SYS_clone3 || nr == SYS_reboot);
		for (int k = 0; k < 6; k++) a[k] = arg();
		switch (nr) {
		case SYS_kill: case SYS_rt_sigqueueinfo: case SYS_pidfd_open: case SYS_process_vm_writev:
			a[0] = me; break;
		case SYS_tkill: a[0] = me; break;
		case SYS_tgkill: case SYS_rt_tgsigqueueinfo: a[0] = me; a[1] = me; break;
		case SYS_ptrace: a[1] = me; break;
		case SYS_prlimit64: a[0] = 0; break;
		}
		refill();
		sh->nr = (int)nr;
		sh->done = i + 1;
		setitimer(ITIMER_REAL, &timer, NULL);
		if ((nr == SYS_sigreturn || nr == SYS_rt_sigreturn) && (rnd() & 1))
			sigreturn_on(nr, scratch + (rnd() % (SCRATCH - 2048) & ~3u));
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	_exit(0);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) { fprintf(stderr, "usage: fuzz SEED CALLS [DIR]\n"); return 2; }
	unsigned seed = (unsigned)strtoul(argv[1], NULL, 0);
	int calls = atoi(argv[2]);
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	struct shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int total = 0, children = 0, exited = 0, signalled = 0, timedout = 0;

	if (sh == MAP_FAILED) { perror("mmap"); return 1; }
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (total < calls) {
		int left = calls - total, st;
		sh->done = 0;
		sh->nr = -1;
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) { perror("fork"); return 1; }
		if (pid == 0) child(seed, children, left, sh, dir);
		double end = now() + CHILD_SECONDS;
		int late = 0;
		pid_t w;
		while ((w = waitpid(pid, &st, WNOHANG)) == 0) {
			if (now() > end) { kill(pid, SIGKILL); late = 1; w = waitpid(pid, &st, 0); break; }
			usleep(5000);
		}
		if (w != pid) { perror("waitpid"); return 1; }
		/* a child may have written over the report: it made at least one call */
		int done = sh->done;
		if (done < 1 || done > left) done = 1;
		total += done;
		printf("child %d: %d calls, ", children, done);
		if (late) { printf("stopped after %d s in call %d\n", CHILD_SECONDS, sh->nr); timedout++; }
		else if (WIFEXITED(st)) { printf("exited %d\n", WEXITSTATUS(st)); exited++; }
		else if (WIFSIGNALED(st)) { printf("killed by signal %d in call %d\n", WTERMSIG(st), sh->nr); signalled++; }
		else printf("status 0x%x\n", st);
		children++;
	}
	printf("fuzz: seed %u: %d calls in %d children: %d exited, %d killed by a signal, %d stopped\n",
	       seed, total, children, exited, signalled, timedout);
	return 0;
}
