// Block translation to WebAssembly, the code generator (wasm-run.ts runs what
// it makes; wasm-layout.ts holds what the two agree on). What it emits inline
// is what the opcode table says (opcodes.ts: kind and inline.wasm): jit.ts's
// templates (mov, lea, add/or/and/sub/xor/cmp, test, inc/dec, push/pop,
// movzx/movsx, cmovcc, setcc, xchg, jcc, jmp, call, ret; 16-bit mov, test and
// alu forms, adc/sbb, byte inc/dec, cld/std), more (emitExtra below: shifts,
// mul/div, bit tests and scans, movs/stos and their rep forms ...), and MMX/SSE
// forms (wasm-simd.ts), as
// WebAssembly functions over the memory of frames.ts, where guest pages and
// CPU registers live; every other instruction calls its handler, as in
// jit.ts. Blocks are compiled in batches, one module each (a
// module costs V8 about 200 microseconds, a function in it a few), with V8's
// baseline compiler at once and its optimising one for the hot functions
// later, so code that is only warm (run hundreds of times, as a shell's is)
// is translated too, which jit.ts's JavaScript could not afford.
//
// Within a block, registers live in locals. Memory accesses go through the
// TLB of the running address space (frames.ts): a hit is two loads and a
// compare; a miss, an access across pages, a write to a page holding code or
// a page that is not a frame (shared mappings) calls back into JavaScript
// (wasm-run.ts slow()). A block ends by tail-calling the next one (directly,
// or through the jump cache) or by returning to the run loop. The guarantees
// are jit.ts's: a fault leaves eip, icount and all earlier effects exact
// (callbacks learn the instruction index and set cpu.bk; the fault
// epilogue writes the registers back), a store that drops decoded code ends
// the block after that instruction, a block is entered only when the budget
// covers it.
import { emitsInline, endsBlock, type Insn } from './decode.js';
import { JUMP_CACHE, MODULE_EPOCHS, RUNTIME_DATA, TLB_R, TLB_W, TLB_SIZE } from './frames.js';
import type { Block } from './jit.js';
import { simdInline, simdSetsFlags, emitSimd } from './wasm-simd.js';
import { K_XMM } from './simd.js';
import { transOp, x87TableData, x87TransFn } from './wasm-x87-trans.js';
import { comiArg, emitFcmov, emitX87, fcmovCc, x87ArithFn, x87CompareFn, x87Inline, x87IntStoreFn, x87LoadFn, x87RoundFn, x87StoreFn } from './wasm-x87.js';
import { F_NONE, F_ADD, F_ADC, F_SUB, F_SBB, F_LOGIC, F_INC, F_DEC, CF, PF, AF, ZF, SF, OF, DF, STATUS } from './flags.js';
import { I32, OP, memoryImport, name, section, sleb, uleb } from './wasm-encode.js';
import {
  S_REGS, S_SEGBASE, S_SEGS, S_FOP, S_FA, S_FB, S_FRES, S_FSIGN, S_FCF, S_FLAGS, S_EIP, S_CUR, S_DONE, S_STOP,
  S_EPOCH, S_FAULT, S_JC_EXITS, JC_BITS, JC_MUL, IMPORTS, F, BLOCK_TYPE, IMPORT_TYPE,
  SLOW_LOAD, SLOW_STORE, SLOW_RMW, SLOW_SEG, SLOW_RAISE, SLOW_X87, SLOW_X87_FLAGS, SLOW_FILL, S_X87, X87_SW, X87_TOP, S_XMM,
} from './wasm-layout.js';

const LOAD = { 1: OP.load8u, 2: OP.load16u, 4: OP.load } as Record<number, number>;
const STORE = { 1: OP.store8, 2: OP.store16, 4: OP.store } as Record<number, number>;

/**
 * What the status flags hold, as locals, when known (as jit.ts's Known); op
 * EAGER: local r holds them as EFLAGS bits.
 */
interface Known { op: number; size: number; a: number; b: number; r: number; /** inc/dec: the CF they kept */ cf?: number }
const EAGER = -1;

/** v128.load (or v128.store) of xmm register n's place in the slot, appended to out (the slot address pushed first). */
function xmmSlot(out: number[], store: boolean, n: number): void {
  out.push(0xfd, store ? 0x0b : 0x00, 0);
  uleb(out, S_XMM + 16 * n);
}

/** branch hints (the values of the branch hint section) */
type Hint = 0 | 1;
const UNLIKELY: Hint = 0, LIKELY: Hint = 1;

/**
 * One block function: (st = the CPU's slot, budget, instructions retired
 * before it) -> instructions retired by the whole chain it starts; the eip
 * it ends at in the slot.
 */
const NO_THUNKS: ReadonlyMap<number, number> = new Map();

class Fn {
  code: number[] = [];
  nlocals = 0;
  known: Known | null = null;
  /**
   * Nesting of structured control: a block body sits in three blocks, $chain
   * (depth 1), $exit (2) and $fault (3), whose ends hold the shared epilogues.
   */
  depth = 3;
  /** the exit epilogue's operands: eip and instructions retired */
  readonly eipL: number;
  readonly nL: number;
  /**
   * The region this function translates (assemble()): blocks of one code page
   * whose table indices run from first; at maps a block's eip to its position.
   * An exit to one of them goes on in this function (a WebAssembly loop), with
   * the registers staying in locals.
   */
  region: { first: number; at: Map<number, number>; lens: number[]; liveIn: boolean[] } | null = null;
  /**
   * Blocks outside the region an exit may tail-call directly (function index, table index,
   * length), valid while the running space's code epoch is one of the two in the module's cells
   * at `epochCell` (assemble(): `epoch`, the one they were linked under, or later ones in which
   * the code they were made from is the same, wasm-run.ts revalidate()).
   */
  link: (eip: number) => { fn: number; wix: number; len: number } | undefined = () => undefined;
  /** calls of a PC thunk under `epoch`, by eip: the thunk's register (wasm-run.ts pcThunks) */
  thunks: ReadonlyMap<number, number> = NO_THUNKS;
  epoch = 0;
  epochCell = MODULE_EPOCHS;
  /** Push whether the running space's code epoch is one of the two the module's links hold under. */
  linksHold(): void {
    for (const cell of [this.epochCell, this.epochCell + 4]) {
      this.get(0); this.mem(OP.load, S_EPOCH);
      this.i32(0); this.mem(OP.load, cell);
      this.op(OP.eq);
    }
    this.op(OP.or);
  }
  /**
   * xmm: the xmm registers (bit n: xmm n) the function's inline SIMD code uses, each in a v128
   * local (the locals after the parameters) loaded in the prologue, as the general registers are.
   */
  constructor(public block: number, public nparams = 3, readonly xmm = 0) {
    for (let n = 0; n < 8; n++) {
      if (!(xmm & (1 << n))) continue;
      const l = this.xloc[n] = nparams + this.nx++;
      const p = this.prologue;
      p.push(OP.get, 0);
      xmmSlot(p, false, n);
      p.push(OP.set);
      uleb(p, l);
    }
    this.eipL = this.local();
    this.nL = this.local();
  }
  /** v128 locals (declared before the i32 ones) */
  nx = 0;
  private xloc = [-1, -1, -1, -1, -1, -1, -1, -1];
  /** xmm registers written since the last write-back, and anywhere in the function */
  private xdirty = 0;
  private xEverDirty = 0;
  /** The local holding xmm register n (the function's inline SIMD code uses it: see xmm). */
  xmmLocal(n: number): number {
    const l = this.xloc[n]!;
    if (l < 0) throw new Error(`xmm${n} has no local`);
    return l;
  }
  /** xmm register n was written (its local). */
  xmmWritten(n: number): void {
    this.xdirty |= 1 << n;
    this.xEverDirty |= 1 << n;
  }
  /** Write xmm register n's local to the slot (code that indexes the register's bytes there). */
  xmmToSlot(n: number): void {
    this.get(0); this.get(this.xmmLocal(n)); xmmSlot(this.code, true, n);
  }
  private xmmWriteBack(mask: number): void {
    for (let n = 0; n < 8; n++) if (mask & (1 << n)) this.xmmToSlot(n);
  }
  /** `if`, with a branch hint for V8's optimizing compiler (LIKELY: the then-arm; UNLIKELY: the else-arm) */
  if_(type: number, hint?: Hint): void {
    if (hint !== undefined) this.hint(hint);
    this.code.push(OP.if, type);
    this.depth++;
  }
  /**
   * Branch hints (the "metadata.code.branch_hint" section): byte offsets of `if` and `br_if`
   * in the code they were emitted into, with how likely the branch is. V8's optimizing compiler
   * lays unlikely paths (TLB misses, faults, a stop asked for) out of line and spills values
   * live across their calls only there, not on the path that runs.
   */
  hints: { code: number[]; at: number; v: Hint }[] = [];
  hint(v: Hint): void {
    this.hints.push({ code: this.code, at: this.code.length, v });
  }
  /** br_if to label depth n, hinted */
  brIf(n: number, hint: Hint): void {
    this.hint(hint);
    this.indexed(OP.brIf, n);
  }
  else_(): void {
    this.code.push(OP.else);
  }
  end_(): void {
    this.code.push(OP.end);
    this.depth--;
  }
  /**
   * A callback reported a fault (S_FAULT): on to the fault epilogue, storing on the way the
   * flags the instruction began with when they are not in the slot (faultFlags).
   */
  faultCheck(): void {
    this.get(0);
    this.mem(OP.load, S_FAULT);
    const f = this.faultFlags;
    if (f === null) {
      this.brIf(this.depth - 3, UNLIKELY);
      return;
    }
    this.if_(0x40, UNLIKELY);
    this.storeKnown(f);
    this.indexed(OP.br, this.depth - 3);
    this.end_();
  }
  /**
   * The flags pending when the instruction being emitted began, which a fault in it must leave
   * in the slot (the instruction is run again, or a signal handler and what follows read them):
   * stored on the fault paths only instead of on the path that runs (emitInsn).
   */
  faultFlags: Known | null = null;

  /**
   * A new local; within a block's body, a temporary: one an instruction before this one
   * released (endInsn) when there is one. V8's baseline compiler, which compiles each function
   * at its first call, spends time in proportion to the function's locals at every branch, merge
   * and call; a fresh local for every temporary made that 87 on average (src/cpu/README.md has
   * the figures).
   */
  local(): number {
    if (this.tempBase < 0) return this.nparams + this.nx + this.nlocals++;
    const l = this.free.pop() ?? this.nparams + this.nx + this.nlocals++;
    this.taken.push(l);
    return l;
  }
  /** Temporaries the instructions emitted so far released: dead from here on in this body. */
  private free: number[] = [];
  /** Temporaries taken in this body and not released. */
  private taken: number[] = [];
  /**
   * The end of an instruction: its temporaries and those of the instructions before it are dead,
   * but for the operands and result of the flags it leaves known (known), which a later
   * instruction may read (a condition, the flags stored at an exit or for a fault). Nothing else
   * carries a temporary from one instruction to the next.
   */
  endInsn(): void {
    const k = this.known, held: number[] = [];
    for (const l of this.taken) {
      if (k !== null && (l === k.a || l === k.b || l === k.r || l === k.cf)) held.push(l);
      else this.free.push(l);
    }
    this.taken = held;
  }
  op(...b: number[]): void {
    for (const x of b) this.code.push(x);
  }
  i32(v: number): void {
    this.code.push(OP.const);
    sleb(this.code, v);
  }
  /** An instruction with one index immediate (local, function, label). */
  indexed(op: number, n: number): void {
    this.code.push(op);
    uleb(this.code, n);
  }
  get(l: number): void { this.indexed(OP.get, l); }
  set(l: number): void { this.indexed(OP.set, l); }
  tee(l: number): void { this.indexed(OP.tee, l); }
  mem(op: number, offset: number): void {
    this.code.push(op, op === OP.load8u || op === OP.store8 ? 0 : op === OP.load16u || op === OP.store16 ? 1 : 2);
    uleb(this.code, offset);
  }
  call(f: number): void { this.indexed(OP.call, f); }

  // registers and the slot
  // Registers live in locals within a block: loaded in the prologue (which
  // dominates every use), written back to the slot (flush) where something
  // else may look at them -- before a callback that may fault or run a
  // handler, and at every exit -- and reloaded after a handler.
  /** local of each register, or -1 while unused */
  private rloc = [-1, -1, -1, -1, -1, -1, -1, -1];
  /** registers written since the last write-back (bit n: register n) */
  private dirty = 0;
  /** registers written anywhere in the block (the epilogues write them back: the locals are current there) */
  private everDirty = 0;
  prologue: number[] = [];

  /** registers loaded in the prologue (bit n: register n) */
  private loaded = 0;
  /** The local holding register n (32 bits), loaded in the prologue when first asked for. */
  regLocal(n: number): number {
    let l = this.rloc[n]!;
    if (l < 0) l = this.rloc[n] = this.local();
    if (!(this.loaded & (1 << n))) {
      this.loaded |= 1 << n;
      const p = this.prologue;
      p.push(OP.get, 0, OP.load, 2);
      uleb(p, S_REGS + 4 * n);
      p.push(OP.set);
      uleb(p, l);
    }
    return l;
  }
  /** Write the registers changed so far back to the slot (they stay marked: this may be one branch). */
  flush(): void {
    this.writeBack(this.dirty);
    this.xmmWriteBack(this.xdirty);
  }
  /** Registers of mask (bit n: register n) from their locals to the slot. */
  private writeBack(mask: number): void {
    for (let n = 0; n < 8; n++) {
      if (!(mask & (1 << n))) continue;
      this.get(0);
      this.get(this.rloc[n]!);
      this.mem(OP.store, S_REGS + 4 * n);
    }
  }
  /** Before a handler: all registers to the slot; after it, back from there. */
  flushAll(): void {
    this.flush();
    this.dirty = 0;
    this.xdirty = 0;
  }
  reload(): void {
    // every register: one first used from here on must not take its value from the prologue
    for (let n = 0; n < 8; n++) {
      const l = this.regLocal(n);
      this.get(0);
      this.mem(OP.load, S_REGS + 4 * n);
      this.set(l);
    }
    for (let n = 0; n < 8; n++) {
      if (this.xloc[n]! < 0) continue;
      this.get(0); xmmSlot(this.code, false, n); this.set(this.xloc[n]!);
    }
  }

