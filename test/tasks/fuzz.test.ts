// A system call fuzzer as the guest (rootfs/src/fuzz.c): random numbers
// 0-450 with random arguments, in forked children, each child ending however
// its calls make it end. Whatever the guest does, the host stays whole: every
// fault is the guest's signal or errno, no task fails on a host error (no
// "task N (fuzz) failed: ..." on stderr, no "[object Object]"), embox exits
// normally and the shell runs the next commands.
import test from 'ava';
import { embox } from './run-embox.js';

const CALLS = 2000;
// 26 and 34 once made mincore throw a host RangeError (lengths of 2 GiB and more)
const SEEDS = [1, 26, 34];

for (const seed of SEEDS) {
  test(`fuzz seed ${seed}: ${CALLS} random system calls end as guest signals and errnos, the system runs on`, async (t) => {
    const r = await embox(`load_app fuzz ${seed} ${CALLS}; echo after; load_app hello`, {}, 90_000);
    t.is(r.stderr, '', 'nothing from the host on stderr');
    t.notRegex(r.stderr + r.stdout, /failed:|\[object Object\]/);
    t.is(r.status, 0);
    const lines = r.stdout.split('\n');
    const summary = new RegExp(`^fuzz: seed ${seed}: ${CALLS} calls in (\\d+) children: (\\d+) exited, (\\d+) killed by a signal, (\\d+) stopped$`);
    const m = lines.map((l) => summary.exec(l)).find(Boolean);
    t.truthy(m, r.stdout.slice(-2000));
    // the parent saw each child end, one line each
    const children = lines.filter((l) => /^child \d+: \d+ calls, (exited \d+|killed by signal \d+ in call \d+|stopped after 2 s in call -?\d+)$/.test(l));
    t.is(children.length, Number(m![1]));
    t.is(Number(m![2]) + Number(m![3]) + Number(m![4]), children.length);
    t.true(r.stdout.endsWith('after\nhello, world\n'), r.stdout.slice(-200));
  });
}
