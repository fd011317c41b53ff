// x87 transcendental instructions and constants, computed far beyond 64 bits (a 128-bit software
// float, and 160-bit fixed point for the series) and rounded once to 64 bits by the rounding control. fsin/fcos/fsincos/fptan reduce
// their argument with the same 66-bit pi the x87 uses, so large arguments agree with it.
import {
  F80, ctx, IE, ZE, DE, PE, C_ZERO, C_DEN, C_INF, C_QNAN, C_UNSUP, INDEFINITE, ONE, cls, nanResult,
  roundExt, raise, unpackExact, mk, bitLen, isqrt, inf, zero, neg,
} from './float80.js';

const P = 128;
interface BF { s: number; m: bigint; e: number } // (-1)^s * m * 2^e, m has P bits (or 0)

function norm(s: number, m: bigint, e: number): BF {
  if (m === 0n) return { s, m, e: 0 };
  const bl = bitLen(m);
  if (bl > P) { m >>= BigInt(bl - P); e += bl - P; }
  else if (bl < P) { m <<= BigInt(P - bl); e -= P - bl; }
  return { s, m, e };
}
const bmul = (a: BF, b: BF): BF => norm(a.s ^ b.s, a.m * b.m, a.e + b.e);
const bdiv = (a: BF, b: BF): BF => norm(a.s ^ b.s, (a.m << BigInt(P + 2)) / b.m, a.e - b.e - P - 2);
// Results are always fresh objects: callers set the sign of what they get back.
function badd(a: BF, b: BF): BF {
  if (a.m === 0n) return { ...b };
  if (b.m === 0n) return { ...a };
  if (a.e < b.e) { const t = a; a = b; b = t; }
  const d = a.e - b.e;
  if (d > 2 * P) return { ...a };
  const am = a.m << BigInt(d);
  const m = a.s === b.s ? am + b.m : am - b.m;
  if (m < 0n) return norm(a.s ^ 1, -m, b.e);
  return norm(a.s, m, b.e);
}
/** a / n for a small positive integer n. */
const bdivn = (a: BF, n: number): BF => norm(a.s, (a.m << 32n) / BigInt(n), a.e - 32);
const bsub = (a: BF, b: BF): BF => badd(a, { s: b.s ^ 1, m: b.m, e: b.e });
const bint = (n: number | bigint): BF => { const v = BigInt(n); return norm(v < 0n ? 1 : 0, v < 0n ? -v : v, 0); };
const bscale = (a: BF, k: number): BF => ({ s: a.s, m: a.m, e: a.e + k });
function bsqrt(a: BF): BF {
  let m = a.m, e = a.e;
  let sh = P + 2;
  if ((e - sh) & 1) sh++;
  const r = isqrt(m << BigInt(sh));
  return norm(0, r, (e - sh) / 2);
}
/** Exponent of the leading bit. */
const bexp = (a: BF) => a.e + P - 1;

function fromF80(x: F80): BF {
  const u = unpackExact(x);
  return norm(x.s, u.m, u.E - 63);
}
/** Round to an 80-bit register value by ctx.rc at 64-bit precision. */
function toF80(a: BF): F80 {
  if (a.m === 0n) return zero(a.s);
  // Results are never exact (except handled special cases): keep a sticky bit.
  const sig = (a.m >> BigInt(P - 128)) | 1n;
  return roundExt(a.s, bexp(a), sig, 64);
}

