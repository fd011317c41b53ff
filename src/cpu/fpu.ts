// x87 FPU: register stack, control/status/tag words, and the D8..DF opcode dispatch.
// Arithmetic is done by float80.ts (exact 80-bit software arithmetic), transcendentals by fpu-trans.ts.
import {
  F80, ctx, IE, DE, ZE, OE, UE, PE, SF, C_ZERO, C_NORM, C_INF, C_QNAN, C_SNAN, C_UNSUP,
  INDEFINITE, ZERO, ONE, cls, add, mul, div, sqrt, compare, fromF32, fromF64, fromInt32, fromInt64, loadQuiet,
  toF32, toF64, toInt, toIntSmall, rndint, fromBCD, toBCD, fromBytes80, toBytes80, prem, scale, xtract, neg, abs,
  setMemDenormal, memDenormal, PremResult,
} from './float80.js';
import { X87_CW, X87_EMPTY, X87_SW, X87_TOP, X87_WORDS } from './wasm-layout.js';
import { f2xm1, fyl2x, fyl2xp1, fsin, fcos, fsincos, fptan, fpatan, CONSTS } from './fpu-trans.js';

export interface FpuHost {
  mem: {
    read8(a: number): number; read16(a: number): number; read32(a: number): number;
    write8(a: number, v: number): void; write16(a: number, v: number): void; write32(a: number, v: number): void;
  };
  regs: Int32Array;
  getEflags(): number;
  setFpuFlags(zf: boolean, pf: boolean, cf: boolean): void;
}

// Linux SIGFPE si_code values.
export const FPE_INTDIV = 1, FPE_FLTDIV = 3, FPE_FLTOVF = 4, FPE_FLTUND = 5, FPE_FLTRES = 6, FPE_FLTINV = 7;
/** exec() result for an undefined encoding (the CPU raises #UD / SIGILL). */
export const FPU_UD = -1;

// Status word bits.
const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, ES = 0x80, BUSY = 0x8000;
const CC = C0 | C1 | C2 | C3;

/** fnstenv field layouts: [name, byte offset, size] for the 32-bit and 16-bit protected-mode forms. */
const ENV32: ReadonlyArray<readonly [string, number, number]> = [
  ['cw', 0, 2], ['sw', 4, 2], ['tw', 8, 2], ['fip', 12, 4], ['fcs', 16, 2], ['fop', 18, 2], ['fdp', 20, 4], ['fds', 24, 2],
];
const ENV16: ReadonlyArray<readonly [string, number, number]> = [
  ['cw', 0, 2], ['sw', 2, 2], ['tw', 4, 2], ['fip', 6, 2], ['fcs', 8, 2], ['fdp', 10, 2], ['fds', 12, 2],
];
// Reserved halves of the 32-bit environment image read back as ones.
const ENV32_FILL: ReadonlyArray<number> = [2, 6, 10, 26];
export const SAVE_SIZE = 108;

type MemH = (f: FPU, h: FpuHost, a: number, o16: boolean) => void;
type RegH = (f: FPU, h: FpuHost, i: number) => void;

export class FPU {
  /**
   * The state translated code reads and writes as well (wasm-layout.ts S_X87: the CPU binds it
   * into its slot): physical register p in words 4p..4p+2 (significand low and high halves,
   * sign << 15 | exponent), then the control word, the status word without TOP, TOP and the
   * empty registers (a bit each), then a scratch register translated code uses (wasm-x87.ts).
   */
  private a: Int32Array;
  /** the F80 last read or written for each physical register (reg() returns it while the words still hold it) */
  private seen: F80[] = new Array(8).fill(ZERO);
  get cw(): number { return this.a[X87_CW]!; }
  set cw(v: number) { this.a[X87_CW] = v; }
  /** the status word without TOP */
  get sw(): number { return this.a[X87_SW]!; }
  set sw(v: number) { this.a[X87_SW] = v; }
  get top(): number { return this.a[X87_TOP]!; }
  set top(v: number) { this.a[X87_TOP] = v; }
  /** bit per physical register */
  get empty(): number { return this.a[X87_EMPTY]!; }
  set empty(v: number) { this.a[X87_EMPTY] = v; }
  /** Instruction pointer of the last x87 instruction: the CPU may set it before exec() (it is only
   * stored in fnstenv/fnsave images). FOP/FDP follow the last instruction with an unmasked exception. */
  fip = 0; fcs = 0; fop = 0; fdp = 0; fds = 0;

  constructor(area?: Int32Array) {
    this.a = area ?? new Int32Array(X87_WORDS);
    this.a.fill(0);
    this.cw = 0x037f;
    this.empty = 0xff;
  }
  /** Keep the state in area from now on (the CPU's slot), as it is now. */
  bind(area: Int32Array): void {
    area.set(this.a);
    this.a = area;
  }

  reset(): void {
    this.cw = 0x037f; this.sw = 0; this.top = 0; this.empty = 0xff;
    this.fip = this.fcs = this.fop = this.fdp = this.fds = 0;
  }

