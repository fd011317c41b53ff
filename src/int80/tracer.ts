// One strace session: the lines of every traced thread's calls, signals and
// ends, in the order they happen, as strace -f writes them. A call is shown
// whole when nothing else is printed between its start and its return;
// otherwise its line ends in ` <unfinished ...>` and its return follows as
// `<... wait4 resumed>...`. Lines carry `[pid N]` while more than one thread
// is traced (with -o and -f, every line starts with the pid). What a call's
// arguments look like is strace.ts's; this file only orders and frames lines,
// filters calls (-e trace=), times them (-t, -tt, -ttt, -T) and counts them
// (-c, -C: the summary table at the end).
import { SYSCALL_32 } from './syscall_32.js';
import type { Proc } from './proc-context.js';
import { TracedCall, execveCall, siginfo } from './strace.js';
import { signalName } from './strace-names.js';

export interface TraceOptions {
  /** Where the trace goes: text made of whole lines. */
  write(text: string): void;
  /** -f: children and threads are traced too; without it only the first thread. */
  follow: boolean;
  /** With -o FILE and -f strace starts every line with the pid (`%-5d `), not `[pid N]`. */
  pidColumn: boolean;
  /** -e trace=SET: which calls are shown and counted (undefined: all). */
  filter?: (name: string) => boolean;
  /** -c: only the summary; -C: the lines and the summary. */
  count?: 'only' | 'also';
  /** -w: the summary counts time from call to return, not the calling thread's own time. */
  wallClock?: boolean;
  /** -t, -tt, -ttt: the time of day before each line. */
  timestamps?: 0 | 1 | 2 | 3;
  /** -T: the time spent in each call after its result. */
  callTimes?: boolean;
  /** -s: the longest string shown whole (32). */
  strsize?: number;
  /** `strace: Process N attached` when a thread starts (strace writes it unless -q or -o). */
  attachMessages?: boolean;
  /** Milliseconds the thread has run (for -c): the calling thread's own time. */
  threadClock?(p: Proc): number;
}

interface Thread {
  tid: number;
  /** The call in progress. */
  call: Pending | undefined;
}

interface Pending {
  thread: Thread;
  traced: TracedCall;
  /** What goes before the call on its line (pid and time), decided when it was made. */
  leader: string;
  shown: boolean;
  startMs: number;
  startClock: number;
  /** The order of the call in the summary (its number; socketcall's calls after all numbers). */
  order: number;
}

interface Count { name: string; calls: number; errors: number; ms: number; order: number }

const CLONES = new Set(['clone', 'clone3', 'fork', 'vfork']);
const NUMBERS = new Map(SYSCALL_32.map(([nr, name]) => [name, nr] as const));
const MAX_ERRNO = 4095;

export class Tracer {
  private readonly threads = new Map<number, Thread>();
  /** Every thread ever traced (a child that ended before its parent's clone returned is not taken again). */
  private readonly seen = new Set<number>();
  /** The call whose line is begun but not ended. */
  private open: Pending | undefined;
  /** A signal the host is forcing on a thread (a CPU fault), with its siginfo: if it ends the thread, its --- line. */
  private readonly forced = new Map<number, { sig: number; info: Uint8Array }>();
  /** The summary's rows by call (its number: a call made directly and through socketcall are two rows, as in strace). */
  private readonly counts = new Map<number, Count>();
  private readonly strsize: number;
  /** The session has ended (finish()). */
  private done = false;

  constructor(private readonly opts: TraceOptions) {
    this.strsize = opts.strsize ?? 32;
  }

  /** Whether lines are written (-c alone writes only the summary). */
  private get lines(): boolean {
    return this.opts.count !== 'only';
  }

  /** A thread starts running: traced if it is the first or (-f) any other. */
  attach(p: Proc, first: boolean): void {
    if (first || this.opts.follow) this.adopt(p.tid, first);
  }

  /** A thread is traced from now on (-f: from its parent's clone, or its own start if that comes first). */
  private adopt(tid: number, first: boolean): void {
    if (this.seen.has(tid) || this.done) return;
    this.seen.add(tid);
    if (!first && this.opts.attachMessages) this.message(`strace: Process ${tid} attached`);
    this.threads.set(tid, { tid, call: undefined });
  }

