#!/usr/bin/env node
// Generates x87 test cases, runs them on the real CPU through the native probe (probe.c) and
// writes test/cpu/fpu-golden/<family>.json.
// Usage: node scripts/fpu/gen-golden.mjs [count-scale [output-dir [seed]]]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outDir = process.argv[3] ?? join(root, 'test', 'cpu', 'fpu-golden');
const probe = '/tmp/fpu-probe';
execFileSync('gcc', ['-m32', '-O1', '-o', probe, join(here, 'probe.c')]);
const scale = Number(process.argv[2] ?? 1);
const OPERAND_BASE = 0x10000;

// ------------------------------------------------------------ deterministic PRNG
let seed = Number(process.argv[4] ?? 0x12345678) >>> 0 || 1;
function rnd32() { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; }
const rint = (n) => rnd32() % n;
const pick = (a) => a[rint(a.length)];
const chance = (p) => rnd32() / 2 ** 32 < p;
const rbig = (bits) => { let v = 0n; for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(rnd32()); return v & ((1n << BigInt(bits)) - 1n); };

// ------------------------------------------------------------ operand generators (80-bit as {s,e,m})
const B63 = 1n << 63n;
function randMant() {
  switch (rint(8)) {
    case 0: return B63;                                       // power of two
    case 1: return B63 | (rbig(23) << 40n);                   // float-exact
    case 2: return B63 | (rbig(52) << 11n);                   // double-exact
    case 3: return (B63 | rbig(63)) | 0xffn;                  // low ones
    case 4: return B63 | (rbig(63) & ~((1n << BigInt(rint(64))) - 1n));
    case 5: { const k = BigInt(rint(63)); return B63 | ((1n << k) - 1n) << (63n - k) >> 0n; }
    default: return B63 | rbig(63);
  }
}
function randNormal(ecenter = 16383, spread = 40) {
  return { s: rint(2), e: Math.max(1, Math.min(0x7ffe, ecenter + rint(2 * spread + 1) - spread)), m: randMant() };
}
function specialF80() {
  const s = rint(2);
  switch (rint(16)) {
    case 0: return { s, e: 0, m: 0n };
    case 1: return { s, e: 0x7fff, m: B63 };
    case 2: return { s, e: 0x7fff, m: B63 | (1n << 62n) | rbig(20) };         // QNaN
    case 3: return { s, e: 0x7fff, m: B63 | (rbig(20) + 1n) };               // SNaN
    case 4: return { s: 1, e: 0x7fff, m: 0xC000000000000000n };              // indefinite
    case 5: return { s, e: 0, m: rbig(63) | 1n };                            // denormal
    case 6: return { s, e: 0, m: B63 | rbig(63) };                           // pseudo-denormal
    case 7: return { s, e: 1 + rint(0x7ffe), m: rbig(62) };                  // unnormal
    case 8: return { s, e: 0x7fff, m: rbig(62) };                            // pseudo-NaN/inf
    case 9: return { s, e: 1, m: randMant() };                               // min normal range
    case 10: return { s, e: 0x7ffe, m: randMant() };                         // max range
    case 11: return { s, e: 16383 + rint(64), m: B63 | (rbig(63) >> BigInt(rint(64)) << BigInt(rint(64)) & ((1n << 63n) - 1n)) };
    case 12: return { s, e: 16383, m: B63 };                                 // 1
    case 13: return { s, e: 16383 - 1, m: B63 };                             // 0.5
    case 14: return randNormal(16383 - 16382 + 30, 40);                        // tiny
    default: return randNormal(16383 + 16000, 383);                          // huge
  }
}
function randF80(pSpecial = 0.15) { return chance(pSpecial) ? specialF80() : randNormal(); }
const hex80 = (v) => { const b = Buffer.alloc(10); b.writeBigUInt64LE(v.m); b.writeUInt16LE((v.s << 15) | v.e, 8); return b; };
function related(a) { const v = related0(a); v.e = Math.max(1, Math.min(0x7ffe, v.e)); return v; }
function related0(a) { // a value close to a (cancellation, equal, rounding neighbours)
  switch (rint(4)) {
    case 0: return { ...a };
    case 1: return { s: a.s ^ 1, e: a.e, m: a.m };
    case 2: return { s: rint(2), e: a.e + rint(3) - 1, m: (a.m ^ rbig(rint(64))) | B63 };
    default: return { s: rint(2), e: a.e - 64 + rint(10), m: randMant() };
  }
}

