// Translated SIMD code (src/cpu/wasm-simd.ts: the inline fast paths under their guards, and the
// handlers behind them) against the real CPU: random loop bodies of the MMX/SSE instructions the
// WebAssembly translator emits inline (every mnemonic of RECIPES and MISC, register and memory
// forms, mm and xmm forms), mixed with ones it leaves to handlers (the mm form of pshufb,
// emms, x87 fld/fstp between MMX code, ldmxcsr, ...) and a few general-purpose loads and
// stores, run many times so that the loop's block is translated and the TLB warm: every block
// translated at its first run (jitThreshold 1), and after the default 50 runs (then the loop runs
// interpreted first). Memory operands are aligned and misaligned, across the two data pages, and
// some sequences store into their own code (an immediate the loop reads back: self-modifying
// code) or the code page's tail. MXCSR starts in the default state (PE clear until the first
// inexact result), with PE set (the fast float path), with another rounding mode, FTZ or DAZ
// (the fast path must not be taken), or with an exception unmasked. One sequence in five ends
// with a faulting instruction after the loop (an aligned form at a misaligned address: #GP; an
// access reaching into an unmapped page: #PF). Floats are normal values with occasional zeros,
// denormals, infinities and NaNs; one sequence in four is float arithmetic on values near the
// ends of the normal range. Registers, flags, eip, signal data, the FXSAVE state (FCW, FSW, FTW,
// MXCSR, ST0-7/MM0-7, XMM0-7) and memory must match the native run. Two directed tests hold the
// smallest forms: #GP of aligned forms in translated code, and float results at the bounds of
// the fast path. UNIT_JIT_SIMD_ALL=1 lists every difference, UNIT_JIT_SIMD_STATS=1 how often
// translated code took each instruction's handler.
import './unit-jit-simd-env.js'; // first: EMBOX_WASM_STRICT=1 before the CPU is loaded
import test from 'ava';
import { rng } from './unit-harness.js';
import { runNative, runEmu, diff, stats, CODE, DATA, WINDOW_BYTES, CODE_WIN, type SimdCase, type SimdResult } from './unit-jit-simd-harness.js';
import { simdInline } from '../../src/cpu/wasm-simd.js';
import { decode, type Insn } from '../../src/cpu/decode.js';

type R = () => number;
const h = (n: number, bytes = 1): string => {
  let s = '';
  for (let k = 0; k < bytes; k++) s += ((n >>> (8 * k)) & 0xff).toString(16).padStart(2, '0');
  return s;
};

// ---------------------------------------------------------------- operands

const EBX = 3, ESI = 6, EDI = 7;
/** where the base registers point, as offsets from DATA: esi the constant area (never stored to),
 * ebx a read/write area, edi 0x40 bytes before the second page (disp8 accesses cross into it) */
const BASE: Record<number, number> = { [ESI]: 0x000, [EBX]: 0x100, [EDI]: 0xfc0 };
/** the loop's first instruction in self-modifying sequences is `mov eax, imm32`: its immediate */
const SMC_IMM = CODE + 6;
/** four valid MXCSR values at DATA+0xf0 for ldmxcsr: PE set, default, round up, FTZ */
const MXCSR_CONSTS = [0x1fa0, 0x1f80, 0x5fa0, 0x9fa0];

interface Ctx { smc: boolean }
interface Form {
  name: string;
  /** prefixes and opcode bytes before ModRM */
  op: string;
  /** ModRM.reg: xmm, mm, a general source, a general destination, or a /digit */
  g: 'x' | 'm' | 'r' | 'rd' | number;
  /** ModRM.rm register file; '' = memory only */
  e: 'x' | 'm' | 'r' | 'rd' | '';
  /** bytes of the memory operand; 0 = register only */
  n: number;
  st?: boolean;
  /** a 16-byte memory operand that must be aligned */
  al?: boolean;
  imm?: (r: R) => number;
  /** sets flags: followed by pushf; pop edx (and sometimes a jcc over the next instruction) */
  flags?: boolean;
  w?: number;
  /** whole encoding made by hand */
  gen?: (r: R, ctx: Ctx) => string;
}

function regOf(r: R, k: Form['g']): number {
  if (typeof k === 'number') return k;
  if (k === 'r') return [0, 1, 2, 3, 6, 7][r() % 6]!;
  if (k === 'rd') return r() % 3; // eax ecx edx: the others hold addresses and the loop count
  return r() % 8;
}

/** ModRM (with displacement) for a memory operand of n bytes. */
function memOperand(r: R, reg: number, n: number, st: boolean, al: boolean, ctx: Ctx): string {
  const aligned = al && n === 16;
  if (st && ctx.smc && r() % 8 === 0) {
    // the code page's tail (not executed): a store there drops the page's translations
    const d = aligned ? 16 * (r() % 4) : r() % (0x40 - n + 1);
    return h((reg << 3) | 5) + h(CODE + CODE_WIN + d, 4);
  }
  const base = st ? [EBX, EDI][r() % 2]! : [ESI, EBX, EDI][r() % 3]!;
  const span = base === ESI ? 0x100 : 0x80;
  let d: number;
  if (aligned) d = 16 * (r() % (span / 16));
  else {
    const how = r() % 3;
    if (how === 0) d = n * (r() % (span / n));
    else if (how === 1 && base === EDI && n > 1) d = 0x40 - 1 - (r() % (n - 1)); // across the page boundary
    else d = r() % (span - n + 1);
  }
  return d < 0x80 ? h((1 << 6) | (reg << 3) | base) + h(d) : h((2 << 6) | (reg << 3) | base) + h(d, 4);
}

