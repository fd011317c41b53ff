// Decimal adjust instructions: daa das aaa aas aam aad.
import { EAX, type CPU, type Insn } from './machine.js';
import { CF, AF, ZF, SF, PARITY, STATUS } from './flags.js';
import { divideError } from './fault.js';

function szp(v: number): number {
  return PARITY[v & 0xff] | ((v & 0xff) === 0 ? ZF : 0) | (v & 0x80 ? SF : 0);
}

export function daa(c: CPU, _i: Insn): void {
  const f = c.flatFlags();
  const old = c.regs[EAX] & 0xff, oldCf = f & CF;
  let al = old, cf = 0, af = 0;
  if ((al & 0xf) > 9 || f & AF) { cf = oldCf | (al + 6 > 0xff ? 1 : 0); al = (al + 6) & 0xff; af = AF; }
  if (old > 0x99 || oldCf) { al = (al + 0x60) & 0xff; cf = 1; } else cf = 0;
  c.setR(1, EAX, al);
  c.setStatus(STATUS, (cf ? CF : 0) | af | szp(al));
}

export function das(c: CPU, _i: Insn): void {
  const f = c.flatFlags();
  const old = c.regs[EAX] & 0xff, oldCf = f & CF;
  let al = old, cf = 0, af = 0;
  if ((al & 0xf) > 9 || f & AF) { cf = oldCf | (al < 6 ? 1 : 0); al = (al - 6) & 0xff; af = AF; }
  if (old > 0x99 || oldCf) { al = (al - 0x60) & 0xff; cf = 1; }
  c.setR(1, EAX, al);
  c.setStatus(STATUS, (cf ? CF : 0) | af | szp(al));
}

export function aaa(c: CPU, _i: Insn): void {
  const f = c.flatFlags();
  let ax = c.regs[EAX] & 0xffff;
  let adj = 0;
  if ((ax & 0xf) > 9 || f & AF) { ax = (ax + 0x106) & 0xffff; adj = AF | CF; }
  ax &= 0xff0f;
  c.setR(2, EAX, ax);
  c.setStatus(STATUS, adj | szp(ax));
}

export function aas(c: CPU, _i: Insn): void {
  const f = c.flatFlags();
  let ax = c.regs[EAX] & 0xffff;
  let adj = 0;
  if ((ax & 0xf) > 9 || f & AF) { ax = (ax - 6 - 0x100) & 0xffff; adj = AF | CF; }
  ax &= 0xff0f;
  c.setR(2, EAX, ax);
  c.setStatus(STATUS, adj | szp(ax));
}

export function aam(c: CPU, i: Insn): void {
  const base = i.imm & 0xff;
  if (base === 0) throw divideError(i.eip);
  const al = c.regs[EAX] & 0xff;
  const r = al % base;
  c.setR(2, EAX, (Math.floor(al / base) << 8) | r);
  c.setStatus(STATUS, szp(r));
}

export function aad(c: CPU, i: Insn): void {
  const ax = c.regs[EAX];
  const al = ((ax & 0xff) + ((ax >> 8) & 0xff) * (i.imm & 0xff)) & 0xff;
  c.setR(2, EAX, al);
  c.setStatus(STATUS, szp(al));
}
