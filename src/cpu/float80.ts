import { POW2D, twoProd, O as DDO } from './dd.js';

// 80-bit x87 extended arithmetic in software.
// A value is sign bit, 15-bit biased exponent field, 64-bit significand field (explicit integer
// bit at bit 63; as two 32-bit halves), exactly the bits of the register / m80 image.
// Results are rounded like the x87: 15-bit exponent range whatever the precision control,
// denormals produced when UE is masked, exponent bias adjusted by 24576 when OE/UE are unmasked.

export class F80 {
  // Significand kept as two unsigned 32-bit halves: the common paths avoid BigInt entirely. They are
  // stored as int32 and read back unsigned: V8 keeps an int32 field in the object, an unsigned one at
  // or above 2^31 in a heap number of its own (a normal value's high half always is).
  readonly h: number;
  readonly l: number;
  constructor(public s: number, public e: number, hi: number, lo: number) { this.h = hi | 0; this.l = lo | 0; }
  get hi(): number { return this.h >>> 0; }
  get lo(): number { return this.l >>> 0; }
  get m(): bigint { return (BigInt(this.hi) << 32n) | BigInt(this.lo); }
}

export const IE = 0x01, DE = 0x02, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20, SF = 0x40;
export const RC_NEAR = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;

// Operand classes.
export const C_ZERO = 0, C_DEN = 1, C_NORM = 2, C_INF = 3, C_QNAN = 4, C_SNAN = 5, C_UNSUP = 6;

export const MASK64 = (1n << 64n) - 1n;
export const BIT63 = 1n << 63n;
const QBIT = 1n << 62n;
const BIAS = 16383;
const EMIN = -16382, EMAX = 16383;
const WRAP = 24576; // exponent bias adjust for unmasked overflow/underflow

/** Rounding context and accumulated results of the current operation. */
export const ctx = {
  rc: RC_NEAR,
  prec: 64,
  masks: 0x3f,   // CW exception mask bits (1 = masked)
  flags: 0,      // exception flags raised by the operation
  c1: 0,         // C1: 1 when the result was rounded up in magnitude
};

export function mk(s: number, e: number, m: bigint): F80 { return new F80(s, e, Number(m >> 32n), Number(m & 0xffffffffn)); }
export const INDEFINITE: F80 = Object.freeze(mk(1, 0x7fff, 0xC000000000000000n));
export const ZERO: F80 = Object.freeze(mk(0, 0, 0n));
export const NZERO: F80 = Object.freeze(mk(1, 0, 0n));
export const ONE: F80 = Object.freeze(mk(0, BIAS, BIT63));
export const INF: F80 = Object.freeze(mk(0, 0x7fff, BIT63));

export function inf(s: number): F80 { return s ? mk(1, 0x7fff, BIT63) : INF; }
export function zero(s: number): F80 { return s ? NZERO : ZERO; }
export function neg(x: F80): F80 { return new F80(x.s ^ 1, x.e, x.hi, x.lo); }
export function abs(x: F80): F80 { return x.s ? new F80(0, x.e, x.hi, x.lo) : x; }

export function cls(x: F80): number {
  const e = x.e, hi = x.hi;
  if (e === 0) return (hi | x.lo) === 0 ? C_ZERO : C_DEN;
  if (e === 0x7fff) {
    if (hi < 0x80000000) return C_UNSUP;
    if (hi === 0x80000000 && x.lo === 0) return C_INF;
    return (hi & 0x40000000) ? C_QNAN : C_SNAN;
  }
  return hi >= 0x80000000 ? C_NORM : C_UNSUP;
}
export const isNaNc = (c: number) => c === C_QNAN || c === C_SNAN;

/** Raise exception flags; true when one of them is unmasked (the operation must not complete). */
export function raise(f: number): boolean {
  ctx.flags |= f;
  return (ctx.masks & f) !== f;
}

export function clz64(m: bigint): number {
  const hi = Number(m >> 32n);
  if (hi) return Math.clz32(hi);
  return 32 + Math.clz32(Number(m & 0xffffffffn));
}

const POW2: bigint[] = Array.from({ length: 513 }, (_, k) => 1n << BigInt(k));
/** Number of significant bits (binary search over powers of two: comparisons allocate nothing). */
export function bitLen(x: bigint): number {
  if (x === 0n) return 0;
  if (x >= POW2[512]) {
    const h = x.toString(16);
    return (h.length - 1) * 4 + 32 - Math.clz32(parseInt(h[0], 16));
  }
  let lo = 0, hi = 512; // POW2[lo] <= x < POW2[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= POW2[mid]) lo = mid; else hi = mid;
  }
  return lo + 1;
}

// Unpacked finite nonzero operand: value = m * 2^(E - 63), m normalized (bit 63 set).
let uE = 0;
function unpack(x: F80): bigint {
  let m = x.m;
  let E = (x.e === 0 ? 1 : x.e) - BIAS;
  if (m < BIT63) { const z = clz64(m); m <<= BigInt(z); E -= z; }
  uE = E;
  return m;
}

// ---------------------------------------------------------------- rounding
let rInexact = false, rUp = false;
/** sig >> drop rounded by ctx.rc for a value of sign s. */
function roundBits(s: number, sig: bigint, drop: number): bigint {
  if (drop > 256 && sig < (1n << 256n)) {
    // Far below the rounding point: only directed rounding can produce one unit.
    rInexact = sig !== 0n;
    rUp = rInexact && ((ctx.rc === RC_DOWN && s === 1) || (ctx.rc === RC_UP && s === 0));
    return rUp ? 1n : 0n;
  }
  const d = BigInt(drop);
  let q = sig >> d;
  const r = sig - (q << d);
  rUp = false;
  rInexact = r !== 0n;
  if (rInexact) {
    const rc = ctx.rc;
    if (rc === RC_NEAR) {
      const half = 1n << (d - 1n);
      rUp = r > half || (r === half && (q & 1n) === 1n);
    } else if (rc === RC_DOWN) rUp = s === 1;
    else if (rc === RC_UP) rUp = s === 0;
    if (rUp) q += 1n;
  }
  return q;
}

function overflowResult(s: number, prec: number, emaxField: number): { e: number; m: bigint } {
  const rc = ctx.rc;
  const toInf = rc === RC_NEAR || (rc === RC_DOWN && s === 1) || (rc === RC_UP && s === 0);
  if (toInf) return { e: -1, m: 0n };
  return { e: emaxField, m: (1n << BigInt(prec)) - 1n };
}

/**
 * Round sig * 2^(E-127) (sig normalized to bit 127, sticky folded into bit 0) to a register value
 * of `prec` bits. Returns null when an unmasked exception forbids... (never for registers: the
 * bias-adjusted value is delivered, as the x87 does).
 */
