// Cooperative, deterministic scheduler on one JS thread.
//
// Exactly one task runs at a time. A task gives the CPU back only at its own
// switch points (yield, block, sleep, waitFor, exit), and the ready queue is
// FIFO, so the same inputs always give the same order of execution. When no
// task is ready, registered idle handlers run (the kernel host delivers timers
// and console input there) and the scheduler then waits for a host event
// (wake/notify) without polling.
//
// Task bodies come in two shapes:
//  - async function `async (task) => status`: suspends with `await task.yield()`,
//    `await task.block()`, `await task.sleep(ms)`, `await task.waitFor(promise)`;
//  - step function `(task) => StepResult`: called once per time slice; returns
//    YIELD (run again later), BLOCK (wait for wake()) or a number (exit status).
//    A guest CPU runs interpreter slices this way.
// The first call tells them apart: a body that returns a promise is async.

import { runTlsDestructors } from './tls.js';

export type TaskState = 'ready' | 'running' | 'blocked' | 'done';

export const YIELD = 'yield' as const;
export const BLOCK = 'block' as const;
/** What a step function returns: run again, wait for wake(), or exit with a status. */
export type StepResult = typeof YIELD | typeof BLOCK | number | void;

export type AsyncBody = (task: Task) => Promise<number | void>;
export type StepBody = (task: Task) => StepResult;
export type TaskBody = AsyncBody | StepBody;

/** Exit status given to a task whose body threw. */
export const CRASH_STATUS = 255;

/** Runs when nothing is ready; may wake tasks. May return a promise (awaited before waiting). */
export type IdleHandler = (sched: Scheduler) => void | Promise<void>;

export interface SchedulerOptions {
  /**
   * While tasks stay ready, give the host event loop a turn (so stdin, timers
   * and I/O callbacks run) and call the idle handlers at least this often, in
   * milliseconds. Default 10.
   */
  pollMs?: number;
  /** Called when a task body throws; default prints nothing (the error is kept on the task). */
  onTaskError?: (task: Task, error: unknown) => void;
  /** Clock in milliseconds; default performance.now / Date.now. */
  now?: () => number;
}

export interface RunOptions {
  /** Return as soon as this task is done (other tasks stay as they are). */
  until?: Task;
}

export type RunResult =
  /** Every task is done. */
  | { reason: 'done' }
  /** The `until` task is done. */
  | { reason: 'until'; status: number }
  /** Tasks are blocked, nothing is ready and no host event source is registered. */
  | { reason: 'deadlock'; blocked: Task[] }
  /** stop() was called. */
  | { reason: 'stopped' };

export class Task {
  readonly id: number;
  readonly name: string;
  state: TaskState = 'ready';
  exitStatus: number | undefined = undefined;
  /** What the body threw, if it did. */
  error: unknown = undefined;
  /** Task-local storage values by key id (see tls.ts). */
  readonly tls = new Map<number, unknown>();
  /** Number of times the task was given the CPU. */
  switches = 0;
  /** Milliseconds the task has run, up to its last switch point (Scheduler.cpuTime adds the slice in progress). */
  cpuMs = 0;
  /** Done and cleaned up: TLS destructors ran, joiners were told. */
  ended = false;

  /** @internal */ body: TaskBody;
  /** @internal */ mode: 'new' | 'async' | 'step' = 'new';
  /** @internal resolves the promise an async task is suspended on */
  resume: ((v: void) => void) | undefined = undefined;
  /** @internal a wake() arrived while the task was running: its next block() returns at once */
  wakePending = false;
  private readonly exitWaiters: Array<(status: number) => void> = [];

  constructor(private readonly sched: Scheduler, id: number, name: string, body: TaskBody) {
    this.id = id;
    this.name = name;
    this.body = body;
  }

  /** Let other ready tasks run; resumes after them (round robin). */
  yield(): Promise<void> {
    return this.sched.suspend(this, 'ready');
  }