// memory operand generators
function randM32() {
  const b = Buffer.alloc(4);
  switch (rint(6)) {
    case 0: b.writeUInt32LE([0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00000, 1, 0x807fffff, 0x00800000, 0x7f7fffff][rint(11)]); break;
    case 1: b.writeUInt32LE((rnd32() & 0x807fffff) >>> 0); break; // denormals
    default: b.writeFloatLE(((rnd32() / 2 ** 31) - 1) * 2 ** (rint(60) - 30)); if (chance(0.2)) b.writeUInt32LE(rnd32()); break;
  }
  return b;
}
function randM64() {
  const b = Buffer.alloc(8);
  switch (rint(6)) {
    case 0: b.writeBigUInt64LE(pick([0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff0000000000001n, 1n, 0x0010000000000000n, 0x7fefffffffffffffn])); break;
    case 1: b.writeBigUInt64LE(rbig(52) | (BigInt(rint(2)) << 63n)); break;
    default: b.writeDoubleLE(((rnd32() / 2 ** 31) - 1) * 2 ** (rint(120) - 60)); if (chance(0.2)) b.writeBigUInt64LE(rbig(64)); break;
  }
  return b;
}
function randI16() { const b = Buffer.alloc(2); b.writeInt16LE(pick([0, 1, -1, 32767, -32768, rint(65536) - 32768, rint(200) - 100])); return b; }
function randI32() { const b = Buffer.alloc(4); b.writeInt32LE(pick([0, 1, -1, 0x7fffffff, -0x80000000, (rnd32() | 0), rint(2000) - 1000])); return b; }
function randI64() { const b = Buffer.alloc(8); b.writeBigInt64LE(pick([0n, 1n, -1n, (1n << 63n) - 1n, -(1n << 63n), BigInt.asIntN(64, rbig(64)), BigInt(rint(100000)) - 50000n, BigInt.asIntN(64, rbig(rint(64) + 1))])); return b; }
function randBCD() {
  const b = Buffer.alloc(10);
  for (let i = 0; i < 9; i++) b[i] = chance(0.05) ? rnd32() & 0xff : ((rint(10) << 4) | rint(10));
  const digits = rint(19);
  for (let i = Math.ceil(digits / 2); i < 9; i++) b[i] = 0;
  b[9] = chance(0.5) ? 0x80 : 0;
  return b;
}

// ------------------------------------------------------------ state image
function classify(v) {
  if (v.e === 0) return v.m === 0n ? 1 : 2;
  if (v.e === 0x7fff) return 2;
  return v.m >= B63 ? 0 : 2;
}
function randCW() {
  const masks = chance(0.85) ? 0x3f : (rnd32() & 0x3f);
  const pc = chance(0.5) ? 3 : pick([0, 2, 3, 1]);
  const rc = chance(0.5) ? 0 : rint(4);
  return 0x40 | masks | (pc << 8) | (rc << 10);
}
/** regs: ST0.. values (undefined = empty). */
function image(cw, swBits, regs, top = rint(8)) {
  const b = Buffer.alloc(108);
  b.writeUInt16LE(cw, 0);
  b.writeUInt16LE(swBits | (top << 11), 4);
  let tw = 0;
  for (let p = 0; p < 8; p++) {
    const v = regs[(p - top) & 7];
    tw |= (v ? classify(v) : 3) << (2 * p);
  }
  b.writeUInt16LE(tw, 8);
  regs.forEach((v, i) => { if (v) hex80(v).copy(b, 28 + 10 * i); });
  return b;
}

// ------------------------------------------------------------ instruction families
const cases = {};
function add(family, name, op, modrm, regs, mem = Buffer.alloc(0), opts = {}) {
  const cw = opts.cw ?? randCW();
  const sw = opts.sw ?? (chance(0.3) ? (rnd32() & 0x4700) : 0);
  const st = image(cw, sw, regs);
  const m = Buffer.alloc(112);
  mem.copy(m);
  const eflags = opts.eflags ?? (0x202 | (rnd32() & 0x45));
  (cases[family] ??= []).push({ n: name, op, modrm, st, m, eflags, o16: opts.o16 ? 1 : 0 });
}
const N = (k) => Math.round(k * scale);
const two = () => { const a = randF80(); return [a, chance(0.3) ? related(a) : randF80()]; };

