// SSSE3, the integer part of SSE4.1, SSE4.2 (string compares, pcmpgtq, crc32) and POPCNT.
// Handlers read every operand (raising any fault) before they change state; the hot ones
// (pshufb, palignr, pcmpistri … used by glibc's string routines) allocate nothing.
import type { CPU } from './cpu.js';
import type { Handler, Insn } from './decode.js';
import { EAX, ECX, EDX } from './machine.js';
import { CF, OF, SF, STATUS, ZF } from './flags.js';
import type { FPU } from './fpu.js';
import type { SimdEntry } from './simd-table.js';
import { A, B, C, D, K_MM, getMM, getX, loadE, mmxEnter, putX, readMem, storeG, type Vec } from './simd.js';

// ---------------------------------------------------------------- operands

/**
 * Destination into A, source into B, for forms that exist on mm (NP, 8 bytes) and xmm (66,
 * 16 bytes); returns the width. A pending x87 exception (#MF) comes before a memory fault, and
 * the MMX state change (TOP = 0, tags valid) after it: a faulting MMX instruction leaves the
 * x87 state as it was (measured).
 */
function load2(c: CPU, i: Insn): number {
  if (i.def!.gk === K_MM) {
    if ((c.x87 as FPU).sw & 0x80) mmxEnter(c, i);
    loadE(c, i, B, 8);
    mmxEnter(c, i);
    getMM(c, i.reg, A);
    return 8;
  }
  loadE(c, i, B, 16);
  getX(c, i.reg, A);
  return 16;
}
/** xmm forms only: destination into A, 16-byte source into B. */
function loadX(c: CPU, i: Insn): void {
  loadE(c, i, B, 16);
  getX(c, i.reg, A);
}
/** Low n (2, 4 or 8) bytes of the xmm rm operand into v: a memory form reads only those. */
function loadLow(c: CPU, i: Insn, v: Vec, n: number): void {
  if (!i.m) { getX(c, i.rm, v); return; }
  const a = c.ea(i);
  if (n === 2) v.u16[0] = c.mem.read16(a);
  else readMem(c, i, a, v, n);
}

const sat16 = (v: number): number => (v > 0x7fff ? 0x7fff : v < -0x8000 ? -0x8000 : v);

// ---------------------------------------------------------------- SSSE3

/** pshufb: each byte from the destination byte the source byte indexes, or 0 when its bit 7 is set */
function pshufb(c: CPU, i: Insn): void {
  const n = load2(c, i), a = A.u8, b = B.u8, r = C.u8, m = n - 1;
  for (let k = 0; k < n; k++) {
    const s = b[k]!;
    r[k] = s & 0x80 ? 0 : a[s & m]!;
  }
  storeG(c, i, C);
}

