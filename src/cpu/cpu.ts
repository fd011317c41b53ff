// The i686 user-mode CPU: architectural state, lazy flags, operand access helpers used by the
// handler files, segment/TLS handling and the run loop. The vocabulary it shares with the
// instruction files (register numbers, selectors, Stop, UserDesc, the x87 interfaces) is in
// machine.ts, re-exported here.
import { AddressSpace, GuestFault, type CodePage } from './memory.js';
import { decode, offsetOf, type Insn } from './decode.js';
import {
  ESP, CS, SS, USER_CS, USER_DS, USER64_CS, GDT_ENTRY_TLS_MIN, GDT_ENTRY_TLS_ENTRIES, LDT_ENTRIES,
  type FpuHost, type FpuUnit, type Stop, type UserDesc,
} from './machine.js';
import {
  CpuFault, SyscallStop, SIGSEGV, SEGV_MAPERR, SEGV_ACCERR, TRAP_PF, generalProtection,
  TF_ON, SIGTRAP, TRAP_TRACE, TRAP_DB, SIGBUS, SI_KERNEL, TRAP_NP, TRAP_SS, CHARGE_NEEDED,
} from './fault.js';
import {
  F_NONE, F_ADD, F_ADC, F_SUB, F_SBB, F_LOGIC, F_INC, F_DEC, PARITY,
  CF, PF, AF, ZF, SF, OF, STATUS, FIXED1, IF, TF,
} from './flags.js';
import { FPU } from './fpu.js';
import { E } from '../uapi/errno.js';
import { MAX_BLOCK, pathNext, translate, type Block } from './jit.js';
import { allocSlot, freeSlot, memory, tlbOwner, tlbUse } from './frames.js';
import { compileQueued, lastTranslated, queueTranslation, runTranslated, translatedFault, translationBudget } from './wasm-run.js';
import { S_MM, S_MMX, S_MXCSR, S_REGS, S_SEGBASE, S_SEGS, S_X87, S_XMM, SLOT_SIZE, X87_WORDS } from './wasm-layout.js';
import { F80 } from './float80.js';
import { cpuProfile } from './profile.js';

// the shared vocabulary, for the other folders (src/tasks, src/int80, tests, bench)
export * from './machine.js';

