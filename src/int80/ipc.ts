// SysV IPC: semaphores, message queues and shared memory are the kernel's
// (ids, keys, permissions, IPC_STAT, IPC_RMID, blocking, nattch). The i386
// ipc(2) multiplexer is unpacked here into the generic calls. For shmat the
// kernel attaches the segment in place (no MMU: its pages stay where they
// are in kernel memory, see lkl/patches/0003) and the RTOS maps those very
// pages into the guest's address space, so every attachment -- in any
// process -- sees the same bytes.
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory.js';
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import type { Impl } from './abi.js';
import type { Attachment } from './mm-struct.js';
import type { Proc } from './proc-context.js';
import {
  IPC_KLUDGE, MSQID64_DS, MSQID_DS, SEMID64_DS, SEMID_DS, SEMUN, SHMID64_DS, SHMID_DS, SHMINFO, SHMINFO64, ULONG,
} from './layouts.js';
import { type Fields, type Struct, getUser, putUser } from './struct.js';
import { high2lowuid } from './uid16.js';

const IPC_64 = 0x100, IPC_STAT = 2, IPC_SET = 1, IPC_INFO = 3;
const SHM_RDONLY = 0o10000, SHM_RND = 0o20000, SHM_REMAP = 0o40000, SHM_EXEC = 0o100000;
const TASK_SIZE = 0xc0000000, MMAP_BASE = 0x40000000;


// ---- the pre-IPC_64 structs (libc5 and older programs: 16-bit ids, 16-bit counts)

/**
 * How a field of an old struct takes its value from the kernel's IPC_64 one
 * (Linux's copy_*id_to_user for IPC_OLD): copied, an id shown as the
 * overflow id when it does not fit 16 bits (high2lowuid), a count capped at
 * USHRT_MAX, or a pid or the like just truncated to 16 bits.
 */
type How = 'copy' | 'uid16' | 'cap16' | 'trunc16';
/** [old field, IPC_64 field, how] */
type Row = readonly [string, string, How];
/** A struct *id_ds of the old layout, its IPC_64 counterpart and the fields between them. */
interface OldIpc {
  old: Struct<Fields>;
  k64: Struct<Fields>;
  down: readonly Row[];
  /** IPC_SET: what the kernel reads, from the old struct (copy_*id_from_user for IPC_OLD) */
  up(o: Record<string, number>): Record<string, number>;
}

/** struct ipc_perm from ipc64_perm: the key, 16-bit ids, mode and sequence */
const PERM: readonly Row[] = [
  ['key', 'key', 'copy'], ['uid', 'uid', 'uid16'], ['gid', 'gid', 'uid16'], ['cuid', 'cuid', 'uid16'],
  ['cgid', 'cgid', 'uid16'], ['mode', 'mode', 'trunc16'], ['seq', 'seq', 'copy'],
];
/** IPC_SET takes uid, gid and mode from struct ipc_perm (widened as they are, 0xffff included) */
const permUp = (o: Record<string, number>) => ({ uid: o.uid!, gid: o.gid!, mode: o.mode! });

const OLD_SEM: OldIpc = {
  old: SEMID_DS, k64: SEMID64_DS,
  down: [...PERM, ['sem_otime', 'sem_otime', 'copy'], ['sem_ctime', 'sem_ctime', 'copy'], ['sem_nsems', 'sem_nsems', 'trunc16']],
  up: permUp,
};
const OLD_MSG: OldIpc = {
  old: MSQID_DS, k64: MSQID64_DS,
  down: [
    ...PERM, ['msg_stime', 'msg_stime', 'copy'], ['msg_rtime', 'msg_rtime', 'copy'], ['msg_ctime', 'msg_ctime', 'copy'],
    ['msg_lcbytes', 'msg_cbytes', 'copy'], ['msg_lqbytes', 'msg_qbytes', 'copy'],
    ['msg_cbytes', 'msg_cbytes', 'cap16'], ['msg_qnum', 'msg_qnum', 'cap16'], ['msg_qbytes', 'msg_qbytes', 'cap16'],
    ['msg_lspid', 'msg_lspid', 'trunc16'], ['msg_lrpid', 'msg_lrpid', 'trunc16'],
  ],
  // msg_qbytes, or msg_lqbytes when that is 0
  up: (o) => ({ ...permUp(o), msg_qbytes: o.msg_qbytes === 0 ? o.msg_lqbytes! : o.msg_qbytes! }),
};
const OLD_SHM: OldIpc = {
  old: SHMID_DS, k64: SHMID64_DS,
  down: [
    ...PERM, ['shm_segsz', 'shm_segsz', 'copy'], ['shm_atime', 'shm_atime', 'copy'], ['shm_dtime', 'shm_dtime', 'copy'],
    ['shm_ctime', 'shm_ctime', 'copy'], ['shm_cpid', 'shm_cpid', 'trunc16'], ['shm_lpid', 'shm_lpid', 'trunc16'],
    ['shm_nattch', 'shm_nattch', 'trunc16'],
  ],
  up: permUp,
};

