// mul, imul (one, two and three operand forms), div, idiv.
import { EAX, EDX, type CPU, type Insn } from './machine.js';
import { CF, OF, ZF, SF, PARITY } from './flags.js';
import { divideError } from './fault.js';

const MULF = CF | OF | SF | ZF | 0x4;

/** High 32 bits of the unsigned 64-bit product a*b (a, b as uint32). */
export function mulHigh(a: number, b: number): number {
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}
/** High 32 bits of the signed 64-bit product. */
export function imulHigh(a: number, b: number): number {
  let h = mulHigh(a >>> 0, b >>> 0);
  if (a < 0) h -= b;
  if (b < 0) h -= a;
  return h | 0;
}

// SF/ZF/PF are undefined after multiplication; set them from the low result like the hardware tends to.
function setMulFlags(c: CPU, overflow: boolean, lo: number, size: number): void {
  const sign = size === 4 ? -0x80000000 : size === 2 ? 0x8000 : 0x80;
  c.setStatus(MULF, (overflow ? CF | OF : 0) | (lo & sign ? SF : 0) | (lo === 0 ? ZF : 0) | PARITY[lo & 0xff]);
}

/** group 3 /4 mul, /5 imul, /6 div, /7 idiv */
export function mulDivE(c: CPU, i: Insn): void {
  const s = i.size;
  const v = c.readE(i);
  const r = c.regs;
  switch (i.reg) {
    case 4: // mul
      if (s === 1) {
        const p = (r[EAX] & 0xff) * v;
        c.setR(2, EAX, p);
        setMulFlags(c, p > 0xff, p & 0xff, 1);
      } else if (s === 2) {
        const p = (r[EAX] & 0xffff) * v;
        c.setR(2, EAX, p);
        c.setR(2, EDX, p >>> 16);
        setMulFlags(c, p > 0xffff, p & 0xffff, 2);
      } else {
        const a = r[EAX];
        const lo = Math.imul(a, v), hi = mulHigh(a >>> 0, v >>> 0);
        r[EAX] = lo;
        r[EDX] = hi;
        setMulFlags(c, hi !== 0, lo, 4);
      }
      return;
    case 5: // imul
      if (s === 1) {
        const p = ((r[EAX] << 24) >> 24) * ((v << 24) >> 24);
        c.setR(2, EAX, p);
        setMulFlags(c, p !== (p << 24) >> 24, p & 0xff, 1);
      } else if (s === 2) {
        const p = ((r[EAX] << 16) >> 16) * ((v << 16) >> 16);
        c.setR(2, EAX, p);
        c.setR(2, EDX, p >> 16);
        setMulFlags(c, p !== (p << 16) >> 16, p & 0xffff, 2);
      } else {
        const a = r[EAX];
        const lo = Math.imul(a, v), hi = imulHigh(a, v);
        r[EAX] = lo;
        r[EDX] = hi;
        setMulFlags(c, hi !== lo >> 31, lo, 4);
      }
      return;
    case 6: { // div
      if (v === 0) throw divideError(i.eip);
      if (s === 1) {
        const n = r[EAX] & 0xffff;
        const q = Math.floor(n / v);
        if (q > 0xff) throw divideError(i.eip);
        c.setR(2, EAX, ((n % v) << 8) | q);
      } else if (s === 2) {
        const n = ((r[EDX] & 0xffff) << 16 | (r[EAX] & 0xffff)) >>> 0;
        const q = Math.floor(n / v);
        if (q > 0xffff) throw divideError(i.eip);
        c.setR(2, EAX, q);
        c.setR(2, EDX, n % v);
      } else {
        const d = v >>> 0, hi = r[EDX] >>> 0, lo = r[EAX] >>> 0;
        if (hi >= d) throw divideError(i.eip);
        if (hi === 0) {
          r[EAX] = Math.floor(lo / d);
          r[EDX] = lo % d;
        } else {
          const n = (BigInt(hi) << 32n) | BigInt(lo), bd = BigInt(d);
          r[EAX] = Number(n / bd);
          r[EDX] = Number(n % bd);
        }
      }
      return;
    }
    default: { // idiv
      if (v === 0) throw divideError(i.eip);
      if (s === 1) {
        const n = (r[EAX] << 16) >> 16, d = (v << 24) >> 24;
        const q = Math.trunc(n / d);
        if (q > 127 || q < -128) throw divideError(i.eip);
        c.setR(2, EAX, (((n % d) & 0xff) << 8) | (q & 0xff));
      } else if (s === 2) {
        const n = ((r[EDX] & 0xffff) << 16) | (r[EAX] & 0xffff), d = (v << 16) >> 16;
        const q = Math.trunc(n / d);
        if (q > 32767 || q < -32768) throw divideError(i.eip);
        c.setR(2, EAX, q);
        c.setR(2, EDX, n % d);
      } else {
        const d = v | 0, hi = r[EDX], lo = r[EAX];
        if (hi === lo >> 31) {
          // dividend fits in 32 bits
          if (lo === -0x80000000 && d === -1) throw divideError(i.eip);
          r[EAX] = Math.trunc(lo / d);
          r[EDX] = lo % d;
        } else {
          const n = (BigInt(hi) << 32n) | BigInt(lo >>> 0), bd = BigInt(d);
          const q = n / bd;
          if (q > 0x7fffffffn || q < -0x80000000n) throw divideError(i.eip);
          r[EAX] = Number(q);
          r[EDX] = Number(n % bd);
        }
      }
      return;
    }
  }
}

/** imul G, E (0F AF) and imul G, E, imm (69, 6B): sub = 1 when an immediate is present */
export function imulGE(c: CPU, i: Insn): void {
  const s = i.size;
  const a = c.readE(i);
  const b = i.sub ? i.imm : c.getR(s, i.reg);
  if (s === 4) {
    const lo = Math.imul(a, b);
    const hi = imulHigh(a, b);
    c.regs[i.reg] = lo;
    setMulFlags(c, hi !== lo >> 31, lo, 4);
  } else {
    const p = ((a << 16) >> 16) * ((b << 16) >> 16);
    c.setR(2, i.reg, p);
    setMulFlags(c, p !== (p << 16) >> 16, p & 0xffff, 2);
  }
}
