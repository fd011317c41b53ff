// The opcode table: one entry per one-byte opcode (0x00-0xff) and per 0F-prefixed opcode
// (0x100-0x1ff; 0F 38 and 0F 3A maps at 0x200 and 0x300). The decoder is built from it: operand
// specs (Intel manual notation) say which ModRM/immediate bytes follow, `group` selects by
// ModRM.reg, `mod3` gives the register-form meaning, `f3` the meaning under an F3 prefix. `undef`
// lists the EFLAGS bits the hardware leaves undefined (exported through undefinedFlags()).
// Missing entries raise #UD.
//
// Besides its handler (the instruction's one definition, which both translators call for what
// they do not emit themselves), an entry states the facts the translators and the decoder work
// from, as v86's gen/x86_table.js does: its `kind` (which template of jit.ts and wasm.ts emits
// it), where each backend emits it `inline`, whether it `ends` a block, the status `flags` it
// reads and writes, and how it uses its memory operand (`mem`).
//
// Operand tokens: E/G ModRM rm/reg (b byte, w word, v operand size), M memory only, S segment
// register, Z register in the opcode's low bits, Ib/Iw/Iz immediates (Ibs sign-extended),
// Jb/Jz relative targets, Ap far pointer, Ob/Ov absolute offset, AL/eAX/CL/1 fixed operands.
import type { Handler, Insn } from './decode.js';
import { aluEG, aluGE, aluEI, testEG, testEI, incdecZ, incdecE, notE, negE } from './alu.js';
import { shiftE, shldrd } from './shift.js';
import { mulDivE, imulGE } from './muldiv.js';
import { movs, cmps, stos, lods, scas } from './string.js';
import { btEG, btEI, bsfr, bswap } from './bits.js';
import { daa, das, aaa, aas, aam, aad } from './bcd.js';
import { x87Form } from './fpu.js';
import {
  jmpRel, jcc, callRel, jmpE, callE, ret, loop, jcxz, jmpFar, callFar, farIndirect, retFar,
  intN, int3, int1, into, iret,
} from './control.js';
import {
  pushZ, popZ, pushI, pushE, popE, pushS, popS, pusha, popa, pushf, popf, sahf, lahf, enter, leave,
} from './stack.js';
import {
  movEG, movGE, movEI, movZI, movMoffs, lea, xchgEG, xchgAZ, nop, movx, cbw, cwd, cmov, setcc,
  cmpxchg, cmpxchg8b, xadd, flagOp, salc, xlat, cpuid, rdtsc, movES, movSE, loadFarPtr, bound,
  arpl, fpuEsc, fwait, privileged,
} from './misc.js';

import { mergeSimd } from './simd-table.js';
import { ENTRIES as SIMD_INT } from './simd-int.js';
import { ENTRIES as SIMD_EXT } from './simd-ext.js';
import { ENTRIES as SIMD_FP } from './simd-fp.js';
import { ENTRIES as SIMD_STATE, fxsave, fxrstor, ldmxcsr, stmxcsr, clflush } from './simd-state.js';

/**
 * What the translators emit inline (a template of jit.ts and wasm.ts each); the operand form
 * (E,G / G,E / E,imm / register in the opcode …) follows from the entry's operand spec.
 */
export type Kind =
  | 'nop' | 'mov' | 'moffs' | 'lea' | 'movx' | 'xchg' | 'cmpxchg'
  | 'alu' | 'test' | 'incdec' | 'not' | 'neg' | 'imul' | 'shift'
  | 'push' | 'pop' | 'cmov' | 'setcc'
  | 'jcc' | 'jmp' | 'call' | 'ret' | 'jmpInd' | 'callInd'
  | 'muldiv' | 'bt' | 'bsf' | 'dflag' | 'movs' | 'stos' | 'cwd' | 'shld' | 'bswap' | 'sahf' | 'lahf';

/** Where a backend emits an instruction inline (everywhere else it calls the handler). */
export interface InlineDef {
  /** operand sizes in bytes (default: any) */
  sizes?: readonly number[];
  /** only the register form or only the memory form (default: both) */
  only?: 'reg' | 'mem';
  /** the lock-prefixed form too: one CPU runs at a time, so the emitted code is atomic as it is */
  lock?: boolean;
  /** a 67 or F2/F3 prefix changes nothing for it ("rep ret" is a plain ret) */
  anyPrefix?: boolean;
  /** its rep form too (32-bit addressing only) */
  rep?: boolean;
}

