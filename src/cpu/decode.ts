// Instruction decoder: prefixes, opcode, ModRM/SIB/displacement and immediates, driven by the
// opcode table (opcodes.ts). Each instruction is decoded once into an Insn, cached per code
// page by the CPU, and executed by calling its handler. The table's facts about each form
// (kind, inline, ends, flags, mem: see opcodes.ts) are compiled here for the translators.
import type { CPU } from './cpu.js';
import { CpuFault, generalProtection, undefinedOpcode } from './fault.js';
import { OPCODES, type InlineDef, type Kind, type OpDef } from './opcodes.js';
import { flagMask, STATUS } from './flags.js';

export type Handler = (c: CPU, i: Insn) => void;

// Insn's fields, packed into three integers (x, y, z) beside the address, the handler, the
// table entry, the displacement and the immediate: 88 bytes an instruction. A million decoded
// instructions (gcc's cc1) took 232 bytes each as 26 fields of 8 bytes, 136 as 14 (the
// operand fields every handler reads unpacked). Interpreting a lot of code waits on memory more
// than on the handlers' work: a program of 690,000 distinct instructions, each run ten times,
// took 0.25 s interpreted against 0.30 s with the 136-byte instructions (best of 7, alternating
// runs), while cpubench's loops (a few hundred instructions) stayed at 0.11-0.12 s: a getter's
// shift costs less than a cache line more. The address's fields are read from x at once by
// offsetOf().
// eip, next and imm are kept as int32 (their getters give what was set): a value of 2^31 or more
// in a field makes V8 box that field as a heap number in every instance (Node's V8 has 32-bit
// small integers), which code at 0xf7xxxxxx (shared libraries) did: 48 bytes more each.
const X_O16 = 1 << 0, X_A16 = 1 << 1, X_LOCK = 1 << 2, X_FAULTY = 1 << 3, X_IMMU = 1 << 20;
const X_BASE = 4, X_INDEX = 8, X_SCALE = 12, X_SEG = 14, X_SREG = 17;
const Y_OP = 0, Y_MODRM = 10, Y_REP = 18, Y_PFX = 20, Y_LEN = 22;
const Z_SUB = 0, Z_SIZE = 16, Z_M = 1 << 21, Z_REG = 22, Z_RM = 26;
const bit = (x: number, b: number, v: boolean): number => (v ? x | b : x & ~b);
const put = (x: number, at: number, bits: number, v: number): number => (x & ~(((1 << bits) - 1) << at)) | ((v & ((1 << bits) - 1)) << at);

/** One decoded instruction (its address is fixed: instances live in the per-page cache). */
export class Insn {
  private e = 0;
  fn: Handler = raiseUd;
  def: CompiledOp | null = null;
  disp = 0;
  private v = 0;
  /** the packed fields below (X_*, Y_*, Z_*; base, index, seg and sreg -1 are 0) */
  x = 0;
  private y = 0;
  private z = 4 << Z_SIZE;

