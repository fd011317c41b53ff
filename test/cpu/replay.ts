// Replays the golden CPU cases (recorded on a real i386 by scripts/record-cpu-golden.mjs) through
// the interpreter: one instruction per case, then registers, EFLAGS (minus the flags the CPU leaves
// undefined), memory, x87 state, the SIMD state (FXSAVE image) and fault data are compared with
// what the real CPU did.
import { readFileSync, readdirSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

// Layout shared with scripts/cpu-golden/harness.c
export const CODE = 0x20000000, DATA = 0x30000000, STACK = 0x40000000, CTRL = 0x60000000;
/** page reachable with 16-bit addressing */
export const LOW = 0x8000;
const DATA_PAGES = [DATA, STACK, LOW];
// Segment registers as the harness runs the guest: Linux's flat selectors, FS null and GS a TLS
// descriptor (GDT entry 13) based at the data page.
const TLS_ENTRY = 13, GS_SEL = (TLS_ENTRY << 3) | 3;
const SEGS0 = [0x2b, 0x23, 0x2b, 0x2b, 0, GS_SEL];
const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
export const INSN_OFF = 0x800, PAD = 16, PAGE = 4096;
const EIP0 = CODE + INSN_OFF;
// EFLAGS bits compared: CF PF AF ZF SF DF OF, bit 1, IF, IOPL, NT (RF/TF/AC/ID are not)
const EFLAGS_COMPARED = 0x7ed7;
const FLAG_NAMES: [number, string][] = [[0x1, 'CF'], [0x4, 'PF'], [0x10, 'AF'], [0x40, 'ZF'], [0x80, 'SF'], [0x400, 'DF'], [0x800, 'OF'],
  [0x2, 'bit1'], [0x200, 'IF'], [0x3000, 'IOPL'], [0x4000, 'NT']];
const REG_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const MAX_REP_STEPS = 100000;

export interface GoldenOut {
  r: number[]; f: number; e: number; x?: string; d?: [number, string][]; sg: number[];
  /** FXSAVE image after the instruction (base64; SIMD cases) */
  fx?: string;
  sig?: [number, number, number, number, number];
}
export interface GoldenCase {
  family: string;
  n: string; c: string; r: number[]; f: number; s: number;
  m?: [number, string][]; x?: string; fm?: number; sm?: number; u?: number; mi?: [number, number][];
  /** FXSAVE image loaded before the instruction (base64), and [offset, len] ranges of it not compared */
  fx?: string; fxi?: [number, number][];
  o: GoldenOut;
}

// What the replay needs from src/cpu (README contract); loaded at run time so that this file
// compiles whatever state the interpreter is in.
interface Stop { kind: string; signo?: number; code?: number; addr?: number; trapno?: number; errorCode?: number }
interface Space {
  map(addr: number, len: number, prot: number): void;
  poke?(addr: number, data: Uint8Array): void;
  writeBytes(addr: number, data: Uint8Array): void;
  readBytes(addr: number, len: number): Uint8Array;
  protect(addr: number, len: number, prot: number): void;
}
interface Cpu {
  regs: Int32Array; eip: number;
  getEflags(): number; setEflags(v: number): void;
  fpu: { save(): Uint8Array; restore(img: Uint8Array): void; reset?(): void };
  run(n: number): Stop;
  segs: Uint16Array; segBase: Uint32Array;
  setThreadArea?(desc: Record<string, number>): number;
}
export interface CpuModules {
  AddressSpace: new () => Space;
  CPU: new (mem: Space) => Cpu;
  PROT_READ: number; PROT_WRITE: number; PROT_EXEC: number;
  /** the interpreter's own table of undefined EFLAGS (decode.ts), when it exports one */
  undefinedFlags?: (bytes: Uint8Array) => number;
  /** FXSAVE image in and out (simd.ts), for SIMD cases */
  fxrstorImage?: (c: Cpu, img: Uint8Array) => boolean;
  fxsaveImage?: (c: Cpu) => Uint8Array;
}

export async function loadCpuModules(): Promise<CpuModules> {
  const memPath = new URL('../../src/cpu/memory.js', import.meta.url).href;
  const cpuPath = new URL('../../src/cpu/cpu.js', import.meta.url).href;
  const mem = await import(memPath);
  const cpu = await import(cpuPath);
  let undefinedFlags: ((b: Uint8Array) => number) | undefined;
  try {
    const dec = await import(new URL('../../src/cpu/decode.js', import.meta.url).href);
    if (typeof dec.undefinedFlags === 'function') undefinedFlags = dec.undefinedFlags;
  } catch { /* optional */ }
  let fxrstorImage: CpuModules['fxrstorImage'], fxsaveImage: CpuModules['fxsaveImage'];
  try {
    const simd = await import(new URL('../../src/cpu/simd.js', import.meta.url).href);
    if (typeof simd.fxrstorImage === 'function' && typeof simd.fxsaveImage === 'function') ({ fxrstorImage, fxsaveImage } = simd);
  } catch { /* optional: SIMD cases then fail */ }
  return {
    AddressSpace: mem.AddressSpace, CPU: cpu.CPU, PROT_READ: mem.PROT_READ ?? 1, PROT_WRITE: mem.PROT_WRITE ?? 2, PROT_EXEC: mem.PROT_EXEC ?? 4,
    undefinedFlags, fxrstorImage, fxsaveImage,
  };
}

export function goldenDir(): string {
  // dist/test/cpu/replay.js -> test/cpu/golden
  return fileURLToPath(new URL('../../../test/cpu/golden/', import.meta.url));
}

export function goldenFamilies(dir = goldenDir()): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.jsonl.gz')).sort().map((f) => f.slice(0, -'.jsonl.gz'.length));
}

