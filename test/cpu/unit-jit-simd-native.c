/* Runs SIMD loops on the real CPU for unit-jit-simd.test.ts (unit-native.c plus the FXSAVE state).
 * Input lines:  <hex code> <eax> <ecx> <edx> <ebx> <ebp> <esi> <edi> <eflags> <hex fx, 512 bytes> <hex data windows>
 * Output lines: <eax> <ecx> <edx> <ebx> <esp> <ebp> <esi> <edi> <eflags> <eip-offset> <signo> <code> <addr> <trapno> <err>
 *               <fx 0..287> <data windows> <code window>
 * The state enters through fxrstor and leaves through fxsave before any C code runs (at a fault: the
 * image in the signal frame, as Linux gives the handler a fresh state). Output bytes equal to the
 * input's are printed as ".." (the recorded answers stay small); bytes not compared are "..".
 * Data: two pages at DATA (the page after them is unmapped), windows of them in and out.
 * Built with -mno-sse -mno-mmx: the harness's own code never touches the SIMD registers. */
#define _GNU_SOURCE
#include <signal.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

#define CODE 0x10000000u
#define DATA 0x10100000u
#define STACK 0x10200000u
#define STACK_TOP 0x10210000u
#define CODE_WIN 0x800u
#define CODE_WIN_LEN 0x40u
/* must match WINDOWS in unit-jit-simd-harness.ts */
static const uint32_t win[][2] = { { 0x000, 0x200 }, { 0xf80, 0x1080 }, { 0x1fc0, 0x2000 } };
#define NWIN 3
#define FX_OUT 288

uint32_t g_in[9], g_out[9], g_hostesp, g_code;
uint8_t in_fx[512] __attribute__((aligned(16)));
uint8_t out_fx[512] __attribute__((aligned(16)));
uint32_t host_mxcsr = 0x1f80;
static sigjmp_buf jb;
static int g_sig, g_code_si, g_trap, g_err, fx_missing;
static uint32_t g_addr, g_eip;

void run_test(void);
void test_return(void);
__asm__(".globl run_test\nrun_test:\n pushal\n mov %esp, g_hostesp\n"
        " fxrstor in_fx\n"
        " pushl g_in+32\n popfl\n"
        " mov g_in+0,%eax\n mov g_in+4,%ecx\n mov g_in+8,%edx\n mov g_in+12,%ebx\n"
        " mov g_in+20,%ebp\n mov g_in+24,%esi\n mov g_in+28,%edi\n"
        " mov $0x1020ff00, %esp\n jmp *g_code\n"
        ".globl test_return\ntest_return:\n"
        " mov %eax,%ss:g_out+0\n mov %ecx,%ss:g_out+4\n mov %edx,%ss:g_out+8\n mov %ebx,%ss:g_out+12\n mov %esp,%ss:g_out+16\n"
        " mov %ebp,%ss:g_out+20\n mov %esi,%ss:g_out+24\n mov %edi,%ss:g_out+28\n"
        " mov %ss:g_hostesp, %esp\n pushfl\n popl %ss:g_out+32\n"
        " fxsave %ss:out_fx\n fninit\n ldmxcsr %ss:host_mxcsr\n"
        " pushl $0x202\n popfl\n"
        " mov $0x2b,%eax\n mov %eax,%ds\n mov %eax,%es\n popal\n ret\n");

static void handler(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  g_sig = sig; g_code_si = si->si_code; g_addr = (uint32_t)(uintptr_t)si->si_addr;
  g_trap = g[REG_TRAPNO]; g_err = g[REG_ERR]; g_eip = g[REG_EIP];
  g_out[0] = g[REG_EAX]; g_out[1] = g[REG_ECX]; g_out[2] = g[REG_EDX]; g_out[3] = g[REG_EBX];
  g_out[4] = g[REG_ESP]; g_out[5] = g[REG_EBP]; g_out[6] = g[REG_ESI]; g_out[7] = g[REG_EDI];
  g_out[8] = g[REG_EFL];
  /* i386 signal frame (struct _fpstate_32): a 112-byte FNSAVE-style header, magic (u16 at 110)
   * 0 when the FXSAVE image follows it */
  const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
  if (fp && fp[110] == 0 && fp[111] == 0) memcpy(out_fx, fp + 112, 512);
  else fx_missing = 1;
  siglongjmp(jb, 1);
}