function encode(f: Form, r: R, ctx: Ctx, mem?: (reg: number) => string): string {
  if (f.gen) return f.gen(r, ctx);
  const reg = regOf(r, f.g);
  let s = f.op;
  const useMem = mem !== undefined || f.e === '' || (f.n > 0 && r() % 2 === 0);
  if (useMem) s += mem ? mem(reg) : memOperand(r, reg, f.n, !!f.st, !!f.al, ctx);
  else s += h(0xc0 | (reg << 3) | regOf(r, f.e as Form['g']));
  if (f.imm) s += h(f.imm(r));
  if (f.flags) s += '9c5a'; // pushf; pop edx
  return s;
}

// ---------------------------------------------------------------- the instructions

const anyImm = (r: R): number => r() & 0xff;
/** shift counts: mostly within the lane, sometimes at or past its width */
const shiftImm = (w: number) => (r: R): number => [r() % w, w - 1, w, w + (r() % 8), r() & 0xff][r() % 5]!;

const FORMS: Form[] = [];
const add = (f: Form): void => { FORMS.push(f); };

// integer lane operations: 66 0F xx (xmm, aligned m128) and NP 0F xx (mm, m64)
const INT_OPS: [string, string, boolean?][] = [
  ['pand', 'db'], ['pandn', 'df'], ['por', 'eb'], ['pxor', 'ef'],
  ['paddb', 'fc'], ['paddw', 'fd'], ['paddd', 'fe'], ['paddq', 'd4'], ['psubb', 'f8'], ['psubw', 'f9'], ['psubd', 'fa'], ['psubq', 'fb'],
  ['paddsb', 'ec'], ['paddsw', 'ed'], ['paddusb', 'dc'], ['paddusw', 'dd'], ['psubsb', 'e8'], ['psubsw', 'e9'], ['psubusb', 'd8'], ['psubusw', 'd9'],
  ['pcmpeqb', '74'], ['pcmpeqw', '75'], ['pcmpeqd', '76'], ['pcmpgtb', '64'], ['pcmpgtw', '65'], ['pcmpgtd', '66'],
  ['pminub', 'da'], ['pmaxub', 'de'], ['pminsw', 'ea'], ['pmaxsw', 'ee'], ['pavgb', 'e0'], ['pavgw', 'e3'],
  ['pmullw', 'd5'], ['pmaddwd', 'f5'], ['pmuludq', 'f4'],
  ['packsswb', '63'], ['packuswb', '67'], ['packssdw', '6b'],
  ['punpcklbw', '60'], ['punpcklwd', '61'], ['punpckldq', '62'], ['punpckhbw', '68'], ['punpckhwd', '69'], ['punpckhdq', '6a'],
  ['punpcklqdq', '6c', true], ['punpckhqdq', '6d', true],
  // left to handlers
  ['pmulhw', 'e5'], ['psadbw', 'f6'], ['psrlw', 'd1'], ['pslld', 'f2'], ['psraw', 'e1'], ['psrlq', 'd3'],
];
for (const [name, op, xmmOnly] of INT_OPS) {
  add({ name, op: '660f' + op, g: 'x', e: 'x', n: 16, al: true });
  if (!xmmOnly) add({ name: name + ' mm', op: '0f' + op, g: 'm', e: 'm', n: 8 });
}
// float logic, unpacks, shuffles
for (const [name, op] of [['andps', '0f54'], ['orps', '0f56'], ['xorps', '0f57'], ['andpd', '660f54'], ['orpd', '660f56'], ['xorpd', '660f57'],
  ['unpcklps', '0f14'], ['unpckhps', '0f15'], ['unpcklpd', '660f14'], ['unpckhpd', '660f15'], ['andnps', '0f55'], ['andnpd', '660f55']] as const) {
  add({ name, op, g: 'x', e: 'x', n: 16, al: true });
}
add({ name: 'shufps', op: '0fc6', g: 'x', e: 'x', n: 16, al: true, imm: anyImm });
add({ name: 'pshufd', op: '660f70', g: 'x', e: 'x', n: 16, al: true, imm: anyImm, w: 2 });
add({ name: 'pshufw', op: '0f70', g: 'm', e: 'm', n: 8, imm: anyImm });
add({ name: 'pshufhw', op: 'f30f70', g: 'x', e: 'x', n: 16, al: true, imm: anyImm });
// float arithmetic: ps pd (aligned m128), ss (m32), sd (m64)
for (const [name, op] of [['add', '58'], ['mul', '59'], ['sub', '5c'], ['div', '5e']] as const) {
  add({ name: name + 'ps', op: '0f' + op, g: 'x', e: 'x', n: 16, al: true, w: 4 });
  add({ name: name + 'pd', op: '660f' + op, g: 'x', e: 'x', n: 16, al: true, w: 4 });
  add({ name: name + 'ss', op: 'f30f' + op, g: 'x', e: 'x', n: 4, w: 4 });
  add({ name: name + 'sd', op: 'f20f' + op, g: 'x', e: 'x', n: 8, w: 4 });
}
// moves (loads weigh more: they bring fresh operands from the constant area every iteration)
for (const [name, ld, stop, al] of [['movaps', '0f28', '0f29', true], ['movups', '0f10', '0f11', false], ['movapd', '660f28', '660f29', true],
  ['movupd', '660f10', '660f11', false], ['movdqa', '660f6f', '660f7f', true], ['movdqu', 'f30f6f', 'f30f7f', false]] as const) {
  add({ name, op: ld, g: 'x', e: 'x', n: 16, al, w: 4 });
  add({ name: name + ' st', op: stop, g: 'x', e: 'x', n: 16, al, st: true, w: 2 });
}
add({ name: 'lddqu', op: 'f20ff0', g: 'x', e: '', n: 16, w: 2 });
add({ name: 'movss', op: 'f30f10', g: 'x', e: 'x', n: 4, w: 3 });
add({ name: 'movss st', op: 'f30f11', g: 'x', e: 'x', n: 4, st: true, w: 2 });
add({ name: 'movsd', op: 'f20f10', g: 'x', e: 'x', n: 8, w: 3 });
add({ name: 'movsd st', op: 'f20f11', g: 'x', e: 'x', n: 8, st: true, w: 2 });
add({ name: 'movd', op: '660f6e', g: 'x', e: 'r', n: 4, w: 2 });
add({ name: 'movd st', op: '660f7e', g: 'x', e: 'rd', n: 4, st: true, w: 2 });
add({ name: 'movq', op: 'f30f7e', g: 'x', e: 'x', n: 8, w: 2 });
add({ name: 'movq st', op: '660fd6', g: 'x', e: 'x', n: 8, st: true, w: 2 });
add({ name: 'movd mm', op: '0f6e', g: 'm', e: 'r', n: 4, w: 2 });
add({ name: 'movd mm st', op: '0f7e', g: 'm', e: 'rd', n: 4, st: true, w: 2 });
add({ name: 'movq mm', op: '0f6f', g: 'm', e: 'm', n: 8, w: 3 });
add({ name: 'movq mm st', op: '0f7f', g: 'm', e: 'm', n: 8, st: true, w: 2 });
add({ name: 'pmovmskb', op: '660fd7', g: 'rd', e: 'x', n: 0, w: 2 });
add({ name: 'pmovmskb mm', op: '0fd7', g: 'rd', e: 'm', n: 0 });
// shifts by an immediate
for (const [op, digit, w] of [['71', 2, 16], ['71', 4, 16], ['71', 6, 16], ['72', 2, 32], ['72', 4, 32], ['72', 6, 32], ['73', 2, 64], ['73', 6, 64]] as const) {
  add({ name: `shift ${op}/${digit}`, op: '660f' + op, g: digit, e: 'x', n: 0, imm: shiftImm(w) });
  add({ name: `shift mm ${op}/${digit}`, op: '0f' + op, g: digit, e: 'm', n: 0, imm: shiftImm(w) });
}
add({ name: 'psrldq', op: '660f73', g: 3, e: 'x', n: 0, imm: shiftImm(16) });
add({ name: 'pslldq', op: '660f73', g: 7, e: 'x', n: 0, imm: shiftImm(16) });
// palignr: inline below 16 bytes of shift, the handler from there (up to all zeros)
add({ name: 'palignr', op: '660f3a0f', g: 'x', e: 'x', n: 16, al: true, imm: (r) => r() % 36, w: 2 });
add({ name: 'palignr mm', op: '0f3a0f', g: 'm', e: 'm', n: 8, imm: (r) => r() % 24, w: 2 });
// left to handlers by the translator
add({ name: 'pshufb', op: '660f3800', g: 'x', e: 'x', n: 16, al: true });
add({ name: 'pshufb mm', op: '0f3800', g: 'm', e: 'm', n: 8 });
add({ name: 'ptest', op: '660f3817', g: 'x', e: 'x', n: 16, al: true, flags: true, w: 2 });
add({ name: 'pminsd', op: '660f3839', g: 'x', e: 'x', n: 16, al: true });
add({ name: 'cvtsi2sd', op: 'f20f2a', g: 'x', e: 'r', n: 4, w: 2 });
add({ name: 'cvtsi2ss', op: 'f30f2a', g: 'x', e: 'r', n: 4 });
add({ name: 'cvttps2dq', op: 'f30f5b', g: 'x', e: 'x', n: 16, al: true });
add({ name: 'cvtdq2ps', op: '0f5b', g: 'x', e: 'x', n: 16, al: true });
add({ name: 'comisd', op: '660f2f', g: 'x', e: 'x', n: 8, flags: true, w: 2 });
add({ name: 'ucomiss', op: '0f2e', g: 'x', e: 'x', n: 4, flags: true });
add({ name: 'minps', op: '0f5d', g: 'x', e: 'x', n: 16, al: true });
add({ name: 'maxsd', op: 'f20f5f', g: 'x', e: 'x', n: 8 });
add({ name: 'sqrtpd', op: '660f51', g: 'x', e: 'x', n: 16, al: true });
add({ name: 'cmpps', op: '0fc2', g: 'x', e: 'x', n: 16, al: true, imm: (r) => r() % 8 });
add({ name: 'haddps', op: 'f20f7c', g: 'x', e: 'x', n: 16, al: true });
add({ name: 'pextrw', op: '660fc5', g: 'rd', e: 'x', n: 0, imm: anyImm });
add({ name: 'pinsrw', op: '660fc4', g: 'x', e: 'r', n: 2, imm: anyImm });
add({ name: 'movhlps/movlps', op: '0f12', g: 'x', e: 'x', n: 8 });
add({ name: 'movhps st', op: '0f17', g: 'x', e: '', n: 8, st: true });
add({ name: 'stmxcsr', op: '0fae', g: 3, e: '', n: 4, st: true });
add({ name: 'ldmxcsr', op: '', g: 0, e: '', n: 0, w: 0.5, gen: (r) => '0fae' + h((2 << 6) | (2 << 3) | ESI) + h(0xf0 + 4 * (r() % 4), 4) });
add({ name: 'emms', op: '', g: 0, e: '', n: 0, gen: () => '0f77' });
// x87 between MMX code: fld/fstp of a double, with emms before or not (then fld overflows the stack
// the MMX state filled: a masked invalid operation that loads the indefinite into mm7's register)
add({
  name: 'fld/fstp', op: '', g: 0, e: '', n: 0, w: 2,
  gen: (r, ctx) => (r() % 2 ? '0f77' : '') + 'dd' + memOperand(r, 0, 8, false, false, ctx) + 'dd' + memOperand(r, 3, 8, true, false, ctx),
});
// general-purpose loads and stores beside SIMD ones (the same pages, the same TLB)
add({ name: 'mov r32, m32', op: '8b', g: 'rd', e: '', n: 4 });
add({ name: 'add m32, r32', op: '01', g: 'r', e: '', n: 4, st: true });
add({ name: 'mov m32, r32', op: '89', g: 'r', e: '', n: 4, st: true });
// flags set by general-purpose code and read after SIMD instructions, which leave them alone
// (a jcc may follow the add; pushf reads what the SIMD instructions between kept)
add({ name: 'add r32, r32', op: '', g: 0, e: '', n: 0, flags: true, gen: (r) => '01' + h(0xc0 | ((r() % 3) << 3) | (r() % 3)) });
add({ name: 'pushf; pop edx', op: '', g: 0, e: '', n: 0, gen: () => '9c5a' });

