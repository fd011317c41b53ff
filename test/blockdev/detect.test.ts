import test from 'ava';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectExt, EXT_MAGIC_OFFSET, parseExtSuperblock } from '../../src/blockdev/detect.js';
import { FileBlockDevice } from '../../src/blockdev/file.js';
import { MemoryBlockDevice } from '../../src/blockdev/memory.js';

/** dumpe2fs -h fields by their label. */
function dumpe2fs(img: string): Map<string, string> {
  const out = execFileSync('dumpe2fs', ['-h', img], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return m;
}

const CASES: Array<{ mkfs: string; args: string[]; size: number; type: string }> = [
  { mkfs: 'mkfs.ext2', args: ['-L', 'two'], size: 4 << 20, type: 'ext2' },
  { mkfs: 'mkfs.ext3', args: ['-L', 'three', '-b', '2048'], size: 8 << 20, type: 'ext3' },
  { mkfs: 'mkfs.ext4', args: ['-L', 'vda-root'], size: 16 << 20, type: 'ext4' },
  { mkfs: 'mkfs.ext4', args: ['-O', '^has_journal', '-b', '4096'], size: 32 << 20, type: 'ext4' },
];

for (const c of CASES) {
  test(`${c.mkfs} ${c.args.join(' ')}: type and superblock fields match blkid and dumpe2fs`, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const img = path.join(dir, 'fs.img');
    fs.writeFileSync(img, new Uint8Array(c.size));
    execFileSync(c.mkfs, ['-q', '-F', ...c.args, img]);
    const dev = FileBlockDevice.open(img);
    const info = await detectExt(dev);
    dev.close();
    if (!info) return t.fail('no filesystem detected');
    const blkidType = execFileSync('blkid', ['-p', '-o', 'value', '-s', 'TYPE', img], { encoding: 'utf8' }).trim();
    t.is(info.type as string, blkidType);
    t.is(info.type as string, c.type);
    const d = dumpe2fs(img);
    t.is(info.blockSize, Number(d.get('Block size')));
    t.is(info.blocksCount, Number(d.get('Block count')));
    t.is(info.freeBlocksCount, Number(d.get('Free blocks')));
    t.is(info.inodesCount, Number(d.get('Inode count')));
    t.is(info.inodeSize, Number(d.get('Inode size')));
    t.is(info.uuid, d.get('Filesystem UUID') ?? '(missing)');
    const label = d.get('Filesystem volume name') ?? '(missing)';
    t.is(info.label, label === '<none>' ? '' : label);
    t.deepEqual(info.features, d.get('Filesystem features')!.split(' '));
    t.is(info.clean, d.get('Filesystem state') === 'clean');
    t.false(info.needsRecovery);
    t.is(info.sizeBytes, c.size);
  });
}

test('no magic, wrong magic, or a device too small: not detected', async (t) => {
  t.is(await detectExt(new MemoryBlockDevice(1 << 16)), null);
  t.is(await detectExt(new MemoryBlockDevice(2000)), null);
  const dev = new MemoryBlockDevice(1 << 16);
  dev.write(EXT_MAGIC_OFFSET, new Uint8Array([0x53, 0xee]));
  t.is(await detectExt(dev), null);
  dev.write(EXT_MAGIC_OFFSET, new Uint8Array([0x53, 0xef]));
  const info = await detectExt(dev);
  t.is(info?.type, 'ext2');
  t.deepEqual(info?.features, []);
  t.throws(() => parseExtSuperblock(new Uint8Array(100)), { message: 'superblock buffer too short' });
});
