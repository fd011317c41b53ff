// Real Debian i386 programs (issue 14), natively, under qemu-i386 and in a booted system, in
// the same run:
//   - python3.11 (python3.11-minimal): an interpreter loop of BENCH_PY_N iterations (1e6), and
//     its start (`-c pass`, the site module imported: some 38 million instructions of code that
//     runs a few times to a few hundred, where the first run of a program spends its time);
//   - sqlite3: 20,000 INSERTs in one transaction into a new database file, then a query;
//   - xz -9 (xz-utils, one thread) of BENCH_XZ_MIB MiB (1) of deterministic word salad;
//   - gcc-12's cc1 (cpp-12) -O2 on rootfs/src/cpubench.c and nolibc.h (395 lines).
// The packages are pinned in bench/debian-pins.ts and fetched into a cache outside the tree
// (`npm run bench:fetch`); without them the rows say so. One root holds the packages' files,
// the rootfs's C library (rootfs/lib) and the inputs: natively the programs run in it with
// chroot (as root), under qemu-i386 with -L ROOT, in the product from an ext4 image of it
// (mke2fs -d) attached read-write at /mnt/vda, as `load_app chroot /mnt/vda PROGRAM ...`.
// Product times exclude the boot and the image's attach (each row boots in a child process
// of its own, shellTimedApart), best of two (cc1: one run); native and qemu best of three. Outputs are
// compared with the native run's byte for byte: stdout, or the sha256 of the file written.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostTimed, shellTimedApart, type Timed } from './apps.js';
import { cacheRoot, fetchPackages, PINS, pinDir, sha256, verifyCache } from './debian-pins.js';
import type { BenchRow } from './index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PY_N = Number(process.env.BENCH_PY_N ?? 1e6);
const XZ_MIB = Number(process.env.BENCH_XZ_MIB ?? 1);
const INSERTS = 20000;

/**
 * One workload. In argv, '@' stands for the root: '' where the program runs chrooted in it
 * (native, product), the root's host path under qemu-i386 (-L maps only paths that exist
 * under it, and the outputs do not before the first run). output: the file the program
 * writes, compared by sha256; stdout otherwise.
 */
interface Work { name: string; argv: string[]; output?: string; runs?: number }
const WORK: Work[] = [
  { name: `python3.11 loop (${PY_N.toExponential(0).replace('+', '')})`, argv: ['@/usr/bin/python3.11', '-S', '-E', '@/bench/loop.py'] },
  { name: 'python3.11 start (-c pass)', argv: ['@/usr/bin/python3.11', '-E', '-c', 'pass'] },
  { name: `sqlite3 ${INSERTS} inserts (1 txn)`,
    argv: ['@/usr/bin/sqlite3', ':memory:', '.open --new @/tmp/bench.db', '.read @/bench/inserts.sql'] },
  { name: `xz -9 of ${XZ_MIB} MiB`, argv: ['@/usr/bin/xz', '-9', '-T1', '-k', '-f', '@/bench/data'], output: '/bench/data.xz' },
  { name: 'gcc-12 cc1 -O2 (395 lines)',
    argv: ['@/usr/lib/gcc/i686-linux-gnu/12/cc1', '-quiet', '-O2', '-I', '@/bench', '@/bench/cpubench.c', '-o', '@/tmp/cpubench.s'],
    // one product run: it takes about 25 s
    output: '/tmp/cpubench.s', runs: 1 },
];

const at = (argv: string[], root: string) => argv.map((a) => a.replaceAll('@', root));

/** A linear congruential generator's high bits: the same inputs on every machine. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
}

/** Text for xz: words drawn unevenly from a random vocabulary, so that it compresses as prose does rather than as noise or as a pattern. */
function wordSalad(bytes: number): Buffer {
  const rnd = lcg(7);
  const letters = 'etaoinshrdlucmfwypvbgkjqxz';
  const vocab = Array.from({ length: 4096 }, () => {
    let w = '';
    for (let n = 2 + (rnd() % 8); n > 0; n--) w += letters[Math.floor(Math.sqrt(rnd() % 676))];
    return w;
  });
  const buf = Buffer.alloc(bytes);
  for (let o = 0; o < bytes;) {
    const r = rnd() % 4096;
    o += buf.write(vocab[Math.floor((r * r) / 4096)]! + (rnd() % 12 === 0 ? '.\n' : ' '), o);
  }
  return buf;
}

function inserts(n: number): string {
  const rnd = lcg(1);
  const rows = Array.from({ length: n }, () => {
    const x = rnd();
    return `INSERT INTO t(name, v) VALUES('n${x.toString(36)}', ${x % 100000});`;
  });
  return ['CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v INTEGER);', 'BEGIN;', ...rows, 'COMMIT;',
    'SELECT count(*), sum(v), max(name) FROM t;', ''].join('\n');
}

const LOOP_PY = `# a plain interpreter loop: integer arithmetic and a comparison per iteration
n = ${PY_N}
i = t = 0
while i < n:
    t = (t + i * 7) % 1000003
    i += 1
print(i, t)
`;

