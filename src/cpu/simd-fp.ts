// SSE, SSE2, SSE3 and SSE4.1 floating-point instructions: packed/scalar single (ps/ss) and
// double (pd/sd) arithmetic, compares, conversions, moves, shuffles and blends. The arithmetic
// itself (rounding, flags, NaN rules) is sse-float.ts; here are the lanes, the operand forms
// and MXCSR: every lane is computed first, an unmasked exception then faults with nothing
// written, else the result and the flags are committed.
import type { CPU } from './cpu.js';
import type { Insn } from './decode.js';
import type { SimdEntry } from './simd-table.js';
import { A, B, C, getX, putX, loadE, storeE, readMem, writeMem, mmxEnter, putMM32, simdFault, Vec } from './simd.js';
import {
  env, setEnv, opS, opD, rlo, rhi, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, cvtS2D, cvtD2S, cvtI2S, cvtI2D,
  cvtS2I, cvtD2I, cmpS, cmpD, predicate, signallingPredicate, minmaxTakesB, clsS, clsD, K_DEN, K_QNAN, K_SNAN,
  K_INF, K_ZERO, IE, PE, f32Of, f64Of, setResultD, setResultF64, roundIntegral, bitsF32,
} from './sse-float.js';
import { approxRcp, approxRsqrt } from './sse-approx.js';
import { CF, PF, ZF, STATUS } from './flags.js';
import type { FPU } from './fpu.js';

// forms of an arithmetic opcode by mandatory prefix
const PS = 0, PD = 1, SS = 2, SD = 3;

/** Start an operation: MXCSR's rounding, DAZ/FTZ and masks. */
function begin(c: CPU): void { setEnv(c.mxcsr); }
/**
 * End it: an unmasked exception faults (#XM) with the flags of what was detected and nothing
 * written (pre-computation exceptions first: their flags alone); else the flags are merged.
 */
function commit(c: CPU, i: Insn): void {
  const m = env.masks;
  if (env.pre & ~m) { c.mxcsr |= env.pre; throw simdFault(c, i); }
  const f = env.pre | env.post;
  if (f & ~m) { c.mxcsr |= f; throw simdFault(c, i); }
  if (f) c.mxcsr |= f;
}

/** Bytes the rm operand of an arithmetic form reads. */
const opBytes = (form: number): number => (form === SS ? 4 : form === SD ? 8 : 16);

// ---------------------------------------------------------------- arithmetic

/** add/sub/mul/div (sub = OP_*) in the four forms */
export function arith(c: CPU, i: Insn): void {
  const form = i.pfx, op = i.sub;
  getX(c, i.reg, A);
  loadE(c, i, B, opBytes(form));
  begin(c);
  C.copy(A);
  lanes(form, op, A, B, C);
  commit(c, i);
  putX(c, i.reg, C);
}
function lanes(form: number, op: number, a: Vec, b: Vec, out: Vec): void {
  const x = a.u32, y = b.u32, r = out.u32;
  switch (form) {
    case PS: for (let k = 0; k < 4; k++) r[k] = opS(op, x[k]!, y[k]!); break;
    case SS: r[0] = opS(op, x[0]!, y[0]!); break;
    case PD: for (let k = 0; k < 4; k += 2) { opD(op, x[k]!, x[k + 1]!, y[k]!, y[k + 1]!); r[k] = rlo; r[k + 1] = rhi; } break;
    default: opD(op, x[0]!, x[1]!, y[0]!, y[1]!); r[0] = rlo; r[1] = rhi;
  }
}
/** sqrt in the four forms: the source only (scalar forms keep the destination's upper lanes) */
export function sqrt(c: CPU, i: Insn): void {
  const form = i.pfx;
  getX(c, i.reg, A);
  loadE(c, i, B, opBytes(form));
  begin(c);
  C.copy(A);
  const y = B.u32, r = C.u32;
  switch (form) {
    case PS: for (let k = 0; k < 4; k++) r[k] = opS(OP_SQRT, y[k]!, 0); break;
    case SS: r[0] = opS(OP_SQRT, y[0]!, 0); break;
    case PD: for (let k = 0; k < 4; k += 2) { opD(OP_SQRT, y[k]!, y[k + 1]!, 0, 0); r[k] = rlo; r[k + 1] = rhi; } break;
    default: opD(OP_SQRT, y[0]!, y[1]!, 0, 0); r[0] = rlo; r[1] = rhi;
  }
  commit(c, i);
  putX(c, i.reg, C);
}

/** DAZ: a denormal operand read as a zero of its sign */
const dazS = (b: number): number => (env.daz && clsS(b) === K_DEN ? (b & 0x80000000) >>> 0 : b);

