// Process calls that need the RTOS: clone and its forms (the child's CPU,
// memory and signal state are made here by Linux's rules, its kernel task by
// the kernel's clone), execve (exec.ts), exit (shared mappings written back
// first), uname (an i686), and the TLS descriptors (struct user_desc,
// installed in the CPU's GDT and LDT entries).
import createDebug from 'debug';
import { LDT_ENTRIES, type CPU, type UserDesc } from '../cpu/cpu.js';
import { PLATFORM } from '../cpu/cpu-model.js';
import type { AddressSpace } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import { CLONE, SIG } from '../uapi/linux.js';
import type { Impl } from './abi.js';
import { execve } from './exec.js';
import { forkAttachments } from './ipc.js';
import { CLONE_ARGS, NEW_UTSNAME, USER_DESC, USER_DESC_BITS, UTS_LEN } from './layouts.js';
import { syncAllMappings } from './mm.js';
import type { MmStruct } from './mm-struct.js';
import type { Proc, ThreadState } from './proc-context.js';
import { getBytes, getUser, putBytes, putUser } from './struct.js';
import { AltStack } from './signal.js';

const debug = createDebug('int80:proc');

/** struct user_desc from guest memory, its flag word unpacked; -EFAULT when unreadable. */
export function getUserDesc(mem: AddressSpace, addr: number): UserDesc | number {
  const v = getUser(mem, addr, USER_DESC);
  if (typeof v === 'number') return v;
  const d: Record<string, number> = { entry_number: v.entry_number, base_addr: v.base_addr, limit: v.limit };
  for (const [n, bit, w] of USER_DESC_BITS) d[n] = (v.bits >>> bit) & ((1 << w) - 1);
  return d as unknown as UserDesc;
}

/** struct user_desc into guest memory (the flag word keeps no other bits): 0 or -EFAULT. */
export function putUserDesc(mem: AddressSpace, addr: number, d: UserDesc): number {
  let bits = 0;
  for (const [n, bit, w] of USER_DESC_BITS) bits |= (d[n] & ((1 << w) - 1)) << bit;
  return putUser(mem, addr, USER_DESC, { entry_number: d.entry_number, base_addr: d.base_addr, limit: d.limit, bits });
}

/**
 * clone/fork/vfork: the child's CPU, memory and signal state by Linux's
 * rules here, everything else by the kernel's clone (its clone3 when given
 * the struct clone_args, stack and TLS taken out).
 */
async function clone(p: Proc, flags: number, newsp: number, ptid: number, tls: number, ctid: number, clone3?: Uint8Array): Promise<number> {
  let mm: MmStruct, cpu: CPU;
  // the copy's frames must fit in the machine's memory: the parent's charge covers them while
  // the copy is made (the child charges its own before it runs, the parent then gives the extra
  // back); with no room the fork fails with ENOMEM, and the OOM killer has run
  if (!(flags & CLONE.VM) && !(await p.charge(p.mem.frames))) return -E.ENOMEM;
  try {
    mm = flags & CLONE.VM ? p.mm : p.mm.fork();
    // fork and threads alike start with the parent's x87, MXCSR and xmm state (fpu_clone copies it)
    cpu = p.cpu.clone(mm.mem);
  } catch (e) {
    // no host memory for the copy or the CPU state: Linux's answer when a task cannot be had
    debug('clone: %s', e);
    return -E.ENOMEM;
  }
  cpu.regs[0] = 0; // eax: the child's result
  if (newsp) cpu.regs[4] = newsp; // esp
  // a copy nobody will run gives its frames back at once
  const unused = (r: number): number => {
    if (mm !== p.mm) mm.discard();
    return r;
  };
  if (flags & CLONE.SETTLS) {
    const d = getUserDesc(p.mem, tls);
    if (typeof d === 'number') return unused(d);
    const r = cpu.setThreadArea(d);
    if (r < 0) return unused(r);
  }
  const child: ThreadState = {
    mm, cpu,
    sighand: flags & CLONE.SIGHAND ? p.sighand : p.sighand.copy(),
    // a thread (CLONE_VM without CLONE_VFORK) starts without an alternate stack
    altstack: (flags & (CLONE.VM | CLONE.VFORK)) !== CLONE.VM ? p.altstack.copy() : new AltStack(),
    trap: p.trap.copy(),
  };
  const r = await p.spawnChild(child, () => (clone3 ? p.kb(NR.clone3, clone3, clone3.length) : p.k(NR.clone, flags & ~CLONE.SETTLS, 0, ptid, ctid, 0)));
  return r < 0 ? unused(r) : r;
}