export function loadGolden(dir = goldenDir(), only?: string): Map<string, GoldenCase[]> {
  const fams = new Map<string, GoldenCase[]>();
  for (const family of goldenFamilies(dir).filter((f) => only === undefined || f === only)) {
    const f = `${family}.jsonl.gz`;
    const lines = gunzipSync(readFileSync(`${dir}/${f}`)).toString('utf8').split('\n').filter((l) => l.length > 0);
    fams.set(family, lines.map((l) => ({ family, ...JSON.parse(l) })));
  }
  return fams;
}

/** Initial contents of the data and stack pages (same function as harness.c). */
export function patternByte(seed: number, addr: number): number {
  let h = (Math.imul(addr, 2654435761) + seed) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h = (h ^ (h >>> 12)) >>> 0;
  h = Math.imul(h, 0x297a2d39) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  return h & 0xff;
}

function padBytes(addr: number): number[] {
  // movl $addr, [CTRL] ; jmp *[CTRL+4]  -- byte-identical to the harness's landing pads
  const le = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  return [0xc7, 0x05, ...le(CTRL), ...le(addr), 0xff, 0x25, ...le(CTRL + 4)];
}

function codePage(code: Uint8Array): Uint8Array {
  const p = new Uint8Array(PAGE);
  for (let off = 0; off < PAGE; off += PAD) p.set(padBytes(CODE + off), off);
  p.set(code, INSN_OFF);
  p.set(padBytes(EIP0 + code.length), INSN_OFF + code.length);
  return p;
}

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));
const h32 = (v: number) => '0x' + (v >>> 0).toString(16).padStart(8, '0');

function pages(c: GoldenCase): { before: Map<number, Uint8Array>; after: Map<number, Uint8Array> } {
  const before = new Map<number, Uint8Array>();
  for (const base of DATA_PAGES) {
    const p = new Uint8Array(PAGE);
    for (let i = 0; i < PAGE; i++) p[i] = patternByte(c.s, base + i);
    before.set(base, p);
  }
  const put = (pg: Map<number, Uint8Array>, addr: number, bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) {
      const a = addr + i, base = DATA_PAGES.find((b) => a >= b && a < b + PAGE)!;
      pg.get(base)![a - base] = bytes[i];
    }
  };
  for (const [a, h] of c.m ?? []) put(before, a, hex(h));
  const after = new Map([...before].map(([k, v]) => [k, v.slice()]));
  for (const [a, h] of c.o.d ?? []) put(after, a, hex(h));
  return { before, after };
}