/** min (sub 0) / max (sub 1): a NaN or two zeros give the second operand */
export function minmax(c: CPU, i: Insn): void {
  const form = i.pfx, max = i.sub === 1;
  getX(c, i.reg, A);
  loadE(c, i, B, opBytes(form));
  begin(c);
  C.copy(A);
  const x = A.u32, y = B.u32, r = C.u32;
  if (form === PS || form === SS) {
    const n = form === PS ? 4 : 1;
    for (let k = 0; k < n; k++) {
      const res = cmpS(x[k]!, y[k]!, true);
      r[k] = minmaxTakesB(res, max) ? dazS(y[k]!) : dazS(x[k]!);
    }
  } else {
    const n = form === PD ? 4 : 2;
    for (let k = 0; k < n; k += 2) {
      const res = cmpD(x[k]!, x[k + 1]!, y[k]!, y[k + 1]!, true);
      const takeB = minmaxTakesB(res, max);
      const lo = takeB ? y[k]! : x[k]!, hi = takeB ? y[k + 1]! : x[k + 1]!;
      if (env.daz && clsD(lo, hi) === K_DEN) { r[k] = 0; r[k + 1] = hi & 0x80000000; } else { r[k] = lo; r[k + 1] = hi; }
    }
  }
  commit(c, i);
  putX(c, i.reg, C);
}

/** cmpps/cmppd/cmpss/cmpsd with the predicate in imm8 (bits 2..0) */
export function cmp(c: CPU, i: Insn): void {
  const form = i.pfx, imm = i.imm & 7, sig = signallingPredicate(imm);
  getX(c, i.reg, A);
  loadE(c, i, B, opBytes(form));
  begin(c);
  C.copy(A);
  const x = A.u32, y = B.u32, r = C.i32;
  if (form === PS || form === SS) {
    const n = form === PS ? 4 : 1;
    for (let k = 0; k < n; k++) r[k] = predicate(imm, cmpS(x[k]!, y[k]!, sig)) ? -1 : 0;
  } else {
    const n = form === PD ? 4 : 2;
    for (let k = 0; k < n; k += 2) r[k] = r[k + 1] = predicate(imm, cmpD(x[k]!, x[k + 1]!, y[k]!, y[k + 1]!, sig)) ? -1 : 0;
  }
  commit(c, i);
  putX(c, i.reg, C);
}

/** comiss/ucomiss (NP), comisd/ucomisd (66): ZF PF CF from the comparison, OF SF AF cleared; sub 1 = comis (signals on QNaN) */
export function comis(c: CPU, i: Insn): void {
  const dbl = i.pfx === PD;
  getX(c, i.reg, A);
  loadE(c, i, B, dbl ? 8 : 4);
  begin(c);
  const r = dbl ? cmpD(A.u32[0]!, A.u32[1]!, B.u32[0]!, B.u32[1]!, i.sub === 1) : cmpS(A.u32[0]!, B.u32[0]!, i.sub === 1);
  commit(c, i);
  c.setStatus(STATUS, r === 3 ? ZF | PF | CF : r === 0 ? CF : r === 1 ? ZF : 0);
}

/** haddps (F2) / haddpd (66), hsub (sub OP_SUB) */
export function hadd(c: CPU, i: Insn): void {
  const op = i.sub;
  getX(c, i.reg, A);
  loadE(c, i, B, 16);
  begin(c);
  const x = A.u32, y = B.u32, r = C.u32;
  if (i.pfx === SD) {
    r[0] = opS(op, x[0]!, x[1]!); r[1] = opS(op, x[2]!, x[3]!);
    r[2] = opS(op, y[0]!, y[1]!); r[3] = opS(op, y[2]!, y[3]!);
  } else {
    opD(op, x[0]!, x[1]!, x[2]!, x[3]!); r[0] = rlo; r[1] = rhi;
    opD(op, y[0]!, y[1]!, y[2]!, y[3]!); r[2] = rlo; r[3] = rhi;
  }
  commit(c, i);
  putX(c, i.reg, C);
}
/** addsubps (F2) / addsubpd (66): even lanes subtract, odd lanes add */
export function addsub(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  loadE(c, i, B, 16);
  begin(c);
  const x = A.u32, y = B.u32, r = C.u32;
  if (i.pfx === SD) for (let k = 0; k < 4; k++) r[k] = opS(k & 1 ? OP_ADD : OP_SUB, x[k]!, y[k]!);
  else {
    opD(OP_SUB, x[0]!, x[1]!, y[0]!, y[1]!); r[0] = rlo; r[1] = rhi;
    opD(OP_ADD, x[2]!, x[3]!, y[2]!, y[3]!); r[2] = rlo; r[3] = rhi;
  }
  commit(c, i);
  putX(c, i.reg, C);
}

