// A guest process (or thread): one RTOS task running the i386 CPU in time
// slices, bound to one kernel task (its pid, fd table, cwd, signals).
// `int 0x80` stops the CPU; the call goes through the i386 ABI layer
// (src/int80) to the kernel or to the RTOS memory handlers. The kernel
// decides everything about processes and signals; this file does what needs
// the CPU: the child's copy of the CPU and memory at clone, the new image at
// execve, signal frames and sigreturn, system call restarts, and CPU faults
// turned into the signals Linux sends.

import createDebug from 'debug';
import { CPU, EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP, readUserDesc } from '../cpu/cpu.js';
import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { loadElf, interpreterOf, parseElf } from '../cpu/elf.js';
import { dispatch } from '../int80/abi.js';
import type { Proc } from '../int80/proc-context.js';
import { forkMappings, nameMapping, renameMappings, setImageInfo } from '../int80/mm.js';
import { straceLine } from '../int80/strace.js';
import { forkAttachments } from '../int80/ipc.js';
import { AltStack, TrapInfo, initFpu, setupFrame, sigreturn, SA_RESTART, type PendingSignal } from '../int80/signal.js';
import type { HostTask, Kernel } from '../rtos/kernel/kernel.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Scheduler, Task } from '../rtos/scheduler.js';
import { GuestMemory, OverlayMemory } from './guest-memory.js';
import type { KernelTasks } from './kernel-tasks.js';
import { KernelSys } from './kernel-sys.js';

const debug = createDebug('tasks:process');

/** Guest instructions per time slice before other tasks get a turn. */
const SLICE = 200_000;
const SIGKILL = 9, SIGSEGV = 11;
const CLONE_VM = 0x100, CLONE_SIGHAND = 0x800, CLONE_VFORK = 0x4000, CLONE_SETTLS = 0x80000;
const ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514, ERESTART_RESTARTBLOCK = 516, EINTR = 4, EFAULT = 14;
const ENV_DEFAULT: string[] = [];

/** State shared by the threads of one process (CLONE_VM / CLONE_SIGHAND). */
interface Shared {
  brk: { start: number; cur: number };
}

/** sa_restorer of each signal's handler: the i386 sigaction has it, the kernel's does not. */
type Restorers = Map<number, number>;

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
  /** load_app --strace: every system call of the program and its children, as strace -f prints them. */
  strace?: (line: string) => void;
  /** pid of the program load_app started (its lines carry no [pid N] prefix) */
  leader?: number;
}

/** Running guest threads by process id (the kernel's tgid), for process_vm_readv/writev. */
const LIVE = new Map<number, Set<GuestProcess>>();

export class GuestProcess implements Proc {
  cpu: CPU;
  mem: AddressSpace;
  brk: { start: number; cur: number };
  scratch = 0;
  /** Page with the sigreturn trampolines, for handlers without a restorer. */
  trampoline = 0;
  readonly host: HostTask;
  readonly overlay: OverlayMemory;
  task: Task | undefined;
  restorers: Restorers;
  /** sigaltstack of this thread */
  altstack = new AltStack();
  /** The last trap that raised a signal, as sigcontext reports it (kept across execve, as Linux's thread struct) */
  trap = new TrapInfo();
  private readonly pending: PendingSignal[] = [];
  /** Set by execve: the CPU state is the new image's, the old call's result is void. */
  private replaced = false;
  private readonly args = new Int32Array(6);
  private calls = 0;
  /** An execve in the kernel: what the kernel executed, once it has (exec below). */
  private execing: { done?: { path: string; interp: string } } | undefined;
  /** The child clone() is making, for the kernel to bind its new task to (adopt below). */
  private cloning: GuestProcess | undefined;
  /** Set on a child made by clone(): starts it once the kernel has made its task (bound below). */
  private forked: (() => void) | undefined;

  constructor(public name: string, readonly env: ProcessEnv, mem: AddressSpace, cpu: CPU, brk: { start: number; cur: number }, restorers: Restorers = new Map()) {
    this.mem = mem;
    this.cpu = cpu;
    this.brk = brk;
    this.restorers = restorers;
    this.overlay = new OverlayMemory(new GuestMemory(mem));
    // The kernel tells this process of its kernel task's life.
    this.host = env.kernel.newHostTask(name, this.overlay, {
      signal: (sig, info, sa, oldmask) => this.signalled(sig, info, sa, oldmask),
      exec: (path, interp) => { if (this.execing) this.execing.done = { path, interp }; },
      adopt: () => { const c = this.cloning; this.cloning = undefined; return c?.host; },
      bound: () => this.forked?.(),
    });
    this.mapHelpers();
  }