  clone(): FPU {
    const f = new FPU();
    f.a.set(this.a);
    f.fip = this.fip; f.fcs = this.fcs; f.fop = this.fop; f.fdp = this.fdp; f.fds = this.fds;
    return f;
  }

  /** Physical register p. */
  reg(p: number): F80 {
    const a = this.a, o = p << 2, lo = a[o]!, hi = a[o + 1]!, se = a[o + 2]!, v = this.seen[p]!;
    if (v.l === lo && v.h === hi && ((v.s << 15) | v.e) === se) return v;
    return (this.seen[p] = new F80(se >>> 15, se & 0x7fff, hi, lo));
  }
  /** Physical register p := v (its tag unchanged). */
  setReg(p: number, v: F80): void {
    const a = this.a, o = p << 2;
    a[o] = v.l; a[o + 1] = v.h; a[o + 2] = (v.s << 15) | v.e;
    this.seen[p] = v;
  }

  // ------------------------------------------------------------ stack helpers
  phys(i: number): number { return (this.top + i) & 7; }
  isEmpty(i: number): boolean { return ((this.empty >> ((this.top + i) & 7)) & 1) !== 0; }
  get(i: number): F80 { return this.reg((this.top + i) & 7); }
  set(i: number, v: F80): void { const p = (this.top + i) & 7; this.setReg(p, v); this.empty &= ~(1 << p); }
  pop(): void { this.empty |= 1 << this.top; this.top = (this.top + 1) & 7; }
  push(v: F80): void { const p = (this.top - 1) & 7; this.top = p; this.setReg(p, v); this.empty &= ~(1 << p); }
  statusWord(): number { return (this.sw & ~0x3800) | (this.top << 11); }

  /** Full tag word computed from register contents. */
  tagWord(): number {
    let tw = 0;
    for (let p = 0; p < 8; p++) {
      let t: number;
      if ((this.empty >> p) & 1) t = 3;
      else {
        const c = cls(this.reg(p));
        t = c === C_ZERO ? 1 : c === C_NORM ? 0 : 2;
      }
      tw |= t << (2 * p);
    }
    return tw;
  }

  // ------------------------------------------------------------ exception plumbing
  /** Begin an arithmetic operation: load rounding context from CW. */
  begin(): void {
    const cw = this.cw;
    ctx.masks = cw & 0x3f;
    ctx.rc = (cw >> 10) & 3;
    const pc = (cw >> 8) & 3;
    ctx.prec = pc === 0 ? 24 : pc === 2 ? 53 : 64;
    ctx.flags = 0;
    ctx.c1 = 0;
    setMemDenormal(false);
  }
  /** Merge the operation's exception flags; C1 from rounding when setC1. */
  end(setC1: boolean): void {
    let sw = this.sw | ctx.flags;
    if (setC1) sw = ctx.c1 ? sw | C1 : sw & ~C1;
    if (ctx.flags & ~this.cw & 0x3f) sw |= ES | BUSY;
    this.sw = sw;
  }
  /** Stack overflow/underflow: IE|SF, C1 = 1 for overflow. True if unmasked (no result). */
  stackFault(overflow: boolean): boolean {
    this.sw = (this.sw & ~C1) | IE | SF | (overflow ? C1 : 0);
    if (!(this.cw & IE)) { this.sw |= ES | BUSY; return true; }
    return false;
  }
  setCC(c3: number, c2: number, c1: number, c0: number): void {
    this.sw = (this.sw & ~CC) | (c3 ? C3 : 0) | (c2 ? C2 : 0) | (c1 ? C1 : 0) | (c0 ? C0 : 0);
  }
  pendingCode(): number {
    const err = this.sw & ~this.cw & 0x3f;
    if (err & IE) return FPE_FLTINV;
    if (err & ZE) return FPE_FLTDIV;
    if (err & OE) return FPE_FLTOVF;
    if (err & (DE | UE)) return FPE_FLTUND;
    if (err & PE) return FPE_FLTRES;
    return 0;
  }

  /** Push with overflow check. */
  pushChecked(v: F80): void {
    if (!this.isEmpty(7)) {
      if (this.stackFault(true)) return;
      v = INDEFINITE;
    } else this.sw &= ~C1;
    this.push(v);
  }

  // ------------------------------------------------------------ entry points
  exec(host: FpuHost, op: number, modrm: number, addr: number, opsize16: boolean): number {
    const x = x87Form(op, modrm);
    return x < 0 ? FPU_UD : this.run(host, x, modrm, addr, opsize16);
  }

  /** Run the instruction of form x (x87Form, not -1): exec() without the decoding. */
  run(host: FpuHost, x: number, modrm: number, addr: number, opsize16: boolean): number {
    const k = KIND[x];
    if (!(k & NOWAIT) && (this.sw & ES)) return this.pendingCode();
    // Register forms take the register number where memory forms take the address.
    FORMS[x]!(this, host, x < 64 ? addr : modrm & 7, opsize16);
    // Opcode and data pointer are only recorded when the instruction raises an unmasked exception.
    if (!(k & CONTROL) && (this.sw & ES)) {
      this.fop = ((x < 64 ? x >> 3 : (x - 64) >> 6) << 8) | modrm;
      this.fdp = x < 64 ? addr >>> 0 : 0; this.fds = 0;
    }
    return 0;
  }

