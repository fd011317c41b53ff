// The kernel host: loads lkl.wasm, implements its host interface
// (lkl/arch/wasm/include/asm/host_ops.h, member by member in makeImports) and
// runs it as one RTOS task.
//
// The kernel is a step task of the RTOS scheduler. Each time slice runs
// kernel code (its tasks are coroutines, see coroutines.ts) until the idle
// task has nothing to do; host events (system call requests, timer expiry,
// console input) raise interrupt lines and wake the kernel task again. No
// other RTOS task runs while kernel code runs, so the kernel always sees a
// single CPU and every host call it makes is synchronous.
//
// RTOS tasks reach the kernel through host tasks: a HostTask is the host's
// side of one kernel task that "returns to user mode" by serving requests
// (one system call at a time) instead of running user code. Pointers in a
// request are addresses in the host task's user memory (UserMemory), which
// the kernel reads and writes through the copy_*_user imports. What owns a
// host task (a guest process, say) is told of its kernel task's life through
// one HostTaskOwner: bound, clone, exec, signals, exit.

import createDebug from 'debug';
import type { BlockDevice } from '../../blockdev/blockdev.js';
import type { EthernetLink } from '../../net/link.js';
import { E } from '../../uapi/errno.js';
import { YIELD, BLOCK, type Scheduler, type Task } from '../scheduler.js';
import { Coroutines, type AsyncifyExports, type CoroutinesState } from './coroutines.js';
import type { HostImports } from './host-ops.js';

const debug = createDebug('rtos:kernel');
/** Faulting user-memory accesses of the kernel (a bad pointer, or a bug). */
const uaccess = createDebug('rtos:uaccess');

/** Interrupt lines (asm/irq.h). */
export const IRQ = { TIMER: 1, REQUEST: 2, CONSOLE: 3, NET: 5 } as const;

/** The memory a host task's system calls point into (its "user space"). */
export interface UserMemory {
  /** Copy dst.length bytes from user address `from` into dst; returns the number of bytes NOT copied. */
  copyIn(from: number, dst: Uint8Array): number;
  /** Copy src to user address `to`; returns the number of bytes NOT copied. */
  copyOut(to: number, src: Uint8Array): number;
  /** Zero n bytes at `to`; returns the number of bytes NOT cleared. */
  clear(to: number, n: number): number;
  /** Length of the string at `from` including its NUL; n+1 if longer than n; 0 on a fault. */
  strnlen(from: number, n: number): number;
  /**
   * What a shared futex at `addr` is keyed by (the futex_page import):
   * -EFAULT when the page is not mapped readable (writable if `write`), 0 for
   * memory private to this address space, else the page's own identity (> 0),
   * the same wherever it is mapped. Memory without it has no futexes (EFAULT).
   */
  futexPage?(addr: number, write: boolean): bigint;
}

/** Memory that faults everywhere: for host tasks whose calls pass no pointers. */
export const NO_MEMORY: UserMemory = {
  copyIn: (_f, d) => d.length,
  copyOut: (_t, s) => s.length,
  clear: (_t, n) => n,
  strnlen: () => 0,
};

export interface Request {
  nr: number;
  args: number[];
  /** Set by request_done: the call's return value (>= 0 or -errno). */
  ret?: number;
  done: (ret: number) => void;
}

/** What owns a host task, told of its kernel task's life (in the spirit of LKL's one ops struct). */
export interface HostTaskOwner {
  /** The kernel has made this host task's kernel task (clone): it may run now. */
  bound?(): void;
  /** This task's kernel task is cloning: the host task for the child, if the owner made one (else the kernel makes a bare one). */
  adopt?(): HostTask | undefined;
  /** Nanoseconds of guest code run since the last time asked (user_time import: the kernel task's user time). */
  userTime?(): number;
  /** The kernel task is about to execute an i386 program (exec_check import, before the point of no return): 0, or -errno for execve to fail with. */
  execCheck?(path: string, interp: string): number;
  /** The kernel task executed an i386 program (exec import). */
  exec?(path: string, interp: string): void;
  /** A caught signal to deliver (signal import): user siginfo, kernel sigaction, mask to restore; 0 or -EFAULT. */
  signal?(sig: number, info: Uint8Array, sa: Uint8Array, oldmask: Uint8Array): number;
  /** The kernel task exited with this wait status code. */
  exit?(code: number): void;
}

