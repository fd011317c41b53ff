// Signal frames on the guest stack, as arch/x86 builds them for i386
// programs (asm/sigframe.h, uapi/asm/sigcontext.h), and sigreturn. The
// kernel decides what is delivered and keeps the masks; the RTOS owns the
// CPU state, so it writes and reads the frames.

import { CPU, EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP, ES, CS, SS, DS, FS, GS } from '../cpu/cpu.js';

/** struct sigcontext_32: [field, offset]; 32-bit fields unless marked 16. */
export const SIGCONTEXT_32 = {
  gs: 0, fs: 4, es: 8, ds: 12, di: 16, si: 20, bp: 24, sp: 28, bx: 32, dx: 36, cx: 40, ax: 44,
  trapno: 48, err: 52, ip: 56, cs: 60, flags: 64, sp_at_signal: 68, ss: 72, fpstate: 76, oldmask: 80, cr2: 84,
} as const;
export const SIGCONTEXT_SIZE = 88;
/** struct _fpstate_32 without FXSR: the fnsave image (108 bytes), status, magic 0xffff. */
export const FPSTATE_SIZE = 112;
/** struct sigframe_ia32: pretcode, sig, sc, fpstate_unused (112), extramask[1], retcode[8]. */
export const SIGFRAME = { pretcode: 0, sig: 4, sc: 8, extramask: 8 + SIGCONTEXT_SIZE + FPSTATE_SIZE, retcode: 8 + SIGCONTEXT_SIZE + FPSTATE_SIZE + 4, size: 8 + SIGCONTEXT_SIZE + FPSTATE_SIZE + 4 + 8 } as const;
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

function writeContext(cpu: CPU, b: DataView, o: number, trapno: number, oldmaskLo: number, fpstate: number): void {
  const r = cpu.regs, s = cpu.segs;
  const put = (f: keyof typeof SIGCONTEXT_32, v: number) => b.setUint32(o + SIGCONTEXT_32[f], v >>> 0, true);
  put('gs', s[GS]!); put('fs', s[FS]!); put('es', s[ES]!); put('ds', s[DS]!);
  put('di', r[EDI]!); put('si', r[ESI]!); put('bp', r[EBP]!); put('sp', r[ESP]!);
  put('bx', r[EBX]!); put('dx', r[EDX]!); put('cx', r[ECX]!); put('ax', r[EAX]!);
  put('trapno', trapno); put('err', 0); put('ip', cpu.eip); put('cs', s[CS]!);
  put('flags', cpu.getEflags()); put('sp_at_signal', r[ESP]!); put('ss', s[SS]!);
  put('fpstate', fpstate); put('oldmask', oldmaskLo); put('cr2', 0);
}

function fpImage(cpu: CPU): Uint8Array {
  const b = new Uint8Array(FPSTATE_SIZE);
  const img = cpu.fpu.save();
  b.set(img.subarray(0, 108));
  const v = new DataView(b.buffer);
  v.setUint16(108, v.getUint16(4, true), true); // status
  v.setUint16(110, 0xffff, true); // magic: no FXSR data
  return b;
}

/**
 * Write the frame for p on the current stack and point the CPU at the
 * handler. `trampoline` holds sigreturn code for handlers without a
 * restorer. Returns false when the stack cannot take the frame.
 */