const ARITH = ['fadd', 'fmul', 'fcom', 'fcomp', 'fsub', 'fsubr', 'fdiv', 'fdivr'];
for (let r = 0; r < 8; r++) {
  for (let k = 0; k < N(150); k++) { const [a, b] = two(); add('arith-reg', `${ARITH[r]} st,st(1)`, 0xd8, 0xc1 + r * 8, [a, b]); }
  if (r !== 2 && r !== 3) {
    for (let k = 0; k < N(60); k++) { const [a, b] = two(); add('arith-reg', `dc /${r} st(1)`, 0xdc, 0xc1 + r * 8, [a, b]); }
    for (let k = 0; k < N(60); k++) { const [a, b] = two(); add('arith-reg', `de /${r} st(1),pop`, 0xde, 0xc1 + r * 8, [a, b]); }
  }
  for (let k = 0; k < N(60); k++) add('arith-mem', `${ARITH[r]} m32`, 0xd8, r << 3, [randF80()], randM32());
  for (let k = 0; k < N(60); k++) add('arith-mem', `${ARITH[r]} m64`, 0xdc, r << 3, [randF80()], randM64());
  for (let k = 0; k < N(25); k++) add('arith-mem', `fi${ARITH[r].slice(1)} m32`, 0xda, r << 3, [randF80()], randI32());
  for (let k = 0; k < N(25); k++) add('arith-mem', `fi${ARITH[r].slice(1)} m16`, 0xde, r << 3, [randF80()], randI16());
}
// Normal operands (the fast paths of add/sub/mul/div): every alignment distance, near cancellation,
// rounding ties and carries, all rounding modes and precisions.
for (let k = 0; k < N(3000); k++) {
  const a = randNormal(16383, 200);
  let b;
  switch (rint(4)) {
    case 0: b = { s: rint(2), e: Math.max(1, a.e - rint(100)), m: randMant() }; break;
    case 1: b = { s: rint(2), e: a.e - rint(2), m: a.m ^ rbig(rint(64)) | B63 }; break;
    case 2: b = { s: rint(2), e: a.e - rint(70), m: B63 | (rbig(63) & ~((1n << BigInt(rint(63))) - 1n)) }; break;
    default: b = { s: rint(2), e: Math.max(1, a.e + rint(20) - 10), m: ((1n << 64n) - 1n) ^ rbig(rint(8)) }; break;
  }
  const r = pick([0, 1, 4, 5, 6, 7]);
  const pc = pick([3, 3, 2, 0]);
  if (pc !== 3 && chance(0.5)) { // operands carrying ties and carries at 24/53 bits
    const keep = pc === 0 ? 24 : 53;
    a.m = (a.m & ~((1n << BigInt(64 - keep)) - 1n)) | (1n << BigInt(63 - keep)) | (chance(0.5) ? 0n : 1n);
  }
  const cw = 0x7f | (pc << 8) | (rint(4) << 10);
  add('arith-fast', `${ARITH[r]} pc${pc}`, 0xd8, 0xc1 + r * 8, chance(0.5) ? [a, b] : [b, a], undefined, { cw });
}
// Results near the overflow and underflow thresholds (denormals, tininess, bias-adjusted results),
// every precision and rounding control, OE/UE masked or not.
const rangeCW = () => 0x40 | 0x3f & ~(chance(0.25) ? pick([OE_BIT, UE_BIT, OE_BIT | UE_BIT]) : 0) | (pick([0, 2, 3]) << 8) | (rint(4) << 10);
const OE_BIT = 8, UE_BIT = 16;
for (let k = 0; k < N(1200); k++) {
  const r = pick([0, 1, 1, 4, 6, 6]);
  const low = chance(0.6);
  const a = randNormal(low ? 16383 - 8000 : 16383 + 8000, 40);
  const target = low ? rint(140) - 70 : 0x7ffe + rint(6) - 3;  // desired result exponent field
  let eb;
  if (r === 1) eb = target - a.e + 16383;           // mul
  else if (r === 6) eb = a.e - target + 16383;      // div
  else eb = a.e;                                    // add/sub of similar magnitude near the edge
  const b = { s: rint(2), e: Math.max(1, Math.min(0x7ffe, eb)), m: randMant() };
  if (r === 0 || r === 4) { a.e = Math.max(1, Math.min(0x7ffe, target + rint(3))); b.e = Math.max(1, a.e - rint(3)); }
  add('range', `${ARITH[r]} range`, 0xd8, 0xc1 + r * 8, [a, b], undefined, { cw: rangeCW() });
}
for (let k = 0; k < N(200); k++) add('range', 'fst m32 range', 0xd9, 0x10, [randNormal(chance(0.5) ? 16383 - 135 : 16383 + 127, 12)], undefined, { cw: rangeCW() });
for (let k = 0; k < N(200); k++) add('range', 'fst m64 range', 0xdd, 0x10, [randNormal(chance(0.5) ? 16383 - 1040 : 16383 + 1023, 25)], undefined, { cw: rangeCW() });
for (let k = 0; k < N(100); k++) add('range', 'fscale range', 0xd9, 0xfd, [randNormal(16383, 10), { s: rint(2), e: 16383 + 13 + rint(2), m: randMant() }], undefined, { cw: rangeCW() });
for (let k = 0; k < N(100); k++) add('range', 'fsqrt denormal', 0xd9, 0xfa, [{ s: 0, e: 0, m: rbig(64) }], undefined, { cw: rangeCW() });
// Results just below the smallest normal that may round up to it (tininess before/after rounding).
const ONES = (1n << 64n) - 1n;
for (let k = 0; k < N(200); k++) {
  const prec = pick([24, 53, 64]);
  const top = ((1n << BigInt(prec)) - 1n) << BigInt(64 - prec);   // all ones at this precision
  const m = chance(0.5) ? ONES : top | (rbig(64 - prec) | 1n);
  const pc = prec === 24 ? 0 : prec === 53 ? 2 : 3;
  const cw = 0x40 | (chance(0.3) ? 0x2f : 0x3f) | (pc << 8) | (rint(4) << 10);
  const s = rint(2);
  // (m * 2^-63 * 2^-1) * 2^-16382: just below the smallest normal.
  add('tiny', 'fmul tiny', 0xd8, 0xc9, [{ s, e: 16382, m }, { s: 0, e: 1, m: B63 }], undefined, { cw });
  add('tiny', 'fdiv tiny', 0xd8, 0xf1, [{ s, e: 16382, m }, { s: 0, e: 0x7ffe, m: B63 }], undefined, { cw: cw });
}
for (let k = 0; k < N(100); k++) {
  const [prec, emin] = pick([[24, -126], [53, -1022]]);
  const top = ((1n << BigInt(prec)) - 1n) << BigInt(64 - prec);
  const m = chance(0.5) ? ONES : top | (rbig(64 - prec) | 1n);
  const cw = 0x40 | (chance(0.3) ? 0x2f : 0x3f) | (3 << 8) | (rint(4) << 10);
  add('tiny', `fst m${prec === 24 ? 32 : 64} tiny`, prec === 24 ? 0xd9 : 0xdd, 0x10, [{ s: rint(2), e: 16383 + emin - 1, m }], undefined, { cw });
}
// Two NaN / unsupported operands: which one propagates (equal significands, signs, SNaN vs QNaN).
function nanLike() {
  const s = rint(2);
  switch (rint(5)) {
    case 0: return { s, e: 0x7fff, m: B63 | (1n << 62n) | (BigInt(rint(4)) << 20n) };  // QNaN, few payloads
    case 1: return { s, e: 0x7fff, m: B63 | (BigInt(rint(4) + 1) << 20n) };          // SNaN, few payloads
    case 2: return { s: 1, e: 0x7fff, m: 0xC000000000000000n };                     // indefinite
    case 3: return { s, e: 0x7fff, m: BigInt(rint(4)) << 20n };                      // pseudo-NaN/inf
    default: return randNormal();
  }
}
const NAN_OPS = [[0xd8, 0xc1], [0xd8, 0xc9], [0xd8, 0xe1], [0xd8, 0xe9], [0xd8, 0xf1], [0xd8, 0xf9], [0xdc, 0xc1], [0xde, 0xe9],
  [0xd9, 0xf8], [0xd9, 0xf5], [0xd9, 0xfd], [0xd9, 0xf3], [0xd9, 0xf1], [0xd9, 0xf9], [0xd8, 0xd1], [0xdd, 0xe1], [0xdb, 0xf1]];
