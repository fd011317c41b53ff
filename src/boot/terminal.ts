// The host terminal as the RTOS console: stdout/stderr, and line input with
// editing and history through readline; while a program runs in the
// foreground, every keystroke goes to the kernel's console tty.
//
// Standard input that is not a terminal (a pipe, a file) is read as a shell
// reads a script from a pipe: the shell takes one command line at a time,
// and a program it starts reads the input that follows that line (its
// standard input is a pipe, as natively); what the program leaves unread
// goes back, for the shell's next line or the next program. So
// `printf 'load_app cat\nhello\n' | embox` prints hello, and
// `load_app sh -c 'read x'` takes one line and leaves the rest to the shell,
// as with bash (which reads a script from a pipe byte by byte for this).
// With -c the shell reads no lines: the programs share the input in turn.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import type * as Readline from 'node:readline';
import { toText, type Console } from '../rtos/console.js';
import { ProgressLine } from './progress.js';
import { interruptForeground, type PipedInput } from '../tasks/load-app.js';

/** The streams a terminal console works on: the process's own, or a terminal's in tests. */
export interface TerminalIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; rows?: number; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** stdout and stderr are one terminal (found with fstat for the process's own streams). */
  sameTerminal?: boolean;
  /** Whether stdin is a terminal, where known without making the stream (the process's own). */
  stdinIsTTY?: boolean;
}

/**
 * The process's own streams, stdin made when first used: Node's process.stdin loads the stream
 * modules for its kind (a file's, /dev/null's, some 10 ms of a start) and a run with -c of a
 * program that reads nothing never needs it.
 */
function processIO(): TerminalIO {
  const tty = isatty(0);
  return {
    get stdin() { return !tty && readsEnd() ? new FdInput() as unknown as NodeJS.ReadableStream : process.stdin; },
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: tty,
  };
}

/**
 * Whether a read of fd 0 always comes back (a file, /dev/null): one of a pipe or a socket can
 * wait for ever, and Node's exit waits for a read in its thread pool.
 */
function readsEnd(): boolean {
  try {
    const st = fs.fstatSync(0);
    return st.isFile() || st.isCharacterDevice();
  } catch {
    return false;
  }
}

/**
 * Standard input that is a file or a device such as /dev/null (readsEnd) read as fd 0 on Node's
 * thread pool, with the part of a stream's interface PipedStdin uses: process.stdin would load
 * Node's stream modules for it, some 5 ms of the start of every program, whose stdin is fed
 * from it. (A pipe stays process.stdin, read as the event loop's handle.)
 */
class FdInput {
  private reading = false;
  private paused = true;
  private done = false;
  private onData: ((d: Buffer) => void) | undefined;
  private onEnd: (() => void) | undefined;

  on(event: string, f: (d?: Buffer) => void): this {
    if (event === 'data') {
      this.onData = f;
      this.resume();
    } else if (event === 'end' || event === 'error') {
      this.onEnd ??= f as () => void;
    }
    return this;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.read();
  }

  private read(): void {
    if (this.reading || this.paused || this.done) return;
    this.reading = true;
    const buf = Buffer.allocUnsafe(STDIN_READ);
    fs.read(0, buf, 0, buf.length, null, (e, n) => {
      this.reading = false;
      // (an fd 0 left non-blocking by whoever shares it: tried again a little later)
      if (e?.code === 'EAGAIN') {
        setTimeout(() => this.read(), 10);
        return;
      }
      if (e || n === 0) {
        this.done = true;
        this.onEnd?.();
        return;
      }
      this.onData?.(buf.subarray(0, n));
      this.read();
    });
  }

  destroy(): void {
    this.done = true;
  }
}
/** Bytes one read of fd 0 asks for */
const STDIN_READ = 64 << 10;

/** Whether fds 1 and 2 are the same terminal device. */
function sameTerminal(): boolean {
  try {
    return process.stdout.isTTY === true && process.stderr.isTTY === true && fs.fstatSync(1).rdev === fs.fstatSync(2).rdev;
  } catch {
    return false;
  }
}

