// The `embox` command (loaded by main.ts, after early.ts): boot the system, then run one
// command line (-c) or an interactive shell on the terminal.
//
//   embox [--vda IMAGE[:ro] | --root IMAGE[:ro]] [--mem SIZE] [--net user|none] [-p [HOSTIP:]HOSTPORT:GUESTPORT[/udp]]... [--profile] [--verbose] [-c 'CMDS']
//   embox --help | --version
//
// stdout carries only what commands print; diagnostics go to stderr (kernel
// and boot messages only with --verbose). Failures are one-line messages and
// a non-zero exit status.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseArgsStrict } from 'node:util';
import { BlockDevError } from '../src/blockdev/blockdev.js';
import { openImage } from '../src/blockdev/image.js';
import { Scheduler } from '../src/rtos/scheduler.js';
import { commands, Shell } from '../src/rtos/shell/index.js';
import { bootSystem, BootError, KERNEL_PATH, type System } from '../src/boot/system.js';
import { interruptForeground } from '../src/tasks/load-app.js';
import { TerminalConsole } from '../src/boot/terminal.js';
import { parsePublish, type Publish } from '../src/net/index.js';
import { dnsServers } from '../src/net/node.js';
import { debugError, errorText } from '../src/boot/errors.js';
import { countHandlers, profileReport } from '../src/cpu/profile.js';
import { mark, startLine } from '../src/boot/start-marks.js';
import { translationBudget } from '../src/cpu/wasm-run.js';

const USAGE = `usage: embox [--vda IMAGE[:ro] | --root IMAGE[:ro]] [--mem SIZE] [--net user|none]
             [-p [HOSTIP:]HOSTPORT:GUESTPORT[/udp]]... [--profile] [--verbose] [-c 'COMMANDS']
       embox --help | --version
`;