const TOTAL_W = FORMS.reduce((s, f) => s + (f.w ?? 1), 0);
function pickForm(r: R): Form {
  let x = (r() / 0x100000000) * TOTAL_W;
  for (const f of FORMS) if ((x -= f.w ?? 1) < 0) return f;
  return FORMS[FORMS.length - 1]!;
}

// ---------------------------------------------------------------- values

const F32_SPECIAL = [0, 0x80000000, 0x7f800000, 0xff800000, 0x00800000, 0x7f7fffff, 0x3f800000];
function f32(r: R): number {
  if (r() % 14) return (r() & 0x80000000) | ((127 + (r() % 25) - 12) << 23) | (r() & 0x7fffff);
  switch (r() % 4) {
    case 0: return (r() & 0x80000000) | (r() & 0x7fffff) | 1; // denormal
    case 1: return (r() & 0x80000000) | 0x7fc00000 | (r() & 0x3fffff); // QNaN
    case 2: return (r() & 0x80000000) | 0x7f800000 | (r() & 0x3fffff) | 1; // SNaN
    default: return F32_SPECIAL[r() % F32_SPECIAL.length]!;
  }
}
function f64(r: R): [number, number] {
  const lo = r();
  if (r() % 14) return [lo, (r() & 0x80000000) | ((1023 + (r() % 61) - 30) << 20) | (r() & 0xfffff)];
  switch (r() % 4) {
    case 0: return [lo, (r() & 0x80000000) | (r() & 0xfffff)]; // denormal (or zero)
    case 1: return [lo, (r() & 0x80000000) | 0x7ff80000 | (r() & 0x7ffff)]; // QNaN
    case 2: return [lo | 1, (r() & 0x80000000) | 0x7ff00000 | (r() & 0x7ffff)]; // SNaN
    default: return [[0, 0, 0, 0xffffffff][r() % 4]!, [0, 0x80000000, 0x7ff00000, 0xfff00000, 0x00100000, 0x7fefffff, 0x3ff00000][r() % 7]!];
  }
}
/** floats near the ends of the normal range and near 1 (results land on both sides of the fast path's bounds) */
function f32Edge(r: R): number {
  const e = [1, 2, 3, 4, 125, 126, 127, 128, 129, 251, 252, 253, 254][r() % 13]!;
  return (r() & 0x80000000) | (e << 23) | [0, 0x7fffff, 1, r() & 0x7fffff][r() % 4]!;
}
function f64Edge(r: R): [number, number] {
  const e = [1, 2, 3, 4, 1021, 1022, 1023, 1024, 1025, 2043, 2044, 2045, 2046][r() % 13]!;
  const m = r() % 4;
  return [m === 0 ? 0 : m === 1 ? 0xffffffff : r(), (r() & 0x80000000) | (e << 20) | (m === 0 ? 0 : m === 1 ? 0xfffff : r() & 0xfffff)];
}
function vecEdge(r: R): number[] {
  return r() % 2 ? [f32Edge(r), f32Edge(r), f32Edge(r), f32Edge(r)] : [...f64Edge(r), ...f64Edge(r)];
}
const INT_EDGE = [0, 0xffffffff, 0x7fffffff, 0x80000000, 0x7fff8000, 0x80007fff, 0x00ff80ff, 0x01010101, 0xffff0000];
function vec(r: R): number[] {
  const k = r() % 20;
  if (k < 8) return [f32(r), f32(r), f32(r), f32(r)];
  if (k < 15) return [...f64(r), ...f64(r)];
  return [0, 1, 2, 3].map(() => (r() % 3 ? r() : INT_EDGE[r() % INT_EDGE.length]!));
}
function putDwords(b: Uint8Array, o: number, d: number[]): void {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  d.forEach((x, k) => v.setUint32(o + 4 * k, x >>> 0, true));
}

