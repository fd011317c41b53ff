// File system calls whose i386 form differs from the generic ABI: the
// path-based legacy calls become their *at() forms; stat64 is converted
// from statx into the i386 struct stat64 layout.
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { putBytes } from './struct.js';
import { PROC_FILES, procFileText } from './procfs.js';

const AT_FDCWD = -100;
const AT_REMOVEDIR = 0x200;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const STATX_BASIC_STATS = 0x7ff;
const EFAULT = 14, EINVAL = 22;

/** A struct layout: [field, offset, size in bytes (2, 4 or 8)]. */
type Layout = ReadonlyArray<readonly [string, number, 2 | 4 | 8]>;

/** i386 struct stat64 (arch/x86/include/uapi/asm/stat.h), 96 bytes. */
const STAT64: Layout = [
  ['st_dev', 0, 8], ['__st_ino', 12, 4], ['st_mode', 16, 4], ['st_nlink', 20, 4], ['st_uid', 24, 4],
  ['st_gid', 28, 4], ['st_rdev', 32, 8], ['st_size', 44, 8], ['st_blksize', 52, 4], ['st_blocks', 56, 8],
  ['st_atime', 64, 4], ['st_atime_nsec', 68, 4], ['st_mtime', 72, 4], ['st_mtime_nsec', 76, 4],
  ['st_ctime', 80, 4], ['st_ctime_nsec', 84, 4], ['st_ino', 88, 8],
];
const STAT64_SIZE = 96;

/** i386 struct stat (the same header, for stat/lstat/fstat 106-108), 64 bytes. */
const STAT: Layout = [
  ['st_dev', 0, 4], ['st_ino', 4, 4], ['st_mode', 8, 2], ['st_nlink', 10, 2], ['st_uid', 12, 2],
  ['st_gid', 14, 2], ['st_rdev', 16, 4], ['st_size', 20, 4], ['st_blksize', 24, 4], ['st_blocks', 28, 4],
  ['st_atime', 32, 4], ['st_atime_nsec', 36, 4], ['st_mtime', 40, 4], ['st_mtime_nsec', 44, 4],
  ['st_ctime', 48, 4], ['st_ctime_nsec', 52, 4],
];
const STAT_SIZE = 64;

/** struct __old_kernel_stat (oldstat 18, oldfstat 28, oldlstat 84): 16-bit ids, devices and inode, 32 bytes. */
const OLD_STAT: Layout = [
  ['st_dev', 0, 2], ['st_ino', 2, 2], ['st_mode', 4, 2], ['st_nlink', 6, 2], ['st_uid', 8, 2], ['st_gid', 10, 2],
  ['st_rdev', 12, 2], ['st_size', 16, 4], ['st_atime', 20, 4], ['st_mtime', 24, 4], ['st_ctime', 28, 4],
];
const OLD_STAT_SIZE = 32;

function encode(layout: Layout, size: number, values: Record<string, number | bigint>): Uint8Array {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  for (const [field, off, n] of layout) {
    const x = values[field] ?? 0;
    if (n === 8) v.setBigUint64(off, BigInt.asUintN(64, BigInt(x)), true);
    else if (n === 4) v.setUint32(off, Number(BigInt.asUintN(32, BigInt(x))), true);
    else v.setUint16(off, Number(x) & 0xffff, true);
  }
  return b;
}

/** statx of what the call names, decoded: fields as struct stat calls them (devices as major/minor). */
interface Statx {
  devMajor: number; devMinor: number; rdevMajor: number; rdevMinor: number;
  ino: bigint; size: bigint; blocks: bigint;
  mode: number; nlink: number; uid: number; gid: number; blksize: number;
  atime: number; atimeNsec: number; mtime: number; mtimeNsec: number; ctime: number; ctimeNsec: number;
}

