// The compiled kernel on a Node host: lkl.wasm from the package (or
// EMBOX_KERNEL), compiled once per process. A module of its own, light to
// load, so that the CLI starts compiling before the rest of it has loaded
// (bin/early.ts): V8 compiles in the background meanwhile.

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

/** lkl.wasm; EMBOX_KERNEL names another build (a debug one, say). */
export const KERNEL_PATH = process.env.EMBOX_KERNEL ?? path.join(packageRoot(), 'lkl', 'lkl.wasm');

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
