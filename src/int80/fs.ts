// File system calls whose i386 form differs from the generic ABI: the
// path-based legacy calls become their *at() forms; the stat family (stat64,
// stat, oldstat) is made from statx (statx.ts); directory entries, record
// locks, statfs64 and time values are converted between the kernel's
// layouts and i386's (both declared in layouts.ts).
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import { AT, AT_FDCWD, F, O, SEEK, STATX_MASK } from '../uapi/linux.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import {
  FLOCK64, FLOCK64_I386, LINUX_DIRENT, LINUX_DIRENT64, LOFF_T, OLD_KERNEL_STAT, OLD_LINUX_DIRENT, STAT, STAT64,
  STATFS64, STATFS64_I386, TIMESPEC32, TIMEVAL32, UTIMBUF,
} from './layouts.js';
import { getBytes, getUser, putBytes, putUser } from './struct.js';
import { newEncodeDev, statx, type Statx } from './statx.js';
import { high2lowuid } from './uid16.js';
import { PROC_FILES, procFileText } from './procfs.js';

/** statx of what a stat call names (an fd alone: path 0 with AT_EMPTY_PATH), all the basic fields. */
const basicStatx = (p: Proc, dirfd: number, path: number, flags: number): Promise<Statx | number> =>
  statx(p, dirfd, path, flags, STATX_MASK.BASIC_STATS);

/** old_encode_dev: 8-bit major and minor in 16 bits. */
const oldEncodeDev = (major: number, minor: number) => ((major << 8) | minor) & 0xffff;

/** 32-bit seconds, as the i386 structs hold them. */
const sec32 = (s: bigint) => Number(BigInt.asIntN(32, s));
const times = (x: Statx) => ({
  st_atime: sec32(x.stx_atime_sec), st_atime_nsec: x.stx_atime_nsec, st_mtime: sec32(x.stx_mtime_sec),
  st_mtime_nsec: x.stx_mtime_nsec, st_ctime: sec32(x.stx_ctime_sec), st_ctime_nsec: x.stx_ctime_nsec,
});

/** stat64 and friends: statx in the i386 struct stat64 layout (devices new_encode_dev'd). */
async function stat64(p: Proc, dirfd: number, path: number, flags: number, out: number): Promise<number> {
  const x = await basicStatx(p, dirfd, path, flags);
  if (typeof x === 'number') return x;
  return putUser(p.mem, out, STAT64, {
    st_dev: newEncodeDev(x.stx_dev_major, x.stx_dev_minor), __st_ino: Number(x.stx_ino & 0xffffffffn), st_mode: x.stx_mode,
    st_nlink: x.stx_nlink, st_uid: x.stx_uid, st_gid: x.stx_gid, st_rdev: newEncodeDev(x.stx_rdev_major, x.stx_rdev_minor),
    st_size: x.stx_size, st_blksize: x.stx_blksize, st_blocks: x.stx_blocks, st_ino: x.stx_ino, ...times(x),
  });
}

/**
 * stat/lstat/fstat (106-108): the i386 struct stat of 32-bit fields, with
 * Linux's cp_new_stat rules: EOVERFLOW for a size, inode, link count or
 * device that does not fit, uids and gids above 65535 shown as 65534.
 */
async function oldStat(p: Proc, dirfd: number, path: number, flags: number, out: number): Promise<number> {
  const x = await basicStatx(p, dirfd, path, flags);
  if (typeof x === 'number') return x;
  if (x.stx_ino > 0xffffffffn || x.stx_size > 0x7fffffffn || x.stx_nlink > 0xffff ||
      Math.max(x.stx_dev_major, x.stx_dev_minor, x.stx_rdev_major, x.stx_rdev_minor) > 255) return -E.EOVERFLOW;
  return putUser(p.mem, out, STAT, {
    st_dev: oldEncodeDev(x.stx_dev_major, x.stx_dev_minor), st_ino: Number(x.stx_ino), st_mode: x.stx_mode,
    st_nlink: x.stx_nlink, st_uid: high2lowuid(x.stx_uid), st_gid: high2lowuid(x.stx_gid),
    st_rdev: oldEncodeDev(x.stx_rdev_major, x.stx_rdev_minor), st_size: Number(x.stx_size), st_blksize: x.stx_blksize,
    st_blocks: Number(x.stx_blocks & 0xffffffffn), ...times(x),
  });
}

