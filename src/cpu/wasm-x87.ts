// x87 instructions in translated code, on the x87 state in the CPU's slot (wasm-layout.ts S_X87,
// where fpu.ts keeps it): register moves emitted inline (emitX87), arithmetic, compares, loads
// and stores through the runtime module's functions below (exact 80-bit arithmetic on 64-bit
// integers, the result rounded once), which the block calls with the memory operand it read
// through the TLB. Both take the case that runs nearly always: zero or normal operands and
// results, Linux's control word, no exception pending (ES clear), the registers read holding
// values and the one pushed to free, no MMX instruction owning the registers. They change
// nothing the FPU's handler would not; every other case runs that handler (fpu.ts) through
// slow(), so both engines share each instruction's definition, its stack faults and exceptions.
import type { Insn } from './decode.js';
import type { SimdEmitter } from './wasm-simd.js';
import { I32, OP, sleb, uleb } from './wasm-encode.js';
import { TLB_R, TLB_W } from './frames.js';
import { CONSTS } from './fpu-trans.js';
import { F, S_MMX, S_X87, SLOW_FILL, X87_CW, X87_EMPTY, X87_SW, X87_TOP } from './wasm-layout.js';

/** What wasm.ts's block function offers the x87 emitter (what it offers the SIMD emitter, in part). */
export type X87Emitter = Pick<SimdEmitter, 'local' | 'op' | 'i32' | 'get' | 'set' | 'tee' | 'mem' | 'if_' | 'else_' | 'end_' | 'call' | 'ea' | 'probe'>;

const ST = 0; // the block function's slot parameter
export const I64 = 0x7e;
// i64 opcodes (and a few i32 ones wasm-encode.ts does not name)
export const L64 = 0x29, S64 = 0x37, EQZ64 = 0x50, NE64 = 0x52, LTS64 = 0x53, LTU64 = 0x54, GTU64 = 0x56, GES64 = 0x59,
  EQ64 = 0x51, CLZ64 = 0x79, ADD64 = 0x7c, SUB64 = 0x7d, MUL64 = 0x7e, AND64 = 0x83, OR64 = 0x84, SHL64 = 0x86,
  SHRU64 = 0x88, WRAP = 0xa7, EXTU = 0xad, EXTS = 0xac, GEU = OP.geu;
/** the scratch register (wasm-layout.ts: words 36 to 39, past the control and status words), as a physical index: a memory operand converted by x87LoadFn */
const X87_SCRATCH = 9;
const SRC_SCRATCH = 0x2000;
const CMP_SCRATCH = 0x8000;
/** x87LoadFn's formats (its argument's low bits): m32 and m64 floating point, m32, m16 and m64 integers */
export const LD_F32 = 0, LD_F64 = 1, LD_I32 = 2, LD_I16 = 3, LD_I64 = 4;
/** x87LoadFn's argument: push the value (fld, fild) rather than put it in the scratch register */
export const LD_PUSH = 8;
/** x87StoreFn's formats: m32, m64; x87IntStoreFn's: m16int, m32int, m64int */
export const ST_F32 = 0, ST_F64 = 1, ST_I16 = 0, ST_I32 = 1, ST_I64 = 2;
/** where x87StoreFn leaves the bits to store (low, high) and the status word to set, as S_X87 offsets: the scratch register's words */
export const ST_LO = X87_SCRATCH * 16, ST_HI = ST_LO + 4, ST_SW = ST_LO + 8;
export const ES = 0x80, C1 = 0x200, SIGN = 0x8000;
export const W_SW = S_X87 + 4 * X87_SW, W_TOP = S_X87 + 4 * X87_TOP, W_EMPTY = S_X87 + 4 * X87_EMPTY;

/** The inline forms: what each does with the stack (register forms of D9 and DD). */
const enum Form { FLD, FXCH, FST, FSTP, FCHS, FABS, FLD1, FLDZ, FLDC }
function formOf(i: Insn): Form | -1 {
  if (i.m || i.faulty || i.lock) return -1;
  const r = i.modrm;
  if (i.op === 0xd9) {
    if (r >= 0xc0 && r <= 0xc7) return Form.FLD;
    if (r >= 0xc8 && r <= 0xcf) return Form.FXCH;
    if (r === 0xe0) return Form.FCHS;
    if (r === 0xe1) return Form.FABS;
    if (r === 0xe8) return Form.FLD1;
    if (r === 0xee) return Form.FLDZ;
    if (r >= 0xe9 && r <= 0xed) return Form.FLDC; // fldl2t, fldl2e, fldpi, fldlg2, fldln2
  } else if (i.op === 0xdd) {
    if (r >= 0xd0 && r <= 0xd7) return Form.FST;
    if (r >= 0xd8 && r <= 0xdf) return Form.FSTP;
  }
  return -1;
}
/** ModRM reg field -> operation of D8's forms (and of every memory form), and of DC's and DE's register forms (SUB and SUBR, DIV and DIVR the other way round); -1 for compares */
const D8_KINDS = [0, 1, -1, -1, 4, 5, 6, 7];
const DC_KINDS = [0, 1, -1, -1, 5, 4, 7, 6];
/** The x87ArithFn argument of a register form of fadd, fmul, fsub, fsubr, fdiv, fdivr (D8, DC, DE), else -1. */
function arithArg(i: Insn): number {
  if (i.m || i.faulty || i.lock) return -1;
  const r = (i.modrm >> 3) & 7, n = i.modrm & 7;
  if (i.op === 0xd8 && D8_KINDS[r]! >= 0) return x87ArithArg(D8_KINDS[r]!, 0, n, false);
  if ((i.op === 0xdc || i.op === 0xde) && DC_KINDS[r]! >= 0) return x87ArithArg(DC_KINDS[r]!, n, 0, i.op === 0xde);
  return -1;
}
/** The x87CompareFn argument of fcom, fcomp, fucom, fucomp, fcompp, fucompp of registers, else -1. */
function compareArg(i: Insn): number {
  if (i.m || i.faulty || i.lock) return -1;
  const r = i.modrm, n = r & 7;
  if ((i.op === 0xd8 || i.op === 0xdc) && r >= 0xd0 && r <= 0xdf) return x87CompareArg(n, r >= 0xd8 ? 1 : 0, true);
  if (i.op === 0xdd && r >= 0xe0 && r <= 0xef) return x87CompareArg(n, r >= 0xe8 ? 1 : 0, true);
  if ((i.op === 0xde && r === 0xd9) || (i.op === 0xda && r === 0xe9)) return x87CompareArg(1, 2, true);
  return -1;
}
/** The x87CompareFn argument of fcomi, fucomi, fcomip, fucomip (which set EFLAGS), else -1. */
export function comiArg(i: Insn): number {
  if (i.m || i.faulty || i.lock || (i.op !== 0xdb && i.op !== 0xdf)) return -1;
  const r = i.modrm;
  return r >= 0xe8 && r <= 0xf7 ? x87CompareArg(r & 7, i.op === 0xdf ? 1 : 0, false) : -1;
}
/** A memory form's operation: a load (fld, fild: push), arithmetic or a compare with ST(0), a store (fst, fstp). */
type MemForm = { load: number; size: number; then: 'push' | 'arith' | 'cmp'; arg: number }
  | { store: number; int: boolean; size: number; pop: boolean } | { cw: 'load' | 'store' } | { m80: 'load' | 'store' };
/** The memory operand's format by escape byte (D8 m32, D9 m32, DA m32int, DB m32int, DC m64, DD m64, DE m16int, DF m16int). */
const MEM_FMT = [LD_F32, LD_F32, LD_I32, LD_I32, LD_F64, LD_F64, LD_I16, LD_I16];
function memForm(i: Insn): MemForm | null {
  if (!i.m || i.faulty || i.lock || i.a16) return null;
  const r = (i.modrm >> 3) & 7, fmt = MEM_FMT[i.op - 0xd8]!, size = fmt === LD_F64 ? 8 : fmt === LD_I16 ? 2 : 4;
  if (i.op === 0xd8 || i.op === 0xda || i.op === 0xdc || i.op === 0xde) {
    if (D8_KINDS[r]! >= 0) return { load: fmt, size, then: 'arith', arg: x87ArithArg(D8_KINDS[r]!, 0, -1, false) };
    if (r === 2 || r === 3) return { load: fmt, size, then: 'cmp', arg: x87CompareArg(-1, r - 2, true) };
    return null;
  }
  if (r === 0) return { load: fmt, size, then: 'push', arg: 0 };
  // fld m80, fstp m80: the bits as they are
  if (i.op === 0xdb && (r === 5 || r === 7)) return { m80: r === 5 ? 'load' : 'store' };
  if ((i.op === 0xd9 || i.op === 0xdd) && (r === 2 || r === 3)) return { store: fmt === LD_F64 ? ST_F64 : ST_F32, int: false, size, pop: r === 3 };
  // fist, fistp m32int and m16int; fild and fistp m64int
  if ((i.op === 0xdb || i.op === 0xdf) && (r === 2 || r === 3)) return { store: i.op === 0xdb ? ST_I32 : ST_I16, int: true, size, pop: r === 3 };
  if (i.op === 0xdf && r === 5) return { load: LD_I64, size: 8, then: 'push', arg: 0 };
  if (i.op === 0xdf && r === 7) return { store: ST_I64, int: true, size: 8, pop: true };
  // fldcw, fnstcw
  if (i.op === 0xd9 && (r === 5 || r === 7)) return { cw: r === 5 ? 'load' : 'store' };
  return null;
}
/** frndint (the runtime's x87RoundFn) */
const isFrndint = (i: Insn): boolean => !i.m && !i.faulty && !i.lock && i.op === 0xd9 && i.modrm === 0xfc;
/** Whether i has an inline form (emitX87 takes it). */
export function x87Inline(i: Insn): boolean {
  return formOf(i) >= 0 || arithArg(i) >= 0 || compareArg(i) >= 0 || memForm(i) !== null || isFrndint(i);
}

