// MMX and the SSE/SSE2 integer instructions: moves (movd/movq/movdqa/movdqu, non-temporal and
// masked stores), lane arithmetic, compares, logic, packs and unpacks, shifts, shuffles,
// pextrw/pinsrw/pmovmskb, emms.
//
// A form on mm registers is an MMX instruction: a pending unmasked x87 exception raises #MF
// before anything else (mmx()), and its x87 state change (TOP = 0, every register valid,
// mmxOn()) is made together with its result, after every check that may fault.
// Lane operations work on the scratch values of simd.ts: A (destination) op= B (source), n
// bytes (8 for mm, 16 for xmm); packs and unpacks build their result in C.
import { EDI, type CPU } from './machine.js';
import type { Handler, Insn } from './decode.js';
import type { FPU } from './fpu.js';
import { CpuFault, SIGFPE, TRAP_MF, generalProtection } from './fault.js';
import type { SimdEntry } from './simd-table.js';
import {
  A, B, C, K_MM, K_XMM, getMM, getX, loadE, loadG, putMM, putMM32, putX, readMem, storeE, storeG, writeMem, mmxState, mmxLeave,
} from './simd.js';

/** True when the form uses mm registers; then a pending x87 exception is raised now (#MF). */
function mmx(c: CPU, i: Insn): boolean {
  const d = i.def!;
  if (d.gk !== K_MM && d.ek !== K_MM) return false;
  const f = c.x87 as FPU;
  if (f.sw & 0x80) throw new CpuFault(SIGFPE, f.pendingCode(), i.eip >>> 0, TRAP_MF, 0);
  return true;
}
/** The MMX state transition (what mmxEnter does once its #MF check passed): TOP = 0, all tags valid. */
function mmxOn(c: CPU): void {
  mmxState(c);
}

// ---------------------------------------------------------------- lane operations

const a8 = A.u8, b8 = B.u8, c8 = C.u8, as8 = A.i8, bs8 = B.i8, cs8 = C.i8;
const a16 = A.u16, b16 = B.u16, c16 = C.u16, as16 = A.i16, bs16 = B.i16, cs16 = C.i16;
const a32 = A.u32, b32 = B.u32, c32 = C.u32, as32 = A.i32, bs32 = B.i32;
// unsigned byte saturation for free: a clamped view stores 0 below 0 and 255 above 255
const a8c = new Uint8ClampedArray(A.u8.buffer), c8c = new Uint8ClampedArray(C.u8.buffer);

const sat8 = (v: number): number => (v > 127 ? 127 : v < -128 ? -128 : v);
const sat16 = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);

/** x * y (unsigned 32-bit) into lanes k, k+1 of A as a 64-bit product (exact: 16-bit partial products). */
function mul64(x: number, y: number, k: number): void {
  const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
  const mid = xh * yl + xl * yh; // < 2^33
  const carry = Math.floor((xl * yl + (mid % 65536) * 65536) / 4294967296);
  a32[k + 1] = xh * yh + Math.floor(mid / 65536) + carry;
  a32[k] = Math.imul(x, y);
}

type LaneOp = (n: number) => void;