static int hexval(int c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
static size_t unhex(const char *h, uint8_t *out, size_t max) {
  size_t n = strlen(h) / 2;
  if (n > max) n = max;
  for (size_t k = 0; k < n; k++) out[k] = hexval(h[2 * k]) << 4 | hexval(h[2 * k + 1]);
  return n;
}
/* FXSAVE bytes compared by the test: FCW FSW FTW, MXCSR, ST0-7 (10 bytes each), XMM0-7 */
static int fx_compared(int k) {
  if (k < 5) return 1;
  if (k >= 24 && k < 28) return 1;
  if (k >= 32 && k < 160) return (k - 32) % 16 < 10;
  return k >= 160 && k < FX_OUT;
}

int main(void) {
  static char line[1 << 16];
  static uint8_t before[0x2000];
  uint8_t *code = mmap((void *)CODE, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  uint8_t *data = mmap((void *)DATA, 0x2000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  mmap((void *)STACK, STACK_TOP - STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (code == MAP_FAILED || data == MAP_FAILED) return 1;
  munmap((void *)(DATA + 0x2000), 0x1000);
  static uint8_t altstack[65536];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
  sigaltstack(&ss, 0);
  struct sigaction sa = { 0 };
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  int sigs[] = { SIGSEGV, SIGILL, SIGFPE, SIGTRAP, SIGBUS };
  for (int k = 0; k < 5; k++) sigaction(sigs[k], &sa, 0);
  while (fgets(line, sizeof line, stdin)) {
    uint32_t v[8];
    char *tok[11];
    int nt = 0;
    for (char *p = strtok(line, " \n"); p && nt < 11; p = strtok(0, " \n")) tok[nt++] = p;
    if (nt < 11) return 2;
    for (int k = 0; k < 8; k++) v[k] = strtoul(tok[1 + k], 0, 16);
    memset(code, 0, 0x1000);
    size_t n = unhex(tok[0], code, 0xc00);
    uint32_t back = (uint32_t)(uintptr_t)test_return;
    code[n] = 0xe9; /* jmp test_return */
    uint32_t rel = back - (CODE + n + 5);
    memcpy(code + n + 1, &rel, 4);
    memset(in_fx, 0, 512);
    unhex(tok[9], in_fx, 512);
    memset(data, 0, 0x2000);
    const char *dh = tok[10];
    for (int w = 0; w < NWIN; w++) {
      uint32_t len = win[w][1] - win[w][0];
      if (strlen(dh) < 2 * len) return 3;
      unhex(dh, data + win[w][0], len);
      dh += 2 * len;
    }
    memcpy(before, data, 0x2000);
    memset((void *)STACK, 0, STACK_TOP - STACK);
    g_in[0] = v[0]; g_in[1] = v[1]; g_in[2] = v[2]; g_in[3] = v[3];
    g_in[5] = v[4]; g_in[6] = v[5]; g_in[7] = v[6]; g_in[8] = v[7];
    g_code = CODE;
    g_sig = 0; g_code_si = g_trap = g_err = 0; g_addr = 0; g_eip = CODE + n; fx_missing = 0;
    if (sigsetjmp(jb, 1) == 0) run_test();
    __asm__ volatile("fninit\n ldmxcsr host_mxcsr\n cld");
    if (fx_missing) { fprintf(stderr, "no FXSAVE image in the signal frame\n"); return 4; }
    printf("%x %x %x %x %x %x %x %x %x %x %d %d %x %d %d ", g_out[0], g_out[1], g_out[2], g_out[3], g_out[4],
           g_out[5], g_out[6], g_out[7], g_out[8], g_eip - CODE, g_sig, g_sig ? g_code_si : 0, g_sig ? g_addr : 0,
           g_sig ? g_trap : 0, g_sig ? g_err : 0);
    for (int k = 0; k < FX_OUT; k++) {
      if (!fx_compared(k) || out_fx[k] == in_fx[k]) printf("..");
      else printf("%02x", out_fx[k]);
    }
    printf(" ");
    for (int w = 0; w < NWIN; w++)
      for (uint32_t a = win[w][0]; a < win[w][1]; a++) {
        if (data[a] == before[a]) printf("..");
        else printf("%02x", data[a]);
      }
    printf(" ");
    for (uint32_t k = 0; k < CODE_WIN_LEN; k++) printf("%02x", code[CODE_WIN + k]);
    printf("\n");
    fflush(stdout);
  }
  return 0;
}
