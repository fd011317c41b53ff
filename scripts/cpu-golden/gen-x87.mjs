// x87 instruction families. The x87 input state is a 108-byte FNSAVE image (32-bit layout).
import { DATA, ARITH, DF, CF, ZF, PF, randomRegs, le16, le32, memAbs, modrm } from './common.mjs';

const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
const U3 = C0 | C2 | C3;
const ALLC = C0 | C1 | C2 | C3;
const TWO63 = 1n << 63n;
const M64 = (1n << 64n) - 1n;

// 80-bit value: sign, biased exponent (15 bits), 64-bit significand with explicit integer bit
export const ext = (s, e, m) => ({ s, e, m: BigInt.asUintN(64, BigInt(m)) });
export function extBytes(v) {
  const b = [];
  for (let i = 0n; i < 8n; i++) b.push(Number((v.m >> (8n * i)) & 0xffn));
  const se = (v.s << 15) | v.e;
  b.push(se & 0xff, se >> 8);
  return b;
}
function fromDouble(d) {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  const hi = buf.getUint32(0), lo = buf.getUint32(4);
  const s = hi >>> 31, e = (hi >>> 20) & 0x7ff, frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e === 0x7ff) return ext(s, 0x7fff, TWO63 | (frac << 11n));
  if (e === 0) {
    if (frac === 0n) return ext(s, 0, 0n);
    const sh = 64 - frac.toString(2).length; // normalise the denormal
    return ext(s, 16383 - 1022 - (sh - 11), frac << BigInt(sh));
  }
  return ext(s, e - 1023 + 16383, TWO63 | (frac << 11n));
}
const rand64 = (rng) => (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());

const EDGE = [
  ext(0, 0, 0n), ext(1, 0, 0n), ext(0, 16383, TWO63), ext(1, 16383, TWO63),
  ext(0, 0x7fff, TWO63), ext(1, 0x7fff, TWO63), // infinities
  ext(0, 0x7fff, 0xc000000000000000n), ext(1, 0x7fff, 0xc000000000000000n), // QNaN, indefinite
  ext(0, 0x7fff, 0xc000000000001234n), ext(1, 0x7fff, 0x8000000000000001n), ext(0, 0x7fff, 0xa000000000000000n), // payload QNaN, SNaNs
  ext(0, 0x7ffe, M64), ext(1, 0x7ffe, M64), ext(0, 1, TWO63), ext(1, 1, TWO63), // max / min normal
  ext(0, 0, 1n), ext(1, 0, 0x7fffffffffffffffn), ext(0, 0, 0x0000000012345678n), // denormals
  ext(0, 16384, TWO63), ext(0, 16382, TWO63), ext(1, 16384, 0xc000000000000000n), // 2, 0.5, -3
];

function randExt(rng) {
  const k = rng.int(16);
  if (k < 3) return { ...rng.pick(EDGE) };
  if (k < 5) {
    // values representable in double / float (common in real programs)
    const d = rng.pick([Math.PI, -Math.E, 1e300, -1e-300, 3.4028234663852886e38, 1.1754943508222875e-38, 5e-324, 2.2250738585072014e-308,
      1.7976931348623157e308, 0.1, -0.3, 1e10, 123456.789, 2 ** 31, -(2 ** 31), 2 ** 63, 2 ** 15, -32768.5, 0.5, 1.5, 2.5, -2.5]);
    return fromDouble(d);
  }
  if (k < 8) {
    // integers and halves (rounding boundaries for frndint / fist)
    const n = rng.int(2) ? rng.int(100) : rng.u32();
    const d = n + rng.pick([0, 0.5, 0.25, 0.75, -0.5]);
    return fromDouble(rng.bool() ? -d : d);
  }
  if (k < 13) return ext(rng.int(2), 16383 - 40 + rng.int(80), TWO63 | rand64(rng));
  if (k < 14) return ext(rng.int(2), 1 + rng.int(0x7ffd), TWO63 | rand64(rng));
  if (k < 15) return ext(rng.int(2), 0, rand64(rng) >> 1n); // denormal
  return ext(rng.int(2), 16383 - 3 + rng.int(6), TWO63 | rand64(rng));
}

