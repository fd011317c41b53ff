// `npm run bench`: runs every benchmark module and prints one table. A module
// exports `bench(): Promise<BenchRow[]>`; add it to MODULES below. Arguments
// filter modules by name: `node dist/bench/index.js cpu`.

/** One measurement: the product's figure and, when available, the same on the native CPU and qemu-user. */
export interface BenchRow {
  name: string;
  product: number | null;
  native: number | null;
  qemu: number | null;
  /** 's' or 'MiB' (lower is better) or a rate such as 'MIPS' (higher is better) */
  unit: string;
  /** peak resident set size in MiB of the product's, the native and the qemu run, where measured */
  rss?: { product: number | null; native: number | null; qemu: number | null };
  note?: string;
}

export interface BenchModule {
  bench(): Promise<BenchRow[]>;
}

const MODULES: [string, () => Promise<BenchModule>][] = [
  ['cpu', () => import('./cpu.js')],
  ['kernel', () => import('./kernel.js')],
  ['apps', () => import('./apps.js')],
  ['simd', () => import('./simd.js')],
  ['debian', () => import('./debian.js')],
  ['net', () => import('./net.js')],
  ['web', () => import('./web.js')],
];

const fmt = (v: number | null): string => (v === null ? '-' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));

/** Slowdown of the product against another figure (>1 = product slower). */
function ratio(r: BenchRow, other: number | null): string {
  if (r.product === null || other === null || r.product === 0 || other === 0) return '-';
  const lowerIsBetter = r.unit === 's' || r.unit === 'MiB'; // times and memory
  const x = lowerIsBetter ? r.product / other : other / r.product;
  return `${x.toFixed(x >= 10 ? 0 : 2)}x`;
}

function table(rows: BenchRow[]): string {
  const head = ['benchmark', 'unit', 'product', 'native', 'qemu', 'vs native', 'vs qemu', 'RSS product', 'RSS native', 'RSS qemu'];
  const mib = (v: number | null | undefined): string => (v == null ? '-' : v.toFixed(1));
  const body = rows.map((r) => [r.name, r.unit, fmt(r.product), fmt(r.native), fmt(r.qemu), ratio(r, r.native), ratio(r, r.qemu),
    mib(r.rss?.product), mib(r.rss?.native), mib(r.rss?.qemu)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const want = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const [name, load] of MODULES) {
    if (want.length && !want.includes(name)) continue;
    try {
      rows.push(...(await (await load()).bench()));
    } catch (e) {
      rows.push({ name: `${name}: failed`, product: null, native: null, qemu: null, unit: '-', note: (e as Error).message });
    }
  }
  console.log(table(rows));
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.name}: ${r.note}`);
  if (notes.length) console.log(`\nnotes:\n${notes.join('\n')}`);
  console.log('\n"vs" columns: how many times slower the product is (time) or how much lower its rate is.');
  console.log('RSS columns: peak resident set size in MiB; product: the whole Node process that ran that row alone (Node, kernel and boot included),');
  console.log('native and qemu: GNU time\'s %M of one run (- without /usr/bin/time: apt-get install time).');
}

await main();
