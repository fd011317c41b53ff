// The Node host's kernel module: lkl.wasm as read by package-files.ts, its
// memory import made shared (with a maximum), a compilation hints section
// before its code where V8 compiles by them (Node 20), everything else byte
// for byte.
import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KERNEL_PATH, kernelMemoryShared, kernelModule, readKernel, START_FUNCTIONS } from '../../src/boot/package-files.js';
import { readUleb, wasmSections as sections } from '../../src/cpu/wasm-encode.js';
import { compileHintsFor, kernelCompileHints, v8Flags } from '../../src/cpu/v8-flags.js';

const file = new Uint8Array(fs.readFileSync(KERNEL_PATH));
const list = JSON.parse(fs.readFileSync(START_FUNCTIONS, 'utf8')) as { kernel: { bytes: number; functions: number }; eager: number[]; disk: number[] };
const declared = readUleb(file, sections(file).find((s) => s.id === 3)!.content)[0];

/** The hints section's bytes (one a function) in a module read by readKernel (its place and size checked); undefined if it has none. */
function hintsOf(t: ExecutionContext, read: Uint8Array): Uint8Array | undefined {
  const s = sections(read);
  const at = s.findIndex((x) => x.id === 0 && Buffer.from(read.subarray(x.content + 1, x.content + 17)).toString('latin1') === 'compilationHints');
  if (at < 0) return undefined;
  const sec = s[at]!;
  t.is(s[at + 1]!.id, 10, 'the hints section is the one just before the code section');
  const [n, p] = readUleb(read, sec.content + 17);
  t.is(n, declared, 'one hint a declared function');
  t.is(sec.end - p, n, 'one byte each');
  return read.subarray(p, sec.end);
}

/** Whether two byte ranges are equal (ava's deepEqual takes seconds over megabytes). */
function same(x: Uint8Array, y: Uint8Array): boolean {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
}

test('lkl.wasm imports env.memory shared, with the same minimum and 65536 pages at most; nothing else changes', async (t) => {
  const read = readKernel(KERNEL_PATH);
  t.true(WebAssembly.validate(read));
  // without the hints section (where there is one), the same sections
  const hints = hintsOf(t, read);
  t.is(hints !== undefined, kernelCompileHints());
  const [a, b] = [sections(file), sections(read).filter((s) => !(hints && s.id === 0 && s.end === hints.byteOffset - read.byteOffset + hints.length))];
  t.deepEqual(a.map((s) => s.id), b.map((s) => s.id));
  const imp = a.findIndex((s) => s.id === 2), code = a.findIndex((s) => s.id === 10);
  // before the import section, between it and the code section, and from there on: the same bytes
  t.true(same(read.subarray(0, a[imp]!.at), file.subarray(0, a[imp]!.at)));
  t.true(same(read.subarray(b[imp]!.end, b[imp]!.end + a[code]!.at - a[imp]!.end), file.subarray(a[imp]!.end, a[code]!.at)));
  t.true(same(read.subarray(b[code]!.at), file.subarray(a[code]!.at)));
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

test('the start functions are compiled with the module, the rest at their first call; a list for another lkl.wasm is not used', (t) => {
  // Node 20's V8 (11) takes the section; others run as they did, without it
  t.is(compileHintsFor('11.3.244.8-node.38'), true);
  t.is(compileHintsFor('12.4.254.21-node.33'), false);
  t.regex(v8Flags('11.3.244.8-node.38'), / --experimental-wasm-compilation-hints --no-wasm-lazy-compilation/);
  t.notRegex(v8Flags('12.4.254.21-node.33'), /compilation-hints|lazy-compilation/);
  if (!kernelCompileHints()) {
    t.is(hintsOf(t, readKernel(KERNEL_PATH)), undefined);
    return;
  }
  // the list is the committed lkl.wasm's (scripts/check-artifacts.mjs checks its hash)
  t.is(list.kernel.bytes, file.length);
  t.is(list.kernel.functions, declared);
  t.true(list.eager.length > 300 && list.eager.length < declared / 5, `${list.eager.length} functions`);
  const hints = hintsOf(t, readKernel(KERNEL_PATH))!;
  const eager = new Set(list.eager);
  t.deepEqual([...hints].map((h, f) => [f, h]).filter(([f, h]) => h !== (eager.has(f) ? 2 : 1)), []);
  // with a disk: its list too (functions the start list does not have)
  const disk = new Set(list.disk);
  t.true(disk.size > 100 && [...disk].every((f) => !eager.has(f) && f < declared), `${disk.size} disk functions`);
  const withDisk = hintsOf(t, readKernel(KERNEL_PATH, undefined, true))!;
  t.deepEqual([...withDisk].map((h, f) => [f, h]).filter(([f, h]) => h !== (eager.has(f) || disk.has(f) ? 2 : 1)), []);
  // a list for a kernel of another size or function count: every function at its first call
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'starts-'));
  try {
    for (const kernel of [{ ...list.kernel, bytes: list.kernel.bytes + 1 }, { ...list.kernel, functions: list.kernel.functions - 1 }]) {
      const other = path.join(dir, 'start-functions.json');
      fs.writeFileSync(other, JSON.stringify({ ...list, kernel }));
      const all = hintsOf(t, readKernel(KERNEL_PATH, other))!;
      t.true(all.every((h) => h === 1));
    }
    // none, or not JSON: the same
    t.true(hintsOf(t, readKernel(KERNEL_PATH, path.join(dir, 'missing.json')))!.every((h) => h === 1));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"kernel":');
    t.true(hintsOf(t, readKernel(KERNEL_PATH, path.join(dir, 'bad.json')))!.every((h) => h === 1));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
