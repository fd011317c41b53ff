/* Runs instruction sequences on the real CPU for the differential unit tests.
 * Input lines:  <hex code> <eax> <ecx> <edx> <ebx> <ebp> <esi> <edi> <eflags> <data page prot> [<hex data>]
 * Output lines: <eax> <ecx> <edx> <ebx> <esp> <ebp> <esi> <edi> <eflags> <eip-offset> <signo> <code> <addr> <trapno> <err> <ds> <es> <fs> <hex data>
 * Code runs at CODE, data page at DATA, stack ends at STACK_TOP (fixed, so the emulator can match). */
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
#define DATA_LEN 64

uint32_t g_in[9], g_out[9], g_hostesp, g_code, g_seg[4];
static sigjmp_buf jb;
static int g_sig, g_code_si, g_trap, g_err;
static uint32_t g_addr, g_eip;

void run_test(void);
void test_return(void);
__asm__(".globl run_test\nrun_test:\n pushal\n mov %esp, g_hostesp\n"
        " pushl g_in+32\n popfl\n"
        " mov g_in+0,%eax\n mov g_in+4,%ecx\n mov g_in+8,%edx\n mov g_in+12,%ebx\n"
        " mov g_in+20,%ebp\n mov g_in+24,%esi\n mov g_in+28,%edi\n"
        " mov $0x1020ff00, %esp\n jmp *g_code\n"
        ".globl test_return\ntest_return:\n"
        /* ss is the only segment the test cannot have broken */
        " mov %eax,%ss:g_out+0\n mov %ecx,%ss:g_out+4\n mov %edx,%ss:g_out+8\n mov %ebx,%ss:g_out+12\n mov %esp,%ss:g_out+16\n"
        " mov %ebp,%ss:g_out+20\n mov %esi,%ss:g_out+24\n mov %edi,%ss:g_out+28\n"
        " mov %ss:g_hostesp, %esp\n pushfl\n popl %ss:g_out+32\n pushl $0x202\n popfl\n"
        " mov %ds,%ss:g_seg+0\n mov %es,%ss:g_seg+4\n mov %fs,%ss:g_seg+8\n"
        " mov $0x2b,%eax\n mov %eax,%ds\n mov %eax,%es\n xor %eax,%eax\n mov %eax,%fs\n popal\n ret\n");
static void fix_segments(void) {
  __asm__ volatile("pushl $0x202\n popfl\n mov $0x2b,%%eax\n mov %%eax,%%ds\n mov %%eax,%%es\n xor %%eax,%%eax\n mov %%eax,%%fs" ::: "eax");
}

static void handler(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  g_sig = sig; g_code_si = si->si_code; g_addr = (uint32_t)(uintptr_t)si->si_addr;
  g_trap = g[REG_TRAPNO]; g_err = g[REG_ERR]; g_eip = g[REG_EIP];
  g_out[0] = g[REG_EAX]; g_out[1] = g[REG_ECX]; g_out[2] = g[REG_EDX]; g_out[3] = g[REG_EBX];
  g_out[4] = g[REG_ESP]; g_out[5] = g[REG_EBP]; g_out[6] = g[REG_ESI]; g_out[7] = g[REG_EDI];
  g_out[8] = g[REG_EFL];
  g_seg[0] = g[REG_DS] & 0xffff; g_seg[1] = g[REG_ES] & 0xffff; g_seg[2] = g[REG_FS] & 0xffff;
  siglongjmp(jb, 1);
}

static int hexval(int c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

int main(void) {
  static char line[65536];
  uint8_t *code = mmap((void *)CODE, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  uint8_t *data = mmap((void *)DATA, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  mmap((void *)STACK, STACK_TOP - STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (code == MAP_FAILED || data == MAP_FAILED) return 1;
  static uint8_t altstack[65536];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
  sigaltstack(&ss, 0);
  struct sigaction sa = { 0 };
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  int sigs[] = { SIGSEGV, SIGILL, SIGFPE, SIGTRAP, SIGBUS };
  for (int k = 0; k < 5; k++) sigaction(sigs[k], &sa, 0);
  while (fgets(line, sizeof line, stdin)) {
    char hex[8192], dhex[8192] = "";
    uint32_t v[8], prot;
    if (sscanf(line, "%8191s %x %x %x %x %x %x %x %x %x %8191s", hex, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &prot, dhex) < 10) return 2;
    mprotect(data, 4096, PROT_READ | PROT_WRITE);
    size_t n = strlen(hex) / 2;
    for (size_t k = 0; k < n; k++) code[k] = hexval(hex[2 * k]) << 4 | hexval(hex[2 * k + 1]);
    uint32_t back = (uint32_t)(uintptr_t)test_return;
    code[n] = 0xe9; /* jmp test_return */
    uint32_t rel = back - (CODE + n + 5);
    memcpy(code + n + 1, &rel, 4);
    memset(data, 0, 4096);
    for (size_t k = 0; 2 * k < strlen(dhex); k++) data[k] = hexval(dhex[2 * k]) << 4 | hexval(dhex[2 * k + 1]);
    memset((void *)STACK, 0, STACK_TOP - STACK);
    mprotect(data, 4096, prot);
    g_in[0] = v[0]; g_in[1] = v[1]; g_in[2] = v[2]; g_in[3] = v[3];
    g_in[5] = v[4]; g_in[6] = v[5]; g_in[7] = v[6]; g_in[8] = v[7];
    g_code = CODE;
    g_sig = 0; g_code_si = g_trap = g_err = 0; g_addr = 0; g_eip = CODE + n;
    if (sigsetjmp(jb, 1) == 0) run_test();
    fix_segments();
    mprotect(data, 4096, PROT_READ | PROT_WRITE);
    printf("%x %x %x %x %x %x %x %x %x %x %d %d %x %d %d %x %x %x ", g_out[0], g_out[1], g_out[2], g_out[3], g_out[4],
           g_out[5], g_out[6], g_out[7], g_out[8], g_eip - CODE, g_sig, g_sig ? g_code_si : 0, g_sig ? g_addr : 0,
           g_sig ? g_trap : 0, g_sig ? g_err : 0, g_seg[0], g_seg[1], g_seg[2]);
    for (int k = 0; k < DATA_LEN; k++) printf("%02x", data[k]);
    printf("\n");
    fflush(stdout);
  }
  return 0;
}
