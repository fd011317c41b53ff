// bt/bts/btr/btc (register and memory forms), bsf/bsr/tzcnt/lzcnt, bswap: interpreter vs the real CPU.
import test from 'ava';
import { compare, values, type Case } from './unit-harness.js';

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

function check(t: import('ava').ExecutionContext, cases: Case[]) {
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
}
const DATA = 0x10100000;

test('bit tests on registers and memory with signed bit offsets', (t) => {
  const vals = values(10, 31);
  const data = Array.from({ length: 64 }, (_, k) => h2(k * 37 + 11)).join('');
  const cases: Case[] = [];
  for (const op of ['a3', 'ab', 'b3', 'bb']) {
    for (const a of vals) for (const off of [0, 1, 5, 31, 32, 33, 63, 100, -1, -8, -33]) {
      cases.push({ code: `0f${op}d8`, regs: [a, 0, 0, off] });          // bt eax, ebx
      cases.push({ code: `660f${op}d8`, regs: [a, 0, 0, off] });
      // bt [esi+32], ebx: offsets reach before and after the operand
      cases.push({ code: `0f${op}5e20`, regs: [0, 0, 0, off, 0, DATA], data, flags: 1 });
      cases.push({ code: `660f${op}5e20`, regs: [0, 0, 0, off, 0, DATA], data });
    }
  }
  for (const r of [4, 5, 6, 7]) {
    for (const a of vals) for (const n of [0, 3, 31, 32, 47]) {
      cases.push({ code: `0fba${h2(0xc0 | (r << 3))}${h2(n)}`, regs: [a] });
      cases.push({ code: `0fba${h2(0x46 | (r << 3))}20${h2(n)}`, regs: [0, 0, 0, 0, 0, DATA], data });
    }
  }
  check(t, cases);
});

test('bsf/bsr/tzcnt/lzcnt/bswap', (t) => {
  const vals = values(30, 32);
  const cases: Case[] = [];
  for (const a of vals) {
    for (const code of ['0fbcc3', '0fbdc3', '660fbcc3', '660fbdc3', '0fc8', '0fcb']) {
      cases.push({ code, regs: [0xdeadbeef, 0, 0, a] });
    }
    // the host implements BMI1/LZCNT; the modelled CPU does not, so F3 0F BC/BD must act as bsf/bsr
    cases.push({ code: 'f30fbcc3', nativeCode: '0fbcc3', regs: [0xdeadbeef, 0, 0, a] });
    cases.push({ code: 'f30fbdc3', nativeCode: '0fbdc3', regs: [0xdeadbeef, 0, 0, a] });
    cases.push({ code: '66f30fbdc3', nativeCode: '660fbdc3', regs: [0xdeadbeef, 0, 0, a] });
  }
  check(t, cases);
});
