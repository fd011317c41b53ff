// i386 programs end to end: each workload natively (the host CPU and kernel),
// under qemu-i386 and with load_app in a booted system, in the same run.
// Product times exclude the boot (measured in kernel.ts) and include loading
// the program, its kernel task and its exit. Native and qemu times are
// process spawns (start-up included); best of three everywhere.
//   - linux_echo start to exit
//   - 10^6 getppid through int 0x80 (sysbench getppid)
//   - 10^4 open/read/close (sysbench files)
//   - 10^4 pipe round trips between a forked parent and child (sysbench pipe)
//   - a busybox shell arithmetic loop
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BufferConsole } from '../src/rtos/console.js';
import { Shell } from '../src/rtos/shell/index.js';
import { inSystem } from './kernel.js';
import type { BenchRow } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'rootfs/bin');
const LOOP = 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo $i';

interface Work { name: string; argv: string[]; note?: string }
const WORK: Work[] = [
  { name: 'linux_echo start to exit', argv: ['linux_echo', 'hi'] },
  { name: '1e6 getppid (int 0x80)', argv: ['sysbench', 'getppid', '1000000'] },
  { name: '1e4 open/read/close', argv: ['sysbench', 'files', '10000', '/bin/linux_echo'] },
  { name: '1e4 pipe round trips (fork)', argv: ['sysbench', 'pipe', '10000'] },
  { name: 'busybox sh loop (3000)', argv: ['busybox', 'sh', '-c', LOOP] },
];

function hostArgv(argv: string[]): string[] {
  return [path.join(BIN, argv[0]!), ...argv.slice(1).map((a) => (a.startsWith('/bin/') ? path.join(BIN, a.slice(5)) : a))];
}

/** One figure and the output it came with. */
export interface Timed { s: number; out: string }

/** A host command, best of three (process start-up included); null when it cannot run or fails. */
export function hostTimed(cmd: string, args: string[], env?: Record<string, string>): Timed | null {
  let best: Timed | null = null;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'latin1', env: { ...process.env, ...env } });
    const s = (performance.now() - t0) / 1000;
    if (r.error || r.status !== 0) return null;
    if (!best || s < best.s) best = { s, out: r.stdout };
  }
  return best;
}

/** Shell lines (name → line) in one booted system, each best of three (the boot excluded). */
export async function shellTimed(lines: ReadonlyArray<readonly [string, string]>): Promise<Map<string, Timed>> {
  const con = new BufferConsole();
  const { value } = await inSystem(undefined, async (_system, sys, task, sched) => {
    const res = new Map<string, Timed>();
    const shell = new Shell({ sys, console: con, task, scheduler: sched });
    for (const [name, line] of lines) {
      for (let i = 0; i < 3; i++) {
        con.out = '';
        const t0 = performance.now();
        const st = await shell.runLine(line);
        const s = (performance.now() - t0) / 1000;
        if (st !== 0) throw new Error(`${line}: status ${st}: ${con.err}`);
        const prev = res.get(name);
        if (!prev || s < prev.s) res.set(name, { s, out: con.out });
      }
    }
    return res;
  }, con);
  return value;
}

export async function bench(): Promise<BenchRow[]> {
  const prod = await shellTimed(WORK.map((w) => [w.name, ['load_app', ...w.argv].map((a) => `'${a}'`).join(' ')] as const));
  const rows: BenchRow[] = [];
  for (const w of WORK) {
    const native = hostTimed(hostArgv(w.argv)[0]!, hostArgv(w.argv).slice(1));
    const qemu = hostTimed('qemu-i386', hostArgv(w.argv));
    const p = prod.get(w.name)!;
    const same = native ? native.out === p.out : true;
    rows.push({ name: w.name, unit: 's', product: p.s, native: native?.s ?? null, qemu: qemu?.s ?? null,
      note: same ? undefined : `output differs from the native run: ${JSON.stringify(p.out.slice(0, 60))}` });
  }
  return rows;
}
