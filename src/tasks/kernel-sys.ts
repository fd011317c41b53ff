// Sys over the kernel: each method is one system call of the RTOS task's own
// kernel task, its arguments marshalled here (strings NUL-terminated, struct
// layouts of the generic 32-bit ABI lkl.wasm serves, from int80/layouts.ts).

import { FD_PAIR, LINUX_DIRENT64, NEW_UTSNAME, STATX } from '../int80/layouts.js';
import { newEncodeDev, type Statx } from '../int80/statx.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Task } from '../rtos/scheduler.js';
import type { Dirent, Stat, Sys, Utsname } from '../rtos/sys.js';
import { STATX_MASK } from '../uapi/linux.js';
import { PAGE_SIZE } from '../cpu/memory.js';
import { ArgMemory } from './arg-memory.js';
import type { KernelTasks } from './kernel-tasks.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const cstr = (s: string): Uint8Array => enc.encode(`${s}\0`);
const DENTS_BUF = 32768;
const PATH_MAX = 4096;

/** A struct statx as the Stat the RTOS uses. */
function statOf(x: Statx): Stat {
  return {
    blksize: x.stx_blksize, nlink: x.stx_nlink, uid: x.stx_uid, gid: x.stx_gid, mode: x.stx_mode,
    ino: Number(x.stx_ino), size: Number(x.stx_size), blocks: Number(x.stx_blocks),
    atime: Number(x.stx_atime_sec), atimeNsec: x.stx_atime_nsec, ctime: Number(x.stx_ctime_sec), ctimeNsec: x.stx_ctime_nsec,
    mtime: Number(x.stx_mtime_sec), mtimeNsec: x.stx_mtime_nsec,
    rdev: newEncodeDev(x.stx_rdev_major, x.stx_rdev_minor),
    dev: newEncodeDev(x.stx_dev_major, x.stx_dev_minor),
  };
}

/** linux_dirent64 records. */
function decodeDirents(b: Uint8Array, n: number): Dirent[] {
  const out: Dirent[] = [];
  const name = LINUX_DIRENT64.size;
  for (let o = 0; o < n;) {
    const d = LINUX_DIRENT64.decode(b.subarray(o, n));
    const end = o + d.d_reclen;
    const nameEnd = b.indexOf(0, o + name);
    out.push({ ino: Number(d.d_ino), type: d.d_type, name: dec.decode(b.subarray(o + name, nameEnd < 0 || nameEnd > end ? end : nameEnd)) });
    if (d.d_reclen === 0) break;
    o = end;
  }
  return out;
}

export class KernelSys implements Sys {
  private readonly mem = new ArgMemory();

  constructor(readonly tasks: KernelTasks, readonly task: Task) {}

  /** One system call; `build` maps the call's buffers and returns its arguments. */
  private sc(nr: number, build: (m: ArgMemory) => number[] = () => []): Promise<number> {
    const m = this.mem;
    m.reset();
    let r: number | Promise<number>;
    try {
      r = this.tasks.call(this.task, nr, build(m), m);
    } catch (e) {
      m.reset();
      return Promise.reject(e);
    }
    if (typeof r === 'number') {
      m.reset();
      return Promise.resolve(r);
    }
    return r.finally(() => m.reset());
  }

  /** Raw access: any system call with numeric arguments (no pointers). */
  syscall(nr: number, ...args: number[]): Promise<number> {
    return this.sc(nr, () => args);
  }

  /** Any system call; buffer arguments are passed by address (the kernel reads and writes them in place). */
  call(nr: number, ...args: Array<number | Uint8Array>): Promise<number> {
    return this.sc(nr, (m) => args.map((a) => (typeof a === 'number' ? a : m.map(a))));
  }

  openat(dirfd: number, path: string, flags: number, mode = 0): Promise<number> {
    return this.sc(NR.openat, (m) => [dirfd, m.map(cstr(path)), flags, mode]);
  }

  read(fd: number, buf: Uint8Array): Promise<number> {
    return this.sc(NR.read, (m) => [fd, m.map(buf), buf.length]);
  }

  write(fd: number, buf: Uint8Array): Promise<number> {
    return this.sc(NR.write, (m) => [fd, m.map(buf), buf.length]);
  }

  close(fd: number): Promise<number> {
    return this.sc(NR.close, () => [fd]);
  }

  fsync(fd: number): Promise<number> {
    return this.sc(NR.fsync, () => [fd]);
  }