const HELP = `${USAGE}
Boots an i386 Linux system (Linux 6.1 compiled to WebAssembly, an RTOS serving
the programs' system calls) and runs one command line, or a shell on the terminal.

options:
  --vda IMAGE             ext2/3/4 disk image attached as /dev/vda and mounted at
                          /mnt/vda (IMAGE:ro: read-only, shared with other embox
                          processes)
  --root IMAGE            boot with the ext2/3/4 image of an i386 distribution as /
                          (/dev/vda; made by mmdebstrap --architectures=i386, say,
                          and mke2fs -d): load_app runs its programs, found through
                          root's login PATH, in root's login environment, with
                          /proc, /sys, /dev, /dev/pts, /tmp and /run mounted as an
                          init mounts them; read-write (IMAGE:ro: read-only, shared
                          with other embox processes). Without it / is the bundled
                          busybox root. Not with --vda
  --mem SIZE              the machine's memory (as qemu's -m): what the kernel
                          has and reports, and what the programs' memory and the
                          kernel's together may use; past it the kernel's OOM
                          killer ends a program. SIZE in MiB, or with a suffix
                          K, M, G (16M to 2G); default 256M
  --net user|none         user (the default): eth0 10.0.2.15/24 behind a NAT on the
                          host, as qemu's user networking: the gateway 10.0.2.2 is
                          the host's 127.0.0.1, 10.0.2.3 its DNS resolver, other
                          addresses are reached from the host; none: loopback only
  -p, --publish [HOSTIP:]HOSTPORT:GUESTPORT[/udp]
                          forward the host's port to the guest's (TCP unless /udp),
                          as docker's -p: HOSTIP defaults to 0.0.0.0 (every address
                          of the host); repeatable
  --profile               at the end, on stderr: the programs' instructions by how
                          they ran (translated to WebAssembly or JavaScript,
                          interpreted), the time translating took, the
                          instructions translated code left to their handlers,
                          the instructions decoded, the peak RSS, and when the
                          start reached its milestones (the kernel compiled,
                          the system up, ...)
  -v, --verbose           show kernel and boot messages on stderr
  -c, --command COMMANDS  run one command line, power off, exit with its status
  -h, --help              show this text
  --version               show the versions of embox, the kernel and Node

Without -c, an interactive shell when stdin is a terminal; otherwise command
lines are read from stdin, one at a time. \`help\` in the shell lists its commands.

exit status: the last command's; 1 when the system cannot start (a bad image, no
kernel); 2 for a usage error; 70 for an internal error; 130 for SIGINT (Ctrl-C)
with no program in the foreground and no line editor to take it.

environment:
  EMBOX_KERNEL=FILE       another lkl.wasm to boot (a debug build, say)
  EMBOX_CMDLINE=ARGS      the kernel's command line (loglevel=8, initcall_debug, ...)
  EMBOX_JIT=N             translate a block of guest code after N runs; 0: never
                          (interpret only); default 50 (20000 with EMBOX_WASM=0)
  EMBOX_DNS=IP[:PORT],... the DNS servers the NAT's 10.0.2.3 asks instead of the
                          host's resolver
  EMBOX_WASM=0            translate guest code to JavaScript, not WebAssembly
  EMBOX_WASM_STRICT=1     a failing WebAssembly translation is an error instead of
                          leaving those blocks interpreted (for tests)
  EMBOX_WASM_NAMES=1      name the translations' WebAssembly functions after their
                          guest addresses (g<eip>), for node --perf-basic-prof or
                          --cpu-prof profiles
  EMBOX_FIXED_MEMORY=1    use the fixed-size guest memory meant for hosts without
                          shared WebAssembly memory (for tests)
  EMBOX_SNAPSHOT=0        boot from scratch every time: no snapshot of the started
                          system is read or made (by default the first start makes
                          one, in $XDG_CACHE_HOME/embox-i386/snapshots or
                          ~/.cache/embox-i386/snapshots, and later starts restore it;
                          one whose inputs changed or that is damaged is made again)
  EMBOX_STACK_STATS=FILE  measure kernel stack use: at exit, append the deepest use
                          of shadow stack and of saved call stack (bytes) to FILE
                          as a JSON line (lkl/README.md)
  TERM=TYPE               the terminal's type: the programs' TERM on a root from
                          --root when embox's output is a terminal (default vt100)
  DEBUG=NAMESPACES        traces on stderr, comma-separated, * as a wildcard (the
                          debug package; DEBUG_COLORS=0 for plain text):
    boot:snapshot         snapshots of the started system: made, restored, made
                          again (stale or damaged), not kept
    embox:errors          the stack of an error reported in one line
    int80                 unsupported system calls and escaped guest memory faults
    int80:calls           every system call of every program, as strace prints it
                          (the shell's strace command traces one: man strace)
    int80:exec            execve failures past the point of no return
    int80:proc            clone failures
    net:nat               the NAT: connections opened and closed with their bytes,
                          UDP flows, DNS answers, published ports
    net:frames            every Ethernet frame to and from the guest, one line each
    rtos:kernel           the kernel host: halts and their cause
    rtos:uaccess          the kernel's faulting copies from and to guest memory
                          (some are expected, the kernel then returns EFAULT)
    tasks:kernel          RTOS tasks bound to kernel tasks, and those remade
    tasks:process         guest processes: exec in the kernel, signal frames,
                          faults, instructions per second at exit
`;

/** Exit status for command-line usage errors. */
const STATUS_USAGE = 2;

export interface CliOptions {
  vda?: string;
  vdaReadOnly?: boolean;
  /** --root: the image is /dev/vda and the root filesystem */
  vdaIsRoot?: boolean;
  /** --mem, in MiB */
  memoryMiB?: number;
  /** User networking (default) or loopback only. */
  net: 'user' | 'none';
  publish: Publish[];
  profile: boolean;
  verbose: boolean;
  command?: string;
  help: boolean;
  version: boolean;
}

