// In-memory block device. Sparse: storage is allocated in fixed chunks on
// first write, unwritten ranges read as zeros, so a large empty disk costs
// nothing. Growable: resize() changes the capacity, and with `grow: true`
// a write past the end extends the device instead of failing.

import { BlockDevError, checkRange, type BlockDevice } from './blockdev.js';

const CHUNK = 64 * 1024;

export interface MemoryBlockDeviceOptions {
  /** Extend the capacity on writes past the end. */
  grow?: boolean;
  readOnly?: boolean;
  /** Initial contents, stored from offset 0 (the capacity must hold them). */
  data?: Uint8Array;
}

export class MemoryBlockDevice implements BlockDevice {
  readonly readOnly: boolean;
  private size: number;
  private readonly grow: boolean;
  private readonly chunks = new Map<number, Uint8Array>();
  private closed = false;

  constructor(capacity: number, opts: MemoryBlockDeviceOptions = {}) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new BlockDevError(`bad capacity ${capacity}`, 'EINVAL');
    this.size = capacity;
    this.grow = opts.grow ?? false;
    this.readOnly = opts.readOnly ?? false;
    if (opts.data) {
      checkRange(this, 0, opts.data.length, 'initial data');
      this.store(0, opts.data);
    }
  }

  /** A device holding a copy of `data`. */
  static from(data: Uint8Array, opts: MemoryBlockDeviceOptions = {}): MemoryBlockDevice {
    return new MemoryBlockDevice(data.length, { ...opts, data });
  }

  capacity(): number {
    return this.size;
  }

  /** Bytes of storage actually allocated. */
  allocatedBytes(): number {
    return this.chunks.size * CHUNK;
  }

  /** Change the capacity; shrinking drops the data past the new end. */
  resize(capacity: number): void {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new BlockDevError(`bad capacity ${capacity}`, 'EINVAL');
    if (capacity < this.size) {
      for (const idx of [...this.chunks.keys()]) {
        const start = idx * CHUNK;
        if (start >= capacity) this.chunks.delete(idx);
        else if (start + CHUNK > capacity) this.chunks.get(idx)!.fill(0, capacity - start);
      }
    }
    this.size = capacity;
  }

  read(offset: number, buf: Uint8Array): void {
    this.checkOpen();
    checkRange(this, offset, buf.length, 'read');
    let done = 0;
    while (done < buf.length) {
      const pos = offset + done;
      const idx = Math.floor(pos / CHUNK);
      const within = pos - idx * CHUNK;
      const n = Math.min(CHUNK - within, buf.length - done);
      const chunk = this.chunks.get(idx);
      if (chunk) buf.set(chunk.subarray(within, within + n), done);
      else buf.fill(0, done, done + n);
      done += n;
    }
  }

  write(offset: number, buf: Uint8Array): void {
    this.checkOpen();
    if (this.readOnly) throw new BlockDevError('write to a read-only device', 'EROFS');
    if (this.grow && Number.isSafeInteger(offset) && offset >= 0 && offset + buf.length > this.size) {
      this.size = offset + buf.length;
    }
    checkRange(this, offset, buf.length, 'write');
    this.store(offset, buf);
  }

  flush(): void {
    this.checkOpen();
  }

  close(): void {
    this.closed = true;
    this.chunks.clear();
  }

  private store(offset: number, buf: Uint8Array): void {
    let done = 0;
    while (done < buf.length) {
      const pos = offset + done;
      const idx = Math.floor(pos / CHUNK);
      const within = pos - idx * CHUNK;
      const n = Math.min(CHUNK - within, buf.length - done);
      let chunk = this.chunks.get(idx);
      if (!chunk) {
        chunk = new Uint8Array(CHUNK);
        this.chunks.set(idx, chunk);
      }
      chunk.set(buf.subarray(done, done + n), within);
      done += n;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new BlockDevError('device is closed', 'EBADF');
  }
}
