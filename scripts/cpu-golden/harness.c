/*
 * Native i386 harness: executes one instruction per case on the real CPU and
 * records the machine state after it (or at the fault it raised).
 *
 * Input (stdin), per case, little endian:
 *   u32 index, u32 regs[8], u32 eflags, u32 seed,
 *   u32 flags (bit0: x87 FNSAVE image present, bit1: FXSAVE image present),
 *   u32 codeLen, u8 code[codeLen], u8 fpu[108] (if flags&1), u8 fx[512] (if flags&2),
 *   u32 nmem, nmem * (u32 addr, u32 len, u8 bytes[len])
 * Output (stdout), per case:
 *   u32 index, u32 signo (0 = none), u32 si_code, u32 si_addr, u32 trapno, u32 err,
 *   u32 regs[8], u32 eflags, u32 eip, u32 segs[6] (ES CS SS DS FS GS), u8 fpu[108],
 *   u32 ndiff, ndiff * (u32 addr, u8 value)   -- data/stack/low page bytes that changed
 *   u8 fx[512] (if the case had flags&2)       -- FXSAVE image after the instruction
 *
 * The guest runs with FS = 0 (as Linux starts i386 processes) and GS = a TLS selector
 * (GDT entry 13) whose base is the data page; the host's own GS is restored on the way out.
 * Cases load DS and SS only with the flat selector or with selectors that fault, since the
 * landing pad and capture code address memory through them.
 *
 * The code page holds "landing pads" at every 16-byte boundary and right after the
 * instruction; a pad stores its own address (the guest eip) and jumps to capture.
 *
 * SIMD cases (flags&2) enter the guest through fxrstor of their image (x87, MXCSR, xmm0-7) and
 * leave through fxsave in capture, before any C code runs. At a fault the state comes from the
 * signal frame: Linux gives the handler a fresh FPU/SSE state, so an fxsave there would see that,
 * not the guest's. Other cases get a default SSE state (MXCSR 0x1f80, xmm zero) so that nothing
 * leaks from one case into the next; their x87 path (frstor / fninit) is unchanged.
 * Built with -mno-sse -mno-mmx: the harness's own C code never touches the SIMD registers.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <asm/ldt.h>

#define CODE_ADDR 0x20000000u
#define DATA_ADDR 0x30000000u
#define STACK_ADDR 0x40000000u
#define LOW_ADDR 0x00008000u /* reachable with 16-bit addressing (67 prefix) */
#define NPAGES 3
static const uint32_t page_addr[NPAGES] = { DATA_ADDR, STACK_ADDR, LOW_ADDR };
#define TLS_ENTRY 13
#define PAGE 4096u
#define INSN_OFF 0x800u
#define PAD_SIZE 16u

uint32_t in_regs[8], in_eflags_slot[2], has_fpu, has_fx, guest_entry, host_esp;
uint32_t out_regs[8], out_eflags, out_segs[6], zero_sel, host_gs, guest_gs;
uint8_t in_fpu[108] __attribute__((aligned(16)));
uint8_t out_fpu[108] __attribute__((aligned(16)));
uint8_t in_fx[512] __attribute__((aligned(16)));
uint8_t out_fx[512] __attribute__((aligned(16)));
uint8_t default_fx[512] __attribute__((aligned(16)));   /* fninit state, MXCSR 0x1f80, xmm zero */
uint32_t host_mxcsr = 0x1f80;
/* Control page at a fixed address so that landing pads are the same bytes in every build
 * (the replay rebuilds the identical code page): [0] = landing address, [1] = &capture. */
#define CTRL_ADDR 0x60000000u
#define out_landing (((volatile uint32_t *)CTRL_ADDR)[0])
#define capture_ptr (((volatile uint32_t *)CTRL_ADDR)[1])
extern void enter_guest(void);
extern void capture(void);

/* enter_guest: C-callable; loads x87 state, EFLAGS and all GPRs, jumps to the code page.
 * capture: reached from a landing pad; saves GPRs, EFLAGS, x87 (and the FXSAVE image for SIMD cases)
 * and returns to enter_guest's caller. */
