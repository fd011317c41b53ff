// Image locks (src/blockdev/lock.ts) within one process: one writer or
// several readers, every path to the file naming the same lock, released by
// close; across processes (and kill -9) in test/kernel/vda-lock.test.ts.
import test from 'ava';
import * as fs from 'node:fs';
import { lockImage } from '../../src/blockdev/lock.js';
import { openImage } from '../../src/blockdev/image.js';
import { BlockDevError } from '../../src/blockdev/blockdev.js';
import { image } from '../images.js';

const busy = (img: string, by: string) =>
  `${img}: image is in use by another embox, attached ${by}; an image is attached read-write by one embox at a time, or read-only (IMAGE:ro) by several`;

test('one writer: a second exclusive or shared lock is EBUSY until the first is released', async (t) => {
  const img = image(t, 'ext4-4m');
  const w = await lockImage(img, 'exclusive');
  const e = await t.throwsAsync(lockImage(img, 'exclusive'), { instanceOf: BlockDevError, message: busy(img, 'read-write') });
  t.is((e as BlockDevError).code, 'EBUSY');
  await t.throwsAsync(lockImage(img, 'shared'), { message: busy(img, 'read-write') });
  w.release();
  w.release(); // idempotent
  const again = await lockImage(img, 'exclusive');
  again.release();
});

test('several readers share; a writer waits for the last of them', async (t) => {
  const img = image(t, 'ext4-4m');
  const r1 = await lockImage(img, 'shared');
  const r2 = await lockImage(img, 'shared');
  await t.throwsAsync(lockImage(img, 'exclusive'), { message: busy(img, 'read-only') });
  r1.release();
  await t.throwsAsync(lockImage(img, 'exclusive'), { message: busy(img, 'read-only') });
  r2.release();
  (await lockImage(img, 'exclusive')).release();
});

test('a hard link and a symlink to the image name the same lock; another image is free', async (t) => {
  const img = image(t, 'ext4-4m');
  const hard = `${img}.hard`, soft = `${img}.soft`;
  fs.linkSync(img, hard);
  fs.symlinkSync(img, soft);
  const w = await lockImage(img, 'exclusive');
  await t.throwsAsync(lockImage(hard, 'exclusive'), { message: busy(hard, 'read-write') });
  await t.throwsAsync(lockImage(soft, 'shared'), { message: busy(soft, 'read-write') });
  const other = image(t, 'ext4-4m');
  (await lockImage(other, 'exclusive')).release();
  w.release();
});

test('openImage locks until dev.close(): read-write exclusively, read-only shared', async (t) => {
  const img = image(t, 'ext4-4m');
  const rw = await openImage(img, 'rw');
  await t.throwsAsync(openImage(img, 'rw'), { message: busy(img, 'read-write') });
  await t.throwsAsync(openImage(img, 'ro'), { message: busy(img, 'read-write') });
  rw.dev.close();
  const ro1 = await openImage(img, 'ro');
  const ro2 = await openImage(img, 'ro');
  t.true(ro1.dev.readOnly && ro2.dev.readOnly);
  await t.throwsAsync(openImage(img, 'rw'), { message: busy(img, 'read-only') });
  ro1.dev.close();
  ro2.dev.close();
  (await openImage(img, 'rw')).dev.close();
});

test('a missing image is reported as such, not as a lock failure', async (t) => {
  await t.throwsAsync(lockImage('/nonexistent/disk.img', 'exclusive'), { message: '/nonexistent/disk.img: No such file or directory' });
});
