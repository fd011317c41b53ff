// The initial process stack as Linux 6.1 builds it for an i386 program (fs/exec.c
// copy_strings(), setup_arg_pages(); fs/binfmt_elf.c create_elf_tables()):
//
//   stack top (page aligned)
//     4 zero bytes                      (sizeof(void *) reserved by __bprm_mm_init)
//     execfn string                     (AT_EXECFN)
//     env strings, argv strings         (argv[0] lowest; copied last-to-first)
//     ... aligned down to 16 (minus the random stack offset, if any)
//     "i686\0"                          (AT_PLATFORM: cpu-model.ts)
//     16 random bytes                   (AT_RANDOM)
//     auxv pairs, AT_NULL               \
//     NULL, envp[], NULL, argv[], argc  /  block placed so that sp is 16-byte aligned
//   sp
//
// No vDSO is provided, so AT_SYSINFO / AT_SYSINFO_EHDR are absent and the program
// enters the kernel with int 0x80.

import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { E } from '../uapi/errno.js';
import { ElfError } from './elf.js';
import { HWCAP, HWCAP2, MINSIGSTKSZ, PLATFORM } from '../cpu/cpu-model.js';

export const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
  AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
  AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25,
  AT_HWCAP2 = 26, AT_EXECFN = 31, AT_SYSINFO = 32, AT_SYSINFO_EHDR = 33, AT_MINSIGSTKSZ = 51;

const { E2BIG, EINVAL } = E;
/** Longest single argument or environment string, terminating NUL included. */
export const MAX_ARG_STRLEN = 32 * PAGE_SIZE;
/** Minimum room Linux always allows for arguments (ARG_MAX). */
const ARG_MAX = 32 * PAGE_SIZE;
const ELF_PHDR_SIZE = 32;

/** AT_HWCAP, AT_HWCAP2, AT_PLATFORM and AT_MINSIGSTKSZ of the modelled CPU (cpu-model.ts). */
export const DEFAULT_HWCAP = HWCAP;
export const DEFAULT_HWCAP2 = HWCAP2;
export const DEFAULT_PLATFORM = PLATFORM;
export const DEFAULT_MINSIGSTKSZ = MINSIGSTKSZ;

export type Arg = string | Uint8Array;

export interface AuxvParams {
  argv: Arg[];
  envp: Arg[];
  /** the path given to execve (AT_EXECFN); default argv[0] */
  execfn?: Arg;
  /** the 16 bytes behind AT_RANDOM */
  random: Uint8Array;
  /** page-aligned end of the stack; default 0xc0000000 */
  stackTop?: number;
  /** bytes mapped below stackTop; default 8 MiB (RLIMIT_STACK) */
  stackSize?: number;
  /** arch_align_stack()'s random offset (Linux: 0..8191 with ASLR, 0 without) */
  stackRandom?: number;
  execStack?: boolean;
  phdr: number;
  phnum: number;
  entry: number;
  base: number;
  hwcap?: number;
  hwcap2?: number;
  minsigstksz?: number;
  uid?: number;
  euid?: number;
  gid?: number;
  egid?: number;
  secure?: boolean;
  platform?: string;
  clktck?: number;
}

export interface InitialStack {
  sp: number;
  stackTop: number;
  stackLow: number;
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
  execfn: number;
  platform: number;
  random: number;
  auxv: [number, number][];
}

const enc = new TextEncoder();

