// daa das aaa aas aam aad for every AL value and AF/CF input: interpreter vs the real CPU.
import test from 'ava';
import { compare, type Case } from './unit-harness.js';

test('decimal adjust instructions', (t) => {
  const cases: Case[] = [];
  for (let al = 0; al < 256; al++) {
    for (const fl of [0, 1, 0x10, 0x11]) {
      for (const code of ['27', '2f', '37', '3f']) cases.push({ code, regs: [0x1200 | al], flags: fl });
    }
    for (const code of ['d40a', 'd410', 'd507', 'd50a', 'd400']) cases.push({ code, regs: [(al * 7) << 8 | al] });
  }
  const bad = compare(cases).filter(Boolean);
  t.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${cases.length} cases differ`);
});
