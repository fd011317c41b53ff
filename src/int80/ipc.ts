// SysV IPC: semaphores, message queues and shared memory are the kernel's
// (ids, keys, permissions, IPC_STAT, IPC_RMID, blocking, nattch). The i386
// ipc(2) multiplexer is unpacked here into the generic calls. For shmat the
// kernel attaches the segment in place (no MMU: its pages stay where they
// are in kernel memory, see lkl/patches/0003) and the RTOS maps those very
// pages into the guest's address space, so every attachment -- in any
// process -- sees the same bytes.
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Attachment } from './mm-struct.js';
import type { Proc } from './proc-context.js';
import { putBytes } from './struct.js';

const EFAULT = 14, EINVAL = 22, ENOSYS = 38;
const IPC_64 = 0x100, IPC_STAT = 2, IPC_SET = 1;
const SHM_RDONLY = 0o10000, SHM_RND = 0o20000, SHM_REMAP = 0o40000, SHM_EXEC = 0o100000;
const TASK_SIZE = 0xc0000000, MMAP_BASE = 0x40000000;


// ---- the pre-IPC_64 structs (libc5 and older programs: 16-bit ids, 16-bit counts)

/**
 * A field of an old struct from the kernel's *id64_ds: [kernel offset, old
 * offset, how]: a 32-bit word copied, or a 16-bit one from a count Linux caps
 * at USHRT_MAX ('cap16') or from a pid or the like it just truncates ('trunc16').
 */
type OldField = [number, number, 'u32' | 'cap16' | 'trunc16'];
/** A struct *id64_ds (generic 32-bit layout) turned into the old one, and back for IPC_SET. */
interface OldLayout {
  size64: number;
  size: number;
  /** what the old struct holds after its ipc_perm (Linux's copy_*id_to_user for IPC_OLD) */
  fields: OldField[];
  /** the old struct -> what IPC_SET reads (copy_*id_from_user for IPC_OLD) */
  up(o: DataView, k: DataView): void;
}
const low = (id: number) => (id > 0xffff ? 65534 : id);
/** kernel's 64-bit struct -> the old one */
function down(l: OldLayout, k: DataView, o: DataView): void {
  permDown(k, o);
  for (const [from, to, how] of l.fields) {
    const v = k.getUint32(from, true);
    if (how === 'u32') o.setUint32(to, v, true);
    else o.setUint16(to, how === 'cap16' ? (v > 0xffff ? 0xffff : v) : v & 0xffff, true);
  }
}
/** ipc64_perm (36 bytes) -> struct ipc_perm (16 bytes): key, then 16-bit uid gid cuid cgid mode seq */
function permDown(k: DataView, o: DataView): void {
  o.setInt32(0, k.getInt32(0, true), true);
  [4, 8, 12, 16].forEach((off, n) => o.setUint16(4 + 2 * n, low(k.getUint32(off, true)), true));
  o.setUint16(12, k.getUint32(20, true) & 0xffff, true);
  o.setUint16(14, k.getUint16(24, true), true);
}
/** IPC_SET takes uid, gid and mode from struct ipc_perm (widened as they are, 0xffff included) */
function permUp(o: DataView, k: DataView): void {
  k.setUint32(4, o.getUint16(4, true), true);
  k.setUint32(8, o.getUint16(6, true), true);
  k.setUint32(20, o.getUint16(12, true), true);
}
const OLD_SEM: OldLayout = {
  size64: 64, size: 44,
  fields: [[36, 16, 'u32'], [44, 20, 'u32'], [52, 40, 'trunc16']], // otime, ctime, nsems
  up: (o, k) => permUp(o, k),
};
const OLD_MSG: OldLayout = {
  size64: 88, size: 56,
  fields: [
    [36, 24, 'u32'], [44, 28, 'u32'], [52, 32, 'u32'], // stime, rtime, ctime
    [60, 36, 'u32'], [68, 40, 'u32'], // lcbytes, lqbytes
    [60, 44, 'cap16'], [64, 46, 'cap16'], [68, 48, 'cap16'], // cbytes, qnum, qbytes
    [72, 50, 'trunc16'], [76, 52, 'trunc16'], // lspid, lrpid
  ],
  up: (o, k) => {
    permUp(o, k);
    const q = o.getUint16(48, true);
    k.setUint32(68, q === 0 ? o.getUint32(40, true) : q, true); // msg_qbytes, or msg_lqbytes when 0
  },
};
const OLD_SHM: OldLayout = {
  size64: 84, size: 48,
  fields: [
    [36, 16, 'u32'], [40, 20, 'u32'], [48, 24, 'u32'], [56, 28, 'u32'], // segsz, atime, dtime, ctime
    [64, 32, 'trunc16'], [68, 34, 'trunc16'], [72, 36, 'trunc16'], // cpid, lpid, nattch
  ],
  up: (o, k) => permUp(o, k),
};

