// A guest process (or thread): one RTOS task running the i386 CPU in time
// slices, bound to one kernel task (its pid, fd table, cwd, signals).
// `int 0x80` stops the CPU and the call goes to the i386 Linux personality
// (src/int80), which decides with the kernel what it means; this file runs
// the CPU, hands calls over, delivers the signals the kernel reports before
// the guest runs on, turns CPU faults into the signals Linux sends, and
// gives int80 what only a task can: a new RTOS task for a clone, the switch
// to a new image after execve. The first program of load_app starts here
// (its session, its standard output and error).

import createDebug from 'debug';
import { CPU, EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP } from '../cpu/cpu.js';
import { PAGE_SIZE } from '../cpu/memory.js';
import { TRAP_BP, TRAP_DB, TRAP_OF } from '../cpu/fault.js';
import { dispatch } from '../int80/abi.js';
import { execCheck, loadImage, nameExe } from '../int80/exec.js';
import { FD_PAIR, SIGINFO, ULONG } from '../int80/layouts.js';
import type { MmStruct } from '../int80/mm-struct.js';
import type { NewImage, Proc, ThreadState } from '../int80/proc-context.js';
import { childStarts } from '../int80/proc.js';
import type { Tracer } from '../int80/tracer.js';
import { AltStack, SigHand, TrapInfo, caughtSignal, forceSignal, setupFrame, syscallReturn, type PendingSignal } from '../int80/signal.js';
import type { HostTask, Kernel } from '../rtos/kernel/kernel.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Scheduler, Task } from '../rtos/scheduler.js';
import { readFile } from '../rtos/sys.js';
import { AT_FDCWD, O, SIG } from '../uapi/linux.js';
import { GuestMemory, OverlayMemory } from './guest-memory.js';
import type { KernelTasks } from './kernel-tasks.js';
import { KernelSys } from './kernel-sys.js';

const debug = createDebug('tasks:process');

/** Guest instructions per time slice before other tasks get a turn. */
const SLICE = 200_000;
/** Frames charged to the kernel at a time (1 MiB); see GuestProcess.charge. */
const CHARGE_STEP = 256;
const OOM_WAIT_MS = 10, OOM_WAIT_TRIES = 300;
const ENV_DEFAULT: string[] = [];
/** Trap numbers of the stops that leave eip after the instruction (single step, int3, into: src/cpu/README.md). */
const TRAPS = new Set([TRAP_DB, TRAP_BP, TRAP_OF]);
const enc = new TextEncoder();
const cstr = (s: string) => enc.encode(`${s}\0`);

export interface ProcessEnv {
  kernel: Kernel;
  sched: Scheduler;
  tasks: KernelTasks;
  /**
   * Where stdout/stderr of a program started by load_app go when embox's own
   * are not a terminal: a pipe the host drains into these (so programs see a
   * pipe, as they would natively). Absent: the console ttys.
   */
  pipes?: { out?: (d: Uint8Array) => void; err?: (d: Uint8Array) => void };
  /** stderr on the console tty, as stdin and stdout (Console.terminal.errorIsOutput), not on its error line. */
  errOnConsole?: boolean;
  /** strace (or load_app --strace): the session that traces the program and, with -f, its children. */
  tracer?: Tracer;
}

/** Running guest threads by process id (the kernel's tgid), for process_vm_readv/writev. */
const LIVE = new Map<number, Set<GuestProcess>>();

export class GuestProcess implements Proc {
  cpu: CPU;
  mm: MmStruct;
  sighand: SigHand;
  altstack: AltStack;
  trap: TrapInfo;
  replaced = false;
  executed: { path: string; interp: string } | undefined;
  preparedExec: unknown;
  readonly host: HostTask;
  readonly overlay: OverlayMemory;
  task: Task | undefined;
  private readonly pending: PendingSignal[] = [];
  /** The child a clone in progress made, for the kernel's clone to bind its new task to. */
  private child: GuestProcess | undefined;
  /** On a child made by clone: starts it once the kernel has made its task. */
  private bound: (() => void) | undefined;
  private readonly args = new Int32Array(6);
  /** Guest code run since the kernel last took it as user time (ms), and the sampling state. */
  private userMs = 0;
  private runs = 0;
  private longRun = false;
  private calls = 0;

