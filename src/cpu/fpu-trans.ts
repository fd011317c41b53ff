// x87 transcendental instructions and constants, computed far beyond 64 bits (a 128-bit software
// float, and 160-bit fixed point for the series) and rounded once to 64 bits by the rounding control. fsin/fcos/fsincos/fptan reduce
// their argument with the same 66-bit pi the x87 uses, so large arguments agree with it.
import {
  F80, ctx, IE, ZE, DE, PE, C_ZERO, C_DEN, C_INF, C_QNAN, C_UNSUP, INDEFINITE, ONE, cls, nanResult,
  roundExt, raise, unpackExact, mk, bitLen, isqrt, inf, zero, neg, C_NORM, roundDD, ddPaths,
} from './float80.js';
import { TAB_SIN, TAB_COS, TAB_ATAN, TAB_LOG2, TAB_EXPM1, BF_PI, BF_LN2, BF_LN10 } from './fpu-tables.js';
import { O, twoSum, twoProd, mul as dmul, add as dadd, div as ddiv, pow2 } from './dd.js';

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

/**
 * A value just below |a| in magnitude, rounded (a's significand exact, the true value a little
 * smaller): sin x and cos x of an x below 2^-64, whose x^3/6 and x^2/2 lie beyond every bit the
 * series keeps (toF80's sticky bit would put them above).
 */
function toF80Below(a: BF): F80 {
  const m = a.m >> BigInt(P - 128);
  return m === 1n << 127n ? roundExt(a.s, bexp(a) - 1, (1n << 128n) - 1n, 64) : roundExt(a.s, bexp(a), m - 1n, 64);
}
/** Whether x (not zero) is below 2^-64 in magnitude, a denormal included. */
const tinyTrig = (x: F80): boolean => x.e < 16383 - 64;

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
/**
 * pi (Machin's formula), ln 2 and ln 10 by their series. fpu-tables.ts holds
 * them as literals (scripts/fpu/gen-tables.mjs; unit-fpu-api.test.ts checks
 * they agree): the series took some 2 ms of every start, cold.
 */
export function computeConstants(): { PI: BF; LN2: BF; LN10: BF } {
  const PI = bscale(bsub(bscale(atanSeries(bdiv(bint(1), bint(5))), 4), bscale(atanSeries(bdiv(bint(1), bint(239))), 2)), 0);
  const LN2 = bscale(atanhSeries(bdiv(bint(1), bint(3))), 1);
  const LN10 = badd(bscale(LN2, 0), badd(bscale(LN2, 1), bscale(atanhSeries(bdiv(bint(1), bint(9))), 1))); // 3ln2 + ln(5/4)
  return { PI, LN2, LN10 };
}
const PI: BF = BF_PI, LN2: BF = BF_LN2, LN10: BF = BF_LN10;
const LOG2E = bdiv(bint(1), LN2);
const LOG2T = bdiv(LN10, LN2);
const LG2 = bdiv(LN2, LN10);
// The x87's internal pi: 66 bits.
const PI66_HALF = (0xC90FDAA22168C234n << 2n) | 3n; // pi/2 in units of 2^-65

