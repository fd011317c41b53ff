// File-backed block device (Node). The image is never loaded into memory:
// every request is a positioned readSync/writeSync on the open descriptor,
// and flush is fsync. A file that cannot be opened for writing, or whose
// permission bits forbid writing (respected even for root), is opened
// read-only and reported as such.

import * as fs from 'node:fs';
import { errno, strerror } from '../uapi/errno.js';
import { BlockDevError, checkRange, type BlockDevice } from './blockdev.js';

export type FileOpenMode =
  /** Read-write, or fail if the file is read-only. */
  | 'rw'
  /** Read-only. */
  | 'ro'
  /** Read-write if possible, else read-only (see `readOnly`). */
  | 'auto';

/** "path: No such file or directory" from a Node fs error. */
export function describeFsError(path: string, e: unknown): BlockDevError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) {
    let message: string;
    try {
      message = strerror(errno(code));
    } catch {
      message = (e as Error).message;
    }
    return new BlockDevError(`${path}: ${message}`, code);
  }
  return new BlockDevError(`${path}: ${e instanceof Error ? e.message : String(e)}`, 'EIO');
}

const CANNOT_WRITE = new Set(['EACCES', 'EPERM', 'EROFS', 'ETXTBSY']);

export class FileBlockDevice implements BlockDevice {
  private fd: number | undefined;
  private lock: { release(): void } | undefined;

  private constructor(
    readonly path: string,
    fd: number,
    readonly readOnly: boolean,
    private readonly size: number,
  ) {
    this.fd = fd;
  }

  static open(path: string, mode: FileOpenMode = 'auto'): FileBlockDevice {
    let st: fs.Stats;
    try {
      st = fs.statSync(path);
    } catch (e) {
      throw describeFsError(path, e);
    }
    if (st.isDirectory()) throw new BlockDevError(`${path}: Is a directory`, 'EISDIR');
    if (!st.isFile()) throw new BlockDevError(`${path}: not a regular file`, 'EINVAL');
    const writeProtected = (st.mode & 0o222) === 0;
    let readOnly = mode === 'ro';
    let fd: number | undefined;
    if (!readOnly) {
      if (writeProtected) {
        readOnly = true;
      } else {
        try {
          fd = fs.openSync(path, 'r+');
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? '';
          if (!CANNOT_WRITE.has(code)) throw describeFsError(path, e);
          readOnly = true;
        }
      }
      if (readOnly && mode === 'rw') {
        throw new BlockDevError(`${path}: image is read-only (no write permission)`, 'EROFS');
      }
    }
    if (fd === undefined) {
      try {
        fd = fs.openSync(path, 'r');
      } catch (e) {
        throw describeFsError(path, e);
      }
    }
    return new FileBlockDevice(path, fd, readOnly, st.size);
  }

  capacity(): number {
    return this.size;
  }

  read(offset: number, buf: Uint8Array): void {
    const fd = this.openFd();
    checkRange(this, offset, buf.length, 'read');
    let done = 0;
    while (done < buf.length) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, done, buf.length - done, offset + done);
      } catch (e) {
        throw describeFsError(this.path, e);
      }
      if (n === 0) {
        // The file shrank under us: the missing tail reads as zeros, as a sparse hole.
        buf.fill(0, done);
        break;
      }
      done += n;
    }
  }

  write(offset: number, buf: Uint8Array): void {
    const fd = this.openFd();
    if (this.readOnly) throw new BlockDevError(`${this.path}: write to a read-only image`, 'EROFS');
    checkRange(this, offset, buf.length, 'write');
    let done = 0;
    while (done < buf.length) {
      try {
        done += fs.writeSync(fd, buf, done, buf.length - done, offset + done);
      } catch (e) {
        throw describeFsError(this.path, e);
      }
    }
  }

  flush(): void {
    const fd = this.openFd();
    if (this.readOnly) return;
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      throw describeFsError(this.path, e);
    }
  }

  /** Keep `lock` (an image lock, see lock.ts) until the device is closed. */
  holdLock(lock: { release(): void }): void {
    this.lock = lock;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch (e) {
      throw describeFsError(this.path, e);
    } finally {
      this.lock?.release();
      this.lock = undefined;
    }
  }

  private openFd(): number {
    if (this.fd === undefined) throw new BlockDevError(`${this.path}: device is closed`, 'EBADF');
    return this.fd;
  }
}
