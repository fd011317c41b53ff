/* The i386 calls older programs make, and the ones that take 64-bit or
 * packed arguments: old readdir, signal, sgetmask/ssetmask, utime/utimes/
 * futimesat, truncate64/ftruncate64 past 4 GiB, readahead, sync_file_range,
 * fadvise64, flock64 record locks between processes, sigaltstack with
 * SA_ONSTACK, the SysV IPC multiplexer (semaphores, message queues, shared
 * memory across fork) and MAP_SHARED mappings (anonymous across fork, files
 * written back). DIR (argv[1]) is a scratch directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>
#include <linux/sched.h>
#include <asm/ldt.h>

/* the ipc(2) multiplexer's call numbers (linux/ipc.h) */
#define SEMOP 1
#define SEMGET 2
#define SEMCTL 3
#define MSGSND 11
#define MSGRCV 12
#define MSGGET 13
#define MSGCTL 14
#define SHMAT 21
#define SHMDT 22
#define SHMGET 23
#define SHMCTL 24
#define IPC_64 0x100
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static long ipc(long call, long first, long second, long third, void *ptr, long fifth)
{
	return syscall(SYS_ipc, call, first, second, third, ptr, fifth);
}

static const char *err(long r) { return r < 0 ? strerror(errno) : "ok"; }

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static volatile int got;
static void on_usr1(int s)
{
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	got = s + 100 * sigismember(&now, SIGUSR1); /* SA_NODEFER: not blocked inside */
}

static int ldt_var = 0x5a5a1234;

static char altstack[16384];
static volatile long on_alt, alt_flags;
static void on_usr2(int s)
{
	char here;
	stack_t cur;
	sigaltstack(NULL, &cur);
	on_alt = &here >= altstack && &here < altstack + sizeof altstack;
	alt_flags = cur.ss_flags;
}

