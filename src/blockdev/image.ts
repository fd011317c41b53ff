// Opening a disk image file for the system: the file must exist, be writable
// (or be opened read-only), hold a whole ext2/3/4 filesystem (check.ts) and
// not be in use by another embox (lock.ts). Every failure is a BlockDevError
// whose message can be shown to the user as is.

import { checkImage, type OpenedImage } from './check.js';
import { FileBlockDevice, type FileOpenMode } from './file.js';
import { lockImage } from './lock.js';

export { MIN_IMAGE_BYTES, VDA_MOUNT_POINT, type OpenedImage } from './check.js';

/**
 * Open, lock and check an image. mode 'rw' (default) refuses read-only files;
 * 'auto' opens them read-only (mount them with MS_RDONLY then). A read-write
 * image is locked exclusively, a read-only one shared with other readers,
 * until `dev.close()`.
 */
export async function openImage(path: string, mode: FileOpenMode = 'rw'): Promise<OpenedImage<FileBlockDevice>> {
  const dev = FileBlockDevice.open(path, mode);
  try {
    dev.holdLock(await lockImage(path, dev.readOnly ? 'shared' : 'exclusive'));
    return { dev, fs: checkImage(dev, path) };
  } catch (e) {
    dev.close();
    throw e;
  }
}
