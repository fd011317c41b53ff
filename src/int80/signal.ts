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
export function setupFrame(cpu: CPU, s: PendingSignal, trampoline: number): boolean {
  const rt = (s.flags & SA_SIGINFO) !== 0;
  const size = (rt ? RT_SIGFRAME.size : SIGFRAME.size) + FPSTATE_SIZE;
  let sp = (cpu.regs[ESP]! >>> 0) - size;
  sp = ((sp + 4) & ~15) - 4; // the handler sees (esp + 4) 16-byte aligned, as Linux's align_sigframe
  sp >>>= 0;
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
    const uc = RT_SIGFRAME.uc;
    writeContext(cpu, v, uc + UCONTEXT.mcontext, 0, oldLo, fpAddr);
    v.setUint32(uc + UCONTEXT.ss_flags, 2, true); // SS_DISABLE: no alternate stack
    v.setUint32(uc + UCONTEXT.sigmask, oldLo, true);
    v.setUint32(uc + UCONTEXT.sigmask + 4, oldHi, true);
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
export function sigreturn(cpu: CPU, rt: boolean): Uint8Array | null {
  const esp = cpu.regs[ESP]! >>> 0;
  // At sigreturn (119) the restorer popped pretcode and, for the non-RT frame, the signal number too.
  const frame = rt ? esp - 4 : esp - 8;
  const ctx = rt ? frame + RT_SIGFRAME.uc + UCONTEXT.mcontext : frame + SIGFRAME.sc;
  let sc: Uint8Array;
  let mask: Uint8Array = new Uint8Array(8);
  try {
    sc = cpu.mem.readBytes(ctx >>> 0, SIGCONTEXT_SIZE);
    if (rt) mask = cpu.mem.readBytes((frame + RT_SIGFRAME.uc + UCONTEXT.sigmask) >>> 0, 8);
    else {
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