  constructor(public name: string, readonly env: ProcessEnv, state: ThreadState) {
    this.cpu = state.cpu;
    this.mm = state.mm;
    this.sighand = state.sighand;
    this.altstack = state.altstack;
    this.trap = state.trap;
    this.overlay = new OverlayMemory(new GuestMemory(this.mm.mem));
    // The kernel tells this thread of its kernel task's life.
    this.host = env.kernel.newHostTask(name, this.overlay, {
      signal: (sig, info, sa, oldmask) => this.signal(sig, info, sa, oldmask),
      execCheck: (path, interp) => execCheck(this, path, interp),
      userTime: () => { const ns = this.userMs * 1e6; this.userMs = 0; return ns; },
      exec: (path, interp) => { this.executed = { path, interp }; },
      adopt: () => { const c = this.child; this.child = undefined; return c?.host; },
      bound: () => this.bound?.(),
      // a call the kernel answered before the task ended (pause: ERESTARTNOHAND) shows that answer
      exit: (code) => this.env.tracer?.exited(this, code, this.host.lastRet),
    });
  }

  get mem() { return this.mm.mem; }
  get brk() { return this.mm.brk; }

  /** Load an ELF image into a new address space (throws ElfError with errno ENOEXEC and a message). */
  static load(name: string, env: ProcessEnv, image: Uint8Array, argv: string[], envp: string[] = ENV_DEFAULT, execfn?: string, interp?: Uint8Array): GuestProcess {
    const { mm, cpu } = loadImage(image, argv, envp, execfn, interp);
    return new GuestProcess(name, env, { mm, cpu, sighand: new SigHand(), altstack: new AltStack(), trap: new TrapInfo() });
  }

  signalled(sig: number): boolean {
    return this.host.exitCode !== undefined || this.pending.some((s) => s.sig === sig);
  }

  signalsWaiting(): boolean {
    return this.pending.length > 0;
  }

  /** From the kernel (signal import): a caught signal to set up before the guest runs on. */
  private signal(sig: number, info: Uint8Array, sa: Uint8Array, oldmask: Uint8Array): number {
    this.pending.push(caughtSignal(this.sighand, sig, info, sa, oldmask));
    return 0;
  }

  /** The kernel's ids of this thread and its process, once it runs. */
  tid = 0;
  tgid = 0;

  /** The strace session, if the program runs under one. */
  get tracer(): Tracer | undefined {
    return this.env.tracer;
  }

  /** The program load_app started (not a clone of it), and how the system executed it. */
  private first: { path: string; argv: string[]; envp: string[] } | undefined;

  /** A running thread of guest process pid. */
  processOf(pid: number): GuestProcess | undefined {
    const g = LIVE.get(pid);
    if (!g) return undefined;
    for (const t of g) return t;
    return undefined;
  }

  /** Views of kernel memory, one per page (SysV shm segments are mapped in place). */
  kernelPages(addr: number, len: number): Uint8Array[] {
    const buf = this.env.kernel.memory.buffer;
    if (addr & (PAGE_SIZE - 1) || addr + len > buf.byteLength || addr < PAGE_SIZE) throw new Error(`kernel pages at 0x${addr.toString(16)}: out of range`);
    const out: Uint8Array[] = [];
    for (let o = 0; o < len; o += PAGE_SIZE) out.push(new Uint8Array(buf, addr + o, PAGE_SIZE));
    return out;
  }

  /** A kernel call; a number when it completed at once (no task switch), else a promise. */
  k(nr: number, ...args: number[]): number | Promise<number> {
    if (!this.task) return -3;
    return this.env.kernel.call(this.task, this.host, nr, args);
  }

  /** A kernel call with host buffers passed by address (see OverlayMemory). */
  async kb(nr: number, ...args: Array<number | Uint8Array>): Promise<number> {
    const m = this.overlay.args;
    m.reset();
    try {
      return await this.k(nr, ...args.map((a) => (typeof a === 'number' ? a : m.map(a))));
    } finally {
      m.reset();
    }
  }

  /**
   * First process: a fork of `parent`'s kernel task (fd table, cwd), which
   * then execs `path` in the kernel (comm, /proc/self/exe, close-on-exec)
   * and runs the image loaded here. Resolves with the pid.
   */
  async start(parent: HostTask, caller: Task, path: string, argv: string[], envp: string[], started?: (pid: number) => void): Promise<number> {
    const pid = await caller.waitFor(this.env.kernel.clone(parent, this.host, NR.clone, 17 /* SIGCHLD */));
    if (pid < 0) return pid;
    started?.(pid);
    this.first = { path, argv, envp };
    this.spawn({ path, argv, envp });
    return pid;
  }