  fwait(_host: FpuHost): number {
    return (this.sw & ES) ? this.pendingCode() : 0;
  }

  save(): Uint8Array {
    const b = new Uint8Array(SAVE_SIZE);
    this.storeEnv(b, 0, false);
    for (let i = 0; i < 8; i++) toBytes80(this.get(i), b, 28 + i * 10);
    return b;
  }

  restore(img: Uint8Array): void {
    if (img.length < SAVE_SIZE) throw new RangeError(`FPU.restore: ${img.length}-byte image, ${SAVE_SIZE} bytes expected`);
    this.loadEnv(img, 0, false);
    for (let i = 0; i < 8; i++) this.setReg((this.top + i) & 7, fromBytes80(img, 28 + i * 10));
  }

  // ------------------------------------------------------------ environment images
  envFields(): Record<string, number> {
    // FCS/FDS read back as zero on current processors.
    return { cw: this.cw, sw: this.statusWord(), tw: this.tagWord(), fip: this.fip, fcs: 0, fop: this.fop, fdp: this.fdp, fds: 0 };
  }
  storeEnv(b: Uint8Array, off: number, o16: boolean): number {
    const v = this.envFields();
    const layout = o16 ? ENV16 : ENV32;
    if (!o16) for (const f of ENV32_FILL) { b[off + f] = 0xff; b[off + f + 1] = 0xff; }
    for (const [name, o, size] of layout) {
      const x = v[name];
      for (let k = 0; k < size; k++) b[off + o + k] = (x >>> (8 * k)) & 0xff;
    }
    return o16 ? 14 : 28;
  }
  loadEnv(b: Uint8Array, off: number, o16: boolean): number {
    const layout = o16 ? ENV16 : ENV32;
    const v: Record<string, number> = {};
    for (const [name, o, size] of layout) {
      let x = 0;
      for (let k = 0; k < size; k++) x |= b[off + o + k] << (8 * k);
      v[name] = x >>> 0;
    }
    this.cw = v.cw & 0x1f7f | 0x40;
    this.top = (v.sw >> 11) & 7;
    this.sw = v.sw & ~0x3800;
    let e = 0;
    for (let p = 0; p < 8; p++) if (((v.tw >> (2 * p)) & 3) === 3) e |= 1 << p;
    this.empty = e;
    this.fip = v.fip; this.fcs = v.fcs; this.fop = (v.fop ?? 0) & 0x7ff; this.fdp = v.fdp; this.fds = v.fds;
    this.fixES();
    return o16 ? 14 : 28;
  }
  fixES(): void {
    if (this.sw & ~this.cw & 0x3f) this.sw |= ES | BUSY; else this.sw &= ~(ES | BUSY);
  }
}

// ============================================================ memory helpers
function rdBytes(h: FpuHost, a: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = h.mem.read8(a + i);
  return b;
}
function wrBytes(h: FpuHost, a: number, b: Uint8Array, n = b.length): void {
  for (let i = 0; i < n; i++) h.mem.write8(a + i, b[i]);
}

type MemLoad = (h: FpuHost, a: number) => F80;
/** m80 load: whole-word reads when the operand lies in one page (a fault then has the same address). */
function loadM80(h: FpuHost, a: number): F80 {
  if ((a & 0xfff) > 0xff6) return fromBytes80(rdBytes(h, a, 10), 0);
  const lo = h.mem.read32(a) >>> 0, hi = h.mem.read32(a + 4) >>> 0, se = h.mem.read16(a + 8);
  return new F80(se >> 15, se & 0x7fff, hi, lo);
}

const LOAD_M32: MemLoad = (h, a) => fromF32(h.mem.read32(a) >>> 0);
const LOAD_M64: MemLoad = (h, a) => fromF64(h.mem.read32(a) >>> 0, h.mem.read32(a + 4) >>> 0);
const LOAD_I16: MemLoad = (h, a) => fromInt32((h.mem.read16(a) << 16) >> 16);
const LOAD_I32: MemLoad = (h, a) => fromInt32(h.mem.read32(a) | 0);
const LOAD_I64: MemLoad = (h, a) => fromInt64(h.mem.read32(a), h.mem.read32(a + 4));

// ============================================================ arithmetic family
const enum Ar { ADD, MUL, COM, COMP, SUB, SUBR, DIV, DIVR }

/** dst = dst OP src with reversed operands for the R forms; pop afterwards when pop. */
function arith(f: FPU, kind: number, dst: number, x: F80, y: F80, pop: boolean): void {
  // x is the left operand of the non-reversed form (dst), y the right.
  let r: F80 | null;
  switch (kind) {
    case Ar.ADD: r = add(x, y, false); break;
    case Ar.MUL: r = mul(x, y); break;
    case Ar.SUB: r = add(x, y, true); break;
    case Ar.SUBR: r = add(y, x, true); break;
    case Ar.DIV: r = div(x, y); break;
    default: r = div(y, x); break;
  }
  f.end(true);
  if (r) f.set(dst, r);
  if (pop && r) f.pop();
  else if (pop && !(ctx.flags & ~f.cw & 0x3f)) f.pop();
}

