// Process calls that need the RTOS: exit (the CPU stops), uname (an i686),
// TLS descriptors (installed in the CPU), rt_sigaction (the i386 struct has
// sa_restorer, the generic one does not).
import { LDT_ENTRIES, readUserDesc, writeUserDesc } from '../cpu/cpu.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { putBytes } from './struct.js';
import { SA_NODEFER, SA_RESETHAND } from './signal.js';
import { ESP } from '../cpu/cpu.js';
import { PLATFORM } from '../cpu/cpu-model.js';
import { syncAllMappings } from './mm.js';

const EFAULT = 14;
const UTS_LEN = 65;

/**
 * old_sigaction {handler, mask (4 bytes), flags, restorer} as the i386 rt
 * struct {handler, flags, restorer, mask (8)} in the process's scratch page,
 * through the process's rt_sigaction.
 */
async function oldSigaction(p: Proc, sig: number, act: number, old: number): Promise<number> {
  const rt = p.scratch + 512, rtOld = p.scratch + 544;
  try {
    if (act) {
      const b = new DataView(p.mem.readBytes(act, 16).buffer);
      const r = new Uint8Array(20);
      const v = new DataView(r.buffer);
      v.setUint32(0, b.getUint32(0, true), true);
      v.setUint32(4, b.getUint32(8, true), true);
      v.setUint32(8, b.getUint32(12, true), true);
      v.setUint32(12, b.getUint32(4, true), true);
      p.mem.writeBytes(rt, r);
    }
  } catch {
    return -EFAULT;
  }
  const r = await p.sigaction(sig, act ? rt : 0, old ? rtOld : 0, 8);
  if (r < 0 || !old) return r;
  const o = new DataView(p.mem.readBytes(rtOld, 20).buffer);
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, o.getUint32(0, true), true);
  v.setUint32(4, o.getUint32(12, true), true);
  v.setUint32(8, o.getUint32(4, true), true);
  v.setUint32(12, o.getUint32(8, true), true);
  return putBytes(p.mem, old, b);
}

async function oldSigprocmask(p: Proc, how: number, set: number, old: number): Promise<number> {
  let s: Uint8Array | number = 0;
  if (set) {
    try {
      s = new Uint8Array(8);
      s.set(p.mem.readBytes(set, 4));
    } catch {
      return -EFAULT;
    }
  }
  const o = new Uint8Array(8);
  const r = await p.kb(NR.rt_sigprocmask, how, s, old ? o : 0, 8);
  if (r < 0 || !old) return r;
  return putBytes(p.mem, old, o.subarray(0, 4));
}

/** sigaltstack(uss, uoss) with Linux's order: read uss, change, write uoss. */
function sigaltstack(p: Proc, uss: number, uoss: number): number {
  const esp = p.cpu.regs[ESP]!;
  const old = p.altstack.report(esp);
  if (uss) {
    let ss: DataView;
    try {
      ss = new DataView(p.mem.readBytes(uss, 12).buffer);
    } catch {
      return -EFAULT;
    }
    const r = p.altstack.set(ss.getUint32(0, true), ss.getUint32(4, true), ss.getUint32(8, true), esp);
    if (r < 0) return r;
  }
  if (uoss) {
    const b = new Uint8Array(12);
    const v = new DataView(b.buffer);
    v.setUint32(0, old.sp, true);
    v.setUint32(4, old.flags, true);
    v.setUint32(8, old.size, true);
    if (putBytes(p.mem, uoss, b) < 0) return -EFAULT;
  }
  return 0;
}

/** signal(sig, handler): sigaction with SA_RESETHAND|SA_NODEFER and an empty mask; returns the old handler. */
async function signal(p: Proc, sig: number, handler: number): Promise<number> {
  const rt = p.scratch + 512, rtOld = p.scratch + 544;
  const b = new Uint8Array(20);
  const v = new DataView(b.buffer);
  v.setUint32(0, handler >>> 0, true);
  v.setUint32(4, SA_RESETHAND | SA_NODEFER, true);
  p.mem.writeBytes(rt, b);
  const r = await p.sigaction(sig, rt, rtOld, 8);
  return r < 0 ? r : p.mem.read32(rtOld);
}

/** sgetmask/ssetmask: the first word of the blocked set (ssetmask clears the rest, as siginitset). */
async function ssetmask(p: Proc, set: number | null): Promise<number> {
  const old = new Uint8Array(8);
  let r: number;
  if (set === null) r = await p.kb(NR.rt_sigprocmask, 0, 0, old, 8);
  else {
    const n = new Uint8Array(8);
    new DataView(n.buffer).setUint32(0, set >>> 0, true);
    r = await p.kb(NR.rt_sigprocmask, 2 /* SIG_SETMASK */, n, old, 8);
  }
  return r < 0 ? r : new DataView(old.buffer).getInt32(0, true);
}

