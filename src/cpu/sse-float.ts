// IEEE single and double arithmetic as the SSE unit does it: every MXCSR rounding mode,
// DAZ/FTZ, the six exception flags, and x86's NaN rules (the first source's NaN wins,
// quietened; invalid operations give the negative "indefinite" QNaN). Values travel as raw
// bits (a single as one u32, a double as lo/hi u32 halves) because a JavaScript number
// cannot carry a signalling NaN or a NaN payload reliably.
//
// The common case (round to nearest, normal or zero operands, a normal result) is computed
// with JavaScript's doubles, the inexact flag proven with error-free transformations; the
// rest goes through exact BigInt arithmetic and one rounding function.

export const IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, PE = 0x20;
export const RC_NEAR = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;

/** The operation's environment (from MXCSR) and what it raised. */
export const env = {
  rc: RC_NEAR,
  daz: false,
  ftz: false,
  /** exception masks (MXCSR bits 7..12 shifted down): 1 = masked */
  masks: 0x3f,
  /** flags detected before computing (IE DE ZE) and after (OE UE PE) */
  pre: 0,
  post: 0,
};
export function setEnv(mxcsr: number): void {
  env.rc = (mxcsr >> 13) & 3;
  env.daz = (mxcsr & 0x40) !== 0;
  env.ftz = (mxcsr & 0x8000) !== 0;
  env.masks = (mxcsr >> 7) & 0x3f;
  env.pre = 0;
  env.post = 0;
}

interface Fmt { p: number; emin: number; emax: number; ebits: number }
export const SINGLE: Fmt = { p: 24, emin: -126, emax: 127, ebits: 8 };
export const DOUBLE: Fmt = { p: 53, emin: -1022, emax: 1023, ebits: 11 };

// ---- scratch buffer for bits <-> number
const buf = new ArrayBuffer(8);
const bf64 = new Float64Array(buf), bu32 = new Uint32Array(buf), bf32 = new Float32Array(buf);
export function f64Of(lo: number, hi: number): number { bu32[0] = lo; bu32[1] = hi; return bf64[0]!; }
export function f32Of(b: number): number { bu32[0] = b; return bf32[0]!; }
/** Result halves of a double (rlo, rhi) */
export let rlo = 0, rhi = 0;
function setD(x: number): void { bf64[0] = x; rlo = bu32[0]!; rhi = bu32[1]!; }
function setDbits(lo: number, hi: number): void { rlo = lo >>> 0; rhi = hi >>> 0; }
export function bitsF32(x: number): number { bf32[0] = x; return bu32[0]!; }

export const S_QNAN_DEFAULT = 0xffc00000, D_QNAN_DEFAULT_HI = 0xfff80000;

// ---- classification on bits
export const K_ZERO = 0, K_DEN = 1, K_NORM = 2, K_INF = 3, K_QNAN = 4, K_SNAN = 5;
export function clsS(b: number): number {
  const e = (b >>> 23) & 0xff, f = b & 0x7fffff;
  if (e === 0) return f === 0 ? K_ZERO : K_DEN;
  if (e === 0xff) return f === 0 ? K_INF : f & 0x400000 ? K_QNAN : K_SNAN;
  return K_NORM;
}
export function clsD(lo: number, hi: number): number {
  const e = (hi >>> 20) & 0x7ff, f = (hi & 0xfffff) | lo;
  if (e === 0) return f === 0 ? K_ZERO : K_DEN;
  if (e === 0x7ff) return f === 0 ? K_INF : hi & 0x80000 ? K_QNAN : K_SNAN;
  return K_NORM;
}
const isNaNk = (k: number): boolean => k >= K_QNAN;

// ---- exact values: (-1)^s * m * 2^e
let xs = 0, xm = 0n, xe = 0;
function unpackS(b: number): void {
  xs = b >>> 31;
  const e = (b >>> 23) & 0xff, f = b & 0x7fffff;
  if (e === 0) { xm = BigInt(f); xe = -149; } else { xm = BigInt(f | 0x800000); xe = e - 150; }
}
function unpackD(lo: number, hi: number): void {
  xs = hi >>> 31;
  const e = (hi >>> 20) & 0x7ff;
  const f = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
  if (e === 0) { xm = f; xe = -1074; } else { xm = f | (1n << 52n); xe = e - 1075; }
}