export function setupFrame(cpu: CPU, s: PendingSignal, trampoline: number, alt: AltStack): boolean {
  const rt = (s.flags & SA_SIGINFO) !== 0;
  const size = (rt ? RT_SIGFRAME.size : SIGFRAME.size) + FPSTATE_SIZE;
  const esp = cpu.regs[ESP]! >>> 0;
  const uc = alt.report(esp);
  // SA_ONSTACK switches to the alternate stack unless already on it (or it is disabled)
  const switching = (s.flags & SA_ONSTACK) !== 0 && alt.flagsAt(esp) === 0;
  const nested = alt.onStack(esp);
  let sp = (switching ? alt.sp + alt.size : esp) - size;
  sp = ((sp + 4) & ~15) - 4; // the handler sees (esp + 4) 16-byte aligned, as Linux's align_sigframe
  sp >>>= 0;
  if ((switching || nested) && !alt.within(sp)) return false; // the frame would overflow it: SIGSEGV, as Linux
  const fpAddr = (sp + (rt ? RT_SIGFRAME.size : SIGFRAME.size)) >>> 0;
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
    writeContext(cpu, v, ucx + UCONTEXT.mcontext, 0, oldLo, fpAddr);
    v.setUint32(ucx + UCONTEXT.ss_sp, uc.sp, true);
    v.setUint32(ucx + UCONTEXT.ss_flags, uc.flags, true);
    v.setUint32(ucx + UCONTEXT.ss_size, uc.size, true);
    v.setUint32(ucx + UCONTEXT.sigmask, oldLo, true);
    v.setUint32(ucx + UCONTEXT.sigmask + 4, oldHi, true);
    frame.set([0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0], RT_SIGFRAME.retcode); // mov $173,%eax; int $0x80
  } else {
    writeContext(cpu, v, SIGFRAME.sc, 0, oldLo, fpAddr);
    v.setUint32(SIGFRAME.extramask, oldHi, true);
    frame.set([0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80], SIGFRAME.retcode); // pop %eax; mov $119,%eax; int $0x80
  }
  frame.set(fpImage(cpu), size - FPSTATE_SIZE);
  try {
    cpu.mem.writeBytes(sp, frame);
  } catch {
    return false;
  }
  if (alt.flags & SS_AUTODISARM) alt.reset(); // until sigreturn puts uc_stack back
  cpu.fpu.reset();
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

/** Restore the CPU from a frame; returns the blocked mask to reinstate (8 bytes) or null on a bad frame. */
export function sigreturn(cpu: CPU, rt: boolean, alt: AltStack): Uint8Array | null {
  const esp = cpu.regs[ESP]! >>> 0;
  // At sigreturn (119) the restorer popped pretcode and, for the non-RT frame, the signal number too.
  const frame = rt ? esp - 4 : esp - 8;
  const ctx = rt ? frame + RT_SIGFRAME.uc + UCONTEXT.mcontext : frame + SIGFRAME.sc;
  let sc: Uint8Array;
  let mask: Uint8Array = new Uint8Array(8);
  try {
    sc = cpu.mem.readBytes(ctx >>> 0, SIGCONTEXT_SIZE);
    if (rt) {
      mask = cpu.mem.readBytes((frame + RT_SIGFRAME.uc + UCONTEXT.sigmask) >>> 0, 8);
      // restore_altstack: errors (EPERM while on the stack) are ignored, as Linux
      const u = new DataView(cpu.mem.readBytes((frame + RT_SIGFRAME.uc + UCONTEXT.ss_sp) >>> 0, 12).buffer);
      alt.set(u.getUint32(0, true), u.getUint32(4, true), u.getUint32(8, true), esp);
    } else {
      const lo = cpu.mem.readBytes((ctx + SIGCONTEXT_32.oldmask) >>> 0, 4);
      const hi = cpu.mem.readBytes((frame + SIGFRAME.extramask) >>> 0, 4);
      mask.set(lo, 0);
      mask.set(hi, 4);
    }
  } catch {
    return null;
  }
  const v = new DataView(sc.buffer);
  const get = (f: keyof typeof SIGCONTEXT_32) => v.getUint32(SIGCONTEXT_32[f], true);
  const r = cpu.regs;
  r[EDI] = get('di'); r[ESI] = get('si'); r[EBP] = get('bp'); r[ESP] = get('sp');
  r[EBX] = get('bx'); r[EDX] = get('dx'); r[ECX] = get('cx'); r[EAX] = get('ax');
  cpu.eip = get('ip') >>> 0;
  cpu.setEflags((cpu.getEflags() & ~FIX_EFLAGS) | (get('flags') & FIX_EFLAGS));
  const fp = get('fpstate');
  if (fp) {
    try {
      cpu.fpu.restore(cpu.mem.readBytes(fp, 108));
    } catch {
      return null;
    }
  }
  return mask;
}