// ---------------------------------------------------------------- series
function atanhSeries(u: BF): BF {  // u + u^3/3 + u^5/5 ...
  const u2 = bmul(u, u);
  let pow = u, sum = u;
  for (let n = 3; ; n += 2) {
    pow = bmul(pow, u2);
    const t = bdivn(pow, n);
    if (t.m === 0n || bexp(t) < bexp(sum) - P - 4) break;
    sum = badd(sum, t);
  }
  return sum;
}
function atanSeries(u: BF): BF {   // u - u^3/3 + u^5/5 ...
  const u2 = bmul(u, u);
  let pow = u, sum = u;
  for (let n = 3, sg = 1; ; n += 2, sg ^= 1) {
    pow = bmul(pow, u2);
    const t = bdivn(pow, n);
    if (t.m === 0n || bexp(t) < bexp(sum) - P - 4) break;
    sum = badd(sum, { s: t.s ^ sg, m: t.m, e: t.e });
  }
  return sum;
}
function expm1Series(z: BF): BF {  // z + z^2/2! + ...
  let term = z, sum = z;
  for (let n = 2; ; n++) {
    term = bdivn(bmul(term, z), n);
    if (term.m === 0n || bexp(term) < bexp(sum) - P - 4) break;
    sum = badd(sum, term);
  }
  return sum;
}
/** sin(r) (which = 0) or cos(r) (which = 1) by its Taylor series. */
function sinCosSeries(r: BF, which: number): BF {
  const r2 = bmul(r, r);
  let t = which ? bint(1) : r;
  let sum = t;
  for (let n = 1; n < 200; n++) {
    t = bdivn(bmul(t, r2), which ? (2 * n - 1) * (2 * n) : (2 * n) * (2 * n + 1));
    if (t.m === 0n) break;
    sum = badd(sum, { s: t.s ^ (n & 1), m: t.m, e: t.e });
    if (bexp(t) < bexp(sum) - P - 4) break;
  }
  return sum;
}

// Fixed-point variants (value * 2^160) for arguments that are not tiny: no normalization per step.
const FX = 160n;
const FX_ONE = 1n << FX;
function toFix(a: BF): bigint {
  const sh = a.e + 160;
  const v = sh >= 0 ? a.m << BigInt(sh) : a.m >> BigInt(-sh);
  return a.s ? -v : v;
}
const fromFix = (v: bigint): BF => (v < 0n ? norm(1, -v, -160) : norm(0, v, -160));

/** expm1(z) for |z| < 1: series at z/256, then expm1(2u) = t (t + 2) eight times. */
function expm1Fix(z: BF): BF {
  if (bexp(z) < -40) return expm1Series(z); // tiny: the floating series keeps the relative precision
  const Z = toFix(z) >> 8n;
  let term = Z, sum = Z;
  for (let n = 2n; ; n++) {
    term = ((term * Z) >> FX) / n;
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0; i < 8; i++) sum = (sum * (sum + 2n * FX_ONE)) >> FX;
  return fromFix(sum);
}

/** sin (which = 0) or cos (which = 1) of |r| <= pi/4. */
function sinCosFix(r: BF, which: number): BF {
  if (bexp(r) < -40) return sinCosSeries(r, which);
  const R = toFix(r);
  const R2 = (R * R) >> FX;
  let t = which ? FX_ONE : R, sum = t;
  for (let n = 1; ; n++) {
    t = ((t * R2) >> FX) / BigInt(which ? (2 * n - 1) * (2 * n) : (2 * n) * (2 * n + 1));
    if (t === 0n) break;
    sum += (n & 1) ? -t : t;
  }
  return fromFix(sum);
}

/** atanh(u) = u + u^3/3 + ... for |u| <= 0.2 (larger ones take the floating series). */
function atanhFix(u: BF): BF {
  if (bexp(u) < -40 || bexp(u) > -3) return atanhSeries(u);
  const U = toFix(u);
  const U2 = (U * U) >> FX;
  let pow = U, sum = U;
  for (let n = 3n; ; n += 2n) {
    pow = (pow * U2) >> FX;
    const t = pow / n;
    if (t === 0n) break;
    sum += t;
  }
  return fromFix(sum);
}

// ---------------------------------------------------------------- constants
const PI = bscale(bsub(bscale(atanSeries(bdiv(bint(1), bint(5))), 4), bscale(atanSeries(bdiv(bint(1), bint(239))), 2)), 0);
const LN2 = bscale(atanhSeries(bdiv(bint(1), bint(3))), 1);
const LN10 = badd(bscale(LN2, 0), badd(bscale(LN2, 1), bscale(atanhSeries(bdiv(bint(1), bint(9))), 1))); // 3ln2 + ln(5/4)
const LOG2E = bdiv(bint(1), LN2);
const LOG2T = bdiv(LN10, LN2);
const LG2 = bdiv(LN2, LN10);
// The x87's internal pi: 66 bits.
const PI66_HALF = (0xC90FDAA22168C234n << 2n) | 3n; // pi/2 in units of 2^-65