  reg(size: number, n: number): void {
    if (size === 4) { this.get(this.regLocal(n)); return; }
    if (size === 2) { this.get(this.regLocal(n)); this.i32(0xffff); this.op(OP.and); return; }
    if (n < 4) { this.get(this.regLocal(n)); this.i32(0xff); this.op(OP.and); return; }
    this.get(this.regLocal(n - 4)); this.i32(8); this.op(OP.shru); this.i32(0xff); this.op(OP.and);
  }
  /** Register n := the value pushed by v. */
  setReg(size: number, n: number, v: () => void): void {
    const r = size === 1 && n >= 4 ? n - 4 : n;
    const l = this.regLocal(r);
    if (size === 4) v();
    else if (size === 2) { this.get(l); this.i32(-65536); this.op(OP.and); v(); this.i32(0xffff); this.op(OP.and); this.op(OP.or); }
    else if (n < 4) { this.get(l); this.i32(-256); this.op(OP.and); v(); this.i32(0xff); this.op(OP.and); this.op(OP.or); }
    else { this.get(l); this.i32(-65281); this.op(OP.and); v(); this.i32(0xff); this.op(OP.and); this.i32(8); this.op(OP.shl); this.op(OP.or); }
    this.set(l);
    this.dirty |= 1 << r;
    this.everDirty |= 1 << r;
  }
  slot(offset: number, v: () => void): void {
    this.get(0);
    v();
    this.mem(OP.store, offset);
  }
  /** Leave the block (through the exit epilogue): eip := the value pushed by v (or a constant), k + 1 retired. */
  exit(k: number, eip: number | (() => void)): void {
    this.flagsOnExit(true);
    if (typeof eip === 'number') this.i32(eip);
    else eip();
    this.set(this.eipL);
    this.i32(k + 1);
    this.set(this.nL);
    this.indexed(OP.br, this.depth - 2);
  }
  /**
   * Leave the block for the eip in local t (ret, jmp/call through a register or memory): when
   * it is one of the targets this block went to before (its taken successor and other targets,
   * linked: a return's call sites, say), straight into that block as exitTo() does; else
   * through the exit epilogue and the jump cache.
   */
  exitIndirect(k: number, t: number): void {
    // (linked blocks only, not the region's own: regionFn marks the bodies a branch may re-enter
    // from its blocks' constant exits (branchedTo); re-entered by an indirect exit unmarked, a
    // body took the slot for its registers while the locals held newer values: gcc's cc1 failed)
    const known = this.predicted.filter((p) => !this.region?.at.has(p) && this.link(p));
    for (const p of known) {
      this.get(t); this.i32(p | 0); this.op(OP.eq);
      this.if_(0x40, known.length === 1 ? LIKELY : undefined);
      this.exitTo(k, p);
      this.end_();
    }
    this.exit(k, () => this.get(t));
  }
  /** the eips the current block's indirect exit went to (its taken successor under this epoch first, then its other targets) */
  predicted: number[] = [];
  /** where each code array the hints point into starts in the function's body (assemble()) */
  hintBase: [number[], number][] = [];
  /**
   * Leave the block for a constant eip: straight into its block when that is
   * in this module, the budget covers it and no callback asked for a stop;
   * else through the exit epilogue.
   */
  exitTo(k: number, eip: number): void {
    const j = this.region?.at.get(eip >>> 0);
    const d = j === undefined ? this.link(eip >>> 0) : undefined;
    if (j === undefined && !d) {
      this.exit(k, eip);
      return;
    }
    const ST = 0, BUDGET = 1, TOTAL = 2, n = k + 1;
    // a block of the region goes on here or in the run loop, either way the one that may read the
    // flags; a linked one, in a function of its own
    this.flagsOnExit(j === undefined || this.region!.liveIn[j]!);
    this.retire(n);
    // on while no stop was asked for and the budget covers the next block (a linked one: while
    // the code it was linked under stands)
    this.get(ST); this.mem(OP.load, S_STOP); this.op(OP.eqz);
    this.get(BUDGET); this.i32(j !== undefined ? this.region!.lens[j]! : d!.len); this.op(OP.geu); this.op(OP.and);
    if (d) { this.linksHold(); this.op(OP.and); }
    this.if_(0x40, LIKELY);
    if (d) this.flush();
    // what a fault or a handler in the next block learns its block and icount from
    this.get(ST); this.i32(j !== undefined ? this.region!.first + j : d!.wix); this.mem(OP.store, S_CUR);
    this.get(ST); this.get(TOTAL); this.mem(OP.store, S_DONE);
    if (j !== undefined) this.indexed(OP.br, this.depth - 4); // the region's dispatch loop
    else {
      this.get(ST); this.get(BUDGET); this.get(TOTAL);
      this.indexed(OP.returnCall, d!.fn); // straight into its function: no jump cache, no table
    }
    this.end_();
    // leave: the instructions are counted already (not exit(): the flags are settled above)
    this.i32(eip); this.set(this.eipL);
    this.i32(0); this.set(this.nL);
    this.indexed(OP.br, this.depth - 2);
  }
  /** n more instructions retired: counted in the function's total, taken from its budget (its parameters). */
  retire(n: number): void {
    const BUDGET = 1, TOTAL = 2;
    this.get(TOTAL); this.i32(n); this.op(OP.add); this.set(TOTAL);
    this.get(BUDGET); this.i32(n); this.op(OP.sub); this.set(BUDGET);
  }
  /**
   * Start the body of the region's block with table index wix. Nothing is
   * known of the flags; if a block of the region branches to it (reentered),
   * every register may differ from the slot (a later body may have written it).
   */
  beginBody(wix: number, reentered: boolean): void {
    this.block = wix;
    this.known = null;
    this.pending = false;
    // a body's temporaries are dead outside it: the next body reuses them (the registers' locals come first)
    if (this.tempBase < 0) {
      for (let n = 0; n < 8; n++) if (this.rloc[n]! < 0) this.rloc[n] = this.local();
      this.tempBase = this.nlocals;
    }
    if (reentered) {
      for (let n = 0; n < 8; n++) this.regLocal(n);
      this.dirty = this.everDirty = 0xff;
      this.xdirty = this.xEverDirty = this.xmm;
    } else this.dirty = this.xdirty = 0; // entered only from the prologue: the slot holds every register
    this.peak = Math.max(this.peak, this.nlocals);
    this.nlocals = this.tempBase;
    this.free = [];
    this.taken = [];
  }
  /** After the last body: the locals the function declares. */
  endBodies(): void {
    this.nlocals = Math.max(this.peak, this.nlocals);
  }
  private tempBase = -1;
  private peak = 0;
  /** The status flags are in the slot now (F_NONE), not in locals (an inline SIMD instruction set them). */
  flagsChanged(): void {
    this.forget();
  }
  /** Nothing is known of the flags (what the slot holds is theirs, or dead). */
  forget(): void {
    this.known = null;
    this.pending = false;
  }
  /**
   * Instruction k through its handler on one path of a branch (the SIMD fallback): the
   * registers written back (still marked dirty: the other path did not write them), the
   * handler called, a changed eip or dropped code leaving the block, the registers reloaded.
   */
  handler(k: number): void {
    // the known flags to the slot on this path only: still pending on the other
    const pending = this.pending;
    this.sync();
    this.flush();
    this.i32(this.block); this.i32(k); this.call(F.exec);
    this.if_(0x40, UNLIKELY);
    this.exitAfterHandler(k);
    this.end_();
    this.reload();
    this.pending = pending;
  }
  /** Leave the block after a handler, which wrote the registers and eip to the slot itself. */
  exitAfterHandler(k: number): void {
    this.get(0); this.mem(OP.load, S_EIP); this.set(this.eipL);
    this.i32(k + 1); this.set(this.nL);
    this.indexed(OP.br, this.depth - 1);
  }
  /**
   * The epilogues: a fault writes the registers back and raises it; an exit
   * writes them back and tail-calls the runtime's next, which goes on to the
   * next block when the jump cache has it and the budget covers it (no loop
   * returning to a dispatcher), else returns the instructions retired. (The
   * lookup is the runtime's, not each block's: it was a sixth of the code V8
   * compiled.)
   */
  epilogues(): number[] {
    const body = this.code;
    this.code = [];
    this.end_(); // $fault
    this.writeBack(this.everDirty);
    this.xmmWriteBack(this.xEverDirty);
    this.i32(SLOW_RAISE); this.i32(0); this.i32(0); this.i32(0); this.call(F.slow);
    this.op(OP.unreachable); // raise throws
    this.end_(); // $exit
    this.writeBack(this.everDirty);
    this.xmmWriteBack(this.xEverDirty);
    this.end_(); // $chain
    const ST = 0, BUDGET = 1, TOTAL = 2;
    this.get(ST);
    this.get(BUDGET); this.get(this.nL); this.op(OP.sub);
    this.get(TOTAL); this.get(this.nL); this.op(OP.add);
    this.get(this.eipL);
    this.indexed(OP.returnCall, F.next);
    this.op(OP.end);
    const tail = this.code;
    this.code = body;
    return tail;
  }

  /** The effective address of i's memory operand, into a new local. */
  ea(i: Insn, k: number, withSeg = true): number {
    let n = 0;
    const plus = (): void => {
      if (n++ > 0) this.op(OP.add);
    };
    if (i.disp || (i.base < 0 && i.index < 0)) { this.i32(i.disp | 0); plus(); }
    if (i.base >= 0) { this.reg(4, i.base); plus(); }
    if (i.index >= 0) {
      this.reg(4, i.index);
      if (i.scale) { this.i32(i.scale); this.op(OP.shl); }
      plus();
    }
    if (withSeg && i.seg >= 0) {
      // a null selector is #GP (the CPU's base() raises it)
      this.get(0);
      this.mem(OP.load16u, S_SEGS + 2 * i.seg);
      this.i32(4);
      this.op(OP.ltu); this.if_(0x40, UNLIKELY);
      this.i32(SLOW_SEG); this.i32(i.seg); this.i32(0); this.i32(k); this.call(F.slow); this.op(OP.drop);
      this.faultCheck();
      this.end_();
      this.get(0);
      this.mem(OP.load, S_SEGBASE + 4 * i.seg);
      plus();
    }
    const a = this.local();
    this.set(a);
    return a;
  }

  /** TLB probe for an access of size bytes at local a: pushes the hit test, leaves the entry's offset in local e. */
  probe(a: number, size: number, table: number, e: number): void {
    // the entry's offset: the page number times 8, in one shift and a mask
    this.get(a);
    this.i32(9); this.op(OP.shru);
    this.i32((TLB_SIZE - 1) << 3); this.op(OP.and);
    this.tee(e);
    this.mem(OP.load, table);
    this.get(a);
    if (size > 1) { this.i32(size - 1); this.op(OP.add); }
    this.i32(-4096); this.op(OP.and);
    this.op(OP.eq);
  }
  /** Push the value of size bytes at local a (zero-extended; int32 for 4). */
  load(size: number, a: number, k: number): void {
    const e = this.local();
    this.probe(a, size, TLB_R, e);
    this.if_(I32, LIKELY);
    this.get(e); this.mem(OP.load, TLB_R + 4); this.get(a); this.op(OP.add);
    this.mem(LOAD[size]!, 0);
    this.else_();
    this.i32(SLOW_LOAD | size); this.get(a); this.i32(0); this.i32(k); this.call(F.slow);
    this.faultCheck();
    this.end_();
  }
  /** Read for a read-modify-write: faults as a write would. */
  loadRmw(size: number, a: number, k: number): void {
    const e = this.local();
    this.probe(a, size, TLB_W, e);
    this.if_(I32, LIKELY);
    this.load(size, a, k);
    this.else_();
    this.i32(SLOW_RMW | size); this.get(a); this.i32(0); this.i32(k); this.call(F.slow);
    this.faultCheck();
    this.end_();
  }
  /**
   * Store local v (size bytes) at local a, then emit `after` (on both paths); a
   * store that drops code then leaves the block at `next`.
   */
  store(size: number, a: number, v: number, k: number, next: number, after?: () => void, nextLocal = -1): void {
    const e = this.local();
    this.probe(a, size, TLB_W, e);
    this.if_(0x40, LIKELY);
    this.get(e); this.mem(OP.load, TLB_W + 4); this.get(a); this.op(OP.add);
    this.get(v);
    this.mem(STORE[size]!, 0);
    after?.();
    this.else_();
    this.i32(SLOW_STORE | size); this.get(a); this.get(v); this.i32(k); this.call(F.slow);
    const gone = this.local();
    this.set(gone);
    this.faultCheck();
    after?.();
    this.get(gone);
    this.if_(0x40, UNLIKELY);
    this.exit(k, nextLocal >= 0 ? () => this.get(nextLocal) : next);
    this.end_();
    this.end_();
  }
  /** The value of i's E operand (memory or register, size bytes) in a new local. */
  operand(i: Insn, k: number, size: number): number {
    if (!i.m) return this.keep(() => this.reg(size, i.rm));
    const a = this.ea(i, k);
    return this.keep(() => this.load(size, a, k));
  }
  /** Value pushed by v into a new local. */
  keep(v: () => void): number {
    const l = this.local();
    v();
    this.set(l);
    return l;
  }

