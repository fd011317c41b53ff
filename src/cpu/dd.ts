// Double-double arithmetic on JS numbers: a value is hi + lo, |lo| <= ulp(hi)/2, about 106 bits.
// Functions return the high part and leave the low part in `O[0]` (read it at once: the next call
// overwrites it), so the fast x87 paths allocate nothing (a typed array, as a module variable
// holding a double would be boxed on every write). Error-free sums and products (Knuth,
// Dekker) need no fused multiply-add.

export const O = new Float64Array(1);

const SPLIT = 134217729; // 2^27 + 1

/** a + b exactly: returns the rounded sum, the error in `lo`. */
export function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  O[0] = (a - (s - bb)) + (b - bb);
  return s;
}

/** a * b exactly (no overflow or underflow): returns the rounded product, the error in `lo`. */
export function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  O[0] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

/** (ah + al) * (bh + bl), relative error below 2^-104. */
export function mul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProd(ah, bh);
  const e = O[0] + (ah * bl + al * bh);
  const s = p + e;
  O[0] = e - (s - p);
  return s;
}

/** (ah + al) + (bh + bl) with both parts summed error-free: accurate even under cancellation. */
export function add(ah: number, al: number, bh: number, bl: number): number {
  let s = twoSum(ah, bh);
  let e = O[0];
  const t = twoSum(al, bl);
  const f = O[0];
  e += t;
  let h = s + e;
  e -= h - s;
  e += f;
  s = h + e;
  O[0] = e - (s - h);
  return s;
}

/** (ah + al) / (bh + bl): three quotient digits, relative error about 2^-104. */
export function div(ah: number, al: number, bh: number, bl: number): number {
  const q1 = ah / bh;
  let p = mul(bh, bl, q1, 0);
  let r = add(ah, al, -p, -O[0]);
  let rl = O[0];
  const q2 = r / bh;
  p = mul(bh, bl, q2, 0);
  r = add(r, rl, -p, -O[0]);
  const q3 = r / bh;
  const h = q1 + q2;
  let e = q2 - (h - q1);
  e += q3;
  const s = h + e;
  O[0] = e - (s - h);
  return s;
}

/** 2^n as a number for -1074 <= n <= 1023, exact. */
export const POW2D = new Float64Array(2200);
{
  let p = 1;
  for (let n = 0; n <= 1023; n++) { POW2D[n + 1100] = p; p *= 2; }
  p = 1;
  for (let n = 0; n >= -1074; n--) { POW2D[n + 1100] = p; p /= 2; }
}
export const pow2 = (n: number): number => POW2D[n + 1100];