/** phaddw phaddsw phsubw phsubsw (sub: bit 0 saturate, bit 1 subtract): adjacent word pairs, destination's then source's */
function phw(c: CPU, i: Insn): void {
  const n = load2(c, i), h = n >> 2, a = A.i16, b = B.i16, r = C.i16;
  const sat = (i.sub & 1) !== 0, sub = (i.sub & 2) !== 0;
  for (let k = 0; k < h; k++) {
    let x = sub ? a[2 * k]! - a[2 * k + 1]! : a[2 * k]! + a[2 * k + 1]!;
    let y = sub ? b[2 * k]! - b[2 * k + 1]! : b[2 * k]! + b[2 * k + 1]!;
    if (sat) { x = sat16(x); y = sat16(y); }
    r[k] = x;
    r[k + h] = y;
  }
  storeG(c, i, C);
}
/** phaddd phsubd (sub 2: subtract) */
function phd(c: CPU, i: Insn): void {
  const n = load2(c, i), h = n >> 3, a = A.i32, b = B.i32, r = C.i32;
  const sub = i.sub === 2;
  for (let k = 0; k < h; k++) {
    r[k] = sub ? a[2 * k]! - a[2 * k + 1]! : a[2 * k]! + a[2 * k + 1]!;
    r[k + h] = sub ? b[2 * k]! - b[2 * k + 1]! : b[2 * k]! + b[2 * k + 1]!;
  }
  storeG(c, i, C);
}
/** pmaddubsw: unsigned destination bytes times signed source bytes, pairs added with signed saturation */
function pmaddubsw(c: CPU, i: Insn): void {
  const n = load2(c, i), a = A.u8, b = B.i8, r = C.i16;
  for (let k = 0; k < n >> 1; k++) r[k] = sat16(a[2 * k]! * b[2 * k]! + a[2 * k + 1]! * b[2 * k + 1]!);
  storeG(c, i, C);
}
/** pmulhrsw: (a * b + 0x4000) >> 15 per signed word (0x8000 * 0x8000 wraps to 0x8000) */
function pmulhrsw(c: CPU, i: Insn): void {
  const n = load2(c, i), a = A.i16, b = B.i16, r = C.i16;
  for (let k = 0; k < n >> 1; k++) r[k] = (((a[k]! * b[k]!) >> 14) + 1) >> 1;
  storeG(c, i, C);
}
/** psignb/w/d (sub: lane bytes 1, 2, 4): negate, zero or keep the destination lane by the source lane's sign */
function psign(c: CPU, i: Insn): void {
  const n = load2(c, i);
  const a = i.sub === 1 ? A.i8 : i.sub === 2 ? A.i16 : A.i32;
  const b = i.sub === 1 ? B.i8 : i.sub === 2 ? B.i16 : B.i32;
  const r = i.sub === 1 ? C.i8 : i.sub === 2 ? C.i16 : C.i32;
  for (let k = 0, l = n / i.sub; k < l; k++) {
    const s = b[k]!;
    r[k] = s < 0 ? -a[k]! : s === 0 ? 0 : a[k]!;
  }
  storeG(c, i, C);
}
/** pabsb/w/d (sub: lane bytes): absolute value of the source lanes (the minimum stays as it is) */
function pabs(c: CPU, i: Insn): void {
  const n = load2(c, i);
  const b = i.sub === 1 ? B.i8 : i.sub === 2 ? B.i16 : B.i32;
  const r = i.sub === 1 ? C.i8 : i.sub === 2 ? C.i16 : C.i32;
  for (let k = 0, l = n / i.sub; k < l; k++) { const s = b[k]!; r[k] = s < 0 ? -s : s; }
  storeG(c, i, C);
}
/** palignr: destination:source (destination high) shifted right by imm8 bytes, low half kept */
function palignr(c: CPU, i: Insn): void {
  const n = load2(c, i), a = A.u8, b = B.u8, r = C.u8, s = i.imm;
  for (let k = 0; k < n; k++) {
    const j = k + s;
    r[k] = j < n ? b[j]! : j < 2 * n ? a[j - n]! : 0;
  }
  storeG(c, i, C);
}

// ---------------------------------------------------------------- SSE4.1

/** pblendvb: bytes from the source where XMM0's byte has bit 7 set */
function pblendvb(c: CPU, i: Insn): void {
  loadX(c, i);
  getX(c, 0, D);
  const a = A.u8, b = B.u8, m = D.u8;
  for (let k = 0; k < 16; k++) if (m[k]! & 0x80) a[k] = b[k]!;
  putX(c, i.reg, A);
}
/** pblendw: words from the source where imm8 has a bit set */
function pblendw(c: CPU, i: Insn): void {
  loadX(c, i);
  const a = A.u16, b = B.u16;
  for (let k = 0; k < 8; k++) if ((i.imm >> k) & 1) a[k] = b[k]!;
  putX(c, i.reg, A);
}
/** ptest: ZF = (dest AND src) == 0, CF = (NOT dest AND src) == 0, the other status flags cleared */
function ptest(c: CPU, i: Insn): void {
  loadX(c, i);
  const a = A.i32, b = B.i32;
  let and = 0, andn = 0;
  for (let k = 0; k < 4; k++) { and |= a[k]! & b[k]!; andn |= ~a[k]! & b[k]!; }
  c.setStatus(STATUS, (and === 0 ? ZF : 0) | (andn === 0 ? CF : 0));
}

