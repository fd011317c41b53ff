// Every struct that crosses between i386 programs and the kernel, declared
// once as data: the i386 layouts programs use (arch/x86/include/uapi/asm,
// include/uapi/linux) and the generic 32-bit ones lkl.wasm serves, with the
// header each comes from. Read and write them with getUser/putUser and
// Struct.decode/encode (struct.ts); a new conversion adds its layout here.
import { FXSAVE_SIZE } from '../cpu/simd.js';
import { bytes, s16, s32, s64, struct, u16, u32, u64, u8 } from './struct.js';

// Kept so each section may use any field type without touching the imports.
void [bytes, s16, s32, s64, u16, u32, u64, u8];

// ---- files: stat, statx, directories, locks, statfs (fs.ts, compat.ts, filemap.ts)

// ---- memory: mmap arguments, mincore (mm.ts)

// ---- SysV IPC (ipc.ts)

// ---- sockets, poll, select, epoll (net.ts)

// ---- signals: sigaction, sigaltstack, siginfo, sigcontext, frames (signal.ts)

/** The i386 struct sigaction of rt_sigaction (handler, flags, restorer, 8-byte mask): programs' view. */
export const SIGACTION = struct('sigaction', 20, { handler: u32(0), flags: u32(4), restorer: u32(8), mask: bytes(12, 8) });
/** struct old_sigaction of sigaction(67): handler, a 4-byte mask, flags, restorer. */
export const OLD_SIGACTION = struct('old_sigaction', 16, { handler: u32(0), mask: u32(4), flags: u32(8), restorer: u32(12) });
/** The generic struct sigaction lkl.wasm serves (no sa_restorer on an arch without SA_RESTORER). */
export const KSIGACTION = struct('kernel sigaction', 16, { handler: u32(0), flags: u32(4), mask: bytes(8, 8) });
/** sigset_t of the rt_ calls: 64 signals. */
export const SIGSET = struct('sigset_t', 8, { lo: u32(0), hi: u32(4) });
/** The old 4-byte sigset (sigprocmask 126, sigpending 73, the sigcontext's oldmask). */
export const OLD_SIGSET = struct('old_sigset_t', 4, { lo: u32(0) });
/** stack_t (sigaltstack, uc_stack). */
export const STACK_T = struct('stack_t', 12, { sp: u32(0), flags: u32(4), size: u32(8) });
/** siginfo_t, 128 bytes: the head every signal has, and _sigfault's address (CPU faults). */
export const SIGINFO = struct('siginfo_t', 128, { signo: s32(0), errno: s32(4), code: s32(8), addr: u32(12) });

/** struct sigcontext_32 (uapi/asm/sigcontext.h). */
export const SIGCONTEXT_32 = struct('sigcontext_32', 88, {
  gs: u32(0), fs: u32(4), es: u32(8), ds: u32(12), di: u32(16), si: u32(20), bp: u32(24), sp: u32(28),
  bx: u32(32), dx: u32(36), cx: u32(40), ax: u32(44), trapno: u32(48), err: u32(52), ip: u32(56),
  cs: u32(60), flags: u32(64), sp_at_signal: u32(68), ss: u32(72), fpstate: u32(76), oldmask: u32(80), cr2: u32(84),
});
/**
 * struct _fpstate_32: the fsave-format header (user_i387_ia32_struct: cw sw
 * tag ipoff cssel dataoff datasel, _st[8] of 10 bytes; then status, magic),
 * then at `fxsr` the FXSAVE image with its sw_reserved bytes.
 */
export const FPSTATE_32 = struct('_fpstate_32', 112 + FXSAVE_SIZE, {
  cw: u32(0), sw: u32(4), tag: u32(8), ipoff: u32(12), cssel: u32(16), dataoff: u32(20), datasel: u32(24),
  st: bytes(28, 80), status: u16(108), magic: u16(110),
  fxsr: bytes(112, FXSAVE_SIZE), mxcsr: u32(112 + 24), xmm: bytes(112 + 160, 128),
  sw_reserved: bytes(112 + 464, 48),
});
/** Size of the fsave header, which the 64-byte aligned FXSAVE image follows. */
export const FSAVE_HEADER_SIZE = FPSTATE_32.fields.fxsr.off;
/** struct _fpx_sw_bytes, in sw_reserved. */
export const FPX_SW_BYTES = struct('_fpx_sw_bytes', 48, { magic1: u32(0), extended_size: u32(4), xfeatures: u64(8), xstate_size: u32(16) });
/** struct ucontext_ia32: flags, link, uc_stack, the sigcontext, the 8-byte mask. */
export const UCONTEXT = struct('ucontext_ia32', 20 + SIGCONTEXT_32.size + 8, {
  flags: u32(0), link: u32(4), stack: bytes(8, STACK_T.size), mcontext: bytes(20, SIGCONTEXT_32.size),
  sigmask: bytes(20 + SIGCONTEXT_32.size, 8),
});
/**
 * struct sigframe_ia32: pretcode, sig, sc, fpstate_unused (a whole
 * _fpstate_32, kept so extramask stays put), extramask[1], retcode[8].
 */
