// Guest address space: 4 KiB pages with R/W/X permissions in a sparse table indexed by
// page number. Page buffers are allocated on first touch. Two lookup tables (`rd`, `wr`)
// hold the buffers of pages that may be read / written without further checks; the
// accessors take the fast path when the access stays inside one such page.
//
// Pages holding decoded instructions are removed from `wr`, so the first write to such a
// page goes through the slow path, which drops the decoded code (self-modifying code,
// relocations by the dynamic loader) before writing.

import { allocFrame, freeFrame, tlbDrop, tlbOwner, tlbUse } from './frames.js';
import { CHARGE_NEEDED } from './fault.js';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const MAPPED = 0x80;
/** pages shared with other address spaces (MAP_SHARED, SysV shm): fork keeps the same buffer */
const SHARED = 0x40;
/** a page of a shared anonymous mapping this space made: counted in its frames (not in a copy's) */
const OWNED = 0x20;
const NPAGES = 1 << 20;

/** A guest memory access that the page tables refuse (becomes SIGSEGV / #PF). */
export class GuestFault {
  constructor(
    public addr: number,
    public write: boolean,
    public exec: boolean,
    /** true when the page is mapped but the access violates its protection */
    public present: boolean,
    /** PROT_NONE mappings have no hardware-present PTE, so the error code lacks the P bit */
    public protNone = false,
  ) {}
  /** x86 page-fault error code as Linux reports it (user mode always set). */
  get errorCode(): number {
    return (this.present && !this.protNone ? 1 : 0) | (this.write ? 2 : 0) | 4 | (this.exec ? 0x10 : 0);
  }
}

/** Bits set in the 32-bit integer x. */
function bitCount(x: number): number {
  x = (x - ((x >>> 1) & 0x55555555)) | 0;
  x = ((x & 0x33333333) + ((x >>> 2) & 0x33333333)) | 0;
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Per-page cache of decoded code: instructions and the blocks starting in the
 * page, both indexed by offset. Its contents follow from the page's bytes
 * alone: an instruction reaching into the next page is never kept here. The
 * CPU fills it, and may drop its instructions again (they are decoded anew
 * from the same bytes when needed: cpu.ts bounds what decoded code holds);
 * the address space drops it.
 */
export class CodePage {
  // Instructions by page offset in chunks of 32 offsets made when first used, each an array of
  // exactly its instructions after a mask of the offsets they are at ([mask, insn...], in offset
  // order: an instruction is 3-4 bytes long, so a chunk holds some 9); blocks, a few dozen a
  // page, in a map. gcc's cc1 decoded 2604 pages, whose two flat 4096-entry arrays took 170 MB;
  // as chunks of 256 for both, 100 MB; chunks of 32 offsets took 37 MB for its 1.05 million
  // instructions. As masks and instructions, a program of 690,000 decoded instructions took
  // 77.9 MB of heap in all against 89.5.
  private i: (unknown[] | undefined)[] = [];
  private readonly b = new Map<number, unknown>();
  /** when its code was last decoded or interpreted (the CPU's clock: instructions decoded so far) */
  used = 0;
  insn(o: number): unknown {
    const c = this.i[o >> 5];
    if (c === undefined) return undefined;
    const m = c[0] as number, bit = 1 << (o & 31);
    return (m & bit) === 0 ? undefined : c[1 + bitCount(m & (bit - 1))];
  }
  setInsn(o: number, v: unknown): void {
    const k = o >> 5, bit = 1 << (o & 31), c = this.i[k];
    if (c === undefined) {
      this.i[k] = [bit, v];
      return;
    }
    const m = c[0] as number, at = 1 + bitCount(m & (bit - 1));
    if ((m & bit) !== 0) {
      c[at] = v;
      return;
    }
    // (a new array of the exact length: one grown in place keeps half as much again spare)
    const n: unknown[] = new Array(c.length + 1);
    n[0] = m | bit;
    for (let j = 1; j < at; j++) n[j] = c[j];
    n[at] = v;
    for (let j = at; j < c.length; j++) n[j + 1] = c[j];
    this.i[k] = n;
  }
  /** Forget the instructions (the blocks stay). */
  dropInsns(): void {
    this.i = [];
  }
  block(o: number): unknown {
    return this.b.get(o);
  }
  setBlock(o: number, v: unknown): void {
    this.b.set(o, v);
  }
  blocks(): IterableIterator<unknown> {
    return this.b.values();
  }
}

/**
 * Decoded code shared by every address space that executes the same bytes at
 * the same address (the processes of one program, a program run again): its
 * instructions, blocks and their translations are made once. An entry is
 * found by page number and taken only when the page's bytes are equal.
 */
interface SharedCode { bytes: Uint8Array; page: CodePage }
const SHARED_CODE = new Map<number, SharedCode[]>();
/** pages kept (least recently taken go first); each costs about 40 KiB */
const SHARED_CODE_MAX = 2048;
let sharedCodeCount = 0;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a.length === PAGE_SIZE && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const x = new Int32Array(a.buffer, a.byteOffset, PAGE_SIZE >> 2), y = new Int32Array(b.buffer, b.byteOffset, PAGE_SIZE >> 2);
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
    return true;
  }
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Code epochs are unique across address spaces: a cached link between blocks
 * made under one epoch is valid only while its space still has that epoch.
 */
