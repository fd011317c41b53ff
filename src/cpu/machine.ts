// The machine's shared vocabulary: register and segment numbers, Linux's selectors and
// descriptors, what the run loop reports (Stop), what the x87 unit and the CPU may ask of each
// other, and the types the instruction files work with (CPU, Insn, Handler). Only types and
// constants: every file may import it without pulling in the CPU (cpu.ts re-exports it all).
import type { AddressSpace } from './memory.js';

export type { CPU } from './cpu.js';
export type { Insn, Handler } from './decode.js';

/** General registers, in encoding order (CPU.regs index). */
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
/** Segment registers, in encoding order (CPU.segs and CPU.segBase index). */
export const ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
/** Linux (x86-64 kernel, compat mode) user selectors */
export const USER_CS = 0x23, USER_DS = 0x2b, USER64_CS = 0x33;
export const GDT_ENTRY_TLS_MIN = 12, GDT_ENTRY_TLS_ENTRIES = 3;
export const LDT_ENTRIES = 8192;

/** Why CPU.run() returned. */
export type Stop =
  | { kind: 'budget' }
  | { kind: 'syscall' }
  /** the address space needs frames charged to it first (AddressSpace.charged); eip at the instruction */
  | { kind: 'memory' }
  | { kind: 'fault'; signo: number; code: number; addr: number; trapno: number; errorCode: number }
  | { kind: 'halt' };

/** What the x87 unit may use of the CPU. */
export interface FpuHost {
  mem: AddressSpace;
  regs: Int32Array;
  getEflags(): number;
  setFpuFlags(zf: boolean, pf: boolean, cf: boolean): void;
}
/** The x87 unit as the CPU drives it (implemented in fpu.ts). */
export interface FpuUnit {
  exec(host: FpuHost, op: number, modrm: number, addr: number, opsize16: boolean): number;
  fwait(host: FpuHost): number;
  reset(): void;
  save(): Uint8Array;
  restore(img: Uint8Array): void;
  clone(): FpuUnit;
}

/** A segment descriptor as Linux's struct user_desc describes it (set_thread_area, modify_ldt; its guest layout is int80's). */
export interface UserDesc {
  entry_number: number;
  base_addr: number;
  limit: number;
  seg_32bit: number;
  contents: number;
  read_exec_only: number;
  limit_in_pages: number;
  seg_not_present: number;
  useable: number;
}