/** The host side of one kernel task that serves requests. */
export class HostTask {
  /** Address of the kernel's task_struct. */
  ktask = 0;
  pending: Request | undefined;
  inflight: Request | undefined;
  /** Wait status code once the kernel task exited. */
  exitCode: number | undefined;
  /** Kernel pid (tid), when known. */
  pid = 0;
  /** The result of the last request once the kernel answered it (undefined while one is outstanding, or never answered: a task that ended). */
  lastRet: number | undefined;
  constructor(readonly id: number, public mem: UserMemory, readonly name: string, readonly owner?: HostTaskOwner) {}
}

export class KernelPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelPanic';
  }
}

export interface KernelOptions {
  scheduler: Scheduler;
  /** Kernel console output (printk and /dev/console writes). */
  print: (text: string) => void;
  /** Output written to the console tty (/dev/console, ttyW0): program output. */
  consoleOut?: (data: Uint8Array) => void;
  /** Output written to ttyW1: programs' standard error. */
  consoleErr?: (data: Uint8Array) => void;
  /** Block devices, /dev/vda first. */
  disks?: BlockDevice[];
  /** Linear memory for the kernel, MiB (default 256; pages untouched are not resident). */
  memoryMiB?: number;
  /** That memory, made already (of memoryMiB): a restored kernel's, filled ahead. */
  memory?: WebAssembly.Memory;
  /** Make it shared: the module imports a shared memory (the Node host's, src/boot/package-files.ts). */
  sharedMemory?: boolean;
  cmdline?: string;
  /** The text of /proc/cpuinfo: the CPU user programs run on (cpuinfo import). */
  cpuinfo?: string;
  /** Network links, eth0 first (src/net: the NAT). */
  nics?: EthernetLink[];
  /** Told of block device errors. */
  onDiskError?: (dev: number, message: string) => void;
  /**
   * The wall clock the kernel reads at boot, in ms since the epoch (default:
   * now). A system whose start is made once and restored (src/boot's
   * snapshot) boots at a fixed time and sets the real one afterwards.
   */
  bootRealtimeMs?: number;
}

/**
 * The host's side of a kernel that is suspended between runs, for a snapshot
 * (the kernel's own state is its linear memory): its clocks, its timer, the
 * host tasks and coroutines. JSON as it is.
 */
export interface KernelState {
  /** The kernel's clock (ns since boot) when saved; a restored kernel's clock goes on from there. */
  timeNs: string;
  /** When the one-shot timer expires, on that clock ('' when not set). */
  timerNs: string;
  /** The wall clock of the boot (ns since the epoch). */
  epochNs: string;
  /** Live host tasks, init first. */
  hosts: Array<{ id: number; ktask: number; pid: number; name: string }>;
  nextHostId: number;
  parkedHost: number;
  coroutines: CoroutinesState;
  /** wasm_boot's arguments. */
  boot: { memStart: number; memEnd: number; cmdline: number };
}

interface KernelExports extends AsyncifyExports {
  wasm_boot(memStart: number, memEnd: number, cmdline: number): void;
  wasm_task_entry(task: number): void;
  /** Where init_task goes on once start_kernel is done (the boot_done import). */
  wasm_idle_entry(): void;
  wasm_init_stack(): number;
  /** THREAD_SIZE: every task's kernel stack (4096 << CONFIG_KERNEL_STACK_ORDER). */
  wasm_thread_size(): number;
  wasm_cmdline_buf(): number;
  __heap_base: WebAssembly.Global;
}

const COMMAND_LINE_SIZE = 512;

const utf8 = new TextDecoder();
const enc = new TextEncoder();