/** A block's translation, or null (it stays interpreted) if translating failed: a bug must not stop the guest. */
function tryTranslate(b: Block): ((c: CPU) => void) | null {
  const t0 = performance.now();
  try {
    const code = translate(b);
    cpuProfile.jsBlocks++;
    return code;
  } catch (e) {
    console.error(`cpu: block at 0x${(b.eip >>> 0).toString(16)} stays interpreted: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  } finally {
    cpuProfile.jsMs += performance.now() - t0;
  }
}

const env = (n: string): string | undefined => (typeof process !== 'undefined' ? process.env[n] : undefined);
/** Default CPU.jitBackend: WebAssembly unless EMBOX_WASM=0. */
const JIT_BACKEND: 'wasm' | 'js' = env('EMBOX_WASM') === '0' ? 'js' : 'wasm';
/** Runs after which a block is queued for WebAssembly */
const WASM_THRESHOLD = 50;
/** Default CPU.jitThreshold; EMBOX_JIT=0 turns translation off, EMBOX_JIT=N translates after N runs. */
const JIT_THRESHOLD = (() => {
  const v = env('EMBOX_JIT');
  // WebAssembly is compiled quickly (a baseline compiler first), so warm code
  // pays; a JavaScript translation only pays for really hot code (the
  // JavaScript engine's own optimizing compile of each block takes milliseconds)
  if (v === undefined || v === '') return JIT_BACKEND === 'wasm' ? WASM_THRESHOLD : 20000;
  return Math.max(0, Number(v) | 0);
})();
const JS_FALLBACK_THRESHOLD = 20000;
/**
 * A queued block run this many times as often as when it was queued compiles the queue (a
 * batch not yet full). At 4, a block queued under a raised threshold (scale 16: at 800 runs)
 * ran 2,400 more times interpreted while the batch filled. At 2, alternating runs against 4: gcc's cc1
 * 27.05 / 24.84 s against 28.50 / 27.77 s (246 and 241 modules against 186 and 170); python3.11's
 * loop, median of 6, 6.3 s against 6.9 s; its start (median of 8) and busybox's loop unchanged.
 */
const QUEUE_WAIT = 2;
/** Frees the state slot of a CPU nobody uses any more. */
const SLOTS = new FinalizationRegistry<number>((slot) => freeSlot(slot));

const { EINVAL, ESRCH } = E;
const BUDGET: Stop = { kind: 'budget' };
const SYSCALL: Stop = { kind: 'syscall' };
const MEMORY: Stop = { kind: 'memory' };

function emptyDesc(entry: number): UserDesc {
  // what get_thread_area reports for a cleared GDT slot
  return {
    entry_number: entry, base_addr: 0, limit: 0, seg_32bit: 0, contents: 0, read_exec_only: 1,
    limit_in_pages: 0, seg_not_present: 1, useable: 0,
  };
}
function isEmptyDesc(d: UserDesc): boolean {
  return d.base_addr === 0 && d.limit === 0 && d.contents === 0 && d.read_exec_only === 1 &&
    d.seg_32bit === 0 && d.limit_in_pages === 0 && d.seg_not_present === 1 && d.useable === 0;
}
function isZeroDesc(d: UserDesc): boolean {
  return d.base_addr === 0 && d.limit === 0 && d.contents === 0 && d.read_exec_only === 0 &&
    d.seg_32bit === 0 && d.limit_in_pages === 0 && d.seg_not_present === 0 && d.useable === 0;
}

/** Other targets a block keeps besides tk (Block.alt). */
const MAX_ALT = 3;
/** Whether an instruction of insns is at eip. */
function seenIn(insns: readonly Insn[], eip: number): boolean {
  for (const i of insns) if (i.eip === eip) return true;
  return false;
}

/** Block b went to t before going elsewhere: t joins its other targets (the oldest leaves). */
function otherTarget(b: Block, t: Block): void {
  const a = b.alt;
  if (a === null) {
    b.alt = [t];
    return;
  }
  // (in place: this runs at every exit that misses tk, a quarter of the taken exits of python3.11's start)
  let k = a.indexOf(t);
  if (k < 0) {
    if (a.length < MAX_ALT) {
      // (concat: an array of the exact length, where push would leave room for 17)
      b.alt = a.concat(t);
      return;
    }
    k = 0;
  }
  for (; k < a.length - 1; k++) a[k] = a[k + 1]!;
  a[k] = t;
}

/**
 * Decoded instructions kept in code pages at most (`max`; tests lower it). Past it, the least
 * recently used pages (by when their code was last decoded or interpreted) drop theirs, down to
 * three quarters of it, and so do their blocks that run interpreted; those are decoded again
 * from the same bytes should they run again. Translated blocks keep theirs (their translation
 * calls handlers with them), bounded by the translations kept. An instruction with its share of
 * the caches costs about 250 bytes of JavaScript heap. gcc's cc1 decodes 1.05 million (-O2 on
 * 365 lines): under a bound of 500,000 it dropped 2.4 million and decoded 170,000 blocks again,
 * and its peak RSS grew (651 -> 893 MiB: V8 lets its heap grow with the garbage), so the bound
 * stays clear of such a working set and only keeps a larger program's from growing without end.
 */
export const decodedLimit = { max: 1 << 21 };
/** Instructions decoded so far (the clock of CodePage.used) */
let decodedAll = 0;
/** instructions the pages of decodedPages hold */
let decodedKept = 0;
/**
 * A page's decoded instructions, counted apart from the page and holding it weakly: a page no
 * address space or shared-code cache holds any more is collected with its instructions (the
 * count follows it then), not kept alive until the bound is reached.
 */
interface Kept { n: number; ref: WeakRef<CodePage> }
const decodedPages = new Set<Kept>();
const keptOf = new WeakMap<CodePage, Kept>();
const pageGone = new FinalizationRegistry<Kept>((k) => {
  decodedKept -= k.n;
  decodedPages.delete(k);
});
/** Block.insns of a block whose instructions were dropped */
const EVICTED: Insn[] = [];

/** Drop the decoded instructions of the least recently used pages but `keep` (being decoded into). */
function evictDecoded(keep: CodePage): void {
  const pages: [Kept, CodePage][] = [];
  for (const k of decodedPages) { const p = k.ref.deref(); if (p !== undefined) pages.push([k, p]); }
  pages.sort((x, y) => x[1].used - y[1].used);
  for (const [k, p] of pages) {
    if (decodedKept <= decodedLimit.max * 0.75) break;
    if (p === keep) continue;
    for (const b of p.blocks() as IterableIterator<Block>) {
      // (queued: its translation is made from them)
      if (b.wix < 0 && b.code === null && b.queued === 0) b.insns = EVICTED;
    }
    decodedKept -= k.n;
    cpuProfile.evicted += k.n;
    p.dropInsns();
    decodedPages.delete(k);
    keptOf.delete(p);
    pageGone.unregister(k);
  }
}

export class CPU implements FpuHost {
  mem: AddressSpace;
  /** this CPU's state slot in the WebAssembly memory (frames.ts): registers, segments, flags for translated code */
  readonly slot: number;
  /** the slot as int32s */
  readonly st: Int32Array;
  readonly regs: Int32Array;
  eip = 0;
  /**
   * The x87 unit as it is: its registers may be stale while MMX instructions own the mm
   * registers (they live in the slot then, see mmSync); everything but the MMX code uses `fpu`.
   */
  x87: FpuUnit;
  /** the mm registers' bytes in the slot (valid while st[S_MMX] is not 0) */
  readonly mm: Int32Array;
  readonly segs: Uint16Array;
  readonly segBase: Uint32Array;
  /** xmm0-7 (16 bytes each, in the slot), as bytes and as int32s */
  readonly xmm: Uint8Array;
  readonly xi32: Int32Array;
  /** TLS GDT slots 12..14; null = cleared */
  tls: (UserDesc | null)[] = [null, null, null];
  icount = 0;
  /** icount at which the current run() stops */
  private end = 0;
  /**
   * int 0x80 ends the run loop without an exception (they are slow in V8):
   * the instruction sets this and the end of the budget to now.
   */
  syscallStop = false;
  private stopIcount = 0;

  /**
   * From int 0x80: stop after this instruction with a 'syscall' stop. The
   * loop's budget check ends it: icount jumps to the end of the budget and
   * comes back to its true value (this instruction counted) at the stop.
   */
  stopForSyscall(): void {
    this.syscallStop = true;
    this.stopIcount = this.icount + 1;
    this.icount = this.end - 1;
  }

  // Lazy flags: when fop !== F_NONE the status flags follow from (fop, fa, fb, fres, fsign, fcf);
  // `flags` holds every other bit (and the status flags themselves when fop === F_NONE).
  flags = FIXED1 | IF;
  fop = F_NONE;
  fa = 0;
  fb = 0;
  fres = 0;
  fsign = 0;
  fcf = 0;

  constructor(mem: AddressSpace, fpu?: FpuUnit) {
    this.mem = mem;
    this.x87 = fpu ?? new FPU();
    const slot = (this.slot = allocSlot());
    SLOTS.register(this, slot);
    const buf = memory.buffer;
    this.st = new Int32Array(buf, slot, SLOT_SIZE >> 2);
    this.regs = new Int32Array(buf, slot + S_REGS, 8);
    this.segBase = new Uint32Array(buf, slot + S_SEGBASE, 6);
    this.segs = new Uint16Array(buf, slot + S_SEGS, 6);
    this.segs.set([USER_DS, USER_CS, USER_DS, USER_DS, 0, 0]);
    this.xmm = new Uint8Array(buf, slot + S_XMM, 128);
    this.xi32 = new Int32Array(buf, slot + S_XMM, 32);
    this.mm = new Int32Array(buf, slot + S_MM, 16);
    this.mxcsr = 0x1f80;
    if (this.x87 instanceof FPU) this.x87.bind(new Int32Array(buf, slot + S_X87, X87_WORDS));
  }

  /** The x87 unit, its registers up to date with what MMX instructions wrote. */
  get fpu(): FpuUnit {
    if (this.st[S_MMX >> 2] !== 0) this.mmSync();
    return this.x87;
  }
  set fpu(f: FpuUnit) {
    this.st[S_MMX >> 2] = 0;
    this.x87 = f;
    if (f instanceof FPU) f.bind(new Int32Array(this.st.buffer, this.slot + S_X87, X87_WORDS));
  }
  /**
   * The mm registers back into the x87 registers they alias: a register an MMX instruction
   * wrote gets the significand and an exponent and sign of all ones, as the hardware does.
   */
  private mmSync(): void {
    const w = this.st[S_MMX >> 2]!, f = this.x87 as FPU, m = this.mm;
    for (let k = 0; k < 8; k++) if ((w >> k) & 1) f.setReg(k, new F80(1, 0x7fff, m[2 * k + 1]! >>> 0, m[2 * k]! >>> 0));
    this.st[S_MMX >> 2] = 0;
  }

  /** the SIMD control/status register */
  get mxcsr(): number { return this.st[S_MXCSR >> 2]!; }
  set mxcsr(v: number) { this.st[S_MXCSR >> 2] = v; }

  // ---------------------------------------------------------------- flags

  getCF(): number {
    switch (this.fop) {
      case F_NONE: return this.flags & CF;
      case F_ADD: return (this.fres >>> 0) < (this.fa >>> 0) ? 1 : 0;
      case F_ADC: return (this.fcf ? (this.fres >>> 0) <= (this.fa >>> 0) : (this.fres >>> 0) < (this.fa >>> 0)) ? 1 : 0;
      case F_SUB: return (this.fa >>> 0) < (this.fb >>> 0) ? 1 : 0;
      case F_SBB: return (this.fcf ? (this.fa >>> 0) <= (this.fb >>> 0) : (this.fa >>> 0) < (this.fb >>> 0)) ? 1 : 0;
      case F_LOGIC: return 0;
      default: return this.fcf;
    }
  }
  getZF(): boolean {
    return this.fop === F_NONE ? (this.flags & ZF) !== 0 : this.fres === 0;
  }
  getSF(): boolean {
    return this.fop === F_NONE ? (this.flags & SF) !== 0 : (this.fres & this.fsign) !== 0;
  }
  getOF(): boolean {
    switch (this.fop) {
      case F_NONE: return (this.flags & OF) !== 0;
      case F_ADD: case F_ADC: case F_INC: return ((this.fa ^ this.fres) & (this.fb ^ this.fres) & this.fsign) !== 0;
      case F_SUB: case F_SBB: case F_DEC: return ((this.fa ^ this.fb) & (this.fa ^ this.fres) & this.fsign) !== 0;
      default: return false;
    }
  }
  getPF(): boolean {
    return this.fop === F_NONE ? (this.flags & PF) !== 0 : PARITY[this.fres & 0xff] !== 0;
  }
  getAF(): boolean {
    if (this.fop === F_NONE) return (this.flags & AF) !== 0;
    if (this.fop === F_LOGIC) return false;
    return ((this.fa ^ this.fb ^ this.fres) & 0x10) !== 0;
  }

  getEflags(): number {
    if (this.fop === F_NONE) return this.flags;
    return (this.flags & ~STATUS) | this.getCF() | (this.getPF() ? PF : 0) | (this.getAF() ? AF : 0) |
      (this.getZF() ? ZF : 0) | (this.getSF() ? SF : 0) | (this.getOF() ? OF : 0);
  }
  /** Sets all of EFLAGS (no mask: the caller decides what is modifiable). */
  setEflags(v: number): void {
    this.flags = (v | FIXED1) & ~0x8028;
    this.fop = F_NONE;
  }
  /** Materialise lazy flags into `flags` (before a partial flag update). */
  flatFlags(): number {
    if (this.fop !== F_NONE) {
      this.flags = this.getEflags();
      this.fop = F_NONE;
    }
    return this.flags;
  }
  setFpuFlags(zf: boolean, pf: boolean, cf: boolean): void {
    this.flags = (this.flatFlags() & ~STATUS) | (zf ? ZF : 0) | (pf ? PF : 0) | (cf ? CF : 0);
  }
  /** Set the status flags selected by mask to the bits of v. */
  setStatus(mask: number, v: number): void {
    this.flags = (this.flatFlags() & ~mask) | (v & mask);
  }

  /** Record a result for lazy flags. Values are size-truncated (int32 for 32-bit). */
  lazy(op: number, size: number, a: number, b: number, r: number): void {
    this.fop = op;
    this.fa = a;
    this.fb = b;
    this.fres = r;
    this.fsign = size === 4 ? -0x80000000 : size === 2 ? 0x8000 : 0x80;
  }

  /** Condition code cc (0..15, the low nibble of jcc/setcc/cmovcc). */
  cond(cc: number): boolean {
    const op = this.fop;
    if (op === F_SUB) {
      // cmp/sub: compare the operands directly (sign-extended for the signed conditions)
      const sh = this.fsign === -0x80000000 ? 0 : this.fsign === 0x8000 ? 16 : 24;
      const a = this.fa, b = this.fb;
      switch (cc) {
        case 2: return (a >>> 0) < (b >>> 0);
        case 3: return (a >>> 0) >= (b >>> 0);
        case 4: return a === b;
        case 5: return a !== b;
        case 6: return (a >>> 0) <= (b >>> 0);
        case 7: return (a >>> 0) > (b >>> 0);
        case 12: return (a << sh) >> sh < (b << sh) >> sh;
        case 13: return (a << sh) >> sh >= (b << sh) >> sh;
        case 14: return (a << sh) >> sh <= (b << sh) >> sh;
        case 15: return (a << sh) >> sh > (b << sh) >> sh;
      }
    } else if (op === F_LOGIC) {
      // and/or/xor/test: CF = OF = 0
      const z = this.fres === 0, s = (this.fres & this.fsign) !== 0;
      switch (cc) {
        case 0: case 2: return false;
        case 1: case 3: return true;
        case 4: case 6: return z;
        case 5: case 7: return !z;
        case 8: case 12: return s;
        case 9: case 13: return !s;
        case 14: return z || s;
        case 15: return !z && !s;
      }
    }
    let r: boolean;
    switch (cc >> 1) {
      case 0: r = this.getOF(); break;
      case 1: r = this.getCF() !== 0; break;
      case 2: r = this.getZF(); break;
      case 3: r = this.getCF() !== 0 || this.getZF(); break;
      case 4: r = this.getSF(); break;
      case 5: r = this.getPF(); break;
      case 6: r = this.getSF() !== this.getOF(); break;
      default: r = this.getZF() || this.getSF() !== this.getOF(); break;
    }
    return (cc & 1) === 0 ? r : !r;
  }

  // ---------------------------------------------------------------- operands

  getR(size: number, r: number): number {
    if (size === 4) return this.regs[r];
    if (size === 2) return this.regs[r] & 0xffff;
    return r < 4 ? this.regs[r] & 0xff : (this.regs[r - 4] >> 8) & 0xff;
  }
  setR(size: number, r: number, v: number): void {
    if (size === 4) this.regs[r] = v;
    else if (size === 2) this.regs[r] = (this.regs[r] & ~0xffff) | (v & 0xffff);
    else if (r < 4) this.regs[r] = (this.regs[r] & ~0xff) | (v & 0xff);
    else this.regs[r - 4] = (this.regs[r - 4] & ~0xff00) | ((v & 0xff) << 8);
  }

  /** Effective (linear) address of the memory operand. */
  ea(i: Insn): number {
    let a = offsetOf(i, this.regs);
    const s = i.seg;
    if (s >= 0) a += this.base(s);
    return a | 0;
  }
  /** Base of segment s for a memory access; a null selector raises #GP. */
  base(s: number): number {
    if (this.segs[s] < 4) throw generalProtection(0);
    return this.segBase[s];
  }

  rd(size: number, a: number): number {
    return size === 4 ? this.mem.read32(a) : size === 2 ? this.mem.read16(a) : this.mem.read8(a);
  }
  wr(size: number, a: number, v: number): void {
    if (size === 4) this.mem.write32(a, v);
    else if (size === 2) this.mem.write16(a, v);
    else this.mem.write8(a, v);
  }
  /** Read for a read-modify-write: also proves the later write cannot fault. */
  rdw(size: number, a: number): number {
    const m = this.mem;
    const s = m.wr[a >>> 22];
    if (s === undefined || s[(a >>> 12) & 1023] === undefined || (a & 0xfff) > 0x1000 - size) m.checkWrite(a, size);
    return this.rd(size, a);
  }

  readE(i: Insn): number {
    return i.m ? this.rd(i.size, this.ea(i)) : this.getR(i.size, i.rm);
  }
  writeE(i: Insn, v: number): void {
    if (i.m) this.wr(i.size, this.ea(i), v);
    else this.setR(i.size, i.rm, v);
  }

  push32(v: number): void {
    const sp = (this.regs[ESP] - 4) | 0;
    this.mem.write32(sp, v);
    this.regs[ESP] = sp;
  }
  pop32(): number {
    const sp = this.regs[ESP];
    const v = this.mem.read32(sp);
    this.regs[ESP] = sp + 4;
    return v;
  }
  push(size: number, v: number): void {
    if (size === 4) { this.push32(v); return; }
    const sp = (this.regs[ESP] - 2) | 0;
    this.mem.write16(sp, v);
    this.regs[ESP] = sp;
  }
  pop(size: number): number {
    if (size === 4) return this.pop32();
    const sp = this.regs[ESP];
    const v = this.mem.read16(sp);
    this.regs[ESP] = sp + 2;
    return v;
  }

  // ---------------------------------------------------------------- segments / TLS

  /** Load a segment register as mov/pop do (Linux GDT: 0x23 code, 0x2b data, TLS 12..14). */
  loadSeg(sreg: number, sel: number): void {
    sel &= 0xffff;
    const idx = sel >> 3;
    if (sreg === CS) throw generalProtection(sel & 0xfffc);
    if ((sel & 0xfffc) === 0) {
      if (sreg === SS) throw generalProtection(0);
      this.segs[sreg] = sel;
      this.segBase[sreg] = 0;
      return;
    }
    let base = 0;
    if (sel & 4) base = this.ldtBase(sreg, sel);
    else if (idx === USER_DS >> 3) base = 0;
    else if ((idx === USER_CS >> 3 || idx === USER64_CS >> 3) && sreg !== SS) base = 0; // readable code
    else if (idx >= GDT_ENTRY_TLS_MIN && idx < GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) {
      const d = this.tls[idx - GDT_ENTRY_TLS_MIN];
      if (!d) throw generalProtection(sel & 0xfffc);
      base = d.base_addr >>> 0;
    } else throw generalProtection(sel & 0xfffc);
    if (sreg === SS && (sel & 3) !== 3) throw generalProtection(sel & 0xfffc);
    this.segs[sreg] = sel;
    this.segBase[sreg] = base;
  }

  /**
   * Base of LDT descriptor sel for segment register sreg, with the checks of a
   * protected-mode load: #GP for a missing entry, a system or execute-only
   * one, a DPL or RPL other than 3 for SS or a read-only SS; #NP (#SS for SS)
   * when not present.
   */
  private ldtBase(sreg: number, sel: number): number {
    const ldt = this.mem.ldt, idx = sel >> 3;
    if (!ldt || idx * 8 + 8 > ldt.length) throw generalProtection(sel & 0xfffc);
    const v = new DataView(ldt.buffer, ldt.byteOffset + idx * 8, 8);
    const lo = v.getUint32(0, true), hi = v.getUint32(4, true);
    const type = (hi >>> 8) & 0xf, s = (hi >>> 12) & 1, dpl = (hi >>> 13) & 3, present = (hi >>> 15) & 1;
    const code = (type & 8) !== 0, rw = (type & 2) !== 0;
    if (!s || (lo === 0 && hi === 0)) throw generalProtection(sel & 0xfffc);
    if (sreg === SS) {
      if (code || !rw || dpl !== 3 || (sel & 3) !== 3) throw generalProtection(sel & 0xfffc);
    } else if (code && !rw) throw generalProtection(sel & 0xfffc);
    if (!present) throw new CpuFault(SIGBUS, SI_KERNEL, 0, sreg === SS ? TRAP_SS : TRAP_NP, sel & 0xfffc);
    return ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
  }

  /**
   * modify_ldt(2) writes (func 1, old mode; 0x11): Linux's write_ldt checks,
   * the descriptor encoded as fill_ldt does; segment registers holding the
   * entry get its new base. Returns 0 or -errno.
   */
  writeLdt(d: UserDesc, oldMode: boolean): number {
    const idx = d.entry_number >>> 0;
    if (idx >= LDT_ENTRIES) return -EINVAL;
    if (d.contents === 3 && (oldMode || d.seg_not_present === 0)) return -EINVAL;
    let lo = 0, hi = 0;
    if (!((oldMode && !d.base_addr && !d.limit) || isEmptyDesc(d))) {
      const base = d.base_addr >>> 0, limit = d.limit & 0xfffff;
      const type = ((d.read_exec_only ^ 1) << 1) | (d.contents << 2) | 1;
      lo = ((limit & 0xffff) | ((base & 0xffff) << 16)) >>> 0;
      hi = (((base >>> 16) & 0xff) | (type << 8) | (1 << 12) | (3 << 13) | ((d.seg_not_present ^ 1) << 15) |
        (((limit >>> 16) & 0xf) << 16) | ((oldMode ? 0 : d.useable) << 20) | (d.seg_32bit << 22) |
        (d.limit_in_pages << 23) | (base & 0xff000000)) >>> 0;
    }
    const mem = this.mem;
    if (!mem.ldt || mem.ldt.length < (idx + 1) * 8) {
      const grown = new Uint8Array((idx + 1) * 8);
      if (mem.ldt) grown.set(mem.ldt);
      mem.ldt = grown;
    }
    const v = new DataView(mem.ldt.buffer, idx * 8, 8);
    v.setUint32(0, lo, true);
    v.setUint32(4, hi, true);
    const sel = (idx << 3) | 7;
    for (let s = 0; s < 6; s++) {
      if (s === CS || (this.segs[s]! | 3) !== sel) continue;
      try {
        this.segBase[s] = this.ldtBase(s, this.segs[s]!);
      } catch {
        this.segs[s] = 0;
        this.segBase[s] = 0;
      }
    }
    return 0;
  }

  /** set_thread_area(2): returns 0 or -errno; fills desc.entry_number when it was -1. */
  setThreadArea(desc: UserDesc): number {
    const empty = isEmptyDesc(desc) || isZeroDesc(desc);
    if (!empty && (!desc.seg_32bit || desc.contents > 1 || desc.seg_not_present)) return -EINVAL;
    let idx = desc.entry_number | 0;
    if (idx === -1) {
      idx = this.tls.findIndex((d) => d === null);
      if (idx < 0) return -ESRCH;
      idx += GDT_ENTRY_TLS_MIN;
      desc.entry_number = idx;
    }
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return -EINVAL;
    // what the GDT descriptor keeps: a 20-bit limit and one bit per flag
    this.tls[idx - GDT_ENTRY_TLS_MIN] = empty ? null : {
      entry_number: idx, base_addr: desc.base_addr >>> 0, limit: desc.limit & 0xfffff, seg_32bit: desc.seg_32bit & 1,
      contents: desc.contents & 3, read_exec_only: desc.read_exec_only & 1, limit_in_pages: desc.limit_in_pages & 1,
      seg_not_present: desc.seg_not_present & 1, useable: desc.useable & 1,
    };
    // Linux reloads any segment register that refers to the modified entry
    const sel = (idx << 3) | 3;
    for (let s = 0; s < 6; s++) {
      if (s !== CS && this.segs[s] === sel) {
        const d = this.tls[idx - GDT_ENTRY_TLS_MIN];
        if (d) this.segBase[s] = d.base_addr;
        else { this.segs[s] = 0; this.segBase[s] = 0; }
      }
    }
    return 0;
  }

  /** get_thread_area(2): the descriptor of GDT entry idx, or -EINVAL. */
  getThreadArea(idx: number): UserDesc | number {
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return -EINVAL;
    const d = this.tls[idx - GDT_ENTRY_TLS_MIN];
    return d ? { ...d, entry_number: idx } : emptyDesc(idx);
  }

  /** Copy of the whole CPU for fork (memory is the child's address space). */
  clone(mem: AddressSpace): CPU {
    const c = new CPU(mem, this.fpu.clone());
    c.regs.set(this.regs);
    c.eip = this.eip;
    c.setEflags(this.getEflags());
    c.segs.set(this.segs);
    c.segBase.set(this.segBase);
    c.tls = this.tls.map((d) => (d ? { ...d } : null));
    c.icount = this.icount;
    c.xmm.set(this.xmm);
    c.mxcsr = this.mxcsr;
    return c;
  }

  // ---------------------------------------------------------------- run loop

  /** A block is translated when it is about to run for this time (1: at once; 0: never). */
  jitThreshold = JIT_THRESHOLD;
  /** What blocks are translated to: WebAssembly (wasm.ts) or JavaScript (jit.ts) */
  jitBackend = JIT_BACKEND;

  /** Block b has run jitThreshold times: translate it (or queue it for a batch). */
  private translateBlock(b: Block): void {
    // WebAssembly in batches (at once when every block is translated at its first run)
    if (this.jitBackend === 'js' || !queueTranslation(b, this.jitThreshold <= 1, this.mem)) b.code = tryTranslate(b);
  }
  /** Start of the instruction that raised the fault being handled. */
  private faultStart = 0;
  /** In a translated block: index of the instruction that may fault next. */
  bk = 0;

  /**
   * An instruction through its handler, for translated blocks: one shared
   * call site, so the optimizing compiler does not inline every handler into
   * every block (which made compiling a block cost milliseconds).
   */
  exec(i: Insn): void {
    i.fn(this, i);
  }

  /** From a translated block's fault path: the state the interpreter would have at instruction i. */
  faultAt(i: Insn, icount: number): void {
    this.faultStart = i.eip;
    this.eip = i.next;
    this.icount = icount;
  }

  /**
   * Blocks of an instruction reaching into the next page (path()), by eip: valid for the space
   * and code epoch they were made under (a write to either page, or any change of the mappings,
   * ends it). Without them such a block was made anew wherever a jump or return reached it
   * other than through a link, so its runs never added up to a translation: one at a call
   * target in busybox's shell kept a loop leaving translated code every other iteration.
   */
  private crossing = new Map<number, Block>();
  private crossingOf: AddressSpace | null = null;
  private crossingEpoch = -1;

  /** The block starting at eip (decoded, and cached in its code page, on a miss). */
  private blockAt(eip: number): Block {
    this.faultStart = eip;
    const mem = this.mem;
    const page = mem.codePage(eip >>> 12, eip);
    page.used = decodedAll;
    const hit = page.block(eip & 0xfff) as Block | undefined;
    if (hit !== undefined) return hit;
    if (this.crossingOf !== mem || this.crossingEpoch !== mem.codeEpoch) {
      this.crossing.clear();
      this.crossingOf = mem;
      this.crossingEpoch = mem.codeEpoch;
    } else {
      const c = this.crossing.get(eip);
      if (c !== undefined) return c;
    }
    const { insns, end, cacheable } = this.path(eip);
    const b: Block = { eip, end, insns, hits: 0, queued: 0, code: null, wix: -1, nx: null, tk: null, alt: null, lep: 0, page: cacheable ? page : null };
    if (cacheable) page.setBlock(eip & 0xfff, b);
    // (path() may have changed the epoch: decoding registers the next page as holding code)
    else if (this.crossingEpoch === mem.codeEpoch) this.crossing.set(eip, b);
    return b;
  }

  /**
   * The instructions of the block at eip: a superblock, the path through conditional jumps (not
   * taken: the taken side leaves the block) and direct jumps and calls within this page. An
   * instruction reaching into the next page depends on that page's bytes too: it makes a block
   * of its own, kept only by the links and `crossing` under this code epoch (the page cache
   * holds what follows from its own bytes).
   */
  private path(eip: number): { insns: Insn[]; end: number; cacheable: boolean } {
    const insns: Insn[] = [];
    // (until a direct jump the path only goes up: an address seen before is looked for only after one)
    let a = eip, cacheable = true, jumped = false;
    for (;;) {
      let i: Insn;
      try {
        i = this.lookup(a);
      } catch (e) {
        if (insns.length === 0) throw e;
        break; // the next instruction cannot be fetched: it faults when it is reached
      }
      const crosses = (a & 0xfff) + i.len > 0x1000;
      if (crosses && insns.length > 0) break;
      insns.push(i);
      if (crosses) {
        cacheable = false;
        a = i.next;
        break;
      }
      a = pathNext(i);
      jumped ||= a >= 0 && a !== i.next;
      if (a < 0 || insns.length >= MAX_BLOCK || a >>> 12 !== eip >>> 12 || (jumped && seenIn(insns, a))) {
        a = a < 0 ? i.next : a;
        break;
      }
    }
    // (an array of the exact length: one grown by push keeps room for 17 or more, some 100 bytes a block)
    return { insns: insns.slice(), end: a, cacheable };
  }

  /**
   * Block b's taken exit went to eip, not to its last target tk: eip's block becomes tk, the old
   * one joins b's other targets. Those are looked at first (a return to one of a few callers, an
   * indirect jump among a few), then the page: python3.11's start missed tk in a quarter of its
   * taken exits, and in gcc's cc1 the lookups and otherTarget took 6% of the time.
   */
  private retarget(b: Block, eip: number): Block {
    let t: Block | undefined;
    const alt = b.alt;
    if (alt !== null) {
      for (let j = 0; j < alt.length && t === undefined; j++) if (alt[j]!.eip === eip) t = alt[j];
    }
    if (b.tk !== null) otherTarget(b, b.tk);
    if (t === undefined) t = this.blockAt(eip);
    else this.faultStart = eip; // (as blockAt sets it)
    return (b.tk = t);
  }

  /**
   * Block b's instructions again, after evictDecoded() dropped them: decoded from the same bytes
   * (b was reached through its page in this space or a link of this code epoch, so its page is
   * unchanged), they are the same instructions.
   */
  private redecode(b: Block): void {
    const { insns, end } = this.path(b.eip);
    if (end !== b.end) throw new Error(`block at 0x${(b.eip >>> 0).toString(16)} decoded anew differs`);
    b.insns = insns;
    cpuProfile.redecoded++;
  }

  /** Run block b's instructions through their handlers (ends early at the budget, a jump or dropped code). */
  private interpret(b: Block, end: number): void {
    if (b.page !== null) b.page.used = decodedAll;
    const insns = b.insns, n = insns.length, mem = this.mem, epoch = mem.codeEpoch;
    let i = insns[0]!;
    try {
      for (let k = 0; k < n; k++) {
        i = insns[k]!;
        const nx = i.next;
        this.eip = nx;
        i.fn(this, i);
        if (++this.icount >= end || mem.codeEpoch !== epoch) return;
        // (the next instruction is looked at only after a jump: a direct jmp or call the block goes on through)
        if (this.eip !== nx && (k + 1 >= n || this.eip !== insns[k + 1]!.eip)) return;
      }
    } catch (e) {
      this.faultStart = i.eip;
      throw e;
    }
  }

  /** Instruction bytes for decode(): one function for every decode, not a closure each. */
  private readonly fetch = (a: number): number => this.mem.fetch8(a);

  private decodeInto(page: CodePage, eip: number): Insn {
    const mem = this.mem;
    const i = decode(this.fetch, eip);
    cpuProfile.decoded++;
    if ((eip & 0xfff) + i.len > 0x1000) {
      // reaches into the next page: not kept in this page's cache, and writes
      // to the next page must change the code epoch (they drop its code)
      mem.codePage(((eip >>> 12) + 1) & 0xfffff, (eip + i.len - 1) >>> 0);
      return i;
    }
    page.setInsn(eip & 0xfff, i);
    page.used = ++decodedAll;
    let k = keptOf.get(page);
    if (k === undefined) {
      k = { n: 0, ref: new WeakRef(page) };
      keptOf.set(page, k);
      decodedPages.add(k);
      pageGone.register(page, k, k);
    }
    k.n++;
    if (++decodedKept > decodedLimit.max) evictDecoded(page);
    return i;
  }

  /** Decoded instruction at eip (decoding on a miss; fetch faults propagate). */
  private lookup(eip: number): Insn {
    const pn = eip >>> 12;
    const page = this.mem.codePage(pn, eip);
    const i = page.insn(eip & 0xfff) as Insn | undefined;
    return i !== undefined ? i : this.decodeInto(page, eip);
  }

  /** Execute up to maxInsns instructions; stops early at a system call or a fault. */
  run(maxInsns: number): Stop {
    // a page's first touch by guest code counts against the frames its space was granted
    const mem = this.mem, ic0 = this.icount;
    mem.limited = true;
    try {
      return this.flags & TF ? this.runStepping(maxInsns) : this.runBlocks(maxInsns);
    } finally {
      mem.limited = false;
      cpuProfile.all += this.icount - ic0;
    }
  }

  private runBlocks(maxInsns: number): Stop {
    const mem = this.mem;
    const end = (this.end = this.icount + maxInsns);
    let inBlock: Block | null = null, blockIc = 0, inWasm = false, interpreted = 0, entries = 0;
    if (tlbOwner !== mem) tlbUse(mem);
    try {
      if (maxInsns <= 0) return BUDGET;
      let b = this.blockAt(this.eip);
      for (;;) {
        if (b.code === null && b.wix < 0) {
          if (b.insns === EVICTED) this.redecode(b);
          const h = ++b.hits, thr = this.jitThreshold;
          if (b.queued === 0) {
            // (above 1, the threshold grows while translating takes too much of the time: translationBudget)
            if (thr > 0 && h >= (thr > 1 ? thr * translationBudget.scale : thr)) {
              b.queued = h;
              this.translateBlock(b);
            }
          }
          // queued and still run this often: a hot loop waits for the batch to fill up; compile it now
          else if (h === b.queued * QUEUE_WAIT && this.jitBackend === 'wasm') compileQueued(mem);
          // still interpreted long after it was queued: its WebAssembly failed; JavaScript then
          else if (h === JS_FALLBACK_THRESHOLD && this.jitBackend === 'wasm' && this.jitThreshold > 0 && h > this.jitThreshold) b.code = tryTranslate(b);
        }
        if (b.wix >= 0 && end - this.icount >= b.insns.length) {
          // translated code: it goes on from block to block (wasm-run.ts) as far as it can
          inWasm = true;
          blockIc = this.icount;
          entries++;
          runTranslated(this, b, end - this.icount);
          inWasm = false;
          b = lastTranslated(this); // (for the links below)
          cpuProfile.wasm += this.icount - blockIc;
        } else if (b.code !== null && end - this.icount >= b.insns.length) {
          inBlock = b;
          blockIc = this.icount;
          b.code(this);
          inBlock = null;
          cpuProfile.js += this.icount - blockIc;
        } else {
          interpreted++;
          this.interpret(b, end);
        }
        if (this.syscallStop) {
          this.syscallStop = false;
          this.icount = this.stopIcount;
          return SYSCALL;
        }
        if (this.icount >= end) return BUDGET;
        // next block: follow the cached successor links made under this code epoch
        const eip = this.eip;
        let nb: Block | null;
        if (b.lep !== mem.codeEpoch) {
          b.lep = mem.codeEpoch;
          b.nx = b.tk = null;
          b.alt = null;
        }
        if (eip === b.end) {
          nb = b.nx;
          if (nb === null) nb = b.nx = this.blockAt(eip);
        } else {
          nb = b.tk;
          if (nb === null || nb.eip !== eip) nb = this.retarget(b, eip);
        }
        b = nb;
      }
    } catch (e) {
      // a fault in a translated block: the state the interpreter would have at instruction bk
      const entered = blockIc, js = inBlock !== null;
      if (inWasm) ({ block: inBlock, icount: blockIc } = translatedFault(this));
      if (inBlock !== null) this.faultAt(inBlock.insns[this.bk]!, blockIc + this.bk);
      const stop = this.stopFor(e, this.faultStart);
      // (a system call leaves translated code this way too)
      if (inWasm) cpuProfile.wasm += this.icount - entered;
      else if (js) cpuProfile.js += this.icount - entered;
      return stop;
    } finally {
      cpuProfile.interpreted += interpreted;
      cpuProfile.wasmEntries += entries;
    }
  }

  /** Execution with TF set: one instruction at a time, #DB (SIGTRAP TRAP_TRACE) after each
   *  instruction that began with TF set. */
  private runStepping(maxInsns: number): Stop {
    const end = this.icount + maxInsns;
    let start = this.eip;
    try {
      while (this.icount < end) {
        const tf = this.flags & TF;
        start = this.eip;
        const i = this.lookup(start);
        this.eip = i.next;
        try {
          i.fn(this, i);
        } catch (e) {
          if (e !== TF_ON) throw e;
        }
        this.icount++;
        if (tf) return { kind: 'fault', signo: SIGTRAP, code: TRAP_TRACE, addr: this.eip >>> 0, trapno: TRAP_DB, errorCode: 0 };
        if (!(this.flags & TF)) return this.run(end - this.icount);
      }
      return BUDGET;
    } catch (e) {
      return this.stopFor(e, start);
    }
  }

  private stopFor(e: unknown, start: number): Stop {
    if (e === TF_ON) {
      // popf/iret turned TF on: it completed; continue one instruction at a time
      this.icount++;
      return this.runStepping(Math.max(0, this.end - this.icount));
    }
    if (e instanceof SyscallStop) {
      this.icount++;
      return SYSCALL;
    }
    if (e === CHARGE_NEEDED) {
      this.eip = start;
      return MEMORY;
    }
    if (e instanceof CpuFault) {
      if (e.trap) this.icount++;
      else this.eip = start;
      return { kind: 'fault', signo: e.signo, code: e.code, addr: e.addr >>> 0, trapno: e.trapno, errorCode: e.errorCode };
    }
    if (e instanceof GuestFault) {
      this.eip = start;
      return {
        kind: 'fault', signo: SIGSEGV, code: e.present ? SEGV_ACCERR : SEGV_MAPERR, addr: e.addr >>> 0,
        trapno: TRAP_PF, errorCode: e.errorCode,
      };
    }
    // not a guest event: a host-side bug; report where the guest was
    this.eip = start;
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`CPU internal error at eip 0x${(start >>> 0).toString(16)}: ${msg}`, { cause: e });
  }
}