export function roundExt(s: number, E: number, sig: bigint, prec: number): F80 {
  if (sig === 0n) return zero(s);
  const pb = BigInt(prec);
  // Tininess is detected after rounding: a value that rounds up to the smallest normal is not tiny.
  if (E === EMIN - 1) {
    const q = roundBits(s, sig, 128 - prec);
    if (q >> pb) { ctx.flags |= PE; ctx.c1 = 1; return new F80(s, 1, 0x80000000, 0); }
  }
  if (E < EMIN) {
    if (ctx.masks & UE) {
      const k = EMIN - E;
      let q = roundBits(s, sig, 128 - prec + k);
      if (rInexact) { ctx.flags |= UE | PE; ctx.c1 = rUp ? 1 : 0; } else ctx.c1 = 0;
      if (q === 0n) return zero(s);
      const m = q << BigInt(64 - prec);
      return mk(s, m >= BIT63 ? 1 : 0, m);
    }
    ctx.flags |= UE;
    E += WRAP;
    if (E < EMIN) { ctx.flags |= PE; ctx.c1 = 0; return zero(s); } // beyond the bias adjust range
  }
  let q = roundBits(s, sig, 128 - prec);
  if (q >> pb) { q >>= 1n; E++; }
  if (rInexact) ctx.flags |= PE;
  ctx.c1 = rUp ? 1 : 0;
  if (E > EMAX) {
    ctx.flags |= OE;
    if (ctx.masks & OE) {
      ctx.flags |= PE;
      const o = overflowResult(s, prec, 0x7ffe);
      if (o.e < 0) { ctx.c1 = 1; return inf(s); }
      ctx.c1 = 0;
      return mk(s, o.e, o.m << BigInt(64 - prec));
    }
    E -= WRAP;
    if (E > EMAX) { ctx.flags |= PE; ctx.c1 = 1; return inf(s); } // beyond the bias adjust range
  }
  return mk(s, E + BIAS, q << BigInt(64 - prec));
}

/**
 * Round to a memory format (prec bits incl. the implicit bit, exponent range emin..emax).
 * Returns [biasedExp, fraction-with-integer-bit] or null if an unmasked OE/UE forbids the store.
 */
function roundMem(s: number, E: number, sig: bigint, prec: number, emin: number, emax: number): [number, bigint] | null {
  const bias = emax;
  // Tininess is detected after rounding: a value that rounds up to the smallest normal is not tiny.
  if (E === emin - 1) {
    const q = roundBits(s, sig, 128 - prec);
    if (q >> BigInt(prec)) { ctx.flags |= PE; ctx.c1 = 1; return [1, q >> 1n]; }
  }
  if (E < emin) {
    if (!(ctx.masks & UE)) { ctx.flags |= UE; return null; }
    const k = emin - E;
    const q = roundBits(s, sig, 128 - prec + k);
    if (rInexact) { ctx.flags |= UE | PE; ctx.c1 = rUp ? 1 : 0; } else ctx.c1 = 0;
    return [q >> BigInt(prec - 1) ? 1 : 0, q];
  }
  let q = roundBits(s, sig, 128 - prec);
  if (q >> BigInt(prec)) { q >>= 1n; E++; }
  ctx.c1 = rUp ? 1 : 0;
  if (E > emax) {
    if (!(ctx.masks & OE)) { ctx.flags |= OE; ctx.c1 = 0; return null; }
    ctx.flags |= OE | PE;
    const o = overflowResult(s, prec, 2 * emax);
    if (o.e < 0) { ctx.c1 = 1; return [2 * emax + 1, 1n << BigInt(prec - 1)]; }
    ctx.c1 = 0;
    return [o.e, o.m];
  }
  if (rInexact) ctx.flags |= PE;
  return [E + bias, q];
}

// ---------------------------------------------------------------- NaN handling
function quiet(x: F80): F80 { return (x.m & QBIT) ? x : mk(x.s, x.e, x.m | QBIT); }

/** Result for operands of which at least one is a NaN or unsupported; null if IE unmasked. */
export function nanResult(a: F80, ca: number, b: F80 | null, cb: number): F80 | null {
  if (ca === C_UNSUP || cb === C_UNSUP) return raise(IE) ? null : INDEFINITE;
  if ((ca === C_SNAN || cb === C_SNAN) && raise(IE)) return null;
  const an = isNaNc(ca), bn = isNaNc(cb);
  let r: F80;
  if (an && bn && b) {
    if (ca === C_QNAN && cb === C_SNAN) r = a;
    else if (ca === C_SNAN && cb === C_QNAN) r = b;
    else {
      const ma = a.m | QBIT, mb = b.m | QBIT;
      r = ma > mb ? a : mb > ma ? b : (a.s === 0 ? a : b);
    }
  } else r = an ? a : (b as F80);
  return quiet(r);
}

function invalid(): F80 | null { return raise(IE) ? null : INDEFINITE; }

// ---------------------------------------------------------------- fast paths
// Normal operands whose result is normal, computed on 32-bit halves without BigInt. They return
// null (without touching ctx) when the general path must decide (results out of range, zero).

/** Round hi:lo (g: next 32 bits, sticky: anything below) to ctx.prec bits. */
function finish(s: number, e: number, hi: number, lo: number, g: number, sticky: boolean): F80 | null {
  if (e < 1 || e > 0x7ffe) return null;
  const prec = ctx.prec;
  // Split into the kept part and the discarded part: above/at half, inexact.
  let inexact: boolean, cmpHalf: number, odd: boolean;
  if (prec === 64) {
    inexact = g !== 0 || sticky;
    cmpHalf = g > 0x80000000 ? 1 : g < 0x80000000 ? -1 : sticky ? 1 : 0;
    odd = (lo & 1) === 1;
  } else if (prec === 53) {
    const r = lo & 0x7ff;
    inexact = r !== 0 || g !== 0 || sticky;
    cmpHalf = r > 0x400 ? 1 : r < 0x400 ? -1 : (g !== 0 || sticky) ? 1 : 0;
    odd = (lo & 0x800) !== 0;
    lo = (lo & ~0x7ff) >>> 0;
  } else {
    const r = hi & 0xff;
    inexact = r !== 0 || lo !== 0 || g !== 0 || sticky;
    cmpHalf = r > 0x80 ? 1 : r < 0x80 ? -1 : (lo !== 0 || g !== 0 || sticky) ? 1 : 0;
    odd = (hi & 0x100) !== 0;
    hi = (hi & ~0xff) >>> 0;
    lo = 0;
  }
  let up = false;
  if (inexact) {
    const rc = ctx.rc;
    if (rc === RC_NEAR) up = cmpHalf > 0 || (cmpHalf === 0 && odd);
    else if (rc === RC_DOWN) up = s === 1;
    else if (rc === RC_UP) up = s === 0;
    if (up) {
      if (prec === 24) hi += 0x100;
      else {
        lo += prec === 64 ? 1 : 0x800;
        if (lo > 0xffffffff) { lo -= 4294967296; hi += 1; }
      }
      if (hi > 0xffffffff) { hi = 0x80000000; if (++e > 0x7ffe) return null; }
    }
    ctx.flags |= PE;
  }
  ctx.c1 = up ? 1 : 0;
  return new F80(s, e, hi, lo);
}

