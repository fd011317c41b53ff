// Stack instructions: push/pop (registers, memory, immediates, segment registers), pusha/popa,
// pushf/popf, enter/leave.
import { ESP, EBP, type CPU, type Insn } from './machine.js';
import { POPF_MASK, STATUS, TF } from './flags.js';
import { TF_ON } from './fault.js';

/** push r (50-57) */
export function pushZ(c: CPU, i: Insn): void {
  if (i.size === 4) c.push32(c.regs[i.reg]);
  else c.push(2, c.regs[i.reg]);
}
/** pop r (58-5F) */
export function popZ(c: CPU, i: Insn): void {
  if (i.size === 4) {
    const sp = c.regs[ESP];
    const v = c.mem.read32(sp);
    c.regs[ESP] = sp + 4;
    c.regs[i.reg] = v; // pop esp loads the popped value
    return;
  }
  const v = c.pop(2);
  c.setR(2, i.reg, v);
}
/** push imm (68, 6A) */
export function pushI(c: CPU, i: Insn): void {
  c.push(i.size, i.imm);
}
/** push E (FF /6): the operand is read before esp changes */
export function pushE(c: CPU, i: Insn): void {
  c.push(i.size, c.readE(i));
}
/** pop E (8F /0): a memory operand using esp is addressed after the increment */
export function popE(c: CPU, i: Insn): void {
  const sp = c.regs[ESP];
  const v = c.rd(i.size, sp);
  if (!i.m) { c.regs[ESP] = sp + i.size; c.setR(i.size, i.rm, v); return; }
  c.regs[ESP] = sp + i.size;
  try {
    c.wr(i.size, c.ea(i), v);
  } catch (e) {
    c.regs[ESP] = sp;
    throw e;
  }
}

/** push sreg (sub = segment number). A 32-bit push writes only the low word, as current Intel parts do. */
export function pushS(c: CPU, i: Insn): void {
  const sp = (c.regs[ESP] - i.size) | 0;
  c.mem.write16(sp, c.segs[i.sub]);
  c.regs[ESP] = sp;
}
/** pop sreg */
export function popS(c: CPU, i: Insn): void {
  const sp = c.regs[ESP];
  const v = c.mem.read16(sp);
  c.loadSeg(i.sub, v);
  c.regs[ESP] = sp + i.size;
}

export function pusha(c: CPU, i: Insn): void {
  const s = i.size, r = c.regs;
  const sp = r[ESP];
  let p = sp; // stores go from high to low addresses; esp only changes at the end
  for (let k = 0; k < 8; k++) {
    p = (p - s) | 0;
    c.wr(s, p, k === ESP ? sp : r[k]);
  }
  r[ESP] = p;
}
export function popa(c: CPU, i: Insn): void {
  const s = i.size, r = c.regs;
  const sp = r[ESP];
  c.mem.checkRead(sp, 8 * s);
  const vals: number[] = [];
  for (let k = 0; k < 8; k++) vals.push(c.rd(s, (sp + k * s) | 0));
  for (let k = 0; k < 8; k++) if (7 - k !== ESP) c.setR(s, 7 - k, vals[k]);
  r[ESP] = sp + 8 * s;
}

/** pushf: RF and VM read as 0 */
export function pushf(c: CPU, i: Insn): void {
  c.push(i.size, c.getEflags() & ~0x30000);
}
/** popf: only the user-modifiable bits change */
export function popf(c: CPU, i: Insn): void {
  const v = c.pop(i.size);
  const mask = i.size === 4 ? POPF_MASK : POPF_MASK & 0xffff;
  c.setEflags((c.getEflags() & ~mask) | (v & mask));
  if (c.flags & TF) throw TF_ON;
}
/** sahf: SF ZF AF PF CF from AH */
export function sahf(c: CPU, _i: Insn): void {
  c.setStatus(STATUS & 0xff, (c.regs[0] >> 8) & 0xd5);
}
/** lahf */
export function lahf(c: CPU, _i: Insn): void {
  c.setR(1, 4, (c.getEflags() & 0xd5) | 2);
}

/** enter imm16, imm8 */
export function enter(c: CPU, i: Insn): void {
  const s = i.size, r = c.regs;
  const level = i.imm2 & 31;
  let sp = (r[ESP] - s) | 0;
  c.wr(s, sp, r[EBP]);
  const frame = sp;
  let bp = r[EBP];
  if (level > 0) {
    for (let k = 1; k < level; k++) {
      bp = (bp - s) | 0;
      const v = c.rd(s, s === 4 ? bp : bp & 0xffff);
      sp = (sp - s) | 0;
      c.wr(s, sp, v);
    }
    sp = (sp - s) | 0;
    c.wr(s, sp, frame);
  }
  sp = (sp - i.imm) | 0;
  // the hardware also probes the final stack location
  if (i.imm) c.mem.checkWrite(sp, s);
  c.setR(s, EBP, frame);
  r[ESP] = sp;
}
/** leave */
export function leave(c: CPU, i: Insn): void {
  const r = c.regs;
  const sp = r[EBP];
  const v = c.rd(i.size, sp);
  r[ESP] = sp + i.size;
  c.setR(i.size, EBP, v);
}