/** Lane operations of pbinop, by sub: [opcode (0F xx), name, A op= B over n bytes, xmm only]. */
const LANES: [op: string, name: string, f: LaneOp, xmmOnly?: boolean][] = [
  ['FC', 'paddb', (n) => { for (let k = 0; k < n; k++) a8[k] += b8[k]; }],
  ['FD', 'paddw', (n) => { for (let k = 0; k < n >> 1; k++) a16[k] += b16[k]; }],
  ['FE', 'paddd', (n) => { for (let k = 0; k < n >> 2; k++) a32[k] += b32[k]; }],
  ['D4', 'paddq', (n) => {
    for (let k = 0; k < n >> 2; k += 2) {
      const lo = a32[k] + b32[k];
      a32[k + 1] += b32[k + 1] + (lo > 0xffffffff ? 1 : 0);
      a32[k] = lo;
    }
  }],
  ['F8', 'psubb', (n) => { for (let k = 0; k < n; k++) a8[k] -= b8[k]; }],
  ['F9', 'psubw', (n) => { for (let k = 0; k < n >> 1; k++) a16[k] -= b16[k]; }],
  ['FA', 'psubd', (n) => { for (let k = 0; k < n >> 2; k++) a32[k] -= b32[k]; }],
  ['FB', 'psubq', (n) => {
    for (let k = 0; k < n >> 2; k += 2) {
      const lo = a32[k] - b32[k];
      a32[k + 1] -= b32[k + 1] + (lo < 0 ? 1 : 0);
      a32[k] = lo;
    }
  }],
  ['EC', 'paddsb', (n) => { for (let k = 0; k < n; k++) as8[k] = sat8(as8[k] + bs8[k]); }],
  ['ED', 'paddsw', (n) => { for (let k = 0; k < n >> 1; k++) as16[k] = sat16(as16[k] + bs16[k]); }],
  ['DC', 'paddusb', (n) => { for (let k = 0; k < n; k++) a8c[k] = a8[k] + b8[k]; }],
  ['DD', 'paddusw', (n) => {
    for (let k = 0; k < n >> 1; k++) { const s = a16[k] + b16[k]; a16[k] = s > 0xffff ? 0xffff : s; }
  }],
  ['E8', 'psubsb', (n) => { for (let k = 0; k < n; k++) as8[k] = sat8(as8[k] - bs8[k]); }],
  ['E9', 'psubsw', (n) => { for (let k = 0; k < n >> 1; k++) as16[k] = sat16(as16[k] - bs16[k]); }],
  ['D8', 'psubusb', (n) => { for (let k = 0; k < n; k++) a8c[k] = a8[k] - b8[k]; }],
  ['D9', 'psubusw', (n) => {
    for (let k = 0; k < n >> 1; k++) { const d = a16[k] - b16[k]; a16[k] = d < 0 ? 0 : d; }
  }],
  ['D5', 'pmullw', (n) => { for (let k = 0; k < n >> 1; k++) a16[k] = Math.imul(a16[k], b16[k]); }],
  ['E5', 'pmulhw', (n) => { for (let k = 0; k < n >> 1; k++) as16[k] = (as16[k] * bs16[k]) >> 16; }],
  ['E4', 'pmulhuw', (n) => { for (let k = 0; k < n >> 1; k++) a16[k] = (a16[k] * b16[k]) >>> 16; }],
  ['F4', 'pmuludq', (n) => { for (let k = 0; k < n >> 2; k += 2) mul64(a32[k], b32[k], k); }],
  // 0x8000 * 0x8000 twice is 2^31: the Int32Array store wraps it to 0x80000000 as the CPU does
  ['F5', 'pmaddwd', (n) => {
    for (let k = 0; k < n >> 2; k++) as32[k] = as16[2 * k] * bs16[2 * k] + as16[2 * k + 1] * bs16[2 * k + 1];
  }],
  ['E0', 'pavgb', (n) => { for (let k = 0; k < n; k++) a8[k] = (a8[k] + b8[k] + 1) >> 1; }],
  ['E3', 'pavgw', (n) => { for (let k = 0; k < n >> 1; k++) a16[k] = (a16[k] + b16[k] + 1) >> 1; }],
  ['DA', 'pminub', (n) => { for (let k = 0; k < n; k++) if (b8[k] < a8[k]) a8[k] = b8[k]; }],
  ['DE', 'pmaxub', (n) => { for (let k = 0; k < n; k++) if (b8[k] > a8[k]) a8[k] = b8[k]; }],
  ['EA', 'pminsw', (n) => { for (let k = 0; k < n >> 1; k++) if (bs16[k] < as16[k]) as16[k] = bs16[k]; }],
  ['EE', 'pmaxsw', (n) => { for (let k = 0; k < n >> 1; k++) if (bs16[k] > as16[k]) as16[k] = bs16[k]; }],
  ['F6', 'psadbw', (n) => {
    for (let g = 0; g < n; g += 8) {
      let s = 0;
      for (let k = g; k < g + 8; k++) s += Math.abs(a8[k] - b8[k]);
      a32[g >> 2] = s;
      a32[(g >> 2) + 1] = 0;
    }
  }],
  ['74', 'pcmpeqb', (n) => { for (let k = 0; k < n; k++) a8[k] = a8[k] === b8[k] ? 0xff : 0; }],
  ['75', 'pcmpeqw', (n) => { for (let k = 0; k < n >> 1; k++) a16[k] = a16[k] === b16[k] ? 0xffff : 0; }],
  ['76', 'pcmpeqd', (n) => { for (let k = 0; k < n >> 2; k++) as32[k] = a32[k] === b32[k] ? -1 : 0; }],
  ['64', 'pcmpgtb', (n) => { for (let k = 0; k < n; k++) as8[k] = as8[k] > bs8[k] ? -1 : 0; }],
  ['65', 'pcmpgtw', (n) => { for (let k = 0; k < n >> 1; k++) as16[k] = as16[k] > bs16[k] ? -1 : 0; }],
  ['66', 'pcmpgtd', (n) => { for (let k = 0; k < n >> 2; k++) as32[k] = as32[k] > bs32[k] ? -1 : 0; }],
  ['63', 'packsswb', (n) => {
    const h = n >> 1;
    for (let k = 0; k < h; k++) { cs8[k] = sat8(as16[k]); cs8[h + k] = sat8(bs16[k]); }
    A.copy(C);
  }],
  ['6B', 'packssdw', (n) => {
    const h = n >> 2;
    for (let k = 0; k < h; k++) { cs16[k] = sat16(as32[k]); cs16[h + k] = sat16(bs32[k]); }
    A.copy(C);
  }],
  ['67', 'packuswb', (n) => {
    const h = n >> 1;
    for (let k = 0; k < h; k++) { c8c[k] = as16[k]; c8c[h + k] = bs16[k]; }
    A.copy(C);
  }],
  ['60', 'punpcklbw', (n) => { for (let k = 0; k < n >> 1; k++) { c8[2 * k] = a8[k]; c8[2 * k + 1] = b8[k]; } A.copy(C); }],
  ['61', 'punpcklwd', (n) => { for (let k = 0; k < n >> 2; k++) { c16[2 * k] = a16[k]; c16[2 * k + 1] = b16[k]; } A.copy(C); }],
  ['62', 'punpckldq', (n) => { for (let k = 0; k < n >> 3; k++) { c32[2 * k] = a32[k]; c32[2 * k + 1] = b32[k]; } A.copy(C); }],
  ['68', 'punpckhbw', (n) => {
    const h = n >> 1;
    for (let k = 0; k < h; k++) { c8[2 * k] = a8[h + k]; c8[2 * k + 1] = b8[h + k]; }
    A.copy(C);
  }],
  ['69', 'punpckhwd', (n) => {
    const h = n >> 2;
    for (let k = 0; k < h; k++) { c16[2 * k] = a16[h + k]; c16[2 * k + 1] = b16[h + k]; }
    A.copy(C);
  }],
  ['6A', 'punpckhdq', (n) => {
    const h = n >> 3;
    for (let k = 0; k < h; k++) { c32[2 * k] = a32[h + k]; c32[2 * k + 1] = b32[h + k]; }
    A.copy(C);
  }],
  ['6C', 'punpcklqdq', () => { a32[2] = b32[0]; a32[3] = b32[1]; }, true],
  ['6D', 'punpckhqdq', () => { a32[0] = a32[2]; a32[1] = a32[3]; a32[2] = b32[2]; a32[3] = b32[3]; }, true],
];
const LANE_FN: LaneOp[] = LANES.map((l) => l[2]);
/** MMX punpckl* read 32 bits of memory (mm, mm/m32): only the low halves take part */
const HALF_READ: boolean[] = LANES.map((l) => /^punpckl(bw|wd|dq)$/.test(l[1]));