function addFast(a: F80, b: F80, bs: number): F80 | null {
  let sa = a.s, ea = a.e, ah = a.hi, al = a.lo;
  let sb = bs, eb = b.e, bh = b.hi, bl = b.lo;
  if (ea < eb || (ea === eb && (ah < bh || (ah === bh && al < bl)))) {
    let t = sa; sa = sb; sb = t;
    t = ea; ea = eb; eb = t;
    t = ah; ah = bh; bh = t;
    t = al; al = bl; bl = t;
  }
  // Align b: (bh, bl, bg) plus sticky for bits shifted further out.
  const d = ea - eb;
  let bg = 0, sticky = false;
  if (d === 0) { /* aligned */ }
  else if (d < 32) { bg = (bl << (32 - d)) >>> 0; bl = ((bl >>> d) | (bh << (32 - d))) >>> 0; bh >>>= d; }
  else if (d < 64) {
    const k = d - 32;
    if (k === 0) bg = bl;
    else { bg = ((bl >>> k) | (bh << (32 - k))) >>> 0; sticky = (bl << (32 - k)) !== 0; }
    bl = bh >>> k; bh = 0;
  } else if (d < 96) {
    const k = d - 64;
    if (k === 0) { bg = bh; sticky = bl !== 0; }
    else { bg = bh >>> k; sticky = bl !== 0 || (bh << (32 - k)) !== 0; }
    bl = 0; bh = 0;
  } else { sticky = true; bl = 0; bh = 0; }
  let e = ea, hi: number, lo: number, g: number;
  if (sa === sb) {
    lo = al + bl;
    let c = 0;
    if (lo > 0xffffffff) { lo -= 4294967296; c = 1; }
    hi = ah + bh + c;
    g = bg;
    if (hi > 0xffffffff) {
      hi -= 4294967296;
      if (g & 1) sticky = true;
      g = ((g >>> 1) | ((lo & 1) << 31)) >>> 0;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = ((hi >>> 1) | 0x80000000) >>> 0;
      e++;
    }
    return finish(sa, e, hi, lo, g, sticky);
  }
  // |a| >= |b|: a - b, with the sticky bits borrowing one unit of g (they stay inexact).
  g = -bg - (sticky ? 1 : 0);
  let br = 0;
  if (g < 0) { g += 4294967296; br = 1; }
  lo = al - bl - br;
  br = 0;
  if (lo < 0) { lo += 4294967296; br = 1; }
  hi = ah - bh - br;
  if (hi === 0 && lo === 0 && g === 0 && !sticky) return null; // exact zero: sign rules in the general path
  if (hi < 0x80000000) {
    let k = hi ? Math.clz32(hi) : lo ? 32 + Math.clz32(lo) : 64 + Math.clz32(g);
    e -= k;
    while (k >= 32) { hi = lo; lo = g; g = 0; k -= 32; }
    if (k) {
      hi = ((hi << k) | (lo >>> (32 - k))) >>> 0;
      lo = ((lo << k) | (g >>> (32 - k))) >>> 0;
      g = (g << k) >>> 0;
    }
  }
  return finish(sa, e, hi, lo, g, sticky);
}

function mulFast(a: F80, b: F80): F80 | null {
  const a0 = a.lo & 0xffff, a1 = a.lo >>> 16, a2 = a.hi & 0xffff, a3 = a.hi >>> 16;
  const b0 = b.lo & 0xffff, b1 = b.lo >>> 16, b2 = b.hi & 0xffff, b3 = b.hi >>> 16;
  // 128-bit product in 16-bit limbs p0..p7 (column sums stay far below 2^53).
  let c = a0 * b0;
  const p0 = c & 0xffff; c = (c - p0) / 65536;
  c += a0 * b1 + a1 * b0;
  const p1 = c & 0xffff; c = (c - p1) / 65536;
  c += a0 * b2 + a1 * b1 + a2 * b0;
  const p2 = c & 0xffff; c = (c - p2) / 65536;
  c += a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  const p3 = c & 0xffff; c = (c - p3) / 65536;
  c += a1 * b3 + a2 * b2 + a3 * b1;
  const p4 = c & 0xffff; c = (c - p4) / 65536;
  c += a2 * b3 + a3 * b2;
  const p5 = c & 0xffff; c = (c - p5) / 65536;
  c += a3 * b3;
  const p6 = c & 0xffff; const p7 = (c - p6) / 65536;
  let hi = p7 * 65536 + p6, lo = p5 * 65536 + p4, g = p3 * 65536 + p2;
  let sticky = (p1 | p0) !== 0;
  let e = a.e + b.e - BIAS;
  if (hi >= 0x80000000) e++;
  else {
    hi = hi * 2 + (lo >>> 31);
    lo = ((lo << 1) | (g >>> 31)) >>> 0;
    g = ((g << 1) | (p1 >>> 15)) >>> 0;
    sticky = ((p1 & 0x7fff) | p0) !== 0;
  }
  return finish(a.s ^ b.s, e, hi, lo, g, sticky);
}

/**
 * ma * 2^67 / mb by long division in base 2^26 (Knuth's algorithm D; products stay below 2^53).
 * The divisor is pre-shifted by 14 bits so its top limb is normalized.
 */
function divFast(a: F80, b: F80): F80 | null {
  const B = 67108864, M = B - 1, IB = 1 / B; // multiplying by IB is exact
  const v0 = (b.lo & 0xfff) * 16384, v1 = (b.lo >>> 12) | ((b.hi & 0x3f) << 20), v2 = b.hi >>> 6;
  // Dividend ma << 81 in limbs u0..u6 (u0..u2 are zero).
  let u0 = 0, u1 = 0, u2 = 0;
  let u3 = (a.lo & 0x7fffff) * 8, u4 = (a.lo >>> 23) | ((a.hi & 0x1ffff) << 9), u5 = a.hi >>> 17, u6 = 0;
  let q0 = 0, q1 = 0, q2 = 0;
  for (let j = 3; j >= 0; j--) {
    // Window (w3 w2 w1 w0) = u[j+3] .. u[j].
    const w3 = j === 3 ? u6 : j === 2 ? u5 : j === 1 ? u4 : u3;
    const w2 = j === 3 ? u5 : j === 2 ? u4 : j === 1 ? u3 : u2;
    const w1 = j === 3 ? u4 : j === 2 ? u3 : j === 1 ? u2 : u1;
    const w0 = j === 3 ? u3 : j === 2 ? u2 : j === 1 ? u1 : u0;
    const num = w3 * B + w2;
    let qhat = Math.floor(num / v2);
    let rhat = num - qhat * v2;
    while (qhat >= B || qhat * v1 > rhat * B + w1) {
      qhat--; rhat += v2;
      if (rhat >= B) break;
    }
    // (w3 w2 w1 w0) -= qhat * (v2 v1 v0)
    let p = qhat * v0, c = Math.floor(p * IB), pl = p - c * B;
    let t0 = w0 - pl, br = 0;
    if (t0 < 0) { t0 += B; br = 1; }
    p = qhat * v1 + c; c = Math.floor(p * IB); pl = p - c * B;
    let t1 = w1 - pl - br; br = 0;
    if (t1 < 0) { t1 += B; br = 1; }
    p = qhat * v2 + c; c = Math.floor(p * IB); pl = p - c * B;
    let t2 = w2 - pl - br; br = 0;
    if (t2 < 0) { t2 += B; br = 1; }
    let t3 = w3 - c - br;
    if (t3 < 0) { // one too many: add the divisor back
      qhat--;
      t0 += v0; let k = t0 >= B ? 1 : 0; t0 &= M;
      t1 += v1 + k; k = t1 >= B ? 1 : 0; t1 &= M;
      t2 += v2 + k; k = t2 >= B ? 1 : 0; t2 &= M;
      t3 += k;
    }
    if (j === 3) { u6 = t3; u5 = t2; u4 = t1; u3 = t0; }
    else if (j === 2) { u5 = t3; u4 = t2; u3 = t1; u2 = t0; }
    else if (j === 1) { u4 = t3; u3 = t2; u2 = t1; u1 = t0; q1 = qhat; continue; }
    else { u3 = t3; u2 = t2; u1 = t1; u0 = t0; q0 = qhat; continue; }
    if (j === 2) q2 = qhat; // the j = 3 digit is always 0 (the quotient is below 2^68)
  }
  const sticky = (u0 | u1 | u2) !== 0;
  let hi: number, lo: number, g: number, e: number;
  if (q2 >= 0x8000) { // quotient in [2^67, 2^68)
    hi = ((q2 << 16) | (q1 >>> 10)) >>> 0;
    lo = (((q1 & 0x3ff) << 22) | (q0 >>> 4)) >>> 0;
    g = ((q0 & 0xf) << 28) >>> 0;
    e = a.e - b.e + BIAS;
  } else {
    hi = ((q2 << 17) | (q1 >>> 9)) >>> 0;
    lo = (((q1 & 0x1ff) << 23) | (q0 >>> 3)) >>> 0;
    g = ((q0 & 7) << 29) >>> 0;
    e = a.e - b.e + BIAS - 1;
  }
  return finish(a.s ^ b.s, e, hi, lo, g, sticky);
}