/** The terminal: stdout/stderr, and line input with editing and history through readline. */
export class TerminalConsole implements Console {
  private rl: Readline.Interface | undefined;
  private readonly lines: string[] = [];
  private eof = false;
  private waiter: ((line: string | null) => void) | undefined;
  private readonly interactive: boolean;
  /** Input that is not a terminal, as bytes: the shell's lines and the programs' standard input. */
  readonly pipedInput: PipedStdin | undefined;
  readonly terminal: { input: boolean; output: boolean; error: boolean; rows?: number; cols?: number; errorIsOutput: boolean };

  constructor(
    private readonly verbose: boolean,
    /** Command names for Tab completion of the first word. */
    private readonly commandNames: () => string[],
    /** The process's standard streams (another terminal in tests). */
    private readonly io: TerminalIO = processIO(),
  ) {
    this.interactive = io.stdinIsTTY ?? io.stdin.isTTY === true;
    this.pipedInput = this.interactive ? undefined : new PipedStdin(() => this.input());
    this.terminal = {
      input: this.interactive,
      output: io.stdout.isTTY === true,
      error: io.stderr.isTTY === true,
      rows: io.stdout.rows,
      cols: io.stdout.columns,
      errorIsOutput: io.stdout.isTTY === true && io.stderr.isTTY === true && (io.sameTerminal ?? (io.stdout === process.stdout && io.stderr === process.stderr && sameTerminal())),
    };
  }

  /** stdin, made now if it was not */
  private stdin: TerminalIO['stdin'] | undefined;
  private input(): TerminalIO['stdin'] {
    return (this.stdin ??= this.io.stdin);
  }

  /** Let go of stdin, if it was used (its open handle would keep the process running). */
  releaseInput(): void {
    (this.stdin as { destroy?: () => void } | undefined)?.destroy?.();
  }

  write(data: string | Uint8Array): void {
    this.io.stdout.write(data);
  }

  /** A terminal's 'resize' event (SIGWINCH on the host), with its new size. */
  onResize(listener: (rows: number, cols: number) => void): void {
    if (this.io.stdout.isTTY !== true) return;
    const out = this.io.stdout;
    out.on('resize', () => {
      if (out.rows && out.columns) listener(out.rows, out.columns);
    });
  }

  error(data: string | Uint8Array): void {
    this.io.stderr.write(data);
  }

  log(data: string | Uint8Array): void {
    if (this.verbose) this.io.stderr.write(toText(data));
  }

  private progressLine: ProgressLine | undefined;

  /** On stderr when it is a terminal: the line, then erased (progress.ts). */
  progress(text: string | undefined): void {
    this.progressLine ??= new ProgressLine(this.io.stderr);
    if (text !== undefined) this.progressLine.show(text);
    else this.progressLine.clear();
  }

  readLine(prompt: string): Promise<string | null> {
    // No prompt when input is not a terminal: stdout then carries command output only.
    if (this.pipedInput) return this.pipedInput.line();
    return this.nextLine(prompt);
  }

  async readInput(): Promise<string | null> {
    const line = this.pipedInput ? await this.pipedInput.line() : await this.nextLine('');
    return line === null ? null : `${line}\n`;
  }

  private nextLine(prompt: string | undefined): Promise<string | null> {
    this.start();
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.eof) return Promise.resolve(null);
    if (prompt !== undefined && this.rl) {
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    }
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  close(): void {
    this.rl?.close();
    this.rl = undefined;
  }

  /** Line history kept while the line editor is closed for a program. */
  private history: string[] = [];
  private handingOver = false;