type Lanes = { [k: number]: number; readonly length: number };
/** pminsb pminsd pminuw pminud pmaxsb pmaxsd pmaxuw pmaxud */
function minMax(lanes: (v: Vec) => Lanes, max: boolean): Handler {
  return (c, i) => {
    loadX(c, i);
    const a = lanes(A), b = lanes(B);
    for (let k = 0; k < a.length; k++) {
      const x = a[k]!, y = b[k]!;
      if (max ? y > x : y < x) a[k] = y;
    }
    putX(c, i.reg, A);
  };
}
/** pmulld: low 32 bits of the signed products */
function pmulld(c: CPU, i: Insn): void {
  loadX(c, i);
  for (let k = 0; k < 4; k++) A.i32[k] = Math.imul(A.i32[k]!, B.i32[k]!);
  putX(c, i.reg, A);
}
/** Signed 32 x 32 -> 64-bit product of x and y into r[o] (low) and r[o + 1] (high), exactly, without BigInt. */
function smul64(x: number, y: number, r: Uint32Array, o: number): void {
  const xu = x >>> 0, yu = y >>> 0;
  const x0 = xu & 0xffff, x1 = xu >>> 16, y0 = yu & 0xffff, y1 = yu >>> 16;
  const p00 = x0 * y0;
  const t = x1 * y0 + x0 * y1 + Math.floor(p00 / 0x10000); // below 2^34: exact
  let hi = x1 * y1 + Math.floor(t / 0x10000); // unsigned high half
  if (x < 0) hi -= yu;
  if (y < 0) hi -= xu;
  r[o] = Math.imul(x, y) >>> 0;
  r[o + 1] = hi >>> 0;
}
/** pmuldq: signed products of dwords 0 and 2 as quadwords */
function pmuldq(c: CPU, i: Insn): void {
  loadX(c, i);
  const x0 = A.i32[0]!, x2 = A.i32[2]!, y0 = B.i32[0]!, y2 = B.i32[2]!;
  smul64(x0, y0, A.u32, 0);
  smul64(x2, y2, A.u32, 2);
  putX(c, i.reg, A);
}
/** pextrb / pextrw (0F 3A 15) / pextrd (sub: bytes) to r32 (zero-extended) or memory */
function pextr(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  const s = i.sub;
  const v = s === 1 ? A.u8[i.imm & 15]! : s === 2 ? A.u16[i.imm & 7]! : A.i32[i.imm & 3]!;
  if (!i.m) { c.regs[i.rm] = v; return; }
  const a = c.ea(i);
  if (s === 1) c.mem.write8(a, v);
  else if (s === 2) c.mem.write16(a, v);
  else c.mem.write32(a, v);
}
/** pinsrb / pinsrd (sub: bytes) from r32 or memory */
function pinsr(c: CPU, i: Insn): void {
  const s = i.sub;
  const v = i.m ? (s === 1 ? c.mem.read8(c.ea(i)) : c.mem.read32(c.ea(i))) : c.regs[i.rm]!;
  getX(c, i.reg, A);
  if (s === 1) A.u8[i.imm & 15] = v;
  else A.i32[i.imm & 3] = v;
  putX(c, i.reg, A);
}
/** pmovsx / pmovzx (sub: source lane bytes * 16 + destination lane bytes, + 0x100 when signed) */
function pmovx(c: CPU, i: Insn): void {
  const from = (i.sub >> 4) & 15, to = i.sub & 15, signed = i.sub >= 0x100;
  const lanes = 16 / to;
  loadLow(c, i, B, lanes * from);
  const r = C.i32;
  for (let k = 0; k < lanes; k++) {
    const v = from === 1 ? (signed ? B.i8[k]! : B.u8[k]!) : from === 2 ? (signed ? B.i16[k]! : B.u16[k]!) : (signed ? B.i32[k]! : B.u32[k]!);
    if (to === 2) C.u16[k] = v;
    else if (to === 4) r[k] = v;
    else { r[2 * k] = v; r[2 * k + 1] = v < 0 ? -1 : 0; }
  }
  putX(c, i.reg, C);
}
/** mpsadbw: eight sums of absolute differences of 4-byte windows (imm8 bit 2: destination offset 4, bits 1:0: source block) */
function mpsadbw(c: CPU, i: Insn): void {
  loadX(c, i);
  const a = A.u8, b = B.u8, d = (i.imm & 4), s = (i.imm & 3) * 4;
  for (let j = 0; j < 8; j++) {
    let sum = 0;
    for (let k = 0; k < 4; k++) { const x = a[d + j + k]! - b[s + k]!; sum += x < 0 ? -x : x; }
    C.u16[j] = sum;
  }
  putX(c, i.reg, C);
}
/** packusdw: signed dwords to words with unsigned saturation, destination's then source's */
function packusdw(c: CPU, i: Insn): void {
  loadX(c, i);
  for (let k = 0; k < 4; k++) {
    const x = A.i32[k]!, y = B.i32[k]!;
    C.u16[k] = x < 0 ? 0 : x > 0xffff ? 0xffff : x;
    C.u16[k + 4] = y < 0 ? 0 : y > 0xffff ? 0xffff : y;
  }
  putX(c, i.reg, C);
}
/** pcmpeqq (sub 0) / pcmpgtq (sub 1, signed) */
function pcmpq(c: CPU, i: Insn): void {
  loadX(c, i);
  const a = A.i32, b = B.i32;
  for (let k = 0; k < 4; k += 2) {
    const lo = a[k]!, hi = a[k + 1]!, blo = b[k]!, bhi = b[k + 1]!;
    const t = i.sub === 0 ? lo === blo && hi === bhi : hi > bhi || (hi === bhi && lo >>> 0 > blo >>> 0);
    a[k] = a[k + 1] = t ? -1 : 0;
  }
  putX(c, i.reg, A);
}
/** phminposuw: the least unsigned word (the first of equals) in bits 15:0, its index in 18:16, the rest zero */
function phminposuw(c: CPU, i: Insn): void {
  loadE(c, i, B, 16);
  let m = B.u16[0]!, at = 0;
  for (let k = 1; k < 8; k++) if (B.u16[k]! < m) { m = B.u16[k]!; at = k; }
  C.zero();
  C.u16[0] = m;
  C.u16[1] = at;
  putX(c, i.reg, C);
}
/** movntdqa: an aligned 16-byte load (the non-temporal hint has no effect here) */
function movntdqa(c: CPU, i: Insn): void {
  loadE(c, i, A, 16);
  putX(c, i.reg, A);
}

