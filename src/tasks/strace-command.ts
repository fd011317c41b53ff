// strace [OPTIONS] PROGRAM [ARGS...]: run an i386 program as load_app does,
// with its system calls, signals and exits written as strace writes them.
// Options are strace's own (getopt style: -ftt, -o FILE, -oFILE); the
// decoding is int80's (strace.ts), the session tracer.ts. Registered into the
// shell by src/boot/commands.ts, with load_app.

import { traceClass, ARGS } from '../int80/strace.js';
import { Tracer, type TraceOptions } from '../int80/tracer.js';
import { SYSCALL_32 } from '../int80/syscall_32.js';
import type { Command, CommandContext } from '../rtos/shell/registry.js';
import { manPage } from '../rtos/shell/util.js';
import { runProgram } from './load-app.js';
import { TraceOutput, cpuClock } from './trace-output.js';

/** What the command line asks for. */
export interface StraceArgs {
  output?: string;
  follow: boolean;
  count?: 'only' | 'also';
  wallClock: boolean;
  timestamps: 0 | 1 | 2 | 3;
  callTimes: boolean;
  strsize: number;
  quiet: boolean;
  filter?: (name: string) => boolean;
  argv: string[];
}

const USAGE = 'usage: strace [-cCfqtTw] [-e trace=SET] [-o FILE] [-s STRSIZE] PROGRAM [ARGS...]';
const NAMES = new Set<string>([...SYSCALL_32.map(([, n]) => n), ...Object.keys(ARGS)]);

/** strace's -e trace=SET: names, %classes, /regexes, `?` (no error when unknown), `!` before the whole set, all, none. */
export function traceSet(set: string): ((name: string) => boolean) | string {
  let negate = false;
  let s = set;
  if (s.startsWith('!')) { negate = true; s = s.slice(1); }
  const names = new Set<string>();
  const res: RegExp[] = [];
  let all = false;
  for (let item of s.split(',')) {
    if (item === '') continue;
    const optional = item.startsWith('?');
    if (optional) item = item.slice(1);
    if (item === 'all') { all = true; continue; }
    if (item === 'none') continue;
    if (item.startsWith('/')) {
      try {
        res.push(new RegExp(item.slice(1)));
      } catch {
        return `invalid system call '${item}'`;
      }
      continue;
    }
    const cls = traceClass(item.startsWith('%') ? item.slice(1) : item);
    if (cls && (item.startsWith('%') || !NAMES.has(item))) { for (const n of cls) names.add(n); continue; }
    if (NAMES.has(item)) { names.add(item); continue; }
    if (!optional) return `invalid system call '${item}'`;
  }
  return (name) => {
    const hit = all || names.has(name) || res.some((r) => r.test(name));
    return negate ? !hit : hit;
  };
}

/** The command line as strace's getopt reads it: options up to the program's name. */
export function parseStrace(args: string[]): StraceArgs | string {
  const o: StraceArgs = { follow: false, wallClock: false, timestamps: 0, callTimes: false, strsize: 32, quiet: false, argv: [] };
  let i = 0;
  // an option's value: the rest of its word (-oFILE), else the next word (-o FILE)
  const value = (rest: string): string | undefined => (rest ? rest : args[++i]);
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const [name, v] = a.slice(2).split(/=(.*)/s) as [string, string | undefined];
      const need = () => v ?? args[++i];
      switch (name) {
        case 'output': { const f = need(); if (f === undefined) return `option '--output' requires an argument`; o.output = f; break; }
        case 'trace': { const t = need(); if (t === undefined) return `option '--trace' requires an argument`; const f = traceSet(t); if (typeof f === 'string') return f; o.filter = f; break; }
        case 'follow-forks': o.follow = true; break;
        case 'summary-only': o.count = 'only'; break;
        case 'summary': o.count = 'also'; break;
        case 'string-limit': { const n = Number(need()); if (!Number.isInteger(n) || n < 0) return 'invalid -s argument'; o.strsize = n; break; }
        case 'help': return 'help';
        default: return `unrecognized option '${a}'`;
      }
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const rest = a.slice(j + 1);
      switch (c) {
        case 'f': o.follow = true; break;
        case 'c': o.count = 'only'; break;
        case 'C': o.count = 'also'; break;
        case 'w': o.wallClock = true; break;
        case 't': o.timestamps = Math.min(3, o.timestamps + 1) as 1 | 2 | 3; break;
        case 'T': o.callTimes = true; break;
        case 'q': o.quiet = true; break;
        case 'h': return 'help';
        case 'o': case 'e': case 's': {
          const v = value(rest);
          if (v === undefined) return `option requires an argument -- '${c}'`;
          if (c === 'o') o.output = v;
          else if (c === 's') {
            const n = Number(v);
            if (!Number.isInteger(n) || n < 0) return `invalid -s argument: '${v}'`;
            o.strsize = n;
          } else {
            const m = /^(?:(trace|t|signal|signals|s)=)?(.*)$/s.exec(v)!;
            if (m[1] && m[1] !== 'trace' && m[1] !== 't') return `-e ${m[1]}= is not supported (only trace=)`;
            const f = traceSet(m[2]!);
            if (typeof f === 'string') return f;
            o.filter = f;
          }
          j = a.length;
          break;
        }
        default: return `invalid option -- '${c}'`;
      }
    }
  }
  o.argv = args.slice(i);
  if (o.argv.length === 0) return 'must have PROG [ARGS]';
  return o;
}