  attachProgramInput(feed: (data: Uint8Array) => void): () => void {
    if (!this.interactive) return () => undefined;
    if (this.rl) {
      this.history = [...((this.rl as unknown as { history?: string[] }).history ?? [])];
      this.handingOver = true;
      this.rl.close();
      this.handingOver = false;
      this.rl = undefined;
    }
    const input = this.input();
    input.setRawMode?.(true);
    // Every byte, Ctrl-C and Ctrl-Z included, goes to the kernel's tty: its
    // line discipline signals the foreground process group (or hands the byte
    // to a program that turned ISIG off), as on a Linux console.
    const onData = (d: Buffer) => feed(new Uint8Array(d));
    input.on('data', onData);
    input.resume();
    return () => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
    };
  }

  private start(): void {
    if (this.rl || this.eof) return;
    // loaded when the shell first reads lines: a run with -c never does
    const readline = createRequire(import.meta.url)('node:readline') as typeof Readline;
    const rl = readline.createInterface({
      input: this.input(),
      output: this.interactive ? this.io.stdout : undefined,
      terminal: this.interactive,
      historySize: 200,
      history: this.history,
      completer: (line: string): [string[], string] => {
        if (/\s/.test(line.trimStart())) return [[], line]; // only the command name is completed
        const word = line.trimStart();
        return [this.commandNames().filter((n) => n.startsWith(word)), word];
      },
    });
    this.rl = rl;
    rl.on('line', (line) => this.deliver(line));
    rl.on('close', () => {
      if (this.handingOver) return; // closed for a program, not the end of input
      // Ctrl-D leaves the cursor after the prompt: end the line there.
      if (this.interactive && this.waiter) this.io.stdout.write('\n');
      this.eof = true;
      this.rl = undefined;
      this.deliver(null);
    });
    // Ctrl-C interrupts the program in the foreground, or drops the line being typed.
    rl.on('SIGINT', () => {
      if (interruptForeground()) {
        this.io.stdout.write('^C\n');
        return;
      }
      rl.write(null, { ctrl: true, name: 'u' });
      this.io.stdout.write('^C\n');
      rl.prompt();
    });
  }

  private deliver(line: string | null): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(line);
    } else if (line !== null) {
      this.lines.push(line);
    }
  }
}

const NL = 10, CR = 13;
/** Unread input past which the stream is paused until the shell or a program takes some. */
const PAUSE_AT = 1 << 20;
const utf8 = new TextDecoder();

/** Standard input that is not a terminal, as bytes (read from the stream on first use). */
class PipedStdin implements PipedInput {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private started = false;
  private waiter: (() => void) | undefined;
  private cancelled = false;

  private stream!: NodeJS.ReadableStream;
  constructor(private readonly made: () => NodeJS.ReadableStream) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.stream = this.made();
    this.stream.on('data', (d: Buffer | string) => {
      const b = typeof d === 'string' ? Buffer.from(d) : d;
      this.buf = this.buf.length ? Buffer.concat([this.buf, b]) : b;
      if (this.buf.length > PAUSE_AT) this.stream.pause();
      this.wake();
    });
    const end = () => {
      this.ended = true;
      this.wake();
    };
    this.stream.on('end', end);
    this.stream.on('error', end);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private take(n: number): Buffer {
    const b = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    if (this.buf.length <= PAUSE_AT && !this.ended) this.stream.resume();
    return b;
  }

  private async more(): Promise<void> {
    this.stream.resume();
    await new Promise<void>((r) => { this.waiter = r; });
  }

  /** The shell's next line, without its newline (or the CR before it); null at the end of input. */
  async line(): Promise<string | null> {
    this.start();
    for (;;) {
      const nl = this.buf.indexOf(NL);
      if (nl >= 0 || (this.ended && this.buf.length > 0)) {
        let line = this.take(nl >= 0 ? nl + 1 : this.buf.length);
        if (line[line.length - 1] === NL) line = line.subarray(0, line.length - 1);
        if (line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
        return utf8.decode(line);
      }
      if (this.ended) return null;
      await this.more();
    }
  }

  async next(max: number): Promise<Uint8Array | null> {
    this.start();
    this.cancelled = false;
    for (;;) {
      if (this.buf.length > 0) return new Uint8Array(this.take(max));
      if (this.ended) return null;
      if (this.cancelled) return new Uint8Array(0);
      await this.more();
    }
  }

  cancel(): void {
    this.cancelled = true;
    this.wake();
  }

  unread(data: Uint8Array): void {
    if (data.length) this.buf = Buffer.concat([Buffer.from(data), this.buf]);
  }
}