/** rcpps/rcpss (sub 0), rsqrtps/rsqrtss (sub 1): table approximations, no flags */
export function approx(c: CPU, i: Insn): void {
  const scalar = i.pfx === SS;
  getX(c, i.reg, A);
  loadE(c, i, B, scalar ? 4 : 16);
  const f = i.sub ? approxRsqrt : approxRcp;
  const daz = (c.mxcsr & 0x40) !== 0;
  if (scalar) A.u32[0] = f(B.u32[0]!, daz);
  else for (let k = 0; k < 4; k++) A.u32[k] = f(B.u32[k]!, daz);
  putX(c, i.reg, A);
}

// ---------------------------------------------------------------- bitwise (no MXCSR)

/** andps/andpd (sub 0), andnps/andnpd (1), orps/orpd (2), xorps/xorpd (3) */
export function logic(c: CPU, i: Insn): void {
  const x = c.xi32, o = i.reg << 2;
  if (i.m) readMem(c, i, c.ea(i), B, 16); else getX(c, i.rm, B);
  const y = B.i32;
  switch (i.sub) {
    case 0: for (let k = 0; k < 4; k++) x[o + k] = x[o + k]! & y[k]!; break;
    case 1: for (let k = 0; k < 4; k++) x[o + k] = ~x[o + k]! & y[k]!; break;
    case 2: for (let k = 0; k < 4; k++) x[o + k] = x[o + k]! | y[k]!; break;
    default: for (let k = 0; k < 4; k++) x[o + k] = x[o + k]! ^ y[k]!;
  }
}

// ---------------------------------------------------------------- moves

/** movaps/movapd/movups/movupd (0F 10/28 load, 0F 11/29 store; sub 1 = store), lddqu, movntps/movntpd */
export function movx(c: CPU, i: Insn): void {
  if (i.sub) {
    getX(c, i.reg, A);
    storeE(c, i, A, 16);
  } else {
    loadE(c, i, A, 16);
    putX(c, i.reg, A);
  }
}
/** movss (F3, 4 bytes) / movsd (F2, 8 bytes): register forms merge the low lane, loads zero the rest; sub 1 = store */
export function movs(c: CPU, i: Insn): void {
  const n = i.pfx === SS ? 4 : 8;
  if (i.sub) {
    getX(c, i.reg, A);
    if (i.m) { writeMem(c, i, c.ea(i), A, n); return; }
    getX(c, i.rm, B);
    B.i32[0] = A.i32[0]!; if (n === 8) B.i32[1] = A.i32[1]!;
    putX(c, i.rm, B);
    return;
  }
  if (i.m) { A.zero(); readMem(c, i, c.ea(i), A, n); putX(c, i.reg, A); return; }
  getX(c, i.reg, A);
  getX(c, i.rm, B);
  A.i32[0] = B.i32[0]!; if (n === 8) A.i32[1] = B.i32[1]!;
  putX(c, i.reg, A);
}
/**
 * Half moves (sub): 0 movlps/movlpd load (low 8 bytes from memory), 1 movhlps (low <- source high),
 * 2 movhps/movhpd load (high from memory), 3 movlhps (high <- source low), 4 store low, 5 store high.
 */
export function movhalf(c: CPU, i: Insn): void {
  const s = i.sub;
  if (s >= 4) {
    getX(c, i.reg, A);
    if (s === 5) { A.i32[0] = A.i32[2]!; A.i32[1] = A.i32[3]!; }
    writeMem(c, i, c.ea(i), A, 8);
    return;
  }
  getX(c, i.reg, A);
  if (s === 0 || s === 2) readMem(c, i, c.ea(i), B, 8);
  else { getX(c, i.rm, B); if (s === 1) { B.i32[0] = B.i32[2]!; B.i32[1] = B.i32[3]!; } }
  const o = s <= 1 ? 0 : 2;
  A.i32[o] = B.i32[0]!; A.i32[o + 1] = B.i32[1]!;
  putX(c, i.reg, A);
}
/** movsldup (sub 0), movshdup (1), movddup (2: an 8-byte source) */
export function movdup(c: CPU, i: Insn): void {
  loadE(c, i, B, i.sub === 2 ? 8 : 16);
  const y = B.i32, r = A.i32;
  if (i.sub === 2) { r[0] = r[2] = y[0]!; r[1] = r[3] = y[1]!; }
  else { const o = i.sub; r[0] = r[1] = y[o]!; r[2] = r[3] = y[2 + o]!; }
  putX(c, i.reg, A);
}
/** movmskps (NP) / movmskpd (66): sign bits to a general register */
export function movmsk(c: CPU, i: Insn): void {
  getX(c, i.rm, B);
  const y = B.u32;
  c.regs[i.reg] = i.pfx === PD ? (y[1]! >>> 31) | ((y[3]! >>> 31) << 1)
    : (y[0]! >>> 31) | ((y[1]! >>> 31) << 1) | ((y[2]! >>> 31) << 2) | ((y[3]! >>> 31) << 3);
}
/** unpcklps/unpckhps (NP), unpcklpd/unpckhpd (66); sub 1 = high halves */
export function unpck(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  loadE(c, i, B, 16);
  const x = A.i32, y = B.i32, r = C.i32, h = i.sub ? 2 : 0;
  if (i.pfx === PD) { r[0] = x[h]!; r[1] = x[h + 1]!; r[2] = y[h]!; r[3] = y[h + 1]!; }
  else { r[0] = x[h]!; r[1] = y[h]!; r[2] = x[h + 1]!; r[3] = y[h + 1]!; }
  putX(c, i.reg, C);
}
/** shufps (NP) / shufpd (66) */
export function shuf(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  loadE(c, i, B, 16);
  const x = A.i32, y = B.i32, r = C.i32, m = i.imm;
  if (i.pfx === PD) {
    const a = (m & 1) * 2, b = ((m >> 1) & 1) * 2;
    r[0] = x[a]!; r[1] = x[a + 1]!; r[2] = y[b]!; r[3] = y[b + 1]!;
  } else {
    r[0] = x[m & 3]!; r[1] = x[(m >> 2) & 3]!; r[2] = y[(m >> 4) & 3]!; r[3] = y[(m >> 6) & 3]!;
  }
  putX(c, i.reg, C);
}

