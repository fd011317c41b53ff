// Signals as i386 programs see them: the sigaction family (the i386 struct
// has sa_restorer, the kernel's does not: the restorers are kept here), the
// old 4-byte-mask calls, sigaltstack, the signal frames on the guest stack
// as arch/x86 builds them (asm/sigframe.h, uapi/asm/sigcontext.h, layouts in
// layouts.ts), sigreturn, and the restart of interrupted calls. The kernel
// decides what is delivered and keeps the masks; the RTOS owns the CPU
// state, so it writes and reads the frames.
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

import { CPU, EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP, ES, CS, SS as SS_REG, DS, FS, GS } from '../cpu/cpu.js';
import { FXSAVE_SIZE, MXCSR_DEFAULT, fxrstorImage, fxsaveImage } from '../cpu/simd.js';
import { NR } from '../rtos/kernel/unistd.js';
import { E, ERESTART } from '../uapi/errno.js';
import { SA, SIG, SIG_DFL, SIG_SETMASK, SIG_UNBLOCK, SS } from '../uapi/linux.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import {
  FPSTATE_32, FPX_SW_BYTES, FSAVE_HEADER_SIZE, KSIGACTION, OLD_SIGACTION, OLD_SIGSET, RT_SIGFRAME, SIGACTION,
  SIGCONTEXT_32, SIGFRAME, SIGSET, STACK_T, UCONTEXT,
} from './layouts.js';
import { getBytes, getUser, offsets, putBytes, putUser, type Input } from './struct.js';

export const FP_XSTATE_MAGIC1 = 0x46505853, FP_XSTATE_MAGIC2_SIZE = 4, X86_FXSR_MAGIC = 0;
/** sigaltstack's smallest stack (uapi/asm/signal.h MINSIGSTKSZ). */
const MINSIGSTKSZ = 2048;

const F = offsets(FPSTATE_32), R = offsets(RT_SIGFRAME), U = offsets(UCONTEXT), SF = offsets(SIGFRAME), SC = offsets(SIGCONTEXT_32);

/**
 * What the threads of a process share of signal handling (CLONE_SIGHAND)
 * that the kernel does not keep: the sa_restorer of each handler set with
 * SA_RESTORER (the flag itself is reported back from here).
 */
export class SigHand {
  readonly restorers = new Map<number, number>();

  copy(): SigHand {
    const s = new SigHand();
    for (const [k, v] of this.restorers) s.restorers.set(k, v);
    return s;
  }
}

/** A handler as the i386 struct sigaction holds it (mask: the 8-byte sigset). */
interface Action { handler: number; flags: number; restorer: number; mask: Uint8Array }

/**
 * do_sigaction through the kernel (which keeps handler, flags and mask) and
 * the restorers here: the old action when asked for (undefined otherwise),
 * or -errno.
 */
async function doSigaction(p: Proc, sig: number, act: Action | undefined, wantOld: boolean, size = SIGSET.size): Promise<Action | undefined | number> {
  const kact = act ? KSIGACTION.encode({ handler: act.handler, flags: act.flags, mask: act.mask }) : 0;
  const kold = wantOld ? new Uint8Array(KSIGACTION.size) : 0;
  const r = await p.kb(NR.rt_sigaction, sig, kact, kold, size);
  if (r < 0) return r;
  // the kernel (no SA_RESTORER on its architecture) drops the flag: it is kept here with the restorer
  const restorer = p.sighand.restorers.get(sig);
  if (act) {
    if (act.flags & SA.RESTORER) p.sighand.restorers.set(sig, act.restorer);
    else p.sighand.restorers.delete(sig);
  }
  if (!kold) return undefined;
  const o = KSIGACTION.decode(kold);
  return { handler: o.handler, flags: o.flags | (restorer === undefined ? 0 : SA.RESTORER), restorer: restorer ?? 0, mask: o.mask };
}