/**
 * oldstat/oldlstat/oldfstat (18, 84, 28): struct __old_kernel_stat of 16-bit
 * fields, with cp_old_stat's rules (EOVERFLOW for an inode, link count or
 * size that does not fit; ids above 65535 read as 65534).
 */
async function olderStat(p: Proc, dirfd: number, path: number, flags: number, out: number): Promise<number> {
  const x = await basicStatx(p, dirfd, path, flags);
  if (typeof x === 'number') return x;
  if (x.stx_ino > 0xffffn || x.stx_nlink > 0xffff || x.stx_size > 0x7fffffffn) return -E.EOVERFLOW;
  return putUser(p.mem, out, OLD_KERNEL_STAT, {
    st_dev: oldEncodeDev(x.stx_dev_major, x.stx_dev_minor), st_ino: Number(x.stx_ino), st_mode: x.stx_mode,
    st_nlink: x.stx_nlink, st_uid: high2lowuid(x.stx_uid), st_gid: high2lowuid(x.stx_gid),
    st_rdev: oldEncodeDev(x.stx_rdev_major, x.stx_rdev_minor), st_size: Number(x.stx_size),
    st_atime: sec32(x.stx_atime_sec), st_mtime: sec32(x.stx_mtime_sec), st_ctime: sec32(x.stx_ctime_sec),
  });
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
  const tmp = await p.kb(NR.openat, AT_FDCWD, tmpName, O.RDWR | O.CREAT | O.EXCL | O.CLOEXEC, 0o400);
  if (tmp < 0) return fd;
  await p.kb(NR.unlinkat, AT_FDCWD, tmpName, 0);
  if (text.length) await p.kb(NR.write, tmp, text, text.length);
  const ro = await p.kb(NR.openat, AT_FDCWD, enc.encode(`/proc/self/fd/${tmp}\0`), flags & O.CLOEXEC, 0);
  await p.k(NR.close, tmp);
  if (ro < 0) return fd;
  await p.k(NR.dup3, ro, fd, flags & O.CLOEXEC);
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
  if (count <= 0) return -E.EINVAL;
  const k = new Uint8Array(Math.min(count, 65536));
  const n = await p.kb(NR.getdents64, fd, k, k.length);
  if (n <= 0) return n;
  const out = new Uint8Array(count);
  const head = LINUX_DIRENT.size;
  let o = 0, lastOff = -1n, i = 0;
  for (; i < n;) {
    const d = LINUX_DIRENT64.decode(k.subarray(i));
    const nameEnd = k.indexOf(0, i + LINUX_DIRENT64.size);
    const name = k.subarray(i + LINUX_DIRENT64.size, nameEnd);
    const reclen = (head + name.length + 2 + 3) & ~3;
    if (o + reclen > count) break;
    if (d.d_ino > 0xffffffffn || d.d_off > 0x7fffffffn) return o ? o : -E.EOVERFLOW;
    LINUX_DIRENT.encode({ d_ino: Number(d.d_ino), d_off: Number(BigInt.asUintN(32, d.d_off)), d_reclen: reclen }, out.subarray(o));
    out.set(name, o + head);
    out[o + reclen - 1] = d.d_type;
    o += reclen;
    lastOff = d.d_off;
    i += d.d_reclen;
  }
  if (o === 0) return -E.EINVAL; // the buffer cannot hold one entry
  if (i < n) {
    const res = new Uint8Array(LOFF_T.size);
    await p.kb(NR.llseek, fd, 0, Number(lastOff), res, SEEK.SET);
  }
  if (putBytes(p.mem, buf, out.subarray(0, o)) < 0) return -E.EFAULT;
  return o;
}

/**
 * readdir (89): one struct old_linux_dirent {d_ino, d_offset, d_namlen,
 * d_name} per call, 1 or 0 at the end. The entry comes from getdents64; the
 * directory is then positioned after that entry (d_offset is the entry's own
 * position, the one before the call).
 */
