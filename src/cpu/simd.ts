// The SIMD machine vocabulary shared by the MMX/SSE handler files (simd-*.ts): the xmm
// registers and MXCSR (in the CPU's state slot, where translated code reaches them), the mm
// registers (the x87 registers' significands, as the hardware aliases them), operand access
// for the ModRM forms, SIMD floating-point exceptions, and the FXSAVE image.
import type { CPU } from './cpu.js';
import type { Insn } from './decode.js';
import { CpuFault, generalProtection, SIGFPE, TRAP_MF } from './fault.js';
import { toBytes80, fromBytes80 } from './float80.js';
import { S_MMX } from './wasm-layout.js';
import type { FPU } from './fpu.js';

/** A 128-bit scratch value with a view per lane type. */
export class Vec {
  readonly u8 = new Uint8Array(16);
  readonly i8 = new Int8Array(this.u8.buffer);
  readonly u16 = new Uint16Array(this.u8.buffer);
  readonly i16 = new Int16Array(this.u8.buffer);
  readonly u32 = new Uint32Array(this.u8.buffer);
  readonly i32 = new Int32Array(this.u8.buffer);
  readonly f32 = new Float32Array(this.u8.buffer);
  readonly f64 = new Float64Array(this.u8.buffer);
  readonly u64 = new BigUint64Array(this.u8.buffer);
  readonly i64 = new BigInt64Array(this.u8.buffer);
  copy(o: Vec): this { this.i32.set(o.i32); return this; }
  zero(): this { this.i32.fill(0); return this; }
}
/** Scratch values for handlers: A usually the destination, B the source, C and D results and extras. */
export const A = new Vec(), B = new Vec(), C = new Vec(), D = new Vec();

/** Register files of an operand (CompiledOp.gk / ek). */
export const K_GPR = 0, K_MM = 1, K_XMM = 2;

/** MXCSR bits */
export const MX_IE = 0x1, MX_DE = 0x2, MX_ZE = 0x4, MX_OE = 0x8, MX_UE = 0x10, MX_PE = 0x20, MX_DAZ = 0x40;
export const MX_FLAGS = 0x3f, MX_MASKS = 0x1f80, MX_RC = 0x6000, MX_FTZ = 0x8000;
export const MXCSR_DEFAULT = 0x1f80;
/** MXCSR bits that may be set (MXCSR_MASK of the modelled CPU): more is #GP */
export const MXCSR_MASK = 0xffff;
/** #XM, the SIMD floating-point exception */
export const TRAP_XF = 19;
export const FPE_FLTDIV = 3, FPE_FLTOVF = 4, FPE_FLTUND = 5, FPE_FLTRES = 6, FPE_FLTINV = 7;

// ---------------------------------------------------------------- xmm

/** xmm register r into v (all 16 bytes). */
export function getX(c: CPU, r: number, v: Vec): Vec {
  const x = c.xi32, o = r << 2;
  v.i32[0] = x[o]!; v.i32[1] = x[o + 1]!; v.i32[2] = x[o + 2]!; v.i32[3] = x[o + 3]!;
  return v;
}
/** v into xmm register r (all 16 bytes). */
export function putX(c: CPU, r: number, v: Vec): void {
  const x = c.xi32, o = r << 2;
  x[o] = v.i32[0]!; x[o + 1] = v.i32[1]!; x[o + 2] = v.i32[2]!; x[o + 3] = v.i32[3]!;
}

// ---------------------------------------------------------------- mm (aliased with x87)

/**
 * What every MMX instruction but emms does to the x87 state first: a pending unmasked x87
 * exception is raised (#MF), then TOP = 0 and every register tagged valid.
 */
export function mmxEnter(c: CPU, i: Insn): void {
  const f = c.x87 as FPU;
  if (f.sw & 0x80) throw new CpuFault(SIGFPE, f.pendingCode(), i.eip >>> 0, TRAP_MF, 0);
  mmxState(c);
}
/**
 * The MMX state: TOP = 0, every register valid, the mm registers in the slot; S_MMX's 0x200
 * tells translated code that this holds (emms and any x87 use clear it).
 */
