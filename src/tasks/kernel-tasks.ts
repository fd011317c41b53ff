// Per-task TLS: every RTOS task that calls into the kernel gets its own
// kernel task, a process of its own (pid, fd table, cwd, credentials)
// cloned from init the first time the task makes a system call. The TLS
// destructor ends the kernel task when the RTOS task ends; init ignores
// SIGCHLD, so the kernel reaps it at once and nothing is left behind.

import createDebug from 'debug';
import { NR } from '../rtos/kernel/unistd.js';
import { HostTask, Kernel, NO_MEMORY, type UserMemory } from '../rtos/kernel/kernel.js';
import { TlsKey } from '../rtos/tls.js';
import type { Scheduler, Task } from '../rtos/scheduler.js';
import { E } from '../uapi/errno.js';
import { PR_SET_NAME, SIG, SIG_DFL, SIG_IGN } from '../uapi/linux.js';
import { KSIGACTION, SIGSET } from '../int80/layouts.js';
import { ArgMemory } from './arg-memory.js';

const debug = createDebug('tasks:kernel');


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

  constructor(readonly kernel: Kernel, private readonly sched: Scheduler) {
    this.key = new TlsKey<HostTask>('kernel-task', (h) => this.release(h));
    this.initLane = new Lane(sched);
  }

  /** Calls on init's kernel task, from any RTOS task (queued one at a time). */
  initCall(task: Task, nr: number, args: number[], mem: UserMemory = NO_MEMORY): Promise<number> {
    const init = this.kernel.init;
    if (!init) return Promise.resolve(-E.ESRCH);
    return this.initLane.run(task, async () => {
      const saved = init.mem;
      init.mem = mem;
      try {
        return await this.kernel.call(task, init, nr, args);
      } finally {
        init.mem = saved;
      }
    });
  }

  /** Boot-time setup of init: ignore SIGCHLD so the tasks it clones for RTOS tasks are reaped at once. */
  async setupInit(task: Task): Promise<void> {
    const r = await this.sigaction(task, (nr, args, mem) => this.initCall(task, nr, args, mem), SIG_IGN);
    if (r < 0) throw new Error(`init: rt_sigaction(SIGCHLD): errno ${-r}`);
  }

  private sigaction(task: Task, call: (nr: number, args: number[], mem: UserMemory) => Promise<number>, handler: number): Promise<number> {
    const mem = new ArgMemory();
    const act = KSIGACTION.encode({ handler });
    return call(NR.rt_sigaction, [SIG.CHLD, mem.map(act), 0, SIGSET.size], mem);
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

  /** The task's host task, creating its kernel task on first use. */
  async of(task: Task): Promise<HostTask> {
    const have = this.key.get(task);
    if (have) return have;
    const mem = new ArgMemory();
    const h = this.kernel.newHostTask(task.name, mem);
    const pid = await this.initLane.run(task, () => task.waitFor(this.kernel.clone(this.kernel.init!, h, NR.clone, SIG.CHLD)));
    if (pid < 0) throw new Error(`cannot create a kernel task for ${task.name}: errno ${-pid}`);
    this.created++;
    // Its own children (guest programs) must be waitable again.
    await this.sigaction(task, async (nr, args, m) => this.callOn(task, h, nr, args, m), SIG_DFL);
    // comm: the RTOS task's name (ps, /proc/PID/comm), not init's.
    const name = new ArgMemory();
    await this.callOn(task, h, NR.prctl, [PR_SET_NAME, name.map(new TextEncoder().encode(`${task.name.slice(0, 15)}\0`))], name);
    this.key.set(task, h);
    debug('task %d (%s) -> kernel pid %d', task.id, task.name, pid);
    return h;
  }

  /** A system call of task in its own kernel task; mem maps its pointer arguments. */
  /** A number when the call completed at once (no task switch), else a promise. */
  call(task: Task, nr: number, args: number[], mem?: UserMemory): number | Promise<number> {
    const h = this.key.get(task);
    if (h) return this.callOn(task, h, nr, args, mem);
    return this.of(task).then((hh) => this.callOn(task, hh, nr, args, mem));
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

  /** TLS destructor: the RTOS task ended; end its kernel task (exit(0)) without waiting. */
  private release(h: HostTask): void {
    if (!this.kernel.running || h.exitCode !== undefined) return;
    // exit does not return: the request completes when the kernel task has exited (or the kernel halted).
    this.kernel.submit(h, NR.exit, [0]).then(() => {
      if (h.exitCode !== undefined) this.ended++;
    }, (e) => debug('exit of %s: %s', h.name, e));
  }
}