export interface OpDef {
  name: string;
  ops?: string;
  fn?: Handler;
  sub?: number;
  /** sub found from the opcode and ModRM byte instead (the x87 handler index: fpu.ts x87Form) */
  subOf?: (op: number, modrm: number) => number;
  group?: (OpDef | undefined)[];
  mod3?: OpDef;
  f3?: OpDef;
  lock?: boolean;
  byte?: boolean;
  undef?: string | ((i: Insn) => string);
  /** SIMD forms by mandatory prefix: none, 66, F3, F2 (tables in simd-*.ts) */
  pfx?: (OpDef | undefined)[];
  /** a SIMD instruction (register-only and memory-only operand checks, alignment) */
  simd?: boolean;
  /** its 16-byte memory operand may be misaligned (movups, movdqu, lddqu …) */
  ua?: boolean;
  /** a SIMD form that only reads its memory operand (a cs: override is allowed): mem 'r' */
  ro?: boolean;

  // ---- facts for the translators and the decoder
  /** the template jit.ts and wasm.ts emit it with (where `inline` says they do) */
  kind?: Kind;
  /** emitted inline by jit.ts (js) and by wasm.ts (wasm): operand sizes, or a rule */
  inline?: { js?: readonly number[] | InlineDef; wasm?: readonly number[] | InlineDef };
  /** ends a block: control may go elsewhere than to the next instruction (jumps, calls, int …) */
  ends?: boolean;
  /**
   * Status flags (names as in undef; ALL below names the six): `reads`, those it needs from before it
   * (read, or kept while it sets others: inc/dec keep CF); `writes`, those it always sets.
   * Absent: not stated, taken as reading all and writing none.
   */
  flags?: { reads?: string; writes?: string };
  /**
   * Its ModRM or offset memory operand is read, written (a cs: override is then #GP), both, or
   * not accessed. Default: 'rw' for an operand that may be memory (SIMD forms: 'w' when it
   * comes first, else 'r'), 'none' without one.
   */
  mem?: 'r' | 'w' | 'rw' | 'none';
}

const T: (OpDef | undefined)[] = new Array(0x400).fill(undefined);
const ALL = 'CF OF SF ZF AF PF';
const UD: OpDef = { name: '(bad)' };

// facts shared by many entries: operand sizes each backend emits inline, flags
const IN_ANY: OpDef['inline'] = { js: {}, wasm: {} };
const IN_D: OpDef['inline'] = { js: [4], wasm: [4] };
/** mov and test: WebAssembly takes the 16-bit forms too */
const IN_BWD: OpDef['inline'] = { js: [4, 1], wasm: [4, 2, 1] };
const WASM_D: OpDef['inline'] = { wasm: [4] };
const NO_FLAGS = {};
const NOP: Partial<OpDef> = { kind: 'nop', inline: IN_ANY, flags: NO_FLAGS, mem: 'none' };
const MOV: Partial<OpDef> = { kind: 'mov', inline: IN_BWD, flags: NO_FLAGS };
const TEST: Partial<OpDef> = { kind: 'test', inline: IN_BWD, flags: { writes: ALL }, mem: 'r' };
const IMUL: Partial<OpDef> = { kind: 'imul', inline: WASM_D, flags: { writes: ALL }, mem: 'r' };
/** The flags condition cc (low nibble of jcc, setcc, cmovcc) reads. */
const condFlags = (cc: number): { reads: string } => ({ reads: ['OF', 'CF', 'ZF', 'CF ZF', 'SF', 'PF', 'SF OF', 'ZF SF OF'][cc >> 1]! });
const INCDEC: Partial<OpDef> = { kind: 'incdec', inline: { js: [4], wasm: [4, 2, 1] }, flags: { reads: 'CF', writes: 'OF SF ZF AF PF' } };
/** add, or, adc, sbb, and, sub, xor, cmp: adc and sbb read CF (JavaScript leaves them to their handler) */
const aluFacts = (k: number): Partial<OpDef> => {
  const carry = k === 2 || k === 3;
  return { kind: 'alu', inline: carry ? { wasm: [4, 2, 1] } : IN_BWD, flags: { reads: carry ? 'CF' : '', writes: ALL } };
};

