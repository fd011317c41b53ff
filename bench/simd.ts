// SIMD workloads end to end (issue 12), natively, under qemu-i386 and with load_app in a
// booted system, in the same run (best of three; product times exclude the boot, native and
// qemu ones include process start-up):
//   - rootfs/bin/simd-sse2 kernel N: -O3 -msse2 -mfpmath=sse vectorised loops (saxpy,
//     pmaddwd dot product, float->double, int16 adds) over 4096-element arrays, N times;
//   - rootfs/bin/strbench N: glibc's memcpy/memmove/memset/strlen/strchr/memchr/memcmp/strcmp
//     over 7 B..64 KiB buffers, N times, with the variants glibc picks from CPUID
//     (SSE2/SSSE3/SSE4.2 ones) and with its i686 ones (GLIBC_TUNABLES turns the others off).
// Each run's output is compared with the native one. Peak RSS rows: the whole embox process
// (boot included) against the native process and qemu-i386, from GNU time's %M.
// BENCH_SIMD_SCALE multiplies both workloads' N (default 1: kernel 4000, strbench 1000).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostTimed, shellTimed } from './apps.js';
import type { BenchRow } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'rootfs/bin');
const EMBOX = path.join(ROOT, 'bin/embox.js');
const TIME = '/usr/bin/time';
const I686 = 'glibc.cpu.hwcaps=-SSE2,-SSSE3,-SSE4_1,-SSE4_2';
const scale = Number(process.env.BENCH_SIMD_SCALE ?? '1');

interface Work { name: string; argv: string[]; env?: Record<string, string> }
const WORK: Work[] = [
  { name: `simd-sse2 kernel ${4000 * scale} (-O3 -msse2)`, argv: ['simd-sse2', 'kernel', String(4000 * scale)] },
  { name: `glibc strings x${1000 * scale} (SSE2..SSE4.2)`, argv: ['strbench', String(1000 * scale)] },
  { name: `glibc strings x${1000 * scale} (i686)`, argv: ['strbench', String(1000 * scale)], env: { GLIBC_TUNABLES: I686 } },
];

/** The load_app line; an environment goes through busybox env (one more exec, a few ms). */
function loadApp(w: Work): string {
  const env = Object.entries(w.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const argv = env.length ? ['env', ...env, ...w.argv] : w.argv;
  return ['load_app', ...argv].map((a) => `'${a}'`).join(' ');
}

/** Peak RSS in MiB of a command, from GNU time (null without it or when the command fails). */
function peakRss(cmd: string, args: string[], env?: Record<string, string>): number | null {
  if (!fs.existsSync(TIME)) return null;
  const r = spawnSync(TIME, ['-f', '%M', cmd, ...args], { encoding: 'latin1', env: { ...process.env, ...env } });
  if (r.error || r.status !== 0) return null;
  const kib = Number(r.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kib) ? kib / 1024 : null;
}

export async function bench(): Promise<BenchRow[]> {
  const prod = await shellTimed(WORK.map((w) => [w.name, loadApp(w)] as const));
  const rows: BenchRow[] = [];
  const rss: BenchRow[] = [];
  for (const w of WORK) {
    const bin = path.join(BIN, w.argv[0]!);
    const args = w.argv.slice(1);
    const native = hostTimed(bin, args, w.env);
    const qemu = hostTimed('qemu-i386', [bin, ...args], w.env);
    const p = prod.get(w.name)!;
    const notes: string[] = [];
    if (native && native.out !== p.out) notes.push(`output differs from the native run: ${JSON.stringify(p.out.slice(0, 60))}`);
    if (native && qemu && qemu.out !== native.out) notes.push('qemu-i386\'s output differs from the native run');
    if (!qemu) notes.push('qemu-i386 not installed');
    rows.push({ name: w.name, unit: 's', product: p.s, native: native?.s ?? null, qemu: qemu?.s ?? null,
      note: notes.length ? notes.join('; ') : undefined });
    rss.push({
      name: `peak RSS: ${w.name}`, unit: 'MiB',
      product: peakRss(process.execPath, [EMBOX, '-c', loadApp(w)]),
      native: peakRss(bin, args, w.env), qemu: peakRss('qemu-i386', [bin, ...args], w.env),
      note: rss.length ? undefined : 'product: the whole embox process (Node, kernel, boot); GNU time %M',
    });
  }
  return [...rows, ...rss];
}