for (let k = 0; k < N(600); k++) {
  const [op, modrm] = pick(NAN_OPS);
  // Transcendentals of two ordinary numbers belong to the tolerance-compared family.
  let a = nanLike();
  while (op === 0xd9 && (modrm === 0xf1 || modrm === 0xf3 || modrm === 0xf9) && classify(a) === 0) a = nanLike();
  add('nan', `nan ${op.toString(16)} ${modrm.toString(16)}`, op, modrm, [a, nanLike()], undefined, { cw: chance(0.8) ? 0x37f : 0x37e });
}
for (let k = 0; k < N(150); k++) {
  const [op, modrm] = pick([[0xd8, 0x00], [0xdc, 0x00], [0xd8, 0x08], [0xdc, 0x30], [0xd9, 0x00], [0xdd, 0x00]]);
  const mem = op === 0xdc || op === 0xdd ? Buffer.from(pick(['0100000000f07f', '0000000000f87f', '0100000000f0ff', '000000000008f8ff']).padStart(16, '0'), 'hex').reverse()
    : Buffer.from(pick(['7f800001', '7fc00000', 'ff800001', 'ffc00001']), 'hex').reverse();
  add('nan', `nan mem ${op.toString(16)} ${modrm.toString(16)}`, op, modrm, [nanLike()], mem, { cw: chance(0.8) ? 0x37f : 0x37e });
}
// fsqrt: exact squares, neighbours of squares (ties at 24/53/64 bits), every precision and rounding.
for (let k = 0; k < N(600); k++) {
  const r = B63 | rbig(63);                                  // root significand, 64 bits
  const keep = pick([24, 32, 53, 64]);
  const root = keep === 64 ? (r >> 32n) : (r >> BigInt(64 - keep)); // exact square when the root is short
  let sq = root * root;
  if (chance(0.5)) sq += BigInt(rint(3)) - 1n;              // neighbours of the square
  const z = 64 - sq.toString(2).length;
  const m = z >= 0 ? sq << BigInt(z) : sq >> BigInt(-z);
  const cw = 0x7f | (pick([0, 2, 3]) << 8) | (rint(4) << 10);
  add('sqrt', 'fsqrt exact', 0xd9, 0xfa, [{ s: 0, e: 16383 + rint(200) - 100, m: m | B63 }], undefined, { cw });
}
// Every register-form encoding (aliases, undefined ones) and every memory-form reg field.
const TRANSCENDENTAL = new Set([0xf0, 0xf1, 0xf2, 0xf3, 0xf9, 0xfb, 0xfe, 0xff]);
for (let op = 0xd8; op <= 0xdf; op++) {
  for (let modrm = 0xc0; modrm <= 0xff; modrm++) {
    if (op === 0xd9 && TRANSCENDENTAL.has(modrm)) continue;
    for (let k = 0; k < 2; k++) {
      const regs = [randNormal(), randNormal(), chance(0.7) ? randNormal() : undefined, randNormal()];
      add('encodings', `${op.toString(16)} ${modrm.toString(16)}`, op, modrm, regs, undefined, { cw: 0x37f | (rint(4) << 10), eflags: 0x202 | (rnd32() & 0x45) });
    }
  }
  for (let reg = 0; reg < 8; reg++) {
    if ((op === 0xd9 && reg >= 4) || (op === 0xdd && reg >= 4)) continue; // environment forms: own family
    const mem = Buffer.alloc(16);
    mem.writeDoubleLE((rnd32() / 2 ** 32) * 100, 0);
    add('encodings', `${op.toString(16)} /${reg}`, op, reg << 3, [randNormal(), randNormal()], mem);
  }
}
// Stack faults and empty operands.
for (let k = 0; k < N(60); k++) {
  const r = rint(8);
  add('stack', `${ARITH[r]} empty`, 0xd8, 0xc1 + r * 8, chance(0.5) ? [randF80()] : [undefined, randF80()]);
}
const ieCW = () => chance(0.5) ? 0x37e : 0x37f;
for (const [name, op, modrm] of [['fcomi', 0xdb, 0xf1], ['fcomip', 0xdf, 0xf1], ['fucomi', 0xdb, 0xe9], ['ftst', 0xd9, 0xe4],
  ['fucompp', 0xda, 0xe9], ['fcompp', 0xde, 0xd9], ['fxam', 0xd9, 0xe5], ['fsqrt', 0xd9, 0xfa], ['fxch', 0xd9, 0xc9],
  ['fst st(1)', 0xdd, 0xd1], ['fld st(1)', 0xd9, 0xc1], ['fprem', 0xd9, 0xf8], ['fscale', 0xd9, 0xfd], ['fxtract', 0xd9, 0xf4],
  ['fyl2x', 0xd9, 0xf1], ['fsin', 0xd9, 0xfe], ['fsincos', 0xd9, 0xfb], ['fcmovb', 0xda, 0xc1], ['fistp m32', 0xdb, 0x18],
  ['fstp m64', 0xdd, 0x18], ['fadd m32', 0xd8, 0x00], ['fcom m32', 0xd8, 0x10]]) {
  // Transcendentals only with ST(0) empty: their results are compared within a tolerance elsewhere.
  const st0Empty = /^f(sin|yl2x)/.test(name);
  for (let k = 0; k < N(8); k++) add('stack', `${name} empty`, op, modrm, chance(0.5) && !st0Empty ? [randF80()] : [undefined, randF80()], Buffer.from([0, 0, 0x80, 0x3f]), { cw: ieCW(), eflags: 0x202 | (rnd32() & 0x45) });
}
for (let k = 0; k < N(30); k++) add('stack', 'fld1 full', 0xd9, 0xe8, [1, 2, 3, 4, 5, 6, 7, 8].map(() => randF80()));
for (let k = 0; k < N(20); k++) add('stack', 'fld m32 full', 0xd9, 0x00, [1, 2, 3, 4, 5, 6, 7, 8].map(() => randF80()), randM32());