/** rt_sigaction: the i386 struct sigaction (handler, flags, restorer, mask). */
async function rtSigaction(p: Proc, sig: number, act: number, old: number, size: number): Promise<number> {
  let a: Action | undefined;
  if (act) {
    const v = getUser(p.mem, act, SIGACTION);
    if (typeof v === 'number') return v;
    a = v;
  }
  const o = await doSigaction(p, sig, a, old !== 0, size);
  if (typeof o === 'number') return o;
  return o ? putUser(p.mem, old, SIGACTION, o) : 0;
}

/** sigaction (67): struct old_sigaction, a 4-byte mask. */
async function oldSigaction(p: Proc, sig: number, act: number, old: number): Promise<number> {
  let a: Action | undefined;
  if (act) {
    const v = getUser(p.mem, act, OLD_SIGACTION);
    if (typeof v === 'number') return v;
    a = { handler: v.handler, flags: v.flags, restorer: v.restorer, mask: SIGSET.encode({ lo: v.mask }) };
  }
  const o = await doSigaction(p, sig, a, old !== 0);
  if (typeof o === 'number') return o;
  return o ? putUser(p.mem, old, OLD_SIGACTION, { ...o, mask: SIGSET.decode(o.mask).lo }) : 0;
}

/** signal(sig, handler): sigaction with SA_RESETHAND|SA_NODEFER and an empty mask; returns the old handler. */
async function signal(p: Proc, sig: number, handler: number): Promise<number> {
  const o = await doSigaction(p, sig, { handler, flags: SA.RESETHAND | SA.NODEFER, restorer: 0, mask: new Uint8Array(8) }, true);
  return typeof o === 'number' ? o : o!.handler | 0;
}

/** sigprocmask (126): the old 4-byte set through rt_sigprocmask. */
async function oldSigprocmask(p: Proc, how: number, set: number, old: number): Promise<number> {
  let s: Uint8Array | number = 0;
  if (set) {
    const v = getUser(p.mem, set, OLD_SIGSET);
    if (typeof v === 'number') return v;
    s = SIGSET.encode({ lo: v.lo });
  }
  const o = new Uint8Array(SIGSET.size);
  const r = await p.kb(NR.rt_sigprocmask, how, s, old ? o : 0, SIGSET.size);
  if (r < 0 || !old) return r;
  return putUser(p.mem, old, OLD_SIGSET, { lo: SIGSET.decode(o).lo });
}

/** sgetmask/ssetmask: the first word of the blocked set (ssetmask clears the rest, as siginitset). */
async function ssetmask(p: Proc, set: number | null): Promise<number> {
  const old = new Uint8Array(SIGSET.size);
  const r = set === null
    ? await p.kb(NR.rt_sigprocmask, 0, 0, old, SIGSET.size)
    : await p.kb(NR.rt_sigprocmask, SIG_SETMASK, SIGSET.encode({ lo: set }), old, SIGSET.size);
  return r < 0 ? r : SIGSET.decode(old).lo | 0;
}

/** sigaltstack(uss, uoss) with Linux's order: read uss, change, write uoss. */
function sigaltstack(p: Proc, uss: number, uoss: number): number {
  const esp = p.cpu.regs[ESP]!;
  const old = p.altstack.report(esp);
  if (uss) {
    const ss = getUser(p.mem, uss, STACK_T);
    if (typeof ss === 'number') return ss;
    const r = p.altstack.set(ss.sp, ss.flags, ss.size, esp);
    if (r < 0) return r;
  }
  if (uoss && putUser(p.mem, uoss, STACK_T, old) < 0) return -E.EFAULT;
  return 0;
}

/**
 * The alternate signal stack of a thread (sigaltstack). It lives here, not in
 * the kernel, because every rule about it depends on the user stack pointer,
 * which only the RTOS knows; the rules are Linux's (kernel/signal.c).
 */
export class AltStack {
  sp = 0;
  size = 0;
  flags: number = SS.DISABLE;

  /** __on_sig_stack: esp within the stack (it grows down from sp + size). */
  within(esp: number): boolean {
    const sp = esp >>> 0;
    return sp > this.sp && sp - this.sp <= this.size;
  }

