// Differential harness for unit-jit-simd.test.ts: unit-harness.ts's approach (the same bytes on the
// real CPU through a gcc -m32 runner, and on the CPU here) with the SIMD state on both sides: an
// FXSAVE image in (fxrstor natively, fxrstorImage here) and out (fxsave, fxsaveImage), two data
// pages with the page after them unmapped, and runs in time slices so that blocks queued for
// translation get compiled while the loop still runs (as in the system).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostAnswer } from '../native.js';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/cpu/memory.js';
import { CPU } from '../../src/cpu/cpu.js';
import { fxsaveImage, fxrstorImage } from '../../src/cpu/simd.js';
import { undefMask } from './unit-harness.js';

export const CODE = 0x10000000, DATA = 0x10100000, STACK = 0x10200000, STACK_TOP = 0x10210000, ESP0 = 0x1020ff00;
/** the data compared, [from, to) offsets from DATA (must match unit-jit-simd-native.c) */
export const WINDOWS: readonly (readonly [number, number])[] = [[0x000, 0x200], [0xf80, 0x1080], [0x1fc0, 0x2000]];
export const WINDOW_BYTES = WINDOWS.reduce((n, [a, b]) => n + b - a, 0);
/** code page bytes compared (stores into the code page land there) */
export const CODE_WIN = 0x800, CODE_WIN_LEN = 0x40;
const FX_OUT = 288;

export interface SimdCase {
  code: string;            // hex
  regs: number[];          // eax ecx edx ebx ebp esi edi
  flags: number;           // initial eflags status bits
  fx: Uint8Array;          // 512-byte FXSAVE image loaded first
  data: Uint8Array;        // WINDOW_BYTES bytes: the windows' contents (the rest of the two pages is zero)
  note: string;
}
export interface SimdResult {
  regs: number[];          // eax ecx edx ebx esp ebp esi edi
  eflags: number;
  eip: number;             // offset from CODE
  signo: number; code: number; addr: number; trapno: number; err: number;
  fx: Uint8Array;          // FXSAVE bytes 0..287 (only the compared fields mean anything)
  data: Uint8Array;        // the windows
  codeWin: Uint8Array;
}

