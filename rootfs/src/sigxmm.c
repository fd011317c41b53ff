/* The SSE and x87 state as Linux shows it across signals, fork, threads and
 * execve: the FXSR signal frame (fsave header + FXSAVE image) read and
 * changed by handlers, an unmasked SIMD exception (SIGFPE), a handler whose
 * own SSE use must not leak back, reserved MXCSR bits at sigreturn, the
 * state a forked child, a thread and a new program start with.
 *
 * The registers are set and read in assembly right around the system call
 * or instruction that matters, so no compiled code runs in between. Printed
 * is only what a real machine shows the same way with or without XSAVE (no
 * MXCSR_MASK, FIP/FDP, frame sizes or the xstate size).
 *
 * Built with -Wl,-e,sigxmm_entry: the first instruction saves the state the
 * kernel started the program with (fxsave), then glibc's _start runs. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include <xmmintrin.h>

/* What the assembly helpers load before and store after their event. */
struct xstate {
	uint32_t xmm[8][4];
	uint32_t mxcsr;
	uint16_t fcw, pad;
	uint32_t st0; /* after: ST0 popped as a float (fld1 pushed 1.0 before) */
	int32_t ret;
};

__attribute__((aligned(16))) unsigned char entry_fx[512];

void sigxmm_entry(void);
int kill_xmm(const struct xstate *in, struct xstate *out, int pid, int sig);
int fork_xmm(const struct xstate *in, struct xstate *out);
int exec_xmm(const struct xstate *in, const char *path, char *const argv[], char *const envp[]);
void divss_xmm(const struct xstate *in, struct xstate *out);
void clobber_xmm(void);
void get_ctl(uint32_t *mxcsr, uint16_t *fcw);
void set_ctl(const uint32_t *mxcsr, const uint16_t *fcw);
extern char divss_insn[], divss_next[];

#define LOAD(in) \
	"movdqu 0(" in "), %xmm0\n movdqu 16(" in "), %xmm1\n movdqu 32(" in "), %xmm2\n movdqu 48(" in "), %xmm3\n" \
	"movdqu 64(" in "), %xmm4\n movdqu 80(" in "), %xmm5\n movdqu 96(" in "), %xmm6\n movdqu 112(" in "), %xmm7\n" \
	"ldmxcsr 128(" in ")\n fldcw 132(" in ")\n fld1\n"
#define STORE(out) \
	"movdqu %xmm0, 0(" out ")\n movdqu %xmm1, 16(" out ")\n movdqu %xmm2, 32(" out ")\n movdqu %xmm3, 48(" out ")\n" \
	"movdqu %xmm4, 64(" out ")\n movdqu %xmm5, 80(" out ")\n movdqu %xmm6, 96(" out ")\n movdqu %xmm7, 112(" out ")\n" \
	"stmxcsr 128(" out ")\n fnstcw 132(" out ")\n fstps 136(" out ")\n mov %eax, 140(" out ")\n"
/* MXCSR and FCW back to their defaults */
#define RESET "push $0x1f80\n ldmxcsr (%esp)\n movl $0x37f, (%esp)\n fldcw (%esp)\n add $4, %esp\n"

