// Golden cases for MMX and the SSE/SSE2 integer instructions (src/cpu/simd-int.ts).
// Every opcode in its mm (NP) and xmm (66) forms, register and memory operands: lane values
// from edge sets (0, ±1, signed min/max, saturation bounds) and random bits; operands at the
// end of the data page (the next page is unmapped), misaligned 16-byte operands of the aligned
// forms (#GP), stores to the read-only code page; the x87 state the mm registers alias (TOP,
// tags, register images, a pending exception: #MF); prefixes that select no form (#UD).
import {
  DATA, CODE, LOW, EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, randomRegs, modrm, le32, fxImage, MXCSR_DEFAULT,
} from './common.mjs';

const PAGE = 0x1000;
const ADDR_REGS = [EAX, ECX, EDX, EBX, EBP, ESI, EDI];

// ---------------------------------------------------------------- lane values

const M64 = (1n << 64n) - 1n;
const EDGE_INTS = [0, 1, 2, -1, -2, 127, 128, 129, -127, -128, -129, 255, 256, 0x7fff, 0x8000, 0x8001, -0x7fff, -0x8000, -0x8001,
  0xffff, 0x10000, 0x7fffffff, -0x80000000, 0x80000001, 0xffffffff];
const edgeCache = new Map();
function edgesOf(w) {
  if (!edgeCache.has(w)) {
    const m = (1n << BigInt(w)) - 1n, h = 1n << BigInt(w - 1);
    const s = new Set([0n, 1n, m, m - 1n, h, h - 1n, h + 1n, h - 2n, ...EDGE_INTS.map((v) => BigInt(v) & m), 0x5555555555555555n & m, 0xaaaaaaaaaaaaaaaan & m]);
    edgeCache.set(w, [...s]);
  }
  return edgeCache.get(w);
}
const rand64 = (rng) => (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
/** One w-bit lane value (BigInt): often an edge value (or one next to it), else random bits. */
function lane(rng, w) {
  const m = (1n << BigInt(w)) - 1n, k = rng.int(10);
  if (k < 4) return rng.pick(edgesOf(w));
  if (k < 5) return (rng.pick(edgesOf(w)) + BigInt(rng.int(7) - 3)) & m;
  if (k < 6) return BigInt(rng.int(600) - 300) & m; // small, around byte saturation bounds
  return rand64(rng) & m;
}
function lanesToBytes(ls, w) {
  const b = [];
  for (const v of ls) for (let i = 0; i < w / 8; i++) b.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return b;
}
/** n bytes of w-bit lanes. */
const vec = (rng, w, n) => lanesToBytes(Array.from({ length: (n * 8) / w }, () => lane(rng, w)), w);
/** Destination and source operands: independent, or the source close to the destination (equal lanes, ±1). */
function pairVals(rng, w, n) {
  const cnt = (n * 8) / w, m = (1n << BigInt(w)) - 1n;
  const d = Array.from({ length: cnt }, () => lane(rng, w));
  if (rng.int(2)) return [lanesToBytes(d, w), vec(rng, w, n)];
  const s = d.map((v) => {
    const k = rng.int(3);
    return k === 0 ? v : k === 1 ? (v + (rng.bool() ? 1n : m)) & m : lane(rng, w);
  });
  return [lanesToBytes(d, w), lanesToBytes(s, w)];
}
const bytes64 = (v) => lanesToBytes([BigInt.asUintN(64, BigInt(v))], 64);

// ---------------------------------------------------------------- SIMD state

const PENDING = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20]; // IE DE ZE OE UE PE
/**
 * An FXSAVE image with xmm k = xmm[k] and mm k = mm[k] where given (random w-bit lanes elsewhere).
 * mode 'mm': as after an MMX instruction (TOP 0, all tags valid); 'x87': TOP and tags random, the
 * mm values in the significands of the physical registers under random sign/exponent;
 * 'empty': as after fninit. pending: an unmasked x87 exception waiting (#MF on the next MMX insn).
 */
function state(rng, w, { xmm = {}, mm = {}, mode, pending = false } = {}) {
  const X = Array.from({ length: 8 }, (_, k) => xmm[k] ?? vec(rng, w, 16));
  const M = Array.from({ length: 8 }, (_, k) => mm[k] ?? vec(rng, w, 8));
  const mxcsr = rng.int(4) ? MXCSR_DEFAULT : rng.u32() & 0xffff;
  mode ??= pending ? 'x87' : rng.pick(['mm', 'mm', 'mm', 'mm', 'mm', 'x87', 'x87', 'empty']);
  if (mode === 'mm' && !pending) return fxImage({ xmm: X, mm: M, mxcsr });
  const top = mode === 'empty' ? 0 : rng.int(8);
  const st = [];
  for (let p = 0; p < 8; p++) {
    const se = rng.int(3) ? [rng.u32() & 0xff, rng.u32() & 0xff] : [0xff, 0xff];
    st[(p - top) & 7] = [...M[p], ...se];
  }
  let fcw = 0x037f | ((rng.int(16) << 8) & 0x0f00), fsw = (top << 11) | (rng.u32() & 0x4700);
  if (pending) {
    const e = rng.pick(PENDING);
    fcw &= ~e;
    fsw |= e | 0x80 | 0x8000; // the exception, ES, B
  }
  return fxImage({ xmm: X, st, ftw: mode === 'empty' ? 0 : rng.int(256), fsw, fcw, mxcsr });
}

