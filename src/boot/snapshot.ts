// A snapshot of the started system, made once and restored (no Node APIs).
//
// The first part of every boot (the kernel's start, the boot filesystems, the
// root filesystem copied in, lo and eth0 configured; boot.ts) depends only on
// what the system is made of and a few options. Once it is done and the
// kernel waits for host events, the whole system is the kernel's linear
// memory and the host's side of it (Kernel.save: clocks, timer, host tasks,
// coroutines), so it can be kept in a file and put back into a fresh
// instance of lkl.wasm instead of booting again.
//
// A snapshot is stored under its configuration (format, memory size, kernel
// command line, network) and holds its full key, the configuration plus what
// it was made from (the host's `origin`: the kernel, the root filesystem and
// the code, as their identities): a snapshot whose key differs is stale and
// made again. Its header carries a CRC-32, its data page sums (page-sum.ts),
// checked before the kernel runs: a damaged file is never used, only made again.
//
// File layout (little-endian):
//   0  "EMBOXSNP"   8  u32 format   12 u32 header length H   16 u32 CRC-32 of the header
//   20 u32 reserved (0)             24 the header, JSON: { key, kernel, first, runs, dataBytes }
//   the data from the next multiple of 4096: the pages of each run, in order
// A run is [first page, page count, page sum of its pages] of the kernel's
// memory; pages not in a run are zero. Everything below the kernel's memory
// start (the image's data, which instantiation writes) is always in runs of
// its own, which are put back after instantiation; the rest before it.

import type { KernelState } from '../rtos/kernel/kernel.js';
import { pageSum } from './page-sum.js';

/** The format; a file of another is stale. */
export const SNAPSHOT_FORMAT = 4;
const MAGIC = 'EMBOXSNP';
const FIXED = 24;
const PAGE = 4096;

/** Where snapshots are kept: a file system (Node's, the cache directory) or none. */
export interface SnapshotStore {
  /** The snapshot file under name, or undefined when there is none. */
  open(name: string): SnapshotFile | undefined;
  /** Store chunks as the file under name, replacing any (a reader sees the old file or the new one, never part of one); false when it cannot. */
  save(name: string, chunks: Uint8Array[]): boolean;
  /** CRC-32 (ISO-HDLC, as zlib's) of data, going on from prev (the header's check, the file's name). */
  crc32(data: Uint8Array, prev: number): number;
}

/** A stored file, read in place. */
export interface SnapshotFile {
  readonly size: number;
  /** Read into dst from position; the number of bytes read. */
  read(dst: Uint8Array, position: number): number;
  close(): void;
  /** The kernel's memory from its start up, if the host read it ahead (readRuns). */
  readonly ahead?: MemoryAhead;
}

/**
 * A kernel memory a host filled from a snapshot file ahead of the boot (the
 * Node CLI, while the rest of it loads): its runs from the kernel's memory
 * start up.
 */
export interface MemoryAhead {
  readonly memory: WebAssembly.Memory;
  /** True once every run is there with its page sum right; false when one is not. */
  readonly done: Promise<boolean>;
}

/** What the boot keeps of making the first part, beside the kernel (boot.ts). */
export interface FirstPart {
  /** What the kernel printed (shown again with --verbose). */
  log: string;
  /** The console ttys' termios as the kernel made them, before the first part set its modes, by device. */
  termios: Record<string, number[]>;
}

/** The header of a snapshot. */
interface Header {
  key: string;
  kernel: KernelState;
  first: FirstPart;
  runs: Array<[number, number, number]>;
  dataBytes: number;
}

/** A snapshot file's header, its CRC-32 and the file's size checked (not its key), and where its data starts. */
export type SnapshotHeader = Header & { dataAt: number };

/** A run of pages: where it goes in the kernel's memory, how long, where it is in the file, its page sum. */
export interface Run { at: number; len: number; pos: number; sum: number }

/** A snapshot checked and ready to put into a kernel's memory. */
export interface Snapshot {
  readonly kernel: KernelState;
  readonly first: FirstPart;
  /**
   * Write the saved pages into memory: those from the kernel's memory start up
   * (`memory`, into a memory no instance wrote yet) or those below it
   * (`image`, after instantiation); false when the data is damaged (the memory
   * is then garbage).
   */
  fill(memory: WebAssembly.Memory, part: 'memory' | 'image'): boolean;
  /** The memory the host read ahead, in place of fill(mem, 'memory'). */
  readonly ahead?: MemoryAhead;
  close(): void;
}

/** Why a stored snapshot is not used. */
export type Unusable = 'missing' | 'stale' | 'damaged';

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The configuration a snapshot is kept under: the options that change the
 * boot's first part. `diskRoot`: a root from the disk follows (embox
 * --root), so the host's root filesystem is left out. A disk of either kind
 * is not part of it: the kernel takes its disks after the first part.
 */
export function snapshotConfig(o: { memoryMiB: number; cmdline: string; net: boolean; diskRoot: boolean }): string {
  return JSON.stringify({ memoryMiB: o.memoryMiB, cmdline: o.cmdline, net: o.net, ...(o.diskRoot ? { root: 'disk' } : {}) });
}

/** The file name of a configuration's snapshot. */
export function snapshotName(config: string, crc32: SnapshotStore['crc32']): string {
  return `snapshot-${(crc32(enc.encode(config), 0) >>> 0).toString(16).padStart(8, '0')}.bin`;
}