function mxcsrFor(r: R): [number, string] {
  const m = r() % 20;
  if (m < 6) return [0x1f80, 'mxcsr default'];
  if (m < 13) return [0x1fa0 | (r() % 4 === 0 ? r() & 0x1f : 0), 'PE set'];
  if (m < 16) return [0x1fa0 | ((1 + (r() % 3)) << 13), 'rounding'];
  if (m < 19) return [[0x9fa0, 0x1fe0, 0x9fe0][m - 16]!, 'FTZ/DAZ'];
  return [0x1fa0 & ~[0x80, 0x100, 0x200, 0x400, 0x800][r() % 5]!, 'unmasked'];
}

function fxImage(r: R, mxcsr: number, v0: (r: R) => number[]): Uint8Array {
  const b = new Uint8Array(512);
  const v = new DataView(b.buffer);
  v.setUint16(0, 0x037f, true);
  v.setUint16(2, r() % 5 === 0 ? (r() % 8) << 11 : 0, true); // TOP
  b[4] = r() % 10 < 3 ? 0xff : 0;
  v.setUint32(24, mxcsr, true);
  for (let k = 0; k < 8; k++) {
    putDwords(b, 32 + 16 * k, [r() % 3 ? r() : INT_EDGE[r() % INT_EDGE.length]!, r()]);
    v.setUint16(40 + 16 * k, r() % 2 ? 0xffff : r() & 0xffff, true);
  }
  for (let k = 0; k < 8; k++) putDwords(b, 160 + 16 * k, v0(r));
  return b;
}