export const SIGFRAME = struct('sigframe_ia32', 8 + SIGCONTEXT_32.size + FPSTATE_32.size + 4 + 8, {
  pretcode: u32(0), sig: u32(4), sc: bytes(8, SIGCONTEXT_32.size),
  extramask: u32(8 + SIGCONTEXT_32.size + FPSTATE_32.size), retcode: bytes(8 + SIGCONTEXT_32.size + FPSTATE_32.size + 4, 8),
});
/** struct rt_sigframe_ia32: pretcode, sig, pinfo, puc, info (128), uc, retcode[8]. */
export const RT_SIGFRAME = struct('rt_sigframe_ia32', 16 + SIGINFO.size + UCONTEXT.size + 8, {
  pretcode: u32(0), sig: u32(4), pinfo: u32(8), puc: u32(12), info: bytes(16, SIGINFO.size),
  uc: bytes(16 + SIGINFO.size, UCONTEXT.size), retcode: bytes(16 + SIGINFO.size + UCONTEXT.size, 8),
});

// ---- processes: clone_args, utsname, user_desc, rusage (proc.ts, exec.ts)

/**
 * struct user_desc (set_thread_area, get_thread_area, modify_ldt): three
 * words, then a word of flag bitfields (USER_DESC_BITS).
 */
export const USER_DESC = struct('user_desc', 16, { entry_number: s32(0), base_addr: u32(4), limit: u32(8), bits: u32(12) });
/** The bitfields of user_desc's fourth word: [name, bit, width]. */
export const USER_DESC_BITS = [
  ['seg_32bit', 0, 1], ['contents', 1, 2], ['read_exec_only', 3, 1], ['limit_in_pages', 4, 1],
  ['seg_not_present', 5, 1], ['useable', 6, 1],
] as const;
/** struct clone_args of clone3 (linux/sched.h), up to cgroup: CLONE_ARGS_SIZE_VER2. */
export const CLONE_ARGS = struct('clone_args', 88, {
  flags: u64(0), pidfd: u64(8), child_tid: u64(16), parent_tid: u64(24), exit_signal: u64(32),
  stack: u64(40), stack_size: u64(48), tls: u64(56), set_tid: u64(64), set_tid_size: u64(72), cgroup: u64(80),
});
/** struct new_utsname: six fields of 65 bytes (old_utsname has the first five, oldold_utsname five of 9). */
export const UTS_LEN = 65;
export const NEW_UTSNAME = struct('new_utsname', 6 * UTS_LEN, {
  sysname: bytes(0, UTS_LEN), nodename: bytes(UTS_LEN, UTS_LEN), release: bytes(2 * UTS_LEN, UTS_LEN),
  version: bytes(3 * UTS_LEN, UTS_LEN), machine: bytes(4 * UTS_LEN, UTS_LEN), domainname: bytes(5 * UTS_LEN, UTS_LEN),
});

/** Elf32_Ehdr (the identification bytes as fields; e_ident's padding left out). */
export const ELF32_EHDR = struct('Elf32_Ehdr', 52, {
  ei_mag0: u8(0), ei_mag1: u8(1), ei_mag2: u8(2), ei_mag3: u8(3), ei_class: u8(4), ei_data: u8(5),
  ei_version: u8(6), ei_osabi: u8(7), e_type: u16(16), e_machine: u16(18), e_version: u32(20),
  e_entry: u32(24), e_phoff: u32(28), e_shoff: u32(32), e_flags: u32(36), e_ehsize: u16(40),
  e_phentsize: u16(42), e_phnum: u16(44), e_shentsize: u16(46), e_shnum: u16(48), e_shstrndx: u16(50),
});
/** Elf32_Phdr. */
export const ELF32_PHDR = struct('Elf32_Phdr', 32, {
  p_type: u32(0), p_offset: u32(4), p_vaddr: u32(8), p_paddr: u32(12), p_filesz: u32(16),
  p_memsz: u32(20), p_flags: u32(24), p_align: u32(28),
});

export { struct };
