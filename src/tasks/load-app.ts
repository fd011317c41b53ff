// load_app PROGRAM [ARGS...]: run an unmodified i386 Linux program. The file
// is found in the kernel's filesystem (PATH for a bare name) and read through
// the kernel; the process is a child of the shell's kernel task (so wait4
// gives its status the Linux way) with the console as stdin/stdout/stderr.
// Status: the program's exit code, 128+N when killed by signal N, 126 for a
// file that is not an i386 executable, 127 for a missing one.
// The command is registered into the shell by src/boot/commands.ts (the shell,
// in src/rtos, cannot import it).

import { ElfError, interpreterOf } from '../int80/elf.js';
import { INT } from '../int80/layouts.js';
import type { Command, CommandContext } from '../rtos/shell/registry.js';
import { manPage } from '../rtos/shell/util.js';
import { ErrnoError, readFile } from '../rtos/sys.js';
import { E, strerror } from '../uapi/errno.js';
import { AT_FDCWD, S, SIG } from '../uapi/linux.js';
import { NR } from '../rtos/kernel/unistd.js';
import { KernelSys } from './kernel-sys.js';
import { GuestProcess, type ProcessEnv } from './process.js';

export const PATH = ['/bin', '/usr/bin', '/sbin', '/usr/sbin'];

/** The process group load_app waits for (the terminal's foreground job), if any. */
let foreground: { kernel: import('../rtos/kernel/kernel.js').Kernel; pgid: number } | undefined;

/**
 * Ctrl-C at the terminal: SIGINT to the foreground process group, as the
 * tty driver does. Returns false when no program is in the foreground.
 */
export function interruptForeground(sig: number = SIG.INT): boolean {
  const fg = foreground;
  if (!fg || !fg.kernel.running || !fg.kernel.init) return false;
  fg.kernel.submit(fg.kernel.init, NR.kill, [-fg.pgid, sig]).catch(() => undefined);
  return true;
}
const ENV = ['PATH=/bin:/usr/bin:/sbin:/usr/sbin', 'HOME=/root', 'TERM=vt100'];

/** readFile with its error as a number: the whole file, or -errno. */
async function readAll(sys: KernelSys, path: string): Promise<Uint8Array | number> {
  try {
    return await readFile(sys, path);
  } catch (e) {
    if (e instanceof ErrnoError) return -e.errno;
    throw e;
  }
}

/** The file a program name means: a path as is, a bare name through PATH. */
async function resolve(sys: KernelSys, name: string): Promise<string | number> {
  const candidates = name.includes('/') ? [name] : PATH.map((d) => `${d}/${name}`);
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
  const sys = ctx.sys;
  const strace = args[0] === '--strace';
  const argv = strace ? args.slice(1) : args;
  const prog = argv[0];
  if (!(sys instanceof KernelSys)) { await ctx.stderr.write('load_app: no kernel in this system\n'); return 1; }
  if (prog === undefined) { await ctx.stderr.write('load_app: usage: load_app PROGRAM [ARGS...]\n'); return 2; }
  const path = await resolve(sys, prog);
  if (typeof path === 'number') {
    await ctx.stderr.write(`load_app: ${prog}: ${path === -E.ENOENT ? 'command not found' : strerror(-path)}\n`);
    return path === -E.ENOENT ? 127 : 126;
  }
  const image = await readAll(sys, path);
  if (typeof image === 'number') { await ctx.stderr.write(`load_app: ${prog}: ${strerror(-image)}\n`); return 126; }
  const kernel = sys.tasks.kernel;
  let proc: GuestProcess;
  let env: ProcessEnv;
  try {
    const term = ctx.console.terminal ?? { input: false, output: false, error: false };
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
        await ctx.stderr.write(`load_app: ${prog}: interpreter ${ld}: ${strerror(-f)}\n`);
        return 126;
      }
      interp = f;
    }
    env = { kernel, sched: ctx.shell.scheduler!, tasks: sys.tasks, pipes, strace: strace ? (l: string) => void ctx.stderr.write(l) : undefined };
    proc = GuestProcess.load(prog.split('/').pop()!, env, image, argv, ENV, path, interp);
  } catch (e) {
    if (e instanceof ElfError) {
      await ctx.stderr.write(`load_app: ${prog}: ${strerror(e.errno)}\n`);
      return 126;
    }
    throw e;
  }
  const parent = await sys.tasks.of(ctx.task);
  const pid = await proc.start(parent, ctx.task, path, argv, ENV, (p) => { env.leader = p; });
  if (pid < 0) { await ctx.stderr.write(`load_app: ${prog}: fork: ${strerror(-pid)}\n`); return 126; }
  const status = new Uint8Array(INT.size);
  foreground = { kernel, pgid: pid };
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
  // Whatever the program (and what it left running) wrote is out before the next command.
  for (const p of proc.pumps) await p.join(ctx.task);
  if (r < 0) { await ctx.stderr.write(`load_app: ${prog}: wait4: ${strerror(-r)}\n`); return 1; }
  if ((st & 0x7f) === 0) return (st >> 8) & 0xff;
  return 128 + (st & 0x7f);
}

export const loadAppCommand: Command = {
  name: 'load_app',
  help: 'run an i386 Linux program',
  man: manPage('load_app', 'run an i386 Linux program', 'load_app [--strace] PROGRAM [ARGS...]',
    'Runs the i386 ELF program PROGRAM (a path, or a name looked up in\n' +
    `${PATH.join(':')}) with ARGS, its system calls served by the kernel,\n` +
    'its standard input and output on the console. The exit status is the\n' +
    "program's, 128+N if a signal N killed it, 126 if the file is not an i386\n" +
    'executable, 127 if there is no such program. With --strace every system\n' +
    'call of the program and its children is printed on stderr as strace -f\n' +
    'prints it.'),
  run: (ctx) => loadApp(ctx, ctx.args),
};
