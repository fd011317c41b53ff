// Signal frames on the guest stack, as arch/x86 builds them for i386
// programs (asm/sigframe.h, uapi/asm/sigcontext.h), and sigreturn. The
// kernel decides what is delivered and keeps the masks; the RTOS owns the
// CPU state, so it writes and reads the frames.
//
// The FPU/SSE state is Linux 6.1's on an FXSR CPU without XSAVE (the modelled
// Nehalem has none), for an ia32 task on an x86-64 kernel, the machine the
// golden runs come from (arch/x86/kernel/fpu/signal.c, ia32/ia32_signal.c):
//  - get_sigframe / fpu__alloc_mathframe: the 512-byte FXSAVE image goes
//    64-byte aligned right below the stack top, the 112-byte fsave header
//    under it (sc.fpstate points there), the frame under that with (sp + 4)
//    16-byte aligned;
//  - copy_fpstate_to_sigframe: the FXSAVE image, the header from it
//    (convert_from_fxsr: fcs = the user CS, fos = DS | 0xffff0000 on x86-64),
//    status = FSW, magic = X86_FXSR_MAGIC (0), and save_sw_bytes writes its
//    _fpx_sw_bytes into sw_reserved even without XSAVE: FP_XSTATE_MAGIC1,
//    xstate_size 512, extended_size 512 + 4 + 112, xfeatures 0;
//  - handle_signal -> fpu__clear_user_states: the handler starts from
//    init_fpstate (FCW 0x37f, MXCSR 0x1f80, x87 empty, st and xmm zero);
//  - __fpu_restore_sig: MXCSR and xmm from the FXSAVE image, the x87 state
//    from the header (convert_to_fxsr); reserved MXCSR bits (beyond
//    mxcsr_feature_mask) make sigreturn fail with SIGSEGV on x86-64 (an i386
//    kernel masks them); a NULL fpstate resets the FPU to init_fpstate.

import { CPU, EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP, ES, CS, SS, DS, FS, GS } from '../cpu/cpu.js';
import { FXSAVE_SIZE, MXCSR_DEFAULT, fxrstorImage, fxsaveImage } from '../cpu/simd.js';

/** struct sigcontext_32: [field, offset]; 32-bit fields unless marked 16. */
export const SIGCONTEXT_32 = {
  gs: 0, fs: 4, es: 8, ds: 12, di: 16, si: 20, bp: 24, sp: 28, bx: 32, dx: 36, cx: 40, ax: 44,
  trapno: 48, err: 52, ip: 56, cs: 60, flags: 64, sp_at_signal: 68, ss: 72, fpstate: 76, oldmask: 80, cr2: 84,
} as const;
export const SIGCONTEXT_SIZE = 88;
/**
 * struct _fpstate_32: the fsave-format header (user_i387_ia32_struct: cw sw tag ipoff cssel
 * dataoff datasel, _st[8] of 10 bytes; then status, magic), then at `fxsr` the FXSAVE image
 * (struct fxregs_state: _fxsr_env[6], mxcsr, reserved = MXCSR_MASK, _fxsr_st[8], _xmm[8],
 * padding, sw_reserved).
 */
