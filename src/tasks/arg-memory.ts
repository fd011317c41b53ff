// The user memory of a TypeScript task: during one system call, the JS
// buffers passed as arguments are given user addresses, and the kernel's
// copy_from_user/copy_to_user read and write those buffers directly (one
// copy, as between real user and kernel memory). Anything else is a fault.

import type { UserMemory } from '../rtos/kernel/kernel.js';

/** First address handed out; everything below it faults (NULL and small pointers). */
const BASE = 0x10000;
/** Gap between regions, so an overrun of one never reaches the next. */
const GAP = 0x1000;

interface Region {
  addr: number;
  end: number;
  bytes: Uint8Array;
}

export class ArgMemory implements UserMemory {
  private regions: Region[] = [];
  private next: number;

  /** base: the first address handed out (default 64 KiB). */
  constructor(private readonly base = BASE) {
    this.next = base;
  }

  /** Give `bytes` a user address for the next call. */
  map(bytes: Uint8Array): number {
    const addr = this.next;
    this.regions.push({ addr, end: addr + bytes.length, bytes });
    this.next = ((addr + bytes.length + GAP + 15) & ~15) >>> 0;
    return addr;
  }

  /** Forget every region (after the call). */
  reset(): void {
    this.regions.length = 0;
    this.next = this.base;
  }

  private find(addr: number, n: number): Region | undefined {
    for (const r of this.regions) if (addr >= r.addr && addr + n <= r.end) return r;
    return undefined;
  }

  copyIn(from: number, dst: Uint8Array): number {
    const r = this.find(from, dst.length);
    if (!r) return this.partial(from, dst.length, (o, k, rr) => dst.set(rr.bytes.subarray(o, o + k)));
    const o = from - r.addr;
    dst.set(r.bytes.subarray(o, o + dst.length));
    return 0;
  }

  copyOut(to: number, src: Uint8Array): number {
    const r = this.find(to, src.length);
    if (!r) return this.partial(to, src.length, (o, k, rr) => rr.bytes.set(src.subarray(0, k), o));
    r.bytes.set(src, to - r.addr);
    return 0;
  }

  clear(to: number, n: number): number {
    const r = this.find(to, n);
    if (!r) return this.partial(to, n, (o, k, rr) => rr.bytes.fill(0, o, o + k));
    r.bytes.fill(0, to - r.addr, to - r.addr + n);
    return 0;
  }

  /** A copy that starts inside a region and runs past its end: copy what fits, report the rest. */
  private partial(addr: number, n: number, f: (off: number, k: number, r: Region) => void): number {
    for (const r of this.regions) {
      if (addr >= r.addr && addr < r.end) {
        const k = r.end - addr;
        f(addr - r.addr, k, r);
        return n - k;
      }
    }
    return n;
  }

  strnlen(from: number, n: number): number {
    for (const r of this.regions) {
      if (from >= r.addr && from < r.end) {
        const o = from - r.addr;
        const lim = Math.min(r.bytes.length, o + n);
        const z = r.bytes.indexOf(0, o);
        if (z >= 0 && z < lim) return z - o + 1;
        return lim - o >= n ? n + 1 : 0; // longer than n, or ran off the region (fault)
      }
    }
    return 0;
  }
}