  private spawn(exec?: { path: string; argv: string[]; envp: string[] }, prepare?: () => Promise<void> | undefined): void {
    this.task = this.env.sched.spawn(this.name, async (task) => {
      if (prepare) await prepare();
      if (exec) {
        const r = await this.kernelExec(exec.path, exec.argv, exec.envp);
        if (r < 0) {
          debug('%s: execve %s in the kernel: errno %d', this.name, exec.path, -r);
          await this.k(NR.exit_group, 126);
          return 126;
        }
        // a signal caught before the exec (by the handlers of the shell's task it was forked from) has no frame in the new image
        this.pending.length = 0;
        await nameExe(this, exec.path);
      }
      return this.run(task);
    });
    this.env.tasks.bind(this.task, this.host);
  }

  /** Host tasks draining this process's stdout/stderr pipes (load_app joins them). */
  readonly pumps: Task[] = [];

  /** fd `target` becomes the write end of a pipe whose read end a host task drains into `sink`. */
  private async pipeTo(target: number, sink: (d: Uint8Array) => void, caller: Task): Promise<number> {
    const fds = new Uint8Array(FD_PAIR.size);
    const r = await this.kb(NR.pipe2, fds, 0);
    if (r < 0) return r;
    const { fd0: rd, fd1: wr } = FD_PAIR.decode(fds);
    await this.k(NR.dup3, wr, target, 0);
    await this.k(NR.close, wr);
    const pid = await this.k(NR.getpid);
    let opened = false;
    const pump = this.env.sched.spawn(`${this.name}:${target === 1 ? 'stdout' : 'stderr'}`, async (t) => {
      this.env.tasks.system(t);
      const s = new KernelSys(this.env.tasks, t);
      const fd = await s.openat(AT_FDCWD, `/proc/${pid}/fd/${rd}`, O.RDONLY | O.CLOEXEC);
      opened = true;
      this.env.sched.wake(caller);
      if (fd < 0) return 1;
      const buf = new Uint8Array(65536);
      for (;;) {
        const n = await s.read(fd, buf);
        if (n <= 0) break;
        sink(buf.slice(0, n));
      }
      await s.close(fd);
      return 0;
    });
    this.pumps.push(pump);
    while (!opened) await caller.block();
    return this.k(NR.close, rd);
  }

  /** execve in the kernel only (the image is already loaded). */
  private async kernelExec(path: string, argv: string[], envp: string[]): Promise<number> {
    // A session of its own with the console as its controlling terminal, as a
    // login shell gets: its process group is the terminal's foreground job, the
    // kernel's line discipline signals that group (Ctrl-C), and shells get job
    // control (tcsetpgrp, SIGTSTP/SIGTTIN) from the kernel.
    await this.k(NR.setsid);
    await this.k(NR.ioctl, 0, 0x540e /* TIOCSCTTY */, 0);
    const pipes = this.env.pipes;
    if (pipes?.out) await this.pipeTo(1, pipes.out, this.task!);
    if (pipes?.err) {
      await this.pipeTo(2, pipes.err, this.task!);
    } else if (!this.env.errOnConsole) {
      // Standard error on the console's error line (the host's stderr).
      const e = await this.kb(NR.openat, AT_FDCWD, cstr('/dev/ttyW1'), O.RDWR | O.NOCTTY, 0);
      if (e >= 0 && e !== 2) {
        await this.k(NR.dup3, e, 2, 0);
        await this.k(NR.close, e);
      }
    }
    const m = this.overlay.args;
    m.reset();
    // char *[] of host strings, NULL-terminated
    const vec = (list: string[]) => {
      const t = new Uint8Array(ULONG.size * (list.length + 1));
      list.forEach((s, i) => ULONG.encode({ v: m.map(cstr(s)) }, t.subarray(ULONG.size * i)));
      return m.map(t);
    };
    const p = m.map(cstr(path));
    const av = vec(argv), ev = vec(envp);
    try {
      return await this.k(NR.execve, p, av, ev);
    } finally {
      m.reset();
    }
  }

  /** clone: the child made by int80's clone runs as a new RTOS task once the kernel has made its kernel task. */
  async spawnChild(state: ThreadState, kernelClone: () => number | Promise<number>): Promise<number> {
    const child = new GuestProcess(this.name, this.env, state);
    // The child runs as soon as the kernel has made its task (a vfork parent waits inside clone).
    child.bound = () => child.spawn(undefined, () => childStarts(child));
    this.child = child;
    try {
      const tid = await kernelClone();
      // its id before it first runs (a signal may end it before then: its end is still this thread's)
      if (tid > 0 && !child.tid) child.tid = tid;
      return tid;
    } finally {
      this.child = undefined;
    }
  }