// Loads / stores / conversions.
for (let k = 0; k < N(120); k++) add('ldst', 'fld m32', 0xd9, 0x00, [randF80()], randM32());
for (let k = 0; k < N(120); k++) add('ldst', 'fld m64', 0xdd, 0x00, [randF80()], randM64());
for (let k = 0; k < N(60); k++) add('ldst', 'fld m80', 0xdb, 0x28, [], hex80(randF80(0.5)));
for (let k = 0; k < N(250); k++) add('ldst', 'fst m32', 0xd9, 0x10, [randF80(0.3)]);
for (let k = 0; k < N(60); k++) add('ldst', 'fstp m32', 0xd9, 0x18, [randF80(0.3), randF80()]);
for (let k = 0; k < N(250); k++) add('ldst', 'fst m64', 0xdd, 0x10, [randF80(0.3)]);
for (let k = 0; k < N(60); k++) add('ldst', 'fstp m64', 0xdd, 0x18, [randF80(0.3)]);
for (let k = 0; k < N(60); k++) add('ldst', 'fstp m80', 0xdb, 0x38, [randF80(0.5)]);
for (let k = 0; k < N(40); k++) add('ldst', 'fld st(i)', 0xd9, 0xc0 + rint(3), [randF80(0.3), randF80(), chance(0.5) ? randF80() : undefined]);
for (let k = 0; k < N(40); k++) add('ldst', 'fst st(i)', 0xdd, 0xd0 + rint(3), [randF80(0.3), randF80()]);
for (let k = 0; k < N(40); k++) add('ldst', 'fstp st(i)', 0xdd, 0xd8 + rint(3), [randF80(0.3), randF80()]);
for (let k = 0; k < N(40); k++) add('ldst', 'fxch', 0xd9, 0xc8 + rint(3), [randF80(0.3), chance(0.8) ? randF80() : undefined, randF80()]);
const intish = () => chance(0.5) ? randF80(0.3) : { s: rint(2), e: 16383 + rint(66), m: randMant() };
for (let k = 0; k < N(60); k++) add('int', 'fild m16', 0xdf, 0x00, [], randI16());
for (let k = 0; k < N(60); k++) add('int', 'fild m32', 0xdb, 0x00, [], randI32());
for (let k = 0; k < N(60); k++) add('int', 'fild m64', 0xdf, 0x28, [], randI64());
for (let k = 0; k < N(120); k++) add('int', 'fist m16', 0xdf, 0x10, [intish()]);
for (let k = 0; k < N(60); k++) add('int', 'fistp m16', 0xdf, 0x18, [intish()]);
for (let k = 0; k < N(120); k++) add('int', 'fist m32', 0xdb, 0x10, [intish()]);
for (let k = 0; k < N(60); k++) add('int', 'fistp m32', 0xdb, 0x18, [intish()]);
for (let k = 0; k < N(120); k++) add('int', 'fistp m64', 0xdf, 0x38, [intish()]);
for (let k = 0; k < N(40); k++) add('int', 'fisttp m16', 0xdf, 0x08, [intish()]);
for (let k = 0; k < N(40); k++) add('int', 'fisttp m32', 0xdb, 0x08, [intish()]);
for (let k = 0; k < N(40); k++) add('int', 'fisttp m64', 0xdd, 0x08, [intish()]);
for (let k = 0; k < N(80); k++) add('int', 'fbld', 0xdf, 0x20, [], randBCD());
for (let k = 0; k < N(120); k++) add('int', 'fbstp', 0xdf, 0x30, [chance(0.7) ? { s: rint(2), e: 16383 + rint(62), m: randMant() } : randF80(0.3)]);
for (let k = 0; k < N(120); k++) add('int', 'frndint', 0xd9, 0xfc, [intish()]);