/** What a forked child does in its own kernel task before it runs: attach the SysV segments it inherited. */
export function childStarts(p: Proc): Promise<void> | undefined {
  return p.mm.inherited.length ? forkAttachments(p) : undefined;
}

/** uname and its older forms: `count` fields of `len` bytes (the last one a NUL), machine i686 (ELF_PLATFORM). */
async function uname(p: Proc, buf: number, len: number, count: number): Promise<number> {
  const k = new Uint8Array(NEW_UTSNAME.size);
  const r = await p.kb(NR.uname, k);
  if (r < 0) return r;
  const machine = new Uint8Array(UTS_LEN);
  machine.set(new TextEncoder().encode(PLATFORM));
  NEW_UTSNAME.encode({ machine }, k);
  const out = new Uint8Array(count * len);
  for (let i = 0; i < count; i++) out.set(k.subarray(i * UTS_LEN, i * UTS_LEN + len - 1), i * len);
  return putBytes(p.mem, buf, out);
}

const CLONE_ARGS_SIZE_VER0 = 64;

/**
 * clone3(args, size): the kernel's clone3 with the struct's checks and its
 * pidfd, exit_signal, set_tid and cgroup; the stack and TLS go into the
 * child's CPU here (the kernel gets them zeroed, as everything of the CPU is
 * the RTOS's).
 */
async function clone3(p: Proc, uargs: number, size: number): Promise<number> {
  size >>>= 0;
  if (size < CLONE_ARGS_SIZE_VER0) return -E.EINVAL;
  if (size > 4096) return -E.E2BIG;
  const b = getBytes(p.mem, uargs, size);
  if (typeof b === 'number') return b;
  // as copy_struct_from_user: what this kernel does not know must be zero
  if (b.subarray(CLONE_ARGS.size).some((x) => x !== 0)) return -E.E2BIG;
  const whole = new Uint8Array(CLONE_ARGS.size);
  whole.set(b.subarray(0, CLONE_ARGS.size));
  const a = CLONE_ARGS.decode(whole);
  const ptr = (x: bigint) => x <= 0xffffffffn;
  if (!ptr(a.pidfd) || !ptr(a.child_tid) || !ptr(a.parent_tid) || !ptr(a.stack) || !ptr(a.tls)) return -E.EFAULT;
  // clone3_stack_valid: both or neither, within the address space (x86: the stack grows down from stack + size)
  if ((a.stack === 0n) !== (a.stack_size === 0n) || a.stack + a.stack_size > 0xc0000000n) return -E.EINVAL;
  const low = Number(a.flags & 0xffffffffn);
  const newsp = a.stack ? Number(a.stack + a.stack_size) | 0 : 0;
  // the kernel checks the rest (flag combinations, exit_signal, set_tid) and does it; stack and TLS are the CPU's
  CLONE_ARGS.encode({ ...a, stack: 0n, stack_size: 0n, tls: 0n, flags: a.flags & ~BigInt(CLONE.SETTLS) }, whole);
  return clone(p, low, newsp, Number(a.parent_tid), Number(a.tls), Number(a.child_tid), whole.slice(0, Math.min(size, CLONE_ARGS.size)));
}

const LDT_ENTRY_SIZE = 8;

/** modify_ldt(func, ptr, bytecount): read (0), write (1 old mode, 0x11), read the default LDT (2), as Linux's. */
function modifyLdt(p: Proc, func: number, ptr: number, count: number): number {
  count >>>= 0;
  switch (func) {
    case 0: { // read_ldt: the entries, zero-filled up to bytecount; 0 without an LDT
      const ldt = p.mem.ldt;
      if (!ldt) return 0;
      const n = Math.min(count, LDT_ENTRIES * LDT_ENTRY_SIZE);
      const out = new Uint8Array(n);
      out.set(ldt.subarray(0, Math.min(n, ldt.length)));
      return putBytes(p.mem, ptr, out) < 0 ? -E.EFAULT : n;
    }
    case 2: // read_default_ldt: five empty descriptors
      return putBytes(p.mem, ptr, new Uint8Array(Math.min(count, 5 * LDT_ENTRY_SIZE))) < 0 ? -E.EFAULT : count | 0;
    case 1: case 0x11: {
      if (count !== USER_DESC.size) return -E.EINVAL;
      const d = getUserDesc(p.mem, ptr);
      return typeof d === 'number' ? d : p.cpu.writeLdt(d, func === 1);
    }
    default:
      return -E.ENOSYS;
  }
}