__asm__(
	".text\n"
	".globl sigxmm_entry\n sigxmm_entry:\n fxsave entry_fx\n jmp _start\n"

	/* kill(pid, sig) with the state of *in; the state after the signal's handler into *out */
	".globl kill_xmm\n kill_xmm:\n push %ebx\n push %esi\n push %edi\n"
	"mov 16(%esp), %esi\n mov 20(%esp), %edi\n mov 24(%esp), %ebx\n mov 28(%esp), %ecx\n"
	LOAD("%esi") "mov $37, %eax\n int $0x80\n" STORE("%edi") RESET
	"pop %edi\n pop %esi\n pop %ebx\n ret\n"

	/* fork() (the system call itself, no glibc around it): both sides store their state */
	".globl fork_xmm\n fork_xmm:\n push %ebx\n push %esi\n push %edi\n"
	"mov 16(%esp), %esi\n mov 20(%esp), %edi\n"
	LOAD("%esi") "mov $2, %eax\n int $0x80\n" STORE("%edi") RESET
	"pop %edi\n pop %esi\n pop %ebx\n ret\n"

	/* execve(path, argv, envp) with the state of *in; returns only on failure */
	".globl exec_xmm\n exec_xmm:\n push %ebx\n push %esi\n"
	"mov 12(%esp), %esi\n mov 16(%esp), %ebx\n mov 20(%esp), %ecx\n mov 24(%esp), %edx\n"
	LOAD("%esi") "mov $11, %eax\n int $0x80\n fstp %st(0)\n" RESET
	"pop %esi\n pop %ebx\n ret\n"

	/* divss %xmm1, %xmm0 under in->mxcsr; xmm0, xmm1 and MXCSR after it into *out */
	".globl divss_xmm\n divss_xmm:\n push %esi\n push %edi\n"
	"mov 12(%esp), %esi\n mov 16(%esp), %edi\n"
	"movdqu 0(%esi), %xmm0\n movdqu 16(%esi), %xmm1\n ldmxcsr 128(%esi)\n"
	".globl divss_insn\n divss_insn:\n divss %xmm1, %xmm0\n"
	".globl divss_next\n divss_next:\n"
	"stmxcsr 128(%edi)\n movdqu %xmm0, 0(%edi)\n movdqu %xmm1, 16(%edi)\n" RESET
	"pop %edi\n pop %esi\n ret\n"

	/* every xmm register and MXCSR changed (a handler's own SSE use) */
	".globl clobber_xmm\n clobber_xmm:\n pcmpeqd %xmm0, %xmm0\n movdqa %xmm0, %xmm1\n movdqa %xmm0, %xmm2\n"
	"movdqa %xmm0, %xmm3\n movdqa %xmm0, %xmm4\n movdqa %xmm0, %xmm5\n movdqa %xmm0, %xmm6\n movdqa %xmm0, %xmm7\n"
	"push $0xff80\n ldmxcsr (%esp)\n add $4, %esp\n ret\n"

	".globl get_ctl\n get_ctl:\n mov 4(%esp), %eax\n stmxcsr (%eax)\n mov 8(%esp), %eax\n fnstcw (%eax)\n ret\n"
	".globl set_ctl\n set_ctl:\n mov 4(%esp), %eax\n ldmxcsr (%eax)\n mov 8(%esp), %eax\n fldcw (%eax)\n ret\n");