export class Kernel {
  readonly memory: WebAssembly.Memory;
  private ex!: KernelExports;
  private co!: Coroutines;
  private dv!: DataView;
  private u8!: Uint8Array;
  private readonly irqs: number[] = [];
  private readonly hosts = new Map<number, HostTask>();
  private nextHostId = 1;
  private readonly wakeQueue: HostTask[] = [];
  /** The host task each clone() in progress binds its child to, by the parent's host id (see clone). */
  private readonly adopting = new Map<number, HostTask>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer expires, on the kernel's clock (ns). */
  private timerAt: bigint | undefined;
  private t0 = performance.now();
  private epochNs: bigint;
  private bootArgs = { memStart: 0, memEnd: 0, cmdline: 0 };
  private consoleInput: Uint8Array[] = [];
  /** The host task whose kernel task is parked in the park import (0: none). */
  private parkedHost = 0;
  /** Kernel code is running (the step or a fast-path call): no re-entry. */
  private inKernel = false;
  private task_: Task | undefined;
  private halted = false;
  /** The error that stopped the kernel, if any. */
  failure: Error | undefined;
  /** Resolves once PID 1 has become the host's init task. */
  readonly ready: Promise<HostTask>;
  private readyResolve!: (h: HostTask) => void;
  init: HostTask | undefined;
  private readonly disks: BlockDevice[];
  private readonly nics: EthernetLink[];

  private constructor(private readonly opts: KernelOptions) {
    const mib = opts.memoryMiB ?? 256;
    this.memory = opts.memory ?? new WebAssembly.Memory({ initial: mib * 16, maximum: mib * 16, shared: opts.sharedMemory === true });
    if (this.memory.buffer.byteLength !== mib << 20) throw new Error(`kernel memory of ${this.memory.buffer.byteLength} bytes, not ${mib} MiB`);
    this.disks = opts.disks ?? [];
    this.nics = opts.nics ?? [];
    for (const n of this.nics) n.onFrames = () => this.raise(IRQ.NET);
    // A link says when its queue stops being empty: frames queued before it was given to the
    // kernel (a connection to a published port while lkl.wasm compiled) said it to nobody, and
    // no later frame says it again. A booted eth0 looks at the link when it comes up; a
    // restored one is up already and waited for an interrupt that never came.
    if (this.nics.some((n) => n.peek() > 0)) this.raise(IRQ.NET);
    this.ready = new Promise((r) => { this.readyResolve = r; });
    this.epochNs = BigInt(Math.round(opts.bootRealtimeMs ?? Date.now())) * 1000000n;
  }

  static async load(module: WebAssembly.Module, opts: KernelOptions): Promise<Kernel> {
    const k = new Kernel(opts);
    await k.instantiate(module);
    return k;
  }

  private async instantiate(module: WebAssembly.Module): Promise<void> {
    const inst = await WebAssembly.instantiate(module, {
      env: { memory: this.memory, wasm_stack_overflow: (sp: number) => this.stackOverflow(sp) },
      host: this.makeImports(),
    });
    this.ex = inst.exports as unknown as KernelExports;
    this.refreshViews();
    this.co = new Coroutines(this.ex, () => this.dv);
  }

