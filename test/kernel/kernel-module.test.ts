// The Node host's kernel module: lkl.wasm as read by package-files.ts, its
// memory import made shared (with a maximum), everything else byte for byte.
import test from 'ava';
import * as fs from 'node:fs';
import { KERNEL_PATH, kernelMemoryShared, kernelModule, readKernel } from '../../src/boot/package-files.js';
import { wasmSections as sections } from '../../src/cpu/wasm-encode.js';

test('lkl.wasm imports env.memory shared, with the same minimum and 65536 pages at most; nothing else changes', async (t) => {
  const file = new Uint8Array(fs.readFileSync(KERNEL_PATH));
  const read = readKernel(KERNEL_PATH);
  t.true(WebAssembly.validate(read));
  const [a, b] = [sections(file), sections(read)];
  t.deepEqual(a.map((s) => s.id), b.map((s) => s.id));
  const imp = a.findIndex((s) => s.id === 2);
  // before the import section and after it: the same bytes
  t.deepEqual(read.subarray(0, a[imp]!.at), file.subarray(0, a[imp]!.at));
  t.deepEqual(read.subarray(b[imp]!.end), file.subarray(a[imp]!.end));
  // the import section: the memory's limits only (0x00 min -> 0x03 min max)
  const before = Buffer.from(file.subarray(a[imp]!.content, a[imp]!.end)).toString('latin1');
  const after = Buffer.from(read.subarray(b[imp]!.content, b[imp]!.end)).toString('latin1');
  const m = /\x03env\x06memory\x02\x00([\x80-\xff]*[\x00-\x7f])/.exec(before)!;
  t.truthy(m, 'lkl.wasm imports env.memory without a maximum');
  t.is(after, before.replace(m[0], `\x03env\x06memory\x02\x03${m[1]}\x80\x80\x04`));
  // and the module compiled from it takes a shared memory
  t.true(kernelMemoryShared());
  t.truthy(await kernelModule());
});
