// npm run build:web: the page as a static site in dist/site: index.html, the
// page's and the worker's bundles (esbuild: the whole core, xterm.js), the
// xterm.js stylesheet, lkl.wasm and the root filesystem as one file
// (rootfs.pack). Any static host serves it; SERVING.md in web/ says which
// headers give it shared memory.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { APPLETS_FILE, KERNEL_PATH, ROOTFS_DIR, rootEntries } from '../src/boot/system.js';
import { writePack, type PackEntry } from './rootfs-pack.js';

/** The package's root (this file runs from dist/web/). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SITE_DIR = path.join(ROOT, 'dist', 'site');

/** rootfs/ as one file, in the order and with the modes the Node host copies it in. */
async function packRootfs(): Promise<Uint8Array[]> {
  const entries: PackEntry[] = [];
  const data: Uint8Array[] = [];
  let off = 0;
  for await (const e of rootEntries(ROOTFS_DIR)) {
    if (e.kind === 'file') {
      const bytes = await e.data();
      entries.push({ path: e.path, kind: 'file', mode: e.mode, off, len: bytes.length });
      data.push(bytes);
      off += bytes.length;
    } else entries.push(e.kind === 'dir' ? { path: e.path, kind: 'dir' } : { path: e.path, kind: 'symlink', target: e.target });
  }
  const applets = fs.existsSync(APPLETS_FILE) ? fs.readFileSync(APPLETS_FILE, 'utf8') : undefined;
  return writePack({ entries, applets }, data);
}

export async function buildSite(opts: { minify?: boolean } = {}): Promise<void> {
  fs.rmSync(SITE_DIR, { recursive: true, force: true });
  fs.mkdirSync(SITE_DIR, { recursive: true });
  const web = path.join(ROOT, 'web');
  await esbuild.build({
    entryPoints: { page: path.join(web, 'page.ts'), worker: path.join(web, 'worker.ts') },
    outdir: SITE_DIR,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(web, 'index.html'), path.join(SITE_DIR, 'index.html'));
  fs.copyFileSync(KERNEL_PATH, path.join(SITE_DIR, 'lkl.wasm'));
  fs.writeFileSync(path.join(SITE_DIR, 'rootfs.pack'), Buffer.concat(await packRootfs()));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  await buildSite({ minify: !process.argv.includes('--no-minify') });
  const sizes = fs.readdirSync(SITE_DIR).map((f) => `${f} ${(fs.statSync(path.join(SITE_DIR, f)).size / 1048576).toFixed(2)} MiB`);
  console.log(`dist/site in ${Date.now() - t0} ms: ${sizes.join(', ')}`);
}
