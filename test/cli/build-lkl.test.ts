// npm run build:lkl's prerequisite check (scripts/lkl-prereq.mjs): what is
// missing in one plain message naming the install command, no stack trace.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// dist/test/cli → package root
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'lkl-prereq.mjs');

interface Prereq {
  check(o: { tarball?: string; env?: NodeJS.ProcessEnv; inputs?: string }): { missing: Array<[string, string]>; warnings: string[] };
  TARBALL: string;
}

function tmpdir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lkl-prereq-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('nothing on PATH but node: every tool named with its package, the install command, status 1', (t) => {
  const bin = tmpdir(t);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: bin }, timeout: 30_000 });
  t.is(r.stdout, '');
  const lines = r.stderr.split('\n');
  t.regex(lines[0]!, /^build:lkl: missing: (\/usr\/src\/linux-source-6\.1\.tar\.xz \(linux-source-6\.1\), )?clang-19, wasm-ld-19 \(lld-19\), llvm-ar-19 \(llvm-19\), make, bc, flex, bison, tar, xz \(xz-utils\), patch$/);
  t.is(lines[1], 'Install them with: npx zx scripts/build-lkl.mjs --install  (as root: apt-get install of the kernel source and the toolchain)');
  t.is(lines[2], 'and: apt-get install tar xz-utils patch');
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  t.is(r.status, 1);
});

test('the kernel source tarball missing; another linux-source version than the recorded one', async (t) => {
  const m = (await import(pathToFileURL(SCRIPT).href)) as Prereq;
  t.is(m.TARBALL, '/usr/src/linux-source-6.1.tar.xz');
  const dir = tmpdir(t);
  const gone = m.check({ tarball: path.join(dir, 'linux-source-6.1.tar.xz') });
  t.deepEqual(gone.missing.find(([w]) => w.endsWith('.tar.xz')), [path.join(dir, 'linux-source-6.1.tar.xz'), 'linux-source-6.1']);

  // dpkg-query says which version is installed; lkl.inputs.json says which one was used
  const tarball = path.join(dir, 'src.tar.xz');
  fs.writeFileSync(tarball, '');
  fs.writeFileSync(path.join(dir, 'dpkg-query'), '#!/bin/sh\nprintf 6.1.176-1\n', { mode: 0o755 });
  const inputs = path.join(dir, 'inputs.json');
  fs.writeFileSync(inputs, JSON.stringify({ inputs: { packages: 'clang-19=1:19.1.7-3~deb12u1 linux-source-6.1=6.1.192-3 lld-19=1' } }));
  const env = { PATH: `${dir}:/usr/bin:/bin` };
  const other = m.check({ tarball, env, inputs });
  t.deepEqual(other.warnings, ['linux-source-6.1 6.1.176-1 is installed; lkl/lkl.wasm was built from 6.1.192-3. ' +
    'The build will not be byte-identical to the committed lkl.wasm; lkl/lkl.inputs.json will record 6.1.176-1.']);
  fs.writeFileSync(path.join(dir, 'dpkg-query'), '#!/bin/sh\nprintf 6.1.192-3\n', { mode: 0o755 });
  t.deepEqual(m.check({ tarball, env, inputs }).warnings, []);
});