function compareSet(f: FPU, x: F80, y: F80, unordered: boolean, pops: number): void {
  const c = compare(x, y, !unordered);
  f.end(false);
  // Condition codes are set even when an unmasked exception keeps the stack from popping.
  if (c === 2) f.setCC(1, 1, 0, 1);
  else f.setCC(c === 0 ? 1 : 0, 0, 0, c < 0 ? 1 : 0);
  if (!(ctx.flags & ~f.cw & 0x3f)) for (let i = 0; i < pops; i++) f.pop();
}

function comiSet(f: FPU, h: FpuHost, i: number, unordered: boolean, pop: boolean): void {
  f.begin();
  if (f.isEmpty(0) || f.isEmpty(i)) {
    const unmasked = f.stackFault(false);
    h.setFpuFlags(true, true, true);
    if (pop && !unmasked) f.pop();
    return;
  }
  const c = compare(f.get(0), f.get(i), !unordered);
  f.end(false);
  if (c === 2) h.setFpuFlags(true, true, true);
  else h.setFpuFlags(c === 0, false, c < 0);
  if (pop && !(ctx.flags & ~f.cw & 0x3f)) f.pop();
}

/** Memory-operand arithmetic D8/DA/DC/DE. */
function memArith(load: MemLoad, kind: number): MemH {
  return (f, h, a) => {
    const v = load(h, a);
    const den = memDenormal;
    f.begin();
    setMemDenormal(den);
    if (f.isEmpty(0)) {
      const unmasked = f.stackFault(false);
      if (kind === Ar.COM || kind === Ar.COMP) { f.setCC(1, 1, 0, 1); if (kind === Ar.COMP && !unmasked) f.pop(); }
      else if (!unmasked) f.set(0, INDEFINITE);
      return;
    }
    if (kind === Ar.COM || kind === Ar.COMP) { compareSet(f, f.get(0), v, false, kind === Ar.COMP ? 1 : 0); return; }
    arith(f, kind, 0, f.get(0), v, false);
  };
}
const M32 = LOAD_M32, M64 = LOAD_M64, I16 = LOAD_I16, I32 = LOAD_I32, I64 = LOAD_I64;

/** Register arithmetic: dst index and operand order per the opcode's form. */
function regArith(kind: number, toSti: boolean, pop: boolean): RegH {
  return (f, _h, i) => {
    f.begin();
    const dst = toSti ? i : 0;
    if (f.isEmpty(0) || f.isEmpty(i)) {
      if (f.stackFault(false)) return;
      f.set(dst, INDEFINITE);
      if (pop) f.pop();
      return;
    }
    // Forms writing ST(i): DC/DE encode SUB/SUBR and DIV/DIVR with the opposite sense.
    const x = f.get(dst), y = f.get(toSti ? 0 : i);
    arith(f, kind, dst, x, y, pop);
  };
}

function regCompare(unordered: boolean, pops: number): RegH {
  return (f, _h, i) => {
    f.begin();
    if (f.isEmpty(0) || f.isEmpty(i)) {
      // Unordered is reported even when an unmasked IE keeps the stack from popping.
      const unmasked = f.stackFault(false);
      f.setCC(1, 1, 0, 1);
      if (!unmasked) for (let k = 0; k < pops; k++) f.pop();
      return;
    }
    compareSet(f, f.get(0), f.get(i), unordered, pops);
  };
}

// ============================================================ loads and stores
function fldMem(load: MemLoad, convert: boolean): MemH {
  return (f, h, a) => {
    let v = load(h, a);
    const den = memDenormal;
    f.begin();
    setMemDenormal(den);
    if (!f.isEmpty(7)) { if (f.stackFault(true)) return; f.push(INDEFINITE); return; }
    f.sw &= ~C1;
    if (convert) {
      const q = loadQuiet(v);
      f.end(false);
      if (!q) return;
      v = q;
    }
    f.push(v);
  };
}

function fstGeneric(f: FPU, pop: boolean, store: (v: F80) => boolean, storeIndef: () => void): void {
  f.begin();
  if (f.isEmpty(0)) {
    if (f.stackFault(false)) return;
    storeIndef();
    if (pop) f.pop();
    return;
  }
  const ok = store(f.get(0));
  f.end(true);
  if (ok && pop) f.pop();
}