/** A memory form (memForm): the access straight through the TLB, the runtime's conversion, operation or store. */
function emitMem(e: X87Emitter, k: number, i: Insn, f: MemForm, handler: () => void): void {
  const a = e.ea(i, k), ent = e.local(), host = e.local();
  const hostOf = (table: number): void => { e.get(ent); e.mem(OP.load, table + 4); e.get(a); e.op(OP.add); e.set(host); };
  if ('m80' in f) {
    // the ten bytes copied to the register pushed (free) or from ST(0) (holding a value), popped
    const load = f.m80 === 'load', t = e.local(), m = e.local(), sw = e.local(), at = e.local();
    e.probe(a, 10, load ? TLB_R : TLB_W, ent);
    e.get(ST); e.mem(OP.load, W_TOP); e.set(t);
    e.get(ST); e.mem(OP.load, W_EMPTY); e.set(m);
    e.get(ST); e.mem(OP.load, W_SW); e.tee(sw); e.i32(ES); e.op(OP.and);
    e.get(ST); e.mem(OP.load, S_MMX); e.op(OP.or); e.op(OP.eqz); e.op(OP.and);
    emptyBit(e, t, m, load ? 7 : 0); if (!load) e.op(OP.eqz);
    e.op(OP.and);
    e.if_(I32, 1);
    hostOf(load ? TLB_R : TLB_W);
    if (load) { e.get(t); e.i32(7); e.op(OP.add); e.i32(7); e.op(OP.and); e.set(t); }
    regAt(e, t, 0); e.set(at);
    if (load) {
      e.get(at); e.get(host); e.mem(L64, 0); e.mem(S64, S_X87);
      e.get(at); e.get(host); e.mem(OP.load16u, 8); e.mem(OP.store, S_X87 + 8);
      e.get(ST); e.get(m); e.i32(1); e.get(t); e.op(OP.shl); e.i32(-1); e.op(OP.xor); e.op(OP.and); e.mem(OP.store, W_EMPTY);
      e.get(ST); e.get(t); e.mem(OP.store, W_TOP);
    } else {
      e.get(host); e.get(at); e.mem(L64, S_X87); e.mem(S64, 0);
      e.get(host); e.get(at); e.mem(OP.load, S_X87 + 8); e.mem(OP.store16, 8);
      e.get(ST); e.get(m); e.i32(1); e.get(t); e.op(OP.shl); e.op(OP.or); e.mem(OP.store, W_EMPTY);
      e.get(ST); e.get(t); e.i32(1); e.op(OP.add); e.i32(7); e.op(OP.and); e.mem(OP.store, W_TOP);
    }
    clearC1(e, sw);
    e.i32(1);
    e.else_(); e.i32(0); e.end_();
  } else if ('cw' in f) {
    e.probe(a, 2, f.cw === 'load' ? TLB_R : TLB_W, ent);
    if (f.cw === 'load') {
      // fldcw waits: not with an exception pending
      e.get(ST); e.mem(OP.load, W_SW); e.i32(ES); e.op(OP.and); e.op(OP.eqz); e.op(OP.and);
    }
    e.if_(I32, 1);
    hostOf(f.cw === 'load' ? TLB_R : TLB_W);
    if (f.cw === 'store') { e.get(host); e.get(ST); e.mem(OP.load, W_CW); e.mem(OP.store16, 0); } else {
      // the control word (bit 6 reads as 1), and ES and B as its masks leave the flags set unmasked or not
      const cw = e.local(), sw = e.local();
      e.get(host); e.mem(OP.load16u, 0); e.i32(0x1f7f); e.op(OP.and); e.i32(0x40); e.op(OP.or); e.set(cw);
      e.get(ST); e.get(cw); e.mem(OP.store, W_CW);
      e.get(ST); e.mem(OP.load, W_SW); e.i32(~0x8080); e.op(OP.and); e.set(sw);
      e.get(ST);
      e.get(sw); e.i32(0x8080); e.op(OP.or);
      e.get(sw);
      e.get(sw); e.get(cw); e.i32(-1); e.op(OP.xor); e.op(OP.and); e.i32(0x3f); e.op(OP.and);
      e.op(OP.select);
      e.mem(OP.store, W_SW);
    }
    e.i32(1);
    e.else_(); e.i32(0); e.end_();
  } else if ('load' in f) {
    e.probe(a, f.size, TLB_R, ent);
    e.if_(I32, 1);
    hostOf(TLB_R);
    e.get(ST);
    e.i32(f.load | (f.then === 'push' ? LD_PUSH : 0));
    e.get(host); e.mem(f.size === 2 ? OP.load16u : OP.load, 0);
    if (f.size === 8) { e.get(host); e.mem(OP.load, 4); } else e.i32(0);
    e.call(F.x87ld);
    if (f.then !== 'push') {
      e.if_(I32);
      e.get(ST); e.i32(f.arg);
      if (f.then === 'arith') e.call(F.x87);
      else { e.call(F.x87cmp); e.i32(-1); e.op(OP.ne); }
      e.else_(); e.i32(0); e.end_();
    }
    e.else_(); e.i32(0); e.end_();
  } else {
    // the bits and the status word computed first (nothing changed yet), then stored
    e.get(ST); e.i32(f.store); e.call(f.int ? F.x87ist : F.x87st);
    e.probe(a, f.size, TLB_W, ent);
    e.op(OP.and);
    e.if_(I32, 1);
    hostOf(TLB_W);
    e.get(host); e.get(ST); e.mem(f.size === 8 ? L64 : OP.load, S_X87 + ST_LO); e.mem(f.size === 8 ? S64 : f.size === 2 ? OP.store16 : OP.store, 0);
    e.get(ST); e.get(ST); e.mem(OP.load, S_X87 + ST_SW); e.mem(OP.store, W_SW);
    if (f.pop) {
      const t = e.local();
      e.get(ST); e.mem(OP.load, W_TOP); e.set(t);
      e.get(ST); e.get(ST); e.mem(OP.load, W_EMPTY); e.i32(1); e.get(t); e.op(OP.shl); e.op(OP.or); e.mem(OP.store, W_EMPTY);
      e.get(ST); e.get(t); e.i32(1); e.op(OP.add); e.i32(7); e.op(OP.and); e.mem(OP.store, W_TOP);
    }
    e.i32(1);
    e.else_(); e.i32(0); e.end_();
  }
  e.op(OP.eqz);
  e.if_(0x40, 0);
  // on the handler's path, the page enters the TLB for next time (the handler does not fill it)
  e.i32(SLOW_FILL); e.get(a); e.i32('store' in f || ('cw' in f && f.cw === 'store') || ('m80' in f && f.m80 === 'store') ? 1 : 0); e.i32(k); e.call(F.slow); e.op(OP.drop);
  handler();
  e.end_();
}

