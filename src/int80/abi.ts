// The i386 system call ABI: `int 0x80` with the number in eax and arguments
// in ebx, ecx, edx, esi, edi, ebp, answered by the kernel (lkl.wasm serves
// the generic 32-bit ABI) or, for what the RTOS owns (memory, CPU state), by
// the process itself.
//
// The table is data: every entry of the kernel's syscall_32.tbl gets a
// support level and a note. Calls whose generic counterpart has the same name
// and the same argument and struct layout pass straight through (pointers
// stay guest addresses: the kernel reads guest memory itself); the others
// have a handler in a family file (fs.ts, mm.ts, proc.ts). Errno values are
// never remapped: i386 and the generic ABI share them. 64-bit arguments
// (pread64, truncate64, fallocate...) take two slots, low word first, on both
// sides (lkl/arch/wasm/kernel/syscalls.c), so those calls pass through too.

import createDebug from 'debug';
import { GuestFault } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import { SYSCALL_32 } from './syscall_32.js';
import type { Proc } from './proc-context.js';
import { FS_CALLS } from './fs.js';
import { MM_CALLS } from './mm.js';
import { COHERENT_IO, coherentIo } from './filemap.js';
import { PROC_CALLS } from './proc.js';
import { SIGNAL_CALLS } from './signal.js';
import { NET_CALLS } from './net.js';
import { COMPAT_CALLS } from './compat.js';
import { IPC_CALLS } from './ipc.js';
import { UID16_CALLS } from './uid16.js';
import { EAX } from '../cpu/cpu.js';
import { TracedCall, straceLine } from './strace.js';

const trace = createDebug('int80');
/** Every call as strace prints it (DEBUG=int80:calls). */
const calls = createDebug('int80:calls');

export type Level =
  /** Linux's own semantics, through the kernel. */
  | 'full'
  /** Works for what programs use; the note says what is missing. */
  | 'partial'
  /** Not available: ENOSYS (traced once). */
  | 'none';

export type Handler = (p: Proc, a: Int32Array) => number | Promise<number>;

export interface Impl {
  level: Level;
  note: string;
  run?: Handler;
}

export interface Entry extends Impl {
  nr: number;
  name: string;
}

/**
 * Same name in the generic table but not the same ABI: these must have a
 * handler of their own or stay unsupported (layouts, argument order, calls
 * whose state the RTOS owns).
 */
const NOT_PASSTHROUGH = new Set([
  'rt_sigaction', 'rt_sigreturn', 'sigaltstack', 'clone', 'clone3', 'execve', 'execveat',
  'mmap', 'mmap2', 'munmap', 'mprotect', 'mremap', 'madvise', 'brk', 'msync', 'mlock', 'munlock',
  'mlockall', 'munlockall', 'mincore', 'remap_file_pages', 'pkey_mprotect', 'process_vm_readv', 'process_vm_writev',
  'uname', 'epoll_ctl', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'statfs64', 'fstatfs64', 'fstatat64',
  'ptrace', 'set_thread_area', 'get_thread_area', 'vm86', 'vm86old', 'modify_ldt', 'iopl', 'ioperm',
  'exit', 'exit_group', 'fork', 'vfork', 'sigreturn', 'rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'ipc',
  'shmat', 'shmdt', 'io_setup', 'io_submit', 'io_getevents', 'io_pgetevents',
  'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'fadvise64',
]);

const PASS_NOTE = 'generic entry, same layout';

/**
 * Generic calls this kernel does not have (their entry is sys_ni_syscall):
 * features that need an MMU or an architecture hook the wasm port lacks, or
 * that its configuration leaves out. They return the kernel's ENOSYS; a test
 * probes the kernel so that the list stays true.
 */
