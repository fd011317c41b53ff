// MMX/SSE instructions emitted inline by the WebAssembly translator (wasm.ts), with
// WebAssembly's 128-bit SIMD on the xmm registers in the CPU's slot and the mm registers
// there while MMX instructions own them (simd.ts). What each mnemonic becomes is the table
// RECIPES below, keyed by the opcode table's names; everything else (and every case the
// inline code cannot take: a TLB miss, an access across pages, a misaligned operand of an
// aligned form, MMX state not yet entered, MXCSR not in its common state) runs the
// instruction's handler, so both engines share each instruction's definition and faults.
import type { Insn } from './decode.js';
import { K_GPR, K_MM, K_XMM } from './simd.js';
import { TLB_R, TLB_W } from './frames.js';
import { OP } from './wasm-encode.js';
import { S_FLAGS, S_FOP, S_MM, S_MMX, S_MXCSR, S_XMM, SLOW_FILL, F } from './wasm-layout.js';
import { uleb } from './wasm-encode.js';

/** What wasm.ts's block function offers the SIMD emitter. */
export interface SimdEmitter {
  code: number[];
  local(): number;
  op(...b: number[]): void;
  i32(v: number): void;
  get(l: number): void;
  set(l: number): void;
  tee(l: number): void;
  mem(op: number, offset: number): void;
  /** `if`, with a branch hint (1: the then-arm is likely, 0: unlikely) */
  if_(type: number, hint?: 0 | 1): void;
  else_(): void;
  end_(): void;
  ea(i: Insn, k: number, withSeg?: boolean): number;
  probe(a: number, size: number, table: number, e: number): void;
  reg(size: number, n: number): void;
  setReg(size: number, n: number, v: () => void): void;
  call(f: number): void;
  /** the instruction through its handler (registers written back before, reloaded after) */
  handler(k: number): void;
  /** the status flags were written to the slot eagerly (nothing known about them in locals) */
  flagsChanged(): void;
  /** the v128 local holding xmm register n (every xmm register the block's inline code names has one) */
  xmmLocal(n: number): number;
  /** xmm register n's local was written */
  xmmWritten(n: number): void;
  /** xmm register n's local to the slot (for code that indexes its bytes there) */
  xmmToSlot(n: number): void;
}

// ---- SIMD opcodes (0xFD prefix)
const V = {
  load: 0x00, store: 0x0b, const: 0x0c, shuffle: 0x0d, swizzle: 0x0e, splat32: 0x11, extract32: 0x1b, replace32: 0x1c,
  store32lane: 0x5a, store64lane: 0x5b, load32zero: 0x5c, load64zero: 0x5d,
  not: 0x4d, and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51,
  i8eq: 0x23, i8gts: 0x27, i16eq: 0x2d, i16gts: 0x31, i32eq: 0x37, i32gts: 0x3b,
  i8splat: 0x0f, i8bitmask: 0x64, i8narrows: 0x65, i8narrowu: 0x66, i8shl: 0x6b, i8add: 0x6e, i8adds: 0x6f, i8addu: 0x70,
  i8sub: 0x71, i8subs: 0x72, i8subu: 0x73, i8minu: 0x77, i8maxu: 0x79, i8avg: 0x7b,
  i16narrows: 0x85, i16shl: 0x8b, i16shrs: 0x8c, i16shru: 0x8d, i16add: 0x8e, i16adds: 0x8f, i16addu: 0x90,
  i16sub: 0x91, i16subs: 0x92, i16subu: 0x93, i16mul: 0x95, i16mins: 0x96, i16maxs: 0x98, i16avg: 0x9b,
  i32shl: 0xab, i32shrs: 0xac, i32shru: 0xad, i32add: 0xae, i32sub: 0xb1, i32dot: 0xba,
  i64shl: 0xcb, i64shru: 0xcd, i64add: 0xce, i64sub: 0xd1, i64mul: 0xd5,
  f32add: 0xe4, f32sub: 0xe5, f32mul: 0xe6, f32div: 0xe7,
  anytrue: 0x53, i64extract: 0x1d, f32extract: 0x1f, f64extract: 0x21, f64sqrt: 0xef, promote: 0x5f, cvtlo: 0xfe, f64replace: 0x22, load64lane: 0x57, f64add: 0xf0, f64sub: 0xf1, f64mul: 0xf2, f64div: 0xf3,
} as const;

function simd(e: SimdEmitter, op: number): void {
  e.code.push(0xfd);
  uleb(e.code, op);
}
function memop(e: SimdEmitter, op: number, offset: number, lane = -1): void {
  simd(e, op);
  e.code.push(0); // alignment hint: none (x86 allows misaligned forms)
  uleb(e.code, offset);
  if (lane >= 0) e.code.push(lane);
}
function v128const(e: SimdEmitter, bytes: number[]): void {
  simd(e, V.const);
  for (let k = 0; k < 16; k++) e.code.push(bytes[k]! & 0xff);
}
function shuffle(e: SimdEmitter, lanes: number[]): void {
  simd(e, V.shuffle);
  for (const l of lanes) e.code.push(l);
}