/** statx into the process's scratch page (an fd alone: path 0 with AT_EMPTY_PATH). */
async function statx(p: Proc, dirfd: number, path: number, flags: number): Promise<Statx | number> {
  const sx0 = p.scratch;
  if (path === 0 && flags & AT_EMPTY_PATH) {
    p.mem.poke(sx0 + 256, new Uint8Array(1));
    path = sx0 + 256;
  }
  const r = await p.k(NR.statx, dirfd, path, flags, STATX_BASIC_STATS, sx0);
  if (r < 0) return r;
  const v = new DataView(p.mem.readBytes(sx0, 256).buffer);
  const sec = (o: number) => Number(BigInt.asIntN(32, v.getBigInt64(o, true)));
  return {
    blksize: v.getUint32(4, true), nlink: v.getUint32(16, true), uid: v.getUint32(20, true), gid: v.getUint32(24, true),
    mode: v.getUint16(28, true), ino: v.getBigUint64(32, true), size: v.getBigUint64(40, true), blocks: v.getBigUint64(48, true),
    atime: sec(64), atimeNsec: v.getUint32(72, true), ctime: sec(96), ctimeNsec: v.getUint32(104, true),
    mtime: sec(112), mtimeNsec: v.getUint32(120, true),
    rdevMajor: v.getUint32(128, true), rdevMinor: v.getUint32(132, true),
    devMajor: v.getUint32(136, true), devMinor: v.getUint32(140, true),
  };
}

/** high2lowuid: ids above 65535 read as the overflow id in the 16-bit layouts */
const low = (id: number) => (id > 0xffff ? 65534 : id);

const times = (x: Statx) => ({
  st_atime: x.atime, st_atime_nsec: x.atimeNsec, st_mtime: x.mtime, st_mtime_nsec: x.mtimeNsec,
  st_ctime: x.ctime, st_ctime_nsec: x.ctimeNsec,
});

/** stat64 and friends: statx in the i386 struct stat64 layout (devices new_encode_dev'd). */
async function stat64(p: Proc, dirfd: number, path: number, flags: number, out: number): Promise<number> {
  const x = await statx(p, dirfd, path, flags);
  if (typeof x === 'number') return x;
  const dev = (maj: number, min: number) => ((maj << 8) | (min & 0xff) | ((min & ~0xff) << 12)) >>> 0;
  return putBytes(p.mem, out, encode(STAT64, STAT64_SIZE, {
    st_dev: dev(x.devMajor, x.devMinor), __st_ino: x.ino, st_mode: x.mode, st_nlink: x.nlink, st_uid: x.uid,
    st_gid: x.gid, st_rdev: dev(x.rdevMajor, x.rdevMinor), st_size: x.size, st_blksize: x.blksize,
    st_blocks: x.blocks, st_ino: x.ino, ...times(x),
  }));
}

/**
 * stat/lstat/fstat (106-108): the i386 struct stat of 32-bit fields, with
 * Linux's cp_new_stat rules: EOVERFLOW for a size, inode, link count or
 * device that does not fit, uids and gids above 65535 shown as 65534.
 */
async function oldStat(p: Proc, dirfd: number, path: number, flags: number, out: number): Promise<number> {
  const x = await statx(p, dirfd, path, flags);
  if (typeof x === 'number') return x;
  if (x.ino > 0xffffffffn || x.size > 0x7fffffffn || x.nlink > 0xffff ||
      Math.max(x.devMajor, x.devMinor, x.rdevMajor, x.rdevMinor) > 255) return -75; // EOVERFLOW
  return putBytes(p.mem, out, encode(STAT, STAT_SIZE, {
    st_dev: (x.devMajor << 8) | x.devMinor, st_ino: x.ino, st_mode: x.mode, st_nlink: x.nlink,
    st_uid: low(x.uid), st_gid: low(x.gid), st_rdev: (x.rdevMajor << 8) | x.rdevMinor, st_size: x.size,
    st_blksize: x.blksize, st_blocks: x.blocks, ...times(x),
  }));
}

/**
 * oldstat/oldlstat/oldfstat (18, 84, 28): struct __old_kernel_stat of 16-bit
 * fields, with cp_old_stat's rules (EOVERFLOW for an inode, link count or
 * size that does not fit; ids above 65535 read as 65534).
 */
