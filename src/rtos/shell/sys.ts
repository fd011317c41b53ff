// System commands: uname, dmesg, poweroff, exit.

import { SYSLOG_ACTION } from '../../uapi/linux.js';
import { getopt } from './parser.js';
import { registerCommand, type CommandContext } from './registry.js';
import { fail, failErrno, manPage } from './util.js';

/** uname flags in output order, with the struct field each prints. */
const UNAME_FIELDS = [
  ['s', 'sysname'],
  ['n', 'nodename'],
  ['r', 'release'],
  ['v', 'version'],
  ['m', 'machine'],
] as const;

async function uname(ctx: CommandContext): Promise<number> {
  const opts = getopt(ctx.args, 'asnrvm');
  if (!opts.ok) return fail(ctx, `invalid option -- '${opts.bad}'`);
  if (opts.operands.length > 0) return fail(ctx, `extra operand '${opts.operands[0]}'`);
  const u = await ctx.sys.uname();
  if (typeof u === 'number') return failErrno(ctx, 'uname', u);
  const all = opts.flags.has('a');
  const wanted = opts.flags.size === 0 ? new Set(['s']) : opts.flags;
  const parts = UNAME_FIELDS.filter(([f]) => all || wanted.has(f)).map(([, field]) => u[field]);
  await ctx.stdout.write(`${parts.join(' ')}\n`);
  return 0;
}

const decoder = new TextDecoder();

/** Kernel log lines start with "<level>"; dmesg shows them without it. */
export function stripLogLevels(text: string): string {
  return text.replace(/^<\d+>/gm, '');
}

async function dmesg(ctx: CommandContext): Promise<number> {
  const opts = getopt(ctx.args, 'cr');
  if (!opts.ok) return fail(ctx, `invalid option -- '${opts.bad}'`);
  const size = await ctx.sys.syslog(SYSLOG_ACTION.SIZE_BUFFER, null);
  if (size < 0) return failErrno(ctx, 'klogctl', size);
  const buf = new Uint8Array(size);
  const action = opts.flags.has('c') ? SYSLOG_ACTION.READ_CLEAR : SYSLOG_ACTION.READ_ALL;
  const n = await ctx.sys.syslog(action, buf);
  if (n < 0) return failErrno(ctx, 'klogctl', n);
  let text = decoder.decode(buf.subarray(0, n));
  if (!opts.flags.has('r')) text = stripLogLevels(text);
  if (text.length > 0 && !text.endsWith('\n')) text += '\n';
  await ctx.stdout.write(text);
  return 0;
}

function poweroff(ctx: CommandContext): number {
  ctx.shell.requestExit(0);
  return 0;
}

async function exit(ctx: CommandContext): Promise<number> {
  const arg = ctx.args[0];
  if (ctx.args.length > 1) return fail(ctx, 'too many arguments');
  let status = ctx.shell.lastStatus;
  if (arg !== undefined) {
    if (!/^-?\d+$/.test(arg)) return fail(ctx, `${arg}: numeric argument required`);
    status = Number(arg) & 0xff; // exit statuses are 8 bits, as in every shell
  }
  ctx.shell.requestExit(status);
  return status;
}

registerCommand({
  name: 'uname',
  help: 'print system information',
  man: manPage('uname', 'print system information', 'uname [-asnrvm]',
    'Prints the kernel name (default) or the selected fields, in this order:\n' +
    '-s  kernel name\n-n  network node name\n-r  kernel release\n-v  kernel version\n-m  machine\n-a  all of the above'),
  run: uname,
});

registerCommand({
  name: 'dmesg',
  help: 'print the kernel log',
  man: manPage('dmesg', 'print the kernel log', 'dmesg [-cr]',
    'Prints the kernel message buffer (read with syslog(2)).\n' +
    '-c  clear the buffer after printing\n-r  keep the <level> prefixes'),
  run: dmesg,
});

registerCommand({
  name: 'poweroff',
  help: 'shut the system down',
  man: manPage('poweroff', 'shut the system down', 'poweroff', 'Stops the shell, syncs and unmounts the filesystems and halts the kernel.'),
  run: poweroff,
});

registerCommand({
  name: 'exit',
  help: 'leave the shell (shuts the system down)',
  man: manPage('exit', 'leave the shell', 'exit [STATUS]',
    'Stops the shell and shuts the system down. The exit status is STATUS\n(0-255), or that of the last command.'),
  run: exit,
});