  /** Lazy flags of a result, stored when a later reader may see them. */
  setFlags(op: number, size: number, a: number, b: number, r: number, cf?: number): void {
    this.known = { op, size, a, b, r, cf };
    this.pending = true;
  }
  /**
   * The known flags are not in the slot yet: they are stored where the
   * liveness pass says a fault or a handler may need them (sync() before the
   * instruction), on the exits to code that reads them (flagsOnExit()), and
   * before anything that reads the slot (a fallback of cond() and its kind).
   */
  pending = false;
  /** Store the known flags in the slot (lazy flags, as the interpreter keeps them), if they are not there. */
  sync(): void {
    if (!this.pending) return;
    this.storeKnown();
    this.pending = false;
  }
  /** On an exit (one path of the code): the known flags to the slot if the code exited to reads them. */
  flagsOnExit(need: boolean): void {
    if (need && this.pending) this.storeKnown();
  }
  private storeKnown(k = this.known): void {
    if (!k || k.op === EAGER) return; // (eagerFlags stored them)
    this.slot(S_FOP, () => this.i32(k.op));
    if (k.cf !== undefined) this.slot(S_FCF, () => this.get(k.cf!));
    if (k.op !== F_LOGIC) {
      this.slot(S_FA, () => this.get(k.a));
      this.slot(S_FB, () => this.get(k.b));
    }
    this.slot(S_FRES, () => this.get(k.r));
    this.slot(S_FSIGN, () => this.i32(k.size === 4 ? -0x80000000 : k.size === 2 ? 0x8000 : 0x80));
  }

  /** Push condition cc (0/1): from the known flags when possible, else the CPU's lazy flags. */
  cond(cc: number): void {
    const k = this.known;
    if (k && (k.op === F_SUB || k.op === F_LOGIC)) {
      const sh = k.size === 4 ? 0 : k.size === 2 ? 16 : 24;
      const sx = (l: number): void => {
        this.get(l);
        if (sh) { this.i32(sh); this.op(OP.shl); }
      };
      const two = (x: () => void, y: () => void, op: number): boolean => { x(); y(); this.op(op); return true; };
      const A = (): void => this.get(k.a), B = (): void => this.get(k.b);
      const R = (): void => sx(k.r), Z = (): void => this.i32(0);
      if (k.op === F_SUB) {
        switch (cc) {
          case 2: if (two(A, B, OP.ltu)) return; break;
          case 3: if (two(A, B, OP.geu)) return; break;
          case 4: if (two(A, B, OP.eq)) return; break;
          case 5: if (two(A, B, OP.ne)) return; break;
          case 6: if (two(A, B, OP.leu)) return; break;
          case 7: if (two(A, B, OP.gtu)) return; break;
          case 8: if (two(R, Z, OP.lts)) return; break;
          case 9: if (two(R, Z, OP.ges)) return; break;
          case 12: if (two(() => sx(k.a), () => sx(k.b), OP.lts)) return; break;
          case 13: if (two(() => sx(k.a), () => sx(k.b), OP.ges)) return; break;
          case 14: if (two(() => sx(k.a), () => sx(k.b), OP.les)) return; break;
          case 15: if (two(() => sx(k.a), () => sx(k.b), OP.gts)) return; break;
        }
      } else {
        switch (cc) {
          case 0: case 2: this.i32(0); return;
          case 1: case 3: this.i32(1); return;
          case 4: case 6: this.get(k.r); this.op(OP.eqz); return;
          case 5: case 7: two(() => this.get(k.r), Z, OP.ne); return;
          case 8: case 12: two(R, Z, OP.lts); return;
          case 9: case 13: two(R, Z, OP.ges); return;
          case 14: two(R, Z, OP.les); return;
          case 15: two(R, Z, OP.gts); return;
        }
      }
    }
    if (k && k.op === EAGER) {
      condOfStatus(this, () => this.get(k.r), cc);
      return;
    }
    if (k && (k.op === F_ADD || k.op === F_INC || k.op === F_DEC)) {
      // ZF and SF follow from the result; CF of an add from result and operand
      const sh = k.size === 4 ? 0 : k.size === 2 ? 16 : 24;
      const sr = (): void => { this.get(k.r); if (sh) { this.i32(sh); this.op(OP.shl); } };
      switch (cc) {
        case 4: this.get(k.r); this.op(OP.eqz); return;
        case 5: this.get(k.r); this.i32(0); this.op(OP.ne); return;
        case 8: sr(); this.i32(0); this.op(OP.lts); return;
        case 9: sr(); this.i32(0); this.op(OP.ges); return;
      }
      if (k.op === F_ADD && (cc === 2 || cc === 3)) { this.get(k.r); this.get(k.a); this.op(cc === 2 ? OP.ltu : OP.geu); return; }
      if (k.cf !== undefined && (cc === 2 || cc === 3)) { this.get(k.cf); if (cc === 3) this.op(OP.eqz); return; }
    }
    if (k && (k.op === F_ADD || ((k.op === F_ADC || k.op === F_SBB) && k.cf !== undefined)) && cc !== 10 && cc !== 11) {
      // the rest of add's conditions, and adc's and sbb's (gcc's 64-bit compares: cmp; sbb; jb or jl)
      this.condOfArith(k, cc);
      return;
    }
    this.sync();
    this.get(0);
    this.i32(cc);
    this.call(F.cond);
  }
  /**
   * Push condition cc (not parity) of an add, adc or sbb whose operands, result and carry in are
   * in locals (sized: the operands and result masked to k.size): CF as carry() has it, ZF and SF
   * from the result, OF from the operands' and result's signs.
   */
  private condOfArith(k: NonNullable<Fn['known']>, cc: number): void {
    const sh = k.size === 4 ? 0 : k.size === 2 ? 16 : 24;
    const shl = (): void => { if (sh) { this.i32(sh); this.op(OP.shl); } };
    const zf = (): void => { this.get(k.r); this.op(OP.eqz); };
    const sf = (): void => { this.get(k.r); shl(); };
    // a value whose sign is OF: an add overflows when the result's sign differs from both
    // operands', a subtraction when the operands' signs differ and the result's differs from a's
    const of = (): void => {
      if (k.op === F_SBB) { this.get(k.a); this.get(k.b); this.op(OP.xor); this.get(k.a); this.get(k.r); this.op(OP.xor); }
      else { this.get(k.a); this.get(k.r); this.op(OP.xor); this.get(k.b); this.get(k.r); this.op(OP.xor); }
      this.op(OP.and);
      shl();
    };
    const neg = (v: () => void): void => { v(); this.i32(0); this.op(OP.lts); };
    const lt = (): void => { sf(); of(); this.op(OP.xor); this.i32(0); this.op(OP.lts); }; // SF != OF
    switch (cc & ~1) {
      case 0: neg(of); break;
      case 2: this.carry(); break;
      case 4: zf(); break;
      case 6: this.carry(); zf(); this.op(OP.or); break;
      case 8: neg(sf); break;
      case 12: lt(); break;
      case 14: lt(); zf(); this.op(OP.or); break;
    }
    if (cc & 1) this.op(OP.eqz);
  }
  /** Push the status flags as EFLAGS bits (before an instruction that keeps some of them). */
  status(): void {
    const k = this.known;
    if (k && k.op === EAGER) { this.get(k.r); return; }
    this.sync();
    this.get(0); this.i32(-3); this.call(F.cond); // cc -3: all of them
  }
  /** Push AF (0 or 0x10) of the flags as they are (before an instruction that keeps it). */
  af(): void {
    const k = this.known;
    if (k && k.op === F_LOGIC) { this.i32(0); return; }
    if (k && k.op === EAGER) { this.get(k.r); this.i32(AF); this.op(OP.and); return; }
    if (k) { this.get(k.a); this.get(k.b); this.op(OP.xor); this.get(k.r); this.op(OP.xor); this.i32(AF); this.op(OP.and); return; }
    this.sync();
    this.get(0); this.i32(-1); this.call(F.cond); // cc -1: AF
  }
  /** Push CF (0/1) for inc/dec, which keep it, and adc/sbb, which take it in. */
  carry(): void {
    const k = this.known;
    if (k && k.op === F_SUB) { this.get(k.a); this.get(k.b); this.op(OP.ltu); return; }
    if (k && k.op === F_LOGIC) { this.i32(0); return; }
    if (k && k.op === F_ADD && k.size === 4) { this.get(k.r); this.get(k.a); this.op(OP.ltu); return; }
    if (k && k.op === EAGER) { this.get(k.r); this.i32(CF); this.op(OP.and); return; }
    if (k && (k.op === F_ADC || k.op === F_SBB) && k.cf !== undefined) {
      // a carry in makes equality a carry out (as cpu.ts getCF())
      const x = k.op === F_ADC ? k.r : k.a, y = k.op === F_ADC ? k.a : k.b;
      this.get(x); this.get(y); this.op(OP.leu);
      this.get(x); this.get(y); this.op(OP.ltu);
      this.get(k.cf); this.op(OP.select);
      return;
    }
    if (k && k.cf !== undefined) { this.get(k.cf); return; } // inc/dec: the CF they kept
    this.sync();
    this.get(0); this.i32(-2); this.call(F.cond); // cc -2: CF
  }
}

const immOf = (i: Insn, s: number): number => (s === 4 ? i.imm | 0 : s === 2 ? i.imm & 0xffff : i.imm & 0xff);

/*
 * Beyond jit.ts's templates, emitted here: their 16-bit forms, adc/sbb, byte
 * inc/dec and cld/std (regionFlags() takes these at their flag facts), and
 * the kinds of emitExtra() (xchg with memory among them), which it counts as
 * flag readers that write none: safe, at worst a flag store too many.
 */
/** Whether emitExtra() emits i (emitsInline(i, 'wasm') holds). */
function extra(i: Insn): boolean {
  switch (i.def!.kind) {
    case 'imul': case 'moffs': case 'jmpInd': case 'callInd': case 'not': case 'neg': case 'shift': case 'cmpxchg':
    case 'muldiv': case 'bt': case 'bsf': case 'movs': case 'stos': case 'cwd': case 'shld': case 'bswap': case 'sahf': case 'lahf':
      return true;
    case 'xchg':
      return i.m;
    default:
      return false;
  }
}

/**
 * Whether an instruction of extra() may fault or call a handler (a memory operand, an implied
 * one, a division, a jump elsewhere): the flags must be in the slot before it. The others
 * (shifts, rotates, not, neg, imul, bt, bsf, shld of registers, cbw/cwd, bswap, sahf, lahf) read
 * the flags they need from the block's locals, and regionFlags takes them at their flag facts
 * (where the table gives none: readers of every flag that write none).
 */
function extraMayFault(i: Insn): boolean {
  if (i.m) return true;
  switch (i.def!.kind) {
    case 'moffs': case 'jmpInd': case 'callInd': case 'movs': case 'stos': case 'cmpxchg': case 'xchg': case 'muldiv':
      return true;
    default:
      return false;
  }
}

/** Push condition cc (0/1) of the EFLAGS bits pushed by status. */
function condOfStatus(e: Fn, status: () => void, cc: number): void {
  const bit = (b: number): void => { status(); e.i32(b); e.op(OP.and); e.i32(0); e.op(OP.ne); };
  const sxo = (): void => { status(); e.i32(7); e.op(OP.shru); status(); e.i32(11); e.op(OP.shru); e.op(OP.xor); e.i32(1); e.op(OP.and); };
  switch (cc >> 1) {
    case 0: bit(OF); break;
    case 1: bit(CF); break;
    case 2: bit(ZF); break;
    case 3: bit(CF | ZF); break;
    case 4: bit(SF); break;
    case 5: bit(PF); break;
    case 6: sxo(); break;
    default: bit(ZF); sxo(); e.op(OP.or); break;
  }
  if (cc & 1) { e.i32(1); e.op(OP.xor); }
}

/** The status flags := local st (EFLAGS bits; the other bits of FLAGS kept). */
function eagerFlags(e: Fn, st: number): void {
  storeEager(e, st);
  e.known = { op: EAGER, size: 4, a: st, b: st, r: st };
  e.pending = false;
}

/** The status flags in local st (EFLAGS bits) into the slot's flags, no lazy flags pending. */
function storeEager(e: Fn, st: number): void {
  e.slot(S_FLAGS, () => { e.get(0); e.mem(OP.load, S_FLAGS); e.i32(~STATUS); e.op(OP.and); e.get(st); e.op(OP.or); });
  e.slot(S_FOP, () => e.i32(F_NONE));
}

/** Push PF, ZF and SF of the 32-bit result in local r, and AF as it was (EFLAGS bits). */
function resultFlags(e: Fn, r: number): void {
  parity(e, r);
  e.get(r); e.op(OP.eqz); e.i32(6); e.op(OP.shl); e.op(OP.or);
  e.get(r); e.i32(31); e.op(OP.shru); e.i32(7); e.op(OP.shl); e.op(OP.or);
  e.af(); e.op(OP.or);
}

/** Push PF (0 or 4) of the value in local r. */
function parity(e: Fn, r: number): void {
  const p = e.local();
  e.get(r); e.i32(255); e.op(OP.and); e.set(p);
  for (const sh of [4, 2, 1]) { e.get(p); e.get(p); e.i32(sh); e.op(OP.shru); e.op(OP.xor); e.set(p); }
  e.get(p); e.i32(1); e.op(OP.and); e.i32(1); e.op(OP.xor); e.i32(2); e.op(OP.shl);
}

