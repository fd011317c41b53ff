// Differential harness for the CPU unit tests: runs byte sequences on the real CPU (through
// unit-native.c, built with gcc -m32) and on the interpreter, from the same registers, flags,
// data page and stack, and reports the differences.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { hostAnswer } from '../native.js';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../src/cpu/memory.js';
import { CPU } from '../../src/cpu/cpu.js';
import { undefinedFlags, decode } from '../../src/cpu/decode.js';

export const CODE = 0x10000000, DATA = 0x10100000, STACK = 0x10200000, STACK_TOP = 0x10210000, ESP0 = 0x1020ff00;

export interface Case {
  code: string;                 // hex bytes
  /** what the real CPU runs instead, when this host's CPU has extensions the model lacks */
  nativeCode?: string;
  regs?: number[];              // eax ecx edx ebx ebp esi edi (default 0)
  flags?: number;               // initial eflags status bits
  data?: string;                // hex bytes at DATA
  dataProt?: number;            // protection of the data page (default read+write)
  note?: string;
}
export interface Result {
  regs: number[];               // eax ecx edx ebx esp ebp esi edi
  eflags: number;
  eip: number;                  // offset from CODE
  signo: number; code: number; addr: number; trapno: number; err: number;
  segs: number[];               // ds es fs
  data: string;                 // first 64 bytes of the data page, hex
}

const here = dirname(fileURLToPath(import.meta.url));
let nativeBin = '';