/** Push the slot address of physical register (top + d) & 7, top in local t (words at S_X87 from it). */
function regAt(e: X87Emitter, t: number, d: number): void {
  e.get(ST);
  e.get(t);
  if (d) { e.i32(d); e.op(OP.add); }
  e.i32(7); e.op(OP.and);
  e.i32(4); e.op(OP.shl);
  e.op(OP.add);
}
/** Push 1 when physical register (top + d) & 7 is empty (empty mask in local m). */
function emptyBit(e: X87Emitter, t: number, m: number, d: number): void {
  e.get(m);
  e.get(t);
  if (d) { e.i32(d); e.op(OP.add); e.i32(7); e.op(OP.and); }
  e.op(OP.shru);
  e.i32(1); e.op(OP.and);
}
/** Copy the three words of the register at address local `from` to the one at local `to`. */
function copyReg(e: X87Emitter, from: number, to: number): void {
  for (let w = 0; w < 3; w++) {
    e.get(to);
    e.get(from); e.mem(OP.load, S_X87 + 4 * w);
    e.mem(OP.store, S_X87 + 4 * w);
  }
}
/** The condition (cpu.ts cc) fcmov of instruction i copies under (fcmovb, e, be, u; nb, ne, nbe, nu), else -1. */
export function fcmovCc(i: Insn): number {
  if (i.m || i.faulty || i.lock || (i.op !== 0xda && i.op !== 0xdb) || i.modrm >= 0xe0) return -1;
  return [2, 4, 6, 10][(i.modrm >> 3) & 3]! ^ (i.op === 0xdb ? 1 : 0);
}
/**
 * fcmov: ST(0) := ST(i) when the condition (i32 local c, from the block's flags) holds, inline
 * when both registers hold values (no exception pending, no MMX state); else `handler`.
 */
export function emitFcmov(e: X87Emitter, i: Insn, c: number, handler: () => void): void {
  const t = e.local(), m = e.local(), n = i.modrm & 7;
  e.get(ST); e.mem(OP.load, W_TOP); e.set(t);
  e.get(ST); e.mem(OP.load, W_EMPTY); e.set(m);
  e.get(ST); e.mem(OP.load, W_SW); e.i32(ES); e.op(OP.and);
  e.get(ST); e.mem(OP.load, S_MMX); e.op(OP.or);
  emptyBit(e, t, m, 0); e.op(OP.or);
  emptyBit(e, t, m, n); e.op(OP.or);
  e.op(OP.eqz);
  e.if_(0x40, 1);
  e.get(c);
  e.if_(0x40);
  const from = e.local(), to = e.local();
  regAt(e, t, n); e.set(from);
  regAt(e, t, 0); e.set(to);
  copyReg(e, from, to);
  e.end_();
  e.else_();
  handler();
  e.end_();
}

/** status word := status word & ~C1 (local sw holds it). */
function clearC1(e: X87Emitter, sw: number): void {
  e.get(ST);
  e.get(sw); e.i32(~C1); e.op(OP.and);
  e.mem(OP.store, W_SW);
}

/**
 * Emit x87 instruction i (x87Inline) inline, with `handler` (the call of its handler through
 * slow(), with the fault check after it) where the inline code does not apply.
 */
export function emitX87(e: X87Emitter, k: number, i: Insn, handler: () => void): void {
  const mf = memForm(i);
  if (mf) {
    emitMem(e, k, i, mf, handler);
    return;
  }
  const arith = arithArg(i), cmp = compareArg(i), round = isFrndint(i);
  if (arith >= 0 || cmp >= 0 || round) {
    // the runtime's x87ArithFn, x87CompareFn or x87RoundFn, which decline what they do not take
    e.get(ST);
    if (round) { e.call(F.x87rnd); e.op(OP.eqz); } else if (arith >= 0) { e.i32(arith); e.call(F.x87); e.op(OP.eqz); } else { e.i32(cmp); e.call(F.x87cmp); e.i32(-1); e.op(OP.eq); }
    e.if_(0x40, 0);
    handler();
    e.end_();
    return;
  }
  const f = formOf(i), n = i.modrm & 7;
  const t = e.local(), m = e.local(), sw = e.local();
  e.get(ST); e.mem(OP.load, W_TOP); e.set(t);
  e.get(ST); e.mem(OP.load, W_EMPTY); e.set(m);
  e.get(ST); e.mem(OP.load, W_SW); e.set(sw);
  // no exception pending, no MMX state: then the stack's state decides
  e.get(sw); e.i32(ES); e.op(OP.and);
  e.get(ST); e.mem(OP.load, S_MMX);
  e.op(OP.or); e.op(OP.eqz);
  const konst = f === Form.FLD1 || f === Form.FLDZ || f === Form.FLDC, push = f === Form.FLD || konst;
  // (the constants of fldl2t ... fldln2 as rounded to nearest: under another rounding control, the handler)
  if (f === Form.FLDC) { e.get(ST); e.mem(OP.load, W_CW); e.i32(0xc00); e.op(OP.and); e.op(OP.eqz); e.op(OP.and); }
  // the registers read hold values
  if (!konst) { emptyBit(e, t, m, 0); e.op(OP.eqz); e.op(OP.and); }
  if (f === Form.FLD || f === Form.FXCH) { emptyBit(e, t, m, n); e.op(OP.eqz); e.op(OP.and); }
  // the register pushed to is free
  if (push) { emptyBit(e, t, m, 7); e.op(OP.and); }
  e.if_(0x40, 1);
  const a = e.local(), b = e.local();
  switch (f) {
    case Form.FLD: case Form.FLD1: case Form.FLDZ: case Form.FLDC: {
      // the new top: (top - 1) & 7
      e.get(t); e.i32(7); e.op(OP.add); e.i32(7); e.op(OP.and); e.set(b);
      e.get(ST); e.get(b); e.i32(4); e.op(OP.shl); e.op(OP.add); e.set(a);
      if (f === Form.FLD) {
        const from = e.local();
        regAt(e, t, n); e.set(from);
        copyReg(e, from, a);
      } else {
        // 1.0: significand 0x8000000000000000, exponent 16383; +0: all zero; the others fpu-trans.ts's
        const c = f === Form.FLD1 ? { lo: 0, hi: 0x80000000, s: 0, e: 16383 } : f === Form.FLDZ ? { lo: 0, hi: 0, s: 0, e: 0 }
          : CONSTS((i.modrm & 7) - 1, 0);
        e.get(a); e.i32(c.lo | 0); e.mem(OP.store, S_X87);
        e.get(a); e.i32(c.hi | 0); e.mem(OP.store, S_X87 + 4);
        e.get(a); e.i32((c.s << 15) | c.e); e.mem(OP.store, S_X87 + 8);
      }
      e.get(ST); e.get(b); e.mem(OP.store, W_TOP);
      e.get(ST); e.get(m); e.i32(1); e.get(b); e.op(OP.shl); e.i32(-1); e.op(OP.xor); e.op(OP.and); e.mem(OP.store, W_EMPTY);
      clearC1(e, sw);
      break;
    }
    case Form.FXCH: {
      regAt(e, t, 0); e.set(a);
      regAt(e, t, n); e.set(b);
      const tmp = e.local();
      for (let w = 0; w < 3; w++) {
        e.get(a); e.mem(OP.load, S_X87 + 4 * w); e.set(tmp);
        e.get(a); e.get(b); e.mem(OP.load, S_X87 + 4 * w); e.mem(OP.store, S_X87 + 4 * w);
        e.get(b); e.get(tmp); e.mem(OP.store, S_X87 + 4 * w);
      }
      clearC1(e, sw);
      break;
    }
    case Form.FST: case Form.FSTP: {
      regAt(e, t, 0); e.set(a);
      regAt(e, t, n); e.set(b);
      copyReg(e, a, b);
      // ST(i) holds a value now; fstp then frees ST(0) and pops
      e.get(m);
      e.i32(1); e.get(t); e.i32(n); e.op(OP.add); e.i32(7); e.op(OP.and); e.op(OP.shl);
      e.i32(-1); e.op(OP.xor); e.op(OP.and);
      if (f === Form.FSTP) {
        e.i32(1); e.get(t); e.op(OP.shl); e.op(OP.or);
        e.set(m);
        e.get(ST); e.get(t); e.i32(1); e.op(OP.add); e.i32(7); e.op(OP.and); e.mem(OP.store, W_TOP);
        e.get(ST); e.get(m); e.mem(OP.store, W_EMPTY);
      } else {
        e.set(m);
        e.get(ST); e.get(m); e.mem(OP.store, W_EMPTY);
      }
      clearC1(e, sw);
      break;
    }
    case Form.FCHS: case Form.FABS: {
      regAt(e, t, 0); e.set(a);
      e.get(a);
      e.get(a); e.mem(OP.load, S_X87 + 8);
      if (f === Form.FCHS) { e.i32(SIGN); e.op(OP.xor); } else { e.i32(~SIGN); e.op(OP.and); }
      e.mem(OP.store, S_X87 + 8);
      clearC1(e, sw);
      break;
    }
  }
  e.else_();
  handler();
  e.end_();
}

// ---- the runtime's x87 arithmetic ------------------------------------------------------------