  /**
   * The first thread's program, which the system executed for it: its
   * execve as strace shows the one it makes itself.
   */
  execed(p: Proc, path: string, argv: string[], envc: number, envAddr: number): void {
    if (!this.threads.has(p.tid) || !this.shows('execve')) return;
    this.count('execve', NUMBERS.get('execve')!, 0, 0);
    if (this.lines) this.emit(`${this.leader(p.tid)}${execveCall(path, argv, envc, envAddr, this.strsize)}`, '0', undefined);
  }

  /** A call is made; returns what exit() takes. */
  enter(p: Proc, name: string, args: Int32Array, nr: number): Pending | undefined {
    const t = this.threads.get(p.tid);
    if (!t) return undefined;
    const traced = new TracedCall(p, name, args, { strsize: this.strsize });
    if (!this.shows(traced.name)) return undefined;
    // socketcall's and ipc's calls come after every numbered call in the summary, as strace orders them
    const order = name === 'socketcall' ? 10000 + args[0]! : name === 'ipc' ? 20000 + (args[0]! & 0xffff) : nr;
    const c: Pending = {
      thread: t, traced, leader: '', shown: false, startMs: performance.now(),
      startClock: this.clock(p), order,
    };
    t.call = c;
    if (this.lines) {
      this.interrupt();
      c.leader = this.leader(p.tid);
      this.open = c;
    }
    return c;
  }

  /** A call returned ret (undefined: it never will, its thread ended). */
  exit(p: Proc, c: Pending | undefined, ret: number | undefined): void {
    if (!c || c.shown) return;
    c.shown = true;
    // a new child is traced (and counted for [pid N]) from the return of the call that made it
    if (this.opts.follow && ret !== undefined && ret > 0 && CLONES.has(c.traced.name) && this.threads.has(p.tid)) this.adopt(ret, false);
    if (c.thread.call === c) c.thread.call = undefined;
    if (ret !== undefined) {
      const ms = this.opts.wallClock ? performance.now() - c.startMs : this.clock(p) - c.startClock;
      this.count(c.traced.name, c.order, ms, ret < 0 && ret >= -MAX_ERRNO ? 1 : 0);
    }
    if (!this.lines) return;
    const { exit, result } = c.traced.finish(ret);
    const took = this.opts.callTimes && ret !== undefined ? ` <${((performance.now() - c.startMs) / 1000).toFixed(6)}>` : '';
    if (this.open === c) {
      this.open = undefined;
      const comma = c.traced.comma ? ', ' : '';
      this.emit(`${c.leader}${c.traced.name}(${c.traced.entry}${comma}${exit})`, result, took);
    } else {
      this.interrupt();
      this.emit(`${this.leader(c.thread.tid)}<... ${c.traced.name} resumed>${exit})`, result, took);
    }
  }

  /** A signal is delivered to the thread (its handler runs next): `--- SIGCHLD {...} ---`. */
  signal(p: Proc, sig: number, info: Uint8Array): void {
    if (!this.threads.has(p.tid) || !this.lines) return;
    this.interrupt();
    this.write(`${this.leader(p.tid)}--- ${signalName(sig)} ${siginfo(info)} ---\n`);
  }

  /**
   * The host forces signal sig with info on the thread (0: done). A handler
   * shows it when it runs (signal()); a default action ends the thread in
   * the kernel, which tells the host only of the end: exited() shows it.
   */
  forcing(p: Proc, sig: number, info?: Uint8Array): void {
    if (sig && info) this.forced.set(p.tid, { sig, info });
    else this.forced.delete(p.tid);
  }

  /**
   * A traced thread ended with this wait status: `+++ exited with N +++`. A
   * call in progress never returns (`= ?`), unless the kernel answered it
   * just before (lastRet: a sleep a fatal signal interrupted).
   */
  exited(p: Proc, status: number, lastRet?: number): void {
    const t = this.threads.get(p.tid);
    if (!t) return;
    if (t.call) this.exit(p, t.call, t.call.traced.name === 'exit' || t.call.traced.name === 'exit_group' ? undefined : lastRet);
    const forced = this.forced.get(p.tid);
    this.forced.delete(p.tid);
    if (this.lines) {
      this.interrupt();
      const sig = status & 0x7f;
      if (forced && forced.sig === sig) this.write(`${this.leader(p.tid)}--- ${signalName(sig)} ${siginfo(forced.info)} ---\n`);
      const how = sig ? `killed by ${signalName(sig)}${status & 0x80 ? ' (core dumped)' : ''}` : `exited with ${(status >> 8) & 0xff}`;
      this.write(`${this.leader(p.tid)}+++ ${how} +++\n`);
    }
    this.threads.delete(p.tid);
  }

