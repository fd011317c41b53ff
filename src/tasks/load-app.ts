// load_app PROGRAM [ARGS...]: run an unmodified i386 Linux program. The file
// is found in the kernel's filesystem (PATH for a bare name) and read through
// the kernel; the process is a child of the shell's kernel task (so wait4
// gives its status the Linux way) with the console as stdin/stdout/stderr.
// Status: the program's exit code, 128+N when killed by signal N, 126 for a
// file that is not an i386 executable, 127 for a missing one.
// The command is registered into the shell by src/boot/commands.ts (the shell,
// in src/rtos, cannot import it).

import { ElfError, interpreterOf } from '../int80/elf.js';
import { FD_PAIR, INT } from '../int80/layouts.js';
import type { Command, CommandContext } from '../rtos/shell/registry.js';
import { manPage } from '../rtos/shell/util.js';
import { ErrnoError, readFile } from '../rtos/sys.js';
import { E, strerror } from '../uapi/errno.js';
import type { Scheduler, Task } from '../rtos/scheduler.js';
import { AT_FDCWD, F, O, S, SIG } from '../uapi/linux.js';
import { NR } from '../rtos/kernel/unistd.js';
import { KernelSys } from './kernel-sys.js';
import type { KernelTasks } from './kernel-tasks.js';
import { GuestProcess, type ProcessEnv } from './process.js';
import { Tracer } from '../int80/tracer.js';
import { TraceOutput, cpuClock } from './trace-output.js';

export const PATH = ['/bin', '/usr/bin', '/sbin', '/usr/sbin'];

/** The process group load_app waits for (the terminal's foreground job), if any. */
let foreground: { tasks: KernelTasks; sched: Scheduler; pgid: number } | undefined;

/**
 * Ctrl-C at the terminal: SIGINT to the foreground process group, as the
 * tty driver does. Returns false when no program is in the foreground.
 */
export function interruptForeground(sig: number = SIG.INT): boolean {
  const fg = foreground;
  if (!fg || !fg.tasks.kernel.running || !fg.tasks.kernel.init) return false;
  // from init, in turn with the other calls the system makes there
  fg.sched.spawn('interrupt', (t) => fg.tasks.initCall(t, NR.kill, [-fg.pgid, sig]).then(() => 0));
  return true;
}
/** The programs' environment unless the shell has one (System.env: a login's on a root from a disk). */
const ENV = [`PATH=${PATH.join(':')}`, 'HOME=/root', 'TERM=vt100'];

/** The directories of the environment's PATH (an empty entry is the working directory, as execvp takes it). */
function searchPath(env: readonly string[]): string[] {
  const p = env.find((e) => e.startsWith('PATH='));
  return p === undefined ? PATH : p.slice(5).split(':').map((d) => d || '.');
}

/**
 * Standard input that is not a terminal (a pipe, a file), as a console that
 * has one gives it to the programs load_app starts (src/boot/terminal.ts):
 * bytes for a program while it runs, and back what it left unread.
 */
export interface PipedInput {
  /** Up to max of the next bytes, when there are some; null at the end of input; empty after cancel(). */
  next(max: number): Promise<Uint8Array | null>;
  /** A pending next() resolves with no bytes. */
  cancel(): void;
  /** Bytes not consumed after all: they come first again. */
  unread(data: Uint8Array): void;
}

/** Bytes written to the program's stdin pipe at a time: PIPE_BUF, so a write into room for it completes at once. */
const STDIN_CHUNK = 4096;

/**
 * The program's standard input as a pipe, as it is natively when input is
 * piped in: a host task writes the console's input into it while the
 * program runs (the pipe's 64 KiB bound the input taken ahead of the
 * program), and once the program has ended, what is still in the pipe goes
 * back to the console, for the shell's next line or the next program.
 */
class StdinPipe {
  private stop = false;
  private feeder: Task | undefined;

  private constructor(private readonly sys: KernelSys, private readonly input: PipedInput,
    private readonly rd: number, private readonly wr: number, private readonly saved: number) {}

  /** The pipe, its read end as the shell's fd 0 until the program is forked (it inherits it). */
  static async open(sys: KernelSys, input: PipedInput): Promise<StdinPipe | number> {
    const fds = new Uint8Array(FD_PAIR.size);
    let r = await sys.call(NR.pipe2, fds, O.CLOEXEC);
    if (r < 0) return r;
    const { fd0: rd, fd1: wr } = FD_PAIR.decode(fds);
    const saved = await sys.syscall(NR.fcntl64, 0, F.DUPFD_CLOEXEC, 10);
    r = saved < 0 ? saved : await sys.syscall(NR.dup3, rd, 0, 0);
    if (r < 0) {
      await sys.close(rd);
      await sys.close(wr);
      if (saved >= 0) await sys.close(saved);
      return r;
    }
    return new StdinPipe(sys, input, rd, wr, saved);
  }

