// 4,000 threads alive at once in one process on the default machine (--mem
// 256M): a task's kernel stack is 16 KiB (lkl/README.md), so they fit where
// 64 KiB stacks stopped at ~3,270. rootfs/bin/manythreads with 64 KiB thread
// stacks, as natively (test/cpu/programs-golden/manythreads-4000.txt);
// threads-max is raised as root would (the kernel sizes it from memory: 2,022
// for the 253 MiB it has, as Linux with 16 KiB stacks).
import test from 'ava';
import { embox, golden } from './run-embox.js';

test('manythreads-4000: 4,000 threads at once in one process, as natively', async (t) => {
  t.timeout(70_000);
  const { want, exit, line } = golden('manythreads-4000');
  const r = await embox(`cat /proc/sys/kernel/threads-max; echo 100000 > /proc/sys/kernel/threads-max; ${line.replace('manythreads-4000', 'manythreads')}`, {}, 60_000);
  t.is(r.stdout, `2022\n${want}`, r.stderr.slice(-400));
  t.is(r.status, exit); // embox's status is the last command's
  t.is(r.stderr, '');
});
