// execve for i386 programs, as Linux's binfmt_elf and binfmt_script do it:
// the image is loaded here first (elf.ts, the initial stack and aux vector by
// auxv.ts) into a new MmStruct, with its interpreter (PT_INTERP) for a
// dynamically linked program and `#!` scripts resolved as binfmt_script
// does; then the kernel checks and executes the file (an i386 binfmt in
// lkl/arch/wasm/kernel/hostexec.c: close-on-exec, signals, credentials,
// /proc/self/exe), asking exec_check before its point of no return so that
// an image that cannot load fails the call, and tells the host through the
// exec import that it is done.
import createDebug from 'debug';
import { CPU, ESP } from '../cpu/cpu.js';
import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import { AT, AT_FDCWD, O, SIG } from '../uapi/linux.js';
import { readFile } from '../rtos/sys.js';
import { MAX_ARG_STRLEN, type Arg } from './auxv.js';
import { ElfError, interpreterOf, loadElf, parseElf, PT_LOAD } from './elf.js';
import { MmStruct } from './mm-struct.js';
import type { Proc } from './proc-context.js';
import { AltStack, initFpu, SigHand } from './signal.js';
import { hostRandom } from '../rtos/random.js';

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
export function loadImage(image: Uint8Array, argv: Arg[], envp: Arg[], execfn?: string, interp?: Uint8Array): { mm: MmStruct; cpu: CPU } {
  const mem = new AddressSpace();
  const random = new Uint8Array(16);
  hostRandom(random);
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

/**
 * A NULL-terminated array of strings in guest memory (argv, envp), their
 * bytes as they are; -EFAULT when any of it is unreadable, -E2BIG past
 * 65536 strings (the host's bound; Linux's is the stack size).
 */
function guestStrings(p: Proc, ptr: number): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (!ptr) return out;
  try {
    for (let a = ptr >>> 0; ; a += 4) {
      const s = p.mem.read32(a) >>> 0;
      if (!s) break;
      out.push(p.mem.readCString(s, MAX_ARG_STRLEN));
      if (out.length > 65536) return -E.E2BIG;
    }
  } catch {
    return -E.EFAULT;
  }
  return out;
}

/** BINPRM_BUF_SIZE: how much of a file binfmt_script looks at for its #! line. */
const BINPRM_BUF_SIZE = 256;
/** How deep #! scripts may nest (BINPRM_MAX_RECURSION, with the ELF program at the bottom). */
const MAX_SCRIPTS = 4;

/** A whole file opened the way execve opens it (dirfd relative, an fd itself with AT_EMPTY_PATH); throws with its errno. */
function readExec(p: Proc, dirfd: number, path: Uint8Array, flags: number, max = Infinity): Promise<Uint8Array> {
  const empty = path.length === 0 && flags & AT.EMPTY_PATH;
  const name = empty ? enc.encode(`/proc/self/fd/${dirfd}`) : path;
  const at = empty ? AT_FDCWD : dirfd;
  const nofollow = flags & AT.SYMLINK_NOFOLLOW ? O.NOFOLLOW : 0;
  const z = new Uint8Array(name.length + 1);
  z.set(name);
  return readFile({
    openat: (_d, _n, f, mode = 0) => p.kb(NR.openat, at, z, f | nofollow, mode),
    read: (fd, buf) => p.kb(NR.read, fd, buf, buf.length),
    close: (fd) => p.k(NR.close, fd),
  }, dec.decode(name), max);
}

/** The #! line of a script as binfmt_script splits it: interpreter and optional argument; null when it is not a script. */
function shebang(file: Uint8Array): { name: Uint8Array; arg: Uint8Array | null } | null | number {
  if (file[0] !== 0x23 || file[1] !== 0x21) return null;
  const head = file.subarray(2, BINPRM_BUF_SIZE);
  const nl = head.indexOf(0x0a);
  let line = nl < 0 ? head : head.subarray(0, nl);
  const blank = (c: number | undefined) => c === 0x20 || c === 0x09;
  let i = 0, j = line.length;
  while (i < j && blank(line[i])) i++;
  while (j > i && blank(line[j - 1])) j--;
  line = line.subarray(i, j);
  if (!line.length) return -E.ENOEXEC;
  let sp = 0;
  while (sp < line.length && !blank(line[sp])) sp++;
  // a name cut off at the end of the buffer cannot be run (fs/binfmt_script.c)
  if (nl < 0 && sp === line.length && head.length === BINPRM_BUF_SIZE - 2) return -E.ENOEXEC;
  let a = sp;
  while (a < line.length && blank(line[a])) a++;
  return { name: line.slice(0, sp), arg: a < line.length ? line.slice(a) : null };
}

/** What execve made ready before the kernel's exec: the new image, or the errno it must fail with. */
interface Prepared {
  /** bprm->filename and bprm->interp as the kernel will have them */
  path: string;
  interp: string;
  image?: { mm: MmStruct; cpu: CPU };
  errno: number;
}

/**
 * The image the kernel's exec is about to run, loaded beforehand (as
 * load_elf_binary loads before its point of no return): the file read the way
 * the kernel opens it (so a close-on-exec descriptor of fexecve is still
 * open), #! scripts resolved as binfmt_script does, the ELF program and its
 * PT_INTERP loaded. undefined when the file cannot be read here (the kernel
 * judges; the image is then loaded after its exec, by the name it ran).
 */