// ---------------------------------------------------------------- sequences

/** the instructions that may end a sequence with a fault */
function faultInsn(r: R, ctx: Ctx): [string, string] {
  if (r() % 2) {
    // an aligned 16-byte form at a misaligned address in the read/write area (its page is in the TLB)
    const fs = FORMS.filter((f) => f.al && f.n === 16 && !f.gen);
    const f = fs[r() % fs.length]!;
    const d = 16 * (r() % 7) + 1 + (r() % 15);
    return [encode(f, r, ctx, (reg) => h((1 << 6) | (reg << 3) | EBX) + h(d)), `#GP ${f.name}`];
  }
  // an access reaching into the unmapped page after the data pages
  const fs = FORMS.filter((f) => !f.gen && f.n >= 4 && !(f.al && f.n === 16) && f.op.length > 2);
  const f = fs[r() % fs.length]!;
  const d = 0x1040 - (r() % f.n);
  return [encode(f, r, ctx, (reg) => h((2 << 6) | (reg << 3) | EDI) + h(d, 4)), `#PF ${f.name}`];
}

interface Seq { body: string; post: string; note: string; regs: number[]; flags: number; fx: Uint8Array; data: Uint8Array }

/** what float-focused sequences are made of: arithmetic, moves, a compare */
const FLOAT_FORMS = FORMS.filter((f) => /^(add|sub|mul|div)(ps|pd|ss|sd)$|^mov(aps|ups|apd|ss|sd)( st)?$|^comisd$/.test(f.name));