// Unary, compare, classify.
for (let k = 0; k < N(200); k++) add('misc', 'fsqrt', 0xd9, 0xfa, [randF80(0.2)]);
for (let k = 0; k < N(30); k++) add('misc', 'fchs', 0xd9, 0xe0, [randF80(0.3)]);
for (let k = 0; k < N(30); k++) add('misc', 'fabs', 0xd9, 0xe1, [randF80(0.3)]);
for (let k = 0; k < N(60); k++) add('misc', 'ftst', 0xd9, 0xe4, [randF80(0.4)]);
for (let k = 0; k < N(80); k++) add('misc', 'fxam', 0xd9, 0xe5, [chance(0.1) ? undefined : randF80(0.8)]);
for (let k = 0; k < N(60); k++) { const [a, b] = two(); add('misc', 'fucom', 0xdd, 0xe1, [a, b]); }
for (let k = 0; k < N(40); k++) { const [a, b] = two(); add('misc', 'fucomp', 0xdd, 0xe9, [a, b]); }
for (let k = 0; k < N(40); k++) { const [a, b] = two(); add('misc', 'fucompp', 0xda, 0xe9, [a, b]); }
for (let k = 0; k < N(40); k++) { const [a, b] = two(); add('misc', 'fcompp', 0xde, 0xd9, [a, b]); }
for (let k = 0; k < N(60); k++) { const [a, b] = two(); add('misc', 'fcomi', 0xdb, 0xf1, [a, b]); }
for (let k = 0; k < N(60); k++) { const [a, b] = two(); add('misc', 'fucomi', 0xdb, 0xe9, [a, b]); }
for (let k = 0; k < N(30); k++) { const [a, b] = two(); add('misc', 'fcomip', 0xdf, 0xf1, [a, b]); }
for (let k = 0; k < N(30); k++) { const [a, b] = two(); add('misc', 'fucomip', 0xdf, 0xe9, [a, b]); }
for (let k = 0; k < N(30); k++) add('misc', 'ficom m32', 0xda, 0x10, [randF80()], randI32());
for (let k = 0; k < N(20); k++) add('misc', 'ficomp m16', 0xde, 0x18, [randF80()], randI16());
for (const [op, base] of [[0xda, 0xc0], [0xda, 0xc8], [0xda, 0xd0], [0xda, 0xd8], [0xdb, 0xc0], [0xdb, 0xc8], [0xdb, 0xd0], [0xdb, 0xd8]]) {
  for (let k = 0; k < N(12); k++) add('misc', `fcmov ${op.toString(16)} ${base.toString(16)}`, op, base + 1, [randF80(), chance(0.9) ? randF80() : undefined], undefined, { eflags: 0x202 | (rnd32() & 0x45) });
}
for (let k = 0; k < N(200); k++) { const a = randF80(0.1), b = chance(0.5) ? randNormal(a.e - rint(70), 5) : randF80(0.2); add('misc', 'fprem', 0xd9, 0xf8, [a, b]); }
for (let k = 0; k < N(200); k++) { const a = randF80(0.1), b = chance(0.5) ? randNormal(a.e - rint(70), 5) : randF80(0.2); add('misc', 'fprem1', 0xd9, 0xf5, [a, b]); }
for (let k = 0; k < N(40); k++) { const a = randF80(0.1), b = randNormal(a.e - 64 - rint(300), 3); add('misc', 'fprem far', 0xd9, chance(0.5) ? 0xf8 : 0xf5, [a, b]); }
for (let k = 0; k < N(150); k++) add('misc', 'fscale', 0xd9, 0xfd, [randF80(0.2), chance(0.7) ? { s: rint(2), e: 16383 + rint(16), m: randMant() } : randF80(0.3)]);
for (let k = 0; k < N(60); k++) add('misc', 'fxtract', 0xd9, 0xf4, [randF80(0.4)]);
for (const [m, name] of [[0xe8, 'fld1'], [0xe9, 'fldl2t'], [0xea, 'fldl2e'], [0xeb, 'fldpi'], [0xec, 'fldlg2'], [0xed, 'fldln2'], [0xee, 'fldz']]) {
  for (let rc = 0; rc < 4; rc++) add('misc', name, 0xd9, m, [randF80()], undefined, { cw: 0x37f | (rc << 10) });
}
for (let k = 0; k < N(10); k++) add('misc', 'fdecstp', 0xd9, 0xf6, [randF80()]);
for (let k = 0; k < N(10); k++) add('misc', 'fincstp', 0xd9, 0xf7, [randF80()]);
for (let k = 0; k < N(10); k++) add('misc', 'ffree', 0xdd, 0xc0 + rint(3), [randF80(), randF80()]);
for (let k = 0; k < N(10); k++) add('misc', 'fnop', 0xd9, 0xd0, [randF80()]);