export const FPSTATE_32 = {
  cw: 0, sw: 4, tag: 8, ipoff: 12, cssel: 16, dataoff: 20, datasel: 24, st: 28, status: 108, magic: 110,
  fxsr: 112, mxcsr: 112 + 24, xmm: 112 + 160, sw_reserved: 112 + 464, size: 112 + FXSAVE_SIZE,
} as const;
/** Size of the fsave header, which the 64-byte aligned FXSAVE image follows. */
export const FSAVE_HEADER_SIZE = FPSTATE_32.fxsr;
/** struct _fpx_sw_bytes (in sw_reserved) */
export const FPX_SW_BYTES = { magic1: 0, extended_size: 4, xfeatures: 8, xstate_size: 16, size: 48 } as const;
export const FP_XSTATE_MAGIC1 = 0x46505853, FP_XSTATE_MAGIC2_SIZE = 4, X86_FXSR_MAGIC = 0;
/** struct sigframe_ia32: pretcode, sig, sc, fpstate_unused (a whole _fpstate_32, kept so extramask stays put), extramask[1], retcode[8]. */
export const SIGFRAME = { pretcode: 0, sig: 4, sc: 8, extramask: 8 + SIGCONTEXT_SIZE + FPSTATE_32.size, retcode: 8 + SIGCONTEXT_SIZE + FPSTATE_32.size + 4, size: 8 + SIGCONTEXT_SIZE + FPSTATE_32.size + 4 + 8 } as const;
/** struct rt_sigframe_ia32: pretcode, sig, pinfo, puc, info (128), uc (ucontext_ia32), retcode[8]. */
export const UCONTEXT = { flags: 0, link: 4, ss_sp: 8, ss_flags: 12, ss_size: 16, mcontext: 20, sigmask: 20 + SIGCONTEXT_SIZE, size: 20 + SIGCONTEXT_SIZE + 8 } as const;
export const RT_SIGFRAME = { pretcode: 0, sig: 4, pinfo: 8, puc: 12, info: 16, uc: 16 + 128, retcode: 16 + 128 + UCONTEXT.size, size: 16 + 128 + UCONTEXT.size + 8 } as const;

export const SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000, SA_RESTORER = 0x04000000;

export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 0x80000000;
const MINSIGSTKSZ = 2048;

/**
 * The alternate signal stack of a thread (sigaltstack). It lives here, not in
 * the kernel, because every rule about it depends on the user stack pointer,
 * which only the RTOS knows; the rules are Linux's (kernel/signal.c).
 */
export class AltStack {
  sp = 0;
  size = 0;
  flags = SS_DISABLE;

  /** __on_sig_stack: esp within the stack (it grows down from sp + size). */
  within(esp: number): boolean {
    const sp = esp >>> 0;
    return sp > this.sp && sp - this.sp <= this.size;
  }

  /** on_sig_stack: an SS_AUTODISARM stack never counts as in use. */
  onStack(esp: number): boolean {
    return !(this.flags & SS_AUTODISARM) && this.within(esp);
  }

  /** sas_ss_flags(sp): what the stack is for code running at esp. */
  flagsAt(esp: number): number {
    if (!this.size) return SS_DISABLE;
    return this.onStack(esp) ? SS_ONSTACK : 0;
  }

  /** The stack_t sigaltstack(2) and uc_stack report. */
  report(esp: number): { sp: number; flags: number; size: number } {
    return { sp: this.sp, flags: (this.flagsAt(esp) | (this.flags & SS_AUTODISARM)) >>> 0, size: this.size };
  }

  /** sigaltstack(2)'s change: 0 or -errno. */
  set(sp: number, flags: number, size: number, esp: number): number {
    const mode = flags & ~SS_AUTODISARM;
    if (this.onStack(esp)) return -1; // EPERM
    if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -22;
    if (mode === SS_DISABLE) {
      sp = 0;
      size = 0;
    } else if (size >>> 0 < MINSIGSTKSZ) return -12; // ENOMEM
    this.sp = sp >>> 0;
    this.size = size >>> 0;
    this.flags = flags >>> 0;
    return 0;
  }

  reset(): void {
    this.sp = 0;
    this.size = 0;
    this.flags = SS_DISABLE;
  }

  copy(): AltStack {
    const a = new AltStack();
    a.sp = this.sp; a.size = this.size; a.flags = this.flags;
    return a;
  }
}

/** A caught signal the kernel handed over, to be set up when the guest resumes. */
export interface PendingSignal {
  sig: number;
  /** user siginfo_t, 128 bytes */
  info: Uint8Array;
  handler: number;
  flags: number;
  restorer: number;
  /** the blocked mask to restore at sigreturn (8 bytes) */
  oldmask: Uint8Array;
}

/** The flags sigreturn may restore (FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF. */
const FIX_EFLAGS = 0x00040000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;