const OPTIONS = {
  vda: { type: 'string' },
  root: { type: 'string' },
  mem: { type: 'string' },
  net: { type: 'string' },
  publish: { type: 'string', short: 'p', multiple: true },
  profile: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  command: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** What an option that takes a value takes, for the message when it is missing. */
const NEEDS: Record<string, string> = { vda: 'an image file', root: 'an image file', mem: 'a size', command: 'a command line', net: 'user or none', publish: 'a port mapping' };

/** --mem's bounds in MiB: the kernel needs some to boot; wasm32 linear memory ends at 4 GiB, and guest frames have their own. */
const MEM_MIN = 16, MEM_MAX = 2048;

/** A size as qemu's -m takes it (MiB by default; K, M, G suffixes), in whole MiB; undefined when not one. */
export function parseMemSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMG]i?B?)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'M')[0]!.toUpperCase();
  const mib = Number(m[1]) * (unit === 'K' ? 1 / 1024 : unit === 'G' ? 1024 : 1);
  return Number.isInteger(mib) ? mib : undefined;
}

/** The options, or a usage error's message. */
export function parseArgs(argv: string[]): CliOptions | string {
  // The value of --vda, -c, --net and -p is the next argument, whatever it
  // starts with (parseArgs would take `-c -x` for a forgotten value).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a === '--vda' ? 'vda' : a === '--root' ? 'root' : a === '--mem' ? 'mem' : a === '-c' || a === '--command' ? 'command' : a === '--net' ? 'net'
      : a === '-p' || a === '--publish' ? 'publish' : undefined;
    if (name !== undefined && i + 1 < argv.length) args.push(`--${name}=${argv[++i]!}`);
    else args.push(a);
  }
  let values: { vda?: string; root?: string; mem?: string; net?: string; publish?: string[]; profile?: boolean; verbose?: boolean; command?: string; help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgsStrict({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    return usageMessage(e, argv);
  }
  const opts: CliOptions = { profile: values.profile ?? false, verbose: values.verbose ?? false, help: values.help ?? false, version: values.version ?? false, net: 'user', publish: [] };
  if (values.net !== undefined) {
    if (values.net !== 'user' && values.net !== 'none') return `--net ${values.net}: expected user or none`;
    opts.net = values.net;
  }
  for (const p of values.publish ?? []) {
    try {
      opts.publish.push(parsePublish(p));
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (opts.net === 'none' && opts.publish.length > 0) return '--publish needs --net user';
  if (values.vda !== undefined && values.root !== undefined) return '--root and --vda cannot be used together (the root is /dev/vda)';
  const disk = values.root ?? values.vda;
  if (disk !== undefined) {
    const ro = disk.endsWith(':ro');
    const file = ro ? disk.slice(0, -3) : disk;
    if (file === '') return `option --${values.root !== undefined ? 'root' : 'vda'} needs an image file`;
    opts.vda = file;
    opts.vdaReadOnly = ro;
    if (values.root !== undefined) opts.vdaIsRoot = true;
  }
  if (values.mem !== undefined) {
    const mib = parseMemSize(values.mem);
    if (mib === undefined || mib < MEM_MIN || mib > MEM_MAX) return `option --mem needs a size from ${MEM_MIN}M to ${MEM_MAX / 1024}G in whole MiB, not '${values.mem}'`;
    opts.memoryMiB = mib;
  }
  if (values.command !== undefined) opts.command = values.command;
  return opts;
}

/** parseArgs's error as a short message in our words. */
function usageMessage(e: unknown, argv: string[]): string {
  const code = (e as { code?: string }).code;
  const text = e instanceof Error ? e.message : String(e);
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // a letter of a group of short options (-v=1): name the argument too
    const group = /^-[^-]$/.test(quoted) && !argv.includes(quoted) ? argv.find((a) => /^-[^-]/.test(a) && a.includes(quoted.slice(1))) : undefined;
    return `unknown option '${quoted}'${group !== undefined ? ` in '${group}'` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${quoted}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '-c, --command <value>' argument missing", "Option '--verbose' does not take an argument"
    const long = /--([\w-]+)/.exec(quoted)?.[1] ?? '';
    const given = argv.find((a) => a === `--${long}` || a.startsWith(`--${long}=`) || (OPTIONS[long as keyof typeof OPTIONS] as { short?: string } | undefined)?.short === a.slice(1, 2)) ?? `--${long}`;
    const shown = given.replace(/=.*$/, '');
    return NEEDS[long] !== undefined ? `option ${shown} needs ${NEEDS[long]}` : `option ${shown} takes no value`;
  }
  return text.split('\n')[0]!;
}

/** Package name and version from package.json, found from this module (dist/bin/ or bin/). */
function packageInfo(): { name: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const f = path.join(dir, 'package.json');
    if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, 'utf8')) as { name: string; version: string };
    const up = path.dirname(dir);
    if (up === dir) return { name: 'embox', version: 'unknown' };
    dir = up;
  }
}

/** --version: the package's, the kernel's (its banner and file's hash) and Node's. */
function versionText(): string {
  // loaded here only: a start needs no crypto module (import() has no loader in the bundle's script)
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const pkg = packageInfo();
  const file = process.env.EMBOX_KERNEL !== undefined ? KERNEL_PATH : 'lkl.wasm';
  let kernel: string;
  try {
    const bytes = fs.readFileSync(KERNEL_PATH);
    const at = bytes.indexOf('Linux version ');
    const release = at < 0 ? 'unknown' : bytes.subarray(at + 14, at + 78).toString('latin1').split(/[\s\0]/)[0];
    kernel = `Linux ${release} (${file} sha256 ${createHash('sha256').update(bytes).digest('hex')})`;
  } catch {
    kernel = `not built: ${KERNEL_PATH} is missing`;
  }
  return `${pkg.name} ${pkg.version}\nkernel: ${kernel}\nnode: ${process.version}\n`;
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
  mark('loaded');
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    process.stderr.write(`embox: ${opts}\n${USAGE}Try 'embox --help' for the options and environment variables.\n`);
    return STATUS_USAGE;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (opts.version) {
    process.stdout.write(versionText());
    return 0;
  }
  if (opts.profile) countHandlers();
  const con = new TerminalConsole(opts.verbose, () => commands.list().map((c) => c.name));
  try {
    if (opts.vda !== undefined) {
      // Check the image before booting, so a bad one is reported plainly.
      const img = await openImage(opts.vda, opts.vdaReadOnly ? 'ro' : 'rw');
      con.log(`vda${opts.vdaIsRoot ? ' (/)' : ''}: ${opts.vda}: ${img.fs.type}, ${img.fs.blocksCount} blocks of ${img.fs.blockSize} bytes${opts.vdaReadOnly ? ', read-only' : ''}\n`);
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
      system = await bootSystem({
        vda: opts.vda, vdaReadOnly: opts.vdaReadOnly, vdaIsRoot: opts.vdaIsRoot, memoryMiB: opts.memoryMiB, verbose: opts.verbose, console: con, scheduler: sched,
        net: opts.net === 'user' ? { publish: opts.publish, resolve4: process.env.EMBOX_DNS ? dnsServers(process.env.EMBOX_DNS.split(',')) : undefined } : undefined,
      });
    } catch (e) {
      bootFailure = e;
      return 1;
    }
    mark('system');
    const shell = new Shell({
      sys: system.sys(task),
      console: con,
      task,
      scheduler: sched,
      kernelPid: system.kernelPid?.bind(system),
      env: system.env,
    });
    mark('command');
    const status = opts.command !== undefined ? await shell.runLine(opts.command) : await shell.interactive();
    con.releaseInput();
    con.close();
    await system.poweroff();
    return status;
  });
  const result = await sched.run({ until: init });
  con.close();
  if (opts.profile) {
    const mib = (n: number): string => (n / 1048576).toFixed(0);
    process.stderr.write(profileReport(performance.now(), translationBudget.scale) + startLine()
      + `  memory: peak RSS ${mib(process.resourceUsage().maxRSS * 1024)} MiB, JavaScript heap ${mib(process.memoryUsage().heapTotal)} MiB\n`);
  }
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

// A reader that went away (embox ... | head): end as a program killed by SIGPIPE would, quietly.
for (const out of [process.stdout, process.stderr]) {
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(128 + 13);
    throw e;
  });
}

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
