// A process's life as Linux runs it, each case a fixture under load_app with stdout and exit
// status byte-identical to its native run (test/cpu/programs-golden/ID.txt,
// `zx scripts/build-fixtures.mjs --golden --only=ID`).
// exectest: execve start to end and the signals Linux forces:
// fexecve of a close-on-exec descriptor runs the program; argv and envp bytes arrive unchanged
// (0xff, lone continuation bytes); nested #! scripts get binfmt_script's argv; a missing
// interpreter is ENOENT and a malformed ELF ENOEXEC, returned to the caller (the image is
// loaded before the kernel's point of no return); sigreturn without a frame and a fault with
// SIGSEGV blocked or ignored end the process with SIGSEGV, as force_sig does.
// manythreads: 1000 threads and 300 vfork children one after another, then 200 threads at once
// (what a thread or child takes is given back; a process is not limited to 128 of them).
import test from 'ava';
import { matchesNative } from './run-embox.js';

const CASES: Array<[string, string]> = [
  ['exectest', 'execve and forced signals as natively'],
  ['manythreads', 'threads and children one after another and at once, as natively'],
];

for (const [id, what] of CASES) {
  for (const [label, env] of [['', {}], [' (EMBOX_JIT=0)', { EMBOX_JIT: '0' }]] as const) {
    test.serial(`${id}${label}: ${what}`, async (t) => {
      t.timeout(130_000);
      await matchesNative(t, id, env);
    });
  }
}
