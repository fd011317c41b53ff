// Which futex waits a FUTEX_WAKE reaches: rootfs/bin/futexfork under load_app, stdout and
// exit status byte-identical to its native run (test/cpu/programs-golden/futexfork.txt,
// `zx scripts/build-fixtures.mjs --golden --only=futexfork`). Linux keys a private futex by
// (mm, address), so a wake never reaches a forked child waiting at the same address (Go's and
// glibc's futexes are private: a Go program that exec'd itself hung when its parent's wake
// reached the child), and a shared one by the page it is on, so it matches across processes
// and addresses on MAP_SHARED file and anonymous pages and SysV segments.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, embox } from './run-embox.js';

const text = fs.readFileSync(path.join(ROOT, 'test/cpu/programs-golden/futexfork.txt'), 'latin1');
const argv = JSON.parse(/^argv: (.*)$/m.exec(text)![1]!) as string[];
const exit = Number(/^exit: (\d+)$/m.exec(text)![1]);
const want = text.slice(text.indexOf('--- stdout\n') + 11);
const line = ['load_app', 'futexfork', ...argv.slice(1)].join(' ');

for (const [label, env] of [['', {}], [' (EMBOX_JIT=0)', { EMBOX_JIT: '0' }]] as const) {
  test.serial(`futexfork${label}: private futexes per address space, shared ones per page, as natively`, async (t) => {
    t.timeout(130_000);
    const r = await embox(line, env, 120_000);
    const got = r.stdout.split('\n'), exp = want.split('\n');
    const i = exp.findIndex((l, k) => got[k] !== l);
    const why = `exit ${r.status}; ${i < 0 ? 'stdout equal' : `line ${i + 1}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(exp[i])}`}; stderr: ${r.stderr.slice(-400)}`;
    t.is(r.stdout, want, why);
    t.is(r.status, exit, why);
  });
}