/**
 * A *ctl command of the multiplexer: IPC_64 ones pass through (generic
 * layouts); old-version ones that carry a struct *id_ds are converted.
 */
async function ctl(p: Proc, nr: number, args: number[], cmdv: number, buf: number, old: OldLayout, structCmds: number[]): Promise<number> {
  const cmd = cmdv & ~IPC_64;
  if (cmdv & IPC_64 || !structCmds.includes(cmd)) {
    if (nr === NR.shmctl && cmd === 3 /* IPC_INFO */ && !(cmdv & IPC_64)) return shmInfoOld(p, args, buf);
    return p.k(nr, ...args, cmd, buf);
  }
  const k = new Uint8Array(old.size64);
  const kv = new DataView(k.buffer);
  if (cmd === IPC_SET) {
    let o: DataView;
    try {
      o = new DataView(p.mem.readBytes(buf >>> 0, old.size).buffer);
    } catch {
      return -EFAULT;
    }
    old.up(o, kv);
    return p.kb(nr, ...args, cmd, k);
  }
  const r = await p.kb(nr, ...args, cmd, k);
  if (r < 0) return r;
  const out = new Uint8Array(old.size);
  down(old, kv, new DataView(out.buffer));
  if (putBytes(p.mem, buf >>> 0, out) < 0) return -EFAULT;
  return r;
}

/** shmctl(IPC_INFO) without IPC_64: struct shminfo, five ints (shmmax capped at INT_MAX). */
async function shmInfoOld(p: Proc, args: number[], buf: number): Promise<number> {
  const k = new Uint8Array(36);
  const r = await p.kb(NR.shmctl, ...args, 3, k);
  if (r < 0) return r;
  const v = new DataView(k.buffer);
  if (v.getUint32(0, true) > 0x7fffffff) v.setUint32(0, 0x7fffffff, true);
  if (putBytes(p.mem, buf >>> 0, k.subarray(0, 20)) < 0) return -EFAULT;
  return r;
}

const SEM_STRUCT = [IPC_STAT, IPC_SET, 18 /* SEM_STAT */, 20 /* SEM_STAT_ANY */];
const MSG_STRUCT = [IPC_STAT, IPC_SET, 11 /* MSG_STAT */, 13 /* MSG_STAT_ANY */];
const SHM_STRUCT = [IPC_STAT, IPC_SET, 13 /* SHM_STAT */, 15 /* SHM_STAT_ANY */];

