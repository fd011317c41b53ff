import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syscallMatrix } from '../../src/int80/matrix.js';
import { TABLE } from '../../src/int80/abi.js';
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
