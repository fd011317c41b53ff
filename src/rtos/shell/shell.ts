// The shell: reads lines (prompt `embox>`), parses them, opens redirections
// through Sys and runs registered commands. The status of a line is the status
// of its last command.

import type { Console } from '../console.js';
import { strerror } from '../../uapi/errno.js';
import type { Scheduler, Task } from '../scheduler.js';
import type { Sys } from '../sys.js';
import { AT_FDCWD, O } from '../../uapi/linux.js';
import { parseLine, type Redirect } from './parser.js';
import { commands as defaultRegistry, type CommandContext, type CommandRegistry, type Output } from './registry.js';

export const PROMPT = 'embox> ';
/** Status of an unknown command, as POSIX shells. */
export const STATUS_NOT_FOUND = 127;
/** Status of a line that does not parse. */
export const STATUS_SYNTAX = 2;

export interface ShellOptions {
  sys: Sys;
  console: Console;
  /** The task the shell runs in. */
  task: Task;
  scheduler?: Scheduler;
  /** Kernel pid of an RTOS task, for `ps` (provided by the kernel host). */
  kernelPid?: (task: { id: number }) => number | undefined;
  registry?: CommandRegistry;
  prompt?: string;
  /** The environment of the programs the shell's commands start (load_app), NAME=VALUE each; theirs by default. */
  env?: readonly string[];
}

const encoder = new TextEncoder();

class ConsoleOutput implements Output {
  constructor(private readonly sink: (data: string | Uint8Array) => void) {}
  write(text: string | Uint8Array): Promise<void> {
    this.sink(text);
    return Promise.resolve();
  }
}

/** Output to a file descriptor through Sys; remembers the first error. */
class FdOutput implements Output {
  error = 0;
  constructor(private readonly sys: Sys, readonly fd: number) {}
  async write(text: string | Uint8Array): Promise<void> {
    if (this.error) return;
    let buf = typeof text === 'string' ? encoder.encode(text) : text;
    while (buf.length > 0) {
      const n = await this.sys.write(this.fd, buf);
      if (n < 0) { this.error = n; return; }
      if (n === 0) { this.error = -5; return; } // a write that makes no progress would loop forever: EIO
      buf = buf.subarray(n);
    }
  }
}

export class Shell {
  readonly sys: Sys;
  readonly console: Console;
  readonly task: Task;
  readonly scheduler: Scheduler | undefined;
  readonly kernelPid: ((task: { id: number }) => number | undefined) | undefined;
  readonly registry: CommandRegistry;
  readonly prompt: string;
  readonly env: readonly string[] | undefined;
  /** Status of the last command line. */
  lastStatus = 0;
  /** Set by exit/poweroff: the shell stops after the current line with this status. */
  exitStatus: number | undefined = undefined;

  constructor(opts: ShellOptions) {
    this.sys = opts.sys;
    this.console = opts.console;
    this.task = opts.task;
    this.scheduler = opts.scheduler;
    this.kernelPid = opts.kernelPid;
    this.registry = opts.registry ?? defaultRegistry;
    this.prompt = opts.prompt ?? PROMPT;
    this.env = opts.env;
  }

  /** Ask the shell to stop after the running line. */
  requestExit(status: number): void {
    this.exitStatus = status;
  }

  get exiting(): boolean {
    return this.exitStatus !== undefined;
  }

  /** Read and run lines until end of input or exit/poweroff; returns the final status. */
  async interactive(): Promise<number> {
    while (!this.exiting) {
      const line = await this.task.waitFor(this.console.readLine(this.prompt));
      if (line === null) break; // end of input (Ctrl-D)
      await this.runLine(line);
    }
    return this.exitStatus ?? this.lastStatus;
  }

  /** Run one command line; returns its status (the last command's). */
  async runLine(line: string): Promise<number> {
    const parsed = parseLine(line);
    if (!parsed.ok) {
      this.console.error(`embox: ${parsed.error}\n`);
      this.lastStatus = STATUS_SYNTAX;
      return this.lastStatus;
    }
    for (const cmd of parsed.commands) {
      if (this.exiting) break;
      this.lastStatus = await this.runCommand(cmd.argv, cmd.redirects);
    }
    if (this.exitStatus !== undefined) this.lastStatus = this.exitStatus;
    return this.lastStatus;
  }

  /** Run one command with its redirections. */
  async runCommand(argv: string[], redirects: Redirect[] = []): Promise<number> {
    // fds[1], fds[2]: where stdout and stderr go, after the redirections in order (as POSIX shells).
    const fds: Record<1 | 2, Output> = {
      1: new ConsoleOutput((d) => this.console.write(d)),
      2: new ConsoleOutput((d) => this.console.error(d)),
    };
    const opened: FdOutput[] = [];
    let status = 0;
    try {
      for (const r of redirects) {
        if (r.op === '>&') {
          fds[r.fd] = fds[r.target === '2' ? 2 : 1];
          continue;
        }
        const flags = O.WRONLY | O.CREAT | O.LARGEFILE | (r.op === '>>' ? O.APPEND : O.TRUNC);
        const fd = await this.sys.openat(AT_FDCWD, r.target, flags, 0o666);
        if (fd < 0) {
          await fds[2].write(`embox: ${r.target}: ${strerror(fd)}\n`);
          return (status = 1);
        }
        const out = new FdOutput(this.sys, fd);
        opened.push(out);
        fds[r.fd] = out;
      }
      if (argv.length === 0) return 0; // bare `> file` only creates/truncates
      const name = argv[0]!;
      const cmd = this.registry.get(name);
      if (!cmd) {
        await fds[2].write(`embox: ${name}: command not found\n`);
        return (status = STATUS_NOT_FOUND);
      }
      const ctx: CommandContext = {
        argv,
        args: argv.slice(1),
        sys: this.sys,
        stdout: fds[1],
        stderr: fds[2],
        console: this.console,
        shell: this,
        task: this.task,
      };
      try {
        status = await cmd.run(ctx);
      } catch (e) {
        // A failing command must not take the shell (or the host) down.
        await fds[2].write(`${name}: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        status = 1;
      }
      for (const o of opened) {
        if (!o.error) continue;
        // The error cannot go to a file that failed: report it on the console.
        this.console.error(`${name}: write error: ${strerror(o.error)}\n`);
        if (status === 0) status = 1;
        break;
      }
      return status;
    } finally {
      for (const o of opened) {
        const r = await this.sys.close(o.fd);
        if (r < 0) this.console.error(`embox: close: ${strerror(r)}\n`);
      }
    }
  }
}