function tagOf(v) {
  if (!v) return 3;
  if (v.e === 0x7fff) return 2;
  if (v.e === 0) return v.m === 0n ? 1 : 2;
  return v.m & TWO63 ? 0 : 2;
}

const PCS = [0, 2, 3], RCS = [0, 1, 2, 3];
export const cwOf = (pc, rc) => 0x7f | (pc << 8) | (rc << 10);

// st: array of values for st(0)..st(k-1); the rest empty
export function fpuImage(rng, st, cw, swExtra = 0) {
  const top = rng.int(8);
  const img = new Array(108).fill(0);
  let tw = 0;
  for (let i = 0; i < 8; i++) {
    const phys = (top + i) & 7;
    tw |= tagOf(st[i]) << (2 * phys);
    const bytes = st[i] ? extBytes(st[i]) : new Array(10).fill(0);
    for (let j = 0; j < 10; j++) img[28 + 10 * i + j] = bytes[j];
  }
  const sw = (top << 11) | (swExtra & 0x47ff & ~0x80);
  img.splice(0, 12, ...le16(cw), 0xff, 0xff, ...le16(sw), 0xff, 0xff, ...le16(tw), 0xff, 0xff);
  return Uint8Array.from(img);
}

const stack = (rng, n) => Array.from({ length: n }, () => randExt(rng));
const randCw = (rng) => cwOf(rng.pick(PCS), rng.pick(RCS));
// random C0..C3 and sometimes sticky exception bits so "unchanged" is observable
const randSw = (rng) => (rng.u32() & ALLC) | (rng.int(4) === 0 ? rng.u32() & 0x3f : 0);

function base(rng, st, cw) {
  return { regs: randomRegs(rng), eflags: (rng.u32() & ARITH) | (rng.bool() ? DF : 0), seed: rng.u32(), fpu: fpuImage(rng, st, cw ?? randCw(rng), randSw(rng)) };
}

function memFloat(rng, size) {
  const k = rng.int(6);
  if (size === 4) {
    if (k === 0) return le32(rng.pick([0, 0x80000000, 0x3f800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0xcf000000]));
    if (k === 1) return le32(rng.u32());
    const f = new DataView(new ArrayBuffer(4)); f.setFloat32(0, (rng.u32() / 2 ** 24 - 128) * (rng.bool() ? 1 : 1e-3), true);
    return Array.from(new Uint8Array(f.buffer));
  }
  if (size === 8) {
    if (k === 0) return rng.pick([[0, 0, 0, 0, 0, 0, 0xf0, 0x7f], [0, 0, 0, 0, 0, 0, 0xf8, 0xff], [1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0xf0, 0x3f],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f], [1, 0, 0, 0, 0, 0, 0xf4, 0x7f], [0, 0, 0, 0, 0, 0, 0, 0x80]]);
    if (k === 1) return rng.bytes(8);
    const f = new DataView(new ArrayBuffer(8)); f.setFloat64(0, (rng.u32() / 2 ** 20 - 2048) * (rng.bool() ? 1 : 1e-5), true);
    return Array.from(new Uint8Array(f.buffer));
  }
  return extBytes(randExt(rng)); // 10
}
function memInt(rng, size) {
  const k = rng.int(4);
  const edge = { 2: [0, 1, 0x7fff, 0x8000, 0xffff], 4: [0, 1, 0x7fffffff, 0x80000000, 0xffffffff], 8: [0] }[size];
  if (k === 0 && size < 8) return size === 2 ? le16(rng.pick(edge)) : le32(rng.pick(edge));
  if (size === 8) {
    if (k === 0) return rng.pick([[0, 0, 0, 0, 0, 0, 0, 0x80], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]);
    return k === 1 ? rng.bytes(8) : [...le32(rng.int(1000000)), ...(rng.bool() ? [0, 0, 0, 0] : [0xff, 0xff, 0xff, 0xff])];
  }
  if (k === 1) return rng.bytes(size);
  const v = rng.int(100000) * (rng.bool() ? 1 : -1);
  return size === 2 ? le16(v & 0xffff) : le32(v >>> 0);
}