/** Lane-wise A op= B on an mm or xmm register and an mm/xmm register or memory (sub: index in LANES). */
function pbinop(c: CPU, i: Insn): void {
  const mm = mmx(c, i), n = mm ? 8 : 16;
  loadE(c, i, B, mm && HALF_READ[i.sub] ? 4 : n);
  loadG(c, i, A);
  LANE_FN[i.sub]!(n);
  if (mm) mmxOn(c);
  storeG(c, i, A);
}

// The hot xmm forms (string routines: pcmpeqb/pminub/psubb, pmovmskb, logic) work on the
// register file's bytes directly; their mm forms go through pbinop.

/** Offset in the array srcX returned. */
let srcOff = 0;
/** An xmm form's W operand as bytes: the register file (at srcOff), or memory read into B. */
function srcX(c: CPU, i: Insn): Uint8Array {
  if (i.m) { readMem(c, i, c.ea(i), B, 16); srcOff = 0; return b8; }
  srcOff = i.rm << 4;
  return c.xmm;
}

function pcmpeqb(c: CPU, i: Insn): void {
  if (i.def!.gk !== K_XMM) { pbinop(c, i); return; }
  const s = srcX(c, i), o = srcOff, x = c.xmm, d = i.reg << 4;
  for (let k = 0; k < 16; k++) x[d + k] = x[d + k] === s[o + k] ? 0xff : 0;
}
function pminub(c: CPU, i: Insn): void {
  if (i.def!.gk !== K_XMM) { pbinop(c, i); return; }
  const s = srcX(c, i), o = srcOff, x = c.xmm, d = i.reg << 4;
  for (let k = 0; k < 16; k++) if (s[o + k] < x[d + k]) x[d + k] = s[o + k];
}
function psubb(c: CPU, i: Insn): void {
  if (i.def!.gk !== K_XMM) { pbinop(c, i); return; }
  const s = srcX(c, i), o = srcOff, x = c.xmm, d = i.reg << 4;
  for (let k = 0; k < 16; k++) x[d + k] -= s[o + k];
}