// ---- arithmetic 00-3F
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
for (let k = 0; k < 8; k++) {
  const name = ALU[k], sub = k, lock = k !== 7;
  const undef = k === 1 || k === 4 || k === 6 ? 'AF' : '';
  const f = aluFacts(k), mem = k === 7 ? 'r' : 'rw';
  T[k * 8 + 0] = { name, ops: 'Eb,Gb', fn: aluEG, sub, lock, undef, mem, ...f };
  T[k * 8 + 1] = { name, ops: 'Ev,Gv', fn: aluEG, sub, lock, undef, mem, ...f };
  T[k * 8 + 2] = { name, ops: 'Gb,Eb', fn: aluGE, sub, undef, mem: 'r', ...f };
  T[k * 8 + 3] = { name, ops: 'Gv,Ev', fn: aluGE, sub, undef, mem: 'r', ...f };
  T[k * 8 + 4] = { name, ops: 'AL,Ib', fn: aluEI, sub, undef, ...f };
  T[k * 8 + 5] = { name, ops: 'eAX,Iz', fn: aluEI, sub, undef, ...f };
}
T[0x06] = { name: 'push es', fn: pushS, sub: 0 };
T[0x07] = { name: 'pop es', fn: popS, sub: 0 };
T[0x0e] = { name: 'push cs', fn: pushS, sub: 1 };
T[0x16] = { name: 'push ss', fn: pushS, sub: 2 };
T[0x17] = { name: 'pop ss', fn: popS, sub: 2 };
T[0x1e] = { name: 'push ds', fn: pushS, sub: 3 };
T[0x1f] = { name: 'pop ds', fn: popS, sub: 3 };
T[0x27] = { name: 'daa', fn: daa, undef: 'OF' };
T[0x2f] = { name: 'das', fn: das, undef: 'OF' };
T[0x37] = { name: 'aaa', fn: aaa, undef: 'OF SF ZF PF' };
T[0x3f] = { name: 'aas', fn: aas, undef: 'OF SF ZF PF' };

for (let r = 0; r < 8; r++) {
  T[0x40 + r] = { name: 'inc', ops: 'Zv', fn: incdecZ, sub: 0, ...INCDEC };
  T[0x48 + r] = { name: 'dec', ops: 'Zv', fn: incdecZ, sub: 1, ...INCDEC };
  T[0x50 + r] = { name: 'push', ops: 'Zv', fn: pushZ, kind: 'push', inline: IN_D, flags: NO_FLAGS };
  T[0x58 + r] = { name: 'pop', ops: 'Zv', fn: popZ, kind: 'pop', inline: IN_D, flags: NO_FLAGS };
  T[0x90 + r] = r === 0
    ? { name: 'nop', fn: nop, ...NOP, f3: { name: 'pause', fn: nop, ...NOP } }
    : { name: 'xchg', ops: 'Zv', fn: xchgAZ };
  T[0xb0 + r] = { name: 'mov', ops: 'Zb,Ib', fn: movZI, ...MOV };
  T[0xb8 + r] = { name: 'mov', ops: 'Zv,Iz', fn: movZI, ...MOV };
  T[0x1c8 + r] = { name: 'bswap', ops: 'Zd', fn: bswap, kind: 'bswap', inline: WASM_D, flags: NO_FLAGS };
}

T[0x60] = { name: 'pusha', fn: pusha };
T[0x61] = { name: 'popa', fn: popa };
T[0x62] = { name: 'bound', ops: 'Gv,M', fn: bound, mod3: UD, mem: 'r' };
T[0x63] = { name: 'arpl', ops: 'Ew,Gw', fn: arpl };
T[0x68] = { name: 'push', ops: 'Iz', fn: pushI, kind: 'push', inline: IN_D, flags: NO_FLAGS };
T[0x69] = { name: 'imul', ops: 'Gv,Ev,Iz', fn: imulGE, sub: 1, undef: 'SF ZF AF PF', ...IMUL };
T[0x6a] = { name: 'push', ops: 'Ibs', fn: pushI, kind: 'push', inline: IN_D, flags: NO_FLAGS };
T[0x6b] = { name: 'imul', ops: 'Gv,Ev,Ibs', fn: imulGE, sub: 1, undef: 'SF ZF AF PF', ...IMUL };
for (let op = 0x6c; op <= 0x6f; op++) T[op] = { name: 'ins/outs', fn: privileged };
for (let cc = 0; cc < 16; cc++) {
  const jc: Partial<OpDef> = { kind: 'jcc', ends: true, inline: IN_ANY, flags: condFlags(cc) };
  T[0x70 + cc] = { name: 'jcc', ops: 'Jb', fn: jcc, sub: cc, ...jc };
  T[0x180 + cc] = { name: 'jcc', ops: 'Jz', fn: jcc, sub: cc, ...jc };
  T[0x190 + cc] = { name: 'setcc', ops: 'Eb', fn: setcc, sub: cc, kind: 'setcc', inline: IN_ANY, flags: condFlags(cc), mem: 'w' };
  T[0x140 + cc] = { name: 'cmovcc', ops: 'Gv,Ev', fn: cmov, sub: cc, kind: 'cmov', inline: IN_D, flags: condFlags(cc), mem: 'r' };
}

// ---- group 1 (80-83)
function group1(ops: string): (OpDef | undefined)[] {
  return ALU.map((name, k) => ({
    name, ops, fn: aluEI, sub: k, lock: k !== 7, undef: k === 1 || k === 4 || k === 6 ? 'AF' : '',
    mem: k === 7 ? 'r' : 'rw', ...aluFacts(k),
  }));
}
T[0x80] = { name: 'grp1', ops: 'Eb,Ib', group: group1('Eb,Ib') };
T[0x81] = { name: 'grp1', ops: 'Ev,Iz', group: group1('Ev,Iz') };
T[0x82] = { name: 'grp1', ops: 'Eb,Ib', group: group1('Eb,Ib') };
T[0x83] = { name: 'grp1', ops: 'Ev,Ibs', group: group1('Ev,Ibs') };