// ---------------------------------------------------------------- double-double results
const dv64 = new Float64Array(1), dv32 = new Uint32Array(dv64.buffer); // little-endian: [1] is the high word
const TWO32 = 4294967296;
/** Relative error bound the double-double paths guarantee (their kernels stay near 2^-100). */
const DD_ERR = 2 ** -88;
/** The double-double paths can be switched off to compare them with the exact ones (tests). */
export let ddPaths = true;
export function setDDPaths(on: boolean): void { ddPaths = on; }
/** Units of the 64-bit significand within which a rounding decision is ambiguous. */
export const DD_ERR_UNITS = DD_ERR * 2 ** 64;

/**
 * Round (h + l) * 2^ex, an approximation with relative error below 2^-88, to `prec` bits by ctx.rc
 * and ctx.prec rules (PE, C1). Returns null, with ctx untouched, when the error bound leaves the
 * rounding (or the exactness) undecided or the result is not a normal register value: the caller
 * then takes the exact path. A result that is not undecided is therefore the one the exact path
 * gives, and it is inexact.
 */
export function roundDD(h: number, l: number, ex: number, prec: number): F80 | null {
  let s = 0;
  if (h < 0) { s = 1; h = -h; l = -l; } else if (!(h > 0)) return null;
  dv64[0] = h;
  const w = dv32[1];
  let E = ((w >>> 20) & 0x7ff) - 1023;
  if (E < -1000 || E > 1000) return null;
  if ((w & 0xfffff) === 0 && dv32[0] === 0 && l < 0) E--; // 2^k minus something: one binade lower
  const sc = POW2D[63 - E + 1100];
  const H = h * sc, L = l * sc;
  let hh = Math.floor(H / TWO32), hl = H - hh * TWO32;
  const fl = Math.floor(L), f = L - fl;
  hl += fl;
  if (hl < 0) { hl += TWO32; hh--; } else if (hl >= TWO32) { hl -= TWO32; hh++; }
  // Value = hh:hl + f (+- DD_ERR_UNITS). Discarded bits below the kept `prec`: d (integer) + f.
  let d: number, unit: number;
  if (prec === 64) { d = 0; unit = 1; }
  else if (prec === 53) { d = hl & 0x7ff; unit = 2048; hl -= d; }
  else { d = (hh & 0xff) * TWO32 + hl; unit = 2 ** 40; hh -= hh & 0xff; hl = 0; }
  const half = unit / 2;
  // Too close to an integer (exactness, directed rounding, C1) or to a half (nearest): undecided.
  if ((d === 0 && f < DD_ERR_UNITS) || (d === unit - 1 && f > 1 - DD_ERR_UNITS)) return null;
  const rc = ctx.rc;
  let up: boolean;
  if (rc === RC_NEAR) {
    if (prec === 64) {
      if (Math.abs(f - 0.5) < DD_ERR_UNITS) return null;
      up = f > 0.5;
    } else {
      if ((d === half && f < DD_ERR_UNITS) || (d === half - 1 && f > 1 - DD_ERR_UNITS)) return null;
      up = d >= half;
    }
  } else up = rc === RC_DOWN ? s === 1 : rc === RC_UP ? s === 0 : false;
  if (up) {
    if (prec === 24) hh += 256;
    else { hl += unit; if (hl >= TWO32) { hl -= TWO32; hh++; } }
    if (hh >= TWO32) { hh = 0x80000000; E++; }
  }
  const be = E + ex + BIAS;
  if (be < 1 || be > 0x7ffe) return null;
  ctx.flags |= PE;
  ctx.c1 = up ? 1 : 0;
  return new F80(s, be, hh, hl);
}

// ---------------------------------------------------------------- arithmetic
/** Set by operand conversions from memory when the source was a denormal (the x87 raises DE). */
export let memDenormal = false;
/**
 * a * b of normal operands: the four partial products of the 53 + 11-bit halves, each exact
 * (twoProd), summed in double-double (relative error near 2^-104); roundDD rounds it or declines
 * (exact products, roundings too close to call), and the 16-bit-limb product decides then.
 */
function mulDD(a: F80, b: F80): F80 | null {
  const al = a.lo & 0x7ff, bl = b.lo & 0x7ff;
  const Ah = a.hi * TWO32 + (a.lo - al), Bh = b.hi * TWO32 + (b.lo - bl);
  const p = twoProd(Ah, Bh), pe = DDO[0];
  const q = twoProd(Ah, bl), qe = DDO[0];
  const r = twoProd(al, Bh), re = DDO[0];
  // pe is below ulp(p) and q, r below 2^-52 p: their sum's rounding errors stay near 2^-104 p.
  const t = pe + (q + r) + ((qe + re) + al * bl);
  const h = p + t, l = t - (h - p);
  // The significands are scaled by 2^63 each: the product by 2^126.
  return roundDD(a.s ^ b.s ? -h : h, a.s ^ b.s ? -l : l, a.e + b.e - 2 * BIAS - 126, ctx.prec);
}

/**
 * a / b of normal operands: q0 = the double quotient of the top 53 bits, then one correction from
 * the remainder a - q0 * b computed exactly (twoProd), relative error near 2^-100; roundDD rounds it
 * or declines (exact quotients, roundings too close to call), and long division decides then.
 */