function genSeq(r: R, k: number): Seq {
  // one sequence in four: float arithmetic on values near the ends of the normal range
  const floaty = r() % 4 === 0;
  const ctx: Ctx = { smc: !floaty && r() % 7 === 0 };
  const body: string[] = [], setsFlags: boolean[] = [];
  if (ctx.smc) { body.push('b8' + h(r(), 4)); setsFlags.push(false); }
  // fresh operands every iteration for a few registers (else repeated arithmetic soon leaves the
  // normal range, where the fast float path stands aside): movaps/movapd/movdqa from the constant area
  for (let j = 2 + (r() % 3); j > 0; j--) {
    body.push(['0f28', '660f28', '660f6f'][r() % 3]! + h((2 << 6) | ((r() % 8) << 3) | ESI) + h(16 * (r() % 15), 4));
    setsFlags.push(false);
  }
  const n = 4 + (r() % 16);
  for (let j = 0; j < n; j++) {
    const f = floaty ? FLOAT_FORMS[r() % FLOAT_FORMS.length]! : pickForm(r);
    body.push(encode(f, r, ctx));
    setsFlags.push(!!f.flags);
  }
  if (ctx.smc) {
    // a store of the immediate the loop's first instruction loads (the next iteration runs the new code)
    const at = 1 + (r() % (body.length - 1));
    const reg = r() % 8;
    body.splice(at, 0, ['660f7e', 'f30f11', '0f7e'][r() % 3]! + h((reg << 3) | 5) + h(SMC_IMM, 4));
    setsFlags.splice(at, 0, false);
  }
  // conditional jumps over the next instruction after the flag captures (side exits)
  for (let j = body.length - 2; j >= 0; j--) {
    if (setsFlags[j] && r() % 2) body.splice(j + 1, 0, h(0x70 + (r() % 16)) + h(body[j + 1]!.length / 2));
  }
  const [mxcsr, mode] = floaty && r() % 2 ? [0x1fa0, 'PE set'] : mxcsrFor(r);
  const fx = fxImage(r, mxcsr, floaty ? vecEdge : vec);
  const data = new Uint8Array(WINDOW_BYTES);
  for (let o = 0; o < WINDOW_BYTES; o += 16) putDwords(data, o, floaty ? vecEdge(r) : vec(r));
  putDwords(data, 0xf0, MXCSR_CONSTS);
  let post = '', fault = '';
  if (r() % 5 === 0) [post, fault] = faultInsn(r, ctx);
  const regs = [r(), r() % 3 ? r() : r() & 0xff, r(), DATA + BASE[EBX]!, 0, DATA + BASE[ESI]!, DATA + BASE[EDI]!];
  return {
    body: body.join(''), post, regs, flags: r() & 0x8d5, fx, data,
    note: `seq ${k} (${floaty ? 'floats, ' : ''}${mode}${ctx.smc ? ', smc' : ''}${fault ? ', ' + fault : ''})`,
  };
}

/** The loop: mov ebp, iterations; body; dec ebp; jnz body; then the faulting instruction, if any. */
function loopCase(s: Seq, iterations: number): SimdCase {
  const len = s.body.length / 2;
  const code = 'bd' + h(iterations, 4) + s.body + '4d' + '0f85' + h(-(len + 1 + 6), 4) + s.post;
  const regs = s.regs.slice();
  return { code, regs, flags: s.flags, fx: s.fx, data: s.data, note: s.note };
}

/** The SIMD instructions of the body the translator emits inline, by mnemonic and register file. */
function inlineNames(body: string): string[] {
  const b = Buffer.from(body, 'hex');
  const names: string[] = [];
  for (let off = 0; off < b.length;) {
    const i = decode((a) => b[a - 0x1000] ?? 0, 0x1000 + off);
    if (simdInline(i)) names.push(nameOf(i));
    off += Math.max(1, i.len);
  }
  return names;
}
function nameOf(i: Insn): string {
  const d = i.def!;
  return `${d.name}${d.gk === 1 || d.ek === 1 ? ' mm' : ''}${i.m ? ' m' : ''}`;
}

const SEQS = 1200, PARTS = 4;
const seqs: Seq[] = (() => {
  const r = rng(20261212);
  return Array.from({ length: SEQS }, (_, k) => genSeq(r, k));
})();
const MODES = [
  { threshold: 1, iterations: (k: number) => 12 + (k % 13), name: 'every block translated at its first run' },
  { threshold: 50, iterations: (k: number) => 64 + (k % 29), name: 'blocks translated after 50 runs (the default)' },
] as const;
const cases = MODES.map((m) => seqs.map((s, k) => loopCase(s, m.iterations(k))));

/**
 * The smallest form of what the random loops found: after a loop that put the data page in the
 * TLB, a 16-byte operand of an aligned form (every SSE form but movups/movupd/movdqu/lddqu) at
 * a misaligned address must be #GP, whatever the mnemonic (the translated fast path checked the
 * alignment only for movdqa/movaps/movapd).
 */
const GP_CASES: SimdCase[] = (() => {
  const fx = new Uint8Array(512);
  const v = new DataView(fx.buffer);
  v.setUint16(0, 0x037f, true);
  v.setUint32(24, 0x1fa0, true);
  for (let k = 0; k < 4; k++) v.setFloat32(176 + 4 * k, 1.5, true); // xmm1 = 1.5 (normal operands: the fast float path)
  const data = new Uint8Array(WINDOW_BYTES);
  const dv = new DataView(data.buffer);
  for (let k = 0; k < 0x200; k += 4) dv.setFloat32(k, 2.25, true);
  // mov ebp, 3; L: movd xmm0, [ebx]; dec ebp; jnz L; then the instruction (the block's fall-through)
  const loop = 'bd03000000' + '660f6e03' + '4d' + '0f85f5ffffff';
  const insns: [string, string][] = [
    ['660ffc4b01', 'paddb xmm1, [ebx+1]'], ['0f584b04', 'addps xmm1, [ebx+4]'], ['660f584b08', 'addpd xmm1, [ebx+8]'],
    ['0f544b04', 'andps xmm1, [ebx+4]'], ['660f604b02', 'punpcklbw xmm1, [ebx+2]'], ['660f704b081b', 'pshufd xmm1, [ebx+8], 0x1b'],
    ['660f6f4b04', 'movdqa xmm1, [ebx+4]'], ['0f294b04', 'movaps [ebx+4], xmm1'],
  ];
  return insns.map(([code, note]) => ({
    code: loop + code, regs: [0, 0, 0, DATA + BASE[EBX]!, 0, DATA + BASE[ESI]!, DATA + BASE[EDI]!], flags: 0, fx, data, note,
  }));
})();

