// The user memory of a guest process, for the kernel's copy_*_user: its i386
// address space, page by page, so a copy that runs into an unmapped or
// protected page copies what it can and reports the rest (EFAULT, or a short
// read/write, exactly as the kernel decides).

import { GuestFault, PAGE_SIZE, PROT_READ, PROT_WRITE, type AddressSpace } from '../cpu/memory.js';
import type { UserMemory } from '../rtos/kernel/kernel.js';
import { ArgMemory } from './arg-memory.js';

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
