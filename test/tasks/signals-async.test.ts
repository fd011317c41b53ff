// Asynchronous signals that land while a thread runs its own code (rootfs/bin/sigrace, stdout
// and exit status byte-identical to its native run: test/cpu/programs-golden/sigrace.txt,
// `zx scripts/build-fixtures.mjs --golden --only=sigrace`). On Linux such a signal interrupts
// the code, so a system call or a fault right after it comes after its handler, under the
// thread's own mask. Here the kernel may take the signal before the thread's next call reaches
// it: that call used to run under the handler's mask (a sigprocmask read it as the thread's, and
// glibc's sigsetjmp saved it, so siglongjmp left the thread with everything blocked), and a
// null-pointer fault right after it found SIGSEGV blocked and killed the process (Go programs
// died so at random: "signal 17 received during fork", exit 139 at a recovered nil pointer).
import test from 'ava';
import { matchesNative } from './run-embox.js';

for (const [label, env] of [['', {}], [' (EMBOX_JIT=1)', { EMBOX_JIT: '1' }], [' (EMBOX_JIT=0)', { EMBOX_JIT: '0' }]] as const) {
  test.serial(`sigrace${label}: a signal's handler runs before the call or fault it lands in front of, as natively`, async (t) => {
    t.timeout(130_000);
    await matchesNative(t, 'sigrace', env);
  });
}