async function oldReaddir(p: Proc, fd: number, dirent: number): Promise<number> {
  const pos = new Uint8Array(LOFF_T.size);
  const r0 = await p.kb(NR.llseek, fd, 0, 0, pos, SEEK.CUR);
  const k = new Uint8Array(1024);
  const n = await p.kb(NR.getdents64, fd, k, k.length);
  if (n <= 0) return n;
  const d = LINUX_DIRENT64.decode(k);
  const name = k.subarray(LINUX_DIRENT64.size, k.indexOf(0, LINUX_DIRENT64.size));
  if (d.d_reclen < n) await p.kb(NR.llseek, fd, Number(d.d_off >> 32n), Number(d.d_off & 0xffffffffn), pos.slice(), SEEK.SET);
  if (d.d_ino > 0xffffffffn) return -E.EOVERFLOW;
  const out = new Uint8Array(OLD_LINUX_DIRENT.size + name.length + 1);
  const offset = r0 < 0 ? 0 : Number(LOFF_T.decode(pos).v & 0xffffffffn);
  OLD_LINUX_DIRENT.encode({ d_ino: Number(d.d_ino), d_offset: offset, d_namlen: name.length }, out);
  out.set(name, OLD_LINUX_DIRENT.size);
  if (putBytes(p.mem, dirent, out) < 0) return -E.EFAULT;
  return 1;
}

/**
 * utime/utimes/futimesat: 32-bit times as utimensat's timespecs (do_utimes
 * with Linux's checks: microseconds outside [0, 10^6) are EINVAL; no times
 * means now). `usec` tells timeval pairs from a struct utimbuf.
 */
async function utimes(p: Proc, dirfd: number, path: number, times: number, usec: boolean): Promise<number> {
  if (!times) return p.k(NR.utimensat, dirfd, path, 0, 0);
  const b = getBytes(p.mem, times, usec ? 2 * TIMEVAL32.size : UTIMBUF.size);
  if (typeof b === 'number') return b;
  let tv: Array<{ tv_sec: number; tv_usec: number }>;
  if (usec) tv = [TIMEVAL32.decode(b), TIMEVAL32.decode(b.subarray(TIMEVAL32.size))];
  else {
    const u = UTIMBUF.decode(b);
    tv = [{ tv_sec: u.actime, tv_usec: 0 }, { tv_sec: u.modtime, tv_usec: 0 }];
  }
  const ts = new Uint8Array(2 * TIMESPEC32.size);
  for (let i = 0; i < 2; i++) {
    const { tv_sec, tv_usec } = tv[i]!;
    if (tv_usec < 0 || tv_usec >= 1000000) return -E.EINVAL;
    TIMESPEC32.encode({ tv_sec, tv_nsec: tv_usec * 1000 }, ts.subarray(i * TIMESPEC32.size));
  }
  return p.kb(NR.utimensat, dirfd, path, ts, 0);
}

const LOCK64 = new Set<number>([F.GETLK64, F.SETLK64, F.SETLKW64, F.OFD_GETLK, F.OFD_SETLK, F.OFD_SETLKW]);

/**
 * fcntl64: the record locks that take a struct flock64 are converted between
 * the i386 layout (24 bytes, l_start at 4) and the kernel's (32 bytes,
 * 64-bit fields aligned at 8); everything else passes through.
 */
async function fcntl64(p: Proc, fd: number, cmd: number, arg: number): Promise<number> {
  if (!LOCK64.has(cmd)) return p.k(NR.fcntl64, fd, cmd, arg);
  const u = getUser(p.mem, arg, FLOCK64_I386);
  if (typeof u === 'number') return u;
  const k = FLOCK64.encode(u);
  const r = await p.kb(NR.fcntl64, fd, cmd, k);
  if (r < 0 || (cmd !== F.GETLK64 && cmd !== F.OFD_GETLK)) return r;
  if (putUser(p.mem, arg, FLOCK64_I386, FLOCK64.decode(k)) < 0) return -E.EFAULT;
  return r;
}

/** statfs64/fstatfs64(what, size, buf): same fields, but i386 packs the struct to 84 bytes. */
async function statfs64(p: Proc, nr: number, what: number, size: number, buf: number): Promise<number> {
  if (size !== STATFS64_I386.size) return -E.EINVAL;
  const k = new Uint8Array(STATFS64.size);
  const r = await p.kb(nr, what, STATFS64.size, k);
  if (r < 0) return r;
  return putUser(p.mem, buf, STATFS64_I386, STATFS64.decode(k));
}

const MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_NAME_MAX = 249;

/**
 * memfd_create: the kernel's own needs the full shmem (an MMU), so the file
 * is an unnamed one on the /dev/shm tmpfs (O_TMPFILE): anonymous, growable,
 * mappable and shared like a memfd; /proc/PID/fd shows it under /dev/shm,
 * and there are no seals (F_ADD_SEALS and F_GET_SEALS are EINVAL).
 */
