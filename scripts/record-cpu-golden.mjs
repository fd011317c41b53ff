#!/usr/bin/env zx
// Records golden CPU results: builds the native i386 harness, generates the cases, runs them on
// this machine's CPU and writes test/cpu/golden/<family>.jsonl.gz (one JSON object per case).
// SIMD families come from every scripts/cpu-golden/gen-simd-*.mjs (`export const FAMILIES = [...]`).
// Usage: zx scripts/record-cpu-golden.mjs [--only=family,family] [--out=dir]
import { $, argv, fs, path, os } from 'zx';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { Cases, Rng, EIP0, CODE } from './cpu-golden/common.mjs';
import { INT_FAMILIES } from './cpu-golden/gen-int.mjs';
import { X87_FAMILIES } from './cpu-golden/gen-x87.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// a build directory of its own: several recordings may run at once
const buildDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cpu-golden-harness-'));
const outDir = argv.out ? path.resolve(String(argv.out)) : path.join(root, 'test', 'cpu', 'golden');
await fs.mkdirp(outDir);

const harness = path.join(buildDir, 'harness');
// no SSE/MMX in the harness's own code, so nothing but the guest touches the SIMD registers
await $`gcc -m32 -static -O2 -Wall -fno-stack-protector -mno-sse -mno-sse2 -mno-mmx -o ${harness} ${path.join(root, 'scripts/cpu-golden/harness.c')}`;

const genDir = path.join(root, 'scripts', 'cpu-golden');
const simdGens = [];
for (const f of (await fs.readdir(genDir)).filter((n) => /^gen-simd-.*\.mjs$/.test(n)).sort()) {
  const mod = await import(path.join(genDir, f));
  if (!Array.isArray(mod.FAMILIES)) throw new Error(`${f}: no FAMILIES array exported`);
  simdGens.push(...mod.FAMILIES.map((g) => ({ g, file: f })));
}

const cs = new Cases();
const only = argv.only ? new Set(String(argv.only).split(',')) : null;
const gens = [...INT_FAMILIES, ...X87_FAMILIES].map((g) => ({ g, file: null })).concat(simdGens);
// each family's PRNG is seeded from its generator's name, so adding a family changes no other
const seedOf = (name) => [...name].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 0x1000);
for (const { g, file } of gens) {
  try {
    g(cs, new Rng(seedOf(g.name)));
  } catch (e) {
    // a SIMD generator being written elsewhere must not stop recording the families asked for
    if (!only || !file) throw e;
    console.warn(`warning: ${file} ${g.name} failed (its families not recorded): ${e.message}`);
  }
}
const cases = cs.list.filter((c) => !only || only.has(c.family));
console.log(`${cases.length} cases`);

// ---- serialise the input stream
function encode(list) {
  const parts = [];
  list.forEach((c, idx) => {
    const u = [];
    const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); u.push(b); };
    u32(idx);
    for (let i = 0; i < 8; i++) u32(c.regs[i] ?? 0);
    // a stand-in (nativeCode) runs where the host has an extension the modelled CPU lacks
    const code = c.nativeCode ?? c.code;
    u32(c.eflags); u32(c.seed); u32((c.fpu ? 1 : 0) | (c.fx ? 2 : 0)); u32(code.length);
    u.push(Buffer.from(code));
    if (c.fpu) u.push(Buffer.from(c.fpu));
    if (c.fx) u.push(Buffer.from(c.fx));
    u32(c.mem.length);
    for (const [addr, bytes] of c.mem) { u32(addr); u32(bytes.length); u.push(Buffer.from(bytes)); }
    parts.push(...u);
  });
  return Buffer.concat(parts);
}

function run(input) {
  return new Promise((resolve, reject) => {
    const p = spawn(harness, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out = [];
    p.stdout.on('data', (d) => out.push(d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`harness exited with ${code}`))));
    p.stdin.end(input);
  });
}

const out = await run(encode(cases));
await fs.remove(buildDir);