/** A recipe: how the value of the destination is computed from the two operands on the stack (dest, src). */
type Combine = (e: SimdEmitter, i: Insn, mm: boolean) => void;
interface Recipe {
  /** binary lane operation: stack (dest, src) -> result */
  bin?: Combine;
  /** a whole-register move of this many bytes (load, store or register copy) */
  mov?: 16 | 8 | 4;
  /** a form only of xmm registers (the mm one stays with its handler) */
  xmmOnly?: boolean;
  /** the destination is not read (the result depends on the source alone) */
  unary?: boolean;
  /** floating point: inline only while MXCSR is in its common state (see floatGuard) */
  float?: 'ps' | 'pd' | 'ss' | 'sd';
  /** the forms taken inline, when not every one is */
  takes?: (i: Insn) => boolean;
}
const op1 = (o: number): Combine => (e) => simd(e, o);

const RECIPES: Record<string, Recipe> = {
  movdqa: { mov: 16 }, movdqu: { mov: 16 }, movaps: { mov: 16 }, movups: { mov: 16 },
  movapd: { mov: 16 }, movupd: { mov: 16 }, lddqu: { mov: 16 },
  pand: { bin: op1(V.and) }, por: { bin: op1(V.or) }, pxor: { bin: op1(V.xor) },
  andps: { bin: op1(V.and), xmmOnly: true }, andpd: { bin: op1(V.and), xmmOnly: true },
  orps: { bin: op1(V.or), xmmOnly: true }, orpd: { bin: op1(V.or), xmmOnly: true },
  xorps: { bin: op1(V.xor), xmmOnly: true }, xorpd: { bin: op1(V.xor), xmmOnly: true },
  paddb: { bin: op1(V.i8add) }, paddw: { bin: op1(V.i16add) }, paddd: { bin: op1(V.i32add) }, paddq: { bin: op1(V.i64add) },
  psubb: { bin: op1(V.i8sub) }, psubw: { bin: op1(V.i16sub) }, psubd: { bin: op1(V.i32sub) }, psubq: { bin: op1(V.i64sub) },
  paddsb: { bin: op1(V.i8adds) }, paddsw: { bin: op1(V.i16adds) }, paddusb: { bin: op1(V.i8addu) }, paddusw: { bin: op1(V.i16addu) },
  psubsb: { bin: op1(V.i8subs) }, psubsw: { bin: op1(V.i16subs) }, psubusb: { bin: op1(V.i8subu) }, psubusw: { bin: op1(V.i16subu) },
  pcmpeqb: { bin: op1(V.i8eq) }, pcmpeqw: { bin: op1(V.i16eq) }, pcmpeqd: { bin: op1(V.i32eq) },
  pcmpgtb: { bin: op1(V.i8gts) }, pcmpgtw: { bin: op1(V.i16gts) }, pcmpgtd: { bin: op1(V.i32gts) },
  pminub: { bin: op1(V.i8minu) }, pmaxub: { bin: op1(V.i8maxu) }, pminsw: { bin: op1(V.i16mins) }, pmaxsw: { bin: op1(V.i16maxs) },
  pavgb: { bin: op1(V.i8avg) }, pavgw: { bin: op1(V.i16avg) }, pmullw: { bin: op1(V.i16mul) }, pmaddwd: { bin: op1(V.i32dot) },
  packsswb: { bin: op1(V.i8narrows), xmmOnly: true }, packuswb: { bin: op1(V.i8narrowu), xmmOnly: true },
  packssdw: { bin: op1(V.i16narrows), xmmOnly: true },
  // pmuludq: the low unsigned dwords of each 64-bit lane multiplied (emitBody masks both operands)
  pmuludq: { bin: op1(V.i64mul) },
  punpcklbw: { bin: (e) => shuffle(e, [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23]), xmmOnly: true },
  punpckhbw: { bin: (e) => shuffle(e, [8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31]), xmmOnly: true },
  punpcklwd: { bin: (e) => shuffle(e, [0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23]), xmmOnly: true },
  punpckhwd: { bin: (e) => shuffle(e, [8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31]), xmmOnly: true },
  punpckldq: { bin: (e) => shuffle(e, [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]), xmmOnly: true },
  punpckhdq: { bin: (e) => shuffle(e, [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31]), xmmOnly: true },
  punpcklqdq: { bin: (e) => shuffle(e, [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), xmmOnly: true },
  punpckhqdq: { bin: (e) => shuffle(e, [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]), xmmOnly: true },
  unpcklps: { bin: (e) => shuffle(e, [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]), xmmOnly: true },
  unpckhps: { bin: (e) => shuffle(e, [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31]), xmmOnly: true },
  unpcklpd: { bin: (e) => shuffle(e, [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), xmmOnly: true },
  unpckhpd: { bin: (e) => shuffle(e, [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]), xmmOnly: true },
  // pshufb: bytes of the destination the source indexes; an index with bit 7 set (>= 16 after the mask) gives 0
  pshufb: { xmmOnly: true, bin: (e) => { v128const(e, new Array<number>(16).fill(0x8f)); simd(e, V.and); simd(e, V.swizzle); } },
  pshufd: { unary: true, xmmOnly: true, bin: (e, i) => shuffle(e, dwords([i.imm & 3, (i.imm >> 2) & 3, (i.imm >> 4) & 3, (i.imm >> 6) & 3].map((d) => d + 4))) },
  shufps: { xmmOnly: true, bin: (e, i) => shuffle(e, dwords([i.imm & 3, (i.imm >> 2) & 3, ((i.imm >> 4) & 3) + 4, ((i.imm >> 6) & 3) + 4])) },
  // palignr: bytes imm.. of source:destination (source low); OpenSSL's SSSE3 SHA-1 and SHA-256
  // run it every few instructions. Shifts of 16 bytes or more (all or part zeros) keep the handler.
  palignr: { takes: (i) => (i.imm & 0xff) < 16, bin: (e, i, mm) => shuffle(e, alignLanes(i.imm & 0xff, mm)) },
  addps: { bin: op1(V.f32add), float: 'ps' }, subps: { bin: op1(V.f32sub), float: 'ps' },
  mulps: { bin: op1(V.f32mul), float: 'ps' }, divps: { bin: op1(V.f32div), float: 'ps' },
  addpd: { bin: op1(V.f64add), float: 'pd' }, subpd: { bin: op1(V.f64sub), float: 'pd' },
  mulpd: { bin: op1(V.f64mul), float: 'pd' }, divpd: { bin: op1(V.f64div), float: 'pd' },
  addsd: { bin: op1(V.f64add), float: 'sd' }, subsd: { bin: op1(V.f64sub), float: 'sd' },
  mulsd: { bin: op1(V.f64mul), float: 'sd' }, divsd: { bin: op1(V.f64div), float: 'sd' },
  sqrtpd: { bin: op1(V.f64sqrt), float: 'pd', unary: true }, sqrtsd: { bin: op1(V.f64sqrt), float: 'sd', unary: true },
  addss: { bin: op1(V.f32add), float: 'ss' }, subss: { bin: op1(V.f32sub), float: 'ss' },
  mulss: { bin: op1(V.f32mul), float: 'ss' }, divss: { bin: op1(V.f32div), float: 'ss' },
};
/**
 * Byte lanes of palignr's shuffle of (destination, source): byte j of the result is byte s + j of
 * source:destination. An mm register is loaded into the low half with zeros above, so a byte
 * past both operands (s + j >= 16) is one of the destination's zero bytes (lane 8).
 */
function alignLanes(s: number, mm: boolean): number[] {
  const n = mm ? 8 : 16;
  return Array.from({ length: 16 }, (_, j) => {
    const c = s + j;
    return j >= n || c >= 2 * n ? 8 : c < n ? 16 + c : c - n;
  });
}
/** byte lanes of a shuffle picking dwords d[0..3] (0..3 first operand, 4..7 second) */
function dwords(d: number[]): number[] {
  return d.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]);
}