const ARITH_OPS = [['fadd', 0], ['fmul', 1], ['fsub', 4], ['fsubr', 5], ['fdiv', 6], ['fdivr', 7]];

export function genX87Arith(cs, rng) {
  const fam = 'x87-arith';
  for (const [name, op] of ARITH_OPS) {
    for (const pc of PCS) for (const rc of RCS) {
      const cw = cwOf(pc, rc);
      for (let k = 0; k < 6; k++) {
        const i = 1 + rng.int(3);
        const off = rng.int(0x100) * 8;
        const deep = () => stack(rng, k === 5 ? rng.int(2) : 4); // k==5: stack underflow cases
        cs.add(fam, `${name} st,st(${i})`, { ...base(rng, deep(), cw), code: [0xd8, 0xc0 | (op << 3) | i], swmask: U3 });
        // DC /op with register: st(i) = st(i) op st(0); the sub/div encodings are swapped there
        const opr = op >= 4 ? op ^ 1 : op;
        cs.add(fam, `${ARITH_OPS.find((o) => o[1] === opr)[0]} st(${i}),st`, { ...base(rng, deep(), cw), code: [0xdc, 0xc0 | (op << 3) | i], swmask: U3 });
        cs.add(fam, `${ARITH_OPS.find((o) => o[1] === opr)[0]}p st(${i}),st`, { ...base(rng, deep(), cw), code: [0xde, 0xc0 | (op << 3) | i], swmask: U3 });
        cs.add(fam, `${name} m32`, { ...base(rng, stack(rng, k === 5 ? 0 : 2), cw), code: [0xd8, ...memAbs(op, off)], mem: [[DATA + off, memFloat(rng, 4)]], swmask: U3 });
        cs.add(fam, `${name} m64`, { ...base(rng, stack(rng, 2), cw), code: [0xdc, ...memAbs(op, off)], mem: [[DATA + off, memFloat(rng, 8)]], swmask: U3 });
        if (k < 3) {
          cs.add(fam, `fi${name.slice(1)} m32int`, { ...base(rng, stack(rng, 2), cw), code: [0xda, ...memAbs(op, off)], mem: [[DATA + off, memInt(rng, 4)]], swmask: U3 });
          cs.add(fam, `fi${name.slice(1)} m16int`, { ...base(rng, stack(rng, 2), cw), code: [0xde, ...memAbs(op, off)], mem: [[DATA + off, memInt(rng, 2)]], swmask: U3 });
        }
      }
    }
  }
  const ONE = [['fsqrt', 0xfa, U3, 1], ['frndint', 0xfc, U3, 1], ['fscale', 0xfd, U3, 2], ['fxtract', 0xf4, U3, 1], ['fprem', 0xf8, 0, 2], ['fprem1', 0xf5, 0, 2]];
  for (const [name, b, swmask, depth] of ONE) {
    for (const pc of PCS) for (const rc of RCS) {
      for (let k = 0; k < 10; k++) {
        const st = stack(rng, k === 9 ? depth - 1 : depth + rng.int(2));
        if (name === 'fscale' && k % 2) st[1] = fromDouble((rng.int(200) - 100) + (rng.bool() ? 0.5 : 0));
        if (name === 'fsqrt' && k % 2 && st[0]) st[0].s = 0;
        if ((name === 'fprem' || name === 'fprem1') && k % 3 === 0 && st[0] && st[1]) st[0].e = st[1].e + rng.int(90); // partial remainder (C2)
        cs.add(fam, name, { ...base(rng, st, cwOf(pc, rc)), code: [0xd9, b], swmask });
      }
    }
  }
}

