// Memory system calls: the RTOS owns the guest address space, so these are
// served here with Linux's rules and errnos (brk never fails, it returns
// the old break; mmap2 takes a page offset; old mmap reads its arguments
// from a struct in guest memory).
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';

const EINVAL = 22, ENOMEM = 12, EBADF = 9, EACCES = 13;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
const TASK_SIZE = 0xc0000000;
const MMAP_BASE = 0x40000000;
const up = (x: number) => (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

function brk(p: Proc, want: number): number {
  const b = p.brk;
  want >>>= 0;
  if (want < b.start) return b.cur;
  const oldEnd = up(b.cur), newEnd = up(want);
  if (newEnd > oldEnd) {
    if (newEnd > TASK_SIZE || !isFree(p, oldEnd, newEnd - oldEnd)) return b.cur;
    p.mem.map(oldEnd, newEnd - oldEnd, PROT_READ | PROT_WRITE);
  } else if (newEnd < oldEnd) {
    p.mem.unmap(newEnd, oldEnd - newEnd);
  }
  b.cur = want;
  return want;
}

function isFree(p: Proc, addr: number, len: number): boolean {
  for (let a = addr; a < addr + len; a += PAGE_SIZE) if (p.mem.protOf(a) !== -1) return false;
  return true;
}

async function mmap(p: Proc, addr: number, len: number, prot: number, flags: number, fd: number, pgoff: number): Promise<number> {
  addr >>>= 0;
  if (len === 0 || (addr & (PAGE_SIZE - 1))) return -EINVAL;
  const size = up(len >>> 0);
  if (size === 0 || size > TASK_SIZE) return -ENOMEM;
  if (!(flags & (MAP_SHARED | MAP_PRIVATE))) return -EINVAL;
  let at: number;
  if (flags & MAP_FIXED) {
    if (addr + size > TASK_SIZE) return -EINVAL;
    at = addr;
  } else {
    at = addr && addr + size <= TASK_SIZE && isFree(p, addr, size) ? addr : p.mem.findFree(size, MMAP_BASE, TASK_SIZE);
    if (at < 0) return -ENOMEM;
  }
  const pr = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
  if (flags & MAP_ANONYMOUS) {
    p.mem.map(at, size, pr);
    return at | 0;
  }
  // A file mapping: its contents are read through the kernel (pread64 into the new pages).
  if ((flags & MAP_SHARED) && (pr & PROT_WRITE)) {
    const fl = await p.k(NR.fcntl64, fd, 3 /* F_GETFL */);
    if (fl < 0) return -EBADF;
    if ((fl & 3) !== 2) return -EACCES;
  }
  p.mem.map(at, size, PROT_READ | PROT_WRITE);
  const off = pgoff * PAGE_SIZE;
  const iov = new Uint8Array(8);
  new DataView(iov.buffer).setUint32(0, at >>> 0, true);
  new DataView(iov.buffer).setUint32(4, size, true);
  const r = await p.kb(NR.preadv, fd, iov, 1, off >>> 0, Math.floor(off / 2 ** 32));
  if (r < 0) {
    p.mem.unmap(at, size);
    return r === -EINVAL ? -EACCES : r;
  }
  p.mem.protect(at, size, pr);
  return at | 0;
}

const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;

function mremap(p: Proc, old: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  if (old & (PAGE_SIZE - 1) || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) return -EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -EINVAL;
  const o = up(oldLen), n = up(newLen);
  if (n === 0 || o === 0) return -EINVAL;
  if (!p.mem.isMapped(old, o)) return -14; // EFAULT, as Linux for a range that is not mapped
  const prot = p.mem.protOf(old);
  if (!(flags & MREMAP_FIXED)) {
    if (n <= o) {
      if (n < o) p.mem.unmap(old + n, o - n);
      return old | 0;
    }
    if (old + n <= TASK_SIZE && isFree(p, old + o, n - o)) {
      p.mem.map(old + o, n - o, prot);
      return old | 0;
    }
    if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  }
  const at = flags & MREMAP_FIXED ? newAddr : p.mem.findFree(n, MMAP_BASE, TASK_SIZE);
  if (at < 0 || at & (PAGE_SIZE - 1) || at + n > TASK_SIZE) return flags & MREMAP_FIXED ? -EINVAL : -ENOMEM;
  const keep = Math.min(o, n);
  if (!(prot & PROT_READ)) p.mem.protect(old, o, prot | PROT_READ);
  const data = p.mem.readBytes(old, keep);
  p.mem.map(at, n, PROT_READ | PROT_WRITE);
  p.mem.poke(at, data);
  p.mem.protect(at, n, prot);
  p.mem.unmap(old, o);
  return at | 0;
}

export const MM_CALLS: ReadonlyArray<[string, Impl]> = [
  ['brk', { level: 'full', note: 'program break in the RTOS address space', run: (p, a) => brk(p, a[0]!) }],
  ['mmap2', { level: 'partial', note: 'anonymous and private file mappings; MAP_SHARED file mappings are copies (writes do not reach the file)',
    run: (p, a) => mmap(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]! >>> 0) }],
  ['mmap', { level: 'partial', note: 'old_mmap: arguments in a struct; as mmap2',
    run: (p, a) => {
      const b = a[0]! >>> 0;
      const r = (i: number) => p.mem.read32(b + 4 * i);
      const off = r(5) >>> 0;
      if (off & (PAGE_SIZE - 1)) return -EINVAL;
      return mmap(p, r(0), r(1), r(2), r(3), r(4), off / PAGE_SIZE);
    } }],
  ['munmap', { level: 'full', note: 'RTOS address space', run: (p, a) => {
    const addr = a[0]! >>> 0, len = up(a[1]! >>> 0);
    if ((addr & (PAGE_SIZE - 1)) || len === 0 || addr + len > TASK_SIZE) return -EINVAL;
    p.mem.unmap(addr, len);
    return 0;
  } }],
  ['mprotect', { level: 'full', note: 'enforced by the CPU', run: (p, a) => {
    const addr = a[0]! >>> 0, len = up(a[1]! >>> 0);
    if (addr & (PAGE_SIZE - 1)) return -EINVAL;
    if (!p.mem.isMapped(addr, len)) return -ENOMEM;
    p.mem.protect(addr, len, a[2]! & 7);
    return 0;
  } }],
  ['mremap', { level: 'full', note: 'shrink, grow in place, or move (MREMAP_MAYMOVE) in the RTOS address space', run: (p, a) => mremap(p, a[0]! >>> 0, a[1]! >>> 0, a[2]! >>> 0, a[3]!, a[4]! >>> 0) }],
  ['madvise', { level: 'partial', note: 'advice accepted and ignored', run: () => 0 }],
];
