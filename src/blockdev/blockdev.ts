// Block device interface, after LKL's struct lkl_dev_blk_ops: a capacity in
// bytes and read/write/flush requests. No Node APIs here; backends that need
// them (file.ts) keep them to themselves.
//
// Calls may complete synchronously or return a promise. The backends in this
// directory answer synchronously: the kernel host serves its request queue
// from one cooperative thread, and a synchronous backend keeps requests in
// submission order without any locking.

export type Awaitable<T> = T | Promise<T>;

/** Bytes per sector in block requests (the kernel's fixed 512-byte unit). */
export const SECTOR_SIZE = 512;

export interface BlockDevice {
  /** Writes are refused (the image was opened read-only). */
  readonly readOnly: boolean;
  /** Size in bytes. */
  capacity(): bigint | number;
  /** Fill `buf` from byte `offset`. */
  read(offset: number, buf: Uint8Array): Awaitable<void>;
  /** Store `buf` at byte `offset`. */
  write(offset: number, buf: Uint8Array): Awaitable<void>;
  /** Make every completed write durable. */
  flush(): Awaitable<void>;
  /** Release the backing store; the device is unusable afterwards. */
  close(): Awaitable<void>;
}

/** Request types (LKL_DEV_BLK_TYPE_*, the virtio-blk numbers). */
export const BlkReqType = {
  READ: 0,
  WRITE: 1,
  FLUSH: 4,
  FLUSH_OUT: 5,
} as const;
export type BlkReqType = (typeof BlkReqType)[keyof typeof BlkReqType];

/** Completion status (LKL_DEV_BLK_STATUS_*). */
export const BlkStatus = {
  OK: 0,
  IOERR: 1,
  UNSUP: 2,
} as const;
export type BlkStatus = (typeof BlkStatus)[keyof typeof BlkStatus];

/** One request as LKL's struct lkl_blk_req: a sector and a scatter list of buffers. */
export interface BlkRequest {
  type: BlkReqType;
  /** First sector (SECTOR_SIZE units). */
  sector: number | bigint;
  /** Buffers transferred back to back starting at `sector`. */
  bufs: Uint8Array[];
  /** Force unit access: the write is durable before the request completes. */
  fua?: boolean;
}

/** Error with a message fit for the user ("vda.img: No such file or directory"). */
export class BlockDevError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'BlockDevError';
  }
}

export function capacityBytes(dev: BlockDevice): number {
  return Number(dev.capacity());
}

/** Throw unless [offset, offset+length) lies inside the device. */
export function checkRange(dev: BlockDevice, offset: number, length: number, what: string): void {
  const cap = capacityBytes(dev);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > cap) {
    throw new BlockDevError(`${what} of ${length} bytes at offset ${offset} is outside the device (${cap} bytes)`, 'ERANGE');
  }
}

/**
 * Serve one request on a device: scatter/gather over the buffers, FUA as a
 * flush after the write. Errors become IOERR (the message goes to onError),
 * unknown types UNSUP, so a bad request never throws into the kernel.
 */
export async function submit(dev: BlockDevice, req: BlkRequest, onError?: (e: unknown) => void): Promise<BlkStatus> {
  try {
    let offset = Number(req.sector) * SECTOR_SIZE;
    switch (req.type) {
      case BlkReqType.READ:
        for (const b of req.bufs) { await dev.read(offset, b); offset += b.length; }
        return BlkStatus.OK;
      case BlkReqType.WRITE:
        if (dev.readOnly) throw new BlockDevError('write to a read-only device', 'EROFS');
        for (const b of req.bufs) { await dev.write(offset, b); offset += b.length; }
        if (req.fua) await dev.flush();
        return BlkStatus.OK;
      case BlkReqType.FLUSH:
      case BlkReqType.FLUSH_OUT:
        await dev.flush();
        return BlkStatus.OK;
      default:
        return BlkStatus.UNSUP;
    }
  } catch (e) {
    onError?.(e);
    return BlkStatus.IOERR;
  }
}