/** uname and its older forms: `count` fields of `len` bytes (the last one a NUL), machine i686 (ELF_PLATFORM). */
async function uname(p: Proc, buf: number, len: number, count: number): Promise<number> {
  const k = new Uint8Array(6 * UTS_LEN);
  const r = await p.kb(NR.uname, k);
  if (r < 0) return r;
  k.fill(0, 4 * UTS_LEN, 5 * UTS_LEN);
  k.set(new TextEncoder().encode(PLATFORM), 4 * UTS_LEN);
  const out = new Uint8Array(count * len);
  for (let i = 0; i < count; i++) out.set(k.subarray(i * UTS_LEN, i * UTS_LEN + len - 1), i * len);
  return putBytes(p.mem, buf >>> 0, out);
}

const CLONE_SETTLS = 0x80000, CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_KNOWN = 88;

/**
 * clone3(args, size): the kernel's clone3 with the struct's checks and its
 * pidfd, exit_signal, set_tid and cgroup; the stack and TLS go into the
 * child's CPU here (the kernel gets them zeroed, as everything of the CPU is
 * the RTOS's).
 */
async function clone3(p: Proc, uargs: number, size: number): Promise<number> {
  size >>>= 0;
  if (size < CLONE_ARGS_SIZE_VER0) return -22;
  if (size > 4096) return -7; // E2BIG
  let b: Uint8Array;
  try {
    b = p.mem.readBytes(uargs >>> 0, size);
  } catch {
    return -EFAULT;
  }
  // as copy_struct_from_user: what this kernel does not know must be zero
  if (b.subarray(CLONE_ARGS_KNOWN).some((x) => x !== 0)) return -7;
  const args = new Uint8Array(Math.min(size, CLONE_ARGS_KNOWN));
  args.set(b.subarray(0, args.length));
  const v = new DataView(args.buffer);
  const word = (o: number) => v.getBigUint64(o, true);
  const flags = word(0), stack = word(40), stackSize = word(48), tls = word(56);
  const ptr = (x: bigint) => x <= 0xffffffffn;
  if (!ptr(word(8)) || !ptr(word(16)) || !ptr(word(24)) || !ptr(stack) || !ptr(tls)) return -EFAULT;
  // clone3_stack_valid: both or neither, within the address space (x86: the stack grows down from stack + size)
  if ((stack === 0n) !== (stackSize === 0n) || stack + stackSize > 0xc0000000n) return -22;
  const low = Number(flags & 0xffffffffn);
  // the kernel checks the rest (flag combinations, exit_signal, set_tid) and does it
  v.setBigUint64(40, 0n, true);
  v.setBigUint64(48, 0n, true);
  v.setBigUint64(56, 0n, true);
  v.setBigUint64(0, flags & ~BigInt(CLONE_SETTLS), true);
  const newsp = stack ? Number(stack + stackSize) | 0 : 0;
  return p.clone(low, newsp, Number(word(24)), Number(tls), Number(word(16)), args);
}

const LDT_ENTRY_SIZE = 8;

