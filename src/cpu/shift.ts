// Shifts and rotates (group 2: rol ror rcl rcr shl shr sal sar) and shld/shrd.
// Flags are computed eagerly: these update CF/OF in ways the lazy scheme does not model.
import type { CPU, Insn } from './machine.js';
import { CF, OF, ZF, SF, AF, PARITY, STATUS } from './flags.js';

function szf(r: number, size: number): number {
  const sign = size === 4 ? -0x80000000 : size === 2 ? 0x8000 : 0x80;
  return PARITY[r & 0xff] | (r === 0 ? ZF : 0) | (r & sign ? SF : 0);
}

/** Rotate/shift value v (size-truncated) by count (already masked to 5 bits, non-zero).
 *  Returns the result; updates flags. */
export function shiftOp(c: CPU, op: number, size: number, v: number, count: number): number {
  const bits = size * 8;
  const mask = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
  const u = (v >>> 0) & mask;
  let r = 0, cf = 0, of = 0;
  switch (op) {
    case 0: { // rol
      const n = count % bits;
      r = n ? ((u << n) | (u >>> (bits - n))) & mask : u;
      cf = r & 1;
      of = ((r >>> (bits - 1)) & 1) ^ cf;
      c.setStatus(CF | OF, cf | (of ? OF : 0));
      return size === 4 ? r | 0 : r;
    }
    case 1: { // ror
      const n = count % bits;
      r = n ? ((u >>> n) | (u << (bits - n))) & mask : u;
      cf = (r >>> (bits - 1)) & 1;
      of = cf ^ ((r >>> (bits - 2)) & 1);
      c.setStatus(CF | OF, cf | (of ? OF : 0));
      return size === 4 ? r | 0 : r;
    }
    case 2: { // rcl: rotate the (bits+1)-bit value CF:v
      const n = size === 4 ? count : count % (bits + 1);
      cf = c.getCF();
      r = u;
      for (let k = 0; k < n; k++) {
        const out = (r >>> (bits - 1)) & 1;
        r = ((r << 1) | cf) & mask;
        cf = out;
      }
      r >>>= 0;
      of = ((r >>> (bits - 1)) & 1) ^ cf;
      c.setStatus(CF | OF, cf | (of ? OF : 0));
      return size === 4 ? r | 0 : r;
    }
    case 3: { // rcr
      const n = size === 4 ? count : count % (bits + 1);
      cf = c.getCF();
      r = u;
      for (let k = 0; k < n; k++) {
        const out = r & 1;
        r = ((r >>> 1) | (cf << (bits - 1))) & mask;
        cf = out;
      }
      r >>>= 0;
      // OF = MSB(result) xor next-to-MSB(result) (= MSB(dest) xor CF before, for count 1)
      of = ((r >>> (bits - 1)) ^ (r >>> (bits - 2))) & 1;
      c.setStatus(CF | OF, cf | (of ? OF : 0));
      return size === 4 ? r | 0 : r;
    }
    case 4: case 6: { // shl/sal
      if (count < bits) { r = (u << count) & mask; cf = (u >>> (bits - count)) & 1; }
      else { r = 0; cf = count === bits ? u & 1 : 0; }
      r >>>= 0;
      of = ((r >>> (bits - 1)) & 1) ^ cf;
      break;
    }
    case 5: { // shr
      if (count < bits) { r = u >>> count; cf = (u >>> (count - 1)) & 1; }
      else { r = 0; cf = count === bits ? (u >>> (bits - 1)) & 1 : 0; }
      of = (u >>> (bits - 1)) & 1;
      break;
    }
    default: { // sar
      const s = (u << (32 - bits)) >> (32 - bits);
      const n = count < bits ? count : bits - 1;
      r = (s >> n) & mask;
      cf = (s >> (count < bits ? count - 1 : bits - 1)) & 1;
      r >>>= 0;
      of = 0;
      break;
    }
  }
  const res = size === 4 ? r | 0 : r;
  c.setStatus(STATUS & ~AF, cf | (of ? OF : 0) | szf(res, size));
  return res;
}

function countOf(c: CPU, i: Insn): number {
  // C0/C1: imm8, D0/D1: 1, D2/D3: CL
  const op = i.op;
  const n = op === 0xd0 || op === 0xd1 ? 1 : op === 0xd2 || op === 0xd3 ? c.regs[1] : i.imm;
  return n & 31;
}

/** group 2 on E */
export function shiftE(c: CPU, i: Insn): void {
  const n = countOf(c, i);
  const s = i.size;
  if (!i.m) {
    if (n === 0) return;
    c.setR(s, i.rm, shiftOp(c, i.reg, s, c.getR(s, i.rm), n));
    return;
  }
  const a = c.ea(i);
  const v = c.rdw(s, a);
  if (n === 0) return;
  c.wr(s, a, shiftOp(c, i.reg, s, v, n));
}

/** shld/shrd E, G, imm8|CL (sub: 0 = shld, 1 = shrd) */
export function shldrd(c: CPU, i: Insn): void {
  const s = i.size;
  const n = (i.op === 0x1a5 || i.op === 0x1ad ? c.regs[1] : i.imm) & 31;
  const a = i.m ? c.ea(i) : 0;
  const d = (i.m ? c.rdw(s, a) : c.getR(s, i.rm)) >>> 0;
  if (n === 0) return;
  const src = c.getR(s, i.reg) >>> 0;
  let r: number, cf: number;
  const bits = s * 8;
  if (s === 4) {
    if (i.sub === 0) { r = (d << n) | (src >>> (32 - n)); cf = (d >>> (32 - n)) & 1; }
    else { r = (d >>> n) | (src << (32 - n)); cf = (d >>> (n - 1)) & 1; }
    r |= 0;
  } else {
    // 16-bit: operate on the 32-bit pair (counts above 16 give the hardware's undefined-result pattern)
    if (i.sub === 0) {
      const pair = ((d << 16) | src) >>> 0;
      const wide = n <= 16 ? pair : (((pair << 16) | d) >>> 0);
      const k = n <= 16 ? n : n - 16;
      r = ((wide << k) >>> 16) & 0xffff;
      if (k === 16 && n > 16) r = d;
      cf = (wide >>> (32 - k)) & 1;
    } else {
      const pair = ((src << 16) | d) >>> 0;
      const wide = n <= 16 ? pair : (((d << 16) | src) >>> 0);
      const k = n <= 16 ? n : n - 16;
      r = (wide >>> k) & 0xffff;
      cf = (wide >>> (k - 1)) & 1;
    }
  }
  const of = (((r ^ d) >>> (bits - 1)) & 1) ? OF : 0;
  c.setStatus(STATUS & ~AF, cf | of | szf(r, s));
  if (i.m) c.wr(s, a, r);
  else c.setR(s, i.rm, r);
}