// Control and environment.
for (let k = 0; k < N(30); k++) { const b = Buffer.alloc(2); b.writeUInt16LE(rnd32() & 0xffff); add('control', 'fldcw', 0xd9, 0x28, [randF80()], b, { sw: rnd32() & 0x3f }); }
for (let k = 0; k < N(10); k++) add('control', 'fnstcw', 0xd9, 0x38, [randF80()]);
for (let k = 0; k < N(10); k++) add('control', 'fnstsw m16', 0xdd, 0x38, [randF80()], undefined, { sw: rnd32() & 0x47ff });
for (let k = 0; k < N(10); k++) add('control', 'fnstsw ax', 0xdf, 0xe0, [randF80()], undefined, { sw: rnd32() & 0x47ff });
for (let k = 0; k < N(10); k++) add('control', 'fnclex', 0xdb, 0xe2, [randF80()], undefined, { sw: rnd32() & 0xc7ff });
for (let k = 0; k < N(10); k++) add('control', 'fninit', 0xdb, 0xe3, [randF80()]);
for (let k = 0; k < N(20); k++) add('control', 'fnstenv', 0xd9, 0x30, [randF80(0.5), randF80(0.5)]);
for (let k = 0; k < N(20); k++) add('control', 'fnsave', 0xdd, 0x30, [randF80(0.5), randF80(0.5), randF80(0.5)]);
for (let k = 0; k < N(20); k++) {
  const src = image(randCW() | 0x3f, rnd32() & 0x4700, [randF80(0.5), randF80(0.5), undefined, randF80(0.5)]);
  add('control', 'frstor', 0xdd, 0x20, [randF80()], src);
  add('control', 'fldenv', 0xd9, 0x20, [randF80(), randF80()], src.subarray(0, 28));
}
// 16-bit environment forms (operand-size prefix).
for (let k = 0; k < N(10); k++) add('control', 'fnstenv o16', 0xd9, 0x30, [randF80(0.5), randF80(0.5)], undefined, { o16: true });
for (let k = 0; k < N(10); k++) add('control', 'fnsave o16', 0xdd, 0x30, [randF80(0.5), randF80(0.5)], undefined, { o16: true });
for (let k = 0; k < N(10); k++) {
  const full = image(randCW() | 0x3f, rnd32() & 0x4700, [randF80(0.5), undefined, randF80(0.5)]);
  const env16 = Buffer.alloc(94);
  [0, 4, 8].forEach((o, i) => env16.writeUInt16LE(full.readUInt16LE(o), 2 * i));
  full.copy(env16, 14, 28);
  add('control', 'frstor o16', 0xdd, 0x20, [randF80()], env16, { o16: true });
  add('control', 'fldenv o16', 0xd9, 0x20, [randF80(), randF80()], env16.subarray(0, 14), { o16: true });
}
// Pending unmasked exceptions are delivered at the next waiting instruction.
for (let k = 0; k < N(30); k++) {
  const pend = 1 << rint(6);
  add('control', 'pending', pick([0xd8, 0xd9, 0xdd]), pick([0xc1, 0xc9, 0xe0, 0xfa]), [randF80(), randF80()], undefined,
    { cw: (0x37f & ~pend) | (rnd32() & 0x3f & ~pend), sw: pend | 0x80 | (rnd32() & 0x3f) });
}
// Unmasked exceptions raised by an operation.
for (let k = 0; k < N(80); k++) {
  const [a, b] = two();
  const r = pick([0, 1, 4, 6]);
  add('unmasked', `${ARITH[r]} unmasked`, 0xd8, 0xc1 + r * 8, [a, b], undefined, { cw: 0x340 | (rnd32() & 0xc00) | (rnd32() & 0x3f) });
}

