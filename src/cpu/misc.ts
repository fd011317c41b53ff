// Data movement and the remaining one-off instructions: mov (all forms), lea, xchg, movzx/movsx,
// cbw/cwd, cmovcc/setcc, cmpxchg/cmpxchg8b/xadd, flag bit instructions, xlat, cpuid, rdtsc,
// segment register moves, far pointer loads, bound, arpl, salc, x87 escape, privileged ops.
import { EAX, ECX, EDX, EBX, type CPU, type Insn } from './machine.js';
import { CF, DF, ZF } from './flags.js';
import { offsetOf } from './decode.js';
import { alu } from './alu.js';
import {
  CpuFault, generalProtection, SIGFPE, SIGSEGV, SI_KERNEL, TRAP_BR, TRAP_MF, undefinedOpcode,
} from './fault.js';
import { cpuidValues } from './cpu-model.js';
import { FPU, FPU_UD } from './fpu.js';

/** mov E, G */
export function movEG(c: CPU, i: Insn): void {
  if (i.size === 4) {
    if (i.m) c.mem.write32(c.ea(i), c.regs[i.reg]);
    else c.regs[i.rm] = c.regs[i.reg];
    return;
  }
  c.writeE(i, c.getR(i.size, i.reg));
}
/** mov G, E */
export function movGE(c: CPU, i: Insn): void {
  if (i.size === 4) {
    c.regs[i.reg] = i.m ? c.mem.read32(c.ea(i)) : c.regs[i.rm];
    return;
  }
  c.setR(i.size, i.reg, c.readE(i));
}
/** mov E, imm (C6/C7) */
export function movEI(c: CPU, i: Insn): void {
  c.writeE(i, i.imm);
}
/** mov r, imm (B0-BF) */
export function movZI(c: CPU, i: Insn): void {
  c.setR(i.size, i.reg, i.imm);
}
/** mov AL/eAX, moffs (A0/A1) and mov moffs, AL/eAX (A2/A3: sub 1) */
export function movMoffs(c: CPU, i: Insn): void {
  const a = c.ea(i);
  if (i.sub) c.wr(i.size, a, c.getR(i.size, EAX));
  else c.setR(i.size, EAX, c.rd(i.size, a));
}
/** lea (no segment base) */
export function lea(c: CPU, i: Insn): void {
  c.setR(i.size, i.reg, offsetOf(i, c.regs) | 0);
}
/** xchg E, G (implicitly locked) */
export function xchgEG(c: CPU, i: Insn): void {
  const s = i.size;
  if (!i.m) {
    const t = c.getR(s, i.rm);
    c.setR(s, i.rm, c.getR(s, i.reg));
    c.setR(s, i.reg, t);
    return;
  }
  const a = c.ea(i);
  const t = c.rdw(s, a);
  c.wr(s, a, c.getR(s, i.reg));
  c.setR(s, i.reg, t);
}
/** xchg eAX, r (91-97); 90 is nop */
export function xchgAZ(c: CPU, i: Insn): void {
  const s = i.size;
  const t = c.getR(s, EAX);
  c.setR(s, EAX, c.getR(s, i.reg));
  c.setR(s, i.reg, t);
}
export function nop(_c: CPU, _i: Insn): void {}