/** Whether instruction i is emitted inline (with its handler as the fallback path). */
export function simdInline(i: Insn): boolean {
  const d = i.def;
  // (an instruction the decoder turned into a fault — a cs: store, over 15 bytes — stays its handler)
  if (!d || !d.def.simd || i.lock || i.faulty) return false;
  const r = RECIPES[d.name];
  if (!r) return MISC.has(d.name) && miscOk(i);
  if (r.takes && !r.takes(i)) return false;
  if (d.gk === K_MM || d.ek === K_MM) {
    if (r.xmmOnly || r.float || r.unary) return false;
    return d.gk === K_MM && (d.ek === K_MM || i.m);
  }
  if (r.mov) return d.gk === K_XMM && (d.ek === K_XMM || i.m);
  return d.gk === K_XMM && (d.ek === K_XMM || i.m);
}
/** Whether inline instruction i sets the status flags: all of them, eagerly into the slot (the others leave them alone). */
export function simdSetsFlags(i: Insn): boolean {
  const n = i.def!.name;
  return n === 'ptest' || n === 'pcmpistri' || n.includes('comis');
}
const MISC = new Set(['pcmpistri', 'ptest', 'comiss', 'comisd', 'ucomiss', 'ucomisd', 'movlps', 'movlpd', 'movhps', 'movhpd', 'movlhps', 'movhlps', 'cvtps2pd', 'cvtdq2pd', 'cvtsi2sd', 'pmovmskb', 'movd', 'movq', 'movsd', 'movss', 'pandn', 'pslldq', 'psrldq', 'psrlw', 'psrld', 'psrlq', 'psllw', 'pslld', 'psllq', 'psraw', 'psrad']);
function miscOk(i: Insn): boolean {
  const d = i.def!, n = d.name;
  if (n === 'pmovmskb') return d.ek === K_XMM;
  // byte elements (signed or not: only equality is compared), equal any or equal each
  if (n === 'pcmpistri') return (i.imm & 1) === 0 && ((i.imm >> 2) & 1) === 0;
  if (n === 'ptest' || n.includes('comis')) return true;
  if (n === 'movd') return (d.gk === K_XMM || d.gk === K_MM) && (d.ek === K_GPR || i.m);
  if (n === 'movq') return d.gk === K_XMM || d.gk === K_MM;
  if (n === 'movsd' || n === 'movss' || n.startsWith('movl') || n.startsWith('movh')) return true;
  if (n === 'cvtps2pd' || n === 'cvtdq2pd' || n === 'cvtsi2sd') return true;
  if (n === 'pandn') return d.gk === K_XMM || (d.gk === K_MM && (d.ek === K_MM || i.m));
  // shifts by an immediate (group 12/13/14: register-only forms with Ib)
  return !i.m && d.def.ops!.includes('Ib') && (d.ek === K_XMM || d.ek === K_MM);
}