// ---------------------------------------------------------------- conversions

/** Round-control-free source of an mm or memory operand of 8 bytes (mm forms enter MMX state). */
function loadQ(c: CPU, i: Insn, v: Vec): void {
  if (i.m) readMem(c, i, c.ea(i), v, 8);
  else { mmxEnter(c, i); loadE(c, i, v, 8); }
}

/** cvtpi2ps (NP), cvtpi2pd (66): two int32 from mm/m64 */
export function cvtpi2p(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  loadQ(c, i, B);
  begin(c);
  if (i.pfx === PS) { A.u32[0] = cvtI2S(B.i32[0]!); A.u32[1] = cvtI2S(B.i32[1]!); }
  else { cvtI2D(B.i32[0]!); A.u32[0] = rlo; A.u32[1] = rhi; cvtI2D(B.i32[1]!); A.u32[2] = rlo; A.u32[3] = rhi; }
  commit(c, i);
  putX(c, i.reg, A);
}
/** cvtsi2ss (F3), cvtsi2sd (F2) from r/m32 */
export function cvtsi2s(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  const v = i.m ? c.mem.read32(c.ea(i)) : c.regs[i.rm]!;
  begin(c);
  if (i.pfx === SS) A.u32[0] = cvtI2S(v);
  else { cvtI2D(v); A.u32[0] = rlo; A.u32[1] = rhi; }
  commit(c, i);
  putX(c, i.reg, A);
}
/** cvt(t)ps2pi (NP: xmm/m64), cvt(t)pd2pi (66: xmm/m128) to mm; sub 1 = truncating */
export function cvtp2pi(c: CPU, i: Insn): void {
  // #MF before a memory fault; the MMX state change only once nothing can fault (as measured)
  if ((c.x87 as FPU).sw & 0x80) mmxEnter(c, i);
  const dbl = i.pfx === PD, t = i.sub === 1;
  loadE(c, i, B, dbl ? 16 : 8);
  mmxEnter(c, i); // (before an #XM: measured)
  begin(c);
  let lo: number, hi: number;
  if (dbl) { lo = cvtD2I(B.u32[0]!, B.u32[1]!, t); hi = cvtD2I(B.u32[2]!, B.u32[3]!, t); }
  else { lo = cvtS2I(B.u32[0]!, t); hi = cvtS2I(B.u32[1]!, t); }
  commit(c, i);
  putMM32(c, i.reg, lo, hi);
}
/** cvt(t)ss2si (F3), cvt(t)sd2si (F2) to r32; sub 1 = truncating */
export function cvts2si(c: CPU, i: Insn): void {
  const dbl = i.pfx === SD, t = i.sub === 1;
  loadE(c, i, B, dbl ? 8 : 4);
  begin(c);
  const v = dbl ? cvtD2I(B.u32[0]!, B.u32[1]!, t) : cvtS2I(B.u32[0]!, t);
  commit(c, i);
  c.regs[i.reg] = v;
}
/** 0F 5A: cvtps2pd (NP, m64), cvtpd2ps (66), cvtss2sd (F3, m32), cvtsd2ss (F2, m64) */
export function cvtfp(c: CPU, i: Insn): void {
  const form = i.pfx;
  getX(c, i.reg, A);
  loadE(c, i, B, form === PS || form === SD ? 8 : form === SS ? 4 : 16);
  begin(c);
  const y = B.u32, r = A.u32;
  switch (form) {
    case PS: {
      const a = y[0]!, b = y[1]!;
      cvtS2D(a); r[0] = rlo; r[1] = rhi;
      cvtS2D(b); r[2] = rlo; r[3] = rhi;
      break;
    }
    case PD: r[0] = cvtD2S(y[0]!, y[1]!); r[1] = cvtD2S(y[2]!, y[3]!); r[2] = r[3] = 0; break;
    case SS: cvtS2D(y[0]!); r[0] = rlo; r[1] = rhi; break;
    default: r[0] = cvtD2S(y[0]!, y[1]!);
  }
  commit(c, i);
  putX(c, i.reg, A);
}
/** 0F 5B: cvtdq2ps (NP), cvtps2dq (66), cvttps2dq (F3) */
export function cvtdq(c: CPU, i: Insn): void {
  loadE(c, i, B, 16);
  begin(c);
  const r = C.u32;
  if (i.pfx === PS) for (let k = 0; k < 4; k++) r[k] = cvtI2S(B.i32[k]!);
  else for (let k = 0; k < 4; k++) C.i32[k] = cvtS2I(B.u32[k]!, i.pfx === SS);
  commit(c, i);
  putX(c, i.reg, C);
}
/** 0F E6: cvttpd2dq (66), cvtdq2pd (F3, m64), cvtpd2dq (F2) */
export function cvtpd2dq(c: CPU, i: Insn): void {
  loadE(c, i, B, i.pfx === SS ? 8 : 16);
  begin(c);
  const y = B.u32;
  if (i.pfx === SS) {
    const a = B.i32[0]!, b = B.i32[1]!;
    cvtI2D(a); C.u32[0] = rlo; C.u32[1] = rhi;
    cvtI2D(b); C.u32[2] = rlo; C.u32[3] = rhi;
  } else {
    const t = i.pfx === PD;
    C.i32[0] = cvtD2I(y[0]!, y[1]!, t); C.i32[1] = cvtD2I(y[2]!, y[3]!, t);
    C.i32[2] = C.i32[3] = 0;
  }
  commit(c, i);
  putX(c, i.reg, C);
}

