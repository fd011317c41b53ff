// A process's memory as Linux's mm_struct holds it, on the RTOS side (the
// kernel has no mm of the guest): the i386 address space, the program break,
// the shared file mappings and the names /proc/PID/maps shows, what execve
// laid out (for /proc/PID/cmdline, environ, auxv, stat), and the SysV shm
// attachments. Threads (CLONE_VM) share one; fork copies it (fork()); execve
// makes a new one (exec.ts).
import type { AddressSpace } from '../cpu/memory.js';
import { PAGE_SIZE } from '../cpu/memory.js';
import { holdPages, releasePages } from './filemap.js';

/**
 * A shared file mapping: pages [addr, addr + len) hold the file (`key`, see
 * filemap.ts) from byte off on; the kernel holds the file for the mm as `id`
 * (lkl/arch/wasm/kernel/filemap.c).
 */
export interface FileMapping { addr: number; len: number; id: number; off: number; key: string }

/** A file's name over pages [addr, addr + len) for /proc/PID/maps (the path, and the file offset of addr). */
export interface Named { addr: number; len: number; name: string; off: number }

/** What execve laid out (Linux keeps it in the mm: arg_start .. env_end, start_code, saved_auxv, ...). */
export interface ImageInfo {
  argStart: number; argEnd: number; envStart: number; envEnd: number;
  startCode: number; endCode: number; startData: number; endData: number;
  /** the initial stack pointer (where argc is), and the stack's mapping */
  startStack: number;
  stackLow: number;
  stackTop: number;
  auxv: [number, number][];
}

/** One attached SysV shm segment: guest pages [addr, addr + len) are kernel memory at kaddr. */
export interface Attachment { addr: number; len: number; kaddr: number; id: number; flags: number }

export class MmStruct {
  /** Program break: start (end of the image) and current value. */
  readonly brk: { start: number; cur: number };
  files: FileMapping[] = [];
  names: Named[] = [];
  image: ImageInfo | undefined;
  shm: Attachment[] = [];
  /** The RTOS's page in the address space: sigreturn code for handlers without a restorer (exec.ts). */
  trampoline = 0;
  /** After fork: the parent's attachments, until the child's kernel task attaches them (ipc.ts forkAttachments). */
  inherited: Attachment[] = [];
  /** A charge of frames to the kernel in progress (one at a time for the threads sharing this mm). */
  charging: Promise<void> | null = null;
  /** Threads (and vfork children) running on this mm: the last one to leave disposes of its memory. */
  private users = 0;

  constructor(readonly mem: AddressSpace, brk: number | { start: number; cur: number }) {
    this.brk = typeof brk === 'number' ? { start: brk, cur: brk } : { ...brk };
  }

  /** fork: a copy of the address space with the same mappings (the kernel's copy of the mm holds their files under the same ids). */
  fork(): MmStruct {
    const c = new MmStruct(this.mem.clone(), this.brk);
    c.files = this.files.map((m) => ({ ...m }));
    for (const m of this.files) holdPages(m.key, m.off / PAGE_SIZE, m.len / PAGE_SIZE);
    c.names = this.names.map((n) => ({ ...n }));
    if (this.image) c.setImage(this.image);
    c.inherited = this.shm.map((a) => ({ ...a }));
    c.trampoline = this.trampoline;
    return c;
  }

  /** A thread starts using this mm. */
  enter(): void {
    this.users++;
  }

  /** A thread is done with this mm (it ended or exec'd): the last one gives its frames back at once. */
  leave(): void {
    if (--this.users === 0) this.discard();
  }

  /**
   * Nobody runs on this mm any more (or a fork's copy the kernel refused): its
   * frames go back, and the shared file pages its mappings still hold (exec and
   * a fatal signal write nothing back; the kernel lets the files go with its mm).
   */
  discard(): void {
    this.mem.dispose();
    for (const m of this.files) releasePages(m.key, m.off / PAGE_SIZE, m.len / PAGE_SIZE);
    this.files = [];
  }

  /** Record the layout of a new image. */
  setImage(info: ImageInfo): void {
    this.image = { ...info, auxv: info.auxv.map(([t, v]) => [t, v]) };
  }

  /** Name the pages [addr, addr + len) for /proc/PID/maps. */
  name(addr: number, len: number, name: string, off: number): void {
    this.names.push({ addr, len, name, off });
  }

  /** The program's file under its real name (what /proc/self/exe resolves to, as Linux's maps shows it). */
  rename(from: string, to: string): void {
    for (const n of this.names) if (n.name === from) n.name = to;
  }

  /** Names of mappings wholly inside [from, to) are forgotten (the pages are gone or replaced). */
  forgetNames(from: number, to: number): void {
    this.names = this.names.filter((n) => !(n.addr >= from && n.addr + n.len <= to));
  }
}