/* the xmm registers a handler finds on entry, stored before any compiled code of it runs */
uint32_t handler_xmm[8][4], handler_mxcsr;
uint16_t handler_fcw;
#define HANDLER_ENTRY(name) \
	void name(void); \
	__asm__(".text\n .globl " #name "\n " #name ":\n" STORE_ENTRY "jmp " #name "_c\n");
#define STORE_ENTRY \
	"movdqu %xmm0, handler_xmm+0\n movdqu %xmm1, handler_xmm+16\n movdqu %xmm2, handler_xmm+32\n" \
	"movdqu %xmm3, handler_xmm+48\n movdqu %xmm4, handler_xmm+64\n movdqu %xmm5, handler_xmm+80\n" \
	"movdqu %xmm6, handler_xmm+96\n movdqu %xmm7, handler_xmm+112\n stmxcsr handler_mxcsr\n fnstcw handler_fcw\n"

static void pattern(struct xstate *s, uint32_t seed, uint32_t mxcsr, uint16_t fcw)
{
	memset(s, 0, sizeof *s);
	for (int r = 0; r < 8; r++)
		for (int l = 0; l < 4; l++)
			s->xmm[r][l] = seed + 0x01010101u * (uint32_t)r + 0x100u * (uint32_t)l;
	s->mxcsr = mxcsr;
	s->fcw = fcw;
}

static void print_xmm(const char *what, uint32_t x[8][4])
{
	for (int r = 0; r < 8; r++)
		printf("%s xmm%d %08x %08x %08x %08x\n", what, r, x[r][0], x[r][1], x[r][2], x[r][3]);
}

static void print_state(const char *what, struct xstate *s)
{
	print_xmm(what, s->xmm);
	printf("%s mxcsr %08x fcw %04x st0 %08x ret %d\n", what, s->mxcsr, s->fcw, s->st0, s->ret);
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void print_handler_entry(const char *what)
{
	printf("%s handler starts: mxcsr %08x fcw %04x xmm zero %d\n", what, handler_mxcsr, handler_fcw,
	       all_zero(handler_xmm, sizeof handler_xmm));
}

/* The FXSAVE part of the frame's fpstate: the kernel's struct _fpstate_32 past the fsave header. */
struct fxpart {
	uint16_t fcw, fsw;
	uint8_t ftw, r1;
	uint16_t fop;
	uint32_t fip, fcs, foo, fos;
	uint32_t mxcsr, mxcsr_mask;
	struct { uint16_t sig[4], exp, pad[3]; } st[8];
	uint32_t xmm[8][4];
	uint32_t padding[44];
	uint32_t magic1, extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size, sw_pad[7];
};
_Static_assert(sizeof(struct fxpart) == 512, "FXSAVE image");
_Static_assert(sizeof(struct _fpstate) == 624, "struct _fpstate_32");

static struct fxpart *fxpart_of(struct _fpstate *fp)
{
	return (struct fxpart *)((char *)fp + 112);
}

static void print_frame_fp(const char *what, struct _fpstate *fp)
{
	struct fxpart *fx = fxpart_of(fp);
	printf("%s fpstate%%64 %u fxsave%%64 %u magic %04x status==sw %d\n", what, (unsigned)((uintptr_t)fp % 64),
	       (unsigned)((uintptr_t)fx % 64), fp->magic, fp->status == (fp->sw & 0xffff));
	printf("%s header cw %08x sw %08x tag %08x cssel %08x datasel %08x st0 %04x:%04x%04x%04x%04x\n", what, fp->cw,
	       fp->sw, fp->tag, fp->cssel, fp->datasel, fp->_st[0].exponent, fp->_st[0].significand[3],
	       fp->_st[0].significand[2], fp->_st[0].significand[1], fp->_st[0].significand[0]);
	printf("%s fxsave fcw %04x fsw %04x ftw %02x mxcsr %08x st0 %04x:%04x%04x%04x%04x sw_reserved magic1 %s\n", what,
	       fx->fcw, fx->fsw, fx->ftw, fx->mxcsr, fx->st[0].exp, fx->st[0].sig[3], fx->st[0].sig[2], fx->st[0].sig[1],
	       fx->st[0].sig[0], fx->magic1 == 0x46505853u ? "FP_XSTATE_MAGIC1" : "other");
	print_xmm(what, fx->xmm);
}

/* ST0 in the frame becomes 2.0: in the header (what sigreturn restores) and 3.0 in the ignored FXSAVE part. */
static void change_st0(struct _fpstate *fp)
{
	struct fxpart *fx = fxpart_of(fp);
	fp->_st[0].exponent = 0x4000;
	fx->st[0].exp = 0x4000 + 1;
	fx->st[0].sig[3] = 0xc000;
}

/* ---------------------------------------------------------------- RT frame (SA_SIGINFO) */

static int bad_mxcsr;

HANDLER_ENTRY(on_usr1)
void on_usr1_c(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;
	struct _fpstate *fp = (struct _fpstate *)uc->uc_mcontext.fpregs;
	char *frame = (char *)si - 16;
	print_handler_entry("rt");
	printf("rt sig %d code %d fpstate-frame %d\n", sig, si->si_code, (int)((char *)fp - frame));
	print_frame_fp("rt frame", fp);
	struct fxpart *fx = fxpart_of(fp);
	if (bad_mxcsr) {
		fx->mxcsr |= 0x10000; /* reserved */
		fflush(stdout);
		return;
	}
	fx->xmm[3][0] = 0xdeadbeef;
	fx->xmm[3][3] = 0xfeedface;
	fx->mxcsr = 0x7f80;  /* round toward zero */
	fp->cw = 0x027f;     /* the header's control word is what comes back */
	fx->fcw = 0x0c7f;    /* not this one */
	change_st0(fp);
}

/* ---------------------------------------------------------------- sigframe (no SA_SIGINFO) */

HANDLER_ENTRY(on_usr2)
void on_usr2_c(int sig)
{
	/* the frame: pretcode, sig, sigcontext, fpstate_unused, extramask */
	char *frame = (char *)__builtin_frame_address(0) + 4;
	struct sigcontext *sc = (struct sigcontext *)(frame + 8);
	uint32_t extramask;
	memcpy(&extramask, frame + 8 + sizeof(struct sigcontext) + sizeof(struct _fpstate), 4);
	print_handler_entry("plain");
	printf("plain sig %d frame sig %d oldmask %08lx extramask %08x fpstate-frame %d\n", sig, *(int *)(frame + 4),
	       sc->oldmask, extramask, (int)((char *)sc->fpstate - frame));
	print_frame_fp("plain frame", sc->fpstate);
	struct fxpart *fx = fxpart_of(sc->fpstate);
	fx->xmm[5][1] = 0x0badf00d;
	fx->mxcsr = 0x3f80; /* round down */
}

/* ---------------------------------------------------------------- a handler using SSE itself */

static void on_alrm(int sig)
{
	(void)sig;
	_mm_setcsr(0x5f80); /* round up */
	__m128 a = _mm_set_ps(1.0f, 2.0f, 3.0f, 4.0f), b = _mm_set1_ps(0.1f);
	union { __m128 v; uint32_t u[4]; } r = { _mm_div_ps(a, b) };
	printf("sse handler computes %08x %08x %08x %08x\n", r.u[0], r.u[1], r.u[2], r.u[3]);
	clobber_xmm();
}

/* ---------------------------------------------------------------- SIGFPE from #XM */

static int fpe_fix_mxcsr;

void on_fpe(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;
	struct _fpstate *fp = (struct _fpstate *)uc->uc_mcontext.fpregs;
	struct fxpart *fx = fxpart_of(fp);
	greg_t *g = uc->uc_mcontext.gregs;
	printf("fpe sig %d code %d addr at divss %d eip at divss %d trapno %d err %d\n", sig, si->si_code,
	       si->si_addr == (void *)divss_insn, g[REG_EIP] == (greg_t)divss_insn, g[REG_TRAPNO], g[REG_ERR]);
	printf("fpe frame mxcsr %08x xmm0 %08x %08x xmm1 %08x\n", fx->mxcsr, fx->xmm[0][0], fx->xmm[0][1], fx->xmm[1][0]);
	if (fpe_fix_mxcsr)
		fx->mxcsr |= 0x200; /* mask ZE: divss runs again, masked */
	else
		g[REG_EIP] = (greg_t)divss_next; /* skip it */
}

/* ---------------------------------------------------------------- threads */

static void *thread_main(void *arg)
{
	uint32_t mx;
	uint16_t cw;
	get_ctl(&mx, &cw);
	printf("thread mxcsr %08x fcw %04x\n", mx, cw);
	return arg;
}

/* ---------------------------------------------------------------- start */

static void print_entry(const char *what)
{
	struct fxpart *fx = (struct fxpart *)entry_fx;
	printf("%s: fcw %04x fsw %04x ftw %02x mxcsr %08x st zero %d xmm zero %d\n", what, fx->fcw, fx->fsw, fx->ftw,
	       fx->mxcsr, all_zero(fx->st, sizeof fx->st), all_zero(fx->xmm, sizeof fx->xmm));
}

static void handle(int sig, void *fn, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	if (flags & SA_SIGINFO)
		sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))fn;
	else
		sa.sa_handler = (void (*)(int))fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL)) {
		perror("sigaction");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct xstate in, out;
	int pid = getpid();

	if (argc > 1 && !strcmp(argv[1], "exec")) {
		print_entry("exec'd program starts");
		return 0;
	}
	print_entry("program starts");

	/* 1. rt_sigframe: the handler reads and changes xmm3, MXCSR, FCW and ST0 in the frame */
	handle(SIGUSR1, on_usr1, SA_SIGINFO);
	pattern(&in, 0x10203040, 0x3fa0, 0x037f); /* round down, PE set */
	kill_xmm(&in, &out, pid, SIGUSR1);
	print_state("rt after", &out);

	/* 2. sigframe: oldmask and extramask in their places, xmm5 and MXCSR changed */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, 40);
	sigprocmask(SIG_BLOCK, &block, &old);
	handle(SIGUSR2, on_usr2, 0);
	pattern(&in, 0x51525354, 0x9fc0, 0x027f); /* FTZ, DAZ */
	kill_xmm(&in, &out, pid, SIGUSR2);
	sigprocmask(SIG_SETMASK, &old, NULL);
	print_state("plain after", &out);

	/* 3. a handler's own SSE state does not come back */
	handle(SIGALRM, on_alrm, 0);
	pattern(&in, 0x61626364, 0x1f80, 0x037f);
	kill_xmm(&in, &out, pid, SIGALRM);
	print_state("sse handler after", &out);

	/* 4. divss by zero with ZE unmasked: SIGFPE at the instruction; skipped, then re-run masked */
	handle(SIGFPE, on_fpe, SA_SIGINFO);
	for (fpe_fix_mxcsr = 0; fpe_fix_mxcsr < 2; fpe_fix_mxcsr++) {
		memset(&in, 0, sizeof in);
		memset(&out, 0, sizeof out);
		in.xmm[0][0] = 0x3f800000; /* 1.0f */
		in.xmm[0][1] = 0x40000000;
		in.xmm[1][0] = 0;          /* +0 */
		in.mxcsr = 0x1f80 & ~0x200;
		divss_xmm(&in, &out);
		printf("fpe %s: mxcsr %08x xmm0 %08x %08x\n", fpe_fix_mxcsr ? "re-run masked" : "skipped", out.mxcsr,
		       out.xmm[0][0], out.xmm[0][1]);
	}

	/* 5. reserved MXCSR bits in the frame: sigreturn fails, SIGSEGV */
	fflush(stdout);
	int child = fork();
	if (child == 0) {
		bad_mxcsr = 1;
		pattern(&in, 0x71727374, 0x1f80, 0x037f);
		kill_xmm(&in, &out, getpid(), SIGUSR1);
		printf("bad mxcsr: survived sigreturn\n");
		exit(0);
	}
	int status;
	waitpid(child, &status, 0);
	printf("bad mxcsr: child %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

	/* 6. fork: the child starts with the parent's xmm, MXCSR, FCW and x87 registers */
	fflush(stdout);
	pattern(&in, 0x81828384, 0x9fc0, 0x027f);
	child = fork_xmm(&in, &out);
	if (child == 0) {
		out.ret = 0;
		print_state("fork child", &out);
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, &status, 0);
	out.ret = child > 0;
	print_state("fork parent", &out);

	/* 7. a thread starts with the creating thread's MXCSR and FCW */
	uint32_t mx = 0xbfc0;   /* FTZ, round up, DAZ */
	uint16_t cw = 0x0e7f;   /* round toward zero, 53 bits */
	set_ctl(&mx, &cw);
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, NULL)) {
		printf("pthread_create failed\n");
		return 1;
	}
	pthread_join(t, NULL);
	mx = 0x1f80;
	cw = 0x037f;
	set_ctl(&mx, &cw);

	/* 8. execve: the new program starts from the init state whatever the old one had */
	fflush(stdout);
	pattern(&in, 0x91929394, 0xbfc0, 0x0e7f);
	char *args[] = { argv[0], "exec", NULL };
	char *envp[] = { NULL };
	int r = exec_xmm(&in, "/proc/self/exe", args, envp);
	printf("execve failed: %d\n", r);
	return 1;
}