// ---------------------------------------------------------------- SSE4.1

/** roundps/roundpd/roundss/roundsd (sub = form): imm bits 1..0 mode, bit 2 MXCSR's mode, bit 3 no PE */
export function round(c: CPU, i: Insn): void {
  const form = i.sub, imm = i.imm;
  getX(c, i.reg, A);
  loadE(c, i, B, opBytes(form));
  begin(c);
  const rc = imm & 4 ? env.rc : imm & 3;
  C.copy(A);
  const y = B.u32, r = C.u32;
  if (form === PS || form === SS) {
    const n = form === PS ? 4 : 1;
    for (let k = 0; k < n; k++) r[k] = roundS(y[k]!, rc);
  } else {
    const n = form === PD ? 4 : 2;
    for (let k = 0; k < n; k += 2) { roundD(y[k]!, y[k + 1]!, rc); r[k] = rlo; r[k + 1] = rhi; }
  }
  if (imm & 8) env.post &= ~PE;
  commit(c, i);
  putX(c, i.reg, C);
}
function roundS(b: number, rc: number): number {
  const k = clsS(b);
  if (k === K_QNAN || k === K_SNAN) { if (k === K_SNAN) env.pre |= IE; return (b | 0x400000) >>> 0; }
  if (k === K_INF || k === K_ZERO) return b;
  if (k === K_DEN && env.daz) return (b & 0x80000000) >>> 0;
  const x = f32Of(b), r = roundIntegral(x, rc);
  if (r !== x) env.post |= PE;
  return bitsF32(r);
}
function roundD(lo: number, hi: number, rc: number): void {
  const k = clsD(lo, hi);
  if (k === K_QNAN || k === K_SNAN) { if (k === K_SNAN) env.pre |= IE; setResultD(lo, hi | 0x80000); return; }
  if (k === K_INF || k === K_ZERO) { setResultD(lo, hi); return; }
  if (k === K_DEN && env.daz) { setResultD(0, hi & 0x80000000); return; }
  const x = f64Of(lo, hi), r = roundIntegral(x, rc);
  if (r !== x) env.post |= PE;
  setResultF64(r);
}