// ---------------------------------------------------------------- operands and cases

/**
 * Memory operand at addr for ModRM.reg g: [disp32], [base+disp8], [base+index*scale+disp32],
 * [base], gs:[disp32] (GS is based at the data page). Sets the registers it uses in regs.
 * Returns { pre, bytes } (segment prefix, ModRM and what follows it).
 */
function memOp(rng, g, addr, regs, { noGs = false, avoid = [] } = {}) {
  const pool = ADDR_REGS.filter((r) => !avoid.includes(r));
  let k = rng.int(6);
  if (k === 4 && noGs) k = 0;
  if (k <= 1) return { pre: [], bytes: [modrm(0, g, 5), ...le32(addr)] };
  if (k === 2) {
    const b = rng.pick(pool), d = rng.int(256) - 128;
    regs[b] = (addr - d) >>> 0;
    return { pre: [], bytes: [modrm(1, g, b), d & 0xff] };
  }
  if (k === 3) {
    const b = rng.pick(pool), ix = rng.pick(pool.filter((r) => r !== b)), s = rng.int(4), disp = rng.u32() & 0xffff;
    regs[ix] = rng.int(64);
    regs[b] = (addr - disp - (regs[ix] << s)) >>> 0;
    return { pre: [], bytes: [modrm(2, g, 4), (s << 6) | (ix << 3) | b, ...le32(disp)] };
  }
  if (k === 4) return { pre: [0x65], bytes: [modrm(0, g, 5), ...le32((addr - DATA) >>> 0)] };
  const b = rng.pick(pool.filter((r) => r !== EBP));
  regs[b] = addr >>> 0;
  return { pre: [], bytes: [modrm(0, g, b)] };
}

/** Bytes at addr for a case's mem list, cut at the end of the data page. */
function memAt(addr, bytes) {
  if (addr < DATA || addr >= DATA + PAGE) return [];
  return [[addr, bytes.slice(0, DATA + PAGE - addr)]];
}

class Gen {
  constructor(cs, rng, family) { this.cs = cs; this.rng = rng; this.family = family; this.n = 0; }
  add(name, c) {
    const rng = this.rng;
    this.cs.add(this.family, `${name} #${this.n++}`, {
      regs: c.regs ?? randomRegs(rng), eflags: c.eflags ?? (rng.u32() & 0x8d5), seed: rng.u32(),
      code: c.code, mem: c.mem ?? [], fx: c.fx,
    });
  }
}

/** An address for a memory operand of n bytes: inside the data page, n-aligned when align. */
function dataAddr(rng, n, align) {
  if (align) return DATA + 16 * rng.int(PAGE / 16);
  const k = rng.int(8);
  if (k === 0) return DATA + PAGE - n; // the last bytes of the page
  if (k === 1) return DATA; // the first
  return DATA + rng.int(PAGE - n + 1);
}
/** Addresses where an n-byte access faults: across the end of the data page, before it, after it. */
function faultAddrs(n, align) {
  const a = [DATA + PAGE, DATA - 16, DATA + PAGE + 0x100];
  if (!align) a.push(DATA + PAGE - n + 1, DATA + PAGE - 1, DATA - 1);
  if (!align && n >= 8) a.push(DATA + PAGE - 4);
  return a;
}

// ---------------------------------------------------------------- binary lane operations

/** [name, opcode (0F xx), lane width of interesting values, xmm form only, mm form reads m32] */
const ARITH = [
  ['paddb', 0xfc, 8], ['paddw', 0xfd, 16], ['paddd', 0xfe, 32], ['paddq', 0xd4, 64],
  ['psubb', 0xf8, 8], ['psubw', 0xf9, 16], ['psubd', 0xfa, 32], ['psubq', 0xfb, 64],
  ['paddsb', 0xec, 8], ['paddsw', 0xed, 16], ['paddusb', 0xdc, 8], ['paddusw', 0xdd, 16],
  ['psubsb', 0xe8, 8], ['psubsw', 0xe9, 16], ['psubusb', 0xd8, 8], ['psubusw', 0xd9, 16],
  ['pmullw', 0xd5, 16], ['pmulhw', 0xe5, 16], ['pmulhuw', 0xe4, 16], ['pmuludq', 0xf4, 32], ['pmaddwd', 0xf5, 16],
  ['pavgb', 0xe0, 8], ['pavgw', 0xe3, 16], ['pminub', 0xda, 8], ['pmaxub', 0xde, 8], ['pminsw', 0xea, 16], ['pmaxsw', 0xee, 16],
  ['psadbw', 0xf6, 8],
  ['pcmpeqb', 0x74, 8], ['pcmpeqw', 0x75, 16], ['pcmpeqd', 0x76, 32], ['pcmpgtb', 0x64, 8], ['pcmpgtw', 0x65, 16], ['pcmpgtd', 0x66, 32],
  ['pand', 0xdb, 32], ['pandn', 0xdf, 32], ['por', 0xeb, 32], ['pxor', 0xef, 32],
];
const PACK = [
  ['packsswb', 0x63, 16], ['packssdw', 0x6b, 32], ['packuswb', 0x67, 16],
  ['punpcklbw', 0x60, 8, false, true], ['punpcklwd', 0x61, 16, false, true], ['punpckldq', 0x62, 32, false, true],
  ['punpckhbw', 0x68, 8], ['punpckhwd', 0x69, 16], ['punpckhdq', 0x6a, 32],
  ['punpcklqdq', 0x6c, 64, true], ['punpckhqdq', 0x6d, 64, true],
];