const CONST_TABLE = [LOG2T, LOG2E, PI, LG2, LN2];
/** fldl2t, fldl2e, fldpi, fldlg2, fldln2 rounded by rc (no flags). */
export function CONSTS(idx: number, rc: number): F80 {
  const save = { ...ctx };
  ctx.rc = rc; ctx.flags = 0; ctx.masks = 0x3f;
  const r = toF80(CONST_TABLE[idx]);
  Object.assign(ctx, save);
  return r;
}

// ---------------------------------------------------------------- helpers
function lnBF(x: BF): BF { // x > 0
  let E = bexp(x);
  let m = bscale(x, -E); // [1, 2)
  // m > sqrt2 -> m/2
  if (m.m > 0xB504F333F9DE6484597D89B3754ABE9Fn << BigInt(P - 128)) { m = bscale(m, -1); E++; }
  const u = bdiv(bsub(m, bint(1)), badd(m, bint(1)));
  const lnm = u.m === 0n ? u : bscale(atanhFix(u), 1);
  return badd(bmul(bint(E), LN2), lnm);
}

function special1(x: F80): F80 | null | undefined {
  const c = cls(x);
  if (c >= C_QNAN) return nanResult(x, c, null, C_ZERO);
  if (c === C_DEN && raise(DE)) return null;
  return undefined;
}

const TWO63 = 63 + 16383;

// ---------------------------------------------------------------- instructions
export function f2xm1(x: F80): F80 | null | 'range' {
  const c = cls(x);
  const sp = special1(x);
  if (sp !== undefined) return sp;
  if (c === C_ZERO) return x;
  if (c === C_INF) return x.s ? neg(ONE) : x;
  if (x.e === 16383 && x.m === 1n << 63n) { ctx.flags |= PE; return x.s ? mk(1, 16382, x.m) : x; } // exact, yet PE
  if (x.e < 16383) return toF80(expm1Fix(bmul(fromF80(x), LN2)));
  // Outside the architected range |x| <= 1 the x87 leaves the operand unchanged (inexact).
  ctx.flags |= PE;
  return x;
}

/** Reduce by the 66-bit pi/2: returns [r, quadrant] or 'range'. */
function reduce(x: F80): [BF, number] | 'range' {
  if (x.e >= TWO63) return 'range';
  const u = unpackExact(x);
  const bx = norm(x.s, u.m, u.E - 63);
  if (u.E < -1) return [bx, 0];
  const X = u.m << BigInt(u.E - 63 + 65);  // |x| in units of 2^-65
  let k = X / PI66_HALF;
  let R = X - k * PI66_HALF;
  if (R * 2n > PI66_HALF) { k += 1n; R -= PI66_HALF; }
  const r = R < 0n ? norm(1, -R, -65) : norm(0, R, -65);
  let q = Number(k & 3n);
  if (x.s) { r.s ^= 1; q = (4 - q) & 3; }
  return [r, q];
}

function trigPrep(x: F80): F80 | null | undefined {
  const c = cls(x);
  if (c === C_UNSUP || c >= C_QNAN) return nanResult(x, c, null, C_ZERO);
  if (c === C_INF) return raise(IE) ? null : INDEFINITE;
  if (c === C_DEN && raise(DE)) return null;
  return undefined;
}

/** sin (which = 0) or cos (which = 1) of x after reduction by the 66-bit pi/2. */
function trigOf(x: F80, which: number): BF | 'range' {
  const red = reduce(x);
  if (red === 'range') return 'range';
  const [r, q] = red;
  // sin(r + q*pi/2) and cos(r + q*pi/2) in terms of sin(r) and cos(r).
  const k = (q + which) & 3;
  const v = sinCosFix(r, k & 1);
  return k >= 2 ? { s: v.s ^ 1, m: v.m, e: v.e } : v;
}

export function fsin(x: F80): F80 | null | 'range' {
  const sp = trigPrep(x);
  if (sp !== undefined) return sp;
  if (x.e >= TWO63) return 'range';
  if (cls(x) === C_ZERO) return x;
  const v = trigOf(x, 0);
  return v === 'range' ? 'range' : toF80(v);
}