  /** Sleep until wake(task). A wake that came earlier while running is not lost. */
  block(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return this.yield();
    }
    return this.sched.suspend(this, 'blocked');
  }

  /** Block for at least `ms` milliseconds of host time. */
  sleep(ms: number): Promise<void> {
    return this.waitFor(new Promise<void>((r) => setTimeout(r, Math.max(0, ms))));
  }

  /**
   * Block until a host promise settles, letting other tasks run meanwhile.
   * Use this (not a bare await) for host I/O inside a task.
   */
  async waitFor<T>(p: Promise<T>): Promise<T> {
    let settled = false;
    let value: T | undefined;
    let failure: { e: unknown } | undefined;
    this.sched.ref();
    p.then(
      (v) => { value = v; },
      (e) => { failure = { e }; },
    ).finally(() => {
      settled = true;
      this.sched.unref();
      this.sched.wake(this);
    });
    while (!settled) await this.block();
    if (failure) throw failure.e;
    return value as T;
  }

  /**
   * For step tasks: wake this task when `p` settles (the step then returns
   * BLOCK). The promise's outcome is for the caller to collect.
   */
  wakeWhen(p: Promise<unknown>): void {
    this.sched.ref();
    const done = () => {
      this.sched.unref();
      this.sched.wake(this);
    };
    p.then(done, done);
  }

  /** Resolves with the exit status when the task is done (does not switch tasks by itself). */
  exited(): Promise<number> {
    if (this.ended) return Promise.resolve(this.exitStatus ?? 0);
    return new Promise((r) => this.exitWaiters.push(r));
  }

  /** From another task: block the caller until this task is done. */
  async join(caller: Task): Promise<number> {
    if (!this.ended) {
      this.exitWaiters.push(() => this.sched.wake(caller));
      while (!this.ended) await caller.block();
    }
    return this.exitStatus ?? 0;
  }

  /** @internal */
  notifyExit(): void {
    const status = this.exitStatus ?? 0;
    for (const w of this.exitWaiters.splice(0)) w(status);
  }
}

export interface TaskInfo {
  id: number;
  name: string;
  state: TaskState;
  exitStatus: number | undefined;
}

const hostTurn: () => Promise<void> = (() => {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate;
    return () => new Promise<void>((r) => { si(r); });
  }
  // a browser: a message posted to itself runs at once, where nested zero
  // timeouts wait 4 ms each (HTML's clamp)
  const MC = (globalThis as unknown as { MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(m: unknown): void } } }).MessageChannel;
  if (MC) {
    const ch = new MC();
    const waiting: Array<() => void> = [];
    ch.port1.onmessage = () => waiting.shift()?.();
    return () => new Promise<void>((r) => { waiting.push(r); ch.port2.postMessage(0); });
  }
  return () => new Promise<void>((r) => { setTimeout(r, 0); });
})();

export class Scheduler {
  private nextId = 1;
  private readonly tasks = new Map<number, Task>();
  private readonly ready: Task[] = [];
  private readonly idleHandlers: IdleHandler[] = [];
  private current_: Task | undefined = undefined;
  /** When the running task's slice began (its cpuMs grows by the slice at its end). */
  private sliceStart = 0;
  /** Resolves run()'s wait for the running async task to reach a switch point. */
  private switchDone: (() => void) | undefined = undefined;
  /** Resolves run()'s wait for a host event while idle. */
  private hostEvent: (() => void) | undefined = undefined;
  private eventPending = false;
  private refs = 0;
  /** Tasks whose TLS destructors are running. */
  private readonly ending = new Set<Task>();
  private running = false;
  private stopRequested = false;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly onTaskError: ((task: Task, error: unknown) => void) | undefined;

  constructor(opts: SchedulerOptions = {}) {
    this.pollMs = opts.pollMs ?? 10;
    const perf = (globalThis as { performance?: { now(): number } }).performance;
    this.now = opts.now ?? (perf ? () => perf.now() : () => Date.now());
    this.onTaskError = opts.onTaskError;
  }

  /** The task that is running now (undefined between tasks and outside run()). */
  get current(): Task | undefined {
    return this.current_;
  }