let lastEpoch = 0;
const newEpoch = (): number => ++lastEpoch;

// Page tables are two-level (1024 x 1024 pages) so that an address space costs little to
// create and to copy: only the second-level arrays covering used regions exist.
type Table<T> = (T[] | undefined)[];
function newTable<T>(): Table<T> {
  return new Array(1024).fill(undefined);
}
function tget<T>(t: Table<T>, p: number): T | undefined {
  const s = t[p >>> 10];
  return s === undefined ? undefined : s[p & 1023];
}
function tset<T>(t: Table<T>, p: number, v: T | undefined): void {
  let s = t[p >>> 10];
  if (s === undefined) {
    if (v === undefined) return;
    s = t[p >>> 10] = new Array(1024).fill(undefined);
  }
  s[p & 1023] = v as T;
}

/** Frees the page frames of an address space nobody uses any more (and did not dispose()). */
const FRAMES = new FinalizationRegistry<Table<Uint8Array>>((data) => freeAll(data));
function freeAll(data: Table<Uint8Array>): void {
  // shared pages are never frames of ours (they come from filemap.ts or the kernel)
  for (const s of data) s?.forEach((d) => { if (d !== undefined) freeFrame(d); });
}

/**
 * The flags of the 2^20 pages (MAPPED | SHARED | OWNED | PROT_*), in 4 MiB stretches made when one
 * of their pages is first mapped: a flat 1 MiB table per address space was memory the host had
 * to zero for every new process (a fork storm's thousands, gigabytes). Bytes rather than a
 * Table<T> of arrays: 1 KiB a stretch instead of 8.
 */
class PageFlags {
  private readonly t: (Uint8Array | undefined)[] = new Array(1024).fill(undefined);
  get(p: number): number {
    const s = this.t[p >>> 10];
    return s === undefined ? 0 : s[p & 1023]!;
  }
  set(p: number, v: number): void {
    let s = this.t[p >>> 10];
    if (s === undefined) {
      if (v === 0) return;
      s = this.t[p >>> 10] = new Uint8Array(1024);
    }
    s[p & 1023] = v;
  }
  /** set(p, v) for pages from up to to, within one stretch */
  fill(from: number, to: number, v: number): void {
    let s = this.t[from >>> 10];
    if (s === undefined) {
      if (v === 0) return;
      s = this.t[from >>> 10] = new Uint8Array(1024);
    }
    s.fill(v, from & 1023, ((to - 1) & 1023) + 1);
  }
  clone(): PageFlags {
    const c = new PageFlags();
    this.t.forEach((s, i) => { if (s !== undefined) c.t[i] = s.slice(); });
    return c;
  }
  /** f(page, flags) for every page with flags */
  forEach(f: (p: number, v: number) => void): void {
    this.t.forEach((s, hi) => s?.forEach((v, lo) => { if (v) f((hi << 10) | lo, v); }));
  }
}

