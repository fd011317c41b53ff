// mul/imul/div/idiv in every form, including divide errors: interpreter vs the real CPU.
import test from 'ava';
import { compare, values, type Case } from './unit-harness.js';

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
const le32 = (v: number) => [0, 8, 16, 24].map((s) => h2(v >>> s)).join('');

function check(t: import('ava').ExecutionContext, cases: Case[]) {
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
}

test('mul/imul one-operand forms, all sizes', (t) => {
  const vals = values(16, 21);
  const cases: Case[] = [];
  for (const a of vals) for (const b of vals) {
    for (const m of ['e3', 'eb']) { // mul ebx, imul ebx
      cases.push({ code: `f7${m}`, regs: [a, 0, 0x55, b] });
      cases.push({ code: `66f7${m}`, regs: [a, 0, 0x55, b] });
      cases.push({ code: `f6${m}`, regs: [a, 0, 0x55, b] });
    }
    cases.push({ code: '0fafc3', regs: [a, 0, 0, b] });            // imul eax, ebx
    cases.push({ code: '660fafc3', regs: [a, 0, 0, b] });
    cases.push({ code: `69c3${le32(b)}`, regs: [a, 0, 0, a ^ b] }); // imul eax, ebx, imm32
    cases.push({ code: `6bc3${h2(b)}`, regs: [a, 0, 0, a] });
    cases.push({ code: `666bc3${h2(b)}`, regs: [a, 0, 0, a] });
  }
  check(t, cases);
});

test('div/idiv with quotient overflow and zero divisors', (t) => {
  const vals = values(14, 22);
  const cases: Case[] = [];
  for (const a of vals) for (const d of vals) for (const hi of [0, 1, 0xffffffff, 0x7fffffff, a >>> 3]) {
    for (const m of ['f3', 'fb']) { // div ebx, idiv ebx
      cases.push({ code: `f7${m}`, regs: [a, 0, hi, d] });
      cases.push({ code: `66f7${m}`, regs: [a, 0, hi, d] });
      cases.push({ code: `f6${m}`, regs: [a, 0, hi, d] });
    }
  }
  check(t, cases);
});