  /** on_sig_stack: an SS.AUTODISARM stack never counts as in use. */
  onStack(esp: number): boolean {
    return !(this.flags & SS.AUTODISARM) && this.within(esp);
  }

  /** sas_ss_flags(sp): what the stack is for code running at esp. */
  flagsAt(esp: number): number {
    if (!this.size) return SS.DISABLE;
    return this.onStack(esp) ? SS.ONSTACK : 0;
  }

  /** The stack_t sigaltstack(2) and uc_stack report. */
  report(esp: number): { sp: number; flags: number; size: number } {
    return { sp: this.sp, flags: (this.flagsAt(esp) | (this.flags & SS.AUTODISARM)) >>> 0, size: this.size };
  }

  /** sigaltstack(2)'s change: 0 or -errno. */
  set(sp: number, flags: number, size: number, esp: number): number {
    const mode = flags & ~SS.AUTODISARM;
    if (this.onStack(esp)) return -E.EPERM;
    if (mode !== SS.DISABLE && mode !== SS.ONSTACK && mode !== 0) return -E.EINVAL;
    if (mode === SS.DISABLE) {
      sp = 0;
      size = 0;
    } else if (size >>> 0 < MINSIGSTKSZ) return -E.ENOMEM;
    this.sp = sp >>> 0;
    this.size = size >>> 0;
    this.flags = flags >>> 0;
    return 0;
  }

