// Block device interface, after LKL's struct lkl_dev_blk_ops: a capacity in
// bytes and synchronous read/write/flush. No Node APIs here; backends that
// need them (file.ts) keep them to themselves.
//
// Every call completes before it returns: the kernel's blk_* imports are
// synchronous calls from kernel code (asm/host_ops.h), which cannot wait for
// a promise, and a synchronous backend keeps requests in submission order
// without any locking. Failures are thrown as BlockDevError.

export interface BlockDevice {
  /** Writes are refused (the image was opened read-only). */
  readonly readOnly: boolean;
  /** Size in bytes. */
  capacity(): number;
  /** Fill `buf` from byte `offset`. */
  read(offset: number, buf: Uint8Array): void;
  /** Store `buf` at byte `offset`. */
  write(offset: number, buf: Uint8Array): void;
  /** Make every completed write durable. */
  flush(): void;
  /** Release the backing store; the device is unusable afterwards. */
  close(): void;
}

/** Error with a message fit for the user ("vda.img: No such file or directory"). */
export class BlockDevError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'BlockDevError';
  }
}

/** Throw unless [offset, offset+length) lies inside the device. */
export function checkRange(dev: BlockDevice, offset: number, length: number, what: string): void {
  const cap = dev.capacity();
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > cap) {
    throw new BlockDevError(`${what} of ${length} bytes at offset ${offset} is outside the device (${cap} bytes)`, 'ERANGE');
  }
}