  /** execve past the point of no return (int80/exec.ts): run the new image. */
  replaceImage(img: NewImage): void {
    this.mm.leave();
    this.useMm(img.mm);
    this.mm = img.mm;
    this.cpu = img.cpu;
    this.overlay.guest = new GuestMemory(img.mm.mem);
    this.name = img.path.split('/').pop() ?? this.name;
  }

  /** This thread runs on mm from now on; its frames count against the machine's memory. */
  private useMm(mm: MmStruct): void {
    mm.enter();
    if (mm.mem.charged < 0) mm.mem.charged = 0;
  }

  /** A whole file (at most max bytes) through this process's kernel task; throws with the errno when it cannot. */
  async readFile(path: string, max = Infinity): Promise<Uint8Array> {
    return readFile({
      openat: (dirfd, p, flags, mode = 0) => this.kb(NR.openat, dirfd, cstr(p), flags, mode),
      read: (fd, buf) => this.kb(NR.read, fd, buf, buf.length),
      close: (fd) => this.k(NR.close, fd),
    }, path, max);
  }

  private async deliver(): Promise<void> {
    while (this.pending.length) {
      const s = this.pending.shift()!;
      this.env.tracer?.signal(this, s.sig, s.info);
      if (!setupFrame(this.cpu, s, this.mm.trampoline, this.altstack, this.trap)) {
        debug('%s: cannot write the frame for signal %d', this.name, s.sig);
        // force_sigsegv: a SIGSEGV handler that cannot get its frame is not tried again
        await forceSignal(this, SIG.SEGV, undefined, s.sig === SIG.SEGV);
        return;
      }
    }
  }

  private async run(task: Task): Promise<number> {
    const t0 = performance.now();
    const tgid = this.tgid = await this.k(NR.getpid);
    this.tid = await this.k(NR.gettid);
    const tracer = this.env.tracer;
    if (tracer) {
      tracer.attach(this, this.first !== undefined);
      // the execve that started it, with the environment's address on its new stack (after argc and argv)
      const f = this.first;
      if (f) tracer.execed(this, f.path, f.argv, f.envp.length, this.cpu.regs[ESP]! + 4 * (f.argv.length + 2));
    }
    let group = LIVE.get(tgid);
    if (!group) LIVE.set(tgid, (group = new Set()));
    group.add(this);
    this.useMm(this.mm);
    try {
      return await this.loop(task);
    } finally {
      this.mm.leave();
      group.delete(this);
      if (group.size === 0 && LIVE.get(tgid) === group) LIVE.delete(tgid);
      const s = (performance.now() - t0) / 1000;
      debug('%s: %d instructions in %s s (%s MIPS)', this.name, this.cpu.icount, s.toFixed(3), (this.cpu.icount / s / 1e6).toFixed(1));
    }
  }

  /**
   * Have the kernel charge this address space's frames (and `more`) to its mm (lkl's
   * kernel/mm.c), a step at a time, giving back what it holds past two steps more than
   * it needs; true when the frames are covered. Short: the kernel's OOM killer ran. If it
   * chose this process, SIGKILL ends it at the loop's top; if another, that one's memory
   * comes back when it is gone.
   */
  async charge(more: number): Promise<boolean> {
    const mm = this.mm, mem = mm.mem;
    // another thread's charge first (waited for as the scheduler's tasks wait: a task awaiting
    // a bare promise keeps the scheduler waiting on it, and the other thread never ran)
    while (mm.charging) await this.task!.waitFor(mm.charging);
    const want = mem.frames + more;
    if (mem.charged >= want && mem.charged - want <= 2 * CHARGE_STEP) return true;
    let done!: () => void;
    mm.charging = new Promise<void>((r) => { done = r; });
    try {
      const r = await this.k(NR.wasm_mm_charge, Math.ceil(want / CHARGE_STEP) * CHARGE_STEP - mem.charged);
      if (r >= 0) mem.charged = r;
      else {
        // a kernel without the call, or a task without an mm: this space is not counted
        debug('%s: frames not charged: errno %d', this.name, -r);
        mem.charged = -1;
      }
    } finally {
      mm.charging = null;
      done();
    }
    return mem.charged < 0 || mem.charged >= want;
  }

