// Per-task TLS: every RTOS task that calls into the kernel gets its own
// kernel task, a process of its own (pid, fd table, cwd, credentials)
// cloned from init the first time the task makes a system call. The TLS
// destructor ends the kernel task when the RTOS task ends; init ignores
// SIGCHLD, so the kernel reaps it at once and nothing is left behind.
//
// A guest can signal these kernel tasks (kill -1, kill of the shell's pid),
// and the system's own tasks must live on: they catch every signal whose
// default would end or stop them (a handler that does nothing, inherited
// from init), restart the calls a signal interrupted, are continued when
// SIGSTOP stopped them, and a task whose kernel task was killed (SIGKILL)
// gets a new one on its next call, in the directory the old one was in.

import createDebug from 'debug';
import { NR } from '../rtos/kernel/unistd.js';
import { HostTask, Kernel, NO_MEMORY, type UserMemory } from '../rtos/kernel/kernel.js';
import { TlsKey } from '../rtos/tls.js';
import type { Scheduler, Task } from '../rtos/scheduler.js';
import type { TlsOwner } from '../rtos/tls.js';
import { E, ERESTART } from '../uapi/errno.js';
import { CLONE, PR_SET_NAME, SA, SIG, SIG_DFL, SIG_IGN } from '../uapi/linux.js';
import { KSIGACTION, SIGSET } from '../int80/layouts.js';
import { ArgMemory } from './arg-memory.js';

const debug = createDebug('tasks:kernel');

/** What an interrupted call returns: the caller restarts it (the kernel's restart codes). */
const RESTARTS = new Set<number>([-ERESTART.SYS, -ERESTART.NOINTR, -ERESTART.NOHAND, -ERESTART.RESTARTBLOCK]);
/** Signals whose default action ends or stops a process; SIGKILL and SIGSTOP cannot be caught. */
const CAUGHT = Array.from({ length: 64 }, (_, i) => i + 1)
  .filter((s) => ![SIG.KILL, SIG.STOP, SIG.CHLD, SIG.CONT, SIG.URG, SIG.WINCH].includes(s as never));
/**
 * The handler of CAUGHT: any address but SIG_DFL and SIG_IGN. These tasks
 * run no user code: the kernel hands the signal to the host, which does
 * nothing with it. SA_NODEFER and an empty mask leave the blocked set as it
 * was (no sigreturn will restore it), and handlers are reset at execve, so
 * the programs the shell starts get the default actions.
 */
const NOTHING = 2;
/** How long a request may wait untaken before its stopped kernel task gets SIGCONT (ms). */
const STOPPED_MS = 100;
const dec = new TextDecoder();

/**
 * Serializes requests of several RTOS tasks on one host task (init). Waiting
 * is blocking the RTOS task, so each request is still made from its own task.
 */
class Lane {
  private owner: Task | undefined;
  private readonly waiters: Task[] = [];
  constructor(private readonly sched: Scheduler) {}

  async run<T>(task: Task, f: () => Promise<T>): Promise<T> {
    while (this.owner) {
      this.waiters.push(task);
      await task.block();
    }
    this.owner = task;
    try {
      return await f();
    } finally {
      this.owner = undefined;
      const w = this.waiters.shift();
      if (w) this.sched.wake(w);
    }
  }
}

export class KernelTasks {
  private readonly key: TlsKey<HostTask>;
  private readonly initLane: Lane;
  /** Kernel tasks created and ended so far. */
  created = 0;
  ended = 0;
  /** Kernel tasks of RTOS tasks made again after a signal killed theirs. */
  remade = 0;
  /** The kernel tasks this class made for RTOS tasks (not a guest's, bound with bind()). */
  private readonly own = new WeakSet<HostTask>();
  /** Tasks whose kernel task is a thread of init (system()). */
  private readonly threads = new WeakSet<Task>();
  /** The working directory of a task's kernel task, after its last chdir: where a new one starts. */
  private readonly cwd = new WeakMap<Task, string>();
  /** Own kernel tasks with a call outstanding, since when (ms). */
  private readonly waiting = new Map<HostTask, number>();
  /** The task that continues stopped kernel tasks, while calls are outstanding. */
  private watcher: Task | undefined;

  constructor(readonly kernel: Kernel, private readonly sched: Scheduler) {
    this.key = new TlsKey<HostTask>('kernel-task', (h, t) => this.release(h, t));
    this.initLane = new Lane(sched);
  }

