// Block translation: a run of decoded instructions that ends at a control
// transfer (or a page end, or MAX_BLOCK instructions) becomes one JavaScript
// function once it has run often enough (CPU.jitThreshold). The common
// integer instructions are emitted inline -- registers as typed-array
// elements, memory through the address space's fast paths, lazy flags stored
// only when a later instruction may read them, a compare or test fused into
// the conditional jump after it -- and every other instruction calls its
// interpreter handler, so the two engines share one definition of each
// instruction's semantics.
//
// What a translated block guarantees, as the interpreter does per
// instruction: a fault leaves eip at the faulting instruction (after it for
// traps) with icount and all earlier effects exact; a store that drops
// decoded code (self-modifying code) ends the block after that instruction;
// a block is entered only when the remaining budget covers all of it.
//
// What is emitted inline, and how, follows from the opcode table's facts
// (opcodes.ts: kind, inline.js, ends, flags), which wasm.ts reads too.
import type { CPU } from './cpu.js';
import { emitsInline, endsBlock, type Insn } from './decode.js';
import type { CodePage } from './memory.js';
import { F_ADD, F_SUB, F_LOGIC, F_INC, F_DEC, STATUS } from './flags.js';

export const MAX_BLOCK = 64;

export interface Block {
  eip: number;
  /** eip after the last instruction (the fall-through successor) */
  end: number;
  insns: Insn[];
  hits: number;
  /** hits when it was queued for translation (0: not queued) */
  queued: number;
  code: ((c: CPU) => void) | null;
  /** index of its WebAssembly translation in wasm.ts's table, or -1 */
  wix: number;
  /** cached successors: fall-through, and the last other target */
  nx: Block | null;
  tk: Block | null;
  /**
   * other targets it went to before tk, most recent last (at most MAX_ALT; null: none): a
   * return's other call sites, say, which its translation compares with as with tk
   */
  alt: Block[] | null;
  /** the address space's code epoch when nx and tk were cached (they are void under any other) */
  lep: number;
  /** the code page whose cache holds this block (null for one that page does not keep) */
  page: CodePage | null;
}

/**
 * Where a superblock goes on after i: the next instruction, or the target of
 * a direct jmp/call; -1 where the block must end (any other control transfer).
 */
export function pathNext(i: Insn): number {
  if (!endsBlock(i)) return i.next;
  const k = i.def!.kind;
  if (k === 'jcc') return i.next;
  if (k === 'jmp') return i.imm >>> 0;
  if (k === 'call' && i.size === 4) return i.imm >>> 0;
  return -1;
}

/** Whether emitInsn emits i inline (the table's inline.js facts). */
export const inline = (i: Insn): boolean => emitsInline(i, 'js');

// ---- flag usage, for the liveness pass -----------------------------------------------------
// Only what this file emits inline is taken at its facts; everything else (wasm.ts's own
// inline forms included) counts as a reader that writes none: safe, at worst a store too many.

/** Emitted inline and sets every status flag. */
function writesAllFlags(i: Insn): boolean {
  return inline(i) && (i.def!.flagsWritten & STATUS) === STATUS;
}
/** May need the status flags from before it. */
function readsFlags(i: Insn): boolean {
  return !inline(i) || i.def!.flagsRead !== 0;
}

// ---- code generation -----------------------------------------------------------------------

/** What the status flags hold, as locals of the generated code, when known. */
interface Known { op: number; size: number; a: string; b: string; r: string }

const SIGN: Record<number, string> = { 4: '-2147483648', 2: '32768', 1: '128' };
const MASK: Record<number, string> = { 4: '', 2: ' & 65535', 1: ' & 255' };

class Emitter {
  out: string[] = [];
  known: Known | null = null;
  private n = 0;
  tmp(p: string): string {
    return `${p}${this.n++}`;
  }
  line(s: string): void {
    this.out.push(s);
  }

