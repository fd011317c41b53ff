// The bench's Debian pins (bench/debian-pins.ts) and their checks, offline: the pins are
// well formed, and a cache whose stamp or files do not match them is refused, as is a .deb
// whose sha256 is not the pinned one. Nothing here reaches the network or the real cache.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, checkDeb, PINS, pinDir, pinErrors, sha256, verifyCache, verifyDir, type Pin } from '../../bench/debian-pins.js';

// dist/test/bench → package root
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const tmpDir = (t: { teardown(f: () => void): void }): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pins-test-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
};

test('the pins are well formed and name the programs the rows run', (t) => {
  t.deepEqual(pinErrors(PINS), []);
  const files = PINS.flatMap((p) => p.files.map(([f]) => f));
  for (const f of ['usr/bin/python3.11', 'usr/bin/sqlite3', 'usr/bin/xz', 'usr/lib/gcc/i686-linux-gnu/12/cc1']) t.true(files.includes(f), f);
});

test('pinErrors: a short hash, a duplicate, a path out of the package, a non-i386 name', (t) => {
  const good: Pin = { pkg: 'a:i386', version: '1', deb: 'a'.repeat(64), files: [] };
  const errs = pinErrors([good, good, { ...good, pkg: 'b', deb: 'abc', files: [['../etc/x', 'b'.repeat(64)]] }]);
  t.true(errs.some((e) => e.includes('pinned twice')));
  t.true(errs.some((e) => e.includes('not an i386 package name')));
  t.true(errs.some((e) => e.includes('.deb sha256 abc')));
  t.true(errs.some((e) => e.includes('not a relative path')));
  // an architecture-independent package (ncurses-base in the Debian root image) is named so
  t.deepEqual(pinErrors([{ ...good, pkg: 'c:all' }]), []);
  t.true(pinErrors([{ ...good, pkg: 'c:amd64' }])[0]!.includes('not an i386 package name'));
});

test('cacheRoot follows XDG_CACHE_HOME, and BENCH_DEBIAN_CACHE overrides it; pinDir spells the epoch as apt does', (t) => {
  t.is(cacheRoot({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/embox-i386/debian');
  t.is(cacheRoot({ XDG_CACHE_HOME: 'relative', HOME: os.homedir() }), path.join(os.homedir(), '.cache', 'embox-i386', 'debian'));
  t.is(cacheRoot({ BENCH_DEBIAN_CACHE: '/y' }), '/y');
  t.is(pinDir({ pkg: 'zlib1g:i386', version: '1:1.2.13.dfsg-1', deb: '', files: [] }, '/c'), '/c/zlib1g_1%3a1.2.13.dfsg-1');
});

test('verifyDir: not fetched, a stamp from another .deb, a file that differs, then a match', (t) => {
  const dir = tmpDir(t);
  const body = Buffer.from('#!/bin/true\n');
  const pin: Pin = { pkg: 'demo:i386', version: '1.0-1', deb: 'd'.repeat(64), files: [['usr/bin/demo', sha256(body)]] };
  t.deepEqual(verifyDir(pin, dir), ['demo:i386 1.0-1: not fetched']);
  fs.writeFileSync(path.join(dir, '.deb-sha256'), `${'e'.repeat(64)}\n`);
  fs.mkdirSync(path.join(dir, 'usr/bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'usr/bin/demo'), 'tampered');
  const errs = verifyDir(pin, dir);
  t.is(errs.length, 2);
  t.regex(errs[0]!, /fetched from a \.deb with sha256 e{64}, pinned d{64}/);
  t.regex(errs[1]!, /usr\/bin\/demo: sha256 [0-9a-f]{64}, pinned/);
  fs.writeFileSync(path.join(dir, '.deb-sha256'), `${pin.deb}\n`);
  fs.writeFileSync(path.join(dir, 'usr/bin/demo'), body);
  t.deepEqual(verifyDir(pin, dir), []);
  // the whole cache, laid out as fetchPackages lays it
  const root = tmpDir(t);
  fs.cpSync(dir, pinDir(pin, root), { recursive: true });
  t.deepEqual(verifyCache([pin], root), []);
  t.is(verifyCache(PINS, root).length, PINS.length, 'an empty cache: every real pin is missing');
});

test('checkDeb refuses a .deb whose sha256 is not the pinned one', (t) => {
  const f = path.join(tmpDir(t), 'x_1_i386.deb');
  fs.writeFileSync(f, 'not a deb');
  t.is(checkDeb(f, sha256(Buffer.from('not a deb'))), null);
  t.regex(checkDeb(f, '0'.repeat(64))!, /x_1_i386\.deb: sha256 [0-9a-f]{64}, pinned 0{64}/);
});

test('fetch-debian --check on an empty cache: exit 1, each package not fetched, nothing downloaded', (t) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/bench/fetch-debian.js'), '--check'],
    { encoding: 'utf8', env: { ...process.env, BENCH_DEBIAN_CACHE: tmpDir(t) } });
  t.is(r.status, 1);
  t.is(r.stderr.split('\n').filter((l) => l.endsWith(': not fetched')).length, PINS.length);
  t.regex(r.stdout, new RegExp(`${PINS.length} problem`));
});