__asm__(
    ".text\n"
    ".globl enter_guest\n"
    "enter_guest:\n"
    "  push %ebp\n push %ebx\n push %esi\n push %edi\n"
    "  mov %esp, host_esp\n"
    "  mov zero_sel, %fs\n"
    "  mov guest_gs, %gs\n"
    "  cmpl $0, has_fx\n"
    "  je 3f\n"
    "  fxrstor in_fx\n"
    "  jmp 2f\n"
    "3: fxrstor default_fx\n"
    "  cmpl $0, has_fpu\n"
    "  je 1f\n"
    "  frstor in_fpu\n"
    "  jmp 2f\n"
    "1: fninit\n"
    "2: mov $in_eflags_slot, %esp\n"
    "  popfl\n"
    "  mov in_regs+0, %eax\n mov in_regs+4, %ecx\n mov in_regs+8, %edx\n mov in_regs+12, %ebx\n"
    "  mov in_regs+20, %ebp\n mov in_regs+24, %esi\n mov in_regs+28, %edi\n"
    "  mov in_regs+16, %esp\n"
    "  jmp *guest_entry\n"
    ".globl capture\n"
    "capture:\n"
    "  mov %eax, out_regs+0\n mov %ecx, out_regs+4\n mov %edx, out_regs+8\n mov %ebx, out_regs+12\n"
    "  mov %esp, out_regs+16\n mov %ebp, out_regs+20\n mov %esi, out_regs+24\n mov %edi, out_regs+28\n"
    "  mov host_esp, %esp\n"
    "  pushfl\n popl out_eflags\n"
    "  movl $0, out_segs+0\n movl $0, out_segs+4\n movl $0, out_segs+8\n"
    "  movl $0, out_segs+12\n movl $0, out_segs+16\n movl $0, out_segs+20\n"
    "  mov %es, out_segs+0\n mov %cs, out_segs+4\n mov %ss, out_segs+8\n"
    "  mov %ds, out_segs+12\n mov %fs, out_segs+16\n mov %gs, out_segs+20\n"
    "  mov host_gs, %gs\n"
    "  mov %ds, %eax\n mov %eax, %es\n"
    "  cmpl $0, has_fx\n"
    "  je 1f\n"
    "  fxsave out_fx\n"
    "1: fnsave out_fpu\n"
    "  fninit\n"
    "  ldmxcsr host_mxcsr\n"
    /* clean host EFLAGS (DF, AC) before returning to C */
    "  pushl $0x202\n popfl\n"
    "  pop %edi\n pop %esi\n pop %ebx\n pop %ebp\n"
    "  ret\n");

static uint8_t pad_page[PAGE];
static sigjmp_buf fault_jb;
static volatile uint32_t fault_info[5];
static volatile int fx_missing;

static uint8_t pattern_byte(uint32_t seed, uint32_t addr) {
  /* must match patternByte() in test/cpu/replay.ts */
  uint32_t h = addr * 2654435761u + seed;
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  h *= 0x297a2d39u;
  h ^= h >> 15;
  return (uint8_t)h;
}

static void write_pad(uint8_t *p, uint32_t addr) {
  /* movl $addr, out_landing ; jmp *capture_ptr */
  uint32_t landing = CTRL_ADDR, cap = CTRL_ADDR + 4;
  p[0] = 0xc7; p[1] = 0x05; memcpy(p + 2, &landing, 4); memcpy(p + 6, &addr, 4);
  p[10] = 0xff; p[11] = 0x25; memcpy(p + 12, &cap, 4);
}

void fault_entry(int sig, siginfo_t *si, void *ctx);
/* The kernel leaves the guest's GS in place: restore the host's TLS selector first. */
__asm__(
    ".text\n"
    ".globl fault_entry\n"
    "fault_entry:\n"
    "  mov host_gs, %gs\n"
    "  jmp on_fault\n");