// Transcendentals (compared within a tolerance by the test).
const small = () => ({ s: rint(2), e: 16383 - rint(70), m: randMant() });
const trig = () => chance(0.2) ? randF80(0.5) : chance(0.7) ? { s: rint(2), e: 16383 - 8 + rint(12), m: randMant() } : { s: rint(2), e: 16383 + rint(63), m: randMant() };
for (let k = 0; k < N(250); k++) add('trans', 'fsin', 0xd9, 0xfe, [trig()]);
for (let k = 0; k < N(250); k++) add('trans', 'fcos', 0xd9, 0xff, [trig()]);
for (let k = 0; k < N(150); k++) add('trans', 'fsincos', 0xd9, 0xfb, [trig()]);
for (let k = 0; k < N(200); k++) add('trans', 'fptan', 0xd9, 0xf2, [trig()]);
for (let k = 0; k < N(250); k++) add('trans', 'f2xm1', 0xd9, 0xf0, [chance(0.1) ? randF80(0.5) : small()]);
for (let k = 0; k < N(250); k++) add('trans', 'fyl2x', 0xd9, 0xf1, [chance(0.2) ? randF80(0.5) : { ...randNormal(), s: 0 }, randF80(0.1)]);
for (let k = 0; k < N(250); k++) add('trans', 'fyl2xp1', 0xd9, 0xf9, [chance(0.1) ? randF80(0.5) : { s: rint(2), e: 16383 - 2 - rint(60), m: randMant() }, randF80(0.1)]);
for (let k = 0; k < N(250); k++) add('trans', 'fpatan', 0xd9, 0xf3, [randF80(0.15), randF80(0.15)]);
// Special operands (zeros, infinities, NaNs, denormals, unsupported) for every transcendental.
for (const [name, modrm] of [['fsin', 0xfe], ['fcos', 0xff], ['fsincos', 0xfb], ['fptan', 0xf2], ['f2xm1', 0xf0],
  ['fyl2x', 0xf1], ['fyl2xp1', 0xf9], ['fpatan', 0xf3]]) {
  for (let k = 0; k < N(60); k++) add('trans', `${name} special`, 0xd9, modrm, [randF80(0.7), randF80(0.7)], undefined, { cw: chance(0.7) ? 0x37f : 0x340 | (rnd32() & 0x3f) });
}

// ------------------------------------------------------------ run on the CPU
const trim = (b) => { let n = b.length; while (n > 0 && b[n - 1] === 0) n--; return b.subarray(0, n).toString('hex'); };
mkdirSync(outDir, { recursive: true });
let total = 0;
for (const [family, list] of Object.entries(cases)) {
  const input = Buffer.alloc(list.length * 228);
  list.forEach((c, i) => {
    const o = i * 228;
    c.st.copy(input, o); c.m.copy(input, o + 108);
    input[o + 220] = c.op; input[o + 221] = c.modrm; input[o + 222] = c.o16;
    input.writeUInt32LE(c.eflags >>> 0, o + 224);
  });
  const r = spawnSync(probe, [], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
  const out = r.stdout;
  const rows = list.map((c, i) => {
    const o = i * 236;
    // FIP holds the probe's code address: not comparable, stored as 0. FDP holds the probe's
    // buffer address: rebased to OPERAND_BASE, the address the test passes to FPU.exec.
    out.writeUInt32LE(0, o + 12);
    if (out.readUInt32LE(o + 20) !== 0) out.writeUInt32LE(OPERAND_BASE, o + 20);
    const row = {
      n: c.n, op: c.op, modrm: c.modrm, ...(c.o16 ? { o16: 1 } : {}), st: trim(c.st), m: trim(c.m), fl: c.eflags,
      out: trim(out.subarray(o, o + 108)), mout: trim(out.subarray(o + 108, o + 220)),
      ax: c.op === 0xdf && c.modrm === 0xe0 ? out.readUInt32LE(o + 220) & 0xffff : undefined,
      flout: out.readUInt32LE(o + 224) & 0x8d5,
      sig: out.readInt32LE(o + 228), code: out.readInt32LE(o + 232),
    };
    return row;
  });
  writeFileSync(join(outDir, `${family}.json`), '[\n' + rows.map((x) => JSON.stringify(x)).join(',\n') + '\n]\n');
  total += rows.length;
  console.log(`${family}: ${rows.length} cases`);
}
console.log(`total ${total}`);