const REP_STRING = new Set([0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf]);
function isRepString(code: Uint8Array): boolean {
  let rep = false;
  for (const b of code) {
    if (b === 0xf2 || b === 0xf3) rep = true;
    else if (b === 0x66 || b === 0x67 || b === 0xf0 || b === 0x2e || b === 0x3e || b === 0x26 || b === 0x36) continue;
    else return rep && REP_STRING.has(b);
  }
  return false;
}

// ---- x87 comparison
function f80(img: Uint8Array, i: number): { s: number; e: number; m: bigint } {
  const o = 28 + 10 * i;
  let m = 0n;
  for (let k = 7; k >= 0; k--) m = (m << 8n) | BigInt(img[o + k]);
  const se = img[o + 8] | (img[o + 9] << 8);
  return { s: se >> 15, e: se & 0x7fff, m };
}
const f80str = (v: { s: number; e: number; m: bigint }) => `${v.s ? '-' : '+'}${v.e.toString(16).padStart(4, '0')}:${v.m.toString(16).padStart(16, '0')}`;
/** Distance in units of the last place of the 64-bit significand; null when not comparable. */
export function ulpDistance(a: { s: number; e: number; m: bigint }, b: { s: number; e: number; m: bigint }): bigint | null {
  if (a.s !== b.s || a.e === 0x7fff || b.e === 0x7fff) return null;
  const ord = (v: { e: number; m: bigint }) => (v.e === 0 ? v.m : (BigInt(v.e) << 63n) + (v.m - (1n << 63n)));
  const d = ord(a) - ord(b);
  return d < 0n ? -d : d;
}

export interface CaseResult { ok: boolean; why?: string; ulp?: bigint }

// A fresh AddressSpace costs far more than a case, so one is reused: map() on the same pages
// discards their contents (and decoded code) and gives zero-filled pages again.
const spaces = new WeakMap<CpuModules, Space>();