const CONST_TABLE = [LOG2T, LOG2E, PI, LG2, LN2];
/** fldl2t, fldl2e, fldpi, fldlg2, fldln2 rounded by rc (no flags). */
const CONST_CACHE: (F80 | undefined)[] = new Array(20);
/** fld constant idx rounded by rc (64 bits, never an exception): computed once per rounding mode. */
export function CONSTS(idx: number, rc: number): F80 {
  return CONST_CACHE[idx * 4 + rc] ??= constExact(idx, rc);
}
function constExact(idx: number, rc: number): F80 {
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


// ---------------------------------------------------------------- double-double fast paths
// Normal arguments in the usual ranges are computed in double-double (relative error near 2^-100):
// a table entry (computed by the exact code above, kept as literals) plus a short polynomial. roundDD
// rounds by the control word, or declines when the error bound leaves the rounding undecided
// (about one case in 10^6); then, and for every special case, the exact paths run, so the results
// are the exact paths' results.

// Kernel results beyond the returned high part, in a typed array (module variables holding
// doubles would be boxed on every write): a second double-double (RH, RL),
// the sine and cosine (SH..CL).
const K = new Float64Array(6);
const RH = 0, RL = 1, SH = 2, SL = 3, CH = 4, CL = 5;
const bfDD = (b: BF): [number, number] => {
  if (b.m === 0n) return [0, 0];
  const h = Number(b.m), sg = b.s ? -1 : 1;
  return [sg * h * pow2(b.e), sg * Number(b.m - BigInt(h)) * pow2(b.e)];
};
/** 1/n as a double-double. */
const recip = (n: number): [number, number] => { const h = 1 / n, p = twoProd(n, h); return [h, ((1 - p) - O[0]) / n]; };
const [PI_H, PI_L] = bfDD(PI), [PIO2_H, PIO2_L] = bfDD(bscale(PI, -1)), [LN2_H, LN2_L] = bfDD(LN2);
const [L2E2_H, L2E2_L] = bfDD(bscale(LOG2E, 1));
const [R3H, R3L] = recip(3), [R5H, R5L] = recip(5), [R6H, R6L] = recip(6), [R24H, R24L] = recip(24), [R120H, R120L] = recip(120);

/**
 * The fast paths' tables (double-double pairs, high then low) computed by the exact code:
 * sin and cos of j/64 (j < 56), atan(j/128) (j <= 128), log2(j/128) (64 <= j < 184) and
 * 2^((j - 64)/64) - 1 (j <= 128). fpu-tables.ts holds them as literals (written by
 * scripts/fpu/gen-tables.mjs; unit-fpu-api.test.ts checks they agree), so no BigInt runs at start-up.
 */
export function computeTables(): Record<string, number[]> {
  const tab = (n: number, from: number, f: (j: number) => BF): number[] => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) out.push(...(j < from ? [0, 0] : bfDD(f(j))));
    return out;
  };
  return {
    SIN: tab(56, 1, (j) => sinCosFix(bscale(bint(j), -6), 0)),
    COS: tab(56, 0, (j) => (j ? sinCosFix(bscale(bint(j), -6), 1) : bint(1))),
    ATAN: tab(129, 1, (j) => atanFast(bscale(bint(j), -7))),
    LOG2: tab(184, 64, (j) => bdiv(lnBF(bscale(bint(j), -7)), LN2)),
    EXPM1: tab(129, 0, (j) => expm1Fix(bmul(bscale(bint(j - 64), -6), LN2))),
  };
}

/** Significand of x as a double-double in [1, 2) (exact: 53 + 11 bits) in K[RH], K[RL]. */
function sigDD(x: F80): void {
  const l11 = x.lo & 0x7ff;
  K[RH] = x.hi * 2 ** -31 + (x.lo - l11) * 2 ** -63;
  K[RL] = l11 * 2 ** -63;
}

/** u + u s (c1 + s (c2 + t)) for s = u^2 (c1, c2 double-double, t a small double): the odd series. */
function oddPoly(uh: number, ul: number, sh: number, sl: number, c1h: number, c1l: number, c2h: number, c2l: number, t: number): number {
  let h = dadd(c2h, c2l, t, 0), l = O[0];
  h = dmul(sh, sl, h, l); l = O[0];
  h = dadd(c1h, c1l, h, l); l = O[0];
  h = dmul(sh, sl, h, l); l = O[0];
  h = dmul(uh, ul, h, l); l = O[0];
  return dadd(uh, ul, h, l);
}

/** sin (want & 1) and cos (want & 2) of 0 <= r <= pi/4 (a little more is fine): r = j/64 + t,
 * |t| <= 2^-7, series in t. */