function bitLen(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * Round (-1)^s * (m + sticky) * 2^e to fmt under env.rc, setting OE UE PE in env.post and
 * applying FTZ. Returns the result bits: a u32 for single, (rlo, rhi) for double.
 */
function roundTo(fmt: Fmt, s: number, m: bigint, e: number, sticky: boolean): number {
  const p = fmt.p;
  if (m === 0n) {
    // an exact zero cannot be sticky here: callers pass sticky only with m > 0
    return encode(fmt, s, 0n, 0);
  }
  const n = bitLen(m);
  const E = e + n - 1; // exponent of the leading bit
  const up = (q: bigint, rem: bigint, half: bigint, stk: boolean): boolean => {
    const inexact = rem !== 0n || stk;
    if (!inexact) return false;
    switch (env.rc) {
      case RC_NEAR: return rem > half || (rem === half && (stk || (q & 1n) === 1n));
      case RC_UP: return s === 0;
      case RC_DOWN: return s === 1;
      default: return false;
    }
  };
  const roundAt = (lsb: number): [bigint, boolean] => {
    // round m*2^e to a multiple of 2^lsb: [quotient, inexact]
    const sh = lsb - e;
    if (sh <= 0) return [m << BigInt(-sh), sticky];
    const q = m >> BigInt(sh), rem = m - (q << BigInt(sh));
    const half = 1n << BigInt(sh - 1);
    return [up(q, rem, half, sticky) ? q + 1n : q, rem !== 0n || sticky];
  };
  // overflow: the exponent after rounding; tininess: before rounding (as measured)
  // (an unmasked overflow or underflow reports PE as the rounding to p bits with an unbounded
  // exponent sets it, as if the scaled result of the x87 were delivered: measured)
  const [qu, inexactU] = roundAt(E - (p - 1));
  let Eu = E;
  if (qu >> BigInt(p) !== 0n) Eu++;
  const tiny = E < fmt.emin;
  if (Eu > fmt.emax) {
    // unmasked: no result is written, and the hardware reports OE alone
    if (!(env.masks & OE)) { env.post |= OE | (inexactU ? PE : 0); return 0; }
    env.post |= OE | PE;
    const toInf = env.rc === RC_NEAR || (env.rc === RC_UP && s === 0) || (env.rc === RC_DOWN && s === 1);
    return toInf ? encode(fmt, s, 0n, fmt.emax + 1) : encode(fmt, s, (1n << BigInt(p)) - 1n, fmt.emax);
  }
  if (!tiny) {
    const [q, inexact] = roundAt(E - (p - 1));
    if (inexact) env.post |= PE;
    let ex = E;
    let qq = q;
    if (qq >> BigInt(p) !== 0n) { qq >>= 1n; ex++; }
    return encode(fmt, s, qq, ex);
  }
  // tiny: subnormal (or zero, or the smallest normal after rounding)
  const [q, inexact] = roundAt(fmt.emin - (p - 1));
  if (!(env.masks & UE)) { env.post |= UE | (inexactU ? PE : 0); return 0; }
  if (env.ftz) { env.post |= UE | PE; return encode(fmt, s, 0n, 0); }
  if (inexact) env.post |= UE | PE;
  // q < 2^(p-1): a subnormal; q = 2^(p-1): rounded up to the smallest normal
  return q >> BigInt(p - 1) !== 0n ? encode(fmt, s, q, fmt.emin) : encode(fmt, s, q, fmt.emin - 1);
}
/** Bits of (-1)^s * q * 2^(ex-(p-1)) with q normalised (or ex = emin-1 for subnormals/zero, emax+1 for inf). */
function encode(fmt: Fmt, s: number, q: bigint, ex: number): number {
  const p = fmt.p;
  const bias = fmt.emax;
  const biased = ex > fmt.emax ? 2 * bias + 1 : q === 0n || ex < fmt.emin ? 0 : ex + bias;
  const frac = q & ((1n << BigInt(p - 1)) - 1n);
  if (p === 24) return ((s << 31) | (biased << 23) | Number(frac)) >>> 0;
  setDbits(Number(frac & 0xffffffffn), (s << 31) | (biased << 20) | Number(frac >> 32n));
  return 0;
}

// ---- NaN results
function quietS(b: number): number { return (b | 0x400000) >>> 0; }
/** NaN result of a single op: IE on an SNaN; the first NaN source wins */
function nanS(a: number, ka: number, b: number, kb: number): number {
  if (ka === K_SNAN || kb === K_SNAN) env.pre |= IE;
  return isNaNk(ka) ? quietS(a) : quietS(b);
}
function nanD(alo: number, ahi: number, ka: number, blo: number, bhi: number, kb: number): void {
  if (ka === K_SNAN || kb === K_SNAN) env.pre |= IE;
  if (isNaNk(ka)) setDbits(alo, ahi | 0x80000); else setDbits(blo, bhi | 0x80000);
}

// ---- the arithmetic operations
export const OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3, OP_SQRT = 4;

/** Denormal operands: zero under DAZ, else DE. Returns the (possibly flushed) class. */
function denS(b: number, k: number): number {
  if (k !== K_DEN) return k;
  if (env.daz) return K_ZERO;
  env.pre |= DE;
  return k;
}

// Dekker's exact product: p + err = a*b (no overflow, no underflow of the parts)
let tpErr = 0;
function twoProd(a: number, b: number): number {
  const p = a * b;
  const ca = 134217729 * a, ah = ca - (ca - a), al = a - ah;
  const cb = 134217729 * b, bh = cb - (cb - b), bl = b - bh;
  tpErr = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

const TWO_M126 = 2 ** -126, TWO_M1022 = 2 ** -1022, SAFE_LO = 2 ** -960, SAFE_HI = 2 ** 960;

/** single op on bits a, b (b ignored for sqrt): result bits, flags in env */
export function opS(op: number, a: number, b: number): number {
  let ka = clsS(a), kb = op === OP_SQRT ? K_NORM : clsS(b);
  if (isNaNk(ka) || isNaNk(kb)) {
    if (op === OP_SQRT) { if (ka === K_SNAN) env.pre |= IE; return quietS(a); }
    return nanS(a, ka, b, kb);
  }
  // the square root of a negative denormal is invalid, not denormal
  if (op === OP_SQRT && ka === K_DEN && a >>> 31 && !env.daz) { env.pre |= IE; return S_QNAN_DEFAULT; }
  // fast path: round to nearest, normal or zero operands
  if (env.rc === RC_NEAR && (ka === K_NORM || ka === K_ZERO) && (kb === K_NORM || kb === K_ZERO)) {
    const x = f32Of(a), y = op === OP_SQRT ? 0 : f32Of(b);
    let r = 0, exact = true;
    switch (op) {
      case OP_ADD: case OP_SUB: {
        const yy = op === OP_SUB ? -y : y;
        r = x + yy; // exact unless the exponents are far apart
        const bb = r - x;
        exact = x - (r - bb) + (yy - bb) === 0;
        break;
      }
      case OP_MUL: r = x * y; break; // 48 bits: exact in a double
      case OP_DIV: {
        if (kb === K_ZERO) { r = NaN; break; }
        r = x / y;
        const f = Math.fround(r);
        exact = f * y === x; // f*y has 48 bits: exact
        break;
      }
      case OP_SQRT: {
        if (x < 0 || (x === 0)) { r = NaN; break; }
        r = Math.sqrt(x);
        const f = Math.fround(r);
        exact = f * f === x;
        break;
      }
    }
    if (r === r) {
      const f = Math.fround(r), ar = Math.abs(r);
      // normal before rounding (tininess is detected on the exact value)
      if ((ar > TWO_M126 || (ar === TWO_M126 && exact)) && Math.abs(f) !== Infinity) {
        if (!exact || f !== r) env.post |= PE;
        return bitsF32(f);
      }
      if (f === 0 && exact && r === 0) return bitsF32(f);
    }
  }
  // divide-by-zero outranks the denormal operand (measured): x/0 with x denormal sets ZE only
  if (op === OP_DIV && kb === K_ZERO) { if (ka === K_DEN && env.daz) ka = K_ZERO; } else ka = denS(a, ka);
  kb = op === OP_SQRT ? kb : denS(b, kb);
  return slowS(op, a, ka, b, kb);
}

function slowS(op: number, a: number, ka: number, b: number, kb: number): number {
  const sa = a >>> 31, sb = (op === OP_SUB ? (b >>> 31) ^ 1 : b >>> 31);
  switch (op) {
    case OP_ADD: case OP_SUB: {
      if (ka === K_INF || kb === K_INF) {
        if (ka === K_INF && kb === K_INF && sa !== sb) { env.pre |= IE; return S_QNAN_DEFAULT; }
        return ka === K_INF ? (a & 0xff800000) >>> 0 : ((sb << 31) | 0x7f800000) >>> 0;
      }
      if (ka === K_ZERO && kb === K_ZERO) {
        const s = sa === sb ? sa : env.rc === RC_DOWN ? 1 : 0;
        return (s << 31) >>> 0;
      }
      if (ka === K_ZERO) { unpackS(b); return roundTo(SINGLE, sb, xm, xe, false); }
      if (kb === K_ZERO) { unpackS(a); return roundTo(SINGLE, sa, xm, xe, false); }
      unpackS(a); const ma = xm, ea = xe;
      unpackS(b); const mb = xm, eb = xe;
      return addExact(SINGLE, sa, ma, ea, sb, mb, eb);
    }
    case OP_MUL: {
      const s = sa ^ sb;
      if (ka === K_INF || kb === K_INF) {
        if (ka === K_ZERO || kb === K_ZERO) { env.pre |= IE; return S_QNAN_DEFAULT; }
        return ((s << 31) | 0x7f800000) >>> 0;
      }
      if (ka === K_ZERO || kb === K_ZERO) return (s << 31) >>> 0;
      unpackS(a); const ma = xm, ea = xe;
      unpackS(b);
      return roundTo(SINGLE, s, ma * xm, ea + xe, false);
    }
    case OP_DIV: {
      const s = sa ^ sb;
      if (ka === K_INF) {
        if (kb === K_INF) { env.pre |= IE; return S_QNAN_DEFAULT; }
        return ((s << 31) | 0x7f800000) >>> 0;
      }
      if (kb === K_INF) return (s << 31) >>> 0;
      if (kb === K_ZERO) {
        if (ka === K_ZERO) { env.pre |= IE; return S_QNAN_DEFAULT; }
        env.pre |= ZE;
        return ((s << 31) | 0x7f800000) >>> 0;
      }
      if (ka === K_ZERO) return (s << 31) >>> 0;
      unpackS(a); const ma = xm, ea = xe;
      unpackS(b);
      return divExact(SINGLE, s, ma, ea, xm, xe);
    }
    default: { // sqrt
      if (ka === K_ZERO) return (a & 0x80000000) >>> 0;
      if (sa) { env.pre |= IE; return S_QNAN_DEFAULT; }
      if (ka === K_INF) return a >>> 0;
      unpackS(a);
      return sqrtExact(SINGLE, xm, xe);
    }
  }
}

function addExact(fmt: Fmt, sa: number, ma: bigint, ea: number, sb: number, mb: bigint, eb: number): number {
  const E = Math.min(ea, eb);
  let va = ma << BigInt(ea - E), vb = mb << BigInt(eb - E);
  if (sa) va = -va;
  if (sb) vb = -vb;
  const sum = va + vb;
  if (sum === 0n) {
    const s = env.rc === RC_DOWN ? 1 : 0;
    return encode(fmt, s, 0n, fmt.emin - 1);
  }
  return sum < 0n ? roundTo(fmt, 1, -sum, E, false) : roundTo(fmt, 0, sum, E, false);
}
function divExact(fmt: Fmt, s: number, ma: bigint, ea: number, mb: bigint, eb: number): number {
  const k = Math.max(0, fmt.p + 3 + bitLen(mb) - bitLen(ma));
  const num = ma << BigInt(k);
  const q = num / mb;
  return roundTo(fmt, s, q, ea - eb - k, q * mb !== num);
}
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLen(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
function sqrtExact(fmt: Fmt, m: bigint, e: number): number {
  if (e & 1) { m <<= 1n; e -= 1; }
  const k = Math.max(0, fmt.p + 3 - (bitLen(m) >> 1));
  const n = m << BigInt(2 * k);
  const r = isqrt(n);
  return roundTo(fmt, 0, r, e / 2 - k, r * r !== n);
}

/** double op on (alo,ahi), (blo,bhi): result in (rlo, rhi), flags in env */
export function opD(op: number, alo: number, ahi: number, blo: number, bhi: number): void {
  let ka = clsD(alo, ahi), kb = op === OP_SQRT ? K_NORM : clsD(blo, bhi);
  if (isNaNk(ka) || isNaNk(kb)) {
    if (op === OP_SQRT) { if (ka === K_SNAN) env.pre |= IE; setDbits(alo, ahi | 0x80000); return; }
    nanD(alo, ahi, ka, blo, bhi, kb);
    return;
  }
  if (env.rc === RC_NEAR && (ka === K_NORM || ka === K_ZERO) && (kb === K_NORM || kb === K_ZERO)) {
    const x = f64Of(alo, ahi), y = op === OP_SQRT ? 1 : f64Of(blo, bhi);
    const ax = Math.abs(x), ay = Math.abs(y);
    // operands where the error-free transformations below are exact
    if ((ax === 0 || (ax > SAFE_LO && ax < SAFE_HI)) && (ay === 0 || (ay > SAFE_LO && ay < SAFE_HI))) {
      let r = NaN, exact = true;
      switch (op) {
        case OP_ADD: case OP_SUB: {
          const yy = op === OP_SUB ? -y : y;
          r = x + yy;
          const bb = r - x;
          exact = x - (r - bb) + (yy - bb) === 0;
          break;
        }
        case OP_MUL: r = twoProd(x, y); exact = tpErr === 0; break;
        case OP_DIV: {
          if (y === 0) break;
          r = x / y;
          const p = twoProd(r, y);
          exact = x - p - tpErr === 0;
          break;
        }
        case OP_SQRT: {
          if (x <= 0) break;
          r = Math.sqrt(x);
          const p = twoProd(r, r);
          exact = x - p - tpErr === 0;
          break;
        }
      }
      const ar = Math.abs(r);
      // a zero is exact only from a zero operand or an exact cancellation (else it underflowed)
      if ((ar > SAFE_LO && ar < SAFE_HI) || (r === 0 && exact && (x === 0 || y === 0 || op <= OP_SUB))) {
        if (!exact) env.post |= PE;
        setD(r);
        return;
      }
    }
  }
  if (op === OP_SQRT && ka === K_DEN && ahi >>> 31 && !env.daz) { env.pre |= IE; setDbits(0, D_QNAN_DEFAULT_HI); return; }
  if (ka === K_DEN) { if (env.daz) ka = K_ZERO; else if (!(op === OP_DIV && kb === K_ZERO)) env.pre |= DE; }
  if (kb === K_DEN && op !== OP_SQRT) { if (env.daz) kb = K_ZERO; else env.pre |= DE; }
  slowD(op, alo, ahi, ka, blo, bhi, kb);
}

function slowD(op: number, alo: number, ahi: number, ka: number, blo: number, bhi: number, kb: number): void {
  const sa = ahi >>> 31, sb = op === OP_SUB ? (bhi >>> 31) ^ 1 : bhi >>> 31;
  const INF_HI = 0x7ff00000;
  const inf = (s: number): void => setDbits(0, (s << 31) | INF_HI);
  const zero = (s: number): void => setDbits(0, s << 31);
  const indef = (): void => { env.pre |= IE; setDbits(0, D_QNAN_DEFAULT_HI); };
  switch (op) {
    case OP_ADD: case OP_SUB: {
      if (ka === K_INF || kb === K_INF) {
        if (ka === K_INF && kb === K_INF && sa !== sb) return indef();
        return inf(ka === K_INF ? sa : sb);
      }
      if (ka === K_ZERO && kb === K_ZERO) return zero(sa === sb ? sa : env.rc === RC_DOWN ? 1 : 0);
      if (ka === K_ZERO) { unpackD(blo, bhi); roundTo(DOUBLE, sb, xm, xe, false); return; }
      if (kb === K_ZERO) { unpackD(alo, ahi); roundTo(DOUBLE, sa, xm, xe, false); return; }
      unpackD(alo, ahi); const ma = xm, ea = xe;
      unpackD(blo, bhi);
      addExact(DOUBLE, sa, ma, ea, sb, xm, xe);
      return;
    }
    case OP_MUL: {
      const s = sa ^ sb;
      if (ka === K_INF || kb === K_INF) {
        if (ka === K_ZERO || kb === K_ZERO) return indef();
        return inf(s);
      }
      if (ka === K_ZERO || kb === K_ZERO) return zero(s);
      unpackD(alo, ahi); const ma = xm, ea = xe;
      unpackD(blo, bhi);
      roundTo(DOUBLE, s, ma * xm, ea + xe, false);
      return;
    }
    case OP_DIV: {
      const s = sa ^ sb;
      if (ka === K_INF) return kb === K_INF ? indef() : inf(s);
      if (kb === K_INF) return zero(s);
      if (kb === K_ZERO) {
        if (ka === K_ZERO) return indef();
        env.pre |= ZE;
        return inf(s);
      }
      if (ka === K_ZERO) return zero(s);
      unpackD(alo, ahi); const ma = xm, ea = xe;
      unpackD(blo, bhi);
      divExact(DOUBLE, s, ma, ea, xm, xe);
      return;
    }
    default: {
      if (ka === K_ZERO) return zero(sa);
      if (sa) return indef();
      if (ka === K_INF) return setDbits(alo, ahi);
      unpackD(alo, ahi);
      sqrtExact(DOUBLE, xm, xe);
    }
  }
}

// ---- conversions

/** single -> double (exact; SNaN quietened with IE, denormal DE or DAZ) */
export function cvtS2D(a: number): void {
  const k = clsS(a), s = a >>> 31;
  if (isNaNk(k)) {
    if (k === K_SNAN) env.pre |= IE;
    const f = a & 0x7fffff;
    setDbits((f << 29) >>> 0, (s << 31) | 0x7ff80000 | (f >>> 3));
    return;
  }
  if (k === K_DEN) {
    if (env.daz) { setDbits(0, s << 31); return; }
    env.pre |= DE;
  }
  setD(f32Of(a));
}
/** double -> single with rounding */
export function cvtD2S(lo: number, hi: number): number {
  let k = clsD(lo, hi);
  const s = hi >>> 31;
  if (isNaNk(k)) {
    if (k === K_SNAN) env.pre |= IE;
    return ((s << 31) | 0x7fc00000 | ((hi & 0xfffff) << 3) | (lo >>> 29)) >>> 0;
  }
  if (k === K_DEN) { if (env.daz) k = K_ZERO; else env.pre |= DE; }
  if (k === K_ZERO) return (s << 31) >>> 0;
  if (k === K_INF) return ((s << 31) | 0x7f800000) >>> 0;
  if (env.rc === RC_NEAR) {
    const x = f64Of(lo, hi), f = Math.fround(x);
    if (Math.abs(x) >= TWO_M126 && Math.abs(f) !== Infinity) {
      if (f !== x) env.post |= PE;
      return bitsF32(f);
    }
  }
  unpackD(lo, hi);
  return roundTo(SINGLE, s, xm, xe, false);
}
/** int32 -> single with rounding */
export function cvtI2S(v: number): number {
  v |= 0;
  if (v === 0) return 0;
  const s = v < 0 ? 1 : 0;
  const m = BigInt(Math.abs(v));
  if (Math.abs(v) < 0x1000000) return bitsF32(v);
  return roundTo(SINGLE, s, m, 0, false);
}
/** int32 -> double (exact) */
export function cvtI2D(v: number): void { setD(v | 0); }

/**
 * float value (already decoded: class k, exact value x as a number or via bits) -> int32 with
 * rounding mode rc (truncation for cvtt*): NaN and out of range give 0x80000000 with IE.
 */
function toInt32(k: number, x: number, rc: number): number {
  if (isNaNk(k) || k === K_INF) { env.pre |= IE; return 0x80000000 | 0; }
  const r = roundIntegral(x, rc);
  if (r >= 2147483648 || r < -2147483648) { env.pre |= IE; return 0x80000000 | 0; }
  if (r !== x) env.post |= PE;
  return r | 0;
}
/** x rounded to an integral value by mode rc (halves to even when nearest); zeros keep x's sign */
export function roundIntegral(x: number, rc: number): number {
  switch (rc) {
    case RC_NEAR: {
      let r = Math.round(x);
      // Math.round rounds halves up: x87/SSE round them to even
      if (r - x === 0.5 && r % 2 !== 0) r -= 1;
      return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
    }
    case RC_DOWN: return Math.floor(x);
    case RC_UP: return Math.ceil(x);
    default: return Math.trunc(x);
  }
}
export function cvtS2I(a: number, truncate: boolean): number {
  let k = clsS(a);
  if (k === K_DEN && env.daz) k = K_ZERO;
  const x = k === K_ZERO ? 0 : f32Of(a);
  return toInt32(k, x, truncate ? RC_ZERO : env.rc);
}
export function cvtD2I(lo: number, hi: number, truncate: boolean): number {
  let k = clsD(lo, hi);
  if (k === K_DEN && env.daz) k = K_ZERO;
  const x = k === K_ZERO ? 0 : f64Of(lo, hi);
  return toInt32(k, x, truncate ? RC_ZERO : env.rc);
}

// ---- comparisons

/**
 * Compare a and b (classes ka kb, values x y): 0 less, 1 equal, 2 greater, 3 unordered.
 * signalling: IE for any NaN (else only for an SNaN). Denormals give DE (or DAZ zero).
 */
function cmpCore(ka: number, kb: number, x: number, y: number, signalling: boolean): number {
  if (isNaNk(ka) || isNaNk(kb)) {
    if (signalling || ka === K_SNAN || kb === K_SNAN) env.pre |= IE;
    return 3;
  }
  if (ka === K_DEN) { if (env.daz) x = 0; else env.pre |= DE; }
  if (kb === K_DEN) { if (env.daz) y = 0; else env.pre |= DE; }
  return x < y ? 0 : x === y ? 1 : 2;
}
export function cmpS(a: number, b: number, signalling: boolean): number {
  return cmpCore(clsS(a), clsS(b), f32Of(a), f32Of(b), signalling);
}
export function cmpD(alo: number, ahi: number, blo: number, bhi: number, signalling: boolean): number {
  return cmpCore(clsD(alo, ahi), clsD(blo, bhi), f64Of(alo, ahi), f64Of(blo, bhi), signalling);
}
/** cmpps predicate (0..7) on a comparison result; predicates 1 2 5 6 signal on QNaN too */
export function predicate(imm: number, r: number): boolean {
  switch (imm & 7) {
    case 0: return r === 1;
    case 1: return r === 0;
    case 2: return r === 0 || r === 1;
    case 3: return r === 3;
    case 4: return r !== 1;
    case 5: return r !== 0;
    case 6: return r !== 0 && r !== 1;
    default: return r !== 3;
  }
}
export const signallingPredicate = (imm: number): boolean => { const p = imm & 3; return p === 1 || p === 2; };

/** min (max = false) / max: any NaN or two zeros give the second operand; NaN gives IE. Returns true to take b. */
export function minmaxTakesB(r: number, max: boolean): boolean {
  if (r === 3) { env.pre |= IE; return true; }
  return max ? r !== 2 : r !== 0;
}
export { setDbits as setResultD, setD as setResultF64 };