/**
 * Cases of a two-operand instruction `op reg, rm` (0F op, and 66 0F op for xmm).
 * srcVal(rng, n) gives the rm operand's bytes when it is not derived from the destination.
 */
function binCases(G, { name, op, w, xmmOnly = false, half = false, nReg = 36, nMem = 20, imm = null, srcVal = null, pre = null }) {
  const rng = G.rng;
  for (const x of xmmOnly ? [true] : [false, true]) {
    const n = x ? 16 : 8, t = x ? 'xmm' : 'mm', p = pre ?? (x ? [0x66] : []);
    const memN = x ? 16 : half ? 4 : 8;
    const ib = () => (imm ? [imm(rng)] : []);
    const vals = () => {
      const [d, s] = pairVals(rng, w, n);
      return [d, srcVal ? srcVal(rng, n) : s];
    };
    const fxWith = (g, d, e, s, o = {}) => {
      const set = { [g]: d };
      if (e !== null && e !== g) set[e] = s;
      return state(rng, w, { ...(x ? { xmm: set } : { mm: set }), ...o });
    };
    for (let k = 0; k < nReg; k++) {
      const g = rng.int(8), e = rng.int(6) === 0 ? g : rng.int(8);
      const [d, s] = vals();
      G.add(`${name} ${t}${g},${t}${e}`, { code: [...p, 0x0f, op, modrm(3, g, e), ...ib()], fx: fxWith(g, d, e, s) });
    }
    for (let k = 0; k < nMem; k++) {
      const g = rng.int(8), regs = randomRegs(rng), a = dataAddr(rng, memN, x);
      const [d, s] = vals();
      const m = memOp(rng, g, a, regs);
      G.add(`${name} ${t}${g},[${(a - DATA).toString(16)}]`, {
        regs, code: [...m.pre, ...p, 0x0f, op, ...m.bytes, ...ib()], mem: memAt(a, s), fx: fxWith(g, d, null, null),
      });
    }
    // faults: page faults (nothing changes, the x87 state included); misaligned aligned forms
    // the mm forms of punpckl* read 4 bytes: the last 4 of the page are fine
    if (half && !x) {
      const g = rng.int(8), [d, s] = vals();
      G.add(`${name} ${t}${g},[page end - 4]`, { code: [...p, 0x0f, op, modrm(0, g, 5), ...le32(DATA + PAGE - 4)], mem: memAt(DATA + PAGE - 4, s), fx: fxWith(g, d, null, null) });
    }
    for (const a of faultAddrs(memN, x)) {
      const g = rng.int(8), [d, s] = vals();
      G.add(`${name} ${t}${g},[${(a - DATA) | 0}] fault`, {
        code: [...p, 0x0f, op, modrm(0, g, 5), ...le32(a), ...ib()], mem: memAt(a, s), fx: fxWith(g, d, null, null),
      });
    }
    if (x) {
      for (let k = 0; k < 3; k++) {
        const a = DATA + 16 * rng.int(PAGE / 16 - 1) + 1 + rng.int(15), g = rng.int(8), [d, s] = vals();
        G.add(`${name} ${t}${g},[${(a - DATA).toString(16)}] misaligned`, {
          code: [...p, 0x0f, op, modrm(0, g, 5), ...le32(a), ...ib()], mem: memAt(a, s), fx: fxWith(g, d, null, null),
        });
      }
    } else {
      // a pending x87 exception: #MF before anything, the memory operand's fault included
      const g = rng.int(8), e = rng.int(8), [d, s] = vals();
      G.add(`${name} ${t}${g},${t}${e} #MF`, { code: [...p, 0x0f, op, modrm(3, g, e), ...ib()], fx: fxWith(g, d, e, s, { pending: true }) });
      G.add(`${name} ${t}${g},[unmapped] #MF`, { code: [...p, 0x0f, op, modrm(0, g, 5), ...le32(DATA + PAGE), ...ib()], fx: fxWith(g, d, null, null, { pending: true }) });
      // from an empty x87 stack and from TOP != 0
      for (const mode of ['empty', 'x87']) {
        const g2 = rng.int(8), e2 = rng.int(8), [d2, s2] = vals();
        G.add(`${name} ${t}${g2},${t}${e2} ${mode}`, { code: [...p, 0x0f, op, modrm(3, g2, e2), ...ib()], fx: fxWith(g2, d2, e2, s2, { mode }) });
      }
    }
  }
}

export function genSimdIntArith(cs, rng) {
  const G = new Gen(cs, rng, 'simd-int-arith');
  for (const [name, op, w] of ARITH) binCases(G, { name, op, w });
}

