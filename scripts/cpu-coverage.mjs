#!/usr/bin/env zx
// Mnemonic coverage of the golden CPU cases: disassembles real i386 binaries (objdump -d) and
// reports, per binary, the integer and x87 mnemonics no golden case exercises, and every
// MMX/SSE-family mnemonic it contains with the number of golden cases for it.
// Usage: zx scripts/cpu-coverage.mjs [--binary=path ...] [--all]
//   default binaries: rootfs/bin/busybox, Debian's libc.so.6 and libgmp.so.10, the Go program rootfs/bin/goprog
//   --all: every mnemonic of each binary with its counts (not only the missing ones)
import { $, argv, fs, path, os } from 'zx';
import { gunzipSync } from 'node:zlib';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const goldenDir = path.join(root, 'test', 'cpu', 'golden');
const DEFAULT_BINARIES = ['rootfs/bin/busybox', 'rootfs/lib/i386-linux-gnu/libc.so.6', 'rootfs/lib/i386-linux-gnu/libgmp.so.10', 'rootfs/bin/goprog'];
// as given (relative to the repository) for the report, resolved for objdump
const binaries = argv.binary === undefined ? DEFAULT_BINARIES.filter((b) => fs.existsSync(path.resolve(root, b)))
  : [argv.binary].flat().map(String);
if (binaries.length === 0) { console.error('no binary (--binary=path)'); process.exit(2); }

try { await $`objdump --version`; } catch {
  console.error('objdump not found: apt-get install -y binutils');
  process.exit(2);
}

// Prefixes objdump prints in front of the mnemonic. rep/repz/repnz stay part of the name for
// string instructions (a different loop in the interpreter), lock and hints are dropped.
const DROP = new Set(['lock', 'data16', 'addr16', 'data32', 'addr32', 'bnd', 'notrack', 'ds', 'cs', 'ss', 'es', 'fs', 'gs', 'xacquire', 'xrelease']);
const REP = new Set(['rep', 'repz', 'repe', 'repnz', 'repne']);
const STRING = /^(movs|cmps|stos|lods|scas|ins|outs)[bwdq]?$/;

// objdump spells cmpps/cmppd/cmpss/cmpsd with their predicate (cmpltsd): one mnemonic, as in case names
const normalise = (m) => m.replace(/^cmp(eq|lt|le|unord|neq|nlt|nle|ord)(ps|pd|ss|sd)$/, 'cmp$2');

function split(text) {
  const toks = text.trim().split(/\s+/);
  let rep = '';
  let i = 0;
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (DROP.has(t)) continue;
    if (REP.has(t)) { rep = t === 'repe' ? 'repz' : t === 'repne' ? 'repnz' : t; continue; }
    break;
  }
  const m = toks[i];
  if (!m || m === '(bad)') return null;
  return { m: normalise(rep && STRING.test(m) ? `${rep} ${m}` : m), ops: toks.slice(i + 1).join(' ') };
}

// objdump -d line: "  addr:\tbytes\tmnemonic operands"
function parse(out) {
  const res = [];
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f.length < 3) continue;
    const addr = parseInt(f[0], 16);
    if (Number.isNaN(addr)) continue;
    const s = split(f[2]);
    res.push({ addr, m: s?.m ?? null, ops: s?.ops ?? '' });
  }
  return res;
}

// ---- instruction classes
// Outside the modelled CPU (a Nehalem: MMX..SSE4.2, POPCNT, FXSR): AVX/AVX-512 (VEX/EVEX
// encodings, ymm/zmm/mask registers), AES, PCLMUL, SHA, SSE4a, 3DNow!, XSAVE, BMI, TSX … (tzcnt and
// lzcnt are not here: without BMI/LZCNT they run as bsf/bsr, which the golden cases cover)
const OUTSIDE_NAME = /^(aes|pclmul|sha1|sha256|extrq|insertq|movnts[sd]$|pf|pi2f|pf2i|pavgusb|pmulhrw$|femms|pswapd|xsave|xrstor|xgetbv|andn$|bextr|blsi|blsmsk|blsr|bzhi|pdep|pext$|rorx|sarx|shlx|shrx|movbe|rdrand|rdseed|adcx|adox|xbegin|xend|xabort|xtest|kmov|kand|kor|kxor|knot|kshift|kunpck|ktest|kortest)/;
const SIMD_REG = /\b(x?mm[0-7])\b/;
// SSE-family instructions without an mm/xmm operand
const SIMD_NAMES = new Set(['popcnt', 'crc32', 'movnti', 'ldmxcsr', 'stmxcsr', 'fxsave', 'fxrstor', 'emms', 'lfence', 'mfence', 'sfence',
  'clflush', 'prefetchnta', 'prefetcht0', 'prefetcht1', 'prefetcht2', 'maskmovq', 'maskmovdqu']);
function classOf({ m, ops }) {
  if (OUTSIDE_NAME.test(m) || /\b([yz]mm\d+|k[0-7])\b/.test(ops) || /^v(?!err$|erw$)/.test(m)) return 'outside';
  if (SIMD_NAMES.has(m) || SIMD_REG.test(ops)) return 'simd';
  if (/^f/.test(m)) return 'x87';
  return 'integer';
}
const EXCLUDED = new Map([['cpuid', 'the interpreter reports a different CPU on purpose'], ['rdtsc', 'time-dependent'], ['xgetbv', 'reports the host CPU\'s enabled state'],
  ['xbegin', 'TSX (not offered by the interpreter)'], ['xend', 'TSX (not offered by the interpreter)'], ['xabort', 'TSX (not offered by the interpreter)'], ['xtest', 'TSX']]);