  /** The RTOS pages of an address space: scratch (conversions) and the sigreturn trampolines. */
  private mapHelpers(): void {
    const top = 0xc0000000 - 0x1000000;
    this.scratch = this.mem.findFree(2 * PAGE_SIZE, top - 0x100000, top);
    if (this.scratch < 0) throw new Error('no room for the scratch page');
    this.mem.map(this.scratch, PAGE_SIZE, PROT_READ | PROT_WRITE);
    this.trampoline = this.scratch + PAGE_SIZE;
    this.mem.map(this.trampoline, PAGE_SIZE, PROT_READ | PROT_WRITE);
    // sigreturn: pop %eax; mov $119,%eax; int $0x80 — rt_sigreturn: mov $173,%eax; int $0x80
    this.mem.poke(this.trampoline, Uint8Array.from([0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80, 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80]));
    this.mem.protect(this.trampoline, PAGE_SIZE, PROT_READ | PROT_EXEC);
  }

  /** Load an ELF image into a new address space (throws ElfError with errno ENOEXEC and a message). */
  static load(name: string, env: ProcessEnv, image: Uint8Array, argv: string[], envp: string[] = ENV_DEFAULT, execfn?: string, interp?: Uint8Array): GuestProcess {
    const { mem, cpu, brk } = GuestProcess.image(image, argv, envp, execfn, interp);
    return new GuestProcess(name, env, mem, cpu, { start: brk, cur: brk });
  }

  /** A new address space with the program (and its interpreter, already read, for a dynamically linked one). */
  private static image(image: Uint8Array, argv: string[], envp: string[], execfn?: string, interp?: Uint8Array): { mem: AddressSpace; cpu: CPU; brk: number } {
    const mem = new AddressSpace();
    const random = new Uint8Array(16);
    crypto.getRandomValues(random);
    const readFile = (path: string): Uint8Array => {
      if (!interp) throw Object.assign(new Error(`${path}: not read`), { errno: 2 });
      return interp;
    };
    const img = loadElf(mem, image, { argv, envp, random, execfn, readFile });
    // the file-backed pages of the program and its interpreter, named in /proc/PID/maps
    const named = (file: Uint8Array, bias: number, name: string) => {
      for (const ph of parseElf(file).phdrs) {
        if (ph.p_type !== 1 || ph.p_filesz === 0) continue;
        const start = (ph.p_vaddr + bias) & ~(PAGE_SIZE - 1);
        const end = Math.ceil((ph.p_vaddr + bias + ph.p_filesz) / PAGE_SIZE) * PAGE_SIZE;
        nameMapping(mem, start >>> 0, end - start, name, ph.p_offset & ~(PAGE_SIZE - 1));
      }
    };
    if (execfn) named(image, img.loadBias, execfn);
    if (interp && img.interp) named(interp, img.interpBase - (parseElf(interp).phdrs.find((h) => h.p_type === 1)!.p_vaddr & ~(PAGE_SIZE - 1)), img.interp);
    setImageInfo(mem, {
      ...img.stack, startCode: img.startCode, endCode: img.endCode, startData: img.startData, endData: img.endData,
      startStack: img.sp, auxv: img.auxv,
    });
    const cpu = new CPU(mem);
    // execve: fpu_flush_thread gives the new program init_fpstate (FCW 0x37f, MXCSR 0x1f80, x87 empty, xmm zero)
    initFpu(cpu);
    cpu.regs[ESP] = img.sp;
    cpu.eip = img.entry;
    return { mem, cpu, brk: img.brk };
  }

  /** The kernel's id of this thread's process, once it runs. */
  private pid = 0;