/** The kernel's IPC_64 struct as the old one. */
function down(l: OldIpc, k: Record<string, number>): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [to, from, how] of l.down) {
    const v = k[from]!;
    o[to] = how === 'copy' ? v : how === 'uid16' ? high2lowuid(v) : how === 'cap16' ? Math.min(v, 0xffff) : v & 0xffff;
  }
  return o;
}

/**
 * A *ctl command of the multiplexer: IPC_64 ones pass through (generic
 * layouts); old-version ones that carry a struct *id_ds are converted.
 */
async function ctl(p: Proc, nr: number, args: number[], cmdv: number, buf: number, old: OldIpc, structCmds: number[]): Promise<number> {
  const cmd = cmdv & ~IPC_64;
  if (cmdv & IPC_64 || !structCmds.includes(cmd)) {
    if (nr === NR.shmctl && cmd === IPC_INFO && !(cmdv & IPC_64)) return shmInfoOld(p, args, buf);
    return p.k(nr, ...args, cmd, buf);
  }
  if (cmd === IPC_SET) {
    const o = getUser(p.mem, buf, old.old);
    if (typeof o === 'number') return o;
    return p.kb(nr, ...args, cmd, old.k64.encode(old.up(o as Record<string, number>)));
  }
  const k = new Uint8Array(old.k64.size);
  const r = await p.kb(nr, ...args, cmd, k);
  if (r < 0) return r;
  if (putUser(p.mem, buf, old.old, down(old, old.k64.decode(k) as Record<string, number>)) < 0) return -E.EFAULT;
  return r;
}

/** shmctl(IPC_INFO) without IPC_64: struct shminfo, five ints (shmmax capped at INT_MAX). */
async function shmInfoOld(p: Proc, args: number[], buf: number): Promise<number> {
  const k = new Uint8Array(SHMINFO64.size);
  const r = await p.kb(NR.shmctl, ...args, IPC_INFO, k);
  if (r < 0) return r;
  const info = SHMINFO64.decode(k);
  if (putUser(p.mem, buf, SHMINFO, { ...info, shmmax: Math.min(info.shmmax, 0x7fffffff) }) < 0) return -E.EFAULT;
  return r;
}

const SEM_STRUCT = [IPC_STAT, IPC_SET, 18 /* SEM_STAT */, 20 /* SEM_STAT_ANY */];
const MSG_STRUCT = [IPC_STAT, IPC_SET, 11 /* MSG_STAT */, 13 /* MSG_STAT_ANY */];
const SHM_STRUCT = [IPC_STAT, IPC_SET, 13 /* SHM_STAT */, 15 /* SHM_STAT_ANY */];

/** shmat: Linux's address rules, the kernel's attach (permissions, ids), the pages mapped here. */
async function shmat(p: Proc, id: number, want: number, flags: number): Promise<number> {
  let addr = want >>> 0;
  if (addr & (PAGE_SIZE - 1)) {
    if (!(flags & SHM_RND)) return -E.EINVAL;
    addr &= ~(PAGE_SIZE - 1);
    if (!addr && flags & SHM_REMAP) return -E.EINVAL;
  } else if (!addr && flags & SHM_REMAP) return -E.EINVAL;
  const k = new Uint8Array(SHMID64_DS.size);
  const st = await p.kb(NR.shmctl, id, IPC_STAT, k);
  if (st < 0) return st;
  const ds = SHMID64_DS.decode(k);
  const len = Math.ceil(ds.shm_segsz / PAGE_SIZE) * PAGE_SIZE;
  if (addr && !(flags & SHM_REMAP)) {
    if (addr + len > TASK_SIZE) return -E.EINVAL;
    for (let a = addr; a < addr + len; a += PAGE_SIZE) if (p.mem.protOf(a) !== -1) return -E.EINVAL;
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
    return at < 0 ? -E.ENOMEM : -E.EINVAL;
  }
  const prot = PROT_READ | (flags & SHM_RDONLY ? 0 : PROT_WRITE) | (flags & SHM_EXEC ? PROT_EXEC : 0);
  p.mem.mapShared(at, len, prot, p.kernelPages(kaddr >>> 0, len));
  l.push({ addr: at, len, kaddr: kaddr >>> 0, id, flags });
  return at | 0;
}