// ---- parse results
const results = [];
let o = 0;
const r32 = () => { const v = out.readUInt32LE(o); o += 4; return v; };
while (o < out.length) {
  const idx = r32();
  const sig = [r32(), r32(), r32(), r32(), r32()];
  const regs = Array.from({ length: 8 }, r32);
  const eflags = r32(), eip = r32();
  const segs = Array.from({ length: 6 }, r32);
  const fpu = out.subarray(o, o + 108); o += 108;
  const n = r32();
  const diff = [];
  for (let i = 0; i < n; i++) { diff.push([out.readUInt32LE(o), out[o + 4]]); o += 5; }
  let fx = null;
  if (cases[idx]?.fx) { fx = Buffer.from(out.subarray(o, o + 512)); o += 512; }
  results[idx] = { sig, regs, eflags, eip, segs, fpu: Buffer.from(fpu), diff, fx };
}
if (results.length !== cases.length || results.some((r) => !r)) throw new Error(`harness returned ${results.length} of ${cases.length} results`);

// A stand-in either faults on itself (eip still at the instruction) or falls through to the pad
// after it; the interpreter's eip advances by the length of the real encoding instead.
cases.forEach((c, i) => {
  if (!c.nativeCode) return;
  const r = results[i];
  if (r.eip === EIP0 + c.nativeCode.length && !r.sig[0]) r.eip = EIP0 + c.code.length;
  else if (r.eip !== EIP0 || !r.sig[0]) throw new Error(`${c.family} ${c.name}: stand-in ended at eip 0x${r.eip.toString(16)} (signal ${r.sig[0]})`);
});

// A SIMD case's fault must be the guest's, not fxrstor's in the harness (a bad image)
cases.forEach((c, i) => {
  const r = results[i];
  if (c.fx && r.sig[0] && (r.eip < CODE || r.eip >= CODE + 4096)) throw new Error(`${c.family} ${c.name}: fault outside the code page (eip 0x${r.eip.toString(16)}): bad fx image?`);
});

// consecutive changed bytes become [addr, hex] runs
function runs(diff) {
  const res = [];
  for (const [a, v] of diff) {
    const last = res[res.length - 1];
    if (last && last[0] + last[1].length === a) last[1].push(v);
    else res.push([a, [v]]);
  }
  return res.map(([a, b]) => [a, Buffer.from(b).toString('hex')]);
}

const byFamily = new Map();
const sigCount = {};
cases.forEach((c, i) => {
  const r = results[i];
  const o = { r: r.regs, f: r.eflags, e: r.eip, sg: r.segs };
  if (c.fpu) o.x = r.fpu.toString('base64');
  if (c.fx) o.fx = r.fx.toString('base64');
  const d = runs(r.diff);
  if (d.length) o.d = d;
  if (r.sig[0]) { o.sig = r.sig; sigCount[c.family] = (sigCount[c.family] ?? 0) + 1; }
  const rec = { n: c.name, c: Buffer.from(c.code).toString('hex'), r: c.regs, f: c.eflags, s: c.seed };
  if (c.nativeCode) rec.nc = Buffer.from(c.nativeCode).toString('hex');
  if (c.mem.length) rec.m = c.mem.map(([a, b]) => [a, Buffer.from(b).toString('hex')]);
  if (c.fpu) rec.x = Buffer.from(c.fpu).toString('base64');
  if (c.fmask) rec.fm = c.fmask;
  if (c.swmask) rec.sm = c.swmask;
  if (c.ulp) rec.u = c.ulp;
  if (c.memIgnore.length) rec.mi = c.memIgnore;
  if (c.fx) rec.fx = Buffer.from(c.fx).toString('base64');
  if (c.fxIgnore.length) rec.fxi = c.fxIgnore;
  rec.o = o;
  if (!byFamily.has(c.family)) byFamily.set(c.family, []);
  byFamily.get(c.family).push(JSON.stringify(rec));
});

let total = 0, bytes = 0;
for (const [fam, lines] of byFamily) {
  const gz = gzipSync(Buffer.from(lines.join('\n') + '\n'), { level: 9 });
  await fs.writeFile(path.join(outDir, `${fam}.jsonl.gz`), gz);
  total += lines.length; bytes += gz.length;
  console.log(`${fam.padEnd(20)} ${String(lines.length).padStart(6)} cases  ${String(sigCount[fam] ?? 0).padStart(4)} faulting  ${(gz.length / 1024).toFixed(0)} KiB`);
}
console.log(`${total} cases written, ${(bytes / 1024).toFixed(0)} KiB`);