  /** Where this process's strace lines go (with a [pid N] prefix for all but load_app's own program). */
  get strace(): ((call: [string, string]) => void) | undefined {
    const out = this.env.strace;
    if (!out) return undefined;
    const prefix = this.pid === this.env.leader ? '' : `[pid ${this.pid}] `;
    return (c) => out(`${straceLine(prefix, c)}\n`);
  }

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
    this.spawn({ path, argv, envp });
    return pid;
  }

  private spawn(exec?: { path: string; argv: string[]; envp: string[] }, prepare?: () => Promise<void>): void {
    this.task = this.env.sched.spawn(this.name, async (task) => {
      if (prepare) await prepare();
      if (exec) {
        const r = await this.kernelExec(exec.path, exec.argv, exec.envp);
        if (r < 0) {
          debug('%s: execve %s in the kernel: errno %d', this.name, exec.path, -r);
          await this.k(NR.exit_group, 126);
          return 126;
        }
        await this.nameExe(exec.path);
      }
      return this.run(task);
    });
    this.env.tasks.bind(this.task, this.host);
  }

  /** Host tasks draining this process's stdout/stderr pipes (load_app joins them). */
  readonly pumps: Task[] = [];

  /** fd `target` becomes the write end of a pipe whose read end a host task drains into `sink`. */
  private async pipeTo(target: number, sink: (d: Uint8Array) => void, caller: Task): Promise<number> {
    const fds = new Uint8Array(8);
    const r = await this.kb(NR.pipe2, fds, 0);
    if (r < 0) return r;
    const v = new DataView(fds.buffer);
    const [rd, wr] = [v.getInt32(0, true), v.getInt32(4, true)];
    await this.k(NR.dup3, wr, target, 0);
    await this.k(NR.close, wr);
    const pid = await this.k(NR.getpid);
    let opened = false;
    const pump = this.env.sched.spawn(`${this.name}:${target === 1 ? 'stdout' : 'stderr'}`, async (t) => {
      const s = new KernelSys(this.env.tasks, t);
      const fd = await s.openat(-100, `/proc/${pid}/fd/${rd}`, 0o2000000 /* O_RDONLY|O_CLOEXEC */);
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
    } else {
      // Standard error on the console's error line (the host's stderr).
      const e = await this.kb(NR.openat, -100, new TextEncoder().encode('/dev/ttyW1\0'), 0o2 | 0o400 /* O_RDWR|O_NOCTTY */, 0);
      if (e >= 0 && e !== 2) {
        await this.k(NR.dup3, e, 2, 0);
        await this.k(NR.close, e);
      }
    }
    const m = this.overlay.args;
    m.reset();
    const enc = new TextEncoder();
    const vec = (list: string[]) => {
      const t = new Uint8Array(4 * (list.length + 1));
      const v = new DataView(t.buffer);
      list.forEach((s, i) => v.setUint32(4 * i, m.map(enc.encode(`${s}\0`)), true));
      return m.map(t);
    };
    const p = m.map(enc.encode(`${path}\0`));
    const av = vec(argv), ev = vec(envp);
    try {
      return await this.k(NR.execve, p, av, ev);
    } finally {
      m.reset();
    }
  }

  /** clone/fork/vfork: the child's CPU and memory here, everything else in the kernel's clone. */
  async clone(flags: number, newsp: number, ptid: number, tls: number, ctid: number, clone3?: Uint8Array): Promise<number> {
    const mem = flags & CLONE_VM ? this.mem : this.mem.clone();
    if (mem !== this.mem) forkMappings(this.mem, mem);
    // fork and threads alike start with the parent's x87, MXCSR and xmm state (fpu_clone copies it)
    const cpu = this.cpu.clone(mem);
    cpu.regs[EAX] = 0;
    if (newsp) cpu.regs[ESP] = newsp;
    if (flags & CLONE_SETTLS) {
      try {
        const r = cpu.setThreadArea(readUserDesc(this.mem, tls >>> 0));
        if (r < 0) return r;
      } catch {
        return -EFAULT;
      }
    }
    const brk = flags & CLONE_VM ? this.brk : { ...this.brk };
    const restorers = flags & CLONE_SIGHAND ? this.restorers : new Map(this.restorers);
    const child = new GuestProcess(this.name, this.env, mem, cpu, brk, restorers);
    // a thread (CLONE_VM without CLONE_VFORK) starts without an alternate stack
    if ((flags & (CLONE_VM | CLONE_VFORK)) !== CLONE_VM) child.altstack = this.altstack.copy();
    child.trap = this.trap.copy();
    // The child runs as soon as the kernel has made its task (a vfork parent waits inside clone).
    const parentMem = this.mem;
    child.forked = () => child.spawn(undefined, mem !== parentMem ? () => forkAttachments(parentMem, child) : undefined);
    this.cloning = child;
    try {
      // the kernel's part (its clone3 when given the struct clone_args, stack and TLS taken out)
      return await (clone3 ? this.kb(NR.clone3, clone3, clone3.length) : this.k(NR.clone, flags & ~CLONE_SETTLS, 0, ptid, ctid, 0));
    } finally {
      this.cloning = undefined;
    }
  }

  /** execve: the kernel does its part (and may refuse); then the new image replaces this one. */
  async execve(pathPtr: number, argvPtr: number, envpPtr: number, at?: { dirfd: number; flags: number }): Promise<number> {
    let argv: string[], envp: string[];
    try {
      argv = this.strings(argvPtr);
      envp = this.strings(envpPtr);
    } catch {
      return -EFAULT;
    }
    if (!at) {
      const r = await this.interpreterMissing(pathPtr);
      if (r < 0) return r;
    }
    const execing: { done?: { path: string; interp: string } } = {};
    this.execing = execing;
    const r = await (at ? this.k(NR.execveat, at.dirfd, pathPtr, argvPtr, envpPtr, at.flags) : this.k(NR.execve, pathPtr, argvPtr, envpPtr));
    this.execing = undefined;
    const done = execing.done;
    if (r < 0 || !done) return r < 0 ? r : -8;
    // Past the point of no return: failures from here on kill the process, as in Linux.
    try {
      let args = argv;
      if (done.interp !== done.path) args = await this.scriptArgs(done.path, argv);
      const image = await this.readFile(done.interp);
      const ld = interpreterOf(image);
      const { mem, cpu, brk } = GuestProcess.image(image, args, envp, done.path, ld === null ? undefined : await this.readFile(ld));
      this.mem = mem;
      this.cpu = cpu;
      this.brk = { start: brk, cur: brk };
      this.restorers = new Map();
      this.altstack = new AltStack();
      this.overlay.guest = new GuestMemory(mem);
      this.mapHelpers();
      this.name = done.path.split('/').pop() ?? this.name;
      await this.nameExe(done.path);
      this.replaced = true;
      return 0;
    } catch (e) {
      debug('%s: exec of %s failed after the point of no return: %s', this.name, done.path, e);
      await this.k(NR.kill, await this.k(NR.getpid), SIGKILL);
      return -8;
    }
  }

  /**
   * As load_elf_binary opens the interpreter before the point of no return:
   * ENOENT (or the open's error) when the program at pathPtr names a
   * PT_INTERP that cannot be opened; 0 otherwise (the kernel judges the rest).
   */
  private async interpreterMissing(pathPtr: number): Promise<number> {
    let path: string;
    try {
      path = new TextDecoder().decode(this.mem.readCString(pathPtr >>> 0, 4096));
    } catch {
      return 0;
    }
    let ld: string | null;
    try {
      ld = interpreterOf(await this.readFile(path, PAGE_SIZE));
    } catch {
      return 0; // not readable or not an ELF program: the kernel's execve says what
    }
    if (ld === null) return 0;
    const fd = await this.kb(NR.openat, -100, new TextEncoder().encode(`${ld}\0`), 0o2000000 /* O_CLOEXEC */, 0);
    if (fd < 0) return fd;
    await this.k(NR.close, fd);
    return 0;
  }

  /** The program's segments in /proc/PID/maps get the file's real name (the kernel's /proc/self/exe). */
  private async nameExe(path: string): Promise<void> {
    const link = new Uint8Array(4096);
    const n = await this.kb(NR.readlinkat, -100, new TextEncoder().encode('/proc/self/exe\0'), link, link.length);
    if (n > 0) renameMappings(this.mem, path, new TextDecoder().decode(link.subarray(0, n)));
  }

  /** argv of a #! script as binfmt_script makes it: interpreter, its optional argument, the script, argv[1..]. */
  private async scriptArgs(script: string, argv: string[]): Promise<string[]> {
    const head = (await this.readFile(script, 256)).subarray(0, 256);
    let line = new TextDecoder().decode(head).split('\n')[0]!.slice(2).replace(/^[ \t]+/, '');
    line = line.replace(/[ \t]+$/, '');
    const sp = line.search(/[ \t]/);
    const arg = sp < 0 ? '' : line.slice(sp).replace(/^[ \t]+/, '');
    const name = sp < 0 ? line : line.slice(0, sp);
    return [name, ...(arg ? [arg] : []), script, ...argv.slice(1)];
  }

  /** A whole file (at most max bytes) through this process's kernel task; throws with the errno when it cannot. */
  async readFile(path: string, max = Infinity): Promise<Uint8Array> {
    const fd = await this.kb(NR.openat, -100, new TextEncoder().encode(`${path}\0`), 0o2000000 /* O_CLOEXEC */, 0);
    if (fd < 0) throw Object.assign(new Error(`${path}: errno ${-fd}`), { errno: -fd });
    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      while (total < max) {
        const buf = new Uint8Array(Math.min(1 << 20, max === Infinity ? 1 << 20 : max));
        const n = await this.kb(NR.read, fd, buf, buf.length);
        if (n < 0) throw Object.assign(new Error(`${path}: read: errno ${-n}`), { errno: -n });
        if (n === 0) break;
        parts.push(buf.subarray(0, n));
        total += n;
      }
    } finally {
      await this.k(NR.close, fd);
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  private strings(ptr: number): string[] {
    const out: string[] = [];
    if (!ptr) return out;
    const dec = new TextDecoder();
    for (let a = ptr >>> 0; ; a += 4) {
      const s = this.mem.read32(a) >>> 0;
      if (!s) break;
      out.push(dec.decode(this.mem.readCString(s, 131072)));
      if (out.length > 65536) throw new Error('E2BIG');
    }
    return out;
  }

  /** rt_sigaction: the i386 struct (handler, flags, restorer, mask) to the kernel's (handler, flags, mask). */
  async sigaction(sig: number, act: number, old: number, size: number): Promise<number> {
    let kact: Uint8Array | undefined;
    let restorer = 0;
    if (act) {
      try {
        const b = this.mem.readBytes(act >>> 0, 20);
        const v = new DataView(b.buffer);
        restorer = v.getUint32(8, true);
        kact = new Uint8Array(16);
        const k = new DataView(kact.buffer);
        k.setUint32(0, v.getUint32(0, true), true);
        k.setUint32(4, v.getUint32(4, true), true);
        k.setUint32(8, v.getUint32(12, true), true);
        k.setUint32(12, v.getUint32(16, true), true);
      } catch {
        return -EFAULT;
      }
    }
    const kold = new Uint8Array(16);
    const r = await this.kb(NR.rt_sigaction, sig, kact ?? 0, old ? kold : 0, size);
    if (r < 0) return r;
    if (old) {
      const o = new Uint8Array(20);
      const ov = new DataView(o.buffer), kv = new DataView(kold.buffer);
      ov.setUint32(0, kv.getUint32(0, true), true);
      ov.setUint32(4, kv.getUint32(4, true), true);
      ov.setUint32(8, this.restorers.get(sig) ?? 0, true);
      ov.setUint32(12, kv.getUint32(8, true), true);
      ov.setUint32(16, kv.getUint32(12, true), true);
      try {
        this.mem.writeBytes(old >>> 0, o);
      } catch {
        return -EFAULT;
      }
    }
    if (kact) this.restorers.set(sig, restorer);
    return 0;
  }

  /** sigreturn (119) / rt_sigreturn (173): registers from the frame, the mask back in the kernel. */
  async sigreturn(rt: boolean): Promise<number> {
    const { mask, ok } = sigreturn(this.cpu, rt, this.altstack);
    if (mask) await this.kb(NR.rt_sigprocmask, 2 /* SIG_SETMASK */, mask, 0, 8);
    if (!ok) {
      // badframe: SIGSEGV, and the call returns 0 (signal_fault)
      await this.k(NR.kill, await this.k(NR.getpid), SIGSEGV);
      return 0;
    }
    this.replaced = true; // eax is the interrupted context's, not a result
    return 0;
  }

  /** From the kernel (signal import): a caught signal to set up before the guest runs on. */
  private signalled(sig: number, info: Uint8Array, sa: Uint8Array, oldmask: Uint8Array): number {
    const v = new DataView(sa.buffer, sa.byteOffset, sa.byteLength);
    this.pending.push({ sig, info, handler: v.getUint32(0, true), flags: v.getUint32(4, true), restorer: this.restorers.get(sig) ?? 0, oldmask });
    return 0;
  }

  /** A system call's result into eax, restarting it when the kernel asks (and a handler allows). */
  private complete(ret: number, nr: number): void {
    const r = this.cpu.regs;
    const code = -ret;
    if (code === ERESTARTSYS || code === ERESTARTNOINTR || code === ERESTARTNOHAND || code === ERESTART_RESTARTBLOCK) {
      const s = this.pending[0];
      const restart = s ? code === ERESTARTNOINTR || (code === ERESTARTSYS && (s.flags & SA_RESTART) !== 0) : true;
      if (restart) {
        r[EAX] = code === ERESTART_RESTARTBLOCK ? 0 /* restart_syscall */ : nr;
        this.cpu.eip = (this.cpu.eip - 2) >>> 0;
        return;
      }
      r[EAX] = -EINTR;
      return;
    }
    r[EAX] = ret;
  }

  private async deliver(): Promise<void> {
    while (this.pending.length) {
      const s = this.pending.shift()!;
      if (!setupFrame(this.cpu, s, this.trampoline, this.altstack, this.trap)) {
        debug('%s: cannot write the frame for signal %d', this.name, s.sig);
        await this.k(NR.kill, await this.k(NR.getpid), SIGSEGV);
        return;
      }
    }
  }

  private async run(task: Task): Promise<number> {
    const t0 = performance.now();
    const tgid = await this.k(NR.getpid);
    this.pid = await this.k(NR.gettid);
    let group = LIVE.get(tgid);
    if (!group) LIVE.set(tgid, (group = new Set()));
    group.add(this);
    try {
      return await this.loop(task);
    } finally {
      group.delete(this);
      if (group.size === 0 && LIVE.get(tgid) === group) LIVE.delete(tgid);
      const s = (performance.now() - t0) / 1000;
      debug('%s: %d instructions in %s s (%s MIPS)', this.name, this.cpu.icount, s.toFixed(3), (this.cpu.icount / s / 1e6).toFixed(1));
    }
  }

  private async loop(task: Task): Promise<number> {
    const a = this.args;
    for (;;) {
      if (this.host.exitCode !== undefined) return this.host.exitCode;
      if (this.pending.length) await this.deliver();
      const cpu = this.cpu, r = cpu.regs;
      const stop = cpu.run(SLICE);
      if (stop.kind === 'budget') {
        await task.yield();
        continue;
      }
      if (stop.kind === 'syscall') {
        // Calls that complete at once do not switch tasks: give the others a turn now and then.
        if (++this.calls % 256 === 0) await task.yield();
        a[0] = r[EBX]!; a[1] = r[ECX]!; a[2] = r[EDX]!; a[3] = r[ESI]!; a[4] = r[EDI]!; a[5] = r[EBP]!;
        const nr = r[EAX]!;
        this.replaced = false;
        let ret = dispatch(this, a, nr);
        if (typeof ret !== 'number') ret = await ret;
        if (this.host.exitCode !== undefined) return this.host.exitCode;
        if (!this.replaced) this.complete(ret, nr);
        continue;
      }
      if (stop.kind === 'fault') {
        debug('%s: fault signal %d code %d addr 0x%s at eip 0x%s', this.name, stop.signo, stop.code, (stop.addr >>> 0).toString(16), (cpu.eip >>> 0).toString(16));
        this.trap.record(stop);
        // The kernel delivers it, with the siginfo the CPU reported; by default the process ends there.
        const pid = await this.k(NR.getpid);
        const info = new Uint8Array(128);
        const iv = new DataView(info.buffer);
        iv.setInt32(0, stop.signo, true);
        iv.setInt32(8, stop.code, true);
        iv.setUint32(12, stop.addr >>> 0, true);
        await this.kb(NR.rt_tgsigqueueinfo, pid, await this.k(NR.gettid), stop.signo, info);
        if (this.host.exitCode === undefined && !this.pending.length) await this.k(NR.kill, pid, SIGKILL);
        continue;
      }
      await this.k(NR.kill, await this.k(NR.getpid), SIGKILL);
    }
  }
}