void on_fault(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  fault_info[0] = sig;
  fault_info[1] = si->si_code;
  fault_info[2] = (uint32_t)(uintptr_t)si->si_addr;
  fault_info[3] = g[REG_TRAPNO];
  fault_info[4] = g[REG_ERR];
  out_regs[0] = g[REG_EAX]; out_regs[1] = g[REG_ECX]; out_regs[2] = g[REG_EDX]; out_regs[3] = g[REG_EBX];
  out_regs[4] = g[REG_ESP]; out_regs[5] = g[REG_EBP]; out_regs[6] = g[REG_ESI]; out_regs[7] = g[REG_EDI];
  out_eflags = g[REG_EFL];
  out_segs[0] = g[REG_ES] & 0xffff; out_segs[1] = g[REG_CS] & 0xffff; out_segs[2] = g[REG_SS] & 0xffff;
  out_segs[3] = g[REG_DS] & 0xffff; out_segs[4] = g[REG_FS] & 0xffff; out_segs[5] = g[REG_GS] & 0xffff;
  out_landing = g[REG_EIP];
  if (uc->uc_mcontext.fpregs) memcpy(out_fpu, uc->uc_mcontext.fpregs, 108);
  else memset(out_fpu, 0, 108);
  /* i386 signal frame (asm/sigcontext.h, struct _fpstate_32): a 112-byte FNSAVE-style header
   * whose u16 at 110 (magic) is 0 when the FXSAVE image (or XSAVE legacy area) follows it. */
  const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
  if (fp && fp[110] == 0 && fp[111] == 0) memcpy(out_fx, fp + 112, 512);
  else { memset(out_fx, 0, 512); fx_missing = 1; }
  siglongjmp(fault_jb, 1);
}

static int read_full(void *buf, size_t n) {
  size_t got = fread(buf, 1, n, stdin);
  return got == n;
}

static uint32_t rd32(int *ok) {
  uint32_t v = 0;
  if (!read_full(&v, 4)) *ok = 0;
  return v;
}

static void wr(const void *p, size_t n) {
  if (fwrite(p, 1, n, stdout) != n) { perror("write"); exit(2); }
}

