// A small in-memory Sys for shell tests: a directory tree of files and
// symlinks, an fd table, a cwd, and recorded mount/umount/kill calls.
// Errors follow Linux (the errno the real call gives for the same case).

import { E } from '../../src/uapi/errno.js';
import type { Dirent, Stat, Sys, Utsname } from '../../src/rtos/sys.js';
import { AT, AT_FDCWD, DT, O, S, SYSLOG_ACTION } from '../../src/uapi/linux.js';

type Node =
  | { kind: 'dir'; ino: number; mode: number; entries: Map<string, Node>; mtime: number }
  | { kind: 'file'; ino: number; mode: number; data: Uint8Array; mtime: number }
  | { kind: 'link'; ino: number; mode: number; target: string; mtime: number };

interface OpenFile {
  node: Node;
  flags: number;
  pos: number;
  dirDone: boolean;
}

const encoder = new TextEncoder();

export class MemSys implements Sys {
  root: Node & { kind: 'dir' };
  private cwd = '/';
  private nextIno = 2;
  private readonly fds = new Map<number, OpenFile>();
  readonly mounts: Array<{ source: string; target: string; fstype: string; flags: number; data: string }> = [];
  readonly umounts: Array<{ target: string; flags: number }> = [];
  readonly kills: Array<{ pid: number; sig: number }> = [];
  syncs = 0;
  kernelLog = '<6>Linux version 6.1.0\n<4>warning line\n';
  /** Fail every write with this errno (to test write errors); 0 = off. */
  failWrites = 0;

  constructor() {
    this.root = { kind: 'dir', ino: 1, mode: S.IFDIR | 0o755, entries: new Map(), mtime: 0 };
  }

  /** Create a file (and its parent directories) directly. */
  addFile(path: string, content: string): void {
    const parts = path.split('/').filter(Boolean);
    let dir = this.root;
    for (const p of parts.slice(0, -1)) {
      let next = dir.entries.get(p);
      if (!next) {
        next = { kind: 'dir', ino: this.nextIno++, mode: S.IFDIR | 0o755, entries: new Map(), mtime: 0 };
        dir.entries.set(p, next);
      }
      if (next.kind !== 'dir') throw new Error(`${p} is not a directory`);
      dir = next;
    }
    dir.entries.set(parts[parts.length - 1]!, { kind: 'file', ino: this.nextIno++, mode: S.IFREG | 0o644, data: encoder.encode(content), mtime: 0 });
  }

  addSymlink(path: string, target: string): void {
    const r = this.lookupParent(path);
    if (typeof r === 'number') throw new Error('bad path');
    r.dir.entries.set(r.name, { kind: 'link', ino: this.nextIno++, mode: S.IFLNK | 0o777, target, mtime: 0 });
  }

  fileText(path: string): string | undefined {
    const n = this.lookup(path, true);
    return typeof n !== 'number' && n.kind === 'file' ? new TextDecoder().decode(n.data) : undefined;
  }

  openFds(): number {
    return this.fds.size;
  }

  private abs(path: string): string {
    return path.startsWith('/') ? path : `${this.cwd === '/' ? '' : this.cwd}/${path}`;
  }

