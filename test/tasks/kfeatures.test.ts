// What the kernel configuration adds for programs that expect a desktop or
// server kernel: rootfs/bin/kfeatures under load_app, stdout and exit status
// byte-identical to its native run (test/cpu/programs-golden/kfeatures.txt,
// `zx scripts/build-fixtures.mjs --golden --only=kfeatures`): fcntl F_NOTIFY
// (dnotify: one-shot and multishot, SIGIO and F_SETSIG's queued signal with
// si_fd, ENOTDIR on a file), fanotify (a 64-bit mask reaches the kernel whole,
// events carry a descriptor of the file), kcmp and /proc/PID/task/TID/children.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, embox } from './run-embox.js';

const text = fs.readFileSync(path.join(ROOT, 'test/cpu/programs-golden/kfeatures.txt'), 'latin1');
const argv = JSON.parse(/^argv: (.*)$/m.exec(text)![1]!) as string[];
const exit = Number(/^exit: (\d+)$/m.exec(text)![1]);
const want = text.slice(text.indexOf('--- stdout\n') + 11);

test('kfeatures: dnotify, fanotify, kcmp and /proc children as natively', async (t) => {
  t.timeout(130_000);
  const r = await embox(['load_app', 'kfeatures', ...argv.slice(1)].join(' '), {}, 120_000);
  const got = r.stdout.split('\n'), exp = want.split('\n');
  const i = exp.findIndex((l, k) => got[k] !== l);
  const why = `exit ${r.status}; ${i < 0 ? 'stdout equal' : `line ${i + 1}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(exp[i])}`}; stderr: ${r.stderr.slice(-400)}`;
  t.is(r.stdout, want, why);
  t.is(r.status, exit, why);
  t.is(r.stderr, '');
});