function fstM32(pop: boolean): MemH {
  return (f, h, a) => fstGeneric(f, pop, (v) => {
    const r = toF32(v); if (r === null) return false; h.mem.write32(a, r | 0); return true;
  }, () => h.mem.write32(a, 0xffc00000 | 0));
}
function fstM64(pop: boolean): MemH {
  return (f, h, a) => fstGeneric(f, pop, (v) => {
    const r = toF64(v); if (r === null) return false; h.mem.write32(a, r[0] | 0); h.mem.write32(a + 4, r[1] | 0); return true;
  }, () => { h.mem.write32(a, 0); h.mem.write32(a + 4, 0xfff80000 | 0); });
}
function fstM80(f: FPU, h: FpuHost, a: number): void {
  fstGeneric(f, true, (v) => { const b = new Uint8Array(10); toBytes80(v, b, 0); wrBytes(h, a, b); return true; },
    () => { const b = new Uint8Array(10); toBytes80(INDEFINITE, b, 0); wrBytes(h, a, b); });
}
function fistM(bits: number, pop: boolean, trunc: boolean): MemH {
  const write = (h: FpuHost, a: number, v: bigint) => {
    if (bits === 16) h.mem.write16(a, Number(BigInt.asUintN(16, v)));
    else if (bits === 32) h.mem.write32(a, Number(BigInt.asIntN(32, v)));
    else { const u = BigInt.asUintN(64, v); h.mem.write32(a, Number(u & 0xffffffffn) | 0); h.mem.write32(a + 4, Number(u >> 32n) | 0); }
  };
  return (f, h, a) => {
    fstGeneric(f, pop, (v) => {
      if (trunc) ctx.rc = 3; // fisttp always truncates
      if (bits !== 64) {
        const n = toIntSmall(v, bits);
        if (n !== undefined) { if (bits === 16) h.mem.write16(a, n & 0xffff); else h.mem.write32(a, n); return true; }
      }
      const r = toInt(v, bits); if (r === null) return false; write(h, a, r); return true;
    }, () => write(h, a, -(1n << BigInt(bits - 1))));
  };
}
function fbstp(f: FPU, h: FpuHost, a: number): void {
  const indef = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff]);
  fstGeneric(f, true, (v) => { const r = toBCD(v); if (!r) return false; wrBytes(h, a, r); return true; },
    () => wrBytes(h, a, indef));
}
function fbld(f: FPU, h: FpuHost, a: number): void {
  const v = fromBCD(rdBytes(h, a, 10));
  f.begin();
  if (!f.isEmpty(7)) { if (f.stackFault(true)) return; f.push(INDEFINITE); return; }
  f.sw &= ~C1;
  f.push(v);
}

// ============================================================ control
function fldcw(f: FPU, h: FpuHost, a: number): void { f.cw = (h.mem.read16(a) & 0x1f7f) | 0x40; f.fixES(); }
function fnstcw(f: FPU, h: FpuHost, a: number): void { h.mem.write16(a, f.cw); }
function fnstswM(f: FPU, h: FpuHost, a: number): void { h.mem.write16(a, f.statusWord()); }
function fnstenv(f: FPU, h: FpuHost, a: number, o16: boolean): void {
  const b = new Uint8Array(28);
  const n = f.storeEnv(b, 0, o16);
  wrBytes(h, a, b, n);
  f.cw |= 0x3f;
  f.fixES();
}
function fldenv(f: FPU, h: FpuHost, a: number, o16: boolean): void {
  f.loadEnv(rdBytes(h, a, o16 ? 14 : 28), 0, o16);
}
function fnsave(f: FPU, h: FpuHost, a: number, o16: boolean): void {
  const b = new Uint8Array(SAVE_SIZE);
  const n = f.storeEnv(b, 0, o16);
  for (let i = 0; i < 8; i++) toBytes80(f.get(i), b, n + i * 10);
  wrBytes(h, a, b, n + 80);
  f.reset();
}
function frstor(f: FPU, h: FpuHost, a: number, o16: boolean): void {
  const n = o16 ? 14 : 28;
  const b = rdBytes(h, a, n + 80);
  f.loadEnv(b, 0, o16);
  for (let i = 0; i < 8; i++) f.setReg((f.top + i) & 7, fromBytes80(b, n + i * 10));
}

// ============================================================ register ops
// Register moves and constants round nothing: they leave ctx (begin) alone.
function fldSti(f: FPU, _h: FpuHost, i: number): void {
  if (f.isEmpty(i)) {
    if (f.stackFault(false)) return;
    f.pushChecked(INDEFINITE);
    return;
  }
  f.pushChecked(f.get(i));
}
function fxch(f: FPU, _h: FpuHost, i: number): void {
  if (f.isEmpty(0) || f.isEmpty(i)) {
    if (f.stackFault(false)) return;
    const a = f.isEmpty(0) ? INDEFINITE : f.get(0);
    const b = f.isEmpty(i) ? INDEFINITE : f.get(i);
    f.set(0, b); f.set(i, a);
    return;
  }
  const t = f.get(0); f.set(0, f.get(i)); f.set(i, t);
  f.sw &= ~C1;
}
function fstSti(pop: boolean): RegH {
  return (f, _h, i) => {
    if (f.isEmpty(0)) {
      if (f.stackFault(false)) return;
      f.set(i, INDEFINITE);
      if (pop) f.pop();
      return;
    }
    f.sw &= ~C1;
    f.set(i, f.get(0));
    if (pop) f.pop();
  };
}
function ffree(pop: boolean): RegH {
  return (f, _h, i) => { f.empty |= 1 << f.phys(i); f.sw &= ~C1; if (pop) f.pop(); };
}
function fcmov(cond: (fl: number) => boolean): RegH {
  return (f, h, i) => {
    f.begin();
    if (f.isEmpty(0) || f.isEmpty(i)) {
      if (f.stackFault(false)) return;
      f.set(0, INDEFINITE);
      return;
    }
    if (cond(h.getEflags())) f.set(0, f.get(i));
  };
}
const CF = 1, PF = 4, ZF = 0x40;