/** The instructions of extra(). */
function emitExtra(e: Fn, k: number, i: Insn, live: boolean, last: boolean): void {
  const s = i.size, kind = i.def!.kind;
  if (kind === 'moffs') {
    const a = e.ea(i, k);
    if (i.sub) {
      const v = e.keep(() => e.reg(s, 0));
      e.store(s, a, v, k, i.next);
    } else {
      const v = e.keep(() => e.load(s, a, k));
      e.setReg(s, 0, () => e.get(v));
    }
  } else if (kind === 'jmpInd' || kind === 'callInd') {
    const t = e.operand(i, k, 4);
    if (kind === 'callInd') {
      const v = e.keep(() => e.i32(i.next | 0));
      const sp = e.keep(() => { e.reg(4, 4); e.i32(4); e.op(OP.sub); });
      e.store(4, sp, v, k, 0, () => e.setReg(4, 4, () => e.get(sp)), t);
    }
    e.exitIndirect(k, t);
    return;
  } else if (kind === 'not') {
    e.setReg(s, i.rm, () => { e.reg(s, i.rm); e.i32(-1); e.op(OP.xor); });
  } else if (kind === 'neg') {
    const z = e.keep(() => e.i32(0));
    const v = e.keep(() => e.reg(s, i.rm));
    const r = e.keep(() => { e.i32(0); e.get(v); e.op(OP.sub); if (s < 4) { e.i32(0xffff); e.op(OP.and); } });
    if (live) e.setFlags(F_SUB, s, z, v, r);
    else e.forget();
    e.setReg(s, i.rm, () => e.get(r));
  } else if (kind === 'bswap') {
    // (the 16-bit form, which clears the register, takes the handler: the rule is 32-bit only)
    e.setReg(4, i.reg, () => {
      e.reg(4, i.reg); e.i32(0xff00ff00); e.op(OP.and); e.i32(8); e.op(OP.rotl);
      e.reg(4, i.reg); e.i32(0x00ff00ff); e.op(OP.and); e.i32(8); e.op(OP.rotr);
      e.op(OP.or);
    });
  } else if (kind === 'shld') {
    emitShld(e, k, i, live);
  } else if (kind === 'cwd') {
    // cbw/cwde (sub 0): the accumulator's lower half sign-extended; cwd/cdq (sub 1): edx (dx) := its sign
    if (i.sub === 0) e.setReg(s, 0, () => { e.reg(4, 0); e.op(s === 4 ? OP.ext16 : OP.ext8); });
    else e.setReg(s, 2, () => { e.reg(4, 0); if (s === 2) { e.i32(16); e.op(OP.shl); } e.i32(31); e.op(OP.shrs); });
  } else if (kind === 'xchg') { // with memory
    const a = e.ea(i, k);
    const t = e.keep(() => e.loadRmw(4, a, k));
    const v = e.keep(() => e.reg(4, i.reg));
    e.store(4, a, v, k, i.next, () => e.setReg(4, i.reg, () => e.get(t)));
  } else if (kind === 'cmpxchg') {
    const a = e.ea(i, k);
    const d = e.keep(() => e.loadRmw(4, a, k));
    const acc = e.keep(() => e.reg(4, 0));
    const r = e.keep(() => { e.get(acc); e.get(d); e.op(OP.sub); });
    if (live) e.setFlags(F_SUB, 4, acc, d, r);
    else e.forget();
    // the destination is written either way (a locked cycle); eax ends up equal to it
    const v = e.keep(() => { e.reg(4, i.reg); e.get(d); e.get(acc); e.get(d); e.op(OP.eq); e.op(OP.select); });
    e.store(4, a, v, k, i.next, () => e.setReg(4, 0, () => e.get(d)));
  } else if (kind === 'imul') {
    const a = e.operand(i, k, 4);
    const b = e.keep(() => (i.sub ? e.i32(i.imm | 0) : e.reg(4, i.reg)));
    const lo = e.keep(() => { e.get(a); e.get(b); e.op(OP.mul); });
    if (live) {
      // CF = OF = the product does not fit; SF, ZF, PF from the low half; AF kept (muldiv.ts)
      const ov = e.keep(() => {
        e.get(a); e.op(OP.i64extend32s); e.get(b); e.op(OP.i64extend32s); e.op(OP.i64mul);
        e.get(lo); e.op(OP.i64extend32s); e.op(OP.i64ne);
      });
      const st = e.keep(() => {
        e.get(ov); e.i32(CF | OF); e.op(OP.mul);
        resultFlags(e, lo); e.op(OP.or);
      });
      eagerFlags(e, st);
    } else e.forget();
    e.setReg(4, i.reg, () => e.get(lo));
  } else if ((kind === 'movs' || kind === 'stos') && i.rep) {
    emitRepString(e, k, i);
  } else if (kind === 'stos') {
    // [edi] := al/ax/eax, then edi steps by the size, down with DF (string.ts)
    const v = e.keep(() => e.reg(s, 0));
    const da = e.keep(() => e.reg(4, 7));
    e.store(s, da, v, k, i.next, () => {
      e.setReg(4, 7, () => { e.get(da); e.i32(-s); e.i32(s); e.get(0); e.mem(OP.load, S_FLAGS); e.i32(DF); e.op(OP.and); e.op(OP.select); e.op(OP.add); });
    });
  } else if (kind === 'movs') {
    // [edi] := [seg:esi], then both step by the size, down with DF (string.ts)
    const sa = e.ea(Object.assign(Object.create(Object.getPrototypeOf(i) as object) as Insn, i, { base: 6, index: -1, disp: 0 }), k);
    const v = e.keep(() => e.load(s, sa, k));
    const da = e.keep(() => e.reg(4, 7));
    const d = e.keep(() => { e.i32(-s); e.i32(s); e.get(0); e.mem(OP.load, S_FLAGS); e.i32(DF); e.op(OP.and); e.op(OP.select); });
    // (the registers step before a store that drops code leaves the block)
    e.store(s, da, v, k, i.next, () => {
      e.setReg(4, 6, () => { e.reg(4, 6); e.get(d); e.op(OP.add); });
      e.setReg(4, 7, () => { e.get(da); e.get(d); e.op(OP.add); });
    });
  } else if (kind === 'shift') {
    emitShift(e, k, i, live);
  } else if (kind === 'muldiv') {
    emitMulDiv(e, k, i, live);
  } else if (kind === 'bt') {
    // bt/bts/btr/btc: CF := the bit, the other flags kept (bits.ts)
    const regOff = i.op !== 0x1ba, op = regOff ? i.sub : i.reg - 4;
    const off = regOff ? e.keep(() => e.reg(4, i.reg)) : -1;
    const bit = e.keep(() => { if (regOff) e.get(off); else e.i32(i.imm); e.i32(31); e.op(OP.and); });
    let ad = -1;
    if (i.m) {
      ad = e.ea(i, k);
      // a register offset is signed and addresses the bit string beyond the operand
      if (regOff) ad = e.keep(() => { e.get(ad); e.get(off); e.i32(5); e.op(OP.shrs); e.i32(2); e.op(OP.shl); e.op(OP.add); });
    }
    const v = e.keep(() => { if (i.m) { if (op) e.loadRmw(4, ad, k); else e.load(4, ad, k); } else e.reg(4, i.rm); });
    if (live) {
      const prev = e.keep(() => e.status());
      const st = e.keep(() => {
        e.get(prev); e.i32(~CF); e.op(OP.and);
        e.get(v); e.get(bit); e.op(OP.shru); e.i32(1); e.op(OP.and); e.op(OP.or);
      });
      eagerFlags(e, st);
    } else e.forget();
    if (op) {
      const r = e.keep(() => {
        e.get(v);
        if (op === 2) { e.i32(-2); e.get(bit); e.op(OP.rotl); e.op(OP.and); } else { e.i32(1); e.get(bit); e.op(OP.shl); e.op(op === 1 ? OP.or : OP.xor); }
      });
      if (i.m) e.store(4, ad, r, k, i.next);
      else e.setReg(4, i.rm, () => e.get(r));
    }
  } else if (kind === 'sahf') {
    // SF ZF AF PF CF := ah's bits 7, 6, 4, 2, 0; OF kept (the fnstsw ax; sahf of x87 compares)
    if (live) {
      const prev = e.keep(() => e.status());
      const st = e.keep(() => { e.get(prev); e.i32(OF); e.op(OP.and); e.reg(4, 0); e.i32(8); e.op(OP.shru); e.i32(0xd5); e.op(OP.and); e.op(OP.or); });
      eagerFlags(e, st);
    } else e.forget();
  } else if (kind === 'lahf') {
    // ah := SF ZF 0 AF 0 PF 1 CF
    const fl = e.keep(() => e.status());
    e.setReg(4, 0, () => { e.reg(4, 0); e.i32(~0xff00); e.op(OP.and); e.get(fl); e.i32(0xd5); e.op(OP.and); e.i32(2); e.op(OP.or); e.i32(8); e.op(OP.shl); e.op(OP.or); });
  } else if (kind === 'bsf') {
    // a zero source sets ZF and leaves the destination; else ZF clear; the other flags kept
    const v = e.operand(i, k, 4);
    if (live) {
      const prev = e.keep(() => e.status());
      const st = e.keep(() => { e.get(prev); e.i32(~ZF); e.op(OP.and); e.get(v); e.op(OP.eqz); e.i32(6); e.op(OP.shl); e.op(OP.or); });
      eagerFlags(e, st);
    } else e.forget();
    e.setReg(4, i.reg, () => {
      e.get(v);
      if (i.sub === 0) e.op(OP.ctz); else { e.op(OP.clz); e.i32(31); e.op(OP.xor); }
      e.reg(4, i.reg);
      e.get(v);
      e.op(OP.select);
    });
  }
  if (last) e.exit(k, i.next | 0);
}

/**
 * rep movs / rep stos (32-bit addressing): when the whole run goes up (DF clear) within one page
 * for the destination and the source, both pages TLB hits (a write hit: the page holds no
 * decoded code) and a movs destination does not start inside the source ahead of it (moving
 * element by element then replicates a pattern), it is one bulk copy or fill, and ecx, esi,
 * edi end as the interpreter leaves them. It is one rep chunk (at most 4096 elements), so it
 * counts as one instruction, as there. Anything else (count 0, DF set, across a page, a TLB
 * miss, a segment override) takes the handler, after entering a missed page in the TLB for the
 * next time.
 */
function emitRepString(e: Fn, k: number, i: Insn): void {
  const s = i.size, movs = i.def!.kind === 'movs';
  if (movs && i.seg >= 0) { e.handler(k); return; }
  const n = e.keep(() => e.reg(4, 1));
  const len = e.keep(() => { e.get(n); e.i32(s >> 1); e.op(OP.shl); });
  const da = e.keep(() => e.reg(4, 7));
  const sa = movs ? e.keep(() => e.reg(4, 6)) : -1;
  const within = (a: number): void => { e.get(a); e.i32(4095); e.op(OP.and); e.get(len); e.op(OP.add); e.i32(4096); e.op(OP.leu); e.op(OP.and); };
  const fill = (a: number, write: boolean): void => { e.i32(SLOW_FILL); e.get(a); e.i32(write ? 1 : 0); e.i32(k); e.call(F.slow); e.op(OP.drop); };
  const td = e.local(), ts = e.local(), hd = e.local(), hs = e.local();
  // 1 <= count <= elements in a page, DF clear, no page crossed
  e.get(n); e.i32(1); e.op(OP.sub); e.i32(4096 / s); e.op(OP.ltu);
  e.get(0); e.mem(OP.load, S_FLAGS); e.i32(DF); e.op(OP.and); e.op(OP.eqz); e.op(OP.and);
  within(da);
  if (movs) within(sa);
  e.if_(I32, LIKELY);
  e.probe(da, 1, TLB_W, td);
  e.if_(I32);
  e.get(td); e.mem(OP.load, TLB_W + 4); e.get(da); e.op(OP.add); e.set(hd);
  const done = (): void => {
    if (movs) e.setReg(4, 6, () => { e.get(sa); e.get(len); e.op(OP.add); });
    e.setReg(4, 7, () => { e.get(da); e.get(len); e.op(OP.add); });
    e.setReg(4, 1, () => e.i32(0));
    e.i32(1);
  };
  if (movs) {
    e.probe(sa, 1, TLB_R, ts);
    e.if_(I32);
    e.get(ts); e.mem(OP.load, TLB_R + 4); e.get(sa); e.op(OP.add); e.set(hs);
    // the destination 1 .. len - 1 bytes above the source: element by element (the handler)
    e.get(hd); e.get(hs); e.op(OP.sub); e.i32(1); e.op(OP.sub); e.get(len); e.i32(1); e.op(OP.sub); e.op(OP.ltu);
    e.if_(I32);
    e.i32(0);
    e.else_();
    e.get(hd); e.get(hs); e.get(len); e.op(...MEMORY_COPY);
    done();
    e.end_();
    e.else_();
    fill(sa, false);
    e.i32(0);
    e.end_();
  } else {
    const v = e.keep(() => e.reg(s, 0));
    // a value of equal bytes is a byte fill; else element stores
    if (s > 1) { e.get(v); e.i32(0xff); e.op(OP.and); e.i32(s === 4 ? 0x01010101 : 0x0101); e.op(OP.mul); e.get(v); e.op(OP.eq); } else e.i32(1);
    e.if_(0x40);
    e.get(hd); e.get(v); e.get(len); e.op(...MEMORY_FILL);
    e.else_();
    const j = e.keep(() => e.i32(0));
    e.op(OP.loop, 0x40); e.depth++;
    e.get(hd); e.get(j); e.op(OP.add); e.get(v); e.mem(STORE[s]!, 0);
    e.get(j); e.i32(s); e.op(OP.add); e.tee(j); e.get(len); e.op(OP.ltu); e.indexed(OP.brIf, 0);
    e.op(OP.end); e.depth--;
    e.end_();
    done();
  }
  e.else_();
  fill(da, true);
  if (movs) fill(sa, false);
  e.i32(0);
  e.end_();
  e.else_();
  e.i32(0);
  e.end_();
  e.op(OP.eqz);
  e.if_(0x40, UNLIKELY);
  e.handler(k);
  e.end_();
}
/** memory.copy and memory.fill of memory 0 (bulk memory operations) */
const MEMORY_COPY = [0xfc, 0x0a, 0x00, 0x00];
const MEMORY_FILL = [0xfc, 0x0b, 0x00];