function divDD(a: F80, b: F80): F80 | null {
  const al = a.lo & 0x7ff, bl = b.lo & 0x7ff;
  const Ah = a.hi * TWO32 + (a.lo - al), Bh = b.hi * TWO32 + (b.lo - bl);
  const q0 = Ah / Bh;
  const p = twoProd(q0, Bh), pe = DDO[0];
  const p2 = twoProd(q0, bl), p2e = DDO[0];
  const r = ((Ah - p) - pe) + ((al - p2) - p2e); // Ah - p is exact (Sterbenz)
  const q1 = r / Bh;
  const h = q0 + q1, l = q1 - (h - q0);
  return a.s ^ b.s ? roundDD(-h, -l, a.e - b.e, ctx.prec) : roundDD(h, l, a.e - b.e, ctx.prec);
}

export function setMemDenormal(v: boolean) { memDenormal = v; }

function denCheck(ca: number, cb: number): boolean {
  if (ca === C_DEN || cb === C_DEN || memDenormal) return raise(DE);
  return false;
}

/** a + b (b negated when sub), rounded to ctx.prec. null: unmasked exception, destination unchanged. */
export function add(a: F80, b: F80, sub: boolean): F80 | null {
  const ca = cls(a), cb = cls(b);
  const bs = b.s ^ (sub ? 1 : 0);
  if (ca === C_NORM && cb === C_NORM && !memDenormal) {
    const r = addFast(a, b, bs);
    if (r) return r;
  }
  ctx.c1 = 0;
  if (ca >= C_QNAN || cb >= C_QNAN) return nanResult(a, ca, b, cb);
  if (ca === C_INF || cb === C_INF) {
    if (ca === C_INF && cb === C_INF) return a.s === bs ? a : invalid();
    if (denCheck(ca, cb)) return null;
    return ca === C_INF ? a : inf(bs);
  }
  if (denCheck(ca, cb)) return null;
  if (ca === C_ZERO || cb === C_ZERO) {
    if (ca === C_ZERO && cb === C_ZERO) {
      return zero(a.s === bs ? a.s : (ctx.rc === RC_DOWN ? 1 : 0));
    }
    const x = ca === C_ZERO ? mk(bs, b.e, b.m) : a;
    // A lone denormal/normal operand still goes through rounding (precision control).
    const mx = unpack(x);
    return roundExt(x.s, uE, mx << 64n, ctx.prec);
  }
  let ma = unpack(a), Ea = uE;
  let mb = unpack(b), Eb = uE;
  let sa = a.s, sb = bs;
  if (Ea < Eb || (Ea === Eb && ma < mb)) {
    let t = ma; ma = mb; mb = t;
    let te = Ea; Ea = Eb; Eb = te;
    let ts = sa; sa = sb; sb = ts;
  }
  const d = Ea - Eb;
  let A = ma << 64n, B: bigint;
  if (d === 0) B = mb << 64n;
  else if (d < 128) {
    const full = mb << 64n;
    B = full >> BigInt(d);
    if ((B << BigInt(d)) !== full) B |= 1n;
  } else B = 1n;
  let E = Ea;
  let S: bigint;
  if (sa === sb) {
    S = A + B;
    if (S >> 128n) { S = (S >> 1n) | (S & 1n); E++; }
  } else {
    S = A - B;
    if (S === 0n) return zero(ctx.rc === RC_DOWN ? 1 : 0);
    if (S < (1n << 127n)) {
      const z = 128 - bitLen(S);
      S <<= BigInt(z); E -= z;
    }
  }
  return roundExt(sa, E, S, ctx.prec);
}

export function mul(a: F80, b: F80): F80 | null {
  const ca = cls(a), cb = cls(b);
  if (ca === C_NORM && cb === C_NORM && !memDenormal) {
    const r = (ddPaths ? mulDD(a, b) : null) ?? mulFast(a, b);
    if (r) return r;
  }
  ctx.c1 = 0;
  if (ca >= C_QNAN || cb >= C_QNAN) return nanResult(a, ca, b, cb);
  const s = a.s ^ b.s;
  if (ca === C_INF || cb === C_INF) {
    if (ca === C_ZERO || cb === C_ZERO) return invalid();
    if (denCheck(ca, cb)) return null;
    return inf(s);
  }
  if (denCheck(ca, cb)) return null;
  if (ca === C_ZERO || cb === C_ZERO) return zero(s);
  const ma = unpack(a), Ea = uE;
  const mb = unpack(b), Eb = uE;
  let P = ma * mb;
  let E = Ea + Eb;
  if (P >> 127n) E++; else P <<= 1n;
  return roundExt(s, E, P, ctx.prec);
}

export function div(a: F80, b: F80): F80 | null {
  const ca = cls(a), cb = cls(b);
  if (ca === C_NORM && cb === C_NORM && !memDenormal) {
    const r = (ddPaths ? divDD(a, b) : null) ?? divFast(a, b);
    if (r) return r;
  }
  ctx.c1 = 0;
  if (ca >= C_QNAN || cb >= C_QNAN) return nanResult(a, ca, b, cb);
  const s = a.s ^ b.s;
  if (ca === C_INF) {
    if (cb === C_INF) return invalid();
    if (denCheck(ca, cb)) return null;
    return inf(s);
  }
  if (cb === C_INF) { if (denCheck(ca, cb)) return null; return zero(s); }
  if (ca === C_ZERO && cb === C_ZERO) return invalid();
  // Division by zero is reported without DE even for a denormal dividend.
  if (cb === C_ZERO) return raise(ZE) ? null : inf(s);
  if (denCheck(ca, cb)) return null;
  if (ca === C_ZERO) return zero(s);
  const ma = unpack(a), Ea = uE;
  const mb = unpack(b), Eb = uE;
  const N = ma << 128n;
  let Q = N / mb;
  if (Q * mb !== N) Q |= 1n;
  let E = Ea - Eb;
  if (Q >> 128n) { Q = (Q >> 1n) | (Q & 1n); } else E--;
  return roundExt(s, E, Q, ctx.prec);
}

/** floor(sqrt(n)) for n > 0. */
export function isqrt(n: bigint): bigint {
  const bl = bitLen(n);
  // Start just above the root from a double estimate of the top ~104 bits (about 51 correct
  // bits); Newton's iteration then descends monotonically onto floor(sqrt(n)).
  const sh = Math.max(0, bl - 104) & ~1;
  let x = (BigInt(Math.floor(Math.sqrt(Number(n >> BigInt(sh))))) + 2n) << BigInt(sh / 2);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return x;
}

/** Square root of a normal operand: one Newton step in double-double from the double root; exact
 * squares and roundings too close to call go to the exact path. */
function sqrtFast(a: F80): F80 | null {
  const E = a.e - BIAS;
  const odd = E & 1;
  const sc = POW2D[(odd ? -62 : -63) + 1100]; // m = significand * sc in [1, 4), E - odd even
  const l11 = a.lo & 0x7ff;
  const mh = (a.hi * TWO32 + (a.lo - l11)) * sc, ml = l11 * sc;
  const r0 = Math.sqrt(mh);
  const p = twoProd(r0, r0), pe = DDO[0];
  const r1 = ((mh - p) + (ml - pe)) / (2 * r0); // mh - p is exact (Sterbenz)
  const h = r0 + r1;
  return roundDD(h, r1 - (h - r0), (E - odd) / 2, ctx.prec);
}

