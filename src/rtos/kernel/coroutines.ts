// Kernel tasks as coroutines on one JS thread, with binaryen's Asyncify.
//
// Every kernel task has its own kernel stack in linear memory (THREAD_SIZE
// bytes). Its bottom part holds the Asyncify buffer in which the task's wasm
// call stack is saved while it is suspended; the rest is its shadow stack
// (__stack_pointer grows down from the top). A coroutine is entered once
// through its entry export (wasm_boot for init_task, wasm_task_entry(task)
// for every other task); from then on it is suspended by unwinding (the
// switch and idle imports) and resumed by rewinding through the same entry.
// init_task's is entered once more, afresh, at wasm_idle_entry when
// start_kernel is done (the boot_done import), so that the idle task's
// resumes do not rewind through start_kernel.
//
// Only the kernel switches tasks (the switch import, from __switch_to), so
// this is a plain loop: run the current coroutine until it suspends, then run
// the one it switched to, until the idle task asks to wait for host events.
//
// Bounds. While a task runs, its shadow stack may use all of its kernel stack
// but the guard at the bottom: the kernel is built with binaryen's
// --stack-check, so every move of __stack_pointer is checked against the
// bounds set here at each resume, and one past them calls
// wasm_stack_overflow (the kernel stops, as Linux panics on a kernel stack
// overflow; nothing below the stack is written). When it suspends, its call
// stack is saved from the bottom of its stack up to its stack pointer (what
// lies below is free); Asyncify checks that bound when the unwind ends and
// traps, which stops the kernel before the task's stack is used again.
//
// EMBOX_STACK_STATS=FILE measures what the stacks need: each kernel stack is
// filled with a pattern, and the deepest use of shadow stack, of saved call
// stack, and of both at a switch are appended to FILE as a JSON line when the
// process exits (src/boot/system.ts writes it).

