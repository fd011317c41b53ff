// Every golden case (recorded on a real i386) replayed through the interpreter.
import test from 'ava';
import { replayFamilies, goldenFamilies } from './replay.js';

for (const family of goldenFamilies()) {
  test(`cpu golden: ${family}`, async (t) => {
    const [r] = await replayFamilies({ families: [family], keep: 10 });
    t.true(r.passed + r.failed > 0, 'no cases in the golden file');
    const list = r.failures.map((f) => `  ${f.name} [${f.code}]: ${f.why}`).join('\n');
    t.is(r.failed, 0, `${family}: ${r.failed} of ${r.passed + r.failed} cases differ from the real CPU; first ones:\n${list}`);
  });
}