/** A shift's count: its constant (plus d), or the local holding CL & 31 (plus d). */
type Count = (d?: number) => void;

/**
 * What the shift family (group 2, shld/shrd) shares: the operand (a memory one is read as for a
 * write, even with a count of 0), nothing more when the constant count is 0, a branch on a CL
 * count of 0 (which changes nothing, the flags included: they go to the slot first), and the
 * result that body computes written back.
 */
function countedShift(e: Fn, k: number, i: Insn, size: number, cl: boolean, n: number, body: (u: number, count: Count) => number): void {
  const ad = i.m ? e.ea(i, k) : -1;
  const u = e.keep(() => (i.m ? e.loadRmw(size, ad, k) : e.reg(size, i.rm)));
  if (n === 0) return;
  let c = -1;
  if (cl) {
    c = e.keep(() => { e.reg(4, 1); e.i32(31); e.op(OP.and); });
    e.sync();
    e.get(c);
    e.if_(0x40);
  }
  const count: Count = (d = 0) => {
    if (!cl) { e.i32(n + d); return; }
    e.get(c);
    if (d) { e.i32(d); e.op(OP.add); }
  };
  const r = body(u, count);
  if (i.m) e.store(size, ad, r, k, i.next);
  else e.setReg(size, i.rm, () => e.get(r));
  if (cl) {
    e.end_();
    e.forget(); // the slot holds the flags of either path
  }
}

/**
 * Shifts and rotates of 32-bit operands (not rcl/rcr) by a constant or CL,
 * flags as shift.ts computes them: a count of 0 changes nothing (a memory
 * operand is still read, and checked for writing); else rol/ror set CF and
 * OF only, shl/shr/sar all but AF.
 */
function emitShift(e: Fn, k: number, i: Insn, live: boolean): void {
  if (i.size < 4) {
    emitShiftSmall(e, k, i, live);
    return;
  }
  const cl = i.op === 0xd3;
  countedShift(e, k, i, 4, cl, cl ? -1 : (i.op === 0xd1 ? 1 : i.imm) & 31, (u, count) => {
    const rot = i.reg < 2;
    const op = i.reg === 0 ? OP.rotl : i.reg === 1 ? OP.rotr : i.reg === 5 ? OP.shru : i.reg === 7 ? OP.shrs : OP.shl;
    const r = e.keep(() => { e.get(u); count(); e.op(op); });
    if (live && rot) {
      const prev = e.keep(() => e.status());
      const cf = e.keep(() => { e.get(r); if (i.reg === 0) { e.i32(1); e.op(OP.and); } else { e.i32(31); e.op(OP.shru); } });
      const of = e.keep(() => {
        e.get(r); e.i32(31); e.op(OP.shru);
        if (i.reg === 0) e.get(cf); else { e.get(r); e.i32(30); e.op(OP.shru); e.i32(1); e.op(OP.and); }
        e.op(OP.xor);
      });
      const st = e.keep(() => {
        e.get(prev); e.i32(~(CF | OF)); e.op(OP.and);
        e.get(cf); e.op(OP.or);
        e.get(of); e.i32(11); e.op(OP.shl); e.op(OP.or);
      });
      eagerFlags(e, st);
    } else if (live) {
      // CF the last bit shifted out; OF as the interpreter defines it; AF kept
      const cf = e.keep(() => {
        e.get(u);
        if (op === OP.shl) { e.i32(32); count(); e.op(OP.sub); e.op(OP.shru); } else { count(-1); e.op(op); }
        e.i32(1); e.op(OP.and);
      });
      const of = e.keep(() => {
        if (op === OP.shl) { e.get(r); e.i32(31); e.op(OP.shru); e.get(cf); e.op(OP.xor); } else if (op === OP.shru) { e.get(u); e.i32(31); e.op(OP.shru); } else e.i32(0);
      });
      const st = e.keep(() => {
        e.get(cf);
        e.get(of); e.i32(11); e.op(OP.shl); e.op(OP.or);
        resultFlags(e, r); e.op(OP.or);
      });
      eagerFlags(e, st);
    } else e.forget();
    return r;
  });
}

/**
 * 32-bit shld/shrd by a constant or CL (shift.ts shldrd): the destination shifted, the
 * vacated bits filled from the source; a count of 0 changes nothing (flags included).
 */
function emitShld(e: Fn, k: number, i: Insn, live: boolean): void {
  const cl = i.op === 0x1a5 || i.op === 0x1ad, left = i.sub === 0;
  countedShift(e, k, i, 4, cl, cl ? -1 : i.imm & 31, (d, count) => {
    const back = (): void => { e.i32(32); count(); e.op(OP.sub); }; // 32 - count (1..31)
    const src = e.keep(() => e.reg(4, i.reg));
    const r = e.keep(() => {
      e.get(d); count(); e.op(left ? OP.shl : OP.shru);
      e.get(src); back(); e.op(left ? OP.shru : OP.shl);
      e.op(OP.or);
    });
    if (live) {
      // CF the last bit out of the destination; OF: its sign changed; SF, ZF, PF of the result; AF kept
      const st = e.keep(() => {
        e.get(d);
        if (left) { back(); e.op(OP.shru); } else { count(); e.i32(1); e.op(OP.sub); e.op(OP.shru); }
        e.i32(1); e.op(OP.and);
        e.get(r); e.get(d); e.op(OP.xor); e.i32(31); e.op(OP.shru); e.i32(11); e.op(OP.shl); e.op(OP.or);
        resultFlags(e, r); e.op(OP.or);
      });
      eagerFlags(e, st);
    } else e.forget();
    return r;
  });
}

/**
 * shl/shr/sar of a byte or word (shift.ts shiftOp): the count masked to 5 bits, not to the
 * operand's width; computed on the zero-extended value in 32 bits, where a count at or past
 * the width gives the interpreter's results (0, or the sign for sar) and carry.
 */
function emitShiftSmall(e: Fn, k: number, i: Insn, live: boolean): void {
  const s = i.size, bits = 8 * s, mask = s === 2 ? 0xffff : 0xff, ext = s === 2 ? OP.ext16 : OP.ext8;
  const cl = i.op === 0xd2 || i.op === 0xd3;
  countedShift(e, k, i, s, cl, cl ? -1 : (i.op === 0xd0 || i.op === 0xd1 ? 1 : i.imm) & 31, (u, count) => {
    if (i.reg < 2) return rotateSmall(e, i, live, u, count);
    const shl = i.reg === 4 || i.reg === 6, sar = i.reg === 7;
    const r = e.keep(() => {
      e.get(u);
      if (sar) e.op(ext);
      count();
      e.op(shl ? OP.shl : sar ? OP.shrs : OP.shru);
      e.i32(mask); e.op(OP.and);
    });
    if (live) {
      // CF the last bit out (0 past the width, the sign for sar); OF: shl msb(r) ^ CF, shr msb(u), sar 0; AF kept
      const msb = (l: number): void => { e.get(l); e.i32(bits - 1); e.op(OP.shru); e.i32(1); e.op(OP.and); };
      const cf = e.keep(() => {
        e.get(u);
        if (shl) { count(); e.op(OP.shl); e.i32(bits); e.op(OP.shru); } else { if (sar) e.op(ext); count(-1); e.op(sar ? OP.shrs : OP.shru); }
        e.i32(1); e.op(OP.and);
      });
        const st = e.keep(() => {
          e.get(cf);
          if (shl) { msb(r); e.get(cf); e.op(OP.xor); e.i32(11); e.op(OP.shl); e.op(OP.or); } else if (!sar) { msb(u); e.i32(11); e.op(OP.shl); e.op(OP.or); }
          parity(e, r); e.op(OP.or);
          e.get(r); e.op(OP.eqz); e.i32(6); e.op(OP.shl); e.op(OP.or);
          msb(r); e.i32(7); e.op(OP.shl); e.op(OP.or);
          e.af(); e.op(OP.or);
        });
      eagerFlags(e, st);
    } else e.forget();
    return r;
  });
}

/**
 * rol/ror of a byte or word (shift.ts shiftOp): by the count modulo the width (a multiple of it
 * rotates nothing but still sets CF and OF): the result's local, inside emitShiftSmall's frame.
 */
function rotateSmall(e: Fn, i: Insn, live: boolean, u: number, count: Count): number {
  const s = i.size, bits = 8 * s, mask = s === 2 ? 0xffff : 0xff, left = i.reg === 0;
  const n = e.keep(() => { count(); e.i32(bits - 1); e.op(OP.and); });
  const r = e.keep(() => {
    e.get(u); e.get(n); e.op(left ? OP.shl : OP.shru);
    e.get(u); e.i32(bits); e.get(n); e.op(OP.sub); e.op(left ? OP.shru : OP.shl);
    e.op(OP.or); e.i32(mask); e.op(OP.and);
  });
  if (live) {
    // CF: rol the result's low bit, ror its high bit; OF: rol msb ^ CF, ror the two high bits' xor
    const bit = (b: number): void => { e.get(r); if (b) { e.i32(b); e.op(OP.shru); } e.i32(1); e.op(OP.and); };
    const st = e.keep(() => {
      e.status(); e.i32(~(CF | OF)); e.op(OP.and);
      if (left) bit(0); else bit(bits - 1);
      e.op(OP.or);
      bit(bits - 1); if (left) bit(0); else bit(bits - 2);
      e.op(OP.xor); e.i32(11); e.op(OP.shl); e.op(OP.or);
    });
    eagerFlags(e, st);
  } else e.forget();
  return r;
}

/**
 * mul/imul/div/idiv of edx:eax by a 32-bit operand (muldiv.ts), in i64
 * arithmetic. A divide error (zero divisor, quotient out of range) takes the
 * handler, which raises it with every register and flag as they were.
 */
function emitMulDiv(e: Fn, k: number, i: Insn, live: boolean): void {
  const v = e.operand(i, k, 4);
  const sub = i.reg;
  const x64 = (l: number, signed: boolean): void => { e.get(l); e.op(signed ? OP.i64extend32s : OP.i64extend32u); };
  const c64 = (n: number): void => { e.op(OP.i64const); sleb(e.code, n); };
  if (sub === 4 || sub === 5) {
    const signed = sub === 5;
    const a = e.keep(() => e.reg(4, 0));
    const lo = e.keep(() => { e.get(a); e.get(v); e.op(OP.mul); });
    const hi = e.keep(() => { x64(a, signed); x64(v, signed); e.op(OP.i64mul); c64(32); e.op(OP.i64shru); e.op(OP.i64wrap); });
    if (live) {
      // CF = OF = the high half is more than the low half's extension; SF, ZF, PF from the low half; AF kept
      const st = e.keep(() => {
        e.get(hi);
        if (signed) { e.get(lo); e.i32(31); e.op(OP.shrs); } else e.i32(0);
        e.op(OP.ne); e.i32(CF | OF); e.op(OP.mul);
        resultFlags(e, lo); e.op(OP.or);
      });
      eagerFlags(e, st);
    } else e.forget();
    e.setReg(4, 0, () => e.get(lo));
    e.setReg(4, 2, () => e.get(hi));
    return;
  }
  const hi = e.keep(() => e.reg(4, 2)), lo = e.keep(() => e.reg(4, 0));
  const n64 = (): void => { x64(hi, false); c64(32); e.op(OP.i64shl); x64(lo, false); e.op(OP.i64or); };
  // (the flags are not changed: the handler's path and this one leave them in the slot alike)
  e.sync();
  let q: number, rem: number;
  if (sub === 6) {
    // the quotient fits in 32 bits exactly when edx < divisor (a zero divisor included)
    e.get(hi); e.get(v); e.op(OP.geu);
    e.if_(0x40, UNLIKELY);
    e.handler(k);
    e.else_();
    q = e.keep(() => { n64(); x64(v, false); e.op(OP.i64divu); e.op(OP.i64wrap); });
    rem = e.keep(() => { n64(); x64(v, false); e.op(OP.i64remu); e.op(OP.i64wrap); });
  } else {
    // divide by 1 where WebAssembly would trap (by 0, and -2^63 by -1); either is a divide error
    const bad0 = e.keep(() => {
      e.get(v); e.op(OP.eqz);
      e.get(v); e.i32(-1); e.op(OP.eq); e.get(hi); e.i32(-0x80000000); e.op(OP.eq); e.op(OP.and); e.get(lo); e.op(OP.eqz); e.op(OP.and);
      e.op(OP.or);
    });
    const d64 = (): void => { c64(1); x64(v, true); e.get(bad0); e.op(OP.select); };
    q = e.keep(() => { n64(); d64(); e.op(OP.i64divs); e.op(OP.i64wrap); });
    rem = e.keep(() => { n64(); d64(); e.op(OP.i64rems); e.op(OP.i64wrap); });
    // out of range: quotient * divisor + remainder is no longer the dividend
    e.get(v); e.op(OP.eqz);
    x64(q, true); d64(); e.op(OP.i64mul); x64(rem, true); e.op(OP.i64add); n64(); e.op(OP.i64ne);
    e.op(OP.or);
    e.if_(0x40, UNLIKELY);
    e.handler(k);
    e.else_();
  }
  e.setReg(4, 0, () => e.get(q));
  e.setReg(4, 2, () => e.get(rem));
  e.end_();
}

/**
 * x87 instructions that touch neither general registers nor EFLAGS: every memory form, and
 * the register forms of D8, D9, DC, DD and DE (not fcmov, fcomi/fucomi, fnstsw ax, fninit/fnclex
 * of DA, DB and DF). A translated block runs them through slow() (SLOW_X87).
 */