function sinCosDD(rh: number, rl: number, want: number): void {
  const j = Math.round(rh * 64);
  const th = twoSum(rh - j / 64, rl), tl = O[0]; // rh - j/64 is exact (Sterbenz)
  const sh = dmul(th, tl, th, tl), sl = O[0];
  // sin t = t - t^3/6 + ... + t^11/11!,  cos t - 1 = -t^2/2 + ... + t^12/12!
  const st = oddPoly(th, tl, sh, sl, -R6H, -R6L, R120H, R120L,
    sh * (-1 / 5040 + sh * (1 / 362880 - sh / 39916800))), stl = O[0];
  let h = dadd(R24H, R24L, sh * (-1 / 720 + sh * (1 / 40320 + sh * (-1 / 3628800 + sh / 479001600))), 0), l = O[0];
  h = dmul(sh, sl, h, l); l = O[0];
  h = dadd(-0.5, 0, h, l); l = O[0];
  const cm = dmul(sh, sl, h, l), cml = O[0]; // cos t - 1
  if (j === 0) { K[SH] = st; K[SL] = stl; K[CH] = dadd(1, 0, cm, cml); K[CL] = O[0]; return; }
  const sa = TAB_SIN[2 * j], sal = TAB_SIN[2 * j + 1], ca = TAB_COS[2 * j], cal = TAB_COS[2 * j + 1];
  // sin(a + t) = sa + (sa (cos t - 1) + ca sin t), cos(a + t) = ca + (ca (cos t - 1) - sa sin t)
  if (want & 1) {
    const a = dmul(sa, sal, cm, cml), al = O[0];
    const b = dmul(ca, cal, st, stl), bl = O[0];
    h = dadd(a, al, b, bl); l = O[0];
    K[SH] = dadd(sa, sal, h, l); K[SL] = O[0];
  }
  if (want & 2) {
    const a = dmul(ca, cal, cm, cml), al = O[0];
    const b = dmul(sa, sal, st, stl), bl = O[0];
    h = dadd(a, al, -b, -bl); l = O[0];
    K[CH] = dadd(ca, cal, h, l); K[CL] = O[0];
  }
}

// PI66_HALF in 32-bit limbs.
const PH0 = 0x85A308D3, PH1 = 0x243F6A88, PH2 = 3, PH_HALF = Number(PI66_HALF) / 2;
const TWO32 = 4294967296;
/** The fast paths' constants, for their WebAssembly form (wasm-x87-trans.ts). */
export const DD_CONSTS = {
  PI_H, PI_L, PIO2_H, PIO2_L, LN2_H, LN2_L, L2E2_H, L2E2_L, R3H, R3L, R5H, R5L, R6H, R6L, R24H, R24L, R120H, R120L,
  PH0, PH1, PH2, PH_HALF,
};
/** sin x (want & 1) and cos x (want & 2) in K[SH..CL] after reduction by the x87's 66-bit pi/2;
 * false: not for this path. */
function trigDD(x: F80, want: number): boolean {
  const e = x.e - BIAS_;
  let rh: number, rl: number, q: number;
  if (e < -900) return false;
  if (e < -1) { sigDD(x); const sc = pow2(e); rh = K[RH] * sc; rl = K[RL] * sc; q = 0; }
  else {
    let A: number, r0: number;
    if (e <= 19) {
      // |x| in units of 2^-65 as three limbs; r = X - k pi/2 exactly (k < 2^21: products below 2^53).
      const sh = e + 2;
      const x0 = (x.lo << sh) >>> 0, x1 = ((x.hi << sh) | (x.lo >>> (32 - sh))) >>> 0, x2 = x.hi >>> (32 - sh);
      let k = Math.round((x.hi * TWO32 + x.lo) * pow2(e - 63) * (2 / Math.PI));
      for (;;) {
        let c = x0 - k * PH0, cr = Math.floor(c / TWO32);
        r0 = c - cr * TWO32;
        c = x1 - k * PH1 + cr; cr = Math.floor(c / TWO32);
        const r1 = c - cr * TWO32, r2 = x2 - k * PH2 + cr;
        A = r2 * 18446744073709551616 + r1 * TWO32;
        const approx = A + r0;
        if (approx > PH_HALF) k++;
        else if (approx < -PH_HALF) k--;
        else break;
      }
      q = k & 3;
    } else {
      // Large arguments: one BigInt division.
      const X = x.m << BigInt(e + 2);
      let k = X / PI66_HALF;
      let R = X - k * PI66_HALF;
      if (R * 2n > PI66_HALF) { k += 1n; R -= PI66_HALF; }
      A = Number(R); r0 = Number(R - BigInt(A));
      q = Number(k & 3n);
    }
    rh = twoSum(A, r0) * 2 ** -65; rl = O[0] * 2 ** -65;
  }
  const rneg = rh < 0;
  if (rneg) { rh = -rh; rl = -rl; }
  sinCosDD(rh, rl, q & 1 ? ((want & 1) << 1) | (want >> 1) : want); // odd quadrants swap sin and cos
  if (rneg) { K[SH] = -K[SH]; K[SL] = -K[SL]; }
  // sin/cos of r + q pi/2, then of -x for a negative x.
  let t: number;
  switch (q) {
    case 1: t = K[SH]; K[SH] = K[CH]; K[CH] = -t; t = K[SL]; K[SL] = K[CL]; K[CL] = -t; break;
    case 2: K[SH] = -K[SH]; K[SL] = -K[SL]; K[CH] = -K[CH]; K[CL] = -K[CL]; break;
    case 3: t = K[SH]; K[SH] = -K[CH]; K[CH] = t; t = K[SL]; K[SL] = -K[CL]; K[CL] = t; break;
  }
  if (x.s) { K[SH] = -K[SH]; K[SL] = -K[SL]; }
  return true;
}
const BIAS_ = 16383;