/** shmat: Linux's address rules, the kernel's attach (permissions, ids), the pages mapped here. */
async function shmat(p: Proc, id: number, want: number, flags: number): Promise<number> {
  let addr = want >>> 0;
  if (addr & (PAGE_SIZE - 1)) {
    if (!(flags & SHM_RND)) return -EINVAL;
    addr &= ~(PAGE_SIZE - 1);
    if (!addr && flags & SHM_REMAP) return -EINVAL;
  } else if (!addr && flags & SHM_REMAP) return -EINVAL;
  const ds = new Uint8Array(128);
  const st = await p.kb(NR.shmctl, id, IPC_STAT, ds);
  if (st < 0) return st;
  const len = Math.ceil(new DataView(ds.buffer).getUint32(36, true) / PAGE_SIZE) * PAGE_SIZE;
  if (addr && !(flags & SHM_REMAP)) {
    if (addr + len > TASK_SIZE) return -EINVAL;
    for (let a = addr; a < addr + len; a += PAGE_SIZE) if (p.mem.protOf(a) !== -1) return -EINVAL;
  }
  // A no-MMU kernel holds one mapping per address in a process, so a second
  // attachment of a segment here shares the first's kernel attachment (after
  // the permission check the kernel would make); nattch counts it once.
  const l = p.mm.shm;
  const same = l.find((a) => a.id === id);
  let kaddr: number;
  if (same) {
    const ok = await permitted(p, ds, flags);
    if (ok < 0) return ok;
    kaddr = same.kaddr;
  } else {
    kaddr = await p.k(NR.shmat, id, 0, flags & (SHM_RDONLY | SHM_EXEC));
    if (kaddr < 0 && kaddr > -4096) return kaddr;
  }
  const at = addr || p.mem.findFree(len, MMAP_BASE, TASK_SIZE);
  if (at < 0 || at + len > TASK_SIZE) {
    if (!same) await p.k(NR.shmdt, kaddr);
    return at < 0 ? -12 : -EINVAL;
  }
  const prot = PROT_READ | (flags & SHM_RDONLY ? 0 : PROT_WRITE) | (flags & SHM_EXEC ? PROT_EXEC : 0);
  p.mem.mapShared(at, len, prot, p.kernelPages(kaddr >>> 0, len));
  l.push({ addr: at, len, kaddr: kaddr >>> 0, id, flags });
  return at | 0;
}

/** ipcperms for an attachment: owner, group or other bits of the segment's mode (root may do anything). */
async function permitted(p: Proc, ds: Uint8Array, flags: number): Promise<number> {
  const euid = await p.k(NR.geteuid), egid = await p.k(NR.getegid);
  if (euid === 0) return 0;
  const v = new DataView(ds.buffer);
  const uid = v.getUint32(4, true), gid = v.getUint32(8, true), cuid = v.getUint32(12, true), cgid = v.getUint32(16, true);
  const mode = v.getUint32(20, true);
  const bits = euid === uid || euid === cuid ? mode >> 6 : egid === gid || egid === cgid ? mode >> 3 : mode;
  const need = 4 | (flags & SHM_RDONLY ? 0 : 2) | (flags & SHM_EXEC ? 1 : 0);
  return (bits & need) === need ? 0 : -13; // EACCES
}

async function shmdt(p: Proc, addr: number): Promise<number> {
  const l = p.mm.shm;
  const i = l.findIndex((a) => a.addr === addr >>> 0);
  if (addr & (PAGE_SIZE - 1) || i < 0) return -EINVAL;
  const a = l.splice(i, 1)[0]!;
  p.mem.unmap(a.addr, a.len);
  if (!l.some((b) => b.kaddr === a.kaddr)) await p.k(NR.shmdt, a.kaddr);
  return 0;
}

/**
 * fork: the child's address space keeps the parent's attachments (the pages
 * stay shared); the child attaches each segment in the kernel too, so the
 * segment lives as long as some process has it. A segment that can no
 * longer be attached (removed meanwhile) becomes a private copy.
 */