export function sqrt(a: F80): F80 | null {
  const ca = cls(a);
  if (ca === C_NORM && a.s === 0 && ddPaths) {
    const r = sqrtFast(a);
    if (r) return r;
  }
  ctx.c1 = 0;
  if (ca >= C_QNAN) return nanResult(a, ca, null, C_ZERO);
  if (ca === C_ZERO) return a;
  if (a.s) return invalid();
  if (ca === C_INF) return a;
  if (denCheck(ca, C_ZERO)) return null;
  const m = unpack(a);
  // value = m * 2^(uE-63) = N * 2^e2 with e2 even; the root has 65-66 bits: a round bit beyond the
  // 64 kept, and the sticky bit tells whether the root was exact.
  let N = m << 66n;
  let e2 = uE - 63 - 66;
  if (e2 & 1) { N <<= 1n; e2 -= 1; }
  const R = isqrt(N);
  const bl = bitLen(R);
  let sig = R << BigInt(128 - bl);
  if (R * R !== N) sig |= 1n;
  return roundExt(0, e2 / 2 + bl - 1, sig, ctx.prec);
}

// ---------------------------------------------------------------- comparisons
/** Compare: returns -1, 0, 1, or 2 (unordered). Raises IE per `quietNaNsInvalid`, DE for denormals. */
export function compare(a: F80, b: F80, quietNaNsInvalid: boolean): number {
  const ca = cls(a), cb = cls(b);
  if (ca >= C_QNAN || cb >= C_QNAN) {
    if (ca === C_UNSUP || cb === C_UNSUP || ca === C_SNAN || cb === C_SNAN || quietNaNsInvalid) raise(IE);
    return 2;
  }
  if (ca === C_DEN || cb === C_DEN || memDenormal) raise(DE);
  return cmpMag(a, ca, b, cb);
}

function cmpMag(a: F80, ca: number, b: F80, cb: number): number {
  if (ca === C_ZERO && cb === C_ZERO) return 0;
  if (ca === C_ZERO) return b.s ? 1 : -1;
  if (cb === C_ZERO) return a.s ? -1 : 1;
  if (a.s !== b.s) return a.s ? -1 : 1;
  let r: number;
  if (ca === C_INF || cb === C_INF) r = ca === cb ? 0 : ca === C_INF ? 1 : -1;
  else if (ca === C_NORM && cb === C_NORM) {
    r = a.e !== b.e ? (a.e > b.e ? 1 : -1) : a.hi !== b.hi ? (a.hi > b.hi ? 1 : -1) : a.lo === b.lo ? 0 : a.lo > b.lo ? 1 : -1;
  } else {
    const ma = unpack(a), Ea = uE;
    const mb = unpack(b), Eb = uE;
    r = Ea !== Eb ? (Ea > Eb ? 1 : -1) : ma === mb ? 0 : ma > mb ? 1 : -1;
  }
  return a.s ? -r : r;
}

// ---------------------------------------------------------------- conversions
export function fromF32(bits: number): F80 {
  const s = bits >>> 31, e = (bits >>> 23) & 0xff, f = bits & 0x7fffff;
  memDenormal = false;
  if (e === 0) {
    if (f === 0) return zero(s);
    memDenormal = true;
    const p = 31 - Math.clz32(f);
    return mk(s, p - 149 + BIAS, BigInt(f) << BigInt(63 - p));
  }
  if (e === 255) return mk(s, 0x7fff, BIT63 | (BigInt(f) << 40n));
  return new F80(s, e - 127 + BIAS, (0x80000000 | (f << 8)) >>> 0, 0);
}

export function fromF64(lo: number, hi: number): F80 {
  const s = hi >>> 31, e = (hi >>> 20) & 0x7ff;
  if (e !== 0 && e !== 0x7ff) {
    memDenormal = false;
    return new F80(s, e - 1023 + BIAS, (0x80000000 | ((hi & 0xfffff) << 11) | (lo >>> 21)) >>> 0, (lo << 11) >>> 0);
  }
  const f = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
  memDenormal = false;
  if (e === 0) {
    if (f === 0n) return zero(s);
    memDenormal = true;
    const z = clz64(f); // f < 2^52, z >= 12
    return mk(s, (63 - z) - 1074 + BIAS, f << BigInt(z));
  }
  if (e === 0x7ff) return mk(s, 0x7fff, BIT63 | (f << 11n));
  return mk(s, e - 1023 + BIAS, BIT63 | (f << 11n));
}

/** An int16/int32 value (exact). */
export function fromInt32(v: number): F80 {
  memDenormal = false;
  if (v === 0) return ZERO;
  const mag = v < 0 ? -v : v;          // up to 2^31, exact
  const z = Math.clz32(mag);
  return new F80(v < 0 ? 1 : 0, 31 - z + BIAS, (mag * 2 ** z) >>> 0, 0);
}

/** An int64 value given as its two 32-bit halves (exact, no BigInt). */
export function fromInt64(lo: number, hi: number): F80 {
  memDenormal = false;
  lo >>>= 0; hi >>>= 0;
  let s = 0;
  if (hi >= 0x80000000) { s = 1; hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0; lo = (-lo) >>> 0; }
  if (hi === 0) {
    if (lo === 0) return ZERO;
    const z = Math.clz32(lo);
    return new F80(s, 31 - z + BIAS, (lo << z) >>> 0, 0);
  }
  const z = Math.clz32(hi);
  if (z === 0) return new F80(s, 63 + BIAS, hi, lo);
  return new F80(s, 63 - z + BIAS, ((hi << z) | (lo >>> (32 - z))) >>> 0, (lo << z) >>> 0);
}

export function fromInt(v: bigint): F80 {
  memDenormal = false;
  if (v === 0n) return ZERO;
  const s = v < 0n ? 1 : 0;
  const m = s ? -v : v;
  const z = clz64(m);
  return mk(s, 63 - z + BIAS, m << BigInt(z));
}

/** Quiet a NaN being loaded from m32/m64 (IE if it was signaling); null if IE unmasked. */
export function loadQuiet(x: F80): F80 | null {
  const c = cls(x);
  if (c === C_SNAN) { if (raise(IE)) return null; return quiet(x); }
  if (memDenormal) raise(DE); // the value is loaded even when DE is unmasked
  return x;
}

/** Rounding decision for discarded bits: cmpHalf (-1, 0, 1 against one half), odd kept LSB. */
function roundUp(s: number, cmpHalf: number, odd: boolean): boolean {
  const rc = ctx.rc;
  if (rc === RC_NEAR) return cmpHalf > 0 || (cmpHalf === 0 && odd);
  return rc === RC_DOWN ? s === 1 : rc === RC_UP ? s === 0 : false;
}

/** Store to m32: returns the bits, or null when an unmasked exception forbids the store. */
export function toF32(x: F80): number | null {
  const c = cls(x);
  ctx.c1 = 0;
  if (c === C_NORM && x.e >= BIAS - 126 && x.e <= BIAS + 127) {
    // Normal in the single range: keep 24 bits of hi, round on the rest.
    let E = x.e - BIAS + 127;
    let f = (x.hi >>> 8) & 0x7fffff;
    const r = x.hi & 0xff, lo = x.lo;
    if (r !== 0 || lo !== 0) {
      const up = roundUp(x.s, r > 0x80 ? 1 : r < 0x80 ? -1 : lo !== 0 ? 1 : 0, (f & 1) === 1);
      if (up && ++f > 0x7fffff) { f = 0; if (++E > 254) return toF32Slow(x); }
      ctx.flags |= PE;
      ctx.c1 = up ? 1 : 0;
    }
    return ((x.s << 31) | (E << 23) | f) >>> 0;
  }
  return toF32Slow(x);
}

