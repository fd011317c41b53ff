// Copies to the calling process's memory for the conversions: a bad pointer
// is EFAULT for the call, never a host exception.
import type { Proc } from './proc-context.js';

const EFAULT = 14;

/** Write bytes at addr in guest memory: 0, or -EFAULT (nothing written) when any of it is not writable. */
export function putUser(p: Proc, addr: number, bytes: Uint8Array): number {
  try {
    p.mem.writeBytes(addr >>> 0, bytes);
  } catch {
    return -EFAULT;
  }
  return 0;
}