export function genX87LoadStore(cs, rng) {
  const fam = 'x87-load-store';
  for (const pc of PCS) for (const rc of RCS) {
    const cw = cwOf(pc, rc);
    for (let k = 0; k < 8; k++) {
      const off = rng.int(0x100) * 8;
      const depth = k === 7 ? 8 : rng.int(4); // k==7: full stack, load overflows
      const st = () => stack(rng, depth);
      cs.add(fam, 'fld m32', { ...base(rng, st(), cw), code: [0xd9, ...memAbs(0, off)], mem: [[DATA + off, memFloat(rng, 4)]], swmask: U3 });
      cs.add(fam, 'fld m64', { ...base(rng, st(), cw), code: [0xdd, ...memAbs(0, off)], mem: [[DATA + off, memFloat(rng, 8)]], swmask: U3 });
      cs.add(fam, 'fld m80', { ...base(rng, st(), cw), code: [0xdb, ...memAbs(5, off)], mem: [[DATA + off, memFloat(rng, 10)]], swmask: U3 });
      cs.add(fam, `fld st(${k})`, { ...base(rng, stack(rng, depth || 1), cw), code: [0xd9, 0xc0 + k], swmask: U3 });
      cs.add(fam, 'fild m16', { ...base(rng, st(), cw), code: [0xdf, ...memAbs(0, off)], mem: [[DATA + off, memInt(rng, 2)]], swmask: U3 });
      cs.add(fam, 'fild m32', { ...base(rng, st(), cw), code: [0xdb, ...memAbs(0, off)], mem: [[DATA + off, memInt(rng, 4)]], swmask: U3 });
      cs.add(fam, 'fild m64', { ...base(rng, st(), cw), code: [0xdf, ...memAbs(5, off)], mem: [[DATA + off, memInt(rng, 8)]], swmask: U3 });
      const src = () => stack(rng, k === 6 ? 0 : 1 + rng.int(3)); // k==6: empty stack, store underflows
      cs.add(fam, 'fst m32', { ...base(rng, src(), cw), code: [0xd9, ...memAbs(2, off)], swmask: U3 });
      cs.add(fam, 'fstp m32', { ...base(rng, src(), cw), code: [0xd9, ...memAbs(3, off)], swmask: U3 });
      cs.add(fam, 'fst m64', { ...base(rng, src(), cw), code: [0xdd, ...memAbs(2, off)], swmask: U3 });
      cs.add(fam, 'fstp m64', { ...base(rng, src(), cw), code: [0xdd, ...memAbs(3, off)], swmask: U3 });
      cs.add(fam, 'fstp m80', { ...base(rng, src(), cw), code: [0xdb, ...memAbs(7, off)], swmask: U3 });
      cs.add(fam, `fst st(${k})`, { ...base(rng, src(), cw), code: [0xdd, 0xd0 + k], swmask: U3 });
      cs.add(fam, `fstp st(${k})`, { ...base(rng, src(), cw), code: [0xdd, 0xd8 + k], swmask: U3 });
      cs.add(fam, 'fist m16', { ...base(rng, src(), cw), code: [0xdf, ...memAbs(2, off)], swmask: U3 });
      cs.add(fam, 'fistp m16', { ...base(rng, src(), cw), code: [0xdf, ...memAbs(3, off)], swmask: U3 });
      cs.add(fam, 'fist m32', { ...base(rng, src(), cw), code: [0xdb, ...memAbs(2, off)], swmask: U3 });
      cs.add(fam, 'fistp m32', { ...base(rng, src(), cw), code: [0xdb, ...memAbs(3, off)], swmask: U3 });
      cs.add(fam, 'fistp m64', { ...base(rng, src(), cw), code: [0xdf, ...memAbs(7, off)], swmask: U3 });
      cs.add(fam, 'fisttp m32', { ...base(rng, src(), cw), code: [0xdb, ...memAbs(1, off)], swmask: U3 });
    }
  }
  // packed BCD, the remaining fisttp forms, fnsave/frstor (pointer fields are not compared)
  for (let k = 0; k < 48; k++) {
    const off = rng.int(0x100) * 8, cw = randCw(rng);
    const digits = Array.from({ length: 9 }, () => (rng.int(10) << 4) | rng.int(10));
    const bcd = k % 8 === 7 ? rng.bytes(10) : [...digits, rng.bool() ? 0x80 : 0];
    cs.add(fam, 'fbld m80bcd', { ...base(rng, stack(rng, rng.int(3)), cw), code: [0xdf, ...memAbs(4, off)], mem: [[DATA + off, bcd]], swmask: U3 });
    cs.add(fam, 'fbstp m80bcd', { ...base(rng, stack(rng, k % 12 === 0 ? 0 : 1 + rng.int(2)), cw), code: [0xdf, ...memAbs(6, off)], swmask: U3 });
    cs.add(fam, 'fisttp m16', { ...base(rng, stack(rng, 1 + rng.int(2)), cw), code: [0xdf, ...memAbs(1, off)], swmask: U3 });
    cs.add(fam, 'fisttp m64', { ...base(rng, stack(rng, 1 + rng.int(2)), cw), code: [0xdd, ...memAbs(1, off)], swmask: U3 });
    if (k < 16) {
      const so = 0x400 + 8 * rng.int(64);
      cs.add(fam, 'fnsave m108', { ...base(rng, stack(rng, rng.int(9)), cw), code: [0xdd, ...memAbs(6, so)], memIgnore: [[DATA + so + 12, 16]] });
      const img = Array.from(fpuImage(rng, stack(rng, rng.int(9)), randCw(rng), randSw(rng)));
      cs.add(fam, 'frstor m108', { ...base(rng, stack(rng, 2), cw), code: [0xdd, ...memAbs(4, so)], mem: [[DATA + so, img]] });
    }
  }
  const CONST = [['fld1', 0xe8], ['fldl2t', 0xe9], ['fldl2e', 0xea], ['fldpi', 0xeb], ['fldlg2', 0xec], ['fldln2', 0xed], ['fldz', 0xee]];
  for (const [name, b] of CONST) for (const pc of PCS) for (const rc of RCS) {
    cs.add(fam, name, { ...base(rng, stack(rng, rng.int(3)), cwOf(pc, rc)), code: [0xd9, b], swmask: U3 });
  }
  // memory access faults surface as SIGSEGV before the x87 state changes
  cs.add(fam, 'fld m64 (unmapped)', { ...base(rng, stack(rng, 1), 0x37f), code: [0xdd, modrm(0, 0, 5), ...le32(0x50000000)] });
}

