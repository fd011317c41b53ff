// ELF32 i386 program loader, following Linux 6.1 fs/binfmt_elf.c load_elf_binary():
// PT_LOAD segments mapped page by page as mmap of the file would map them, bss zeroed
// and extended with anonymous pages, PT_INTERP loaded through a caller-supplied file
// reader, PT_GNU_STACK deciding stack execution, brk after the highest segment. The
// initial stack (argc, argv, envp, auxv and strings) is built by auxv.ts.
//
// Every offset and size read from the file is checked against the file length and
// against 32-bit overflow before use; a bad file raises ElfError and touches nothing
// it has not already validated.

import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { E } from '../uapi/errno.js';
import { ELF32_EHDR, ELF32_PHDR } from './layouts.js';
import type { Values } from './struct.js';
import { AuxvParams, buildInitialStack, checkArgs, InitialStack } from './auxv.js';

const { ENOENT, ENOEXEC, ENOMEM, EINVAL, ELIBBAD } = E;

/** A file that cannot be executed; errno is what execve(2) returns for it. */
export class ElfError extends Error {
  constructor(public errno: number, message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export type ElfHeader = Values<typeof ELF32_EHDR.fields>;
export type ProgramHeader = Values<typeof ELF32_PHDR.fields>;

export const ET_EXEC = 2, ET_DYN = 3;
export const EM_386 = 3, EM_486 = 6;
export const PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
export const PF_X = 1, PF_W = 2, PF_R = 4;
const ELFCLASS32 = 1, ELFDATA2LSB = 1;
const PATH_MAX = 4096;
/** Linux's ELF_ET_DYN_BASE for ia32: where a PIE with an interpreter goes. */
export const ELF_ET_DYN_BASE = 0x400000;
/** i386 TASK_SIZE with the default 3G/1G split. */
export const TASK_SIZE = 0xc0000000;

const pageStart = (v: number) => (v - (v % PAGE_SIZE));
const pageOffset = (v: number) => v % PAGE_SIZE;
const pageAlign = (v: number) => Math.ceil(v / PAGE_SIZE) * PAGE_SIZE;

// ---- parsing --------------------------------------------------------------------------

export interface ParsedElf {
  ehdr: ElfHeader;
  phdrs: ProgramHeader[];
}

const MACHINES: Record<number, string> = {
  2: 'SPARC', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM', 50: 'IA-64',
  62: 'x86-64', 183: 'AArch64', 243: 'RISC-V',
};

/**
 * Validate the ELF header and read the program headers, as load_elf_binary() and
 * load_elf_phdrs() do before committing to the exec. `errno` is the error for a
 * rejected file (ENOEXEC for the program, ELIBBAD for its interpreter).
 */
export function parseElf(file: Uint8Array, what = 'file', errno: number = ENOEXEC): ParsedElf {
  const fail = (msg: string): never => {
    throw new ElfError(errno, `${what}: ${msg}`);
  };
  if (file.length < 4 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) {
    fail('not an ELF file');
  }
  if (file.length < ELF32_EHDR.size) fail(`truncated ELF header (${file.length} of ${ELF32_EHDR.size} bytes)`);
  const ehdr = ELF32_EHDR.decode(file.subarray(0, ELF32_EHDR.size));
  // The machine field sits at the same offset in both classes: name the
  // architecture first, it is the most useful message for a foreign binary.
  if (ehdr.e_machine !== EM_386 && ehdr.e_machine !== EM_486) {
    const m = MACHINES[ehdr.e_machine] ?? `machine ${ehdr.e_machine}`;
    fail(`${m} ELF, not i386`);
  }
  if (ehdr.ei_class !== ELFCLASS32) fail(`ELF class ${ehdr.ei_class}, not 32-bit`);
  if (ehdr.ei_data !== ELFDATA2LSB) fail(`ELF data encoding ${ehdr.ei_data}, not little-endian`);
  if (ehdr.e_type !== ET_EXEC && ehdr.e_type !== ET_DYN) fail(`ELF type ${ehdr.e_type} is not executable`);
  if (ehdr.e_phentsize !== ELF32_PHDR.size) fail(`program header size ${ehdr.e_phentsize}, expected ${ELF32_PHDR.size}`);
  // Linux: the table must be non-empty and fit in one page (at most 128 entries).
  const size = ehdr.e_phnum * ELF32_PHDR.size;
  if (size === 0 || size > PAGE_SIZE) fail(`bad program header count ${ehdr.e_phnum}`);
  if (ehdr.e_phoff > file.length || size > file.length - ehdr.e_phoff) {
    fail(`program headers at ${ehdr.e_phoff}+${size} lie past the end of the file (${file.length} bytes)`);
  }
  const phdrs: ProgramHeader[] = [];
  for (let i = 0; i < ehdr.e_phnum; i++) phdrs.push(ELF32_PHDR.decode(file.subarray(ehdr.e_phoff + i * ELF32_PHDR.size)));
  return { ehdr, phdrs };
}

// ---- loading --------------------------------------------------------------------------

export interface LoadOptions extends Omit<AuxvParams, 'phdr' | 'phnum' | 'entry' | 'base' | 'execStack'> {
  /** Reads the interpreter named by PT_INTERP; throw an Error with `errno` to fail. */
  readFile?: (path: string) => Uint8Array;
  /** Where a PIE with an interpreter is placed (before page rounding); default ELF_ET_DYN_BASE. */
  dynBase?: number;
  /** Where the interpreter, or a PIE without one, is placed; default: first free range from 0x40000000. */
  mmapBase?: number;
  /** Highest user address + 1 (segments must end below it); default TASK_SIZE. */
  taskSize?: number;
}

export interface LoadedImage {
  /** initial eip: the interpreter's entry if there is one, else the program's */
  entry: number;
  /** initial esp */
  sp: number;
  /**
   * start of the heap (brk), page aligned: after the program's highest segment (no
   * brk randomisation; the caller may add its own offset)
   */
  brk: number;
  /** load bias of the program (0 for ET_EXEC) */
  loadBias: number;
  /** load address of the interpreter (AT_BASE), 0 without one */
  interpBase: number;
  interp: string | null;
  /** PT_GNU_STACK asked for an executable stack (or was absent: READ_IMPLIES_EXEC) */
  execStack: boolean;
  /** no PT_GNU_STACK: i386 Linux then sets the READ_IMPLIES_EXEC personality */
  readImpliesExec: boolean;
  startCode: number;
  endCode: number;
  startData: number;
  endData: number;
  stack: InitialStack;
  /** the auxiliary vector as placed on the stack, AT_NULL excluded */
  auxv: [number, number][];
}

interface Mapped {
  bias: number;
  /** highest p_vaddr + p_memsz + bias */
  end: number;
}

/** Linux's make_prot(), with READ_IMPLIES_EXEC applied as mmap applies it. */
function protOf(flags: number, readImpliesExec: boolean): number {
  let prot = 0;
  if (flags & PF_R) prot |= PROT_READ;
  if (flags & PF_W) prot |= PROT_WRITE;
  if (flags & PF_X) prot |= PROT_EXEC;
  if (readImpliesExec && prot & PROT_READ) prot |= PROT_EXEC;
  return prot;
}

/** Span of the PT_LOAD segments, from the page of the first to the end of the last. */
function totalMappingSize(phdrs: ProgramHeader[]): number {
  let min = Infinity, max = 0;
  for (const p of phdrs) {
    if (p.p_type !== PT_LOAD) continue;
    min = Math.min(min, pageStart(p.p_vaddr));
    max = Math.max(max, p.p_vaddr + p.p_memsz);
  }
  return max > min ? max - min : 0;
}

function maximumAlignment(phdrs: ProgramHeader[]): number {
  let a = 0;
  for (const p of phdrs) {
    // non-power-of-two alignments are ignored as invalid
    if (p.p_type === PT_LOAD && p.p_align && (p.p_align & (p.p_align - 1)) === 0) a = Math.max(a, p.p_align);
  }
  return pageAlign(a);
}

/**
 * Check every PT_LOAD before anything is mapped: the range must fit below taskSize
 * after biasing, p_filesz <= p_memsz, the file bytes must exist.
 */
function checkSegments(file: Uint8Array, phdrs: ProgramHeader[], bias: number, taskSize: number, what: string, errno: number): void {
  let loads = 0;
  for (const p of phdrs) {
    if (p.p_type !== PT_LOAD) continue;
    loads++;
    const k = (p.p_vaddr + bias) >>> 0;
    if (k >= taskSize || p.p_filesz > p.p_memsz || p.p_memsz > taskSize || taskSize - p.p_memsz < k) {
      throw new ElfError(errno === ENOEXEC ? EINVAL : errno,
        `${what}: segment at 0x${p.p_vaddr.toString(16)} size 0x${p.p_memsz.toString(16)} does not fit in the address space`);
    }
    if (p.p_filesz) {
      // mmap takes the file from the page holding p_offset; Linux requires
      // p_offset and p_vaddr to share their page offset for that to work.
      if (pageOffset(p.p_offset) !== pageOffset(p.p_vaddr)) {
        throw new ElfError(errno === ENOEXEC ? EINVAL : errno, `${what}: segment file offset and address are not congruent modulo the page size`);
      }
      if (p.p_offset > file.length || p.p_filesz > file.length - p.p_offset) {
        throw new ElfError(errno, `${what}: segment data at ${p.p_offset}+${p.p_filesz} lies past the end of the file (${file.length} bytes)`);
      }
    }
  }
  if (!loads) throw new ElfError(errno === ENOEXEC ? EINVAL : errno, `${what}: no loadable segment`);
}

/** Map one PT_LOAD as elf_load() does: file pages, zeroed tail of the last, anonymous bss pages. */
function mapSegment(mem: AddressSpace, file: Uint8Array, p: ProgramHeader, bias: number, prot: number): void {
  const addr = (p.p_vaddr + bias) >>> 0;
  let zeroStart: number, zeroEnd: number;
  if (p.p_filesz) {
    const mapStart = pageStart(addr);
    const off = p.p_offset - pageOffset(p.p_vaddr);
    const size = pageAlign(p.p_filesz + pageOffset(p.p_vaddr));
    mem.map(mapStart, size, prot);
    // whole pages as mmap maps them (bytes past the end of the file read as zero)
    mem.poke(mapStart, file.subarray(off, Math.min(off + size, file.length)));
    zeroStart = mapStart + pageOffset(p.p_vaddr) + p.p_filesz;
    zeroEnd = mapStart + pageOffset(p.p_vaddr) + p.p_memsz;
    if (p.p_memsz > p.p_filesz && pageOffset(zeroStart)) {
      // padzero(): the file's bytes after the segment must not show through in bss
      mem.poke(zeroStart, new Uint8Array(PAGE_SIZE - pageOffset(zeroStart)));
    }
  } else {
    zeroStart = pageStart(addr);
    zeroEnd = zeroStart + pageOffset(p.p_vaddr) + p.p_memsz;
  }
  if (p.p_memsz > p.p_filesz) {
    const a = pageAlign(zeroStart), b = pageAlign(zeroEnd);
    // vm_brk_flags(): anonymous read/write pages, executable if the segment is
    if (b > a) mem.map(a, b - a, PROT_READ | PROT_WRITE | (prot & PROT_EXEC));
  }
}

function mapImage(mem: AddressSpace, file: Uint8Array, phdrs: ProgramHeader[], bias: number, readImpliesExec: boolean): Mapped {
  let end = 0;
  for (const p of phdrs) {
    if (p.p_type !== PT_LOAD) continue;
    mapSegment(mem, file, p, bias, protOf(p.p_flags, readImpliesExec));
    end = Math.max(end, ((p.p_vaddr + bias) >>> 0) + p.p_memsz);
  }
  return { bias, end };
}

function firstLoad(phdrs: ProgramHeader[]): ProgramHeader {
  return phdrs.find((p) => p.p_type === PT_LOAD)!;
}

/** Choose where an ET_DYN image goes when the caller gave no address. */
function freeBase(mem: AddressSpace, size: number, hint: number): number {
  const a = mem.findFree(pageAlign(size), hint);
  if (a < 0) throw new ElfError(ENOMEM, `no room for a ${size}-byte image`);
  return a;
}

function readInterpName(file: Uint8Array, p: ProgramHeader): string {
  if (p.p_filesz > PATH_MAX || p.p_filesz < 2) throw new ElfError(ENOEXEC, `PT_INTERP of bad length ${p.p_filesz}`);
  if (p.p_offset > file.length || p.p_filesz > file.length - p.p_offset) {
    throw new ElfError(ENOEXEC, 'PT_INTERP lies past the end of the file');
  }
  const bytes = file.subarray(p.p_offset, p.p_offset + p.p_filesz);
  if (bytes[bytes.length - 1] !== 0) throw new ElfError(ENOEXEC, 'PT_INTERP is not NUL-terminated');
  const nul = bytes.indexOf(0);
  return new TextDecoder('latin1').decode(bytes.subarray(0, nul));
}

/** The PT_INTERP path of a program (null for a static one); throws ElfError for a bad file. */
export function interpreterOf(file: Uint8Array): string | null {
  const { phdrs } = parseElf(file);
  const p = phdrs.find((h) => h.p_type === PT_INTERP);
  return p ? readInterpName(file, p) : null;
}

/**
 * Load an i386 ELF program into `mem` and build its initial stack. The address space
 * should be empty (a fresh one, or one emptied for execve). Throws ElfError with the
 * errno execve(2) would return; may leave `mem` partly filled when it does, as Linux
 * would after the point of no return, but only for failures in reading the
 * interpreter, which is validated before the program is mapped.
 */
export function loadElf(mem: AddressSpace, file: Uint8Array, opts: LoadOptions): LoadedImage {
  const taskSize = opts.taskSize ?? TASK_SIZE;
  checkArgs(opts);
  const { ehdr, phdrs } = parseElf(file, 'program');

  // PT_INTERP (first one wins) and PT_GNU_STACK (last one wins), as Linux scans them.
  let interp: string | null = null;
  let stackFlags: number | null = null;
  for (const p of phdrs) {
    if (p.p_type === PT_INTERP && interp === null) interp = readInterpName(file, p);
    if (p.p_type === PT_GNU_STACK) stackFlags = p.p_flags;
  }
  // i386: no PT_GNU_STACK means an old binary that expects readable = executable.
  const readImpliesExec = stackFlags === null;
  const execStack = stackFlags === null || (stackFlags & PF_X) !== 0;

  let interpFile: Uint8Array | null = null;
  let interpElf: ParsedElf | null = null;
  if (interp !== null) {
    if (!opts.readFile) throw new ElfError(ENOENT, `program needs the interpreter ${interp}, and no file reader was given`);
    try {
      interpFile = opts.readFile(interp);
    } catch (e) {
      const errno = typeof (e as { errno?: unknown }).errno === 'number' ? Math.abs((e as { errno: number }).errno) : ENOENT;
      throw new ElfError(errno, `interpreter ${interp}: ${(e as Error).message}`);
    }
    interpElf = parseElf(interpFile, `interpreter ${interp}`, ELIBBAD);
  }

  // Program placement: ET_EXEC where linked; a PIE at dynBase, or (without an
  // interpreter, like ld.so run directly) in the mmap area.
  let bias = 0;
  if (ehdr.e_type === ET_DYN) {
    const total = totalMappingSize(phdrs);
    if (!total) throw new ElfError(EINVAL, 'program: no loadable segment');
    const first = firstLoad(phdrs);
    let base: number;
    if (interp !== null) {
      base = opts.dynBase ?? ELF_ET_DYN_BASE;
    } else {
      base = opts.mmapBase ?? freeBase(mem, total, 0x40000000);
    }
    const align = maximumAlignment(phdrs);
    if (align) base -= base % align;
    // as Linux: ELF_PAGESTART(load_bias - vaddr); addresses are (vaddr + bias) mod 2^32
    bias = ((base - first.p_vaddr) & ~(PAGE_SIZE - 1)) >>> 0;
  }
  checkSegments(file, phdrs, bias, taskSize, 'program', ENOEXEC);

  const stackSize = opts.stackSize ?? 8 << 20;
  const stackTop = opts.stackTop ?? TASK_SIZE;
  const stackSpan = { start: stackTop - stackSize, end: stackTop };
  const span = programSpan(phdrs, bias);
  if (overlaps(span, stackSpan)) throw new ElfError(ENOMEM, 'program: segments overlap the stack');

  // Interpreter placement is decided (and checked) before anything is mapped.
  let interpBias = 0;
  if (interpElf && interpFile) {
    const { ehdr: ie, phdrs: ip } = interpElf;
    const total = totalMappingSize(ip);
    if (!total) throw new ElfError(ELIBBAD, `interpreter ${interp}: no loadable segment`);
    if (ie.e_type === ET_DYN) {
      const first = firstLoad(ip);
      const base = opts.mmapBase ?? freeBaseAvoiding(mem, total, [span, stackSpan]);
      interpBias = (pageStart(base) - pageStart(first.p_vaddr)) >>> 0;
    }
    checkSegments(interpFile, ip, interpBias, taskSize, `interpreter ${interp}`, ELIBBAD);
    const ispan = programSpan(ip, interpBias);
    if (overlaps(ispan, span) || overlaps(ispan, stackSpan)) {
      throw new ElfError(ENOMEM, `interpreter ${interp}: would overlap the program or the stack`);
    }
  }

  const main = mapImage(mem, file, phdrs, bias, readImpliesExec);
  let entry = (ehdr.e_entry + bias) >>> 0;
  let interpBase = 0;
  if (interpElf && interpFile) {
    mapImage(mem, interpFile, interpElf.phdrs, interpBias, readImpliesExec);
    interpBase = interpBias >>> 0;
    entry = (interpElf.ehdr.e_entry + interpBias) >>> 0;
  }

  // Code/data bounds and the address of the program headers (AT_PHDR): the
  // segment whose file range holds e_phoff.
  let startCode = 0xffffffff, endCode = 0, startData = 0, endData = 0, phdrAddr = 0;
  for (const p of phdrs) {
    if (p.p_type !== PT_LOAD) continue;
    if (p.p_offset <= ehdr.e_phoff && ehdr.e_phoff < p.p_offset + p.p_filesz) {
      phdrAddr = ehdr.e_phoff - p.p_offset + p.p_vaddr;
    }
    if (p.p_flags & PF_X && p.p_vaddr < startCode) startCode = p.p_vaddr;
    if (startData < p.p_vaddr) startData = p.p_vaddr;
    const k = p.p_vaddr + p.p_filesz;
    if (p.p_flags & PF_X && endCode < k) endCode = k;
    if (endData < k) endData = k;
  }

  const stack = buildInitialStack(mem, {
    ...opts,
    stackTop,
    stackSize,
    execStack,
    phdr: (phdrAddr + bias) >>> 0,
    phnum: ehdr.e_phnum,
    entry: (ehdr.e_entry + bias) >>> 0,
    base: interpBase,
  });

  // A static PIE (ET_DYN without interpreter, e.g. ld.so run directly) sits in the
  // mmap area; Linux then moves its brk to ELF_ET_DYN_BASE, clear of other mappings.
  const brk = ehdr.e_type === ET_DYN && interp === null ? (opts.dynBase ?? ELF_ET_DYN_BASE) : pageAlign(main.end);

  return {
    entry,
    sp: stack.sp,
    brk: brk >>> 0,
    loadBias: bias >>> 0,
    interpBase,
    interp,
    execStack,
    readImpliesExec,
    startCode: (startCode + bias) >>> 0,
    endCode: (endCode + bias) >>> 0,
    startData: (startData + bias) >>> 0,
    endData: (endData + bias) >>> 0,
    stack,
    auxv: stack.auxv,
  };
}

function programSpan(phdrs: ProgramHeader[], bias: number): Span {
  let start = Infinity, end = 0;
  for (const p of phdrs) {
    if (p.p_type !== PT_LOAD) continue;
    const a = (p.p_vaddr + bias) >>> 0;
    start = Math.min(start, pageStart(a));
    end = Math.max(end, pageAlign(a + p.p_memsz));
  }
  return { start, end };
}

interface Span { start: number; end: number }

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** First free range from 0x40000000 that also stays clear of ranges not mapped yet. */
function freeBaseAvoiding(mem: AddressSpace, size: number, avoid: Span[]): number {
  let hint = 0x40000000;
  for (;;) {
    const a = freeBase(mem, size, hint);
    const hit = avoid.find((s) => overlaps({ start: a, end: a + pageAlign(size) }, s));
    if (!hit) return a;
    hint = hit.end;
  }
}