// ---- register access
const xmm = (r: number): number => S_XMM + 16 * r;
const mmr = (r: number): number => S_MM + 8 * r;
function loadX(e: SimdEmitter, r: number): void { e.get(e.xmmLocal(r)); }
/** xmm register r := the value on the stack (its local; an mm register is stored in the slot, its address pushed first). */
function storeX(e: SimdEmitter, r: number): void { e.set(e.xmmLocal(r)); e.xmmWritten(r); }
function loadM(e: SimdEmitter, r: number): void { e.get(0); memop(e, V.load64zero, mmr(r)); }

/** The MMX guard: mm registers in the slot and the MMX state entered (simd.ts mmxEnter). */
function mmGuard(e: SimdEmitter): void {
  e.get(0); e.mem(OP.load, S_MMX); e.i32(9); e.op(OP.shru); e.i32(1); e.op(OP.and);
}
/** Mark mm register r written (its x87 register gets the exponent of all ones when synced). */
function mmWritten(e: SimdEmitter, r: number): void {
  e.get(0);
  e.get(0); e.mem(OP.load, S_MMX); e.i32(1 << r); e.op(OP.or);
  e.mem(OP.store, S_MMX);
}

/**
 * MXCSR in its common state: every exception masked, rounding to nearest, no DAZ/FTZ and PE
 * already set (so an inexact result changes nothing). Then a result computed by WebAssembly
 * is the SSE result when operands and results are normal numbers (checked lane by lane by
 * normalCheck): no other exception can arise.
 */
function floatGuard(e: SimdEmitter): void {
  e.get(0); e.mem(OP.load, S_MXCSR); e.i32(~0x1f); e.op(OP.and); e.i32(0x1fa0); e.op(OP.eq);
}

/**
 * Emit instruction k, i (simdInline(i) holds): the fast path under its guards, the handler
 * otherwise.
 */
export function emitSimd(e: SimdEmitter, k: number, i: Insn): void {
  const d = i.def!, name = d.name, r = RECIPES[name];
  const mm = d.gk === K_MM || d.ek === K_MM;
  if (name === 'pmovmskb') {
    e.setReg(4, i.reg, () => { loadX(e, i.rm); simd(e, V.i8bitmask); });
    return;
  }
  // the guards and the memory operand's host address
  let a = -1, h = -1;
  const conds: (() => void)[] = [];
  if (mm) conds.push(() => mmGuard(e));
  if (r?.float) conds.push(() => floatGuard(e));
  const store = isStore(i);
  const bytes = memBytes(i);
  if (i.m) {
    a = e.ea(i, k);
    h = e.local();
    const t = e.local();
    conds.push(() => {
      e.probe(a, bytes, store ? TLB_W : TLB_R, t);
      if (bytes === 16 && i.def!.align) { e.get(a); e.i32(15); e.op(OP.and); e.op(OP.eqz); e.op(OP.and); }
    });
    // the host address, valid when the probe hit
    conds.push(() => {
      e.get(t); e.mem(OP.load, (store ? TLB_W : TLB_R) + 4); e.get(a); e.op(OP.add); e.set(h);
      e.i32(1);
    });
  }
  // on the handler's path, the page enters the TLB for next time (the handler does not fill it)
  const fill = i.m ? (): void => { e.i32(SLOW_FILL); e.get(a); e.i32(store ? 1 : 0); e.i32(k); e.call(F.slow); e.op(OP.drop); } : undefined;
  if (name.includes('comis')) {
    emitGuarded(e, k, conds, () => emitComis(e, i, h), true, fill);
    e.flagsChanged();
    return;
  }
  if (name === 'cvtps2pd') {
    // exact, and no flags for normal singles (a denormal is DE, a NaN may be IE)
    emitGuarded(e, k, conds, () => {
      normalCheck(e, true, true, () => pushSrc(e, i, false, h, 8), 2);
      e.if_(0x7f, 1);
      pushSrc(e, i, false, h, 8); simd(e, V.promote); storeX(e, i.reg);
      e.i32(1);
      e.else_(); e.i32(0); e.end_();
    }, true, fill);
    return;
  }
  if (r?.float) {
    // the operands must be normal numbers: checked on the values themselves below, so the
    // guard is a block that falls back to the handler when a check fails
    emitGuarded(e, k, conds, () => emitFloat(e, i, r, h), true, fill);
    return;
  }
  emitGuarded(e, k, conds, () => emitBody(e, i, r, mm, h), false, fill);
}

function isStore(i: Insn): boolean {
  const ops = i.def!.def.ops ?? '';
  return i.m && /^[WQEM]/.test(ops);
}
/** bytes the memory operand covers */
function memBytes(i: Insn): number {
  const d = i.def!, n = d.name;
  if (n === 'movd' || n === 'movss' || n === 'cvtsi2sd' || n === 'comiss' || n === 'ucomiss') return 4;
  if (n === 'comisd' || n === 'ucomisd') return 8;
  if (n.startsWith('movl') || n.startsWith('movh') || n === 'cvtps2pd' || n === 'cvtdq2pd') return 8;
  if (n === 'movq' || n === 'movsd' || d.gk === K_MM) return 8;
  if (RECIPES[n]?.float === 'sd') return 8;
  if (RECIPES[n]?.float === 'ss') return 4;
  return 16;
}