  symlinkat(target: string, dirfd: number, path: string): Promise<number> {
    return this.sc(NR.symlinkat, (m) => [m.map(cstr(target)), dirfd, m.map(cstr(path))]);
  }

  mknodat(dirfd: number, path: string, mode: number, dev = 0): Promise<number> {
    return this.sc(NR.mknodat, (m) => [dirfd, m.map(cstr(path)), mode, dev]);
  }

  /** pipe2(2): [read end, write end] or -errno. */
  async pipe2(flags = 0): Promise<[number, number] | number> {
    const fds = new Uint8Array(FD_PAIR.size);
    const r = await this.sc(NR.pipe2, (m) => [m.map(fds), flags]);
    if (r < 0) return r;
    const { fd0, fd1 } = FD_PAIR.decode(fds);
    return [fd0, fd1];
  }

  mkdirat(dirfd: number, path: string, mode: number): Promise<number> {
    return this.sc(NR.mkdirat, (m) => [dirfd, m.map(cstr(path)), mode]);
  }

  unlinkat(dirfd: number, path: string, flags: number): Promise<number> {
    return this.sc(NR.unlinkat, (m) => [dirfd, m.map(cstr(path)), flags]);
  }

  async getdents64(fd: number): Promise<Dirent[] | number> {
    const buf = new Uint8Array(DENTS_BUF);
    const n = await this.sc(NR.getdents64, (m) => [fd, m.map(buf), buf.length]);
    return n < 0 ? n : decodeDirents(buf, n);
  }

  async fstatat(dirfd: number, path: string, flags: number): Promise<Stat | number> {
    const buf = new Uint8Array(STATX.size);
    const r = await this.sc(NR.statx, (m) => [dirfd, m.map(cstr(path)), flags, STATX_MASK.BASIC_STATS, m.map(buf)]);
    return r < 0 ? r : statOf(STATX.decode(buf));
  }

  async readlinkat(dirfd: number, path: string): Promise<string | number> {
    const buf = new Uint8Array(PATH_MAX);
    const n = await this.sc(NR.readlinkat, (m) => [dirfd, m.map(cstr(path)), m.map(buf), buf.length]);
    return n < 0 ? n : dec.decode(buf.subarray(0, n));
  }

  chdir(path: string): Promise<number> {
    return this.sc(NR.chdir, (m) => [m.map(cstr(path))]);
  }

  async getcwd(): Promise<string | number> {
    const buf = new Uint8Array(PATH_MAX);
    const n = await this.sc(NR.getcwd, (m) => [m.map(buf), buf.length]);
    return n < 0 ? n : dec.decode(buf.subarray(0, Math.max(0, n - 1)));
  }

  mount(source: string, target: string, fstype: string, flags: number, data: string): Promise<number> {
    // Linux reads a whole page of mount options (copy_mount_options), so they are given one:
    // a buffer of the string's length would make every mount a short copy.
    const page = (s: string): Uint8Array => { const b = new Uint8Array(PAGE_SIZE); b.set(cstr(s).subarray(0, PAGE_SIZE - 1)); return b; };
    return this.sc(NR.mount, (m) => [m.map(cstr(source)), m.map(cstr(target)), m.map(cstr(fstype)), flags, data ? m.map(page(data)) : 0]);
  }

  umount2(target: string, flags: number): Promise<number> {
    return this.sc(NR.umount2, (m) => [m.map(cstr(target)), flags]);
  }

  sync(): Promise<number> {
    return this.sc(NR.sync);
  }

  async uname(): Promise<Utsname | number> {
    const buf = new Uint8Array(NEW_UTSNAME.size);
    const r = await this.sc(NR.uname, (m) => [m.map(buf)]);
    if (r < 0) return r;
    const u = NEW_UTSNAME.decode(buf);
    const f = (s: Uint8Array) => {
      const z = s.indexOf(0);
      return dec.decode(z < 0 ? s : s.subarray(0, z));
    };
    return { sysname: f(u.sysname), nodename: f(u.nodename), release: f(u.release), version: f(u.version), machine: f(u.machine), domainname: f(u.domainname) };
  }

  getpid(): Promise<number> {
    return this.sc(NR.getpid);
  }

  gettid(): Promise<number> {
    return this.sc(NR.gettid);
  }

  kill(pid: number, sig: number): Promise<number> {
    return this.sc(NR.kill, () => [pid, sig]);
  }

  syslog(type: number, buf: Uint8Array | null): Promise<number> {
    return this.sc(NR.syslog, (m) => [type, buf ? m.map(buf) : 0, buf ? buf.length : 0]);
  }
}