export function genSimdIntPack(cs, rng) {
  const G = new Gen(cs, rng, 'simd-int-pack');
  for (const [name, op, w, xmmOnly, half] of PACK) binCases(G, { name, op, w, xmmOnly, half, nReg: 44, nMem: 24 });
}

// ---------------------------------------------------------------- shifts

/** [name, opcode by register/memory count, group opcode, /digit, lane width] */
const SHIFTS = [
  ['psrlw', 0xd1, 0x71, 2, 16], ['psraw', 0xe1, 0x71, 4, 16], ['psllw', 0xf1, 0x71, 6, 16],
  ['psrld', 0xd2, 0x72, 2, 32], ['psrad', 0xe2, 0x72, 4, 32], ['pslld', 0xf2, 0x72, 6, 32],
  ['psrlq', 0xd3, 0x73, 2, 64], ['psllq', 0xf3, 0x73, 6, 64],
];
/** A 64-bit shift count: 0, 1, lane-1, lane, lane+1, 63, 64, 255, huge (high dword set), small random. */
function count64(rng, w) {
  const k = rng.int(10);
  if (k < 4) return BigInt(rng.pick([0, 1, w - 1, w, w + 1, 15, 16, 31, 32, 33, 63, 64, 127, 128, 255, 256]));
  if (k < 5) return rng.pick([0x100000000n, 0x100000001n, 0x8000000000000000n, M64, 0xffffffffn, 0x80000000n, 0x100000000n + BigInt(rng.int(w))]);
  if (k < 6) return rand64(rng);
  return BigInt(rng.int(w + 2));
}
const count8 = (rng, w) => (rng.int(3) ? rng.pick([0, 1, w - 1, w, w + 1, 15, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff]) : rng.int(256));

export function genSimdIntShift(cs, rng) {
  const G = new Gen(cs, rng, 'simd-int-shift');
  for (const [name, op, gop, digit, w] of SHIFTS) {
    // count from a register or memory: the whole low 64 bits count
    binCases(G, {
      name, op, w, nReg: 40, nMem: 16,
      srcVal: (r, n) => [...bytes64(count64(r, w)), ...(n === 16 ? r.bytes(8) : [])],
    });
    // immediate count: register forms only (memory forms are #UD)
    for (const x of [false, true]) {
      const p = x ? [0x66] : [], t = x ? 'xmm' : 'mm';
      for (let k = 0; k < 36; k++) {
        const e = rng.int(8), v = vec(rng, w, x ? 16 : 8), c = count8(rng, w);
        const mode = x ? undefined : rng.pick([undefined, undefined, 'x87', 'empty']);
        G.add(`${name} ${t}${e},${c}`, { code: [...p, 0x0f, gop, modrm(3, digit, e), c], fx: state(rng, w, { ...(x ? { xmm: { [e]: v } } : { mm: { [e]: v } }), mode }) });
      }
      G.add(`${name} ${t},imm [mem] #UD`, { code: [...p, 0x0f, gop, modrm(0, digit, 5), ...le32(DATA), 3], fx: state(rng, w) });
    }
    G.add(`${name} mm,imm #MF`, { code: [0x0f, gop, modrm(3, digit, rng.int(8)), 3], fx: state(rng, w, { pending: true }) });
  }
  // psrldq / pslldq (66 0F 73 /3 /7): bytes; a count above 15 clears the register
  for (const [name, digit] of [['psrldq', 3], ['pslldq', 7]]) {
    for (let k = 0; k < 40; k++) {
      const e = rng.int(8), c = rng.int(3) ? rng.pick([0, 1, 7, 8, 15, 16, 17, 0x80, 0xff]) : rng.int(20);
      G.add(`${name} xmm${e},${c}`, { code: [0x66, 0x0f, 0x73, modrm(3, digit, e), c], fx: state(rng, 8) });
    }
    G.add(`${name} mm (no form) #UD`, { code: [0x0f, 0x73, modrm(3, digit, 1), 3], fx: state(rng, 8) });
    G.add(`${name} [mem] #UD`, { code: [0x66, 0x0f, 0x73, modrm(0, digit, 5), ...le32(DATA), 3], fx: state(rng, 8) });
  }
  // undefined group members (0F 71-73 /0 /1 /3 /5 /7 without a form)
  for (const [gop, digit, pfx] of [[0x71, 0, []], [0x71, 3, [0x66]], [0x72, 1, []], [0x72, 7, [0x66]], [0x73, 4, [0x66]], [0x73, 5, []]]) {
    G.add(`0F ${gop.toString(16)} /${digit} #UD`, { code: [...pfx, 0x0f, gop, modrm(3, digit, 2), 1], fx: state(rng, 16) });
  }
}

// ---------------------------------------------------------------- moves