export function fcos(x: F80): F80 | null | 'range' {
  const sp = trigPrep(x);
  if (sp !== undefined) return sp;
  if (x.e >= TWO63) return 'range';
  if (cls(x) === C_ZERO) return ONE;
  const v = trigOf(x, 1);
  return v === 'range' ? 'range' : toF80(v);
}

/** fsincos: [sin -> ST(0) position after push is ST(1)], returns [newST1(sin), newST0(cos)]. */
export function fsincos(x: F80): [F80, F80] | null | 'range' {
  const sp = trigPrep(x);
  if (sp === null) return null;
  if (sp !== undefined) return [sp, sp];
  if (x.e >= TWO63) return 'range';
  if (cls(x) === C_ZERO) return [x, ONE];
  const sv = trigOf(x, 0), cv = trigOf(x, 1);
  if (sv === 'range' || cv === 'range') return 'range';
  const s = toF80(sv);
  const c1s = ctx.c1;
  const c = toF80(cv);
  ctx.c1 |= c1s;
  return [s, c];
}

/** fptan: [tan, 1.0]. */
export function fptan(x: F80): [F80, F80] | null | 'range' {
  const sp = trigPrep(x);
  if (sp === null) return null;
  if (sp !== undefined) return [sp, sp];
  if (x.e >= TWO63) return 'range';
  if (cls(x) === C_ZERO) return [x, ONE];
  const sv = trigOf(x, 0), cv = trigOf(x, 1);
  if (sv === 'range' || cv === 'range') return 'range';
  return [toF80(bdiv(sv, cv)), ONE];
}

function atanBF(t: BF): BF { // any t
  const s = t.s;
  let a = { s: 0, m: t.m, e: t.e };
  let inv = false;
  if (bexp(a) >= 0 && !(a.m === 1n << BigInt(P - 1) && bexp(a) === 0)) { a = bdiv(bint(1), a); inv = true; }
  // Halve the angle until small: atan(a) = 2 atan(a / (1 + sqrt(1 + a^2))).
  let k = 0;
  while (a.m !== 0n && bexp(a) > -8) {
    a = bdiv(a, badd(bint(1), bsqrt(badd(bint(1), bmul(a, a)))));
    k++;
  }
  let r = bscale(atanSeries(a), k);
  if (inv) r = bsub(bscale(PI, -1), r);
  r.s = s;
  return r;
}

// atan(k/8), k = 0..8, in fixed point: atan(t) = atan(k/8) + atan((t - k/8) / (1 + t k/8)).
const ATAN_TAB: bigint[] = Array.from({ length: 9 }, (_, k) => (k === 0 ? 0n : toFix(atanBF(bdiv(bint(k), bint(8))))));

/** atan(t) for any t, by the table above (reduced argument |u| <= 1/16) and a fixed-point series. */
function atanFast(t: BF): BF {
  let a: BF = { s: 0, m: t.m, e: t.e };
  const inv = bexp(a) >= 0 && !(a.m === 1n << BigInt(P - 1) && bexp(a) === 0);
  if (inv) a = bdiv(bint(1), a);
  if (bexp(a) < -40) return atanBF(t); // tiny: keep the floating series
  const T = toFix(a);
  const k = Number((T * 8n + (FX_ONE >> 1n)) >> FX);
  const C = BigInt(k) << (FX - 3n);
  const U = ((T - C) << FX) / (FX_ONE + ((T * C) >> FX));
  const U2 = (U * U) >> FX;
  let pow = U, sum = U;
  for (let n = 3n, neg = true; ; n += 2n, neg = !neg) {
    pow = (pow * U2) >> FX;
    const term = pow / n;
    if (term === 0n) break;
    sum += neg ? -term : term;
  }
  let r = fromFix(ATAN_TAB[k] + sum);
  if (inv) r = bsub(bscale(PI, -1), r);
  return { s: t.s, m: r.m, e: r.e };
}