async function olderStat(p: Proc, dirfd: number, path: number, flags: number, out: number): Promise<number> {
  const x = await statx(p, dirfd, path, flags);
  if (typeof x === 'number') return x;
  if (x.ino > 0xffffn || x.nlink > 0xffff || x.size > 0x7fffffffn) return -75; // EOVERFLOW
  const dev = (maj: number, min: number) => ((maj << 8) | min) & 0xffff; // old_encode_dev
  return putBytes(p.mem, out, encode(OLD_STAT, OLD_STAT_SIZE, {
    st_dev: dev(x.devMajor, x.devMinor), st_ino: x.ino, st_mode: x.mode, st_nlink: x.nlink, st_uid: low(x.uid),
    st_gid: low(x.gid), st_rdev: dev(x.rdevMajor, x.rdevMinor), st_size: x.size, ...times(x),
  }));
}

/**
 * open/openat: the kernel opens the file. When that is the /proc/PID/maps
 * of a guest process (however it was named: self, thread-self, a pid, a
 * dirfd), the descriptor is swapped for one that reads the RTOS's view of
 * that address space: the kernel has no mappings of guest memory to show.
 */
async function openat(p: Proc, dirfd: number, path: number, flags: number, mode: number): Promise<number> {
  const fd = await p.k(NR.openat, dirfd, path, flags, mode);
  if (fd < 0) return fd;
  let name: Uint8Array;
  try {
    name = p.mem.readCString(path >>> 0, 4096);
  } catch {
    return fd;
  }
  // cheap test on the name's last bytes before asking the kernel what was opened
  if (!PROC_TAILS.some((t) => endsWith(name, t))) return fd;
  return ownProcFile(p, fd, flags);
}

const O_RDWR = 2, O_CREAT = 0o100, O_EXCL = 0o200, O_CLOEXEC = 0o2000000;
/** Endings of the names of the /proc files ownProcFile serves. */
const PROC_TAILS = ['maps', 'cmdline', 'environ', 'auxv', 'stat', 'statm', 'status'].map((t) => new TextEncoder().encode(t));
const endsWith = (b: Uint8Array, t: Uint8Array): boolean =>
  b.length >= t.length && t.every((c, i) => b[b.length - t.length + i] === c);

/**
 * /proc/PID/maps, cmdline, environ, auxv, stat, statm and status of a guest
 * process: the kernel has no mm of guest memory to show or read, so those
 * parts come from the RTOS (the kernel's open has already decided that the
 * caller may read the file).
 */
async function ownProcFile(p: Proc, fd: number, flags: number): Promise<number> {
  const enc = new TextEncoder();
  const link = new Uint8Array(256);
  const n = await p.kb(NR.readlinkat, AT_FDCWD, enc.encode(`/proc/self/fd/${fd}\0`), link, link.length);
  const m = n > 0 ? PROC_FILES.exec(new TextDecoder().decode(link.subarray(0, n))) : null;
  const target = !m ? undefined : Number(m[1]) === (await p.k(NR.getpid)) ? p : p.processOf(Number(m[1]));
  if (!m || !target) return fd;
  const kind = m[2] as Parameters<typeof procFileText>[1];
  // what the kernel shows (all of it is small), then the RTOS's version of it
  let kernel = new Uint8Array(0);
  if (kind === 'stat' || kind === 'status') {
    for (;;) {
      const b = new Uint8Array(4096);
      const r = await p.kb(NR.read, fd, b, b.length);
      if (r <= 0) break;
      const k = new Uint8Array(kernel.length + r);
      k.set(kernel);
      k.set(b.subarray(0, r), kernel.length);
      kernel = k;
    }
  }
  const text = procFileText(target, kind, kernel);
  // an unlinked file in /tmp with the text, opened read-only in the descriptor's place
  const tmpName = enc.encode(`/tmp/.${kind}-${m[1]}-${fd}\0`);
  const tmp = await p.kb(NR.openat, AT_FDCWD, tmpName, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o400);
  if (tmp < 0) return fd;
  await p.kb(NR.unlinkat, AT_FDCWD, tmpName, 0);
  if (text.length) await p.kb(NR.write, tmp, text, text.length);
  const ro = await p.kb(NR.openat, AT_FDCWD, enc.encode(`/proc/self/fd/${tmp}\0`), flags & O_CLOEXEC, 0);
  await p.k(NR.close, tmp);
  if (ro < 0) return fd;
  await p.k(NR.dup3, ro, fd, flags & O_CLOEXEC);
  await p.k(NR.close, ro);
  return fd;
}

