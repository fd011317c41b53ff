// The time a guest spends running its code is the kernel's user time for its task (the
// user_time host import, taken at each system call): `time` (wait4's rusage), times() and
// /proc/PID/stat show it, as on Linux, where a CPU-bound loop is almost all user time.
import test from 'ava';
import { embox } from './run-embox.js';

const LOOP = 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done';
const secs = (m: RegExpExecArray | null) => (m ? Number(m[1]) * 60 + Number(m[2]) : NaN);

test('a CPU-bound guest loop is user time: time, /proc/PID/stat', async (t) => {
  t.timeout(130_000);
  // busybox time: "real\t0m 1.23s" on stderr; then the shell's own utime (field 14, clock ticks)
  const r = await embox(`load_app sh -c 'time sh -c "${LOOP.replace(/\$/g, '\\$')}"; ${LOOP}; cut -d" " -f14,15 /proc/$$/stat'`, {}, 120_000);
  t.is(r.status, 0, r.stderr);
  const real = secs(/real\s+(\d+)m ([\d.]+)s/.exec(r.stderr));
  const user = secs(/user\s+(\d+)m ([\d.]+)s/.exec(r.stderr));
  t.true(real > 0, r.stderr);
  t.true(user >= real * 0.5, `user ${user} s of real ${real} s`);
  const [utime] = r.stdout.trim().split(' ').map(Number);
  // the shell ran the same loop itself: at least a fifth of the child's user time, in 1/100 s ticks
  t.true(utime! >= user * 100 * 0.2, `shell utime ${utime} ticks, child user ${user} s`);
});