  /** address (unsigned) */
  get eip(): number { return this.e >>> 0; }
  set eip(v: number) { this.e = v | 0; }
  /** the next instruction's address (unsigned) */
  get next(): number { return (this.e + ((this.y >> Y_LEN) & 31)) >>> 0; }
  set next(v: number) { this.y = put(this.y, Y_LEN, 5, (v - this.e) >>> 0); }
  /**
   * the second immediate (enter's nesting level, a far pointer's selector): kept in disp, as
   * the forms with two immediates have no memory operand
   */
  get imm2(): number { return this.disp; }
  set imm2(v: number) { this.disp = v; }
  /** Set sub, size, m, reg and rm (the decoder: they are read-only after it). */
  operands(sub: number, size: number, m: boolean, reg: number, rm: number): void {
    this.z = (sub & 0xffff) | ((size & 31) << Z_SIZE) | (m ? Z_M : 0) | ((reg & 15) << Z_REG) | ((rm & 15) << Z_RM);
  }
  /** handler parameter from the table (ALU op, condition code, x87 form …; -1 none) */
  get sub(): number { return (this.z << 16) >> 16; }
  /** operand size in bytes (1, 2, 4) */
  get size(): number { return (this.z >> Z_SIZE) & 31; }
  /** ModRM designates memory */
  get m(): boolean { return (this.z & Z_M) !== 0; }
  /** ModRM reg field (or register coded in the opcode) */
  get reg(): number { return (this.z >> Z_REG) & 15; }
  /** ModRM rm field (register when !m) */
  get rm(): number { return (this.z >> Z_RM) & 15; }
  /** immediate (as set: an int32, or an unsigned address for a jump's target or a far pointer's offset) */
  get imm(): number { return this.x & X_IMMU ? this.v >>> 0 : this.v; }
  set imm(v: number) { this.v = v | 0; this.x = bit(this.x, X_IMMU, v > 0x7fffffff); }
  get len(): number { return (this.y >> Y_LEN) & 31; }
  /** 0x00-0xff one-byte opcode, 0x100-0x1ff 0F xx, 0x200-0x2ff 0F 38 xx, 0x300-0x3ff 0F 3A xx */
  get op(): number { return (this.y >> Y_OP) & 0x3ff; }
  set op(v: number) { this.y = put(this.y, Y_OP, 10, v); }
  get modrm(): number { return (this.y >> Y_MODRM) & 0xff; }
  set modrm(v: number) { this.y = put(this.y, Y_MODRM, 8, v); }
  /** 66 prefix */
  get o16(): boolean { return (this.x & X_O16) !== 0; }
  set o16(v: boolean) { this.x = bit(this.x, X_O16, v); }
  /** 67 prefix */
  get a16(): boolean { return (this.x & X_A16) !== 0; }
  set a16(v: boolean) { this.x = bit(this.x, X_A16, v); }
  get base(): number { return ((this.x >> X_BASE) & 15) - 1; }
  set base(v: number) { this.x = put(this.x, X_BASE, 4, v + 1); }
  get index(): number { return ((this.x >> X_INDEX) & 15) - 1; }
  set index(v: number) { this.x = put(this.x, X_INDEX, 4, v + 1); }
  get scale(): number { return (this.x >> X_SCALE) & 3; }
  set scale(v: number) { this.x = put(this.x, X_SCALE, 2, v); }
  /** segment whose base is added to memory operands (-1: flat, base 0) */
  get seg(): number { return ((this.x >> X_SEG) & 7) - 1; }
  set seg(v: number) { this.x = put(this.x, X_SEG, 3, v + 1); }
  /** explicit segment override prefix (0..5) or -1 */
  get sreg(): number { return ((this.x >> X_SREG) & 7) - 1; }
  set sreg(v: number) { this.x = put(this.x, X_SREG, 3, v + 1); }
  /** 0, 0xF3 (rep/repe) or 0xF2 (repne) */
  get rep(): number { const r = (this.y >> Y_REP) & 3; return r === 0 ? 0 : r === 1 ? 0xf2 : 0xf3; }
  set rep(v: number) { this.y = put(this.y, Y_REP, 2, v === 0xf2 ? 1 : v === 0xf3 ? 2 : 0); }
  get lock(): boolean { return (this.x & X_LOCK) !== 0; }
  set lock(v: boolean) { this.x = bit(this.x, X_LOCK, v); }
  /** the mandatory prefix that selected a SIMD form: 0 none, 1 66, 2 F3, 3 F2 */
  get pfx(): number { return (this.y >> Y_PFX) & 3; }
  set pfx(v: number) { this.y = put(this.y, Y_PFX, 2, v); }
  /**
   * The decoder replaced the form's handler by a fault (a lock prefix it does not take, a
   * write through cs:, more than 15 bytes): `def` still names the form, its facts do not hold.
   */
  get faulty(): boolean { return (this.x & X_FAULTY) !== 0; }
  set faulty(v: boolean) { this.x = bit(this.x, X_FAULTY, v); }
}

/** The offset of i's memory operand (base + index * scale + displacement, 16 bits with a 67 prefix; no segment base). */
export function offsetOf(i: Insn, regs: Int32Array): number {
  const x = i.x, b = (x >> X_BASE) & 15, ix = (x >> X_INDEX) & 15;
  let a = i.disp;
  if (b !== 0) a += regs[b - 1]!;
  if (ix !== 0) a += regs[ix - 1]! << ((x >> X_SCALE) & 3);
  return x & X_A16 ? a & 0xffff : a;
}

export function raiseUd(_c: CPU, i: Insn): void {
  throw undefinedOpcode(i.eip);
}
/** #GP(0): instruction longer than 15 bytes, or a write through cs: */
function raiseGpLength(): void {
  throw generalProtection(0);
}

