// The user memory of a guest process, for the kernel's copy_*_user: its i386
// address space, page by page, so a copy that runs into an unmapped or
// protected page copies what it can and reports the rest (EFAULT, or a short
// read/write, exactly as the kernel decides).

import { frameOffset } from '../cpu/frames.js';
import { GuestFault, PAGE_SIZE, PROT_READ, PROT_WRITE, type AddressSpace } from '../cpu/memory.js';
import type { UserMemory } from '../rtos/kernel/kernel.js';
import { ArgMemory } from './arg-memory.js';
import { E } from '../uapi/errno.js';

/**
 * A guest's memory plus host buffers for one call at addresses no guest can
 * use (above TASK_SIZE): converted structs (the generic sigaction for the
 * i386 one, a statx buffer, a path the RTOS makes up) are passed this way.
 */
export class OverlayMemory implements UserMemory {
  static readonly BASE = 0xd0000000;
  readonly args = new ArgMemory(OverlayMemory.BASE);
  constructor(public guest: GuestMemory) {}
  private pick(addr: number): UserMemory {
    return addr >>> 0 >= OverlayMemory.BASE ? this.args : this.guest;
  }
  copyIn(from: number, dst: Uint8Array): number { return this.pick(from).copyIn(from, dst); }
  copyOut(to: number, src: Uint8Array): number { return this.pick(to).copyOut(to, src); }
  clear(to: number, n: number): number { return this.pick(to).clear(to, n); }
  strnlen(from: number, n: number): number { return this.pick(from).strnlen(from, n); }
  futexPage(addr: number, write: boolean): bigint {
    return addr >>> 0 >= OverlayMemory.BASE ? -EFAULT : this.guest.futexPage(addr, write);
  }
}

const EFAULT = BigInt(E.EFAULT);

/**
 * Names of the buffers pages live in, for pageIdentity: 1 is the memory of
 * frames.ts (whose buffer object changes as it grows), the others are given
 * out as buffers are first seen (the kernel's memory, ordinary buffers).
 */
const bufferNames = new WeakMap<ArrayBufferLike, bigint>();
let lastBufferName = 1n;

/**
 * A page buffer's identity: which memory and where in it. A page mapped
 * shared (MAP_SHARED, SysV shm) is one buffer in every address space that
 * maps it, so this names it as Linux's (inode, index) names a shared page.
 */
function pageIdentity(d: Uint8Array): bigint {
  const off = frameOffset(d);
  if (off >= 0) return (1n << 32n) | BigInt(off);
  let name = bufferNames.get(d.buffer);
  if (name === undefined) bufferNames.set(d.buffer, (name = ++lastBufferName));
  return (name << 32n) | BigInt(d.byteOffset);
}

export class GuestMemory implements UserMemory {
  constructor(public mem: AddressSpace) {}

  /** Page buffer at addr for an access, or null when the access would fault. */
  private page(addr: number, need: number): Uint8Array | null {
    try {
      return this.mem.page(addr >>> 12, addr, need);
    } catch (e) {
      if (e instanceof GuestFault) return null;
      throw e;
    }
  }

  private each(addr: number, n: number, need: number, f: (page: Uint8Array, off: number, done: number, k: number) => void): number {
    let a = addr >>> 0;
    let done = 0;
    while (done < n) {
      if (a + (n - done) > 0x100000000) return n - done;
      const o = a & (PAGE_SIZE - 1);
      const k = Math.min(n - done, PAGE_SIZE - o);
      const p = this.page(a, need);
      if (!p) return n - done;
      f(p, o, done, k);
      done += k;
      a = (a + k) >>> 0;
    }
    return 0;
  }

  copyIn(from: number, dst: Uint8Array): number {
    return this.each(from, dst.length, PROT_READ, (p, o, d, k) => dst.set(p.subarray(o, o + k), d));
  }

  /**
   * The key of a shared futex (get_futex_key through the futex_page import):
   * memory private to this address space is keyed by the kernel (mm and
   * address, 0 here); a shared page by its own identity, so that it matches
   * in every process and at every address mapping it.
   */
  futexPage(addr: number, write: boolean): bigint {
    const p = this.page(addr >>> 0, write ? PROT_WRITE : PROT_READ);
    if (!p) return -EFAULT;
    return this.mem.isShared(addr >>> 0) ? pageIdentity(p) : 0n;
  }

  copyOut(to: number, src: Uint8Array): number {
    return this.each(to, src.length, PROT_WRITE, (p, o, d, k) => p.set(src.subarray(d, d + k), o));
  }

  clear(to: number, n: number): number {
    return this.each(to, n, PROT_WRITE, (p, o, _d, k) => p.fill(0, o, o + k));
  }

  strnlen(from: number, n: number): number {
    let a = from >>> 0;
    let len = 0;
    while (len < n) {
      const p = this.page(a, PROT_READ);
      if (!p) return 0;
      const o = a & (PAGE_SIZE - 1);
      const lim = Math.min(PAGE_SIZE, o + (n - len));
      const z = p.indexOf(0, o);
      if (z >= 0 && z < lim) return len + (z - o) + 1;
      len += lim - o;
      a = (a + (lim - o)) >>> 0;
      if (a === 0) return 0;
    }
    return n + 1;
  }
}