export function genSimdIntMove(cs, rng) {
  const G = new Gen(cs, rng, 'simd-int-move');
  const R = (n = 8) => rng.int(n);
  const pick = (...a) => rng.pick(a);
  const w = () => pick(8, 16, 32, 64);

  // A load `pre 0F op reg, rm` of n bytes into file t ('mm' or 'xmm') from t2 ('mm', 'xmm', 'gpr').
  const loads = (name, pre, op, t, t2, n, { align = false, nReg = 24, nMem = 24, pending = true } = {}) => {
    for (let k = 0; k < nReg; k++) {
      const g = R(), e = R(), regs = randomRegs(rng);
      const ww = w();
      const set = {};
      if (t2 === 'gpr') regs[e] = Number(BigInt.asUintN(32, lane(rng, 32)));
      else set[t2] = { [e]: vec(rng, ww, t2 === 'mm' ? 8 : 16) };
      if (e === ESP && t2 === 'gpr') continue;
      G.add(`${name} ${t}${g},${t2}${e}`, { regs, code: [...pre, 0x0f, op, modrm(3, g, e)], fx: state(rng, ww, set) });
    }
    for (let k = 0; k < nMem; k++) {
      const g = R(), regs = randomRegs(rng), a = dataAddr(rng, n, align), m = memOp(rng, g, a, regs);
      G.add(`${name} ${t}${g},[${(a - DATA).toString(16)}]`, { regs, code: [...m.pre, ...pre, 0x0f, op, ...m.bytes], mem: memAt(a, vec(rng, w(), 16)), fx: state(rng, w()) });
    }
    for (const a of faultAddrs(n, align)) {
      G.add(`${name} ${t},[${(a - DATA) | 0}] fault`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(a)], mem: memAt(a, rng.bytes(16)), fx: state(rng, w()) });
    }
    if (align) {
      for (let k = 1; k < 16; k += 3 + R(3)) {
        G.add(`${name} ${t},[+${k}] misaligned`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x100 + k)], fx: state(rng, w()) });
      }
    } else if (n === 16) {
      for (const k of [1, 3, 8, 15]) G.add(`${name} ${t},[+${k}] misaligned`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x200 + k)], fx: state(rng, w()) });
    }
    // a cs: override is fine for a load
    G.add(`${name} ${t},cs:[data]`, { code: [0x2e, ...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x40)], fx: state(rng, w()) });
    if (t === 'mm' || t2 === 'mm') {
      G.add(`${name} #MF`, { code: [...pre, 0x0f, op, modrm(3, R(), R())], fx: state(rng, w(), { pending }) });
    }
  };
  // A store `pre 0F op rm, reg` of n bytes from file t to t2 ('mm', 'xmm', 'gpr' or memory only).
  const stores = (name, pre, op, t, t2, n, { align = false, nReg = 24, nMem = 24, memOnly = false } = {}) => {
    if (!memOnly) {
      for (let k = 0; k < nReg; k++) {
        const g = R(), e = R();
        G.add(`${name} ${t2}${e},${t}${g}`, { code: [...pre, 0x0f, op, modrm(3, g, e)], fx: state(rng, w()) });
      }
    } else {
      G.add(`${name} reg form #UD`, { code: [...pre, 0x0f, op, modrm(3, R(), R())], fx: state(rng, w()) });
    }
    for (let k = 0; k < nMem; k++) {
      const g = R(), regs = randomRegs(rng), a = dataAddr(rng, n, align), m = memOp(rng, g, a, regs);
      G.add(`${name} [${(a - DATA).toString(16)}],${t}${g}`, { regs, code: [...m.pre, ...pre, 0x0f, op, ...m.bytes], fx: state(rng, w()) });
    }
    for (const a of [...faultAddrs(n, align), CODE + 0x100]) {
      G.add(`${name} [${(a - DATA) | 0}],${t} fault`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(a)], fx: state(rng, w()) });
    }
    if (align) {
      for (let k = 2; k < 16; k += 3 + R(3)) G.add(`${name} [+${k}],${t} misaligned`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x300 + k)], fx: state(rng, w()) });
    } else if (n === 16) {
      for (const k of [1, 7, 9, 15]) G.add(`${name} [+${k}],${t} misaligned`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x300 + k)], fx: state(rng, w()) });
    }
    // a store through cs: is #GP (the code segment is not writable)
    G.add(`${name} cs:[data],${t}`, { code: [0x2e, ...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x40)], fx: state(rng, w()) });
    if (t === 'mm') {
      G.add(`${name} [data],${t} #MF`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x80)], fx: state(rng, w(), { pending: true }) });
      G.add(`${name} [unmapped],${t} #MF`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + PAGE)], fx: state(rng, w(), { pending: true }) });
      for (const mode of ['empty', 'x87']) G.add(`${name} [data],${t} ${mode}`, { code: [...pre, 0x0f, op, modrm(0, R(), 5), ...le32(DATA + 0x88)], fx: state(rng, w(), { mode }) });
    }
  };

  loads('movd', [], 0x6e, 'mm', 'gpr', 4);
  loads('movd', [0x66], 0x6e, 'xmm', 'gpr', 4);
  stores('movd', [], 0x7e, 'mm', 'gpr', 4);
  stores('movd', [0x66], 0x7e, 'xmm', 'gpr', 4);
  loads('movq', [0xf3], 0x7e, 'xmm', 'xmm', 8);
  loads('movq', [], 0x6f, 'mm', 'mm', 8);
  stores('movq', [], 0x7f, 'mm', 'mm', 8);
  loads('movdqa', [0x66], 0x6f, 'xmm', 'xmm', 16, { align: true });
  stores('movdqa', [0x66], 0x7f, 'xmm', 'xmm', 16, { align: true });
  loads('movdqu', [0xf3], 0x6f, 'xmm', 'xmm', 16);
  stores('movdqu', [0xf3], 0x7f, 'xmm', 'xmm', 16);
  stores('movq', [0x66], 0xd6, 'xmm', 'xmm', 8);
  stores('movnti', [], 0xc3, 'gpr', 'mem', 4, { memOnly: true });
  stores('movntq', [], 0xe7, 'mm', 'mem', 8, { memOnly: true });
  stores('movntdq', [0x66], 0xe7, 'xmm', 'mem', 16, { align: true, memOnly: true });

  // movq2dq xmm, mm / movdq2q mm, xmm (register forms only)
  for (const [name, pre, t, t2] of [['movq2dq', [0xf3], 'xmm', 'mm'], ['movdq2q', [0xf2], 'mm', 'xmm']]) {
    for (let k = 0; k < 24; k++) {
      const g = R(), e = R();
      G.add(`${name} ${t}${g},${t2}${e}`, { code: [...pre, 0x0f, 0xd6, modrm(3, g, e)], fx: state(rng, w()) });
    }
    G.add(`${name} [mem] #UD`, { code: [...pre, 0x0f, 0xd6, modrm(0, R(), 5), ...le32(DATA)], fx: state(rng, w()) });
    G.add(`${name} #MF`, { code: [...pre, 0x0f, 0xd6, modrm(3, R(), R())], fx: state(rng, w(), { pending: true }) });
  }

  // maskmovq / maskmovdqu: bytes selected by the mask's top bits to DS:EDI
  const MASKS8 = [[0, 0, 0, 0, 0, 0, 0, 0], Array(8).fill(0x80), Array(8).fill(0xff), [0x80, 0, 0xff, 0x7f, 0x81, 0x01, 0xc0, 0x40]];
  for (const [name, pre, n] of [['maskmovq', [], 8], ['maskmovdqu', [0x66], 16]]) {
    const x = n === 16;
    const mask = () => {
      const k = R(4);
      if (k === 0) { const m = rng.pick(MASKS8); return x ? [...m, ...rng.pick(MASKS8)] : m; }
      return Array.from({ length: n }, () => (rng.bool() ? 0x80 | rng.int(128) : rng.int(128)));
    };
    const fxm = (g, e, o = {}) => {
      const set = { [e]: mask() };
      if (g !== e) set[g] = rng.bytes(n);
      return state(rng, 8, { ...(x ? { xmm: set } : { mm: set }), ...o });
    };
    const one = (label, edi, { seg = [], a16 = false, o = {} } = {}) => {
      const g = R(), e = R(), regs = randomRegs(rng);
      regs[EDI] = edi >>> 0;
      G.add(`${name} ${label}`, { regs, code: [...seg, ...(a16 ? [0x67] : []), ...pre, 0x0f, 0xf7, modrm(3, g, e)], fx: fxm(g, e, o) });
    };
    for (let k = 0; k < 40; k++) one(`[${k}]`, DATA + rng.int(PAGE - n + 1));
    for (const off of [PAGE - n, PAGE - n + 1, PAGE - 4, PAGE - 1]) for (let k = 0; k < 3; k++) one(`[+${off.toString(16)}] page end`, DATA + off);
    for (let k = 0; k < 3; k++) one('[unmapped]', DATA + PAGE + rng.int(64));
    for (let k = 0; k < 3; k++) one('[read-only code page]', CODE + 0x100 + rng.int(64));
    for (let k = 0; k < 4; k++) one('ds:', DATA + rng.int(PAGE - n), { seg: [0x3e] });
    for (let k = 0; k < 4; k++) one('es:', DATA + rng.int(PAGE - n), { seg: [0x26] });
    for (let k = 0; k < 4; k++) one('gs: (base = data page)', rng.int(PAGE - n), { seg: [0x65] });
    one('fs: null #GP', DATA + 0x10, { seg: [0x64] });
    one('cs: #GP', DATA + 0x10, { seg: [0x2e] });
    for (let k = 0; k < 4; k++) one('addr16 (DI)', ((rng.u32() & 0xffff0000) | (LOW + rng.int(PAGE - n))) >>> 0, { a16: true });
    one('#MF', DATA + 0x20, { o: { pending: true } });
    one('x87 state', DATA + 0x20, { o: { mode: 'x87' } });
    G.add(`${name} [mem] #UD`, { code: [...pre, 0x0f, 0xf7, modrm(0, R(), 5), ...le32(DATA)], fx: state(rng, 8) });
  }

  // emms: all tags empty, TOP kept; a pending x87 exception first
  for (let k = 0; k < 12; k++) G.add('emms', { code: [0x0f, 0x77], fx: state(rng, w(), { mode: rng.pick(['mm', 'x87', 'empty']) }) });
  for (let k = 0; k < 4; k++) G.add('emms #MF', { code: [0x0f, 0x77], fx: state(rng, w(), { pending: true }) });
}