  /** Create a ready task; it runs once run() reaches it. */
  spawn(name: string, body: TaskBody): Task {
    const t = new Task(this, this.nextId++, name, body);
    this.tasks.set(t.id, t);
    this.ready.push(t);
    this.signalHost();
    return t;
  }

  /** Milliseconds a task has run so far, its current slice included (strace -c's time of a call). */
  cpuTime(task: Task): number {
    return task.cpuMs + (task === this.current_ ? this.now() - this.sliceStart : 0);
  }

  /** The running task, or an error when called outside a task. */
  self(): Task {
    if (!this.current_) throw new Error('not called from a running task');
    return this.current_;
  }

  /** yield() of the running task. */
  yield(): Promise<void> {
    return this.self().yield();
  }

  /** block() of the running task. */
  block(): Promise<void> {
    return this.self().block();
  }

  /** Make a blocked task ready. Safe from host callbacks and idle handlers. */
  wake(task: Task): void {
    if (task.state === 'blocked') {
      task.state = 'ready';
      this.ready.push(task);
      this.signalHost();
    } else if (task.state === 'running') {
      task.wakePending = true;
    }
  }

  /** Tell an idle scheduler that a host event happened (it re-runs the idle handlers). */
  notify(): void {
    this.signalHost();
  }

  /**
   * A host event source that can wake tasks later (timer, console, I/O) is
   * active. While refs are held, an idle scheduler with blocked tasks waits
   * instead of reporting a deadlock.
   */
  ref(): void {
    this.refs++;
  }

  unref(): void {
    if (this.refs > 0) this.refs--;
  }

  addIdleHandler(h: IdleHandler): () => void {
    this.idleHandlers.push(h);
    return () => {
      const i = this.idleHandlers.indexOf(h);
      if (i >= 0) this.idleHandlers.splice(i, 1);
    };
  }

  /** End a task that is not running: it is never resumed again; TLS destructors run. */
  async kill(task: Task, status: number): Promise<void> {
    if (task.state === 'done') return;
    if (task === this.current_) throw new Error('a task cannot kill itself; return from its body instead');
    const i = this.ready.indexOf(task);
    if (i >= 0) this.ready.splice(i, 1);
    task.resume = undefined;
    await this.finish(task, status);
  }

  /** Make run() return after the running task's next switch point. */
  stop(): void {
    this.stopRequested = true;
    this.signalHost();
  }

  /** Tasks that are not done, by id. */
  ps(): TaskInfo[] {
    return [...this.tasks.values()].map((t) => ({ id: t.id, name: t.name, state: t.state, exitStatus: t.exitStatus }));
  }

  task(id: number): Task | undefined {
    return this.tasks.get(id);
  }

  /** Run tasks until all are done, `until` is done, stop(), or deadlock. */
  async run(opts: RunOptions = {}): Promise<RunResult> {
    if (this.running) throw new Error('scheduler is already running');
    this.running = true;
    this.stopRequested = false;
    let lastPoll = this.now();
    try {
      for (;;) {
        if (opts.until && opts.until.state === 'done') return { reason: 'until', status: opts.until.exitStatus ?? 0 };
        if (this.stopRequested) return { reason: 'stopped' };
        const t = this.ready.shift();
        if (!t) {
          const live = [...this.tasks.values()].filter((x) => x.state !== 'done');
          if (live.length === 0 && !opts.until) return { reason: 'done' };
          await this.runIdle();
          if (this.ready.length > 0 || this.stopRequested) continue;
          if (this.refs === 0 && !this.eventPending && this.idleHandlers.length === 0) {
            return { reason: 'deadlock', blocked: live };
          }
          await this.waitHostEvent();
          continue;
        }
        await this.runSlice(t);
        // A task that never blocks must not starve host I/O: give the event loop a turn.
        const now = this.now();
        if (now - lastPoll >= this.pollMs) {
          lastPoll = now;
          await hostTurn();
          await this.runIdle();
        }
      }
    } finally {
      this.running = false;
      this.current_ = undefined;
    }
  }

