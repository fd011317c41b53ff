// The /proc/PID files whose contents come (in whole or in part) from the
// RTOS: the kernel has no mm of a guest, so it shows no memory map and zero
// memory figures; these are written from the process's MmStruct the way
// Linux's fs/proc would (maps, cmdline, environ, auxv, stat, statm, status).
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { ELF32_AUXV } from './layouts.js';
import type { MmStruct } from './mm-struct.js';

const TASK_SIZE = 0xc0000000;
const up = (x: number) => (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

/**
 * The text of /proc/PID/maps for this address space: the RTOS owns the
 * mappings, so it writes what the kernel's file would say (ranges of equal
 * protection, file mappings with their path and offset, [heap], [stack]).
 */
export function mapsText(mm: MmStruct): string {
  const mem = mm.mem;
  const named = mm.names;
  const lines: string[] = [];
  const heapEnd = up(mm.brk.cur);
  const nameAt = (a: number): { name: string; off: number } => {
    for (const n of named) if (a >= n.addr && a < n.addr + n.len) return { name: n.name, off: n.off + (a - n.addr) };
    if (a >= mm.brk.start && a < heapEnd) return { name: '[heap]', off: 0 };
    return { name: '', off: 0 };
  };
  let start = -1, prot = -1, shared = false, label = '', off = 0, next = 0;
  const flush = (end: number) => {
    if (start < 0) return;
    const perms = `${prot & PROT_READ ? 'r' : '-'}${prot & PROT_WRITE ? 'w' : '-'}${prot & PROT_EXEC ? 'x' : '-'}${shared ? 's' : 'p'}`;
    const name = end === TASK_SIZE && !label ? '[stack]' : label;
    const head = `${hex8(start)}-${hex8(end)} ${perms} ${hex8(off)} 00:00 0`;
    lines.push(name ? `${head.padEnd(49)}${name}` : head);
    start = -1;
  };
  for (let a = 0; a < TASK_SIZE; a += PAGE_SIZE) {
    const pr = mem.protOf(a);
    if (pr < 0) { flush(a); continue; }
    const sh = mem.isShared(a);
    const n = nameAt(a);
    if (start >= 0 && pr === prot && sh === shared && n.name === label && (!label || label[0] === '[' || n.off === next)) {
      next += PAGE_SIZE;
      continue;
    }
    flush(a);
    start = a; prot = pr; shared = sh; label = n.name; off = n.off; next = n.off + PAGE_SIZE;
  }
  flush(TASK_SIZE);
  return lines.map((l) => `${l}\n`).join('');
}
const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

type ProcFile = 'maps' | 'cmdline' | 'environ' | 'auxv' | 'stat' | 'statm' | 'status';
/** The /proc/PID files whose contents come (in whole or in part) from the RTOS. */
export const PROC_FILES = /^\/proc\/(\d+)\/(?:task\/\d+\/)?(maps|cmdline|environ|auxv|stat|statm|status)$/;

const kB = (pages: number) => pages * (PAGE_SIZE >> 10);

/**
 * The contents of /proc/PID/<file> for a guest process: `kernel` is what the
 * kernel itself shows (it has no mm of the guest, so the memory parts are
 * missing or zero there); the RTOS fills them in from the address space.
 */
export function procFileText(p: { mm: MmStruct }, file: ProcFile, kernel: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const mm = p.mm, mem = mm.mem, img = mm.image;
  if (file === 'maps') return enc.encode(mapsText(mm));
  if (file === 'cmdline' || file === 'environ') {
    // the strings area, read live (a program that rewrites its argv is seen doing so)
    if (!img) return new Uint8Array(0);
    const [from, to] = file === 'cmdline' ? [img.argStart, img.argEnd] : [img.envStart, img.envEnd];
    try {
      return mem.readBytes(from, Math.max(0, to - from));
    } catch {
      return new Uint8Array(0);
    }
  }
  if (file === 'auxv') {
    const pairs = [...(img?.auxv ?? []), [0, 0]];
    const out = new Uint8Array(ELF32_AUXV.size * pairs.length);
    pairs.forEach(([t, x], i) => ELF32_AUXV.encode({ a_type: t, a_val: x }, out.subarray(ELF32_AUXV.size * i)));
    return out;
  }
  const named = mm.names;
  const u = mem.usage((a) => named.some((n) => n.name[0] === '/' && a >= n.addr && a < n.addr + n.len));
  const text = img ? Math.ceil(img.endCode / PAGE_SIZE) - Math.floor(img.startCode / PAGE_SIZE) : 0;
  const dec = new TextDecoder().decode(kernel);
  if (file === 'statm') return enc.encode(`${u.mapped} ${u.resident} ${u.file + u.shared} ${text} 0 ${u.data} 0\n`);
  if (file === 'status') {
    const w = (label: string, v: number) => `${label}:\t${String(v).padStart(8)} kB\n`;
    let stack = 0;
    for (let a = img?.stackLow ?? 0; img && a < img.stackTop; a += PAGE_SIZE) if (mem.protOf(a) >= 0) stack++;
    const vm = w('VmPeak', kB(u.mapped)) + w('VmSize', kB(u.mapped)) + w('VmLck', 0) + w('VmPin', 0) +
      w('VmHWM', kB(u.resident)) + w('VmRSS', kB(u.resident)) + w('RssAnon', kB(u.resident - u.file - u.shared)) +
      w('RssFile', kB(u.file)) + w('RssShmem', kB(u.shared)) + w('VmData', kB(u.data - stack)) +
      w('VmStk', kB(stack)) + w('VmExe', kB(text)) + w('VmLib', 0) + w('VmPTE', 0) + w('VmSwap', 0);
    if (dec.includes('\nVmSize:')) return kernel;
    // where task_mem() would have put it: after the namespace ids
    const at = dec.search(/^(?:HugetlbPages|CoreDumping|THP_enabled|Threads):/m);
    return enc.encode(at < 0 ? dec + vm : dec.slice(0, at) + vm + dec.slice(at));
  }
  // stat: the fields after "(comm)" are space-separated; fill in the memory ones Linux takes from the mm
  const close = dec.lastIndexOf(')');
  if (close < 0 || !img) return kernel;
  const f = dec.slice(close + 2).trimEnd().split(' '); // f[0] is field 3 (state)
  const set = (field: number, v: number) => { if (f.length > field - 3) f[field - 3] = String(v >>> 0); };
  set(23, u.mapped * PAGE_SIZE); set(24, u.resident);
  set(26, img.startCode); set(27, img.endCode); set(28, img.startStack);
  set(45, img.startData); set(46, img.endData); set(47, mm.brk.start);
  set(48, img.argStart); set(49, img.argEnd); set(50, img.envStart); set(51, img.envEnd);
  return enc.encode(`${dec.slice(0, close + 2)}${f.join(' ')}\n`);
}

