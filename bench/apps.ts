// i386 programs end to end: each workload natively (the host CPU and kernel),
// under qemu-i386 and with load_app in a booted system, in the same run.
// Product times exclude the boot (measured in kernel.ts) and include loading
// the program, its kernel task and its exit. Native and qemu times are
// process spawns (start-up included); best of three everywhere. Each product line
// runs in a child Node process of its own (shellTimedApart) whose peak RSS is the
// row's product RSS; native and qemu RSS are GNU time's %M of one of their runs.
//   - linux_echo start to exit
//   - 10^6 getppid through int 0x80 (sysbench getppid)
//   - 10^4 open/read/close (sysbench files)
//   - 10^4 pipe round trips between a forked parent and child (sysbench pipe)
//   - a busybox shell arithmetic loop
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BufferConsole } from '../src/rtos/console.js';
import { Shell } from '../src/rtos/shell/index.js';
import { inSystem } from './kernel.js';
import type { BenchRow } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'rootfs/bin');
const LOOP = 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo $i';

interface Work { name: string; argv: string[]; note?: string; /** a row for the first run too */ firstRun?: boolean }
const WORK: Work[] = [
  { name: 'linux_echo start to exit', argv: ['linux_echo', 'hi'] },
  { name: '1e6 getppid (int 0x80)', argv: ['sysbench', 'getppid', '1000000'] },
  { name: '1e4 open/read/close', argv: ['sysbench', 'files', '10000', '/bin/linux_echo'] },
  { name: '1e4 pipe round trips (fork)', argv: ['sysbench', 'pipe', '10000'] },
  { name: 'busybox sh loop (3000)', argv: ['busybox', 'sh', '-c', LOOP], firstRun: true },
];

function hostArgv(argv: string[]): string[] {
  return [path.join(BIN, argv[0]!), ...argv.slice(1).map((a) => (a.startsWith('/bin/') ? path.join(BIN, a.slice(5)) : a))];
}

/** One figure and the output it came with; rss: peak resident set size in MiB, when measured; icount: guest instructions (cpu.ts). */
export interface Timed { s: number; out: string; rss?: number | null; icount?: number; /** the first run's seconds (translation and the JavaScript engine's warm-up included) */ first?: number }

const TIME = '/usr/bin/time';