  /** @internal suspend the running async task; resolves when it is scheduled again */
  suspend(task: Task, state: 'ready' | 'blocked'): Promise<void> {
    if (task !== this.current_ || task.mode === 'step') {
      throw new Error(`task ${task.id} (${task.name}) can only switch from its own running async body`);
    }
    task.mode = 'async';
    task.state = state;
    if (state === 'ready') this.ready.push(task);
    const p = new Promise<void>((r) => { task.resume = r; });
    this.endSlice();
    return p;
  }

  private endSlice(): void {
    const done = this.switchDone;
    this.switchDone = undefined;
    this.current_ = undefined;
    done?.();
  }

  private async runSlice(t: Task): Promise<void> {
    this.current_ = t;
    t.state = 'running';
    t.switches++;
    t.wakePending = false;
    const start = this.sliceStart = this.now();
    if (t.mode === 'step') {
      this.stepOnce(t);
      this.current_ = undefined;
    } else {
      const sliceOver = new Promise<void>((r) => { this.switchDone = r; });
      if (t.mode === 'new') {
        this.start(t);
      } else {
        const r = t.resume;
        t.resume = undefined;
        r?.();
      }
      await sliceOver;
    }
    t.cpuMs += this.now() - start;
    if ((t.state as TaskState) === 'done') await this.finish(t, t.exitStatus ?? 0);
  }

  private start(t: Task): void {
    let r: unknown;
    try {
      r = t.body(t);
    } catch (e) {
      this.crash(t, e);
      this.endSlice();
      return;
    }
    if (isThenable(r)) {
      t.mode = 'async';
      (r as Promise<number | void>).then(
        (status) => this.exitAsync(t, typeof status === 'number' ? status : 0),
        (e) => {
          if (t.state === 'done') return;
          this.crash(t, e);
          if (this.current_ === t) this.endSlice();
        },
      );
    } else {
      t.mode = 'step';
      this.applyStep(t, r as StepResult);
      this.endSlice();
    }
  }

  private stepOnce(t: Task): void {
    let r: StepResult;
    try {
      r = (t.body as StepBody)(t);
    } catch (e) {
      this.crash(t, e);
      return;
    }
    this.applyStep(t, r);
  }

  private applyStep(t: Task, r: StepResult): void {
    if (t.state === 'done') return;
    if (typeof r === 'number') {
      t.state = 'done';
      t.exitStatus = r;
    } else if (r === BLOCK && !t.wakePending) {
      t.state = 'blocked';
    } else {
      t.state = 'ready';
      this.ready.push(t);
    }
    t.wakePending = false;
  }

  private exitAsync(t: Task, status: number): void {
    if (t.state === 'done') return; // killed meanwhile
    t.state = 'done';
    t.exitStatus = status;
    if (this.current_ === t) this.endSlice();
  }

  private crash(t: Task, e: unknown): void {
    t.error = e;
    t.state = 'done';
    t.exitStatus = CRASH_STATUS;
    this.onTaskError?.(t, e);
  }

  private async finish(t: Task, status: number): Promise<void> {
    if (t.ended || this.ending.has(t)) return;
    this.ending.add(t);
    t.state = 'done';
    t.exitStatus = status;
    await runTlsDestructors(t, (e) => this.onTaskError?.(t, e));
    this.tasks.delete(t.id);
    t.ended = true;
    this.ending.delete(t);
    t.notifyExit();
  }

  private async runIdle(): Promise<void> {
    this.eventPending = false;
    for (const h of [...this.idleHandlers]) {
      await h(this);
    }
  }

  private signalHost(): void {
    this.eventPending = true;
    const h = this.hostEvent;
    this.hostEvent = undefined;
    h?.();
  }

  private waitHostEvent(): Promise<void> {
    if (this.eventPending) {
      this.eventPending = false;
      return Promise.resolve();
    }
    return new Promise<void>((r) => { this.hostEvent = r; });
  }
}

function isThenable(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}
