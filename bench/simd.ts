// SIMD workloads end to end (issue 12), natively, under qemu-i386 and with load_app in a
// booted system, in the same run (best of three; product times exclude the boot, native and
// qemu ones include process start-up):
//   - rootfs/bin/simd-sse2 kernel N: -O3 -msse2 -mfpmath=sse vectorised loops (saxpy,
//     pmaddwd dot product, float->double, int16 adds) over 4096-element arrays, N times;
//   - rootfs/bin/strbench N: glibc's memcpy/memmove/memset/strlen/strchr/memchr/memcmp/strcmp
//     over 7 B..64 KiB buffers, N times, with the variants glibc picks from CPUID
//     (SSE2/SSSE3/SSE4.2 ones) and with its i686 ones (GLIBC_TUNABLES turns the others off).
// Each run's output is compared with the native one. Peak RSS: the whole Node process that
// ran the row alone (boot included) against the native process and qemu-i386 (GNU time's %M).
// BENCH_SIMD_SCALE multiplies both workloads' N (default 1: kernel 4000, strbench 1000).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostTimed, shellTimedApart } from './apps.js';
import type { BenchRow } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'rootfs/bin');
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

export async function bench(): Promise<BenchRow[]> {
  const prod = shellTimedApart(WORK.map((w) => ({ name: w.name, line: loadApp(w) })));
  const rows: BenchRow[] = [];
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
      rss: { product: p.rss ?? null, native: native?.rss ?? null, qemu: qemu?.rss ?? null },
      note: notes.length ? notes.join('; ') : undefined });
  }
  return rows;
}