  /**
   * Out of memory: the OOM killer has chosen a process. Wait until it is gone and its memory
   * back (this process, if chosen, ends at the loop's top); past OOM_WAIT_MS * OOM_WAIT_TRIES
   * with nothing back, end this one.
   */
  private starved = 0;
  private async outOfMemory(task: Task): Promise<void> {
    if (++this.starved <= OOM_WAIT_TRIES) return task.sleep(OOM_WAIT_MS);
    debug('%s: no memory came back: killed', this.name);
    await this.k(NR.kill, await this.k(NR.getpid), SIG.KILL);
  }

  private async loop(task: Task): Promise<number> {
    const a = this.args;
    for (;;) {
      if (this.host.exitCode !== undefined) return this.host.exitCode;
      if (this.pending.length) await this.deliver();
      // frames taken outside guest code (fork's copy, a new image, a read into fresh pages), or given up
      const mem = this.mm.mem;
      if (mem.charged >= 0 && (mem.frames > mem.charged || mem.charged - mem.frames > 2 * CHARGE_STEP)) {
        if (await this.charge(0)) this.starved = 0;
        else await this.outOfMemory(task);
        continue;
      }
      const cpu = this.cpu, r = cpu.regs;
      // Guest time, sampled: a run between two system calls can be shorter than two clock reads
      // (timing every one cost 10% of a getppid loop), so every run after a budget stop (long)
      // is timed and one in 16 of the others, weighted 16.
      const weight = this.longRun ? 1 : (++this.runs & 15) === 0 ? 16 : 0;
      const t0 = weight ? performance.now() : 0;
      const stop = cpu.run(SLICE);
      if (weight) this.userMs += (performance.now() - t0) * weight;
      this.longRun = stop.kind === 'budget';
      if (stop.kind === 'budget') {
        await task.yield();
        continue;
      }
      if (stop.kind === 'syscall') {
        // Calls that complete at once do not switch tasks: give the others a turn now and then.
        if (++this.calls % 256 === 0) await task.yield();
        if (this.pending.length) {
          // A signal the kernel took while guest code ran (it woke this thread's idle kernel task,
          // which already blocked what the handler blocks): on Linux it interrupts the code before
          // this call. The handler runs first and the call is made when it returns (eip back at
          // int 0x80), so the call sees the guest's own mask, not the handler's (a
          // sigprocmask here read the handler's mask as the old one and restored it afterwards).
          cpu.eip = (cpu.eip - 2) >>> 0;
          continue;
        }
        a[0] = r[EBX]!; a[1] = r[ECX]!; a[2] = r[EDX]!; a[3] = r[ESI]!; a[4] = r[EDI]!; a[5] = r[EBP]!;
        const nr = r[EAX]!;
        this.replaced = false;
        let ret = dispatch(this, a, nr);
        if (typeof ret !== 'number') ret = await ret;
        if (this.host.exitCode !== undefined) return this.host.exitCode;
        if (!this.replaced) syscallReturn(this.cpu, ret, nr, this.pending[0]);
        continue;
      }
      if (stop.kind === 'memory') {
        if (await this.charge(1)) this.starved = 0;
        else await this.outOfMemory(task);
        continue;
      }
      if (stop.kind === 'fault') {
        // a signal taken while guest code ran comes first (as above): with eip at the faulting
        // instruction, it faults again after the handler, under the guest's own mask (forced
        // now, under the handler's, a SIGSEGV would be fatal); traps (eip after) are raised now
        if (this.pending.length && !TRAPS.has(stop.trapno)) continue;
        debug('%s: fault signal %d code %d addr 0x%s at eip 0x%s', this.name, stop.signo, stop.code, (stop.addr >>> 0).toString(16), (cpu.eip >>> 0).toString(16));
        this.trap.record(stop);
        // The kernel delivers it, with the siginfo the CPU reported (force_sig_fault: a blocked or
        // ignored one is fatal); by default the process ends there.
        const info = SIGINFO.encode({ signo: stop.signo, code: stop.code, addr: stop.addr });
        // a fault the program does not catch ends it in the kernel: strace still shows the signal, from here
        this.env.tracer?.forcing(this, stop.signo, info);
        await forceSignal(this, stop.signo, info);
        this.env.tracer?.forcing(this, 0);
        continue;
      }
      await this.k(NR.kill, await this.k(NR.getpid), SIG.KILL);
    }
  }
}