/** The root: every pinned package's files (documentation left out), the rootfs's C library, the inputs. */
function buildRoot(dir: string): void {
  for (const pin of PINS) {
    fs.cpSync(pinDir(pin), dir, {
      recursive: true, verbatimSymlinks: true,
      filter: (src) => !/\/usr\/share(\/|$)|\/\.deb-sha256$/.test(src.slice(pinDir(pin).length) || '/'),
    });
  }
  fs.cpSync(path.join(ROOT, 'rootfs/lib'), path.join(dir, 'lib'), { recursive: true, verbatimSymlinks: true });
  fs.mkdirSync(path.join(dir, 'tmp'), { mode: 0o1777 });
  // the loader's cache, as a Debian root has one: without it qemu-i386 -L lets the loader
  // read the host's /etc/ld.so.cache, whose i386 entries point at the host's own libraries
  fs.mkdirSync(path.join(dir, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'etc/ld.so.conf'), '/lib/i386-linux-gnu\n/usr/lib/i386-linux-gnu\n');
  const lc = spawnSync('ldconfig', ['-r', dir], { encoding: 'utf8' });
  if (lc.status !== 0) throw new Error(`ldconfig -r ${dir}: ${lc.stderr ?? lc.error?.message}`);
  const bench = path.join(dir, 'bench');
  fs.mkdirSync(bench);
  fs.writeFileSync(path.join(bench, 'loop.py'), LOOP_PY);
  fs.writeFileSync(path.join(bench, 'inserts.sql'), inserts(INSERTS));
  fs.writeFileSync(path.join(bench, 'data'), wordSalad(XZ_MIB << 20));
  for (const f of ['cpubench.c', 'nolibc.h']) fs.copyFileSync(path.join(ROOT, 'rootfs/src', f), path.join(bench, f));
}

/** The output a run is judged by: stdout, or the sha256 of the file it wrote. */
function fileSum(root: string, w: Work): string {
  return sha256(fs.readFileSync(path.join(root, w.output!)));
}

const skipped = (note: string): BenchRow[] =>
  WORK.map((w) => ({ name: w.name, unit: 's', product: null, native: null, qemu: null, note }));

export async function bench(): Promise<BenchRow[]> {
  if (process.env.BENCH_DEBIAN_FETCH === '1') fetchPackages();
  const missing = verifyCache();
  if (missing.length) {
    return skipped(`skipped: not fetched (run npm run bench:fetch; ${missing.length} problem(s) in ${cacheRoot()}, first: ${missing[0]})`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embox-bench-debian-'));
  try {
    const root = path.join(tmp, 'root');
    buildRoot(root);
    const img = path.join(tmp, 'debian.img');
    const mk = spawnSync('mke2fs', ['-q', '-t', 'ext4', '-d', root, img, '256M'], { encoding: 'utf8' });
    if (mk.status !== 0) return skipped(`skipped: mke2fs -t ext4 -d failed (e2fsprogs): ${mk.stderr ?? mk.error?.message}`);

    // the product's file outputs are read back through the kernel (busybox sha256sum), untimed
    const prod = shellTimedApart(WORK.map((w) => ({
      name: w.name,
      line: ['load_app', 'chroot', '/mnt/vda', ...at(w.argv, '')].map((a) => `'${a}'`).join(' '),
      check: w.output ? `load_app sha256sum /mnt/vda${w.output}` : undefined, runs: w.runs,
    })), { vda: img, runs: 2 });

    const rows: BenchRow[] = [];
    const root0 = process.getuid?.() === 0;
    for (const w of WORK) {
      const notes: string[] = [];
      let native: Timed | null = null;
      let nativeOut: string | null = null;
      if (root0) {
        native = hostTimed('chroot', [root, ...at(w.argv, '')]);
        if (native) nativeOut = w.output ? fileSum(root, w) : native.out;
        else notes.push('the native run failed');
      } else {
        notes.push('native: chroot needs root');
      }
      const qemu = hostTimed('qemu-i386', ['-L', root, ...at(w.argv, root)]);
      if (!qemu) notes.push('qemu-i386 failed or is not installed');
      const qemuOut = qemu && (w.output ? fileSum(root, w) : qemu.out);
      const p = prod.get(w.name)!;
      // sha256sum prints "HASH  PATH"
      const prodOut = w.output ? p.out.slice(0, 64) : p.out;
      if (nativeOut !== null && prodOut !== nativeOut) notes.push(`output differs from the native run: ${JSON.stringify(prodOut.slice(0, 60))}`);
      if (nativeOut !== null && qemuOut !== null && qemuOut !== nativeOut) notes.push('qemu-i386\'s output differs from the native run');
      rows.push({ name: w.name, unit: 's', product: p.s, native: native?.s ?? null, qemu: qemu?.s ?? null,
        rss: { product: p.rss ?? null, native: native?.rss ?? null, qemu: qemu?.rss ?? null },
        note: notes.length ? notes.join('; ') : undefined });
    }
    return rows;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