export function replayCase(mods: CpuModules, c: GoldenCase): CaseResult {
  const code = hex(c.c);
  let mem = spaces.get(mods);
  if (!mem) { mem = new mods.AddressSpace(); spaces.set(mods, mem); }
  mem.map(CODE, PAGE, mods.PROT_READ | mods.PROT_EXEC);
  mem.map(DATA, PAGE, mods.PROT_READ | mods.PROT_WRITE);
  mem.map(STACK, PAGE, mods.PROT_READ | mods.PROT_WRITE);
  mem.map(LOW, PAGE, mods.PROT_READ | mods.PROT_WRITE);
  mem.map(CTRL, PAGE, mods.PROT_READ | mods.PROT_WRITE);
  const { before, after } = pages(c);
  if (mem.poke) mem.poke(CODE, codePage(code));
  else {
    mem.protect(CODE, PAGE, mods.PROT_READ | mods.PROT_WRITE);
    mem.writeBytes(CODE, codePage(code));
    mem.protect(CODE, PAGE, mods.PROT_READ | mods.PROT_EXEC);
  }
  for (const [base, p] of before) mem.writeBytes(base, p);

  const cpu = new mods.CPU(mem);
  for (let i = 0; i < 8; i++) cpu.regs[i] = c.r[i] | 0;
  cpu.eip = EIP0;
  const tls = {
    entry_number: TLS_ENTRY, base_addr: DATA, limit: 0xfffff, seg_32bit: 1, contents: 0, read_exec_only: 0,
    limit_in_pages: 1, seg_not_present: 0, useable: 1,
  };
  if (cpu.setThreadArea && cpu.setThreadArea(tls) !== 0) return { ok: false, why: 'set_thread_area for the GS descriptor failed' };
  for (let s = 0; s < 6; s++) { cpu.segs[s] = SEGS0[s]; cpu.segBase[s] = s === 5 ? DATA : 0; }
  cpu.setEflags((c.f & 0xed5) | 0x202);
  if (c.fx) {
    if (!mods.fxrstorImage || !mods.fxsaveImage) return { ok: false, why: 'SIMD case, but src/cpu/simd.js has no fxrstorImage/fxsaveImage' };
    if (!mods.fxrstorImage(cpu, b64(c.fx))) return { ok: false, why: 'fxrstorImage refused the input FXSAVE image' };
  } else if (c.x) cpu.fpu.restore(b64(c.x));

  let stop: Stop;
  try {
    stop = cpu.run(1);
    // A control transfer to an unfetchable address faults on the fetch at the target: the real CPU
    // reports it with eip = target, which the interpreter sees when it executes the next instruction.
    if (stop.kind === 'budget' && c.o.sig && cpu.eip >>> 0 !== EIP0 && cpu.eip >>> 0 === c.o.e >>> 0) stop = cpu.run(1);
    if (isRepString(code)) {
      for (let n = 0; stop.kind === 'budget' && cpu.eip >>> 0 === EIP0 && n < MAX_REP_STEPS; n++) stop = cpu.run(1);
    }
  } catch (e) {
    return { ok: false, why: `threw ${e instanceof Error ? e.stack?.split('\n').slice(0, 3).join(' | ') : String(e)}` };
  }

  const why: string[] = [];
  const o = c.o;
  if (o.sig) {
    const want = o.sig;
    if (stop.kind !== 'fault') why.push(`expected signal ${want[0]} (code ${want[1]} addr ${h32(want[2])} trap ${want[3]} err ${want[4]}), got stop '${stop.kind}'`);
    else {
      const got = [stop.signo, stop.code, (stop.addr ?? 0) >>> 0, stop.trapno, stop.errorCode];
      const names = ['signo', 'si_code', 'si_addr', 'trapno', 'err'];
      for (let i = 0; i < 5; i++) if (got[i] !== want[i]) why.push(`${names[i]} ${i === 2 ? h32(got[i] ?? 0) : got[i]} != ${i === 2 ? h32(want[i]) : want[i]}`);
    }
  } else if (stop.kind !== 'budget') {
    why.push(`unexpected stop '${stop.kind}'${stop.kind === 'fault' ? ` signal ${stop.signo} code ${stop.code} addr ${h32(stop.addr ?? 0)}` : ''}`);
  }
  for (let i = 0; i < 8; i++) {
    if (cpu.regs[i] >>> 0 !== o.r[i] >>> 0) why.push(`${REG_NAMES[i]} ${h32(cpu.regs[i])} != ${h32(o.r[i])}`);
  }
  if (cpu.eip >>> 0 !== o.e >>> 0) why.push(`eip ${h32(cpu.eip)} != ${h32(o.e)}`);
  for (let s = 0; s < 6; s++) {
    if (cpu.segs[s] !== o.sg[s]) why.push(`${SEG_NAMES[s]} ${cpu.segs[s].toString(16)} != ${o.sg[s].toString(16)}`);
  }
  const fl = cpu.getEflags() >>> 0;
  const diff = (fl ^ o.f) & EFLAGS_COMPARED & ~(c.fm ?? 0);
  if (diff) why.push(`eflags ${h32(fl)} != ${h32(o.f)} (${FLAG_NAMES.filter(([b]) => diff & b).map(([, n]) => n).join(' ')}${c.fm ? `; undefined masked ${h32(c.fm)}` : ''})`);

  for (const [base, want] of after) {
    let got: Uint8Array;
    try { got = mem.readBytes(base, PAGE); } catch (e) { why.push(`page ${h32(base)} unreadable: ${String(e)}`); continue; }
    const ignored = (a: number) => (c.mi ?? []).some(([s, n]) => a >= s && a < s + n);
    let bad = 0, first = -1;
    for (let i = 0; i < PAGE; i++) if (got[i] !== want[i] && !ignored(base + i)) { bad++; if (first < 0) first = i; }
    if (bad) {
      const span = (p: Uint8Array) => Buffer.from(p.subarray(first, Math.min(first + 8, PAGE))).toString('hex');
      why.push(`memory ${h32(base + first)}: ${span(got)} != ${span(want)} (${bad} bytes differ)`);
    }
  }

  let ulp: bigint | undefined;
  if (c.x && o.x) {
    const got = cpu.fpu.save(), want = b64(o.x);
    const w16 = (b: Uint8Array, off: number) => b[off] | (b[off + 1] << 8);
    if (w16(got, 0) !== w16(want, 0)) why.push(`fcw ${w16(got, 0).toString(16)} != ${w16(want, 0).toString(16)}`);
    const swm = 0xffff & ~(c.sm ?? 0);
    if ((w16(got, 4) & swm) !== (w16(want, 4) & swm)) why.push(`fsw ${w16(got, 4).toString(16)} != ${w16(want, 4).toString(16)}${c.sm ? ` (masked ${c.sm.toString(16)})` : ''}`);
    if (w16(got, 8) !== w16(want, 8)) why.push(`ftw ${w16(got, 8).toString(16)} != ${w16(want, 8).toString(16)}`);
    for (let i = 0; i < 8; i++) {
      const a = f80(got, i), b = f80(want, i);
      if (a.s === b.s && a.e === b.e && a.m === b.m) continue;
      if (c.u) {
        const d = ulpDistance(a, b);
        if (d !== null) { if (ulp === undefined || d > ulp) ulp = d; if (d <= BigInt(c.u)) continue; }
        why.push(`st(${i}) ${f80str(a)} != ${f80str(b)} (${d === null ? 'not comparable' : `${d} ulp`}, tolerance ${c.u})`);
      } else why.push(`st(${i}) ${f80str(a)} != ${f80str(b)}`);
    }
  }
  if (c.fx && o.fx && mods.fxsaveImage) why.push(...compareFx(mods.fxsaveImage(cpu), b64(o.fx), c.fxi ?? [], c.sm ?? 0));
  return why.length ? { ok: false, why: why.join('; '), ulp } : { ok: true, ulp };
}

