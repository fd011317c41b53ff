// MAP_SHARED file pages. The file's page cache lives in the kernel, the
// guest's memory in the RTOS, so the RTOS keeps one buffer per page of a file
// that has shared mappings, and every MAP_SHARED mapping of that page, in any
// process, maps that same buffer: a store through one mapping is seen at once
// through all of them, as with Linux's page cache.
//
// The kernel's copy of the file gets those pages at msync, munmap, exit and
// execve (mm.ts writes them back). Until then the buffers are the truth for
// their pages, so file I/O is made coherent with them at the system call
// boundary: after read/pread64/readv/preadv/preadv2 the bytes read from such
// pages are replaced by the buffers', and after write/pwrite64/writev/
// pwritev/pwritev2 the written bytes are copied into them. Other kernel-side
// readers and writers of the file (sendfile, splice, copy_file_range,
// truncate, execve of it) see the kernel's copy.
import { PAGE_SIZE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Handler } from './abi.js';
import type { Proc } from './proc-context.js';

interface Page { buf: Uint8Array; users: number }
/** file key (device and inode) -> page index -> the page shared by the file's mappings */
const FILES = new Map<string, Map<number, Page>>();

const AT_EMPTY_PATH = 0x1000, STATX_INO = 0x100, STATX_SIZE = 0x200, SEEK_CUR = 1;

/** The identity (device and inode) and size of fd's file, or -errno. */
export async function fileOf(p: Proc, fd: number): Promise<{ key: string; size: number } | number> {
  const st = new Uint8Array(256);
  const r = await p.kb(NR.statx, fd, new Uint8Array([0]), AT_EMPTY_PATH, STATX_INO | STATX_SIZE, st);
  if (r < 0) return r;
  const v = new DataView(st.buffer);
  // struct statx: stx_ino at 32, stx_size at 40, stx_dev_major/minor at 136/140
  return {
    key: `${v.getUint32(136, true)}:${v.getUint32(140, true)}:${v.getBigUint64(32, true)}`,
    size: Number(v.getBigUint64(40, true)),
  };
}

/**
 * Pages [first, first + n) of the file `key`, held for one more mapping;
 * those no mapping holds yet are read from the file through fd. Returns the
 * buffers, or -errno (and holds nothing).
 */
export async function takePages(p: Proc, key: string, fd: number, first: number, n: number): Promise<Uint8Array[] | number> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    let pg = FILES.get(key)?.get(first + i);
    if (pg === undefined) {
      const buf = new Uint8Array(PAGE_SIZE);
      const pos = (first + i) * PAGE_SIZE;
      const r = await p.kb(NR.pread64, fd, buf, PAGE_SIZE, pos >>> 0, Math.floor(pos / 2 ** 32));
      if (r < 0) {
        releasePages(key, first, i);
        return r;
      }
      // the read may have let another task cache the page meanwhile: theirs counts
      let pages = FILES.get(key);
      if (!pages) FILES.set(key, (pages = new Map()));
      pg = pages.get(first + i) ?? { buf, users: 0 };
      pages.set(first + i, pg);
    }
    pg.users++;
    out.push(pg.buf);
  }
  return out;
}

/** One more mapping holds pages [first, first + n) (fork). */
export function holdPages(key: string, first: number, n: number): void {
  const pages = FILES.get(key);
  for (let i = 0; i < n; i++) {
    const pg = pages?.get(first + i);
    if (pg) pg.users++;
  }
}

/** A mapping lets go of pages [first, first + n); a page nobody maps is forgotten. */
export function releasePages(key: string, first: number, n: number): void {
  const pages = FILES.get(key);
  if (!pages) return;
  for (let i = 0; i < n; i++) {
    const pg = pages.get(first + i);
    if (pg && --pg.users <= 0) pages.delete(first + i);
  }
  if (pages.size === 0) FILES.delete(key);
}

/** The shared page of `key` at page index i, if a mapping holds it. */
export function sharedPage(key: string, i: number): Uint8Array | undefined {
  return FILES.get(key)?.get(i)?.buf;
}

/** The i386 struct iovec array at addr: [base, len] pairs. */
export function iovecs(p: Proc, addr: number, n: number): [number, number][] {
  const b = new DataView(p.mem.readBytes(addr >>> 0, 8 * n).buffer);
  const out: [number, number][] = [];
  for (let k = 0; k < n; k++) out.push([b.getUint32(8 * k, true), b.getUint32(8 * k + 4, true)]);
  return out;
}

