// What a system call handler may use of the calling process: its kernel task
// (k: a generic-ABI call whose pointer arguments are guest addresses), its CPU
// and address space, and the RTOS-side process state (brk, mappings).
import type { CPU } from '../cpu/cpu.js';
import type { AddressSpace } from '../cpu/memory.js';
import type { AltStack } from './signal.js';

export interface Proc {
  readonly name: string;
  cpu: CPU;
  mem: AddressSpace;
  /** A system call of the process's kernel task (generic 32-bit numbers). */
  k(nr: number, ...args: number[]): number | Promise<number>;
  /** Program break: start (end of the image) and current value. */
  brk: { start: number; cur: number };
  /** A kernel call with host buffers (converted structs) passed by address. */
  kb(nr: number, ...args: Array<number | Uint8Array>): Promise<number>;
  /** A page of the address space the RTOS uses for conversions (statx buffers and the like). */
  scratch: number;
  /** clone with i386 argument order (flags, newsp, parent_tid, tls, child_tid). */
  /** `clone3`: the struct clone_args for the kernel's clone3 (stack and TLS already taken out). */
  clone(flags: number, newsp: number, ptid: number, tls: number, ctid: number, clone3?: Uint8Array): Promise<number>;
  /** execve, or execveat when `at` is given. */
  execve(path: number, argv: number, envp: number, at?: { dirfd: number; flags: number }): Promise<number>;
  /** rt_sigaction with the i386 struct sigaction (which has sa_restorer). */
  sigaction(sig: number, act: number, old: number, size: number): Promise<number>;
  sigreturn(rt: boolean): Promise<number>;
  /** The memory and program break of the guest process pid, if it runs (process_vm_*, its /proc/PID/maps). */
  processOf(pid: number): { mem: AddressSpace; brk: { start: number; cur: number } } | undefined;
  /** Views of kernel memory at addr, one per page (for segments the kernel maps in place). */
  kernelPages(addr: number, len: number): Uint8Array[];
  /** A whole file read through this process's kernel task (throws an Error with its errno). */
  readFile(path: string, max?: number): Promise<Uint8Array>;
  /** Where strace lines go (load_app --strace), if they are wanted: the call and its result. */
  strace?: (call: [string, string]) => void;
  /** This thread's sigaltstack. */
  altstack: AltStack;
}