/** pand (sub 0), pandn (1), por (2), pxor (3) on 32-bit lanes. */
function plogic(c: CPU, i: Insn): void {
  let x: Int32Array, d: number, s: Int32Array, o: number, mm = false;
  if (i.def!.gk === K_XMM) {
    x = c.xi32; d = i.reg << 2;
    if (i.m) { readMem(c, i, c.ea(i), B, 16); s = bs32; o = 0; } else { s = x; o = i.rm << 2; }
  } else {
    mm = mmx(c, i);
    loadE(c, i, B, 8);
    loadG(c, i, A);
    x = as32; d = 0; s = bs32; o = 0;
  }
  const n = mm ? 2 : 4;
  switch (i.sub) {
    case 0: for (let k = 0; k < n; k++) x[d + k] &= s[o + k]; break;
    case 1: for (let k = 0; k < n; k++) x[d + k] = ~x[d + k] & s[o + k]; break;
    case 2: for (let k = 0; k < n; k++) x[d + k] |= s[o + k]; break;
    default: for (let k = 0; k < n; k++) x[d + k] ^= s[o + k]; break;
  }
  if (mm) { mmxOn(c); putMM(c, i.reg, A); }
}

// ---------------------------------------------------------------- shifts

/**
 * Shift A's lanes (n bytes) by cnt; sub = lane width (16, 32, 64) + kind (0 srl, 1 sra, 2 sll).
 * A count beyond the lane width gives 0, or the sign for sra.
 */
function shiftLanes(sub: number, cnt: number, n: number): void {
  const w = sub & ~3, kind = sub & 3;
  if (cnt >= w) {
    if (kind !== 1) { A.zero(); return; }
    cnt = w - 1;
  }
  if (cnt === 0) return;
  if (w === 16) {
    const m = n >> 1;
    if (kind === 0) for (let k = 0; k < m; k++) a16[k] >>>= cnt;
    else if (kind === 1) for (let k = 0; k < m; k++) as16[k] >>= cnt;
    else for (let k = 0; k < m; k++) a16[k] <<= cnt;
  } else if (w === 32) {
    const m = n >> 2;
    if (kind === 0) for (let k = 0; k < m; k++) a32[k] >>>= cnt;
    else if (kind === 1) for (let k = 0; k < m; k++) as32[k] >>= cnt;
    else for (let k = 0; k < m; k++) a32[k] <<= cnt;
  } else {
    for (let k = 0; k < n >> 2; k += 2) {
      const lo = a32[k], hi = a32[k + 1];
      if (kind === 0) {
        a32[k] = cnt < 32 ? (lo >>> cnt) | (hi << (32 - cnt)) : hi >>> (cnt - 32);
        a32[k + 1] = cnt < 32 ? hi >>> cnt : 0;
      } else {
        a32[k + 1] = cnt < 32 ? (hi << cnt) | (lo >>> (32 - cnt)) : lo << (cnt - 32);
        a32[k] = cnt < 32 ? lo << cnt : 0;
      }
    }
  }
}

