// /dev/vda: an ext2/3/4 image in a host file, mounted at /mnt/vda by the
// kernel's own ext4 driver; data survives a poweroff and a new process, and
// e2fsck finds the filesystem clean.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { O, AT_FDCWD } from '../../src/rtos/sys.js';
import { withKernel, readFile } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.js');
const ENOSPC = 28;

function embox(args: string[]) {
  const r = spawnSync(process.execPath, [EMBOX, ...args], { encoding: 'utf8', input: '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mkfs(t: { teardown(fn: () => void): void }, type: string, size: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vda-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const img = path.join(dir, 'disk.img');
  const r = spawnSync(`mkfs.${type}`, ['-q', '-F', img, size], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfs.${type}: ${r.stderr}`);
  return img;
}

function fsck(img: string) {
  return spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
}

test.serial('write, sync, poweroff; a new process reads it back; e2fsck is clean', (t) => {
  const img = mkfs(t, 'ext4', '32M');
  const w = embox(['--vda', img, '-c', 'echo persisted > /mnt/vda/p; mkdir /mnt/vda/dir; echo two >> /mnt/vda/dir/f; sync']);
  t.is(w.stderr, '');
  t.is(w.stdout, '');
  t.is(w.status, 0);
  const r = embox(['--vda', img, '-c', 'cat /mnt/vda/p; cat /mnt/vda/dir/f']);
  t.is(r.stdout, 'persisted\ntwo\n');
  t.is(r.status, 0);
  const c = fsck(img);
  t.is(c.status, 0, c.stdout + c.stderr);
  // debugfs reads the image without any kernel: the bytes really are in the file.
  const d = spawnSync('debugfs', ['-R', 'cat /p', img], { encoding: 'utf8' });
  t.is(d.stdout, 'persisted\n');
});

test.serial('a megabyte of random data survives a reboot in-process, byte for byte', async (t) => {
  const img = mkfs(t, 'ext4', '32M');
  const data = randomBytes(1 << 20);
  await withKernel(async ({ sys }) => {
    const fd = await sys.openat(AT_FDCWD, '/mnt/vda/blob', O.WRONLY | O.CREAT, 0o600);
    t.is(await sys.write(fd, data), data.length);
    t.is(await sys.fsync(fd), 0);
    t.is(await sys.close(fd), 0);
  }, { vda: img });
  const back = await withKernel(async ({ sys }) => {
    const fd = await sys.openat(AT_FDCWD, '/mnt/vda/blob', O.RDONLY);
    const buf = new Uint8Array(data.length + 1);
    let n = 0;
    for (;;) {
      const k = await sys.read(fd, buf.subarray(n));
      if (k <= 0) break;
      n += k;
    }
    await sys.close(fd);
    return buf.subarray(0, n);
  }, { vda: img });
  t.is(back.length, data.length);
  t.true(Buffer.from(back).equals(data));
  const out = path.join(path.dirname(img), 'blob.out');
  spawnSync('debugfs', ['-R', `dump /blob ${out}`, img]);
  t.true(fs.readFileSync(out).equals(data));
  t.is(fsck(img).status, 0);
});

for (const type of ['ext2', 'ext3']) {
  test.serial(`${type} images mount read-write too`, (t) => {
    const img = mkfs(t, type, '16M');
    const r = embox(['--vda', img, '-c', `echo ${type} > /mnt/vda/x; cat /mnt/vda/x; mount`]);
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`^${type}\n`));
    t.regex(r.stdout, new RegExp(`^/dev/vda /mnt/vda ${type} rw`, 'm'));
    t.is(fsck(img).status, 0);
  });
}

test.serial('a full disk gives ENOSPC, the system keeps running, and the filesystem stays clean', async (t) => {
  const img = mkfs(t, 'ext4', '4M');
  await withKernel(async ({ sys }) => {
    const fd = await sys.openat(AT_FDCWD, '/mnt/vda/fill', O.WRONLY | O.CREAT, 0o644);
    const chunk = new Uint8Array(256 * 1024).fill(0x5a);
    let r = 0;
    for (let i = 0; i < 64 && r >= 0; i++) {
      r = await sys.write(fd, chunk);
      if (r >= 0 && r < chunk.length) r = await sys.write(fd, chunk.subarray(r));
    }
    t.is(r, -ENOSPC);
    t.is(await sys.close(fd), 0);
    t.is(await readFile(sys, '/proc/version').then((v) => String(v).slice(0, 13)), 'Linux version');
    t.is(await sys.unlinkat(AT_FDCWD, '/mnt/vda/fill', 0), 0);
  }, { vda: img });
  t.is(fsck(img).status, 0);
});
