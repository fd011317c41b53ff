// Integer instruction families. Each generator adds cases to a Cases list.
import {
  Rng, Cases, DATA, STACK, LOW, GS_SEL, EIP0, INSN_OFF, CODE, PAD, EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI,
  CF, PF, AF, ZF, SF, DF, OF, ARITH, le16, le32, leN, modrm, memAbs, mask, opsz, edges, randW, valueW,
  setReg, randomRegs, randomFlags,
} from './common.mjs';

const W = [8, 16, 32];
const base = (rng) => ({ regs: randomRegs(rng), eflags: randomFlags(rng, rng.bool() ? DF : 0), seed: rng.u32() });
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const rname = (r, w) => (w === 8 ? R8 : w === 16 ? R16 : R32)[r];
// registers usable as plain operands (ESP is kept as a stack pointer for realism)
const GPR = [EAX, ECX, EDX, EBX, EBP, ESI, EDI];
const reg8 = (rng) => rng.int(8);
const regW = (rng, w) => (w === 8 ? reg8(rng) : rng.pick(GPR));
function otherReg(rng, w, not) {
  for (;;) {
    const r = regW(rng, w);
    // 8-bit AH..BH alias the same 32-bit register as AL..BL
    if (r !== not && !(w === 8 && (r & 3) === (not & 3))) return r;
  }
}

// ---------------------------------------------------------------- ALU
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const LOGIC = new Set(['or', 'and', 'xor', 'test']);

function aluValues(rng, w, n) {
  const e = edges(w), out = [];
  for (const a of e) for (const b of [0, 1, 0x7f & mask(w), 0x80 & mask(w), mask(w), 2 ** (w - 1)]) out.push([a >>> 0, b >>> 0]);
  for (let i = 0; i < n; i++) out.push([valueW(rng, w), valueW(rng, w)]);
  return out;
}

export function genAlu(cs, rng) {
  const fam = 'alu';
  for (let op = 0; op < 8; op++) {
    const name = ALU[op];
    const fmask = LOGIC.has(name) ? AF : 0;
    for (const w of W) {
      const pre = opsz(w), wb = w === 8 ? 0 : 1;
      const vals = aluValues(rng, w, 24);
      for (const [a, b] of vals) {
        // reg, reg
        const c = base(rng); const d = regW(rng, w); const s = otherReg(rng, w, d);
        setReg(c.regs, d, w, a); setReg(c.regs, s, w, b);
        c.eflags = (c.eflags & ~CF) | (rng.bool() ? CF : 0);
        cs.add(fam, `${name} ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, op * 8 + wb, modrm(3, s, d)], fmask });
      }
      for (let i = 0; i < 20; i++) {
        const a = valueW(rng, w), b = valueW(rng, w), off = rng.int(0x100) * 4;
        // reg, [mem]
        let c = base(rng); let r = regW(rng, w); setReg(c.regs, r, w, a);
        cs.add(fam, `${name} ${rname(r, w)},[m${w}]`, { ...c, code: [...pre, op * 8 + 2 + wb, ...memAbs(r, off)], mem: [[DATA + off, leN(b, w)]], fmask });
        // [mem], reg
        c = base(rng); r = regW(rng, w); setReg(c.regs, r, w, b);
        cs.add(fam, `${name} [m${w}],${rname(r, w)}`, { ...c, code: [...pre, op * 8 + wb, ...memAbs(r, off)], mem: [[DATA + off, leN(a, w)]], fmask });
        // reg, imm
        c = base(rng); r = regW(rng, w); setReg(c.regs, r, w, a);
        cs.add(fam, `${name} ${rname(r, w)},imm`, { ...c, code: [...pre, 0x80 + wb, modrm(3, op, r), ...leN(b, w)], fmask });
        // [mem], imm
        c = base(rng);
        cs.add(fam, `${name} [m${w}],imm`, { ...c, code: [...pre, 0x80 + wb, ...memAbs(op, off), ...leN(b, w)], mem: [[DATA + off, leN(a, w)]], fmask });
        // accumulator, imm
        c = base(rng); setReg(c.regs, EAX, w, a);
        cs.add(fam, `${name} ${rname(0, w)},imm`, { ...c, code: [...pre, op * 8 + 4 + wb, ...leN(b, w)], fmask });
        if (w !== 8) {
          // sign-extended imm8 (83 /op) and the rarely used 82 alias is 8-bit only
          c = base(rng); r = regW(rng, w); setReg(c.regs, r, w, a);
          cs.add(fam, `${name} ${rname(r, w)},simm8`, { ...c, code: [...pre, 0x83, modrm(3, op, r), b & 0xff], fmask });
          c = base(rng);
          cs.add(fam, `${name} [m${w}],simm8`, { ...c, code: [...pre, 0x83, ...memAbs(op, off), b & 0xff], mem: [[DATA + off, leN(a, w)]], fmask });
        }
      }
    }
  }
  // test
  for (const w of W) {
    const pre = opsz(w), wb = w === 8 ? 0 : 1;
    for (const [a, b] of aluValues(rng, w, 20)) {
      let c = base(rng); const d = regW(rng, w); const s = otherReg(rng, w, d);
      setReg(c.regs, d, w, a); setReg(c.regs, s, w, b);
      cs.add(fam, `test ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, 0x84 + wb, modrm(3, s, d)], fmask: AF });
      c = base(rng); setReg(c.regs, EAX, w, a);
      cs.add(fam, `test ${rname(0, w)},imm`, { ...c, code: [...pre, 0xa8 + wb, ...leN(b, w)], fmask: AF });
      const off = rng.int(0x400) & ~3;
      c = base(rng);
      cs.add(fam, `test [m${w}],imm`, { ...c, code: [...pre, 0xf6 + wb, ...memAbs(0, off), ...leN(b, w)], mem: [[DATA + off, leN(a, w)]], fmask: AF });
      c = base(rng); const r = regW(rng, w); setReg(c.regs, r, w, b);
      cs.add(fam, `test [m${w}],${rname(r, w)}`, { ...c, code: [...pre, 0x84 + wb, ...memAbs(r, off)], mem: [[DATA + off, leN(a, w)]], fmask: AF });
    }
  }
  // inc dec neg not (unary)
  const UN = [['inc', 0xfe, 0], ['dec', 0xfe, 1], ['not', 0xf6, 2], ['neg', 0xf6, 3]];
  for (const [name, opc, ext] of UN) {
    for (const w of W) {
      const pre = opsz(w), wb = w === 8 ? 0 : 1;
      const vals = [...edges(w), ...Array.from({ length: 30 }, () => valueW(rng, w))];
      for (const a of vals) {
        let c = base(rng); const r = regW(rng, w); setReg(c.regs, r, w, a);
        cs.add(fam, `${name} ${rname(r, w)}`, { ...c, code: [...pre, opc + wb, modrm(3, ext, r)] });
        const off = rng.int(0x400);
        c = base(rng);
        cs.add(fam, `${name} [m${w}]`, { ...c, code: [...pre, opc + wb, ...memAbs(ext, off)], mem: [[DATA + off, leN(a, w)]] });
        if (w !== 8 && ext < 2) {
          c = base(rng); const r2 = regW(rng, w); setReg(c.regs, r2, w, a);
          cs.add(fam, `${name} ${rname(r2, w)} (short)`, { ...c, code: [...pre, (ext ? 0x48 : 0x40) + r2] });
        }
      }
    }
  }
}