const here = dirname(fileURLToPath(import.meta.url));
function nativeSource(): string {
  const candidates = [join(here, 'unit-jit-simd-native.c'), join(here, '../../../test/cpu/unit-jit-simd-native.c')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('unit-jit-simd-native.c not found');
  return found;
}
let nativeBin = '';
function buildNative(): string {
  if (nativeBin) return nativeBin;
  const out = join(mkdtempSync(join(tmpdir(), 'cpu-simd-native-')), 'native');
  const r = spawnSync('gcc', ['-m32', '-O1', '-static', '-no-pie', '-mno-sse', '-mno-mmx', '-o', out, nativeSource()], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc -m32 failed: ${r.stderr}`);
  nativeBin = out;
  return out;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hex8 = (n: number): string => (n >>> 0).toString(16);
function unhex(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h, 'hex'));
}
/** A hex dump in which ".." stands for the byte of `base` at that place. */
function undots(h: string, base: Uint8Array): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let k = 0; k < out.length; k++) {
    const s = h.slice(2 * k, 2 * k + 2);
    out[k] = s === '..' ? base[k]! : parseInt(s, 16);
  }
  return out;
}

/** FXSAVE bytes the test compares: FCW FSW FTW, MXCSR, ST0-7 (10 bytes each), XMM0-7 */
function fxCompared(k: number): boolean {
  if (k < 5) return true;
  if (k >= 24 && k < 28) return true;
  if (k >= 32 && k < 160) return (k - 32) % 16 < 10;
  return k >= 160 && k < FX_OUT;
}

/** The real CPU's results (recorded in test/native for hosts without gcc -m32). */
export function runNative(cases: SimdCase[]): SimdResult[] {
  const input = cases.map((c) => {
    const v = [0, 1, 2, 3, 4, 5, 6].map((k) => hex8(c.regs[k] ?? 0));
    return `${c.code} ${v.join(' ')} ${hex8(0x202 | c.flags)} ${hex(c.fx)} ${hex(c.data)}`;
  }).join('\n') + '\n';
  const stdout = hostAnswer('unit-jit-simd runs', readFileSync(nativeSource(), 'utf8') + input, () => {
    const p = spawnSync(buildNative(), [], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (p.error || p.status !== 0) throw new Error(`native runner failed (${p.status}): ${p.stderr ?? p.error}`);
    return Buffer.from(p.stdout);
  }).toString('utf8');
  const lines = stdout.trim().split('\n');
  if (lines.length !== cases.length) throw new Error(`native runner: ${lines.length} results for ${cases.length} cases`);
  return lines.map((line, k) => {
    const f = line.split(' ');
    const n = f.slice(0, 10).map((x) => parseInt(x, 16) >>> 0);
    const c = cases[k]!;
    return {
      regs: n.slice(0, 8), eflags: n[8]!, eip: n[9]!,
      signo: +f[10]!, code: +f[11]!, addr: parseInt(f[12]!, 16) >>> 0, trapno: +f[13]!, err: +f[14]!,
      fx: undots(f[15]!, c.fx), data: undots(f[16]!, c.data), codeWin: unhex(f[17]!),
    };
  });
}

/** Counts of what translated code did (for the test's log). */
export const stats = { cases: 0, insns: 0, handlerCalls: 0, faults: 0 };

let shared: AddressSpace | null = null;
/**
 * Run case c on the CPU here, every block translated to WebAssembly once it has run `threshold`
 * times; `onExec` sees every instruction translated code hands to its handler.
 */
export function runEmu(c: SimdCase, threshold: number, onExec?: (cpu: CPU, i: Parameters<CPU['exec']>[0]) => void): SimdResult {
  const mem = (shared ??= new AddressSpace());
  mem.map(CODE, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC);
  mem.map(DATA, 0x2000, PROT_READ | PROT_WRITE);
  mem.unmap(DATA + 0x2000, 0x1000);
  mem.map(STACK, STACK_TOP - STACK, PROT_READ | PROT_WRITE);
  const code = unhex(c.code);
  mem.writeBytes(CODE, code);
  mem.writeBytes(CODE + code.length, Uint8Array.of(0xcd, 0x80)); // end marker
  let off = 0;
  for (const [a, b] of WINDOWS) { mem.writeBytes(DATA + a, c.data.subarray(off, off + b - a)); off += b - a; }
  const cpu = new CPU(mem);
  cpu.jitThreshold = threshold;
  cpu.jitBackend = 'wasm';
  if (!fxrstorImage(cpu, c.fx)) throw new Error('fxrstorImage refused the image');
  if (onExec) {
    const exec = cpu.exec.bind(cpu);
    cpu.exec = (i): void => { onExec(cpu, i); exec(i); };
  }
  [0, 1, 2, 3, 5, 6, 7].forEach((reg, k) => { cpu.regs[reg] = c.regs[k] ?? 0; });
  cpu.regs[4] = ESP0;
  cpu.setEflags(0x202 | c.flags);
  cpu.eip = CODE;
  // time slices: a budget stop compiles the blocks queued for translation
  let stop = cpu.run(400);
  for (let n = 0; stop.kind === 'budget' && n < 500; n++) stop = cpu.run(400);
  const fx = fxsaveImage(cpu).slice(0, FX_OUT);
  const data = new Uint8Array(WINDOW_BYTES);
  off = 0;
  for (const [a, b] of WINDOWS) { data.set(mem.readBytes(DATA + a, b - a), off); off += b - a; }
  const res: SimdResult = {
    regs: Array.from(cpu.regs, (v) => v >>> 0), eflags: cpu.getEflags() >>> 0, eip: (cpu.eip - CODE) >>> 0,
    signo: 0, code: 0, addr: 0, trapno: 0, err: 0, fx, data, codeWin: mem.readBytes(CODE + CODE_WIN, CODE_WIN_LEN),
  };
  stats.cases++;
  stats.insns += cpu.icount;
  if (stop.kind === 'fault') {
    stats.faults++;
    Object.assign(res, { signo: stop.signo, code: stop.code, addr: stop.addr, trapno: stop.trapno, err: stop.errorCode });
  } else if (stop.kind === 'syscall') {
    res.eip = (res.eip - 2) >>> 0; // native reports the end of the sequence
  } else {
    res.signo = -1; // did not finish
  }
  return res;
}

const le = (b: Uint8Array, o: number, n: number): string => hex(b.slice(o, o + n).reverse());
/** The FXSAVE fields that differ, named. */
function fxDiffs(a: Uint8Array, b: Uint8Array): string[] {
  const d: string[] = [];
  const field = (name: string, o: number, n: number): void => {
    const x = le(a, o, n), y = le(b, o, n);
    if (x !== y) d.push(`${name} ${x} vs ${y}`);
  };
  field('fcw', 0, 2); field('fsw', 2, 2); field('ftw', 4, 1); field('mxcsr', 24, 4);
  for (let k = 0; k < 8; k++) field(`st${k}`, 32 + 16 * k, 10);
  for (let k = 0; k < 8; k++) field(`xmm${k}`, 160 + 16 * k, 16);
  return d;
}
/** Where the data windows differ (first few 16-byte rows). */
function dataDiffs(a: Uint8Array, b: Uint8Array, what: string, at: (k: number) => number): string[] {
  const d: string[] = [];
  for (let k = 0; k < a.length && d.length < 4; k += 16) {
    const x = hex(a.slice(k, k + 16)), y = hex(b.slice(k, k + 16));
    if (x !== y) d.push(`${what} @${hex8(at(k))} ${x} vs ${y}`);
  }
  return d;
}
function dataAddr(k: number): number {
  for (const [a, b] of WINDOWS) {
    if (k < b - a) return DATA + a + k;
    k -= b - a;
  }
  return -1;
}

const RF = 0x10000;
/** Differences between the real CPU's result a and ours b for case c ('' when equal). */
export function diff(c: SimdCase, a: SimdResult, b: SimdResult): string {
  const mask = ~(undefMask(c.code) | RF);
  const diffs: string[] = [];
  const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  for (let r = 0; r < 8; r++) if (a.regs[r] !== b.regs[r]) diffs.push(`${names[r]} ${hex8(a.regs[r]!)} vs ${hex8(b.regs[r]!)}`);
  if ((a.eflags & mask) !== (b.eflags & mask)) diffs.push(`eflags ${hex8(a.eflags)} vs ${hex8(b.eflags)}`);
  for (const f of ['eip', 'signo', 'code', 'addr', 'trapno', 'err'] as const) {
    if (a[f] !== b[f]) diffs.push(`${f} ${hex8(a[f])} vs ${hex8(b[f])}`);
  }
  const ca = a.fx.map((v, k) => (fxCompared(k) ? v : 0)), cb = b.fx.map((v, k) => (fxCompared(k) ? v : 0));
  diffs.push(...fxDiffs(ca, cb));
  diffs.push(...dataDiffs(a.data, b.data, 'data', dataAddr));
  diffs.push(...dataDiffs(a.codeWin, b.codeWin, 'code', (k) => CODE + CODE_WIN + k));
  return diffs.length ? `${c.note} [${c.code}] (native vs ours): ${diffs.join('; ')}` : '';
}