export function genX87Compare(cs, rng) {
  const fam = 'x87-compare';
  const cmpVal = (rng, st) => { if (rng.int(3) === 0 && st[0] && st[1]) st[1] = { ...st[0] }; return st; };
  for (let k = 0; k < 60; k++) {
    const i = 1 + rng.int(3), off = rng.int(0x100) * 8;
    const st = () => cmpVal(rng, stack(rng, k % 15 === 0 ? 1 : 4));
    cs.add(fam, `fcom st(${i})`, { ...base(rng, st()), code: [0xd8, 0xd0 + i] });
    cs.add(fam, `fcomp st(${i})`, { ...base(rng, st()), code: [0xd8, 0xd8 + i] });
    cs.add(fam, 'fcompp', { ...base(rng, st()), code: [0xde, 0xd9] });
    cs.add(fam, `fucom st(${i})`, { ...base(rng, st()), code: [0xdd, 0xe0 + i] });
    cs.add(fam, `fucomp st(${i})`, { ...base(rng, st()), code: [0xdd, 0xe8 + i] });
    cs.add(fam, 'fucompp', { ...base(rng, st()), code: [0xda, 0xe9] });
    cs.add(fam, `fcomi st,st(${i})`, { ...base(rng, st()), code: [0xdb, 0xf0 + i] });
    cs.add(fam, `fcomip st,st(${i})`, { ...base(rng, st()), code: [0xdf, 0xf0 + i] });
    cs.add(fam, `fucomi st,st(${i})`, { ...base(rng, st()), code: [0xdb, 0xe8 + i] });
    cs.add(fam, `fucomip st,st(${i})`, { ...base(rng, st()), code: [0xdf, 0xe8 + i] });
    cs.add(fam, 'fcom m32', { ...base(rng, st()), code: [0xd8, ...memAbs(2, off)], mem: [[DATA + off, memFloat(rng, 4)]] });
    cs.add(fam, 'fcomp m64', { ...base(rng, st()), code: [0xdc, ...memAbs(3, off)], mem: [[DATA + off, memFloat(rng, 8)]] });
    cs.add(fam, 'ficom m32int', { ...base(rng, st()), code: [0xda, ...memAbs(2, off)], mem: [[DATA + off, memInt(rng, 4)]] });
    cs.add(fam, 'ficomp m16int', { ...base(rng, st()), code: [0xde, ...memAbs(3, off)], mem: [[DATA + off, memInt(rng, 2)]] });
    cs.add(fam, 'ftst', { ...base(rng, stack(rng, k % 15 === 0 ? 0 : 1)), code: [0xd9, 0xe4] });
    cs.add(fam, 'fxam', { ...base(rng, stack(rng, k % 10 === 0 ? 0 : 1)), code: [0xd9, 0xe5] });
  }
  for (const v of EDGE) cs.add(fam, 'fxam', { ...base(rng, [v]), code: [0xd9, 0xe5] });
  // fcmovcc over every CF/ZF/PF combination
  const FCMOV = [['fcmovb', 0xda, 0xc0], ['fcmove', 0xda, 0xc8], ['fcmovbe', 0xda, 0xd0], ['fcmovu', 0xda, 0xd8],
    ['fcmovnb', 0xdb, 0xc0], ['fcmovne', 0xdb, 0xc8], ['fcmovnbe', 0xdb, 0xd0], ['fcmovnu', 0xdb, 0xd8]];
  for (const [name, b0, b1] of FCMOV) for (let f = 0; f < 8; f++) for (let k = 0; k < 3; k++) {
    const c = base(rng, stack(rng, k === 2 && f === 0 ? 1 : 3));
    c.eflags = (f & 1 ? CF : 0) | (f & 2 ? ZF : 0) | (f & 4 ? PF : 0);
    const i = 1 + rng.int(2);
    cs.add(fam, `${name} st,st(${i})`, { ...c, code: [b0, b1 + i], swmask: U3 });
  }
}