// ---- SIMD state: the FXSAVE image
// Compared: FCW, FSW, abridged FTW, MXCSR, ST0-7 (= MM0-7) and XMM0-7. Not compared: FOP, FIP/FCS,
// FDP/FDS (AMD's fxsave leaves them unless an x87 exception is pending, Intel's stores the last
// x87 instruction's), MXCSR_MASK (the host's: 0x2ffff with AMD's misaligned-SSE bit) and the
// reserved bytes.
const MXCSR_BITS: [number, string][] = [[0x1, 'IE'], [0x2, 'DE'], [0x4, 'ZE'], [0x8, 'OE'], [0x10, 'UE'], [0x20, 'PE'], [0x40, 'DAZ'],
  [0x80, 'IM'], [0x100, 'DM'], [0x200, 'ZM'], [0x400, 'OM'], [0x800, 'UM'], [0x1000, 'PM'], [0x6000, 'RC'], [0x8000, 'FTZ']];
const FSW_BITS: [number, string][] = [[0x1, 'IE'], [0x2, 'DE'], [0x4, 'ZE'], [0x8, 'OE'], [0x10, 'UE'], [0x20, 'PE'], [0x40, 'SF'], [0x80, 'ES'],
  [0x100, 'C0'], [0x200, 'C1'], [0x400, 'C2'], [0x3800, 'TOP'], [0x4000, 'C3'], [0x8000, 'B']];
const FCW_BITS: [number, string][] = [[0x3f, 'masks'], [0x300, 'PC'], [0xc00, 'RC'], [0x1000, 'X']];
const bitNames = (d: number, names: [number, string][]) => names.filter(([b]) => d & b).map(([, n]) => n).join(' ');

