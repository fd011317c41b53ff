// Memory system calls: the RTOS owns the guest address space, so these are
// served here with Linux's rules and errnos (brk never fails, it returns
// the old break; mmap2 takes a page offset; old mmap reads its arguments
// from a struct in guest memory).
//
// MAP_SHARED: anonymous shared pages are one set of buffers that fork keeps
// shared. A shared file mapping maps the file's shared pages (filemap.ts:
// one buffer per file page for all its mappings in all processes, coherent
// with read and write) and is written back through the kernel at msync,
// munmap, exit and execve (not when a signal kills the process). As Linux's
// vm_file, the file is held by the process's mm in the kernel (an id, see
// lkl/arch/wasm/kernel/filemap.c), not by a descriptor: the guest may close
// its own, and nothing shows in its table or /proc/PID/fd; fork's copy holds
// it too, and the kernel lets it go with the mm.
import { type AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { IOVEC, MMAP_ARG_STRUCT } from './layouts.js';
import { getUser, putBytes } from './struct.js';
import type { FileMapping } from './mm-struct.js';
import { AT_FDCWD } from '../uapi/linux.js';
import { E } from '../uapi/errno.js';
import { fileOf, holdPages, iovecs, releasePages, sharedPage, takePages } from './filemap.js';

const { EINVAL, ENOMEM, EBADF, EACCES } = E;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
const TASK_SIZE = 0xc0000000;
const MMAP_BASE = 0x40000000;
// Exact, as the size_t arithmetic of the x86-64 kernel i386 programs run on:
// 2 GiB and more stays positive and 0xffffffff is 4 GiB, not 0 (then no
// length checked against TASK_SIZE fits, and brk does not wrap to 0).
const up = (x: number) => Math.ceil((x >>> 0) / PAGE_SIZE) * PAGE_SIZE;

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

/**
 * Write the pages of [from, to) that belong to m back to its file, from the
 * file's shared pages (the kernel writes as far as the file reaches, at the
 * page's offset, and nothing for a file not open for writing).
 */
async function writeBack(p: Proc, m: FileMapping, from: number, to: number): Promise<number> {
  const a = Math.max(from, m.addr), b = Math.min(to, m.addr + m.len);
  for (let at = a; at < b; at += PAGE_SIZE) {
    if (!p.mem.isShared(at)) continue; // unmapped or replaced since
    const pos = m.off + (at - m.addr);
    const page = sharedPage(m.key, pos / PAGE_SIZE);
    if (!page) continue;
    const w = await p.kb(NR.wasm_file_write, m.id, page, PAGE_SIZE, pos >>> 0, Math.floor(pos / 2 ** 32));
    if (w < 0) return w;
    if (w < PAGE_SIZE) break; // the end of the file
  }
  return 0;
}

/** Write back (and with `drop`, forget) the shared file mappings over [from, to). */
async function syncRange(p: Proc, from: number, to: number, drop: boolean): Promise<number> {
  const list = p.mm.files;
  let err = 0;
  for (const m of [...list]) {
    if (m.addr >= to || m.addr + m.len <= from) continue;
    const r = await writeBack(p, m, from, to);
    if (r < 0 && !err) err = r;
    if (drop && from <= m.addr && to >= m.addr + m.len) {
      list.splice(list.indexOf(m), 1);
      releasePages(m.key, m.off / PAGE_SIZE, m.len / PAGE_SIZE);
      await p.k(NR.wasm_file_put, m.id);
    }
  }
  return err;
}

/** Before exit and execve: every shared file mapping written back (and with `drop`, forgotten). */
export function syncAllMappings(p: Proc, drop: boolean): Promise<number> {
  return syncRange(p, 0, TASK_SIZE, drop);
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
  // a fixed mapping replaces what was there: shared file pages under it are written back first
  await syncRange(p, at, at + size, true);
  p.mm.forgetNames(at, at + size);
  if (flags & MAP_ANONYMOUS) {
    if (flags & MAP_SHARED) {
      // its pages exist from the start (every process the mapping is shared with must see the
      // same ones): the machine's memory must have room for them now
      if (!(await p.charge(size / PAGE_SIZE))) return -ENOMEM;
      p.mem.mapShared(at, size, pr);
    } else p.mem.map(at, size, pr);
    return at | 0;
  }
  // A file mapping: its contents are read through the kernel (pread64 into the new pages).
  if ((flags & MAP_SHARED) && (pr & PROT_WRITE)) {
    const fl = await p.k(NR.fcntl64, fd, 3 /* F_GETFL */);
    if (fl < 0) return -EBADF;
    if ((fl & 3) !== 2) return -EACCES;
  }
  const shared = (flags & MAP_SHARED) !== 0;
  const off = pgoff * PAGE_SIZE;
  const file = await fileOf(p, fd);
  if (typeof file === 'number') return file;
  if (shared) {
    // the file's shared pages: the same buffers as every other shared mapping of them
    const pages = await takePages(p, file.key, fd, pgoff, size / PAGE_SIZE);
    if (typeof pages === 'number') return pages === -EINVAL || pages === -EBADF ? -EACCES : pages; // fd not open for reading
    p.mem.mapShared(at, size, PROT_READ | PROT_WRITE, pages);
  } else {
    p.mem.map(at, size, PROT_READ | PROT_WRITE);
    const iov = IOVEC.encode({ iov_base: at, iov_len: size });
    const r = await p.kb(NR.preadv, fd, iov, 1, off >>> 0, Math.floor(off / 2 ** 32));
    if (r < 0) {
      p.mem.unmap(at, size);
      return r === -EINVAL || r === -EBADF ? -EACCES : r;
    }
    // pages a shared mapping holds are newer than the kernel's copy
    for (let i = 0; i < size / PAGE_SIZE; i++) {
      const buf = sharedPage(file.key, pgoff + i);
      if (buf) p.mem.poke(at + i * PAGE_SIZE, buf);
    }
  }
  p.mem.protect(at, size, pr);
  const link = new Uint8Array(4096);
  const n = await p.kb(NR.readlinkat, AT_FDCWD, new TextEncoder().encode(`/proc/self/fd/${fd}\0`), link, link.length);
  if (n > 0) {
    p.mm.name(at, size, new TextDecoder().decode(link.subarray(0, n)), off);
  }
  if (shared) {
    const id = await p.k(NR.wasm_file_hold, fd);
    if (id > 0) p.mm.files.push({ addr: at, len: size, id, off, key: file.key });
    else releasePages(file.key, pgoff, size / PAGE_SIZE);
  }
  return at | 0;
}

function mprotect(p: Proc, addr: number, len: number, prot: number): number {
  len = up(len);
  if (addr & (PAGE_SIZE - 1)) return -EINVAL;
  // PROT_SEM is accepted, PROT_GROWSDOWN applies to the stack as a whole; anything else is EINVAL
  if (prot & ~(7 | 8 | 0x01000000)) return -EINVAL;
  if (!p.mem.isMapped(addr, len)) return -ENOMEM;
  p.mem.protect(addr, len, prot & 7);
  return 0;
}

function mincore(p: Proc, addr: number, len: number, vec: number): number {
  if (addr & (PAGE_SIZE - 1)) return -EINVAL;
  if (addr + len > TASK_SIZE) return -ENOMEM;
  const pages = up(len) / PAGE_SIZE;
  if (!p.mem.isMapped(addr, pages * PAGE_SIZE)) return -ENOMEM;
  const out = new Uint8Array(pages);
  for (let i = 0; i < pages; i++) out[i] = p.mem.touched(addr + i * PAGE_SIZE) ? 1 : 0;
  return putBytes(p.mem, vec, out);
}

// MADV_NORMAL..MADV_DONTNEED (0-4), FREE 8, REMOVE 9, DONTFORK/DOFORK 10/11, MERGEABLE..COLD/PAGEOUT 12-21, POPULATE 22-23, HWPOISON 100
const ADVICE = new Set([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
const MADV_DONTNEED = 4, MADV_REMOVE = 9;

async function madvise(p: Proc, addr: number, len: number, advice: number): Promise<number> {
  if (addr & (PAGE_SIZE - 1) || !ADVICE.has(advice)) return -EINVAL;
  const size = up(len);
  if (len && size === 0) return -EINVAL;
  if (addr + size > TASK_SIZE) return -ENOMEM;
  if (!p.mem.isMapped(addr, size)) return -ENOMEM;
  if (advice !== MADV_DONTNEED && advice !== MADV_REMOVE) return 0;
  p.mem.discard(addr, size);
  // private file pages read the file again (anonymous ones stay zero)
  for (const n of p.mm.names) {
    const a = Math.max(addr, n.addr), b = Math.min(addr + size, n.addr + n.len);
    if (a >= b || n.name[0] !== '/' || p.mem.isShared(a)) continue;
    const fd = await p.kb(NR.openat, AT_FDCWD, new TextEncoder().encode(`${n.name}\0`), 0o2000000, 0);
    if (fd < 0) continue;
    const prot = p.mem.protOf(a);
    p.mem.protect(a, b - a, prot | PROT_WRITE);
    const iov = IOVEC.encode({ iov_base: a, iov_len: b - a });
    const pos = n.off + (a - n.addr);
    await p.kb(NR.preadv, fd, iov, 1, pos >>> 0, Math.floor(pos / 2 ** 32));
    p.mem.protect(a, b - a, prot);
    await p.k(NR.close, fd);
  }
  return 0;
}

/** One page-bounded piece of a copy: how far it may go from a and b at once. */
const chunk = (a: number, b: number, left: number) => Math.min(left, PAGE_SIZE - (a & 0xfff), PAGE_SIZE - (b & 0xfff));

/**
 * process_vm_readv/writev: the kernel decides whether the caller may (it
 * opens /proc/PID/mem, which makes the same PTRACE_MODE_ATTACH check), the
 * bytes move between the two RTOS address spaces, page by page with each
 * side's protection; a fault ends the copy (EFAULT when nothing was copied).
 */
async function processVm(p: Proc, write: boolean, pid: number, liov: number, lcnt: number, riov: number, rcnt: number, flags: number): Promise<number> {
  if (flags !== 0) return -EINVAL;
  if (lcnt >>> 0 > 1024 || rcnt >>> 0 > 1024) return -EINVAL;
  let local: [number, number][], remote: [number, number][];
  try {
    local = iovecs(p, liov, lcnt);
    remote = iovecs(p, riov, rcnt);
  } catch {
    return -14;
  }
  if (remote.every(([, n]) => n === 0) || local.every(([, n]) => n === 0)) return 0;
  const fd = await p.kb(NR.openat, AT_FDCWD, new TextEncoder().encode(`/proc/${pid}/mem\0`), 0o2000000, 0);
  if (fd < 0) return fd === -13 ? -1 /* EPERM */ : -3 /* ESRCH */;
  await p.k(NR.close, fd);
  const other = p.processOf(pid)?.mm.mem;
  if (!other) return -3;
  const [src, dst, srcIov, dstIov] = write ? [p.mem, other, local, remote] : [other, p.mem, remote, local];
  let done = 0, li = 0, lo = 0;
  outer: for (const [rbase, rlen] of srcIov) {
    for (let ro = 0; ro < rlen;) {
      while (li < dstIov.length && lo >= dstIov[li]![1]) { li++; lo = 0; }
      if (li >= dstIov.length) break outer;
      const a = (rbase + ro) >>> 0, b = (dstIov[li]![0] + lo) >>> 0;
      const n = chunk(a, b, Math.min(rlen - ro, dstIov[li]![1] - lo));
      try {
        const bytes = src.readBytes(a, n);
        dst.writeBytes(b, bytes);
      } catch {
        break outer;
      }
      done += n; ro += n; lo += n;
    }
  }
  return done === 0 ? -14 : done;
}

const MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

/** msync: Linux's argument checks, then the shared file pages in the range written back (and synced with MS_SYNC). */
async function msync(p: Proc, addr: number, len: number, flags: number): Promise<number> {
  if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC) || addr & (PAGE_SIZE - 1) || (flags & MS_ASYNC && flags & MS_SYNC)) return -EINVAL;
  const end = addr + up(len);
  if (end < addr) return -ENOMEM;
  if (!p.mem.isMapped(addr, end - addr)) return -ENOMEM;
  const r = await syncRange(p, addr, end, false);
  if (r < 0 || !(flags & MS_SYNC)) return r;
  for (const m of p.mm.files) {
    if (m.addr < end && m.addr + m.len > addr) {
      const s = await p.k(NR.wasm_file_sync, m.id);
      if (s < 0) return s;
    }
  }
  return 0;
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
  ['mmap2', { level: 'partial', note: 'anonymous and file mappings, private and shared; a file\'s MAP_SHARED pages are one copy for all its mappings in all processes, coherent with read/write/pread64/pwrite64/readv/writev/preadv/pwritev(2), written back at msync/munmap/exit/execve (not when a signal kills the process); the kernel holds the file for the mm as Linux\'s vm_file, no descriptor of the process (close_range and /proc/PID/fd see none); sendfile, splice, copy_file_range and execve of the file see the last written-back copy; no SIGBUS past the end of the file',
    run: (p, a) => mmap(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]! >>> 0) }],
  ['mmap', { level: 'partial', note: 'old_mmap: arguments in a struct; as mmap2',
    run: (p, a) => {
      const m = getUser(p.mem, a[0]!, MMAP_ARG_STRUCT);
      if (typeof m === 'number') return m;
      if (m.offset & (PAGE_SIZE - 1)) return -EINVAL;
      return mmap(p, m.addr, m.len, m.prot, m.flags, m.fd, m.offset / PAGE_SIZE);
    } }],
  ['munmap', { level: 'full', note: 'RTOS address space (shared file pages written back first)', run: async (p, a) => {
    const addr = a[0]! >>> 0, len = up(a[1]! >>> 0);
    if ((addr & (PAGE_SIZE - 1)) || len === 0 || addr + len > TASK_SIZE) return -EINVAL;
    await syncRange(p, addr, addr + len, true);
    p.mem.unmap(addr, len);
    p.mm.forgetNames(addr, addr + len);
    return 0;
  } }],
  ['process_vm_readv', { level: 'full', note: 'between RTOS address spaces; the kernel checks the right (PTRACE_MODE_ATTACH, through /proc/PID/mem)',
    run: (p, a) => processVm(p, false, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['process_vm_writev', { level: 'full', note: 'between RTOS address spaces; the kernel checks the right (PTRACE_MODE_ATTACH, through /proc/PID/mem)',
    run: (p, a) => processVm(p, true, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['msync', { level: 'full', note: 'MAP_SHARED file pages written back through the kernel (the file\'s fsync with MS_SYNC)', run: (p, a) => msync(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) }],
  ['mprotect', { level: 'full', note: 'enforced by the CPU', run: (p, a) => mprotect(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) }],
  ['pkey_mprotect', { level: 'full', note: 'the i686 has no protection keys: pkey -1 is mprotect, others EINVAL (as Linux there)',
    run: (p, a) => (a[3] === -1 ? mprotect(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) : -EINVAL) }],
  ['mincore', { level: 'full', note: 'a page is resident once touched (anonymous pages never written read as 0, as Linux)', run: (p, a) => mincore(p, a[0]! >>> 0, a[1]! >>> 0, a[2]! >>> 0) }],
  ['mremap', { level: 'full', note: 'shrink, grow in place, or move (MREMAP_MAYMOVE) in the RTOS address space', run: (p, a) => mremap(p, a[0]! >>> 0, a[1]! >>> 0, a[2]! >>> 0, a[3]!, a[4]! >>> 0) }],
  ['madvise', { level: 'full', note: 'MADV_DONTNEED/MADV_REMOVE: private anonymous pages read as zeros again, private file pages as the file (by its name); other advice checked and accepted',
    run: (p, a) => madvise(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) }],
];
