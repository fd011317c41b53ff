/*
 * Native x87 probe: runs one x87 instruction per record on the real CPU and reports the
 * resulting state. Build: gcc -m32 -O1 -o probe probe.c
 *
 * stdin records (228 bytes): 108-byte fnsave image loaded with frstor, 112 bytes of memory
 * operand, opcode byte (D8..DF), modrm byte (memory forms use mod=0 rm=0, i.e. [eax]),
 * operand-size prefix flag (1: 66h, the 16-bit fnstenv/fldenv/fnsave/frstor forms), pad byte,
 * 4-byte EFLAGS value set before the instruction.
 * stdout records (236 bytes): 108-byte fnsave image after the instruction, 112 bytes of memory,
 * EAX, EFLAGS after, signal number (0 if none), si_code.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef void (*stub_fn)(void *state, void *mem, uint32_t *io);

static sigjmp_buf jb;
static volatile int got_sig, got_code;

static void on_sig(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got_sig = sig;
  got_code = si->si_code;
  siglongjmp(jb, 1);
}

int main(void) {
  unsigned char *code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) { perror("mmap"); return 1; }
  static const unsigned char pre[] = {
    0x60,                   /* pushad */
    0x8b, 0x4c, 0x24, 0x24, /* mov ecx,[esp+36] state */
    0x8b, 0x44, 0x24, 0x28, /* mov eax,[esp+40] mem */
    0x8b, 0x54, 0x24, 0x2c, /* mov edx,[esp+44] io */
    0xff, 0x32,             /* push dword [edx] */
    0x9d,                   /* popfd */
    0xdd, 0x21,             /* frstor [ecx] */
  };
  static const unsigned char post[] = {
    0xdd, 0x31,             /* fnsave [ecx] */
    0x9c,                   /* pushfd */
    0x8f, 0x42, 0x08,       /* pop dword [edx+8] */
    0x89, 0x42, 0x04,       /* mov [edx+4],eax */
    0x61,                   /* popad */
    0xc3,                   /* ret */
  };
  memcpy(code, pre, sizeof pre);
  unsigned char *insn = code + sizeof pre;
  memcpy(insn + 3, post, sizeof post);
  stub_fn fn = (stub_fn)code;

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sig;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGFPE, &sa, 0);
  sigaction(SIGILL, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);

  unsigned char rec[228];
  static unsigned char state[108] __attribute__((aligned(16)));
  static unsigned char mem[112] __attribute__((aligned(16)));
  while (fread(rec, 1, sizeof rec, stdin) == sizeof rec) {
    uint32_t io[3];
    memcpy(state, rec, 108);
    memcpy(mem, rec + 108, 112);
    insn[0] = rec[222] ? 0x66 : 0x90; /* prefix or nop */
    insn[1] = rec[220];
    insn[2] = rec[221];
    memcpy(&io[0], rec + 224, 4);
    io[1] = 0; io[2] = 0;
    got_sig = 0; got_code = 0;
    if (sigsetjmp(jb, 1) == 0) {
      fn(state, mem, io);
    } else {
      __asm__ volatile("fninit");
      memset(state, 0, sizeof state);
    }
    unsigned char out[236];
    memcpy(out, state, 108);
    memcpy(out + 108, mem, 112);
    memcpy(out + 220, &io[1], 4);
    memcpy(out + 224, &io[2], 4);
    int32_t s = got_sig, c = got_code;
    memcpy(out + 228, &s, 4);
    memcpy(out + 232, &c, 4);
    fwrite(out, 1, sizeof out, stdout);
  }
  return 0;
}