/** C string bytes of an argument: up to (not including) its first NUL. */
function cstr(a: Arg): Uint8Array {
  const b = typeof a === 'string' ? enc.encode(a) : a;
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

interface Strings {
  argv: Uint8Array[];
  envp: Uint8Array[];
  execfn: Uint8Array;
}

/**
 * The argument strings as execve copies them, checked against Linux's limits
 * (E2BIG); done before anything of the new image is mapped.
 */
export function checkArgs(p: Pick<AuxvParams, 'argv' | 'envp' | 'execfn' | 'stackSize' | 'stackTop' | 'random'>): Strings {
  if (p.random.length !== 16) throw new ElfError(EINVAL, 'AT_RANDOM needs exactly 16 bytes');
  const stackTop = (p.stackTop ?? 0xc0000000) >>> 0;
  const stackSize = p.stackSize ?? 8 << 20;
  if (stackTop % PAGE_SIZE || stackSize % PAGE_SIZE || stackSize <= 0 || stackSize > stackTop) {
    throw new ElfError(EINVAL, `bad stack 0x${stackTop.toString(16)}-${stackSize}`);
  }
  // execve with an empty argv gets argv[0] = "" (fs/exec.c)
  const argv = p.argv.length ? p.argv.map(cstr) : [new Uint8Array(0)];
  const envp = p.envp.map(cstr);
  const execfn = cstr(p.execfn ?? p.argv[0] ?? '');
  // bprm_stack_limits(): strings plus pointers within a quarter of the stack limit
  let limit = Math.max(Math.min((stackSize / 4) | 0, 6 << 20), ARG_MAX);
  limit -= (argv.length + envp.length) * 4;
  let strBytes = execfn.length + 1;
  for (const s of [...argv, ...envp]) {
    if (s.length + 1 > MAX_ARG_STRLEN) throw new ElfError(E2BIG, 'argument string longer than MAX_ARG_STRLEN');
    strBytes += s.length + 1;
  }
  if (strBytes > limit) throw new ElfError(E2BIG, `argument list too long (${strBytes} bytes)`);
  return { argv, envp, execfn };
}

/** Map the stack and build argc/argv/envp/auxv on it; returns the initial esp. */
export function buildInitialStack(mem: AddressSpace, p: AuxvParams): InitialStack {
  const { argv, envp, execfn } = checkArgs(p);
  const stackTop = (p.stackTop ?? 0xc0000000) >>> 0;
  const stackSize = p.stackSize ?? 8 << 20;

  const low = stackTop - stackSize;
  mem.map(low, stackSize, PROT_READ | PROT_WRITE | (p.execStack ? PROT_EXEC : 0));
  const put = (addr: number, bytes: Uint8Array) => mem.poke(addr, bytes);
  const putStr = (addr: number, s: Uint8Array) => {
    const b = new Uint8Array(s.length + 1);
    b.set(s);
    put(addr, b);
  };

  // Strings, from the top down: execfn, envp (last first), argv (last first).
  let sp = stackTop - 4;
  sp -= execfn.length + 1;
  const execfnAddr = sp;
  putStr(sp, execfn);
  const envAddr: number[] = new Array(envp.length);
  for (let i = envp.length - 1; i >= 0; i--) {
    sp -= envp[i].length + 1;
    putStr(sp, envp[i]);
    envAddr[i] = sp;
  }
  const argAddr: number[] = new Array(argv.length);
  for (let i = argv.length - 1; i >= 0; i--) {
    sp -= argv[i].length + 1;
    putStr(sp, argv[i]);
    argAddr[i] = sp;
  }
  const argStart = sp;

  // create_elf_tables()
  sp = ((sp - (p.stackRandom ?? 0)) & ~15) >>> 0;
  const platform = enc.encode(p.platform ?? DEFAULT_PLATFORM);
  sp -= platform.length + 1;
  const platformAddr = sp >>> 0;
  putStr(sp, platform);
  sp -= 16;
  const randomAddr = sp >>> 0;
  put(sp, p.random);

  const auxv: [number, number][] = [
    [AT_MINSIGSTKSZ, p.minsigstksz ?? DEFAULT_MINSIGSTKSZ],
    [AT_HWCAP, p.hwcap ?? DEFAULT_HWCAP],
    [AT_PAGESZ, PAGE_SIZE],
    [AT_CLKTCK, p.clktck ?? 100],
    [AT_PHDR, p.phdr],
    [AT_PHENT, ELF_PHDR_SIZE],
    [AT_PHNUM, p.phnum],
    [AT_BASE, p.base],
    [AT_FLAGS, 0],
    [AT_ENTRY, p.entry],
    [AT_UID, p.uid ?? 0],
    [AT_EUID, p.euid ?? p.uid ?? 0],
    [AT_GID, p.gid ?? 0],
    [AT_EGID, p.egid ?? p.gid ?? 0],
    [AT_SECURE, p.secure ? 1 : 0],
    [AT_RANDOM, randomAddr],
    [AT_HWCAP2, p.hwcap2 ?? DEFAULT_HWCAP2],
    [AT_EXECFN, execfnAddr],
    [AT_PLATFORM, platformAddr],
  ];
  const auxWords = (auxv.length + 1) * 2;
  sp -= auxWords * 4;
  const items = argv.length + 1 + envp.length + 1 + 1;
  sp = ((sp - items * 4) & ~15) >>> 0;

  const words: number[] = [argv.length, ...argAddr, 0, ...envAddr, 0];
  for (const [t, v] of auxv) words.push(t, v >>> 0);
  words.push(AT_NULL, 0);
  const block = new Uint8Array(words.length * 4);
  const dv = new DataView(block.buffer);
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  put(sp, block);

  const argEnd = envp.length ? envAddr[0] : execfnAddr;
  return {
    sp,
    stackTop,
    stackLow: low,
    argStart,
    argEnd,
    envStart: argEnd,
    envEnd: execfnAddr,
    execfn: execfnAddr,
    platform: platformAddr,
    random: randomAddr,
    auxv,
  };
}