/** blendps (sub 0) / blendpd (1) by imm8; blendvps (2) / blendvpd (3) by xmm0's sign bits */
export function blend(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  loadE(c, i, B, 16);
  const x = A.i32, y = B.i32, s = i.sub;
  let mask = i.imm;
  if (s >= 2) {
    const z = c.xi32;
    mask = s === 2 ? ((z[0]! >>> 31) | ((z[1]! >>> 31) << 1) | ((z[2]! >>> 31) << 2) | ((z[3]! >>> 31) << 3))
      : (z[1]! >>> 31) | ((z[3]! >>> 31) << 1);
  }
  if (s === 0 || s === 2) { for (let k = 0; k < 4; k++) if ((mask >> k) & 1) x[k] = y[k]!; }
  else for (let k = 0; k < 2; k++) if ((mask >> k) & 1) { x[2 * k] = y[2 * k]!; x[2 * k + 1] = y[2 * k + 1]!; }
  putX(c, i.reg, A);
}

/** dpps (sub 0) / dppd (1): masked products summed pairwise, the sum broadcast to the lanes imm selects */
export function dp(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  loadE(c, i, B, 16);
  begin(c);
  const x = A.u32, y = B.u32, r = C.u32, m = i.imm;
  if (i.sub === 0) {
    const p = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) p[k] = (m >> (4 + k)) & 1 ? opS(OP_MUL, x[k]!, y[k]!) : 0;
    const s = opS(OP_ADD, opS(OP_ADD, p[0]!, p[1]!), opS(OP_ADD, p[2]!, p[3]!));
    for (let k = 0; k < 4; k++) r[k] = (m >> k) & 1 ? s : 0;
  } else {
    const p = [0, 0, 0, 0];
    for (let k = 0; k < 2; k++) {
      if ((m >> (4 + k)) & 1) { opD(OP_MUL, x[2 * k]!, x[2 * k + 1]!, y[2 * k]!, y[2 * k + 1]!); p[2 * k] = rlo; p[2 * k + 1] = rhi; }
    }
    opD(OP_ADD, p[0]!, p[1]!, p[2]!, p[3]!);
    const lo = rlo, hi = rhi;
    for (let k = 0; k < 2; k++) { r[2 * k] = (m >> k) & 1 ? lo : 0; r[2 * k + 1] = (m >> k) & 1 ? hi : 0; }
  }
  commit(c, i);
  putX(c, i.reg, C);
}

/** insertps: a single from xmm (lane imm 7..6) or m32 into lane imm 5..4, lanes of imm 3..0 zeroed */
export function insertps(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  let v: number;
  if (i.m) v = c.mem.read32(c.ea(i));
  else { getX(c, i.rm, B); v = B.i32[(i.imm >> 6) & 3]!; }
  A.i32[(i.imm >> 4) & 3] = v;
  for (let k = 0; k < 4; k++) if ((i.imm >> k) & 1) A.i32[k] = 0;
  putX(c, i.reg, A);
}
/** extractps: lane imm 1..0 to r32 or m32 */
export function extractps(c: CPU, i: Insn): void {
  getX(c, i.reg, A);
  const v = A.i32[i.imm & 3]!;
  if (i.m) c.mem.write32(c.ea(i), v); else c.regs[i.rm] = v;
}