/** A function body of the runtime module, with i32, i64 and f64 locals. */
export class Asm {
  code: number[] = [];
  private types: number[] = [];
  constructor(private nparams: number) {}
  /** a new local of type t (0x7f i32, 0x7e i64) */
  local(t: number): number {
    this.types.push(t);
    return this.nparams + this.types.length - 1;
  }
  o(...b: number[]): this { for (const x of b) this.code.push(x); return this; }
  get(l: number): this { this.code.push(OP.get); uleb(this.code, l); return this; }
  set(l: number): this { this.code.push(OP.set); uleb(this.code, l); return this; }
  tee(l: number): this { this.code.push(OP.tee); uleb(this.code, l); return this; }
  c(v: number): this { this.code.push(OP.const); sleb(this.code, v); return this; }
  /** i64.const of a value in the int32 range (sign-extended) */
  c64(v: number): this { this.code.push(OP.i64const); sleb(this.code, v); return this; }
  /** a load or store (natural alignment) at the address on the stack plus offset */
  m(op: number, offset: number): this {
    this.code.push(op, op === L64 || op === S64 ? 3 : 2);
    uleb(this.code, offset);
    return this;
  }
  /** `if` of result type t (0x40: none) */
  if_(t = 0x40): this { return this.o(OP.if, t); }
  ret0(): this { return this.o(OP.if, 0x40, OP.const, 0, OP.return, OP.end); }
  /** the function's bytes: locals (runs of one type), code, end */
  body(): number[] {
    const out: number[] = [], runs: [number, number][] = [];
    for (const t of this.types) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [n, t] of runs) { uleb(out, n); out.push(t); }
    for (const x of this.code) out.push(x);
    out.push(OP.end);
    return out;
  }
}
export const W_CW = S_X87 + 4 * X87_CW;
export const PE = 0x20;

/** The 128-bit product of the i64 locals x and y (unsigned) into hi and lo, from four 32 x 32-bit products. */
export function mul128(a: Asm, x: number, y: number, hi: number, lo: number): void {
  const lo32 = (v: number): void => { a.get(v).c64(0xffff).c64(16).o(SHL64).c64(0xffff).o(OR64).o(AND64); };
  const hi32 = (v: number): void => { a.get(v).c64(32).o(SHRU64); };
  const p00 = a.local(I64), p01 = a.local(I64), p10 = a.local(I64), mid = a.local(I64);
  lo32(x); lo32(y); a.o(MUL64).set(p00);
  lo32(x); hi32(y); a.o(MUL64).set(p01);
  hi32(x); lo32(y); a.o(MUL64).set(p10);
  a.get(p00).c64(32).o(SHRU64);
  a.get(p01).c64(-1).c64(32).o(SHRU64).o(AND64).o(ADD64);
  a.get(p10).c64(-1).c64(32).o(SHRU64).o(AND64).o(ADD64).set(mid);
  a.get(mid).c64(32).o(SHL64).get(p00).c64(-1).c64(32).o(SHRU64).o(AND64).o(OR64).set(lo);
  hi32(x); hi32(y); a.o(MUL64);
  a.get(p01).c64(32).o(SHRU64).o(ADD64);
  a.get(p10).c64(32).o(SHRU64).o(ADD64);
  a.get(mid).c64(32).o(SHRU64).o(ADD64).set(hi);
}

/**
 * The 64-bit quotient q and remainder r of u1:u0 (128 bits, u1 < v) by v (i64 locals; v's top
 * bit set): two 32-bit digits, each estimated from v's top half with i64.div_u and corrected (at
 * most twice) against its low half, as in Knuth's algorithm D.
 */
export function div128(a: Asm, u1: number, u0: number, v: number, q: number, r: number): void {
  const i64 = (): number => a.local(I64);
  const vn1 = i64(), vn0 = i64(), q1 = i64(), q0 = i64(), rhat = i64(), un21 = i64();
  const two32 = (): void => { a.c64(1).c64(32).o(SHL64); };
  const low32 = (): void => { a.c64(-1).c64(32).o(SHRU64).o(AND64); };
  a.get(v).c64(32).o(SHRU64).set(vn1);
  a.get(v); low32(); a.set(vn0);
  /** digit d of num (its estimate num / vn1, corrected with the next dividend digit `next`) */
  const digit = (num: number, next: () => void, d: number): void => {
    a.get(num).get(vn1).o(OP.i64divu).set(d);
    a.get(num).get(d).get(vn1).o(MUL64).o(SUB64).set(rhat);
    a.o(OP.loop, 0x40);
    a.get(d); two32(); a.o(0x5a);
    a.if_(0x7f).c(1).o(OP.else);
    a.get(d).get(vn0).o(MUL64).get(rhat).c64(32).o(SHL64); next(); a.o(ADD64).o(GTU64);
    a.o(OP.end);
    a.if_();
    a.get(d).c64(1).o(SUB64).set(d);
    a.get(rhat).get(vn1).o(ADD64).tee(rhat); two32(); a.o(LTU64).o(OP.brIf, 1);
    a.o(OP.end, OP.end);
  };
  digit(u1, () => { a.get(u0).c64(32).o(SHRU64); }, q1);
  a.get(u1).c64(32).o(SHL64).get(u0).c64(32).o(SHRU64).o(ADD64).get(q1).get(v).o(MUL64).o(SUB64).set(un21);
  digit(un21, () => { a.get(u0); low32(); }, q0);
  a.get(un21).c64(32).o(SHL64).get(u0); low32(); a.o(ADD64).get(q0).get(v).o(MUL64).o(SUB64).set(r);
  a.get(q1).c64(32).o(SHL64).get(q0).o(OR64).set(q);
}

/** The bits a result drops from 64 under the precision control of control word cw (i32 local) into drop: 24 bits 40, 53 bits 11, 64 bits 0. */
export function precisionDrop(a: Asm, cw: number, drop: number): void {
  a.c(40).c(11).c(0);
  a.get(cw).c(8).o(OP.shru).c(3).o(OP.and).tee(drop).c(2).o(OP.eq).o(OP.select);
  a.get(drop).o(OP.eqz).o(OP.select).set(drop);
}

/** Register words at slot address `at` (physical register's: st + 16p) into m (significand), sg (sign), ex (exponent); tmp a scratch i32. */
export function loadReg(a: Asm, at: number, m: number, sg: number, ex: number, tmp: number): void {
  a.get(at).m(L64, S_X87).set(m);
  a.get(at).m(OP.load, S_X87 + 8).tee(tmp).c(15).o(OP.shru).set(sg);
  a.get(tmp).c(0x7fff).o(OP.and).set(ex);
}

/** The status word sw after a rounding, at slot offset `to`: PE when the bits below (i64 local `below`) are not 0, C1 when rounded up (local up). */
export function statusAfter(a: Asm, sw: number, below: number, up: number, to: number): void {
  a.get(0);
  a.get(sw).c(~C1).o(OP.and);
  a.get(below).c64(0).o(NE64).c(PE).o(OP.mul).o(OP.or);
  a.get(up).c(C1).o(OP.mul).o(OP.or);
  a.m(OP.store, to);
}

/** ST(0) into m, s, e (loadReg), its slot address into at, TOP into top; the function returns 0 when it is empty. */
export function loadTop(a: Asm, top: number, at: number, m: number, s: number, e: number, tmp: number): void {
  const ST = 0;
  a.get(ST).m(OP.load, W_TOP).set(top);
  a.get(ST).m(OP.load, W_EMPTY).get(top).o(OP.shru).c(1).o(OP.and).ret0();
  a.get(ST).get(top).c(4).o(OP.shl).o(OP.add).set(at);
  loadReg(a, at, m, s, e, tmp);
}

/**
 * Kinds of x87ArithFn's operation (fpu.ts Ar): x op y, x the destination's value;
 * SUBR is y - x, DIVR y / x.
 */
export const X87_ADD = 0, X87_MUL = 1, X87_SUB = 4, X87_SUBR = 5, X87_DIV = 6, X87_DIVR = 7;
/** x87ArithFn's argument: kind | destination stack index << 4 | source index << 8 | pop << 12 (src -1: the scratch register) */
export const x87ArithArg = (kind: number, dst: number, src: number, pop: boolean): number =>
  kind | (dst << 4) | (src < 0 ? SRC_SCRATCH : src << 8) | (pop ? 0x1000 : 0);

/**
 * x87ArithFn(st, arg): ST(dst) := ST(dst) op ST(src) or the scratch register (x87ArithArg),
 * popping after when asked, as fpu.ts's arith() does for zero or normal operands with a zero or
 * normal result under the control word Linux starts programs with (64-bit precision, rounding
 * to nearest, every exception masked): the exact result rounded once to 64 bits, PE when
 * inexact, C1 when rounded up. 1 when done; 0, nothing changed, for every other case (an empty
 * register, a denormal, infinite or NaN operand, a division by zero, an overflowing or
 * underflowing result, another control word, an exception pending, MMX state): the
 * instruction's handler then runs.
 */