// ---------------------------------------------------------------- SSE4.2 string compares

/**
 * pcmpestri pcmpestrm pcmpistri pcmpistrm (sub: bit 0 explicit lengths, bit 1 mask output).
 * imm8: bits 1:0 format (unsigned/signed bytes/words), 3:2 aggregation (equal any, ranges,
 * equal each, equal ordered), 5:4 polarity, 6 most significant index / expanded mask.
 * xmm1 (ModRM.reg, A) holds the set, ranges or needle; xmm2/m128 (B) the string searched.
 */
const SET = new Int32Array(8);
function pcmpstr(c: CPU, i: Insn): void {
  loadX(c, i);
  const imm = i.imm, words = (imm & 1) !== 0, n = words ? 8 : 16;
  const a = imm & 2 ? (words ? A.i16 : A.i8) : (words ? A.u16 : A.u8);
  const b = imm & 2 ? (words ? B.i16 : B.i8) : (words ? B.u16 : B.u8);
  let la: number, lb: number;
  if (i.sub & 1) {
    la = Math.abs(c.regs[EAX]!); if (la > n) la = n;
    lb = Math.abs(c.regs[EDX]!); if (lb > n) lb = n;
  } else {
    la = 0; while (la < n && a[la] !== 0) la++;
    lb = 0; while (lb < n && b[lb] !== 0) lb++;
  }
  let res = 0;
  switch ((imm >> 2) & 3) {
    case 0: // equal any: string element j in the set
      if (words) {
        for (let j = 0; j < lb; j++) {
          const x = b[j]!;
          for (let k = 0; k < la; k++) if (a[k] === x) { res |= 1 << j; break; }
        }
      } else {
        // bytes: the set as a 256-bit map (strspn/strcspn-style sets of up to 16)
        const set = SET, au = A.u8, bu = B.u8;
        set.fill(0);
        for (let k = 0; k < la; k++) { const x = au[k]!; set[x >> 5] |= 1 << (x & 31); }
        for (let j = 0; j < lb; j++) { const x = bu[j]!; res |= ((set[x >> 5]! >>> (x & 31)) & 1) << j; }
      }
      break;
    case 1: // ranges: string element j within a valid pair [a[k], a[k+1]]
      for (let j = 0; j < lb; j++) {
        const x = b[j]!;
        for (let k = 0; k + 1 < la; k += 2) if (x >= a[k]! && x <= a[k + 1]!) { res |= 1 << j; break; }
      }
      break;
    case 2: // equal each: both valid and equal, or both invalid
      for (let j = 0; j < n; j++) {
        if (j < la ? j < lb && a[j] === b[j] : j >= lb) res |= 1 << j;
      }
      break;
    default: // equal ordered: the needle (ended early: matches) at position j
      for (let j = 0; j < n; j++) {
        let ok = true;
        for (let k = 0; k < la && j + k < n; k++) {
          if (j + k >= lb || a[k] !== b[j + k]) { ok = false; break; }
        }
        if (ok) res |= 1 << j;
      }
  }
  // polarity: negated, or negated only over the valid string elements
  const pol = (imm >> 4) & 3;
  if (pol === 1) res ^= (1 << n) - 1;
  else if (pol === 3) res ^= (1 << lb) - 1;
  if (i.sub & 2) {
    const r = C.i32;
    r[0] = r[1] = r[2] = r[3] = 0;
    if (imm & 0x40) {
      if (words) { for (let k = 0; k < 8; k++) if ((res >> k) & 1) C.u16[k] = 0xffff; }
      else for (let k = 0; k < 16; k++) if ((res >> k) & 1) C.u8[k] = 0xff;
    } else r[0] = res;
    putX(c, 0, C);
  } else {
    c.regs[ECX] = res === 0 ? n : imm & 0x40 ? 31 - Math.clz32(res) : 31 - Math.clz32(res & -res);
  }
  c.setStatus(STATUS, (res !== 0 ? CF : 0) | (lb < n ? ZF : 0) | (la < n ? SF : 0) | (res & 1 ? OF : 0));
}