/** The Asyncify exports binaryen adds, and the stack pointer global. */
export interface AsyncifyExports {
  asyncify_start_unwind(buf: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(buf: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
  __stack_pointer: WebAssembly.Global;
  /** binaryen's --stack-check: the running task's stack bounds (base: its top, limit: its lowest address). */
  __set_stack_limits(base: number, limit: number): void;
}

const enum State {
  Normal = 0,
  Unwinding = 1,
  Rewinding = 2,
}

/** Bytes at the bottom of a kernel stack kept clear (the kernel's end-of-stack magic). */
const STACK_GUARD = 64;

/** The deepest kernel stack use seen (bytes), with EMBOX_STACK_STATS. */
export interface StackStats {
  /** shadow stack, at any time */
  shadow: number;
  /** saved wasm call stack at a switch */
  saved: number;
  /** both at a switch */
  joint: number;
  switches: number;
}
const MEASURE = typeof process !== 'undefined' && !!process.env.EMBOX_STACK_STATS;
const PATTERN = 0xa5;
/** This process's deepest use over all its kernels (only counted with EMBOX_STACK_STATS). */
export const stackStats: StackStats = { shadow: 0, saved: 0, joint: 0, switches: 0 };

export class Coroutine {
  /** Saved __stack_pointer while suspended. */
  sp: number;
  started = false;
  /** Start of the Asyncify buffer (its header: current, end); it ends at the stack pointer. */
  readonly buf: number;
  constructor(
    /** The kernel's task_struct address (0 until known, for init_task). */
    public task: number,
    readonly stackLo: number,
    readonly stackHi: number,
    /** Enters (or, while rewinding, resumes) the coroutine. */
    public entry: () => void,
  ) {
    this.sp = stackHi;
    this.buf = stackLo + STACK_GUARD;
  }
}

export type RunOutcome = 'idle' | 'returned';

/** A coroutine as a snapshot keeps it (its wasm call stack is in its kernel stack, in linear memory). */
export interface CoroutineState {
  task: number;
  stackLo: number;
  stackHi: number;
  sp: number;
  started: boolean;
}

/** Every coroutine while the kernel is suspended (between runs), for a snapshot. */
export interface CoroutinesState {
  coroutines: CoroutineState[];
  /** Index in `coroutines` of the one that runs next. */
  current: number;
  /** Index of the first coroutine (init_task's, entered by wasm_boot). */
  boot: number;
  /** init_task's is entered at wasm_idle_entry now (start_kernel is done). */
  bootDone: boolean;
}

/** Thrown by the boot_done import: the running call stack is left, init_task's coroutine entered afresh. */
class BootDone extends Error {}

export class Coroutines {
  /** Coroutines by task_struct address. */
  private readonly byTask = new Map<number, Coroutine>();
  private current_: Coroutine | undefined;
  /** init_task's coroutine (its entry is wasm_boot, then wasm_idle_entry). */
  private boot_: Coroutine | undefined;
  private next: Coroutine | 'idle' | undefined;
  /** init_task's coroutine is entered at wasm_idle_entry (boot_done). */
  private bootDone = false;
  /** Suspensions so far (for statistics). */
  switches = 0;
  /** Bytes of its kernel stack a task may use (tests shrink it to see an overflow stop the kernel). */
  usable = Infinity;
  /** With EMBOX_STACK_STATS: coroutines whose free stack holds the pattern. */
  private readonly filled = new WeakSet<Coroutine>();

  constructor(private readonly ex: AsyncifyExports, private readonly mem: () => DataView) {}

  get current(): Coroutine | undefined {
    return this.current_;
  }

  /** The first coroutine (init_task, entered by wasm_boot); its task address is learnt at its first switch. */
  boot(stackLo: number, stackHi: number, entry: () => void): void {
    this.current_ = this.boot_ = new Coroutine(0, stackLo, stackHi, entry);
  }

  /**
   * The coroutines as they are between runs (every one suspended, its call
   * stack saved in its kernel stack), for a snapshot; memory holds the rest.
   */
  save(): CoroutinesState {
    if (this.ex.asyncify_get_state() !== State.Normal || this.next !== undefined) throw new Error('kernel coroutines are not suspended');
    const all = [...new Set([...(this.boot_ ? [this.boot_] : []), ...this.byTask.values(), ...(this.current_ ? [this.current_] : [])])];
    return {
      coroutines: all.map((c) => ({ task: c.task, stackLo: c.stackLo, stackHi: c.stackHi, sp: c.sp, started: c.started })),
      current: this.current_ ? all.indexOf(this.current_) : -1,
      boot: this.boot_ ? all.indexOf(this.boot_) : -1,
      bootDone: this.bootDone,
    };
  }

  /**
   * Coroutines saved by save(), in an instance whose memory holds the rest:
   * entries.boot enters init_task's (entries.idle once start_kernel is
   * done), entries.task(task) the others.
   */
  load(s: CoroutinesState, entries: { boot: () => void; idle: () => void; task: (task: number) => () => void }): void {
    this.byTask.clear();
    this.bootDone = s.bootDone;
    const all = s.coroutines.map((c, i) => {
      const co = new Coroutine(c.task, c.stackLo, c.stackHi, i !== s.boot ? entries.task(c.task) : s.bootDone ? entries.idle : entries.boot);
      co.sp = c.sp;
      co.started = c.started;
      if (co.task !== 0) this.byTask.set(co.task, co);
      return co;
    });
    this.boot_ = all[s.boot];
    this.current_ = all[s.current];
    this.next = undefined;
  }

  create(task: number, stackLo: number, stackHi: number, entry: () => void): void {
    const c = new Coroutine(task, stackLo, stackHi, entry);
    this.byTask.set(task, c);
    if (MEASURE) this.fill(c, stackHi);
  }

  free(task: number): void {
    const c = this.byTask.get(task);
    if (c && c !== this.current_) this.byTask.delete(task);
  }

  /** Inside an async import: is this call the resumption of a suspended coroutine? */
  get rewinding(): boolean {
    return this.ex.asyncify_get_state() === State.Rewinding;
  }

  get count(): number {
    return this.byTask.size;
  }

  /**
   * From the switch import. Returns true when this call is the resumption of
   * prev (the import must then simply return); otherwise starts unwinding.
   */
  switchTo(prev: number, next: number): boolean {
    if (this.ex.asyncify_get_state() === State.Rewinding) {
      this.ex.asyncify_stop_rewind();
      if (MEASURE) this.fill(this.current_!, this.ex.__stack_pointer.value as number);
      return true;
    }
    const cur = this.current_!;
    if (cur.task === 0) {
      cur.task = prev;
      this.byTask.set(prev, cur);
    }
    const to = this.byTask.get(next);
    if (!to) throw new Error(`kernel switched to unknown task 0x${next.toString(16)}`);
    this.next = to;
    this.unwind(cur);
    return false;
  }

  /**
   * From the boot_done import, in init_task's first call stack: it is left
   * (thrown through, nothing of it is kept) and init_task's coroutine
   * entered at `entry` at the top of its stack, as run() goes on.
   */
  bootDoneAt(entry: () => void): never {
    const c = this.current_;
    if (!c || c !== this.boot_ || this.bootDone || this.ex.asyncify_get_state() !== State.Normal) throw new Error('boot_done outside the boot');
    c.entry = entry;
    c.started = false;
    c.sp = c.stackHi;
    this.bootDone = true;
    throw new BootDone();
  }

  /** From the idle import: suspend the idle task until the host resumes the kernel. */
  idle(): boolean {
    if (this.ex.asyncify_get_state() === State.Rewinding) {
      this.ex.asyncify_stop_rewind();
      if (MEASURE) this.fill(this.current_!, this.ex.__stack_pointer.value as number);
      return true;
    }
    this.next = 'idle';
    this.unwind(this.current_!);
    return false;
  }

  private unwind(c: Coroutine): void {
    const dv = this.mem();
    c.sp = this.ex.__stack_pointer.value as number;
    if (MEASURE) this.measure(c);
    dv.setUint32(c.buf, c.buf + 8, true);
    dv.setUint32(c.buf + 4, c.sp & ~3, true);
    this.switches++;
    this.ex.asyncify_start_unwind(c.buf);
  }

  /** EMBOX_STACK_STATS: the pattern over c's free stack, below `to` (its stack pointer). */
  private fill(c: Coroutine, to: number): void {
    new Uint8Array(this.mem().buffer, c.buf, Math.max(0, (to & ~3) - c.buf)).fill(PATTERN);
    this.filled.add(c);
  }

  /** EMBOX_STACK_STATS: how deep c's shadow stack went since it was filled (before the unwind writes). */
  private measure(c: Coroutine): void {
    if (!this.filled.has(c)) return;
    const u8 = new Uint8Array(this.mem().buffer);
    let a = c.buf;
    while (a < c.stackHi && u8[a] === PATTERN) a++;
    stackStats.shadow = Math.max(stackStats.shadow, c.stackHi - a);
  }

  /** Run kernel code until the idle task waits for host events (or an entry returns). */
  run(): RunOutcome {
    for (;;) {
      const c = this.current_;
      if (!c) throw new Error('no kernel coroutine to run');
      this.ex.__stack_pointer.value = c.sp;
      this.ex.__set_stack_limits(c.stackHi, Math.max(c.stackLo + STACK_GUARD, c.stackHi - this.usable));
      if (c.started) this.ex.asyncify_start_rewind(c.buf);
      c.started = true;
      try {
        c.entry();
      } catch (e) {
        if (e instanceof BootDone) continue; // init_task again, at its new entry
        throw e;
      }
      if (this.ex.asyncify_get_state() !== State.Unwinding) return 'returned';
      this.ex.asyncify_stop_unwind();
      if (MEASURE) {
        const saved = this.mem().getUint32(c.buf, true) - c.buf;
        stackStats.switches++;
        stackStats.saved = Math.max(stackStats.saved, saved);
        stackStats.joint = Math.max(stackStats.joint, saved + c.stackHi - c.sp);
      }
      const n = this.next;
      this.next = undefined;
      if (n === 'idle') return 'idle';
      this.current_ = n;
    }
  }
}