export function x87ArithFn(): number[] {
  const a = new Asm(2), ST = 0, P = 1;
  const i32 = (): number => a.local(0x7f), i64 = (): number => a.local(I64);
  const top = i32(), empty = i32(), sw = i32(), kind = i32(), ad = i32(), as = i32();
  const xs = i32(), xe = i32(), ys = i32(), ye = i32(), s = i32(), e = i32(), d = i32(), up = i32(), ti = i32(), zr = i32();
  const xm = i64(), ym = i64(), hi = i64(), lo = i64(), t = i64();
  const cw = i32(), rc = i32(), drop = i32();
  // no MMX state, no exception pending, every exception masked
  a.get(ST).m(OP.load, S_MMX);
  a.get(ST).m(OP.load, W_SW).tee(sw).c(ES).o(OP.and).o(OP.or);
  a.get(ST).m(OP.load, W_CW).tee(cw).c(0x3f).o(OP.and).c(0x3f).o(OP.ne).o(OP.or);
  a.ret0();
  // the rounding control; the precision control's bits dropped from 64 (24 bits: 40, 53: 11, 64: 0)
  a.get(cw).c(10).o(OP.shru).c(3).o(OP.and).set(rc);
  precisionDrop(a, cw, drop);
  a.get(ST).m(OP.load, W_TOP).set(top);
  a.get(ST).m(OP.load, W_EMPTY).set(empty);
  a.get(P).c(15).o(OP.and).set(kind);
  // the physical registers, both holding values
  const phys = (shift: number, into: number): void => {
    a.get(top).get(P).c(shift).o(OP.shru).o(OP.add).c(7).o(OP.and).set(into);
  };
  phys(4, ad); phys(8, as);
  // (a memory operand: the scratch register, never empty: the mask has 8 bits)
  a.get(P).c(SRC_SCRATCH).o(OP.and).if_().c(X87_SCRATCH).set(as).o(OP.end);
  a.get(empty).get(ad).o(OP.shru).get(empty).get(as).o(OP.shru).o(OP.or).c(1).o(OP.and).ret0();
  a.get(ST).get(ad).c(4).o(OP.shl).o(OP.add).set(ad);
  a.get(ST).get(as).c(4).o(OP.shl).o(OP.add).set(as);
  loadReg(a, ad, xm, xs, xe, ti);
  loadReg(a, as, ym, ys, ye, ti);
  // zeros and normal operands (exponent 1..0x7ffe, integer bit set)
  const notNormal = (ex: number, m: number): void => {
    a.get(ex).c(1).o(OP.sub).c(0x7ffe).o(GEU).get(m).c64(0).o(GES64).o(OP.or);
    a.get(ex).o(OP.eqz).get(m).o(EQZ64).o(OP.and).o(OP.eqz).o(OP.and);
  };
  notNormal(xe, xm); notNormal(ye, ym); a.o(OP.or);
  a.ret0();
  const swap = (): void => {
    a.get(xm).get(ym).set(xm).set(ym);
    a.get(xe).get(ye).set(xe).set(ye);
    a.get(xs).get(ys).set(xs).set(ys);
  };
  // y - x and y / x: x and y exchanged, then x - y and x / y
  a.get(kind).c(X87_SUBR).o(OP.eq).get(kind).c(X87_DIVR).o(OP.eq).o(OP.or).if_(); swap(); a.get(kind).c(1).o(OP.sub).set(kind).o(OP.end);
  a.get(kind).c(X87_SUB).o(OP.eq).if_(); a.get(ys).c(1).o(OP.xor).set(ys).c(X87_ADD).set(kind).o(OP.end);
  a.c64(0).set(lo).c(0).set(zr);
  a.get(xm).o(EQZ64).get(ym).o(EQZ64).o(OP.or).if_();
  {
    // a zero operand: an exact result (a zero, or the other operand), no flags
    a.get(kind).c(X87_ADD).o(OP.eq).if_();
    a.get(xm).get(ym).o(OR64).o(EQZ64).if_();
    // (0 + 0: -0 when both are, or either rounding down)
    a.c(1).set(zr).get(xs).get(ys).o(OP.or).get(xs).get(ys).o(OP.and).get(rc).c(1).o(OP.eq).o(OP.select).set(s);
    a.o(OP.else).get(xm).o(EQZ64).if_();
    a.get(ym).set(hi).get(ye).set(e).get(ys).set(s);
    a.o(OP.else);
    a.get(xm).set(hi).get(xe).set(e).get(xs).set(s);
    a.o(OP.end, OP.end);
    a.o(OP.else);
    // x * 0, 0 * y, 0 / y (x / 0: the handler, ZE or IE)
    a.get(kind).c(X87_DIV).o(OP.eq).get(ym).o(EQZ64).o(OP.and).ret0();
    a.c(1).set(zr).get(xs).get(ys).o(OP.xor).set(s);
    a.o(OP.end);
    a.get(zr).if_().c64(0).set(hi).c(0).set(e).o(OP.end);
  }
  a.o(OP.else);
  a.get(kind).c(X87_MUL).o(OP.eq).if_();
  {
    // the 128-bit product of the significands from four 32 x 32-bit products
    a.get(xs).get(ys).o(OP.xor).set(s);
    a.get(xe).get(ye).o(OP.add).c(16383).o(OP.sub).set(e);
    mul128(a, xm, ym, hi, lo);
    // in [2^126, 2^128): the top bit at 127, or at 126 and shifted up
    a.get(hi).c64(0).o(GES64).if_();
    a.get(hi).c64(1).o(SHL64).get(lo).c64(63).o(SHRU64).o(OR64).set(hi);
    a.get(lo).c64(1).o(SHL64).set(lo);
    a.o(OP.else).get(e).c(1).o(OP.add).set(e).o(OP.end);
  }
  a.o(OP.else).get(kind).c(X87_DIV).o(OP.eq).if_();
  {
    // x / y: the 64-bit quotient (hi) of xm * 2^63 (xm >= ym: its top bit at 63) or xm * 2^64 (one
    // exponent lower) by ym (normalized already), the remainder in lo (div128)
    a.get(xs).get(ys).o(OP.xor).set(s);
    a.get(xe).get(ye).o(OP.sub).c(16383).o(OP.add).set(e);
    const u1 = i64(), u0 = i64();
    a.get(xm).get(ym).o(0x5a /* i64.ge_u */).if_();
    a.get(xm).c64(1).o(SHRU64).set(u1).get(xm).c64(63).o(SHL64).set(u0);
    a.o(OP.else);
    a.get(xm).set(u1).c64(0).set(u0).get(e).c(1).o(OP.sub).set(e);
    a.o(OP.end);
    div128(a, u1, u0, ym, hi, lo);
    // the remainder against half the divisor, as the bits below the quotient (lo) for the rounding:
    // above half, or below and not zero (never exactly half: 2^64 x = (2q + 1) y has no solution)
    a.c64(1).c64(63).o(SHL64).c64(1).o(OR64);
    a.get(lo).c64(0).o(NE64).o(EXTU);
    a.get(lo).c64(63).o(SHRU64).o(WRAP).get(lo).c64(1).o(SHL64).get(ym).o(GTU64).o(OP.or);
    a.o(OP.select).set(lo);
  }
  a.o(OP.else);
  {
    // x + y: x the larger in magnitude
    a.get(xe).get(ye).o(OP.ltu).get(xe).get(ye).o(OP.eq).get(xm).get(ym).o(LTU64).o(OP.and).o(OP.or).if_(); swap(); a.o(OP.end);
    a.get(xs).set(s);
    a.get(xe).set(e);
    a.get(xe).get(ye).o(OP.sub).set(d);
    // y aligned to x in 128 bits (t high, lo low; a 1 in lo's lowest bit for what is shifted out)
    a.c64(0).set(t).c64(0).set(lo);
    a.get(d).o(OP.eqz).if_().get(ym).set(t);
    a.o(OP.else).get(d).c(64).o(OP.ltu).if_();
    a.get(ym).get(d).o(EXTU).o(SHRU64).set(t);
    a.get(ym).c(64).get(d).o(OP.sub).o(EXTU).o(SHL64).set(lo);
    a.o(OP.else).get(d).c(64).o(OP.eq).if_().get(ym).set(lo);
    a.o(OP.else).get(d).c(128).o(OP.ltu).if_();
    a.get(ym).get(d).c(64).o(OP.sub).o(EXTU).o(SHRU64);
    a.get(ym).c(128).get(d).o(OP.sub).o(EXTU).o(SHL64).c64(0).o(NE64).o(EXTU).o(OR64).set(lo);
    a.o(OP.else).c64(1).set(lo);
    a.o(OP.end, OP.end, OP.end, OP.end);
    a.get(xs).get(ys).o(OP.eq).if_();
    {
      a.get(xm).get(t).o(ADD64).tee(hi).get(xm).o(LTU64).if_();
      // a carry out: one bit to the right (the bit shifted out of lo kept in its lowest)
      a.get(lo).c64(1).o(SHRU64).get(hi).c64(63).o(SHL64).o(OR64).get(lo).c64(1).o(AND64).o(OR64).set(lo);
      a.get(hi).c64(1).o(SHRU64).c64(1).c64(63).o(SHL64).o(OR64).set(hi);
      a.get(e).c(1).o(OP.add).set(e);
      a.o(OP.end);
    }
    a.o(OP.else);
    {
      // x:0 - t:lo
      a.get(xm).get(t).o(SUB64).get(lo).c64(0).o(NE64).o(EXTU).o(SUB64).set(hi);
      a.c64(0).get(lo).o(SUB64).set(lo);
      // an exact zero: +0, -0 rounding down
      a.get(hi).get(lo).o(OR64).o(EQZ64).if_();
      a.c(1).set(zr).get(rc).c(1).o(OP.eq).set(s).c(0).set(e);
      a.o(OP.else);
      a.get(hi).o(EQZ64).if_().get(lo).set(hi).c64(0).set(lo).get(e).c(64).o(OP.sub).set(e).o(OP.end);
      a.get(hi).o(CLZ64).o(WRAP).tee(d).if_();
      a.get(hi).get(d).o(EXTU).o(SHL64).get(lo).c(64).get(d).o(OP.sub).o(EXTU).o(SHRU64).o(OR64).set(hi);
      a.get(lo).get(d).o(EXTU).o(SHL64).set(lo);
      a.get(e).get(d).o(OP.sub).set(e);
      a.o(OP.end);
      a.o(OP.end);
    }
    a.o(OP.end);
  }
  a.o(OP.end, OP.end, OP.end);
  // to 64, 53 or 24 bits by the rounding control: the bits dropped as the top of `below` (and a 1
  // under them for anything in lo), the kept lowest bit's place as `unit`
  const below = i64(), unit = i64();
  const half = (): void => { a.c64(1).c64(63).o(SHL64); };
  a.get(drop).if_();
  a.get(hi).c(64).get(drop).o(OP.sub).o(EXTU).o(SHL64).get(lo).c64(0).o(NE64).o(EXTU).o(OR64).set(below);
  a.get(hi).c64(-1).get(drop).o(EXTU).o(SHL64).o(AND64).set(hi);
  a.o(OP.else).get(lo).set(below).o(OP.end);
  a.c64(1).get(drop).o(EXTU).o(SHL64).set(unit);
  // nearest: above half, or half with the kept lowest bit set (even); down: inexact and negative; up: inexact and positive
  a.get(rc).o(OP.eqz).if_(0x7f);
  a.get(below); half(); a.o(GTU64);
  a.get(below); half(); a.o(EQ64).get(hi).get(unit).o(AND64).c64(0).o(NE64).o(OP.and).o(OP.or);
  a.o(OP.else);
  a.get(below).c64(0).o(NE64);
  a.get(rc).c(1).o(OP.eq).get(s).o(OP.and).get(rc).c(2).o(OP.eq).get(s).o(OP.eqz).o(OP.and).o(OP.or);
  a.o(OP.and);
  a.o(OP.end).tee(up).if_();
  a.get(hi).get(unit).o(ADD64).tee(hi).o(EQZ64).if_();
  half(); a.set(hi).get(e).c(1).o(OP.add).set(e);
  a.o(OP.end, OP.end);
  // a zero or a normal result (else it overflows or underflows: the handler)
  a.get(e).c(1).o(OP.sub).c(0x7ffe).o(GEU).get(zr).o(OP.eqz).o(OP.and).ret0();
  a.get(ad).get(hi).m(S64, S_X87);
  a.get(ad).get(s).c(15).o(OP.shl).get(e).o(OP.or).m(OP.store, S_X87 + 8);
  statusAfter(a, sw, below, up, W_SW);
  a.get(P).c(0x1000).o(OP.and).if_();
  a.get(ST).get(empty).c(1).get(top).o(OP.shl).o(OP.or).m(OP.store, W_EMPTY);
  a.get(ST).get(top).c(1).o(OP.add).c(7).o(OP.and).m(OP.store, W_TOP);
  a.o(OP.end);
  a.c(1);
  return a.body();
}