/** modify_ldt(func, ptr, bytecount): read (0), write (1 old mode, 0x11), read the default LDT (2), as Linux's. */
function modifyLdt(p: Proc, func: number, ptr: number, count: number): number {
  count >>>= 0;
  try {
    switch (func) {
      case 0: { // read_ldt: the entries, zero-filled up to bytecount; 0 without an LDT
        const ldt = p.mem.ldt;
        if (!ldt) return 0;
        const n = Math.min(count, LDT_ENTRIES * LDT_ENTRY_SIZE);
        const out = new Uint8Array(n);
        out.set(ldt.subarray(0, Math.min(n, ldt.length)));
        p.mem.writeBytes(ptr >>> 0, out);
        return n;
      }
      case 2: // read_default_ldt: five empty descriptors
        p.mem.writeBytes(ptr >>> 0, new Uint8Array(Math.min(count, 5 * LDT_ENTRY_SIZE)));
        return count | 0;
      case 1: case 0x11: {
        if (count !== 16) return -22;
        return p.cpu.writeLdt(readUserDesc(p.mem, ptr >>> 0), func === 1);
      }
      default:
        return -38;
    }
  } catch {
    return -EFAULT;
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
    run: (p, a) => p.clone(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!) }],
  ['clone3', { level: 'full', note: 'the kernel\'s clone3 (pidfd, exit_signal, set_tid, cgroup); stack and TLS set in the child\'s CPU here',
    run: (p, a) => clone3(p, a[0]!, a[1]!) }],
  ['fork', { level: 'full', note: 'clone(SIGCHLD)', run: (p) => p.clone(17, 0, 0, 0, 0) }],
  ['vfork', { level: 'full', note: 'clone(CLONE_VM|CLONE_VFORK|SIGCHLD): the parent waits in the kernel', run: (p) => p.clone(0x4000 | 0x100 | 17, 0, 0, 0, 0) }],
  ['execve', { level: 'full', note: 'the kernel execs (close-on-exec, signals, /proc/self/exe, #! scripts); static and dynamically linked i386 ELF programs',
    run: async (p, a) => {
      await syncAllMappings(p, false);
      return p.execve(a[0]!, a[1]!, a[2]!);
    } }],
  ['execveat', { level: 'full', note: 'as execve, relative to a directory fd or of an fd itself (AT_EMPTY_PATH)',
    run: async (p, a) => {
      await syncAllMappings(p, false);
      return p.execve(a[1]!, a[2]!, a[3]!, { dirfd: a[0]!, flags: a[4]! });
    } }],
  ['rt_sigaction', { level: 'full', note: 'i386 struct sigaction converted (sa_restorer kept by the RTOS)', run: (p, a) => p.sigaction(a[0]!, a[1]!, a[2]!, a[3]!) }],
  ['rt_sigreturn', { level: 'full', note: 'rt_sigframe read back by the RTOS, mask restored in the kernel', run: (p) => p.sigreturn(true) }],
  ['sigreturn', { level: 'full', note: 'sigframe read back by the RTOS, mask restored in the kernel', run: (p) => p.sigreturn(false) }],
  ['sigaction', { level: 'full', note: 'old sigaction (4-byte mask) through rt_sigaction', run: (p, a) => oldSigaction(p, a[0]!, a[1]! >>> 0, a[2]! >>> 0) }],
  ['sigprocmask', { level: 'full', note: 'old 4-byte mask through rt_sigprocmask', run: (p, a) => oldSigprocmask(p, a[0]!, a[1]! >>> 0, a[2]! >>> 0) }],
  ['sigaltstack', { level: 'full', note: 'kept by the RTOS (its rules need the user stack pointer); frames switch to it for SA_ONSTACK, SS_AUTODISARM included',
    run: (p, a) => sigaltstack(p, a[0]! >>> 0, a[1]! >>> 0) }],
  ['signal', { level: 'full', note: 'rt_sigaction with SA_RESETHAND|SA_NODEFER; returns the old handler', run: (p, a) => signal(p, a[0]!, a[1]!) }],
  ['sgetmask', { level: 'full', note: 'first word of the blocked set (rt_sigprocmask)', run: (p) => ssetmask(p, null) }],
  ['ssetmask', { level: 'full', note: 'rt_sigprocmask(SIG_SETMASK) with one word; returns the old word', run: (p, a) => ssetmask(p, a[0]!) }],
  ['waitpid', { level: 'full', note: 'wait4 without rusage', run: (p, a) => p.k(NR.wait4, a[0]!, a[1]!, a[2]!, 0) }],
  ['uname', { level: 'full', note: 'new_utsname from the kernel, machine i686', run: (p, a) => uname(p, a[0]!, UTS_LEN, 6) }],
  ['olduname', { level: 'full', note: 'struct old_utsname: the first five fields of uname', run: (p, a) => uname(p, a[0]!, UTS_LEN, 5) }],
  ['oldolduname', { level: 'full', note: 'struct oldold_utsname: five fields of 8 characters and a NUL', run: (p, a) => uname(p, a[0]!, 9, 5) }],
  ['modify_ldt', { level: 'full', note: 'the LDT in the RTOS address space (threads share it, fork copies it); LDT selectors load into the CPU\'s segment registers',
    run: (p, a) => modifyLdt(p, a[0]!, a[1]!, a[2]!) }],
  ['set_thread_area', { level: 'full', note: 'GDT TLS entries 12-14 in the CPU', run: (p, a) => {
    try {
      const d = readUserDesc(p.mem, a[0]! >>> 0);
      const r = p.cpu.setThreadArea(d);
      if (r < 0) return r;
      writeUserDesc(p.mem, a[0]! >>> 0, d);
      return 0;
    } catch {
      return -EFAULT;
    }
  } }],
  ['get_thread_area', { level: 'full', note: 'from the CPU', run: (p, a) => {
    try {
      const entry = p.mem.read32(a[0]! >>> 0);
      const d = p.cpu.getThreadArea(entry);
      if (typeof d === 'number') return d;
      writeUserDesc(p.mem, a[0]! >>> 0, d);
      return 0;
    } catch {
      return -EFAULT;
    }
  } }],
];