// ---------------------------------------------------------------- crc32, popcnt

/** CRC-32C (Castagnoli), bit-reflected: polynomial 0x1EDC6F41 reversed */
const CRC32C = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let r = n;
  for (let k = 0; k < 8; k++) r = r & 1 ? (r >>> 1) ^ 0x82f63b78 : r >>> 1;
  CRC32C[n] = r;
}
/** crc32 r32, r/m8 (sub 1) or r/m16/r/m32 (sub 0: operand size): the bytes little-endian first */
function crc32(c: CPU, i: Insn): void {
  const bytes = i.sub === 1 ? 1 : i.size;
  let v: number;
  if (i.m) v = c.rd(bytes, c.ea(i));
  else v = c.getR(bytes, i.rm);
  let crc = c.regs[i.reg]!;
  for (let k = 0; k < bytes; k++, v >>>= 8) crc = CRC32C[(crc ^ v) & 0xff]! ^ (crc >>> 8);
  c.regs[i.reg] = crc;
}
/** popcnt r16/r32: ZF when the source is zero, the other status flags cleared */
function popcnt(c: CPU, i: Insn): void {
  let v = c.readE(i) >>> 0;
  const z = v === 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  c.setR(i.size, i.reg, Math.imul(v, 0x01010101) >>> 24);
  c.setStatus(STATUS, z ? ZF : 0);
}

// ---------------------------------------------------------------- table

/** the memory operand is only read (a cs: override is then allowed) */
const RO = { ro: true } as const;
/** a 16-byte memory operand with no alignment requirement */
const UA = { ro: true, ua: true } as const;

const mm = (op: string, name: string, fn: Handler, sub?: number): SimdEntry[] => [
  [`NP 0F 38 ${op} /r`, name, 'Pq,Qq', fn, sub, RO],
  [`66 0F 38 ${op} /r`, name, 'Vx,Wx', fn, sub, RO],
];
const x38 = (op: string, name: string, fn: Handler, sub?: number): SimdEntry =>
  [`66 0F 38 ${op} /r`, name, 'Vx,Wx', fn, sub, RO];

