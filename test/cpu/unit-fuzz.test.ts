// Random register-form instructions (deterministic seed) across the one-byte and 0F opcode maps:
// decoded length, results, flags and faults must match the real CPU. Control transfers and
// instructions that would disturb the native runner (segment loads, popf, I/O strings, x87,
// int n) are left to the dedicated tests.
import test from 'ava';
import { compare, rng, type Case } from './unit-harness.js';
import { decode } from '../../src/cpu/decode.js';

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
const SKIP1 = new Set([
  0x0f, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, // prefixes
  0x9a, 0xc2, 0xc3, 0xca, 0xcb, 0xcf, 0xe8, 0xe9, 0xea, 0xeb, 0xe0, 0xe1, 0xe2, 0xe3, // transfers
  0xcc, 0xcd, 0xce, 0xf1, 0x9d, 0x07, 0x17, 0x1f, 0x8e, 0x8c, 0xc4, 0xc5, 0x62, // traps, popf, segments
  0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0x9b, // x87
  0x6c, 0x6d, 0x6e, 0x6f, 0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xc8, // strings, enter
  0xc6, 0xc7, // xabort/xbegin (RTM) exist on the host
]);
const OK2 = [
  0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
  0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
  0xa3, 0xa4, 0xa5, 0xab, 0xac, 0xad, 0xaf, 0xb0, 0xb1, 0xb3, 0xb6, 0xb7, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
  0xc0, 0xc1, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0x0b, 0x1f, 0x1e, 0x18, 0x0d,
];

/**
 * Encodings whose outcome the architecture leaves to the implementation, and
 * where Intel and AMD differ (the golden files are one vendor's, the host may
 * be the other's): prefetch with a register operand (#UD or a no-op), 16-bit
 * shld/shrd by more than 16 (undefined result), leave with ebp near 4 GiB
 * (#SS or #PF for the wrap-around pop).
 */
function vendorDependent(code: string, regs: number[]): boolean {
  if (/^(66)?0f0d/.test(code)) return true;
  if (/^660f(a5|ad)/.test(code) && (regs[1]! & 31) > 16) return true;
  if (/^660f(a4|ac)/.test(code) && (parseInt(code.slice(8, 10), 16) & 31) > 16) return true;
  if (/^(66)?c9/.test(code) && (regs[4]! >>> 0) > 0xfffffff0) return true;
  return false;
}

test('random register-form instructions match the real CPU', (t) => {
  const r = rng(20261123);
  const val = () => {
    const k = r() % 4, v = r();
    return k === 0 ? v & 0xff : k === 1 ? v & 0xffff : k === 2 ? [0, 1, 0x7fffffff, 0x80000000, 0xffffffff][r() % 5] : v;
  };
  const cases: Case[] = [];
  while (cases.length < 8000) {
    let code = r() % 8 === 0 ? '66' : '';
    if (r() % 3 === 0) code += '0f' + h2(OK2[r() % OK2.length]);
    else {
      let op: number;
      do op = r() & 0xff; while (SKIP1.has(op) || (op >= 0x70 && op < 0x80));
      code += h2(op);
    }
    code += h2(0xc0 | (r() & 0x3f));
    for (let k = 0; k < 8; k++) code += h2(r());
    const bytes = code.match(/../g)!.map((x) => parseInt(x, 16));
    const len = decode((a) => bytes[a] ?? 0x90, 0).len;
    code = code.slice(0, 2 * len);
    if (/^(66)?ff(d|e)/.test(code)) continue; // call/jmp through a register
    const regs = Array.from({ length: 7 }, val);
    if (vendorDependent(code, regs)) continue;
    cases.push({ code, regs, flags: r() & 0x8d5 });
  }
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
});

test('random memory-form instructions match the real CPU, faults included', (t) => {
  const r = rng(1123);
  const DATA = 0x10100000;
  const cases: Case[] = [];
  while (cases.length < 6000) {
    let code = r() % 8 === 0 ? '66' : '';
    if (r() % 4 === 0) code += ['26', '2e', '36', '3e', '64'][r() % 5]; // gs differs: the native runner's is in use
    if (r() % 3 === 0) code += '0f' + h2(OK2[r() % OK2.length]);
    else {
      let op: number;
      do op = r() & 0xff; while (SKIP1.has(op) || (op >= 0x70 && op < 0x80));
      code += h2(op);
    }
    code += h2(((r() % 3) << 6) | (r() & 0x3f));
    for (let k = 0; k < 9; k++) code += h2(r());
    const bytes = code.match(/../g)!.map((x) => parseInt(x, 16));
    const i = decode((a) => bytes[a] ?? 0x90, 0);
    code = code.slice(0, 2 * i.len);
    if (i.op === 0xff && i.reg >= 2 && i.reg <= 5) continue; // calls and jumps through memory
    // registers point into (or near) the data page; skip addresses in the native runner's own stack area
    const regs = Array.from({ length: 7 }, () => (r() % 4 ? DATA + (r() & 0x3ff) : r() & 0xffff));
    const full = [regs[0], regs[1], regs[2], regs[3], 0x1020ff00, regs[4], regs[5], regs[6]];
    if (i.m) {
      let a = i.disp;
      if (i.base >= 0) a += full[i.base];
      if (i.index >= 0) a += full[i.index] << i.scale;
      if (i.a16) a &= 0xffff;
      if ((a >>> 0) >= 0xc0000000) continue;
    }
    cases.push({ code, regs, flags: r() & 0x8d5, data: Array.from({ length: 64 }, () => h2(r())).join('') });
  }
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
});