/**
 * What sigcontext reports of the thread's last trap (Linux's thread.trap_nr, error_code and cr2):
 * set by the faults that raise a signal, kept across other signals and execve, copied by clone.
 */
export class TrapInfo {
  trapno = 0;
  err = 0;
  cr2 = 0;

  /** A CPU fault stop: its trap number and error code; a page fault also its address. */
  record(f: { trapno: number; errorCode: number; addr: number }): void {
    this.trapno = f.trapno;
    this.err = f.errorCode;
    if (f.trapno === 14) this.cr2 = f.addr >>> 0;
  }

  copy(): TrapInfo {
    const t = new TrapInfo();
    t.trapno = this.trapno; t.err = this.err; t.cr2 = this.cr2;
    return t;
  }
}

function writeContext(cpu: CPU, b: DataView, o: number, trap: TrapInfo, oldmaskLo: number, fpstate: number): void {
  const r = cpu.regs, s = cpu.segs;
  const put = (f: keyof typeof SIGCONTEXT_32, v: number) => b.setUint32(o + SIGCONTEXT_32[f], v >>> 0, true);
  put('gs', s[GS]!); put('fs', s[FS]!); put('es', s[ES]!); put('ds', s[DS]!);
  put('di', r[EDI]!); put('si', r[ESI]!); put('bp', r[EBP]!); put('sp', r[ESP]!);
  put('bx', r[EBX]!); put('dx', r[EDX]!); put('cx', r[ECX]!); put('ax', r[EAX]!);
  put('trapno', trap.trapno); put('err', trap.err); put('ip', cpu.eip); put('cs', s[CS]!);
  put('flags', cpu.getEflags()); put('sp_at_signal', r[ESP]!); put('ss', s[SS]!);
  put('fpstate', fpstate); put('oldmask', oldmaskLo); put('cr2', trap.cr2);
}

/** struct _fpstate_32 of the CPU's state, as copy_fpstate_to_sigframe writes it. */
export function fpstateImage(cpu: CPU): Uint8Array {
  const F = FPSTATE_32, W = FPX_SW_BYTES;
  const b = new Uint8Array(F.size);
  const v = new DataView(b.buffer);
  fxsaveImage(cpu, b.subarray(F.fxsr));
  // the header (convert_from_fxsr): the fnsave layout, with an x86-64 kernel's selectors
  b.set(cpu.fpu.save().subarray(0, F.status));
  v.setUint32(F.cssel, cpu.segs[CS]!, true);
  v.setUint32(F.datasel, (cpu.segs[DS]! | 0xffff0000) >>> 0, true);
  v.setUint16(F.status, v.getUint16(F.sw, true), true);
  v.setUint16(F.magic, X86_FXSR_MAGIC, true);
  // save_sw_bytes, written whenever the CPU has FXSR
  const sw = F.sw_reserved;
  v.setUint32(sw + W.magic1, FP_XSTATE_MAGIC1, true);
  v.setUint32(sw + W.extended_size, FXSAVE_SIZE + FP_XSTATE_MAGIC2_SIZE + FSAVE_HEADER_SIZE, true);
  v.setBigUint64(sw + W.xfeatures, 0n, true); // user_xfeatures: only set up with XSAVE
  v.setUint32(sw + W.xstate_size, FXSAVE_SIZE, true);
  return b;
}

/** Linux's init_fpstate on an FXSR CPU without XSAVE: FCW 0x37f, MXCSR 0x1f80, everything else zero. */
const INIT_FXSAVE = (() => {
  const b = new Uint8Array(FXSAVE_SIZE);
  const v = new DataView(b.buffer);
  v.setUint16(0, 0x37f, true);
  v.setUint32(24, MXCSR_DEFAULT, true);
  return b;
})();

/**
 * The FPU/SSE state a new program (fpu_flush_thread at execve) and a signal handler
 * (fpu__clear_user_states) start with: init_fpstate, so x87 empty, st, mm and xmm zero.
 */
export function initFpu(cpu: CPU): void {
  fxrstorImage(cpu, INIT_FXSAVE);
}