  reg(size: number, n: number): string {
    if (size === 4) return `r[${n}]`;
    if (size === 2) return `(r[${n}] & 65535)`;
    return n < 4 ? `(r[${n}] & 255)` : `((r[${n - 4}] >> 8) & 255)`;
  }
  setReg(size: number, n: number, v: string): string {
    if (size === 4) return `r[${n}] = ${v};`;
    if (n < 4) return `r[${n}] = (r[${n}] & -256) | ((${v}) & 255);`;
    return `r[${n - 4}] = (r[${n - 4}] & -65281) | (((${v}) & 255) << 8);`;
  }
  ea(i: Insn): string {
    const parts: string[] = [];
    if (i.disp) parts.push(String(i.disp | 0));
    if (i.base >= 0) parts.push(`r[${i.base}]`);
    if (i.index >= 0) parts.push(i.scale ? `(r[${i.index}] << ${i.scale})` : `r[${i.index}]`);
    if (i.seg >= 0) parts.push(`c.base(${i.seg})`);
    if (parts.length === 0) return '0';
    if (parts.length === 1 && i.base >= 0 && i.seg < 0) return parts[0]!;
    return `((${parts.join(' + ')}) | 0)`;
  }
  load(size: number, a: string): string {
    return size === 4 ? `m.read32(${a})` : size === 2 ? `m.read16(${a})` : `m.read8(${a})`;
  }
  store(size: number, a: string, v: string): string {
    return size === 4 ? `m.write32(${a}, ${v});` : size === 2 ? `m.write16(${a}, ${v});` : `m.write8(${a}, ${v});`;
  }

  /** After a store: code dropped (self-modifying code) ends the block after this instruction. */
  epochCheck(k: number, i: Insn): void {
    this.epochCheckTo(k, i.next);
  }
  epochCheckTo(k: number, next: number): void {
    this.line(`if (m.codeEpoch !== ep) { c.eip = ${next}; c.icount = ic + ${k + 1}; return; }`);
  }

  /** Lazy flags of a result, stored for whoever reads them after the block or a handler. */
  setFlags(live: boolean, op: number, size: number, a: string, b: string, r: string): void {
    this.known = { op, size, a, b, r };
    if (!live) return;
    if (op === F_LOGIC) this.line(`c.fop = ${op}; c.fres = ${r}; c.fsign = ${SIGN[size]};`);
    else this.line(`c.fop = ${op}; c.fa = ${a}; c.fb = ${b}; c.fres = ${r}; c.fsign = ${SIGN[size]};`);
  }

  /** Condition cc as an expression: from the known flags when possible, else the CPU's lazy flags. */
  cond(cc: number): string {
    const k = this.known;
    if (k && (k.op === F_SUB || k.op === F_LOGIC)) {
      // 8- and 16-bit operands are zero-extended: shift them up to compare signs
      const sh = k.size === 4 ? '' : k.size === 2 ? ' << 16' : ' << 24';
      const { a, b, r } = k;
      const sa = sh ? `(${a}${sh})` : a, sb = sh ? `(${b}${sh})` : b, sr = sh ? `(${r}${sh})` : r;
      if (k.op === F_SUB) {
        switch (cc) {
          case 2: return `(${a} >>> 0) < (${b} >>> 0)`;
          case 3: return `(${a} >>> 0) >= (${b} >>> 0)`;
          case 4: return `${a} === ${b}`;
          case 5: return `${a} !== ${b}`;
          case 6: return `(${a} >>> 0) <= (${b} >>> 0)`;
          case 7: return `(${a} >>> 0) > (${b} >>> 0)`;
          case 8: return `${sr} < 0`;
          case 9: return `${sr} >= 0`;
          case 12: return `${sa} < ${sb}`;
          case 13: return `${sa} >= ${sb}`;
          case 14: return `${sa} <= ${sb}`;
          case 15: return `${sa} > ${sb}`;
        }
      } else {
        switch (cc) {
          case 0: case 2: return 'false';
          case 1: case 3: return 'true';
          case 4: case 6: return `${r} === 0`;
          case 5: case 7: return `${r} !== 0`;
          case 8: case 12: return `${sr} < 0`;
          case 9: case 13: return `${sr} >= 0`;
          case 14: return `${sr} <= 0`;
          case 15: return `${sr} > 0`;
        }
      }
    }
    return `c.cond(${cc})`;
  }