export function compareFx(got: Uint8Array, want: Uint8Array, ignore: [number, number][], swMask = 0): string[] {
  const why: string[] = [];
  const ign = new Uint8Array(512);
  for (const [s, n] of ignore) ign.fill(1, s, s + n);
  // value of a field with the ignored bytes zeroed in both images
  const field = (b: Uint8Array, off: number, n: number) => {
    let v = 0;
    for (let k = n - 1; k >= 0; k--) v = v * 256 + (ign[off + k] ? 0 : b[off + k]);
    return v;
  };
  const hexN = (v: number, n: number) => '0x' + v.toString(16).padStart(2 * n, '0');
  const scalar = (name: string, off: number, n: number, names?: [number, string][], mask = -1) => {
    const g = (field(got, off, n) & mask) >>> 0, w = (field(want, off, n) & mask) >>> 0;
    const shown = Math.min(n, 2); // MXCSR's upper half is reserved: shown only when set
    if (g !== w) why.push(`${name}: want ${hexN(w, shown)} got ${hexN(g, shown)}${names ? ` (${bitNames(g ^ w, names)})` : ''}`);
  };
  scalar('fcw', 0, 2, FCW_BITS);
  scalar('fsw', 2, 2, FSW_BITS, 0xffff & ~swMask);
  scalar('ftw', 4, 1);
  scalar('mxcsr', 24, 4, MXCSR_BITS);
  for (let k = 0; k < 8; k++) {
    const off = 32 + 16 * k;
    let differs = false;
    for (let j = 0; j < 10; j++) if (!ign[off + j] && got[off + j] !== want[off + j]) differs = true;
    if (!differs) continue;
    const s = (b: Uint8Array) => `${(b[off + 8] | (b[off + 9] << 8)).toString(16).padStart(4, '0')}:${Buffer.from(b.subarray(off, off + 8)).reverse().toString('hex')}`;
    why.push(`st${k}/mm${k}: want ${s(want)} got ${s(got)}`);
  }
  // xmm registers: runs of differing dwords, lanes shown as u32 (lane 0 first)
  for (let k = 0; k < 8; k++) {
    const off = 160 + 16 * k;
    const bad = [0, 1, 2, 3].map((d) => {
      for (let j = 4 * d; j < 4 * d + 4; j++) if (!ign[off + j] && got[off + j] !== want[off + j]) return true;
      return false;
    });
    for (let d = 0; d < 4; d++) {
      if (!bad[d]) continue;
      let e = d;
      while (e + 1 < 4 && bad[e + 1]) e++;
      const lanes = (b: Uint8Array) => Array.from({ length: e - d + 1 }, (_, q) => {
        const a = off + 4 * (d + q);
        return (b[a] | (b[a + 1] << 8) | (b[a + 2] << 16) | (b[a + 3] << 24)) >>> 0;
      }).map((v) => v.toString(16).padStart(8, '0')).join(' ');
      why.push(`xmm${k} bytes ${4 * d}..${4 * e + 3}: want ${lanes(want)} got ${lanes(got)}`);
      d = e;
    }
  }
  return why;
}

export interface FamilyResult {
  family: string; passed: number; failed: number;
  failures: { name: string; code: string; why: string }[];
  /** failed cases per mnemonic (first word of the case name) */
  failedBy: Map<string, number>;
  maxUlp?: bigint; tolerance?: number;
  /** cases where the interpreter's undefinedFlags() differs from the recorded mask (informational) */
  maskDiffs: number; maskExample?: string;
}

export interface ReplayOptions { keep?: number; hangMs?: number; families?: string[]; onFamily?: (r: FamilyResult) => void }

interface CaseMsg { i: number; ok: boolean; why?: string; ulp?: string; name: string; code: string; tol?: number; maskDiff?: string }

/**
 * Replays every family in a worker thread. An instruction that never returns (an interpreter
 * bug) must not stall the run: when a worker reports nothing for `hangMs`, it is stopped, the
 * case it was on is counted as failed, and a new worker continues with the next case.
 */
export async function replayFamilies(opts: ReplayOptions = {}): Promise<FamilyResult[]> {
  const keep = opts.keep ?? 5, hangMs = opts.hangMs ?? 60000; // a worker starting on a loaded machine took over 20 s
  const out: FamilyResult[] = [];
  for (const family of opts.families ?? goldenFamilies()) {
    const r: FamilyResult = { family, passed: 0, failed: 0, failures: [], failedBy: new Map(), maskDiffs: 0 };
    const total = loadGolden(goldenDir(), family).get(family)!;
    const record = (m: CaseMsg) => {
      if (m.tol) {
        r.tolerance = m.tol;
        if (m.ulp !== undefined && (r.maxUlp === undefined || BigInt(m.ulp) > r.maxUlp)) r.maxUlp = BigInt(m.ulp);
      }
      if (m.maskDiff) { r.maskDiffs++; r.maskExample ??= m.maskDiff; }
      if (m.ok) r.passed++;
      else {
        r.failed++;
        const mn = m.name.split(' ').find((w) => !/^[0-9a-f]{2}$/.test(w)) ?? m.name;
        r.failedBy.set(mn, (r.failedBy.get(mn) ?? 0) + 1);
        if (r.failures.length < keep) r.failures.push({ name: m.name, code: m.code, why: m.why ?? '' });
      }
    };
    let next = 0;
    while (next < total.length) {
      next = await new Promise<number>((resolve) => {
        const w = new Worker(new URL(import.meta.url), { workerData: { family, start: next } });
        let at = next, done = false;
        const finish = (n: number) => { if (!done) { done = true; clearTimeout(timer); resolve(n); } };
        const hang = () => {
          // every case had its result (the worker's end message is late, as under load)
          if (at >= total.length) { void w.terminate(); finish(total.length); return; }
          const c = total[at];
          record({ i: at, ok: false, name: c.n, code: c.c, why: `no result within ${hangMs} ms (the interpreter did not return)` });
          void w.terminate();
          finish(at + 1);
        };
        let timer = setTimeout(hang, hangMs);
        w.on('message', (m: CaseMsg | { end: true }) => {
          if ('end' in m) { finish(total.length); return; }
          record(m);
          progressed = true;
          at = m.i + 1;
          clearTimeout(timer);
          timer = setTimeout(hang, hangMs);
        });
        let progressed = false;
        w.on('error', (e) => {
          // a worker that dies before its first case (interpreter does not load) fails the rest
          const upto = progressed ? at + 1 : total.length;
          for (let k = at; k < upto; k++) record({ i: k, ok: false, name: total[k].n, code: total[k].c, why: `replay worker died: ${String(e)}` });
          finish(upto);
        });
        w.on('exit', () => finish(at));
      });
    }
    out.push(r);
    opts.onFamily?.(r);
  }
  return out;
}