/** fpatan: atan2(y = ST(1), x = ST(0)). */
export function fpatan(x: F80, y: F80): F80 | null {
  const cx = cls(x), cy = cls(y);
  if (cx >= C_QNAN || cy >= C_QNAN) return nanResult(x, cx, y, cy);
  if ((cx === C_DEN || cy === C_DEN) && raise(DE)) return null;
  const pi = (f: number, s: number) => { const v = bscale(PI, f); return toF80({ s, m: v.m, e: v.e }); };
  if (cy === C_ZERO) return x.s ? pi(0, y.s) : zero(y.s);
  if (cy === C_INF) {
    if (cx === C_INF) return toF80({ s: y.s, ...mulPi(x.s ? 3 : 1, -2) });
    return pi(-1, y.s);
  }
  if (cx === C_ZERO) return pi(-1, y.s);
  if (cx === C_INF) return x.s ? pi(0, y.s) : zero(y.s);
  const by = fromF80(y), bx = fromF80(x);
  const q = bdiv({ s: 0, m: by.m, e: by.e }, { s: 0, m: bx.m, e: bx.e });
  let r = atanFast(q);
  if (x.s) r = bsub(PI, r);
  r.s = y.s;
  return toF80(r);
}
function mulPi(k: number, sc: number): { m: bigint; e: number } {
  const v = bscale(bmul(PI, bint(k)), sc);
  return { m: v.m, e: v.e };
}

/** fyl2x: y * log2(x). */
export function fyl2x(x: F80, y: F80): F80 | null {
  const cx = cls(x), cy = cls(y);
  if (cx >= C_QNAN || cy >= C_QNAN) return nanResult(x, cx, y, cy);
  if (x.s && cx !== C_ZERO) return raise(IE) ? null : INDEFINITE;
  if (cx === C_ZERO) {
    if (cy === C_ZERO) return raise(IE) ? null : INDEFINITE;
    if (cy !== C_INF && raise(ZE)) return null;
    return inf(y.s ^ 1);
  }
  // DE comes after the invalid and divide-by-zero cases.
  if (cx === C_INF) {
    if (cy === C_ZERO) return raise(IE) ? null : INDEFINITE;
    if (cy === C_DEN && raise(DE)) return null;
    return inf(y.s);
  }
  const bx = fromF80(x);
  const isOne = x.e === 16383 && x.m === 1n << 63n;
  if (cy === C_INF && isOne) return raise(IE) ? null : INDEFINITE;
  if ((cx === C_DEN || cy === C_DEN) && raise(DE)) return null;
  if (cy === C_INF) return inf(y.s ^ (x.e < 16383 ? 1 : 0));
  if (isOne) return zero(y.s);
  const l2 = bdiv(lnBF(bx), LN2);
  if (cy === C_ZERO) return zero(y.s ^ l2.s);
  return toF80(bmul(fromF80(y), l2));
}

/** fyl2xp1: y * log2(x + 1). */
export function fyl2xp1(x: F80, y: F80): F80 | null {
  const cx = cls(x), cy = cls(y);
  if (cx >= C_QNAN || cy >= C_QNAN) return nanResult(x, cx, y, cy);
  if (cx === C_ZERO) {
    if (cy === C_INF) return raise(IE) ? null : INDEFINITE;
    if (cy === C_DEN && raise(DE)) return null;
    return zero(x.s ^ y.s);
  }
  if (cx === C_INF) {
    if (x.s || cy === C_ZERO) return raise(IE) ? null : INDEFINITE;
    if (cy === C_DEN && raise(DE)) return null;
    return inf(y.s);
  }
  if ((cx === C_DEN || cy === C_DEN) && raise(DE)) return null;
  if (cy === C_INF) return inf(x.s ^ y.s);
  if (cy === C_ZERO) return zero(x.s ^ y.s);
  const bx = fromF80(x);
  const onep = badd(bint(1), bx);
  // 1 + x <= 0 lies outside the architected range: the x87 delivers x itself, inexact.
  if (onep.s || onep.m === 0n) { ctx.flags |= PE; return x; }
  // Small x: series in u = x/(2+x) keeps full relative precision; otherwise log of 1+x.
  const ln = bexp(bx) < -2 ? bscale(atanhFix(bdiv(bx, badd(bint(2), bx))), 1) : lnBF(onep);
  return toF80(bmul(fromF80(y), bdiv(ln, LN2)));
}

