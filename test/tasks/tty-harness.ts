// The system booted in this process on a terminal made of streams (raw mode, a
// size), with the same TerminalConsole `embox` puts on its own terminal, for the
// tests that type at it and read what it shows (terminal.test.ts,
// terminal-resize.test.ts).
import type { ExecutionContext } from 'ava';
import { PassThrough, Writable } from 'node:stream';
import { TerminalConsole } from '../../src/boot/terminal.js';
import { Scheduler, type RunResult } from '../../src/rtos/scheduler.js';
import { commands, Shell } from '../../src/rtos/shell/index.js';
import { bootSystem, type BootOptions } from '../../src/boot/system.js';

/** The keyboard: raw mode is the only thing asked of it besides its bytes. */
export class TtyIn extends PassThrough {
  readonly isTTY = true;
  isRaw = false;
  setRawMode(raw: boolean): this {
    this.isRaw = raw;
    return this;
  }
}

/** An output stream of the terminal; stdout and stderr show on the same screen. Its size is the test's to change. */
export class TtyOut extends Writable {
  readonly isTTY = true;
  columns = 80;
  rows = 24;
  text = '';
  constructor(private readonly screen: { text: string }) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.screen.text += chunk.toString();
    done();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What the screen shows, escape sequences (readline's cursor moves, bash's bracketed paste mode) left out. */
export const shown = (s: { text: string }) => s.text.replace(/\x1b\[[?0-9;]*[a-zA-Z]/g, '');

export interface Terminal {
  stdin: TtyIn;
  stdout: TtyOut;
  stderr: TtyOut;
  /** what the screen shows so far */
  screen(): string;
  /** wait (30 s at most) until what the screen shows after `from` matches re */
  waitFor(re: RegExp, from: number, what: string): Promise<void>;
  /** type keys, then wait until the screen matches re (after what it showed before); with `again`, type them again every that many ms meanwhile */
  type(keys: string, re: RegExp, again?: number): Promise<void>;
  /** the scheduler's end, once the shell is powered off */
  done: Promise<RunResult>;
}

/**
 * Boot the system with the shell on a new stream terminal: `boot` adds to
 * bootSystem's options (a root from a disk, say); `sameTerminal`: stdout and
 * stderr are one terminal, as a login's (else two streams on one screen).
 */
export function bootOnTerminal(t: ExecutionContext, o: { boot?: Partial<BootOptions>; sameTerminal?: boolean } = {}): Terminal {
  const display = { text: '' };
  const stdin = new TtyIn(), stdout = new TtyOut(display), stderr = new TtyOut(display);
  const screen = () => shown(display);
  const con = new TerminalConsole(false, () => commands.list().map((c) => c.name), { stdin, stdout, stderr, sameTerminal: o.sameTerminal });
  const sched = new Scheduler({ onTaskError: (task, e) => t.fail(`task ${task.name}: ${String(e)}`) });
  const init = sched.spawn('shell', async (task) => {
    const system = await bootSystem({ ...o.boot, verbose: false, console: con, scheduler: sched });
    const shell = new Shell({ sys: system.sys(task), console: con, task, scheduler: sched, env: system.env });
    const status = await shell.interactive();
    con.close();
    await system.poweroff();
    return status;
  });
  const done = sched.run({ until: init });
  // a test that fails before it powers the system off: its scheduler stops, and the worker can end
  t.teardown(() => sched.stop());
  const waitFor = async (re: RegExp, from: number, what: string, again?: () => void, every = 0) => {
    for (let waited = 0; !re.test(screen().slice(from)); waited += 50) {
      if (waited > 30_000) throw new Error(`no ${re} after ${what}; screen:\n${screen()}`);
      if (again && every && waited > 0 && waited % every === 0) again();
      await sleep(50);
    }
  };
  const type = async (keys: string, re: RegExp, again = 0) => {
    const from = screen().length;
    stdin.write(keys);
    await waitFor(re, from, `typing ${JSON.stringify(keys)}`, () => stdin.write(keys), again);
  };
  return { stdin, stdout, stderr, screen, waitFor: (re, from, what) => waitFor(re, from, what), type, done };
}
