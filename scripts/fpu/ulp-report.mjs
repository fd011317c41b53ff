#!/usr/bin/env node
// Measures how far the transcendental instructions are from the real CPU, in ulps of the 64-bit
// result, over random arguments in each instruction's domain (build first: npm run build).
// Usage: node scripts/fpu/ulp-report.mjs [cases-per-instruction]
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FPU } from '../../dist/src/cpu/fpu.js';

const here = dirname(fileURLToPath(import.meta.url));
const probe = '/tmp/fpu-probe';
execFileSync('gcc', ['-m32', '-O1', '-o', probe, join(here, 'probe.c')]);
const N = Number(process.argv[2] ?? 20000);

let seed = 0x9e3779b9;
function rnd32() { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; }
const rbig63 = () => (BigInt(rnd32() & 0x7fffffff) << 32n) | BigInt(rnd32());
const val = (s, e) => ({ s, e, m: (1n << 63n) | rbig63() });
const r = (n) => rnd32() % n;

// [name, modrm, operand generator returning [ST0, ST1?]]
const OPS = [
  ['fsin', 0xfe, () => [val(r(2), 16383 - 10 + r(13))]],
  ['fsin large', 0xfe, () => [val(r(2), 16383 + 3 + r(60))]],
  ['fcos', 0xff, () => [val(r(2), 16383 - 10 + r(13))]],
  ['fsincos', 0xfb, () => [val(r(2), 16383 - 10 + r(13))]],
  ['fptan', 0xf2, () => [val(r(2), 16383 - 10 + r(13))]],
  ['f2xm1', 0xf0, () => [val(r(2), 16383 - 1 - r(40))]],
  ['fyl2x', 0xf1, () => [val(0, 16383 - 200 + r(400)), val(r(2), 16383 - 5 + r(10))]],
  ['fyl2x near 1', 0xf1, () => [val(0, 16382 + r(2)), val(0, 16383)]],
  ['fyl2xp1', 0xf9, () => [val(r(2), 16383 - 3 - r(60)), val(r(2), 16383 - 5 + r(10))]],
  ['fpatan', 0xf3, () => [val(r(2), 16383 - 20 + r(40)), val(r(2), 16383 - 20 + r(40))]],
];

function image(regs) {
  const b = Buffer.alloc(108);
  b.writeUInt16LE(0x037f, 0);
  b.writeUInt16LE(0, 4);
  let tw = 0xffff;
  regs.forEach((v, i) => { tw &= ~(3 << (2 * i)); b.writeBigUInt64LE(v.m, 28 + 10 * i); b.writeUInt16LE((v.s << 15) | v.e, 36 + 10 * i); });
  b.writeUInt16LE(tw, 8);
  return b;
}
const ulpIndex = (b, o) => {
  const m = b.readBigUInt64LE(o), se = b.readUInt16LE(o + 8);
  const mag = (BigInt(se & 0x7fff) << 63n) + (m & ((1n << 63n) - 1n));
  return (se & 0x8000) ? -mag : mag;
};

console.log(`| instruction | cases | exact | 1 ulp | 2+ ulp | max ulp |`);
console.log(`|---|---|---|---|---|---|`);
for (const [name, modrm, gen] of OPS) {
  const imgs = Array.from({ length: N }, () => image(gen()));
  const input = Buffer.alloc(N * 228);
  imgs.forEach((img, i) => { img.copy(input, i * 228); input[i * 228 + 220] = 0xd9; input[i * 228 + 221] = modrm; input.writeUInt32LE(0x202, i * 228 + 224); });
  const out = spawnSync(probe, [], { input, maxBuffer: 1 << 30 }).stdout;
  const hist = [0, 0, 0];
  let max = 0n;
  imgs.forEach((img, i) => {
    const f = new FPU();
    f.restore(new Uint8Array(img));
    f.exec(/** @type {any} */ ({}), 0xd9, modrm, 0, false);
    const got = Buffer.from(f.save());
    const want = out.subarray(i * 236, i * 236 + 108);
    let worst = 0n;
    for (let k = 0; k < 2; k++) {
      let d = ulpIndex(got, 28 + 10 * k) - ulpIndex(want, 28 + 10 * k);
      if (d < 0n) d = -d;
      if (d > worst) worst = d;
    }
    hist[worst === 0n ? 0 : worst === 1n ? 1 : 2]++;
    if (worst > max) max = worst;
  });
  console.log(`| ${name} | ${N} | ${hist[0]} | ${hist[1]} | ${hist[2]} | ${max} |`);
}