T[0x84] = { name: 'test', ops: 'Eb,Gb', fn: testEG, undef: 'AF', ...TEST };
T[0x85] = { name: 'test', ops: 'Ev,Gv', fn: testEG, undef: 'AF', ...TEST };
// xchg with memory: WebAssembly only (and locked: one CPU runs at a time)
const XCHG: Partial<OpDef> = { kind: 'xchg', inline: { js: { sizes: [4], only: 'reg' }, wasm: { sizes: [4], lock: true } }, flags: NO_FLAGS };
T[0x86] = { name: 'xchg', ops: 'Eb,Gb', fn: xchgEG, lock: true, ...XCHG };
T[0x87] = { name: 'xchg', ops: 'Ev,Gv', fn: xchgEG, lock: true, ...XCHG };
T[0x88] = { name: 'mov', ops: 'Eb,Gb', fn: movEG, ...MOV, mem: 'w' };
T[0x89] = { name: 'mov', ops: 'Ev,Gv', fn: movEG, ...MOV, mem: 'w' };
T[0x8a] = { name: 'mov', ops: 'Gb,Eb', fn: movGE, ...MOV, mem: 'r' };
T[0x8b] = { name: 'mov', ops: 'Gv,Ev', fn: movGE, ...MOV, mem: 'r' };
T[0x8c] = { name: 'mov', ops: 'Ev,Sw', fn: movES };
T[0x8d] = { name: 'lea', ops: 'Gv,M', fn: lea, mod3: UD, kind: 'lea', inline: IN_D, flags: NO_FLAGS, mem: 'none' };
T[0x8e] = { name: 'mov', ops: 'Sw,Ew', fn: movSE };
T[0x8f] = { name: 'grp1a', ops: 'Ev', group: [{ name: 'pop', ops: 'Ev', fn: popE }] };

T[0x98] = { name: 'cbw', fn: cbw, kind: 'cwd', sub: 0, inline: { wasm: [4, 2] }, flags: NO_FLAGS };
T[0x99] = { name: 'cwd', fn: cwd, kind: 'cwd', sub: 1, inline: { wasm: [4, 2] }, flags: NO_FLAGS };
T[0x9a] = { name: 'callf', ops: 'Ap', fn: callFar, ends: true };
T[0x9b] = { name: 'fwait', fn: fwait };
T[0x9c] = { name: 'pushf', fn: pushf };
T[0x9d] = { name: 'popf', fn: popf };
T[0x9e] = { name: 'sahf', fn: sahf, kind: 'sahf', inline: { wasm: {} }, flags: { reads: 'OF', writes: 'SF ZF AF PF CF' } };
T[0x9f] = { name: 'lahf', fn: lahf, kind: 'lahf', inline: { wasm: {} }, flags: { reads: 'SF ZF AF PF CF' } };
const MOFFS: Partial<OpDef> = { kind: 'moffs', inline: { wasm: {} }, flags: NO_FLAGS };
T[0xa0] = { name: 'mov', ops: 'AL,Ob', fn: movMoffs, sub: 0, ...MOFFS, mem: 'r' };
T[0xa1] = { name: 'mov', ops: 'eAX,Ov', fn: movMoffs, sub: 0, ...MOFFS, mem: 'r' };
T[0xa2] = { name: 'mov', ops: 'Ob,AL', fn: movMoffs, sub: 1, ...MOFFS, mem: 'w' };
T[0xa3] = { name: 'mov', ops: 'Ov,eAX', fn: movMoffs, sub: 1, ...MOFFS, mem: 'w' };
// movs and stos: WebAssembly, rep forms too (a rep runs inline when it stays within a page for
// source and destination, both in the TLB, going up, without an overlap that replicates a
// pattern; else, and with 16-bit addressing, the handler)
const MOVS: Partial<OpDef> = { kind: 'movs', inline: { wasm: { rep: true } }, flags: NO_FLAGS };
const STOS: Partial<OpDef> = { kind: 'stos', inline: { wasm: { rep: true } }, flags: NO_FLAGS };
T[0xa4] = { name: 'movs', fn: movs, byte: true, ...MOVS };
T[0xa5] = { name: 'movs', fn: movs, ...MOVS };
T[0xa6] = { name: 'cmps', fn: cmps, byte: true };
T[0xa7] = { name: 'cmps', fn: cmps };
T[0xa8] = { name: 'test', ops: 'AL,Ib', fn: testEI, undef: 'AF', ...TEST };
T[0xa9] = { name: 'test', ops: 'eAX,Iz', fn: testEI, undef: 'AF', ...TEST };
T[0xaa] = { name: 'stos', fn: stos, byte: true, ...STOS };
T[0xab] = { name: 'stos', fn: stos, ...STOS };
T[0xac] = { name: 'lods', fn: lods, byte: true };
T[0xad] = { name: 'lods', fn: lods };
T[0xae] = { name: 'scas', fn: scas, byte: true };
T[0xaf] = { name: 'scas', fn: scas };