/** atan(s / b) for double-doubles 0 < s <= b: with q = s/b = j/128 + ..., atan q = atan(j/128) + atan(u),
 * u = (q - c)/(1 + q c) = (s - c b)/(b + c s): one division. */
function atanDD(sh: number, sl: number, bh: number, bl: number): number {
  const j = Math.round(sh / bh * 128);
  let uh: number, ul: number;
  if (j === 0) { uh = ddiv(sh, sl, bh, bl); ul = O[0]; }
  else {
    const c = j / 128;
    let nh = dmul(bh, bl, -c, 0), nl = O[0];            // c b: exact but for ~2^-106 of it
    nh = dadd(sh, sl, nh, nl); nl = O[0];
    let dh = dmul(sh, sl, c, 0), dl = O[0];
    dh = dadd(bh, bl, dh, dl); dl = O[0];
    uh = ddiv(nh, nl, dh, dl); ul = O[0];                // |u| <= 2^-8
  }
  const s2h = dmul(uh, ul, uh, ul), s2l = O[0];
  const h = oddPoly(uh, ul, s2h, s2l, -R3H, -R3L, R5H, R5L, s2h * (-1 / 7 + s2h * (1 / 9 + s2h * (-1 / 11 + s2h / 13))));
  if (!j) return h;
  return dadd(TAB_ATAN[2 * j], TAB_ATAN[2 * j + 1], h, O[0]);
}

function fpatanDD(x: F80, y: F80): F80 | null {
  const xBig = x.e > y.e || (x.e === y.e && (x.hi > y.hi || (x.hi === y.hi && x.lo >= y.lo)));
  const big = xBig ? x : y, small = xBig ? y : x;
  const d = small.e - big.e;
  if (d < -900) return null;
  sigDD(big); const bh = K[RH], bl = K[RL];
  sigDD(small);
  const sc = pow2(d);
  let h = atanDD(K[RH] * sc, K[RL] * sc, bh, bl), l = O[0];
  if (!xBig) { h = dadd(PIO2_H, PIO2_L, -h, -l); l = O[0]; }
  if (x.s) { h = dadd(PI_H, PI_L, -h, -l); l = O[0]; }
  return y.s ? roundDD(-h, -l, 0, 64) : roundDD(h, l, 0, 64);
}

/** log2(m) for a double-double m in [0.70, 1.42]: m = c (1 + ...), log2 m = log2 c + 2 atanh(u) log2 e. */
function log2DD(mh: number, ml: number): number {
  const j = Math.round(mh * 128), c = j / 128;
  const dh = twoSum(mh - c, ml), dl = O[0];               // exact (Sterbenz)
  const Sh = dadd(mh, ml, c, 0), Sl = O[0];
  return log2U(dh, dl, Sh, Sl, j);
}
/** log2 c_j + 2 atanh(d / S) log2 e, where d = m - c_j and S = m + c_j (c_128 = 1). */
function log2U(dh: number, dl: number, Sh: number, Sl: number, j: number): number {
  const uh = ddiv(dh, dl, Sh, Sl), ul = O[0];            // |u| <= 2^-8.5
  const sh = dmul(uh, ul, uh, ul), sl = O[0];
  let h = oddPoly(uh, ul, sh, sl, R3H, R3L, R5H, R5L, sh * (1 / 7 + sh * (1 / 9 + sh / 11))), l = O[0];
  h = dmul(h, l, L2E2_H, L2E2_L);
  if (j === 128) return h;
  return dadd(TAB_LOG2[2 * j], TAB_LOG2[2 * j + 1], h, O[0]);
}