  /** CF as a 0/1 expression (inc and dec keep it). */
  carry(): string {
    const k = this.known;
    if (k && k.op === F_SUB) return `((${k.a} >>> 0) < (${k.b} >>> 0) ? 1 : 0)`;
    if (k && k.op === F_LOGIC) return '0';
    if (k && k.op === F_ADD && k.size === 4) return `((${k.r} >>> 0) < (${k.a} >>> 0) ? 1 : 0)`;
    return 'c.getCF()';
  }
}

/** Emit instruction k of the block (the last one also leaves the block). */
function emitInsn(e: Emitter, k: number, i: Insn, live: boolean, last: boolean): void {
  const s = i.size;
  const at = `c.bk = ${k};`;
  if (!inline(i)) {
    // the interpreter's handler, with the state it expects
    e.known = null;
    e.line(`${at} c.icount = ic + ${k}; c.eip = ${i.next}; c.exec(I[${k}]);`);
    if (last || endsBlock(i)) {
      e.line(`c.icount = ic + ${k + 1}; return;`);
      return;
    }
    e.line(`if (c.eip !== ${i.next} || m.codeEpoch !== ep) { c.icount = ic + ${k + 1}; return; }`);
    return;
  }
  const d = i.def!, kind = d.kind, form = d.form;
  if (kind === 'nop') {
    // nothing
  } else if (kind === 'mov' && (form === 'EG' || form === 'EI')) {
    const v = form === 'EG' ? e.reg(s, i.reg) : String(s === 4 ? i.imm | 0 : i.imm & 0xff);
    if (i.m) {
      e.line(`${at} ${e.store(s, e.ea(i), v)}`);
      e.epochCheck(k, i);
    } else e.line(e.setReg(s, i.rm, v));
  } else if (kind === 'mov' && form === 'GE') {
    if (i.m) e.line(`${at} ${e.setReg(s, i.reg, e.load(s, e.ea(i)))}`);
    else e.line(e.setReg(s, i.reg, e.reg(s, i.rm)));
  } else if (kind === 'mov') { // ZI: register in the opcode := immediate
    e.line(e.setReg(s, i.reg, String(s === 4 ? i.imm | 0 : i.imm & 0xff)));
  } else if (kind === 'lea') {
    const save = i.seg;
    i.seg = -1; // lea takes no segment base
    e.line(`r[${i.reg}] = ${e.ea(i)};`);
    i.seg = save;
  } else if (kind === 'alu') {
    emitAlu(e, k, i, live);
  } else if (kind === 'test') {
    const a = e.tmp('a'), res = e.tmp('v');
    const src = i.m ? e.load(s, e.ea(i)) : e.reg(s, i.rm);
    e.line(`${i.m ? at : ''} const ${a} = ${src};`);
    const b = form === 'EG' ? e.reg(s, i.reg) : String(s === 4 ? i.imm | 0 : i.imm & 0xff);
    e.line(`const ${res} = ${a} & ${b};`);
    e.setFlags(live, F_LOGIC, s, '0', '0', res);
  } else if (kind === 'incdec') {
    const dec = i.sub === 1;
    const v = e.tmp('a'), res = e.tmp('v');
    const z = form === 'Z'; // register in the opcode
    const inReg = z || !i.m;
    const n = z ? i.reg : i.rm;
    const adr = e.tmp('d');
    if (inReg) e.line(`const ${v} = r[${n}];`);
    else e.line(`${at} const ${adr} = ${e.ea(i)}; const ${v} = c.rdw(4, ${adr});`);
    e.line(`const ${res} = (${v} ${dec ? '-' : '+'} 1) | 0;`);
    if (live) e.line(`c.fcf = ${e.carry()}; c.fop = ${dec ? F_DEC : F_INC}; c.fa = ${v}; c.fb = 1; c.fres = ${res}; c.fsign = ${SIGN[4]};`);
    e.known = null;
    if (inReg) e.line(`r[${n}] = ${res};`);
    else {
      e.line(`m.write32(${adr}, ${res});`);
      e.epochCheck(k, i);
    }
  } else if (kind === 'push') {
    const v = e.tmp('a'), sp = e.tmp('s');
    const src = form === 'Z' ? `r[${i.reg}]` : form === 'I' ? String(i.imm | 0) : i.m ? e.load(4, e.ea(i)) : `r[${i.rm}]`;
    e.line(`${at} const ${v} = ${src}; const ${sp} = (r[4] - 4) | 0; m.write32(${sp}, ${v}); r[4] = ${sp};`);
    e.epochCheck(k, i);
  } else if (kind === 'pop') { // register in the opcode
    const v = e.tmp('a'), sp = e.tmp('s');
    e.line(`${at} const ${sp} = r[4]; const ${v} = m.read32(${sp}); r[4] = (${sp} + 4) | 0; r[${i.reg}] = ${v};`);
  } else if (kind === 'xchg') { // register with register
    const t = e.tmp('a');
    e.line(`const ${t} = r[${i.rm}]; r[${i.rm}] = r[${i.reg}]; r[${i.reg}] = ${t};`);
  } else if (kind === 'movx') {
    const ss = i.op & 1 ? 2 : 1;
    let v = i.m ? e.load(ss, e.ea(i)) : e.reg(ss, i.rm);
    if (i.sub === 1) v = ss === 1 ? `((${v}) << 24) >> 24` : `((${v}) << 16) >> 16`;
    e.line(`${i.m ? at : ''} r[${i.reg}] = ${v};`);
  } else if (kind === 'cmov') {
    const v = e.tmp('a');
    e.line(`${i.m ? at : ''} const ${v} = ${i.m ? e.load(4, e.ea(i)) : `r[${i.rm}]`};`);
    e.line(`if (${e.cond(i.sub)}) r[${i.reg}] = ${v};`);
  } else if (kind === 'setcc') {
    const v = `(${e.cond(i.sub)} ? 1 : 0)`;
    if (i.m) {
      e.line(`${at} ${e.store(1, e.ea(i), v)}`);
      e.epochCheck(k, i);
    } else e.line(e.setReg(1, i.rm, v));
  } else if (kind === 'jcc') {
    if (last) {
      e.line(`c.icount = ic + ${k + 1}; c.eip = ${e.cond(i.sub)} ? ${i.imm >>> 0} : ${i.next}; return;`);
      return;
    }
    // inside a superblock: the taken side leaves it
    e.line(`if (${e.cond(i.sub)}) { c.icount = ic + ${k + 1}; c.eip = ${i.imm >>> 0}; return; }`);
    return;
  } else if (kind === 'jmp') {
    if (last) e.line(`c.icount = ic + ${k + 1}; c.eip = ${i.imm >>> 0}; return;`);
    return; // inside a superblock the path goes on at the target
  } else if (kind === 'call') {
    const sp = e.tmp('s');
    e.line(`${at} const ${sp} = (r[4] - 4) | 0; m.write32(${sp}, ${i.next | 0}); r[4] = ${sp};`);
    if (last) e.line(`c.icount = ic + ${k + 1}; c.eip = ${i.imm >>> 0}; return;`);
    else e.epochCheckTo(k, i.imm >>> 0);
    return;
  } else if (kind === 'ret') {
    const sp = e.tmp('s'), t = e.tmp('a');
    e.line(`${at} const ${sp} = r[4]; const ${t} = m.read32(${sp}); r[4] = (${sp} + ${4 + (i.sub ? i.imm : 0)}) | 0;`);
    e.line(`c.icount = ic + ${k + 1}; c.eip = ${t} >>> 0; return;`);
    return;
  } else throw new Error(`jit: no template for ${d.name} (${kind})`);
  if (last) e.line(`c.icount = ic + ${k + 1}; c.eip = ${i.next}; return;`);
}