/** psrl/psra/psll by the 64-bit count in an mm/xmm register or memory. */
function pshift(c: CPU, i: Insn): void {
  const mm = mmx(c, i), n = mm ? 8 : 16;
  loadE(c, i, B, n);
  const cnt = b32[1] !== 0 ? 0xffffffff : b32[0];
  loadG(c, i, A);
  shiftLanes(i.sub, cnt, n);
  if (mm) mmxOn(c);
  storeG(c, i, A);
}
/** psrl/psra/psll of a register (ModRM.rm) by an immediate (groups 0F 71-73). */
function pshiftImm(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  loadE(c, i, A, 0);
  shiftLanes(i.sub, i.imm, mm ? 8 : 16);
  if (mm) mmxOn(c);
  storeE(c, i, A, 0);
}
/** psrldq (sub 0) / pslldq (1): the whole xmm register by bytes; a count above 15 clears it. */
function pbyteShift(c: CPU, i: Insn): void {
  getX(c, i.rm, A);
  C.zero();
  const n = i.imm;
  if (n < 16) {
    if (i.sub === 0) for (let k = 0; k + n < 16; k++) c8[k] = a8[k + n];
    else for (let k = 0; k + n < 16; k++) c8[k + n] = a8[k];
  }
  putX(c, i.rm, C);
}

// ---------------------------------------------------------------- moves

/** movd mm/xmm, r/m32: zero-extended. */
function movdLoad(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  const v = i.m ? c.mem.read32(c.ea(i)) : c.regs[i.rm];
  if (mm) { mmxOn(c); putMM32(c, i.reg, v, 0); return; }
  const x = c.xi32, o = i.reg << 2;
  x[o] = v; x[o + 1] = 0; x[o + 2] = 0; x[o + 3] = 0;
}
/** movd r/m32, mm/xmm: the low 32 bits. */
function movdStore(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  loadG(c, i, A);
  if (i.m) writeMem(c, i, c.ea(i), A, 4);
  if (mm) mmxOn(c);
  if (!i.m) c.regs[i.rm] = as32[0];
}
/** movq mm, mm/m64 and movq xmm, xmm/m64 (F3 0F 7E: the upper half becomes 0). */
function movqLoad(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  loadE(c, i, A, 8);
  if (mm) { mmxOn(c); putMM(c, i.reg, A); return; }
  as32[2] = 0; as32[3] = 0;
  putX(c, i.reg, A);
}
/** movq mm/m64, mm; movq xmm/m64, xmm (66 0F D6: a register destination's upper half becomes 0); movntq. */
function movqStore(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  loadG(c, i, A);
  as32[2] = 0; as32[3] = 0;
  if (i.m) writeMem(c, i, c.ea(i), A, 8);
  if (mm) mmxOn(c);
  if (!i.m) storeE(c, i, A, 8);
}
/** movdqa / movdqu xmm, xmm/m128 (alignment checked by the form). */
function movdqLoad(c: CPU, i: Insn): void {
  if (i.m) { readMem(c, i, c.ea(i), A, 16); putX(c, i.reg, A); return; }
  const x = c.xi32, d = i.reg << 2, s = i.rm << 2;
  x[d] = x[s]; x[d + 1] = x[s + 1]; x[d + 2] = x[s + 2]; x[d + 3] = x[s + 3];
}
/** movdqa / movdqu xmm/m128, xmm; movntdq m128, xmm. */
function movdqStore(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  storeE(c, i, A, 16);
}
/** movq2dq xmm, mm: zero-extended. */
function movq2dq(c: CPU, i: Insn): void {
  mmx(c, i);
  getMM(c, i.rm, A);
  as32[2] = 0; as32[3] = 0;
  mmxOn(c);
  putX(c, i.reg, A);
}
/** movdq2q mm, xmm: the low half. */
function movdq2q(c: CPU, i: Insn): void {
  mmx(c, i);
  getX(c, i.rm, A);
  mmxOn(c);
  putMM(c, i.reg, A);
}
/** movnti m32, r32 */
function movnti(c: CPU, i: Insn): void {
  as32[0] = c.regs[i.reg];
  writeMem(c, i, c.ea(i), A, 4);
}
/**
 * maskmovq / maskmovdqu: the bytes of reg whose mask byte (rm) has its top bit set, to DS:EDI
 * (DS: overridable; DI with a 67 prefix). The host CPU checks the whole 8/16 bytes for write
 * access whatever the mask (an all-zero mask at an unwritable address faults too), and unlike
 * the other MMX stores, maskmovq makes the MMX state transition even when the store faults.
 */
