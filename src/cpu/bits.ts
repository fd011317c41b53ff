// Bit tests (bt bts btr btc, register and memory forms), bit scans (bsf bsr, and tzcnt/lzcnt
// which execute as bsf/bsr on a CPU without BMI1/LZCNT), bswap.
import type { CPU, Insn } from './machine.js';
import { CF, ZF } from './flags.js';

function btApply(op: number, v: number, bit: number): number {
  const m = 1 << bit;
  return op === 1 ? v | m : op === 2 ? v & ~m : op === 3 ? v ^ m : v;
}

/** bt/bts/btr/btc E, G (sub: 0 bt, 1 bts, 2 btr, 3 btc) */
export function btEG(c: CPU, i: Insn): void {
  const s = i.size;
  const off = c.getR(s, i.reg);
  btCommon(c, i, s === 4 ? off : (off << 16) >> 16, i.sub, true);
}
/** group 8: bt/bts/btr/btc E, imm8 (reg 4..7) */
export function btEI(c: CPU, i: Insn): void {
  btCommon(c, i, i.imm, i.reg - 4, false);
}

function btCommon(c: CPU, i: Insn, off: number, op: number, regOffset: boolean): void {
  const s = i.size, bits = s * 8;
  const bit = off & (bits - 1);
  if (!i.m) {
    const v = c.getR(s, i.rm);
    c.setStatus(CF, (v >>> bit) & 1);
    if (op) c.setR(s, i.rm, btApply(op, v, bit));
    return;
  }
  // a register bit offset is signed and may address memory outside the operand
  let a = c.ea(i);
  if (regOffset) a = (a + (s === 4 ? (off >> 5) << 2 : (off >> 4) << 1)) | 0;
  const v = op ? c.rdw(s, a) : c.rd(s, a);
  if (op) c.wr(s, a, btApply(op, v, bit));
  c.setStatus(CF, (v >>> bit) & 1);
}

/** bsf (sub 0) / bsr (sub 1); source zero: ZF=1 and destination unchanged */
export function bsfr(c: CPU, i: Insn): void {
  const s = i.size;
  const v = c.readE(i) >>> 0;
  if (v === 0) { c.setStatus(ZF, ZF); return; }
  const n = i.sub === 0 ? 31 - Math.clz32(v & -v) : 31 - Math.clz32(v);
  c.setR(s, i.reg, n);
  c.setStatus(ZF, 0);
}

/** bswap r32 (16-bit operand size: the hardware clears the low word) */
export function bswap(c: CPU, i: Insn): void {
  const v = c.regs[i.reg];
  if (i.o16) { c.setR(2, i.reg, 0); return; }
  c.regs[i.reg] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}
