/* The system calls strace decodes, each made once with arguments that do not
 * depend on the run: buffers, structs and handlers are static (their
 * addresses are the same natively and in embox), the calls are raw where the
 * C library would pick another one on another system (vDSO clocks, stat
 * through statx). test/tasks/strace.test.ts compares embox's strace lines of
 * it with the real strace's. DIR (argv[1]) is a scratch directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char buf[256], buf2[64];
static int fds[2], sv[2];
static struct stat st;
static struct stat64 st64;
static struct statx stx;
static struct utsname uts;
static struct rlimit rl;
static struct timespec ts, ts2[2];
static struct timeval tv;
static struct sigaction sa, old;
static sigset_t set, oldset;
static struct pollfd pfd[2];
static fd_set rfds, wfds;
static struct iovec iov[2];
static struct msghdr msg;
static struct sockaddr_in sin;
static struct sockaddr_un sun;
static int one = 1, status;
static socklen_t alen;
static struct winsize ws;
static struct termios tio;
static stack_t ss;
static char altstack[8192];
static volatile int got;
static struct epoll_event ev;
static unsigned sigs[2];
static struct sockaddr_in6 sin6;

/* the raw struct of rt_sigaction, with the restorer glibc sets only where there is no vDSO */
static struct { void (*handler)(int); unsigned long flags; void (*restorer)(void); unsigned long long mask; } ksa, kold;

static void on_signal(int sig) { got = sig; }
static void restorer_stub(void) { }
static void on_info(int sig, siginfo_t *si, void *uc) { (void)si; (void)uc; got = sig; }

/* A call that shows where each part starts: close(1000 + n) = -1 EBADF. */
static void mark(int n) { syscall(SYS_close, 1000 + n); }

