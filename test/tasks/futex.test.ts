// Which futex waits a FUTEX_WAKE reaches: rootfs/bin/futexfork under load_app, stdout and
// exit status byte-identical to its native run (test/cpu/programs-golden/futexfork.txt,
// `zx scripts/build-fixtures.mjs --golden --only=futexfork`). Linux keys a private futex by
// (mm, address), so a wake never reaches a forked child waiting at the same address (Go's and
// glibc's futexes are private: a Go program that exec'd itself hung when its parent's wake
// reached the child), and a shared one by the page it is on, so it matches across processes
// and addresses on MAP_SHARED file and anonymous pages and SysV segments.
import test from 'ava';
import { matchesNative } from './run-embox.js';

for (const [label, env] of [['', {}], [' (EMBOX_JIT=0)', { EMBOX_JIT: '0' }]] as const) {
  test.serial(`futexfork${label}: private futexes per address space, shared ones per page, as natively`, async (t) => {
    t.timeout(130_000);
    await matchesNative(t, 'futexfork', env);
  });
}