int main(void) {
  if (mmap((void *)CTRL_ADDR, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) { perror("mmap"); return 2; }
  capture_ptr = (uint32_t)(uintptr_t)capture;
  void *code = mmap((void *)CODE_ADDR, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  void *data = mmap((void *)DATA_ADDR, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  void *stack = mmap((void *)STACK_ADDR, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  void *low = mmap((void *)LOW_ADDR, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (code == MAP_FAILED || data == MAP_FAILED || stack == MAP_FAILED || low == MAP_FAILED) { perror("mmap"); return 2; }
  uint8_t *pg[NPAGES] = { data, stack, low };

  struct user_desc ud;
  memset(&ud, 0, sizeof ud);
  ud.entry_number = TLS_ENTRY;
  ud.base_addr = DATA_ADDR;
  ud.limit = 0xfffff;
  ud.seg_32bit = 1;
  ud.limit_in_pages = 1;
  ud.useable = 1;
  if (syscall(SYS_set_thread_area, &ud) != 0) { perror("set_thread_area"); return 2; }
  guest_gs = (TLS_ENTRY << 3) | 3;
  __asm__ volatile("mov %%gs, %0" : "=r"(host_gs));

  static uint8_t altstack[65536];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  if (sigaltstack(&ss, NULL)) { perror("sigaltstack"); return 2; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fault_entry;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  int sigs[] = { SIGFPE, SIGSEGV, SIGILL, SIGTRAP, SIGBUS };
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);

  for (uint32_t off = 0; off < PAGE; off += PAD_SIZE) write_pad(pad_page + off, CODE_ADDR + off);
  /* FCW 0x37f, FSW 0, all tags empty, MXCSR 0x1f80: what fninit and a fresh process have */
  default_fx[0] = 0x7f; default_fx[1] = 0x03;
  memcpy(default_fx + 24, &host_mxcsr, 4);

  static uint8_t before[NPAGES][PAGE];
  uint8_t codebuf[64];
  for (;;) {
    int ok = 1;
    uint32_t idx;
    if (!read_full(&idx, 4)) break;
    for (int i = 0; i < 8; i++) in_regs[i] = rd32(&ok);
    uint32_t eflags = rd32(&ok), seed = rd32(&ok), flags = rd32(&ok), clen = rd32(&ok);
    if (!ok || clen > sizeof codebuf || !read_full(codebuf, clen)) { fprintf(stderr, "bad case %u\n", idx); return 2; }
    has_fpu = flags & 1;
    has_fx = (flags >> 1) & 1;
    if (has_fpu && !read_full(in_fpu, 108)) { fprintf(stderr, "bad fpu %u\n", idx); return 2; }
    if (has_fx && !read_full(in_fx, 512)) { fprintf(stderr, "bad fx %u\n", idx); return 2; }

    mprotect(code, PAGE, PROT_READ | PROT_WRITE);
    memcpy(code, pad_page, PAGE);
    memcpy((uint8_t *)code + INSN_OFF, codebuf, clen);
    write_pad((uint8_t *)code + INSN_OFF + clen, CODE_ADDR + INSN_OFF + clen);
    mprotect(code, PAGE, PROT_READ | PROT_EXEC);

    for (int p = 0; p < NPAGES; p++)
      for (uint32_t i = 0; i < PAGE; i++) pg[p][i] = pattern_byte(seed, page_addr[p] + i);
    uint32_t nmem = rd32(&ok);
    for (uint32_t m = 0; ok && m < nmem; m++) {
      uint32_t addr = rd32(&ok), len = rd32(&ok);
      if (!ok || len > PAGE) { fprintf(stderr, "bad mem %u\n", idx); return 2; }
      uint8_t tmp[PAGE];
      if (!read_full(tmp, len)) { ok = 0; break; }
      for (uint32_t i = 0; i < len; i++) {
        uint32_t a = addr + i;
        int p = 0;
        while (p < NPAGES && !(a >= page_addr[p] && a < page_addr[p] + PAGE)) p++;
        if (p == NPAGES) { fprintf(stderr, "mem outside pages in case %u\n", idx); return 2; }
        pg[p][a - page_addr[p]] = tmp[i];
      }
    }
    if (!ok) { fprintf(stderr, "truncated case %u\n", idx); return 2; }
    for (int p = 0; p < NPAGES; p++) memcpy(before[p], pg[p], PAGE);

    in_eflags_slot[0] = (eflags & 0x00000ed5u) | 0x202u;   /* arithmetic flags + DF; IF and bit 1 as Linux */
    guest_entry = CODE_ADDR + INSN_OFF;
    fault_info[0] = fault_info[1] = fault_info[2] = fault_info[3] = fault_info[4] = 0;
    fx_missing = 0;
    if (sigsetjmp(fault_jb, 1) == 0) enter_guest();
    __asm__ volatile("fninit; cld");

    uint32_t hdr[6] = { idx, fault_info[0], fault_info[1], fault_info[2], fault_info[3], fault_info[4] };
    wr(hdr, sizeof hdr);
    wr(out_regs, 32);
    wr(&out_eflags, 4);
    uint32_t eip = out_landing;
    wr(&eip, 4);
    wr(out_segs, 24);
    wr(out_fpu, 108);
    uint32_t ndiff = 0;
    for (int p = 0; p < NPAGES; p++)
      for (uint32_t i = 0; i < PAGE; i++)
        if (before[p][i] != pg[p][i]) ndiff++;
    wr(&ndiff, 4);
    for (int p = 0; p < NPAGES; p++)
      for (uint32_t i = 0; i < PAGE; i++) {
        uint8_t v = pg[p][i];
        if (before[p][i] != v) {
          uint32_t a = page_addr[p] + i;
          wr(&a, 4);
          wr(&v, 1);
        }
      }
    if (has_fx) {
      /* 288..511 (xmm8-15, reserved, available): fxsave outside 64-bit mode leaves them as they
       * were, the signal frame has the kernel's software bytes there; zero for a stable output */
      memset(out_fx + 288, 0, 512 - 288);
      if (fx_missing) { fprintf(stderr, "case %u: no FXSAVE image in the signal frame\n", idx); return 2; }
      wr(out_fx, 512);
    }
  }
  fflush(stdout);
  return 0;
}
