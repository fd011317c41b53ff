// rcpps/rcpss and rsqrtps/rsqrtss: the hardware's table approximations (12 significant bits,
// not IEEE results), from the table recorded on the golden-recording CPU
// (sse-approx-table.ts, scripts/record-sse-approx.mjs). Neither instruction reads the
// rounding mode or raises flags; denormal sources count as zero, and results too small for
// a normal single are flushed to zero (both measured).
import { APPROX_TABLE } from './sse-approx-table.js';

/** The table, decoded at the first use (decoding it took 1.5 ms of every start, cold) */
let table: Uint16Array | undefined;
function tab(): Uint16Array {
  if (!table) {
    const s = atob(APPROX_TABLE), b = new Uint8Array(s.length);
    for (let k = 0; k < s.length; k++) b[k] = s.charCodeAt(k);
    table = new Uint16Array(b.buffer);
  }
  return table;
}
const RCP = 0, RSQRT_EVEN = 4096, RSQRT_ODD = 8192;

function build(s: number, entry: number, expField: number): number {
  if (expField <= 0) return (s << 31) >>> 0;
  if (expField >= 255) return ((s << 31) | 0x7f800000) >>> 0;
  return ((s << 31) | (expField << 23) | ((entry & 0xfff) << 11)) >>> 0;
}

/** rcp of single bits b */
export function approxRcp(b: number, _daz: boolean): number {
  const s = b >>> 31, e = (b >>> 23) & 0xff, m = b & 0x7fffff;
  if (e === 0xff) return m ? (b | 0x400000) >>> 0 : (s << 31) >>> 0;
  if (e === 0) return ((s << 31) | 0x7f800000) >>> 0;
  const t = tab()[RCP + (m >>> 11)]!;
  return build(s, t, 126 + (t >> 12) + 127 - e);
}
/** rsqrt of single bits b */
export function approxRsqrt(b: number, _daz: boolean): number {
  const s = b >>> 31, e = (b >>> 23) & 0xff, m = b & 0x7fffff;
  if (e === 0xff) return m ? (b | 0x400000) >>> 0 : s ? 0xffc00000 : 0;
  if (e === 0) return ((s << 31) | 0x7f800000) >>> 0;
  if (s) return 0xffc00000;
  const k = e - 127, odd = k & 1;
  const t = tab()[(odd ? RSQRT_ODD : RSQRT_EVEN) + (m >>> 11)]!;
  return build(0, t, 126 + (t >> 12) - ((k - odd) >> 1));
}
