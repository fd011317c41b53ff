#!/usr/bin/env node
// Checks the double-double fast paths (fmul, fdiv, fsqrt and the transcendentals) against the exact
// paths (16-bit-limb product, long division, BigInt):
// random normal operands, random rounding and precision control, whole FPU state compared.
// Usage: node scripts/fpu/dd-check.mjs [cases-per-instruction] [seed]   (build first)
const D = process.env.D ?? '../../dist'; // another build: D=/abs/dist
const { FPU } = await import(D + '/src/cpu/fpu.js');
const { setDDPaths } = await import(D + '/src/cpu/float80.js');

const N = Number(process.argv[2] ?? 100000);
let seed = Number(process.argv[3] ?? 12345) >>> 0 || 1;
function rnd32() { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; }
const r = (n) => rnd32() % n;
const val = (s, e) => [s, e, (rnd32() | 0x80000000) >>> 0, rnd32()];
// Now and then a short significand (exact cases, ties) or a value next to a power of two.
function sig() {
  const k = r(8);
  if (k === 0) return [0x80000000 + (rnd32() & 0x7ff00000) >>> 0, 0];
  if (k === 1) return [0xffffffff, (0xffffffff - r(4)) >>> 0];
  if (k === 2) return [0x80000000, r(4)];
  return [(rnd32() | 0x80000000) >>> 0, rnd32()];
}
const v = (s, e) => { const [hi, lo] = sig(); return [s, e, hi, lo]; };
const B = 16383;
const OPS = [
  // [name, modrm (D9) or [opcode, modrm], operands ST(0), ST(1)]
  ['fmul', [0xd8, 0xc9], () => [v(r(2), B - 200 + r(400)), v(r(2), B - 200 + r(400))]],
  ['fmul extreme', [0xd8, 0xc9], () => [v(r(2), 1 + r(0x7ffe)), v(r(2), 1 + r(0x7ffe))]],
  ['fdiv', [0xd8, 0xf1], () => [v(r(2), B - 200 + r(400)), v(r(2), B - 200 + r(400))]],
  ['fdiv extreme', [0xd8, 0xf1], () => [v(r(2), 1 + r(0x7ffe)), v(r(2), 1 + r(0x7ffe))]],
  ['fsqrt', 0xfa, () => [v(0, B - 300 + r(600))]],
  ['fsin', 0xfe, () => [v(r(2), B - 70 + r(75))]],
  ['fsin large', 0xfe, () => [v(r(2), B + 3 + r(60))]],
  ['fcos', 0xff, () => [v(r(2), B - 70 + r(85))]],
  ['fsincos', 0xfb, () => [v(r(2), B - 20 + r(40))]],
  ['fptan', 0xf2, () => [v(r(2), B - 20 + r(40))]],
  ['f2xm1', 0xf0, () => [v(r(2), B - 1 - r(70))]],
  ['fyl2x', 0xf1, () => [v(0, B - 1000 + r(2000)), v(r(2), B - 900 + r(1800))]],
  ['fyl2x near 1', 0xf1, () => [v(0, B - 1 + r(2)), v(r(2), B - 5 + r(10))]],
  ['fyl2xp1', 0xf9, () => [v(r(2), B - 80 + r(80)), v(r(2), B - 5 + r(10))]],
  ['fyl2xp1 wide', 0xf9, () => [v(0, B - 20 + r(200)), v(r(2), B - 5 + r(10))]],
  ['fpatan', 0xf3, () => [v(r(2), B - 100 + r(200)), v(r(2), B - 100 + r(200))]],
  ['fpatan near', 0xf3, () => { const e = B - 10 + r(20); return [v(r(2), e), v(r(2), e + r(3) - 1)]; }],
];

function image(cw, regs) {
  const b = new Uint8Array(108), dv = new DataView(b.buffer);
  dv.setUint16(0, cw, true);
  let tw = 0xffff;
  regs.forEach(([s, e, hi, lo], i) => {
    tw &= ~(3 << (2 * i));
    dv.setUint32(28 + 10 * i, lo, true); dv.setUint32(32 + 10 * i, hi, true); dv.setUint16(36 + 10 * i, (s << 15) | e, true);
  });
  dv.setUint16(8, tw, true);
  return b;
}
const host = { regs: new Int32Array(8), mem: {}, getEflags: () => 0, setFpuFlags: () => {} };
const hex = (b) => Buffer.from(b).toString('hex');
function run(img, modrm, fast) {
  setDDPaths(fast);
  const f = new FPU();
  f.restore(img);
  if (Array.isArray(modrm)) f.exec(host, modrm[0], modrm[1], 0, false);
  else f.exec(host, 0xd9, modrm, 0, false);
  return hex(f.save());
}
let bad = 0;
for (const [name, modrm, gen] of OPS) {
  let diff = 0, tf = 0, ts = 0;
  for (let i = 0; i < N; i++) {
    const cw = 0x7f | (r(4) << 10) | ([0, 2, 3][r(3)] << 8);
    const img = image(cw, gen());
    let t = performance.now();
    const a = run(img, modrm, true);
    tf += performance.now() - t; t = performance.now();
    const b = run(img, modrm, false);
    ts += performance.now() - t;
    if (a !== b) { if (diff++ < 3) console.log(`${name} cw=${cw.toString(16)}\n in   ${hex(img.subarray(28, 48))}\n fast ${a.slice(56, 96)} sw ${a.slice(8, 12)}\n slow ${b.slice(56, 96)} sw ${b.slice(8, 12)}`); }
  }
  bad += diff;
  console.log(`${name.padEnd(14)} ${N} cases, ${diff} differences; ${(tf / N * 1000).toFixed(2)} us fast, ${(ts / N * 1000).toFixed(2)} us exact`);
}
setDDPaths(true);
process.exit(bad ? 1 : 0);