/** y * log2(x) for normal x > 0, x != 1, normal y. */
function fyl2xDD(x: F80, y: F80): F80 | null {
  let E = x.e - BIAS_;
  sigDD(x);
  let mh = K[RH], ml = K[RL];
  if (mh > Math.SQRT2) { mh *= 0.5; ml *= 0.5; E++; }
  let h = log2DD(mh, ml), l = O[0];
  if (E) { h = dadd(E, 0, h, l); l = O[0]; }
  return yTimes(h, l, y);
}
function yTimes(h: number, l: number, y: F80): F80 | null {
  sigDD(y);
  h = dmul(h, l, K[RH], K[RL]); l = O[0];
  return y.s ? roundDD(-h, -l, y.e - BIAS_, 64) : roundDD(h, l, y.e - BIAS_, 64);
}

const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
/** y * log2(1 + x) for normal x > -1, normal y. */
function fyl2xp1DD(x: F80, y: F80): F80 | null {
  const e = x.e - BIAS_;
  if (e < -900 || e > 900 || (x.s && e >= 0)) return null;
  sigDD(x);
  const sc = x.s ? -pow2(e) : pow2(e);
  const xh = K[RH] * sc, xl = K[RL] * sc;
  let h: number;
  if (e < -8) {
    // 1 + x near 1: u = x / (2 + x) directly.
    const Sh = dadd(2, 0, xh, xl);
    h = log2U(xh, xl, Sh, O[0], 128);
  } else {
    let mh = dadd(1, 0, xh, xl), ml = O[0];               // exact for x < 2^53, close enough beyond
    f64[0] = mh;
    let E = ((u32[1] >>> 20) & 0x7ff) - 1023;
    const s2 = pow2(-E);
    mh *= s2; ml *= s2;
    if (mh > Math.SQRT2) { mh *= 0.5; ml *= 0.5; E++; }
    h = log2DD(mh, ml);
    if (E) { const l = O[0]; h = dadd(E, 0, h, l); }
  }
  return yTimes(h, O[0], y);
}

/** 2^x - 1 for a normal |x| < 1: x = j/64 + t, 2^x - 1 = T + (1 + T) expm1(t ln 2), T = 2^(j/64) - 1. */
function f2xm1DD(x: F80): F80 | null {
  const e = x.e - BIAS_;
  if (e < -900) return null;
  sigDD(x);
  const sc = x.s ? -pow2(e) : pow2(e);
  const xh = K[RH] * sc, xl = K[RL] * sc;
  const j = Math.round(xh * 64);
  const th = twoSum(xh - j / 64, xl), tl = O[0];           // exact (Sterbenz)
  const zh = dmul(th, tl, LN2_H, LN2_L), zl = O[0];        // |z| <= 2^-7.5
  const g = 1 / 720 + zh * (1 / 5040 + zh * (1 / 40320 + zh * (1 / 362880 + zh * (1 / 3628800 + zh / 39916800))));
  let h = dadd(R120H, R120L, zh * g, 0), l = O[0];
  h = dmul(zh, zl, h, l); l = O[0];
  h = dadd(R24H, R24L, h, l); l = O[0];
  h = dmul(zh, zl, h, l); l = O[0];
  h = dadd(R6H, R6L, h, l); l = O[0];
  h = dmul(zh, zl, h, l); l = O[0];
  h = dadd(0.5, 0, h, l); l = O[0];
  h = dmul(zh, zl, h, l); l = O[0];
  h = dmul(zh, zl, h, l); l = O[0];
  h = dadd(zh, zl, h, l); l = O[0];                      // expm1(z)
  if (j) {
    const T = TAB_EXPM1[2 * j + 128], Tl = TAB_EXPM1[2 * j + 129];
    const a = dmul(T, Tl, h, l), al = O[0];
    h = dadd(h, l, a, al); l = O[0];
    h = dadd(T, Tl, h, l); l = O[0];
  }
  return roundDD(h, l, 0, 64);
}