/** if (all conds) body else handler; with `checked`, body itself pushes 1 (done) or 0 (take the handler). */
function emitGuarded(e: SimdEmitter, k: number, conds: (() => void)[], body: () => void, checked = false, fill?: () => void): void {
  const handler = (): void => { fill?.(); e.handler(k); };
  if (conds.length) {
    conds.forEach((c, n) => { c(); if (n) e.op(OP.and); });
    // (the host-address condition sets h as a side effect: evaluated after the probe, it must be
    // evaluated only when the probe hit, so conditions run in order with `and` of i32 flags)
    // (the fast path is likely; the handler, for a TLB miss or an operand the inline code does not take, is not)
    e.if_(checked ? 0x7f : 0x40, 1);
    body();
    if (checked) { e.else_(); e.i32(0); }
    if (!checked) { e.else_(); handler(); }
    e.end_();
    if (checked) { e.op(OP.eqz); e.if_(0x40, 0); handler(); e.end_(); }
  } else if (checked) {
    body();
    e.op(OP.eqz); e.if_(0x40, 0); handler(); e.end_();
  } else body();
}

/** The source operand (E) pushed: a register, or memory at host address h. */
function pushSrc(e: SimdEmitter, i: Insn, mm: boolean, h: number, bytes = mm ? 8 : 16): void {
  if (i.m) {
    e.get(h);
    memop(e, bytes === 16 ? V.load : bytes === 8 ? V.load64zero : V.load32zero, 0);
  } else if (mm) loadM(e, i.rm);
  else loadX(e, i.rm);
}
function storeDst(e: SimdEmitter, i: Insn, mm: boolean): void {
  // (an mm destination: the slot address under the value)
  if (mm) { memop(e, V.store64lane, mmr(i.reg), 0); mmWritten(e, i.reg); }
  else storeX(e, i.reg);
}

function emitBody(e: SimdEmitter, i: Insn, r: Recipe | undefined, mm: boolean, h: number): void {
  const name = i.def!.name, d = i.def!;
  if (r?.mov) {
    if (isStore(i)) { e.get(h); loadX(e, i.reg); memop(e, V.store, 0); return; }
    if (!i.m && /^W/.test(d.def.ops ?? '')) { loadX(e, i.reg); storeX(e, i.rm); return; }
    pushSrc(e, i, false, h); storeX(e, i.reg);
    return;
  }
  if (r?.bin) {
    const lo32 = [255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0];
    if (mm) e.get(0); // (the slot address, for an mm destination)
    if (r.unary) v128const(e, new Array(16).fill(0)); // (the shuffle's unused first operand)
    else (mm ? loadM : loadX)(e, i.reg);
    if (name === 'pmuludq') { v128const(e, lo32); simd(e, V.and); }
    pushSrc(e, i, mm, h);
    if (name === 'pmuludq') { v128const(e, lo32); simd(e, V.and); }
    r.bin(e, i, mm);
    if (mm) { memop(e, V.store64lane, mmr(i.reg), 0); mmWritten(e, i.reg); } else storeX(e, i.reg);
    return;
  }
  switch (name) {
    case 'pandn': {
      if (mm) e.get(0); // (the slot address, for an mm destination)
      pushSrc(e, i, mm, h);
      (mm ? loadM : loadX)(e, i.reg);
      simd(e, V.andnot); // src & ~dest
      storeDst(e, i, mm);
      return;
    }
    case 'movd': case 'movq': return emitMovdq(e, i, mm, h);
    case 'movsd': case 'movss': return emitMovs(e, i, h);
    case 'ptest': {
      // ZF = (dest & src) == 0, CF = (src & ~dest) == 0, AF OF PF SF cleared: eagerly into the slot
      e.get(0);
      e.get(0); e.mem(OP.load, S_FLAGS); e.i32(~0x8d5); e.op(OP.and);
      loadX(e, i.reg); pushSrc(e, i, false, h); simd(e, V.and); simd(e, V.anytrue); e.op(OP.eqz);
      e.i32(6); e.op(OP.shl); e.op(OP.or);
      pushSrc(e, i, false, h); loadX(e, i.reg); simd(e, V.andnot); simd(e, V.anytrue); e.op(OP.eqz);
      e.op(OP.or);
      e.mem(OP.store, S_FLAGS);
      e.get(0); e.i32(0); e.mem(OP.store, S_FOP); // F_NONE: the flags are S_FLAGS
      e.flagsChanged();
      return;
    }
    case 'pcmpistri': return emitPcmpistri(e, i, h);
    case 'movlps': case 'movlpd': case 'movhps': case 'movhpd': case 'movlhps': case 'movhlps': return emitHalf(e, i, h);
    case 'cvtdq2pd': {
      // two int32 to doubles: exact, no flags
      pushSrc(e, i, false, h, 8); simd(e, V.cvtlo); storeX(e, i.reg);
      return;
    }
    case 'cvtsi2sd': {
      loadX(e, i.reg);
      if (i.m) { e.get(h); e.mem(OP.load, 0); } else e.reg(4, i.rm);
      e.op(0xb7); // f64.convert_i32_s: exact
      simd(e, V.f64replace); e.code.push(0);
      storeX(e, i.reg);
      return;
    }
    default: return emitShiftImm(e, i, mm);
  }
}

/**
 * pcmpistri with byte elements, equal any or equal each (simd-ext.ts pcmpstr): each string ends
 * at its first zero byte (16 without one); the result bits, polarity, ECX and the status flags
 * as the handler computes them, the flags eagerly into the slot.
 */