// ---------------------------------------------------------------- misc: masks, extracts, inserts, shuffles, prefixes

export function genSimdIntMisc(cs, rng) {
  const G = new Gen(cs, rng, 'simd-int-misc');
  const R = (n = 8) => rng.int(n);

  // pmovmskb r32, mm/xmm (register forms only)
  for (const [pre, t, n] of [[[], 'mm', 8], [[0x66], 'xmm', 16]]) {
    for (let k = 0; k < 40; k++) {
      const g = R(), e = R(), v = vec(rng, 8, n);
      G.add(`pmovmskb r${g},${t}${e}`, { code: [...pre, 0x0f, 0xd7, modrm(3, g, e)], fx: state(rng, 8, t === 'mm' ? { mm: { [e]: v } } : { xmm: { [e]: v } }) });
    }
    G.add(`pmovmskb ${t} [mem] #UD`, { code: [...pre, 0x0f, 0xd7, modrm(0, 0, 5), ...le32(DATA)], fx: state(rng, 8) });
    if (t === 'mm') G.add('pmovmskb #MF', { code: [0x0f, 0xd7, modrm(3, R(), R())], fx: state(rng, 8, { pending: true }) });
  }

  // pextrw r32, mm/xmm, imm8 (register forms; the index wraps)
  for (const [pre, t] of [[[], 'mm'], [[0x66], 'xmm']]) {
    for (let k = 0; k < 36; k++) {
      const g = R(), e = R(), ib = R(3) ? R(8) : R(256);
      G.add(`pextrw r${g},${t}${e},${ib}`, { code: [...pre, 0x0f, 0xc5, modrm(3, g, e), ib], fx: state(rng, 16) });
    }
    G.add(`pextrw ${t} [mem] #UD`, { code: [...pre, 0x0f, 0xc5, modrm(0, 0, 5), ...le32(DATA), 1], fx: state(rng, 16) });
    if (t === 'mm') G.add('pextrw #MF', { code: [0x0f, 0xc5, modrm(3, R(), R()), 1], fx: state(rng, 16, { pending: true }) });
  }

  // pinsrw mm/xmm, r32/m16, imm8
  for (const [pre, t] of [[[], 'mm'], [[0x66], 'xmm']]) {
    for (let k = 0; k < 30; k++) {
      const g = R(), e = R(), ib = R(3) ? R(8) : R(256), regs = randomRegs(rng);
      if (e !== ESP) regs[e] = Number(BigInt.asUintN(32, lane(rng, 32)));
      G.add(`pinsrw ${t}${g},r${e},${ib}`, { regs, code: [...pre, 0x0f, 0xc4, modrm(3, g, e), ib], fx: state(rng, 16) });
    }
    for (let k = 0; k < 24; k++) {
      const g = R(), ib = R(3) ? R(8) : R(256), regs = randomRegs(rng), a = dataAddr(rng, 2, false), m = memOp(rng, g, a, regs);
      G.add(`pinsrw ${t}${g},[${(a - DATA).toString(16)}],${ib}`, { regs, code: [...m.pre, ...pre, 0x0f, 0xc4, ...m.bytes, ib], mem: memAt(a, vec(rng, 16, 2)), fx: state(rng, 16) });
    }
    // m16: the last two bytes of the page are fine, one byte further faults
    for (const off of [PAGE - 2, PAGE - 1, PAGE, -2]) {
      G.add(`pinsrw ${t},[${off}]`, { code: [...pre, 0x0f, 0xc4, modrm(0, R(), 5), ...le32(DATA + off), R(8)], mem: memAt(DATA + off, [0x34, 0x12]), fx: state(rng, 16) });
    }
    G.add(`pinsrw ${t},cs:[data]`, { code: [0x2e, ...pre, 0x0f, 0xc4, modrm(0, R(), 5), ...le32(DATA + 0x10), 2], fx: state(rng, 16) });
    if (t === 'mm') {
      G.add('pinsrw #MF', { code: [0x0f, 0xc4, modrm(3, R(), R()), 1], fx: state(rng, 16, { pending: true }) });
      G.add('pinsrw [unmapped] #MF', { code: [0x0f, 0xc4, modrm(0, R(), 5), ...le32(DATA + PAGE), 1], fx: state(rng, 16, { pending: true }) });
    }
  }

  // pshufw / pshufd / pshufhw / pshuflw
  const imm = (r) => (r.int(4) ? r.int(256) : r.pick([0x00, 0xff, 0x1b, 0xe4, 0x4e, 0xb1, 0x55, 0xaa]));
  binCases(G, { name: 'pshufw/pshufd', op: 0x70, w: 16, imm, nReg: 30, nMem: 16 }); // NP: pshufw, 66: pshufd
  binCases(G, { name: 'pshufhw', op: 0x70, w: 16, imm, xmmOnly: true, nReg: 30, nMem: 16, pre: [0xf3] });
  binCases(G, { name: 'pshuflw', op: 0x70, w: 16, imm, xmmOnly: true, nReg: 30, nMem: 16, pre: [0xf2] });

  // Mandatory-prefix oddities, as the host CPU decodes them: a prefix selecting no form is #UD;
  // with F2 and F3 the last one counts; 66 next to F3/F2 is ignored.
  const P = [
    ['f3 paddb mm (no form)', [0xf3, 0x0f, 0xfc, 0xc1]],
    ['f2 paddb mm (no form)', [0xf2, 0x0f, 0xfc, 0xc1]],
    ['f3 pxor mm (no form)', [0xf3, 0x0f, 0xef, 0xd3]],
    ['f2 66 pxor (no form)', [0xf2, 0x66, 0x0f, 0xef, 0xd3]],
    ['f3 66 movdqu', [0xf3, 0x66, 0x0f, 0x6f, 0xca]],
    ['66 f3 movdqu', [0x66, 0xf3, 0x0f, 0x6f, 0xca]],
    ['66 f3 movdqu [misaligned]', [0x66, 0xf3, 0x0f, 0x6f, 0x0d, ...le32(DATA + 0x101)]],
    ['f2 f3 movdqu (last wins)', [0xf2, 0xf3, 0x0f, 0x6f, 0xca]],
    ['f3 f2 0f 6f (last wins: no form)', [0xf3, 0xf2, 0x0f, 0x6f, 0xca]],
    ['f2 0f 6f (no form)', [0xf2, 0x0f, 0x6f, 0xca]],
    ['f2 66 0f 6f (no form)', [0xf2, 0x66, 0x0f, 0x6f, 0xca]],
    ['f3 f2 pshuflw', [0xf3, 0xf2, 0x0f, 0x70, 0xca, 0x1b]],
    ['f2 f3 pshufhw', [0xf2, 0xf3, 0x0f, 0x70, 0xca, 0x1b]],
    ['66 f2 pshuflw', [0x66, 0xf2, 0x0f, 0x70, 0xca, 0x1b]],
    ['f3 66 0f 6e (no form)', [0xf3, 0x66, 0x0f, 0x6e, 0xc1]],
    ['f2 0f 7e (no form)', [0xf2, 0x0f, 0x7e, 0xc1]],
    ['f3 0f 7e movq', [0xf3, 0x0f, 0x7e, 0xc1]],
    ['66 f3 0f 7e movq', [0x66, 0xf3, 0x0f, 0x7e, 0xc1]],
    ['f3 0f d7 (no form)', [0xf3, 0x0f, 0xd7, 0xc1]],
    ['f3 0f 73 /2 (no form)', [0xf3, 0x0f, 0x73, 0xd1, 3]],
    ['f3 0f c4 (no form)', [0xf3, 0x0f, 0xc4, 0xc1, 1]],
    ['f2 0f d4 (no form)', [0xf2, 0x0f, 0xd4, 0xc1]],
    ['f3 0f e7 (no form)', [0xf3, 0x0f, 0xe7, 0x05, ...le32(DATA)]],
    ['f2 0f 7f (no form)', [0xf2, 0x0f, 0x7f, 0xc1]],
    ['0f 6c mm (no form)', [0x0f, 0x6c, 0xc1]],
    ['0f 6d mm (no form)', [0x0f, 0x6d, 0xc1]],
    ['0f d6 (no form)', [0x0f, 0xd6, 0xc1]],
    ['66 0f 77 (no form)', [0x66, 0x0f, 0x77]],
    ['f3 0f 77 (no form)', [0xf3, 0x0f, 0x77]],
    ['f2 0f 77 (no form)', [0xf2, 0x0f, 0x77]],
    ['66 0f c3 (no form)', [0x66, 0x0f, 0xc3, 0x05, ...le32(DATA)]],
    ['f3 0f c3 (no form)', [0xf3, 0x0f, 0xc3, 0x05, ...le32(DATA)]],
    ['0f c3 reg #UD', [0x0f, 0xc3, 0xc1]],
    ['66 66 movdqa', [0x66, 0x66, 0x0f, 0x6f, 0xca]],
    ['lock paddb mm,[mem] #UD', [0xf0, 0x0f, 0xfc, 0x05, ...le32(DATA)]],
    ['lock movdqa [mem],xmm #UD', [0xf0, 0x66, 0x0f, 0x7f, 0x05, ...le32(DATA)]],
    ['addr16 paddw mm,[bx+si]', [0x67, 0x0f, 0xfd, 0x00]],
    ['addr16 movdqu xmm,[bp+di+disp8]', [0x67, 0xf3, 0x0f, 0x6f, 0x43, 0x10]],
    ['fs: (null) movq mm,[mem] #GP', [0x64, 0x0f, 0x6f, 0x05, ...le32(0x10)]],
    ['ss: es: paddd xmm,[mem]', [0x36, 0x26, 0x66, 0x0f, 0xfe, 0x05, ...le32(DATA + 0x20)]],
  ];
  for (const [name, code] of P) {
    for (let k = 0; k < 3; k++) {
      const regs = randomRegs(rng);
      // 16-bit addressing: BX/SI/BP/DI point into the low page
      regs[EBX] = (regs[EBX] & 0xffff0000) | (LOW + 0x100 + R(0x80));
      regs[ESI] = (regs[ESI] & 0xffff0000) | R(0x100);
      regs[EBP] = (regs[EBP] & 0xffff0000) | (LOW + 0x200 + R(0x80));
      regs[EDI] = (regs[EDI] & 0xffff0000) | R(0x100);
      G.add(name, { regs, code, fx: state(rng, rng.pick([8, 16, 32])) });
    }
  }
}

export const FAMILIES = [genSimdIntMove, genSimdIntArith, genSimdIntShift, genSimdIntPack, genSimdIntMisc];