function x87Direct(i: Insn): boolean {
  if (i.op < 0xd8 || i.op > 0xdf || i.faulty || i.lock) return false;
  return i.m || (i.op !== 0xda && i.op !== 0xdb && i.op !== 0xdf) || (i.op === 0xda && i.modrm === 0xe9);
}

/** x87 instruction k (or fwait) through its handler (slow(): SLOW_X87), its memory operand's address computed here, then the fault check. */
function x87Handler(e: Fn, k: number, i: Insn): void {
  if (i.m) { const a = e.ea(i, k); e.i32(SLOW_X87); e.get(a); } else { e.i32(SLOW_X87); e.i32(0); }
  e.i32(e.block); e.i32(k); e.call(F.slow); e.op(OP.drop);
  e.faultCheck();
}

/**
 * fcomi, fucomi, fcomip, fucomip: the runtime's x87CompareFn, the status flags it gives stored
 * as eagerFlags() does; where it declines, the handler through slow() with the flags taken in
 * and put back (SLOW_X87_FLAGS). Either way the flags are in local r and the slot after it.
 */
function emitComi(e: Fn, k: number, i: Insn): void {
  e.sync();
  const r = e.local();
  e.get(0); e.i32(comiArg(i)); e.call(F.x87cmp); e.tee(r);
  e.i32(-1); e.op(OP.ne);
  e.if_(0x40, LIKELY);
  storeEager(e, r);
  e.else_();
  e.i32(SLOW_X87_FLAGS); e.i32(0); e.i32(e.block); e.i32(k); e.call(F.slow); e.op(OP.drop);
  e.faultCheck();
  e.get(0); e.mem(OP.load, S_FLAGS); e.i32(STATUS); e.op(OP.and); e.set(r);
  e.end_();
  e.known = { op: EAGER, size: 4, a: r, b: r, r };
  e.pending = false;
}

/**
 * Emit instruction k (the last one also leaves the block). The flags a fault in it must find in
 * the slot (sync) are stored there first when it calls a handler; an instruction emitted inline
 * only stores them on its fault paths.
 */
function emitInsn(e: Fn, k: number, i: Insn, sync: boolean, need: boolean, last: boolean): void {
  if (sync && e.pending && emitsInline(i, 'wasm') && !simdInline(i) && !x87Direct(i) && !extra(i)) {
    e.faultFlags = e.known;
    emitBody(e, k, i, false, need, last);
    e.faultFlags = null;
  } else emitBody(e, k, i, sync, need, last);
}
function emitBody(e: Fn, k: number, i: Insn, sync: boolean, need: boolean, last: boolean): void {
  const s = i.size;
  if (sync) e.sync();
  if (simdInline(i)) {
    emitSimd(e, k, i);
    if (last) e.exit(k, i.next | 0);
    return;
  }
  if (i.op === 0x9b && !i.faulty && !i.lock) {
    // fwait: nothing, but for a pending unmasked x87 exception (ES), which its handler raises
    e.sync();
    e.get(0); e.mem(OP.load, S_X87 + 4 * X87_SW); e.i32(0x80); e.op(OP.and);
    e.if_(0x40, UNLIKELY);
    x87Handler(e, k, i);
    e.end_();
    if (last) e.exit(k, i.next | 0);
    return;
  }
  if (i.op === 0xdf && i.modrm === 0xe0 && !i.faulty && !i.lock) {
    // fnstsw ax: the status word (kept without TOP) with TOP (a control instruction: it neither waits nor faults)
    e.setReg(2, 0, () => {
      e.get(0); e.mem(OP.load, S_X87 + 4 * X87_SW);
      e.get(0); e.mem(OP.load, S_X87 + 4 * X87_TOP); e.i32(11); e.op(OP.shl); e.op(OP.or);
    });
    if (last) e.exit(k, i.next | 0);
    return;
  }
  if (fcmovCc(i) >= 0) {
    // fcmov: the condition from the flags as the block knows them; the handler with the flags in the slot
    e.sync();
    const c = e.local();
    e.cond(fcmovCc(i)); e.set(c);
    emitFcmov(e, i, c, () => {
      e.i32(SLOW_X87_FLAGS); e.i32(0); e.i32(e.block); e.i32(k); e.call(F.slow); e.op(OP.drop);
      e.faultCheck();
    });
    if (last) e.exit(k, i.next | 0);
    return;
  }
  if (comiArg(i) >= 0) {
    emitComi(e, k, i);
    if (last) e.exit(k, i.next | 0);
    return;
  }
  if (x87Direct(i)) {
    // the FPU straight through slow(): no register written back or reloaded, flags kept
    e.sync();
    const tr = transOp(i);
    if (tr >= 0) {
      // fsqrt and the transcendentals: the runtime's x87TransFn, else the handler
      e.get(0); e.i32(tr); e.call(F.x87tr); e.op(OP.eqz);
      e.if_(0x40, UNLIKELY);
      x87Handler(e, k, i);
      e.end_();
    } else if (x87Inline(i)) emitX87(e, k, i, () => x87Handler(e, k, i));
    else x87Handler(e, k, i);
    if (last) e.exit(k, i.next | 0);
    return;
  }
  const inl = emitsInline(i, 'wasm');
  if (inl && extra(i)) {
    emitExtra(e, k, i, need, last);
    return;
  }
  if (!inl) {
    e.sync();
    e.forget();
    e.flushAll();
    e.i32(e.block); e.i32(k); e.call(F.exec);
    if (last || endsBlock(i)) {
      e.op(OP.drop);
      e.exitAfterHandler(k);
      return;
    }
    e.if_(0x40, UNLIKELY);
    e.exitAfterHandler(k);
    e.end_();
    e.reload();
    return;
  }
  const d = i.def!, kind = d.kind, form = d.form;
  if (kind === 'nop') {
    // nothing
  } else if (kind === 'mov' && (form === 'EG' || form === 'EI')) {
    const v = (): void => (form === 'EG' ? e.reg(s, i.reg) : e.i32(immOf(i, s)));
    if (i.m) {
      const a = e.ea(i, k);
      const t = form === 'EG' && s === 4 ? e.regLocal(i.reg) : e.keep(v);
      e.store(s, a, t, k, i.next);
    } else e.setReg(s, i.rm, v);
  } else if (kind === 'mov' && form === 'GE') {
    if (i.m) {
      const a = e.ea(i, k);
      e.setReg(s, i.reg, () => e.load(s, a, k));
    } else e.setReg(s, i.reg, () => e.reg(s, i.rm));
  } else if (kind === 'mov') { // ZI: register in the opcode := immediate
    e.setReg(s, i.reg, () => e.i32(immOf(i, s)));
  } else if (kind === 'dflag') {
    // cld/std: DF sits in the slot's FLAGS whatever the status flags' state
    e.slot(S_FLAGS, () => {
      e.get(0); e.mem(OP.load, S_FLAGS);
      if (i.sub === 3) { e.i32(~DF); e.op(OP.and); } else { e.i32(DF); e.op(OP.or); }
    });
  } else if (kind === 'lea') {
    const a = e.ea(i, k, false);
    e.setReg(4, i.reg, () => e.get(a));
  } else if (kind === 'alu') {
    emitAlu(e, k, i, need);
  } else if (kind === 'test') {
    const a = e.operand(i, k, s);
    const b = e.keep(() => (form === 'EG' ? e.reg(s, i.reg) : e.i32(immOf(i, s))));
    const r = e.keep(() => { e.get(a); e.get(b); e.op(OP.and); });
    e.setFlags(F_LOGIC, s, a, b, r);
  } else if (kind === 'incdec') {
    const dec = i.sub === 1;
    const z = form === 'Z'; // register in the opcode
    const inReg = z || !i.m;
    const n = z ? i.reg : i.rm;
    let ad = -1, v: number;
    if (inReg) v = e.keep(() => e.reg(s, n));
    else {
      ad = e.ea(i, k);
      v = e.keep(() => e.loadRmw(s, ad, k));
    }
    const r = e.keep(() => {
      e.get(v); e.i32(1); e.op(dec ? OP.sub : OP.add);
      if (s < 4) { e.i32(s === 2 ? 0xffff : 0xff); e.op(OP.and); }
    });
    if (need) {
      const cf = e.keep(() => e.carry());
      const one = e.keep(() => e.i32(1));
      e.setFlags(dec ? F_DEC : F_INC, s, v, one, r, cf);
    } else e.forget();
    if (inReg) e.setReg(s, n, () => e.get(r));
    else e.store(s, ad, r, k, i.next);
  } else if (kind === 'push') {
    const v = form === 'Z' ? e.keep(() => e.reg(4, i.reg)) : form === 'I' ? e.keep(() => e.i32(i.imm | 0)) : e.operand(i, k, 4);
    const sp = e.keep(() => { e.reg(4, 4); e.i32(4); e.op(OP.sub); });
    // the store may end the block (dropped code) only after esp is updated: do it first
    storeThenSp(e, sp, v, k, i.next);
  } else if (kind === 'pop') { // register in the opcode
    const sp = e.keep(() => e.reg(4, 4));
    const v = e.keep(() => e.load(4, sp, k));
    e.setReg(4, 4, () => { e.get(sp); e.i32(4); e.op(OP.add); });
    e.setReg(4, i.reg, () => e.get(v));
  } else if (kind === 'xchg') { // register with register
    const t = e.keep(() => e.reg(4, i.rm));
    e.setReg(4, i.rm, () => e.reg(4, i.reg));
    e.setReg(4, i.reg, () => e.get(t));
  } else if (kind === 'movx') {
    const ss = i.op & 1 ? 2 : 1;
    const v = e.operand(i, k, ss);
    e.setReg(4, i.reg, () => {
      e.get(v);
      if (i.sub === 1) e.op(ss === 1 ? OP.ext8 : OP.ext16);
    });
  } else if (kind === 'cmov') {
    const v = e.operand(i, k, 4);
    e.cond(i.sub);
    e.if_(0x40);
    e.setReg(4, i.reg, () => e.get(v));
    e.end_();
  } else if (kind === 'setcc') {
    if (i.m) {
      const ad = e.ea(i, k);
      const v = e.keep(() => e.cond(i.sub));
      e.store(1, ad, v, k, i.next);
    } else e.setReg(1, i.rm, () => e.cond(i.sub));
  } else if (kind === 'jcc') {
    // the taken side leaves the block (inside a superblock too), the other goes on or leaves
    e.cond(i.sub);
    e.if_(0x40);
    e.exitTo(k, i.imm | 0);
    e.end_();
    if (last) e.exitTo(k, i.next | 0);
    return;
  } else if (kind === 'jmp') {
    if (last) e.exitTo(k, i.imm | 0);
    return; // inside a superblock the path goes on at the target
  } else if (kind === 'call') {
    const v = e.keep(() => e.i32(i.next | 0));
    const sp = e.keep(() => { e.reg(4, 4); e.i32(4); e.op(OP.sub); });
    storeThenSp(e, sp, v, k, i.imm | 0);
    const r = last ? e.thunks.get(i.eip >>> 0) : undefined;
    if (r !== undefined) {
      // a PC thunk (mov r, [esp]; ret) as it was checked under this epoch: while that stands and
      // the budget covers its two instructions, they run here (r := the return address, which
      // stays stored below esp) and the block goes on at the return address
      const BUDGET = 1;
      e.linksHold();
      e.get(BUDGET); e.i32(k + 3); e.op(OP.geu); e.op(OP.and);
      e.if_(0x40, LIKELY);
      e.setReg(4, 4, () => { e.get(sp); e.i32(4); e.op(OP.add); });
      e.setReg(4, r, () => e.get(v));
      e.retire(2);
      e.exitTo(k, i.next | 0);
      e.end_();
    }
    if (last) e.exitTo(k, i.imm | 0);
    return;
  } else if (kind === 'ret') {
    const sp = e.keep(() => e.reg(4, 4));
    const t = e.keep(() => e.load(4, sp, k));
    e.setReg(4, 4, () => { e.get(sp); e.i32(4 + (i.sub ? i.imm : 0)); e.op(OP.add); });
    e.exitIndirect(k, t);
    return;
  } else throw new Error(`wasm: no template for ${d.name} (${kind})`);
  if (last) e.exitTo(k, i.next | 0);
}

/** push: the store first (a fault leaves esp alone), then esp := sp, also before an exit for dropped code. */
function storeThenSp(e: Fn, sp: number, v: number, k: number, next: number): void {
  e.store(4, sp, v, k, next, () => e.setReg(4, 4, () => e.get(sp)));
}

/** The WebAssembly operator of ALU operation op (adc and sbb add or subtract the carry after it; cmp subtracts). */
const aluOp = (op: number): number => (op === 0 || op === 2 ? OP.add : op === 1 ? OP.or : op === 4 ? OP.and : op === 6 ? OP.xor : OP.sub);

