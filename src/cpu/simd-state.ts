// The SIMD state instructions of group 15 (0F AE): fxsave/fxrstor (the whole x87, MXCSR and
// xmm state as a 512-byte image), ldmxcsr/stmxcsr, and clflush. The fences (register forms)
// order nothing here: one thread of execution sees its own memory in program order.
import type { CPU } from './cpu.js';
import type { Insn } from './decode.js';
import { generalProtection } from './fault.js';
import type { SimdEntry } from './simd-table.js';
import { FXSAVE_SIZE, MXCSR_MASK, fxsaveImage, fxrstorImage } from './simd.js';

/** fxsave m512: 16-byte aligned (#GP); bytes 288..511 are not written */
export function fxsave(c: CPU, i: Insn): void {
  const a = c.ea(i);
  if (a & 15) throw generalProtection(0);
  // the image's last byte is probed first (a fault reports a + 511 when its page is missing: measured)
  c.mem.checkWrite(a + FXSAVE_SIZE - 1, 1);
  c.mem.checkWrite(a, FXSAVE_SIZE);
  const img = fxsaveImage(c);
  c.mem.writeBytes(a, img.subarray(0, 288));
}
/** fxrstor m512: 16-byte aligned; MXCSR bits outside MXCSR_MASK are #GP */
export function fxrstor(c: CPU, i: Insn): void {
  const a = c.ea(i);
  if (a & 15) throw generalProtection(0);
  const img = c.mem.readBytes(a, FXSAVE_SIZE);
  if (!fxrstorImage(c, img)) throw generalProtection(0);
}
/** ldmxcsr m32: reserved bits set are #GP */
export function ldmxcsr(c: CPU, i: Insn): void {
  const v = c.mem.read32(c.ea(i));
  if (v & ~MXCSR_MASK) throw generalProtection(0);
  c.mxcsr = v;
}
/** stmxcsr m32 */
export function stmxcsr(c: CPU, i: Insn): void {
  c.mem.write32(c.ea(i), c.mxcsr);
}
/** clflush m8: no cache to flush, but the line must be reachable (it faults as a read would) */
export function clflush(c: CPU, i: Insn): void {
  c.mem.checkRead(c.ea(i), 1);
}

// group 15 is declared in opcodes.ts (its register forms are the fences)
export const ENTRIES: readonly SimdEntry[] = [];
