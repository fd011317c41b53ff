import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/rtos → package root
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');

function embox(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [EMBOX, ...args], { encoding: 'utf8', input: '', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpdir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('usage errors: message and usage on stderr, status 2', (t) => {
  for (const args of [['--bogus'], ['--vda'], ['--vda', ':ro'], ['-c']]) {
    const r = embox(args);
    t.is(r.status, 2, args.join(' '));
    t.is(r.stdout, '');
    t.regex(r.stderr, /^embox: .+\nusage: embox \[--vda IMAGE\[:ro\] \| --root IMAGE\[:ro\]\] \[--mem SIZE\] \[--net user\|none\]\n +\[-p \[HOSTIP:\]HOSTPORT:GUESTPORT\[\/udp\]\]\.\.\. \[--profile\] \[--verbose\] \[-c 'COMMANDS'\]\n/);
  }
  const h = embox(['--help']);
  t.is(h.status, 0);
  t.regex(h.stdout, /^usage: embox/);
});

test('bad images: one clear line on stderr, nothing on stdout, status 1', (t) => {
  const dir = tmpdir(t);
  const small = path.join(dir, 'small.img');
  fs.writeFileSync(small, new Uint8Array(512));
  const zeros = path.join(dir, 'zeros.img');
  fs.writeFileSync(zeros, new Uint8Array(1 << 20));
  const ro = path.join(dir, 'ro.img');
  fs.writeFileSync(ro, new Uint8Array(1 << 20));
  fs.chmodSync(ro, 0o444);
  const cases: Array<[string, string]> = [
    [path.join(dir, 'missing.img'), 'No such file or directory'],
    [dir, 'Is a directory'],
    [small, 'image too small (512 bytes; an ext2/3/4 filesystem needs at least 2048)'],
    [zeros, 'not an ext2/ext3/ext4 filesystem (no superblock magic 0xEF53 at offset 1080)'],
    [ro, 'image is read-only (no write permission)'],
  ];
  for (const [img, why] of cases) {
    const r = embox(['--vda', img, '-c', 'ls /']);
    t.is(r.status, 1, img);
    t.is(r.stdout, '');
    t.is(r.stderr, `embox: ${img}: ${why}\n`);
  }
});
