// /dev/vda: an ext2/3/4 image in a host file, mounted at /mnt/vda by the
// kernel's own ext4 driver; data survives a poweroff and a new process, and
// (where the host has e2fsprogs) e2fsck finds the filesystem clean and
// debugfs reads the same bytes without any kernel.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { O, AT_FDCWD } from '../../src/uapi/linux.js';
import { withKernel, readFile } from './helpers.js';
import { image, hostHas } from '../images.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EMBOX = path.join(ROOT, 'bin', 'embox.cjs');
const ENOSPC = 28;

function embox(args: string[]) {
  const r = spawnSync(process.execPath, [EMBOX, ...args], { encoding: 'utf8', input: '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** e2fsck -fn: clean, where the host has e2fsprogs (CI installs them; the images are committed). */
function fsckClean(t: { is(a: unknown, b: unknown, m?: string): void }, img: string): void {
  if (!hostHas('e2fsck')) return;
  const c = spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
  t.is(c.status, 0, c.stdout + c.stderr);
}

test.serial('write, sync, poweroff; a new process reads it back; e2fsck is clean', (t) => {
  const img = image(t, 'ext4-32m');
  const w = embox(['--vda', img, '-c', 'echo persisted > /mnt/vda/p; mkdir /mnt/vda/dir; echo two >> /mnt/vda/dir/f; sync']);
  t.is(w.stderr, '');
  t.is(w.stdout, '');
  t.is(w.status, 0);
  const r = embox(['--vda', img, '-c', 'cat /mnt/vda/p; cat /mnt/vda/dir/f']);
  t.is(r.stdout, 'persisted\ntwo\n');
  t.is(r.status, 0);
  fsckClean(t, img);
  // debugfs reads the image without any kernel: the bytes really are in the file.
  if (hostHas('debugfs')) t.is(spawnSync('debugfs', ['-R', 'cat /p', img], { encoding: 'utf8' }).stdout, 'persisted\n');
});

test.serial('a megabyte of random data survives a reboot in-process, byte for byte', async (t) => {
  const img = image(t, 'ext4-32m');
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
  if (hostHas('debugfs')) {
    const out = path.join(path.dirname(img), 'blob.out');
    spawnSync('debugfs', ['-R', `dump /blob ${out}`, img]);
    t.true(fs.readFileSync(out).equals(data));
  }
  fsckClean(t, img);
});

for (const type of ['ext2', 'ext3']) {
  test.serial(`${type} images mount read-write too`, (t) => {
    const img = image(t, `${type}-16m`);
    const r = embox(['--vda', img, '-c', `echo ${type} > /mnt/vda/x; cat /mnt/vda/x; mount`]);
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`^${type}\n`));
    t.regex(r.stdout, new RegExp(`^/dev/vda /mnt/vda ${type} rw`, 'm'));
    fsckClean(t, img);
  });
}

test.serial('a full disk gives ENOSPC, the system keeps running, and the filesystem stays clean', async (t) => {
  const img = image(t, 'ext4-4m');
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
  fsckClean(t, img);
});