export class AddressSpace {
  /** page buffers (allocated lazily, private ones as frames of frames.ts) */
  private data: Table<Uint8Array> = newTable();
  /** fast read table: buffer when readable and allocated */
  rd: Table<Uint8Array> = newTable();
  /** fast write table: buffer when writable, allocated and holding no decoded code */
  wr: Table<Uint8Array> = newTable();
  /** 32-bit views of the same pages for aligned accesses (the host is little endian) */
  rd32: Table<Int32Array> = newTable();
  wr32: Table<Int32Array> = newTable();
  /** MAPPED | PROT_* per page; 0 = unmapped */
  private prot = new PageFlags();
  /** decoded-instruction caches per page (see CodePage) */
  private code: Table<CodePage> = newTable();
  /** changes whenever decoded code is dropped (the CPU then stops following cached successor links) */
  codeEpoch = newEpoch();
  /**
   * The local descriptor table (modify_ldt): raw 8-byte descriptors, part of
   * the address space as in Linux (mm->context.ldt): threads share it, fork
   * copies it, execve starts without one.
   */
  ldt: Uint8Array | null = null;
  /** private page frames this space holds */
  frames = 0;
  /**
   * Frames the machine's memory has granted this space (the kernel charges them
   * to its processes' mm), or -1: not counted (a CPU without a kernel). While
   * guest code runs (`limited`), a page's first touch past them throws
   * CHARGE_NEEDED; host copies into guest memory may go past them (the process
   * charges the difference before its guest code runs on).
   */
  charged = -1;
  limited = false;

  constructor() {
    FRAMES.register(this, this.data, this);
  }

  /** A new private frame for page p. */
  private take(): Uint8Array {
    if (this.limited && this.frames >= this.charged && this.charged >= 0) throw CHARGE_NEEDED;
    this.frames++;
    return allocFrame();
  }

  /**
   * The last process using this space is gone: its frames go back now rather than
   * when the garbage collector finds it, and it keeps no pages (a late access faults).
   */
  dispose(): void {
    FRAMES.unregister(this);
    freeAll(this.data);
    // the TLB holds pages of its owner only
    if (tlbOwner === this) tlbUse({});
    this.data = newTable();
    this.rd = newTable();
    this.wr = newTable();
    this.rd32 = newTable();
    this.wr32 = newTable();
    this.code = newTable();
    this.prot = new PageFlags();
    this.codeEpoch = newEpoch();
    this.frames = 0;
  }