// ---- group 2 shifts/rotates
const SHIFT = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
/** count of the shift at i, or -1 when it comes from CL */
function shiftCount(i: Insn): number {
  const op = i.op & 0xff;
  return op === 0xd0 || op === 0xd1 ? 1 : op === 0xc0 || op === 0xc1 ? i.imm & 31 : -1;
}
function shiftUndef(i: Insn): string {
  const n = shiftCount(i);
  if (n === 0) return '';
  const bits = i.size * 8;
  let u = n === 1 ? '' : 'OF';
  if (i.reg >= 4) {
    u += ' AF';
    // shl/shr by at least the operand width: CF undefined
    if (i.reg !== 7 && (n < 0 ? bits < 32 : n >= bits)) u += ' CF';
  }
  return u;
}
function group2(ops: string): OpDef[] {
  // WebAssembly: by a constant or CL, every size (rcl/rcr take CF in: their handler)
  return SHIFT.map((name, r) => ({
    name, ops, fn: shiftE, undef: shiftUndef, kind: 'shift',
    inline: r !== 2 && r !== 3 ? { wasm: [4, 2, 1] } : undefined,
  }));
}
T[0xc0] = { name: 'grp2', ops: 'Eb,Ib', group: group2('Eb,Ib') };
T[0xc1] = { name: 'grp2', ops: 'Ev,Ib', group: group2('Ev,Ib') };
T[0xd0] = { name: 'grp2', ops: 'Eb,1', group: group2('Eb,1') };
T[0xd1] = { name: 'grp2', ops: 'Ev,1', group: group2('Ev,1') };
T[0xd2] = { name: 'grp2', ops: 'Eb,CL', group: group2('Eb,CL') };
T[0xd3] = { name: 'grp2', ops: 'Ev,CL', group: group2('Ev,CL') };