  /** The end of the session: the summary table of -c and -C. */
  finish(): void {
    this.interrupt();
    // (a program that never started has no summary, as strace has none)
    if (this.opts.count && this.seen.size) this.write(summary(this.counts));
    // what the program left running is not traced past the session
    this.done = true;
    this.threads.clear();
  }

  private shows(name: string): boolean {
    return this.opts.filter?.(name) ?? true;
  }

  private clock(p: Proc): number {
    return this.opts.threadClock?.(p) ?? performance.now();
  }

  private count(name: string, order: number, ms: number, errors: number): void {
    if (!this.opts.count) return;
    let c = this.counts.get(order);
    if (!c) this.counts.set(order, (c = { name, calls: 0, errors: 0, ms: 0, order }));
    c.calls++;
    c.errors += errors;
    c.ms += ms;
  }

  /** A line's start: the pid while several threads are traced (or always, with -o and -f), then the time. */
  private leader(tid: number): string {
    let s = '';
    if (this.opts.pidColumn) s = `${String(tid).padEnd(5)} `;
    else if (this.threads.size > 1) s = `[pid ${String(tid).padStart(5)}] `;
    return s + this.timestamp();
  }

  private timestamp(): string {
    const mode = this.opts.timestamps ?? 0;
    if (!mode) return '';
    const now = performance.timeOrigin + performance.now();
    const sec = Math.floor(now / 1000), usec = Math.floor((now - sec * 1000) * 1000);
    if (mode === 3) return `${sec}.${String(usec).padStart(6, '0')} `;
    // the time of day in the machine, which has no time zone: UTC
    const hms = new Date(sec * 1000).toISOString().slice(11, 19);
    return mode === 2 ? `${hms}.${String(usec).padStart(6, '0')} ` : `${hms} `;
  }

  /** Another line is about to be written: the open call's line ends unfinished. */
  private interrupt(): void {
    const c = this.open;
    if (!c) return;
    this.open = undefined;
    this.write(`${c.leader}${c.traced.name}(${c.traced.entry}${c.traced.comma ? ', ' : ''} <unfinished ...>\n`);
  }

  /** A whole call line: the call padded to column 40, then = and the result. */
  private emit(call: string, result: string, took: string | undefined): void {
    this.write(`${call.padEnd(39)} = ${result}${took ?? ''}\n`);
  }

  private message(text: string): void {
    // strace writes it to its stderr outside the trace; here it is a line of its own
    this.write(`${text}\n`);
  }

  private write(text: string): void {
    this.opts.write(text);
  }
}

/** The summary table strace -c prints: calls by time spent, most first. */
function summary(counts: Map<number, Count>): string {
  const rows = [...counts.values()].sort((a, b) => b.ms - a.ms || a.order - b.order);
  const totalMs = rows.reduce((t, c) => t + c.ms, 0);
  const calls = rows.reduce((t, c) => t + c.calls, 0);
  const errors = rows.reduce((t, c) => t + c.errors, 0);
  const sep = '------ ----------- ----------- --------- --------- ----------------';
  const line = (pct: number, ms: number, n: number, err: number, name: string) =>
    `${pct.toFixed(2).padStart(6)} ${(ms / 1000).toFixed(6).padStart(11)} ${String(n ? Math.floor((ms * 1000) / n) : 0).padStart(11)} ` +
    `${String(n).padStart(9)} ${(err ? String(err) : '').padStart(9)} ${name}`;
  const out = ['% time     seconds  usecs/call     calls    errors syscall', sep];
  for (const c of rows) out.push(line(totalMs ? (100 * c.ms) / totalMs : 0, c.ms, c.calls, c.errors, c.name));
  out.push(sep, line(100, totalMs, calls, errors, 'total'));
  return `${out.join('\n')}\n`;
}