/** The peak RSS (MiB) GNU time wrote to file (its -f %M, KiB), null without one. */
function readRss(file: string): number | null {
  try {
    const kib = Number(fs.readFileSync(file, 'utf8').trim().split('\n').at(-1));
    return Number.isFinite(kib) && kib > 0 ? kib / 1024 : null;
  } catch {
    return null;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** GNU time's -f %M for one run of a host command: its peak RSS in MiB (null without GNU time or when it fails). */
export function hostPeakRss(cmd: string, args: string[], env?: Record<string, string>, cwd?: string): number | null {
  return hostRun(cmd, args, env, cwd, true).rss;
}

function hostRun(cmd: string, args: string[], env: Record<string, string> | undefined, cwd: string | undefined, rss: boolean):
  { s: number; ok: boolean; out: string; rss: number | null } {
  const wrap = rss && fs.existsSync(TIME);
  const rssFile = path.join(os.tmpdir(), `embox-bench-rss-${process.pid}`);
  const [c, a] = wrap ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(c, a, { encoding: 'latin1', env: { ...process.env, ...env }, cwd, maxBuffer: 1 << 28 });
  const s = (performance.now() - t0) / 1000;
  const ok = !r.error && r.status === 0;
  return { s, ok, out: r.stdout ?? '', rss: wrap ? (ok ? readRss(rssFile) : (fs.rmSync(rssFile, { force: true }), null)) : null };
}

/**
 * A host command, best of three (process start-up included); null when it cannot run or
 * fails. The first run goes through GNU time (/usr/bin/time -f %M, when installed) for the
 * peak RSS of the command: its figure counts too, though it carries time's own exec (about
 * a millisecond), so the best is nearly always an unwrapped run.
 */
export function hostTimed(cmd: string, args: string[], env?: Record<string, string>, cwd?: string): Timed | null {
  let best: Timed | null = null;
  let rss: number | null = null, first = 0;
  for (let i = 0; i < 3; i++) {
    const r = hostRun(cmd, args, env, cwd, i === 0);
    if (!r.ok) return null;
    if (i === 0) {
      rss = r.rss;
      first = r.s;
    }
    if (!best || r.s < best.s) best = { s: r.s, out: r.out };
  }
  return best && { ...best, rss, first };
}

/** A shell line to time (runs: its own count of runs); check, when given, is run once after the timed runs (untimed) and its output is the one compared. */
export interface ShellLine { name: string; line: string; check?: string; runs?: number }
export interface ShellOptions {
  /** disk image attached read-write at /mnt/vda */
  vda?: string;
  /** runs of each line, the best kept (3) */
  runs?: number;
}

/** Shell lines in one booted system, each best of opts.runs (the boot excluded). */
export async function shellTimed(lines: readonly ShellLine[], opts: ShellOptions = {}): Promise<Map<string, Timed>> {
  const con = new BufferConsole();
  const { value } = await inSystem(opts.vda, async (_system, sys, task, sched) => {
    const res = new Map<string, Timed>();
    const shell = new Shell({ sys, console: con, task, scheduler: sched });
    const runLine = async (line: string): Promise<number> => {
      con.out = '';
      con.err = '';
      const t0 = performance.now();
      const st = await shell.runLine(line);
      if (st !== 0) throw new Error(`${line}: status ${st}: ${con.err}`);
      return (performance.now() - t0) / 1000;
    };
    for (const { name, line, check, runs } of lines) {
      for (let i = 0; i < (runs ?? opts.runs ?? 3); i++) {
        const s = await runLine(line);
        const prev = res.get(name);
        if (!prev || s < prev.s) res.set(name, { s, out: con.out, first: prev?.first ?? s });
      }
      if (check) {
        await runLine(check);
        res.set(name, { ...res.get(name)!, out: con.out });
      }
    }
    return res;
  }, con);
  return value;
}

const CHILD = path.join(ROOT, 'dist/bench/child.js');

/** A job bench/child.ts runs alone in a fresh Node process. */
export type ChildJob = { kind: 'shell'; line: ShellLine; opts: ShellOptions } | { kind: 'cpu'; args: string[]; /** the program (cpubench) */ bin?: string };

/** Runs job in a child Node process; its figure, its output and the child's peak RSS (MiB, boot and all). */
export function inChild(job: ChildJob): Timed {
  const r = spawnSync(process.execPath, [CHILD, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  const last = r.stdout.trimEnd().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`bench child (${JSON.stringify(job).slice(0, 120)}): exit ${r.status}: ${r.stderr.trim().slice(-400)}`);
  return JSON.parse(last) as Timed;
}

/**
 * Shell lines as shellTimed times them, each in a booted system of its own in a child Node
 * process, so that the peak RSS (the whole process: Node, kernel, boot, the program) is
 * that line's alone.
 */
export function shellTimedApart(lines: readonly ShellLine[], opts: ShellOptions = {}): Map<string, Timed> {
  return new Map(lines.map((line) => [line.name, inChild({ kind: 'shell', line, opts })]));
}

export async function bench(): Promise<BenchRow[]> {
  const prod = shellTimedApart(WORK.map((w) => ({ name: w.name, line: ['load_app', ...w.argv].map((a) => `'${a}'`).join(' ') })));
  const rows: BenchRow[] = [];
  for (const w of WORK) {
    const native = hostTimed(hostArgv(w.argv)[0]!, hostArgv(w.argv).slice(1));
    const qemu = hostTimed('qemu-i386', hostArgv(w.argv));
    const p = prod.get(w.name)!;
    const same = native ? native.out === p.out : true;
    rows.push({ name: w.name, unit: 's', product: p.s, native: native?.s ?? null, qemu: qemu?.s ?? null,
      rss: { product: p.rss ?? null, native: native?.rss ?? null, qemu: qemu?.rss ?? null },
      note: same ? undefined : `output differs from the native run: ${JSON.stringify(p.out.slice(0, 60))}` });
    if (w.firstRun && p.first !== undefined) {
      // the first run of a program in a booted system: decoding, translation and the engine's warm-up
      rows.push({ name: `${w.name}, first run`, unit: 's', product: p.first, native: native?.first ?? null, qemu: qemu?.first ?? null,
        note: `first run / best of three: product ${(p.first / p.s).toFixed(2)}x` +
          (qemu?.first ? `, qemu ${(qemu.first / qemu.s).toFixed(2)}x` : '') });
    }
  }
  return rows;
}