function memfdCreate(p: Proc, name: number, flags: number): number | Promise<number> {
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING)) return -E.EINVAL; // MFD_HUGETLB: no huge pages
  try {
    if (p.mem.readCString(name >>> 0, MFD_NAME_MAX + 1).length > MFD_NAME_MAX) return -E.EINVAL;
  } catch {
    return -E.EFAULT;
  }
  return p.kb(NR.openat, AT_FDCWD, new TextEncoder().encode('/dev/shm\0'),
    O.TMPFILE | O.RDWR | O.LARGEFILE | (flags & MFD_CLOEXEC ? O.CLOEXEC : 0), 0o777);
}

export const FS_CALLS: ReadonlyArray<[string, Impl]> = [
  ['memfd_create', { level: 'partial', note: 'an unnamed file on the /dev/shm tmpfs (the kernel\'s memfd needs an MMU): no seals, /proc/PID/fd names it under /dev/shm',
    run: (p, a) => memfdCreate(p, a[0]!, a[1]!) }],
  at('open', (p, a) => openat(p, AT_FDCWD, a[0]!, a[1]!, a[2]!), 'as openat (the memory parts of a guest\'s /proc/PID files from the RTOS)'),
  ['openat', { level: 'full', note: 'the kernel\'s openat (the memory parts of a guest\'s /proc/PID files from the RTOS)', run: (p, a) => openat(p, a[0]!, a[1]!, a[2]!, a[3]!) }],
  at('creat', (p, a) => p.k(NR.openat, AT_FDCWD, a[0]!, O.WRONLY | O.CREAT | O.TRUNC, a[1]!)),
  at('unlink', (p, a) => p.k(NR.unlinkat, AT_FDCWD, a[0]!, 0)),
  at('rmdir', (p, a) => p.k(NR.unlinkat, AT_FDCWD, a[0]!, AT.REMOVEDIR)),
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
  at('lchown32', (p, a) => p.k(NR.fchownat, AT_FDCWD, a[0]!, a[1]!, a[2]!, AT.SYMLINK_NOFOLLOW)),
  at('fchown32', (p, a) => p.k(NR.fchown, a[0]!, a[1]!, a[2]!)),
  at('pipe', (p, a) => p.k(NR.pipe2, a[0]!, 0)),
  at('dup2', async (p, a) => {
    if (a[0] === a[1]) { // dup3 refuses equal fds; dup2 checks the fd and returns it
      const r = await p.k(NR.fcntl64, a[0]!, F.GETFD);
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
  ['lstat', { level: 'full', note: 'statx, converted to the i386 struct stat (EOVERFLOW where a field does not fit)', run: (p, a) => oldStat(p, AT_FDCWD, a[0]!, AT.SYMLINK_NOFOLLOW, a[1]!) }],
  ['fstat', { level: 'full', note: 'statx, converted to the i386 struct stat (EOVERFLOW where a field does not fit)', run: (p, a) => oldStat(p, a[0]!, 0, AT.EMPTY_PATH, a[1]!) }],
  ['getdents', { level: 'full', note: 'getdents64 converted to struct linux_dirent; what does not fit is given back by a seek', run: (p, a) => getdents(p, a[0]!, a[1]!, a[2]!) }],
  ['oldstat', { level: 'full', note: 'statx, converted to the 16-bit struct __old_kernel_stat (EOVERFLOW where a field does not fit)', run: (p, a) => olderStat(p, AT_FDCWD, a[0]!, 0, a[1]!) }],
  ['oldlstat', { level: 'full', note: 'statx, converted to the 16-bit struct __old_kernel_stat (EOVERFLOW where a field does not fit)', run: (p, a) => olderStat(p, AT_FDCWD, a[0]!, AT.SYMLINK_NOFOLLOW, a[1]!) }],
  ['oldfstat', { level: 'full', note: 'statx, converted to the 16-bit struct __old_kernel_stat (EOVERFLOW where a field does not fit)', run: (p, a) => olderStat(p, a[0]!, 0, AT.EMPTY_PATH, a[1]!) }],
  ['stat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, AT_FDCWD, a[0]!, 0, a[1]!) }],
  ['lstat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, AT_FDCWD, a[0]!, AT.SYMLINK_NOFOLLOW, a[1]!) }],
  ['fstat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, a[0]!, 0, AT.EMPTY_PATH, a[1]!) }],
  ['fstatat64', { level: 'full', note: 'statx, converted to the i386 stat64 layout', run: (p, a) => stat64(p, a[0]!, a[1]!, a[3]!, a[2]!) }],
];
