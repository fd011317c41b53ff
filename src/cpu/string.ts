// String instructions movs cmps stos lods scas with rep/repe/repne, DF and 16-bit addressing.
// Each iteration updates ESI/EDI/ECX before the next one, so a fault in the middle of a
// rep leaves the registers restartable, as on the hardware.
import { EAX, ECX, ESI, EDI, type CPU, type Insn } from './machine.js';
import { DF } from './flags.js';
import { alu } from './alu.js';

/** iterations per dispatch: a longer rep re-executes itself (eip stays), so run() budgets and
 *  preemption still apply to huge counts */
const CHUNK = 0x10000;

function step(c: CPU, i: Insn): number {
  return c.flags & DF ? -i.size : i.size;
}
/** Linear address of the source operand at offset off (segment checked at the access, so a
 *  rep with ecx = 0 never faults on a null fs/gs) */
function src(c: CPU, i: Insn, off: number): number {
  return i.seg >= 0 ? (c.base(i.seg) + off) | 0 : off;
}

/**
 * Elements of size s a forward rep may move at once at a: up to the end of its page, the
 * count and the chunk left.
 */
function run(a: number, s: number, count: number, left: number): number {
  return Math.min(count, left, ((4096 - (a & 4095)) / s) | 0);
}

/**
 * Forward rep movs in runs within pages, as bulk copies of the page buffers: what the element
 * loop would do, as long as both pages may be used without checks (else one element goes the
 * checked way: it allocates the page, or faults) and the destination does not overlap the
 * source ahead of it (where moving element by element replicates a pattern).
 */
function movsForward(c: CPU, i: Insn): void {
  const r = c.regs, s = i.size, mem = c.mem;
  for (let left = CHUNK; r[ECX] !== 0;) {
    if (left === 0) { c.eip = i.eip; return; }
    const sa = src(c, i, r[ESI]), da = r[EDI];
    const sp = mem.fastPage(sa >>> 12, false), dp = mem.fastPage(da >>> 12, true);
    const n = Math.min(run(sa, s, r[ECX] >>> 0, left), run(da, s, r[ECX] >>> 0, left));
    const so = sa & 4095, dO = da & 4095, len = n * s;
    if (sp !== undefined && dp !== undefined && n > 0) {
      const sAbs = sp.byteOffset + so, dAbs = dp.byteOffset + dO;
      if (sp.buffer !== dp.buffer || dAbs <= sAbs || dAbs >= sAbs + len) {
        dp.set(sp.subarray(so, so + len), dO);
        r[ESI] += len; r[EDI] += len; r[ECX] -= n; left -= n;
        continue;
      }
    }
    c.wr(s, r[EDI], c.rd(s, src(c, i, r[ESI])));
    r[ESI] += s; r[EDI] += s; r[ECX]--; left--;
  }
}

/**
 * Backward rep movs (DF set, as memmove copies up) in runs within pages: the run ends at the
 * current element and starts at its page's start; bulk unless the destination overlaps the
 * source below it.
 */
function movsBackward(c: CPU, i: Insn): void {
  const r = c.regs, s = i.size, mem = c.mem;
  for (let left = CHUNK; r[ECX] !== 0;) {
    if (left === 0) { c.eip = i.eip; return; }
    const sa = src(c, i, r[ESI]), da = r[EDI];
    const sp = mem.fastPage(sa >>> 12, false), dp = mem.fastPage(da >>> 12, true);
    const count = r[ECX] >>> 0;
    const n = Math.min(count, left, ((sa & 4095) / s | 0) + 1, ((da & 4095) / s | 0) + 1);
    const len = n * s, so = (sa & 4095) + s - len, dO = (da & 4095) + s - len;
    if (sp !== undefined && dp !== undefined && n > 0 && (sa & 4095) + s <= 4096 && (da & 4095) + s <= 4096) {
      const sAbs = sp.byteOffset + so, dAbs = dp.byteOffset + dO;
      if (sp.buffer !== dp.buffer || dAbs >= sAbs || dAbs + len <= sAbs) {
        dp.set(sp.subarray(so, so + len), dO);
        r[ESI] -= len; r[EDI] -= len; r[ECX] -= n; left -= n;
        continue;
      }
    }
    c.wr(s, r[EDI], c.rd(s, src(c, i, r[ESI])));
    r[ESI] -= s; r[EDI] -= s; r[ECX]--; left--;
  }
}

/** Forward rep stos in runs within a page: the first element written, then doubled with copyWithin. */
function stosForward(c: CPU, i: Insn, v: number): void {
  const r = c.regs, s = i.size, mem = c.mem;
  for (let left = CHUNK; r[ECX] !== 0;) {
    if (left === 0) { c.eip = i.eip; return; }
    const da = r[EDI], dp = mem.fastPage(da >>> 12, true);
    const n = run(da, s, r[ECX] >>> 0, left);
    if (dp !== undefined && n > 0) {
      const o = da & 4095, len = n * s;
      if (s === 1) dp.fill(v & 0xff, o, o + len);
      else {
        for (let k = 0; k < s; k++) dp[o + k] = (v >>> (8 * k)) & 0xff;
        for (let done = s; done < len;) {
          const m = Math.min(done, len - done);
          dp.copyWithin(o + done, o, o + m);
          done += m;
        }
      }
      r[EDI] += len; r[ECX] -= n; left -= n;
      continue;
    }
    c.wr(s, r[EDI], v);
    r[EDI] += s; r[ECX]--; left--;
  }
}

