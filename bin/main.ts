// The `embox` command: boot the system, then run one command line (-c) or an
// interactive shell on the terminal.
//
//   embox [--vda IMAGE] [--verbose] [-c 'CMDS']
//
// stdout carries only what commands print; diagnostics go to stderr (kernel
// and boot messages only with --verbose). Failures are one-line messages and
// a non-zero exit status.

import * as readline from 'node:readline';
import { BlockDevError } from '../src/blockdev/blockdev.js';
import { openImage } from '../src/blockdev/image.js';
import { toText, type Console } from '../src/rtos/console.js';
import { Scheduler } from '../src/rtos/scheduler.js';
import { commands, Shell } from '../src/rtos/shell/index.js';
import { bootSystem, BootError, type System } from '../src/rtos/system.js';
import { interruptForeground } from '../src/tasks/load-app.js';

const USAGE = `usage: embox [--vda IMAGE] [--verbose] [-c 'COMMANDS']

  --vda IMAGE   ext2/3/4 disk image attached as /dev/vda and mounted at /mnt/vda
  --verbose     show kernel and boot messages on stderr
  -c COMMANDS   run one command line, power off, exit with its status
  -h, --help    show this text
`;

/** Exit status for command-line usage errors. */
const STATUS_USAGE = 2;

export interface CliOptions {
  vda?: string;
  verbose: boolean;
  command?: string;
  help: boolean;
}

export function parseArgs(argv: string[]): CliOptions | string {
  const opts: CliOptions = { verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--vda': {
        const v = value();
        if (v === undefined || v === '') return `option ${name} needs an image file`;
        opts.vda = v;
        break;
      }
      case '-c': {
        const v = value();
        if (v === undefined) return 'option -c needs a command line';
        opts.command = v;
        break;
      }
      case '--verbose':
      case '-v':
        opts.verbose = true;
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        return `unknown argument '${a}'`;
    }
  }
  return opts;
}

/** The terminal: stdout/stderr, and line input with editing and history through readline. */
class TerminalConsole implements Console {
  private rl: readline.Interface | undefined;
  private readonly lines: string[] = [];
  private eof = false;
  private waiter: ((line: string | null) => void) | undefined;
  private readonly interactive = process.stdin.isTTY === true;
  readonly terminal = {
    input: process.stdin.isTTY === true,
    output: process.stdout.isTTY === true,
    error: process.stderr.isTTY === true,
    rows: process.stdout.rows,
    cols: process.stdout.columns,
  };

  constructor(
    private readonly verbose: boolean,
    /** Command names for Tab completion of the first word. */
    private readonly commandNames: () => string[],
  ) {}

  write(data: string | Uint8Array): void {
    process.stdout.write(data);
  }

  error(data: string | Uint8Array): void {
    process.stderr.write(data);
  }

  log(data: string | Uint8Array): void {
    if (this.verbose) process.stderr.write(toText(data));
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
    process.stdin.setRawMode?.(true);
    // Every byte, Ctrl-C and Ctrl-Z included, goes to the kernel's tty: its
    // line discipline signals the foreground process group (or hands the byte
    // to a program that turned ISIG off), as on a Linux console.
    const onData = (d: Buffer) => feed(new Uint8Array(d));
    process.stdin.on('data', onData);
    process.stdin.resume();
    return () => {
      process.stdin.off('data', onData);
      process.stdin.setRawMode?.(false);
      process.stdin.pause();
    };
  }

  private start(): void {
    if (this.rl || this.eof) return;
    const rl = readline.createInterface({
      input: process.stdin,
      output: this.interactive ? process.stdout : undefined,
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
      if (this.interactive && this.waiter) process.stdout.write('\n');
      this.eof = true;
      this.rl = undefined;
      this.deliver(null);
    });
    // Ctrl-C interrupts the program in the foreground, or drops the line being typed.
    rl.on('SIGINT', () => {
      if (interruptForeground()) {
        process.stdout.write('^C\n');
        return;
      }
      rl.write(null, { ctrl: true, name: 'u' });
      process.stdout.write('^C\n');
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

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Errors that are the user's or the environment's, shown without "internal error". */
function isExpected(e: unknown): boolean {
  return e instanceof BootError || e instanceof BlockDevError;
}

async function flushAndExit(status: number): Promise<never> {
  await new Promise<void>((r) => process.stdout.write('', () => r()));
  await new Promise<void>((r) => process.stderr.write('', () => r()));
  process.exit(status);
}

async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    process.stderr.write(`embox: ${opts}\n${USAGE}`);
    return STATUS_USAGE;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const con = new TerminalConsole(opts.verbose, () => commands.list().map((c) => c.name));
  try {
    if (opts.vda !== undefined) {
      // Check the image before booting, so a bad one is reported plainly.
      const img = await openImage(opts.vda, 'rw');
      con.log(`vda: ${opts.vda}: ${img.fs.type}, ${img.fs.blocksCount} blocks of ${img.fs.blockSize} bytes\n`);
      img.dev.close();
    }
  } catch (e) {
    con.error(`embox: ${message(e)}\n`);
    return 1;
  }

  const sched = new Scheduler({
    onTaskError: (t, e) => con.error(`embox: task ${t.id} (${t.name}) failed: ${message(e)}\n`),
  });
  let bootFailure: unknown;
  const init = sched.spawn('shell', async (task) => {
    let system: System;
    try {
      system = await bootSystem({ vda: opts.vda, verbose: opts.verbose, console: con, scheduler: sched });
    } catch (e) {
      bootFailure = e;
      return 1;
    }
    const shell = new Shell({
      sys: system.sys(task),
      console: con,
      task,
      scheduler: sched,
      kernelPid: system.kernelPid?.bind(system),
    });
    // With -c, standard input is the programs' (through the console tty).
    if (opts.command !== undefined && !process.stdin.isTTY && system.feedConsole) {
      const feed = system.feedConsole.bind(system);
      process.stdin.on('data', (d: Buffer) => feed(new Uint8Array(d)));
      process.stdin.on('end', () => feed(null));
    }
    const status = opts.command !== undefined ? await shell.runLine(opts.command) : await shell.interactive();
    process.stdin.destroy();
    con.close();
    await system.poweroff();
    return status;
  });
  const result = await sched.run({ until: init });
  con.close();
  if (bootFailure !== undefined) {
    con.error(`embox: ${isExpected(bootFailure) ? '' : 'boot failed: '}${message(bootFailure)}\n`);
    return 1;
  }
  if (result.reason === 'deadlock') {
    con.error(`embox: every task is blocked (${result.blocked.map((t) => t.name).join(', ')}); stopping\n`);
    return 1;
  }
  return init.exitStatus ?? 1;
}

// Without the line editor (embox -c on a terminal), Ctrl-C still goes to the foreground program first.
process.on('SIGINT', () => {
  if (!interruptForeground()) process.exit(130);
});

process.on('uncaughtException', (e) => {
  process.stderr.write(`embox: internal error: ${message(e)}\n`);
  process.exit(70);
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`embox: internal error: ${message(e)}\n`);
  process.exit(70);
});

main(process.argv.slice(2)).then(flushAndExit, (e) => {
  process.stderr.write(`embox: internal error: ${message(e)}\n`);
  return flushAndExit(70);
});