function emitPcmpistri(e: SimdEmitter, i: Insn, h: number): void {
  const imm = i.imm & 0xff;
  const zero = new Array<number>(16).fill(0);
  const keep = (v: () => void): number => { const l = e.local(); v(); e.set(l); return l; };
  // zero bytes of the set (A: xmm1) and the string (B: xmm2/m128) as bit masks
  const zA = keep(() => { loadX(e, i.reg); v128const(e, zero); simd(e, V.i8eq); simd(e, V.i8bitmask); });
  const zB = keep(() => { pushSrc(e, i, false, h); v128const(e, zero); simd(e, V.i8eq); simd(e, V.i8bitmask); });
  // the valid elements: the bits below the first zero (the lowest set bit of z | 1 << 16)
  const valid = (z: number): number => keep(() => {
    e.get(z); e.i32(0x10000); e.op(OP.or); e.i32(0); e.get(z); e.i32(0x10000); e.op(OP.or); e.op(OP.sub); e.op(OP.and);
    e.i32(1); e.op(OP.sub);
  });
  const vA = valid(zA), vB = valid(zB);
  const res = e.local();
  if (((imm >> 2) & 3) === 2) {
    // equal each: both valid and equal, or both invalid
    e.get(vA); e.get(vB); e.op(OP.and);
    loadX(e, i.reg); pushSrc(e, i, false, h); simd(e, V.i8eq); simd(e, V.i8bitmask); e.op(OP.and);
    e.get(vA); e.get(vB); e.op(OP.or); e.i32(0xffff); e.op(OP.xor); e.op(OP.or);
    e.set(res);
  } else {
    // equal any: the string's bytes equal to one of the set's valid bytes (all non-zero), set
    // byte by byte from the register in the slot; only valid string bytes count
    const la = keep(() => { e.get(zA); e.i32(0x10000); e.op(OP.or); e.op(OP.ctz); });
    const k = keep(() => e.i32(0));
    e.i32(0); e.set(res);
    e.xmmToSlot(i.reg); // (its bytes are read from there one by one)
    e.op(OP.block, 0x40, OP.loop, 0x40);
    e.get(k); e.get(la); e.op(OP.geu); e.op(OP.brIf, 1);
    e.get(res);
    e.get(0); e.get(k); e.op(OP.add); e.mem(OP.load8u, xmm(i.reg)); simd(e, V.i8splat);
    pushSrc(e, i, false, h); simd(e, V.i8eq); simd(e, V.i8bitmask);
    e.op(OP.or); e.set(res);
    e.get(k); e.i32(1); e.op(OP.add); e.set(k);
    e.op(OP.br, 0, OP.end, OP.end);
    e.get(res); e.get(vB); e.op(OP.and); e.set(res);
  }
  // polarity: negated, or negated over the valid string elements only
  const pol = (imm >> 4) & 3;
  if (pol === 1 || pol === 3) { e.get(res); if (pol === 1) e.i32(0xffff); else e.get(vB); e.op(OP.xor); e.set(res); }
  // ecx: the least (or most) significant set bit's index, 16 when none
  e.setReg(4, 1, () => {
    if (imm & 0x40) { e.i32(31); e.get(res); e.op(OP.clz); e.op(OP.sub); e.i32(16); e.get(res); e.op(OP.select); } else { e.get(res); e.i32(0x10000); e.op(OP.or); e.op(OP.ctz); }
  });
  // CF: any result bit; ZF: the string ends early; SF: the set does; OF: result bit 0; AF PF clear
  e.get(0);
  e.get(0); e.mem(OP.load, S_FLAGS); e.i32(~0x8d5); e.op(OP.and);
  e.get(res); e.i32(0); e.op(OP.ne); e.op(OP.or);
  e.get(zB); e.i32(0); e.op(OP.ne); e.i32(6); e.op(OP.shl); e.op(OP.or);
  e.get(zA); e.i32(0); e.op(OP.ne); e.i32(7); e.op(OP.shl); e.op(OP.or);
  e.get(res); e.i32(1); e.op(OP.and); e.i32(11); e.op(OP.shl); e.op(OP.or);
  e.mem(OP.store, S_FLAGS);
  e.get(0); e.i32(0); e.mem(OP.store, S_FOP); // F_NONE: the flags are S_FLAGS
  e.flagsChanged();
}

function emitMovdq(e: SimdEmitter, i: Insn, mm: boolean, h: number): void {
  const d = i.def!, ops = d.def.ops ?? '', toRm = /^[EWQ]/.test(ops);
  const n = d.name === 'movd' ? 4 : 8;
  if (toRm) {
    // movd r/m32, xmm|mm ; movq m64, xmm|mm ; movq xmm/mm reg form (0F 7F, 66 0F D6)
    if (i.m) { e.get(h); (mm ? loadM : loadX)(e, i.reg); memop(e, n === 4 ? V.store32lane : V.store64lane, 0, 0); return; }
    if (d.ek === K_GPR) { e.setReg(4, i.rm, () => { (mm ? loadM : loadX)(e, i.reg); simd(e, V.extract32); e.code.push(0); }); return; }
    // register to register (movq xmm, xmm: the upper half zeroed; movq mm, mm)
    if (mm) e.get(0);
    (mm ? loadM : loadX)(e, i.reg);
    if (!mm) { v128const(e, [255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0]); simd(e, V.and); storeX(e, i.rm); }
    else { memop(e, V.store64lane, mmr(i.rm), 0); mmWritten(e, i.rm); }
    return;
  }
  // to the register operand: the value zero-extended to 64 (mm) or 128 (xmm) bits
  if (mm) e.get(0); // (the slot address, for an mm destination)
  if (i.m) { e.get(h); memop(e, n === 4 ? V.load32zero : V.load64zero, 0); }
  else if (d.ek === K_GPR) { v128const(e, new Array(16).fill(0)); e.reg(4, i.rm); simd(e, V.replace32); e.code.push(0); }
  else {
    (d.ek === K_MM ? loadM : loadX)(e, i.rm);
    if (!mm) { v128const(e, [255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0]); simd(e, V.and); }
  }
  if (mm) { memop(e, V.store64lane, mmr(i.reg), 0); mmWritten(e, i.reg); }
  else storeX(e, i.reg);
}

