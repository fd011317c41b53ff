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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, embox } from './run-embox.js';

function golden(id: string): { want: string; exit: number; line: string } {
  const text = fs.readFileSync(path.join(ROOT, `test/cpu/programs-golden/${id}.txt`), 'latin1');
  const argv = JSON.parse(/^argv: (.*)$/m.exec(text)![1]!) as string[];
  return {
    exit: Number(/^exit: (\d+)$/m.exec(text)![1]),
    want: text.slice(text.indexOf('--- stdout\n') + 11),
    line: ['load_app', id, ...argv.slice(1)].join(' '),
  };
}

const CASES: Array<[string, string]> = [
  ['exectest', 'execve and forced signals as natively'],
  ['manythreads', 'threads and children one after another and at once, as natively'],
];

for (const [id, what] of CASES) {
  const { want, exit, line } = golden(id);
  for (const [label, env] of [['', {}], [' (EMBOX_JIT=0)', { EMBOX_JIT: '0' }]] as const) {
    test.serial(`${id}${label}: ${what}`, async (t) => {
      t.timeout(130_000);
      const r = await embox(line, env, 120_000);
      const got = r.stdout.split('\n'), exp = want.split('\n');
      const i = exp.findIndex((l, k) => got[k] !== l);
      const why = `exit ${r.status}; ${i < 0 ? 'stdout equal' : `line ${i + 1}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(exp[i])}`}; stderr: ${r.stderr.slice(-400)}`;
      t.is(r.stdout, want, why);
      t.is(r.status, exit, why);
    });
  }
}