/** ipcperms for an attachment: owner, group or other bits of the segment's mode (root may do anything). */
async function permitted(p: Proc, ds: { uid: number; gid: number; cuid: number; cgid: number; mode: number }, flags: number): Promise<number> {
  const euid = await p.k(NR.geteuid), egid = await p.k(NR.getegid);
  if (euid === 0) return 0;
  const { uid, gid, cuid, cgid, mode } = ds;
  const bits = euid === uid || euid === cuid ? mode >> 6 : egid === gid || egid === cgid ? mode >> 3 : mode;
  const need = 4 | (flags & SHM_RDONLY ? 0 : 2) | (flags & SHM_EXEC ? 1 : 0);
  return (bits & need) === need ? 0 : -E.EACCES;
}

async function shmdt(p: Proc, addr: number): Promise<number> {
  const l = p.mm.shm;
  const i = l.findIndex((a) => a.addr === addr >>> 0);
  if (addr & (PAGE_SIZE - 1) || i < 0) return -E.EINVAL;
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
      child.mem.protect(a.addr, a.len, PROT_READ); // a segment the program made PROT_NONE is copied all the same
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
      if (!ptr) return -E.EINVAL;
      const u = getUser(p.mem, ptr, SEMUN);
      if (typeof u === 'number') return u;
      // the union's buf member is the struct for the *STAT and IPC_SET commands
      return ctl(p, NR.semctl, [first, second], third, u.arg, OLD_SEM, SEM_STRUCT);
    }
    case 11: // MSGSND
      return p.k(NR.msgsnd, first, ptr, second, third);
    case 12: { // MSGRCV: version 0 passes {msgp, msgtyp} in a struct ipc_kludge
      if (ver !== 0) return p.k(NR.msgrcv, first, ptr, second, fifth, third);
      if (!ptr) return -E.EINVAL;
      const kl = getUser(p.mem, ptr, IPC_KLUDGE);
      if (typeof kl === 'number') return kl;
      return p.k(NR.msgrcv, first, kl.msgp, second, kl.msgtyp, third);
    }
    case 13: // MSGGET
      return p.k(NR.msgget, first, second);
    case 14: { // MSGCTL
      return ctl(p, NR.msgctl, [first], second, ptr, OLD_MSG, MSG_STRUCT);
    }
    case 21: { // SHMAT: the address goes to *third; version 1 was the iBCS2 emulator's
      if (ver === 1) return -E.EINVAL;
      const r = await shmat(p, first, ptr, second);
      if (r < 0 && r > -4096) return r;
      return putUser(p.mem, third, ULONG, { v: r });
    }
    case 22: // SHMDT
      return shmdt(p, ptr);
    case 23: // SHMGET
      return p.k(NR.shmget, first, second, third);
    case 24: { // SHMCTL
      return ctl(p, NR.shmctl, [first], second, ptr, OLD_SHM, SHM_STRUCT);
    }
    default:
      return -E.ENOSYS;
  }
}

export const IPC_CALLS: ReadonlyArray<[string, Impl]> = [
  ['ipc', { level: 'full', note: 'semaphores, message queues and shared memory through the kernel; the pre-IPC_64 structs (16-bit ids) converted',
    run: (p, a) => ipc(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['shmat', { level: 'full', note: 'the kernel attaches (in place), the RTOS maps the segment\'s own pages', run: (p, a) => shmat(p, a[0]!, a[1]!, a[2]!) }],
  ['shmdt', { level: 'full', note: 'unmapped here, detached in the kernel', run: (p, a) => shmdt(p, a[0]!) }],
];