export function genX87Misc(cs, rng) {
  const fam = 'x87-misc';
  for (let k = 0; k < 24; k++) {
    const i = k % 8, off = rng.int(0x100) * 8;
    const st = () => stack(rng, k % 6 === 0 ? 0 : 1 + rng.int(7));
    cs.add(fam, 'fchs', { ...base(rng, st()), code: [0xd9, 0xe0], swmask: U3 });
    cs.add(fam, 'fabs', { ...base(rng, st()), code: [0xd9, 0xe1], swmask: U3 });
    cs.add(fam, `fxch st(${i})`, { ...base(rng, st()), code: [0xd9, 0xc8 + i], swmask: U3 });
    cs.add(fam, 'fincstp', { ...base(rng, st()), code: [0xd9, 0xf7], swmask: U3 });
    cs.add(fam, 'fdecstp', { ...base(rng, st()), code: [0xd9, 0xf6], swmask: U3 });
    cs.add(fam, `ffree st(${i})`, { ...base(rng, st()), code: [0xdd, 0xc0 + i], swmask: ALLC });
    cs.add(fam, 'fnstsw ax', { ...base(rng, st()), code: [0xdf, 0xe0] });
    cs.add(fam, 'fnstsw m16', { ...base(rng, st()), code: [0xdd, ...memAbs(7, off)] });
    cs.add(fam, 'fnstcw m16', { ...base(rng, st(), randCw(rng)), code: [0xd9, ...memAbs(7, off)] });
    const cw = cwOf(rng.pick(PCS), rng.pick(RCS));
    cs.add(fam, 'fldcw m16', { ...base(rng, st()), code: [0xd9, ...memAbs(5, off)], mem: [[DATA + off, le16(cw)]], swmask: ALLC });
    cs.add(fam, 'fnclex', { ...base(rng, st()), code: [0xdb, 0xe2], swmask: ALLC });
    cs.add(fam, 'fninit', { ...base(rng, st()), code: [0xdb, 0xe3] });
    cs.add(fam, 'fwait', { ...base(rng, st()), code: [0x9b] });
    cs.add(fam, 'fnop', { ...base(rng, st()), code: [0xd9, 0xd0] });
    // FNSTENV stores instruction/operand pointers, which are not compared
    cs.add(fam, 'fnstenv m28', { ...base(rng, st()), code: [0xd9, ...memAbs(6, off)], memIgnore: [[DATA + off + 12, 16]] });
    const env = [...le16(cwOf(rng.pick(PCS), rng.pick(RCS))), 0xff, 0xff, ...le16((rng.int(8) << 11) | (rng.u32() & ALLC)), 0xff, 0xff,
      ...le16(rng.pick([0xffff, 0x0000, rng.u32() & 0xffff])), 0xff, 0xff, ...new Array(16).fill(0)];
    cs.add(fam, 'fldenv m28', { ...base(rng, st()), code: [0xd9, ...memAbs(4, off)], mem: [[DATA + off, env]] });
  }
}