export const KERNEL_LACKS: Record<string, string> = {
  acct: 'BSD process accounting is not built in',
  swapon: 'no swap without an MMU', swapoff: 'no swap without an MMU',
  quotactl: 'disk quotas are not built in', quotactl_fd: 'disk quotas are not built in',
  mbind: 'no NUMA memory policy without an MMU', get_mempolicy: 'no NUMA memory policy without an MMU',
  set_mempolicy: 'no NUMA memory policy without an MMU', set_mempolicy_home_node: 'no NUMA memory policy without an MMU',
  migrate_pages: 'no page migration without an MMU', move_pages: 'no page migration without an MMU',
  mlock2: 'needs an MMU in the kernel (mlock and mlockall are served by the RTOS)',
  process_madvise: 'needs an MMU in the kernel', process_mrelease: 'needs an MMU in the kernel',
  userfaultfd: 'needs an MMU in the kernel',
  add_key: 'the key retention service is not built in', request_key: 'the key retention service is not built in',
  keyctl: 'the key retention service is not built in',
  perf_event_open: 'no perf events in the wasm port', bpf: 'BPF is not built in', seccomp: 'no seccomp in the wasm port',
  rseq: 'no restartable sequences in the wasm port (glibc runs without)',
  pkey_alloc: 'no protection keys in the wasm port', pkey_free: 'no protection keys in the wasm port',
  landlock_create_ruleset: 'Landlock is not built in', landlock_add_rule: 'Landlock is not built in',
  landlock_restrict_self: 'Landlock is not built in',
  init_module: 'no loadable modules', finit_module: 'no loadable modules', delete_module: 'no loadable modules',
  kexec_load: 'no kexec', lookup_dcookie: 'no dcookies (profiling support is not built in)',
};

/** i386 names of calls that exist in the generic ABI under another name, same ABI. */
export const RENAMED: Record<string, string> = {
  ugetrlimit: 'getrlimit', _llseek: 'llseek', getuid32: 'getuid', getgid32: 'getgid',
  geteuid32: 'geteuid', getegid32: 'getegid', setuid32: 'setuid', setgid32: 'setgid',
  setreuid32: 'setreuid', setregid32: 'setregid', getgroups32: 'getgroups', setgroups32: 'setgroups',
  setresuid32: 'setresuid', getresuid32: 'getresuid', setresgid32: 'setresgid', getresgid32: 'getresgid',
  setfsuid32: 'setfsuid', setfsgid32: 'setfsgid', fchown32: 'fchown',
};

function build(): Entry[] {
  const custom = new Map<string, Impl>();
  for (const [name, impl] of [...FS_CALLS, ...MM_CALLS, ...PROC_CALLS, ...SIGNAL_CALLS, ...NET_CALLS, ...COMPAT_CALLS, ...IPC_CALLS, ...UID16_CALLS]) {
    if (custom.has(name)) throw new Error(`int80: two handlers for ${name}`);
    custom.set(name, impl);
  }
  const nr = NR as Record<string, number>;
  const out: Entry[] = [];
  for (const [num, name, entry, compat] of SYSCALL_32) {
    const c = custom.get(name);
    if (!entry || entry === 'sys_ni_syscall' || compat === 'sys_ni_syscall') {
      // no entry point in Linux 6.1 (or none for i386 programs on an x86-64 kernel, the machine the CPU models)
      const note = !entry || entry === 'sys_ni_syscall' ? 'ENOSYS, as in Linux (no entry point); traced once'
        : 'ENOSYS, as for i386 programs on an x86-64 Linux (no compat entry); traced once';
      out[num] = { nr: num, name, level: 'full', note, run: (p) => unsupported(p, num, name) };
    } else if (c) {
      out[num] = { nr: num, name, ...c };
    } else if (KERNEL_LACKS[name] !== undefined) {
      out[num] = { nr: num, name, level: 'none', note: `ENOSYS: ${KERNEL_LACKS[name]}`, run: (p) => unsupported(p, num, name) };
    } else if (nr[RENAMED[name] ?? name] !== undefined && !NOT_PASSTHROUGH.has(name)) {
      const g = nr[RENAMED[name] ?? name]!;
      out[num] = { nr: num, name, level: 'full', note: RENAMED[name] ? `generic ${RENAMED[name]}, same layout` : PASS_NOTE, run: (p, a) => p.k(g, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) };
    } else {
      out[num] = { nr: num, name, level: 'none', note: nr[name] === undefined ? 'not in the generic ABI; no conversion yet' : 'needs a conversion (not written yet)' };
    }
  }
  // file reads and writes see (and update) the pages of MAP_SHARED file mappings
  for (const e of out) if (e?.run && COHERENT_IO.includes(e.name)) e.run = coherentIo(e.name, e.run);
  return out;
}

