// The host terminal as the RTOS console: stdout/stderr, and line input with
// editing and history through readline; while a program runs in the
// foreground, every keystroke goes to the kernel's console tty.
import * as readline from 'node:readline';
import { toText, type Console } from '../rtos/console.js';
import { interruptForeground } from '../tasks/load-app.js';

/** The streams a terminal console works on: the process's own, or a terminal's in tests. */
export interface TerminalIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; rows?: number; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** The terminal: stdout/stderr, and line input with editing and history through readline. */
export class TerminalConsole implements Console {
  private rl: readline.Interface | undefined;
  private readonly lines: string[] = [];
  private eof = false;
  private waiter: ((line: string | null) => void) | undefined;
  private readonly interactive: boolean;
  readonly terminal: { input: boolean; output: boolean; error: boolean; rows?: number; cols?: number };

  constructor(
    private readonly verbose: boolean,
    /** Command names for Tab completion of the first word. */
    private readonly commandNames: () => string[],
    /** The process's standard streams (another terminal in tests). */
    private readonly io: TerminalIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  ) {
    this.interactive = io.stdin.isTTY === true;
    this.terminal = {
      input: io.stdin.isTTY === true,
      output: io.stdout.isTTY === true,
      error: io.stderr.isTTY === true,
      rows: io.stdout.rows,
      cols: io.stdout.columns,
    };
  }

  write(data: string | Uint8Array): void {
    this.io.stdout.write(data);
  }

  error(data: string | Uint8Array): void {
    this.io.stderr.write(data);
  }

  log(data: string | Uint8Array): void {
    if (this.verbose) this.io.stderr.write(toText(data));
  }

  readLine(prompt: string): Promise<string | null> {
    // No prompt when input is not a terminal: stdout then carries command output only.
    return this.nextLine(this.interactive ? prompt : undefined);
  }

  async readInput(): Promise<string | null> {
    const line = await this.nextLine('');
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
    this.io.stdin.setRawMode?.(true);
    // Every byte, Ctrl-C and Ctrl-Z included, goes to the kernel's tty: its
    // line discipline signals the foreground process group (or hands the byte
    // to a program that turned ISIG off), as on a Linux console.
    const onData = (d: Buffer) => feed(new Uint8Array(d));
    this.io.stdin.on('data', onData);
    this.io.stdin.resume();
    return () => {
      this.io.stdin.off('data', onData);
      this.io.stdin.setRawMode?.(false);
      this.io.stdin.pause();
    };
  }

  private start(): void {
    if (this.rl || this.eof) return;
    const rl = readline.createInterface({
      input: this.io.stdin,
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
