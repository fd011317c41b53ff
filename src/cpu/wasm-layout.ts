// What translated WebAssembly code (wasm.ts) and the JavaScript that runs it
// (wasm-run.ts) agree on: the layout of a CPU's state slot in frames.ts's
// memory, the jump cache's, the imports of a block module and the
// operations of its slow-path callback.
import { JUMP_CACHE_BYTES } from './frames.js';

// ---- the CPU state slot (frames.ts allocSlot), byte offsets ----------------------------------
export const S_REGS = 0, S_SEGBASE = 32, S_SEGS = 56;
export const S_FOP = 68, S_FA = 72, S_FB = 76, S_FRES = 80, S_FSIGN = 84, S_FCF = 88, S_FLAGS = 92, S_EIP = 96;
/** set before each block runs (by the block before it, or runTranslated): its table index, the instructions retired before it */
export const S_CUR = 100, S_DONE = 104;
/** set by the callbacks: control must go back to JavaScript after this block (no chaining on) */
export const S_STOP = 108;
/** the address space's code epoch while translated code runs (jump cache entries of others do not match) */
export const S_EPOCH = 112;
/** set by a memory callback that found a fault (raise() throws it) */
export const S_FAULT = 116;
/** MXCSR, and the eight xmm registers (16 bytes each) */
export const S_MXCSR = 120, S_XMM = 128;
/**
 * The mm registers (8 bytes each) while MMX instructions own them, and who owns them
 * (S_MMX: 0 = the x87 registers hold them; else 0x100 | a bit per register written since).
 */
export const S_MM = 256, S_MMX = 124;
/**
 * The x87 unit's state (fpu.ts FPU, bound here by the CPU), as int32 words from S_X87: physical
 * register p in words 4p..4p+2 (significand low half, high half, sign << 15 | exponent; the
 * fourth word unused), then the control word, the status word without TOP, TOP, and the empty
 * registers (bit p: register p); then a scratch register (words 36-39: a memory operand
 * converted, the bits a store writes; wasm-x87.ts).
 */
export const S_X87 = 320, X87_CW = 32, X87_SW = 33, X87_TOP = 34, X87_EMPTY = 35, X87_WORDS = 40;
/** exits that went through the runtime's next (the jump cache), counted there; taken into cpuProfile by wasm-run.ts */
export const S_JC_EXITS = 480;
/** bytes of a slot */
export const SLOT_SIZE = 512;

// ---- the jump cache (at frames.ts's JUMP_CACHE) --------------------------------------------

/**
 * The jump cache: JC_N entries [eip, table index, instruction count, code
 * epoch] in the memory, hashed by eip. An entry is valid only under the code
 * epoch it was made in (epochs are unique across address spaces, so this
 * covers switching spaces too, without flushing anything). A miss returns to
 * JavaScript, which enters the block it finds.
 */
export const JC_N = JUMP_CACHE_BYTES / 16, JC_BITS = Math.log2(JC_N);
/** entry of eip (Fibonacci hashing: nearby and page-aligned addresses spread) */
export const JC_MUL = 0x9e3779b1 | 0;
export const jcSlot = (eip: number): number => (Math.imul(eip, JC_MUL) >>> (32 - JC_BITS)) << 2;
// ---- a block module's imports --------------------------------------------------------------

// imported functions, in index order
export const IMPORTS = ['slow', 'exec', 'cond', 'next', 'x87', 'x87cmp', 'x87ld', 'x87st', 'x87ist', 'x87rnd', 'x87tr'] as const;
export const F = Object.fromEntries(IMPORTS.map((n, k) => [n, k])) as Record<(typeof IMPORTS)[number], number>;
// types: 0 (i32)->i32, 1 (i32,i32)->i32, 2 (i32,i32,i32)->i32, 3 ()->i32, 4 (i32 x4)->i32;
// blocks are (st, budget, instructions retired before) -> instructions retired in all
export const BLOCK_TYPE = 2;
export const IMPORT_TYPE: Record<(typeof IMPORTS)[number], number> = {
  slow: 4, exec: 1, cond: 1, next: 4, x87: 1, x87cmp: 1, x87ld: 4, x87st: 1, x87ist: 1, x87rnd: 0, x87tr: 1,
};

/** slow()'s operations (the low 4 bits: an access's size) */
export const SLOW_LOAD = 0x00, SLOW_STORE = 0x10, SLOW_RMW = 0x20, SLOW_SEG = 0x30, SLOW_RAISE = 0x40;
/** enter the page of a into the TLB if it can be (for reads, or writes when v is 1); never faults */
export const SLOW_FILL = 0x50;
/**
 * run the x87 instruction k of the block with table index v, its memory operand at a (x87At):
 * for the forms that touch neither general registers nor EFLAGS, so that no register is
 * written back or reloaded around it
 */
export const SLOW_X87 = 0x60;
/** SLOW_X87 for the forms that read or write EFLAGS (fcomi, fcmov): the lazy flags in the slot taken in and put back */
export const SLOW_X87_FLAGS = 0x70;
