// Opening a disk image for the system: the file must exist, be writable (or
// be opened read-only), hold a whole ext2/3/4 filesystem and not be in use by
// another embox (lock.ts). Every failure is a BlockDevError whose message can
// be shown to the user as is.

import { BlockDevError } from './blockdev.js';
import { detectExt, SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE, type ExtInfo } from './detect.js';
import { FileBlockDevice, type FileOpenMode } from './file.js';
import { lockImage } from './lock.js';

/** Smallest image that can hold an ext superblock. */
export const MIN_IMAGE_BYTES = SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE;

/** Where the system mounts the image. */
export const VDA_MOUNT_POINT = '/mnt/vda';

export interface OpenedImage {
  dev: FileBlockDevice;
  fs: ExtInfo;
}

/**
 * Open, lock and check an image. mode 'rw' (default) refuses read-only files;
 * 'auto' opens them read-only (mount them with MS_RDONLY then). A read-write
 * image is locked exclusively, a read-only one shared with other readers,
 * until `dev.close()`.
 */
export async function openImage(path: string, mode: FileOpenMode = 'rw'): Promise<OpenedImage> {
  const dev = FileBlockDevice.open(path, mode);
  try {
    dev.holdLock(await lockImage(path, dev.readOnly ? 'shared' : 'exclusive'));
    const size = dev.capacity();
    if (size < MIN_IMAGE_BYTES) {
      throw new BlockDevError(`${path}: image too small (${size} bytes; an ext2/3/4 filesystem needs at least ${MIN_IMAGE_BYTES})`, 'EINVAL');
    }
    const fs = detectExt(dev);
    if (!fs) throw new BlockDevError(`${path}: not an ext2/ext3/ext4 filesystem (no superblock magic 0xEF53 at offset 1080)`, 'EINVAL');
    if (fs.journalDevice) throw new BlockDevError(`${path}: an external ext journal, not a filesystem`, 'EINVAL');
    if (fs.sizeBytes > size) {
      throw new BlockDevError(`${path}: image truncated (the filesystem spans ${fs.sizeBytes} bytes, the file has ${size})`, 'EINVAL');
    }
    return { dev, fs };
  } catch (e) {
    dev.close();
    throw e;
  }
}