/**
 * (u)comiss/(u)comisd when both operands are normal numbers or zeros: no exception flag can
 * arise (no NaN, no denormal), so MXCSR stays as it is; ZF = equal, CF = below, PF AF SF OF
 * cleared, eagerly into the slot. Pushes 1 when done, 0 for the handler.
 */
function emitComis(e: SimdEmitter, i: Insn, h: number): void {
  const dbl = i.def!.name.endsWith('d');
  const src = (): void => pushSrc(e, i, false, h, dbl ? 8 : 4);
  const dst = (): void => loadX(e, i.reg);
  const ok = (v: () => void): void => {
    // normal: (exponent - 1) < all ones - 1, unsigned; zero: the bits shifted left by one are 0
    if (dbl) {
      v(); simd(e, V.i64extract); e.code.push(0); e.code.push(0x42, 52); e.op(0x88); // i64.const 52; i64.shr_u
      e.code.push(0x42); sleb64(e, 0x7ff); e.op(0x83); // i64.and
      e.code.push(0x42, 1); e.op(0x7d); // i64.sub
      e.code.push(0x42); sleb64(e, 0x7fe); e.op(0x54); // i64.lt_u
      v(); simd(e, V.i64extract); e.code.push(0); e.code.push(0x42, 1); e.op(0x86); e.op(0x50); // (x << 1) == 0
    } else {
      v(); simd(e, V.extract32); e.code.push(0); e.i32(23); e.op(OP.shru); e.i32(0xff); e.op(OP.and);
      e.i32(1); e.op(OP.sub); e.i32(0xfe); e.op(OP.ltu);
      v(); simd(e, V.extract32); e.code.push(0); e.i32(1); e.op(OP.shl); e.op(OP.eqz);
    }
    e.op(OP.or);
  };
  const lane = (v: () => void): void => { v(); simd(e, dbl ? V.f64extract : V.f32extract); e.code.push(0); };
  ok(dst); ok(src); e.op(OP.and);
  e.if_(0x7f, 1);
  e.get(0);
  e.get(0); e.mem(OP.load, S_FLAGS); e.i32(~0x8d5); e.op(OP.and);
  lane(dst); lane(src); e.op(dbl ? 0x61 : 0x5b); e.i32(6); e.op(OP.shl); e.op(OP.or); // f.eq -> ZF
  lane(dst); lane(src); e.op(dbl ? 0x63 : 0x5d); e.op(OP.or); // f.lt -> CF
  e.mem(OP.store, S_FLAGS);
  e.get(0); e.i32(0); e.mem(OP.store, S_FOP);
  e.i32(1);
  e.else_(); e.i32(0); e.end_();
}
function sleb64(e: SimdEmitter, v: number): void {
  // small non-negative constants only
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if (v === 0 && !(b & 0x40)) { e.code.push(b); return; }
    e.code.push(b | 0x80);
  }
}

/** movlps/movlpd/movhps/movhpd (8-byte loads and stores of one half) and movlhps/movhlps */
function emitHalf(e: SimdEmitter, i: Insn, h: number): void {
  const n = i.def!.name, hi = n === 'movhps' || n === 'movhpd' || n === 'movlhps';
  if (i.m) {
    if (isStore(i)) { e.get(h); loadX(e, i.reg); memop(e, V.store64lane, 0, hi ? 1 : 0); return; }
    e.get(h); loadX(e, i.reg); memop(e, V.load64lane, 0, hi ? 1 : 0); storeX(e, i.reg);
    return;
  }
  // movlhps: dest high := src low; movhlps: dest low := src high
  loadX(e, i.reg); loadX(e, i.rm);
  shuffle(e, n === 'movlhps' ? [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23] : [24, 25, 26, 27, 28, 29, 30, 31, 8, 9, 10, 11, 12, 13, 14, 15]);
  storeX(e, i.reg);
}