/**
 * Float results at the bounds of the fast path, in a loop (each iteration reloads xmm1 and xmm2
 * from the constant area): a product tiny before rounding that rounds up to the smallest normal
 * (UE and PE set: the fast path must leave it to the handler), products just inside the normal
 * range at both ends (the fast path), and one that overflows.
 */
const EDGE_CASES: SimdCase[] = (() => {
  const f32 = (x: number): number[] => [x, x, x, x];
  const f64 = (lo: number, hi: number): number[] => [lo, hi, lo, hi];
  const pairs: [x: number[], y: number[], double: boolean, what: string][] = [
    [f32(0x00800000), f32(0x3f7fffff), false, 'min normal x (1 - 2^-24): tiny, rounds up to min normal'],
    [f32(0x00800001), f32(0x3f7fffff), false, 'just above min normal x (1 - 2^-24)'],
    [f32(0x01000000), f32(0x3f800000), false, '2^-125 x 1'],
    [f32(0x01000001), f32(0x3f7fffff), false, '2^-125 (1 + 2^-23) x (1 - 2^-24)'],
    [f32(0x7f7ffffe), f32(0x3f800000), false, 'near max x 1'],
    [f32(0x7f7fffff), f32(0x3f800001), false, 'max x (1 + 2^-23): overflow'],
    [f64(0, 0x00100000), f64(0xffffffff, 0x3fefffff), true, 'min normal x (1 - 2^-53): tiny, rounds up to min normal'],
    [f64(0, 0x00200000), f64(0, 0x3ff00000), true, '2^-1021 x 1'],
    [f64(0xffffffff, 0x7fefffff), f64(1, 0x3ff00000), true, 'max x (1 + 2^-52): overflow'],
  ];
  const insns: [string, string, boolean][] = [
    ['f30f59ca', 'mulss', false], ['0f59ca', 'mulps', false], ['0f594e10', 'mulps m', false], ['f20f59ca', 'mulsd', true], ['660f59ca', 'mulpd', true],
  ];
  const cases: SimdCase[] = [];
  for (const mxcsr of [0x1fa0, 0x1f80]) {
    for (const [x, y, double, what] of pairs) {
      for (const [insn, name] of insns.filter((i) => i[2] === double)) {
        const fx = new Uint8Array(512);
        new DataView(fx.buffer).setUint16(0, 0x037f, true);
        new DataView(fx.buffer).setUint32(24, mxcsr, true);
        const data = new Uint8Array(WINDOW_BYTES);
        putDwords(data, 0, x);
        putDwords(data, 16, y);
        // mov ebp, 4; L: movaps xmm1, [esi]; movaps xmm2, [esi+16]; insn; dec ebp; jnz L
        const body = '0f280e' + '0f285610' + insn;
        cases.push({
          code: 'bd04000000' + body + '4d' + '0f85' + h(-(body.length / 2 + 7), 4),
          regs: [0, 0, 0, DATA + BASE[EBX]!, 0, DATA + BASE[ESI]!, DATA + BASE[EDI]!], flags: 0, fx, data,
          note: `${name}: ${what}, mxcsr ${mxcsr.toString(16)}`,
        });
      }
    }
  }
  return cases;
})();

/**
 * pcmpistri on strings of a small alphabet (so bytes of the set and the string match), each
 * ending at a zero byte anywhere or nowhere, for every inline imm8 form and some left to the
 * handler, register and memory forms: ecx and the flags after each (pushf; pop edx; mov eax, ecx).
 */
