// The files of the package a Node host boots from: lkl.wasm (or
// EMBOX_KERNEL), compiled once per process, and rootfs/. A module of its
// own, light to load, so that the CLI starts compiling and reading ahead
// before the rest of it has loaded (bin/early.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BootError } from './boot-error.js';

/** Directory holding package.json, found from this module (works from src/, dist/ and the bundle). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

const ROOT = packageRoot();

/** lkl.wasm; EMBOX_KERNEL names another build (a debug one, say). */
export const KERNEL_PATH = process.env.EMBOX_KERNEL ?? path.join(ROOT, 'lkl', 'lkl.wasm');

/** rootfs/: what guests see at / (the host files are copied into the kernel's root at boot). */
export const ROOTFS_DIR = path.join(ROOT, 'rootfs');
/** Names in rootfs/ that are not for guests. */
export const ROOTFS_SKIP: ReadonlySet<string> = new Set(['src', 'MANIFEST', 'busybox.applets']);
/** Busybox's applet list as scripts/fetch-debian.mjs wrote it, if it is there. */
export const APPLETS_FILE = path.join(ROOTFS_DIR, 'bin', 'busybox.applets');

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * lkl.wasm, compiled once per process. The file is read at once (a few ms),
 * so that compiling starts before the caller's next await.
 */
export function kernelModule(): Promise<WebAssembly.Module> {
  if (!compiled) {
    let bytes: Buffer | undefined;
    try {
      bytes = fs.readFileSync(KERNEL_PATH);
    } catch {
      // reported where it is awaited
    }
    compiled = bytes ? WebAssembly.compile(bytes) : Promise.reject(new BootError(`kernel not built: ${KERNEL_PATH} is missing (run npm run build:lkl)`));
  }
  return compiled;
}