static void readdir_old(const char *dir)
{
	struct old_dirent { unsigned long d_ino, d_offset; unsigned short d_namlen; char d_name[256]; } d;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	char *names[16];
	int n = 0, calls = 0;
	long r;
	while ((r = syscall(SYS_readdir, fd, &d, 1)) == 1) {
		calls++;
		if (d.d_name[0] != '.' && n < 16 && d.d_namlen == strlen(d.d_name)) names[n++] = strdup(d.d_name);
	}
	close(fd);
	qsort(names, n, sizeof *names, cmp);
	printf("old readdir: %d entries, last %ld:", calls, r);
	for (int i = 0; i < n; i++) printf(" %s", names[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	char path[256], path2[256];
	if (argc < 2) return 2;
	const char *dir = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);
	mkdir(dir, 0755);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/entry%d", dir, i);
		close(open(path, O_CREAT | O_WRONLY, 0644));
	}
	readdir_old(dir);

	/* signal(2): one-shot, not blocked in the handler; the old handler comes back */
	long prev = syscall(SYS_signal, SIGUSR1, on_usr1);
	raise(SIGUSR1);
	long after = syscall(SYS_signal, SIGUSR1, SIG_IGN);
	printf("signal: old %ld, got %d, reset to default %d\n", prev, got, after == (long)SIG_DFL);
	syscall(SYS_signal, SIGUSR1, SIG_DFL);

	/* sgetmask/ssetmask: one word; SIGKILL and SIGSTOP cannot be blocked */
	long m0 = syscall(SYS_ssetmask, (1L << (SIGUSR2 - 1)) | (1L << (SIGKILL - 1)) | (1L << (SIGSTOP - 1)));
	long m1 = syscall(SYS_sgetmask);
	syscall(SYS_ssetmask, 0L);
	printf("sgetmask: before %#lx, after %#lx\n", m0, m1);

	/* utime, utimes, futimesat */
	snprintf(path, sizeof path, "%s/times", dir);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	struct stat st;
	struct utimbuf ub = { 1000000, 2000000 };
	long r = syscall(SYS_utime, path, &ub);
	stat(path, &st);
	printf("utime %ld: atime %ld mtime %ld\n", r, (long)st.st_atime, (long)st.st_mtime);
	struct timeval tv[2] = { { 3000000, 5 }, { 4000000, 999999 } };
	r = syscall(SYS_utimes, path, tv);
	stat(path, &st);
	printf("utimes %ld: atime %ld.%09ld mtime %ld.%09ld\n", r, (long)st.st_atime, st.st_atim.tv_nsec,
	       (long)st.st_mtime, st.st_mtim.tv_nsec);
	tv[1].tv_usec = 1000000;
	r = syscall(SYS_utimes, path, tv);
	printf("utimes with 1000000 us: %s\n", err(r));
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	tv[1].tv_usec = 0;
	r = syscall(SYS_futimesat, dfd, "times", tv);
	stat(path, &st);
	printf("futimesat %ld: mtime %ld\n", r, (long)st.st_mtime);
	r = syscall(SYS_utime, path, NULL);
	stat(path, &st);
	printf("utime(NULL) %ld: now %d\n", r, st.st_mtime > 1600000000);
	close(dfd);

	/* 64-bit lengths and offsets in register pairs */
	snprintf(path, sizeof path, "%s/huge", dir);
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC | O_LARGEFILE, 0644);
	write(fd, "x", 1);
	r = syscall(SYS_ftruncate64, fd, 0x00000007, 0x1); /* 4 GiB + 7 */
	struct stat64 s64;
	fstat64(fd, &s64);
	printf("ftruncate64 %ld: size %lld\n", r, (long long)s64.st_size);
	r = truncate64(path, 5LL << 30);
	stat64(path, &s64);
	printf("truncate64 %ld: size %lld\n", r, (long long)s64.st_size);
	/* an empty file grows sparsely, as a hole: on tmpfs, and a memfd */
	snprintf(path2, sizeof path2, "%s/sparse", dir);
	int sfd = open(path2, O_CREAT | O_RDWR | O_TRUNC | O_LARGEFILE, 0644);
	r = ftruncate64(sfd, 64LL << 20);
	fstat64(sfd, &s64);
	printf("ftruncate64 of an empty file to 64 MiB %ld: size %lld blocks %lld\n", r, (long long)s64.st_size, (long long)s64.st_blocks);
	close(sfd);
	sfd = open(path2, O_RDWR | O_TRUNC | O_LARGEFILE);
	r = ftruncate64(sfd, 5LL << 30);
	char hole = 1;
	pread64(sfd, &hole, 1, 3LL << 30);
	fstat64(sfd, &s64);
	printf("to 5 GiB %ld: size %lld, reads %d in the hole\n", r, (long long)s64.st_size, hole);
	close(sfd);
	unlink(path2);
	int mfd = memfd_create("sparse", MFD_CLOEXEC);
	r = ftruncate(mfd, 16 << 20);
	fstat64(mfd, &s64);
	printf("memfd ftruncate to 16 MiB %ld: size %lld, close-on-exec %d\n", r, (long long)s64.st_size, fcntl(mfd, F_GETFD) & FD_CLOEXEC);
	close(mfd);
	printf("memfd_create with a bad flag: %s, a name too long: %s\n", err(memfd_create("x", 0x100)),
	       err(memfd_create("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
	                        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
	                        "01234567890123456789012345678901234567890123456789", 0)));
	/* POSIX shared memory: a parent and a child with their own mappings of one object */
	int shfd = shm_open("/legacy-shm", O_CREAT | O_RDWR | O_EXCL, 0600);
	ftruncate(shfd, 4096);
	volatile char *shp = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, shfd, 0);
	pid_t shchild = fork();
	if (shchild == 0) {
		int cfd = shm_open("/legacy-shm", O_RDWR, 0);
		volatile char *cp = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
		cp[0] = 'S';
		_exit(0);
	}
	waitpid(shchild, NULL, 0);
	printf("shm_open %s: the child's store seen: %c; shm_unlink %d\n", shfd >= 0 ? "ok" : strerror(errno), shp[0], shm_unlink("/legacy-shm"));
	munmap((void *)shp, 4096);
	close(shfd);
	printf("readahead at 4 GiB: %s\n", err(readahead(fd, 4LL << 30, 4096)));
	printf("sync_file_range: %s\n", err(sync_file_range(fd, 1LL << 32, 1LL << 32, SYNC_FILE_RANGE_WRITE)));
	printf("posix_fadvise at 5 GiB: %d, bad advice: %s\n", posix_fadvise64(fd, 5LL << 30, 1 << 20, POSIX_FADV_WILLNEED),
	       strerror(posix_fadvise(fd, 0, 0, 99)));
	r = syscall(SYS_fadvise64, fd, 0, 0, 4096, POSIX_FADV_DONTNEED);
	printf("fadvise64: %s\n", err(r));
	int pfd[2];
	pipe(pfd);
	printf("readahead on a pipe: %s\n", err(readahead(pfd[0], 0, 1)));
	close(pfd[0]);
	close(pfd[1]);

	/* record locks with the packed struct flock64, seen from another process */
	struct flock64 fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5LL << 30, .l_len = 100 };
	r = fcntl(fd, F_SETLK64, &fl);
	printf("F_SETLK64: %s\n", err(r));
	pid_t child = fork();
	if (child == 0) {
		struct flock64 q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = (5LL << 30) + 50, .l_len = 10 };
		fcntl(fd, F_GETLK64, &q);
		printf("child F_GETLK64: type %s start %lld len %lld by parent %d\n", q.l_type == F_WRLCK ? "F_WRLCK" : "?",
		       (long long)q.l_start, (long long)q.l_len, q.l_pid == getppid());
		q.l_type = F_WRLCK;
		q.l_start = (5LL << 30) + 50;
		q.l_len = 10;
		long k = fcntl(fd, F_SETLK64, &q);
		printf("child F_SETLK64 on the locked range: %s\n", err(k));
		q.l_start = 1;
		k = fcntl(fd, F_SETLK64, &q);
		printf("child F_SETLK64 elsewhere: %s\n", err(k));
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	close(fd);

	/* sigaltstack: handlers with SA_ONSTACK run on it and see SS_ONSTACK */
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 }, old;
	printf("sigaltstack too small: %s\n", err(sigaltstack(&(stack_t){ .ss_sp = altstack, .ss_size = 100 }, NULL)));
	printf("sigaltstack bad flags: %s\n", err(sigaltstack(&(stack_t){ .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 7 }, NULL)));
	r = sigaltstack(&ss, &old);
	printf("sigaltstack %ld: old flags %d size %zu\n", r, old.ss_flags, old.ss_size);
	struct sigaction sa = { .sa_handler = on_usr2, .sa_flags = SA_ONSTACK };
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("handler on the alternate stack %ld, flags inside %ld\n", on_alt, alt_flags);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("without SA_ONSTACK: on it %ld, flags inside %ld\n", on_alt, alt_flags);
	ss.ss_flags = SS_ONSTACK | SS_AUTODISARM;
	sigaltstack(&ss, NULL);
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaltstack(NULL, &old);
	printf("SS_AUTODISARM: on it %ld, flags inside %#lx, after %#x\n", on_alt, alt_flags, old.ss_flags);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	sigaltstack(NULL, &old);
	printf("disabled: flags %d size %zu\n", old.ss_flags, old.ss_size);

	/* SysV semaphores and message queues through ipc(2) */
	int sem = ipc(SEMGET, IPC_PRIVATE, 2, IPC_CREAT | 0600, NULL, 0);
	union semun { int val; struct semid_ds *buf; unsigned short *array; } su = { .val = 3 };
	r = ipc(SEMCTL, sem, 1, SETVAL | IPC_64, &su, 0);
	struct sembuf op = { .sem_num = 1, .sem_op = -2, .sem_flg = 0 };
	long r2 = ipc(SEMOP, sem, 1, 0, &op, 0);
	su.val = 0;
	long val = ipc(SEMCTL, sem, 1, GETVAL | IPC_64, &su, 0);
	struct semid_ds sds;
	su.buf = &sds;
	long r3 = ipc(SEMCTL, sem, 0, IPC_STAT | IPC_64, &su, 0);
	printf("sem: setval %ld semop %ld getval %ld stat %ld nsems %lu mode %o\n", r, r2, val, r3,
	       (unsigned long)sds.sem_nsems, sds.sem_perm.mode & 0777);
	op.sem_op = -5;
	op.sem_flg = IPC_NOWAIT;
	printf("sem: semop past zero with IPC_NOWAIT: %s\n", err(ipc(SEMOP, sem, 1, 0, &op, 0)));
	printf("sem: semop via glibc: %s, value %d\n", err(semop(sem, &(struct sembuf){ 0, 4, 0 }, 1)), semctl(sem, 0, GETVAL));
	struct { int key; unsigned short uid, gid, cuid, cgid, mode, seq; } *perm;
	unsigned char olds[64];
	su.buf = (void *)olds;
	r = ipc(SEMCTL, sem, 0, IPC_STAT, &su, 0); /* the pre-IPC_64 struct semid_ds */
	perm = (void *)olds;
	printf("sem: old IPC_STAT %ld: mode %o uid %u nsems %u\n", r, perm->mode & 0777, perm->uid, *(unsigned short *)(olds + 40));
	ipc(SEMCTL, sem, 0, IPC_RMID | IPC_64, &su, 0);
	printf("sem: after IPC_RMID: %s\n", err(semctl(sem, 0, GETVAL)));

	int q = ipc(MSGGET, IPC_PRIVATE, IPC_CREAT | 0600, 0, NULL, 0);
	struct { long mtype; char mtext[32]; } msg = { 7, "hello queue" }, in;
	r = ipc(MSGSND, q, 12, 0, &msg, 0);
	struct { void *msgp; long msgtyp; } kludge = { &in, 0 };
	memset(&in, 0, sizeof in);
	r2 = ipc(MSGRCV, q, sizeof in.mtext, 0, &kludge, 0);
	printf("msg: snd %ld rcv %ld type %ld text %s\n", r, r2, in.mtype, in.mtext);
	msgsnd(q, &msg, 12, 0);
	msg.mtype = 9;
	strcpy(msg.mtext, "second");
	msgsnd(q, &msg, 7, 0);
	struct msqid_ds mds;
	r = ipc(MSGCTL, q, IPC_STAT | IPC_64, 0, &mds, 0);
	printf("msg: stat %ld qnum %lu cbytes %lu\n", r, (unsigned long)mds.msg_qnum, (unsigned long)mds.__msg_cbytes);
	unsigned char oldm[64];
	r = ipc(MSGCTL, q, IPC_STAT, 0, oldm, 0);
	printf("msg: old IPC_STAT %ld: cbytes %u qnum %u\n", r, *(unsigned short *)(oldm + 44), *(unsigned short *)(oldm + 46));
	*(unsigned short *)(oldm + 12) = 0640;
	r = ipc(MSGCTL, q, IPC_SET, 0, oldm, 0);
	msgctl(q, IPC_STAT, &mds);
	printf("msg: old IPC_SET %ld: mode now %o\n", r, mds.msg_perm.mode & 0777);
	memset(&in, 0, sizeof in);
	r = syscall(SYS_ipc, MSGRCV | (1 << 16), q, sizeof in.mtext, 0, &in, 9L);
	printf("msg: rcv by type (version 1) %ld: %s\n", r, in.mtext);
	printf("msg: rcv empty, IPC_NOWAIT: %s\n", err(msgrcv(q, &in, 32, 42, IPC_NOWAIT)));
	msgctl(q, IPC_RMID, NULL);

	/* SysV shared memory: what a child writes, the parent reads */
	int shm = ipc(SHMGET, IPC_PRIVATE, 8192, IPC_CREAT | 0600, NULL, 0);
	unsigned long raddr = 0;
	r = ipc(SHMAT, shm, 0, (long)&raddr, NULL, 0);
	volatile char *sp = (volatile char *)raddr;
	printf("shm: attach %ld, page aligned %d, zeroed %d\n", r, (raddr & 4095) == 0, sp[0] == 0 && sp[8191] == 0);
	strcpy((char *)sp, "parent");
	child = fork();
	if (child == 0) {
		strcpy((char *)sp + 4096, "written by the child");
		_exit(sp[0] == 'p' ? 0 : 1);
	}
	waitpid(child, &status, 0);
	struct shmid_ds shds;
	ipc(SHMCTL, shm, IPC_STAT | IPC_64, 0, &shds, 0);
	printf("shm: child saw parent %d, parent reads \"%s\", segsz %zu nattch %lu\n", WEXITSTATUS(status) == 0,
	       (char *)sp + 4096, shds.shm_segsz, (unsigned long)shds.shm_nattch);
	unsigned char oldsh[64];
	r = ipc(SHMCTL, shm, IPC_STAT, 0, oldsh, 0);
	printf("shm: old IPC_STAT %ld: segsz %d nattch %u\n", r, *(int *)(oldsh + 16), *(unsigned short *)(oldsh + 36));
	void *second = shmat(shm, NULL, SHM_RDONLY);
	printf("shm: second attach sees \"%s\"\n", (char *)second + 4096);
	r = ipc(SHMDT, 0, 0, 0, (void *)sp, 0);
	shmctl(shm, IPC_STAT, &shds);
	printf("shm: detach %ld, nattch %lu; detach again: %s\n", r, (unsigned long)shds.shm_nattch, err(shmdt((void *)sp)));
	shmdt(second);
	shmctl(shm, IPC_RMID, NULL);
	printf("shm: attach after IPC_RMID: %s\n", shmat(shm, NULL, 0) == (void *)-1 ? strerror(errno) : "attached");

	/* MAP_SHARED: anonymous pages stay shared with a child; file pages reach the file */
	volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	child = fork();
	if (child == 0) {
		shared[0] = 42;
		private[0] = 42;
		_exit(0);
	}
	waitpid(child, &status, 0);
	printf("MAP_SHARED|MAP_ANONYMOUS after the child wrote: shared %d private %d\n", shared[0], private[0]);
	snprintf(path2, sizeof path2, "%s/mapped", dir);
	fd = open(path2, O_CREAT | O_RDWR | O_TRUNC, 0644);
	write(fd, "0123456789abcdef", 16);
	char *fm = mmap(NULL, 16, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	memcpy(fm + 4, "MAPPED", 6);
	r = msync(fm, 16, MS_SYNC);
	char back[17] = { 0 };
	pread(fd, back, 16, 0);
	printf("msync %ld: file reads %s\n", r, back);
	fm[0] = '#';
	close(fd);
	munmap(fm, 16);
	fd = open(path2, O_RDONLY);
	memset(back, 0, sizeof back);
	read(fd, back, 16);
	close(fd);
	printf("after close and munmap: %s\n", back);
	/* /proc/self/cmdline and environ: the strings area of the stack, live */
	{
		char cl[4096], cl2[4096];
		int cfd = open("/proc/self/cmdline", O_RDONLY);
		ssize_t cn = read(cfd, cl, sizeof cl);
		close(cfd);
		int strings = 0;
		for (ssize_t i = 0; i < cn; i++) strings += cl[i] == 0;
		argv[1][0] = '#';
		cfd = open("/proc/self/cmdline", O_RDONLY);
		ssize_t cn2 = read(cfd, cl2, sizeof cl2);
		close(cfd);
		argv[1][0] = '/';
		size_t want = 0;
		extern char **environ;
		for (char **e = environ; *e; e++) want += strlen(*e) + 1;
		char *ev = malloc(want + 4096);
		cfd = open("/proc/self/environ", O_RDONLY);
		ssize_t en = 0, k;
		while ((k = read(cfd, ev + en, 4096)) > 0) en += k;
		close(cfd);
		int same = (size_t)en == want;
		size_t off = 0;
		for (char **e = environ; same && *e; e++) { same = strcmp(ev + off, *e) == 0; off += strlen(*e) + 1; }
		printf("cmdline: %d strings, the last %s; after argv[1][0] = '#': %s; environ as environ[]: %s\n", strings,
		       cn > (ssize_t)strlen(argv[argc - 1]) && cl[cn - 1] == 0 && memcmp(cl + cn - 1 - strlen(argv[argc - 1]), argv[argc - 1], strlen(argv[argc - 1])) == 0 ? "argv's" : "other",
		       cn2 == cn && memchr(cl2, '#', cn2) ? "seen" : "not seen", same ? "yes" : "no");
		free(ev);
	}
	/* the random pool is ready: blocking getrandom and /dev/urandom return at once */
	char rnd[16];
	int ufd = open("/dev/urandom", O_RDONLY);
	printf("getrandom(16, 0): %ld; /dev/urandom: %zd\n", syscall(SYS_getrandom, rnd, 16, 0), read(ufd, rnd, 16));
	close(ufd);
	/* shared file pages are the file's: every mapping, in any process, and read()/write() see one copy */
	fd = open(path2, O_RDWR);
	ftruncate(fd, 8192);
	char *sm1 = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *sm2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	sm1[4096] = 'A';
	printf("a second mapping sees the first's store: %c\n", sm2[0]);
	pwrite(fd, "W", 1, 4097);
	lseek(fd, 4098, SEEK_SET);
	write(fd, "X", 1);
	printf("pwrite() and write() are seen through the mappings: %c %c %c\n", sm1[4097], sm2[1], sm2[2]);
	sm2[3] = 'M';
	char sgot[3] = { 0 };
	pread(fd, sgot, 1, 4099);
	lseek(fd, 4096, SEEK_SET);
	read(fd, sgot + 1, 1);
	struct iovec gv = { sgot + 2, 1 };
	preadv(fd, &gv, 1, 4099);
	printf("pread() read() preadv() see the mappings' stores: %c %c %c\n", sgot[0], sgot[1], sgot[2]);
	child = fork();
	if (child == 0) {
		int cfd = open(path2, O_RDWR);
		char *cm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 4096);
		char *cp = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, cfd, 4096);
		cm[4] = 'C';
		_exit(cm[0] == 'A' && cp[3] == 'M' ? 0 : 1);
	}
	waitpid(child, &status, 0);
	printf("a child's own mappings saw the parent's stores: %s; its store: %c\n", WEXITSTATUS(status) == 0 ? "yes" : "no", sm1[4100]);
	munmap(sm1, 8192);
	munmap(sm2, 4096);
	memset(back, 0, sizeof back);
	pread(fd, back, 6, 4096);
	close(fd);
	printf("the file after munmap: %s\n", back);
	printf("mmap of a write-only descriptor: %s\n", (fd = open(path2, O_WRONLY), mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? strerror(errno) : "mapped"));
	close(fd);
	/* a private file mapping: written privately, MADV_DONTNEED gives the file's bytes back */
	fd = open(path2, O_RDONLY);
	char *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	pm[0] = 'P';
	char written = pm[0];
	r = madvise(pm, 4096, MADV_DONTNEED);
	printf("private mapping written: %c; after MADV_DONTNEED %ld: %c (the file's)\n", written, r, pm[0]);
	munmap(pm, 4096);

	/* more of the oldest calls: 16-bit ids, old uname and stat, nice, statfs, sigpending, old select, fcntl */
	printf("getuid16 %ld geteuid16 %ld setreuid16(-1, -1) %ld setgid16(-1) %s\n", syscall(SYS_getuid), syscall(SYS_geteuid),
	       syscall(SYS_setreuid, 0xffff, 0xffff), err(syscall(SYS_setgid, 0xffff)));
	unsigned short groups[64];
	printf("getgroups16 count matches getgroups: %d\n", syscall(SYS_getgroups, 64, groups) == getgroups(0, NULL));
	char oldold[5][9], olduts[5][65];
	syscall(SYS_oldolduname, oldold);
	syscall(SYS_olduname, olduts);
	printf("oldolduname %s (%d characters at most), olduname %s\n", oldold[0], strlen(oldold[2]) <= 8, olduts[0]);
	struct { unsigned short dev, ino, mode, nlink, uid, gid, rdev; unsigned long size, at, mt, ct; } os;
	r = syscall(SYS_oldstat, "/dev/null", &os);
	printf("oldstat /dev/null %ld: mode %o rdev %#x size %lu\n", r, os.mode, os.rdev, os.size);
	int pr0 = getpriority(PRIO_PROCESS, 0);
	r = syscall(SYS_nice, 5);
	printf("nice(5) %ld: priority up by %d\n", r, getpriority(PRIO_PROCESS, 0) - pr0);
	struct { long type, bsize, blocks, bfree, bavail, files, ffree, fsid[2], namelen, frsize, flags, spare[4]; } sf;
	r = syscall(SYS_statfs, dir, &sf);
	printf("statfs %ld: namelen %ld, bfree <= blocks %d\n", r, sf.namelen, sf.bfree <= sf.blocks);
	sigset_t bl;
	sigemptyset(&bl);
	sigaddset(&bl, SIGUSR2);
	sigprocmask(SIG_BLOCK, &bl, NULL);
	raise(SIGUSR2);
	unsigned long pend = 0;
	r = syscall(SYS_sigpending, &pend);
	signal(SIGUSR2, SIG_IGN);
	sigprocmask(SIG_UNBLOCK, &bl, NULL);
	printf("sigpending %ld: %#lx\n", r, pend);
	pipe(pfd);
	write(pfd[1], "x", 1);
	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(pfd[0], &rs);
	struct timeval tz = { 0, 0 };
	struct { unsigned long n; fd_set *in, *out, *ex; struct timeval *tv; } sel = { pfd[0] + 1, &rs, NULL, NULL, &tz };
	r = syscall(SYS_select, &sel);
	printf("old select %ld: readable %d\n", r, FD_ISSET(pfd[0], &rs) != 0);
	printf("fcntl F_GETFL %#lx\n", syscall(SYS_fcntl, pfd[1], F_GETFL));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ULL }, got_ev[2];
	epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev);
	struct timespec zero = { 0, 0 };
	r = syscall(SYS_epoll_pwait2, ep, got_ev, 2, &zero, NULL, 8);
	printf("epoll_pwait2 %ld: data %#llx\n", r, (unsigned long long)got_ev[0].data.u64);
	close(ep);
	close(pfd[0]);
	close(pfd[1]);
	printf("umount of a directory that is no mount point: %s\n", err(syscall(SYS_umount, dir)));
	unsigned char vec[2];
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	two[4096] = 1;
	r = mincore(two, 8192, vec);
	printf("mincore %ld: untouched %d touched %d\n", r, vec[0] & 1, vec[1] & 1);
	memset(two, 7, 8192);
	r = madvise(two, 8192, MADV_DONTNEED);
	printf("madvise(MADV_DONTNEED) %ld: reads %d %d; bad advice: %s\n", r, two[0], two[8191], err(madvise(two, 4096, 77)));
	printf("pkey_mprotect -1: %s, key 1: %s\n", err(syscall(SYS_pkey_mprotect, two, 4096, PROT_READ, -1)),
	       err(syscall(SYS_pkey_mprotect, two, 4096, PROT_READ, 1)));
	printf("arch_prctl(ARCH_GET_CPUID) %ld\n", syscall(SYS_arch_prctl, 0x1011, 0));

	/* clone3: a child with a pidfd; the struct's checks */
	struct clone_args ca;
	memset(&ca, 0, sizeof ca);
	int pidfd = -1;
	ca.flags = CLONE_PIDFD;
	ca.pidfd = (uintptr_t)&pidfd;
	ca.exit_signal = SIGCHLD;
	r = syscall(SYS_clone3, &ca, sizeof ca);
	if (r == 0) _exit(7);
	pid_t w = waitpid(r, &status, 0);
	printf("clone3: child waited %d, pidfd %d, exit %d\n", w == r, pidfd >= 0, WEXITSTATUS(status));
	close(pidfd);
	ca.flags = CLONE_THREAD;
	printf("clone3 CLONE_THREAD without CLONE_SIGHAND: %s; size 10: %s\n", err(syscall(SYS_clone3, &ca, sizeof ca)),
	       err(syscall(SYS_clone3, &ca, 10)));

	/* modify_ldt: an LDT data segment over a variable, used through %fs; read back; inherited by fork */
	struct user_desc ld = { .entry_number = 3, .base_addr = (unsigned long)&ldt_var, .limit = 0xfffff,
		.seg_32bit = 1, .limit_in_pages = 1, .useable = 1 };
	r = syscall(SYS_modify_ldt, 0x11, &ld, sizeof ld);
	unsigned short lsel = (3 << 3) | 7;
	int through;
	__asm__ volatile("mov %1, %%fs; movl %%fs:0, %0" : "=r"(through) : "r"(lsel));
	printf("modify_ldt write %ld: %%fs:0 reads %#x\n", r, through);
	unsigned char raw[40];
	memset(raw, 0xee, sizeof raw);
	r = syscall(SYS_modify_ldt, 0, raw, sizeof raw);
	printf("read_ldt %ld: entry 3", r);
	for (int b = 24; b < 32; b++) printf(" %02x", raw[b]);
	printf(", entry 0 empty %d\n", raw[0] == 0 && raw[7] == 0);
	printf("read_default_ldt %ld; write of 10 bytes: %s; entry 9000: %s; func 7: %s\n",
	       syscall(SYS_modify_ldt, 2, raw, 10), err(syscall(SYS_modify_ldt, 0x11, &ld, 10)),
	       err(syscall(SYS_modify_ldt, 0x11, &(struct user_desc){ .entry_number = 9000, .seg_32bit = 1 }, sizeof ld)),
	       err(syscall(SYS_modify_ldt, 7, raw, 16)));
	ldt_var = 77;
	child = fork();
	if (child == 0) {
		int v;
		__asm__ volatile("mov %1, %%fs; movl %%fs:0, %0" : "=r"(v) : "r"(lsel));
		_exit(v == 77 ? 0 : 1);
	}
	waitpid(child, &status, 0);
	printf("fork: the child's %%fs:0 through the copied LDT %s\n", WEXITSTATUS(status) == 0 ? "ok" : "wrong");
	__asm__ volatile("mov %0, %%fs" : : "r"(0));

	/* sysfs(2) and ustat(2): filesystem types, and free counts of the root's filesystem */
	char fsname[64] = "";
	long nfs = syscall(SYS_sysfs, 3), iproc = syscall(SYS_sysfs, 1, "proc");
	syscall(SYS_sysfs, 2, iproc, fsname);
	printf("sysfs: %d types, proc at an index that names it back: %s; bogus: %s\n", nfs > 3, fsname,
	       err(syscall(SYS_sysfs, 1, "nosuchfs")));
	struct stat dst;
	stat(dir, &dst);
	struct { int tfree; unsigned long tinode; char fname[6], fpack[6]; } us;
	r = syscall(SYS_ustat, (unsigned)dst.st_dev, &us);
	printf("ustat of the scratch directory's device %ld; device 0xfff0: %s\n", r, err(syscall(SYS_ustat, 0xfff0, &us)));

	/* process_vm_readv/writev: a parent reads and writes its child's memory */
	static char vmbuf[64] = "original";
	int go[2], back2[2];
	pipe(go);
	pipe(back2);
	child = fork();
	if (child == 0) {
		strcpy(vmbuf, "changed by the child");
		write(back2[1], "r", 1);
		char c;
		read(go[0], &c, 1);
		_exit(strcmp(vmbuf, "written by the parent") == 0 ? 0 : 1);
	}
	char got[64] = "", cb;
	read(back2[0], &cb, 1);
	struct iovec lv = { got, 21 }, rv = { vmbuf, 21 };
	r = process_vm_readv(child, &lv, 1, &rv, 1, 0);
	printf("process_vm_readv %ld: \"%s\"\n", r, got);
	char wmsg[] = "written by the parent";
	struct iovec lw[2] = { { wmsg, 10 }, { wmsg + 10, sizeof wmsg - 10 } }, rw = { vmbuf, sizeof wmsg };
	r = process_vm_writev(child, lw, 2, &rw, 1, 0);
	write(go[1], "g", 1);
	waitpid(child, &status, 0);
	printf("process_vm_writev %ld (two pieces): the child saw it %d\n", r, WEXITSTATUS(status) == 0);
	struct iovec badr = { (void *)16, 4 };
	printf("process_vm_readv: no such process %s, flags 1 %s, remote fault %s\n", err(process_vm_readv(999999, &lv, 1, &rv, 1, 0)),
	       err(process_vm_readv(getpid(), &lv, 1, &rv, 1, 1)), err(process_vm_readv(getpid(), &lv, 1, &badr, 1, 0)));

	/* bad pointers: EFAULT from each conversion, never a crash */
	void *bad = (void *)16;
	printf("EFAULT: sigaltstack %s, utime %s, utimes %s, readdir %s, statfs %s\n", err(sigaltstack(bad, NULL)),
	       err(syscall(SYS_utime, dir, bad)), err(syscall(SYS_utimes, dir, bad)),
	       err(syscall(SYS_readdir, open(dir, O_RDONLY), bad, 1)), err(syscall(SYS_statfs, dir, bad)));
	printf("EFAULT: semctl arg %s, msgrcv kludge %s, shmat result %s, F_GETLK64 %s\n",
	       err(ipc(SEMCTL, 0, 0, GETVAL, bad, 0)), err(ipc(MSGRCV, 0, 8, 0, bad, 0)),
	       err(ipc(SHMAT, shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600), 0, (long)bad, NULL, 0)),
	       err(syscall(SYS_fcntl64, 0, F_GETLK64, bad)));
	printf("EFAULT: modify_ldt %s, clone3 %s, old select %s, sigpending %s, oldstat %s, olduname %s\n",
	       err(syscall(SYS_modify_ldt, 0x11, bad, 16)), err(syscall(SYS_clone3, bad, 64)), err(syscall(SYS_select, bad)),
	       err(syscall(SYS_sigpending, bad)), err(syscall(SYS_oldstat, "/", bad)), err(syscall(SYS_olduname, bad)));

	/* clean up */
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/entry%d", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/times", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/huge", dir);
	unlink(path);
	unlink(path2);
	printf("rmdir: %s\n", err(rmdir(dir)));
	return 0;
}
