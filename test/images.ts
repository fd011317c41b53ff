// The committed disk images (test/images, built by scripts/build-images.mjs
// with a fixed UUID and clock) and what e2fsprogs said of them, so the disk
// tests need no e2fsprogs; where the host has them (CI installs them) the
// images the kernel wrote are also checked with e2fsck and read with debugfs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'images');

export interface ImageInfo {
  size: number;
  /** blkid -p -o value -s TYPE */
  blkid: string;
  /** dumpe2fs -h, field by label */
  dumpe2fs: Record<string, string>;
}

/** A fresh copy of image NAME in a temporary directory (removed at teardown). */
export function image(t: { teardown(fn: () => void): void }, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'img-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const img = path.join(dir, 'disk.img');
  fs.writeFileSync(img, gunzipSync(fs.readFileSync(path.join(DIR, `${name}.img.gz`))));
  return img;
}

export function imageInfo(name: string): ImageInfo {
  return JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as ImageInfo;
}

const present = new Map<string, boolean>();
/** Whether the host has this program (e2fsck, debugfs). */
export function hostHas(tool: string): boolean {
  if (!present.has(tool)) present.set(tool, !spawnSync(tool, ['-V'], { stdio: 'ignore' }).error);
  return present.get(tool)!;
}