export const PROC_CALLS: ReadonlyArray<[string, Impl]> = [
  ['exit', { level: 'full', note: 'kernel exit: ends the thread; the process ends with its last thread', run: async (p, a) => {
    await syncAllMappings(p, false);
    return p.k(NR.exit, a[0]!);
  } }],
  ['exit_group', { level: 'full', note: 'kernel exit_group', run: async (p, a) => {
    await syncAllMappings(p, true);
    return p.k(NR.exit_group, a[0]!);
  } }],
  ['clone', { level: 'full', note: 'CPU and memory copied (or shared with CLONE_VM) here, the rest by the kernel; CLONE_SETTLS into the CPU',
    run: (p, a) => clone(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!) }],
  ['clone3', { level: 'full', note: 'the kernel\'s clone3 (pidfd, exit_signal, set_tid, cgroup); stack and TLS set in the child\'s CPU here',
    run: (p, a) => clone3(p, a[0]!, a[1]!) }],
  ['fork', { level: 'full', note: 'clone(SIGCHLD)', run: (p) => clone(p, SIG.CHLD, 0, 0, 0, 0) }],
  ['vfork', { level: 'full', note: 'clone(CLONE_VM|CLONE_VFORK|SIGCHLD): the parent waits in the kernel', run: (p) => clone(p, CLONE.VFORK | CLONE.VM | SIG.CHLD, 0, 0, 0, 0) }],
  ['execve', { level: 'full', note: 'the kernel execs (close-on-exec, signals, /proc/self/exe, #! scripts); static and dynamically linked i386 ELF programs',
    run: async (p, a) => {
      await syncAllMappings(p, false);
      return execve(p, a[0]!, a[1]!, a[2]!);
    } }],
  ['execveat', { level: 'full', note: 'as execve, relative to a directory fd or of an fd itself (AT_EMPTY_PATH)',
    run: async (p, a) => {
      await syncAllMappings(p, false);
      return execve(p, a[1]!, a[2]!, a[3]!, { dirfd: a[0]!, flags: a[4]! });
    } }],
  ['waitpid', { level: 'full', note: 'wait4 without rusage', run: (p, a) => p.k(NR.wait4, a[0]!, a[1]!, a[2]!, 0) }],
  ['uname', { level: 'full', note: 'new_utsname from the kernel, machine i686', run: (p, a) => uname(p, a[0]!, UTS_LEN, 6) }],
  ['olduname', { level: 'full', note: 'struct old_utsname: the first five fields of uname', run: (p, a) => uname(p, a[0]!, UTS_LEN, 5) }],
  ['oldolduname', { level: 'full', note: 'struct oldold_utsname: five fields of 8 characters and a NUL', run: (p, a) => uname(p, a[0]!, 9, 5) }],
  ['modify_ldt', { level: 'full', note: 'the LDT in the RTOS address space (threads share it, fork copies it); LDT selectors load into the CPU\'s segment registers',
    run: (p, a) => modifyLdt(p, a[0]!, a[1]!, a[2]!) }],
  ['set_thread_area', { level: 'full', note: 'GDT TLS entries 12-14 in the CPU', run: (p, a) => {
    const d = getUserDesc(p.mem, a[0]!);
    if (typeof d === 'number') return d;
    const r = p.cpu.setThreadArea(d);
    return r < 0 ? r : putUserDesc(p.mem, a[0]!, d);
  } }],
  ['get_thread_area', { level: 'full', note: 'from the CPU', run: (p, a) => {
    const u = getUser(p.mem, a[0]!, USER_DESC);
    if (typeof u === 'number') return u;
    const d = p.cpu.getThreadArea(u.entry_number);
    return typeof d === 'number' ? d : putUserDesc(p.mem, a[0]!, d);
  } }],
];
