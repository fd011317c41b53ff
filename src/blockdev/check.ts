// The checks a disk image passes before the system attaches it as /dev/vda,
// on any block device (no Node APIs): the image-file backend (image.ts) and a
// browser's disk run the same ones, with the same messages.

import { BlockDevError, type BlockDevice } from './blockdev.js';
import { detectExt, SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE, type ExtInfo } from './detect.js';

/** Smallest image that can hold an ext superblock. */
export const MIN_IMAGE_BYTES = SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE;

/** Where the system mounts the image. */
export const VDA_MOUNT_POINT = '/mnt/vda';

export interface OpenedImage<D extends BlockDevice = BlockDevice> {
  dev: D;
  fs: ExtInfo;
}

/**
 * The filesystem on `dev` when it holds a whole ext2/3/4 one; otherwise a
 * BlockDevError naming the image (`name`) and what is wrong with it.
 */
export function checkImage(dev: BlockDevice, name: string): ExtInfo {
  const size = dev.capacity();
  if (size < MIN_IMAGE_BYTES) {
    throw new BlockDevError(`${name}: image too small (${size} bytes; an ext2/3/4 filesystem needs at least ${MIN_IMAGE_BYTES})`, 'EINVAL');
  }
  const fs = detectExt(dev);
  if (!fs) throw new BlockDevError(`${name}: not an ext2/ext3/ext4 filesystem (no superblock magic 0xEF53 at offset 1080)`, 'EINVAL');
  if (fs.journalDevice) throw new BlockDevError(`${name}: an external ext journal, not a filesystem`, 'EINVAL');
  if (fs.sizeBytes > size) {
    throw new BlockDevError(`${name}: image truncated (the filesystem spans ${fs.sizeBytes} bytes, the file has ${size})`, 'EINVAL');
  }
  return fs;
}