/** Unary op on ST(0) producing a new ST(0) (fchs, fabs, fsqrt, frndint). */
function unary(fn: (x: F80) => F80 | null, setC1: boolean): RegH {
  return (f) => {
    f.begin();
    if (f.isEmpty(0)) { if (f.stackFault(false)) return; f.set(0, INDEFINITE); return; }
    const r = fn(f.get(0));
    f.end(setC1);
    if (!setC1) f.sw &= ~C1;
    if (r) f.set(0, r);
  };
}

function ftst(f: FPU): void {
  f.begin();
  if (f.isEmpty(0)) { f.stackFault(false); f.setCC(1, 1, 0, 1); return; }
  compareSet(f, f.get(0), ZERO, false, 0);
}

function fxam(f: FPU): void {
  const x = f.get(0);
  const sign = x.s;
  if (f.isEmpty(0)) { f.setCC(1, 0, sign, 1); return; }
  switch (cls(x)) {
    case C_UNSUP: f.setCC(0, 0, sign, 0); break;
    case C_QNAN: case C_SNAN: f.setCC(0, 0, sign, 1); break;
    case C_NORM: f.setCC(0, 1, sign, 0); break;
    case C_INF: f.setCC(0, 1, sign, 1); break;
    case C_ZERO: f.setCC(1, 0, sign, 0); break;
    default: f.setCC(1, 1, sign, 0); break;
  }
}

function fldConst(v: F80): RegH {
  return (f) => { f.pushChecked(v); };
}
function fldConstRc(idx: number): RegH {
  return (f) => { f.pushChecked(CONSTS(idx, (f.cw >> 10) & 3)); };
}

function fpremOp(nearest: boolean): RegH {
  return (f) => {
    f.begin();
    if (f.isEmpty(0) || f.isEmpty(1)) { f.sw &= ~C2; if (f.stackFault(false)) return; f.set(0, INDEFINITE); return; }
    const r = prem(f.get(0), f.get(1), nearest);
    f.end(false);
    if (!r) { f.sw &= ~(C1 | C2); return; }
    if ('r' in r) {
      const p = r as PremResult;
      f.set(0, p.r);
      if (p.partial) f.sw = (f.sw & ~CC) | C2 ;
      else f.setCC(p.q & 2, 0, p.q & 1, p.q & 4);
    } else {
      f.set(0, r as F80);
      f.sw &= ~(C1 | C2);
    }
  };
}

function fscaleOp(f: FPU): void {
  f.begin();
  if (f.isEmpty(0) || f.isEmpty(1)) { if (f.stackFault(false)) return; f.set(0, INDEFINITE); return; }
  const r = scale(f.get(0), f.get(1));
  f.end(true);
  if (r) f.set(0, r);
}

function fxtractOp(f: FPU): void {
  f.begin();
  if (f.isEmpty(0)) {
    if (f.stackFault(false)) return;
    f.set(0, INDEFINITE);
    f.pushChecked(INDEFINITE);
    return;
  }
  if (!f.isEmpty(7)) { if (f.stackFault(true)) return; f.set(0, INDEFINITE); f.push(INDEFINITE); return; }
  const r = xtract(f.get(0));
  f.end(false);
  f.sw &= ~C1;
  if (!r) return;
  f.set(0, r[0]);
  f.push(r[1]);
}

/** Binary transcendental: ST(1) = fn(ST(0), ST(1)), pop. */
function binTrans(fn: (x: F80, y: F80) => F80 | null): RegH {
  return (f) => {
    f.begin();
    if (f.isEmpty(0) || f.isEmpty(1)) { if (f.stackFault(false)) return; f.set(1, INDEFINITE); f.pop(); return; }
    const r = fn(f.get(0), f.get(1));
    f.end(true);
    if (!r) return;
    f.set(1, r);
    f.pop();
  };
}

/** fsin/fcos/f2xm1: ST(0) = fn(ST(0)); C2 = 1 and no change when out of range (null, c2). */
function unTrans(fn: (x: F80) => F80 | null | 'range', trig: boolean): RegH {
  const c2 = trig ? C2 : 0; // only the trigonometric forms report C2 (argument out of range)
  return (f) => {
    f.begin();
    if (f.isEmpty(0)) { f.sw &= ~c2; if (f.stackFault(false)) return; f.set(0, INDEFINITE); return; }
    const r = fn(f.get(0));
    if (r === 'range') { f.sw = (f.sw & ~C1) | C2; return; }
    f.end(true);
    f.sw &= ~c2;
    if (r) f.set(0, r);
  };
}