function maskmov(c: CPU, i: Insn): void {
  const mm = mmx(c, i), n = mm ? 8 : 16;
  if (mm) mmxOn(c);
  loadG(c, i, A);
  loadE(c, i, B, n);
  if (i.sreg === 1) throw generalProtection(0); // the code segment is not writable
  let a = c.regs[EDI];
  if (i.a16) a &= 0xffff;
  if (i.seg >= 0) a = (a + c.base(i.seg)) | 0;
  c.mem.checkWrite(a, n);
  for (let k = 0; k < n; k++) if (b8[k] & 0x80) c.mem.write8((a + k) | 0, a8[k]);
}
/** emms: every x87 register empty and, on the host CPU, TOP = 0; a pending x87 exception is #MF first. */
function emms(c: CPU, i: Insn): void {
  const f = c.x87 as FPU;
  if (f.sw & 0x80) throw new CpuFault(SIGFPE, f.pendingCode(), i.eip >>> 0, TRAP_MF, 0);
  mmxLeave(c);
}

// ---------------------------------------------------------------- shuffles, inserts, extracts

/** pmovmskb r32, mm/xmm: the top bit of each byte. */
function pmovmskb(c: CPU, i: Insn): void {
  let m = 0;
  if (i.def!.ek === K_XMM) {
    const x = c.xmm, o = i.rm << 4;
    for (let k = 15; k >= 0; k--) m = (m << 1) | (x[o + k] >> 7);
  } else {
    mmx(c, i);
    getMM(c, i.rm, B);
    for (let k = 7; k >= 0; k--) m = (m << 1) | (b8[k] >> 7);
    mmxOn(c);
  }
  c.regs[i.reg] = m;
}
/** pextrw r32, mm/xmm, imm8: a word, zero-extended. */
function pextrw(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  loadE(c, i, B, 0);
  const v = b16[i.imm & (mm ? 3 : 7)];
  if (mm) mmxOn(c);
  c.regs[i.reg] = v;
}
/** pinsrw mm/xmm, r32/m16, imm8 */
function pinsrw(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  const v = i.m ? c.mem.read16(c.ea(i)) : c.regs[i.rm];
  loadG(c, i, A);
  a16[i.imm & (mm ? 3 : 7)] = v;
  if (mm) mmxOn(c);
  storeG(c, i, A);
}
/** pshufw (sub 0), pshufd (1), pshufhw (2), pshuflw (3): lanes of the source picked by imm8's 2-bit fields. */
function pshuf(c: CPU, i: Insn): void {
  const mm = mmx(c, i);
  loadE(c, i, B, mm ? 8 : 16);
  const m = i.imm;
  switch (i.sub) {
    case 0: for (let k = 0; k < 4; k++) c16[k] = b16[(m >> (2 * k)) & 3]; break;
    case 1: for (let k = 0; k < 4; k++) c32[k] = b32[(m >> (2 * k)) & 3]; break;
    case 2:
      c32[0] = b32[0]; c32[1] = b32[1];
      for (let k = 0; k < 4; k++) c16[4 + k] = b16[4 + ((m >> (2 * k)) & 3)];
      break;
    default:
      for (let k = 0; k < 4; k++) c16[k] = b16[(m >> (2 * k)) & 3];
      c32[2] = b32[2]; c32[3] = b32[3];
  }
  if (mm) mmxOn(c);
  storeG(c, i, C);
}

// ---------------------------------------------------------------- table

/** An mm form (NP, Pq,Qq) and, unless xmmOnly, an xmm form (66, Vx,Wx) of one opcode. */
function pair(op: string, name: string, fn: Handler, sub?: number, xmmOnly = false): SimdEntry[] {
  const x: SimdEntry = [`66 0F ${op} /r`, name, 'Vx,Wx', fn, sub];
  return xmmOnly ? [x] : [[`NP 0F ${op} /r`, name, 'Pq,Qq', fn, sub], x];
}
const HOT: Record<string, Handler> = { pcmpeqb, pminub, psubb };

const SHIFTS: [op: string, name: string, sub: number][] = [
  ['D1', 'psrlw', 16], ['D2', 'psrld', 32], ['D3', 'psrlq', 64], ['E1', 'psraw', 17], ['E2', 'psrad', 33],
  ['F1', 'psllw', 18], ['F2', 'pslld', 34], ['F3', 'psllq', 66],
];
/** immediate shifts: [group opcode, /digit, name, sub] */
const SHIFTS_IMM: [op: string, digit: number, name: string, sub: number][] = [
  ['71', 2, 'psrlw', 16], ['71', 4, 'psraw', 17], ['71', 6, 'psllw', 18],
  ['72', 2, 'psrld', 32], ['72', 4, 'psrad', 33], ['72', 6, 'pslld', 34],
  ['73', 2, 'psrlq', 64], ['73', 6, 'psllq', 66],
];