/**
 * For each piece of the file range [pos, pos + n) that lies in a shared page
 * of `key`: the page's buffer and offset, and the guest address the iovecs
 * give that byte range.
 */
function* pieces(key: string, pos: number, n: number, iov: [number, number][]): Generator<[Uint8Array, number, number, number]> {
  let at = pos, left = n;
  for (const [base, len] of iov) {
    let o = 0;
    while (o < len && left > 0) {
      const idx = Math.floor(at / PAGE_SIZE), po = at % PAGE_SIZE;
      const step = Math.min(len - o, left, PAGE_SIZE - po);
      const buf = sharedPage(key, idx);
      if (buf) yield [buf, po, (base + o) >>> 0, step];
      o += step; at += step; left -= step;
    }
    if (left <= 0) return;
  }
}

/** A call's buffers (from its arguments and result) and file position (null: the current one); the fd is its first argument. */
type Io = { iov: (p: Proc, a: Int32Array, n: number) => [number, number][]; pos: (a: Int32Array) => number | null };

/** Guest-visible file I/O calls that move bytes between memory and a file, for the coherence hook. */
const IO: Record<string, Io & { write: boolean }> = {};
const posArg = (lo: number, hi: number) => (a: Int32Array) => {
  const l = a[lo]! >>> 0, h = a[hi]! | 0;
  return l === 0xffffffff && h === -1 ? null : h * 2 ** 32 + l; // -1: the current position (preadv2)
};
const flat = (a: Int32Array, n: number): [number, number][] => [[a[1]! >>> 0, n]];
const vec = (p: Proc, a: Int32Array) => iovecs(p, a[1]! >>> 0, Math.min(a[2]! >>> 0, 1024));
for (const write of [false, true]) {
  const s = write ? 'write' : 'read';
  IO[s] = { write, iov: (_p, a, n) => flat(a, n), pos: () => null };
  IO[`p${s}64`] = { write, iov: (_p, a, n) => flat(a, n), pos: posArg(3, 4) };
  IO[`${s}v`] = { write, iov: (p, a) => vec(p, a), pos: () => null };
  IO[`p${s}v`] = { write, iov: (p, a) => vec(p, a), pos: posArg(3, 4) };
  IO[`p${s}v2`] = { write, iov: (p, a) => vec(p, a), pos: posArg(3, 4) };
}

/** Names of the calls coherentIo wraps. */
export const COHERENT_IO = Object.keys(IO);

/**
 * The call `name`, made coherent with shared file pages: when the file it
 * read or wrote has pages held by MAP_SHARED mappings, the bytes go from or
 * to those pages (no extra work while no shared file mapping exists).
 */
export function coherentIo(name: string, run: Handler): Handler {
  const io = IO[name]!;
  return (p, a) => {
    if (FILES.size === 0) return run(p, a);
    const args = a.slice();
    const r = run(p, a);
    return typeof r === 'number' ? after(p, io, args, r) : r.then((n) => after(p, io, args, n));
  };
}

async function after(p: Proc, io: Io & { write: boolean }, a: Int32Array, n: number): Promise<number> {
  if (n <= 0 || FILES.size === 0) return n;
  const f = await fileOf(p, a[0]!);
  if (typeof f === 'number' || !FILES.has(f.key)) return n;
  let pos = io.pos(a);
  if (pos === null) {
    // read/write/readv/writev: the call moved the position past what it read or wrote
    const lo = new Uint8Array(8);
    const r = await p.kb(NR.llseek, a[0]!, 0, 0, lo, SEEK_CUR);
    if (r < 0) return n;
    pos = Number(new DataView(lo.buffer).getBigInt64(0, true)) - n;
  }
  let iov: [number, number][];
  try {
    iov = io.iov(p, a, n);
  } catch {
    return n;
  }
  for (const [buf, po, addr, len] of pieces(f.key, pos, n, iov)) {
    try {
      if (io.write) buf.set(p.mem.readBytes(addr, len), po);
      else p.mem.writeBytes(addr, buf.subarray(po, po + len));
    } catch {
      // the guest buffer went away under a signal handler: what the kernel did stands
    }
  }
  return n;
}
