import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syscallMatrix } from '../../src/int80/matrix.js';
import { KERNEL_LACKS, RENAMED, TABLE } from '../../src/int80/abi.js';
import { NR } from '../../src/rtos/kernel/unistd.js';
import { withKernel } from '../kernel/helpers.js';
import { SYSCALL_32 } from '../../src/int80/syscall_32.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('docs/SYSCALLS.md is the matrix the table gives (zx scripts/gen-syscall-docs.mjs)', (t) => {
  t.is(fs.readFileSync(path.join(ROOT, 'docs/SYSCALLS.md'), 'utf8'), syscallMatrix());
});

test('every entry of syscall_32.tbl has a level and a note', (t) => {
  t.is(SYSCALL_32.length, 440);
  for (const [nr, name] of SYSCALL_32) {
    const e = TABLE[nr];
    t.truthy(e, name);
    t.is(e!.name, name);
    t.true(['full', 'partial', 'none'].includes(e!.level));
    t.true(e!.note.length > 0);
    if (e!.level !== 'none') t.is(typeof e!.run, 'function', name);
  }
});

test('calls that pass straight through exist in the kernel; the ones marked as lacking answer ENOSYS there', async (t) => {
  // every generic call probed with arguments it refuses (-1: bad descriptor,
  // pointer, flags): an implemented one says so with its own errno, a missing
  // one is sys_ni_syscall's ENOSYS. futex answers ENOSYS for an unknown
  // operation (as on Linux); calls that would act on the test task are left out.
  const SKIP = new Set(['vhangup', 'pause', 'umask', 'sync', 'syncfs', 'setsid', 'personality', 'sched_yield',
    'restart_syscall', 'futex', 'futex_time64']);
  const ENOSYS = -38;
  const { passing, lacking } = await withKernel(async ({ sys }) => {
    const passing: string[] = [], lacking: string[] = [];
    for (const e of TABLE) {
      if (!e || SKIP.has(e.name)) continue;
      const g = (NR as Record<string, number>)[RENAMED[e.name] ?? e.name];
      if (g === undefined) continue;
      const passes = e.note.startsWith('generic');
      if (!passes && KERNEL_LACKS[e.name] === undefined) continue;
      const r = await sys.call(g, -1, -1, -1, -1, -1, -1);
      if (passes && r === ENOSYS) passing.push(e.name);
      if (!passes && r !== ENOSYS) lacking.push(`${e.name} = ${r}`);
    }
    return { passing, lacking };
  });
  t.deepEqual(passing, [], 'marked as passing through, but the kernel has no such call');
  t.deepEqual(lacking, [], 'marked as lacking, but the kernel has it');
  t.true(Object.keys(KERNEL_LACKS).length > 20);
});