/** fpu__restore_sig for an ia32 frame: false (FPU left in its init state) when sigreturn must fail. */
function restoreFpstate(cpu: CPU, fp: number): boolean {
  if (!fp) {
    initFpu(cpu);
    return true;
  }
  let img: Uint8Array;
  try {
    img = cpu.mem.readBytes(fp, FPSTATE_32.size);
  } catch {
    initFpu(cpu);
    return false;
  }
  // MXCSR and xmm from the FXSAVE image (rejected with reserved MXCSR bits), the x87 state from the header
  if (!fxrstorImage(cpu, img.subarray(FPSTATE_32.fxsr))) {
    initFpu(cpu);
    return false;
  }
  cpu.fpu.restore(img.subarray(0, FPSTATE_32.status));
  return true;
}

/**
 * Write the frame for p on the current stack and point the CPU at the
 * handler. `trampoline` holds sigreturn code for handlers without a
 * restorer. Returns false when the stack cannot take the frame.
 */
export function setupFrame(cpu: CPU, s: PendingSignal, trampoline: number, alt: AltStack, trap: TrapInfo = new TrapInfo()): boolean {
  const rt = (s.flags & SA_SIGINFO) !== 0;
  const size = rt ? RT_SIGFRAME.size : SIGFRAME.size;
  const esp = cpu.regs[ESP]! >>> 0;
  const uc = alt.report(esp);
  // SA_ONSTACK switches to the alternate stack unless already on it (or it is disabled)
  const switching = (s.flags & SA_ONSTACK) !== 0 && alt.flagsAt(esp) === 0;
  const nested = alt.onStack(esp);
  const top = switching ? alt.sp + alt.size : esp;
  // fpu__alloc_mathframe: the FXSAVE image 64-byte aligned, the fsave header below it
  const fpAddr = (((top - FXSAVE_SIZE) & ~63) - FSAVE_HEADER_SIZE) >>> 0;
  let sp = fpAddr - size;
  sp = ((sp + 4) & ~15) - 4; // the handler sees (esp + 4) 16-byte aligned, as Linux's align_sigframe
  sp >>>= 0;
  if ((switching || nested) && !alt.within(sp)) return false; // the frame would overflow it: SIGSEGV, as Linux
  const frame = new Uint8Array(size);
  const v = new DataView(frame.buffer);
  const oldLo = new DataView(s.oldmask.buffer, s.oldmask.byteOffset, 8).getUint32(0, true);
  const oldHi = new DataView(s.oldmask.buffer, s.oldmask.byteOffset, 8).getUint32(4, true);
  const restorer = s.flags & SA_RESTORER && s.restorer ? s.restorer : trampoline + (rt ? 8 : 0);
  v.setUint32(0, restorer, true);
  v.setUint32(4, s.sig, true);
  if (rt) {
    v.setUint32(RT_SIGFRAME.pinfo, sp + RT_SIGFRAME.info, true);
    v.setUint32(RT_SIGFRAME.puc, sp + RT_SIGFRAME.uc, true);
    frame.set(s.info.subarray(0, 128), RT_SIGFRAME.info);
    const ucx = RT_SIGFRAME.uc;
    writeContext(cpu, v, ucx + UCONTEXT.mcontext, trap, oldLo, fpAddr);
    v.setUint32(ucx + UCONTEXT.ss_sp, uc.sp, true);
    v.setUint32(ucx + UCONTEXT.ss_flags, uc.flags, true);
    v.setUint32(ucx + UCONTEXT.ss_size, uc.size, true);
    v.setUint32(ucx + UCONTEXT.sigmask, oldLo, true);
    v.setUint32(ucx + UCONTEXT.sigmask + 4, oldHi, true);
    frame.set([0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0], RT_SIGFRAME.retcode); // mov $173,%eax; int $0x80
  } else {
    writeContext(cpu, v, SIGFRAME.sc, trap, oldLo, fpAddr);
    v.setUint32(SIGFRAME.extramask, oldHi, true);
    frame.set([0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80], SIGFRAME.retcode); // pop %eax; mov $119,%eax; int $0x80
  }
  try {
    // nothing is written unless both fit (the bytes between them stay as they are)
    cpu.mem.checkWrite(fpAddr, FPSTATE_32.size);
    cpu.mem.checkWrite(sp, size);
    cpu.mem.writeBytes(fpAddr, fpstateImage(cpu));
    cpu.mem.writeBytes(sp, frame);
  } catch {
    return false;
  }
  if (alt.flags & SS_AUTODISARM) alt.reset(); // until sigreturn puts uc_stack back
  initFpu(cpu);
  cpu.regs[ESP] = sp;
  cpu.eip = s.handler >>> 0;
  cpu.regs[EAX] = s.sig;
  if (rt) {
    cpu.regs[EDX] = sp + RT_SIGFRAME.info;
    cpu.regs[ECX] = sp + RT_SIGFRAME.uc;
  } else {
    cpu.regs[EDX] = 0;
    cpu.regs[ECX] = 0;
  }
  cpu.setEflags(cpu.getEflags() & ~(0x100 | 0x400 | 0x40000)); // TF, DF, AC cleared for the handler
  return true;
}