int main(int argc, char **argv)
{
	if (argc < 2) return 2;
	mkdir(argv[1], 0755);
	if (chdir(argv[1])) return 2;

	/* files */
	mark(1);
	int fd = syscall(SYS_openat, AT_FDCWD, "f1", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	syscall(SYS_write, fd, "hello strace\n", 13);
	syscall(SYS_close, fd);
	fd = syscall(SYS_open, "f1", O_RDONLY);
	syscall(SYS_read, fd, buf, sizeof buf);
	syscall(SYS_lseek, fd, 2, SEEK_SET);
	loff_t pos;
	syscall(SYS__llseek, fd, 0, 1, &pos, SEEK_CUR);
	syscall(SYS_pread64, fd, buf, 5, 3, 0);
	iov[0].iov_base = buf; iov[0].iov_len = 4;
	iov[1].iov_base = buf2; iov[1].iov_len = 8;
	syscall(SYS_readv, fd, iov, 2);
	syscall(SYS_stat64, "f1", &st64);
	syscall(SYS_lstat64, "f1", &st64);
	syscall(SYS_fstat64, fd, &st64);
	syscall(SYS_fstatat64, AT_FDCWD, "f1", &st64, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_stat, "f1", &st);
	syscall(SYS_statx, AT_FDCWD, "f1", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx);
	syscall(SYS_stat64, "nope", &st64);
	syscall(SYS_access, "f1", R_OK | W_OK);
	syscall(SYS_faccessat, AT_FDCWD, "f1", X_OK);
	syscall(SYS_fcntl64, fd, F_GETFD);
	syscall(SYS_fcntl64, fd, F_SETFD, FD_CLOEXEC);
	syscall(SYS_fcntl64, fd, F_GETFL);
	syscall(SYS_fcntl64, fd, F_SETFL, O_NONBLOCK);
	int d = syscall(SYS_fcntl64, fd, F_DUPFD_CLOEXEC, 10);
	syscall(SYS_dup2, fd, 20);
	syscall(SYS_dup3, fd, 21, O_CLOEXEC);
	syscall(SYS_close, 20);
	syscall(SYS_close, 21);
	syscall(SYS_close, d);
	syscall(SYS_ioctl, fd, TCGETS, &tio);
	syscall(SYS_ioctl, fd, TIOCGWINSZ, &ws);
	syscall(SYS_close, fd);
	syscall(SYS_mkdir, "d", 0750);
	syscall(SYS_symlink, "f1", "l1");
	syscall(SYS_readlink, "l1", buf, sizeof buf);
	syscall(SYS_rename, "l1", "l2");
	syscall(SYS_unlink, "l2");
	syscall(SYS_rmdir, "d");
	syscall(SYS_chmod, "f1", 0600);
	syscall(SYS_umask, 022);
	syscall(SYS_truncate64, "f1", 5, 0);
	ts2[0].tv_sec = 0; ts2[0].tv_nsec = UTIME_OMIT;
	ts2[1].tv_sec = 1; ts2[1].tv_nsec = 0;
	syscall(SYS_utimensat, AT_FDCWD, "f1", ts2, 0);
	syscall(SYS_unlinkat, AT_FDCWD, "f1", 0);
	fd = syscall(SYS_openat, AT_FDCWD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	syscall(SYS_fchdir, fd);
	syscall(SYS_close, fd);

	/* pipes, poll and select */
	mark(2);
	syscall(SYS_pipe, fds);
	syscall(SYS_close, fds[0]);
	syscall(SYS_close, fds[1]);
	syscall(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK);
	iov[0].iov_base = "abc"; iov[0].iov_len = 3;
	iov[1].iov_base = "defgh"; iov[1].iov_len = 5;
	syscall(SYS_writev, fds[1], iov, 2);
	pfd[0].fd = fds[0]; pfd[0].events = POLLIN;
	pfd[1].fd = fds[1]; pfd[1].events = POLLOUT | POLLPRI;
	syscall(SYS_poll, pfd, 2, 0);
	int n;
	syscall(SYS_ioctl, fds[0], FIONREAD, &n);
	FD_SET(fds[0], &rfds);
	FD_SET(fds[1], &wfds);
	tv.tv_sec = 0; tv.tv_usec = 0;
	syscall(SYS__newselect, fds[1] + 1, &rfds, &wfds, NULL, &tv);
	syscall(SYS_read, fds[0], buf, sizeof buf);
	pfd[1].events = POLLIN;
	syscall(SYS_poll, pfd, 1, 0);
	syscall(SYS_close, fds[0]);
	syscall(SYS_close, fds[1]);

	/* signals */
	mark(3);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGUSR2, &sa, &old);
	sigaction(SIGUSR2, NULL, &old);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &oldset);
	sigprocmask(SIG_SETMASK, &oldset, NULL);
	ss.ss_sp = altstack; ss.ss_size = sizeof altstack; ss.ss_flags = 0;
	syscall(SYS_sigaltstack, &ss, NULL);
	ksa.handler = on_signal; ksa.flags = 0x04000000 /* SA_RESTORER */ | SA_ONSTACK; ksa.restorer = restorer_stub;
	syscall(SYS_rt_sigaction, SIGWINCH, &ksa, NULL, 8);
	syscall(SYS_rt_sigaction, SIGWINCH, NULL, &kold, 8);
	syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
	syscall(SYS_tgkill, syscall(SYS_getpid), syscall(SYS_gettid), SIGUSR2);

	/* identity, limits, time */
	mark(4);
	syscall(SYS_uname, &uts);
	syscall(SYS_prctl, PR_SET_NAME, "probe", 0, 0, 0);
	syscall(SYS_prctl, PR_GET_NAME, buf2, 0, 0, 0);
	syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
	syscall(SYS_ugetrlimit, RLIMIT_NOFILE, &rl);
	syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &rl);
	syscall(SYS_getuid32);
	syscall(SYS_sched_yield);
	ts.tv_sec = 0; ts.tv_nsec = 1000000;
	syscall(SYS_nanosleep, &ts, NULL);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	ts.tv_sec = 0; ts.tv_nsec = 1000;
	syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	syscall(SYS_gettimeofday, &tv, NULL);

	/* memory */
	mark(5);
	void *p = (void *)syscall(SYS_mmap2, 0x50000000, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	syscall(SYS_mprotect, p, 4096, PROT_READ);
	syscall(SYS_madvise, p, 8192, MADV_DONTNEED);
	syscall(SYS_munmap, p, 8192);

	/* sockets */
	mark(6);
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	send(sv[0], "ping", 4, 0);
	recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	iov[0].iov_base = "ab"; iov[0].iov_len = 2;
	msg.msg_iov = iov; msg.msg_iovlen = 1;
	sendmsg(sv[0], &msg, 0);
	iov[0].iov_base = buf; iov[0].iov_len = 16;
	recvmsg(sv[1], &msg, 0);
	shutdown(sv[0], SHUT_WR);
	close(sv[0]);
	close(sv[1]);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, "sock");
	bind(s, (struct sockaddr *)&sun, sizeof sun);
	alen = sizeof sun;
	getsockname(s, (struct sockaddr *)&sun, &alen);
	close(s);
	unlink("sock");
	s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(1);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	connect(s, (struct sockaddr *)&sin, sizeof sin);
	close(s);

	/* processes: SIGCHLD blocked until both children are reaped, so that its
	 * one delivery comes at the same point natively and in embox */
	mark(7);
	sa.sa_handler = on_signal;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t pid = fork();
	if (pid == 0) _exit(3);
	syscall(SYS_wait4, pid, &status, 0, NULL);
	/* a signal's default action ends the second (sent by itself: a kill from
	 * here could find it before or after any call it makes) */
	pid = fork();
	if (pid == 0) {
		syscall(SYS_kill, syscall(SYS_getpid), SIGTERM);
		for (;;) syscall(SYS_pause);
	}
	syscall(SYS_wait4, pid, &status, 0, NULL);
	/* and a fault the third (no core, whatever the limit it inherits) */
	pid = fork();
	if (pid == 0) {
		static struct rlimit nocore;
		static int *volatile bad = (int *)16;
		syscall(SYS_setrlimit, RLIMIT_CORE, &nocore);
		*bad = 1;
		_exit(0);
	}
	syscall(SYS_wait4, pid, &status, 0, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	syscall(SYS_wait4, -1, &status, WNOHANG, NULL);

	/* SysV IPC, which the C library reaches through ipc (117) */
	int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	void *at = shmat(shm, NULL, SHM_RDONLY);
	shmdt(at);
	shmctl(shm, IPC_RMID, NULL);
	int sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	struct sembuf op = { 0, 1, IPC_NOWAIT };
	semop(sem, &op, 1);
	semctl(sem, 0, IPC_RMID);
	int mq = msgget(IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0644);
	static struct { long type; char text[4]; } msg = { 1, "abc" };
	msgsnd(mq, &msg, 4, 0);
	msgrcv(mq, &msg, 4, 0, IPC_NOWAIT);
	msgctl(mq, IPC_RMID, NULL);
	mark(8);

	/* flags and constants by name: calls that fail (bad descriptors, paths that
	 * do not exist) with every bit set, or with values strace names; only
	 * their arguments are compared (the errors may differ between kernels) */
	mark(9);
	syscall(SYS_open, "/nonexistent", 0x7fffffff & ~3, 0);
	syscall(SYS_open, "/nonexistent", O_WRONLY | O_DSYNC | O_ASYNC | O_DIRECTORY);
	syscall(SYS_open, "/nonexistent", O_RDWR | __O_TMPFILE, 0600);
	syscall(SYS_openat, -1, "x", O_PATH | O_CLOEXEC | O_DIRECTORY | O_NONBLOCK);
	syscall(SYS_mmap2, 0, 4096, 0xffffffff, 0xffffffff & ~3, -1, 0);
	syscall(SYS_mmap2, 0, 4096, 0, 3, -1, 0);
	syscall(SYS_mmap2, 0, 4096, 3, 0x22 | 0x8000000, -100, 7);
	syscall(SYS_sendto, -1, "x\0y\1z\33[0m123\0012\n\t\v\f\r\"\\\177\200\377", 25, 0xffffffff, NULL, 0);
	syscall(SYS_write, -1, "0123456789012345678901234567890123456789", 40);
	pfd[0].fd = -1; pfd[0].events = 0xffff;
	syscall(SYS_poll, pfd, 1, 0);
	ev.events = 0xffffffff; ev.data.u64 = 0x100000003ULL;
	syscall(SYS_epoll_ctl, -1, EPOLL_CTL_MOD, 0, &ev);
	syscall(SYS_statx, -1, "", 0xffffffff, 0xffffffff, &stx);
	syscall(SYS_statx, -1, "", AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_ALL, &stx);
	syscall(SYS_mount, "a", "/nonexistent", "b", 0xffffffff, 0);
	syscall(SYS_mount, "a", "/nonexistent", "b", MS_MGC_VAL | MS_RDONLY, "mode=755");
	syscall(SYS_umount2, "/nonexistent", 0xffffffff);
	syscall(SYS_wait4, 99999, NULL, 0xffffffff, NULL);
	syscall(SYS_wait4, 99999, NULL, 0x100, NULL);
	syscall(SYS_waitid, P_PID, 99999, NULL, 0xffffffff, NULL);
	syscall(SYS_unlinkat, -1, "x", 0xffffffff);
	syscall(SYS_renameat2, -1, "x", -1, "y", 0xffffffff);
	syscall(SYS_accept4, -1, NULL, NULL, 0xffffffff);
	syscall(SYS_socket, AF_UNIX, 0xffffffff, 0);
	syscall(SYS_socket, AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 1000);
	syscall(SYS_socket, 1000, SOCK_DGRAM, 17);
	syscall(SYS_pipe2, NULL, 0xffffffff);
	syscall(SYS_dup3, -1, -2, 0xffffffff);
	syscall(SYS_getrandom, NULL, 0, 0xffffffff);
	syscall(SYS_faccessat, -1, "x", 0xffffffff);
	syscall(SYS_fstatat64, -1, "x", NULL, 0xffffffff);
	syscall(SYS_madvise, 0, 0, 100);
	syscall(SYS_madvise, 0, 0, 1000);
	syscall(SYS_msync, 0, 0, 0xffffffff);
	syscall(SYS_mlockall, 0xffffffff);
	syscall(SYS_mremap, 0, 0, 0, 0xffffffff, 0);
	syscall(SYS_fcntl64, -1, F_SETFD, 0xffffffff);
	syscall(SYS_fcntl64, -1, F_NOTIFY, 0xffffffff);
	syscall(SYS_fcntl64, -1, F_SETLEASE, F_WRLCK);
	syscall(SYS_fcntl64, -1, F_ADD_SEALS, 0xffffffff);
	syscall(SYS_fcntl64, -1, 1000, 5);
	syscall(SYS_fcntl64, -1, F_SETSIG, SIGIO);
	syscall(SYS_fcntl64, -1, F_DUPFD, 3);
	syscall(SYS_fcntl64, -1, F_SETOWN, 5);
	syscall(SYS_flock, -1, 0xffffffff);
	syscall(SYS_flock, -1, 0x100);
	syscall(SYS_eventfd2, 0, 0xffffffff);
	syscall(SYS_epoll_create1, 0xffffffff);
	syscall(SYS_inotify_init1, 0xffffffff);
	syscall(SYS_memfd_create, "m", 0xffffffff);
	syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0xffffffff);
	syscall(SYS_signalfd4, -1, sigs, 8, 0xffffffff);
	syscall(SYS_shutdown, -1, 7);
	syscall(SYS_access, "/nonexistent", 0xffffffff);
	syscall(SYS_rt_sigprocmask, 7, NULL, NULL, 8);
	sigs[0] = 0x0001ffff; sigs[1] = 0;
	syscall(SYS_rt_sigprocmask, 7, sigs, NULL, 8);
	sigs[0] = 0xffffffff; sigs[1] = 0x1ff;
	syscall(SYS_rt_sigprocmask, 7, sigs, NULL, 8);
	sigs[0] = 0xffffffff; sigs[1] = 0x3ff;
	syscall(SYS_rt_sigprocmask, 7, sigs, NULL, 8);
	sigs[0] = 0x001fffff;
	syscall(SYS_sigprocmask, 7, sigs, NULL);
	syscall(SYS_setsockopt, -1, SOL_IP, IP_TOS, &one, 4);
	syscall(SYS_setsockopt, -1, SOL_IPV6, 1, &one, 4);
	syscall(SYS_setsockopt, -1, 17 /* SOL_UDP */, 1, &one, 4);
	syscall(SYS_setsockopt, -1, SOL_SOCKET, 1000, &one, 4);
	syscall(SYS_setsockopt, -1, SOL_SOCKET, SO_BINDTODEVICE, "eth0", 5);
	syscall(SYS_setsockopt, -1, 6 /* SOL_TCP */, 1, &one, 4);
	sin6.sin6_family = AF_INET6; sin6.sin6_port = htons(53); sin6.sin6_scope_id = 2;
	inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
	syscall(SYS_connect, -1, &sin6, sizeof sin6);
	inet_pton(AF_INET6, "::ffff:1.2.3.4", &sin6.sin6_addr);
	syscall(SYS_connect, -1, &sin6, sizeof sin6);
	inet_pton(AF_INET6, "2001:0:0:1::2", &sin6.sin6_addr);
	syscall(SYS_connect, -1, &sin6, sizeof sin6);
	syscall(SYS_kill, 999999, 0);
	syscall(SYS_kill, 999999, 32);
	syscall(SYS_kill, 999999, 40);
	syscall(SYS_kill, 999999, 64);
	syscall(SYS_tkill, 999999, 1000);
	syscall(SYS_utimensat, -1, NULL, NULL, 0xffffffff);
	syscall(SYS_clock_gettime, 1000, NULL);
	syscall(SYS_clock_gettime, -2, NULL);
	syscall(SYS_setitimer, 5, NULL, NULL);
	syscall(SYS_getrlimit, 100, NULL);
	syscall(SYS_prctl, 0x1234, 1, 2, 3, 4);
	syscall(SYS_lseek, -1, -1, 7);
	syscall(SYS_ioctl, -1, 0x12345678, 0);
	syscall(SYS_ioctl, -1, 0x5499, 0);
	syscall(SYS_ioctl, -1, FIOCLEX);
	syscall(SYS_ioctl, -1, TIOCSCTTY, 1);
	syscall(SYS_ioctl, -1, TIOCSPGRP, &one);
	memset(&tio, 0xff, sizeof tio);
	syscall(SYS_ioctl, -1, TCSETS, &tio);
	tio.c_cflag = B9600 | CS7 | CREAD | (B115200 << 16); tio.c_iflag = 0x8000;
	tio.c_oflag = NL1 | CR2 | TAB3 | OPOST; tio.c_lflag = TOSTOP | EXTPROC;
	syscall(SYS_ioctl, -1, TCSETSF, &tio);
	syscall(SYS_mknod, "/nonexistent/n", S_IFCHR | 0600, makedev(1, 3));
	syscall(SYS_mknod, "/nonexistent/n", S_IFREG | S_ISUID | S_ISVTX | 0644, 0);
	syscall(SYS_chown32, "/nonexistent", -1, 5);
	syscall(SYS_fadvise64_64, -1, 0, 0, 0, 0, POSIX_FADV_DONTNEED);
	syscall(SYS_fallocate, -1, 0xffffffff, 0, 0, 1, 0);
	syscall(SYS_ftruncate64, -1, 0, 1);
	syscall(SYS_pwrite64, -1, "x", 1, 0x12345678, 1);
	syscall(SYS_splice, -1, NULL, -1, NULL, 10, 0xffffffff);
	syscall(SYS_futex, &one, FUTEX_WAKE_PRIVATE, 1);
	syscall(SYS_futex, &one, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 5, NULL, NULL, FUTEX_BITSET_MATCH_ANY);
	syscall(SYS_futex, &one, FUTEX_WAIT, 5, NULL);
	ksa.handler = (void (*)(int))1; ksa.flags = 0xffffffff; ksa.mask = ~0ULL;
	syscall(SYS_rt_sigaction, 1000, &ksa, NULL, 8);
	mark(10);
	return 0;
}