  /** Calls on init's kernel task, from any RTOS task (queued one at a time; restarted when a signal interrupts them). */
  initCall(task: Task, nr: number, args: number[], mem: UserMemory = NO_MEMORY): Promise<number> {
    const init = this.kernel.init;
    if (!init) return Promise.resolve(-E.ESRCH);
    return this.initLane.run(task, async () => {
      const saved = init.mem;
      init.mem = mem;
      try {
        let r: number;
        do r = await this.kernel.call(task, init, nr, args);
        while (RESTARTS.has(r) && init.exitCode === undefined);
        return r;
      } finally {
        init.mem = saved;
      }
    });
  }

  /**
   * Boot-time setup of init: ignore SIGCHLD so the tasks it clones for RTOS
   * tasks are reaped at once, and catch the signals that would end or stop
   * them (see NOTHING; init itself is unkillable, as Linux's).
   */
  async setupInit(task: Task): Promise<void> {
    const call = (nr: number, args: number[], mem: UserMemory) => this.initCall(task, nr, args, mem);
    let r = await this.sigaction(call, SIG.CHLD, SIG_IGN);
    if (r < 0) throw new Error(`init: rt_sigaction(SIGCHLD): errno ${-r}`);
    for (const sig of CAUGHT) {
      r = await this.sigaction(call, sig, NOTHING, SA.NODEFER | SA.RESTART);
      if (r < 0) throw new Error(`init: rt_sigaction(${sig}): errno ${-r}`);
    }
  }

  private sigaction(call: (nr: number, args: number[], mem: UserMemory) => number | Promise<number>, sig: number, handler: number, flags = 0): number | Promise<number> {
    const mem = new ArgMemory();
    const act = KSIGACTION.encode({ handler, flags });
    return call(NR.rt_sigaction, [sig, mem.map(act), 0, SIGSET.size], mem);
  }

  /** Bind an RTOS task to a host task made elsewhere (a guest process's). */
  bind(task: Task, h: HostTask): void {
    this.key.set(task, h);
    this.created++;
  }

  /** The task's host task if it already has one. */
  peek(task: Task): HostTask | undefined {
    return this.key.get(task);
  }

  /**
   * The system's own workers that must outlive whatever a guest does (the
   * output and input pumps): their kernel tasks are threads of init, which
   * kill(-1) and every signal from a program pass over, as Linux spares init.
   * Call before the task's first system call.
   */
  system(task: Task): void {
    this.threads.add(task);
  }

  /** The task's host task, creating its kernel task on first use (and again when a signal killed it). */
  async of(task: Task): Promise<HostTask> {
    const have = this.key.get(task);
    if (have && !this.killed(have)) return have;
    if (have) {
      // Dropped without its destructor: there is no kernel task left to end.
      this.key.set(task, undefined);
      this.remade++;
      debug('task %d (%s): kernel pid %d was killed (status 0x%s); making a new one', task.id, task.name, have.pid, (have.exitCode ?? 0).toString(16));
    }
    const mem = new ArgMemory();
    const h = this.kernel.newHostTask(task.name, mem);
    let pid: number;
    const thread = this.threads.has(task);
    const flags = thread ? CLONE.VM | CLONE.SIGHAND | CLONE.THREAD : SIG.CHLD;
    do pid = await this.initLane.run(task, () => task.waitFor(this.kernel.clone(this.kernel.init!, h, NR.clone, flags)));
    while (RESTARTS.has(pid)); // fork is restarted when a signal comes in meanwhile
    if (pid < 0) throw new Error(`cannot create a kernel task for ${task.name}: errno ${-pid}`);
    this.created++;
    this.own.add(h);
    // Its own children (guest programs) must be waitable again (a thread of init shares init's handlers: it has none).
    if (!thread) await this.sigaction((nr, args, m) => this.callOn(task, h, nr, args, m), SIG.CHLD, SIG_DFL);
    // comm: the RTOS task's name (ps, /proc/PID/comm), not init's.
    const name = new ArgMemory();
    await this.callOn(task, h, NR.prctl, [PR_SET_NAME, name.map(new TextEncoder().encode(`${task.name.slice(0, 15)}\0`))], name);
    const dir = this.cwd.get(task);
    if (dir !== undefined) {
      const path = new ArgMemory();
      await this.callOn(task, h, NR.chdir, [path.map(new TextEncoder().encode(`${dir}\0`))], path);
    }
    this.key.set(task, h);
    debug('task %d (%s) -> kernel pid %d', task.id, task.name, pid);
    return h;
  }

  /** An own kernel task that is gone (a signal killed it): the task gets a new one. */
  private killed(h: HostTask): boolean {
    return h.exitCode !== undefined && this.own.has(h);
  }

