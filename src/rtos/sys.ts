// The system-call interface the shell uses. src/tasks/kernel-sys.ts implements
// it on top of the kernel (one Sys per RTOS task, bound to that task's kernel
// task); tests implement it over an in-memory file table.
//
// Conventions, as the Linux system calls they mirror:
//  - every call returns a number >= 0 on success or -errno (Linux numbers, see
//    src/uapi/errno.ts) on failure; calls that return decoded data return the data or
//    -errno;
//  - paths and names are JS strings (UTF-8 on the kernel side), buffers are
//    Uint8Array, file offsets and sizes are JS numbers;
//  - a call may answer synchronously or with a promise; callers always await.
//
// readFile() is the one whole-file read through the kernel (mount, load_app
// and execve read files with it).

import { strerror } from '../uapi/errno.js';
import { AT_FDCWD, O } from '../uapi/linux.js';

export type Awaitable<T> = T | Promise<T>;

/** One decoded linux_dirent64. */
export interface Dirent {
  ino: number;
  /** DT.* */
  type: number;
  name: string;
}

/** Decoded struct stat (stat64 / statx fields the shell shows). */
export interface Stat {
  dev: number;
  ino: number;
  /** File type and permission bits (S.* and 0o7777). */
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  /** 512-byte blocks. */
  blocks: number;
  /** Seconds since the epoch (fractions in the *Nsec fields). */
  atime: number;
  atimeNsec: number;
  mtime: number;
  mtimeNsec: number;
  ctime: number;
  ctimeNsec: number;
}

/** Decoded struct new_utsname. */
export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

export interface Sys {
  /** openat(2): open `path` relative to `dirfd` (AT_FDCWD for the cwd) with O.* flags; returns the fd. */
  openat(dirfd: number, path: string, flags: number, mode?: number): Awaitable<number>;
  /** read(2) up to buf.length bytes into buf; returns the count, 0 at end of file. */
  read(fd: number, buf: Uint8Array): Awaitable<number>;
  /** write(2) buf; returns the count written (may be short). */
  write(fd: number, buf: Uint8Array): Awaitable<number>;
  /** close(2). */
  close(fd: number): Awaitable<number>;
  /** mkdirat(2). */
  mkdirat(dirfd: number, path: string, mode: number): Awaitable<number>;
  /** unlinkat(2); with AT.REMOVEDIR it removes an empty directory (rmdir). */
  unlinkat(dirfd: number, path: string, flags: number): Awaitable<number>;
  /**
   * getdents64(2) on a directory fd, decoded. Returns the next batch of
   * entries (including "." and ".."), an empty array at the end, or -errno.
   */
  getdents64(fd: number): Awaitable<Dirent[] | number>;
  /** fstatat(2) / newfstatat, decoded; flags AT.SYMLINK_NOFOLLOW, AT.EMPTY_PATH. */
  fstatat(dirfd: number, path: string, flags: number): Awaitable<Stat | number>;
  /** readlinkat(2); returns the link target. */
  readlinkat(dirfd: number, path: string): Awaitable<string | number>;
  /** chdir(2). */
  chdir(path: string): Awaitable<number>;
  /** getcwd(2); returns the path. */
  getcwd(): Awaitable<string | number>;
  /** mount(2): `data` is the comma-separated option string the filesystem parses ("" for none). */
  mount(source: string, target: string, fstype: string, flags: number, data: string): Awaitable<number>;
  /** umount2(2) with MNT.* flags. */
  umount2(target: string, flags: number): Awaitable<number>;
  /** sync(2). */
  sync(): Awaitable<number>;
  /** uname(2), decoded. */
  uname(): Awaitable<Utsname | number>;
  /** getpid(2) of the caller's kernel task (its thread-group id). */
  getpid(): Awaitable<number>;
  /** gettid(2) of the caller's kernel task. */
  gettid(): Awaitable<number>;
  /** kill(2). */
  kill(pid: number, sig: number): Awaitable<number>;
  /**
   * syslog(2) (klogctl(3)): `type` is a SYSLOG_ACTION; READ* actions fill
   * `buf` and return the byte count, SIZE_BUFFER returns the log buffer size.
   */
  syslog(type: number, buf: Uint8Array | null): Awaitable<number>;
}

/** An error from a system call: `errno` is the (positive) Linux error number. */
export class ErrnoError extends Error {
  constructor(readonly errno: number, message: string) {
    super(message);
    this.name = 'ErrnoError';
  }
}

/** The calls readFile needs: any Sys, or a process's own kernel task. */
export type FileReader = Pick<Sys, 'openat' | 'read' | 'close'>;

/** The first read's size: one large read for most files; the buffer doubles for bigger ones. */
const READ_CHUNK = 1 << 20;

/**
 * The whole file at `path` (relative to the cwd), or its first `max` bytes:
 * opened O_RDONLY | O_CLOEXEC | O_LARGEFILE (as the kernel's exec opens a
 * file: the fd is never inherited, and any size opens), read until end of
 * file or `max` bytes, closed. Throws an ErrnoError carrying the open's or
 * the read's errno ("PATH: MESSAGE").
 */
export async function readFile(sys: FileReader, path: string, max = Infinity): Promise<Uint8Array> {
  const fd = await sys.openat(AT_FDCWD, path, O.RDONLY | O.CLOEXEC | O.LARGEFILE, 0);
  if (fd < 0) throw new ErrnoError(-fd, `${path}: ${strerror(-fd)}`);
  // one buffer, doubled when a read fills it (a 2 MB program took three zeroed 1 MiB buffers, the
  // last for the end of file, and a copy of all of them)
  let buf = new Uint8Array(Math.min(READ_CHUNK, max));
  let total = 0;
  try {
    while (total < max) {
      if (total === buf.length) {
        const bigger = new Uint8Array(Math.min(buf.length * 2, max));
        bigger.set(buf);
        buf = bigger;
      }
      const n = await sys.read(fd, buf.subarray(total));
      if (n < 0) throw new ErrnoError(-n, `${path}: ${strerror(-n)}`);
      if (n === 0) break;
      total += n;
    }
  } finally {
    await sys.close(fd);
  }
  // (a copy where most of the buffer would be held for nothing)
  return total === buf.length ? buf : total < buf.length / 2 ? buf.slice(0, total) : buf.subarray(0, total);
}