export const ENTRIES: readonly SimdEntry[] = [
  // SSSE3
  ...mm('00', 'pshufb', pshufb),
  ...mm('01', 'phaddw', phw, 0),
  ...mm('02', 'phaddd', phd, 0),
  ...mm('03', 'phaddsw', phw, 1),
  ...mm('04', 'pmaddubsw', pmaddubsw),
  ...mm('05', 'phsubw', phw, 2),
  ...mm('06', 'phsubd', phd, 2),
  ...mm('07', 'phsubsw', phw, 3),
  ...mm('08', 'psignb', psign, 1),
  ...mm('09', 'psignw', psign, 2),
  ...mm('0A', 'psignd', psign, 4),
  ...mm('0B', 'pmulhrsw', pmulhrsw),
  ...mm('1C', 'pabsb', pabs, 1),
  ...mm('1D', 'pabsw', pabs, 2),
  ...mm('1E', 'pabsd', pabs, 4),
  ['NP 0F 3A 0F /r', 'palignr', 'Pq,Qq,Ib', palignr, 0, RO],
  ['66 0F 3A 0F /r', 'palignr', 'Vx,Wx,Ib', palignr, 0, RO],
  // SSE4.1
  x38('10', 'pblendvb', pblendvb),
  x38('17', 'ptest', ptest),
  ['66 0F 38 20 /r', 'pmovsxbw', 'Vx,Wq', pmovx, 0x112, RO],
  ['66 0F 38 21 /r', 'pmovsxbd', 'Vx,Wd', pmovx, 0x114, RO],
  ['66 0F 38 22 /r', 'pmovsxbq', 'Vx,Ww', pmovx, 0x118, RO],
  ['66 0F 38 23 /r', 'pmovsxwd', 'Vx,Wq', pmovx, 0x124, RO],
  ['66 0F 38 24 /r', 'pmovsxwq', 'Vx,Wd', pmovx, 0x128, RO],
  ['66 0F 38 25 /r', 'pmovsxdq', 'Vx,Wq', pmovx, 0x148, RO],
  x38('28', 'pmuldq', pmuldq),
  x38('29', 'pcmpeqq', pcmpq, 0),
  ['66 0F 38 2A /r', 'movntdqa', 'Vx,Mx', movntdqa, 0, RO],
  x38('2B', 'packusdw', packusdw),
  ['66 0F 38 30 /r', 'pmovzxbw', 'Vx,Wq', pmovx, 0x12, RO],
  ['66 0F 38 31 /r', 'pmovzxbd', 'Vx,Wd', pmovx, 0x14, RO],
  ['66 0F 38 32 /r', 'pmovzxbq', 'Vx,Ww', pmovx, 0x18, RO],
  ['66 0F 38 33 /r', 'pmovzxwd', 'Vx,Wq', pmovx, 0x24, RO],
  ['66 0F 38 34 /r', 'pmovzxwq', 'Vx,Wd', pmovx, 0x28, RO],
  ['66 0F 38 35 /r', 'pmovzxdq', 'Vx,Wq', pmovx, 0x48, RO],
  x38('37', 'pcmpgtq', pcmpq, 1),
  x38('38', 'pminsb', minMax((v) => v.i8, false)),
  x38('39', 'pminsd', minMax((v) => v.i32, false)),
  x38('3A', 'pminuw', minMax((v) => v.u16, false)),
  x38('3B', 'pminud', minMax((v) => v.u32, false)),
  x38('3C', 'pmaxsb', minMax((v) => v.i8, true)),
  x38('3D', 'pmaxsd', minMax((v) => v.i32, true)),
  x38('3E', 'pmaxuw', minMax((v) => v.u16, true)),
  x38('3F', 'pmaxud', minMax((v) => v.u32, true)),
  x38('40', 'pmulld', pmulld),
  x38('41', 'phminposuw', phminposuw),
  ['66 0F 3A 0E /r', 'pblendw', 'Vx,Wx,Ib', pblendw, 0, RO],
  ['66 0F 3A 14 /r', 'pextrb', 'Ed,Vx,Ib', pextr, 1],
  ['66 0F 3A 15 /r', 'pextrw', 'Ed,Vx,Ib', pextr, 2],
  ['66 0F 3A 16 /r', 'pextrd', 'Ed,Vx,Ib', pextr, 4],
  ['66 0F 3A 20 /r', 'pinsrb', 'Vx,Ed,Ib', pinsr, 1, RO],
  ['66 0F 3A 22 /r', 'pinsrd', 'Vx,Ed,Ib', pinsr, 4, RO],
  ['66 0F 3A 42 /r', 'mpsadbw', 'Vx,Wx,Ib', mpsadbw, 0, RO],
  // SSE4.2
  ['66 0F 3A 60 /r', 'pcmpestrm', 'Vx,Wx,Ib', pcmpstr, 3, UA],
  ['66 0F 3A 61 /r', 'pcmpestri', 'Vx,Wx,Ib', pcmpstr, 1, UA],
  ['66 0F 3A 62 /r', 'pcmpistrm', 'Vx,Wx,Ib', pcmpstr, 2, UA],
  ['66 0F 3A 63 /r', 'pcmpistri', 'Vx,Wx,Ib', pcmpstr, 0, UA],
  ['F2 0F 38 F0 /r', 'crc32', 'Gd,Eb', crc32, 1, RO],
  ['F2 0F 38 F1 /r', 'crc32', 'Gd,Ev', crc32, 0, RO],
  // POPCNT
  ['F3 0F B8 /r', 'popcnt', 'Gv,Ev', popcnt, 0, RO],
];