export function mmxState(c: CPU): void {
  const f = c.x87 as FPU;
  f.top = 0;
  f.empty = 0;
  mmOwn(c);
  c.st[S_MMX >> 2] |= 0x200;
}
/** emms: every x87 register empty (and TOP = 0, as measured); translated MMX code must re-enter */
export function mmxLeave(c: CPU): void {
  const f = c.x87 as FPU;
  f.empty = 0xff;
  f.top = 0;
  c.st[S_MMX >> 2] &= ~0x200;
}
/**
 * The mm registers live in the CPU's slot while MMX instructions use them (no x87 register
 * object per write); the first MMX access after x87 work copies the x87 significands in, and
 * `c.fpu` (everything else) copies written ones back (CPU.mmSync).
 */
function mmOwn(c: CPU): void {
  const st = c.st;
  if (st[S_MMX >> 2] !== 0) return;
  const f = c.x87 as FPU, m = c.mm;
  for (let k = 0; k < 8; k++) { const x = f.reg(k); m[2 * k] = x.lo; m[2 * k + 1] = x.hi; }
  st[S_MMX >> 2] = 0x100;
}
/** mm register r into v's low 8 bytes (the physical x87 register's significand). */
export function getMM(c: CPU, r: number, v: Vec): Vec {
  mmOwn(c);
  v.i32[0] = c.mm[2 * r]!; v.i32[1] = c.mm[2 * r + 1]!;
  return v;
}
/** v's low 8 bytes into mm register r (the exponent and sign of the x87 register become all ones). */
export function putMM(c: CPU, r: number, v: Vec): void {
  putMM32(c, r, v.i32[0]!, v.i32[1]!);
}
/** mm register r from two 32-bit halves. */
export function putMM32(c: CPU, r: number, lo: number, hi: number): void {
  mmOwn(c);
  c.mm[2 * r] = lo; c.mm[2 * r + 1] = hi;
  c.st[S_MMX >> 2] |= 1 << r;
}

// ---------------------------------------------------------------- memory

/** Read n (4, 8 or 16) bytes at a into v; a 16-byte access of an aligned form must be aligned (#GP). */
export function readMem(c: CPU, i: Insn, a: number, v: Vec, n: number): void {
  if (n === 16 && (a & 15) !== 0 && i.def!.align) throw generalProtection(0);
  const m = c.mem;
  if (n === 16 && (a & 0xfff) > 0xff0) m.checkRead(a, 16); // the fault names the first page missing
  v.i32[0] = m.read32(a);
  if (n >= 8) v.i32[1] = m.read32(a + 4);
  if (n === 16) { v.i32[2] = m.read32(a + 8); v.i32[3] = m.read32(a + 12); }
}
/** Write n (1, 2, 4, 8 or 16) bytes of v at a; nothing is written when any of it would fault. */
export function writeMem(c: CPU, i: Insn, a: number, v: Vec, n: number): void {
  if (n === 16 && (a & 15) !== 0 && i.def!.align) throw generalProtection(0);
  const m = c.mem;
  if (n === 1) { m.write8(a, v.u8[0]!); return; }
  if (n === 2) { m.write16(a, v.u16[0]!); return; }
  if ((a & 0xfff) > 0x1000 - n) m.checkWrite(a, n);
  m.write32(a, v.i32[0]!);
  if (n >= 8) m.write32(a + 4, v.i32[1]!);
  if (n === 16) { m.write32(a + 8, v.i32[2]!); m.write32(a + 12, v.i32[3]!); }
}

// ---------------------------------------------------------------- operands

/** The ModRM.reg operand into v (an xmm, an mm register or a general register's 32 bits in lane 0). */
export function loadG(c: CPU, i: Insn, v: Vec): Vec {
  const k = i.def!.gk;
  if (k === K_XMM) return getX(c, i.reg, v);
  if (k === K_MM) return getMM(c, i.reg, v);
  v.i32[0] = c.regs[i.reg]!;
  return v;
}
/** v into the ModRM.reg operand (a whole xmm or mm register, or a general register). */
export function storeG(c: CPU, i: Insn, v: Vec): void {
  const k = i.def!.gk;
  if (k === K_XMM) putX(c, i.reg, v);
  else if (k === K_MM) putMM(c, i.reg, v);
  else c.regs[i.reg] = v.i32[0]!;
}
/** The rm operand into v: a register, or n bytes of memory (n: 4, 8 or 16). */
export function loadE(c: CPU, i: Insn, v: Vec, n: number): Vec {
  if (i.m) { readMem(c, i, c.ea(i), v, n); return v; }
  const k = i.def!.ek;
  if (k === K_XMM) return getX(c, i.rm, v);
  if (k === K_MM) return getMM(c, i.rm, v);
  v.i32[0] = c.regs[i.rm]!;
  return v;
}
/** v into the rm operand: the whole register, or n bytes of memory. */
export function storeE(c: CPU, i: Insn, v: Vec, n: number): void {
  if (i.m) { writeMem(c, i, c.ea(i), v, n); return; }
  const k = i.def!.ek;
  if (k === K_XMM) putX(c, i.rm, v);
  else if (k === K_MM) putMM(c, i.rm, v);
  else c.regs[i.rm] = v.i32[0]!;
}