function emitMovs(e: SimdEmitter, i: Insn, h: number): void {
  const n = i.def!.name === 'movss' ? 4 : 8, store = /^W/.test(i.def!.def.ops ?? '');
  if (i.m) {
    if (store) { e.get(h); loadX(e, i.reg); memop(e, n === 4 ? V.store32lane : V.store64lane, 0, 0); return; }
    e.get(h); memop(e, n === 4 ? V.load32zero : V.load64zero, 0); storeX(e, i.reg);
    return;
  }
  // register forms merge the low lane into the destination
  const dst = store ? i.rm : i.reg, src = store ? i.reg : i.rm;
  loadX(e, dst); loadX(e, src);
  const lanes = n === 4 ? [16, 17, 18, 19, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : [16, 17, 18, 19, 20, 21, 22, 23, 8, 9, 10, 11, 12, 13, 14, 15];
  shuffle(e, lanes);
  storeX(e, dst);
}

function emitShiftImm(e: SimdEmitter, i: Insn, mm: boolean): void {
  const n = i.def!.name, c = i.imm & 0xff, r = i.rm;
  const zero = (): void => v128const(e, new Array(16).fill(0));
  if (mm) e.get(0); // (the slot address, for an mm destination)
  if (n === 'pslldq' || n === 'psrldq') {
    // byte shifts: a shuffle with the zero vector (lane 16 is one of its bytes)
    const lanes: number[] = [];
    for (let b = 0; b < 16; b++) {
      const from = n === 'pslldq' ? b - c : b + c;
      lanes.push(c < 16 && from >= 0 && from < 16 ? from : 16);
    }
    loadX(e, r);
    zero();
    shuffle(e, lanes);
  } else {
    const w = n.endsWith('w') ? 16 : n.endsWith('d') ? 32 : 64;
    const arith = n.startsWith('psra'), left = n.startsWith('psll');
    if (c >= w && !arith) zero(); // (WebAssembly takes shift counts modulo the lane width)
    else {
      (mm ? loadM : loadX)(e, r);
      e.i32(arith && c >= w ? w - 1 : c);
      const ops: Record<number, [number, number, number]> = {
        16: [V.i16shl, V.i16shru, V.i16shrs], 32: [V.i32shl, V.i32shru, V.i32shrs], 64: [V.i64shl, V.i64shru, V.i64shru],
      };
      const [shl, shr, sra] = ops[w]!;
      simd(e, left ? shl : arith ? sra : shr);
    }
  }
  if (mm) { memop(e, V.store64lane, mmr(r), 0); mmWritten(e, r); } else storeX(e, r);
}

/**
 * Float arithmetic in the common MXCSR state (floatGuard): compute, then check that the
 * operands and the result lanes are normal numbers (exponent field neither 0 nor all ones,
 * and not the smallest exponent, where tininess before rounding could differ); push 1 when the
 * result was stored, 0 to take the handler.
 */
function emitFloat(e: SimdEmitter, i: Insn, r: Recipe, h: number): void {
  const f = r.float!, single = f === 'ps' || f === 'ss', scalar = f === 'ss' || f === 'sd';
  // (the operands are pushed again where needed: a register is its local, memory loaded again)
  const src = (): void => pushSrc(e, i, false, h, scalar ? (single ? 4 : 8) : 16);
  // ok := normal(dest) & normal(src) & normal(dest op src); a unary op reads only the source
  const un = !!r.unary;
  const result = (): void => { if (!un) loadX(e, i.reg); src(); r.bin!(e, i, false); };
  normalCheck(e, single, scalar, src);
  if (!un) { normalCheck(e, single, scalar, () => loadX(e, i.reg)); e.op(OP.and); }
  normalCheck(e, single, scalar, result);
  e.op(OP.and);
  e.if_(0x7f, 1);
  if (scalar) {
    // the low lane computed, the upper lanes kept
    loadX(e, i.reg);
    result();
    shuffle(e, single ? [16, 17, 18, 19, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : [16, 17, 18, 19, 20, 21, 22, 23, 8, 9, 10, 11, 12, 13, 14, 15]);
  } else result();
  storeX(e, i.reg);
  e.i32(1);
  e.else_();
  e.i32(0);
  e.end_();
}

/**
 * Push 1 when every lane used of the value pushed by v is a normal number with an exponent
 * above the smallest: (exponent field - 2) < (all ones - 2), unsigned, per lane.
 */
function normalCheck(e: SimdEmitter, single: boolean, scalar: boolean, v: () => void, lanes = 1): void {
  v();
  if (single) {
    e.i32(23); simd(e, V.i32shru);
    v128const(e, splat32(0xff)); simd(e, V.and);
    v128const(e, splat32(2)); simd(e, V.i32sub);
    v128const(e, splat32(0xfd));
  } else {
    // 64-bit lanes: exponent - 2 is in 0..0x7fc for a good lane (high dword 0), else its low
    // dword is at least 0x7fd or its high dword all ones: compare dword by dword
    e.i32(52); simd(e, V.i64shru);
    v128const(e, splat64(0x7ff, 0)); simd(e, V.and);
    v128const(e, splat64(2, 0)); simd(e, V.i64sub);
    v128const(e, splat64(0x7fd, 1));
  }
  simd(e, 0x3a); // i32x4.lt_u
  if (!scalar) { simd(e, 0xa3); return; } // i32x4.all_true
  simd(e, V.i8bitmask);
  const m = (1 << ((single ? 4 : 8) * lanes)) - 1;
  e.i32(m); e.op(OP.and); e.i32(m); e.op(OP.eq);
}
function splat32(v: number): number[] {
  const b: number[] = [];
  for (let k = 0; k < 4; k++) b.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  return b;
}
function splat64(lo: number, hi: number): number[] {
  const b: number[] = [];
  for (let k = 0; k < 2; k++) b.push(...splat32(lo).slice(0, 4), ...splat32(hi).slice(0, 4));
  return b;
}