// ---- the golden cases: every case's bytes concatenated, disassembled in one go; a case counts for
// the mnemonic objdump gives its code and for the first word of its name
const files = (await fs.readdir(goldenDir)).filter((f) => f.endsWith('.jsonl.gz')).sort();
const cases = [];
for (const f of files) {
  for (const l of gunzipSync(await fs.readFile(path.join(goldenDir, f))).toString().split('\n')) {
    if (!l) continue;
    const j = JSON.parse(l);
    cases.push({ code: Buffer.from(j.c, 'hex'), name: j.n });
  }
}
const starts = [];
let off = 0;
for (const c of cases) { starts.push(off); off += c.code.length; }
const tmp = path.join(os.tmpdir(), `cpu-golden-code-${process.pid}.bin`);
await fs.writeFile(tmp, Buffer.concat(cases.map((c) => c.code)));
const gold = parse((await $`objdump -D -b binary -m i386 -M intel -w ${tmp}`).stdout);
await fs.remove(tmp);
const covered = new Map(); // mnemonic -> cases
let desync = 0;
{
  let k = 0;
  for (let ci = 0; ci < cases.length; ci++) {
    const s = starts[ci], e = s + cases[ci].code.length;
    while (k < gold.length && gold[k].addr < s) { k++; desync++; }
    const names = [];
    while (k < gold.length && gold[k].addr < e) { if (gold[k].m) names.push(gold[k].m); k++; }
    // a lone prefix line ("rep", "lock") is followed by the instruction it belongs to
    const set = new Set();
    if (names.length) set.add(names[names.length - 1]);
    const w = cases[ci].name.trim().split(/[\s(]/)[0].toLowerCase();
    if (w) set.add(normalise(w));
    for (const m of set) covered.set(m, (covered.get(m) ?? 0) + 1);
  }
}
console.log(`golden cases: ${cases.length} in ${files.length} families (${covered.size} distinct mnemonics)${desync ? `, ${desync} lines out of step` : ''}`);

const summary = [];
for (const rel of binaries) {
  const binary = path.resolve(root, rel);
  let text;
  try {
    text = (await $`objdump -d -M intel --no-show-raw-insn -w ${binary}`.quiet()).stdout.replace(/^\s*([0-9a-f]+):\t/gm, '$1:\t-\t');
  } catch (e) {
    console.log(`\n${rel}: cannot disassemble (${String(e.stderr ?? e).trim().split('\n')[0]})`);
    summary.push(`${rel}: not disassembled`);
    continue;
  }
  const bin = parse(text);
  const used = new Map(); // mnemonic -> { n, cls }
  for (const ins of bin) {
    if (!ins.m) continue;
    const u = used.get(ins.m) ?? { n: 0, cls: classOf(ins) };
    u.n++;
    // a mnemonic with both forms (movq, movd on GPRs only is not SIMD) counts as SIMD
    if (u.cls !== 'simd' && classOf(ins) === 'simd') u.cls = 'simd';
    used.set(ins.m, u);
  }
  const rows = [...used].sort((a, b) => b[1].n - a[1].n);
  console.log(`\n==== ${rel}: ${bin.length} instructions, ${used.size} distinct mnemonics`);
  if (argv.all) {
    console.log('mnemonic            class      in binary   golden cases');
    for (const [m, u] of rows) console.log(`${m.padEnd(20)}${u.cls.padEnd(9)}${String(u.n).padStart(11)}   ${covered.get(m) ?? '-'}`);
  }
  const of = (cls) => rows.filter(([, u]) => u.cls === cls);
  const missingOf = (cls) => of(cls).filter(([m]) => !covered.has(m) && !EXCLUDED.has(m));
  const list = (title, l, note) => {
    if (!l.length) return;
    console.log(`${title}: ${l.length}`);
    console.log(l.map(([m, u]) => `  ${m} (${u.n})${note ? ` ${note(m)}` : ''}`).join('\n'));
  };
  list('missing integer mnemonics (uses in the binary)', missingOf('integer'));
  list('missing x87 mnemonics', missingOf('x87'));
  list('not recorded on purpose', rows.filter(([m]) => EXCLUDED.has(m)), (m) => `- ${EXCLUDED.get(m)}`);
  list('outside the modelled CPU (AVX, AES, SSE4a, BMI …)', of('outside').filter(([m]) => !EXCLUDED.has(m)));

  const simd = of('simd');
  const withCases = simd.filter(([m]) => covered.has(m));
  const missing = simd.filter(([m]) => !covered.has(m));
  console.log(`SIMD mnemonics (uses in the binary: golden cases):`);
  for (let i = 0; i < simd.length; i += 6) {
    console.log('  ' + simd.slice(i, i + 6).map(([m, u]) => `${m} ${u.n}:${covered.get(m) ?? 0}`.padEnd(24)).join(''));
  }
  const line = `${rel}: ${simd.length} SIMD mnemonics, ${withCases.length} with golden cases` +
    (missing.length ? `; missing ${missing.length}: ${missing.map(([m]) => m).join(' ')}` : '') +
    `  (integer/x87 missing: ${missingOf('integer').length + missingOf('x87').length})`;
  console.log(line);
  summary.push(line);
}
console.log('\n' + summary.join('\n'));