// ---------------------------------------------------------------- instructions
export function f2xm1(x: F80): F80 | null | 'range' {
  const c = cls(x);
  const sp = special1(x);
  if (sp !== undefined) return sp;
  if (c === C_ZERO) return x;
  if (c === C_INF) return x.s ? neg(ONE) : x;
  if (x.e === 16383 && x.m === 1n << 63n) { ctx.flags |= PE; return x.s ? mk(1, 16382, x.m) : x; } // exact, yet PE
  if (x.e < 16383) {
    if (ddPaths && c === C_NORM) { const r = f2xm1DD(x); if (r) return r; }
    return toF80(expm1Fix(bmul(fromF80(x), LN2)));
  }
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
  const c = cls(x);
  if (c === C_ZERO) return x;
  if (tinyTrig(x)) return toF80Below(fromF80(x));
  if (ddPaths && c === C_NORM && trigDD(x, 1)) { const r = roundDD(K[SH], K[SL], 0, 64); if (r) return r; }
  const v = trigOf(x, 0);
  return v === 'range' ? 'range' : toF80(v);
}

export function fcos(x: F80): F80 | null | 'range' {
  const sp = trigPrep(x);
  if (sp !== undefined) return sp;
  if (x.e >= TWO63) return 'range';
  const c = cls(x);
  if (c === C_ZERO) return ONE;
  if (tinyTrig(x)) return toF80Below(fromF80(ONE));
  if (ddPaths && c === C_NORM && trigDD(x, 2)) { const r = roundDD(K[CH], K[CL], 0, 64); if (r) return r; }
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
  if (tinyTrig(x)) {
    const s = toF80Below(fromF80(x));
    const c1s = ctx.c1;
    const c = toF80Below(fromF80(ONE));
    ctx.c1 |= c1s;
    return [s, c];
  }
  if (ddPaths && cls(x) === C_NORM && trigDD(x, 3)) {
    const s = roundDD(K[SH], K[SL], 0, 64);
    if (s) {
      const c1s = ctx.c1;
      const c = roundDD(K[CH], K[CL], 0, 64);
      if (c) { ctx.c1 |= c1s; return [s, c]; }
    }
  }
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
  if (ddPaths && cls(x) === C_NORM && trigDD(x, 3)) {
    const t = ddiv(K[SH], K[SL], K[CH], K[CL]);
    const r = roundDD(t, O[0], 0, 64);
    if (r) return [r, ONE];
  }
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
let atanTab: bigint[] | undefined;
/** atan(k/8) in fixed point, computed at the first use (its series took 1.6 ms of every start) */
const ATAN_TAB = (): bigint[] => (atanTab ??= Array.from({ length: 9 }, (_, k) => (k === 0 ? 0n : toFix(atanBF(bdiv(bint(k), bint(8)))))));

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
  let r = fromFix(ATAN_TAB()[k] + sum);
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
  if (ddPaths && cx === C_NORM && cy === C_NORM) { const r = fpatanDD(x, y); if (r) return r; }
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
  const isOne = x.e === 16383 && x.hi === 0x80000000 && x.lo === 0;
  if (cy === C_INF && isOne) return raise(IE) ? null : INDEFINITE;
  if ((cx === C_DEN || cy === C_DEN) && raise(DE)) return null;
  if (cy === C_INF) return inf(y.s ^ (x.e < 16383 ? 1 : 0));
  if (isOne) return zero(y.s);
  if (ddPaths && cx === C_NORM && cy === C_NORM) { const r = fyl2xDD(x, y); if (r) return r; }
  const l2 = bdiv(lnBF(fromF80(x)), LN2);
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
  if (ddPaths && cx === C_NORM && cy === C_NORM) { const r = fyl2xp1DD(x, y); if (r) return r; }
  const bx = fromF80(x);
  const onep = badd(bint(1), bx);
  // 1 + x <= 0 lies outside the architected range: the x87 delivers x itself, inexact.
  if (onep.s || onep.m === 0n) { ctx.flags |= PE; return x; }
  // Small x: series in u = x/(2+x) keeps full relative precision; otherwise log of 1+x.
  const ln = bexp(bx) < -2 ? bscale(atanhFix(bdiv(bx, badd(bint(2), bx))), 1) : lnBF(onep);
  return toF80(bmul(fromF80(y), bdiv(ln, LN2)));
}

