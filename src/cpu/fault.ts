// Guest-visible exceptions raised by instruction handlers. They never leave CPU.run():
// run() turns them into Stop values carrying Linux's siginfo data.

export const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11;
export const ILL_ILLOPN = 2, FPE_INTDIV = 1, SEGV_MAPERR = 1, SEGV_ACCERR = 2, SI_KERNEL = 0x80;
export const TRAP_DE = 0, TRAP_DB = 1, TRAP_BP = 3, TRAP_OF = 4, TRAP_BR = 5, TRAP_UD = 6, TRAP_NP = 11, TRAP_SS = 12, TRAP_GP = 13, TRAP_PF = 14, TRAP_MF = 16;

export class CpuFault {
  constructor(
    public signo: number,
    public code: number,
    public addr: number,
    public trapno: number,
    public errorCode: number,
    /** trap (eip after the instruction) rather than fault (eip at the instruction) */
    public trap = false,
  ) {}
}

/** Thrown by popf/iret after they set TF: run() continues single-stepping. */
export class TrapFlagOn {}
export const TF_ON = new TrapFlagOn();
export const TRAP_TRACE = 2;

/**
 * Thrown by a page's first touch while running guest code when its address space
 * has used the frames charged to it (AddressSpace.charged): run() ends with eip
 * at the instruction, which runs again once the space holds more (or its process
 * is gone: the kernel's OOM killer has chosen it).
 */
export class ChargeNeeded {}
export const CHARGE_NEEDED = new ChargeNeeded();

/** Thrown by int 0x80: ends run() with eip after the instruction. */
export class SyscallStop {}
export const SYSCALL_STOP = new SyscallStop();

export function undefinedOpcode(eip: number): CpuFault {
  return new CpuFault(SIGILL, ILL_ILLOPN, eip >>> 0, TRAP_UD, 0);
}
/** #GP in user mode: Linux sends SIGSEGV with si_code SI_KERNEL and no address. */
export function generalProtection(errorCode = 0): CpuFault {
  return new CpuFault(SIGSEGV, SI_KERNEL, 0, TRAP_GP, errorCode);
}
export function divideError(eip: number): CpuFault {
  return new CpuFault(SIGFPE, FPE_INTDIV, eip >>> 0, TRAP_DE, 0);
}