/** Where a backend emits a form inline (opcodes.ts InlineDef, compiled). */
export interface InlineRule {
  /** operand sizes taken: bits 1, 2, 4 */
  sizes: number;
  /** register forms (no memory operand), memory forms */
  reg: boolean;
  mem: boolean;
  /** the lock-prefixed form too */
  lock: boolean;
  /** 67 and F2/F3 prefixes do not matter */
  anyPrefix: boolean;
  /** the rep (F2/F3) form too, with 32-bit addressing (the template tests what it takes) */
  rep: boolean;
}

/** Table entry prepared for decoding. */
export interface CompiledOp {
  def: OpDef;
  name: string;
  fn: Handler;
  modrm: boolean;
  byte: boolean;
  imms: string[];     // immediate kinds in encoding order
  moffs: boolean;
  regInOp: boolean;
  group: (CompiledOp | null)[] | null;
  mod3: CompiledOp | null;
  f3: CompiledOp | null;
  lock: boolean;
  undef: (i: Insn) => number;
  /** SIMD forms by mandatory prefix (none, 66, F3, F2) */
  pfx: (CompiledOp | null)[] | null;
  /** register file of the ModRM.reg operand and of the rm operand: 0 general, 1 mm, 2 xmm */
  gk: number;
  ek: number;
  /** a SIMD form whose 16-byte memory operand must be 16-byte aligned (#GP otherwise) */
  align: boolean;
  /** SIMD form with a register-only (U, N) or memory-only (M) rm operand: the other is #UD */
  regOnly: boolean;
  memOnly: boolean;

  // ---- facts for the translators (opcodes.ts)
  /** the template that emits it, or null */
  kind: Kind | null;
  /** operand form, one letter per operand: E (rm, AL, eAX), G (reg), Z (register in the opcode), I (immediate) … */
  form: string;
  /** emitted inline by jit.ts (js) and wasm.ts (wasm), or null */
  js: InlineRule | null;
  wasm: InlineRule | null;
  /** ends a block */
  ends: boolean;
  /** status flags needed from before it, and always set by it (EFLAGS bits) */
  flagsRead: number;
  flagsWritten: number;
  /** use of the ModRM/offset memory operand */
  mem: 'r' | 'w' | 'rw' | 'none';
}

/** Whether backend b emits i inline (the table's facts; never for an instruction decoded to a fault). */
export function emitsInline(i: Insn, b: 'js' | 'wasm'): boolean {
  const d = i.def;
  if (d === null || i.faulty) return false;
  const r = d[b];
  if (r === null || (r.sizes & i.size) === 0 || !(i.m ? r.mem : r.reg)) return false;
  if (!r.anyPrefix && (i.a16 || (i.rep !== 0 && !r.rep))) return false;
  return !i.lock || r.lock;
}
/** Whether i ends a block (the table's facts; an instruction decoded to a fault does not). */
export const endsBlock = (i: Insn): boolean => i.def !== null && !i.faulty && i.def.ends;

function inlineRule(r: readonly number[] | InlineDef | undefined): InlineRule | null {
  if (r === undefined) return null;
  const d: InlineDef = Array.isArray(r) ? { sizes: r as readonly number[] } : (r as InlineDef);
  return {
    sizes: (d.sizes ?? [1, 2, 4]).reduce((m, s) => m | s, 0),
    reg: d.only !== 'mem',
    mem: d.only !== 'reg',
    lock: !!d.lock,
    anyPrefix: !!d.anyPrefix,
    rep: !!d.rep,
  };
}

/** Operand letter of a token for `form`: AL and eAX are the rm operand (register 0). */
const formLetter = (t: string): string => (t === 'AL' || t === 'eAX' ? 'E' : t[0]!);

/** Register file an operand token names: 1 mm (P Q N), 2 xmm (V W U), 0 general purpose. */
function regKind(t: string): number {
  const l = t[0];
  return l === 'P' || l === 'Q' || l === 'N' ? 1 : l === 'V' || l === 'W' || l === 'U' ? 2 : 0;
}

/** Operands that take a ModRM byte. */
const hasModrm = (ops: string | undefined): boolean => (ops ?? '').split(',').some((t) => /^\s*[EGMSRCDVWUPQN]/.test(t));

const IMM_KINDS = new Set(['Ib', 'Ibs', 'Iw', 'Iz', 'Jb', 'Jz', 'Ap']);