const RET: Partial<OpDef> = { kind: 'ret', ends: true, inline: { js: { sizes: [4], anyPrefix: true }, wasm: { sizes: [4], anyPrefix: true } }, flags: NO_FLAGS };
T[0xc2] = { name: 'ret', ops: 'Iw', fn: ret, sub: 1, ...RET };
T[0xc3] = { name: 'ret', fn: ret, sub: 0, ...RET };
T[0xc4] = { name: 'les', ops: 'Gv,M', fn: loadFarPtr, sub: 0, mod3: UD, mem: 'r' };
T[0xc5] = { name: 'lds', ops: 'Gv,M', fn: loadFarPtr, sub: 3, mod3: UD, mem: 'r' };
T[0xc6] = { name: 'grp11', ops: 'Eb,Ib', group: [{ name: 'mov', ops: 'Eb,Ib', fn: movEI, ...MOV, mem: 'w' }] };
T[0xc7] = { name: 'grp11', ops: 'Ev,Iz', group: [{ name: 'mov', ops: 'Ev,Iz', fn: movEI, ...MOV, mem: 'w' }] };
T[0xc8] = { name: 'enter', ops: 'Iw,Ib', fn: enter };
T[0xc9] = { name: 'leave', fn: leave };
T[0xca] = { name: 'retf', ops: 'Iw', fn: retFar, sub: 1, ends: true };
T[0xcb] = { name: 'retf', fn: retFar, sub: 0, ends: true };
T[0xcc] = { name: 'int3', fn: int3, ends: true };
T[0xcd] = { name: 'int', ops: 'Ib', fn: intN, ends: true };
T[0xce] = { name: 'into', fn: into, ends: true };
T[0xcf] = { name: 'iret', fn: iret, ends: true };
T[0xd4] = { name: 'aam', ops: 'Ib', fn: aam, undef: 'OF AF CF' };
T[0xd5] = { name: 'aad', ops: 'Ib', fn: aad, undef: 'OF AF CF' };
T[0xd6] = { name: 'salc', fn: salc };
T[0xd7] = { name: 'xlat', fn: xlat };
// the x87 escapes are loads and stores alike; a store through cs: is not refused (known limit)
for (let op = 0xd8; op <= 0xdf; op++) T[op] = { name: 'x87', ops: 'Ef', fn: fpuEsc, subOf: x87Form, mem: 'r' };
T[0xe0] = { name: 'loopne', ops: 'Jb', fn: loop, sub: 0, ends: true, flags: { reads: 'ZF' } };
T[0xe1] = { name: 'loope', ops: 'Jb', fn: loop, sub: 1, ends: true, flags: { reads: 'ZF' } };
T[0xe2] = { name: 'loop', ops: 'Jb', fn: loop, sub: 2, ends: true, flags: NO_FLAGS };
T[0xe3] = { name: 'jcxz', ops: 'Jb', fn: jcxz, ends: true, flags: NO_FLAGS };
for (let op = 0xe4; op <= 0xe7; op++) T[op] = { name: 'in/out', ops: 'Ib', fn: privileged };
T[0xe8] = { name: 'call', ops: 'Jz', fn: callRel, kind: 'call', ends: true, inline: IN_D, flags: NO_FLAGS };
T[0xe9] = { name: 'jmp', ops: 'Jz', fn: jmpRel, kind: 'jmp', ends: true, inline: IN_ANY, flags: NO_FLAGS };
T[0xea] = { name: 'jmpf', ops: 'Ap', fn: jmpFar, ends: true };
T[0xeb] = { name: 'jmp', ops: 'Jb', fn: jmpRel, kind: 'jmp', ends: true, inline: IN_ANY, flags: NO_FLAGS };
for (let op = 0xec; op <= 0xef; op++) T[op] = { name: 'in/out', fn: privileged };
T[0xf1] = { name: 'int1', fn: int1, ends: true };
T[0xf4] = { name: 'hlt', fn: privileged };
T[0xf5] = { name: 'cmc', fn: flagOp, sub: 0 };
function group3(b: boolean): OpDef[] {
  const e = b ? 'Eb' : 'Ev', imm = b ? 'Eb,Ib' : 'Ev,Iz';
  const reg32: OpDef['inline'] = { wasm: { sizes: [4, 2], only: 'reg' } };
  // WebAssembly: the 32-bit forms (a divide error through the handler)
  const muldiv: Partial<OpDef> = b ? {} : { kind: 'muldiv', inline: WASM_D };
  return [
    { name: 'test', ops: imm, fn: testEI, undef: 'AF', ...TEST },
    { name: 'test', ops: imm, fn: testEI, undef: 'AF', ...TEST },
    { name: 'not', ops: e, fn: notE, lock: true, kind: 'not', inline: reg32, flags: NO_FLAGS },
    { name: 'neg', ops: e, fn: negE, lock: true, kind: 'neg', inline: reg32, flags: { writes: ALL } },
    { name: 'mul', ops: e, fn: mulDivE, undef: 'SF ZF AF PF', mem: 'r', ...muldiv },
    { name: 'imul', ops: e, fn: mulDivE, undef: 'SF ZF AF PF', mem: 'r', ...muldiv },
    { name: 'div', ops: e, fn: mulDivE, undef: ALL, mem: 'r', ...muldiv },
    { name: 'idiv', ops: e, fn: mulDivE, undef: ALL, mem: 'r', ...muldiv },
  ];
}
T[0xf6] = { name: 'grp3', ops: 'Eb', group: group3(true) };
T[0xf7] = { name: 'grp3', ops: 'Ev', group: group3(false) };
T[0xf8] = { name: 'clc', fn: flagOp, sub: 1 };
T[0xf9] = { name: 'stc', fn: flagOp, sub: 2 };
T[0xfa] = { name: 'cli', fn: privileged };
T[0xfb] = { name: 'sti', fn: privileged };
const DFLAG: Partial<OpDef> = { kind: 'dflag', inline: { wasm: {} }, flags: NO_FLAGS, mem: 'none' };
T[0xfc] = { name: 'cld', fn: flagOp, sub: 3, ...DFLAG };
T[0xfd] = { name: 'std', fn: flagOp, sub: 4, ...DFLAG };
T[0xfe] = {
  name: 'grp4', ops: 'Eb', group: [
    { name: 'inc', ops: 'Eb', fn: incdecE, sub: 0, lock: true, ...INCDEC },
    { name: 'dec', ops: 'Eb', fn: incdecE, sub: 1, lock: true, ...INCDEC },
  ],
};
T[0xff] = {
  name: 'grp5', ops: 'Ev', group: [
    { name: 'inc', ops: 'Ev', fn: incdecE, sub: 0, lock: true, ...INCDEC },
    { name: 'dec', ops: 'Ev', fn: incdecE, sub: 1, lock: true, ...INCDEC },
    { name: 'call', ops: 'Ev', fn: callE, kind: 'callInd', ends: true, inline: WASM_D, flags: NO_FLAGS, mem: 'r' },
    { name: 'callf', ops: 'M', fn: farIndirect, sub: 1, mod3: UD, ends: true, mem: 'r' },
    { name: 'jmp', ops: 'Ev', fn: jmpE, kind: 'jmpInd', ends: true, inline: WASM_D, flags: NO_FLAGS, mem: 'r' },
    { name: 'jmpf', ops: 'M', fn: farIndirect, sub: 0, mod3: UD, ends: true, mem: 'r' },
    { name: 'push', ops: 'Ev', fn: pushE, kind: 'push', inline: IN_D, flags: NO_FLAGS, mem: 'r' },
  ],
};