const STR_CASES: SimdCase[] = (() => {
  const r = rng(424242);
  const str = (): number[] => {
    const b = Array.from({ length: 16 }, () => [0x61, 0x62, 0x63, 0x2f, 0x80, 0xe1][r() % 6]!);
    const end = r() % 20;
    if (end < 16) b[end] = 0;
    if (r() % 3 === 0 && end + 1 < 16) b[end + 1 + (r() % (15 - end))] = 0x61; // bytes after the end
    return b;
  };
  const dw = (b: number[]): number[] => [0, 1, 2, 3].map((k) => b[4 * k]! | (b[4 * k + 1]! << 8) | (b[4 * k + 2]! << 16) | (b[4 * k + 3]! << 24));
  const imms = [0x02, 0x3a, 0x00, 0x08, 0x0a, 0x12, 0x18, 0x1a, 0x30, 0x32, 0x38, 0x40, 0x42, 0x48, 0x52, 0x72, 0x7a, 0x04, 0x0c, 0x01];
  const cases: SimdCase[] = [];
  for (let n = 0; n < 240; n++) {
    const imm = imms[n % imms.length]!, mem = n % 3 === 0;
    const data = new Uint8Array(WINDOW_BYTES);
    putDwords(data, 0, dw(str()));
    putDwords(data, 16, dw(n % 7 === 0 ? new Array<number>(16).fill(0) : str()));
    const fx = new Uint8Array(512);
    new DataView(fx.buffer).setUint16(0, 0x037f, true);
    new DataView(fx.buffer).setUint32(24, 0x1f80, true);
    // mov ebp, 3; L: movdqu xmm1, [esi]; movdqu xmm2, [esi+16]; pcmpistri xmm1, xmm2|[esi+16], imm; pushf; pop edx; mov eax, ecx; dec ebp; jnz L
    const body = 'f30f6f0e' + 'f30f6f5610' + '660f3a63' + (mem ? '4e10' : 'ca') + h(imm) + '9c5a' + '89c8';
    cases.push({
      code: 'bd03000000' + body + '4d' + '0f85' + h(-(body.length / 2 + 7), 4),
      regs: [0, 0, 0, DATA + BASE[EBX]!, 0, DATA + BASE[ESI]!, DATA + BASE[EDI]!], flags: r() & 0x8d5, fx, data,
      note: `pcmpistri ${mem ? 'm' : 'xmm'} imm ${imm.toString(16)} case ${n}`,
    });
  }
  return cases;
})();

let native: SimdResult[][] | null = null;
/** the real CPU's results: one run (and one recorded answer) for every case of the file */
function nativeResults(): SimdResult[][] {
  if (native) return native;
  const all = runNative([...cases.flat(), ...GP_CASES, ...EDGE_CASES, ...STR_CASES]);
  const at = MODES.length * SEQS, str = at + GP_CASES.length + EDGE_CASES.length;
  native = [...MODES.map((_, m) => all.slice(m * SEQS, (m + 1) * SEQS)), all.slice(at, at + GP_CASES.length), all.slice(at + GP_CASES.length, str), all.slice(str)];
  return native;
}

test.serial('an aligned form at a misaligned address is #GP in translated code (the page in the TLB)', (t) => {
  const nat = nativeResults()[MODES.length]!;
  const bad = GP_CASES.map((c, k) => diff(c, nat[k]!, runEmu(c, 1))).filter(Boolean);
  t.deepEqual(bad, []);
});

test.serial('float results at the bounds of the fast path (smallest normal, tiny before rounding, overflow)', (t) => {
  const nat = nativeResults()[MODES.length + 1]!;
  const bad = EDGE_CASES.map((c, k) => diff(c, nat[k]!, runEmu(c, 1))).filter(Boolean);
  t.deepEqual(bad, []);
});

test.serial('pcmpistri (equal any, equal each, byte forms inline; others through the handler) matches the real CPU', (t) => {
  const nat = nativeResults()[MODES.length + 2]!;
  const bad = STR_CASES.map((c, k) => diff(c, nat[k]!, runEmu(c, 1))).filter(Boolean);
  t.deepEqual(bad.slice(0, 8), []);
});

for (const [mi, mode] of MODES.entries()) {
  for (let part = 0; part < PARTS; part++) {
    test.serial(`translated SIMD loops match the real CPU (${mode.name}), part ${part + 1}/${PARTS}`, (t) => {
      const nat = nativeResults()[mi]!;
      const from = (part * SEQS) / PARTS, to = ((part + 1) * SEQS) / PARTS;
      const bad: string[] = [];
      // how often translated code took the handler of an instruction it emits inline (the guards
      // failed: TLB miss, page crossing, MMX state not entered, MXCSR or operands not common)
      const fallbacks = new Map<string, number>(), runs = new Map<string, number>();
      for (let k = from; k < to; k++) {
        const c = cases[mi]![k]!;
        const got = runEmu(c, mode.threshold, (_cpu, i) => {
          if (simdInline(i)) fallbacks.set(nameOf(i), (fallbacks.get(nameOf(i)) ?? 0) + 1);
        });
        const d = diff(c, nat[k]!, got);
        if (d) bad.push(d);
        // inline SIMD instructions run by translated code (about: the loop's runs after translation)
        const n = Math.max(0, mode.iterations(k) - (mode.threshold > 1 ? mode.threshold + 1 : 0));
        for (const name of inlineNames(seqs[k]!.body)) runs.set(name, (runs.get(name) ?? 0) + n);
      }
      const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
      t.log(`${to - from} sequences; inline SIMD instructions run translated: about ${sum(runs)}, ` +
        `of which ${sum(fallbacks)} took the handler (${stats.insns} instructions in all so far, ${stats.faults} faults)`);
      if (process.env.UNIT_JIT_SIMD_STATS) {
        for (const [name, n] of [...runs].sort()) t.log(`  ${name}: ${n} run, ${fallbacks.get(name) ?? 0} through the handler`);
      }
      if (bad.length) t.log(`${bad.length} of ${to - from} sequences differ`);
      t.deepEqual(process.env.UNIT_JIT_SIMD_ALL ? bad : bad.slice(0, 8), []);
    });
  }
}