/** fptan / fsincos: ST(0) = a, push b. */
function pairTrans(fn: (x: F80) => [F80, F80] | null | 'range'): RegH {
  return (f) => {
    f.begin();
    if (f.isEmpty(0)) {
      f.sw &= ~C2;
      if (f.stackFault(false)) return;
      f.set(0, INDEFINITE); f.pushChecked(INDEFINITE); return;
    }
    if (!f.isEmpty(7)) { f.sw &= ~C2; if (f.stackFault(true)) return; f.set(0, INDEFINITE); f.push(INDEFINITE); return; }
    const r = fn(f.get(0));
    if (r === 'range') { f.sw = (f.sw & ~C1) | C2; return; }
    f.end(true);
    f.sw &= ~C2;
    if (!r) return;
    f.set(0, r[0]);
    f.push(r[1]);
  };
}

// ============================================================ opcode tables
const NOWAIT = 1, CONTROL = 2;
/** By form (x87Form): the handler, and NOWAIT/CONTROL bits. */
const FORMS: (MemH | undefined)[] = new Array(64 + 512);
const KIND = new Uint8Array(64 + 512);

/**
 * The form of an x87 instruction, found once when it is decoded: 0..63 the memory forms
 * ((op & 7) * 8 + reg), 64 + (op & 7) * 64 + (modrm & 0x3f) the register forms; -1 undefined.
 */
export function x87Form(op: number, modrm: number): number {
  const x = modrm < 0xc0 ? (op & 7) * 8 + ((modrm >> 3) & 7) : 64 + (op & 7) * 64 + (modrm & 0x3f);
  return FORMS[x] ? x : -1;
}

const ARITH_KINDS = [Ar.ADD, Ar.MUL, Ar.COM, Ar.COMP, Ar.SUB, Ar.SUBR, Ar.DIV, Ar.DIVR];
// ST(i) destination forms (DC/DE) swap SUB<->SUBR and DIV<->DIVR relative to the reg field.
const STI_KINDS = [Ar.ADD, Ar.MUL, Ar.COM, Ar.COMP, Ar.SUBR, Ar.SUB, Ar.DIVR, Ar.DIV];

// Memory forms: [opcode, reg, handler, control?, nowait?]
const MEM_OPS: Array<[number, number, MemH, number?, number?]> = [];
ARITH_KINDS.forEach((k, r) => {
  MEM_OPS.push([0xd8, r, memArith(M32, k)], [0xdc, r, memArith(M64, k)],
    [0xda, r, memArith(I32, k)], [0xde, r, memArith(I16, k)]);
});
MEM_OPS.push(
  [0xd9, 0, fldMem(M32, true)], [0xd9, 2, fstM32(false)], [0xd9, 3, fstM32(true)],
  [0xd9, 4, fldenv, 1], [0xd9, 5, fldcw, 1], [0xd9, 6, fnstenv, 1, 1], [0xd9, 7, fnstcw, 1, 1],
  [0xdb, 0, fldMem(I32, false)], [0xdb, 1, fistM(32, true, true)], [0xdb, 2, fistM(32, false, false)],
  [0xdb, 3, fistM(32, true, false)], [0xdb, 5, fldMem(loadM80, false)],
  [0xdb, 7, fstM80],
  [0xdd, 0, fldMem(M64, true)], [0xdd, 1, fistM(64, true, true)], [0xdd, 2, fstM64(false)], [0xdd, 3, fstM64(true)],
  [0xdd, 4, frstor, 1], [0xdd, 6, fnsave, 1, 1], [0xdd, 7, fnstswM, 1, 1],
  [0xdf, 0, fldMem(I16, false)], [0xdf, 1, fistM(16, true, true)], [0xdf, 2, fistM(16, false, false)],
  [0xdf, 3, fistM(16, true, false)], [0xdf, 4, fbld], [0xdf, 5, fldMem(I64, false)], [0xdf, 6, fbstp],
  [0xdf, 7, fistM(64, true, false)],
);
for (const [op, r, h, control, nowait] of MEM_OPS) {
  const idx = (op & 7) * 8 + r;
  FORMS[idx] = h;
  KIND[idx] = (control ? CONTROL : 0) | (nowait ? NOWAIT : 0);
}