const ua = { ua: true };
export const ENTRIES: readonly SimdEntry[] = [
  // moves
  ['NP 0F 10 /r', 'movups', 'Vx,Wx', movx, 0, ua],
  ['66 0F 10 /r', 'movupd', 'Vx,Wx', movx, 0, ua],
  ['F3 0F 10 /r', 'movss', 'Vx,Wd', movs, 0],
  ['F2 0F 10 /r', 'movsd', 'Vx,Wq', movs, 0],
  ['NP 0F 11 /r', 'movups', 'Wx,Vx', movx, 1, ua],
  ['66 0F 11 /r', 'movupd', 'Wx,Vx', movx, 1, ua],
  ['F3 0F 11 /r', 'movss', 'Wd,Vx', movs, 1],
  ['F2 0F 11 /r', 'movsd', 'Wq,Vx', movs, 1],
  ['NP 0F 12 /r', 'movlps', 'Vq,Mq', movhalf, 0],
  ['NP 0F 12 /r', 'movhlps', 'Vq,Uq', movhalf, 1],
  ['66 0F 12 /r', 'movlpd', 'Vq,Mq', movhalf, 0],
  ['F3 0F 12 /r', 'movsldup', 'Vx,Wx', movdup, 0],
  ['F2 0F 12 /r', 'movddup', 'Vx,Wq', movdup, 2],
  ['NP 0F 13 /r', 'movlps', 'Mq,Vq', movhalf, 4],
  ['66 0F 13 /r', 'movlpd', 'Mq,Vq', movhalf, 4],
  ['NP 0F 14 /r', 'unpcklps', 'Vx,Wx', unpck, 0],
  ['66 0F 14 /r', 'unpcklpd', 'Vx,Wx', unpck, 0],
  ['NP 0F 15 /r', 'unpckhps', 'Vx,Wx', unpck, 1],
  ['66 0F 15 /r', 'unpckhpd', 'Vx,Wx', unpck, 1],
  ['NP 0F 16 /r', 'movhps', 'Vq,Mq', movhalf, 2],
  ['NP 0F 16 /r', 'movlhps', 'Vq,Uq', movhalf, 3],
  ['66 0F 16 /r', 'movhpd', 'Vq,Mq', movhalf, 2],
  ['F3 0F 16 /r', 'movshdup', 'Vx,Wx', movdup, 1],
  ['NP 0F 17 /r', 'movhps', 'Mq,Vq', movhalf, 5],
  ['66 0F 17 /r', 'movhpd', 'Mq,Vq', movhalf, 5],
  ['NP 0F 28 /r', 'movaps', 'Vx,Wx', movx, 0],
  ['66 0F 28 /r', 'movapd', 'Vx,Wx', movx, 0],
  ['NP 0F 29 /r', 'movaps', 'Wx,Vx', movx, 1],
  ['66 0F 29 /r', 'movapd', 'Wx,Vx', movx, 1],
  ['NP 0F 2B /r', 'movntps', 'Mx,Vx', movx, 1],
  ['66 0F 2B /r', 'movntpd', 'Mx,Vx', movx, 1],
  ['F2 0F F0 /r', 'lddqu', 'Vx,Mx', movx, 0, ua],
  ['NP 0F 50 /r', 'movmskps', 'Gd,Ux', movmsk],
  ['66 0F 50 /r', 'movmskpd', 'Gd,Ux', movmsk],
  ['NP 0F C6 /r', 'shufps', 'Vx,Wx,Ib', shuf],
  ['66 0F C6 /r', 'shufpd', 'Vx,Wx,Ib', shuf],
  // conversions
  ['NP 0F 2A /r', 'cvtpi2ps', 'Vx,Qq', cvtpi2p],
  ['66 0F 2A /r', 'cvtpi2pd', 'Vx,Qq', cvtpi2p],
  ['F3 0F 2A /r', 'cvtsi2ss', 'Vx,Ed', cvtsi2s],
  ['F2 0F 2A /r', 'cvtsi2sd', 'Vx,Ed', cvtsi2s],
  ['NP 0F 2C /r', 'cvttps2pi', 'Pq,Wq', cvtp2pi, 1],
  ['66 0F 2C /r', 'cvttpd2pi', 'Pq,Wx', cvtp2pi, 1],
  ['F3 0F 2C /r', 'cvttss2si', 'Gd,Wd', cvts2si, 1],
  ['F2 0F 2C /r', 'cvttsd2si', 'Gd,Wq', cvts2si, 1],
  ['NP 0F 2D /r', 'cvtps2pi', 'Pq,Wq', cvtp2pi, 0],
  ['66 0F 2D /r', 'cvtpd2pi', 'Pq,Wx', cvtp2pi, 0],
  ['F3 0F 2D /r', 'cvtss2si', 'Gd,Wd', cvts2si, 0],
  ['F2 0F 2D /r', 'cvtsd2si', 'Gd,Wq', cvts2si, 0],
  ['NP 0F 5A /r', 'cvtps2pd', 'Vx,Wq', cvtfp],
  ['66 0F 5A /r', 'cvtpd2ps', 'Vx,Wx', cvtfp],
  ['F3 0F 5A /r', 'cvtss2sd', 'Vx,Wd', cvtfp],
  ['F2 0F 5A /r', 'cvtsd2ss', 'Vx,Wq', cvtfp],
  ['NP 0F 5B /r', 'cvtdq2ps', 'Vx,Wx', cvtdq],
  ['66 0F 5B /r', 'cvtps2dq', 'Vx,Wx', cvtdq],
  ['F3 0F 5B /r', 'cvttps2dq', 'Vx,Wx', cvtdq],
  ['66 0F E6 /r', 'cvttpd2dq', 'Vx,Wx', cvtpd2dq],
  ['F3 0F E6 /r', 'cvtdq2pd', 'Vx,Wq', cvtpd2dq],
  ['F2 0F E6 /r', 'cvtpd2dq', 'Vx,Wx', cvtpd2dq],
  // compares
  ['NP 0F 2E /r', 'ucomiss', 'Vx,Wd', comis, 0],
  ['66 0F 2E /r', 'ucomisd', 'Vx,Wq', comis, 0],
  ['NP 0F 2F /r', 'comiss', 'Vx,Wd', comis, 1],
  ['66 0F 2F /r', 'comisd', 'Vx,Wq', comis, 1],
  ['NP 0F C2 /r', 'cmpps', 'Vx,Wx,Ib', cmp],
  ['66 0F C2 /r', 'cmppd', 'Vx,Wx,Ib', cmp],
  ['F3 0F C2 /r', 'cmpss', 'Vx,Wd,Ib', cmp],
  ['F2 0F C2 /r', 'cmpsd', 'Vx,Wq,Ib', cmp],
  // arithmetic
  ['NP 0F 51 /r', 'sqrtps', 'Vx,Wx', sqrt],
  ['66 0F 51 /r', 'sqrtpd', 'Vx,Wx', sqrt],
  ['F3 0F 51 /r', 'sqrtss', 'Vx,Wd', sqrt],
  ['F2 0F 51 /r', 'sqrtsd', 'Vx,Wq', sqrt],
  ['NP 0F 52 /r', 'rsqrtps', 'Vx,Wx', approx, 1],
  ['F3 0F 52 /r', 'rsqrtss', 'Vx,Wd', approx, 1],
  ['NP 0F 53 /r', 'rcpps', 'Vx,Wx', approx, 0],
  ['F3 0F 53 /r', 'rcpss', 'Vx,Wd', approx, 0],
  ['NP 0F 54 /r', 'andps', 'Vx,Wx', logic, 0],
  ['66 0F 54 /r', 'andpd', 'Vx,Wx', logic, 0],
  ['NP 0F 55 /r', 'andnps', 'Vx,Wx', logic, 1],
  ['66 0F 55 /r', 'andnpd', 'Vx,Wx', logic, 1],
  ['NP 0F 56 /r', 'orps', 'Vx,Wx', logic, 2],
  ['66 0F 56 /r', 'orpd', 'Vx,Wx', logic, 2],
  ['NP 0F 57 /r', 'xorps', 'Vx,Wx', logic, 3],
  ['66 0F 57 /r', 'xorpd', 'Vx,Wx', logic, 3],
  ...(['add', 'mul', 'sub', 'min', 'div', 'max'] as const).flatMap((name, k): SimdEntry[] => {
    const op = [0x58, 0x59, 0x5c, 0x5d, 0x5e, 0x5f][k]!.toString(16).toUpperCase();
    const fn = name === 'min' || name === 'max' ? minmax : arith;
    const sub = name === 'min' ? 0 : name === 'max' ? 1 : { add: OP_ADD, mul: OP_MUL, sub: OP_SUB, div: OP_DIV }[name];
    return [
      [`NP 0F ${op} /r`, `${name}ps`, 'Vx,Wx', fn, sub],
      [`66 0F ${op} /r`, `${name}pd`, 'Vx,Wx', fn, sub],
      [`F3 0F ${op} /r`, `${name}ss`, 'Vx,Wd', fn, sub],
      [`F2 0F ${op} /r`, `${name}sd`, 'Vx,Wq', fn, sub],
    ];
  }),
  // SSE3
  ['66 0F 7C /r', 'haddpd', 'Vx,Wx', hadd, OP_ADD],
  ['F2 0F 7C /r', 'haddps', 'Vx,Wx', hadd, OP_ADD],
  ['66 0F 7D /r', 'hsubpd', 'Vx,Wx', hadd, OP_SUB],
  ['F2 0F 7D /r', 'hsubps', 'Vx,Wx', hadd, OP_SUB],
  ['66 0F D0 /r', 'addsubpd', 'Vx,Wx', addsub],
  ['F2 0F D0 /r', 'addsubps', 'Vx,Wx', addsub],
  // SSE4.1
  ['66 0F 3A 08 /r', 'roundps', 'Vx,Wx,Ib', round, PS],
  ['66 0F 3A 09 /r', 'roundpd', 'Vx,Wx,Ib', round, PD],
  ['66 0F 3A 0A /r', 'roundss', 'Vx,Wd,Ib', round, SS],
  ['66 0F 3A 0B /r', 'roundsd', 'Vx,Wq,Ib', round, SD],
  ['66 0F 3A 0C /r', 'blendps', 'Vx,Wx,Ib', blend, 0],
  ['66 0F 3A 0D /r', 'blendpd', 'Vx,Wx,Ib', blend, 1],
  ['66 0F 38 14 /r', 'blendvps', 'Vx,Wx', blend, 2],
  ['66 0F 38 15 /r', 'blendvpd', 'Vx,Wx', blend, 3],
  ['66 0F 3A 40 /r', 'dpps', 'Vx,Wx,Ib', dp, 0],
  ['66 0F 3A 41 /r', 'dppd', 'Vx,Wx,Ib', dp, 1],
  ['66 0F 3A 21 /r', 'insertps', 'Vx,Wd,Ib', insertps],
  ['66 0F 3A 17 /r', 'extractps', 'Ed,Vx,Ib', extractps],
];