/** x87CompareArg: the source's stack index, pops (0-2) << 12, 0x4000 for the condition codes (fcom) rather than EFLAGS (fcomi) */
export const x87CompareArg = (src: number, pops: number, toSw: boolean): number =>
  (src < 0 ? CMP_SCRATCH : src) | (pops << 12) | (toSw ? 0x4000 : 0);
const C0 = 0x100, C2 = 0x400, C3 = 0x4000;

/**
 * x87Compare(st, arg): ST(0) against ST(src) (x87CompareArg), as fpu.ts's comiSet and compareSet
 * do for operands that are zeros, normal or infinite (no exception then): for fcomi the status
 * flags to put in EFLAGS (ZF on equal, CF on less; PF, OF, SF, AF clear) as the result; for fcom
 * C3, C2, C0 in the status word (C1 clear), 0 as the result; then the pops. -1, nothing changed,
 * for every other case (an empty register, a NaN, a denormal or unsupported operand, an
 * exception pending, MMX state): the instruction's handler then runs.
 */
export function x87CompareFn(): number[] {
  const a = new Asm(2), ST = 0, P = 1;
  const i32 = (): number => a.local(0x7f), i64 = (): number => a.local(I64);
  const top = i32(), empty = i32(), sw = i32(), ad = i32(), as = i32(), xe = i32(), ye = i32(), xs = i32(), ys = i32(), r = i32(), ti = i32(), pops = i32();
  const xm = i64(), ym = i64();
  const ret = (): void => { a.o(OP.if, 0x40).c(-1).o(OP.return, OP.end); };
  a.get(ST).m(OP.load, S_MMX);
  a.get(ST).m(OP.load, W_SW).tee(sw).c(ES).o(OP.and).o(OP.or);
  ret();
  a.get(ST).m(OP.load, W_TOP).set(top);
  a.get(ST).m(OP.load, W_EMPTY).set(empty);
  a.get(top).get(P).c(7).o(OP.and).o(OP.add).c(7).o(OP.and).set(as);
  a.get(P).c(CMP_SCRATCH).o(OP.and).if_().c(X87_SCRATCH).set(as).o(OP.end);
  a.get(empty).get(top).o(OP.shru).get(empty).get(as).o(OP.shru).o(OP.or).c(1).o(OP.and);
  ret();
  a.get(ST).get(top).c(4).o(OP.shl).o(OP.add).set(ad);
  a.get(ST).get(as).c(4).o(OP.shl).o(OP.add).set(as);
  loadReg(a, ad, xm, xs, xe, ti);
  loadReg(a, as, ym, ys, ye, ti);
  // a zero (exponent and significand 0), a normal value (integer bit set) or an infinity (only it)
  const bad = (m: number, ex: number): void => {
    a.get(ex).o(OP.eqz).if_(0x7f);
    a.get(m).c64(0).o(NE64);
    a.o(OP.else).get(ex).c(0x7fff).o(OP.eq).if_(0x7f);
    a.get(m).c64(1).c64(63).o(SHL64).o(NE64);
    a.o(OP.else).get(m).c64(0).o(GES64);
    a.o(OP.end, OP.end);
  };
  bad(xm, xe); bad(ym, ye); a.o(OP.or);
  ret();
  // r: 1 greater, 0 equal, -1 less
  a.get(xm).get(ym).o(OR64).o(EQZ64).if_(0x40).c(0).set(r);
  a.o(OP.else).get(xs).get(ys).o(OP.ne).if_(0x40).c(1).get(xs).c(1).o(OP.shl).o(OP.sub).set(r);
  a.o(OP.else);
  // same sign: by exponent, then significand; negative values the other way round
  a.get(xe).get(ye).o(OP.gtu).get(xe).get(ye).o(OP.eq).get(xm).get(ym).o(GTU64).o(OP.and).o(OP.or);
  a.get(xe).get(ye).o(OP.ltu).get(xe).get(ye).o(OP.eq).get(xm).get(ym).o(LTU64).o(OP.and).o(OP.or).o(OP.sub).set(r);
  a.get(xs).if_(0x40).c(0).get(r).o(OP.sub).set(r).o(OP.end);
  a.o(OP.end, OP.end);
  a.get(P).c(12).o(OP.shru).c(3).o(OP.and).set(pops);
  a.get(pops).if_(0x40);
  a.get(ST).get(empty).c(1).get(top).o(OP.shl).o(OP.or)
    .get(pops).c(2).o(OP.eq).if_(0x7f).c(1).get(top).c(1).o(OP.add).c(7).o(OP.and).o(OP.shl).o(OP.else).c(0).o(OP.end).o(OP.or)
    .m(OP.store, W_EMPTY);
  a.get(ST).get(top).get(pops).o(OP.add).c(7).o(OP.and).m(OP.store, W_TOP);
  a.o(OP.end);
  a.get(P).c(0x4000).o(OP.and).if_(0x7f);
  a.get(ST);
  a.get(sw).c(~(C0 | C1 | C2 | C3)).o(OP.and);
  a.get(r).o(OP.eqz).c(C3).o(OP.mul).o(OP.or);
  a.get(r).c(0).o(OP.lts).c(C0).o(OP.mul).o(OP.or);
  a.m(OP.store, W_SW);
  a.c(0);
  a.o(OP.else);
  a.get(r).o(OP.eqz).c(0x40).o(OP.mul);
  a.get(r).c(0).o(OP.lts).o(OP.or);
  a.o(OP.end);
  return a.body();
}


