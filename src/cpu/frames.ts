// Guest page frames and CPU state in one WebAssembly memory, so that code
// translated to WebAssembly (wasm.ts) reaches guest memory and registers with
// plain loads and stores. Everything else sees the same bytes through 4 KiB
// Uint8Array views, as before.
//
// The memory is shared (backed by a SharedArrayBuffer) for one reason: growing
// a shared memory never detaches the buffers handed out before, so the views
// held by page tables stay valid. Nothing here uses threads.
//
// Layout: CPU state slots in the first 48 KiB, the runtime module's constants in
// the next 16, the jump cache of wasm.ts (1 MiB at JUMP_CACHE), the TLB used by
// translated code (1 MiB at TLB_R), the translation modules' epochs (64 KiB at MODULE_EPOCHS), then page frames from FRAMES on, handed out upwards as the memory grows; freed frames
// are reused first.

export const PAGE = 4096;
const WASM_PAGE = 65536;
/** 1 GiB of frames at most; past that, pages are ordinary buffers (slower in translated code) */
const MAX_WASM_PAGES = 16384;
const GROW_BY = 256; // 16 MiB at a time

/**
 * The TLB of translated code: TLB_SIZE entries for reads, then as many for
 * writes, each [tag, addend]: tag is the guest page's address when the entry
 * is valid (1 never matches: it is not page aligned), addend = frame offset -
 * page address. An entry is filled from the page tables of the address space
 * that owns the TLB (`tlbOwner`) and dropped whenever those tables change.
 */
// 65536 pages (256 MiB) each: with 1024, xz -9's 64 MiB dictionary missed so often that the
// misses' callbacks took a third of its time; with 16384, its match finder's hash table and
// trees (random pages of some 100 MiB) still left them 6% (slow() and the accessors it calls,
// 208 ms of a 3.4 s CPU profile, 91 ms with 65536)
export const TLB_SIZE = 65536;
const TLB_BYTES = TLB_SIZE * 16;
/**
 * where wasm.ts keeps its jump cache (JUMP_CACHE_BYTES: 65536 entries, so
 * that the blocks of a program's warm code rarely share one: with 8192, some
 * 20 pairs of busybox's 600 did, each costing a return to JavaScript per turn)
 */
export const JUMP_CACHE = WASM_PAGE, JUMP_CACHE_BYTES = 16 * WASM_PAGE;
export const TLB_R = JUMP_CACHE + JUMP_CACHE_BYTES, TLB_W = TLB_R + TLB_SIZE * 8;
/**
 * The code epochs under which each translation module's direct links hold (wasm-run.ts: two
 * cells per module, MODULE_CELLS / 2 modules at most; -1 none): the one it was compiled under, or
 * later ones (of this space or another) in which the code pages it was made from and links to are
 * the same, the last two.
 */
export const MODULE_EPOCHS = TLB_R + TLB_BYTES, MODULE_CELLS = WASM_PAGE / 4;
const FRAMES = MODULE_EPOCHS + MODULE_CELLS * 4;

/** Wasm pages of the memory where it cannot be shared (it never grows then): 256 MiB */
const FIXED_PAGES = 4096;
function createMemory(): { memory: WebAssembly.Memory; shared: boolean } {
  // EMBOX_FIXED_MEMORY=1 takes the fallback where shared memory exists (for its test); so does a
  // page without cross-origin isolation, where the web's rules give none (Chromium's workers still do)
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
  if (isolated && (typeof process === 'undefined' || process.env.EMBOX_FIXED_MEMORY !== '1')) {
    try {
      return { memory: new WebAssembly.Memory({ initial: FRAMES / WASM_PAGE, maximum: MAX_WASM_PAGES, shared: true }), shared: true };
    } catch {
      // no shared memory (a browser page without cross-origin isolation)
    }
  }
  // one that never grows then, as growing it would detach the page views (untouched, its pages
  // cost no host memory); past it, pages are ordinary buffers
  return { memory: new WebAssembly.Memory({ initial: FIXED_PAGES, maximum: FIXED_PAGES }), shared: false };
}
const created = createMemory();
export const memory = created.memory;
/** whether memory is shared, and its maximum in wasm pages (what modules importing it declare) */
export const MEMORY_SHARED = created.shared;
export const MEMORY_MAX_PAGES = created.shared ? MAX_WASM_PAGES : FIXED_PAGES;
/** every buffer object the memory has had (views made before a grow keep the older ones) */
const buffers = new Set<ArrayBufferLike>([memory.buffer]);
let i32 = new Int32Array(memory.buffer);
let top = memory.buffer.byteLength; // end of the memory
let next = FRAMES; // first frame byte not yet handed out
const freeFrames: number[] = [];

/**
 * Fill `a` with `pattern` repeated (a.length a multiple of its length), by
 * doubling copies: element by element, the loops over the TLB and the jump
 * cache ran cold (interpreted) at every start, some 2 ms.
 */
export function fillRepeated(a: Int32Array, pattern: readonly number[]): void {
  a.set(pattern);
  for (let n = pattern.length; n < a.length; n *= 2) a.copyWithin(n, 0, Math.min(n, a.length - n));
}