function toF32Slow(x: F80): number | null {
  const c = cls(x);
  ctx.c1 = 0;
  if (c === C_ZERO) return x.s ? 0x80000000 : 0;
  if (c === C_INF) return x.s ? 0xff800000 : 0x7f800000;
  if (c === C_UNSUP) return raise(IE) ? null : 0xffc00000;
  if (c === C_QNAN || c === C_SNAN) {
    if (c === C_SNAN && raise(IE)) return null;
    return ((x.s << 31) | 0x7fc00000 | Number((x.m >> 40n) & 0x3fffffn)) >>> 0;
  }
  const m = unpack(x);
  const r = roundMem(x.s, uE, m << 64n, 24, -126, 127);
  if (!r) return null;
  return ((x.s << 31) | (r[0] << 23) | Number(r[1] & 0x7fffffn)) >>> 0;
}

/** Store to m64: [lo, hi] or null. */
export function toF64(x: F80): [number, number] | null {
  const c = cls(x);
  ctx.c1 = 0;
  if (c === C_NORM && x.e >= BIAS - 1022 && x.e <= BIAS + 1023) {
    // Normal in the double range: keep 53 bits, round on the low 11 bits of lo.
    let E = x.e - BIAS + 1023;
    const hi = x.hi, lo = x.lo;
    let fh = (hi & 0x7fffffff) >>> 11;
    let fl = (((hi & 0x7ff) << 21) | (lo >>> 11)) >>> 0;
    const r = lo & 0x7ff;
    if (r !== 0) {
      const up = roundUp(x.s, r > 0x400 ? 1 : r < 0x400 ? -1 : 0, (fl & 1) === 1);
      if (up && ++fl > 0xffffffff) {
        fl = 0;
        if (++fh > 0xfffff) { fh = 0; if (++E > 2046) return toF64Slow(x); }
      }
      ctx.flags |= PE;
      ctx.c1 = up ? 1 : 0;
    }
    return [fl, ((x.s << 31) | (E << 20) | fh) >>> 0];
  }
  return toF64Slow(x);
}

function toF64Slow(x: F80): [number, number] | null {
  const c = cls(x);
  ctx.c1 = 0;
  const sh = x.s << 31;
  if (c === C_ZERO) return [0, sh >>> 0];
  if (c === C_INF) return [0, (sh | 0x7ff00000) >>> 0];
  if (c === C_UNSUP) return raise(IE) ? null : [0, 0xfff80000];
  if (c === C_QNAN || c === C_SNAN) {
    if (c === C_SNAN && raise(IE)) return null;
    const f = (x.m >> 11n) & 0xfffffffffffffn;
    return [Number(f & 0xffffffffn), (sh | 0x7ff80000 | Number(f >> 32n)) >>> 0];
  }
  const m = unpack(x);
  const r = roundMem(x.s, uE, m << 64n, 53, -1022, 1023);
  if (!r) return null;
  const f = r[1] & 0xfffffffffffffn;
  return [Number(f & 0xffffffffn), (sh | (r[0] << 20) | Number(f >> 32n)) >>> 0];
}

/** Round to an integer value by ctx.rc (frndint, fist): returns the integer magnitude and sets flags. */
function roundToInt(x: F80): bigint {
  const m = unpack(x);
  const E = uE; // value = m * 2^(E-63)
  if (E >= 63) { rInexact = false; rUp = false; return m << BigInt(E - 63); }
  return roundBits(x.s, m, 63 - E);
}

/** fist/fistp to 16/32 bits for a normal |x| < 2^31 that fits: the integer, else undefined. */
export function toIntSmall(x: F80, bits: number): number | undefined {
  if (cls(x) !== C_NORM || x.e > BIAS + 30) return undefined;
  const E = x.e - BIAS, hi = x.hi, lo = x.lo;
  let ip: number, cmpHalf: number;
  if (E < 0) { // |x| < 1
    ip = 0;
    cmpHalf = E < -1 ? -1 : (hi === 0x80000000 && lo === 0) ? 0 : 1;
  } else {
    const sh = 31 - E;                 // fraction bits left in hi
    ip = hi >>> sh;
    const frac = sh === 0 ? 0 : (hi & ((1 << sh) - 1)) >>> 0, half = sh === 0 ? 0 : 2 ** (sh - 1);
    if (frac === 0 && lo === 0) {
      const v = x.s ? -ip : ip;
      return v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1) ? v : undefined;
    }
    cmpHalf = sh === 0 ? -1 : frac > half ? 1 : frac < half ? -1 : lo !== 0 ? 1 : 0;
  }
  const up = roundUp(x.s, cmpHalf, (ip & 1) === 1);
  const mag = ip + (up ? 1 : 0);
  const v = x.s ? -mag : mag;
  if (v < -(2 ** (bits - 1)) || v >= 2 ** (bits - 1)) return undefined;
  ctx.flags |= PE;
  ctx.c1 = up ? 1 : 0;
  return v;
}

/** fist/fistp: integer of `bits` width, or null (unmasked IE). Indefinite when out of range. */
export function toInt(x: F80, bits: number): bigint | null {
  const c = cls(x);
  ctx.c1 = 0;
  const indef = -(1n << BigInt(bits - 1));
  if (c === C_ZERO) return 0n;
  if (c !== C_NORM && c !== C_DEN) return raise(IE) ? null : indef;
  const E = (x.e === 0 ? 1 : x.e) - BIAS;
  if (E > bits + 1) return raise(IE) ? null : indef;
  const q = roundToInt(x);
  const v = x.s ? -q : q;
  if (v < indef || v > -indef - 1n) return raise(IE) ? null : indef;
  if (rInexact) { ctx.flags |= PE; ctx.c1 = rUp ? 1 : 0; }
  return v;
}

export function rndint(x: F80): F80 | null {
  const c = cls(x);
  ctx.c1 = 0;
  if (c >= C_QNAN) return nanResult(x, c, null, C_ZERO);
  if (c === C_ZERO || c === C_INF) return x;
  if (c === C_DEN && raise(DE)) return null;
  if (x.e >= BIAS + 63) return x;
  const q = roundToInt(x);
  if (rInexact) { ctx.flags |= PE; ctx.c1 = rUp ? 1 : 0; }
  if (q === 0n) return zero(x.s);
  const r = fromInt(q);
  return mk(x.s, r.e, r.m);
}

// ---------------------------------------------------------------- BCD
export function fromBCD(b: Uint8Array): F80 {
  let v = 0n;
  for (let i = 8; i >= 0; i--) {
    const d = b[i];
    v = v * 100n + BigInt((d >> 4) * 10 + (d & 15));
  }
  const r = fromInt(v);
  return (b[9] & 0x80) ? mk(1, r.e, r.m) : r;
}

