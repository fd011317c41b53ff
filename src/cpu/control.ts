// Control transfer: jmp/jcc/call/ret (near, relative and indirect), loop/jcxz, far forms
// (only to Linux's user code segment), int/int3/into/int1.
import { ECX, USER_CS, type CPU, type Insn } from './machine.js';
import {
  CpuFault, SYSCALL_STOP, TF_ON, generalProtection, SIGTRAP, SIGSEGV, SI_KERNEL, TRAP_BP, TRAP_DB, TRAP_OF,
} from './fault.js';
import { POPF_MASK, TF } from './flags.js';

export function jmpRel(c: CPU, i: Insn): void {
  c.eip = i.imm;
}
export function jcc(c: CPU, i: Insn): void {
  if (c.cond(i.sub)) c.eip = i.imm;
}
export function callRel(c: CPU, i: Insn): void {
  c.push(i.size, i.next);
  c.eip = i.imm;
}
/** jmp E (FF /4) */
export function jmpE(c: CPU, i: Insn): void {
  const t = c.readE(i);
  c.eip = i.size === 4 ? t >>> 0 : t & 0xffff;
}
/** call E (FF /2) */
export function callE(c: CPU, i: Insn): void {
  const t = c.readE(i);
  c.push(i.size, i.next);
  c.eip = i.size === 4 ? t >>> 0 : t & 0xffff;
}
/** ret, ret imm16 (sub 1) */
export function ret(c: CPU, i: Insn): void {
  const t = c.pop(i.size);
  c.eip = i.size === 4 ? t >>> 0 : t;
  if (i.sub) c.regs[4] += i.imm;
}

/** loopne (sub 0), loope (1), loop (2) */
export function loop(c: CPU, i: Insn): void {
  let n: number;
  if (i.a16) { n = (c.regs[ECX] - 1) & 0xffff; c.setR(2, ECX, n); }
  else n = c.regs[ECX] = c.regs[ECX] - 1;
  if (n === 0) return;
  if (i.sub === 0 && c.getZF()) return;
  if (i.sub === 1 && !c.getZF()) return;
  c.eip = i.imm;
}
export function jcxz(c: CPU, i: Insn): void {
  if ((i.a16 ? c.regs[ECX] & 0xffff : c.regs[ECX]) === 0) c.eip = i.imm;
}

function farTarget(sel: number): void {
  if ((sel & 0xfffc) !== (USER_CS & 0xfffc)) throw generalProtection(sel & 0xfffc);
}
/** jmp ptr16:32 (EA) */
export function jmpFar(c: CPU, i: Insn): void {
  farTarget(i.imm2);
  c.eip = i.imm;
}
/** call ptr16:32 (9A) */
export function callFar(c: CPU, i: Insn): void {
  farTarget(i.imm2);
  c.push(i.size, c.segs[1]);
  c.push(i.size, i.next);
  c.eip = i.imm;
}
/** jmp/call m16:32 (FF /5, FF /3; sub 1 = call) */
export function farIndirect(c: CPU, i: Insn): void {
  const a = c.ea(i);
  const off = c.rd(i.size, a);
  const sel = c.mem.read16((a + i.size) | 0);
  farTarget(sel);
  if (i.sub) {
    c.push(i.size, c.segs[1]);
    c.push(i.size, i.next);
  }
  c.eip = i.size === 4 ? off >>> 0 : off;
}
/** retf, retf imm16 (sub 1) */
export function retFar(c: CPU, i: Insn): void {
  const sp = c.regs[4];
  const off = c.rd(i.size, sp);
  const sel = c.rd(i.size, (sp + i.size) | 0) & 0xffff;
  farTarget(sel);
  c.regs[4] = sp + 2 * i.size + (i.sub ? i.imm : 0);
  c.eip = i.size === 4 ? off >>> 0 : off;
}

/** int imm8: 0x80 is the system call gate; 3 is the breakpoint gate; others are #GP */
export function intN(c: CPU, i: Insn): void {
  const n = i.imm & 0xff;
  if (n === 0x80) {
    if (c.flags & TF) throw SYSCALL_STOP; // single-stepping: the stepping loop handles the stop
    c.stopForSyscall();
    return;
  }
  if (n === 3) throw new CpuFault(SIGTRAP, SI_KERNEL, 0, TRAP_BP, 0, true);
  if (n === 4) throw new CpuFault(SIGSEGV, SI_KERNEL, 0, TRAP_OF, 0, true);
  // only DPL-3 gates are reachable from user mode: #GP with the IDT error code
  throw generalProtection((n << 3) | 2);
}
export function int3(_c: CPU, _i: Insn): void {
  throw new CpuFault(SIGTRAP, SI_KERNEL, 0, TRAP_BP, 0, true);
}
/** icebp: #DB without a debug-status reason, reported as TRAP_BRKPT */
export function int1(_c: CPU, _i: Insn): void {
  throw new CpuFault(SIGTRAP, 1, 0, TRAP_DB, 0, true);
}
export function into(c: CPU, _i: Insn): void {
  if (c.getOF()) throw new CpuFault(SIGSEGV, SI_KERNEL, 0, TRAP_OF, 0, true);
}

/** iret to the same privilege level (user code segment only) */
export function iret(c: CPU, i: Insn): void {
  const s = i.size, sp = c.regs[4];
  const off = c.rd(s, sp);
  const sel = c.rd(s, (sp + s) | 0) & 0xffff;
  const fl = c.rd(s, (sp + 2 * s) | 0);
  farTarget(sel);
  const mask = s === 4 ? POPF_MASK : POPF_MASK & 0xffff;
  c.setEflags((c.getEflags() & ~mask) | (fl & mask));
  c.regs[4] = sp + 3 * s;
  c.eip = s === 4 ? off >>> 0 : off;
  if (c.flags & TF) throw TF_ON;
}