/** add/or/and/sub/xor/cmp in its E,G / G,E / E,imm forms (size 4 or 1). */
function emitAlu(e: Emitter, k: number, i: Insn, live: boolean): void {
  const form = i.def!.form, s = i.size, op = i.sub, at = `c.bk = ${k};`;
  const a = e.tmp('a'), b = e.tmp('b'), res = e.tmp('v'), adr = e.tmp('d');
  const imm = String(s === 4 ? i.imm | 0 : i.imm & 0xff);
  const toG = form === 'GE', fromI = form === 'EI';
  const toMem = !toG && i.m;
  // operands (reads first: a fault leaves everything as it was)
  if (toG) {
    e.line(`${i.m ? at : ''} const ${a} = ${e.reg(s, i.reg)}; const ${b} = ${i.m ? e.load(s, e.ea(i)) : e.reg(s, i.rm)};`);
  } else if (toMem) {
    e.line(`${at} const ${adr} = ${e.ea(i)}; const ${a} = ${op === 7 ? e.load(s, adr) : `c.rdw(${s}, ${adr})`};`);
    e.line(`const ${b} = ${fromI ? imm : e.reg(s, i.reg)};`);
  } else {
    e.line(`const ${a} = ${e.reg(s, i.rm)}; const ${b} = ${fromI ? imm : e.reg(s, i.reg)};`);
  }
  const mask = MASK[s];
  const expr = op === 0 ? `(${a} + ${b})${mask || ' | 0'}` : op === 1 ? `${a} | ${b}` : op === 4 ? `${a} & ${b}`
    : op === 6 ? `${a} ^ ${b}` : `(${a} - ${b})${mask || ' | 0'}`;
  e.line(`const ${res} = ${s === 4 ? `(${expr})` : `(${expr})${mask}`};`);
  e.setFlags(live, op === 0 ? F_ADD : op === 5 || op === 7 ? F_SUB : F_LOGIC, s, a, b, res);
  if (op === 7) return;
  if (toMem) {
    e.line(e.store(s, adr, res));
    e.epochCheck(k, i);
  } else {
    e.line(e.setReg(s, toG ? i.reg : i.rm, res));
  }
}

/** Backward liveness of the status flags (live at the block's end): [k] = after instruction k. */
export function flagLiveness(insns: Insn[]): boolean[] {
  const n = insns.length;
  const liveAfter: boolean[] = new Array(n);
  let live = true;
  for (let k = n - 1; k >= 0; k--) {
    const i = insns[k]!;
    liveAfter[k] = live;
    live = (live && !writesAllFlags(i)) || readsFlags(i);
  }
  return liveAfter;
}

/** Translate a block into a function of the CPU. */
export function translate(b: Block): (c: CPU) => void {
  const insns = b.insns, n = insns.length;
  const liveAfter = flagLiveness(insns);
  const e = new Emitter();
  for (let k = 0; k < n; k++) emitInsn(e, k, insns[k]!, liveAfter[k]!, k === n - 1);
  // No try/catch here (it made each block much costlier to optimize): c.bk
  // names the instruction that may fault, and CPU.run() finishes the fault.
  const body = ['const r = c.regs, m = c.mem, ic = c.icount, ep = m.codeEpoch;', ...e.out].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('I', `return function block_${(b.eip >>> 0).toString(16)}(c) {\n${body}\n};`)(insns) as (c: CPU) => void;
}
