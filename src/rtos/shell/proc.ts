// Task and process commands: ps, kill.

import { registerCommand, type CommandContext } from './registry.js';
import { fail, failErrno, manPage } from './util.js';

/** Signal numbers (i386 Linux) by name, for kill -NAME. */
const SIGNALS: ReadonlyArray<readonly [string, number]> = [
  ['HUP', 1], ['INT', 2], ['QUIT', 3], ['ILL', 4], ['TRAP', 5], ['ABRT', 6], ['BUS', 7],
  ['FPE', 8], ['KILL', 9], ['USR1', 10], ['SEGV', 11], ['USR2', 12], ['PIPE', 13],
  ['ALRM', 14], ['TERM', 15], ['CHLD', 17], ['CONT', 18], ['STOP', 19], ['TSTP', 20],
  ['TTIN', 21], ['TTOU', 22], ['WINCH', 28],
];

export function signalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n <= 64 ? n : undefined;
  }
  const name = spec.toUpperCase().replace(/^SIG/, '');
  return SIGNALS.find(([n]) => n === name)?.[1];
}

async function ps(ctx: CommandContext): Promise<number> {
  const sched = ctx.shell.scheduler;
  if (!sched) return fail(ctx, 'no scheduler');
  const rows = sched.ps();
  let out = `${'ID'.padStart(4)} ${'PID'.padStart(5)} ${'STATE'.padEnd(8)} NAME\n`;
  for (const t of rows) {
    const pid = ctx.shell.kernelPid?.(t);
    out += `${String(t.id).padStart(4)} ${(pid === undefined ? '-' : String(pid)).padStart(5)} ${t.state.padEnd(8)} ${t.name}\n`;
  }
  await ctx.stdout.write(out);
  return 0;
}

async function kill(ctx: CommandContext): Promise<number> {
  let args = ctx.args;
  let sig = 15;
  const first = args[0];
  if (first !== undefined && first.startsWith('-') && first.length > 1) {
    const spec = first === '-s' ? args[1] : first.slice(1);
    const n = spec === undefined ? undefined : signalNumber(spec);
    if (n === undefined) return fail(ctx, `invalid signal '${spec ?? ''}'`);
    sig = n;
    args = args.slice(first === '-s' ? 2 : 1);
  }
  if (args.length === 0) return fail(ctx, 'usage: kill [-SIGNAL] PID...');
  let status = 0;
  for (const a of args) {
    if (!/^-?\d+$/.test(a)) {
      status = await fail(ctx, `invalid process id '${a}'`);
      continue;
    }
    const r = await ctx.sys.kill(Number(a), sig);
    if (r < 0) status = await failErrno(ctx, `(${a})`, r);
  }
  return status;
}

registerCommand({
  name: 'ps',
  help: 'list tasks',
  man: manPage('ps', 'list tasks', 'ps',
    'Lists the RTOS tasks: task id, the pid of the kernel task bound to it\n("-" if none), scheduling state (ready, running, blocked) and name.'),
  run: ps,
});

registerCommand({
  name: 'kill',
  help: 'send a signal to a process',
  man: manPage('kill', 'send a signal to a process', 'kill [-SIGNAL | -s SIGNAL] PID...',
    'Sends SIGNAL (a number or a name such as TERM, KILL, INT; default TERM)\nto each kernel process PID.'),
  run: kill,
});