/**
 * x87LoadFn(st, arg, lo, hi): a memory operand's bits (lo, and hi for m64) as an 80-bit value:
 * pushed (LD_PUSH: fld m32/m64, fild m32/m16, as fpu.ts's fldMem: C1 clear), or into the scratch
 * register for x87ArithFn and x87CompareFn. Zeros, normal values and infinities (and every
 * integer); 1 when done, 0, nothing changed, for the rest (denormals, NaNs; for a push also a full
 * stack, an exception pending, MMX state).
 */
export function x87LoadFn(): number[] {
  const a = new Asm(4), ST = 0, P = 1, LO = 2, HI = 3;
  const i32 = (): number => a.local(0x7f), i64 = (): number => a.local(I64);
  const fmt = i32(), se = i32(), ex = i32(), at = i32(), top = i32(), empty = i32(), sw = i32(), z = i32();
  const m = i64(), f = i64();
  a.get(P).c(7).o(OP.and).set(fmt);
  /** a floating-point format: sign and exponent from hi (the exponent's lowest bit at fracTop), the fraction pushed by frac */
  const floating = (expBits: number, fracTop: number, fracBits: number, rebias: number, frac: () => void): void => {
    a.get(HI).c(31).o(OP.shru).c(15).o(OP.shl).set(se);
    a.get(HI).c(fracTop).o(OP.shru).c((1 << expBits) - 1).o(OP.and).set(ex);
    frac(); a.set(f);
    // an infinity (a NaN: the handler, which raises IE for a signaling one)
    a.get(ex).c((1 << expBits) - 1).o(OP.eq).if_();
    a.get(f).c64(0).o(NE64).ret0();
    a.c64(1).c64(63).o(SHL64).set(m);
    a.get(se).c(0x7fff).o(OP.or).set(se);
    // a zero (a denormal: the handler, which raises DE)
    a.o(OP.else).get(ex).o(OP.eqz).if_();
    a.get(f).c64(0).o(NE64).ret0();
    a.c64(0).set(m);
    a.o(OP.else);
    a.c64(1).c64(63).o(SHL64).get(f).c64(63 - fracBits).o(SHL64).o(OR64).set(m);
    a.get(se).get(ex).c(rebias).o(OP.add).o(OP.or).set(se);
    a.o(OP.end, OP.end);
  };
  a.get(fmt).c(LD_F32).o(OP.eq).if_();
  // m32: its bits in lo (sign, exponent 8 bits at 23, fraction 23 bits)
  a.get(LO).set(HI);
  floating(8, 23, 23, 16383 - 127, () => { a.get(HI).c(0x7fffff).o(OP.and).o(EXTU); });
  a.o(OP.else).get(fmt).c(LD_F64).o(OP.eq).if_();
  floating(11, 20, 52, 16383 - 1023, () => {
    a.get(HI).c(0xfffff).o(OP.and).o(EXTU).c64(32).o(SHL64).get(LO).o(EXTU).o(OR64);
  });
  a.o(OP.else);
  {
    // an integer: its magnitude normalized (exponent 16383 + 63 - leading zeros)
    a.get(fmt).c(LD_I16).o(OP.eq).if_().get(LO).o(OP.ext16).set(LO).o(OP.end);
    a.get(fmt).c(LD_I64).o(OP.eq).if_();
    a.get(HI).c(31).o(OP.shru).c(15).o(OP.shl).set(se);
    a.get(HI).o(EXTU).c64(32).o(SHL64).get(LO).o(EXTU).o(OR64).set(f);
    a.o(OP.else);
    a.get(LO).c(31).o(OP.shru).c(15).o(OP.shl).set(se);
    a.get(LO).o(EXTS).set(f);
    a.o(OP.end);
    // (the magnitude; -2^63's is 2^63, unsigned)
    a.get(f).c64(0).o(LTS64).if_().c64(0).get(f).o(SUB64).set(f).o(OP.end);
    a.get(f).o(EQZ64).if_();
    a.c64(0).set(m).c(0).set(se);
    a.o(OP.else);
    a.get(f).o(CLZ64).o(WRAP).set(z);
    a.get(f).get(z).o(EXTU).o(SHL64).set(m);
    a.get(se).c(16383 + 63).get(z).o(OP.sub).o(OP.or).set(se);
    a.o(OP.end);
  }
  a.o(OP.end, OP.end);
  a.get(P).c(LD_PUSH).o(OP.and).if_();
  {
    // onto the stack: no MMX state, no exception pending, the register below the top free
    a.get(ST).m(OP.load, S_MMX);
    a.get(ST).m(OP.load, W_SW).tee(sw).c(ES).o(OP.and).o(OP.or).ret0();
    a.get(ST).m(OP.load, W_TOP).c(7).o(OP.add).c(7).o(OP.and).set(top);
    a.get(ST).m(OP.load, W_EMPTY).tee(empty).get(top).o(OP.shru).c(1).o(OP.and).o(OP.eqz).ret0();
    a.get(ST).get(top).c(4).o(OP.shl).o(OP.add).set(at);
    a.get(ST).get(top).m(OP.store, W_TOP);
    a.get(ST).get(empty).c(1).get(top).o(OP.shl).c(-1).o(OP.xor).o(OP.and).m(OP.store, W_EMPTY);
    a.get(ST).get(sw).c(~C1).o(OP.and).m(OP.store, W_SW);
  }
  a.o(OP.else);
  a.get(ST).c(X87_SCRATCH << 4).o(OP.add).set(at);
  a.o(OP.end);
  a.get(at).get(m).m(S64, S_X87);
  a.get(at).get(se).m(OP.store, S_X87 + 8);
  a.c(1);
  return a.body();
}


/**
 * x87StoreFn(st, fmt): ST(0) rounded to m32 or m64 (fst, fstp), as fpu.ts's fstM32/fstM64 do for
 * a zero or a normal value whose rounding (to nearest, PE masked) stays normal: the bits and the
 * status word after (PE when inexact, C1 when rounded up) in the scratch register's words (ST_LO,
 * ST_HI, ST_SW), nothing else changed, 1 as the result; translated code stores the bits, then
 * sets the status word and pops. 0 for every other case (an empty ST(0), another rounding or PE
 * unmasked, a result that overflows, underflows or is denormal, a special value, an exception
 * pending, MMX state): the handler then runs.
 */
export function x87StoreFn(): number[] {
  const a = new Asm(2), ST = 0, P = 1;
  const i32 = (): number => a.local(0x7f), i64 = (): number => a.local(I64);
  const sw = i32(), top = i32(), at = i32(), s = i32(), e = i32(), up = i32(), ti = i32();
  const m = i64(), keep = i64(), rem = i64(), bits = i64();
  a.get(ST).m(OP.load, S_MMX);
  a.get(ST).m(OP.load, W_SW).tee(sw).c(ES).o(OP.and).o(OP.or);
  a.get(ST).m(OP.load, W_CW).c(0xc20).o(OP.and).c(0x20).o(OP.ne).o(OP.or).ret0();
  loadTop(a, top, at, m, s, e, ti);
  a.c(0).set(up).c64(0).set(rem).c64(0).set(bits);
  a.get(e).o(OP.eqz).if_();
  // a zero (else a denormal: the handler)
  a.get(m).c64(0).o(NE64).ret0();
  a.o(OP.else);
  {
    // an unnormal (integer bit clear), an infinity or a NaN: the handler
    a.get(m).c64(0).o(GES64).get(e).c(0x7fff).o(OP.eq).o(OP.or).ret0();
    const store = (fracBits: number, bias: number, maxE: number): void => {
      const drop = 63 - fracBits; // the bits below the kept significand (its integer bit included)
      a.get(m).c64(drop).o(SHRU64).set(keep);
      a.get(m).c64(1).c64(drop).o(SHL64).c64(1).o(SUB64).o(AND64).set(rem);
      // to nearest, even on a tie
      a.get(rem).c64(1).c64(drop - 1).o(SHL64).o(GTU64);
      a.get(rem).c64(1).c64(drop - 1).o(SHL64).o(EQ64).get(keep).o(WRAP).c(1).o(OP.and).o(OP.and).o(OP.or).tee(up).if_();
      a.get(keep).c64(1).o(ADD64).tee(keep).c64(1).c64(fracBits + 1).o(SHL64).o(EQ64).if_();
      a.get(keep).c64(1).o(SHRU64).set(keep).get(e).c(1).o(OP.add).set(e);
      a.o(OP.end, OP.end);
      // the exponent rebiased, normal in the format (else the handler)
      a.get(e).c(16383 - bias).o(OP.sub).tee(e).c(1).o(OP.sub).c(maxE - 1).o(GEU).ret0();
      a.get(keep).c64(1).c64(fracBits).o(SHL64).c64(1).o(SUB64).o(AND64);
      a.get(e).o(EXTU).c64(fracBits).o(SHL64).o(OR64).set(bits);
    };
    a.get(P).c(ST_F64).o(OP.eq).if_();
    store(52, 1023, 0x7ff);
    a.o(OP.else);
    store(23, 127, 0xff);
    a.get(bits).c64(32).o(SHL64).set(bits); // (m32: in the high word while the sign is added)
    a.o(OP.end);
  }
  a.o(OP.end);
  a.get(bits).get(s).o(EXTU).c64(63).o(SHL64).o(OR64).set(bits);
  a.get(P).c(ST_F32).o(OP.eq).if_().get(bits).c64(32).o(SHRU64).set(bits).o(OP.end);
  a.get(ST).get(bits).m(S64, S_X87 + ST_LO);
  statusAfter(a, sw, rem, up, S_X87 + ST_SW);
  a.c(1);
  return a.body();
}

