// A volatile write cache in front of a block device, as a disk's own cache:
// sequential writes gather in one buffer and reach the backend as one large
// write when the run breaks, the buffer fills, a read overlaps it, or on
// flush (the kernel's flush and FUA requests) and close. The kernel driver
// declares the cache (blk_queue_write_cache), so Linux issues those flushes
// wherever durability matters (fsync, sync, journal commits, unmount).

import type { BlockDevice } from './blockdev.js';

const DEFAULT_BYTES = 1 << 20;

export class WriteBackCache implements BlockDevice {
  private readonly buf: Uint8Array;
  private start = 0;
  private len = 0;

  constructor(readonly dev: BlockDevice, bytes = DEFAULT_BYTES) {
    this.buf = new Uint8Array(bytes);
  }

  get readOnly(): boolean {
    return this.dev.readOnly;
  }

  capacity(): number {
    return this.dev.capacity();
  }

  /** Bytes held back right now. */
  get pending(): number {
    return this.len;
  }

  read(offset: number, buf: Uint8Array): void {
    if (this.len && offset < this.start + this.len && offset + buf.length > this.start) this.writeOut();
    this.dev.read(offset, buf);
  }

  write(offset: number, data: Uint8Array): void {
    if (this.len && offset === this.start + this.len && this.len + data.length <= this.buf.length) {
      this.buf.set(data, this.len);
      this.len += data.length;
      return;
    }
    this.writeOut();
    if (data.length >= this.buf.length) {
      this.dev.write(offset, data);
      return;
    }
    this.buf.set(data, 0);
    this.start = offset;
    this.len = data.length;
  }

  flush(): void {
    this.writeOut();
    this.dev.flush();
  }

  close(): void {
    this.writeOut();
    this.dev.close();
  }

  /** Hand the held-back run to the backend. */
  writeOut(): void {
    if (!this.len) return;
    const data = this.buf.subarray(0, this.len);
    const at = this.start;
    this.len = 0;
    this.dev.write(at, data);
  }
}