/** The header of a snapshot file, or why it cannot be used. */
export function readHeader(file: SnapshotFile, crc32: SnapshotStore['crc32']): SnapshotHeader | 'stale' | 'damaged' {
  try {
    const fixed = new Uint8Array(FIXED);
    if (file.read(fixed, 0) !== FIXED || dec.decode(fixed.subarray(0, 8)) !== MAGIC) return 'damaged';
    const v = new DataView(fixed.buffer);
    if (v.getUint32(8, true) !== SNAPSHOT_FORMAT) return 'stale';
    const hlen = v.getUint32(12, true);
    if (hlen > file.size - FIXED) return 'damaged';
    const hbytes = new Uint8Array(hlen);
    if (file.read(hbytes, FIXED) !== hlen || (crc32(hbytes, 0) >>> 0) !== v.getUint32(16, true)) return 'damaged';
    const header = JSON.parse(dec.decode(hbytes)) as Header;
    const dataAt = dataOffset(hlen);
    if (file.size !== dataAt + header.dataBytes || header.runs.reduce((n, [, c]) => n + c * PAGE, 0) !== header.dataBytes) return 'damaged';
    const end = header.kernel.boot.memEnd;
    if (!(end > 0 && end % 65536 === 0 && end <= 2 ** 32) || header.runs.some(([first, count]) => first < 0 || count <= 0 || (first + count) * PAGE > end)) return 'damaged';
    return { ...header, dataAt };
  } catch {
    return 'damaged';
  }
}

/** The runs of the kernel's memory from its start up (`memory`) or below it (`image`). */
export function runsOf(h: SnapshotHeader, part: 'memory' | 'image'): Run[] {
  const out: Run[] = [];
  let pos = h.dataAt;
  for (const [first, count, sum] of h.runs) {
    const at = first * PAGE, len = count * PAGE;
    if ((at >= h.kernel.boot.memStart) === (part === 'memory')) out.push({ at, len, pos, sum });
    pos += len;
  }
  return out;
}

/**
 * The snapshot of the configuration `config` made from `origin`, header
 * checked; its data is checked by fill(). Undefined with the reason when
 * there is none that can be used.
 */
export function openSnapshot(store: SnapshotStore, config: string, origin: string): Snapshot | Unusable {
  const name = snapshotName(config, store.crc32);
  const file = store.open(name);
  if (!file) return 'missing';
  const header = readHeader(file, store.crc32);
  if (typeof header === 'string' || header.key !== snapshotKey(config, origin)) {
    file.close();
    return typeof header === 'string' ? header : 'stale';
  }
  return {
    kernel: header.kernel,
    first: header.first,
    ahead: file.ahead,
    fill(memory: WebAssembly.Memory, part: 'memory' | 'image'): boolean {
      try {
        const mem = new Uint8Array(memory.buffer), sums = pageSum(memory);
        for (const { at, len, pos, sum } of runsOf(header, part)) {
          if (at + len > mem.length) return false;
          if (file.read(mem.subarray(at, at + len), pos) !== len) return false;
          sums.update(at, len);
          if (sums.digest() !== sum) return false;
        }
        return true;
      } catch {
        return false;
      }
    },
    close: () => file.close(),
  };
}

/** A configuration's full key: it and what the system was made from. */
function snapshotKey(config: string, origin: string): string {
  return `${config}\n${origin}`;
}

function dataOffset(headerBytes: number): number {
  return Math.ceil((FIXED + headerBytes) / PAGE) * PAGE;
}

/** Whether the page at `at` of mem is all zero. */
function zeroPage(words: Int32Array, at: number): boolean {
  for (let i = at >> 2, end = (at + PAGE) >> 2; i < end; i++) if (words[i] !== 0) return false;
  return true;
}

/**
 * Store a snapshot of a quiescent kernel: its state, its memory (every page
 * below memStart, and every page above it that is not zero) and what the
 * boot kept of the first part. Its size in bytes, or undefined when the
 * store could not keep it.
 */
export function saveSnapshot(store: SnapshotStore, config: string, origin: string, kernel: KernelState, memStart: number, memory: WebAssembly.Memory, first: FirstPart): number | undefined {
  const mem = new Uint8Array(memory.buffer), sums = pageSum(memory);
  const words = new Int32Array(mem.buffer, mem.byteOffset, mem.length >> 2);
  const runs: Array<[number, number, number]> = [];
  for (let page = 0; page * PAGE < mem.length; page++) {
    if (page * PAGE >= memStart && zeroPage(words, page * PAGE)) continue;
    const last = runs[runs.length - 1];
    // a run ends at memStart: the two sides are put back at different times
    if (last && last[0] + last[1] === page && page * PAGE !== memStart) last[1]++;
    else runs.push([page, 1, 0]);
  }
  const chunks = runs.map((run) => {
    const chunk = mem.subarray(run[0] * PAGE, (run[0] + run[1]) * PAGE);
    sums.update(run[0] * PAGE, run[1] * PAGE);
    run[2] = sums.digest();
    return chunk;
  });
  const dataBytes = chunks.reduce((n, c) => n + c.length, 0);
  const header = enc.encode(JSON.stringify({ key: snapshotKey(config, origin), kernel, first, runs, dataBytes } satisfies Header));
  const head = new Uint8Array(dataOffset(header.length));
  head.set(enc.encode(MAGIC), 0);
  const v = new DataView(head.buffer);
  v.setUint32(8, SNAPSHOT_FORMAT, true);
  v.setUint32(12, header.length, true);
  v.setUint32(16, store.crc32(header, 0) >>> 0, true);
  head.set(header, FIXED);
  return store.save(snapshotName(config, store.crc32), [head, ...chunks]) ? head.length + dataBytes : undefined;
}