  /** The program has its fd 0: the shell's comes back; a host task feeds the pipe. */
  async started(ctx: CommandContext): Promise<void> {
    await this.sys.syscall(NR.dup3, this.saved, 0, 0);
    await this.sys.close(this.saved);
    const shellPid = await this.sys.getpid();
    let opened = false;
    this.feeder = ctx.shell.scheduler!.spawn('load_app:stdin', async (t) => {
      this.sys.tasks.system(t);
      const s = new KernelSys(this.sys.tasks, t);
      const fd = await s.openat(AT_FDCWD, `/proc/${shellPid}/fd/${this.wr}`, O.WRONLY | O.CLOEXEC);
      opened = true;
      ctx.shell.scheduler!.wake(ctx.task);
      if (fd < 0) return 1;
      try {
        while (!this.stop) {
          const chunk = await t.waitFor(this.input.next(STDIN_CHUNK));
          if (chunk === null) break; // end of input: closing the pipe gives the program end of file
          let off = 0;
          // a chunk taken while stopping goes back unwritten
          while (off < chunk.length && !this.stop) {
            const n = await s.write(fd, chunk.subarray(off));
            if (n <= 0) break;
            off += n;
          }
          if (off < chunk.length) {
            this.input.unread(chunk.subarray(off));
            break;
          }
        }
      } finally {
        await s.close(fd);
      }
      return 0;
    });
    while (!opened) await ctx.task.block();
    await this.sys.close(this.wr);
  }

  /** The program did not start: the shell's fd 0 back, the pipe closed. */
  async abandon(): Promise<void> {
    await this.sys.syscall(NR.dup3, this.saved, 0, 0);
    await this.sys.close(this.saved);
    await this.sys.close(this.rd);
    await this.sys.close(this.wr);
  }

  /** The program has ended: the feeder stops, and what it wrote that nobody read goes back to the console. */
  async finish(task: Task): Promise<void> {
    this.stop = true;
    this.input.cancel();
    const fd = await this.sys.openat(AT_FDCWD, `/proc/self/fd/${this.rd}`, O.RDONLY | O.NONBLOCK | O.CLOEXEC);
    const left: Uint8Array[] = [];
    const drain = async () => {
      if (fd < 0) return;
      const buf = new Uint8Array(65536);
      for (;;) {
        const n = await this.sys.read(fd, buf);
        if (n <= 0) break;
        left.push(buf.slice(0, n));
      }
    };
    // a feeder blocked on a full pipe gets room and sees the stop
    await drain();
    if (this.feeder) await this.feeder.join(task);
    await drain();
    if (fd >= 0) await this.sys.close(fd);
    await this.sys.close(this.rd);
    const n = left.reduce((k, b) => k + b.length, 0);
    if (n === 0) return;
    const all = new Uint8Array(n);
    let o = 0;
    for (const b of left) { all.set(b, o); o += b.length; }
    this.input.unread(all);
  }
}

/** readFile with its error as a number: the whole file, or -errno. */
async function readAll(sys: KernelSys, path: string): Promise<Uint8Array | number> {
  try {
    return await readFile(sys, path);
  } catch (e) {
    if (e instanceof ErrnoError) return -e.errno;
    throw e;
  }
}

/** The file a program name means: a path as is, a bare name through the directories of PATH. */
async function resolve(sys: KernelSys, name: string, path: string[]): Promise<string | number> {
  const candidates = name.includes('/') ? [name] : path.map((d) => `${d}/${name}`);
  let err = -E.ENOENT;
  for (const c of candidates) {
    const st = await sys.fstatat(AT_FDCWD, c, 0);
    if (typeof st === 'number') { err = st; continue; }
    if ((st.mode & S.IFMT) !== S.IFREG) { err = -E.EACCES; continue; }
    return c;
  }
  return err;
}

export async function loadApp(ctx: CommandContext, args: string[]): Promise<number> {
  if (args[0] !== '--strace') return runProgram(ctx, args);
  // strace -f, its lines on stderr
  const out = await TraceOutput.open(ctx, 'load_app');
  if (typeof out === 'number') return out;
  const tracer = new Tracer({ write: (t) => out.write(t), follow: true, pidColumn: false, attachMessages: true, ...cpuClock(ctx) });
  try {
    return await runProgram(ctx, args.slice(1), tracer);
  } finally {
    tracer.finish();
    await out.close(ctx.task);
  }
}

/**
 * Run argv[0] (a path, or a name found through PATH) with argv, under a
 * strace session if one is given; resolves with the exit status.
 */