// ---------------------------------------------------------------- shifts / rotates
const SH = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
function shiftMask(name, w, count) {
  const n = count & 31;
  if (n === 0) return 0;
  if (name === 'rol' || name === 'ror' || name === 'rcl' || name === 'rcr') return n === 1 ? 0 : OF;
  let m = AF | (n === 1 ? 0 : OF);
  if ((name === 'shl' || name === 'sal' || name === 'shr') && n >= w) m |= CF;
  return m;
}
export function genShift(cs, rng) {
  const fam = 'shift';
  for (let op = 0; op < 8; op++) {
    const name = SH[op];
    for (const w of W) {
      const pre = opsz(w), wb = w === 8 ? 0 : 1;
      const reps = op === 6 ? 1 : 2;
      for (let count = 0; count <= 33; count++) {
        for (let k = 0; k < reps; k++) {
          const a = valueW(rng, w), fmask = shiftMask(name, w, count);
          // by CL (CL holds extra high bits sometimes: only the low 5 bits count)
          let c = base(rng); let r = regW(rng, w); if (r === ECX || (w === 8 && (r & 3) === 1)) r = EBX;
          setReg(c.regs, r, w, a); setReg(c.regs, ECX, 8, count | (rng.bool() ? 0x40 : 0));
          cs.add(fam, `${name} ${rname(r, w)},cl`, { ...c, code: [...pre, 0xd2 + wb, modrm(3, op, r)], fmask });
          // by imm8
          c = base(rng); r = regW(rng, w); setReg(c.regs, r, w, a);
          cs.add(fam, `${name} ${rname(r, w)},imm8`, { ...c, code: [...pre, 0xc0 + wb, modrm(3, op, r), count], fmask });
        }
        if (count % 3 === 0) {
          const a = valueW(rng, w), off = rng.int(0x400);
          const c = base(rng);
          cs.add(fam, `${name} [m${w}],imm8`, { ...c, code: [...pre, 0xc0 + wb, ...memAbs(op, off), count], mem: [[DATA + off, leN(a, w)]], fmask: shiftMask(name, w, count) });
        }
      }
      for (let k = 0; k < 12; k++) {
        const a = k < 6 ? [0, 1, 2 ** (w - 1), mask(w), 2 ** (w - 1) + 1, 2 ** (w - 2)][k] : valueW(rng, w);
        let c = base(rng); const r = regW(rng, w); setReg(c.regs, r, w, a);
        cs.add(fam, `${name} ${rname(r, w)},1`, { ...c, code: [...pre, 0xd0 + wb, modrm(3, op, r)], fmask: shiftMask(name, w, 1) });
        const off = rng.int(0x400);
        c = base(rng);
        cs.add(fam, `${name} [m${w}],1`, { ...c, code: [...pre, 0xd0 + wb, ...memAbs(op, off)], mem: [[DATA + off, leN(a, w)]], fmask: shiftMask(name, w, 1) });
      }
    }
  }
}

