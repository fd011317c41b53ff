// The files of the package a Node host boots from: lkl.wasm (or
// EMBOX_KERNEL), compiled once per process, and rootfs/. A module of its
// own, light to load, so that the CLI starts compiling and reading ahead
// before the rest of it has loaded (bin/early.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BootError } from './boot-error.js';
import { readUleb } from '../cpu/wasm-encode.js';
import { kernelCompileHints } from '../cpu/v8-flags.js';
import { mark } from './start-marks.js';

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

/** The kernel's compile, once per process, and whether its module imports a shared memory. */
const kernel: { compiled?: Promise<WebAssembly.Module>; shared: boolean } = { shared: false };

/**
 * lkl.wasm, compiled once per process. The file is read at once (a few ms),
 * so that compiling starts before the caller's next await. `disk`: the system
 * will have a disk (what a start with one runs is compiled with the module
 * too), as the first call says.
 */
export function kernelModule(disk = false): Promise<WebAssembly.Module> {
  if (!kernel.compiled) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = readKernel(KERNEL_PATH, START_FUNCTIONS, disk);
    } catch {
      // reported where it is awaited
    }
    kernel.compiled = bytes ? WebAssembly.compile(bytes).then((m) => { mark('kernel'); return m; }) : Promise.reject(new BootError(`kernel not built: ${KERNEL_PATH} is missing (run npm run build:lkl)`));
  }
  return kernel.compiled;
}

/** Whether kernelModule()'s module imports a shared memory (the kernel's memory must be made so). */
export function kernelMemoryShared(): boolean {
  kernelModule().catch(() => undefined);
  return kernel.shared;
}

/** A wasm32 memory's most pages: the maximum the shared import declares. */
const MAX_PAGES = 65536;

/**
 * The kernel's module as read from the file, made to import a shared memory:
 * the kernel's memory is then a SharedArrayBuffer, which V8 does not count as
 * the isolate's external memory (a 256 MiB ArrayBuffer had it start a full
 * garbage collection at every start). The kernel uses no atomics and its
 * memory never grows, so nothing else changes. lkl.wasm imports env.memory
 * with no maximum; a shared memory needs one, so the import's limits become
 * shared, the same minimum, MAX_PAGES at most: the import section is
 * rewritten, the rest read in place after it. A module whose import is not
 * so is read as it is (and `shared` stays false).
 *
 * Where V8 compiles by compilation hints (v8-flags.ts kernelCompileHints), a
 * hints section goes in before the code section: the functions of
 * START_FUNCTIONS (with `disk`, its disk list too) compiled with the module,
 * the others at their first call.
 */
export function readKernel(file: string, starts = START_FUNCTIONS, disk = false): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const readAt = (dst: Uint8Array, at: number, pos: number, n: number): void => {
      for (let done = 0; done < n;) {
        const got = fs.readSync(fd, dst, at + done, n - done, pos + done);
        if (got <= 0) throw new Error(`${file}: short read`);
        done += got;
      }
    };
    let head = new Uint8Array(Math.min(size, 64 << 10));
    readAt(head, 0, 0, head.length);
    const byHints = kernelCompileHints();
    let hints = byHints ? hintsSection(head, size, starts, disk) : undefined;
    if (byHints && !hints && head.length < size) {
      // (without the section V8 would compile every function now: the sections before the code, read whole)
      head = new Uint8Array(size);
      readAt(head, 0, 0, size);
      hints = hintsSection(head, size, starts, disk);
    }
    const patched = shareMemoryImport(head);
    // the pieces: the rewritten import section's prefix, the file's bytes up to the code section,
    // the hints section, the file's bytes from there on ((typed-array copies: this runs cold at every start)
    const from = patched ? patched.rest : 0, cut = hints ? hints.before : size;
    const extra = (patched ? patched.prefix.length : 0) + (hints ? hints.section.length : 0);
    const all = new Uint8Array(extra + size - from);
    let at = 0;
    const put = (bytes: Uint8Array): void => {
      all.set(bytes, at);
      at += bytes.length;
    };
    const copy = (pos: number, end: number): void => {
      const inHead = Math.max(0, Math.min(end, head.length) - pos);
      if (inHead > 0) put(head.subarray(pos, pos + inHead));
      if (end > pos + inHead) {
        readAt(all, at, pos + inHead, end - pos - inHead);
        at += end - pos - inHead;
      }
    };
    if (patched) put(patched.prefix);
    copy(from, cut);
    if (hints) {
      put(hints.section);
      copy(cut, size);
    }
    kernel.shared = patched !== undefined;
    return all;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * lkl.wasm's functions a start of the system compiles (declared functions'
 * indices; scripts/record-start-functions.mjs), for the lkl.wasm of that size
 * and function count.
 */