  /** Whether the task's kernel task is the one it had: false once a signal killed it. */
  alive(task: Task, h: HostTask): boolean {
    return this.key.get(task) === h && h.exitCode === undefined;
  }

  /** A system call of task in its own kernel task; mem maps its pointer arguments. */
  /** A number when the call completed at once (no task switch), else a promise. */
  call(task: Task, nr: number, args: number[], mem?: UserMemory): number | Promise<number> {
    const h = this.key.get(task);
    if (!h || this.killed(h)) return this.of(task).then(() => this.call(task, nr, args, mem));
    const r = this.callOn(task, h, nr, args, mem);
    if (!this.own.has(h) || (typeof r === 'number' && !RESTARTS.has(r) && !(r === 0 && (nr === NR.chdir || nr === NR.fchdir)))) return r;
    return this.settle(task, h, nr, args, mem, r);
  }

  /**
   * The result of an own task's call: restarted when a signal interrupted it
   * (the task catches them, or was stopped and is continued), EINTR when the
   * signal killed the kernel task (the next call gets a new one); after a
   * chdir, the directory is remembered for a new kernel task.
   */
  private async settle(task: Task, h: HostTask, nr: number, args: number[], mem: UserMemory | undefined, first: number | Promise<number>): Promise<number> {
    let r = first;
    for (;;) {
      if (typeof r !== 'number') {
        this.waiting.set(h, Date.now());
        this.watch();
        try {
          r = await r;
        } finally {
          this.waiting.delete(h);
        }
      }
      if (h.exitCode !== undefined) return r < 0 ? -E.EINTR : r;
      if (!RESTARTS.has(r)) break;
      r = this.callOn(task, h, nr, args, mem);
    }
    if (r === 0 && (nr === NR.chdir || nr === NR.fchdir)) {
      const buf = new Uint8Array(4096), m = new ArgMemory();
      const n = await this.callOn(task, h, NR.getcwd, [m.map(buf), buf.length], m);
      if (n > 0) this.cwd.set(task, dec.decode(buf.subarray(0, n - 1)));
    }
    return r;
  }

  /**
   * While own tasks have calls outstanding: a request that its kernel task
   * has not taken for STOPPED_MS means SIGSTOP stopped the task (it takes
   * requests only when running); init sends it SIGCONT. SIGCONT to a running
   * task is ignored (its action is the default), so nothing else changes.
   */
  private watch(): void {
    if (this.watcher || !this.kernel.running) return;
    this.watcher = this.sched.spawn('kernel-tasks', async (t) => {
      try {
        while (this.waiting.size > 0 && this.kernel.running) {
          await t.sleep(STOPPED_MS);
          const now = Date.now();
          for (const [h, since] of [...this.waiting]) {
            if (h.pending && h.exitCode === undefined && h.pid > 0 && now - since >= STOPPED_MS) {
              debug('kernel pid %d (%s) takes no requests (stopped?): SIGCONT', h.pid, h.name);
              await this.initCall(t, NR.kill, [h.pid, SIG.CONT]);
            }
          }
        }
      } finally {
        this.watcher = undefined;
      }
      return 0;
    });
  }

  private callOn(task: Task, h: HostTask, nr: number, args: number[], mem?: UserMemory): number | Promise<number> {
    const saved = h.mem;
    if (mem) h.mem = mem;
    let r: number | Promise<number>;
    try {
      r = this.kernel.call(task, h, nr, args);
    } catch (e) {
      h.mem = saved;
      throw e;
    }
    if (typeof r === 'number') {
      h.mem = saved;
      return r;
    }
    return r.finally(() => { h.mem = saved; });
  }

  /**
   * TLS destructor: the RTOS task ended; end its kernel task without waiting:
   * exit(0), or for a guest's task that failed on a host error SIGKILL to its
   * process (as Linux kills a task that oopses), so that its parent sees it
   * die rather than exit cleanly and no thread waits for it forever.
   */
  private release(h: HostTask, owner: TlsOwner): void {
    if (!this.kernel.running || h.exitCode !== undefined) return;
    const failed = (owner as Partial<Task>).error !== undefined && !this.own.has(h);
    // exit does not return: the request completes when the kernel task has exited (or the kernel halted).
    const end = failed
      ? this.kernel.submit(h, NR.getpid, []).then((pid) => (pid > 0 ? this.kernel.submit(h, NR.kill, [pid, SIG.KILL]) : pid))
      : this.kernel.submit(h, NR.exit, [0]);
    end.then(() => {
      if (h.exitCode !== undefined) this.ended++;
    }, (e) => debug('end of %s: %s', h.name, e));
  }
}