export async function strace(ctx: CommandContext): Promise<number> {
  const parsed = parseStrace(ctx.args);
  if (parsed === 'help') {
    await ctx.stdout.write(`${straceCommand.man}\n`);
    return 0;
  }
  if (typeof parsed === 'string') {
    await ctx.stderr.write(`strace: ${parsed}\n${USAGE}\n`);
    return 1;
  }
  const out = await TraceOutput.open(ctx, 'strace', parsed.output);
  if (typeof out === 'number') return out;
  const opts: TraceOptions = {
    write: (t) => out.write(t),
    follow: parsed.follow,
    pidColumn: parsed.output !== undefined && parsed.follow,
    filter: parsed.filter,
    count: parsed.count,
    wallClock: parsed.wallClock,
    timestamps: parsed.timestamps,
    callTimes: parsed.callTimes,
    strsize: parsed.strsize,
    // strace is quiet about attaching when its output goes to a file
    attachMessages: !parsed.quiet && parsed.output === undefined,
    ...cpuClock(ctx),
  };
  const tracer = new Tracer(opts);
  try {
    return await runProgram(ctx, parsed.argv, tracer, 'strace');
  } finally {
    tracer.finish();
    await out.close(ctx.task);
  }
}

export const straceCommand: Command = {
  name: 'strace',
  help: 'run an i386 program, showing its system calls',
  man: manPage('strace', 'trace system calls and signals',
    'strace [-cCfqtTw] [-e trace=SET] [-o FILE] [-s STRSIZE] PROGRAM [ARGS...]',
    'Runs PROGRAM as load_app does and writes each of its system calls,\n' +
    'the signals it receives and how it ends, as strace 6 writes them:\n' +
    '  openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_LARGEFILE) = 3\n' +
    '  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} ---\n' +
    '  +++ exited with 0 +++\n' +
    'Arguments are decoded (flags by name, structs, strings up to STRSIZE\n' +
    'bytes). A call interrupted by another process\'s line ends in\n' +
    '<unfinished ...> and comes back as <... NAME resumed>. The exit status is\n' +
    'the program\'s. Options:\n' +
    '  -f        follow children and threads ([pid N] on each line while\n' +
    '            several are traced)\n' +
    '  -o FILE   write the trace to FILE in the machine\'s file system\n' +
    '            (relative to the shell\'s directory; with -f each line starts\n' +
    '            with its pid); otherwise it goes to stderr\n' +
    '  -e trace=SET  only these calls: names, %file %process %network\n' +
    '            %signal %desc %memory %ipc %creds %clock %stat %lstat %fstat\n' +
    '            %%stat %statfs %pure, /REGEX, all, none; !SET for the others\n' +
    '  -c        count calls, errors and time and print the summary table\n' +
    '            at the end instead of the calls; -C both\n' +
    '  -w        with -c, time from call to return (default: the time the\n' +
    '            calling thread ran in it)\n' +
    '  -t, -tt, -ttt  time of day (UTC) before each line, with microseconds,\n' +
    '            or as seconds since the epoch\n' +
    '  -T        time spent in each call, after its result\n' +
    '  -s N      show strings up to N bytes (32)\n' +
    '  -q        no "Process N attached" lines\n' +
    'load_app --strace PROGRAM is strace -f PROGRAM.'),
  run: (ctx) => strace(ctx),
};