async function workerMain(): Promise<void> {
  const { family, start } = workerData as { family: string; start: number };
  const mods = await loadCpuModules();
  const cases = loadGolden(goldenDir(), family).get(family) ?? [];
  for (let i = start; i < cases.length; i++) {
    const c = cases[i];
    const res = replayCase(mods, c);
    const m: CaseMsg = { i, ok: res.ok, why: res.why, name: c.n, code: c.c, tol: c.u, ulp: res.ulp?.toString() };
    if (mods.undefinedFlags && !c.x) {
      // the recorded mask depends on operand values (shift counts) where the opcode alone cannot
      let um: number | undefined;
      try { um = mods.undefinedFlags(hex(c.c)); } catch { /* not decodable alone */ }
      if (um !== undefined && (um & 0x8d5) !== (c.fm ?? 0)) m.maskDiff = `${c.n} [${c.c}]: interpreter ${h32(um & 0x8d5)}, recorded ${h32(c.fm ?? 0)}`;
    }
    parentPort!.postMessage(m);
  }
  parentPort!.postMessage({ end: true });
}

async function main(): Promise<number> {
  try {
    await loadCpuModules();
  } catch (e) {
    console.error(`cannot load the interpreter: ${String(e)}`);
    const total = [...loadGolden().values()].reduce((s, l) => s + l.length, 0);
    console.log(`0 passed, ${total} failed`);
    return 1;
  }
  const verbose = process.argv.includes('-v');
  const only = process.argv.find((a) => a.startsWith('--family='))?.slice('--family='.length);
  let p = 0, f = 0;
  await replayFamilies({
    keep: verbose ? 20 : 3,
    families: only ? only.split(',') : undefined,
    onFamily: (r) => {
      p += r.passed; f += r.failed;
      const tol = r.tolerance ? `  (x87 registers within ${r.tolerance} ulp; largest difference seen ${r.maxUlp ?? 0n} ulp)` : '';
      console.log(`${r.failed ? 'FAIL' : 'ok  '} ${r.family.padEnd(20)} ${String(r.passed).padStart(6)} passed ${String(r.failed).padStart(6)} failed${tol}`);
      if (r.failed) console.log(`       failing: ${[...r.failedBy].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      for (const x of r.failures) console.log(`       ${x.name} [${x.code}]: ${x.why}`);
      if (r.maskDiffs) console.log(`       note: the interpreter's undefinedFlags() (opcode bytes only) differs from the recorded per-case mask in ${r.maskDiffs} cases (informational; the recorded mask is used), e.g. ${r.maskExample}`);
    },
  });
  console.log(`${p} passed, ${f} failed`);
  return f > 0 ? 1 : 0;
}

if (!isMainThread && workerData && (workerData as { family?: string }).family !== undefined) {
  workerMain().catch((e) => { throw e; });
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 2; });
}
