// Two-operand arithmetic/logic (add or adc sbb and sub xor cmp), test, inc/dec, neg/not.
import type { CPU, Insn } from './machine.js';
import { F_ADD, F_ADC, F_SUB, F_SBB, F_LOGIC, F_INC, F_DEC } from './flags.js';

/** ALU operation op (ModRM /reg numbering: add or adc sbb and sub xor cmp) on size-truncated values. */
export function alu(c: CPU, op: number, size: number, a: number, b: number): number {
  const mask = size === 4 ? -1 : size === 2 ? 0xffff : 0xff;
  let r: number;
  switch (op) {
    case 0: r = (a + b) & mask; c.lazy(F_ADD, size, a, b, r); return r;
    case 1: r = (a | b) & mask; c.lazy(F_LOGIC, size, a, b, r); return r;
    case 2: { const cf = c.getCF(); r = (a + b + cf) & mask; c.lazy(F_ADC, size, a, b, r); c.fcf = cf; return r; }
    case 3: { const cf = c.getCF(); r = (a - b - cf) & mask; c.lazy(F_SBB, size, a, b, r); c.fcf = cf; return r; }
    case 4: r = (a & b) & mask; c.lazy(F_LOGIC, size, a, b, r); return r;
    case 6: r = (a ^ b) & mask; c.lazy(F_LOGIC, size, a, b, r); return r;
    default: r = (a - b) & mask; c.lazy(F_SUB, size, a, b, r); return r;
  }
}

/** op E, G */
export function aluEG(c: CPU, i: Insn): void {
  const s = i.size;
  if (!i.m) {
    if (s === 4) {
      const regs = c.regs;
      const a = regs[i.rm], b = regs[i.reg];
      switch (i.sub) {
        case 0: { const r = (a + b) | 0; regs[i.rm] = r; c.fop = F_ADD; c.fa = a; c.fb = b; c.fres = r; c.fsign = -0x80000000; return; }
        case 5: { const r = (a - b) | 0; regs[i.rm] = r; c.fop = F_SUB; c.fa = a; c.fb = b; c.fres = r; c.fsign = -0x80000000; return; }
        case 7: { c.fop = F_SUB; c.fa = a; c.fb = b; c.fres = (a - b) | 0; c.fsign = -0x80000000; return; }
        case 6: { const r = a ^ b; regs[i.rm] = r; c.fop = F_LOGIC; c.fres = r; c.fsign = -0x80000000; return; }
      }
    }
    const r = alu(c, i.sub, s, c.getR(s, i.rm), c.getR(s, i.reg));
    if (i.sub !== 7) c.setR(s, i.rm, r);
    return;
  }
  const a = c.ea(i);
  if (i.sub === 7) { alu(c, 7, s, c.rd(s, a), c.getR(s, i.reg)); return; }
  const r = alu(c, i.sub, s, c.rdw(s, a), c.getR(s, i.reg));
  c.wr(s, a, r);
}

/** op G, E */
export function aluGE(c: CPU, i: Insn): void {
  const s = i.size;
  if (s === 4) {
    const regs = c.regs;
    const a = regs[i.reg], b = i.m ? c.mem.read32(c.ea(i)) : regs[i.rm];
    switch (i.sub) {
      case 0: { const r = (a + b) | 0; regs[i.reg] = r; c.fop = F_ADD; c.fa = a; c.fb = b; c.fres = r; c.fsign = -0x80000000; return; }
      case 5: { const r = (a - b) | 0; regs[i.reg] = r; c.fop = F_SUB; c.fa = a; c.fb = b; c.fres = r; c.fsign = -0x80000000; return; }
      case 7: { c.fop = F_SUB; c.fa = a; c.fb = b; c.fres = (a - b) | 0; c.fsign = -0x80000000; return; }
    }
    const r = alu(c, i.sub, 4, a, b);
    if (i.sub !== 7) regs[i.reg] = r;
    return;
  }
  const r = alu(c, i.sub, s, c.getR(s, i.reg), c.readE(i));
  if (i.sub !== 7) c.setR(s, i.reg, r);
}

/** op E, imm (also AL/eAX, imm: rm = 0 register form) */
export function aluEI(c: CPU, i: Insn): void {
  const s = i.size;
  if (!i.m) {
    if (s === 4) {
      const regs = c.regs;
      const a = regs[i.rm], b = i.imm;
      switch (i.sub) {
        case 0: { const r = (a + b) | 0; regs[i.rm] = r; c.fop = F_ADD; c.fa = a; c.fb = b; c.fres = r; c.fsign = -0x80000000; return; }
        case 5: { const r = (a - b) | 0; regs[i.rm] = r; c.fop = F_SUB; c.fa = a; c.fb = b; c.fres = r; c.fsign = -0x80000000; return; }
        case 7: { c.fop = F_SUB; c.fa = a; c.fb = b; c.fres = (a - b) | 0; c.fsign = -0x80000000; return; }
        case 4: { const r = a & b; regs[i.rm] = r; c.fop = F_LOGIC; c.fres = r; c.fsign = -0x80000000; return; }
      }
    }
    const r = alu(c, i.sub, s, c.getR(s, i.rm), i.imm);
    if (i.sub !== 7) c.setR(s, i.rm, r);
    return;
  }
  const a = c.ea(i);
  if (i.sub === 7) { alu(c, 7, s, c.rd(s, a), i.imm); return; }
  const r = alu(c, i.sub, s, c.rdw(s, a), i.imm);
  c.wr(s, a, r);
}

/** test E, G */
export function testEG(c: CPU, i: Insn): void {
  const s = i.size;
  const r = c.readE(i) & c.getR(s, i.reg);
  c.lazy(F_LOGIC, s, 0, 0, r);
}
/** test E, imm */
export function testEI(c: CPU, i: Insn): void {
  const s = i.size;
  const r = c.readE(i) & i.imm;
  c.lazy(F_LOGIC, s, 0, 0, r);
}

function incdec(c: CPU, s: number, v: number, dec: boolean): number {
  const cf = c.getCF();
  const mask = s === 4 ? -1 : s === 2 ? 0xffff : 0xff;
  const r = (dec ? v - 1 : v + 1) & mask;
  c.lazy(dec ? F_DEC : F_INC, s, v, 1, r);
  c.fcf = cf;
  return r;
}
/** inc/dec of the register coded in the opcode (40-4F); sub = 1 for dec */
export function incdecZ(c: CPU, i: Insn): void {
  c.setR(i.size, i.reg, incdec(c, i.size, c.getR(i.size, i.reg), i.sub === 1));
}
/** inc/dec E (FE/FF /0 /1) */
export function incdecE(c: CPU, i: Insn): void {
  const s = i.size;
  if (!i.m) { c.setR(s, i.rm, incdec(c, s, c.getR(s, i.rm), i.sub === 1)); return; }
  const a = c.ea(i);
  const r = incdec(c, s, c.rdw(s, a), i.sub === 1);
  c.wr(s, a, r);
}

export function notE(c: CPU, i: Insn): void {
  const s = i.size;
  if (!i.m) { c.setR(s, i.rm, ~c.getR(s, i.rm)); return; }
  const a = c.ea(i);
  c.wr(s, a, ~c.rdw(s, a));
}

export function negE(c: CPU, i: Insn): void {
  const s = i.size;
  if (!i.m) { c.setR(s, i.rm, alu(c, 5, s, 0, c.getR(s, i.rm))); return; }
  const a = c.ea(i);
  const v = c.rdw(s, a);
  c.wr(s, a, alu(c, 5, s, 0, v));
}