export async function forkAttachments(child: Proc): Promise<void> {
  const l = child.mm.inherited;
  child.mm.inherited = [];
  const mine: Attachment[] = [];
  for (const a of l) {
    if (mine.some((b) => b.kaddr === a.kaddr)) {
      mine.push({ ...a });
      continue;
    }
    const k = await child.k(NR.shmat, a.id, 0, a.flags & (SHM_RDONLY | SHM_EXEC));
    if (k >>> 0 === a.kaddr) mine.push({ ...a });
    else {
      if (k < 0 && k > -4096) { /* nothing attached */ } else await child.k(NR.shmdt, k);
      const prot = child.mem.protOf(a.addr);
      const data = child.mem.readBytes(a.addr, a.len);
      child.mem.map(a.addr, a.len, PROT_READ | PROT_WRITE);
      child.mem.poke(a.addr, data);
      child.mem.protect(a.addr, a.len, prot);
    }
  }
  child.mm.shm = mine;
}

/** The ipc(2) multiplexer (linux/ipc.h call numbers, version in the high 16 bits). */
async function ipc(p: Proc, callv: number, first: number, second: number, third: number, ptr: number, fifth: number): Promise<number> {
  const call = callv & 0xffff, ver = callv >>> 16;
  switch (call) {
    case 1: // SEMOP
      return p.k(NR.semop, first, ptr, second);
    case 4: // SEMTIMEDOP (32-bit timespec, as the generic semtimedop)
      return p.k(NR.semtimedop, first, ptr, second, fifth);
    case 2: // SEMGET
      return p.k(NR.semget, first, second, third);
    case 3: { // SEMCTL: the union semun is passed by reference
      if (!ptr) return -EINVAL;
      let arg: number;
      try {
        arg = p.mem.read32(ptr >>> 0);
      } catch {
        return -EFAULT;
      }
      // the union's buf member is the struct for the *STAT and IPC_SET commands
      return ctl(p, NR.semctl, [first, second], third, arg, OLD_SEM, SEM_STRUCT);
    }
    case 11: // MSGSND
      return p.k(NR.msgsnd, first, ptr, second, third);
    case 12: { // MSGRCV: version 0 passes {msgp, msgtyp} in a struct ipc_kludge
      if (ver !== 0) return p.k(NR.msgrcv, first, ptr, second, fifth, third);
      if (!ptr) return -EINVAL;
      let msgp: number, typ: number;
      try {
        msgp = p.mem.read32(ptr >>> 0);
        typ = p.mem.read32((ptr + 4) >>> 0);
      } catch {
        return -EFAULT;
      }
      return p.k(NR.msgrcv, first, msgp, second, typ, third);
    }
    case 13: // MSGGET
      return p.k(NR.msgget, first, second);
    case 14: { // MSGCTL
      return ctl(p, NR.msgctl, [first], second, ptr, OLD_MSG, MSG_STRUCT);
    }
    case 21: { // SHMAT: the address goes to *third; version 1 was the iBCS2 emulator's
      if (ver === 1) return -EINVAL;
      const r = await shmat(p, first, ptr, second);
      if (r < 0 && r > -4096) return r;
      try {
        p.mem.write32(third >>> 0, r);
      } catch {
        return -EFAULT;
      }
      return 0;
    }
    case 22: // SHMDT
      return shmdt(p, ptr);
    case 23: // SHMGET
      return p.k(NR.shmget, first, second, third);
    case 24: { // SHMCTL
      return ctl(p, NR.shmctl, [first], second, ptr, OLD_SHM, SHM_STRUCT);
    }
    default:
      return -ENOSYS;
  }
}

export const IPC_CALLS: ReadonlyArray<[string, Impl]> = [
  ['ipc', { level: 'full', note: 'semaphores, message queues and shared memory through the kernel; the pre-IPC_64 structs (16-bit ids) converted',
    run: (p, a) => ipc(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['shmat', { level: 'full', note: 'the kernel attaches (in place), the RTOS maps the segment\'s own pages', run: (p, a) => shmat(p, a[0]!, a[1]!, a[2]!) }],
  ['shmdt', { level: 'full', note: 'unmapped here, detached in the kernel', run: (p, a) => shmdt(p, a[0]!) }],
];
