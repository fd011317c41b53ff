// The check sum of a snapshot's pages (snapshot.ts), computed where they lie,
// in the kernel's WebAssembly memory, by a module of a few instructions: two
// sums over the data as 32-bit lanes of 16 bytes (a Fletcher sum: the
// first adds each 16 bytes, the second adds the first after each step, so
// that where a byte lies counts too), mixed into 32 bits at the end. Any
// changed, missing or moved word of a page changes it. zlib's CRC-32 of a
// start's 30 MiB took 10-15 ms of the main thread while the CLI loaded; this
// takes about 3.

import { name as str, section, sleb, uleb } from '../cpu/wasm-encode.js';

/** A running sum over ranges of one memory, in the order they are given. */
export interface PageSum {
  /** Add the len bytes at `at` (len a multiple of 32). */
  update(at: number, len: number): void;
  /** The sum of everything added since the last digest (and start again from nothing). */
  digest(): number;
}

const SIMD = 0xfd, V128 = 0x7b, I32 = 0x7f;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, GLOBAL_GET = 0x23, GLOBAL_SET = 0x24;
const V128_LOAD = 0x00, V128_CONST = 0x0c, I32X4_EXTRACT_LANE = 0x1b, I32X4_ADD = [0xae, 0x01];
const I32_CONST = 0x41, I32_ADD = 0x6a, I32_GE_U = 0x4f, I32_XOR = 0x73, I32_MUL = 0x6c, I32_ROTL = 0x77;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, EMPTY = 0x40;

function fn(out: number[], locals: number[], code: number[]): void {
  const body: number[] = [];
  uleb(body, locals.length);
  for (const t of locals) body.push(1, t);
  body.push(...code, END);
  uleb(out, body.length);
  out.push(...body);
}
const ZERO = [SIMD, V128_CONST, ...new Array<number>(16).fill(0)];

/** The module: update(at, len), digest(); the two sums in globals 0 and 1. */
function moduleBytes(shared: boolean): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  section(out, 1, [2, 0x60, 2, I32, I32, 0, 0x60, 0, 1, I32]);
  const imp = [1];
  str(imp, 'e'); str(imp, 'm');
  // (a shared memory's import must state a maximum, which any maximum it has meets; an unshared one none)
  imp.push(0x02, shared ? 0x03 : 0x00, 0);
  if (shared) uleb(imp, 65536);
  section(out, 2, imp);
  section(out, 3, [2, 0, 1]);
  section(out, 6, [2, V128, 1, ...ZERO, END, V128, 1, ...ZERO, END]);
  const exp = [2];
  str(exp, 'update'); exp.push(0x00, 0);
  str(exp, 'digest'); exp.push(0x00, 1);
  section(out, 7, exp);
  const AT = 0, LEN = 1, A = 2, B = 3;
  const step = (offset: number): number[] => [
    LOCAL_GET, A, LOCAL_GET, AT, SIMD, V128_LOAD, 4, offset, SIMD, ...I32X4_ADD, LOCAL_SET, A,
    LOCAL_GET, B, LOCAL_GET, A, SIMD, ...I32X4_ADD, LOCAL_SET, B,
  ];
  const code = [2];
  fn(code, [V128, V128], [
    GLOBAL_GET, 0, LOCAL_SET, A, GLOBAL_GET, 1, LOCAL_SET, B,
    LOCAL_GET, AT, LOCAL_GET, LEN, I32_ADD, LOCAL_SET, LEN, // len := the end
    BLOCK, EMPTY, LOOP, EMPTY,
    LOCAL_GET, AT, LOCAL_GET, LEN, I32_GE_U, BR_IF, 1,
    ...step(0), ...step(16),
    LOCAL_GET, AT, I32_CONST, 32, I32_ADD, LOCAL_SET, AT,
    BR, 0, END, END,
    LOCAL_GET, A, GLOBAL_SET, 0, LOCAL_GET, B, GLOBAL_SET, 1,
  ]);
  // digest: each lane of both sums mixed in (h := rotl(h ^ lane, 13) * 0x9e3779b1), the sums zeroed
  const mix: number[] = [];
  for (const g of [0, 1]) {
    for (let lane = 0; lane < 4; lane++) {
      mix.push(LOCAL_GET, 0, GLOBAL_GET, g, SIMD, I32X4_EXTRACT_LANE, lane, I32_XOR, I32_CONST, 13, I32_ROTL);
      mix.push(I32_CONST);
      sleb(mix, 0x9e3779b1 | 0);
      mix.push(I32_MUL, LOCAL_SET, 0);
    }
  }
  fn(code, [I32], [...mix, ...ZERO, GLOBAL_SET, 0, ...ZERO, GLOBAL_SET, 1, LOCAL_GET, 0]);
  section(out, 10, code);
  return Uint8Array.from(out);
}

const modules: Array<WebAssembly.Module | undefined> = [undefined, undefined];
const sums = new WeakMap<WebAssembly.Memory, PageSum>();

/** The running sum over memory's bytes (one per memory: a digest ends every sum begun). */
export function pageSum(memory: WebAssembly.Memory): PageSum {
  let s = sums.get(memory);
  if (s === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = (modules[+shared] ??= new WebAssembly.Module(moduleBytes(shared)));
    const e = new WebAssembly.Instance(module, { e: { m: memory } }).exports as { update(at: number, len: number): void; digest(): number };
    s = {
      update(at: number, len: number): void {
        if (len % 32 !== 0 || at < 0 || at + len > memory.buffer.byteLength) throw new RangeError(`pageSum: ${len} bytes at ${at}`);
        e.update(at, len);
      },
      digest: () => e.digest() >>> 0,
    };
    sums.set(memory, s);
  }
  return s;
}