/** movs */
export function movs(c: CPU, i: Insn): void {
  const r = c.regs, s = i.size, d = step(c, i);
  if (!i.a16) {
    if (i.rep === 0) {
      c.wr(s, r[EDI], c.rd(s, src(c, i, r[ESI])));
      r[ESI] += d;
      r[EDI] += d;
      return;
    }
    if (d > 0) movsForward(c, i); else movsBackward(c, i);
    return;
  }
  for (let n = CHUNK; i.rep === 0 || (r[ECX] & 0xffff) !== 0;) {
    if (n-- === 0) { c.eip = i.eip; return; }
    c.wr(s, r[EDI] & 0xffff, c.rd(s, src(c, i, r[ESI] & 0xffff)));
    c.setR(2, ESI, r[ESI] + d);
    c.setR(2, EDI, r[EDI] + d);
    if (i.rep === 0) return;
    c.setR(2, ECX, r[ECX] - 1);
  }
}

/** stos */
export function stos(c: CPU, i: Insn): void {
  const r = c.regs, s = i.size, d = step(c, i);
  const v = c.getR(s, EAX);
  if (!i.a16) {
    if (i.rep === 0) {
      c.wr(s, r[EDI], v);
      r[EDI] += d;
      return;
    }
    if (d > 0) { stosForward(c, i, v); return; }
    for (let n = CHUNK; r[ECX] !== 0; r[ECX]--) {
      if (n-- === 0) { c.eip = i.eip; return; }
      c.wr(s, r[EDI], v);
      r[EDI] += d;
    }
    return;
  }
  for (let n = CHUNK; i.rep === 0 || (r[ECX] & 0xffff) !== 0;) {
    if (n-- === 0) { c.eip = i.eip; return; }
    c.wr(s, r[EDI] & 0xffff, v);
    c.setR(2, EDI, r[EDI] + d);
    if (i.rep === 0) return;
    c.setR(2, ECX, r[ECX] - 1);
  }
}

/** lods */
export function lods(c: CPU, i: Insn): void {
  const r = c.regs, s = i.size, d = step(c, i);
  const count = i.a16 ? 0xffff : -1;
  for (let n = CHUNK; i.rep === 0 || (r[ECX] & count) !== 0;) {
    if (n-- === 0) { c.eip = i.eip; return; }
    c.setR(s, EAX, c.rd(s, src(c, i, r[ESI] & count)));
    if (i.a16) c.setR(2, ESI, r[ESI] + d); else r[ESI] += d;
    if (i.rep === 0) return;
    if (i.a16) c.setR(2, ECX, r[ECX] - 1); else r[ECX]--;
  }
}

/** cmps: compares [esi] with [edi] (flags of [esi] - [edi]); the hardware reads es:[edi] first */
export function cmps(c: CPU, i: Insn): void {
  const r = c.regs, s = i.size, d = step(c, i);
  const count = i.a16 ? 0xffff : -1;
  for (let n = CHUNK; i.rep === 0 || (r[ECX] & count) !== 0;) {
    if (n-- === 0) { c.eip = i.eip; return; }
    const b = c.rd(s, r[EDI] & count);
    const a = c.rd(s, src(c, i, r[ESI] & count));
    alu(c, 7, s, a, b);
    if (i.a16) { c.setR(2, ESI, r[ESI] + d); c.setR(2, EDI, r[EDI] + d); } else { r[ESI] += d; r[EDI] += d; }
    if (i.rep === 0) return;
    if (i.a16) c.setR(2, ECX, r[ECX] - 1); else r[ECX]--;
    if (c.getZF() !== (i.rep === 0xf3)) return;
  }
}

/** scas: compares eAX with [edi] */
export function scas(c: CPU, i: Insn): void {
  const r = c.regs, s = i.size, d = step(c, i);
  const count = i.a16 ? 0xffff : -1;
  const a = c.getR(s, EAX);
  for (let n = CHUNK; i.rep === 0 || (r[ECX] & count) !== 0;) {
    if (n-- === 0) { c.eip = i.eip; return; }
    alu(c, 7, s, a, c.rd(s, r[EDI] & count));
    if (i.a16) c.setR(2, EDI, r[EDI] + d); else r[EDI] += d;
    if (i.rep === 0) return;
    if (i.a16) c.setR(2, ECX, r[ECX] - 1); else r[ECX]--;
    if (c.getZF() !== (i.rep === 0xf3)) return;
  }
}