export const ENTRIES: readonly SimdEntry[] = [
  // moves
  ['NP 0F 6E /r', 'movd', 'Pq,Ed', movdLoad],
  ['66 0F 6E /r', 'movd', 'Vx,Ed', movdLoad],
  ['NP 0F 7E /r', 'movd', 'Ed,Pq', movdStore],
  ['66 0F 7E /r', 'movd', 'Ed,Vx', movdStore],
  ['F3 0F 7E /r', 'movq', 'Vx,Wq', movqLoad],
  ['NP 0F 6F /r', 'movq', 'Pq,Qq', movqLoad],
  ['66 0F 6F /r', 'movdqa', 'Vx,Wx', movdqLoad],
  ['F3 0F 6F /r', 'movdqu', 'Vx,Wx', movdqLoad, 0, { ua: true }],
  ['NP 0F 7F /r', 'movq', 'Qq,Pq', movqStore],
  ['66 0F 7F /r', 'movdqa', 'Wx,Vx', movdqStore],
  ['F3 0F 7F /r', 'movdqu', 'Wx,Vx', movdqStore, 0, { ua: true }],
  ['66 0F D6 /r', 'movq', 'Wq,Vx', movqStore],
  ['F3 0F D6 /r', 'movq2dq', 'Vx,Nq', movq2dq],
  ['F2 0F D6 /r', 'movdq2q', 'Pq,Ux', movdq2q],
  ['NP 0F C3 /r', 'movnti', 'Md,Gd', movnti],
  ['NP 0F E7 /r', 'movntq', 'Mq,Pq', movqStore],
  ['66 0F E7 /r', 'movntdq', 'Mx,Vx', movdqStore],
  ['NP 0F F7 /r', 'maskmovq', 'Pq,Nq', maskmov],
  ['66 0F F7 /r', 'maskmovdqu', 'Vx,Ux', maskmov],
  ['NP 0F 77', 'emms', '', emms],
  ['NP 0F D7 /r', 'pmovmskb', 'Gd,Nq', pmovmskb],
  ['66 0F D7 /r', 'pmovmskb', 'Gd,Ux', pmovmskb],
  ['NP 0F C5 /r', 'pextrw', 'Gd,Nq,Ib', pextrw],
  ['66 0F C5 /r', 'pextrw', 'Gd,Ux,Ib', pextrw],
  ['NP 0F C4 /r', 'pinsrw', 'Pq,Ed,Ib', pinsrw],
  ['66 0F C4 /r', 'pinsrw', 'Vx,Ed,Ib', pinsrw],
  ['NP 0F 70 /r', 'pshufw', 'Pq,Qq,Ib', pshuf, 0],
  ['66 0F 70 /r', 'pshufd', 'Vx,Wx,Ib', pshuf, 1],
  ['F3 0F 70 /r', 'pshufhw', 'Vx,Wx,Ib', pshuf, 2],
  ['F2 0F 70 /r', 'pshuflw', 'Vx,Wx,Ib', pshuf, 3],
  // lane arithmetic, compares, packs, unpacks
  ...LANES.flatMap(([op, name, , xmmOnly], sub) => pair(op, name, HOT[name] ?? pbinop, sub, xmmOnly)),
  ...pair('DB', 'pand', plogic, 0),
  ...pair('DF', 'pandn', plogic, 1),
  ...pair('EB', 'por', plogic, 2),
  ...pair('EF', 'pxor', plogic, 3),
  // shifts
  ...SHIFTS.flatMap(([op, name, sub]) => pair(op, name, pshift, sub)),
  ...SHIFTS_IMM.flatMap(([op, g, name, sub]): SimdEntry[] => [
    [`NP 0F ${op} /${g}`, name, 'Nq,Ib', pshiftImm, sub],
    [`66 0F ${op} /${g}`, name, 'Ux,Ib', pshiftImm, sub],
  ]),
  ['66 0F 73 /3', 'psrldq', 'Ux,Ib', pbyteShift, 0],
  ['66 0F 73 /7', 'pslldq', 'Ux,Ib', pbyteShift, 1],
];