/** add/or/adc/sbb/and/sub/xor/cmp in its E,G / G,E / E,imm forms (size 4, 2 or 1). */
function emitAlu(e: Fn, k: number, i: Insn, need: boolean): void {
  const form = i.def!.form, s = i.size, op = i.sub;
  const toG = form === 'GE', fromI = form === 'EI';
  const toMem = !toG && i.m;
  if (!need && !i.m && op !== 2 && op !== 3) {
    // registers only, and nothing reads the flags: the result alone, without the operands
    // and result kept in locals for them (cmp: nothing at all)
    const dst = toG ? i.reg : i.rm;
    if (op !== 7) {
      e.setReg(s, dst, () => {
        e.reg(s, dst);
        if (fromI) e.i32(immOf(i, s));
        else e.reg(s, toG ? i.rm : i.reg);
        e.op(aluOp(op));
      });
    }
    e.forget();
    return;
  }
  let a: number, b: number, ad = -1;
  if (toG) {
    a = e.keep(() => e.reg(s, i.reg));
    b = e.operand(i, k, s);
  } else if (toMem) {
    ad = e.ea(i, k);
    a = e.keep(() => (op === 7 ? e.load(s, ad, k) : e.loadRmw(s, ad, k)));
    b = e.keep(() => (fromI ? e.i32(immOf(i, s)) : e.reg(s, i.reg)));
  } else {
    a = e.keep(() => e.reg(s, i.rm));
    b = e.keep(() => (fromI ? e.i32(immOf(i, s)) : e.reg(s, i.reg)));
  }
  // adc/sbb: the carry in (from the flags as they are, before these are replaced)
  const cf = op === 2 || op === 3 ? e.keep(() => e.carry()) : -1;
  const r = e.keep(() => {
    e.get(a); e.get(b);
    e.op(aluOp(op));
    if (cf >= 0) { e.get(cf); e.op(op === 2 ? OP.add : OP.sub); }
    if (s < 4 && op !== 1 && op !== 4 && op !== 6) { e.i32(s === 2 ? 0xffff : 0xff); e.op(OP.and); }
  });
  const fop = op === 0 ? F_ADD : op === 2 ? F_ADC : op === 3 ? F_SBB : op === 5 || op === 7 ? F_SUB : F_LOGIC;
  e.setFlags(fop, s, a, b, r, cf >= 0 ? cf : undefined);
  if (op === 7) return;
  if (toMem) e.store(s, ad, r, k, i.next);
  else e.setReg(s, toG ? i.reg : i.rm, () => e.get(r));
}

// ---- modules -------------------------------------------------------------------------------

/**
 * Flag liveness of a region's blocks, as this file emits them. Flags stay in
 * locals (Fn.pending) and reach the slot only where something may read them
 * there: for each instruction, sync says the slot must hold them before it
 * (it may fault, and the instruction resumed after the fault, or a later one,
 * reads them; handlers sync anyway), and need says whether anything reads the
 * flags it leaves at all (a reader such as jcc takes them from the locals, or
 * syncs them first; an exit stores them when the code it goes to may read
 * them). An exit to a block of the region needs them only if that block reads
 * flags before writing them all (liveIn, to a fixed point over the region);
 * any other exit does. Flags nobody reads before they are overwritten may be
 * stale in the slot at a fault, as in jit.ts.
 */
function regionFlags(r: Block[], at: Map<number, number>): { liveIn: boolean[]; blocks: { sync: boolean[]; need: boolean[] }[] } {
  const liveIn = r.map(() => false);
  const blocks = r.map(() => ({ sync: [] as boolean[], need: [] as boolean[] }));
  const needAt = (eip: number): boolean => {
    const j = at.get(eip);
    return j === undefined || liveIn[j]!;
  };
  for (let changed = true; changed;) {
    changed = false;
    r.forEach((b, j) => {
      const insns = b.insns, n = insns.length, last = insns[n - 1]!;
      const { sync, need } = blocks[j]!;
      // exit: an exit ahead reads them; known: an instruction ahead reads them (from the locals, or the slot after a sync)
      let exit: boolean;
      if (!emitsInline(last, 'wasm') || simdInline(last)) exit = true;
      else {
        const kind = last.def!.kind;
        exit = kind === 'ret' || kind === 'jmpInd' || kind === 'callInd' ? true
          : kind === 'jmp' || kind === 'call' ? needAt(last.imm >>> 0) : needAt(last.next >>> 0);
      }
      let known = false;
      for (let k = n - 1; k >= 0; k--) {
        const i = insns[k]!;
        need[k] = exit || known;
        sync[k] = false;
        if (simdInline(i) && !simdSetsFlags(i)) {
          // an inline SIMD instruction that neither reads nor sets flags: its handler, on the
          // other path of its guard, gets them in the slot there (Fn.handler). (Those that set
          // them, ptest and the like, count as readers: the slot holds the flags they began
          // with should they fault, as the real CPU's signal frame does.)
          continue;
        }
        if (!emitsInline(i, 'wasm') || simdInline(i) || (extra(i) && extraMayFault(i))) {
          // a handler reads the slot; the extra kinds that may fault or call one count as readers that write nothing
          sync[k] = true;
          exit = false;
          known = true;
          continue;
        }
        const d = i.def!, kind = d.kind;
        if (kind === 'jcc') {
          exit ||= needAt(i.imm >>> 0); // the taken side leaves the block
          known = true;
          continue;
        }
        const reads = (d.flagsRead & STATUS) !== 0;
        if ((d.flagsWritten & STATUS) === STATUS || kind === 'incdec') exit = known = false;
        // may fault (and be resumed) or leave the block (a store that drops code): the slot must hold what is read later
        if ((i.m || kind === 'push' || kind === 'pop' || kind === 'call' || kind === 'ret') && (known || exit || reads)) sync[k] = true;
        if (reads) known = true;
      }
      const inNeed = exit || known;
      if (inNeed !== liveIn[j]) {
        liveIn[j] = inNeed;
        changed = true;
      }
    });
  }
  return { liveIn, blocks };
}

/**
 * Blocks of one region at most. Measured on gcc's cc1 (16,241 blocks
 * translated): regions of 16 blocks of a page doubled V8's compile and
 * instantiation time (1.8 + 2.4 s against 0.7 + 0.7 s) and the whole run's,
 * and gave nothing measurable on cpubench or a busybox shell loop, whose gain
 * came from the flags kept in locals and from a block's loop on itself. Measured
 * again since translated code reuses its temporaries, with regions of up to 16
 * blocks of a page that jumps and branches join (a loop's), `npm run bench` the
 * same day: busybox's shell loop 0.211 s against 0.283 (1.97x qemu-i386 against
 * 2.88x), but python3.11's loop 2.62x against 1.88x and its start 2.48x against
 * 2.07x, cc1 9.89x against 8.46x (40 MiB more), sqlite3 and xz the same; a
 * page's blocks in runs of 16 did the same to python's loop (15% more CPU time).
 * A tier that retranslated a hot page's blocks as regions (its functions
 * counting their entries) made busybox's first run a second slower: the old
 * functions, linked to each other, kept running. So a region is one block.
 */
const MAX_REGION = 1;

/**
 * Regions of a batch: runs of blocks of one code page (the batch comes sorted
 * by eip), at most MAX_REGION each; a block its page does not keep is a region
 * of its own.
 */
function regions(blocks: Block[]): Block[][] {
  const out: Block[][] = [];
  let cur: Block[] = [];
  for (const b of blocks) {
    const prev = cur[cur.length - 1];
    if (prev && (!b.page || b.page !== prev.page || cur.length >= MAX_REGION)) {
      out.push(cur);
      cur = [];
    }
    cur.push(b);
    if (!b.page) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * The module holding blocks' translations (exports b0, b1, ... for blocks in
 * the order given, which must be sorted by eip): one function per region,
 * entered at the block whose table index the slot's S_CUR holds. Its direct
 * links (`links`, made under code epoch `epoch`) hold while the running space's
 * epoch is one of the two in the memory cells at `epochCell`.
 */
export function assemble(blocks: Block[], base: number, links?: Map<number, Block>, epoch = 0, imported: number[] = [], thunks = NO_THUNKS, epochCell = MODULE_EPOCHS): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const types: number[] = [5];
  types.push(0x60, 1, I32, 1, I32);
  types.push(0x60, 2, I32, I32, 1, I32);
  types.push(0x60, 3, I32, I32, I32, 1, I32);
  types.push(0x60, 0, 1, I32);
  types.push(0x60, 4, I32, I32, I32, I32, 1, I32);
  section(out, 1, types);
  const rs = regions(blocks);
  // exits linked straight to their blocks: those of this module by their function, the others
  // (translated before) imported as functions 'l' 'f<n>' (their table indices in `imported`)
  const local = new Map<Block, { fn: number; wix: number }>();
  const importIx = new Map<number, number>();
  if (links) {
    for (const t of links.values()) if (t.wix >= 0 && !blocks.includes(t) && !importIx.has(t.wix)) { importIx.set(t.wix, imported.length); imported.push(t.wix); }
  }
  const fbase = IMPORTS.length + imported.length;
  {
    let pos = 0;
    rs.forEach((r, f) => { for (const b of r) local.set(b, { fn: fbase + f, wix: base + pos++ }); });
  }
  const imp: number[] = [];
  uleb(imp, IMPORTS.length + 1 + imported.length);
  memoryImport(imp);
  for (const n of IMPORTS) { name(imp, 'e'); name(imp, n); imp.push(0x00); uleb(imp, IMPORT_TYPE[n]); }
  imported.forEach((_, j) => { name(imp, 'l'); name(imp, `f${j}`); imp.push(0x00); uleb(imp, BLOCK_TYPE); });
  section(out, 2, imp);
  const funcs: number[] = [];
  uleb(funcs, rs.length);
  for (let k = 0; k < rs.length; k++) funcs.push(BLOCK_TYPE);
  section(out, 3, funcs);
  const exp: number[] = [];
  uleb(exp, blocks.length);
  let nb = 0;
  rs.forEach((r, f) => {
    for (let j = 0; j < r.length; j++) { name(exp, `b${nb++}`); exp.push(0x00); uleb(exp, fbase + f); }
  });
  section(out, 7, exp);
  const bodies: Fn[] = [];
  // the code section: bodies are copied once, into the module's bytes (copying byte by byte
  // through arrays cost more than generating the code)
  const parts: number[][] = [];
  let size = 0;
  const head: number[] = [];
  uleb(head, rs.length);
  parts.push(head);
  size += head.length;
  let first = base;
  for (const r of rs) {
    const e = regionFn(r, first, (eip) => {
      const t = links?.get(eip);
      if (t === undefined || r.includes(t)) return undefined;
      const l = local.get(t);
      if (l) return { ...l, len: t.insns.length };
      const j = importIx.get(t.wix);
      return j === undefined ? undefined : { fn: IMPORTS.length + j, wix: t.wix, len: t.insns.length };
    }, epoch, thunks, epochCell);
    first += r.length;
    const tail = e.epilogues();
    const locals: number[] = [];
    locals.push((e.nx ? 1 : 0) + (e.nlocals ? 1 : 0));
    if (e.nx) { uleb(locals, e.nx); locals.push(0x7b); } // v128
    if (e.nlocals) { uleb(locals, e.nlocals); locals.push(I32); }
    e.prologue.push(0x02, 0x40, 0x02, 0x40, 0x02, 0x40); // block $chain, block $exit, block $fault
    const len = locals.length + e.prologue.length + e.code.length + tail.length;
    e.hintBase = [[e.code, locals.length + e.prologue.length], [tail, locals.length + e.prologue.length + e.code.length]];
    bodies.push(e);
    const fh: number[] = [];
    uleb(fh, len);
    parts.push(fh, locals, e.prologue, e.code, tail);
    size += fh.length + len;
  }
  hintSection(out, bodies, fbase);
  out.push(10);
  uleb(out, size);
  // profiling (EMBOX_WASM_NAMES=1): each function named after its region's first block, so that
  // `node --perf-basic-prof` and --cpu-prof show guest addresses instead of wasm-function[N]
  const names = WASM_NAMES ? nameSection(rs, fbase) : [];
  const bytes = new Uint8Array(out.length + size + names.length);
  bytes.set(out, 0);
  let at = out.length;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  bytes.set(names, at);
  return bytes;
}

/**
 * The branch hint section of the functions bodies (module function indices from fbase): V8
 * reads it with --experimental-wasm-branch-hinting (src/cpu/v8-flags.ts), others skip it.
 * It must come before the code section.
 */
function hintSection(out: number[], bodies: Fn[], fbase: number): void {
  const body: number[] = [];
  name(body, 'metadata.code.branch_hint');
  const fns: number[][] = [];
  bodies.forEach((e, f) => {
    if (e.hints.length === 0) return;
    const entry: number[] = [];
    uleb(entry, fbase + f);
    uleb(entry, e.hints.length);
    // in the order made: ascending offsets (code is only appended to, the body's before the epilogues')
    const [[body, bodyAt], [tail, tailAt]] = e.hintBase as [[number[], number], [number[], number]];
    for (const h of e.hints) {
      if (h.code !== body && h.code !== tail) throw new Error('branch hint outside the function body');
      uleb(entry, (h.code === body ? bodyAt : tailAt) + h.at);
      entry.push(1, h.v);
    }
    fns.push(entry);
  });
  if (fns.length === 0) return;
  uleb(body, fns.length);
  for (const f of fns) for (const x of f) body.push(x);
  section(out, 0, body);
}

const WASM_NAMES = typeof process !== 'undefined' && process.env.EMBOX_WASM_NAMES === '1';

/** The custom "name" section naming region functions `g<eip>` (their first block's eip, hex). */
function nameSection(rs: Block[][], fbase: number): number[] {
  const fnames: number[] = [];
  uleb(fnames, rs.length);
  rs.forEach((r, f) => { uleb(fnames, fbase + f); name(fnames, `g${(r[0]!.eip >>> 0).toString(16)}`); });
  const body: number[] = [];
  name(body, 'name');
  body.push(1); // function names
  uleb(body, fnames.length);
  for (const x of fnames) body.push(x);
  const out: number[] = [];
  section(out, 0, body);
  return out;
}

/**
 * A region's function body (its epilogues still to come): a loop around a
 * dispatch on S_CUR (a br_table) into the blocks' bodies, nested as
 *   loop $L  block $b(n-1) ... block $b0  (dispatch)  end body0  end body1 ... end body(n-1)  end
 * so an exit to a block of the region is a branch back to $L (guest loops run
 * as WebAssembly loops, registers staying in locals); any other exit leaves
 * through the epilogues (the jump cache, or the run loop).
 */
