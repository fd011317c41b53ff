// Where an strace session's lines go: the console's error output, or a
// file in the machine (strace -o FILE, or the shell's `2> FILE`). Lines are
// made inside the traced programs' tasks, which cannot wait for a file's
// writes, and the shell's own kernel task is busy waiting for the program:
// a task of its own writes them, through the file the shell opened
// (/proc/SHELL/fd/N, as the output pumps of process.ts read pipes).

import type { CommandContext } from '../rtos/shell/registry.js';
import type { Task } from '../rtos/scheduler.js';
import { AT_FDCWD, O } from '../uapi/linux.js';
import { strerror } from '../uapi/errno.js';
import type { Proc } from '../int80/proc-context.js';
import { KernelSys } from './kernel-sys.js';
import type { GuestProcess } from './process.js';

const enc = new TextEncoder();

export class TraceOutput {
  private readonly queue: string[] = [];
  private writer: Task | undefined;
  private closing = false;
  /** The first write error (-errno), reported at close. */
  private error = 0;

  private constructor(private readonly ctx: CommandContext, private readonly name: string,
    private readonly fd: number | undefined, private readonly owned: boolean) {}

  /**
   * The command's stderr (the console, or the file the shell redirected it
   * to), or with `file` that file, created or truncated in the machine's
   * file system relative to the shell's directory. A number: the exit status
   * after an error message.
   */
  static async open(ctx: CommandContext, name: string, file?: string): Promise<TraceOutput | number> {
    if (file === undefined) {
      const fd = ctx.stderr.fd;
      const out = new TraceOutput(ctx, name, fd, false);
      if (fd !== undefined) await out.start();
      return out;
    }
    const fd = await ctx.sys.openat(AT_FDCWD, file, O.WRONLY | O.CREAT | O.TRUNC | O.LARGEFILE | O.CLOEXEC, 0o666);
    if (fd < 0) {
      await ctx.stderr.write(`${name}: Can't fopen '${file}': ${strerror(fd)}\n`);
      return 1;
    }
    const out = new TraceOutput(ctx, name, fd, true);
    await out.start();
    return out;
  }

  /** Text for the trace; after close() it goes nowhere (a program left running past the session). */
  write(text: string): void {
    if (this.closing) return;
    if (this.fd === undefined) {
      void this.ctx.stderr.write(text);
      return;
    }
    this.queue.push(text);
    if (this.writer) this.ctx.shell.scheduler!.wake(this.writer);
  }

  /** Everything written is out; the file is closed. */
  async close(caller: Task): Promise<void> {
    this.closing = true;
    if (this.writer) {
      this.ctx.shell.scheduler!.wake(this.writer);
      await this.writer.join(caller);
    }
    if (this.owned && this.fd !== undefined) await this.ctx.sys.close(this.fd);
    if (this.error) await this.ctx.stderr.write(`${this.name}: write error: ${strerror(this.error)}\n`);
  }

  /** The writing task: the shell's file opened again through /proc, then what is queued, until close(). */
  private async start(): Promise<void> {
    const sys = this.ctx.sys as KernelSys;
    const sched = this.ctx.shell.scheduler!;
    const shell = await sys.getpid();
    let opened = false;
    this.writer = sched.spawn(`${this.name}:output`, async (t) => {
      sys.tasks.system(t);
      const s = new KernelSys(sys.tasks, t);
      const fd = await s.openat(AT_FDCWD, `/proc/${shell}/fd/${this.fd}`, O.WRONLY | O.APPEND | O.CLOEXEC);
      opened = true;
      sched.wake(this.ctx.task);
      if (fd < 0) { this.error = fd; return 1; }
      try {
        for (;;) {
          if (this.queue.length === 0) {
            if (this.closing) break;
            await t.block();
            continue;
          }
          let buf = enc.encode(this.queue.splice(0).join(''));
          while (buf.length > 0 && !this.error) {
            const n = await s.write(fd, buf);
            if (n <= 0) { this.error = n < 0 ? n : -5; break; }
            buf = buf.subarray(n);
          }
        }
      } finally {
        await s.close(fd);
      }
      return 0;
    });
    while (!opened) await this.ctx.task.block();
  }
}

/** strace -c's clock: the time the calling thread has run (its RTOS task's), so a call's time leaves out its waits. */
export function cpuClock(ctx: CommandContext): { threadClock: (p: Proc) => number } {
  const sched = ctx.shell.scheduler!;
  return { threadClock: (p) => { const t = (p as GuestProcess).task; return t ? sched.cpuTime(t) : performance.now(); } };
}
