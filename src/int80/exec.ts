// execve for i386 programs, as Linux's binfmt_elf and binfmt_script do it:
// the kernel checks and executes the file (an i386 binfmt in
// lkl/arch/wasm/kernel/hostexec.c: close-on-exec, signals, credentials,
// /proc/self/exe, `#!` scripts by its own binfmt_script) and tells the host
// through the exec import; the image is then loaded here (elf.ts, the
// initial stack and aux vector by auxv.ts) into a new MmStruct, with its
// interpreter (PT_INTERP) for a dynamically linked program.
import createDebug from 'debug';
import { CPU, ESP } from '../cpu/cpu.js';
import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import { AT_FDCWD, O, SIG } from '../uapi/linux.js';
import { interpreterOf, loadElf, parseElf, PT_LOAD } from './elf.js';
import { MmStruct } from './mm-struct.js';
import type { Proc } from './proc-context.js';
import { AltStack, initFpu, SigHand } from './signal.js';

const debug = createDebug('int80:exec');
const enc = new TextEncoder();
const dec = new TextDecoder();
const cstr = (s: string) => enc.encode(`${s}\0`);
/** Where the RTOS's page goes: the top 16 MiB below TASK_SIZE are left to the stack. */
const HELPERS_TOP = 0xc0000000 - 0x1000000;

/** The RTOS's page in a new address space: sigreturn code for handlers without a restorer. */
function mapTrampoline(mm: MmStruct): void {
  const mem = mm.mem;
  const at = mem.findFree(PAGE_SIZE, HELPERS_TOP - 0x100000, HELPERS_TOP);
  if (at < 0) throw new Error('no room for the sigreturn trampoline');
  mem.map(at, PAGE_SIZE, PROT_READ | PROT_WRITE);
  // sigreturn: pop %eax; mov $119,%eax; int $0x80 — rt_sigreturn: mov $173,%eax; int $0x80
  mem.poke(at, Uint8Array.from([0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80, 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80]));
  mem.protect(at, PAGE_SIZE, PROT_READ | PROT_EXEC);
  mm.trampoline = at;
}

/**
 * A program (and its interpreter, already read, for a dynamically linked
 * one) loaded into a new address space, with the CPU about to run it.
 * Throws ElfError (errno and message) for a file that cannot run.
 */
export function loadImage(image: Uint8Array, argv: string[], envp: string[], execfn?: string, interp?: Uint8Array): { mm: MmStruct; cpu: CPU } {
  const mem = new AddressSpace();
  const random = new Uint8Array(16);
  crypto.getRandomValues(random);
  const readFile = (path: string): Uint8Array => {
    if (!interp) throw Object.assign(new Error(`${path}: not read`), { errno: E.ENOENT });
    return interp;
  };
  const img = loadElf(mem, image, { argv, envp, random, execfn, readFile });
  const mm = new MmStruct(mem, img.brk);
  // the file-backed pages of the program and its interpreter, named in /proc/PID/maps
  const named = (file: Uint8Array, bias: number, name: string) => {
    for (const ph of parseElf(file).phdrs) {
      if (ph.p_type !== PT_LOAD || ph.p_filesz === 0) continue;
      const start = (ph.p_vaddr + bias) & ~(PAGE_SIZE - 1);
      const end = Math.ceil((ph.p_vaddr + bias + ph.p_filesz) / PAGE_SIZE) * PAGE_SIZE;
      mm.name(start >>> 0, end - start, name, ph.p_offset & ~(PAGE_SIZE - 1));
    }
  };
  if (execfn) named(image, img.loadBias, execfn);
  if (interp && img.interp) named(interp, img.interpBase - (parseElf(interp).phdrs.find((h) => h.p_type === PT_LOAD)!.p_vaddr & ~(PAGE_SIZE - 1)), img.interp);
  mm.setImage({
    ...img.stack, startCode: img.startCode, endCode: img.endCode, startData: img.startData, endData: img.endData,
    startStack: img.sp, auxv: img.auxv,
  });
  mapTrampoline(mm);
  const cpu = new CPU(mem);
  // execve: fpu_flush_thread gives the new program init_fpstate (FCW 0x37f, MXCSR 0x1f80, x87 empty, xmm zero)
  initFpu(cpu);
  cpu.regs[ESP] = img.sp;
  cpu.eip = img.entry;
  return { mm, cpu };
}

