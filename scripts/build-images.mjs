#!/usr/bin/env zx
// Builds the ext2/3/4 disk images the tests attach as /dev/vda (and inspect),
// byte-identically: mke2fs with a fixed UUID, hash seed and clock
// (E2FSPROGS_FAKE_TIME), files put in with debugfs, each image stored as
// test/images/NAME.img.gz, with what blkid and dumpe2fs say of the pristine
// image in NAME.json. The tests then need no e2fsprogs: they unpack the image
// and compare with the recorded tool output, as the CPU tests compare with
// runs recorded on the real CPU.
//
//   zx scripts/build-images.mjs          build into test/images
//   zx scripts/build-images.mjs --check  rebuild into a temp dir, fail if anything differs
import { $, fs, path, os, argv } from 'zx';
import { dumpe2fs } from './ext-image.mjs';
import { gzipSync, gunzipSync } from 'node:zlib';

$.verbose = false;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { elapsed, ProgressLine } = await import(path.join(root, 'dist/src/boot/progress.js'));
/** What a person waiting at the terminal sees (nothing elsewhere): which image is being made. */
const progress = new ProgressLine(process.stderr);
const outDir = path.join(root, 'test/images');
const FAKE_TIME = '1764547200'; // 2025-12-01T00:00:00Z

const linuxEcho = () => fs.readFileSync(path.join(root, 'rootfs/bin/linux_echo'));

/** linux_echo with its first instruction replaced: a load from address 0. */
function faulting() {
  const b = Buffer.from(linuxEcho());
  const entry = b.readUInt32LE(24), phoff = b.readUInt32LE(28), phnum = b.readUInt16LE(44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + 32 * i;
    const [type, off, vaddr, filesz] = [b.readUInt32LE(ph), b.readUInt32LE(ph + 4), b.readUInt32LE(ph + 8), b.readUInt32LE(ph + 16)];
    if (type === 1 && entry >= vaddr && entry < vaddr + filesz) {
      b.set([0xa1, 0, 0, 0, 0], off + entry - vaddr); // mov eax, [0]
      return b;
    }
  }
  throw new Error('no loadable segment holds the entry point');
}

/** The 64-byte header of an x86-64 ELF executable: what load_app must refuse as a foreign binary. */
function x86_64Header() {
  const b = Buffer.alloc(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(62, 18); // EM_X86_64
  b.writeUInt32LE(1, 20);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  return b;
}

const IMAGES = [
  { name: 'ext2-two', mkfs: 'mkfs.ext2', args: ['-L', 'two'], size: 4 << 20 },
  { name: 'ext3-three', mkfs: 'mkfs.ext3', args: ['-L', 'three', '-b', '2048'], size: 8 << 20 },
  { name: 'ext4-vda-root', mkfs: 'mkfs.ext4', args: ['-L', 'vda-root'], size: 16 << 20 },
  { name: 'ext4-nojournal', mkfs: 'mkfs.ext4', args: ['-O', '^has_journal', '-b', '4096'], size: 32 << 20 },
  { name: 'ext4-32m', mkfs: 'mkfs.ext4', args: [], size: 32 << 20 },
  { name: 'ext4-4m', mkfs: 'mkfs.ext4', args: [], size: 4 << 20 },
  { name: 'ext2-16m', mkfs: 'mkfs.ext2', args: [], size: 16 << 20 },
  { name: 'ext3-16m', mkfs: 'mkfs.ext3', args: [], size: 16 << 20 },
  {
    name: 'ext4-apps', mkfs: 'mkfs.ext4', args: [], size: 16 << 20,
    files: {
      'bin/echo32': linuxEcho,
      'bin/segv': faulting,
      'bin/text': () => Buffer.from('just text\n'),
      'bin/x86_64': x86_64Header,
      'bin/short': () => linuxEcho().subarray(0, 100),
    },
  },
  // a root whose /bin/sh is an x86-64 program: what embox --root must refuse as no i386 distribution
  { name: 'ext4-x86_64-root', mkfs: 'mkfs.ext4', args: ['-L', 'x86_64-root'], size: 4 << 20, files: { 'bin/sh': x86_64Header } },
];

async function build(dir) {
  const env = { ...process.env, E2FSPROGS_FAKE_TIME: FAKE_TIME };
  const from = Date.now();
  for (const [n, im] of IMAGES.entries()) {
    progress.show(`test/images: ${n + 1} of ${IMAGES.length}: ${im.name} (${elapsed(Date.now() - from)})`);
    const img = path.join(dir, `${im.name}.img`);
    await fs.writeFile(img, Buffer.alloc(im.size));
    const uuid = `00000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`;
    await $({ env })`${im.mkfs} -q -F -U ${uuid} -E hash_seed=${uuid},root_owner=0:0 ${im.args} ${img}`;
    if (im.files) {
      const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'img-'));
      await $({ env })`debugfs -w -R ${'mkdir bin'} ${img}`;
      for (const [name, make] of Object.entries(im.files)) {
        const f = path.join(tmp, path.basename(name));
        await fs.writeFile(f, make(), { mode: 0o755 });
        await $({ env })`debugfs -w -R ${`write ${f} ${name}`} ${img}`;
        await $({ env })`debugfs -w -R ${`sif ${name} mode 0100755`} ${img}`;
      }
      await fs.remove(tmp);
    }
    const info = {
      size: im.size,
      blkid: (await $`blkid -p -o value -s TYPE ${img}`).stdout.trim(),
      dumpe2fs: await dumpe2fs(img),
    };
    await fs.writeFile(path.join(dir, `${im.name}.json`), JSON.stringify(info, null, 1) + '\n');
    await fs.writeFile(path.join(dir, `${im.name}.img.gz`), gzipSync(await fs.readFile(img), { level: 9 }));
    await fs.remove(img);
  }
  progress.clear();
}

if (argv.check) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'images-'));
  try {
    await build(tmp);
    let bad = 0;
    for (const im of IMAGES) {
      const a = gunzipSync(await fs.readFile(path.join(tmp, `${im.name}.img.gz`)));
      const b = await fs.readFile(path.join(outDir, `${im.name}.img.gz`)).then(gunzipSync, () => Buffer.alloc(0));
      const ja = await fs.readFile(path.join(tmp, `${im.name}.json`), 'utf8');
      const jb = await fs.readFile(path.join(outDir, `${im.name}.json`), 'utf8').catch(() => '');
      if (!a.equals(b) || ja !== jb) { console.error(`test/images/${im.name}: differs from a fresh build`); bad++; }
    }
    if (bad) process.exit(1);
    console.log(`all ${IMAGES.length} test images are identical to a fresh build`);
  } finally {
    await fs.remove(tmp);
  }
} else {
  await fs.mkdirp(outDir);
  await build(outDir);
  console.log(`test/images: ${IMAGES.length} images`);
}
