// Shared pieces of the golden-case generator: layout constants (must match harness.c and
// test/cpu/replay.ts), a seeded PRNG, encoders and the case builder.

export const CODE = 0x20000000;
export const DATA = 0x30000000;
export const STACK = 0x40000000;
export const LOW = 0x00008000; // data page reachable with 16-bit addressing
export const GS_SEL = (13 << 3) | 3; // TLS entry 13, base DATA
export const INSN_OFF = 0x800;
export const EIP0 = CODE + INSN_OFF;
export const PAD = 16;

export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;

// xorshift128: deterministic so that re-recording gives the same cases.
export class Rng {
  constructor(seed) {
    this.s = [seed >>> 0 || 1, 0x9e3779b9, 0x243f6a88, 0xb7e15162];
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32() {
    const s = this.s;
    let t = s[3];
    t ^= t << 11; t ^= t >>> 8;
    s[3] = s[2]; s[2] = s[1]; s[1] = s[0];
    t ^= s[0]; t ^= s[0] >>> 19;
    s[0] = t >>> 0;
    return s[0];
  }
  int(n) { return this.u32() % n; }
  bool() { return (this.u32() & 1) === 1; }
  pick(a) { return a[this.int(a.length)]; }
  bytes(n) { return Array.from({ length: n }, () => this.u32() & 0xff); }
}

export const le16 = (v) => [v & 0xff, (v >>> 8) & 0xff];
export const le32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const leN = (v, w) => (w === 8 ? [v & 0xff] : w === 16 ? le16(v) : le32(v));
export const modrm = (mod, reg, rm) => (mod << 6) | ((reg & 7) << 3) | (rm & 7);
// [disp32] absolute operand inside the data page
export const memAbs = (reg, off) => [modrm(0, reg, 5), ...le32(DATA + off)];
export const mask = (w) => (w === 32 ? 0xffffffff : (1 << w) - 1);
export const opsz = (w) => (w === 16 ? [0x66] : []);

export function edges(w) {
  const m = mask(w), h = 2 ** (w - 1);
  return [0, 1, 2, h - 1, h, h + 1, m, m - 1, 0x7f & m, 0x80 & m, 0x7fff & m, 0x8000 & m, 0x55555555 & m, 0xaaaaaaaa & m];
}
export const randW = (rng, w) => rng.u32() & mask(w);
export function valueW(rng, w) {
  // mostly random, often an edge value
  return rng.int(3) === 0 ? rng.pick(edges(w)) >>> 0 : randW(rng, w) >>> 0;
}

// Register file helpers (8-bit register numbers: AL CL DL BL AH CH DH BH)
export function setReg(regs, r, w, v) {
  if (w === 32) regs[r] = v >>> 0;
  else if (w === 16) regs[r] = ((regs[r] & 0xffff0000) | (v & 0xffff)) >>> 0;
  else if (r < 4) regs[r] = ((regs[r] & 0xffffff00) | (v & 0xff)) >>> 0;
  else regs[r - 4] = ((regs[r - 4] & 0xffff00ff) | ((v & 0xff) << 8)) >>> 0;
}

export function randomRegs(rng) {
  const r = Array.from({ length: 8 }, () => rng.u32());
  r[ESP] = STACK + 0x800;
  return r;
}

export function randomFlags(rng, extra = 0) {
  return (rng.u32() & ARITH) | extra;
}

// ---------------------------------------------------------------- SIMD state (FXSAVE image)

export const FXSAVE_SIZE = 512;
/** Offsets in the FXSAVE image (32-bit layout). */
export const FX = { FCW: 0, FSW: 2, FTW: 4, FOP: 6, FIP: 8, FCS: 12, FDP: 16, FDS: 20, MXCSR: 24, MXCSR_MASK: 28, ST: 32, XMM: 160 };
/** MXCSR bits */
export const MX_IE = 0x1, MX_DE = 0x2, MX_ZE = 0x4, MX_OE = 0x8, MX_UE = 0x10, MX_PE = 0x20, MX_DAZ = 0x40;
export const MX_IM = 0x80, MX_DM = 0x100, MX_ZM = 0x200, MX_OM = 0x400, MX_UM = 0x800, MX_PM = 0x1000, MX_FTZ = 0x8000;
export const MX_FLAGS = 0x3f, MX_MASKS = 0x1f80, MXCSR_DEFAULT = 0x1f80;
/** Rounding control values (MXCSR bits 13-14): nearest, down, up, toward zero */
export const MX_RC = [0x0000, 0x2000, 0x4000, 0x6000];
/** MXCSR bits the modelled CPU accepts; more would make fxrstor #GP (the host also has bit 17, MM). */
export const MXCSR_VALID = 0xffff;
/** Fields of an FXSAVE image that depend on the vendor (FOP, FIP/FCS, FDP/FDS: AMD updates them
 * only when an x87 exception is pending) or the host (MXCSR_MASK), as [offset, len]: pass to
 * fxIgnore-like memory ranges when an instruction stores an FXSAVE image to memory. */
export const FX_VENDOR_RANGES = [[6, 2], [8, 8], [16, 8], [28, 4]];

/**
 * A 512-byte FXSAVE image for a SIMD case.
 * mxcsr; xmm: up to 8 arrays of 16 bytes (the rest zero); mm: up to 8 arrays of 8 bytes, which makes
 * every x87 register hold mm k (sign+exponent 0xffff), all tags valid and TOP 0, as after an MMX
 * instruction; otherwise fcw/fsw/ftw (abridged tag byte: bit k = physical register k valid) and
 * st (up to 8 10-byte register images, ST(0) first; ftw defaults to the ones given).
 */
export function fxImage({ mxcsr = MXCSR_DEFAULT, xmm = [], mm = null, fcw = 0x37f, fsw = 0, ftw = undefined, st = null } = {}) {
  if ((mxcsr >>> 0) & ~MXCSR_VALID) throw new Error(`fxImage: MXCSR 0x${(mxcsr >>> 0).toString(16)} has reserved bits (fxrstor would #GP)`);
  if (xmm.length > 8 || (mm && mm.length > 8) || (st && st.length > 8)) throw new Error('fxImage: at most 8 registers');
  if (mm && st) throw new Error('fxImage: mm and st both given');
  const b = new Uint8Array(FXSAVE_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint16(FX.FCW, fcw, true);
  dv.setUint32(FX.MXCSR, mxcsr >>> 0, true);
  let tag = ftw ?? 0;
  if (mm) {
    for (let k = 0; k < 8; k++) {
      const v = mm[k] ?? [0, 0, 0, 0, 0, 0, 0, 0];
      if (v.length !== 8) throw new Error(`fxImage: mm${k} needs 8 bytes`);
      b.set(v, FX.ST + 16 * k);
      b[FX.ST + 16 * k + 8] = 0xff; b[FX.ST + 16 * k + 9] = 0xff;
    }
    fsw &= ~0x3800; // TOP 0
    tag = 0xff;
  } else if (st) {
    const top = (fsw >> 11) & 7;
    st.forEach((v, k) => {
      if (!v) return;
      if (v.length !== 10) throw new Error(`fxImage: st${k} needs 10 bytes`);
      b.set(v, FX.ST + 16 * k);
      if (ftw === undefined) tag |= 1 << ((top + k) & 7);
    });
  }
  dv.setUint16(FX.FSW, fsw, true);
  b[FX.FTW] = tag;
  xmm.forEach((v, k) => {
    if (!v) return;
    if (v.length !== 16) throw new Error(`fxImage: xmm${k} needs 16 bytes`);
    b.set(v, FX.XMM + 16 * k);
  });
  return b;
}

// ---- float bit patterns (u32 for single, BigInt u64 for double) and lane packing
const cvBuf = new DataView(new ArrayBuffer(8));
export function f32bits(x) { cvBuf.setFloat32(0, x, true); return cvBuf.getUint32(0, true); }
export function f64bits(x) { cvBuf.setFloat64(0, x, true); return cvBuf.getBigUint64(0, true); }
export function bitsF32(u) { cvBuf.setUint32(0, u >>> 0, true); return cvBuf.getFloat32(0, true); }
export function bitsF64(u) { cvBuf.setBigUint64(0, BigInt.asUintN(64, BigInt(u)), true); return cvBuf.getFloat64(0, true); }
export const bytes32 = (u) => le32(u >>> 0);
export function bytes64(u) {
  const v = BigInt.asUintN(64, BigInt(u));
  return Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
}
/** 16 bytes from lanes: 16 bytes, 8 words, 4 dwords (numbers) or 2 qwords (BigInt or number). */
export const xmmU8 = (l) => l.map((v) => v & 0xff);
export const xmmU16 = (l) => l.flatMap((v) => le16(v));
export const xmmU32 = (l) => l.flatMap((v) => bytes32(v));
export const xmmU64 = (l) => l.flatMap((v) => bytes64(v));
/** single / double lanes given as numbers (converted) */
export const xmmF32 = (l) => xmmU32(l.map(f32bits));
export const xmmF64 = (l) => xmmU64(l.map(f64bits));
export const randXmm = (rng) => rng.bytes(16);
export const randMm = (rng) => rng.bytes(8);
export const randXmms = (rng, n = 8) => Array.from({ length: n }, () => rng.bytes(16));

/** Single-precision edge values (bit patterns). */
export const F32_SPECIAL = [
  0x00000000, 0x80000000, // ±0
  0x7f800000, 0xff800000, // ±inf
  0x7fc00000, 0xffc00000, // QNaN, the default NaN (QNaN indefinite)
  0x7fc12345, 0xffe54321, // QNaN with payloads
  0x7f800001, 0xff800001, 0x7fa5a5a5, 0xffbfffff, // SNaN with payloads
  0x00000001, 0x80000001, 0x007fffff, 0x807fffff, // smallest / largest denormals
  0x00800000, 0x80800000, 0x00800001, // smallest normals
  0x3f800000, 0xbf800000, // ±1
  0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, 0xc0200000, // ±0.5, 1.5, ±2.5 (rounding ties)
  0x7f7fffff, 0xff7fffff, // ±max finite
  0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001, // ±2^31, the int32 boundaries
  0x4f800000, 0x5f000000, 0xdf000000, 0x5effffff, 0xdf000001, // 2^32, ±2^63 and neighbours
  0x33800000, 0x34000000, // 2^-24, 2^-23 (precision loss around 1)
];
/** Double-precision edge values (BigInt bit patterns). */
export const F64_SPECIAL = [
  0x0000000000000000n, 0x8000000000000000n,
  0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n,
  0x7ff8000012345678n, 0xfffc000000000abcn,
  0x7ff0000000000001n, 0xfff0000000000001n, 0x7ff5a5a5a5a5a5a5n, 0xfff7ffffffffffffn,
  0x0000000000000001n, 0x8000000000000001n, 0x000fffffffffffffn, 0x800fffffffffffffn,
  0x0010000000000000n, 0x8010000000000000n, 0x0010000000000001n,
  0x3ff0000000000000n, 0xbff0000000000000n,
  0x3fe0000000000000n, 0xbfe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n, 0xc004000000000000n,
  0x7fefffffffffffffn, 0xffefffffffffffffn,
  f64bits(2 ** 31), f64bits(-(2 ** 31)), f64bits(2 ** 31 - 1), f64bits(2 ** 31 - 0.5), f64bits(-(2 ** 31) - 1), f64bits(-(2 ** 31) - 0.5),
  f64bits(2 ** 32), f64bits(2 ** 63), f64bits(-(2 ** 63)), 0x43dfffffffffffffn, 0xc3e0000000000001n,
  0x36a0000000000000n, 0x47efffffe0000000n, // float32 underflow / overflow boundaries for cvtsd2ss
];
/** A random single: often a special value, else random bits or a random number of moderate size. */
export function randF32(rng) {
  const k = rng.int(4);
  if (k === 0) return rng.pick(F32_SPECIAL) >>> 0;
  if (k === 1) return rng.u32();
  return f32bits((rng.u32() / 0x100000000 - 0.5) * 2 ** (rng.int(40) - 20));
}
export function randF64(rng) {
  const k = rng.int(4);
  if (k === 0) return rng.pick(F64_SPECIAL);
  if (k === 1) return (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
  return f64bits((rng.u32() / 0x100000000 - 0.5) * 2 ** (rng.int(80) - 40));
}
export const randXmmF32 = (rng) => xmmU32([randF32(rng), randF32(rng), randF32(rng), randF32(rng)]);
export const randXmmF64 = (rng) => xmmU64([randF64(rng), randF64(rng)]);

// One case. `fmask`: EFLAGS bits the CPU leaves undefined for this instruction.
// `swmask`: x87 status-word bits left undefined. `ulp`: compare x87 registers with a tolerance.
// `memIgnore`: [addr, len] ranges whose contents are not compared (x87 FIP/FDP fields in memory).
// `nativeCode`: what the real CPU runs instead of `code`, where this host has an extension the
// modelled i686 lacks (see README.md); the recorder moves the resulting eip by the length difference.
// `fx`: 512-byte FXSAVE image (fxImage()) loaded with fxrstor before the instruction; the FXSAVE
// image after it is recorded and compared. `fxIgnore`: [offset, len] ranges of that image not compared.
function checkFx(name, c) {
  if (c.fx == null) {
    if (c.fxIgnore) throw new Error(`${name}: fxIgnore without fx`);
    return null;
  }
  const fx = Uint8Array.from(c.fx);
  if (fx.length !== FXSAVE_SIZE) throw new Error(`${name}: fx must be ${FXSAVE_SIZE} bytes`);
  if (c.fpu) throw new Error(`${name}: fx and fpu (FNSAVE image) are exclusive`);
  const mx = new DataView(fx.buffer).getUint32(FX.MXCSR, true);
  if (mx & ~MXCSR_VALID) throw new Error(`${name}: fx MXCSR 0x${mx.toString(16)} has reserved bits`);
  for (const r of c.fxIgnore ?? []) {
    if (!Array.isArray(r) || r.length !== 2 || r[0] < 0 || r[1] <= 0 || r[0] + r[1] > FXSAVE_SIZE) throw new Error(`${name}: bad fxIgnore range ${JSON.stringify(r)}`);
  }
  return fx;
}

export class Cases {
  constructor() { this.list = []; }
  add(family, name, c) {
    const code = c.code;
    if (!Array.isArray(code) || code.length === 0 || code.length > 48) throw new Error(`bad code for ${name}`);
    const nat = c.nativeCode ?? null;
    if (nat !== null && (!Array.isArray(nat) || nat.length === 0 || nat.length > code.length)) throw new Error(`bad nativeCode for ${name}`);
    this.list.push({
      family, name, code: Uint8Array.from(code),
      nativeCode: nat && Uint8Array.from(nat),
      regs: (c.regs ?? []).map((v) => v >>> 0),
      eflags: (c.eflags ?? 0) >>> 0,
      seed: (c.seed ?? 0) >>> 0,
      mem: c.mem ?? [],
      fpu: c.fpu ?? null,
      fmask: c.fmask ?? 0,
      swmask: c.swmask ?? 0,
      ulp: c.ulp ?? 0,
      memIgnore: c.memIgnore ?? [],
      fx: checkFx(name, c),
      fxIgnore: c.fxIgnore ?? [],
    });
  }
}