const cond = {
  b: (e: number) => (e & CF) !== 0, e: (e: number) => (e & ZF) !== 0,
  be: (e: number) => (e & (CF | ZF)) !== 0, u: (e: number) => (e & PF) !== 0,
};
// Register forms: [opcode, first modrm, count, handler, control?, nowait?]
const REG_OPS: Array<[number, number, number, RegH, number?, number?]> = [];
ARITH_KINDS.forEach((k, r) => {
  const base = 0xc0 + r * 8;
  if (k === Ar.COM || k === Ar.COMP) {
    REG_OPS.push([0xd8, base, 8, regCompare(false, k === Ar.COMP ? 1 : 0)]);
    REG_OPS.push([0xdc, base, 8, regCompare(false, k === Ar.COMP ? 1 : 0)]);
  } else {
    REG_OPS.push([0xd8, base, 8, regArith(k, false, false)]);
    REG_OPS.push([0xdc, base, 8, regArith(STI_KINDS[r], true, false)]);
    REG_OPS.push([0xde, base, 8, regArith(STI_KINDS[r], true, true)]);
  }
});
const wrap = (fn: (f: FPU) => void): RegH => (f) => fn(f);
REG_OPS.push(
  [0xd9, 0xc0, 8, fldSti], [0xd9, 0xc8, 8, fxch], [0xd9, 0xd0, 1, () => { }], [0xd9, 0xd8, 8, fstSti(true)],
  [0xd9, 0xe0, 1, unary((x) => neg(x), false)], [0xd9, 0xe1, 1, unary((x) => abs(x), false)],
  [0xd9, 0xe4, 1, wrap(ftst)], [0xd9, 0xe5, 1, wrap(fxam)],
  [0xd9, 0xe8, 1, fldConst(ONE)], [0xd9, 0xe9, 1, fldConstRc(0)], [0xd9, 0xea, 1, fldConstRc(1)],
  [0xd9, 0xeb, 1, fldConstRc(2)], [0xd9, 0xec, 1, fldConstRc(3)], [0xd9, 0xed, 1, fldConstRc(4)],
  [0xd9, 0xee, 1, fldConst(ZERO)],
  [0xd9, 0xf0, 1, unTrans(f2xm1, false)], [0xd9, 0xf1, 1, binTrans(fyl2x)], [0xd9, 0xf2, 1, pairTrans(fptan)],
  [0xd9, 0xf3, 1, binTrans(fpatan)], [0xd9, 0xf4, 1, wrap(fxtractOp)], [0xd9, 0xf5, 1, fpremOp(true)],
  [0xd9, 0xf6, 1, (f) => { f.top = (f.top - 1) & 7; f.sw &= ~C1; }],
  [0xd9, 0xf7, 1, (f) => { f.top = (f.top + 1) & 7; f.sw &= ~C1; }],
  [0xd9, 0xf8, 1, fpremOp(false)], [0xd9, 0xf9, 1, binTrans(fyl2xp1)], [0xd9, 0xfa, 1, unary(sqrt, true)],
  [0xd9, 0xfb, 1, pairTrans(fsincos)], [0xd9, 0xfc, 1, unary(rndint, true)], [0xd9, 0xfd, 1, wrap(fscaleOp)],
  [0xd9, 0xfe, 1, unTrans(fsin, true)], [0xd9, 0xff, 1, unTrans(fcos, true)],
  [0xda, 0xc0, 8, fcmov(cond.b)], [0xda, 0xc8, 8, fcmov(cond.e)], [0xda, 0xd0, 8, fcmov(cond.be)],
  [0xda, 0xd8, 8, fcmov(cond.u)], [0xda, 0xe9, 1, (f, h) => regCompare(true, 2)(f, h, 1)],
  [0xdb, 0xc0, 8, fcmov((e) => !cond.b(e))], [0xdb, 0xc8, 8, fcmov((e) => !cond.e(e))],
  [0xdb, 0xd0, 8, fcmov((e) => !cond.be(e))], [0xdb, 0xd8, 8, fcmov((e) => !cond.u(e))],
  [0xdb, 0xe0, 2, () => { }, 1], [0xdb, 0xe4, 1, () => { }, 1],
  [0xdb, 0xe2, 1, (f) => { f.sw &= ~(0x7f | ES | BUSY); }, 1, 1],
  [0xdb, 0xe3, 1, (f) => f.reset(), 1, 1],
  [0xdb, 0xe8, 8, (f, h, i) => comiSet(f, h, i, true, false)], [0xdb, 0xf0, 8, (f, h, i) => comiSet(f, h, i, false, false)],
  [0xdd, 0xc0, 8, ffree(false)], [0xdd, 0xc8, 8, fxch], [0xdd, 0xd0, 8, fstSti(false)], [0xdd, 0xd8, 8, fstSti(true)],
  [0xdd, 0xe0, 8, regCompare(true, 0)], [0xdd, 0xe8, 8, regCompare(true, 1)],
  [0xde, 0xd0, 8, regCompare(false, 1)], [0xde, 0xd9, 1, (f, h) => regCompare(false, 2)(f, h, 1)],
  [0xdf, 0xc0, 8, ffree(true)], [0xdf, 0xc8, 8, fxch], [0xdf, 0xd0, 8, fstSti(true)], [0xdf, 0xd8, 8, fstSti(true)],
  [0xdf, 0xe0, 1, (f, h) => { h.regs[0] = (h.regs[0] & ~0xffff) | f.statusWord(); }, 1, 1],
  [0xdf, 0xe8, 8, (f, h, i) => comiSet(f, h, i, true, true)], [0xdf, 0xf0, 8, (f, h, i) => comiSet(f, h, i, false, true)],
);
for (const [op, first, count, h, control, nowait] of REG_OPS) {
  for (let k = 0; k < count; k++) {
    const idx = (op & 7) * 64 + (first - 0xc0) + k;
    FORMS[64 + idx] = h;
    KIND[64 + idx] = (control ? CONTROL : 0) | (nowait ? NOWAIT : 0);
  }
}
