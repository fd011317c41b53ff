import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectExt, EXT_MAGIC_OFFSET, parseExtSuperblock } from '../../src/blockdev/detect.js';
import { FileBlockDevice } from '../../src/blockdev/file.js';
import { MemoryBlockDevice } from '../../src/blockdev/memory.js';
import { image, imageInfo } from '../images.js';

// The committed images (scripts/build-images.mjs) and what blkid and dumpe2fs said of them.
const CASES: Array<{ image: string; what: string; type: string }> = [
  { image: 'ext2-two', what: 'mkfs.ext2 -L two', type: 'ext2' },
  { image: 'ext3-three', what: 'mkfs.ext3 -L three -b 2048', type: 'ext3' },
  { image: 'ext4-vda-root', what: 'mkfs.ext4 -L vda-root', type: 'ext4' },
  { image: 'ext4-nojournal', what: 'mkfs.ext4 -O ^has_journal -b 4096', type: 'ext4' },
];

for (const c of CASES) {
  test(`${c.what}: type and superblock fields match blkid and dumpe2fs`, (t) => {
    const img = image(t, c.image);
    const rec = imageInfo(c.image);
    const dev = FileBlockDevice.open(img);
    const info = detectExt(dev);
    dev.close();
    if (!info) return t.fail('no filesystem detected');
    t.is(info.type as string, rec.blkid);
    t.is(info.type as string, c.type);
    const d = rec.dumpe2fs;
    t.is(info.blockSize, Number(d['Block size']));
    t.is(info.blocksCount, Number(d['Block count']));
    t.is(info.freeBlocksCount, Number(d['Free blocks']));
    t.is(info.inodesCount, Number(d['Inode count']));
    t.is(info.inodeSize, Number(d['Inode size']));
    t.is(info.uuid, d['Filesystem UUID'] ?? '(missing)');
    const label = d['Filesystem volume name'] ?? '(missing)';
    t.is(info.label, label === '<none>' ? '' : label);
    t.deepEqual(info.features, d['Filesystem features']!.split(' '));
    t.is(info.clean, d['Filesystem state'] === 'clean');
    t.false(info.needsRecovery);
    t.is(info.sizeBytes, rec.size);
  });
}

test('no magic, wrong magic, or a device too small: not detected', (t) => {
  t.is(detectExt(new MemoryBlockDevice(1 << 16)), null);
  t.is(detectExt(new MemoryBlockDevice(2000)), null);
  const dev = new MemoryBlockDevice(1 << 16);
  dev.write(EXT_MAGIC_OFFSET, new Uint8Array([0x53, 0xee]));
  t.is(detectExt(dev), null);
  dev.write(EXT_MAGIC_OFFSET, new Uint8Array([0x53, 0xef]));
  const info = detectExt(dev);
  t.is(info?.type, 'ext2');
  t.deepEqual(info?.features, []);
  t.throws(() => parseExtSuperblock(new Uint8Array(100)), { message: 'superblock buffer too short' });
});