// ---------------------------------------------------------------- SIMD floating-point exceptions

/** Linux's si_code for an #XM from MXCSR (as fpu__exception_code computes it). */
export function xmCode(mxcsr: number): number {
  const err = ~(mxcsr >> 7) & mxcsr;
  if (err & MX_IE) return FPE_FLTINV;
  if (err & MX_ZE) return FPE_FLTDIV;
  if (err & MX_OE) return FPE_FLTOVF;
  if (err & (MX_UE | MX_DE)) return FPE_FLTUND;
  if (err & MX_PE) return FPE_FLTRES;
  return 0;
}
/** The fault an unmasked SIMD floating-point exception raises (SIGFPE at the instruction). */
export function simdFault(c: CPU, i: Insn): CpuFault {
  return new CpuFault(SIGFPE, xmCode(c.mxcsr), i.eip >>> 0, TRAP_XF, 0);
}

// ---------------------------------------------------------------- FXSAVE image

export const FXSAVE_SIZE = 512;

/** The 512-byte FXSAVE image of the x87, MXCSR and xmm state (bytes 288..511 are left as in `into`). */
export function fxsaveImage(c: CPU, into = new Uint8Array(FXSAVE_SIZE)): Uint8Array {
  const f = c.fpu as FPU, b = into, v = new DataView(b.buffer, b.byteOffset, FXSAVE_SIZE);
  v.setUint16(0, f.cw, true);
  v.setUint16(2, f.statusWord(), true);
  b[4] = ~f.empty & 0xff; // abridged tag: 1 = valid
  b[5] = 0;
  v.setUint16(6, f.fop & 0x7ff, true);
  v.setUint32(8, f.fip >>> 0, true);
  v.setUint16(12, f.fcs, true);
  v.setUint16(14, 0, true);
  v.setUint32(16, f.fdp >>> 0, true);
  v.setUint16(20, f.fds, true);
  v.setUint16(22, 0, true);
  v.setUint32(24, c.mxcsr >>> 0, true);
  v.setUint32(28, MXCSR_MASK, true);
  for (let k = 0; k < 8; k++) {
    b.fill(0, 32 + 16 * k, 48 + 16 * k);
    toBytes80(f.get(k), b, 32 + 16 * k);
  }
  b.set(c.xmm, 160);
  b.fill(0, 288, 416); // xmm8-15 do not exist in 32-bit mode
  return b;
}
/** Load the state from an FXSAVE image; false (nothing loaded) when MXCSR has reserved bits. */
export function fxrstorImage(c: CPU, b: Uint8Array): boolean {
  const v = new DataView(b.buffer, b.byteOffset, FXSAVE_SIZE);
  const mx = v.getUint32(24, true);
  if (mx & ~MXCSR_MASK) return false;
  const f = c.fpu as FPU;
  f.cw = (v.getUint16(0, true) & 0x1f7f) | 0x40;
  const sw = v.getUint16(2, true);
  f.top = (sw >> 11) & 7;
  f.sw = sw & ~0x3800;
  f.empty = ~b[4]! & 0xff;
  f.fop = v.getUint16(6, true) & 0x7ff;
  f.fip = v.getUint32(8, true);
  f.fcs = v.getUint16(12, true);
  f.fdp = v.getUint32(16, true);
  f.fds = v.getUint16(20, true);
  f.fixES();
  for (let k = 0; k < 8; k++) f.setReg((f.top + k) & 7, fromBytes80(b, 32 + 16 * k));
  c.mxcsr = mx;
  c.xmm.set(b.subarray(160, 288));
  return true;
}