export function genX87Transcendental(cs, rng) {
  const fam = 'x87-transcendental';
  // tolerance in units of the 64-bit significand's last place
  const ULP = 4096;
  const OPS = [['fsin', 0xfe, C0 | C1 | C3, 1], ['fcos', 0xff, C0 | C1 | C3, 1], ['fsincos', 0xfb, C0 | C1 | C3, 1], ['fptan', 0xf2, C0 | C1 | C3, 1],
    ['fpatan', 0xf3, ALLC, 2], ['f2xm1', 0xf0, ALLC, 1], ['fyl2x', 0xf1, ALLC, 2], ['fyl2xp1', 0xf9, ALLC, 2]];
  for (const [name, b, swmask, depth] of OPS) {
    for (let k = 0; k < 90; k++) {
      const st = stack(rng, depth + rng.int(2));
      if (k % 3 !== 0) {
        // mostly inside the instruction's domain
        const r = rng.u32() / 2 ** 32;
        const d = name === 'f2xm1' ? 2 * r - 1 : name === 'fyl2xp1' ? (r - 0.5) * 0.58 : name === 'fyl2x' ? r * 1000 : (r - 0.5) * 20;
        st[0] = fromDouble(d);
      }
      cs.add(fam, name, { ...base(rng, st, cwOf(3, rng.int(4) === 0 ? rng.pick(RCS) : 0)), code: [0xd9, b], swmask, ulp: ULP });
    }
    // every edge operand (zeros, infinities, NaNs, denormals, extremes, out-of-range arguments)
    const more = [ext(0, 16383 + 63, TWO63), ext(1, 16383 + 70, TWO63 | 5n), ext(0, 16383 + 62, M64), fromDouble(Math.PI), fromDouble(-Math.PI / 2), fromDouble(1 - Math.SQRT1_2), fromDouble(-0.2928932188134524)];
    for (const v of [...EDGE, ...more]) {
      for (let k = 0; k < depth; k++) {
        const st = [{ ...v }, ...stack(rng, depth - 1)];
        if (k === 1) st.reverse();
        cs.add(fam, `${name} (edge)`, { ...base(rng, st, cwOf(3, 0)), code: [0xd9, b], swmask, ulp: ULP });
      }
    }
  }
}