export const START_FUNCTIONS = path.join(ROOT, 'lkl', 'start-functions.json');

/**
 * `eager`: what a start runs; `disk`: what a start with a disk runs besides (ext4's mount and reads,
 * the block layer: `embox --root IMG -c 'load_app /bin/true'` compiled 671 functions at their first
 * calls, on the main thread; with them compiled with the module, medians of 10 alternating starts,
 * the system was up 218 -> 196 ms and the start ended 424 -> 399).
 */
interface StartFunctions {
  kernel: { sha256: string; bytes: number; functions: number }; commands: string; eager: number[];
  diskCommands?: string; disk?: number[];
}

/** The list in the file `starts` (START_FUNCTIONS) if it is for a kernel of this size and function count; with `disk`, its disk list too. */
function startFunctions(starts: string, size: number, functions: number, disk: boolean): readonly number[] {
  try {
    const list = JSON.parse(fs.readFileSync(starts, 'utf8')) as StartFunctions;
    if (list.kernel.bytes === size && list.kernel.functions === functions && Array.isArray(list.eager)) {
      return disk && Array.isArray(list.disk) ? [...list.eager, ...list.disk] : list.eager;
    }
  } catch {
    // none: every function at its first call
  }
  return [];
}

/**
 * The compilation hints custom section for a module (V8's experimental
 * format: one byte a declared function, 2 compiled with the module, 1 at its
 * first call; it goes after the function section, before the code section),
 * and the offset of the code section in the file; undefined when the
 * sections before the code are not all in `head`.
 */
function hintsSection(head: Uint8Array, size: number, starts: string, disk: boolean): { before: number; section: Uint8Array } | undefined {
  let functions = -1;
  for (let p = 8; p < head.length;) {
    const [len, content] = readUleb(head, p + 1);
    if (head[p] === 3) functions = readUleb(head, content)[0];
    if (head[p] === 10) {
      if (functions < 0) return undefined;
      const hints = new Uint8Array(functions).fill(1);
      for (const f of startFunctions(starts, size, functions, disk)) if (f >= 0 && f < functions) hints[f] = 2;
      const name = [...'compilationHints'].map((c) => c.charCodeAt(0));
      const payload = [...leb128(name.length), ...name, ...leb128(functions)];
      const start = [0, ...leb128(payload.length + functions), ...payload];
      const section = new Uint8Array(start.length + functions);
      section.set(start);
      section.set(hints, section.length - functions);
      return { before: p, section };
    }
    p = content + len;
  }
  return undefined;
}

/** Unsigned LEB128 of n. */
function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/**
 * The module's bytes up to the end of its import section with env.memory
 * imported shared (`prefix`), and where the original bytes go on from
 * (`rest`); undefined when the import section is not in `head` or its memory
 * import is not env.memory without a maximum.
 */
function shareMemoryImport(head: Uint8Array): { prefix: Uint8Array; rest: number } | undefined {
  let p = 8;
  const leb = (): number => {
    const [v, next] = readUleb(head, p);
    p = next;
    return v;
  };
  const skipName = (): string => {
    const n = leb();
    p += n;
    return n > 16 ? '' : String.fromCharCode(...head.subarray(p - n, p));
  };
  while (p < head.length) {
    const sectionAt = p;
    const id = head[p++]!, len = leb(), contentAt = p, end = p + len;
    if (id !== 2) { p = end; continue; }
    if (end > head.length) return undefined;
    for (let n = leb(); n > 0; n--) {
      const mod = skipName(), field = skipName(), kind = head[p++]!;
      if (kind === 2) {
        // memory: limits flags (0: a minimum only), the minimum
        if (mod !== 'env' || field !== 'memory' || head[p] !== 0) return undefined;
        const limitsAt = p;
        p++;
        const initial = leb();
        const limits = [3, ...leb128(initial), ...leb128(MAX_PAGES)]; // shared, with a maximum
        const size = leb128(limitsAt - contentAt + limits.length + end - p);
        // (typed-array copies: this runs cold at every start)
        const prefix = new Uint8Array(sectionAt + 1 + size.length + limitsAt - contentAt + limits.length + end - p);
        let at = 0;
        for (const part of [head.subarray(0, sectionAt), [2], size, head.subarray(contentAt, limitsAt), limits, head.subarray(p, end)]) {
          prefix.set(part, at);
          at += part.length;
        }
        return { prefix, rest: end };
      }
      if (kind === 0) leb(); // function: its type
      else if (kind === 1) { p++; const f = head[p++]!; leb(); if (f & 1) leb(); } // table: element type, limits
      else p += 2; // global: value type, mutability
    }
    return undefined;
  }
  return undefined;
}