/** fbstp: 10 bytes, or null (unmasked IE). */
export function toBCD(x: F80): Uint8Array | null {
  const c = cls(x);
  ctx.c1 = 0;
  const out = new Uint8Array(10);
  const indef = () => { out[7] = 0xc0; out[8] = 0xff; out[9] = 0xff; return out; };
  if (c === C_ZERO) { out[9] = x.s ? 0x80 : 0; return out; }
  if (c !== C_NORM && c !== C_DEN) return raise(IE) ? null : indef();
  const E = (x.e === 0 ? 1 : x.e) - BIAS;
  if (E > 64) return raise(IE) ? null : indef();
  let q = roundToInt(x);
  if (q >= 1000000000000000000n) return raise(IE) ? null : indef();
  if (rInexact) { ctx.flags |= PE; ctx.c1 = rUp ? 1 : 0; }
  for (let i = 0; i < 9; i++) {
    const lo = Number(q % 10n); q /= 10n;
    const hi = Number(q % 10n); q /= 10n;
    out[i] = (hi << 4) | lo;
  }
  out[9] = x.s ? 0x80 : 0;
  return out;
}

// ---------------------------------------------------------------- m80 images
export function fromBytes80(b: Uint8Array, off: number): F80 {
  const lo = (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
  const hi = (b[off + 4] | (b[off + 5] << 8) | (b[off + 6] << 16) | (b[off + 7] << 24)) >>> 0;
  const se = b[off + 8] | (b[off + 9] << 8);
  return new F80(se >> 15, se & 0x7fff, hi, lo);
}

export function toBytes80(x: F80, b: Uint8Array, off: number): void {
  const lo = x.lo, hi = x.hi;
  for (let i = 0; i < 4; i++) { b[off + i] = (lo >>> (8 * i)) & 0xff; b[off + 4 + i] = (hi >>> (8 * i)) & 0xff; }
  const se = (x.s << 15) | x.e;
  b[off + 8] = se & 0xff;
  b[off + 9] = se >> 8;
}

// ---------------------------------------------------------------- fprem / fscale / fxtract
export interface PremResult { r: F80; q: number; partial: boolean }

/** fprem (nearest=false) / fprem1 (nearest=true). null result: special handled by caller. */
export function prem(a: F80, b: F80, nearest: boolean): PremResult | F80 | null {
  const ca = cls(a), cb = cls(b);
  ctx.c1 = 0;
  if (ca >= C_QNAN || cb >= C_QNAN) return nanResult(a, ca, b, cb);
  if (ca === C_INF || cb === C_ZERO) return invalid();
  if (denCheck(ca, cb)) return null;
  if (ca === C_ZERO || cb === C_INF) return { r: canonical(a), q: 0, partial: false };
  const ma = unpack(a), Ea = uE;
  const mb = unpack(b), Eb = uE;
  const D = Ea - Eb;
  if (D < 0) {
    if (!nearest || D < -1) return { r: canonical(a), q: 0, partial: false };
  }
  if (D >= 64) {
    const N = 32 + ((D - 32) % 32);   // reduce the exponent difference into [32, 63]
    // Q = trunc(a / (b * 2^(D-N))); r = a - b * Q * 2^(D-N), exact
    const A = ma << BigInt(N);          // a = ma*2^(Ea-63); b*2^sh = mb*2^(Eb+sh-63) = mb*2^(Ea-N-63)
    const Q = A / mb;
    const R = A - Q * mb;               // remainder in units of 2^(Ea-N-63)
    return { r: packExact(a.s, Ea - N - 63, R), q: 0, partial: true };
  }
  // Exact remainder: a = ma*2^(Ea-63), b = mb*2^(Eb-63); work in units of 2^(Eb-63-1).
  const shift = D + 1;
  const A = ma << BigInt(shift < 0 ? 0 : shift);
  const Bv = mb << 1n;
  let Q: bigint, R: bigint;
  if (shift < 0) { Q = 0n; R = ma; /* D = -2 is excluded above; D = -1 -> shift 0 */ }
  else { Q = A / Bv; R = A - Q * Bv; }
  let s = a.s;
  if (nearest) {
    const twice = R << 1n;
    if (twice > Bv || (twice === Bv && (Q & 1n))) { Q += 1n; R = Bv - R; s ^= 1; }
  }
  const r = R === 0n ? zero(a.s) : packExact(s, Eb - 64, R);
  return { r, q: Number(Q & 7n), partial: false };
}

/** An operand passed through as the result is renormalized like any result: a pseudo-denormal
 * gets exponent field 1, and a denormal is delivered bias-adjusted when UE is unmasked. */
function canonical(a: F80): F80 {
  if (a.e !== 0 || (a.hi | a.lo) === 0) return a;
  const m = unpack(a);
  const r = roundExt(a.s, uE, m << 64n, 64);
  ctx.c1 = 0;
  return r;
}

/** R * 2^scale exactly (R < 2^128), denormalizing if needed (exact by construction except tiny). */
function packExact(s: number, scale: number, R: bigint): F80 {
  if (R === 0n) return zero(s);
  const bl = bitLen(R);
  const E = scale + bl - 1;
  const sig = R << BigInt(128 - bl);
  const save = ctx.prec; // fprem results are exact at 64 bits
  const r = roundExt(s, E, sig, 64);
  ctx.prec = save;
  ctx.c1 = 0;
  return r;
}

export function scale(a: F80, b: F80): F80 | null {
  const ca = cls(a), cb = cls(b);
  ctx.c1 = 0;
  if (ca >= C_QNAN || cb >= C_QNAN) return nanResult(a, ca, b, cb);
  if (cb === C_INF) {
    if (b.s) { if (ca === C_INF) return invalid(); if (denCheck(ca, cb)) return null; return zero(a.s); }
    if (ca === C_ZERO) return invalid();
    if (denCheck(ca, cb)) return null;
    return inf(a.s);
  }
  if (denCheck(ca, cb)) return null;
  if (ca === C_ZERO || ca === C_INF) return a;
  let n: number;
  if (cb === C_ZERO) n = 0;
  else {
    const E = (b.e === 0 ? 1 : b.e) - BIAS;
    if (E < 0) n = 0;
    else if (E > 30) n = b.s ? -0x40000000 : 0x40000000;
    else { n = Number(unpack(b) >> BigInt(63 - E)); if (b.s) n = -n; }
  }
  const m = unpack(a);
  return roundExt(a.s, uE + n, m << 64n, 64);
}

/** fxtract: [exponent, significand] or null. */
export function xtract(a: F80): [F80, F80] | null {
  const ca = cls(a);
  ctx.c1 = 0;
  if (ca >= C_QNAN) { const r = nanResult(a, ca, null, C_ZERO); return r ? [r, r] : null; }
  if (ca === C_ZERO) { if (raise(ZE)) return null; return [inf(1), a]; }
  if (ca === C_INF) return [INF, a];
  if (ca === C_DEN && raise(DE)) return null;
  const m = unpack(a);
  const e = fromInt(BigInt(uE));
  return [e, mk(a.s, BIAS, m)];
}

/** Exact unpacked view for other modules (transcendentals): value = m * 2^(E-63). */
export function unpackExact(x: F80): { m: bigint; E: number } {
  const m = unpack(x);
  return { m, E: uE };
}
