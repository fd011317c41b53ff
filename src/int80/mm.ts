// Memory system calls: the RTOS owns the guest address space, so these are
// served here with Linux's rules and errnos (brk never fails, it returns
// the old break; mmap2 takes a page offset; old mmap reads its arguments
// from a struct in guest memory).
//
// MAP_SHARED: anonymous shared pages are one set of buffers that fork keeps
// shared. A shared file mapping maps the file's shared pages (filemap.ts:
// one buffer per file page for all its mappings in all processes, coherent
// with read and write) and is written back through the kernel at msync,
// munmap, exit and execve (not when a signal kills the process). The mapping
// holds a duplicate of the descriptor (close-on-exec, numbered from 768) so
// that the guest may close its own.
import { type AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { MMAP_ARG_STRUCT } from './layouts.js';
import { getUser, putBytes } from './struct.js';
import { fileOf, holdPages, iovecs, releasePages, sharedPage, takePages } from './filemap.js';

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

/** A shared file mapping: pages [addr, addr + len) hold the file (`key`, see filemap.ts) from byte off on. */
interface FileMapping { addr: number; len: number; fd: number; off: number; key: string }
const fileMappings = new WeakMap<AddressSpace, FileMapping[]>();
const mappingsOf = (mem: AddressSpace): FileMapping[] => {
  let l = fileMappings.get(mem);
  if (!l) fileMappings.set(mem, (l = []));
  return l;
};
const DUP_BASE = 768;
const AT_FDCWD_MM = -100;

/** Names of file mappings for /proc/self/maps (the path, and the file offset of addr). */
interface Named { addr: number; len: number; name: string; off: number }
const names = new WeakMap<AddressSpace, Named[]>();

/**
 * The text of /proc/PID/maps for this address space: the RTOS owns the
 * mappings, so it writes what the kernel's file would say (ranges of equal
 * protection, file mappings with their path and offset, [heap], [stack]).
 */
export function mapsText(p: Pick<Proc, 'mem' | 'brk'>): string {
  const mem = p.mem;
  const named = names.get(mem) ?? [];
  const lines: string[] = [];
  const heapEnd = up(p.brk.cur);
  const nameAt = (a: number): { name: string; off: number } => {
    for (const n of named) if (a >= n.addr && a < n.addr + n.len) return { name: n.name, off: n.off + (a - n.addr) };
    if (a >= p.brk.start && a < heapEnd) return { name: '[heap]', off: 0 };
    return { name: '', off: 0 };
  };
  let start = -1, prot = -1, shared = false, label = '', off = 0, next = 0;
  const flush = (end: number) => {
    if (start < 0) return;
    const perms = `${prot & PROT_READ ? 'r' : '-'}${prot & PROT_WRITE ? 'w' : '-'}${prot & PROT_EXEC ? 'x' : '-'}${shared ? 's' : 'p'}`;
    const name = end === TASK_SIZE && !label ? '[stack]' : label;
    const head = `${hex8(start)}-${hex8(end)} ${perms} ${hex8(off)} 00:00 0`;
    lines.push(name ? `${head.padEnd(49)}${name}` : head);
    start = -1;
  };
  for (let a = 0; a < TASK_SIZE; a += PAGE_SIZE) {
    const pr = mem.protOf(a);
    if (pr < 0) { flush(a); continue; }
    const sh = mem.isShared(a);
    const n = nameAt(a);
    if (start >= 0 && pr === prot && sh === shared && n.name === label && (!label || label[0] === '[' || n.off === next)) {
      next += PAGE_SIZE;
      continue;
    }
    flush(a);
    start = a; prot = pr; shared = sh; label = n.name; off = n.off; next = n.off + PAGE_SIZE;
  }
  flush(TASK_SIZE);
  return lines.map((l) => `${l}\n`).join('');
}
const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

/** Write the mapped pages of [from, to) that belong to m back to its file (as far as the file reaches). */
async function writeBack(p: Proc, m: FileMapping, from: number, to: number): Promise<number> {
  const a = Math.max(from, m.addr), b = Math.min(to, m.addr + m.len);
  if (a >= b) return 0;
  const file = await fileOf(p, m.fd);
  if (typeof file === 'number') return file;
  const size = file.size;
  const start = m.off + (a - m.addr);
  const n = Math.min(b - a, size - start);
  if (n <= 0) return 0;
  for (let o = 0; o < n; o += PAGE_SIZE) {
    if (p.mem.protOf(a + o) < 0) continue; // unmapped since
    const iov = new Uint8Array(8);
    const v = new DataView(iov.buffer);
    v.setUint32(0, a + o, true);
    v.setUint32(4, Math.min(PAGE_SIZE, n - o), true);
    const pos = start + o;
    const w = await p.kb(NR.pwritev, m.fd, iov, 1, pos >>> 0, Math.floor(pos / 2 ** 32));
    if (w < 0) return w;
  }
  return 0;
}

/** Write back (and with `drop`, forget) the shared file mappings over [from, to). */
async function syncRange(p: Proc, from: number, to: number, drop: boolean): Promise<number> {
  const list = fileMappings.get(p.mem);
  if (!list) return 0;
  let err = 0;
  for (const m of [...list]) {
    if (m.addr >= to || m.addr + m.len <= from) continue;
    const r = await writeBack(p, m, from, to);
    if (r < 0 && !err) err = r;
    if (drop && from <= m.addr && to >= m.addr + m.len) {
      list.splice(list.indexOf(m), 1);
      releasePages(m.key, m.off / PAGE_SIZE, m.len / PAGE_SIZE);
      await p.k(NR.close, m.fd);
    }
  }
  return err;
}

/** What execve laid out (Linux keeps it in the mm: arg_start .. env_end, start_code, saved_auxv, ...). */
export interface ImageInfo {
  argStart: number; argEnd: number; envStart: number; envEnd: number;
  startCode: number; endCode: number; startData: number; endData: number;
  /** the initial stack pointer (where argc is), and the stack's mapping */
  startStack: number;
  stackLow: number;
  stackTop: number;
  auxv: [number, number][];
}
const images = new WeakMap<AddressSpace, ImageInfo>();

/** Record the layout of a new image (for /proc/PID/cmdline, environ, auxv, stat, statm, status). */
export function setImageInfo(mem: AddressSpace, info: ImageInfo): void {
  images.set(mem, { ...info, auxv: info.auxv.map(([t, v]) => [t, v]) });
}

type ProcFile = 'maps' | 'cmdline' | 'environ' | 'auxv' | 'stat' | 'statm' | 'status';
/** The /proc/PID files whose contents come (in whole or in part) from the RTOS. */
export const PROC_FILES = /^\/proc\/(\d+)\/(?:task\/\d+\/)?(maps|cmdline|environ|auxv|stat|statm|status)$/;

const kB = (pages: number) => pages * (PAGE_SIZE >> 10);

/**
 * The contents of /proc/PID/<file> for a guest process: `kernel` is what the
 * kernel itself shows (it has no mm of the guest, so the memory parts are
 * missing or zero there); the RTOS fills them in from the address space.
 */
export function procFileText(p: Pick<Proc, 'mem' | 'brk'>, file: ProcFile, kernel: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const mem = p.mem, img = images.get(mem);
  if (file === 'maps') return enc.encode(mapsText(p));
  if (file === 'cmdline' || file === 'environ') {
    // the strings area, read live (a program that rewrites its argv is seen doing so)
    if (!img) return new Uint8Array(0);
    const [from, to] = file === 'cmdline' ? [img.argStart, img.argEnd] : [img.envStart, img.envEnd];
    try {
      return mem.readBytes(from, Math.max(0, to - from));
    } catch {
      return new Uint8Array(0);
    }
  }
  if (file === 'auxv') {
    const pairs = [...(img?.auxv ?? []), [0, 0]];
    const out = new Uint8Array(8 * pairs.length);
    const v = new DataView(out.buffer);
    pairs.forEach(([t, x], i) => { v.setUint32(8 * i, t! >>> 0, true); v.setUint32(8 * i + 4, x! >>> 0, true); });
    return out;
  }
  const named = names.get(mem) ?? [];
  const u = mem.usage((a) => named.some((n) => n.name[0] === '/' && a >= n.addr && a < n.addr + n.len));
  const text = img ? Math.ceil(img.endCode / PAGE_SIZE) - Math.floor(img.startCode / PAGE_SIZE) : 0;
  const dec = new TextDecoder().decode(kernel);
  if (file === 'statm') return enc.encode(`${u.mapped} ${u.resident} ${u.file + u.shared} ${text} 0 ${u.data} 0\n`);
  if (file === 'status') {
    const w = (label: string, v: number) => `${label}:\t${String(v).padStart(8)} kB\n`;
    let stack = 0;
    for (let a = img?.stackLow ?? 0; img && a < img.stackTop; a += PAGE_SIZE) if (mem.protOf(a) >= 0) stack++;
    const vm = w('VmPeak', kB(u.mapped)) + w('VmSize', kB(u.mapped)) + w('VmLck', 0) + w('VmPin', 0) +
      w('VmHWM', kB(u.resident)) + w('VmRSS', kB(u.resident)) + w('RssAnon', kB(u.resident - u.file - u.shared)) +
      w('RssFile', kB(u.file)) + w('RssShmem', kB(u.shared)) + w('VmData', kB(u.data - stack)) +
      w('VmStk', kB(stack)) + w('VmExe', kB(text)) + w('VmLib', 0) + w('VmPTE', 0) + w('VmSwap', 0);
    if (dec.includes('\nVmSize:')) return kernel;
    // where task_mem() would have put it: after the namespace ids
    const at = dec.search(/^(?:HugetlbPages|CoreDumping|THP_enabled|Threads):/m);
    return enc.encode(at < 0 ? dec + vm : dec.slice(0, at) + vm + dec.slice(at));
  }
  // stat: the fields after "(comm)" are space-separated; fill in the memory ones Linux takes from the mm
  const close = dec.lastIndexOf(')');
  if (close < 0 || !img) return kernel;
  const f = dec.slice(close + 2).trimEnd().split(' '); // f[0] is field 3 (state)
  const set = (field: number, v: number) => { if (f.length > field - 3) f[field - 3] = String(v >>> 0); };
  set(23, u.mapped * PAGE_SIZE); set(24, u.resident);
  set(26, img.startCode); set(27, img.endCode); set(28, img.startStack);
  set(45, img.startData); set(46, img.endData); set(47, p.brk.start);
  set(48, img.argStart); set(49, img.argEnd); set(50, img.envStart); set(51, img.envEnd);
  return enc.encode(`${dec.slice(0, close + 2)}${f.join(' ')}\n`);
}

/** Name the pages [addr, addr + len) for /proc/PID/maps (a program's or its interpreter's segments). */
export function nameMapping(mem: AddressSpace, addr: number, len: number, name: string, off: number): void {
  let l = names.get(mem);
  if (!l) names.set(mem, (l = []));
  l.push({ addr, len, name, off });
}

/** The program's file under its real name (what /proc/self/exe resolves to, as Linux's maps shows it). */
export function renameMappings(mem: AddressSpace, from: string, to: string): void {
  for (const n of names.get(mem) ?? []) if (n.name === from) n.name = to;
}

/** Names of mappings wholly inside [from, to) are forgotten (the pages are gone or replaced). */
function forgetNames(mem: AddressSpace, from: number, to: number): void {
  const l = names.get(mem);
  const gone = (n: Named) => n.addr >= from && n.addr + n.len <= to;
  if (l?.some(gone)) names.set(mem, l.filter((n) => !gone(n)));
}

/** Before exit and execve: every shared file mapping written back (and with `drop`, forgotten). */
export function syncAllMappings(p: Proc, drop: boolean): Promise<number> {
  return syncRange(p, 0, TASK_SIZE, drop);
}

/** fork: the child's address space has the same shared file mappings (its fd table has the duplicates). */
export function forkMappings(parent: AddressSpace, child: AddressSpace): void {
  const l = fileMappings.get(parent);
  if (l?.length) {
    fileMappings.set(child, l.map((m) => ({ ...m })));
    for (const m of l) holdPages(m.key, m.off / PAGE_SIZE, m.len / PAGE_SIZE);
  }
  const n = names.get(parent);
  if (n?.length) names.set(child, n.map((m) => ({ ...m })));
  const a = images.get(parent);
  if (a) setImageInfo(child, a);
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
  forgetNames(p.mem, at, at + size);
  if (flags & MAP_ANONYMOUS) {
    if (flags & MAP_SHARED) p.mem.mapShared(at, size, pr);
    else p.mem.map(at, size, pr);
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
    const iov = new Uint8Array(8);
    new DataView(iov.buffer).setUint32(0, at >>> 0, true);
    new DataView(iov.buffer).setUint32(4, size, true);
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
  const n = await p.kb(NR.readlinkat, AT_FDCWD_MM, new TextEncoder().encode(`/proc/self/fd/${fd}\0`), link, link.length);
  if (n > 0) {
    let l = names.get(p.mem);
    if (!l) names.set(p.mem, (l = []));
    l.push({ addr: at, len: size, name: new TextDecoder().decode(link.subarray(0, n)), off });
  }
  if (shared) {
    const dup = await p.k(NR.fcntl64, fd, 1030 /* F_DUPFD_CLOEXEC */, DUP_BASE);
    if (dup >= 0) mappingsOf(p.mem).push({ addr: at, len: size, fd: dup, off, key: file.key });
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
  for (const n of names.get(p.mem) ?? []) {
    const a = Math.max(addr, n.addr), b = Math.min(addr + size, n.addr + n.len);
    if (a >= b || n.name[0] !== '/' || p.mem.isShared(a)) continue;
    const fd = await p.kb(NR.openat, AT_FDCWD_MM, new TextEncoder().encode(`${n.name}\0`), 0o2000000, 0);
    if (fd < 0) continue;
    const prot = p.mem.protOf(a);
    p.mem.protect(a, b - a, prot | PROT_WRITE);
    const iov = new Uint8Array(8);
    const v = new DataView(iov.buffer);
    v.setUint32(0, a, true);
    v.setUint32(4, b - a, true);
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
  const fd = await p.kb(NR.openat, AT_FDCWD_MM, new TextEncoder().encode(`/proc/${pid}/mem\0`), 0o2000000, 0);
  if (fd < 0) return fd === -13 ? -1 /* EPERM */ : -3 /* ESRCH */;
  await p.k(NR.close, fd);
  const other = p.processOf(pid)?.mem;
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
  for (const m of fileMappings.get(p.mem) ?? []) {
    if (m.addr < end && m.addr + m.len > addr) {
      const s = await p.k(NR.fsync, m.fd);
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
  ['mmap2', { level: 'partial', note: 'anonymous and file mappings, private and shared; a file\'s MAP_SHARED pages are one copy for all its mappings in all processes, coherent with read/write/pread64/pwrite64/readv/writev/preadv/pwritev(2), written back at msync/munmap/exit/execve; sendfile, splice, copy_file_range and execve of the file see the last written-back copy; no SIGBUS past the end of the file',
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
    forgetNames(p.mem, addr, addr + len);
    return 0;
  } }],
  ['process_vm_readv', { level: 'full', note: 'between RTOS address spaces; the kernel checks the right (PTRACE_MODE_ATTACH, through /proc/PID/mem)',
    run: (p, a) => processVm(p, false, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['process_vm_writev', { level: 'full', note: 'between RTOS address spaces; the kernel checks the right (PTRACE_MODE_ATTACH, through /proc/PID/mem)',
    run: (p, a) => processVm(p, true, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['msync', { level: 'full', note: 'MAP_SHARED file pages written back through the kernel (fsync with MS_SYNC)', run: (p, a) => msync(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) }],
  ['mprotect', { level: 'full', note: 'enforced by the CPU', run: (p, a) => mprotect(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) }],
  ['pkey_mprotect', { level: 'full', note: 'the i686 has no protection keys: pkey -1 is mprotect, others EINVAL (as Linux there)',
    run: (p, a) => (a[3] === -1 ? mprotect(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) : -EINVAL) }],
  ['mincore', { level: 'full', note: 'a page is resident once touched (anonymous pages never written read as 0, as Linux)', run: (p, a) => mincore(p, a[0]! >>> 0, a[1]! >>> 0, a[2]! >>> 0) }],
  ['mremap', { level: 'full', note: 'shrink, grow in place, or move (MREMAP_MAYMOVE) in the RTOS address space', run: (p, a) => mremap(p, a[0]! >>> 0, a[1]! >>> 0, a[2]! >>> 0, a[3]!, a[4]! >>> 0) }],
  ['madvise', { level: 'full', note: 'MADV_DONTNEED/MADV_REMOVE: private anonymous pages read as zeros again, private file pages as the file (by its name); other advice checked and accepted',
    run: (p, a) => madvise(p, a[0]! >>> 0, a[1]! >>> 0, a[2]!) }],
];
