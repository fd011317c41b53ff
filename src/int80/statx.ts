// statx(2), decoded once for everyone who asks the kernel what a file is:
// the i386 stat family (fs.ts), the identity of a mapped file (filemap.ts)
// and the RTOS's own Sys (tasks/kernel-sys.ts), all with the one STATX
// layout of layouts.ts.
import { NR } from '../rtos/kernel/unistd.js';
import { AT } from '../uapi/linux.js';
import { STATX } from './layouts.js';
import type { Proc } from './proc-context.js';
import type { Values } from './struct.js';

/** A decoded struct statx. */
export type Statx = Values<typeof STATX.fields>;

/** new_encode_dev (include/linux/kdev_t.h): a major and minor as one 32-bit dev_t. */
export function newEncodeDev(major: number, minor: number): number {
  return ((major << 8) | (minor & 0xff) | ((minor & ~0xff) << 12)) >>> 0;
}

/**
 * statx through the process's kernel task into a host buffer; path is a
 * guest address, and 0 with AT_EMPTY_PATH stands for dirfd itself (the
 * empty path a host buffer too).
 */
export async function statx(p: Proc, dirfd: number, path: number, flags: number, mask: number): Promise<Statx | number> {
  const out = new Uint8Array(STATX.size);
  const r = await p.kb(NR.statx, dirfd, path === 0 && flags & AT.EMPTY_PATH ? new Uint8Array(1) : path, flags, mask, out);
  return r < 0 ? r : STATX.decode(out);
}