async function prepare(p: Proc, pathPtr: number, argv: Uint8Array[], envp: Uint8Array[], at: { dirfd: number; flags: number } | undefined): Promise<Prepared | undefined> {
  let path: Uint8Array;
  try {
    path = p.mem.readCString(pathPtr >>> 0, 4096);
  } catch {
    return undefined;
  }
  const dirfd = at?.dirfd ?? AT_FDCWD, flags = at?.flags ?? 0;
  // alloc_bprm's bprm->filename
  const given = dec.decode(path);
  const filename = dirfd === AT_FDCWD || path[0] === 0x2f ? given : path.length ? `/dev/fd/${dirfd}/${given}` : `/dev/fd/${dirfd}`;
  let file: Uint8Array;
  try {
    file = await readExec(p, dirfd, path, flags);
  } catch {
    return undefined;
  }
  let interp = filename, args = argv;
  const fail = (errno: number): Prepared => ({ path: filename, interp, errno });
  for (let depth = 0; ; depth++) {
    const sb = shebang(file);
    if (sb === null) break;
    if (typeof sb === 'number') return fail(sb);
    if (depth === MAX_SCRIPTS) return fail(-E.ELOOP);
    // argv: the interpreter, its argument, the script (by the name the kernel has for it), the rest
    args = [sb.name, ...(sb.arg ? [sb.arg] : []), enc.encode(interp), ...args.slice(1)];
    interp = dec.decode(sb.name);
    try {
      file = await readExec(p, AT_FDCWD, sb.name, 0);
    } catch (e) {
      return fail(-((e as { errno?: number }).errno ?? E.ENOENT));
    }
  }
  try {
    const ld = interpreterOf(file);
    let ldFile: Uint8Array | undefined;
    if (ld !== null) {
      try {
        ldFile = await readExec(p, AT_FDCWD, enc.encode(ld), 0);
      } catch (e) {
        return fail(-((e as { errno?: number }).errno ?? E.ENOENT));
      }
    }
    return { path: filename, interp, image: loadImage(file, args, envp, filename, ldFile), errno: 0 };
  } catch (e) {
    if (e instanceof ElfError) return fail(-e.errno);
    throw e;
  }
}

/** The exec_check import: the kernel is about to execute path (interp for a #! script); 0, or the errno execve fails with. */
export function execCheck(p: Proc, path: string, interp: string): number {
  const r = p.preparedExec as Prepared | undefined;
  if (!r || r.path !== path || r.interp !== interp) return 0; // not what was prepared: loaded after the exec
  return r.errno;
}

/** The program's segments in /proc/PID/maps get the file's real name (the kernel's /proc/self/exe). */
export async function nameExe(p: Pick<Proc, 'kb' | 'mm'>, path: string): Promise<void> {
  const link = new Uint8Array(4096);
  const n = await p.kb(NR.readlinkat, AT_FDCWD, cstr('/proc/self/exe'), link, link.length);
  if (n > 0) p.mm.rename(path, dec.decode(link.subarray(0, n)));
}

/** The image of what the kernel executed, when it was not prepared before (a file this process could not read). */
async function loadAfter(p: Proc, done: { path: string; interp: string }, argv: Uint8Array[], envp: Uint8Array[]): Promise<{ mm: MmStruct; cpu: CPU }> {
  let args = argv;
  if (done.interp !== done.path) {
    const sb = shebang(await p.readFile(done.path, BINPRM_BUF_SIZE));
    if (sb && typeof sb !== 'number') args = [sb.name, ...(sb.arg ? [sb.arg] : []), enc.encode(done.path), ...argv.slice(1)];
  }
  const image = await p.readFile(done.interp);
  const ld = interpreterOf(image);
  return loadImage(image, args, envp, done.path, ld === null ? undefined : await p.readFile(ld));
}

/**
 * execve, or execveat with `at`: the image is loaded here first, the kernel
 * does its part (it asks exec_check before its point of no return, so a bad
 * image fails the call as in Linux); then the new image replaces this one.
 */
export async function execve(p: Proc, pathPtr: number, argvPtr: number, envpPtr: number, at?: { dirfd: number; flags: number }): Promise<number> {
  const argv = guestStrings(p, argvPtr);
  if (typeof argv === 'number') return argv;
  const envp = guestStrings(p, envpPtr);
  if (typeof envp === 'number') return envp;
  const prepared = await prepare(p, pathPtr, argv, envp, at);
  p.executed = undefined;
  p.preparedExec = prepared;
  let r: number;
  try {
    r = await (at ? p.k(NR.execveat, at.dirfd, pathPtr, argvPtr, envpPtr, at.flags) : p.k(NR.execve, pathPtr, argvPtr, envpPtr));
  } finally {
    p.preparedExec = undefined;
  }
  const done = p.executed as { path: string; interp: string } | undefined;
  p.executed = undefined;
  if (r < 0 || !done) return r < 0 ? r : -E.ENOEXEC;
  // Past the point of no return: what is left cannot fail but for a file that could not be read before.
  try {
    const ready = prepared?.image && prepared.path === done.path && prepared.interp === done.interp;
    const { mm, cpu } = ready ? prepared.image! : await loadAfter(p, done, argv, envp);
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
