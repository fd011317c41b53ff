// The `embox` command: boot the system, then run one command line (-c) or an
// interactive shell on the terminal.
//
//   embox [--vda IMAGE[:ro]] [--verbose] [-c 'CMDS']
//
// stdout carries only what commands print; diagnostics go to stderr (kernel
// and boot messages only with --verbose). Failures are one-line messages and
// a non-zero exit status.

import { BlockDevError } from '../src/blockdev/blockdev.js';
import { openImage } from '../src/blockdev/image.js';
import { Scheduler } from '../src/rtos/scheduler.js';
import { commands, Shell } from '../src/rtos/shell/index.js';
import { bootSystem, BootError, type System } from '../src/boot/system.js';
import { interruptForeground } from '../src/tasks/load-app.js';
import { TerminalConsole } from '../src/boot/terminal.js';
import { debugError, errorText } from '../src/boot/errors.js';

const USAGE = `usage: embox [--vda IMAGE[:ro]] [--verbose] [-c 'COMMANDS']

  --vda IMAGE   ext2/3/4 disk image attached as /dev/vda and mounted at /mnt/vda
                (IMAGE:ro: read-only, shared with other embox processes)
  --verbose     show kernel and boot messages on stderr
  -c COMMANDS   run one command line, power off, exit with its status
  -h, --help    show this text
`;

/** Exit status for command-line usage errors. */
const STATUS_USAGE = 2;

export interface CliOptions {
  vda?: string;
  vdaReadOnly?: boolean;
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
        const ro = v?.endsWith(':ro') ?? false;
        const file = ro ? v!.slice(0, -3) : v;
        if (file === undefined || file === '') return `option ${name} needs an image file`;
        opts.vda = file;
        opts.vdaReadOnly = ro;
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

function message(e: unknown): string {
  return isExpected(e) ? (e as Error).message : errorText(e);
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
      const img = await openImage(opts.vda, opts.vdaReadOnly ? 'ro' : 'rw');
      con.log(`vda: ${opts.vda}: ${img.fs.type}, ${img.fs.blocksCount} blocks of ${img.fs.blockSize} bytes${opts.vdaReadOnly ? ', read-only' : ''}\n`);
      img.dev.close();
    }
  } catch (e) {
    con.error(`embox: ${message(e)}\n`);
    return 1;
  }

  const sched = new Scheduler({
    // A host error ends the task that hit it (a guest's process is killed, see
    // src/tasks/kernel-tasks.ts); the rest of the system runs on.
    onTaskError: (t, e) => {
      con.error(`embox: task ${t.id} (${t.name}) failed: ${errorText(e)}\n`);
      debugError(`task ${t.id} (${t.name})`, e);
    },
  });
  let bootFailure: unknown;
  const init = sched.spawn('shell', async (task) => {
    let system: System;
    try {
      system = await bootSystem({ vda: opts.vda, vdaReadOnly: opts.vdaReadOnly, verbose: opts.verbose, console: con, scheduler: sched });
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
  debugError('uncaught exception', e);
  process.stderr.write(`embox: internal error: ${message(e)}\n`);
  process.exit(70);
});
process.on('unhandledRejection', (e) => {
  debugError('unhandled rejection', e);
  process.stderr.write(`embox: internal error: ${message(e)}\n`);
  process.exit(70);
});

main(process.argv.slice(2)).then(flushAndExit, (e) => {
  debugError('main', e);
  process.stderr.write(`embox: internal error: ${message(e)}\n`);
  return flushAndExit(70);
});