const at = (name: string, f: (p: Proc, a: Int32Array) => number | Promise<number>, note = 'as the *at() call'): [string, Impl] =>
  [name, { level: 'full', note, run: f }];

/**
 * getdents (141): old struct linux_dirent {d_ino, d_off (32-bit), d_reclen,
 * d_name, NUL, d_type} from getdents64. Entries that do not fit the guest's
 * buffer are given back by seeking the directory to the last one returned.
 */
async function getdents(p: Proc, fd: number, buf: number, count: number): Promise<number> {
  if (count <= 0) return -22;
  const k = new Uint8Array(Math.min(count, 65536));
  const n = await p.kb(NR.getdents64, fd, k, k.length);
  if (n <= 0) return n;
  const kv = new DataView(k.buffer);
  const out = new Uint8Array(count);
  const ov = new DataView(out.buffer);
  let o = 0, lastOff = -1n, i = 0;
  for (; i < n;) {
    const reclen64 = kv.getUint16(i + 16, true);
    const ino = kv.getBigUint64(i, true), off = kv.getBigInt64(i + 8, true);
    const type = kv.getUint8(i + 18);
    const nameEnd = k.indexOf(0, i + 19);
    const name = k.subarray(i + 19, nameEnd);
    const reclen = (10 + name.length + 2 + 3) & ~3;
    if (o + reclen > count) break;
    if (ino > 0xffffffffn || off > 0x7fffffffn) return o ? o : -75;
    ov.setUint32(o, Number(ino), true);
    ov.setUint32(o + 4, Number(off), true);
    ov.setUint16(o + 8, reclen, true);
    out.set(name, o + 10);
    out[o + reclen - 1] = type;
    o += reclen;
    lastOff = off;
    i += reclen64;
  }
  if (o === 0) return -22; // the buffer cannot hold one entry
  if (i < n) {
    const res = new Uint8Array(8);
    await p.kb(NR.llseek, fd, 0, Number(lastOff), res, 0);
  }
  if (putBytes(p.mem, buf >>> 0, out.subarray(0, o)) < 0) return -EFAULT;
  return o;
}

/**
 * readdir (89): one struct old_linux_dirent {d_ino, d_offset, d_namlen,
 * d_name} per call, 1 or 0 at the end. The entry comes from getdents64; the
 * directory is then positioned after that entry (d_offset is the entry's own
 * position, the one before the call).
 */
async function oldReaddir(p: Proc, fd: number, dirent: number): Promise<number> {
  const pos = new Uint8Array(8);
  const r0 = await p.kb(NR.llseek, fd, 0, 0, pos, 1 /* SEEK_CUR */);
  const k = new Uint8Array(1024);
  const n = await p.kb(NR.getdents64, fd, k, k.length);
  if (n <= 0) return n;
  const kv = new DataView(k.buffer);
  const ino = kv.getBigUint64(0, true), next = kv.getBigInt64(8, true);
  const name = k.subarray(19, k.indexOf(0, 19));
  if (kv.getUint16(16, true) < n) await p.kb(NR.llseek, fd, Number(next >> 32n), Number(next & 0xffffffffn), pos.slice(), 0);
  if (ino > 0xffffffffn) return -75; // EOVERFLOW
  const out = new Uint8Array(10 + name.length + 1);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, Number(ino), true);
  ov.setUint32(4, r0 < 0 ? 0 : new DataView(pos.buffer).getUint32(0, true), true);
  ov.setUint16(8, name.length, true);
  out.set(name, 10);
  if (putBytes(p.mem, dirent >>> 0, out) < 0) return -EFAULT;
  return 1;
}