  /** The memory never grows (initial = maximum), so the views made once stay valid. */
  private refreshViews(): void {
    this.dv = new DataView(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
  }

  /**
   * A move of the stack pointer past the running task's kernel stack (binaryen's
   * --stack-check calls this before the move): the kernel stops here, as Linux
   * panics on a kernel stack overflow, before anything below the stack is written.
   */
  private stackOverflow(sp: number): never {
    const c = this.co.current;
    const where = c ? `task_struct 0x${c.task.toString(16)}, stack 0x${c.stackLo.toString(16)}-0x${c.stackHi.toString(16)}` : 'no task';
    const msg = `kernel stack overflow: stack pointer 0x${(sp >>> 0).toString(16)} (${where})`;
    this.opts.print(`Kernel panic - ${msg}\n`);
    throw new KernelPanic(msg);
  }

  /** Bytes of its kernel stack a task may use from its next resume on (for tests: all of it by default). */
  set stackLimit(bytes: number) {
    this.co.usable = bytes;
  }

  /** The RTOS task that runs the kernel. */
  get task(): Task | undefined {
    return this.task_;
  }

  get running(): boolean {
    return !this.halted;
  }

  /** Start the kernel task; resolves when init is up (call from outside the scheduler or from a task). */
  start(): Promise<HostTask> {
    const stack = this.ex.wasm_init_stack();
    const memStart = this.memStart;
    const cmd = this.ex.wasm_cmdline_buf();
    const bytes = enc.encode(this.opts.cmdline ?? '');
    this.u8.set(bytes.subarray(0, COMMAND_LINE_SIZE - 1), cmd);
    this.u8[cmd + Math.min(bytes.length, COMMAND_LINE_SIZE - 1)] = 0;
    this.bootArgs = { memStart, memEnd: this.memory.buffer.byteLength, cmdline: cmd };
    this.co.boot(stack, stack + this.ex.wasm_thread_size(), this.bootEntry());
    this.spawnTask();
    return this.ready;
  }

  /** Where the kernel's memory starts: below it, the image's data (its segments, its stacks). */
  get memStart(): number {
    return ((this.ex.__heap_base.value as number) + 4095) & ~4095;
  }

  private bootEntry(): () => void {
    const { memStart, memEnd, cmdline } = this.bootArgs;
    return () => this.ex.wasm_boot(memStart, memEnd, cmdline);
  }

  private spawnTask(): void {
    this.task_ = this.opts.scheduler.spawn('kernel', () => this.step());
    // a network link may bring frames at any time (a published port): not a deadlock
    if (this.nics.length > 0) this.opts.scheduler.ref();
  }

  /**
   * Whether the kernel waits for host events with nothing of the host's in
   * progress (no request, interrupt, console input or clone pending), so
   * that save() can take it.
   */
  get quiescent(): boolean {
    if (this.halted || this.inKernel || !this.init || this.irqs.length > 0 || this.wakeQueue.length > 0 || this.adopting.size > 0 || this.consoleInput.length > 0) return false;
    for (const h of this.hosts.values()) if (h.pending || h.inflight) return false;
    return this.nics.every((n) => n.peek() === 0);
  }

  /**
   * The host's side of the kernel, for a snapshot (with its memory, which
   * the caller takes as it is). Only while quiescent, with init as the only
   * host task that owners do not hold (a restored kernel has no owners).
   */
  save(): KernelState {
    if (!this.quiescent) throw new Error('kernel is not quiescent');
    const hosts = [...this.hosts.values()];
    for (const h of hosts) if (h.owner) throw new Error(`host task ${h.id} (${h.name}) has an owner`);
    const init = this.init!;
    return {
      timeNs: String(this.nowNs()),
      timerNs: this.timerAt === undefined ? '' : String(this.timerAt),
      epochNs: String(this.epochNs),
      hosts: [init, ...hosts.filter((h) => h !== init)].map((h) => ({ id: h.id, ktask: h.ktask, pid: h.pid, name: h.name })),
      nextHostId: this.nextHostId,
      parkedHost: this.parkedHost,
      coroutines: this.co.save(),
      boot: { ...this.bootArgs },
    };
  }

  /**
   * A kernel as save() left it, and its task running again, its clock going
   * on from the saved one. `fill.memory` writes the saved memory from
   * memStart up into the new memory (opts.memory), while the module may
   * still be compiling, or waits until it is there; `fill.image` the rest,
   * below it, once instantiation has written the image's data there.
   * Undefined, with nothing started, when either finds the saved memory
   * damaged.
   */
  static async restore(module: Promise<WebAssembly.Module>, opts: KernelOptions, state: KernelState,
    fill: { memory(mem: WebAssembly.Memory): boolean | Promise<boolean>; image(mem: WebAssembly.Memory): boolean }): Promise<Kernel | undefined> {
    const k = new Kernel(opts);
    if (!(await fill.memory(k.memory))) return undefined;
    await k.instantiate(await module);
    if (!fill.image(k.memory)) return undefined;
    k.epochNs = BigInt(state.epochNs);
    k.t0 = performance.now() - Number(BigInt(state.timeNs)) / 1e6;
    k.bootArgs = { ...state.boot };
    k.co.load(state.coroutines, { boot: k.bootEntry(), idle: () => k.ex.wasm_idle_entry(), task: (task) => () => k.ex.wasm_task_entry(task) });
    for (const s of state.hosts) {
      const h = new HostTask(s.id, NO_MEMORY, s.name);
      h.ktask = s.ktask;
      h.pid = s.pid;
      k.hosts.set(h.id, h);
    }
    k.init = k.hosts.get(state.hosts[0]!.id);
    k.nextHostId = state.nextHostId;
    k.parkedHost = state.parkedHost;
    k.spawnTask();
    if (state.timerNs !== '') k.setTimer(BigInt(state.timerNs));
    k.readyResolve(k.init!);
    return k;
  }

  private step(): number | typeof YIELD | typeof BLOCK {
    if (this.halted) return 0;
    this.runKernel();
    if (this.halted) return 0;
    return this.irqs.length > 0 ? YIELD : BLOCK;
  }

  /** Stop running kernel code; pending and future requests fail with EIO. */
  halt(why?: Error): void {
    if (this.halted) return;
    this.halted = true;
    if (why) this.failure = why;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
    if (this.nics.length > 0 && this.task_) this.opts.scheduler.unref();
    for (const n of this.nics) n.onFrames = undefined;
    for (const h of this.hosts.values()) {
      for (const r of [h.pending, h.inflight]) if (r) { r.ret = -E.EIO; r.done(-E.EIO); }
      h.pending = h.inflight = undefined;
    }
    // Whatever the disks' caches hold back still reaches them.
    for (const d of this.disks) {
      try {
        d.flush();
      } catch (e) {
        debug('flush at halt: %s', e);
      }
    }
    if (why) debug('halted: %s', why.stack ?? why.message);
  }

  private raise(irq: number): void {
    if (!this.irqs.includes(irq)) this.irqs.push(irq);
    if (this.task_) this.opts.scheduler.wake(this.task_);
  }

  /** A host task with no kernel task yet; bind it with clone() from another host task. */
  newHostTask(name: string, mem: UserMemory = NO_MEMORY, owner?: HostTaskOwner): HostTask {
    return new HostTask(this.nextHostId++, mem, name, owner);
  }

  /** Post a system call for host task h; resolves with its result (>= 0 or -errno). */
  submit(h: HostTask, nr: number, args: number[]): Promise<number> {
    const early = this.refuse(h);
    if (early !== undefined) return early < 0 ? Promise.resolve(early) : Promise.reject(new Error(`host task ${h.id} already has a request in progress`));
    return new Promise((resolve) => this.post(h, { nr, args, done: resolve }));
  }

  /**
   * The same from an RTOS task, which blocks until the result is there (no
   * promise per call: the request wakes the task).
   */
  call(task: Task, h: HostTask, nr: number, args: number[]): number | Promise<number> {
    const early = this.refuse(h);
    if (early !== undefined) {
      if (early < 0) return early;
      throw new Error(`host task ${h.id} already has a request in progress`);
    }
    const sched = this.opts.scheduler;
    const r: Request = { nr, args, done: () => sched.wake(task) };
    if (h.id === this.parkedHost && this.irqs.length === 0 && !this.inKernel) {
      // Fast path: the caller's kernel task is parked "in user mode", so run
      // the kernel right here until it parks again: a call that does not
      // block completes without a trip through the scheduler.
      r.done = () => undefined;
      h.lastRet = undefined;
      h.pending = r;
      this.runKernel();
      if (r.ret !== undefined) return r.ret;
      r.done = () => sched.wake(task);
    } else {
      this.post(h, r);
    }
    return this.wait(task, r);
  }

  private async wait(task: Task, r: Request): Promise<number> {
    while (r.ret === undefined) await task.block();
    return r.ret;
  }

  /** Run kernel code until it idles or parks (from the kernel's step or a fast-path call). */
  private runKernel(): void {
    if (this.halted) return;
    this.inKernel = true;
    try {
      const r = this.co.run();
      if (r === 'returned') throw new KernelPanic('kernel boot function returned');
    } catch (e) {
      this.halt(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.inKernel = false;
    }
    if (this.irqs.length > 0 && this.task_) this.opts.scheduler.wake(this.task_);
  }

  /** Why a request cannot be posted: -errno, 0 if one is in progress, undefined if it can. */
  private refuse(h: HostTask): number | undefined {
    if (this.halted) return -E.EIO;
    if (h.exitCode !== undefined || !this.hosts.has(h.id)) return -E.ESRCH;
    if (h.pending || h.inflight) return 0;
    return undefined;
  }

  private post(h: HostTask, r: Request): void {
    h.lastRet = undefined;
    h.pending = r;
    if (h.id === this.parkedHost) {
      // Its kernel task is parked "in user mode": resuming it is enough.
      if (this.task_) this.opts.scheduler.wake(this.task_);
    } else {
      this.wakeQueue.push(h);
      this.raise(IRQ.REQUEST);
    }
  }

  /**
   * clone() in parent's kernel task, binding the new kernel task to child.
   * Resolves with the child's pid or -errno.
   */
  async clone(parent: HostTask, child: HostTask, nr: number, flags: number): Promise<number> {
    this.adopting.set(parent.id, child);
    let pid: number;
    try {
      pid = await this.submit(parent, nr, [flags, 0, 0, 0, 0, 0]);
    } finally {
      this.adopting.delete(parent.id);
    }
    if (pid >= 0) child.pid = pid;
    return pid;
  }

  /** Queue console input for the kernel's tty (raised as WASM_IRQ_CONSOLE). */
  consoleWrite(data: Uint8Array): void {
    this.consoleInput.push(data);
    this.raise(IRQ.CONSOLE);
  }

  host(id: number): HostTask | undefined {
    return this.hosts.get(id);
  }

  /** Live host tasks (bound to kernel tasks). */
  get hostTasks(): HostTask[] {
    return [...this.hosts.values()];
  }

  /** Live kernel task coroutines. */
  get kernelTaskCount(): number {
    return this.co.count;
  }

  /** The one-shot timer: IRQ.TIMER at ns on the kernel's clock; 0 stops it. */
  private setTimer(ns: bigint): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.opts.scheduler.unref();
      this.timer = undefined;
    }
    this.timerAt = undefined;
    if (ns === 0n) return;
    this.timerAt = ns;
    const ms = Math.max(0, Number(ns - this.nowNs()) / 1e6);
    this.opts.scheduler.ref();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.opts.scheduler.unref();
      this.raise(IRQ.TIMER);
    }, ms);
  }

  private nowNs(): bigint {
    return BigInt(Math.round((performance.now() - this.t0) * 1e6));
  }

  private str(p: number, n: number): string {
    return utf8.decode(this.u8.subarray(p, p + n));
  }

  private view(p: number, n: number): Uint8Array {
    return this.u8.subarray(p, p + n);
  }

  private disk(dev: number): BlockDevice | undefined {
    return this.disks[dev];
  }

  private blkIo(dev: number, what: string, f: (d: BlockDevice) => void): number {
    const d = this.disk(dev);
    if (!d) return -E.ENXIO;
    try {
      f(d);
      return 0;
    } catch (e) {
      this.opts.onDiskError?.(dev, `${what}: ${e instanceof Error ? e.message : String(e)}`);
      return -E.EIO;
    }
  }

  /**
   * The host interface: HostImports is generated from asm/host_ops.h, where
   * each member is documented, so a member missing, extra or of the wrong
   * type here does not compile.
   */
  private makeImports(): HostImports {
    return {
      print: (s: number, len: number) => this.opts.print(this.str(s, len)),
      panic: (): never => {
        throw new KernelPanic('kernel panic');
      },
      thread_create: (task: number, stack: number, size: number) => {
        this.co.create(task, stack, stack + size, () => this.ex.wasm_task_entry(task));
      },
      thread_free: (task: number) => this.co.free(task),
      boot_done: (): never => this.co.bootDoneAt(() => this.ex.wasm_idle_entry()),
      switch: (prev: number, next: number) => {
        this.co.switchTo(prev, next);
      },
      // While rewinding, the call must reach the coroutine code first (it ends the rewind).
      idle: () => {
        if (!this.co.rewinding && this.irqs.length > 0) return;
        this.co.idle();
      },
      park: (id: number) => {
        if (!this.co.rewinding) {
          if (this.irqs.length > 0) return 0;
          if (this.hosts.get(id)?.pending) return 1;
          this.parkedHost = id;
        }
        if (!this.co.idle()) return 0; // suspended; the value is not used
        this.parkedHost = 0;
        return this.hosts.get(id)?.pending ? 1 : 0;
      },
      irq_next: () => this.irqs.shift() ?? 0,
      time: () => this.nowNs(),
      realtime: () => this.epochNs + this.nowNs(),
      timer_set: (ns: bigint) => this.setTimer(ns),
      copy_from_user: (id: number, to: number, from: number, n: number) => {
        const h = this.hosts.get(id);
        const r = h ? h.mem.copyIn(from >>> 0, this.view(to, n)) : n;
        // A short copy is how Linux finds the end of a buffer it reads a page of (mount(2)'s
        // options: copy_mount_options), so it is reported as such, not as a fault.
        if (r && uaccess.enabled) {
          if (r < n) uaccess('copy_from_user(host %d, 0x%s, %d): short copy, %d bytes readable (the buffer ends there)', id, (from >>> 0).toString(16), n, n - r);
          else uaccess('copy_from_user(host %d, 0x%s, %d): fault', id, (from >>> 0).toString(16), n);
        }
        return r;
      },
      copy_to_user: (id: number, to: number, from: number, n: number) => {
        const h = this.hosts.get(id);
        return h ? h.mem.copyOut(to >>> 0, this.view(from, n)) : n;
      },
      clear_user: (id: number, to: number, n: number) => {
        const h = this.hosts.get(id);
        return h ? h.mem.clear(to >>> 0, n) : n;
      },
      strnlen_user: (id: number, from: number, n: number) => {
        const h = this.hosts.get(id);
        const r = h ? h.mem.strnlen(from >>> 0, n) : 0;
        if (!r && uaccess.enabled) uaccess('strnlen_user(host %d, 0x%s, %d): fault', id, (from >>> 0).toString(16), n);
        return r;
      },
      futex_page: (id: number, addr: number, write: number): bigint =>
        this.hosts.get(id)?.mem.futexPage?.(addr >>> 0, write !== 0) ?? BigInt(-E.EFAULT),
      request_take: (id: number, regs: number) => {
        const h = this.hosts.get(id);
        const r = h?.pending;
        if (!h || !r) return 0;
        h.pending = undefined;
        h.inflight = r;
        const dv = this.dv;
        dv.setInt32(regs, r.nr, true);
        for (let i = 0; i < 6; i++) dv.setInt32(regs + 4 + i * 4, r.args[i] ?? 0, true);
        return 1;
      },
      user_time: (id: number) => BigInt(Math.round(this.hosts.get(id)?.owner?.userTime?.() ?? 0)),
      request_done: (id: number, ret: number) => {
        const h = this.hosts.get(id);
        const r = h?.inflight;
        if (!h || !r) return;
        h.inflight = undefined;
        h.lastRet = ret;
        r.ret = ret;
        r.done(ret);
      },
      task_new: (parentId: number, task: number, _flags: number) => {
        const parent = parentId ? this.hosts.get(parentId) : undefined;
        let h: HostTask | undefined;
        if (parent) {
          h = this.adopting.get(parent.id) ?? parent.owner?.adopt?.();
          this.adopting.delete(parent.id);
        }
        const isInit = parentId === 0 && !this.init;
        h ??= this.newHostTask(isInit ? 'init' : `clone-of-${parentId}`);
        h.ktask = task;
        this.hosts.set(h.id, h);
        if (isInit) {
          this.init = h;
          h.pid = 1;
          queueMicrotask(() => this.readyResolve(h!));
        }
        h.owner?.bound?.();
        return h.id;
      },
      wake_next: () => {
        for (;;) {
          const h = this.wakeQueue.shift();
          if (!h) return 0;
          if (h.pending && this.hosts.has(h.id)) return h.ktask;
        }
      },
      task_exit: (id: number, code: number) => {
        const h = this.hosts.get(id);
        if (!h) return;
        this.hosts.delete(id);
        h.exitCode = code;
        const r = h.inflight ?? h.pending;
        h.inflight = h.pending = undefined;
        if (r) { r.ret = -E.ESRCH; r.done(-E.ESRCH); }
        if (this.parkedHost === id) this.parkedHost = 0;
        h.owner?.exit?.(code);
      },
      exec_check: (id: number, path: number, pathLen: number, interp: number, interpLen: number) =>
        this.hosts.get(id)?.owner?.execCheck?.(this.str(path, pathLen), this.str(interp, interpLen)) ?? 0,
      exec: (id: number, path: number, pathLen: number, interp: number, interpLen: number) => {
        this.hosts.get(id)?.owner?.exec?.(this.str(path, pathLen), this.str(interp, interpLen));
      },
      signal: (id: number, sig: number, info: number, sa: number, oldmask: number) => {
        const owner = this.hosts.get(id)?.owner;
        if (!owner?.signal) return 0;
        return owner.signal(sig, this.view(info, 128).slice(), this.view(sa, 16).slice(), this.view(oldmask, 8).slice());
      },
      blk_count: () => this.disks.length,
      blk_capacity: (dev: number) => BigInt(this.disk(dev)?.capacity() ?? 0),
      blk_read: (dev: number, buf: number, off: bigint, len: number) =>
        this.blkIo(dev, 'read', (d) => d.read(Number(off), this.view(buf, len))),
      blk_write: (dev: number, buf: number, off: bigint, len: number) =>
        this.blkIo(dev, 'write', (d) => d.write(Number(off), this.view(buf, len))),
      blk_flush: (dev: number) => this.blkIo(dev, 'flush', (d) => d.flush()),
      net_count: () => this.nics.length,
      net_mac: (dev: number, mac: number) => {
        const n = this.nics[dev];
        if (n) this.view(mac, 6).set(n.mac.subarray(0, 6));
      },
      net_send: (dev: number, frame: number, len: number) => {
        const n = this.nics[dev];
        if (!n) return -E.ENXIO;
        n.send(this.view(frame, len));
        return 0;
      },
      net_recv: (dev: number, buf: number, n: number) => {
        const nic = this.nics[dev];
        if (!nic) return 0;
        if (n === 0) return nic.peek();
        if (n < 0) {
          nic.take();
          return 0;
        }
        const len = nic.peek();
        if (len === 0 || len > n) return 0;
        this.view(buf, len).set(nic.take()!);
        return len;
      },
      console_write: (line: number, s: number, n: number) =>
        (line === 1 ? this.opts.consoleErr : this.opts.consoleOut)?.(this.view(s, n).slice()),
      console_read: (buf: number, n: number) => {
        const chunk = this.consoleInput[0];
        if (!chunk) return 0;
        const k = Math.min(n, chunk.length);
        this.view(buf, k).set(chunk.subarray(0, k));
        if (k === chunk.length) this.consoleInput.shift();
        else this.consoleInput[0] = chunk.subarray(k);
        return k;
      },
      cpuinfo: (buf: number, n: number) => {
        const text = enc.encode(this.opts.cpuinfo ?? '');
        if (n > 0) this.view(buf, Math.min(n, text.length)).set(text.subarray(0, n));
        return text.length;
      },
    };
  }
}
