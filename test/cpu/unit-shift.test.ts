// Shifts, rotates (every count, all sizes, register and memory), shld/shrd: interpreter vs the real CPU.
import test from 'ava';
import { compare, values, type Case } from './unit-harness.js';

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
const DATA_ADDR = '00001010';

function check(t: import('ava').ExecutionContext, cases: Case[]) {
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
}

test('group 2 by CL, every count 0..33, all sizes', (t) => {
  const vals = values(8, 11);
  const cases: Case[] = [];
  for (let op = 0; op < 8; op++) {
    const m = h2(0xc0 | (op << 3)); // rm = eax
    for (const a of vals) for (let n = 0; n <= 33; n++) for (const cf of [0, 1]) {
      cases.push({ code: `d3${m}`, regs: [a, n], flags: cf | 0x800 });
      cases.push({ code: `66d3${m}`, regs: [a, n], flags: cf });
      cases.push({ code: `d2${m}`, regs: [a, n], flags: cf | 0x800 });
    }
  }
  check(t, cases);
});

test('group 2 by 1 and by imm8, memory operands', (t) => {
  const vals = values(12, 12);
  const cases: Case[] = [];
  for (let op = 0; op < 8; op++) {
    for (const a of vals) for (const cf of [0, 1]) {
      cases.push({ code: `d1${h2(0xc0 | (op << 3))}`, regs: [a], flags: cf });
      cases.push({ code: `d0${h2(0xc4 | (op << 3))}`, regs: [a], flags: cf }); // ah
      cases.push({ code: `66d1${h2(0xc0 | (op << 3))}`, regs: [a], flags: cf });
      for (const n of [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 0xff]) {
        cases.push({ code: `c1${h2(0xc0 | (op << 3))}${h2(n)}`, regs: [a], flags: cf });
        cases.push({ code: `c0${h2(0x05 | (op << 3))}${DATA_ADDR}${h2(n)}`, data: h2(a) + h2(a >> 8), flags: cf });
      }
    }
  }
  check(t, cases);
});

test('shld/shrd by imm8 and CL, 16 and 32 bit', (t) => {
  const vals = values(8, 13);
  const cases: Case[] = [];
  for (const a of vals) for (const b of [0x12345678, 0xffffffff, 0x80000001, 0]) {
    for (const n of [0, 1, 2, 5, 15, 16, 31, 32, 33]) {
      cases.push({ code: `0fa4d8${h2(n)}`, regs: [a, 0, 0, b] });    // shld eax, ebx, n
      cases.push({ code: `0facd8${h2(n)}`, regs: [a, 0, 0, b] });    // shrd eax, ebx, n
      cases.push({ code: `0fa5d8`, regs: [a, n, 0, b] });            // shld eax, ebx, cl
      cases.push({ code: `0fadd8`, regs: [a, n, 0, b], flags: 1 });  // shrd eax, ebx, cl
      if (n <= 16) {
        cases.push({ code: `660fa4d8${h2(n)}`, regs: [a, 0, 0, b] });
        cases.push({ code: `660facd8${h2(n)}`, regs: [a, 0, 0, b] });
      }
    }
  }
  check(t, cases);
});