/**
 * utime/utimes/futimesat: 32-bit times as utimensat's timespecs (do_utimes
 * with Linux's checks: microseconds outside [0, 10^6) are EINVAL; no times
 * means now). `usec` tells timeval pairs from a struct utimbuf.
 */
async function utimes(p: Proc, dirfd: number, path: number, times: number, usec: boolean): Promise<number> {
  if (!times) return p.k(NR.utimensat, dirfd, path, 0, 0);
  let t: DataView;
  try {
    t = new DataView(p.mem.readBytes(times >>> 0, usec ? 16 : 8).buffer);
  } catch {
    return -EFAULT;
  }
  const ts = new Uint8Array(16);
  const v = new DataView(ts.buffer);
  for (let i = 0; i < 2; i++) {
    const sec = t.getInt32(usec ? 8 * i : 4 * i, true);
    const us = usec ? t.getInt32(8 * i + 4, true) : 0;
    if (us < 0 || us >= 1000000) return -22;
    v.setInt32(8 * i, sec, true);
    v.setInt32(8 * i + 4, us * 1000, true);
  }
  return p.kb(NR.utimensat, dirfd, path, ts, 0);
}

const F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
const LOCK64 = new Set([F_GETLK64, F_SETLK64, F_SETLKW64, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW]);

/**
 * fcntl64: the record locks that take a struct flock64 are converted between
 * the packed i386 layout (24 bytes, l_start at 4) and the kernel's (32 bytes,
 * 64-bit fields aligned at 8); everything else passes through.
 */
async function fcntl64(p: Proc, fd: number, cmd: number, arg: number): Promise<number> {
  if (!LOCK64.has(cmd)) return p.k(NR.fcntl64, fd, cmd, arg);
  let u: DataView;
  try {
    u = new DataView(p.mem.readBytes(arg >>> 0, 24).buffer);
  } catch {
    return -EFAULT;
  }
  const k = new Uint8Array(32);
  const kv = new DataView(k.buffer);
  kv.setInt16(0, u.getInt16(0, true), true);
  kv.setInt16(2, u.getInt16(2, true), true);
  kv.setBigInt64(8, u.getBigInt64(4, true), true);
  kv.setBigInt64(16, u.getBigInt64(12, true), true);
  kv.setInt32(24, u.getInt32(20, true), true);
  const r = await p.kb(NR.fcntl64, fd, cmd, k);
  if (r < 0 || (cmd !== F_GETLK64 && cmd !== F_OFD_GETLK)) return r;
  u.setInt16(0, kv.getInt16(0, true), true);
  u.setInt16(2, kv.getInt16(2, true), true);
  u.setBigInt64(4, kv.getBigInt64(8, true), true);
  u.setBigInt64(12, kv.getBigInt64(16, true), true);
  u.setInt32(20, kv.getInt32(24, true), true);
  if (putBytes(p.mem, arg >>> 0, new Uint8Array(u.buffer)) < 0) return -EFAULT;
  return r;
}

/** statfs64/fstatfs64(what, size, buf): same fields, but i386 packs the struct to 84 bytes. */
async function statfs64(p: Proc, nr: number, what: number, size: number, buf: number): Promise<number> {
  if (size !== 84) return -22;
  const k = new Uint8Array(88);
  const r = await p.kb(nr, what, 88, k);
  if (r < 0) return r;
  try {
    p.mem.writeBytes(buf >>> 0, k.subarray(0, 84));
  } catch {
    return -14;
  }
  return 0;
}

const MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_NAME_MAX = 249;

/**
 * memfd_create: the kernel's own needs the full shmem (an MMU), so the file
 * is an unnamed one on the /dev/shm tmpfs (O_TMPFILE): anonymous, growable,
 * mappable and shared like a memfd; /proc/PID/fd shows it under /dev/shm,
 * and there are no seals (F_ADD_SEALS and F_GET_SEALS are EINVAL).
 */