  map(addr: number, len: number, prot: number): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last;) {
      const end = Math.min(last, ((p >>> 10) + 1) << 10);
      if (this.data[p >>> 10] === undefined) {
        // a stretch that never held a page (no data, so no code and no TLB
        // entries either): only the flags (a fresh 8 MiB stack was 2048
        // pages cleared one by one at every exec)
        this.prot.fill(p, end, MAPPED | (prot & 7));
        p = end;
        continue;
      }
      for (; p < end; p++) {
        this.dropCode(p);
        this.clearPage(p);
        this.prot.set(p, MAPPED | (prot & 7));
      }
    }
  }

  /**
   * Map pages shared with whoever else holds `pages` (one 4 KiB buffer per
   * page; fresh zeroed ones when omitted): writes are seen by every address
   * space mapping them, and clone() keeps them shared.
   */
  mapShared(addr: number, len: number, prot: number, pages?: Uint8Array[]): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      this.dropCode(p);
      this.clearPage(p);
      this.prot.set(p, MAPPED | SHARED | (pages ? 0 : OWNED) | (prot & 7));
      if (!pages) this.frames++;
      const d = pages ? pages[p - first]! : new Uint8Array(PAGE_SIZE);
      if (d.length !== PAGE_SIZE) throw new Error('mapShared: pages must be 4 KiB each');
      tset(this.data, p, d);
      this.refresh(p);
    }
  }

  unmap(addr: number, len: number): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      if (!this.prot.get(p)) continue;
      this.dropCode(p);
      this.clearPage(p);
      this.prot.set(p, 0);
    }
  }

  private clearPage(p: number): void {
    const d = tget(this.data, p);
    if (d !== undefined && !(this.prot.get(p) & SHARED)) {
      freeFrame(d);
      this.frames--;
    } else if (this.prot.get(p) & OWNED) this.frames--;
    tlbDrop(p);
    tset(this.data, p, undefined);
    tset(this.rd, p, undefined);
    tset(this.wr, p, undefined);
    tset(this.rd32, p, undefined);
    tset(this.wr32, p, undefined);
  }

  protect(addr: number, len: number, prot: number): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      if (!this.prot.get(p)) continue;
      if (!(prot & PROT_EXEC)) this.dropCode(p);
      this.prot.set(p, (this.prot.get(p) & (SHARED | OWNED)) | MAPPED | (prot & 7));
      this.refresh(p);
    }
  }

  /**
   * Drop the contents of private pages (madvise MADV_DONTNEED): they read as
   * zeros again. Shared pages keep theirs, as in Linux.
   */
  discard(addr: number, len: number): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      const v = this.prot.get(p);
      if (!v || v & SHARED || tget(this.data, p) === undefined) continue;
      this.dropCode(p);
      this.clearPage(p);
      this.refresh(p);
    }
  }

  /** Whether the page holding addr is shared (MAP_SHARED, SysV shm). */
  isShared(addr: number): boolean {
    return (this.prot.get(addr >>> PAGE_SHIFT) & SHARED) !== 0;
  }

  /** Whether the page holding addr has contents yet (first touch allocates them). */
  touched(addr: number): boolean {
    return tget(this.data, addr >>> PAGE_SHIFT) !== undefined;
  }

  /**
   * Pages for /proc/PID/statm and status: mapped, of those executable and
   * writable-private; resident (touched), of those shared (MAP_SHARED, SysV);
   * and resident pages for which `inFile` says they hold a file's bytes.
   */
  usage(inFile: (addr: number) => boolean = () => false): { mapped: number; exec: number; data: number; resident: number; shared: number; file: number } {
    let mapped = 0, exec = 0, data = 0, resident = 0, shared = 0, file = 0;
    const prot = this.prot;
    prot.forEach((_p, v) => {
      mapped++;
      if (v & PROT_EXEC) exec++;
      else if (v & PROT_WRITE && !(v & SHARED)) data++;
    });
    this.data.forEach((s, hi) => {
      s?.forEach((d, lo) => {
        if (d === undefined) return;
        const p = (hi << 10) | lo;
        resident++;
        if (prot.get(p) & SHARED) shared++;
        if (inFile((p << PAGE_SHIFT) >>> 0)) file++;
      });
    });
    return { mapped, exec, data, resident, shared, file };
  }

  /** Buffer of page p when it may be read (write: written) without checks (the rd/wr tables), else undefined. */
  fastPage(p: number, write: boolean): Uint8Array | undefined {
    return tget(write ? this.wr : this.rd, p);
  }

  /** Protection of the page holding addr, or -1 when unmapped. */
  protOf(addr: number): number {
    const v = this.prot.get(addr >>> PAGE_SHIFT);
    return v ? v & 7 : -1;
  }

  isMapped(addr: number, len: number, prot = 0): boolean {
    if (len <= 0) return true;
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      const v = this.prot.get(p);
      if (!v || (v & prot) !== prot) return false;
    }
    return true;
  }

  private refresh(p: number): void {
    const d = tget(this.data, p);
    const v = this.prot.get(p);
    const r = d && v & PROT_READ ? d : undefined;
    const w = d && v & PROT_WRITE && tget(this.code, p) === undefined ? d : undefined;
    tlbDrop(p);
    tset(this.rd, p, r);
    tset(this.wr, p, w);
    tset(this.rd32, p, r && new Int32Array(r.buffer, r.byteOffset, PAGE_SIZE >> 2));
    tset(this.wr32, p, w && new Int32Array(w.buffer, w.byteOffset, PAGE_SIZE >> 2));
  }

  /** Buffer of page p for an access, allocating it; throws GuestFault when not allowed. */
  page(p: number, addr: number, need: number): Uint8Array {
    const v = this.prot.get(p);
    if (!v) throw new GuestFault(addr >>> 0, need === PROT_WRITE, need === PROT_EXEC, false);
    // x86 without PROT_READ-only-exec distinction: exec implies read for data accesses
    const ok = need === PROT_READ ? v & (PROT_READ | PROT_EXEC) : v & need;
    if (!ok) throw new GuestFault(addr >>> 0, need === PROT_WRITE, need === PROT_EXEC, true, (v & 7) === 0);
    let d = tget(this.data, p);
    if (d === undefined) {
      d = this.take();
      tset(this.data, p, d);
      this.refresh(p);
    }
    if (need === PROT_WRITE && tget(this.code, p) !== undefined) {
      this.dropCode(p);
      this.refresh(p);
    }
    return d;
  }

  /**
   * Forget the decoded instructions of page p. The page object is only
   * detached (another address space may be using it); cached links into it,
   * and instructions reaching into p from the page before, die with the epoch.
   */
  dropCode(p: number): void {
    if (tget(this.code, p) !== undefined) {
      this.codeEpoch = newEpoch();
      tset(this.code, p, undefined);
      this.refresh(p);
    }
  }

  /** Decoded-code cache for page p; checks exec permission (fetch fault otherwise). */
  /** The decoded code of page p in this space, if it has any (nothing is made). */
  codePageIn(p: number): CodePage | undefined {
    return tget(this.code, p);
  }

  codePage(p: number, addr: number): CodePage {
    let c = tget(this.code, p);
    if (c !== undefined) return c;
    const bytes = this.page(p, addr, PROT_EXEC);
    // a MAP_SHARED page may change under another space's writes: its code stays private
    c = this.prot.get(p) & SHARED ? new CodePage() : this.sharedCode(p, bytes);
    tset(this.code, p, c);
    tlbDrop(p);
    tset(this.wr, p, undefined);
    tset(this.wr32, p, undefined);
    return c;
  }

  /** The shared decoded code for these bytes at page p (a new, empty page when none matches). */
  private sharedCode(p: number, bytes: Uint8Array): CodePage {
    const list = SHARED_CODE.get(p) ?? [];
    for (let k = 0; k < list.length; k++) {
      const e = list[k]!;
      if (sameBytes(e.bytes, bytes)) {
        SHARED_CODE.delete(p);
        SHARED_CODE.set(p, list); // most recently taken last
        return e.page;
      }
    }
    const page = new CodePage();
    list.push({ bytes: bytes.slice(), page });
    SHARED_CODE.delete(p);
    SHARED_CODE.set(p, list);
    if (++sharedCodeCount > SHARED_CODE_MAX) {
      const [oldest, l] = SHARED_CODE.entries().next().value as [number, SharedCode[]];
      l.shift();
      if (l.length === 0) SHARED_CODE.delete(oldest);
      sharedCodeCount--;
    }
    return page;
  }

  /**
   * The n bytes at addr when they lie in one private page holding decoded code, whose change
   * (a write, an unmap, a protect without EXEC) gives this space a new code epoch; else null.
   * What a translation may rely on under the epoch it was made in.
   */
  codeBytes(addr: number, n: number): Uint8Array | null {
    const p = addr >>> PAGE_SHIFT, o = addr & 0xfff;
    if (o + n > PAGE_SIZE || tget(this.code, p) === undefined || this.prot.get(p) & SHARED) return null;
    const d = tget(this.data, p);
    return d === undefined ? null : d.subarray(o, o + n);
  }

  /** Instruction byte fetch (exec permission checked). */
  fetch8(addr: number): number {
    return this.page(addr >>> PAGE_SHIFT, addr, PROT_EXEC)[addr & 0xfff];
  }

  // The accessors are a small fast path (one page, allowed, allocated) and a
  // call to the general one, so that the JavaScript engine inlines them into
  // the handlers and translated blocks.

  read8(addr: number): number {
    const s = this.rd[addr >>> 22];
    const d = s === undefined ? undefined : s[(addr >>> 12) & 1023];
    return d !== undefined ? d[addr & 0xfff] : this.slowRead8(addr);
  }
  private slowRead8(addr: number): number {
    return this.page(addr >>> PAGE_SHIFT, addr, PROT_READ)[addr & 0xfff];
  }

  read16(addr: number): number {
    const o = addr & 0xfff;
    const s = this.rd[addr >>> 22];
    const d = s === undefined ? undefined : s[(addr >>> 12) & 1023];
    if (d !== undefined && o < 0xfff) return d[o] | (d[o + 1] << 8);
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  /** 32-bit read, returned as a signed int32. */
  read32(addr: number): number {
    const s = this.rd32[addr >>> 22];
    const w = s === undefined || (addr & 3) !== 0 ? undefined : s[(addr >>> 12) & 1023];
    return w !== undefined ? w[(addr & 0xfff) >> 2] : this.slowRead32(addr);
  }

  private slowRead32(addr: number): number {
    const o = addr & 0xfff;
    const s = this.rd[addr >>> 22];
    const d = s === undefined ? undefined : s[(addr >>> 12) & 1023];
    if (d !== undefined && o < 0xffd) return d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24);
    // check both pages before returning anything (fault address = first bad byte's page)
    const b0 = this.read8(addr), b1 = this.read8(addr + 1), b2 = this.read8(addr + 2), b3 = this.read8(addr + 3);
    return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
  }

  write8(addr: number, v: number): void {
    const s = this.wr[addr >>> 22];
    const d = s === undefined ? undefined : s[(addr >>> 12) & 1023];
    if (d !== undefined) d[addr & 0xfff] = v;
    else this.slowWrite8(addr, v);
  }
  private slowWrite8(addr: number, v: number): void {
    this.page(addr >>> PAGE_SHIFT, addr, PROT_WRITE)[addr & 0xfff] = v;
  }

  write16(addr: number, v: number): void {
    const o = addr & 0xfff;
    const s = this.wr[addr >>> 22];
    const d = s === undefined ? undefined : s[(addr >>> 12) & 1023];
    if (d !== undefined && o < 0xfff) { d[o] = v; d[o + 1] = v >> 8; return; }
    this.checkWrite(addr, 2);
    this.write8(addr, v);
    this.write8(addr + 1, v >> 8);
  }

  write32(addr: number, v: number): void {
    const s = this.wr32[addr >>> 22];
    const w = s === undefined || (addr & 3) !== 0 ? undefined : s[(addr >>> 12) & 1023];
    if (w !== undefined) w[(addr & 0xfff) >> 2] = v;
    else this.slowWrite32(addr, v);
  }
  private slowWrite32(addr: number, v: number): void {
    const o = addr & 0xfff;
    const s = this.wr[addr >>> 22];
    const d = s === undefined ? undefined : s[(addr >>> 12) & 1023];
    if (d !== undefined && o < 0xffd) { d[o] = v; d[o + 1] = v >> 8; d[o + 2] = v >> 16; d[o + 3] = v >> 24; return; }
    this.checkWrite(addr, 4);
    this.write8(addr, v);
    this.write8(addr + 1, v >> 8);
    this.write8(addr + 2, v >> 16);
    this.write8(addr + 3, v >> 24);
  }

  /** Throws the fault a write of len bytes at addr would raise, without writing. */
  checkWrite(addr: number, len: number): void {
    const a = addr >>> 0;
    const first = a >>> PAGE_SHIFT, last = ((a + len - 1) >>> PAGE_SHIFT) & (NPAGES - 1);
    if (tget(this.wr, first) === undefined) this.page(first, a, PROT_WRITE);
    if (last !== first && tget(this.wr, last) === undefined) this.page(last, (last << PAGE_SHIFT) >>> 0, PROT_WRITE);
  }

  /** Throws the fault a read of len bytes at addr would raise. */
  checkRead(addr: number, len: number): void {
    const a = addr >>> 0;
    const first = a >>> PAGE_SHIFT, last = ((a + len - 1) >>> PAGE_SHIFT) & (NPAGES - 1);
    if (tget(this.rd, first) === undefined) this.page(first, a, PROT_READ);
    if (last !== first && tget(this.rd, last) === undefined) this.page(last, (last << PAGE_SHIFT) >>> 0, PROT_READ);
  }

  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let a = addr >>> 0, i = 0;
    while (i < len) {
      const o = a & 0xfff;
      const n = Math.min(len - i, PAGE_SIZE - o);
      const d = this.page(a >>> PAGE_SHIFT, a, PROT_READ);
      out.set(d.subarray(o, o + n), i);
      i += n;
      a = (a + n) >>> 0;
    }
    return out;
  }

  writeBytes(addr: number, data: Uint8Array): void {
    if (data.length === 0) return;
    // fail before modifying anything
    for (let a = addr >>> 0, left = data.length; left > 0;) {
      const n = Math.min(left, PAGE_SIZE - (a & 0xfff));
      this.page(a >>> PAGE_SHIFT, a, PROT_WRITE);
      left -= n;
      a = (a + n) >>> 0;
    }
    let a = addr >>> 0, i = 0;
    while (i < data.length) {
      const o = a & 0xfff;
      const n = Math.min(data.length - i, PAGE_SIZE - o);
      const d = this.page(a >>> PAGE_SHIFT, a, PROT_WRITE);
      d.set(data.subarray(i, i + n), o);
      i += n;
      a = (a + n) >>> 0;
    }
  }

  /** Copy into guest memory ignoring protection (loader use: filling read-only segments). */
  poke(addr: number, data: Uint8Array): void {
    let a = addr >>> 0, i = 0;
    while (i < data.length) {
      const p = a >>> PAGE_SHIFT;
      if (!this.prot.get(p)) throw new GuestFault(a, true, false, false);
      const o = a & 0xfff;
      const n = Math.min(data.length - i, PAGE_SIZE - o);
      let d = tget(this.data, p);
      if (d === undefined) { d = this.take(); tset(this.data, p, d); }
      this.dropCode(p);
      d.set(data.subarray(i, i + n), o);
      this.refresh(p);
      i += n;
      a = (a + n) >>> 0;
    }
  }

  /** NUL-terminated string (throws GuestFault past mapped memory). */
  readCString(addr: number, max = 4096): Uint8Array {
    const bytes: number[] = [];
    for (let a = addr >>> 0; bytes.length < max; a = (a + 1) >>> 0) {
      const b = this.read8(a);
      if (b === 0) break;
      bytes.push(b);
    }
    return Uint8Array.from(bytes);
  }

  /**
   * Copy for fork (eager copy of every touched page; shared pages stay
   * shared). The decoded code is shared too: the pages hold the same bytes,
   * and whichever space writes one first detaches it from itself only.
   */
  clone(): AddressSpace {
    const m = new AddressSpace();
    // the copy starts with nothing granted: its process charges its frames before it runs
    m.charged = this.charged < 0 ? -1 : 0;
    m.prot = this.prot.clone();
    m.ldt = this.ldt && this.ldt.slice();
    this.code.forEach((s, hi) => {
      if (s !== undefined) m.code[hi] = s.slice();
    });
    this.data.forEach((s, hi) => {
      s?.forEach((d, lo) => {
        if (d === undefined) return;
        const p = (hi << 10) | lo;
        let c = d;
        if (!(this.prot.get(p) & SHARED)) {
          c = m.take();
          c.set(d);
        } else m.prot.set(p, m.prot.get(p) & ~OWNED);
        tset(m.data, p, c);
        m.refresh(p);
      });
    });
    return m;
  }

  /** Lowest page-aligned address >= hint with len free bytes below limit, or -1. */
  findFree(len: number, hint = 0x40000000, limit = 0xc0000000): number {
    const n = Math.ceil(len / PAGE_SIZE);
    let run = 0;
    for (let p = hint >>> PAGE_SHIFT; p < limit >>> PAGE_SHIFT; p++) {
      run = this.prot.get(p) ? 0 : run + 1;
      if (run === n) return ((p - n + 1) << PAGE_SHIFT) >>> 0;
    }
    return -1;
  }
}

function pageRange(addr: number, len: number): [number, number] {
  const a = addr >>> 0;
  const first = a >>> PAGE_SHIFT;
  const last = Math.min(NPAGES, Math.ceil((a + len) / PAGE_SIZE));
  return [first, last];
}