// Unmasked exceptions: the faulting operation leaves ES set (the harness stores the state with a
// no-wait FNSAVE), and a pending exception is delivered as SIGFPE by the next waiting instruction.
export function genX87Exceptions(cs, rng) {
  const fam = 'x87-exceptions';
  const cwU = (rng) => (cwOf(rng.pick(PCS), rng.pick(RCS)) & ~0x3f) | (rng.u32() & 0x3f) | (rng.int(3) === 0 ? 0x3f : 0);
  const big = () => ext(rng.int(2), 0x7ffe - rng.int(4), TWO63 | rand64(rng));
  const tiny = () => ext(rng.int(2), 1 + rng.int(4), TWO63 | rand64(rng));
  const OPS = [
    ['fadd st,st(1)', [0xd8, 0xc1], () => [big(), big()]],
    ['fmul st,st(1)', [0xd8, 0xc9], () => rng.bool() ? [big(), big()] : [tiny(), tiny()]],
    ['fdiv st,st(1)', [0xd8, 0xf1], () => [randExt(rng), rng.bool() ? ext(0, 0, 0n) : randExt(rng)]],
    ['fsub st,st(1)', [0xd8, 0xe1], () => [ext(0, 0x7fff, TWO63), ext(0, 0x7fff, TWO63)]],
    ['fsqrt', [0xd9, 0xfa], () => [ext(1, 16383 + rng.int(9), TWO63 | rand64(rng))]],
    ['fmul st,st(1) (denormal)', [0xd8, 0xc9], () => [ext(0, 0, rand64(rng) >> 1n), randExt(rng)]],
    ['fadd st,st(1) (snan)', [0xd8, 0xc1], () => [ext(0, 0x7fff, 0x8000000000000001n), randExt(rng)]],
    ['fst st(1) (stack)', [0xdd, 0xd1], () => []],
    ['fld st(0) (overflow)', [0xd9, 0xc0], () => stack(rng, 8)],
    ['fprem', [0xd9, 0xf8], () => [randExt(rng), rng.bool() ? ext(0, 0, 0n) : randExt(rng)]],
    ['frndint', [0xd9, 0xfc], () => [randExt(rng)]],
    ['fscale', [0xd9, 0xfd], () => [randExt(rng), fromDouble(rng.pick([20000, -20000, 16000, -16500, 3.5]))]],
  ];
  for (const [name, code, st] of OPS) {
    for (let k = 0; k < 24; k++) cs.add(fam, name, { ...base(rng, st(), cwU(rng)), code, swmask: U3 });
  }
  // stores whose result does not fit
  for (let k = 0; k < 24; k++) {
    const off = rng.int(0x100) * 8;
    cs.add(fam, 'fst m32 (overflow)', { ...base(rng, [big()], cwU(rng)), code: [0xd9, ...memAbs(2, off)], swmask: U3 });
    cs.add(fam, 'fst m64 (underflow)', { ...base(rng, [tiny()], cwU(rng)), code: [0xdd, ...memAbs(2, off)], swmask: U3 });
    cs.add(fam, 'fistp m16 (invalid)', { ...base(rng, [fromDouble(70000 * (rng.bool() ? 1 : -1) + rng.int(99))], cwU(rng)), code: [0xdf, ...memAbs(3, off)], swmask: U3 });
  }
  // a pending unmasked exception (ES set) is raised by waiting instructions only
  const WAITERS = [['fwait', [0x9b]], ['fadd st,st(1)', [0xd8, 0xc1]], ['fld1', [0xd9, 0xe8]], ['fnstsw ax', [0xdf, 0xe0]], ['fnclex', [0xdb, 0xe2]],
    ['fninit', [0xdb, 0xe3]], ['fnstcw m16', [0xd9, ...memAbs(7, 0x100)]], ['fldcw m16', [0xd9, ...memAbs(5, 0x100)]], ['fxch st(1)', [0xd9, 0xc9]],
    ['fnstenv m28', [0xd9, ...memAbs(6, 0x200)]], ['fnsave m108', [0xdd, ...memAbs(6, 0x200)]]];
  for (const [name, code] of WAITERS) {
    for (let k = 0; k < 8; k++) {
      const flag = 1 << rng.int(6);
      const cw = cwOf(3, 0) & ~flag;
      const c = base(rng, stack(rng, 2), cw);
      // the image's status word: the exception flag plus ES (and B, which mirrors it)
      const sw = (c.fpu[4] | (c.fpu[5] << 8)) | flag | 0x80 | 0x8000;
      c.fpu[4] = sw & 0xff; c.fpu[5] = sw >> 8;
      const mem = name === 'fldcw m16' ? [[DATA + 0x100, le16(cwOf(3, rng.int(4)) & (k % 2 ? ~0 : ~0x3f))]] : [];
      const memIgnore = name.startsWith('fnstenv') || name.startsWith('fnsave') ? [[DATA + 0x200 + 12, 16]] : [];
      cs.add(fam, `${name} (pending ${['IE', 'DE', 'ZE', 'OE', 'UE', 'PE'][Math.log2(flag)]})`, { ...c, code, mem, memIgnore, swmask: name.startsWith('fn') ? 0 : U3 });
    }
  }
}

export const X87_FAMILIES = [genX87Exceptions, genX87Arith, genX87LoadStore, genX87Compare, genX87Misc, genX87Transcendental];
