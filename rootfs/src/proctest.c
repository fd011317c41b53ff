/* Processes and signals the Linux way: fork + pipe + waitpid, exit statuses
 * and deaths by signal, execve (argv[1] names linux_echo), vfork, signal
 * handlers with and without SA_SIGINFO (both i386 frame layouts and both
 * sigreturns), a handler for a real SIGSEGV, masks and pending signals. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static volatile int info_signo, info_code;

static void plain(int sig) { got = sig; }
static void with_info(int sig, siginfo_t *si, void *uc) { (void)uc; got = sig; info_signo = si->si_signo; info_code = si->si_code; }
static void on_segv(int sig) { printf("caught SIGSEGV (%d)\n", sig); fflush(stdout); _exit(3); }

static void status(const char *what, int st)
{
	if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st)) printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	else printf("%s: status 0x%x\n", what, st);
}

int main(int argc, char **argv)
{
	int fd[2], st;
	char buf[64];
	pid_t pid;

	if (argc < 2) { fprintf(stderr, "usage: proctest PATH-OF-linux_echo\n"); return 2; }
	setvbuf(stdout, NULL, _IONBF, 0);

	/* fork + pipe: the child writes, the parent reads and reaps it */
	if (pipe(fd)) return 1;
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		write(fd[1], "from the child", 14);
		_exit(7);
	}
	close(fd[1]);
	ssize_t n = read(fd[0], buf, sizeof buf);
	printf("parent read %d bytes: %.*s\n", (int)n, (int)n, buf);
	printf("read at EOF: %d\n", (int)read(fd[0], buf, sizeof buf));
	waitpid(pid, &st, 0);
	status("child", st);
	int w = waitpid(-1, &st, WNOHANG);
	printf("wait again: %d errno %s\n", w, strerror(errno));

	/* a child killed by a signal */
	pid = fork();
	if (pid == 0) { kill(getpid(), SIGTERM); for (;;) pause(); }
	waitpid(pid, &st, 0);
	status("terminated child", st);

	/* execve in a child; the parent sees its exit status */
	pid = fork();
	if (pid == 0) {
		char *args[] = { argv[1], "exec'd", "from", "a", "child", NULL };
		execve(argv[1], args, NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	status("exec child", st);
	int e = execve("/nonexistent", argv, NULL);
	printf("execve of a missing file: %d %s\n", e, strerror(errno));

	/* vfork: the parent resumes once the child has exec'd or exited */
	pid = vfork();
	if (pid == 0) _exit(5);
	waitpid(pid, &st, 0);
	status("vfork child", st);

	/* handlers: plain (sigframe + sigreturn) and SA_SIGINFO (rt_sigframe + rt_sigreturn) */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = plain;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("plain handler got %d\n", (int)got);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = with_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	got = 0;
	kill(getpid(), SIGUSR2);
	printf("siginfo handler got %d, si_signo %d, si_code %d\n", (int)got, info_signo, info_code);

	/* a blocked signal stays pending until unblocked */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	got = 0;
	kill(getpid(), SIGUSR1);
	sigset_t pend;
	sigpending(&pend);
	printf("blocked: got %d, pending %d\n", (int)got, sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("unblocked: got %d\n", (int)got);

	/* old sigaction values come back */
	struct sigaction q;
	sigaction(SIGUSR2, NULL, &q);
	printf("SIGUSR2 has SA_SIGINFO: %d\n", !!(q.sa_flags & SA_SIGINFO));

	/* a real fault, caught */
	signal(SIGSEGV, on_segv);
	fflush(stdout);
	*(volatile int *)0 = 1;
	return 0;
}