/**
 * A normal value (m, e, s) below 2^63 in magnitude rounded to an integer by rounding control rc:
 * its integer part in ip, the fraction in frac (the binary point above its top bit; not zero
 * when inexact), up 1 when the integer part is to grow by one in magnitude.
 */
function roundToInt(a: Asm, m: number, e: number, s: number, rc: number, ip: number, frac: number, up: number): void {
  // the integer part (ip) and the fraction (frac, its binary point above the top bit)
  a.get(e).c(16383).o(OP.geu).if_();
  a.get(m).c(16383 + 63).get(e).o(OP.sub).o(EXTU).o(SHRU64).set(ip);
  a.get(m).get(e).c(16383 - 1).o(OP.sub).o(EXTU).o(SHL64).set(frac);
  a.o(OP.else);
  // below 1: half or more only at exponent -1; further down below half, not zero (1 stands for it)
  a.c64(0).set(ip);
  a.get(m).c64(1).get(e).c(16383 - 1).o(OP.eq).o(OP.select).set(frac);
  a.o(OP.end);
  // rounded by RC: to nearest (even on a tie), down, up, toward zero
  const half = (): void => { a.c64(1).c64(63).o(SHL64); };
  a.get(frac); half(); a.o(GTU64);
  a.get(frac); half(); a.o(EQ64).get(ip).o(WRAP).c(1).o(OP.and).o(OP.and).o(OP.or);
  a.get(frac).c64(0).o(NE64).get(s).o(OP.and);
  a.get(frac).c64(0).o(NE64).get(s).o(OP.eqz).o(OP.and);
  a.c(0);
  // (select by rc: 0 the first, 1 the second, 2 the third, 3 none)
  a.get(rc).c(2).o(OP.eq).o(OP.select);
  a.get(rc).c(1).o(OP.eq).o(OP.select);
  a.get(rc).o(OP.eqz).o(OP.select).set(up);
}

/**
 * x87IntStoreFn(st, fmt): ST(0) rounded to an integer by the control word's rounding (fist,
 * fistp of m16, m32, m64), as fpu.ts's fistM does for a zero or a normal value whose integer
 * fits the format (PE masked): the bits and the status word after (PE when inexact, C1 when
 * rounded up in magnitude) where x87StoreFn leaves them, 1 as the result. 0, nothing changed,
 * for every other case (an integer that does not fit: IE and the indefinite integer; a special
 * value, an empty ST(0), PE unmasked, an exception pending, MMX state): the handler then runs.
 */
export function x87IntStoreFn(): number[] {
  const a = new Asm(2), ST = 0, P = 1;
  const i32 = (): number => a.local(0x7f), i64 = (): number => a.local(I64);
  const sw = i32(), top = i32(), at = i32(), s = i32(), e = i32(), up = i32(), ti = i32(), rc = i32();
  const m = i64(), ip = i64(), frac = i64(), v = i64();
  a.get(ST).m(OP.load, S_MMX);
  a.get(ST).m(OP.load, W_SW).tee(sw).c(ES).o(OP.and).o(OP.or);
  a.get(ST).m(OP.load, W_CW).tee(ti).c(PE).o(OP.and).o(OP.eqz).o(OP.or).ret0();
  a.get(ti).c(10).o(OP.shru).c(3).o(OP.and).set(rc);
  loadTop(a, top, at, m, s, e, ti);
  a.c(0).set(up).c64(0).set(frac).c64(0).set(v);
  a.get(e).o(OP.eqz).if_();
  // a zero: 0 (else a denormal: the handler)
  a.get(m).c64(0).o(NE64).ret0();
  a.o(OP.else);
  {
    // a normal value below 2^63 in magnitude (else the handler)
    a.get(m).c64(0).o(GES64).get(e).c(16383 + 62).o(OP.gtu).o(OP.or).ret0();
    roundToInt(a, m, e, s, rc, ip, frac, up);
    a.get(ip).get(up).o(EXTU).o(ADD64).set(v);
    // in the format's range (a negative value one further)
    a.get(v);
    a.get(P).c(ST_I64).o(OP.eq).if_(I64).c64(1).c64(63).o(SHL64).o(OP.else);
    a.c64(1).get(P).c(ST_I32).o(OP.eq).if_(I64).c64(31).o(OP.else).c64(15).o(OP.end).o(SHL64);
    a.o(OP.end);
    a.c64(1).o(SUB64).get(s).o(EXTU).o(ADD64).o(GTU64).ret0();
    a.get(s).if_().c64(0).get(v).o(SUB64).set(v).o(OP.end);
  }
  a.o(OP.end);
  a.get(ST).get(v).m(S64, S_X87 + ST_LO);
  statusAfter(a, sw, frac, up, S_X87 + ST_SW);
  a.c(1);
  return a.body();
}

/**
 * x87RoundFn(st): frndint, ST(0) rounded to an integer by the control word's rounding, as
 * fpu.ts's rndint() does for a zero or a normal value (PE masked): PE when inexact, C1 when
 * rounded up in magnitude; 1. 0, nothing changed, for every other case (a denormal, infinity or
 * NaN, an empty ST(0), PE unmasked, an exception pending, MMX state): the handler then runs.
 */
export function x87RoundFn(): number[] {
  const a = new Asm(1), ST = 0;
  const i32 = (): number => a.local(0x7f), i64 = (): number => a.local(I64);
  const sw = i32(), top = i32(), at = i32(), s = i32(), e = i32(), up = i32(), ti = i32(), rc = i32(), z = i32();
  const m = i64(), ip = i64(), frac = i64();
  a.get(ST).m(OP.load, S_MMX);
  a.get(ST).m(OP.load, W_SW).tee(sw).c(ES).o(OP.and).o(OP.or);
  a.get(ST).m(OP.load, W_CW).tee(ti).c(PE).o(OP.and).o(OP.eqz).o(OP.or).ret0();
  a.get(ti).c(10).o(OP.shru).c(3).o(OP.and).set(rc);
  loadTop(a, top, at, m, s, e, ti);
  a.c(0).set(up).c64(0).set(frac);
  // a zero, or a normal value of 2^63 or more, is an integer already (else a denormal, an
  // unnormal, an infinity or a NaN: the handler)
  a.get(e).o(OP.eqz).if_().get(m).c64(0).o(NE64).ret0().o(OP.else);
  a.get(m).c64(0).o(GES64).get(e).c(0x7fff).o(OP.eq).o(OP.or).ret0();
  a.get(e).c(16383 + 62).o(OP.leu).if_();
  roundToInt(a, m, e, s, rc, ip, frac, up);
  a.get(ip).get(up).o(EXTU).o(ADD64).tee(ip).o(EQZ64).if_();
  // rounded to zero: a zero of x's sign
  a.c64(0).set(m).c(0).set(e);
  a.o(OP.else);
  a.get(ip).o(CLZ64).o(WRAP).set(z);
  a.get(ip).get(z).o(EXTU).o(SHL64).set(m);
  a.c(16383 + 63).get(z).o(OP.sub).set(e);
  a.o(OP.end);
  a.get(at).get(m).m(S64, S_X87);
  a.get(at).get(s).c(15).o(OP.shl).get(e).o(OP.or).m(OP.store, S_X87 + 8);
  a.o(OP.end);
  a.o(OP.end);
  statusAfter(a, sw, frac, up, W_SW);
  a.c(1);
  return a.body();
}