// ---------------------------------------------------------------- shld / shrd
export function genShxd(cs, rng) {
  const fam = 'shld-shrd';
  for (const [name, opc] of [['shld', 0xa4], ['shrd', 0xac]]) {
    for (const w of [16, 32]) {
      const pre = opsz(w);
      for (let count = 0; count <= 33; count++) {
        const n = count & 31;
        // a 16-bit operand shifted by more than 16 has an undefined result: not recorded
        if (w === 16 && n > 16) continue;
        const fmask = n === 0 ? 0 : n === 1 ? AF : AF | OF;
        for (let k = 0; k < 4; k++) {
          const a = valueW(rng, w), b = valueW(rng, w);
          let c = base(rng); const d = rng.pick([EAX, EDX, EBX, ESI, EDI, EBP]); const s = otherReg(rng, w, d);
          setReg(c.regs, d, w, a); setReg(c.regs, s, w, b);
          cs.add(fam, `${name} ${rname(d, w)},${rname(s, w)},imm8`, { ...c, code: [...pre, 0x0f, opc, modrm(3, s, d), count], fmask });
          c = base(rng);
          const d2 = rng.pick([EAX, EDX, EBX, ESI, EDI]); const s2 = otherReg(rng, w, d2 === ECX ? EAX : d2);
          const s3 = s2 === ECX ? EBP : s2;
          setReg(c.regs, d2, w, a); setReg(c.regs, s3, w, b); setReg(c.regs, ECX, 8, count);
          cs.add(fam, `${name} ${rname(d2, w)},${rname(s3, w)},cl`, { ...c, code: [...pre, 0x0f, opc + 1, modrm(3, s3, d2)], fmask });
          if (k === 0) {
            const off = rng.int(0x400);
            c = base(rng); setReg(c.regs, EDX, w, b);
            cs.add(fam, `${name} [m${w}],${rname(EDX, w)},imm8`, { ...c, code: [...pre, 0x0f, opc, ...memAbs(EDX, off), count], mem: [[DATA + off, leN(a, w)]], fmask });
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- mul / imul / div / idiv
export function genMulDiv(cs, rng) {
  const fam = 'muldiv';
  const MF = SF | ZF | AF | PF;
  for (const w of W) {
    const pre = opsz(w), wb = w === 8 ? 0 : 1;
    const vals = [...edges(w), ...Array.from({ length: 20 }, () => valueW(rng, w))];
    for (const [name, ext] of [['mul', 4], ['imul', 5]]) {
      for (const a of vals) for (let k = 0; k < 3; k++) {
        const b = k === 0 ? rng.pick(edges(w)) : valueW(rng, w);
        let c = base(rng); setReg(c.regs, EAX, w, a); const r = w === 8 ? rng.pick([1, 2, 3, 5, 6, 7]) : rng.pick([ECX, EBX, ESI, EDI, EBP]);
        setReg(c.regs, r, w, b);
        cs.add(fam, `${name} ${rname(r, w)}`, { ...c, code: [...pre, 0xf6 + wb, modrm(3, ext, r)], fmask: MF });
        if (k === 0) {
          const off = rng.int(0x400);
          c = base(rng); setReg(c.regs, EAX, w, a);
          cs.add(fam, `${name} [m${w}]`, { ...c, code: [...pre, 0xf6 + wb, ...memAbs(ext, off)], mem: [[DATA + off, leN(b, w)]], fmask: MF });
        }
      }
    }
    if (w !== 8) {
      for (let i = 0; i < 60; i++) {
        const a = valueW(rng, w), b = valueW(rng, w);
        let c = base(rng); const d = regW(rng, w), s = otherReg(rng, w, d);
        setReg(c.regs, d, w, a); setReg(c.regs, s, w, b);
        cs.add(fam, `imul ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, 0x0f, 0xaf, modrm(3, d, s)], fmask: MF });
        c = base(rng); setReg(c.regs, s, w, b);
        cs.add(fam, `imul ${rname(d, w)},${rname(s, w)},simm8`, { ...c, code: [...pre, 0x6b, modrm(3, d, s), a & 0xff], fmask: MF });
        c = base(rng); setReg(c.regs, s, w, b);
        cs.add(fam, `imul ${rname(d, w)},${rname(s, w)},imm`, { ...c, code: [...pre, 0x69, modrm(3, d, s), ...leN(a, w)], fmask: MF });
        const off = rng.int(0x400);
        c = base(rng); setReg(c.regs, d, w, a);
        cs.add(fam, `imul ${rname(d, w)},[m${w}]`, { ...c, code: [...pre, 0x0f, 0xaf, ...memAbs(d, off)], mem: [[DATA + off, leN(b, w)]], fmask: MF });
      }
    }
    // div / idiv: random, edges, divide by zero and quotient overflow (#DE -> SIGFPE)
    for (const [name, ext] of [['div', 6], ['idiv', 7]]) {
      for (let i = 0; i < 90; i++) {
        let c = base(rng);
        const hi = i % 5 === 0 ? valueW(rng, w) : i % 5 === 1 ? 0 : i % 5 === 2 ? mask(w) : rng.int(4);
        const lo = valueW(rng, w);
        let dv = i % 9 === 0 ? 0 : i % 9 === 1 ? mask(w) : i % 9 === 2 ? 2 ** (w - 1) : valueW(rng, w);
        if (w === 8) setReg(c.regs, EAX, 16, (hi << 8) | lo); else { setReg(c.regs, EDX, w, hi); setReg(c.regs, EAX, w, lo); }
        const r = w === 8 ? rng.pick([1, 3, 5, 6, 7]) : rng.pick([ECX, EBX, ESI, EDI, EBP]);
        setReg(c.regs, r, w, dv);
        cs.add(fam, `${name} ${rname(r, w)}`, { ...c, code: [...pre, 0xf6 + wb, modrm(3, ext, r)], fmask: ARITH });
        if (i % 3 === 0) {
          const off = rng.int(0x400);
          c = { ...c, regs: c.regs.slice() };
          cs.add(fam, `${name} [m${w}]`, { ...c, code: [...pre, 0xf6 + wb, ...memAbs(ext, off)], mem: [[DATA + off, leN(dv, w)]], fmask: ARITH });
        }
      }
      // idiv edge: most negative / -1 overflows
      const c = base(rng);
      if (w === 8) setReg(c.regs, EAX, 16, 0xff80); else { setReg(c.regs, EDX, w, mask(w)); setReg(c.regs, EAX, w, 2 ** (w - 1)); }
      setReg(c.regs, ECX, w, mask(w));
      cs.add(fam, `${name} ${rname(ECX, w)} (min/-1)`, { ...c, code: [...pre, 0xf6 + wb, modrm(3, ext, ECX)], fmask: ARITH });
    }
  }
}

// ---------------------------------------------------------------- bt bts btr btc
export function genBitTest(cs, rng) {
  const fam = 'bittest';
  const BF = OF | SF | AF | PF;
  const OPS = [['bt', 0xa3, 4], ['bts', 0xab, 5], ['btr', 0xb3, 6], ['btc', 0xbb, 7]];
  for (const [name, opc, ext] of OPS) {
    for (const w of [16, 32]) {
      const pre = opsz(w);
      for (let i = 0; i < 40; i++) {
        const a = valueW(rng, w), bit = i < 34 ? i : rng.u32() & mask(w);
        // register, register (offset taken modulo the width)
        let c = base(rng); const d = regW(rng, w), s = otherReg(rng, w, d);
        setReg(c.regs, d, w, a); setReg(c.regs, s, w, bit);
        cs.add(fam, `${name} ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, 0x0f, opc, modrm(3, s, d)], fmask: BF });
        // register, imm8
        c = base(rng); setReg(c.regs, d, w, a);
        cs.add(fam, `${name} ${rname(d, w)},imm8`, { ...c, code: [...pre, 0x0f, 0xba, modrm(3, ext, d), bit & 0xff], fmask: BF });
        // memory, imm8 (offset modulo the width)
        const off = 0x400 + rng.int(0x100);
        c = base(rng);
        cs.add(fam, `${name} [m${w}],imm8`, { ...c, code: [...pre, 0x0f, 0xba, ...memAbs(ext, off), bit & 0xff], fmask: BF });
        // memory, register: signed bit offset can address bytes far from the operand
        c = base(rng);
        const span = i % 4 === 0 ? 0x3000 : 64;
        const boff = rng.int(2 * span) - span;
        setReg(c.regs, s, w, boff & mask(w));
        const bx = rng.pick([EBX, ESI, EDI].filter((x) => x !== s));
        c.regs[bx] = DATA + 0x800;
        cs.add(fam, `${name} [${R32[bx]}],${rname(s, w)}`, { ...c, code: [...pre, 0x0f, opc, modrm(0, s, bx)], fmask: BF });
      }
    }
  }
}

// ---------------------------------------------------------------- bsf bsr tzcnt lzcnt popcnt
// The modelled CPU has POPCNT but neither BMI1 nor LZCNT (CPUID reports none of them), the
// recording host has all three. On a CPU without them F3 0F BC / F3 0F BD execute as bsf / bsr
// (the F3 is ignored), so the real CPU runs stand-ins (`nativeCode`, see README.md): the same
// bytes without the F3 prefix (the recorder moves eip by the missing byte). popcnt runs natively.
const LEGACY_PREFIX = new Set([0x66, 0x67, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0xf0, 0xf2, 0xf3]);
/** the instruction as a CPU without BMI1/LZCNT executes it: its F3 prefixes dropped */
export function withoutF3(code) {
  let n = 0;
  while (n < code.length && LEGACY_PREFIX.has(code[n])) n++;
  return [...code.slice(0, n).filter((b) => b !== 0xf3), ...code.slice(n)];
}
const BSF_UNDEF = CF | OF | SF | AF | PF;

export function genBitScan(cs, rng) {
  const fam = 'bitscan';
  // [name, opcode, undefined flags, stand-in the real CPU runs]
  const OPS = [['bsf', [0x0f, 0xbc], BSF_UNDEF, null], ['bsr', [0x0f, 0xbd], BSF_UNDEF, null],
    ['tzcnt', [0xf3, 0x0f, 0xbc], BSF_UNDEF, withoutF3], ['lzcnt', [0xf3, 0x0f, 0xbd], BSF_UNDEF, withoutF3],
    ['popcnt', [0xf3, 0x0f, 0xb8], 0, null]];
  for (const [name, opc, fmask, native] of OPS) {
    for (const w of [16, 32]) {
      const vals = [0, 1, 2 ** (w - 1), mask(w), 0x100, 0x8000, ...Array.from({ length: 34 }, (_, i) => i < w ? (2 ** i + (rng.u32() & mask(w)) * 2 ** (i + 1)) % 2 ** w : valueW(rng, w))];
      for (const a of vals) {
        // the 66 prefix goes before F3 as compilers emit it
        const code = (m) => (w === 16 ? [0x66, ...opc, m] : [...opc, m]);
        const nat = (code) => (native ? { nativeCode: native(code) } : {});
        let c = base(rng); const d = regW(rng, w), s = otherReg(rng, w, d);
        setReg(c.regs, s, w, a >>> 0);
        let bytes = code(modrm(3, d, s));
        cs.add(fam, `${name} ${rname(d, w)},${rname(s, w)}`, { ...c, code: bytes, ...nat(bytes), fmask });
        const off = rng.int(0x400);
        c = base(rng);
        bytes = [...code(modrm(0, d, 5)), ...le32(DATA + off)];
        cs.add(fam, `${name} ${rname(d, w)},[m${w}]`, { ...c, code: bytes, ...nat(bytes), mem: [[DATA + off, leN(a >>> 0, w)]], fmask });
      }
    }
  }
}

// ---------------------------------------------------------------- setcc / cmovcc / jcc
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const flagCombo = (i) => (i & 1 ? CF : 0) | (i & 2 ? ZF : 0) | (i & 4 ? SF : 0) | (i & 8 ? OF : 0) | (i & 16 ? PF : 0);
export function genCond(cs, rng) {
  const fam = 'setcc-cmovcc';
  for (let cc = 0; cc < 16; cc++) {
    for (let f = 0; f < 32; f++) {
      const flags = flagCombo(f) | (rng.bool() ? AF : 0);
      let c = base(rng); c.eflags = flags;
      const r8 = reg8(rng);
      cs.add(fam, `set${CC[cc]} ${R8[r8]}`, { ...c, code: [0x0f, 0x90 + cc, modrm(3, 0, r8)] });
      for (const w of [16, 32]) {
        c = base(rng); c.eflags = flags;
        const d = regW(rng, w), s = otherReg(rng, w, d);
        cs.add(fam, `cmov${CC[cc]} ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...opsz(w), 0x0f, 0x40 + cc, modrm(3, d, s)] });
      }
      if (f % 4 === 0) {
        const off = rng.int(0x400);
        c = base(rng); c.eflags = flags;
        cs.add(fam, `set${CC[cc]} [m8]`, { ...c, code: [0x0f, 0x90 + cc, ...memAbs(0, off)] });
        c = base(rng); c.eflags = flags;
        cs.add(fam, `cmov${CC[cc]} ecx,[m32]`, { ...c, code: [0x0f, 0x40 + cc, ...memAbs(ECX, off)] });
      }
    }
    // cmov reads its memory operand even when the condition is false: faults either way
    const c = base(rng); c.eflags = flagCombo(rng.int(32)); c.regs[EBX] = 0x50000000;
    cs.add(fam, `cmov${CC[cc]} eax,[unmapped]`, { ...c, code: [0x0f, 0x40 + cc, modrm(0, EAX, EBX)] });
  }
}

export function genBranch(cs, rng) {
  const fam = 'branch';
  // targets must be landing pads (16-aligned offsets not overlapping the insn and its fall-through pad)
  const target = (len, dir) => {
    const end = INSN_OFF + len;
    if (dir > 0) { const t = Math.ceil((end + PAD) / PAD) * PAD + PAD * rng.int(3); return t - end; }
    const t = INSN_OFF - PAD * (1 + rng.int(3)); return t - end;
  };
  for (let cc = 0; cc < 16; cc++) {
    for (let f = 0; f < 32; f++) {
      const c = base(rng); c.eflags = flagCombo(f) | (rng.bool() ? AF : 0);
      const dir = rng.bool() ? 1 : -1;
      if (f % 2 === 0) cs.add(fam, `j${CC[cc]} rel8`, { ...c, code: [0x70 + cc, target(2, dir) & 0xff] });
      else cs.add(fam, `j${CC[cc]} rel32`, { ...c, code: [0x0f, 0x80 + cc, ...le32(target(6, dir))] });
    }
  }
  // loop family and jecxz/jcxz
  const ecxs = [0, 1, 2, 3, 0x10000, 0x10001, 0xffffffff, 0x12340000, 0x80000000];
  for (const [name, opc] of [['loopne', 0xe0], ['loope', 0xe1], ['loop', 0xe2], ['jecxz', 0xe3]]) {
    for (const e of ecxs) for (const z of [0, ZF]) for (const a16 of [false, true]) {
      const c = base(rng); c.regs[ECX] = e; c.eflags = (c.eflags & ~ZF) | z;
      const pre = a16 ? [0x67] : [];
      const len = pre.length + 2;
      cs.add(fam, `${a16 ? (name === 'jecxz' ? 'jcxz' : name + ' (cx)') : name} rel8`, { ...c, code: [...pre, opc, target(len, rng.bool() ? 1 : -1) & 0xff] });
    }
  }
  // unconditional jumps, calls, returns
  for (let i = 0; i < 12; i++) {
    let c = base(rng);
    cs.add(fam, 'jmp rel8', { ...c, code: [0xeb, target(2, i % 2 ? 1 : -1) & 0xff] });
    c = base(rng);
    cs.add(fam, 'jmp rel32', { ...c, code: [0xe9, ...le32(target(5, i % 2 ? 1 : -1))] });
    c = base(rng);
    cs.add(fam, 'call rel32', { ...c, code: [0xe8, ...le32(target(5, i % 2 ? 1 : -1))] });
    const pad = CODE + PAD * (i + 2);
    c = base(rng); c.regs[EDX] = pad;
    cs.add(fam, 'jmp edx', { ...c, code: [0xff, modrm(3, 4, EDX)] });
    c = base(rng); c.regs[ESI] = pad;
    cs.add(fam, 'call esi', { ...c, code: [0xff, modrm(3, 2, ESI)] });
    const off = rng.int(0x100) * 4;
    c = base(rng);
    cs.add(fam, 'jmp [m32]', { ...c, code: [0xff, ...memAbs(4, off)], mem: [[DATA + off, le32(pad)]] });
    c = base(rng);
    cs.add(fam, 'call [m32]', { ...c, code: [0xff, ...memAbs(2, off)], mem: [[DATA + off, le32(pad)]] });
    c = base(rng); c.regs[ESP] = STACK + 0x800 + 4 * rng.int(16);
    cs.add(fam, 'ret', { ...c, code: [0xc3], mem: [[c.regs[ESP], le32(pad)]] });
    c = base(rng); c.regs[ESP] = STACK + 0x800 + 4 * rng.int(16);
    const n = rng.pick([0, 4, 8, 12, 0x100, 0x7ff]);
    cs.add(fam, 'ret imm16', { ...c, code: [0xc2, ...le16(n)], mem: [[c.regs[ESP], le32(pad)]] });
  }
  // jumps to unmapped / non-executable memory fault at the target
  let c = base(rng); c.regs[EAX] = 0x50000000;
  cs.add(fam, 'jmp eax (unmapped)', { ...c, code: [0xff, modrm(3, 4, EAX)] });
  c = base(rng); c.regs[EAX] = DATA + 0x100;
  cs.add(fam, 'jmp eax (no exec)', { ...c, code: [0xff, modrm(3, 4, EAX)] });
}

// ---------------------------------------------------------------- BCD
export function genBcd(cs, rng) {
  const fam = 'bcd';
  for (const [name, opc, fmask] of [['daa', 0x27, OF], ['das', 0x2f, OF], ['aaa', 0x37, OF | SF | ZF | PF], ['aas', 0x3f, OF | SF | ZF | PF]]) {
    for (let al = 0; al < 256; al++) for (let f = 0; f < 4; f++) {
      const c = base(rng); setReg(c.regs, EAX, 8, al);
      c.eflags = (c.eflags & ~(AF | CF)) | (f & 1 ? CF : 0) | (f & 2 ? AF : 0);
      cs.add(fam, name, { ...c, code: [opc], fmask });
    }
  }
  for (const [name, opc] of [['aam', 0xd4], ['aad', 0xd5]]) {
    for (const imm of [10, 16, 7, 1, 255, 0]) {
      const n = imm === 10 ? 256 : 40;
      for (let i = 0; i < n; i++) {
        const c = base(rng);
        setReg(c.regs, EAX, 16, imm === 10 && name === 'aam' ? i : rng.u32() & 0xffff);
        cs.add(fam, `${name} ${imm}`, { ...c, code: [opc, imm], fmask: OF | AF | CF });
        if (imm === 0 && i > 3) break;
      }
    }
  }
}

// ---------------------------------------------------------------- string instructions
export function genString(cs, rng) {
  const fam = 'string';
  const OPS = [['movs', 0xa4], ['cmps', 0xa6], ['stos', 0xaa], ['lods', 0xac], ['scas', 0xae]];
  for (const [name, opc] of OPS) {
    for (const w of W) {
      const wb = w === 8 ? 0 : 1, sz = w / 8;
      for (const rep of [null, 0xf3, 0xf2]) {
        for (let i = 0; i < 14; i++) {
          const c = base(rng);
          const df = i % 2 === 1;
          c.eflags = (c.eflags & ~DF) | (df ? DF : 0);
          const n = rep ? [0, 1, 2, 3, 5, 8, 13, 17][i % 8] : 1;
          const span = (n + 1) * sz;
          // source and destination inside the data page; going down with DF=1
          const src = df ? DATA + 0x300 + span + rng.int(64) : DATA + 0x100 + rng.int(64);
          const dst = df ? DATA + 0x900 + span + rng.int(64) : DATA + 0x700 + rng.int(64);
          c.regs[ESI] = src; c.regs[EDI] = dst; c.regs[ECX] = n;
          setReg(c.regs, EAX, w, valueW(rng, w));
          const mem = [];
          if (name === 'cmps' || name === 'scas') {
            // make a prefix of the elements equal so repe/repne stop at varying places
            const eq = rng.int(n + 2);
            const fill = rng.bytes(sz);
            const a = c.regs[EAX];
            for (let k = 0; k < n + 1; k++) {
              const step = df ? -k * sz : k * sz;
              const elem = k < eq ? (name === 'scas' ? leN(a, w) : fill) : rng.bytes(sz);
              if (name === 'cmps') mem.push([src + step, k < eq ? fill : rng.bytes(sz)]);
              if (name === 'cmps') mem.push([dst + step, elem]);
              else if (name === 'scas') mem.push([dst + step, rep === 0xf2 ? (k < eq ? rng.bytes(sz) : leN(a, w)) : elem]);
            }
          }
          const pre = [...(rep ? [rep] : []), ...opsz(w)];
          const rn = rep === 0xf3 ? (name === 'cmps' || name === 'scas' ? 'repe ' : 'rep ') : rep === 0xf2 ? 'repne ' : '';
          cs.add(fam, `${rn}${name}${'bwd'[Math.log2(sz)]}${df ? ' (std)' : ''}`, { ...c, code: [...pre, opc + wb], mem });
        }
        // running off the end of the data page faults part way through
        if (rep && (name === 'movs' || name === 'stos')) {
          const c = base(rng); c.eflags &= ~DF;
          c.regs[ESI] = DATA + 0xf00; c.regs[EDI] = DATA + 0xff0 - sz; c.regs[ECX] = 40;
          cs.add(fam, `rep ${name}${'bwd'[Math.log2(sz)]} (fault)`, { ...c, code: [rep, ...opsz(w), opc + wb] });
        }
      }
    }
  }
}

// ---------------------------------------------------------------- cmpxchg xadd xchg bswap
export function genAtomic(cs, rng) {
  const fam = 'xchg-cmpxchg';
  for (const w of W) {
    const pre = opsz(w), wb = w === 8 ? 0 : 1;
    for (let i = 0; i < 40; i++) {
      const a = valueW(rng, w), b = valueW(rng, w), eq = i % 2 === 0;
      // cmpxchg r/m, r: compares the accumulator with r/m
      let c = base(rng); const d = w === 8 ? rng.pick([1, 2, 3, 5, 6, 7]) : rng.pick([ECX, EDX, EBX, ESI, EDI]);
      let s = otherReg(rng, w, d); if (s === EAX || (w === 8 && (s & 3) === 0)) s = w === 8 ? 7 : EBP;
      if (s === d) s = w === 8 ? 6 : EBP;
      setReg(c.regs, d, w, a); setReg(c.regs, s, w, b); setReg(c.regs, EAX, w, eq ? a : valueW(rng, w));
      cs.add(fam, `cmpxchg ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, 0x0f, 0xb0 + wb, modrm(3, s, d)] });
      const off = rng.int(0x100) * 4;
      c = base(rng); setReg(c.regs, s, w, b); setReg(c.regs, EAX, w, eq ? a : valueW(rng, w));
      cs.add(fam, `lock cmpxchg [m${w}],${rname(s, w)}`, { ...c, code: [0xf0, ...pre, 0x0f, 0xb0 + wb, ...memAbs(s, off)], mem: [[DATA + off, leN(a, w)]] });
      // xadd
      c = base(rng); setReg(c.regs, d, w, a); setReg(c.regs, s, w, b);
      cs.add(fam, `xadd ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, 0x0f, 0xc0 + wb, modrm(3, s, d)] });
      c = base(rng); setReg(c.regs, s, w, b);
      cs.add(fam, `lock xadd [m${w}],${rname(s, w)}`, { ...c, code: [0xf0, ...pre, 0x0f, 0xc0 + wb, ...memAbs(s, off)], mem: [[DATA + off, leN(a, w)]] });
      // xchg
      c = base(rng);
      cs.add(fam, `xchg ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, 0x86 + wb, modrm(3, s, d)] });
      c = base(rng);
      cs.add(fam, `xchg [m${w}],${rname(s, w)}`, { ...c, code: [...pre, 0x86 + wb, ...memAbs(s, off)], mem: [[DATA + off, leN(a, w)]] });
      if (w !== 8 && i < 8) {
        c = base(rng);
        cs.add(fam, `xchg ${rname(EAX, w)},${rname(GPR[i % 7], w)}`, { ...c, code: [...pre, 0x90 + GPR[i % 7]] });
      }
    }
  }
  for (let i = 0; i < 40; i++) {
    const off = rng.int(0x100) * 8, eq = i % 2 === 0;
    const lo = rng.u32(), hi = rng.u32();
    const c = base(rng);
    c.regs[EAX] = eq ? lo : rng.u32(); c.regs[EDX] = eq || i % 4 === 1 ? hi : rng.u32();
    if (i % 8 === 3) c.regs[EAX] = lo;
    cs.add(fam, 'lock cmpxchg8b [m64]', { ...c, code: [0xf0, 0x0f, 0xc7, ...memAbs(1, off)], mem: [[DATA + off, [...le32(lo), ...le32(hi)]]] });
    const r = i % 8;
    const c2 = base(rng);
    cs.add(fam, `bswap ${R32[r]}`, { ...c2, code: [0x0f, 0xc8 + r] });
  }
}

// ---------------------------------------------------------------- mov movzx movsx lea, addressing forms
export function genMovLea(cs, rng) {
  const fam = 'mov-movx-lea';
  // random 32-bit addressing forms; register values chosen so the operand lands in the data page
  const addrForm = (reg) => {
    const mod = rng.int(3), rm = rng.int(8);
    const bytes = [modrm(mod, reg, rm)];
    const regs = {};
    let ea = 0;
    const setBase = (b) => { const v = DATA + 0x400 + rng.int(0x400); regs[b] = v; return v; };
    if (rm === 4) {
      const scale = rng.int(4), index = rng.int(8), b = rng.int(8);
      bytes.push((scale << 6) | (index << 3) | b);
      if (b === 5 && mod === 0) { /* disp32, no base */ } else ea += b === ESP ? regs[ESP] ?? 0 : setBase(b);
      if (index !== 4) {
        if (index === b && b !== 5) ea += regs[b] * (1 << scale) ;
        else if (index === ESP) { /* none */ } else { const v = rng.int(64); regs[index] = v; ea += v << scale; }
      }
      if (b === 5 && mod === 0) ea += 0; // disp32 added below
    } else if (rm === 5 && mod === 0) {
      /* disp32 only */
    } else ea += setBase(rm);
    return { bytes, regs, mod, rm, sib: rm === 4 ? bytes[1] : null };
  };
  for (let i = 0; i < 300; i++) {
    const c = base(rng);
    const reg = rng.pick(GPR);
    const f = addrForm(reg);
    for (const [k, v] of Object.entries(f.regs)) c.regs[+k] = v;
    let disp = [];
    const noBaseSib = f.sib !== null && (f.sib & 7) === 5 && f.mod === 0;
    if (f.mod === 1) disp = [rng.u32() & 0xff];
    else if (f.mod === 2 || (f.rm === 5 && f.mod === 0) || noBaseSib) disp = le32(rng.u32());
    cs.add(fam, 'lea r32,[form]', { ...c, code: [0x8d, ...f.bytes, ...disp] });
  }
  // 16-bit addressing (67 prefix) with lea (no memory access) and mov (faults: low memory is unmapped)
  for (let i = 0; i < 120; i++) {
    const c = base(rng); const mod = rng.int(3), rm = rng.int(8), reg = rng.pick(GPR);
    const disp = mod === 1 ? [rng.u32() & 0xff] : mod === 2 || (mod === 0 && rm === 6) ? le16(rng.u32()) : [];
    cs.add(fam, `lea r${i % 2 ? 16 : 32},[addr16 form]`, { ...c, code: [0x67, ...(i % 2 ? [0x66] : []), 0x8d, modrm(mod, reg, rm), ...disp] });
    if (i % 10 === 0) cs.add(fam, 'mov r32,[addr16 form]', { ...c, code: [0x67, 0x8b, modrm(mod, reg, rm), ...disp] });
  }
  // loads through random addressing forms into the data page
  for (let i = 0; i < 200; i++) {
    const c = base(rng);
    const reg = rng.pick(GPR);
    const mod = 1 + rng.int(2), rm = rng.pick([0, 1, 2, 3, 4, 5, 6, 7]);
    let bytes = [modrm(mod, reg, rm)];
    if (rm === 4) {
      const scale = rng.int(4), b = rng.pick([EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI]);
      let index = rng.pick([EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI]);
      if (index === b) index = 4;
      bytes.push((scale << 6) | (index << 3) | b);
      if (b !== ESP) c.regs[b] = DATA + 0x400 + rng.int(0x300);
      else c.regs[ESP] = STACK + 0x400 + 4 * rng.int(64);
      if (index !== 4) c.regs[index] = rng.int(32);
    } else c.regs[rm] = rm === ESP ? c.regs[ESP] : DATA + 0x400 + rng.int(0x300);
    const disp = mod === 1 ? [rng.int(0x100)] : le32(rng.int(0x200) - 0x100);
    const w = rng.pick(W);
    const op = w === 8 ? 0x8a : 0x8b;
    cs.add(fam, `mov r${w},[form]`, { ...c, code: [...opsz(w), op, ...bytes, ...disp] });
  }
  // other operations through the same random addressing forms (reg field: register or /ext)
  const FORM_OPS = [['add [form],r', [0x01], null, 0, 0], ['sub [form],r', [0x29], null, 0, 0], ['xor [form],r', [0x31], null, 0, AF],
    ['add r,[form]', [0x03], null, 0, 0], ['test [form],r', [0x85], null, 0, AF], ['shl [form],1', [0xd1], 4, 0, AF], ['neg [form]', [0xf7], 3, 0, 0],
    ['inc [form]', [0xff], 0, 0, 0], ['imul r,[form]', [0x0f, 0xaf], null, 0, SF | ZF | AF | PF], ['movzx r,[form]', [0x0f, 0xb6], null, 0, 0],
    ['xchg [form],r', [0x87], null, 0, 0], ['xadd [form],r', [0x0f, 0xc1], null, 0, 0], ['mov [form],imm32', [0xc7], 0, 4, 0],
    ['cmp [form],imm32', [0x81], 7, 4, 0], ['sub [form],simm8', [0x83], 5, 1, 0], ['lea r,[form]', [0x8d], null, 0, 0],
    ['push [form]', [0xff], 6, 0, 0], ['cmovne r,[form]', [0x0f, 0x45], null, 0, 0]];
  for (let i = 0; i < 360; i++) {
    const [name, opc, ext, immLen, fmask] = FORM_OPS[i % FORM_OPS.length];
    const c = base(rng);
    const reg = ext === null ? rng.int(8) : ext;
    const mod = rng.int(3), rm = rng.int(8);
    const bytes = [modrm(mod, reg, rm)];
    let disp;
    if (rm === 4) {
      const scale = rng.int(4), b = rng.int(8);
      let index = rng.int(8);
      if (index === b) index = 4;
      bytes.push((scale << 6) | (index << 3) | b);
      if (index !== 4 && index !== ESP) c.regs[index] = rng.int(32);
      if (b === EBP && mod === 0) { disp = le32(DATA + 0x400 + rng.int(0x300)); } // [index*s + disp32]
      else if (b === ESP) c.regs[ESP] = STACK + 0x400 + 4 * rng.int(64);
      else c.regs[b] = DATA + 0x400 + rng.int(0x300);
    } else if (rm === 5 && mod === 0) disp = le32(DATA + rng.int(0xf00));
    else if (rm === ESP) { /* unreachable: rm 4 is the SIB form */ } else c.regs[rm] = DATA + 0x400 + rng.int(0x300);
    disp ??= mod === 1 ? [rng.int(0x100)] : mod === 2 ? le32(rng.int(0x200) - 0x100) : [];
    const imm = immLen === 4 ? le32(rng.u32()) : immLen === 1 ? [rng.u32() & 0xff] : [];
    cs.add(fam, name, { ...c, code: [...opc, ...bytes, ...disp, ...imm], fmask });
  }
  for (const w of W) {
    const pre = opsz(w), wb = w === 8 ? 0 : 1;
    for (let i = 0; i < 16; i++) {
      const off = rng.int(0x400), v = valueW(rng, w);
      let c = base(rng); const d = regW(rng, w), s = otherReg(rng, w, d);
      cs.add(fam, `mov ${rname(d, w)},${rname(s, w)}`, { ...c, code: [...pre, 0x88 + wb, modrm(3, s, d)] });
      c = base(rng);
      cs.add(fam, `mov ${rname(d, w)},${rname(s, w)} (8a/8b)`, { ...c, code: [...pre, 0x8a + wb, modrm(3, d, s)] });
      c = base(rng);
      cs.add(fam, `mov [m${w}],${rname(s, w)}`, { ...c, code: [...pre, 0x88 + wb, ...memAbs(s, off)] });
      c = base(rng);
      cs.add(fam, `mov [m${w}],imm`, { ...c, code: [...pre, 0xc6 + wb, ...memAbs(0, off), ...leN(v, w)] });
      c = base(rng);
      cs.add(fam, `mov ${rname(d, w)},imm`, { ...c, code: [...pre, (w === 8 ? 0xb0 : 0xb8) + d, ...leN(v, w)] });
      c = base(rng);
      cs.add(fam, `mov ${rname(0, w)},[moffs]`, { ...c, code: [...pre, 0xa0 + wb, ...le32(DATA + off)] });
      c = base(rng);
      cs.add(fam, `mov [moffs],${rname(0, w)}`, { ...c, code: [...pre, 0xa2 + wb, ...le32(DATA + off)] });
    }
  }
  for (const [name, opc] of [['movzx', 0xb6], ['movsx', 0xbe]]) {
    for (const [dw, sw] of [[16, 8], [32, 8], [32, 16]]) {
      for (let i = 0; i < 24; i++) {
        const v = i < 6 ? [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff][i] & mask(sw) : valueW(rng, sw);
        let c = base(rng); const d = regW(rng, dw), s = regW(rng, sw);
        setReg(c.regs, s, sw, v);
        const o = opc + (sw === 16 ? 1 : 0);
        cs.add(fam, `${name} ${rname(d, dw)},${rname(s, sw)}`, { ...c, code: [...opsz(dw), 0x0f, o, modrm(3, d, s)] });
        const off = rng.int(0x400);
        c = base(rng);
        cs.add(fam, `${name} ${rname(d, dw)},[m${sw}]`, { ...c, code: [...opsz(dw), 0x0f, o, ...memAbs(d, off)], mem: [[DATA + off, leN(v, sw)]] });
      }
    }
  }
  // memory faults: unmapped read, write to read-only code page, access straddling the page end
  let c = base(rng); c.regs[EBX] = 0x50000010;
  cs.add(fam, 'mov eax,[unmapped]', { ...c, code: [0x8b, modrm(0, EAX, EBX)] });
  c = base(rng); c.regs[EBX] = CODE + 0x10;
  cs.add(fam, 'mov [code page],eax', { ...c, code: [0x89, modrm(0, EAX, EBX)] });
  c = base(rng); c.regs[EBX] = CODE + INSN_OFF - 2;
  cs.add(fam, 'mov eax,[code page]', { ...c, code: [0x8b, modrm(0, EAX, EBX)] });
  c = base(rng); c.regs[EBX] = DATA + 0xffe;
  cs.add(fam, 'mov eax,[page end straddle]', { ...c, code: [0x8b, modrm(0, EAX, EBX)] });
  c = base(rng); c.regs[EBX] = DATA + 0xffe;
  cs.add(fam, 'mov [page end straddle],eax', { ...c, code: [0x89, modrm(0, EAX, EBX)] });
}

// ---------------------------------------------------------------- stack
export function genStack(cs, rng) {
  const fam = 'stack';
  const sp = (rng) => STACK + 0x400 + 4 * rng.int(0x80);
  for (let i = 0; i < 24; i++) {
    for (let r = 0; r < 8; r++) {
      let c = base(rng); c.regs[ESP] = sp(rng);
      cs.add(fam, `push ${R32[r]}`, { ...c, code: [0x50 + r] });
      c = base(rng); c.regs[ESP] = sp(rng);
      cs.add(fam, `pop ${R32[r]}`, { ...c, code: [0x58 + r] });
      if (i < 4) {
        c = base(rng); c.regs[ESP] = sp(rng);
        cs.add(fam, `push ${R16[r]}`, { ...c, code: [0x66, 0x50 + r] });
        c = base(rng); c.regs[ESP] = sp(rng);
        cs.add(fam, `pop ${R16[r]}`, { ...c, code: [0x66, 0x58 + r] });
      }
    }
    const off = rng.int(0x100) * 4;
    let c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'push imm8', { ...c, code: [0x6a, rng.u32() & 0xff] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'push imm32', { ...c, code: [0x68, ...le32(rng.u32())] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'push imm16', { ...c, code: [0x66, 0x68, ...le16(rng.u32())] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'push [m32]', { ...c, code: [0xff, ...memAbs(6, off)] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'pop [m32]', { ...c, code: [0x8f, ...memAbs(0, off)] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'pop [esp+disp8]', { ...c, code: [0x8f, modrm(1, 0, 4), 0x24, 4 * rng.int(4)] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'push [esp+disp8]', { ...c, code: [0xff, modrm(1, 6, 4), 0x24, 4 * rng.int(4)] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'pusha', { ...c, code: [0x60] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'popa', { ...c, code: [0x61] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'pushaw', { ...c, code: [0x66, 0x60] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'pushf', { ...c, code: [0x9c] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'pushfw', { ...c, code: [0x66, 0x9c] });
    // popf: arithmetic flags and DF load; IF/IOPL/NT/TF/AC are either privileged or left out
    c = base(rng); c.regs[ESP] = sp(rng);
    const fl = (rng.u32() & (ARITH | DF)) | (i % 3 === 0 ? 0x3200 : 0x2) | (i % 4 === 1 ? 0x4000 : 0);
    cs.add(fam, 'popf', { ...c, code: [0x9d], mem: [[c.regs[ESP], le32(fl)]] });
    c = base(rng); c.regs[ESP] = sp(rng);
    cs.add(fam, 'popfw', { ...c, code: [0x66, 0x9d], mem: [[c.regs[ESP], le16(fl)]] });
    c = base(rng); c.regs[ESP] = sp(rng); c.regs[EBP] = STACK + 0x900 + 4 * rng.int(0x80);
    cs.add(fam, 'leave', { ...c, code: [0xc9] });
    c = base(rng); c.regs[ESP] = sp(rng); c.regs[EBP] = STACK + 0x900 + 4 * rng.int(0x40);
    const level = [0, 0, 1, 2, 3, 5][i % 6];
    cs.add(fam, `enter imm16,${level}`, { ...c, code: [0xc8, ...le16(rng.pick([0, 4, 8, 0x20, 0x104])), level] });
  }
  // stack overflow into an unmapped page faults
  let c = base(rng); c.regs[ESP] = STACK;
  cs.add(fam, 'push eax (below stack page)', { ...c, code: [0x50] });
  c = base(rng); c.regs[ESP] = STACK + 0x1000;
  cs.add(fam, 'pop eax (above stack page)', { ...c, code: [0x58] });
}

// ---------------------------------------------------------------- flags / conversions / misc
export function genMisc(cs, rng) {
  const fam = 'misc';
  const ONE = [['cbw', [0x66, 0x98]], ['cwde', [0x98]], ['cwd', [0x66, 0x99]], ['cdq', [0x99]], ['sahf', [0x9e]], ['lahf', [0x9f]],
    ['cmc', [0xf5]], ['clc', [0xf8]], ['stc', [0xf9]], ['cld', [0xfc]], ['std', [0xfd]], ['nop', [0x90]], ['pause', [0xf3, 0x90]],
    ['nopl', [0x0f, 0x1f, 0x44, 0x00, 0x00]], ['nopw', [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00]], ['fwait', [0x9b]],
    ['xlat', [0xd7]]];
  for (const [name, code] of ONE) {
    for (let i = 0; i < 40; i++) {
      const c = base(rng);
      const v = i < 8 ? [0, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0x7fffffff, 0x80000000][i] : rng.u32();
      c.regs[EAX] = (name === 'sahf' ? rng.u32() : v) >>> 0;
      c.eflags = rng.u32() & (ARITH | DF);
      if (name === 'xlat') c.regs[EBX] = DATA + rng.int(0xf00);
      cs.add(fam, name, { ...c, code });
    }
  }
  // traps and faults raised on purpose
  const c = base(rng);
  cs.add(fam, 'int3', { ...c, code: [0xcc] });
  cs.add(fam, 'int 3', { ...base(rng), code: [0xcd, 0x03] });
  cs.add(fam, 'ud2', { ...base(rng), code: [0x0f, 0x0b] });
  cs.add(fam, 'hlt', { ...base(rng), code: [0xf4] });
  cs.add(fam, 'out dx,al', { ...base(rng), code: [0xee] });
  cs.add(fam, 'cli', { ...base(rng), code: [0xfa] });
  // lock on a register operand or a non-lockable instruction is #UD
  cs.add(fam, 'lock add eax,ebx', { ...base(rng), code: [0xf0, 0x01, 0xd8] });
  cs.add(fam, 'lock nop', { ...base(rng), code: [0xf0, 0x90] });
  cs.add(fam, 'lock mov [m32],eax', { ...base(rng), code: [0xf0, 0x89, ...memAbs(0, 0x40)] });
  // into traps only with OF set
  for (const of of [0, OF]) { const c = base(rng); c.eflags = (c.eflags & ~OF) | of; cs.add(fam, 'into', { ...c, code: [0xce] }); }
  // bound: index inside / below / above the bounds pair
  for (const idx of [5, -1, 100, 10, 0]) {
    const c = base(rng); c.regs[EAX] = idx >>> 0;
    cs.add(fam, 'bound eax,[m32&32]', { ...c, code: [0x62, ...memAbs(EAX, 0x80)], mem: [[DATA + 0x80, [...le32(0), ...le32(10)]]] });
  }
  // 82 is the 32-bit-mode alias of 80 (group 1, 8-bit immediate)
  for (let op = 0; op < 8; op++) {
    const c = base(rng);
    cs.add(fam, `${ALU[op]} bl,imm8 (82)`, { ...c, code: [0x82, modrm(3, op, EBX), rng.u32() & 0xff], fmask: LOGIC.has(ALU[op]) ? AF : 0 });
  }
  // prefetch hints and fences touch no architectural state
  cs.add(fam, 'prefetcht0 [m8]', { ...base(rng), code: [0x0f, 0x18, ...memAbs(1, 0x40)] });
  cs.add(fam, 'sfence', { ...base(rng), code: [0x0f, 0xae, 0xf8] });
}

// ---------------------------------------------------------------- segments and 16-bit addressing
export function genSegments(cs, rng) {
  const fam = 'segments';
  const SREG = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
  // segment override prefixes on loads, stores and read-modify-write (GS base = data page, FS null)
  const OVR = [[0x65, 'gs'], [0x64, 'fs'], [0x2e, 'cs'], [0x36, 'ss'], [0x3e, 'ds'], [0x26, 'es']];
  for (const [pfx, sn] of OVR) {
    for (let i = 0; i < 12; i++) {
      const off = rng.int(0x400) * 4;
      const addr = sn === 'gs' ? off : DATA + off;
      let c = base(rng);
      cs.add(fam, `mov eax,${sn}:[disp32]`, { ...c, code: [pfx, 0x8b, modrm(0, EAX, 5), ...le32(addr)] });
      c = base(rng); c.regs[EBX] = addr;
      cs.add(fam, `mov ${sn}:[ebx],ecx`, { ...c, code: [pfx, 0x89, modrm(0, ECX, EBX)] });
      c = base(rng); c.regs[ESI] = addr - 8;
      cs.add(fam, `add ${sn}:[esi+8],imm8`, { ...c, code: [pfx, 0x83, modrm(1, 0, ESI), 8, rng.u32() & 0xff] });
      c = base(rng); c.regs[EDX] = addr; c.regs[ECX] = 4;
      cs.add(fam, `mov edx,${sn}:[edx+ecx*4]`, { ...c, code: [pfx, 0x8b, modrm(0, EDX, 4), (2 << 6) | (ECX << 3) | EDX] });
      c = base(rng); c.regs[ESI] = addr; c.regs[EDI] = DATA + 0x800 + rng.int(0x100); c.regs[ECX] = rng.int(6);
      cs.add(fam, `rep movsb (${sn}: source)`, { ...c, code: [pfx, 0xf3, 0xa4] });
      c = base(rng); c.regs[EBX] = addr;
      cs.add(fam, `lea eax,${sn}:[ebx+disp8]`, { ...c, code: [pfx, 0x8d, modrm(1, EAX, EBX), rng.u32() & 0xff] });
    }
  }
  cs.add(fam, 'mov eax,gs:[0x14]', { ...base(rng), code: [0x65, 0xa1, ...le32(0x14)] });
  cs.add(fam, 'mov eax,gs:[0x1000] (past base page)', { ...base(rng), code: [0x65, 0xa1, ...le32(0x1000)] });
  // reading segment registers
  for (let s = 0; s < 6; s++) {
    for (let i = 0; i < 3; i++) {
      let c = base(rng);
      cs.add(fam, `mov ${R16[i === 2 ? EBX : EAX]},${SREG[s]}`, { ...c, code: [...(i === 0 ? [0x66] : []), 0x8c, modrm(3, s, i === 2 ? EBX : EAX)] });
    }
    const off = rng.int(0x100) * 4;
    cs.add(fam, `mov [m16],${SREG[s]}`, { ...base(rng), code: [0x8c, ...memAbs(s, off)] });
    const c = base(rng); c.regs[ESP] = STACK + 0x800;
    const push = [[0x06], [0x0e], [0x16], [0x1e], [0x0f, 0xa0], [0x0f, 0xa8]][s];
    cs.add(fam, `push ${SREG[s]}`, { ...c, code: push });
    cs.add(fam, `pushw ${SREG[s]}`, { ...base(rng), code: [0x66, ...push] });
  }
  // loading segment registers: valid, null and bad selectors
  // (DS and SS get only the flat selector or faulting ones: the capture code runs on them)
  const SELS = [0x2b, 0x23, GS_SEL, 0, 3, 0x33, 0x1234, 0x2f, 0x18, 0x63 + 0x10];
  const FAULTING = [0x1234, 0x2f, 0x18, 0x63 + 0x10, 0x2c];
  for (const s of [0, 2, 3, 4, 5, 1]) {
    for (const sel of s === 2 || s === 3 ? [0x2b, ...FAULTING, ...(s === 2 ? [0, 0x23] : [])] : SELS) {
      const c = base(rng); c.regs[EAX] = ((rng.u32() & 0xffff0000) | sel) >>> 0;
      cs.add(fam, `mov ${SREG[s]},ax`, { ...c, code: [0x8e, modrm(3, s, EAX)] });
    }
  }
  for (const [name, code] of [['pop es', [0x07]], ['pop ss', [0x17]], ['pop ds', [0x1f]], ['pop fs', [0x0f, 0xa1]], ['pop gs', [0x0f, 0xa9]]]) {
    for (const sel of name === 'pop ss' || name === 'pop ds' ? [0x2b, 0x1234, 0x18] : [0x2b, 0, GS_SEL, 0x1234, 0x23]) {
      const c = base(rng); c.regs[ESP] = STACK + 0x800;
      cs.add(fam, name, { ...c, code, mem: [[STACK + 0x800, le32(((rng.u32() & 0xffff0000) | sel) >>> 0)]] });
    }
  }
  // 16-bit addressing (67 prefix) into the low page: BX/BP + SI/DI + disp, wrapping at 64 KiB
  for (let i = 0; i < 160; i++) {
    const c = base(rng);
    const hi = () => rng.u32() & 0xffff0000;
    const wrap = i % 8 === 7;
    c.regs[EBX] = (hi() | (wrap ? 0xff00 + rng.int(0x100) : 0x8000 + rng.int(0x400))) >>> 0;
    c.regs[EBP] = (hi() | (0x8000 + rng.int(0x400))) >>> 0;
    c.regs[ESI] = (hi() | (wrap ? 0x8100 : rng.int(0x200))) >>> 0;
    c.regs[EDI] = (hi() | rng.int(0x200)) >>> 0;
    const mod = rng.int(3), rm = rng.int(8);
    const disp = mod === 1 ? [rng.int(0x80)] : mod === 2 ? le16(rng.int(0x200)) : mod === 0 && rm === 6 ? le16(0x8000 + rng.int(0xf00)) : [];
    const reg = rng.pick([EAX, ECX, EDX]);
    const w = rng.pick(W);
    const op = rng.pick([[w === 8 ? 0x8a : 0x8b, 'mov r,[a16]'], [w === 8 ? 0x88 : 0x89, 'mov [a16],r'], [w === 8 ? 0x00 : 0x01, 'add [a16],r'], [w === 8 ? 0x32 : 0x33, 'xor r,[a16]']]);
    cs.add(fam, `${op[1]} (${w})`, { ...c, code: [0x67, ...opsz(w), op[0], modrm(mod, reg, rm), ...disp], fmask: op[1].startsWith('xor') ? AF : 0 });
  }
  // string instructions with 16-bit addressing use SI/DI/CX
  for (let i = 0; i < 12; i++) {
    const c = base(rng);
    c.regs[ESI] = ((rng.u32() & 0xffff0000) | (0x8100 + rng.int(0x100))) >>> 0;
    c.regs[EDI] = ((rng.u32() & 0xffff0000) | (0x8600 + rng.int(0x100))) >>> 0;
    c.regs[ECX] = ((rng.u32() & 0xffff0000) | rng.int(9)) >>> 0;
    c.eflags &= ~DF;
    const op = rng.pick([[0xa4, 'movsb'], [0xa5, 'movsd'], [0xaa, 'stosb'], [0xab, 'stosd']]);
    cs.add(fam, `rep ${op[1]} (addr16)`, { ...c, code: [0x67, 0xf3, op[0]] });
  }
}

// ---------------------------------------------------------------- prefix combinations
// Redundant, repeated and conflicting prefixes in front of a few base instructions, up to and
// beyond the 15-byte instruction length limit (#GP).
export function genPrefixes(cs, rng) {
  const fam = 'prefixes';
  const PFX = [0x66, 0x67, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0xf2, 0xf3, 0xf0];
  const BASES = [
    ['add eax,ebx', (o16) => [0x01, 0xd8]],
    ['add eax,imm', (o16) => [0x05, ...(o16 ? le16(rng.u32()) : le32(rng.u32()))]],
    ['mov eax,[ebx]', (o16) => [0x8b, 0x03]],
    ['add [ebx],ecx', (o16) => [0x01, 0x0b]],
    ['movsd', (o16) => [0xa5]],
    ['cmpsb', (o16) => [0xa6]],
    ['nop', (o16) => [0x90]],
    ['bsf eax,ebx', (o16) => [0x0f, 0xbc, 0xc3]],
    ['push imm', (o16) => [0x68, ...(o16 ? le16(rng.u32()) : le32(rng.u32()))]],
    ['jmp rel8', (o16) => null],
  ];
  for (let i = 0; i < 400; i++) {
    const [name, mk] = BASES[i % BASES.length];
    const n = i % 25 === 0 ? 14 + rng.int(3) : rng.int(5);
    const pre = Array.from({ length: n }, () => rng.pick(PFX));
    const o16 = pre.includes(0x66);
    let body = mk(o16);
    if (body === null) {
      // target: the next landing pad after the fall-through pad
      const len = pre.length + 2, end = INSN_OFF + len;
      body = [0xeb, (Math.ceil((end + PAD) / PAD) * PAD - end) & 0xff];
    }
    const c = base(rng);
    const hi = () => rng.u32() & 0xffff0000;
    c.regs[EBX] = DATA + 0x400 + rng.int(0x100);
    c.regs[EBP] = (hi() | (0x8100 + rng.int(0x100))) >>> 0;
    c.regs[EDI] = (hi() | (0x8800 + rng.int(0x100))) >>> 0;
    c.regs[ESI] = (hi() | (0x8400 + rng.int(0x100))) >>> 0;
    c.regs[ECX] = (hi() | rng.int(4)) >>> 0;
    if (rng.bool()) { c.regs[ESI] = DATA + 0x100 + rng.int(0x100); c.regs[EDI] = DATA + 0x600 + rng.int(0x100); c.regs[ECX] = rng.int(4); }
    c.eflags &= ~DF;
    // cmps reads two operands, and which one it reads first (and so which fault it reports when
    // both would fault) is left to the implementation: Intel and non-repz forms on AMD read
    // ES:[EDI] first, repz cmpsb on the AMD EPYC recording host reads the DS:[ESI] source first.
    // Excluded by keeping the destination readable: then only the (overridable) source can fault.
    if (name === 'cmpsb' && !pre.includes(0x67) && c.regs[EDI] >>> 12 !== DATA >>> 12) c.regs[EDI] = DATA + 0x600 + (c.regs[EDI] & 0xff);
    const code = [...pre, ...body];
    // F3 0F BC is bsf on the modelled CPU (no BMI1) but tzcnt on the recording host: the real CPU
    // runs it without the F3 prefixes (see genBitScan). Beyond the 15-byte limit the length #GP
    // comes before the opcode means anything, so those cases run as they are.
    const bsf = name.startsWith('bsf');
    const nat = bsf && pre.includes(0xf3) && code.length <= 15 ? { nativeCode: withoutF3(code) } : {};
    cs.add(fam, `${pre.map((b) => b.toString(16)).join(' ')}${pre.length ? ' ' : ''}${name}`, { ...c, code, ...nat, fmask: bsf ? BSF_UNDEF : 0 });
  }
}

export const INT_FAMILIES = [genPrefixes, genSegments, genAlu, genShift, genShxd, genMulDiv, genBitTest, genBitScan, genCond, genBranch, genBcd, genString, genAtomic, genMovLea, genStack, genMisc];