/** Every i386 system call by number, with its support level and note. */
export const TABLE: ReadonlyArray<Entry | undefined> = build();

const traced = new Set<number>();

/** ENOSYS, traced the first time a number is asked for. */
function unsupported(p: Proc, nr: number, name: string): number {
  if (!traced.has(nr)) {
    traced.add(nr);
    trace('%s: unsupported system call %d (%s): ENOSYS', p.name, nr, name);
  }
  return -E.ENOSYS;
}

/** Run the system call the guest asked for; returns eax. */
export function dispatch(p: Proc, a: Int32Array, nr: number): number | Promise<number> {
  const e = nr >= 0 ? TABLE[nr] : undefined;
  if (!calls.enabled && !p.tracer) return e?.run ? guarded(p, a, e) : unsupported(p, nr, e?.name ?? 'unknown');
  return withTrace(p, a, nr, e);
}

/**
 * The handler's result; a guest memory fault that escaped it is EFAULT, as
 * the kernel's user copies answer (handlers check guest memory themselves:
 * this is the last resort, traced). Anything else thrown is a host error and
 * goes on up: it ends the task that hit it.
 */
function guarded(p: Proc, a: Int32Array, e: Entry): number | Promise<number> {
  try {
    const r = e.run!(p, a);
    return typeof r === 'number' ? r : r.catch((x: unknown) => escaped(p, e.name, x));
  } catch (x) {
    return escaped(p, e.name, x);
  }
}

function escaped(p: Proc, name: string, x: unknown): number {
  if (!(x instanceof GuestFault)) throw x;
  trace('%s: %s: guest memory fault at 0x%s escaped the handler: EFAULT', p.name, name, (x.addr >>> 0).toString(16));
  return -E.EFAULT;
}

/**
 * A call seen by strace (strace, load_app --strace: the process's tracer) and
 * DEBUG=int80:calls (one line per call when it returns; exits before they
 * happen). Arguments are read when the call is made (a successful execve
 * replaces the memory they point into) and, for what the call writes, when it
 * returns.
 */
async function withTrace(p: Proc, a: Int32Array, nr: number, e: Entry | undefined): Promise<number> {
  const name = e?.name ?? `syscall_${nr}`;
  const args = a.slice();
  const pending = p.tracer?.enter(p, name, args, nr);
  const debug = calls.enabled ? new TracedCall(p, name, args, { strsize: 32 }) : undefined;
  const noReturn = name === 'exit' || name === 'exit_group';
  const log = (ret: number | undefined) => {
    const { exit, result } = debug!.finish(ret);
    calls('%s: %s', p.name, straceLine('', `${debug!.name}(${debug!.entry}${debug!.comma ? ', ' : ''}${exit})`, result));
  };
  if (debug && noReturn) log(undefined);
  const r = e?.run ? await guarded(p, a, e) : unsupported(p, nr, name);
  // sigreturn's result is the eax it restored
  const shown = (name === 'sigreturn' || name === 'rt_sigreturn') && p.replaced ? p.cpu.regs[EAX]! : r;
  if (debug && !noReturn) log(shown);
  p.tracer?.exit(p, pending, shown);
  return r;
}