function nativeSource(): string {
  // dist/test/cpu -> test/cpu
  const candidates = [join(here, 'unit-native.c'), join(here, '../../../test/cpu/unit-native.c')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('unit-native.c not found');
  return found;
}

function buildNative(): string {
  if (nativeBin) return nativeBin;
  const dir = mkdtempSync(join(tmpdir(), 'cpu-native-'));
  const out = join(dir, 'native');
  const r = spawnSync('gcc', ['-m32', '-O1', '-static', '-no-pie', '-o', out, nativeSource()], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc -m32 failed: ${r.stderr}`);
  nativeBin = out;
  return out;
}

const hex8 = (n: number) => (n >>> 0).toString(16);

export function runNative(cases: Case[]): Result[] {
  const input = cases.map((c) => {
    const r = c.regs ?? [];
    const v = [0, 1, 2, 3, 4, 5, 6].map((k) => hex8(r[k] ?? 0));
    return `${c.nativeCode ?? c.code} ${v.join(' ')} ${hex8(0x202 | (c.flags ?? 0))} ${c.dataProt ?? 3} ${c.data ?? ''}`;
  }).join('\n') + '\n';
  // the real CPU's answers (recorded in test/native for hosts that cannot run them)
  const stdout = hostAnswer('unit-native runs', readFileSync(nativeSource(), 'utf8') + input, () => {
    // without address randomization: its heap (brk, up to 32 MiB after its image at 0x08048000)
    // otherwise lands at a random place, and a case reading there found memory once in a while
    const p = spawnSync('setarch', ['-R', buildNative()], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (p.error || p.status !== 0) throw new Error(`native runner failed (${p.status}): ${p.stderr ?? p.error}`);
    return Buffer.from(p.stdout);
  }).toString('utf8');
  return stdout.trim().split('\n').map((line) => {
    const f = line.split(' ');
    const n = f.slice(0, 10).map((x) => parseInt(x, 16) >>> 0);
    return {
      regs: n.slice(0, 8), eflags: n[8], eip: n[9],
      signo: +f[10], code: +f[11], addr: parseInt(f[12], 16) >>> 0, trapno: +f[13], err: +f[14],
      segs: f.slice(15, 18).map((x) => parseInt(x, 16)), data: f[18],
    };
  });
}

function hexBytes(h: string): Uint8Array {
  const b = new Uint8Array(h.length / 2);
  for (let k = 0; k < b.length; k++) b[k] = parseInt(h.slice(2 * k, 2 * k + 2), 16);
  return b;
}

let shared: AddressSpace | null = null;

/** jit: false = the interpreter alone; true or a backend: every block translated the first time it runs */
export type Jit = boolean | 'wasm' | 'js';

export function runEmu(c: Case, maxInsns = 100000, jit: Jit = false): Result {
  // one address space for all cases: map() gives fresh zeroed pages
  const mem = (shared ??= new AddressSpace());
  mem.map(CODE, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  mem.map(STACK, STACK_TOP - STACK, PROT_READ | PROT_WRITE);
  const code = hexBytes(c.code);
  mem.writeBytes(CODE, code);
  mem.writeBytes(CODE + code.length, Uint8Array.of(0xcd, 0x80)); // end marker
  if (c.data) mem.writeBytes(DATA, hexBytes(c.data));
  if (c.dataProt !== undefined) mem.protect(DATA, 0x1000, c.dataProt);
  const cpu = new CPU(mem);
  cpu.jitThreshold = jit ? 1 : 0; // translated blocks, or the interpreter alone
  if (typeof jit === 'string') cpu.jitBackend = jit;
  const r = c.regs ?? [];
  [0, 1, 2, 3, 5, 6, 7].forEach((reg, k) => { cpu.regs[reg] = r[k] ?? 0; });
  cpu.regs[4] = ESP0;
  cpu.setEflags(0x202 | (c.flags ?? 0));
  cpu.eip = CODE;
  const stop = cpu.run(maxInsns);
  const res: Result = {
    regs: Array.from(cpu.regs, (v) => v >>> 0), eflags: cpu.getEflags() >>> 0, eip: (cpu.eip - CODE) >>> 0,
    signo: 0, code: 0, addr: 0, trapno: 0, err: 0, segs: [cpu.segs[3], cpu.segs[0], cpu.segs[4]],
    data: Array.from(dataBytes(mem), (b) => b.toString(16).padStart(2, '0')).join(''),
  };
  if (stop.kind === 'fault') {
    Object.assign(res, { signo: stop.signo, code: stop.code, addr: stop.addr, trapno: stop.trapno, err: stop.errorCode });
  } else if (stop.kind === 'syscall') {
    res.eip = (res.eip - 2) >>> 0; // native reports the end of the sequence
  } else {
    res.signo = -1; // did not finish
  }
  return res;
}

function dataBytes(mem: AddressSpace): Uint8Array {
  const prot = mem.protOf(DATA);
  mem.protect(DATA, 0x1000, PROT_READ | PROT_WRITE);
  const b = mem.readBytes(DATA, 64);
  mem.protect(DATA, 0x1000, prot);
  return b;
}

/** Union of the undefined-flag masks of the instructions in the sequence. */
export function undefMask(codeHex: string): number {
  const code = hexBytes(codeHex);
  let m = 0;
  for (let off = 0; off < code.length;) {
    const rest = new Uint8Array(16);
    rest.set(code.subarray(off, off + 16));
    m |= undefinedFlags(rest);
    const i = decode((a) => rest[a - 0x1000] ?? 0, 0x1000);
    off += Math.max(1, i.len);
  }
  return m;
}

const RF = 0x10000;
/** Differences between the real CPU and the interpreter for each case ('' when equal). */
export function compare(cases: Case[], jit: Jit = false): string[] {
  const nat = runNative(cases);
  return cases.map((c, k) => {
    const a = nat[k], b = runEmu(c, 100000, jit);
    if (c.nativeCode && !a.signo) a.eip += (c.code.length - c.nativeCode.length) / 2;
    const mask = ~(undefMask(c.code) | RF);
    const diffs: string[] = [];
    const names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
    for (let r = 0; r < 8; r++) if (a.regs[r] !== b.regs[r]) diffs.push(`${names[r]} ${hex8(a.regs[r])} vs ${hex8(b.regs[r])}`);
    if ((a.eflags & mask) !== (b.eflags & mask)) diffs.push(`eflags ${hex8(a.eflags)} vs ${hex8(b.eflags)} (mask ${hex8(mask)})`);
    for (const f of ['eip', 'signo', 'code', 'addr', 'trapno', 'err'] as const) {
      if (a[f] !== b[f]) diffs.push(`${f} ${hex8(a[f])} vs ${hex8(b[f])}`);
    }
    if (a.segs.join() !== b.segs.join()) diffs.push(`ds/es/fs ${a.segs.map(hex8)} vs ${b.segs.map(hex8)}`);
    if (a.data !== b.data) diffs.push(`data ${a.data} vs ${b.data}`);
    return diffs.length ? `${c.note ?? ''} [${c.code}] regs=${(c.regs ?? []).map(hex8)} fl=${hex8(c.flags ?? 0)}: ${diffs.join('; ')}` : '';
  });
}

/** Deterministic pseudo-random generator for operand values. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
}
/** Interesting 32-bit operand values plus random ones. */
export function values(n: number, seed: number): number[] {
  const base = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x12345678, 0x0f, 0x10, 0x99, 0x9a];
  const r = rng(seed);
  while (base.length < n) {
    const v = r();
    base.push(r() & 1 ? v : v & 0xff);
  }
  return base.slice(0, n);
}
