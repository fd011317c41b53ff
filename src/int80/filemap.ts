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
import { AT, SEEK, STATX_MASK } from '../uapi/linux.js';
import type { Handler } from './abi.js';
import { IOVEC, LOFF_T } from './layouts.js';
import type { Proc } from './proc-context.js';
import { statx } from './statx.js';
import { getBytes, putBytes } from './struct.js';

interface Page { buf: Uint8Array; users: number }
/** file key (device and inode) -> page index -> the page shared by the file's mappings */
const FILES = new Map<string, Map<number, Page>>();

/** The identity (device and inode) and size of fd's file, or -errno. */
export async function fileOf(p: Proc, fd: number): Promise<{ key: string; size: number } | number> {
  const x = await statx(p, fd, 0, AT.EMPTY_PATH, STATX_MASK.INO | STATX_MASK.SIZE);
  if (typeof x === 'number') return x;
  return { key: `${x.stx_dev_major}:${x.stx_dev_minor}:${x.stx_ino}`, size: Number(x.stx_size) };
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

/** The i386 struct iovec array at addr: [base, len] pairs (throws the guest's fault when it is not readable). */
export function iovecs(p: Proc, addr: number, n: number): [number, number][] {
  const b = p.mem.readBytes(addr >>> 0, IOVEC.size * n);
  return Array.from({ length: n }, (_, k) => {
    const v = IOVEC.decode(b.subarray(IOVEC.size * k));
    return [v.iov_base, v.iov_len];
  });
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
    const lo = new Uint8Array(LOFF_T.size);
    const r = await p.kb(NR.llseek, a[0]!, 0, 0, lo, SEEK.CUR);
    if (r < 0) return n;
    pos = Number(LOFF_T.decode(lo).v) - n;
  }
  let iov: [number, number][];
  try {
    iov = io.iov(p, a, n);
  } catch {
    return n;
  }
  // (a guest buffer that went away under a signal handler is passed over: what the kernel did stands)
  for (const [buf, po, addr, len] of pieces(f.key, pos, n, iov)) {
    if (!io.write) putBytes(p.mem, addr, buf.subarray(po, po + len));
    else {
      const b = getBytes(p.mem, addr, len);
      if (typeof b !== 'number') buf.set(b, po);
    }
  }
  return n;
}