export async function runProgram(ctx: CommandContext, argv: string[], tracer?: Tracer, name = 'load_app'): Promise<number> {
  const sys = ctx.sys;
  const prog = argv[0];
  if (!(sys instanceof KernelSys)) { await ctx.stderr.write(`${name}: no kernel in this system\n`); return 1; }
  if (prog === undefined) { await ctx.stderr.write(`${name}: usage: ${name} PROGRAM [ARGS...]\n`); return 2; }
  const envp = [...(ctx.shell.env ?? ENV)];
  const path = await resolve(sys, prog, searchPath(envp));
  if (typeof path === 'number') {
    await ctx.stderr.write(`${name}: ${prog}: ${path === -E.ENOENT ? 'command not found' : strerror(-path)}\n`);
    return path === -E.ENOENT ? 127 : 126;
  }
  const image = await readAll(sys, path);
  if (typeof image === 'number') { await ctx.stderr.write(`${name}: ${prog}: ${strerror(-image)}\n`); return 126; }
  const kernel = sys.tasks.kernel;
  let proc: GuestProcess;
  let env: ProcessEnv;
  try {
    const term = ctx.console.terminal ?? { input: false, output: false, error: false, errorIsOutput: false };
    const pipes = {
      out: term.output ? undefined : (d: Uint8Array) => ctx.console.write(d),
      err: term.error ? undefined : (d: Uint8Array) => ctx.console.error(d),
    };
    // a dynamically linked program: its interpreter (ld-linux.so.2) is read the same way
    const ld = interpreterOf(image);
    let interp: Uint8Array | undefined;
    if (ld !== null) {
      const f = await readAll(sys, ld);
      if (typeof f === 'number') {
        await ctx.stderr.write(`${name}: ${prog}: interpreter ${ld}: ${strerror(-f)}\n`);
        return 126;
      }
      interp = f;
    }
    env = { kernel, sched: ctx.shell.scheduler!, tasks: sys.tasks, pipes, errOnConsole: term.errorIsOutput === true && term.output && term.error, tracer };
    proc = GuestProcess.load(prog.split('/').pop()!, env, image, argv, envp, path, interp);
  } catch (e) {
    if (e instanceof ElfError) {
      await ctx.stderr.write(`${name}: ${prog}: ${strerror(e.errno)}\n`);
      return 126;
    }
    throw e;
  }
  const parent = await sys.tasks.of(ctx.task);
  const input = (ctx.console as { pipedInput?: PipedInput }).pipedInput;
  const stdin = input ? await StdinPipe.open(sys, input) : undefined;
  if (typeof stdin === 'number') { await ctx.stderr.write(`${name}: ${prog}: standard input: ${strerror(-stdin)}\n`); return 126; }
  const pid = await proc.start(parent, ctx.task, path, argv, envp);
  if (pid < 0) {
    await stdin?.abandon();
    await ctx.stderr.write(`${name}: ${prog}: fork: ${strerror(-pid)}\n`);
    return 126;
  }
  await stdin?.started(ctx);
  const status = new Uint8Array(INT.size);
  foreground = { tasks: sys.tasks, sched: ctx.shell.scheduler!, pgid: pid };
  const detach = ctx.console.attachProgramInput?.((d) => kernel.consoleWrite(d));
  let r: number;
  let st: number;
  try {
    r = await sys.call(NR.wait4, pid, status, 0, 0);
    st = INT.decode(status).v;
    if (r < 0 && !sys.tasks.alive(ctx.task, parent) && proc.task) {
      // A signal killed the shell's kernel task (kill -9 -1 from the program,
      // say): the program went to init, which reaps it, so wait4 cannot tell.
      // Its own end says how it ended (the shell gets a new kernel task).
      await proc.task.join(ctx.task);
      if (proc.host.exitCode !== undefined) {
        r = pid;
        st = proc.host.exitCode;
      }
    }
  } finally {
    foreground = undefined;
    detach?.();
  }
  await stdin?.finish(ctx.task);
  // Whatever the program (and what it left running) wrote is out before the next command.
  for (const p of proc.pumps) await p.join(ctx.task);
  if (r < 0) { await ctx.stderr.write(`${name}: ${prog}: wait4: ${strerror(-r)}\n`); return 1; }
  if ((st & 0x7f) === 0) return (st >> 8) & 0xff;
  return 128 + (st & 0x7f);
}

export const loadAppCommand: Command = {
  name: 'load_app',
  help: 'run an i386 Linux program',
  man: manPage('load_app', 'run an i386 Linux program', 'load_app [--strace] PROGRAM [ARGS...]',
    'Runs the i386 ELF program PROGRAM (a path, or a name looked up in the\n' +
    `programs' PATH: ${PATH.join(':')}, or root's login PATH on a root from\n` +
    'a disk) with ARGS, its system calls served by the kernel, its standard\n' +
    'input and output on the console. The exit status is the\n' +
    "program's, 128+N if a signal N killed it, 126 if the file is not an i386\n" +
    'executable, 127 if there is no such program. With --strace it runs as\n' +
    'under strace -f (man strace): its system calls and its children\'s on\n' +
    'stderr, as strace prints them.'),
  run: (ctx) => loadApp(ctx, ctx.args),
};
