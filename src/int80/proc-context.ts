// What a system call handler may use of the calling thread: its kernel task
// (k: a generic-ABI call whose pointer arguments are guest addresses), its
// CPU, its process's memory (MmStruct), its signal state, and the few things
// only the task layer (src/tasks) can do: start a new RTOS task for a clone,
// switch to a new image after execve, find another process.
import type { CPU } from '../cpu/cpu.js';
import type { AddressSpace } from '../cpu/memory.js';
import type { MmStruct } from './mm-struct.js';
import type { AltStack, SigHand, TrapInfo } from './signal.js';
import type { Tracer } from './tracer.js';

/** What a thread runs with; clone makes the child's by Linux's rules (proc.ts), the task layer runs it. */
export interface ThreadState {
  cpu: CPU;
  /** The process's memory, shared by its threads (CLONE_VM). */
  mm: MmStruct;
  /** The restorers, shared under CLONE_SIGHAND. */
  sighand: SigHand;
  /** This thread's sigaltstack. */
  altstack: AltStack;
  /** The last trap that raised a signal, as sigcontext reports it (kept across execve, as Linux's thread struct). */
  trap: TrapInfo;
}

/** A program execve loaded (exec.ts), for the task layer to run from now on. */
export interface NewImage {
  cpu: CPU;
  mm: MmStruct;
  /** The file the kernel executed (comm is its last component). */
  path: string;
}

export interface Proc extends ThreadState {
  readonly name: string;
  /** mm.mem */
  readonly mem: AddressSpace;
  /** mm.brk: start (end of the image) and current value. */
  readonly brk: { start: number; cur: number };
  /** A system call of the process's kernel task (generic 32-bit numbers); a number when it completed at once. */
  k(nr: number, ...args: number[]): number | Promise<number>;
  /** A kernel call with host buffers (converted structs) passed by address (OverlayMemory). */
  kb(nr: number, ...args: Array<number | Uint8Array>): Promise<number>;
  /** Have the machine's memory cover this address space's frames and `more`; false when it cannot (the OOM killer ran). */
  charge(more: number): Promise<boolean>;
  /** The kernel's ids of the process and of this thread (getpid, gettid), once it runs. */
  readonly tgid: number;
  readonly tid: number;
  /** Whether signal sig has been taken for delivery (a frame to set up), or the thread has ended. */
  signalled(sig: number): boolean;
  /** Whether some signal has been taken for delivery and waits for its frame. */
  signalsWaiting(): boolean;
  /** Set by a call that replaced the CPU context (execve, sigreturn): eax then holds no result. */
  replaced: boolean;
  /** Set while a call runs when the kernel task executed a program (the exec import): the file, and the interpreter for a #! script. */
  executed: { path: string; interp: string } | undefined;
  /** While execve waits for the kernel: what it prepared (exec.ts), for the kernel's exec_check. */
  preparedExec: unknown;
  /** clone: an RTOS task for `child`, bound to the kernel task `kernelClone` makes (it returns the pid or -errno). */
  spawnChild(child: ThreadState, kernelClone: () => number | Promise<number>): Promise<number>;
  /** execve past the point of no return: this thread runs the new image from now on. */
  replaceImage(img: NewImage): void;
  /** A running thread of guest process pid (process_vm_*, its /proc/PID files). */
  processOf(pid: number): { mm: MmStruct } | undefined;
  /** Views of kernel memory at addr, one per page (for segments the kernel maps in place). */
  kernelPages(addr: number, len: number): Uint8Array[];
  /** A whole file read through this process's kernel task (throws an Error with its errno). */
  readFile(path: string, max?: number): Promise<Uint8Array>;
  /** The strace session tracing this thread's process, if any (strace, load_app --strace). */
  readonly tracer?: Tracer;
}