/** movzx (sub 0) / movsx (sub 1) G, Eb|Ew; source size from the opcode's low bit */
export function movx(c: CPU, i: Insn): void {
  const ss = i.op & 1 ? 2 : 1;
  const v = i.m ? c.rd(ss, c.ea(i)) : c.getR(ss, i.rm);
  const x = i.sub === 0 ? v : ss === 1 ? (v << 24) >> 24 : (v << 16) >> 16;
  c.setR(i.size, i.reg, x);
}
/** cbw / cwde */
export function cbw(c: CPU, i: Insn): void {
  if (i.size === 4) c.regs[EAX] = (c.regs[EAX] << 16) >> 16;
  else c.setR(2, EAX, (c.regs[EAX] << 24) >> 24);
}
/** cwd / cdq */
export function cwd(c: CPU, i: Insn): void {
  if (i.size === 4) c.regs[EDX] = c.regs[EAX] >> 31;
  else c.setR(2, EDX, (c.regs[EAX] << 16) >> 31);
}
/** cmovcc G, E: the source is read (and may fault) even when the condition is false */
export function cmov(c: CPU, i: Insn): void {
  const v = c.readE(i);
  if (c.cond(i.sub)) c.setR(i.size, i.reg, v);
}
/** setcc Eb */
export function setcc(c: CPU, i: Insn): void {
  c.writeE(i, c.cond(i.sub) ? 1 : 0);
}

/** cmpxchg E, G: compare with eAX; the destination is written in both cases (locked cycle) */
export function cmpxchg(c: CPU, i: Insn): void {
  const s = i.size;
  const a = i.m ? c.ea(i) : 0;
  const d = i.m ? c.rdw(s, a) : c.getR(s, i.rm);
  const acc = c.getR(s, EAX);
  alu(c, 7, s, acc, d);
  if (acc === d) {
    if (i.m) c.wr(s, a, c.getR(s, i.reg)); else c.setR(s, i.rm, c.getR(s, i.reg));
  } else {
    if (i.m) c.wr(s, a, d);
    c.setR(s, EAX, d);
  }
}
/** cmpxchg8b m64 */
export function cmpxchg8b(c: CPU, i: Insn): void {
  const a = c.ea(i);
  c.mem.checkWrite(a, 8);
  const lo = c.mem.read32(a), hi = c.mem.read32((a + 4) | 0);
  const r = c.regs;
  if (lo === r[EAX] && hi === r[EDX]) {
    c.mem.write32(a, r[EBX]);
    c.mem.write32((a + 4) | 0, r[ECX]);
    c.setStatus(ZF, ZF);
  } else {
    c.mem.write32(a, lo);
    c.mem.write32((a + 4) | 0, hi);
    r[EAX] = lo;
    r[EDX] = hi;
    c.setStatus(ZF, 0);
  }
}
/** xadd E, G */
export function xadd(c: CPU, i: Insn): void {
  const s = i.size;
  const a = i.m ? c.ea(i) : 0;
  const d = i.m ? c.rdw(s, a) : c.getR(s, i.rm);
  const src = c.getR(s, i.reg);
  const sum = alu(c, 0, s, d, src);
  c.setR(s, i.reg, d);
  if (i.m) c.wr(s, a, sum); else c.setR(s, i.rm, sum);
}

/** cmc clc stc cld std (sub: 0 cmc, 1 clc, 2 stc, 3 cld, 4 std) */
export function flagOp(c: CPU, i: Insn): void {
  switch (i.sub) {
    case 0: c.setStatus(CF, c.getCF() ^ 1); break;
    case 1: c.setStatus(CF, 0); break;
    case 2: c.setStatus(CF, CF); break;
    case 3: c.flags &= ~DF; break;
    default: c.flags |= DF; break;
  }
}
/** salc (undocumented D6): AL = CF ? 0xff : 0 */
export function salc(c: CPU, _i: Insn): void {
  c.setR(1, EAX, c.getCF() ? 0xff : 0);
}
/** xlat: AL = [seg:ebx + al] */
export function xlat(c: CPU, i: Insn): void {
  let a = c.regs[EBX] + (c.regs[EAX] & 0xff);
  if (i.a16) a &= 0xffff;
  if (i.seg >= 0) a += c.base(i.seg);
  c.setR(1, EAX, c.mem.read8(a | 0));
}