function regionFn(r: Block[], first: number, link: Fn['link'], epoch: number, thunks: ReadonlyMap<number, number>, epochCell: number): Fn {
  const e = new Fn(first, 3, xmmUsed(r));
  e.link = link;
  e.epoch = epoch;
  e.epochCell = epochCell;
  e.thunks = thunks;
  e.region = { first, at: new Map(r.map((b, j) => [b.eip >>> 0, j])), lens: r.map((b) => b.insns.length), liveIn: [] };
  e.op(OP.loop, 0x40);
  e.depth++;
  // one block needs no dispatch (the loop is its branch to itself, if it has one)
  const many = r.length > 1;
  if (many) {
    for (let j = 0; j < r.length; j++) { e.op(OP.block, 0x40); e.depth++; }
    e.get(0); e.mem(OP.load, S_CUR);
    if (first) { e.i32(first); e.op(OP.sub); }
    e.op(OP.brTable);
    uleb(e.code, r.length - 1);
    for (let j = 0; j < r.length; j++) uleb(e.code, j);
    // (S_CUR is always one of the region's: the default is never taken)
  }
  const flags = regionFlags(r, e.region.at);
  e.region.liveIn = flags.liveIn;
  const entered = branchedTo(r, e.region.at);
  r.forEach((b, j) => {
    if (many) e.end_();
    e.beginBody(first + j, entered.has(j));
    // (an indirect exit's likely targets: the ones the run loop linked under this epoch, the last first)
    e.predicted = b.lep === epoch && b.tk !== null ? [...new Set([b.tk, ...[...(b.alt ?? [])].reverse()].map((x) => x.eip >>> 0))] : [];
    const f = flags.blocks[j]!;
    for (let k = 0; k < b.insns.length; k++) {
      emitInsn(e, k, b.insns[k]!, f.sync[k]!, f.need[k]!, k === b.insns.length - 1);
      e.endInsn();
    }
  });
  e.end_(); // $L
  e.endBodies();
  return e;
}

/** The xmm registers (bit n: xmm n) the region's inline SIMD instructions name. */
function xmmUsed(r: Block[]): number {
  let m = 0;
  for (const b of r) {
    for (const i of b.insns) {
      if (!simdInline(i)) continue;
      const d = i.def!;
      if (d.gk === K_XMM) m |= 1 << (i.reg & 7);
      if (d.ek === K_XMM && !i.m) m |= 1 << (i.rm & 7);
    }
  }
  return m;
}
/** Positions of the region's blocks that some exit of the region may branch to (Fn.exitTo). */
function branchedTo(r: Block[], at: Map<number, number>): Set<number> {
  const out = new Set<number>();
  const add = (eip: number): void => {
    const j = at.get(eip >>> 0);
    if (j !== undefined) out.add(j);
  };
  for (const b of r) {
    const n = b.insns.length;
    b.insns.forEach((i, k) => {
      const kind = i.def?.kind;
      if (kind === 'jcc') add(i.imm);
      if (k === n - 1) {
        if (kind === 'jmp' || kind === 'call') add(i.imm);
        add(i.next);
      }
    });
  }
  return out;
}

/**
 * The module of the code every block module uses: cond (below), and go,
 * which enters the block of a table index (a tail call). Only this
 * instance imports the table: V8 keeps a copy of an imported table per
 * instance, so with every block module importing it, each new module cost
 * time in proportion to the table, and each entry set in proportion to the
 * modules (0.7 ms per module at a few thousand blocks).
 */
export function runtimeModule(): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  section(out, 1, [4, 0x60, 2, I32, I32, 1, I32, 0x60, 3, I32, I32, I32, 1, I32, 0x60, 4, I32, I32, I32, I32, 1, I32, 0x60, 1, I32, 1, I32]);
  const imp: number[] = [2];
  memoryImport(imp);
  name(imp, 'e'); name(imp, 't'); imp.push(0x01, 0x70, 0x00); uleb(imp, 0);
  section(out, 2, imp);
  section(out, 3, [9, 0, 2, 2, 0, 0, 2, 0, 0, 3]);
  const exp: number[] = [9];
  name(exp, 'cond'); exp.push(0x00, 0);
  name(exp, 'go'); exp.push(0x00, 1);
  name(exp, 'next'); exp.push(0x00, 2);
  name(exp, 'x87'); exp.push(0x00, 3);
  name(exp, 'x87cmp'); exp.push(0x00, 4);
  name(exp, 'x87ld'); exp.push(0x00, 5);
  name(exp, 'x87st'); exp.push(0x00, 6);
  name(exp, 'x87ist'); exp.push(0x00, 7);
  name(exp, 'x87rnd'); exp.push(0x00, 8);
  section(out, 7, exp);
  const code: number[] = [9];
  for (const body of [flagCond(), goFn(), nextFn(), x87ArithFn(), x87CompareFn(), x87LoadFn(), x87StoreFn(), x87IntStoreFn(), x87RoundFn()]) {
    uleb(code, body.length);
    for (const x of body) code.push(x);
  }
  section(out, 10, code);
  return Uint8Array.from(out);
}

/**
 * The module of x87TransFn (fsqrt, fsin, fcos, fpatan, fyl2x) with the tables it reads (a data
 * segment at RUNTIME_DATA), made when the first translation that calls it is: generating its
 * code took some 14 ms, which a program without those instructions never needs.
 */
export function x87TransModule(): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  section(out, 1, [1, 0x60, 2, I32, I32, 1, I32]);
  const imp: number[] = [1];
  memoryImport(imp);
  section(out, 2, imp);
  section(out, 3, [1, 0]);
  const exp: number[] = [1];
  name(exp, 'x87tr'); exp.push(0x00, 0);
  section(out, 7, exp);
  const body = x87TransFn(), code: number[] = [1];
  uleb(code, body.length);
  for (const x of body) code.push(x);
  section(out, 10, code);
  const tables = x87TableData(), data: number[] = [1, 0, OP.const];
  sleb(data, RUNTIME_DATA); data.push(OP.end); uleb(data, tables.length);
  for (const x of tables) data.push(x);
  section(out, 11, data);
  return Uint8Array.from(out);
}

/** go(st, budget, done, wix): return_call_indirect table[wix](st, budget, done) */
function goFn(): number[] {
  return [0, OP.get, 0, OP.get, 1, OP.get, 2, OP.get, 3, 0x13, 1, 0, OP.end];
}

/**
 * next(st, budget, done, eip), where every block's exit epilogue goes (a tail
 * call): the block of eip when the jump cache has it under the running
 * space's code epoch, the budget covers it and no callback asked for a stop
 * (a tail call, its table index in S_CUR and done in S_DONE); else done, eip
 * in the slot for the run loop.
 */
function nextFn(): number[] {
  const e = new Fn(-1, 4);
  const ST = 0, BUDGET = 1, DONE = 2, EIP = 3;
  e.slot(S_JC_EXITS, () => { e.get(ST); e.mem(OP.load, S_JC_EXITS); e.i32(1); e.op(OP.add); });
  // (the eip goes to the slot for the run loop only on the way back to it: a block it goes on to knows its own)
  const leave = (): void => { e.if_(0x40, UNLIKELY); e.slot(S_EIP, () => e.get(EIP)); e.get(DONE); e.op(OP.return); e.end_(); };
  e.get(ST); e.mem(OP.load, S_STOP); leave();
  const j = e.local();
  e.get(EIP); e.i32(JC_MUL); e.op(OP.mul); e.i32(32 - JC_BITS); e.op(OP.shru); e.i32(4); e.op(OP.shl);
  e.tee(j); e.mem(OP.load, JUMP_CACHE); e.get(EIP); e.op(OP.ne); leave();
  e.get(j); e.mem(OP.load, JUMP_CACHE + 12); e.get(ST); e.mem(OP.load, S_EPOCH); e.op(OP.ne); leave();
  e.get(j); e.mem(OP.load, JUMP_CACHE + 8); e.get(BUDGET); e.op(OP.gtu); leave();
  const wix = e.keep(() => { e.get(j); e.mem(OP.load, JUMP_CACHE + 4); });
  e.slot(S_CUR, () => e.get(wix));
  e.slot(S_DONE, () => e.get(DONE));
  e.get(ST); e.get(BUDGET); e.get(DONE); e.get(wix);
  e.op(0x13, 1, 0); // return_call_indirect (type 1: a block's) table 0
  e.op(OP.end);
  const body: number[] = [];
  body.push(1); uleb(body, e.nlocals); body.push(I32);
  for (const x of e.code) body.push(x);
  return body;
}

/**
 * (func cond (param st) (param cc) (result i32)): condition cc (0..15) of the
 * CPU's lazy flags in its slot, as cpu.ts's cond(); cc -1 gives AF (0/0x10),
 * -2 CF (0/1), -3 all the status flags as EFLAGS bits. For the conditions translated code cannot derive itself.
 */
function flagCond(): number[] {
  const e = new Fn(-1, 2);
  const fop = e.keep(() => { e.get(0); e.mem(OP.load, S_FOP); });
  const ld = (off: number): number => e.keep(() => { e.get(0); e.mem(OP.load, off); });
  const a = ld(S_FA), b = ld(S_FB), r = ld(S_FRES), sign = ld(S_FSIGN), fcf = ld(S_FCF);
  const is = (op: number): void => { e.get(fop); e.i32(op); e.op(OP.eq); };
  const sel = (x: () => void, y: () => void, c: () => void): void => { x(); y(); c(); e.op(OP.select); };
  const cmp = (x: number, y: number, op: number): (() => void) => () => { e.get(x); e.get(y); e.op(op); };
  const cf = e.keep(() => sel(cmp(r, a, OP.ltu), () => sel(() => sel(cmp(r, a, OP.leu), cmp(r, a, OP.ltu), () => e.get(fcf)),
    () => sel(cmp(a, b, OP.ltu), () => sel(() => sel(cmp(a, b, OP.leu), cmp(a, b, OP.ltu), () => e.get(fcf)),
      () => sel(() => e.i32(0), () => e.get(fcf), () => is(F_LOGIC)), () => is(F_SBB)), () => is(F_SUB)), () => is(F_ADC)), () => is(F_ADD)));
  const ofAdd = (): void => { e.get(a); e.get(r); e.op(OP.xor); e.get(b); e.get(r); e.op(OP.xor); e.op(OP.and); e.get(sign); e.op(OP.and); e.i32(0); e.op(OP.ne); };
  const ofSub = (): void => { e.get(a); e.get(b); e.op(OP.xor); e.get(a); e.get(r); e.op(OP.xor); e.op(OP.and); e.get(sign); e.op(OP.and); e.i32(0); e.op(OP.ne); };
  const of = e.keep(() => sel(ofAdd, () => sel(ofSub, () => e.i32(0), () => { is(F_SUB); is(F_SBB); e.op(OP.or); is(F_DEC); e.op(OP.or); }),
    () => { is(F_ADD); is(F_ADC); e.op(OP.or); is(F_INC); e.op(OP.or); }));
  const af = e.keep(() => sel(() => e.i32(0), () => { e.get(a); e.get(b); e.op(OP.xor); e.get(r); e.op(OP.xor); e.i32(AF); e.op(OP.and); }, () => is(F_LOGIC)));
  const status = e.keep(() => sel(() => { e.get(0); e.mem(OP.load, S_FLAGS); }, () => {
    e.get(cf);
    e.get(of); e.i32(11); e.op(OP.shl); e.op(OP.or);
    parity(e, r); e.op(OP.or);
    e.get(r); e.op(OP.eqz); e.i32(6); e.op(OP.shl); e.op(OP.or);
    e.get(r); e.get(sign); e.op(OP.and); e.i32(0); e.op(OP.ne); e.i32(7); e.op(OP.shl); e.op(OP.or);
    e.get(af); e.op(OP.or);
  }, () => { e.get(fop); e.op(OP.eqz); }));
  // cc -1, -2, -3
  e.get(1); e.i32(-3); e.op(OP.eq); e.op(OP.if, 0x40); e.get(status); e.i32(STATUS); e.op(OP.and); e.op(OP.return); e.op(OP.end);
  e.get(1); e.i32(-1); e.op(OP.eq); e.op(OP.if, 0x40); e.get(status); e.i32(AF); e.op(OP.and); e.op(OP.return); e.op(OP.end);
  e.get(1); e.i32(-2); e.op(OP.eq); e.op(OP.if, 0x40); e.get(status); e.i32(CF); e.op(OP.and); e.op(OP.return); e.op(OP.end);
  // the eight conditions as bits of one mask, then the one cc asks for
  const bit = (n: number): void => { e.get(status); e.i32(n); e.op(OP.shru); e.i32(1); e.op(OP.and); };
  const sxo = (): void => { bit(7); bit(11); e.op(OP.xor); };
  const mask = e.keep(() => {
    bit(11);
    bit(0); e.i32(1); e.op(OP.shl); e.op(OP.or);
    bit(6); e.i32(2); e.op(OP.shl); e.op(OP.or);
    bit(0); bit(6); e.op(OP.or); e.i32(3); e.op(OP.shl); e.op(OP.or);
    bit(7); e.i32(4); e.op(OP.shl); e.op(OP.or);
    bit(2); e.i32(5); e.op(OP.shl); e.op(OP.or);
    sxo(); e.i32(6); e.op(OP.shl); e.op(OP.or);
    bit(6); sxo(); e.op(OP.or); e.i32(7); e.op(OP.shl); e.op(OP.or);
  });
  e.get(mask); e.get(1); e.i32(1); e.op(OP.shru); e.op(OP.shru); e.get(1); e.op(OP.xor); e.i32(1); e.op(OP.and);
  e.op(OP.end);
  const body: number[] = [];
  body.push(1); uleb(body, e.nlocals); body.push(I32);
  for (const x of e.code) body.push(x);
  return body;
}