  private lookup(path: string, follow: boolean, depth = 0): Node | number {
    if (path === '') return -E.ENOENT;
    if (depth > 8) return -E.ELOOP;
    const parts = this.abs(path).split('/').filter((p) => p !== '' && p !== '.');
    const stack: Node[] = [this.root];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      const cur = stack[stack.length - 1]!;
      if (cur.kind !== 'dir') return -E.ENOTDIR;
      if (p === '..') { if (stack.length > 1) stack.pop(); continue; }
      const next = cur.entries.get(p);
      if (!next) return -E.ENOENT;
      if (next.kind === 'link' && (follow || i < parts.length - 1)) {
        const t = this.lookup(next.target, true, depth + 1);
        if (typeof t === 'number') return t;
        stack.push(t);
      } else {
        stack.push(next);
      }
    }
    const last = stack[stack.length - 1]!;
    if (path.endsWith('/') && last.kind !== 'dir') return -E.ENOTDIR;
    return last;
  }

  private lookupParent(path: string): { dir: Node & { kind: 'dir' }; name: string } | number {
    const trimmed = this.abs(path).replace(/\/+$/, '');
    const i = trimmed.lastIndexOf('/');
    const parent = this.lookup(trimmed.slice(0, i) || '/', true);
    if (typeof parent === 'number') return parent;
    if (parent.kind !== 'dir') return -E.ENOTDIR;
    const name = trimmed.slice(i + 1);
    if (name === '' ) return -E.EEXIST;
    return { dir: parent, name };
  }

  private newFd(f: OpenFile): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, f);
    return fd;
  }

  openat(dirfd: number, path: string, flags: number, mode = 0): number {
    if (dirfd !== AT_FDCWD) return -E.EBADF;
    let node = this.lookup(path, (flags & O.NOFOLLOW) === 0);
    const acc = flags & 3;
    if (node === -E.ENOENT && flags & O.CREAT) {
      const p = this.lookupParent(path);
      if (typeof p === 'number') return p;
      node = { kind: 'file', ino: this.nextIno++, mode: S.IFREG | (mode & 0o7777), data: new Uint8Array(0), mtime: 0 };
      p.dir.entries.set(p.name, node);
    } else if (typeof node === 'number') {
      return node;
    } else if (flags & O.CREAT && flags & O.EXCL) {
      return -E.EEXIST;
    }
    if (node.kind === 'dir' && acc !== O.RDONLY) return -E.EISDIR;
    if (flags & O.DIRECTORY && node.kind !== 'dir') return -E.ENOTDIR;
    if (node.kind === 'file' && flags & O.TRUNC && acc !== O.RDONLY) node.data = new Uint8Array(0);
    return this.newFd({ node, flags, pos: 0, dirDone: false });
  }

  read(fd: number, buf: Uint8Array): number {
    const f = this.fds.get(fd);
    if (!f || (f.flags & 3) === O.WRONLY) return -E.EBADF;
    if (f.node.kind === 'dir') return -E.EISDIR;
    if (f.node.kind !== 'file') return -E.EINVAL;
    const n = Math.max(0, Math.min(buf.length, f.node.data.length - f.pos));
    buf.set(f.node.data.subarray(f.pos, f.pos + n));
    f.pos += n;
    return n;
  }

  write(fd: number, buf: Uint8Array): number {
    const f = this.fds.get(fd);
    if (!f || (f.flags & 3) === O.RDONLY) return -E.EBADF;
    if (this.failWrites) return -this.failWrites;
    if (f.node.kind !== 'file') return -E.EINVAL;
    if (f.flags & O.APPEND) f.pos = f.node.data.length;
    const end = f.pos + buf.length;
    if (end > f.node.data.length) {
      const grown = new Uint8Array(end);
      grown.set(f.node.data);
      f.node.data = grown;
    }
    f.node.data.set(buf, f.pos);
    f.pos = end;
    return buf.length;
  }

  close(fd: number): number {
    return this.fds.delete(fd) ? 0 : -E.EBADF;
  }

  mkdirat(dirfd: number, path: string, mode: number): number {
    if (dirfd !== AT_FDCWD) return -E.EBADF;
    const p = this.lookupParent(path);
    if (typeof p === 'number') return p;
    if (p.dir.entries.has(p.name)) return -E.EEXIST;
    p.dir.entries.set(p.name, { kind: 'dir', ino: this.nextIno++, mode: S.IFDIR | (mode & 0o7777), entries: new Map(), mtime: 0 });
    return 0;
  }

  unlinkat(dirfd: number, path: string, flags: number): number {
    if (dirfd !== AT_FDCWD) return -E.EBADF;
    const p = this.lookupParent(path);
    if (typeof p === 'number') return p;
    const node = p.dir.entries.get(p.name);
    if (!node) return -E.ENOENT;
    if (flags & AT.REMOVEDIR) {
      if (node.kind !== 'dir') return -E.ENOTDIR;
      if (node.entries.size > 0) return -E.ENOTEMPTY;
    } else if (node.kind === 'dir') {
      return -E.EISDIR;
    }
    p.dir.entries.delete(p.name);
    return 0;
  }

  getdents64(fd: number): Dirent[] | number {
    const f = this.fds.get(fd);
    if (!f) return -E.EBADF;
    if (f.node.kind !== 'dir') return -E.ENOTDIR;
    if (f.dirDone) return [];
    f.dirDone = true;
    const type = (n: Node) => (n.kind === 'dir' ? DT.DIR : n.kind === 'file' ? DT.REG : DT.LNK);
    return [
      { ino: f.node.ino, type: DT.DIR, name: '.' },
      { ino: 1, type: DT.DIR, name: '..' },
      ...[...f.node.entries].map(([name, n]) => ({ ino: n.ino, type: type(n), name })),
    ];
  }

  fstatat(dirfd: number, path: string, flags: number): Stat | number {
    if (dirfd !== AT_FDCWD) return -E.EBADF;
    const n = this.lookup(path, (flags & AT.SYMLINK_NOFOLLOW) === 0);
    if (typeof n === 'number') return n;
    const size = n.kind === 'file' ? n.data.length : n.kind === 'link' ? n.target.length : 4096;
    return {
      dev: 1, ino: n.ino, mode: n.mode, nlink: n.kind === 'dir' ? 2 : 1, uid: 0, gid: 0, rdev: 0,
      size, blksize: 4096, blocks: Math.ceil(size / 512),
      atime: n.mtime, atimeNsec: 0, mtime: n.mtime, mtimeNsec: 0, ctime: n.mtime, ctimeNsec: 0,
    };
  }

  readlinkat(dirfd: number, path: string): string | number {
    if (dirfd !== AT_FDCWD) return -E.EBADF;
    const n = this.lookup(path, false);
    if (typeof n === 'number') return n;
    return n.kind === 'link' ? n.target : -E.EINVAL;
  }

  chdir(path: string): number {
    const n = this.lookup(path, true);
    if (typeof n === 'number') return n;
    if (n.kind !== 'dir') return -E.ENOTDIR;
    const parts: string[] = [];
    for (const p of this.abs(path).split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    this.cwd = `/${parts.join('/')}`;
    return 0;
  }

  getcwd(): string {
    return this.cwd;
  }

  mount(source: string, target: string, fstype: string, flags: number, data: string): number {
    const t = this.lookup(target, true);
    if (typeof t === 'number') return t;
    if (t.kind !== 'dir') return -E.ENOTDIR;
    if (fstype !== 'ext4' && fstype !== 'tmpfs' && fstype !== 'proc') return -E.ENODEV;
    this.mounts.push({ source, target, fstype, flags, data });
    return 0;
  }

  umount2(target: string, flags: number): number {
    const i = this.mounts.findIndex((m) => m.target === target);
    if (i < 0) return -E.EINVAL;
    this.mounts.splice(i, 1);
    this.umounts.push({ target, flags });
    return 0;
  }

  sync(): number {
    this.syncs++;
    return 0;
  }

  uname(): Utsname {
    return { sysname: 'Linux', nodename: 'embox', release: '6.1.0', version: '#1 SMP', machine: 'i686', domainname: '(none)' };
  }

  getpid(): number {
    return 1;
  }

  gettid(): number {
    return 1;
  }

  kill(pid: number, sig: number): number {
    if (pid !== 1) return -E.ESRCH;
    this.kills.push({ pid, sig });
    return 0;
  }

  syslog(type: number, buf: Uint8Array | null): number {
    const bytes = encoder.encode(this.kernelLog);
    if (type === SYSLOG_ACTION.SIZE_BUFFER) return 1 << 14;
    if (type === SYSLOG_ACTION.READ_ALL || type === SYSLOG_ACTION.READ_CLEAR) {
      if (!buf) return -E.EINVAL;
      const n = Math.min(buf.length, bytes.length);
      buf.set(bytes.subarray(0, n));
      if (type === SYSLOG_ACTION.READ_CLEAR) this.kernelLog = '';
      return n;
    }
    return -E.EINVAL;
  }
}