  reset(): void {
    this.sp = 0;
    this.size = 0;
    this.flags = SS.DISABLE;
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

/** The kernel's signal import: its siginfo, its struct sigaction (with the restorer kept here) and the mask to restore. */
export function caughtSignal(sighand: SigHand, sig: number, info: Uint8Array, ksa: Uint8Array, oldmask: Uint8Array): PendingSignal {
  const k = KSIGACTION.decode(ksa);
  return { sig, info, handler: k.handler, flags: k.flags, restorer: sighand.restorers.get(sig) ?? 0, oldmask };
}

/**
 * A system call's result into eax; a -ERESTART* result restarts the call
 * (eip back over `int 0x80`) or becomes EINTR, as Linux's handle_signal
 * decides with the handler about to run (`next`, if any).
 */
export function syscallReturn(cpu: CPU, ret: number, nr: number, next: PendingSignal | undefined): void {
  const r = cpu.regs;
  const code = -ret;
  if (code === ERESTART.SYS || code === ERESTART.NOINTR || code === ERESTART.NOHAND || code === ERESTART.RESTARTBLOCK) {
    const restart = next ? code === ERESTART.NOINTR || (code === ERESTART.SYS && (next.flags & SA.RESTART) !== 0) : true;
    if (restart) {
      r[EAX] = code === ERESTART.RESTARTBLOCK ? 0 /* restart_syscall */ : nr;
      cpu.eip = (cpu.eip - 2) >>> 0;
      return;
    }
    r[EAX] = -E.EINTR;
    return;
  }
  r[EAX] = ret;
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

/** struct sigcontext_32 of the CPU's state. */
function context(cpu: CPU, trap: TrapInfo, oldmaskLo: number, fpstate: number): Uint8Array {
  const r = cpu.regs, s = cpu.segs;
  return SIGCONTEXT_32.encode({
    gs: s[GS]!, fs: s[FS]!, es: s[ES]!, ds: s[DS]!, di: r[EDI]!, si: r[ESI]!, bp: r[EBP]!, sp: r[ESP]!,
    bx: r[EBX]!, dx: r[EDX]!, cx: r[ECX]!, ax: r[EAX]!, trapno: trap.trapno, err: trap.err, ip: cpu.eip,
    cs: s[CS]!, flags: cpu.getEflags(), sp_at_signal: r[ESP]!, ss: s[SS_REG]!, fpstate, oldmask: oldmaskLo, cr2: trap.cr2,
  });
}

/** struct _fpstate_32 of the CPU's state, as copy_fpstate_to_sigframe writes it. */
export function fpstateImage(cpu: CPU): Uint8Array {
  const b = new Uint8Array(FPSTATE_32.size);
  fxsaveImage(cpu, b.subarray(F.fxsr));
  // the header (convert_from_fxsr): the fnsave layout, with an x86-64 kernel's selectors
  b.set(cpu.fpu.save().subarray(0, F.status));
  const fsw = FPSTATE_32.decode(b).sw;
  const fields: Input<typeof FPSTATE_32.fields> = {
    cssel: cpu.segs[CS]!, datasel: cpu.segs[DS]! | 0xffff0000, status: fsw, magic: X86_FXSR_MAGIC,
    // save_sw_bytes, written whenever the CPU has FXSR (user_xfeatures: only set up with XSAVE)
    sw_reserved: FPX_SW_BYTES.encode({
      magic1: FP_XSTATE_MAGIC1, extended_size: FXSAVE_SIZE + FP_XSTATE_MAGIC2_SIZE + FSAVE_HEADER_SIZE,
      xfeatures: 0, xstate_size: FXSAVE_SIZE,
    }),
  };
  return FPSTATE_32.encode(fields, b);
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
  const img = getBytes(cpu.mem, fp, FPSTATE_32.size);
  // MXCSR and xmm from the FXSAVE image (rejected with reserved MXCSR bits), the x87 state from the header
  if (typeof img === 'number' || !fxrstorImage(cpu, img.subarray(F.fxsr))) {
    initFpu(cpu);
    return false;
  }
  cpu.fpu.restore(img.subarray(0, F.status));
  return true;
}

const RETCODE = [0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80]; // pop %eax; mov $119,%eax; int $0x80
const RT_RETCODE = [0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0]; // mov $173,%eax; int $0x80

/**
 * Write the frame for s on the current stack and point the CPU at the
 * handler. `trampoline` holds sigreturn code for handlers without a
 * restorer. Returns false when the stack cannot take the frame.
 */
export function setupFrame(cpu: CPU, s: PendingSignal, trampoline: number, alt: AltStack, trap: TrapInfo = new TrapInfo()): boolean {
  const rt = (s.flags & SA.SIGINFO) !== 0;
  const size = rt ? RT_SIGFRAME.size : SIGFRAME.size;
  const esp = cpu.regs[ESP]! >>> 0;
  const uc = alt.report(esp);
  // SA_ONSTACK switches to the alternate stack unless already on it (or it is disabled)
  const switching = (s.flags & SA.ONSTACK) !== 0 && alt.flagsAt(esp) === 0;
  const nested = alt.onStack(esp);
  const top = switching ? alt.sp + alt.size : esp;
  // fpu__alloc_mathframe: the FXSAVE image 64-byte aligned, the fsave header below it
  const fpAddr = (((top - FXSAVE_SIZE) & ~63) - FSAVE_HEADER_SIZE) >>> 0;
  let sp = fpAddr - size;
  sp = ((sp + 4) & ~15) - 4; // the handler sees (esp + 4) 16-byte aligned, as Linux's align_sigframe
  sp >>>= 0;
  if ((switching || nested) && !alt.within(sp)) return false; // the frame would overflow it: SIGSEGV, as Linux
  const mask = SIGSET.decode(s.oldmask);
  const restorer = s.flags & SA.RESTORER && s.restorer ? s.restorer : trampoline + (rt ? 8 : 0);
  const sc = context(cpu, trap, mask.lo, fpAddr);
  const frame = rt
    ? RT_SIGFRAME.encode({
      pretcode: restorer, sig: s.sig, pinfo: sp + R.info, puc: sp + R.uc, info: s.info,
      uc: UCONTEXT.encode({ stack: STACK_T.encode(uc), mcontext: sc, sigmask: s.oldmask }),
      retcode: Uint8Array.from(RT_RETCODE),
    })
    : SIGFRAME.encode({ pretcode: restorer, sig: s.sig, sc, extramask: mask.hi, retcode: Uint8Array.from(RETCODE) });
  // nothing is written unless both fit (the bytes between them stay as they are)
  try {
    cpu.mem.checkWrite(fpAddr, FPSTATE_32.size);
    cpu.mem.checkWrite(sp, size);
  } catch {
    return false;
  }
  if (putBytes(cpu.mem, fpAddr, fpstateImage(cpu)) < 0 || putBytes(cpu.mem, sp, frame) < 0) return false;
  if (alt.flags & SS.AUTODISARM) alt.reset(); // until sigreturn puts uc_stack back
  initFpu(cpu);
  cpu.regs[ESP] = sp;
  cpu.eip = s.handler >>> 0;
  cpu.regs[EAX] = s.sig;
  if (rt) {
    cpu.regs[EDX] = sp + R.info;
    cpu.regs[ECX] = sp + R.uc;
  } else {
    cpu.regs[EDX] = 0;
    cpu.regs[ECX] = 0;
  }
  cpu.setEflags(cpu.getEflags() & ~(0x100 | 0x400 | 0x40000)); // TF, DF, AC cleared for the handler
  return true;
}

/** The frame sigreturn (rt or not) is about to read: the restorer popped pretcode and, for the non-RT frame, the signal number too. */
function frameAtSigreturn(cpu: CPU, rt: boolean): number {
  const esp = cpu.regs[ESP]! >>> 0;
  return rt ? esp - 4 : esp - 8;
}

/** The blocked mask the frame at sigreturn holds (8 bytes), or -EFAULT; strace shows it as sigreturn's argument. */
export function sigreturnMask(cpu: CPU, rt: boolean): Uint8Array | number {
  const frame = frameAtSigreturn(cpu, rt);
  if (rt) return getBytes(cpu.mem, frame + R.uc + U.sigmask, SIGSET.size);
  const lo = getUser(cpu.mem, frame + SF.sc + SC.oldmask, OLD_SIGSET);
  const hi = getUser(cpu.mem, frame + SF.extramask, OLD_SIGSET);
  if (typeof lo === 'number') return lo;
  if (typeof hi === 'number') return hi;
  return SIGSET.encode({ lo: lo.lo, hi: hi.lo });
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
  const frame = frameAtSigreturn(cpu, rt);
  const ctx = rt ? frame + R.uc + U.mcontext : frame + SF.sc;
  const mask = sigreturnMask(cpu, rt);
  if (typeof mask === 'number') return { mask: null, ok: false };
  const sc = getUser(cpu.mem, ctx, SIGCONTEXT_32);
  const ucStack = rt ? getUser(cpu.mem, frame + R.uc + U.stack, STACK_T) : null;
  if (typeof sc === 'number' || typeof ucStack === 'number') return { mask, ok: false };
  const r = cpu.regs;
  r[EDI] = sc.di; r[ESI] = sc.si; r[EBP] = sc.bp; r[ESP] = sc.sp;
  r[EBX] = sc.bx; r[EDX] = sc.dx; r[ECX] = sc.cx; r[EAX] = sc.ax;
  cpu.eip = sc.ip >>> 0;
  cpu.setEflags((cpu.getEflags() & ~FIX_EFLAGS) | (sc.flags & FIX_EFLAGS));
  if (!restoreFpstate(cpu, sc.fpstate)) return { mask, ok: false };
  // restore_altstack, judged at the restored stack pointer; its errors (EPERM while on the stack) are ignored, as Linux
  if (ucStack) alt.set(ucStack.sp, ucStack.flags, ucStack.size, r[ESP]!);
  return { mask, ok: true };
}

/**
 * force_sig: a signal the thread cannot refuse (a CPU fault, a frame that
 * cannot be written or read back). It is sent first, so that it is the next
 * one delivered (the kernel takes a synchronous signal before others); if it
 * was blocked or ignored it did not arrive, and then, as Linux's
 * force_sig_info_to_task, its action becomes SIG_DFL and it is unblocked
 * (with `fatal`, as force_fatal_sig, that comes first). `info` is the
 * siginfo to send (the fault's code and address), else the kernel makes one.
 */
export async function forceSignal(p: Pick<Proc, 'k' | 'kb' | 'tgid' | 'tid' | 'signalled' | 'signalsWaiting'>, sig: number, info?: Uint8Array, fatal = false): Promise<void> {
  const send = () => (info ? p.kb(NR.rt_tgsigqueueinfo, p.tgid, p.tid, sig, info) : p.k(NR.tgkill, p.tgid, p.tid, sig));
  if (!fatal) {
    await send();
    // Blocked only because another signal was taken first (the kernel took it while guest code
    // ran and already blocked what its handler blocks): that handler runs first, and sig stays
    // queued until the guest's own mask is back (a fault's instruction faults again after it,
    // so one that the guest itself blocks is still fatal then).
    if (p.signalled(sig) || p.signalsWaiting()) return;
  }
  const bit = SIGSET.encode(sig <= 32 ? { lo: 1 << (sig - 1) } : { hi: 1 << (sig - 33) });
  await p.kb(NR.rt_sigaction, sig, KSIGACTION.encode({ handler: SIG_DFL }), 0, SIGSET.size);
  await p.kb(NR.rt_sigprocmask, SIG_UNBLOCK, bit, 0, SIGSET.size);
  await send();
}

/** sigreturn (119) / rt_sigreturn (173): registers from the frame, the mask back in the kernel. */
async function sigreturnCall(p: Proc, rt: boolean): Promise<number> {
  const { mask, ok } = sigreturn(p.cpu, rt, p.altstack);
  if (mask) await p.kb(NR.rt_sigprocmask, SIG_SETMASK, mask, 0, SIGSET.size);
  if (!ok) {
    // badframe: SIGSEGV forced, and the call returns 0 (signal_fault)
    await forceSignal(p, SIG.SEGV);
    return 0;
  }
  p.replaced = true; // eax is the interrupted context's, not a result
  return 0;
}

export const SIGNAL_CALLS: ReadonlyArray<[string, Impl]> = [
  ['rt_sigaction', { level: 'full', note: 'i386 struct sigaction converted (sa_restorer kept by the RTOS)', run: (p, a) => rtSigaction(p, a[0]!, a[1]! >>> 0, a[2]! >>> 0, a[3]!) }],
  ['rt_sigreturn', { level: 'full', note: 'rt_sigframe read back by the RTOS, mask restored in the kernel', run: (p) => sigreturnCall(p, true) }],
  ['sigreturn', { level: 'full', note: 'sigframe read back by the RTOS, mask restored in the kernel', run: (p) => sigreturnCall(p, false) }],
  ['sigaction', { level: 'full', note: 'old sigaction (4-byte mask) through rt_sigaction', run: (p, a) => oldSigaction(p, a[0]!, a[1]! >>> 0, a[2]! >>> 0) }],
  ['sigprocmask', { level: 'full', note: 'old 4-byte mask through rt_sigprocmask', run: (p, a) => oldSigprocmask(p, a[0]!, a[1]! >>> 0, a[2]! >>> 0) }],
  ['sigaltstack', { level: 'full', note: 'kept by the RTOS (its rules need the user stack pointer); frames switch to it for SA_ONSTACK, SS_AUTODISARM included',
    run: (p, a) => sigaltstack(p, a[0]! >>> 0, a[1]! >>> 0) }],
  ['signal', { level: 'full', note: 'rt_sigaction with SA_RESETHAND|SA_NODEFER; returns the old handler', run: (p, a) => signal(p, a[0]!, a[1]!) }],
  ['sgetmask', { level: 'full', note: 'first word of the blocked set (rt_sigprocmask)', run: (p) => ssetmask(p, null) }],
  ['ssetmask', { level: 'full', note: 'rt_sigprocmask(SIG_SETMASK) with one word; returns the old word', run: (p, a) => ssetmask(p, a[0]!) }],
];