// ---- two-byte opcodes (0F xx)
const HINT_NOP: OpDef = { name: 'nop', ops: 'Ev', fn: nop, ...NOP };
T[0x100] = { name: 'grp6', ops: 'Ew', fn: privileged };
// memory forms (sgdt sidt lgdt lidt smsw lmsw invlpg) and smsw/lmsw registers: #GP at CPL 3;
// the other register forms (xgetbv, rdtscp, monitor/mwait, clac/stac …) do not exist on this model
T[0x101] = {
  name: 'grp7', ops: 'M', fn: privileged,
  group: [0, 1, 2, 3, 4, 5, 6, 7].map((r) => ({
    name: 'grp7', ops: 'M', fn: privileged, mod3: r === 4 || r === 6 ? { name: 'smsw/lmsw', fn: privileged } : UD,
  })),
};
T[0x106] = { name: 'clts', fn: privileged };
T[0x108] = { name: 'invd', fn: privileged };
T[0x109] = { name: 'wbinvd', fn: privileged };
T[0x10b] = { name: 'ud2' };
T[0x10d] = HINT_NOP; // prefetchw
for (let op = 0x118; op <= 0x11f; op++) T[op] = HINT_NOP; // prefetch hints, multi-byte nop, endbr32, rdssp
for (let op = 0x120; op <= 0x123; op++) T[op] = { name: 'mov cr/dr', ops: 'Rd,Cd', fn: privileged };
T[0x130] = { name: 'wrmsr', fn: privileged };
T[0x131] = { name: 'rdtsc', fn: rdtsc };
T[0x132] = { name: 'rdmsr', fn: privileged };
T[0x133] = { name: 'rdpmc', fn: privileged };
// 0F 34 sysenter, 0F 35 sysexit: #UD, the modelled CPU does not report SEP (cpu-model.ts)
T[0x1a0] = { name: 'push fs', fn: pushS, sub: 4 };
T[0x1a1] = { name: 'pop fs', fn: popS, sub: 4 };
T[0x1a2] = { name: 'cpuid', fn: cpuid };
// bit tests: WebAssembly takes the 32-bit forms (locked too: one CPU runs at a time)
const BT: Partial<OpDef> = { kind: 'bt', inline: { wasm: { sizes: [4], lock: true } } };
T[0x1a3] = { name: 'bt', ops: 'Ev,Gv', fn: btEG, sub: 0, undef: 'OF SF AF PF', mem: 'r', ...BT };
function shUndef(i: Insn): string {
  const n = i.op === 0x1a4 || i.op === 0x1ac ? i.imm & 31 : -1;
  if (n === 0) return '';
  if (i.size === 2 && (n < 0 || n > 16)) return ALL;
  return n === 1 ? 'AF' : 'AF OF';
}
T[0x1a4] = { name: 'shld', ops: 'Ev,Gv,Ib', fn: shldrd, sub: 0, undef: shUndef, kind: 'shld', inline: WASM_D };
T[0x1a5] = { name: 'shld', ops: 'Ev,Gv,CL', fn: shldrd, sub: 0, undef: shUndef, kind: 'shld', inline: WASM_D };
T[0x1a8] = { name: 'push gs', fn: pushS, sub: 5 };
T[0x1a9] = { name: 'pop gs', fn: popS, sub: 5 };
T[0x1ab] = { name: 'bts', ops: 'Ev,Gv', fn: btEG, sub: 1, lock: true, undef: 'OF SF AF PF', ...BT };
T[0x1ac] = { name: 'shrd', ops: 'Ev,Gv,Ib', fn: shldrd, sub: 1, undef: shUndef, kind: 'shld', inline: WASM_D };
T[0x1ad] = { name: 'shrd', ops: 'Ev,Gv,CL', fn: shldrd, sub: 1, undef: shUndef, kind: 'shld', inline: WASM_D };
// group 15: fxsave fxrstor ldmxcsr stmxcsr (memory), the fences (register forms of /5 /6 /7),
// clflush (memory /7); xsave/xrstor/xsaveopt do not exist on the modelled CPU (no XSAVE)
const FENCE: OpDef = { name: 'fence', fn: nop, ...NOP };
T[0x1ae] = {
  name: 'grp15', ops: 'M', group: [
    { name: 'fxsave', ops: 'M', fn: fxsave, mod3: UD },
    { name: 'fxrstor', ops: 'M', fn: fxrstor, mod3: UD, mem: 'r' },
    { name: 'ldmxcsr', ops: 'M', fn: ldmxcsr, mod3: UD, mem: 'r' },
    { name: 'stmxcsr', ops: 'M', fn: stmxcsr, mod3: UD },
    undefined,
    { name: 'xrstor', ops: 'M', mod3: { name: 'lfence', fn: nop, ...NOP } },
    { name: 'xsaveopt', ops: 'M', mod3: { name: 'mfence', fn: nop, ...NOP } },
    { name: 'clflush', ops: 'M', fn: clflush, mod3: FENCE, mem: 'r' },
  ],
};
T[0x1af] = { name: 'imul', ops: 'Gv,Ev', fn: imulGE, sub: 0, undef: 'SF ZF AF PF', ...IMUL };
// cmpxchg with memory: WebAssembly only (and locked: one CPU runs at a time)
const CMPXCHG: Partial<OpDef> = { kind: 'cmpxchg', inline: { wasm: { sizes: [4], only: 'mem', lock: true } }, flags: { writes: ALL } };
T[0x1b0] = { name: 'cmpxchg', ops: 'Eb,Gb', fn: cmpxchg, lock: true, ...CMPXCHG };
T[0x1b1] = { name: 'cmpxchg', ops: 'Ev,Gv', fn: cmpxchg, lock: true, ...CMPXCHG };
T[0x1b2] = { name: 'lss', ops: 'Gv,M', fn: loadFarPtr, sub: 2, mod3: UD, mem: 'r' };
T[0x1b3] = { name: 'btr', ops: 'Ev,Gv', fn: btEG, sub: 2, lock: true, undef: 'OF SF AF PF', ...BT };
T[0x1b4] = { name: 'lfs', ops: 'Gv,M', fn: loadFarPtr, sub: 4, mod3: UD, mem: 'r' };
T[0x1b5] = { name: 'lgs', ops: 'Gv,M', fn: loadFarPtr, sub: 5, mod3: UD, mem: 'r' };
const MOVX: Partial<OpDef> = { kind: 'movx', inline: IN_D, flags: NO_FLAGS, mem: 'r' };
T[0x1b6] = { name: 'movzx', ops: 'Gv,Eb', fn: movx, sub: 0, ...MOVX };
T[0x1b7] = { name: 'movzx', ops: 'Gv,Ew', fn: movx, sub: 0, ...MOVX };
T[0x1ba] = {
  name: 'grp8', ops: 'Ev,Ib', group: [
    undefined, undefined, undefined, undefined,
    { name: 'bt', ops: 'Ev,Ib', fn: btEI, undef: 'OF SF AF PF', mem: 'r', ...BT },
    { name: 'bts', ops: 'Ev,Ib', fn: btEI, lock: true, undef: 'OF SF AF PF', ...BT },
    { name: 'btr', ops: 'Ev,Ib', fn: btEI, lock: true, undef: 'OF SF AF PF', ...BT },
    { name: 'btc', ops: 'Ev,Ib', fn: btEI, lock: true, undef: 'OF SF AF PF', ...BT },
  ],
};
T[0x1bb] = { name: 'btc', ops: 'Ev,Gv', fn: btEG, sub: 3, lock: true, undef: 'OF SF AF PF', ...BT };
// without BMI1/LZCNT, F3 0F BC/BD execute as bsf/bsr (gcc emits tzcnt's encoding, "rep bsf", as
// a bsf that BMI1 CPUs run faster): translated inline with the prefix as without
const BSF: Partial<OpDef> = { kind: 'bsf', inline: { wasm: { sizes: [4], rep: true } } };
T[0x1bc] = { name: 'bsf', ops: 'Gv,Ev', fn: bsfr, sub: 0, undef: 'CF OF SF AF PF', mem: 'r', ...BSF };
T[0x1bd] = { name: 'bsr', ops: 'Gv,Ev', fn: bsfr, sub: 1, undef: 'CF OF SF AF PF', mem: 'r', ...BSF };
T[0x1be] = { name: 'movsx', ops: 'Gv,Eb', fn: movx, sub: 1, ...MOVX };
T[0x1bf] = { name: 'movsx', ops: 'Gv,Ew', fn: movx, sub: 1, ...MOVX };
T[0x1c0] = { name: 'xadd', ops: 'Eb,Gb', fn: xadd, lock: true };
T[0x1c1] = { name: 'xadd', ops: 'Ev,Gv', fn: xadd, lock: true };
T[0x1c7] = {
  name: 'grp9', ops: 'M', group: [
    undefined,
    { name: 'cmpxchg8b', ops: 'M', fn: cmpxchg8b, lock: true, mod3: UD },
  ],
};

// ---- MMX, SSE … SSE4.2 (simd-*.ts: one table per family, in the manual's notation)
for (const e of [SIMD_INT, SIMD_EXT, SIMD_FP, SIMD_STATE]) mergeSimd(T, e);

export const OPCODES: readonly (OpDef | undefined)[] = T;