function memfdCreate(p: Proc, name: number, flags: number): number | Promise<number> {
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING)) return -EINVAL; // MFD_HUGETLB: no huge pages
  try {
    if (p.mem.readCString(name >>> 0, MFD_NAME_MAX + 1).length > MFD_NAME_MAX) return -EINVAL;
  } catch {
    return -EFAULT;
  }
  const O_RDWR = 0o2, O_LARGEFILE = 0o100000, O_CLOEXEC = 0o2000000, O_TMPFILE = 0o20200000;
  return p.kb(NR.openat, AT_FDCWD, new TextEncoder().encode('/dev/shm\0'),
    O_TMPFILE | O_RDWR | O_LARGEFILE | (flags & MFD_CLOEXEC ? O_CLOEXEC : 0), 0o777);
}

export const FS_CALLS: ReadonlyArray<[string, Impl]> = [
  ['memfd_create', { level: 'partial', note: 'an unnamed file on the /dev/shm tmpfs (the kernel\'s memfd needs an MMU): no seals, /proc/PID/fd names it under /dev/shm',
    run: (p, a) => memfdCreate(p, a[0]!, a[1]!) }],
  at('open', (p, a) => openat(p, AT_FDCWD, a[0]!, a[1]!, a[2]!), 'as openat (the memory parts of a guest\'s /proc/PID files from the RTOS)'),
  ['openat', { level: 'full', note: 'the kernel\'s openat (the memory parts of a guest\'s /proc/PID files from the RTOS)', run: (p, a) => openat(p, a[0]!, a[1]!, a[2]!, a[3]!) }],
  at('creat', (p, a) => p.k(NR.openat, AT_FDCWD, a[0]!, 0o1 | 0o100 | 0o1000, a[1]!)),
  at('unlink', (p, a) => p.k(NR.unlinkat, AT_FDCWD, a[0]!, 0)),
  at('rmdir', (p, a) => p.k(NR.unlinkat, AT_FDCWD, a[0]!, AT_REMOVEDIR)),
  at('mkdir', (p, a) => p.k(NR.mkdirat, AT_FDCWD, a[0]!, a[1]!)),
  at('mknod', (p, a) => p.k(NR.mknodat, AT_FDCWD, a[0]!, a[1]!, a[2]!)),
  at('access', (p, a) => p.k(NR.faccessat, AT_FDCWD, a[0]!, a[1]!)),
  at('readlink', (p, a) => p.k(NR.readlinkat, AT_FDCWD, a[0]!, a[1]!, a[2]!)),
  at('rename', (p, a) => p.k(NR.renameat2, AT_FDCWD, a[0]!, AT_FDCWD, a[1]!, 0)),
  at('renameat', (p, a) => p.k(NR.renameat2, a[0]!, a[1]!, a[2]!, a[3]!, 0)),
  at('link', (p, a) => p.k(NR.linkat, AT_FDCWD, a[0]!, AT_FDCWD, a[1]!, 0)),
  at('symlink', (p, a) => p.k(NR.symlinkat, a[0]!, AT_FDCWD, a[1]!)),
  at('chmod', (p, a) => p.k(NR.fchmodat, AT_FDCWD, a[0]!, a[1]!)),
  at('chown32', (p, a) => p.k(NR.fchownat, AT_FDCWD, a[0]!, a[1]!, a[2]!, 0)),
  at('lchown32', (p, a) => p.k(NR.fchownat, AT_FDCWD, a[0]!, a[1]!, a[2]!, AT_SYMLINK_NOFOLLOW)),
  at('fchown32', (p, a) => p.k(NR.fchown, a[0]!, a[1]!, a[2]!)),
  at('pipe', (p, a) => p.k(NR.pipe2, a[0]!, 0)),
  at('dup2', async (p, a) => {
    if (a[0] === a[1]) { // dup3 refuses equal fds; dup2 checks the fd and returns it
      const r = await p.k(NR.fcntl64, a[0]!, 1 /* F_GETFD */);
      return r < 0 ? r : a[1]!;
    }
    return p.k(NR.dup3, a[0]!, a[1]!, 0);
  }, 'as dup3, or an fd check when both are equal'),
  // fadvise64 takes a 32-bit length; fadvise64_64 (passed through) a 64-bit one.
  ['fadvise64', { level: 'full', note: 'as fadvise64_64 with the 32-bit length', run: (p, a) => p.k(NR.fadvise64_64, a[0]!, a[1]!, a[2]!, a[3]!, 0, a[4]!) }],
  ['statfs64', { level: 'full', note: 'the packed 84-byte i386 struct statfs64 from the kernel\'s 88-byte one', run: (p, a) => statfs64(p, NR.statfs64, a[0]!, a[1]!, a[2]!) }],
  ['fstatfs64', { level: 'full', note: 'the packed 84-byte i386 struct statfs64 from the kernel\'s 88-byte one', run: (p, a) => statfs64(p, NR.fstatfs64, a[0]!, a[1]!, a[2]!) }],
  ['fcntl64', { level: 'full', note: 'passed through; the flock64 locks (F_*LK64, F_OFD_*) with the packed i386 struct converted',
    run: (p, a) => fcntl64(p, a[0]!, a[1]!, a[2]!) }],
  ['readdir', { level: 'full', note: 'one old_linux_dirent from getdents64, the directory positioned after it', run: (p, a) => oldReaddir(p, a[0]!, a[1]!) }],
  ['utime', { level: 'full', note: 'utimensat with the 32-bit struct utimbuf', run: (p, a) => utimes(p, AT_FDCWD, a[0]!, a[1]!, false) }],
  ['utimes', { level: 'full', note: 'utimensat with 32-bit timevals (EINVAL for bad microseconds)', run: (p, a) => utimes(p, AT_FDCWD, a[0]!, a[1]!, true) }],
  ['futimesat', { level: 'full', note: 'utimensat with 32-bit timevals (EINVAL for bad microseconds)', run: (p, a) => utimes(p, a[0]!, a[1]!, a[2]!, true) }],
  ['stat', { level: 'full', note: 'statx, converted to the i386 struct stat (EOVERFLOW where a field does not fit)', run: (p, a) => oldStat(p, AT_FDCWD, a[0]!, 0, a[1]!) }],
  ['lstat', { level: 'full', note: 'statx, converted to the i386 struct stat (EOVERFLOW where a field does not fit)', run: (p, a) => oldStat(p, AT_FDCWD, a[0]!, AT_SYMLINK_NOFOLLOW, a[1]!) }],
  ['fstat', { level: 'full', note: 'statx, converted to the i386 struct stat (EOVERFLOW where a field does not fit)', run: (p, a) => oldStat(p, a[0]!, 0, AT_EMPTY_PATH, a[1]!) }],
  ['getdents', { level: 'full', note: 'getdents64 converted to struct linux_dirent; what does not fit is given back by a seek', run: (p, a) => getdents(p, a[0]!, a[1]!, a[2]!) }],
  ['oldstat', { level: 'full', note: 'statx, converted to the 16-bit struct __old_kernel_stat (EOVERFLOW where a field does not fit)', run: (p, a) => olderStat(p, AT_FDCWD, a[0]!, 0, a[1]!) }],
  ['oldlstat', { level: 'full', note: 'statx, converted to the 16-bit struct __old_kernel_stat (EOVERFLOW where a field does not fit)', run: (p, a) => olderStat(p, AT_FDCWD, a[0]!, AT_SYMLINK_NOFOLLOW, a[1]!) }],
  ['oldfstat', { level: 'full', note: 'statx, converted to the 16-bit struct __old_kernel_stat (EOVERFLOW where a field does not fit)', run: (p, a) => olderStat(p, a[0]!, 0, AT_EMPTY_PATH, a[1]!) }],
  ['stat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, AT_FDCWD, a[0]!, 0, a[1]!) }],
  ['lstat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, AT_FDCWD, a[0]!, AT_SYMLINK_NOFOLLOW, a[1]!) }],
  ['fstat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, a[0]!, 0, AT_EMPTY_PATH, a[1]!) }],
  ['fstatat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, a[0]!, a[1]!, a[3]!, a[2]!) }],
];