function compile(d: OpDef | undefined, parent?: CompiledOp): CompiledOp | null {
  if (!d) return null;
  const tokens = (d.ops ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const modrm = parent?.modrm || hasModrm(d.ops) || !!d.group || !!d.mod3 || !!d.pfx?.some((g) => g && hasModrm(g.ops));
  const gTok = tokens.find((t) => /^[GVP]/.test(t)), eTok = tokens.find((t) => /^[EWQUNM]/.test(t));
  const first = tokens[0] ?? '';
  const byte = d.byte ?? ['Eb', 'Gb', 'AL', 'Zb', 'Ob'].includes(first);
  const undef = d.undef;
  const moffs = tokens.some((t) => t === 'Ob' || t === 'Ov');
  // memory operand use, when the entry does not state it
  const mem = d.mem ?? (d.ro ? 'r'
    : d.simd ? (/^[WQEM]/.test(d.ops ?? '') ? 'w' : modrm ? 'r' : 'none')
      : modrm || moffs ? 'rw' : 'none');
  const c: CompiledOp = {
    def: d,
    name: d.name,
    fn: d.fn ?? raiseUd,
    modrm,
    byte,
    imms: tokens.filter((t) => IMM_KINDS.has(t)),
    moffs,
    regInOp: tokens.some((t) => /^Z/.test(t)),
    group: null,
    mod3: null,
    f3: null,
    lock: !!d.lock,
    undef: typeof undef === 'function' ? (i) => flagMask(undef(i)) : ((m) => () => m)(flagMask(undef ?? '')),
    pfx: null,
    gk: gTok ? regKind(gTok) : 0,
    ek: eTok ? regKind(eTok) : 0,
    align: !!d.simd && !d.ua,
    regOnly: !!d.simd && !!eTok && /^[UN]/.test(eTok),
    memOnly: !!d.simd && !!eTok && eTok[0] === 'M',
    kind: d.kind ?? null,
    form: tokens.slice(0, 2).map(formLetter).join(''),
    js: inlineRule(d.inline?.js),
    wasm: inlineRule(d.inline?.wasm),
    ends: !!d.ends,
    flagsRead: d.flags ? flagMask(d.flags.reads ?? '') : STATUS,
    flagsWritten: d.flags ? flagMask(d.flags.writes ?? '') : 0,
    mem,
  };
  if (d.pfx) c.pfx = d.pfx.map((g) => compile(g, c));
  if (d.group) c.group = d.group.map((g) => compile(g, c));
  if (d.mod3) c.mod3 = compile(d.mod3, c);
  if (d.f3) c.f3 = compile(d.f3, c);
  return c;
}

/** The compiled entry of each opcode (0x000-0x3ff), compiled when it is first decoded: a start compiles the few it runs. */
const TABLE: (CompiledOp | null | undefined)[] = new Array<CompiledOp | null | undefined>(0x400).fill(undefined);

/**
 * The segment a prefix byte selects, -1 for other bytes: a typed array, as the
 * decoder looks every opcode byte up here (an object with these six integer keys
 * has dictionary elements: a hash lookup that took a third of decode()'s time).
 */
const PREFIX_SEG = new Int8Array(256).fill(-1);
for (const [b, s] of [[0x26, 0], [0x2e, 1], [0x36, 2], [0x3e, 3], [0x64, 4], [0x65, 5]] as const) PREFIX_SEG[b] = s;

/** Source of instruction bytes: guest memory (exec-checked) or a plain buffer. */
export type Fetch = (addr: number) => number;

/** Decode the instruction at eip. Never throws for bad encodings (the Insn raises when run);
 *  fetch faults (GuestFault) propagate. */
export function decode(fetch: Fetch, eip: number): Insn {
  const i = new Insn();
  i.eip = eip >>> 0;
  let p = i.eip;
  let b = 0;
  let n = 0;
  for (;;) {
    b = fetch(p);
    p = (p + 1) >>> 0;
    if (++n > 15) return finishBad(i, p, raiseGpLength);
    if (b === 0x66) { i.o16 = true; continue; }
    if (b === 0x67) { i.a16 = true; continue; }
    if (b === 0xf0) { i.lock = true; continue; }
    if (b === 0xf2 || b === 0xf3) { i.rep = b; continue; }
    const s = PREFIX_SEG[b]!;
    if (s >= 0) { i.sreg = s; continue; }
    break;
  }
  let op = b;
  if (b === 0x0f) {
    op = 0x100 | fetch(p);
    p = (p + 1) >>> 0;
    // three-byte maps 0F 38 and 0F 3A
    if (op === 0x138 || op === 0x13a) {
      op = (op === 0x138 ? 0x200 : 0x300) | fetch(p);
      p = (p + 1) >>> 0;
    }
  }
  i.op = op;
  i.seg = i.sreg === 4 || i.sreg === 5 ? i.sreg : -1;
  let c = TABLE[op];
  if (c === undefined) c = TABLE[op] = compile(OPCODES[op]);
  if (c && c.f3 && i.rep === 0xf3) c = c.f3;
  if (c && c.pfx && !c.modrm) c = simdForm(i, c.pfx); // forms without ModRM (emms)
  if (!c) return finishBad(i, p, raiseUd);
  // (the operand fields in locals, packed into the instruction once: the setters, one by one,
  // took 4% of bench/bigcode's first run in a CPU profile)
  let reg = 0, rm = 0, mem = false;
  if (c.modrm) {
    const m = fetch(p);
    p = (p + 1) >>> 0;
    i.modrm = m;
    reg = (m >> 3) & 7;
    rm = m & 7;
    if (m < 0xc0) {
      mem = true;
      p = i.a16 ? modrm16(i, fetch, p, m) : modrm32(i, fetch, p, m);
    }
    if (c.group) c = c.group[reg];
    if (c && c.pfx) c = simdForm(i, c.pfx);
    if (c && c.mod3 && !mem) c = c.mod3;
    if (c && c.f3 && i.rep === 0xf3) c = c.f3;
    if (!c || (mem ? c.regOnly : c.memOnly)) {
      i.operands(0, 4, mem, reg, rm);
      return finishBad(i, p, raiseUd);
    }
  }
  if (c.regInOp) reg = op & 7;
  i.def = c;
  i.fn = c.fn;
  const size = c.byte ? 1 : i.o16 ? 2 : 4;
  if (c.moffs) mem = true;
  i.operands(c.def.subOf ? c.def.subOf(op, i.modrm) : c.def.sub ?? 0, size, mem, reg, rm);
  if (c.moffs) {
    i.base = -1;
    i.index = -1;
    if (i.a16) { i.disp = fetch(p) | (fetch(p + 1) << 8); p += 2; }
    else { i.disp = fetch(p) | (fetch(p + 1) << 8) | (fetch(p + 2) << 16) | (fetch(p + 3) << 24); p += 4; }
    p >>>= 0;
  }
  let rel = 0, isRel = false;
  let k = 0;
  for (const kind of c.imms) {
    let v = 0;
    switch (kind) {
      case 'Ib': v = fetch(p); p += 1; break;
      case 'Ibs': v = (fetch(p) << 24) >> 24; p += 1; v = norm(size, v); break;
      case 'Iw': v = fetch(p) | (fetch(p + 1) << 8); p += 2; break;
      case 'Iz':
        if (i.o16) { v = fetch(p) | (fetch(p + 1) << 8); p += 2; }
        else { v = fetch(p) | (fetch(p + 1) << 8) | (fetch(p + 2) << 16) | (fetch(p + 3) << 24); p += 4; }
        v = norm(size, v);
        break;
      case 'Jb': rel = (fetch(p) << 24) >> 24; p += 1; isRel = true; break;
      case 'Jz':
        if (i.o16) { rel = ((fetch(p) | (fetch(p + 1) << 8)) << 16) >> 16; p += 2; }
        else { rel = fetch(p) | (fetch(p + 1) << 8) | (fetch(p + 2) << 16) | (fetch(p + 3) << 24); p += 4; }
        isRel = true;
        break;
      case 'Ap':
        if (i.o16) { v = fetch(p) | (fetch(p + 1) << 8); p += 2; }
        else { v = (fetch(p) | (fetch(p + 1) << 8) | (fetch(p + 2) << 16) | (fetch(p + 3) << 24)) >>> 0; p += 4; }
        i.imm2 = fetch(p) | (fetch(p + 1) << 8);
        p += 2;
        break;
    }
    p >>>= 0;
    if (kind === 'Ap') i.imm = v;
    else if (kind[0] !== 'J') { if (k++ === 0) i.imm = v; else i.imm2 = v; }
  }
  i.next = p >>> 0;
  if (i.len > 15) { i.fn = raiseGpLength; i.faulty = true; return i; }
  if (isRel) i.imm = i.o16 ? (i.next + rel) & 0xffff : (i.next + rel) >>> 0;
  if (i.lock && (!c.lock || !mem)) { i.fn = raiseUd; i.faulty = true; }
  // the code segment is not writable
  else if (i.sreg === 1 && mem && (c.mem === 'w' || c.mem === 'rw')) { i.fn = raiseGpLength; i.faulty = true; }
  return i;
}

/**
 * The form a mandatory prefix selects: F2/F3 (the last one given) before 66. A prefix the
 * instruction has no form for is #UD, in every map (measured on the host: F3 0F FC, F2 0F 6F,
 * F2 66 0F 6F, F3 66 0F 6E, F3 0F 54, F2 0F 28, 66 0F C3, 66 0F 77, F3 66 0F 38 00,
 * F2 66 0F 38 20, F3 0F 38 F0, F3 66 0F 3A 63 raise SIGILL; F2 F3 0F 6F is movdqu).
 */
function simdForm(i: Insn, forms: (CompiledOp | null)[]): CompiledOp | null {
  const k = i.rep === 0xf3 ? 2 : i.rep === 0xf2 ? 3 : i.o16 ? 1 : 0;
  i.pfx = k;
  return forms[k];
}

function finishBad(i: Insn, p: number, fn: Handler): Insn {
  i.fn = fn;
  i.next = p >>> 0;
  return i;
}

function modrm32(i: Insn, fetch: Fetch, p: number, m: number): number {
  const mod = m >> 6;
  let rm = m & 7;
  if (rm === 4) {
    const sib = fetch(p);
    p = (p + 1) >>> 0;
    i.scale = sib >> 6;
    const idx = (sib >> 3) & 7;
    i.index = idx === 4 ? -1 : idx;
    rm = sib & 7;
    if (rm === 5 && mod === 0) {
      i.base = -1;
      i.disp = fetch(p) | (fetch(p + 1) << 8) | (fetch(p + 2) << 16) | (fetch(p + 3) << 24);
      return (p + 4) >>> 0;
    }
    i.base = rm;
  } else if (rm === 5 && mod === 0) {
    i.base = -1;
    i.disp = fetch(p) | (fetch(p + 1) << 8) | (fetch(p + 2) << 16) | (fetch(p + 3) << 24);
    return (p + 4) >>> 0;
  } else {
    i.base = rm;
  }
  if (mod === 1) { i.disp = (fetch(p) << 24) >> 24; return (p + 1) >>> 0; }
  if (mod === 2) { i.disp = fetch(p) | (fetch(p + 1) << 8) | (fetch(p + 2) << 16) | (fetch(p + 3) << 24); return (p + 4) >>> 0; }
  return p;
}

// 16-bit addressing: [bx+si] [bx+di] [bp+si] [bp+di] [si] [di] [bp]/disp16 [bx]
const A16_BASE = [3, 3, 5, 5, 6, 7, 5, 3];
const A16_INDEX = [6, 7, 6, 7, -1, -1, -1, -1];

function modrm16(i: Insn, fetch: Fetch, p: number, m: number): number {
  const mod = m >> 6, rm = m & 7;
  i.scale = 0;
  if (mod === 0 && rm === 6) {
    i.base = -1;
    i.index = -1;
    i.disp = fetch(p) | (fetch(p + 1) << 8);
    return (p + 2) >>> 0;
  }
  i.base = A16_BASE[rm];
  i.index = A16_INDEX[rm];
  if (mod === 1) { i.disp = (fetch(p) << 24) >> 24; return (p + 1) >>> 0; }
  if (mod === 2) { i.disp = ((fetch(p) | (fetch(p + 1) << 8)) << 16) >> 16; return (p + 2) >>> 0; }
  return p;
}

/** Value v truncated to an operand size (32-bit values kept as signed int32). */
export function norm(size: number, v: number): number {
  return size === 4 ? v | 0 : size === 2 ? v & 0xffff : v & 0xff;
}

/** Mask of EFLAGS bits the real CPU leaves undefined for the instruction at bytes[0]. */
export function undefinedFlags(bytes: Uint8Array): number {
  const i = decode((a) => {
    const o = (a - 0x1000) >>> 0;
    if (o >= bytes.length) throw new RangeError('instruction runs past the given bytes');
    return bytes[o];
  }, 0x1000);
  return i.def ? i.def.undef(i) : 0;
}

export { CpuFault };