/** What sigreturn found: the blocked mask to reinstate (null: the frame could not be read) and whether the context was restored. */
export interface SigreturnResult {
  mask: Uint8Array | null;
  ok: boolean;
}

/**
 * Restore the CPU from a frame. As Linux, the mask is reinstated even when the
 * context then turns out bad (its general registers restored, a bad fpstate):
 * then `ok` is false and the caller raises SIGSEGV.
 */
export function sigreturn(cpu: CPU, rt: boolean, alt: AltStack): SigreturnResult {
  const esp = cpu.regs[ESP]! >>> 0;
  // At sigreturn (119) the restorer popped pretcode and, for the non-RT frame, the signal number too.
  const frame = rt ? esp - 4 : esp - 8;
  const ctx = rt ? frame + RT_SIGFRAME.uc + UCONTEXT.mcontext : frame + SIGFRAME.sc;
  let sc: Uint8Array;
  let mask: Uint8Array = new Uint8Array(8);
  try {
    if (rt) {
      mask = cpu.mem.readBytes((frame + RT_SIGFRAME.uc + UCONTEXT.sigmask) >>> 0, 8);
    } else {
      const lo = cpu.mem.readBytes((ctx + SIGCONTEXT_32.oldmask) >>> 0, 4);
      const hi = cpu.mem.readBytes((frame + SIGFRAME.extramask) >>> 0, 4);
      mask.set(lo, 0);
      mask.set(hi, 4);
    }
  } catch {
    return { mask: null, ok: false };
  }
  let ucStack: DataView | null = null;
  try {
    sc = cpu.mem.readBytes(ctx >>> 0, SIGCONTEXT_SIZE);
    if (rt) ucStack = new DataView(cpu.mem.readBytes((frame + RT_SIGFRAME.uc + UCONTEXT.ss_sp) >>> 0, 12).buffer);
  } catch {
    return { mask, ok: false };
  }
  const v = new DataView(sc.buffer);
  const get = (f: keyof typeof SIGCONTEXT_32) => v.getUint32(SIGCONTEXT_32[f], true);
  const r = cpu.regs;
  r[EDI] = get('di'); r[ESI] = get('si'); r[EBP] = get('bp'); r[ESP] = get('sp');
  r[EBX] = get('bx'); r[EDX] = get('dx'); r[ECX] = get('cx'); r[EAX] = get('ax');
  cpu.eip = get('ip') >>> 0;
  cpu.setEflags((cpu.getEflags() & ~FIX_EFLAGS) | (get('flags') & FIX_EFLAGS));
  if (!restoreFpstate(cpu, get('fpstate'))) return { mask, ok: false };
  // restore_altstack, judged at the restored stack pointer; its errors (EPERM while on the stack) are ignored, as Linux
  if (ucStack) alt.set(ucStack.getUint32(0, true), ucStack.getUint32(4, true), ucStack.getUint32(8, true), r[ESP]!);
  return { mask, ok: true };
}