/** A NULL-terminated array of strings in guest memory (argv, envp); -EFAULT when any of it is unreadable, -E2BIG past 65536 strings (the host's bound; Linux's is the stack size). */
function guestStrings(p: Proc, ptr: number): string[] | number {
  const out: string[] = [];
  if (!ptr) return out;
  try {
    for (let a = ptr >>> 0; ; a += 4) {
      const s = p.mem.read32(a) >>> 0;
      if (!s) break;
      out.push(dec.decode(p.mem.readCString(s, 131072)));
      if (out.length > 65536) return -E.E2BIG;
    }
  } catch {
    return -E.EFAULT;
  }
  return out;
}

/**
 * As load_elf_binary opens the interpreter before the point of no return:
 * ENOENT (or the open's error) when the program at pathPtr names a
 * PT_INTERP that cannot be opened; 0 otherwise (the kernel judges the rest).
 */
async function interpreterMissing(p: Proc, pathPtr: number): Promise<number> {
  let path: string;
  try {
    path = dec.decode(p.mem.readCString(pathPtr >>> 0, 4096));
  } catch {
    return 0;
  }
  let ld: string | null;
  try {
    ld = interpreterOf(await p.readFile(path, PAGE_SIZE));
  } catch {
    return 0; // not readable or not an ELF program: the kernel's execve says what
  }
  if (ld === null) return 0;
  const fd = await p.kb(NR.openat, AT_FDCWD, cstr(ld), O.CLOEXEC, 0);
  if (fd < 0) return fd;
  await p.k(NR.close, fd);
  return 0;
}

/** argv of a #! script as binfmt_script makes it: interpreter, its optional argument, the script, argv[1..]. */
async function scriptArgs(p: Proc, script: string, argv: string[]): Promise<string[]> {
  const head = (await p.readFile(script, 256)).subarray(0, 256);
  const line = dec.decode(head).split('\n')[0]!.slice(2).replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
  const sp = line.search(/[ \t]/);
  const arg = sp < 0 ? '' : line.slice(sp).replace(/^[ \t]+/, '');
  const name = sp < 0 ? line : line.slice(0, sp);
  return [name, ...(arg ? [arg] : []), script, ...argv.slice(1)];
}

/** The program's segments in /proc/PID/maps get the file's real name (the kernel's /proc/self/exe). */
export async function nameExe(p: Pick<Proc, 'kb' | 'mm'>, path: string): Promise<void> {
  const link = new Uint8Array(4096);
  const n = await p.kb(NR.readlinkat, AT_FDCWD, cstr('/proc/self/exe'), link, link.length);
  if (n > 0) p.mm.rename(path, dec.decode(link.subarray(0, n)));
}

/** execve, or execveat with `at`: the kernel does its part (and may refuse); then the new image replaces this one. */
export async function execve(p: Proc, pathPtr: number, argvPtr: number, envpPtr: number, at?: { dirfd: number; flags: number }): Promise<number> {
  const argv = guestStrings(p, argvPtr);
  if (typeof argv === 'number') return argv;
  const envp = guestStrings(p, envpPtr);
  if (typeof envp === 'number') return envp;
  if (!at) {
    const r = await interpreterMissing(p, pathPtr);
    if (r < 0) return r;
  }
  p.executed = undefined;
  const r = await (at ? p.k(NR.execveat, at.dirfd, pathPtr, argvPtr, envpPtr, at.flags) : p.k(NR.execve, pathPtr, argvPtr, envpPtr));
  const done = p.executed as { path: string; interp: string } | undefined;
  p.executed = undefined;
  if (r < 0 || !done) return r < 0 ? r : -E.ENOEXEC;
  // Past the point of no return: failures from here on kill the process, as in Linux.
  try {
    const args = done.interp !== done.path ? await scriptArgs(p, done.path, argv) : argv;
    const image = await p.readFile(done.interp);
    const ld = interpreterOf(image);
    const { mm, cpu } = loadImage(image, args, envp, done.path, ld === null ? undefined : await p.readFile(ld));
    p.sighand = new SigHand();
    p.altstack = new AltStack();
    p.replaceImage({ mm, cpu, path: done.path });
    await nameExe(p, done.path);
    p.replaced = true;
    return 0;
  } catch (e) {
    debug('%s: exec of %s failed after the point of no return: %s', p.name, done.path, e);
    await p.k(NR.kill, await p.k(NR.getpid), SIG.KILL);
    return -E.ENOEXEC;
  }
}
