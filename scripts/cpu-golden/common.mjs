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

// One case. `fmask`: EFLAGS bits the CPU leaves undefined for this instruction.
// `swmask`: x87 status-word bits left undefined. `ulp`: compare x87 registers with a tolerance.
// `memIgnore`: [addr, len] ranges whose contents are not compared (x87 FIP/FDP fields in memory).
// `nativeCode`: what the real CPU runs instead of `code`, where this host has an extension the
// modelled i686 lacks (see README.md); the recorder moves the resulting eip by the length difference.
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
    });
  }
}
