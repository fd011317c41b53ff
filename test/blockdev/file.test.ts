import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlockDevError } from '../../src/blockdev/blockdev.js';
import { FileBlockDevice } from '../../src/blockdev/file.js';
import { MIN_IMAGE_BYTES, openImage } from '../../src/blockdev/image.js';
import { image } from '../images.js';

function tmpdir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blockdev-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 13 + seed) & 0xff;
  return b;
}

test('write, flush, close, reopen, read back; the file holds the bytes at their offsets', (t) => {
  const img = path.join(tmpdir(t), 'disk.img');
  fs.writeFileSync(img, new Uint8Array(1 << 20));
  const dev = FileBlockDevice.open(img);
  t.false(dev.readOnly);
  t.is(dev.capacity(), 1 << 20);
  const a = pattern(4096, 1);
  const b = pattern(1000, 2);
  dev.write(8192, a);
  dev.write((1 << 20) - 1000, b);
  dev.flush();
  dev.close();
  t.throws(() => dev.read(0, new Uint8Array(1)), { message: `${img}: device is closed` });

  const raw = fs.readFileSync(img);
  t.deepEqual(new Uint8Array(raw.subarray(8192, 8192 + 4096)), a);
  t.deepEqual(new Uint8Array(raw.subarray(raw.length - 1000)), b);
  t.is(raw.length, 1 << 20);

  const again = FileBlockDevice.open(img, 'rw');
  const ra = new Uint8Array(4096);
  again.read(8192, ra);
  t.deepEqual(ra, a);
  const rb = new Uint8Array(1000);
  again.read((1 << 20) - 1000, rb);
  t.deepEqual(rb, b);
  t.throws(() => again.read((1 << 20) - 10, new Uint8Array(20)), { instanceOf: BlockDevError });
  again.close();
});

test('a write-protected image opens read-only and says so', (t) => {
  const img = path.join(tmpdir(t), 'ro.img');
  fs.writeFileSync(img, pattern(4096, 5));
  fs.chmodSync(img, 0o444);
  const dev = FileBlockDevice.open(img);
  t.true(dev.readOnly);
  const b = new Uint8Array(4096);
  dev.read(0, b);
  t.deepEqual(b, pattern(4096, 5));
  t.throws(() => dev.write(0, new Uint8Array(1)), { message: `${img}: write to a read-only image` });
  dev.flush(); // nothing to make durable: not an error
  dev.close();
  const e = t.throws(() => FileBlockDevice.open(img, 'rw'), { instanceOf: BlockDevError });
  t.is(e?.message, `${img}: image is read-only (no write permission)`);
  t.is(e?.code, 'EROFS');
  t.true(FileBlockDevice.open(img, 'ro').readOnly);
  t.deepEqual(fs.readFileSync(img), Buffer.from(pattern(4096, 5)));
});

test('missing files and directories are clear errors', (t) => {
  const dir = tmpdir(t);
  const missing = path.join(dir, 'nope.img');
  const e1 = t.throws(() => FileBlockDevice.open(missing), { instanceOf: BlockDevError });
  t.is(e1?.message, `${missing}: No such file or directory`);
  t.is(e1?.code, 'ENOENT');
  const e2 = t.throws(() => FileBlockDevice.open(dir), { instanceOf: BlockDevError });
  t.is(e2?.message, `${dir}: Is a directory`);
});

test('openImage: too small, not a filesystem, truncated, read-only, and a real ext4 image', async (t) => {
  const dir = tmpdir(t);
  const small = path.join(dir, 'small.img');
  fs.writeFileSync(small, new Uint8Array(1000));
  await t.throwsAsync(openImage(small), { message: `${small}: image too small (1000 bytes; an ext2/3/4 filesystem needs at least ${MIN_IMAGE_BYTES})` });

  const zeros = path.join(dir, 'zeros.img');
  fs.writeFileSync(zeros, new Uint8Array(1 << 20));
  await t.throwsAsync(openImage(zeros), { message: `${zeros}: not an ext2/ext3/ext4 filesystem (no superblock magic 0xEF53 at offset 1080)` });

  const good = image(t, 'ext4-4m');
  const opened = await openImage(good);
  t.is(opened.fs.type, 'ext4');
  t.false(opened.dev.readOnly);
  opened.dev.close();

  const cut = path.join(dir, 'cut.img');
  fs.copyFileSync(good, cut);
  fs.truncateSync(cut, 2 << 20);
  await t.throwsAsync(openImage(cut), { message: `${cut}: image truncated (the filesystem spans ${4 << 20} bytes, the file has ${2 << 20})` });

  fs.chmodSync(good, 0o444);
  await t.throwsAsync(openImage(good), { message: `${good}: image is read-only (no write permission)` });
  const ro = await openImage(good, 'auto');
  t.true(ro.dev.readOnly);
  ro.dev.close();
});
