// The one-line progress of src/boot/progress.ts (the first start's, the build
// scripts'): shown and replaced on a terminal, cut to its width, erased at the
// end; nothing at all where the output is not a terminal.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { elapsed, ProgressLine } from '../../src/boot/progress.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function out(isTTY: boolean, columns?: number): { isTTY: boolean; columns?: number; text: string; write(s: string): boolean } {
  return { isTTY, columns, text: '', write(s: string) { this.text += s; return true; } };
}

test('on a terminal: each line replaces the one before, cut to the width; clear() erases it once', (t) => {
  const o = out(true, 20);
  const p = new ProgressLine(o);
  p.show('fetching package 1 of 19');
  p.show('short');
  p.clear();
  p.clear();
  t.is(o.text, '\rfetching package 1 \x1b[K\rshort\x1b[K\r\x1b[K');
  // a terminal of unknown size (a pty nobody sized reports 0 columns) is taken as 80 wide
  const z = out(true, 0);
  new ProgressLine(z).show('x'.repeat(100));
  t.is(z.text, `\r${'x'.repeat(79)}\x1b[K`);
});

test('updates closer together than minMs are dropped, the first never', (t) => {
  const o = out(true, 80);
  const p = new ProgressLine(o, 60_000);
  p.show('one');
  p.show('two');
  t.is(o.text, '\rone\x1b[K');
});

test('during(): the text with the time elapsed while the work runs, erased when it settles (also when it fails)', async (t) => {
  const o = out(true, 80);
  const p = new ProgressLine(o);
  t.is(await p.during('writing the image', new Promise((r) => setTimeout(() => r(7), 1100))), 7);
  // redrawn each second (Node runs the 1 s interval before the 1.1 s timeout, however late both are)
  t.regex(o.text, /^\rwriting the image \(0s\)\x1b\[K(\rwriting the image \(\d+s\)\x1b\[K)+\r\x1b\[K$/);
  const f = out(true, 80);
  await t.throwsAsync(new ProgressLine(f).during(() => 'step', Promise.reject(new Error('failed'))), { message: 'failed' });
  t.is(f.text, '\rstep (0s)\x1b[K\r\x1b[K');
  t.is(elapsed(42_000), '42s');
  t.is(elapsed(187_000), '3m 07s');
});

test('nothing where the output is not a terminal', async (t) => {
  const o = out(false, 80);
  const p = new ProgressLine(o);
  t.false(p.active);
  p.show('fetching');
  await p.during('writing', Promise.resolve());
  p.clear();
  t.is(o.text, '');
});

test('scripts/build-images.mjs --check writes no progress into a pipe', (t) => {
  if (spawnSync('mkfs.ext4', ['-V']).error) return t.pass('no e2fsprogs here: nothing to build');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/zx/build/cli.js'), path.join(ROOT, 'scripts/build-images.mjs'), '--check'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /identical to a fresh build/);
  t.notRegex(r.stdout + r.stderr, /\r|\x1b\[K|test\/images: \d+ of/);
});
