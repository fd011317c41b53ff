#!/usr/bin/env zx
// Mnemonic coverage of the golden CPU cases: disassembles a real i386 binary (default: Debian's
// static busybox, /bin/busybox) and lists the mnemonics it uses that no golden case exercises.
// Usage: zx scripts/cpu-coverage.mjs [--binary=/bin/busybox] [--all]
import { $, argv, fs, path, os } from 'zx';
import { gunzipSync } from 'node:zlib';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const goldenDir = path.join(root, 'test', 'cpu', 'golden');
const binary = argv.binary ?? '/bin/busybox';

// Prefixes objdump prints in front of the mnemonic. rep/repz/repnz stay part of the name for
// string instructions (a different loop in the interpreter), lock and hints are dropped.
const DROP = new Set(['lock', 'data16', 'addr16', 'data32', 'addr32', 'bnd', 'notrack', 'ds', 'cs', 'ss', 'es', 'fs', 'gs', 'xacquire', 'xrelease']);
const REP = new Set(['rep', 'repz', 'repe', 'repnz', 'repne']);
const STRING = /^(movs|cmps|stos|lods|scas|ins|outs)[bwdq]?$/;

function mnemonicOf(text) {
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
  if (!m) return null;
  if (m === '(bad)') return null;
  return rep && STRING.test(m) ? `${rep} ${m}` : m;
}

// objdump -d line: "  addr:\tbytes\tmnemonic operands"
function parse(out) {
  const res = [];
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f.length < 3) continue;
    const addr = parseInt(f[0], 16);
    if (Number.isNaN(addr)) continue;
    res.push({ addr, m: mnemonicOf(f[2]) });
  }
  return res;
}

// ---- the binary
const bin = parse((await $`objdump -d -M intel --no-show-raw-insn -w ${binary}`.quiet()).stdout.replace(/^\s*([0-9a-f]+):\t/gm, '$1:\t-\t'));
const used = new Map();
for (const { m } of bin) if (m) used.set(m, (used.get(m) ?? 0) + 1);

// ---- the golden cases: every case's bytes concatenated, disassembled in one go
const files = (await fs.readdir(goldenDir)).filter((f) => f.endsWith('.jsonl.gz')).sort();
const codes = [];
for (const f of files) {
  for (const l of gunzipSync(await fs.readFile(path.join(goldenDir, f))).toString().split('\n')) {
    if (l) codes.push(Buffer.from(JSON.parse(l).c, 'hex'));
  }
}
const starts = [];
let off = 0;
for (const c of codes) { starts.push(off); off += c.length; }
const tmp = path.join(os.tmpdir(), `cpu-golden-code-${process.pid}.bin`);
await fs.writeFile(tmp, Buffer.concat(codes));
const gold = parse((await $`objdump -D -b binary -m i386 -M intel -w ${tmp}`.quiet()).stdout);
await fs.remove(tmp);
const covered = new Map();
let desync = 0;
{
  let k = 0;
  for (let ci = 0; ci < codes.length; ci++) {
    const s = starts[ci], e = s + codes[ci].length;
    while (k < gold.length && gold[k].addr < s) { k++; desync++; }
    const names = [];
    while (k < gold.length && gold[k].addr < e) { if (gold[k].m) names.push(gold[k].m); k++; }
    // a lone prefix line ("rep", "lock") is followed by the instruction it belongs to
    const m = names[names.length - 1];
    if (m) covered.set(m, (covered.get(m) ?? 0) + 1);
  }
}

const SIMD = /^(p[a-z]|movap|movup|movdq|movlp|movhp|movnt|movd$|movq$|movs[sd]$|xorp|andn?p|orp|shufp|unpck|cvt|sqrt[ps]|r?c?p?ucomis|comis|(add|sub|mul|div|min|max)[ps][sd]$|ldmxcsr|stmxcsr|lddqu|emms|lfence|mfence)/;
const EXCLUDED = new Map([['cpuid', 'the interpreter reports a different CPU on purpose'], ['rdtsc', 'time-dependent'], ['xgetbv', 'reports the host CPU\'s enabled state'],
  ['xbegin', 'TSX (not offered by the interpreter)'], ['xend', 'TSX (not offered by the interpreter)'], ['xabort', 'TSX (not offered by the interpreter)'], ['xtest', 'TSX']]);

const rows = [...used].sort((a, b) => b[1] - a[1]);
const missing = rows.filter(([m]) => !covered.has(m));
console.log(`${binary}: ${bin.length} instructions, ${used.size} distinct mnemonics`);
console.log(`golden cases: ${codes.length} (${covered.size} distinct mnemonics)${desync ? `, ${desync} lines out of step` : ''}`);
if (argv.all) {
  console.log('\nmnemonic            in binary   golden cases');
  for (const [m, n] of rows) console.log(`${m.padEnd(20)}${String(n).padStart(9)}   ${covered.get(m) ?? '-'}`);
}
const groups = { integer: [], x87: [], simd: [], excluded: [] };
for (const row of missing) {
  const m = row[0];
  if (EXCLUDED.has(m)) groups.excluded.push(row);
  else if (SIMD.test(m)) groups.simd.push(row);
  else if (/^f/.test(m)) groups.x87.push(row);
  else groups.integer.push(row);
}
const show = (title, list, note) => {
  console.log(`\n${title}: ${list.length}`);
  for (const [m, n] of list) console.log(`  ${m.padEnd(20)}${String(n).padStart(7)}${note ? `   ${note(m)}` : ''}`);
};
show('missing integer mnemonics', groups.integer);
show('missing x87 mnemonics', groups.x87);
// The modelled i686 reports no MMX/SSE in CPUID, so the C library never
// dispatches to these routines: outside the instruction set, not missing cases.
show('outside the modelled CPU (SSE/MMX routines the C library selects only when CPUID reports SSE)', groups.simd);
show('not recorded on purpose', groups.excluded, (m) => EXCLUDED.get(m));
const realMissing = groups.integer.length + groups.x87.length;
console.log(`\n${rows.length - missing.length} of ${rows.length} mnemonics covered; missing: ${realMissing} (integer and x87); outside the modelled CPU: ${groups.simd.length} SIMD, ${groups.excluded.length} on purpose`);