// TLB: all entries invalid (tag 1)
fillRepeated(new Int32Array(memory.buffer, TLB_R, TLB_BYTES >> 2), [1, 0]);
new Int32Array(memory.buffer, MODULE_EPOCHS, MODULE_CELLS).fill(-1);
// CPU state slots: the first wasm page
let slotNext = 0;
/** the runtime module's constant data (wasm.ts runtimeModule: the x87 fast paths' tables), the first page's last 16 KiB */
export const RUNTIME_DATA = WASM_PAGE - 16384, RUNTIME_DATA_BYTES = 16384;
const SLOTS_END = RUNTIME_DATA;
const SLOT = 512; // wasm-layout.ts SLOT_SIZE
const freeSlots: number[] = [];

let exhausted = false;
function grow(): boolean {
  if (exhausted) return false;
  try {
    memory.grow(GROW_BY);
  } catch {
    exhausted = true; // at its maximum (or the host refused): stop asking
    return false;
  }
  buffers.add(memory.buffer);
  i32 = new Int32Array(memory.buffer);
  top = memory.buffer.byteLength;
  return true;
}

/** What a reused frame is cleared from: a copy, where fill(0) on shared memory stores byte by byte */
const ZERO_PAGE = new Uint8Array(PAGE);

/** A zeroed 4 KiB page frame (an ordinary buffer when the memory is exhausted). */
export function allocFrame(): Uint8Array {
  let off = freeFrames.pop();
  if (off !== undefined) {
    const v = new Uint8Array(memory.buffer, off, PAGE);
    v.set(ZERO_PAGE);
    return v;
  }
  if (next + PAGE > top && !grow()) return new Uint8Array(PAGE);
  off = next;
  next += PAGE;
  return new Uint8Array(memory.buffer, off, PAGE);
}

/** Offset of a frame in the memory, or -1 for a buffer from elsewhere. */
export function frameOffset(d: Uint8Array): number {
  return buffers.has(d.buffer) && d.length === PAGE && (d.byteOffset & (PAGE - 1)) === 0 ? d.byteOffset : -1;
}

/** Give a frame back (no-op for buffers from elsewhere). Its views must no longer be used. */
export function freeFrame(d: Uint8Array): void {
  const off = frameOffset(d);
  if (off >= FRAMES) freeFrames.push(off);
}

/** A CPU state slot (SLOT bytes, zeroed): registers, segments, flags (layout in wasm.ts). */
export function allocSlot(): number {
  const off = freeSlots.pop();
  if (off !== undefined) {
    new Uint8Array(memory.buffer, off, SLOT).fill(0);
    return off;
  }
  if (slotNext + SLOT > SLOTS_END) {
    // the first wasm page is full: take a frame and cut it into slots
    const f = allocFrame();
    const base = frameOffset(f);
    if (base < 0) throw new Error('out of memory for CPU state');
    for (let o = base + SLOT; o < base + PAGE; o += SLOT) freeSlots.push(o);
    return base;
  }
  const o = slotNext;
  slotNext += SLOT;
  return o;
}
export function freeSlot(off: number): void {
  freeSlots.push(off);
}

/** Bytes of frames handed out and not given back (for tests). */
export function framesInUse(): number {
  return next - FRAMES - freeFrames.length * PAGE;
}

// ---- the TLB -------------------------------------------------------------------------------

/** The address space whose pages the TLB holds (compared by identity). */
export let tlbOwner: object | null = null;

/**
 * Entries (their index in i32) filled since the TLB was last emptied: emptying it for
 * another space clears those only (a switch between processes, as a pipe's two ends make
 * thousands of, would otherwise clear all 32768 entries each time).
 */
let filled: number[] = [];
/** more were filled than the list keeps (entries dropped and filled again): empty all of it */
let overflow = false;

/** Make `owner` the TLB's owner, emptying it if it held another space's pages. */
export function tlbUse(owner: object): void {
  if (tlbOwner === owner) return;
  tlbOwner = owner;
  if (overflow) for (let k = TLB_R >> 2; k < (TLB_R + TLB_BYTES) >> 2; k += 2) i32[k] = 1;
  else for (const k of filled) i32[k] = 1;
  filled = [];
  overflow = false;
}

/** Drop page p's entries (its tables changed), whichever space owns the TLB. */
export function tlbDrop(p: number): void {
  const k = (p & (TLB_SIZE - 1)) * 2;
  i32[(TLB_R >> 2) + k] = 1;
  i32[(TLB_W >> 2) + k] = 1;
}

/** Enter page p (frame at off) for reads or writes. */
export function tlbFill(p: number, off: number, write: boolean): void {
  const k = ((write ? TLB_W : TLB_R) >> 2) + (p & (TLB_SIZE - 1)) * 2;
  const base = (p << 12) | 0;
  if (i32[k] === 1) {
    if (filled.length < TLB_SIZE) filled.push(k);
    else overflow = true;
  }
  i32[k] = base;
  i32[k + 1] = (off - base) | 0;
}