/** cpuid: the modelled CPU's leaf EAX, subleaf ECX (cpu-model.ts) */
export function cpuid(c: CPU, _i: Insn): void {
  const [a, b, cc, d] = cpuidValues(c.regs[EAX], c.regs[ECX]);
  c.regs[EAX] = a;
  c.regs[EBX] = b;
  c.regs[ECX] = cc;
  c.regs[EDX] = d;
}
/** rdtsc: deterministic, advancing with retired instructions */
export function rdtsc(c: CPU, _i: Insn): void {
  const t = c.icount * 2;
  c.regs[EAX] = t % 0x100000000;
  c.regs[EDX] = Math.floor(t / 0x100000000);
}

/** mov E, Sreg (8C): a register destination is zero-extended */
export function movES(c: CPU, i: Insn): void {
  if (i.reg > 5) throw undefinedOpcode(i.eip);
  const v = c.segs[i.reg];
  if (i.m) c.mem.write16(c.ea(i), v);
  else c.setR(i.size, i.rm, v);
}
/** mov Sreg, E (8E) */
export function movSE(c: CPU, i: Insn): void {
  if (i.reg > 5 || i.reg === 1) throw undefinedOpcode(i.eip);
  const v = i.m ? c.mem.read16(c.ea(i)) : c.regs[i.rm] & 0xffff;
  c.loadSeg(i.reg, v);
}
/** les lds lss lfs lgs (sub = segment register) */
export function loadFarPtr(c: CPU, i: Insn): void {
  const a = c.ea(i);
  const off = c.rd(i.size, a);
  const sel = c.mem.read16((a + i.size) | 0);
  c.loadSeg(i.sub, sel);
  c.setR(i.size, i.reg, off);
}
/** bound G, M: #BR when the index is outside [lower, upper] */
export function bound(c: CPU, i: Insn): void {
  const a = c.ea(i), s = i.size;
  const sx = (v: number) => (s === 4 ? v | 0 : (v << 16) >> 16);
  const lo = sx(c.rd(s, a)), hi = sx(c.rd(s, (a + s) | 0));
  const v = sx(c.getR(s, i.reg));
  if (v < lo || v > hi) throw new CpuFault(SIGSEGV, SI_KERNEL, 0, TRAP_BR, 0);
}
/** arpl Ew, Gw */
export function arpl(c: CPU, i: Insn): void {
  const a = i.m ? c.ea(i) : 0;
  const d = i.m ? c.rd(2, a) : c.getR(2, i.rm); // reads first, then writes only when adjusting
  const src = c.getR(2, i.reg);
  if ((d & 3) < (src & 3)) {
    const v = (d & ~3) | (src & 3);
    if (i.m) c.wr(2, a, v); else c.setR(2, i.rm, v);
    c.setStatus(ZF, ZF);
  } else c.setStatus(ZF, 0);
}

/** x87 escape D8-DF; i.sub is its form (fpu.ts x87Form), found when it was decoded */
export function fpuEsc(c: CPU, i: Insn): void {
  x87At(c, i, i.m ? c.ea(i) : 0);
}
/** x87 instruction i with its memory operand at addr (translated code computes it itself) */
export function x87At(c: CPU, i: Insn, addr: number): void {
  if (i.op === 0x9b) return fwait(c, i); // (translated code's fwait, with an exception pending)
  const f = c.fpu;
  const code = f instanceof FPU ? (i.sub < 0 ? FPU_UD : f.run(c, i.sub, i.modrm, addr, i.o16))
    : f.exec(c, i.op, i.modrm, addr, i.o16);
  if (code < 0) throw undefinedOpcode(i.eip);
  if (code) throw new CpuFault(SIGFPE, code, i.eip, TRAP_MF, 0);
}
/** fwait */
export function fwait(c: CPU, i: Insn): void {
  const code = c.fpu.fwait(c);
  if (code) throw new CpuFault(SIGFPE, code, i.eip, TRAP_MF, 0);
}

/** privileged in user mode (hlt, cli/sti, in/out, mov crN, …): #GP */
export function privileged(_c: CPU, _i: Insn): void {
  throw generalProtection(0);
}

