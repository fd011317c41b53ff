// Legacy i386 calls the generic ABI folded into newer ones: each is written
// as the call that replaced it, with Linux's own argument rules.
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import { F } from '../uapi/linux.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { ITIMERVAL32, LOFF_T, OFF_T, OLD_TIME_T, STATFS, STATFS64, TIMESPEC32, ULONG, USTAT } from './layouts.js';
import { getUser, putBytes, putUser } from './struct.js';

const full = (name: string, note: string, run: Impl['run']): [string, Impl] => [name, { level: 'full', note, run }];

/** lseek(fd, off_t, whence) as llseek; results beyond 2 GiB are EOVERFLOW, as Linux's lseek. */
async function lseek(p: Proc, fd: number, off: number, whence: number): Promise<number> {
  const res = new Uint8Array(LOFF_T.size);
  const r = await p.kb(NR.llseek, fd, off < 0 ? -1 : 0, off, res, whence);
  if (r < 0) return r;
  const v = LOFF_T.decode(res).v;
  return v > 0x7fffffffn ? -E.EOVERFLOW : Number(v);
}

/** alarm(seconds) as setitimer(ITIMER_REAL); returns the seconds left of the previous alarm (rounded up). */
async function alarm(p: Proc, secs: number): Promise<number> {
  const old = new Uint8Array(ITIMERVAL32.size);
  const r = await p.kb(NR.setitimer, 0, ITIMERVAL32.encode({ it_value_sec: secs >>> 0 }), old);
  if (r < 0) return r;
  const { it_value_sec: s, it_value_usec: us } = ITIMERVAL32.decode(old);
  // As Linux: a pending alarm never reads as 0, and half seconds round up.
  return s + ((s === 0 && us > 0) || us >= 500000 ? 1 : 0);
}

/** time(tloc) from clock_gettime(CLOCK_REALTIME). */
async function time(p: Proc, tloc: number): Promise<number> {
  const ts = new Uint8Array(TIMESPEC32.size);
  const r = await p.kb(NR.clock_gettime, 0, ts);
  if (r < 0) return r;
  const t = TIMESPEC32.decode(ts).tv_sec;
  if (tloc && putUser(p.mem, tloc, OLD_TIME_T, { v: t }) < 0) return -E.EFAULT;
  return t;
}

/** sendfile(out, in, off_t *offset, count): the 32-bit offset as sendfile64's loff_t. */
async function sendfile(p: Proc, out: number, inp: number, offp: number, count: number): Promise<number> {
  if (!offp) return p.k(NR.sendfile64, out, inp, 0, count);
  const off = getUser(p.mem, offp, OFF_T);
  if (typeof off === 'number') return off;
  const o = LOFF_T.encode({ v: off.v });
  const r = await p.kb(NR.sendfile64, out, inp, o, count);
  if (putUser(p.mem, offp, OFF_T, { v: Number(BigInt.asIntN(32, LOFF_T.decode(o).v)) }) < 0) return -E.EFAULT;
  return r;
}

/** nice(inc) as Linux: clamped, then setpriority; raising priority without the right is EPERM. */
async function nice(p: Proc, inc: number): Promise<number> {
  const cur = await p.k(NR.getpriority, 0, 0); // 20 - nice
  if (cur < 0) return cur;
  const step = Math.max(-40, Math.min(40, inc));
  const n = Math.max(-20, Math.min(19, 20 - cur + step));
  const r = await p.k(NR.setpriority, 0, 0, n);
  return r === -E.EACCES ? -E.EPERM : r;
}

/** statfs/fstatfs: the i386 struct statfs of 32-bit words from statfs64, EOVERFLOW where a count does not fit. */
async function statfs32(p: Proc, nr: number, what: number, buf: number): Promise<number> {
  const k = new Uint8Array(STATFS64.size);
  const r = await p.kb(nr, what, STATFS64.size, k);
  if (r < 0) return r;
  const s = STATFS64.decode(k);
  // put_compat_statfs: block counts must fit; file counts too, unless unknown (-1)
  if ([s.f_blocks, s.f_bfree, s.f_bavail].some((n) => n > 0xffffffffn)) return -E.EOVERFLOW;
  if ([s.f_files, s.f_ffree].some((n) => n !== 0xffffffffffffffffn && n > 0xffffffffn)) return -E.EOVERFLOW;
  const low = (n: bigint) => Number(n & 0xffffffffn); // -1 stays -1
  return putUser(p.mem, buf, STATFS, {
    ...s, f_blocks: low(s.f_blocks), f_bfree: low(s.f_bfree), f_bavail: low(s.f_bavail), f_files: low(s.f_files), f_ffree: low(s.f_ffree),
  });
}

/** sigpending: the first word of rt_sigpending's set. */
async function sigpending(p: Proc, set: number): Promise<number> {
  const k = new Uint8Array(8);
  const r = await p.kb(NR.rt_sigpending, k, 8);
  if (r < 0) return r;
  return putBytes(p.mem, set, k.subarray(0, ULONG.size));
}

/** stime(&t) as clock_settime(CLOCK_REALTIME, {t, 0}) (the kernel checks CAP_SYS_TIME). */
async function stime(p: Proc, tp: number): Promise<number> {
  const t = getUser(p.mem, tp, OLD_TIME_T);
  if (typeof t === 'number') return t;
  return p.kb(NR.clock_settime, 0, TIMESPEC32.encode({ tv_sec: t.v }));
}

/** A small kernel file as text, or -errno. */
async function kernelText(p: Proc, path: string): Promise<string | number> {
  try {
    return new TextDecoder().decode(await p.readFile(path));
  } catch (e) {
    return -((e as { errno?: number }).errno ?? E.EFAULT);
  }
}

/** sysfs(2): filesystem type names by index, from the kernel's list (/proc/filesystems has its order). */
async function sysfs(p: Proc, option: number, a1: number, a2: number): Promise<number> {
  const text = await kernelText(p, '/proc/filesystems');
  if (typeof text === 'number') return text;
  const types = text.split('\n').filter(Boolean).map((l) => l.split('\t').pop()!);
  try {
    switch (option) {
      case 1: {
        const name = new TextDecoder().decode(p.mem.readCString(a1 >>> 0, 256));
        const i = types.indexOf(name);
        return i < 0 ? -E.EINVAL : i;
      }
      case 2:
        if (a1 >>> 0 >= types.length) return -E.EINVAL;
        return putBytes(p.mem, a2, new TextEncoder().encode(`${types[a1 >>> 0]}\0`));
      case 3:
        return types.length;
      default:
        return -E.EINVAL;
    }
  } catch {
    return -E.EFAULT;
  }
}

/**
 * ustat(dev, ubuf): free blocks and inodes of the filesystem on dev (a
 * mounted one, found in /proc/self/mountinfo; EINVAL otherwise), through
 * statfs64 of its mount point.
 */
async function ustat(p: Proc, dev: number, buf: number): Promise<number> {
  const major = (dev & 0xfff00) >>> 8, minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
  const info = await kernelText(p, '/proc/self/mountinfo');
  if (typeof info === 'number') return info;
  const line = info.split('\n').map((l) => l.split(' ')).find((f) => f[2] === `${major}:${minor}`);
  if (!line) return -E.EINVAL;
  const mnt = line[4]!.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  const k = new Uint8Array(STATFS64.size);
  const r = await p.kb(NR.statfs64, new TextEncoder().encode(`${mnt}\0`), STATFS64.size, k);
  if (r < 0) return r;
  const { f_bfree, f_ffree } = STATFS64.decode(k);
  return putUser(p.mem, buf, USTAT, { f_tfree: Number(f_bfree & 0xffffffffn), f_tinode: f_ffree > 0xffffffffn ? 0xffffffff : Number(f_ffree) });
}

const ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;

const pass = (name: string, generic: number, note = 'generic entry, same layout'): [string, Impl] =>
  full(name, note, (p, a) => p.k(generic, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!));

export const COMPAT_CALLS: ReadonlyArray<[string, Impl]> = [
  full('lseek', 'as llseek; EOVERFLOW past 2 GiB', (p, a) => lseek(p, a[0]!, a[1]!, a[2]!)),
  full('alarm', 'as setitimer(ITIMER_REAL)', (p, a) => alarm(p, a[0]!)),
  full('pause', 'as ppoll with no descriptors and no timeout (returns when a handler ran: EINTR)', (p) => p.k(NR.ppoll, 0, 0, 0, 0, 8)),
  full('getpgrp', 'as getpgid(0)', (p) => p.k(NR.getpgid, 0)),
  full('time', 'clock_gettime(CLOCK_REALTIME) seconds', (p, a) => time(p, a[0]!)),
  // the 32-bit length sign-extended: a negative one is EINVAL, as Linux's truncate/ftruncate
  full('truncate', 'as truncate64 (32-bit length)', (p, a) => p.k(NR.truncate64, a[0]!, a[1]!, a[1]! < 0 ? -1 : 0)),
  full('ftruncate', 'as ftruncate64 (32-bit length)', (p, a) => p.k(NR.ftruncate64, a[0]!, a[1]!, a[1]! < 0 ? -1 : 0)),
  full('umount', 'as umount2(path, 0)', (p, a) => p.k(NR.umount2, a[0]!, 0)),
  full('nice', 'getpriority/setpriority with Linux\'s clamping; EPERM to raise priority without the right', (p, a) => nice(p, a[0]!)),
  full('fcntl', 'fcntl64 with the 32-bit struct flock; the flock64 commands are EINVAL here, as Linux\'s fcntl on i386',
    (p, a) => ((a[1]! >= F.GETLK64 && a[1]! <= F.SETLKW64) || (a[1]! >= F.OFD_GETLK && a[1]! <= F.OFD_SETLKW) ? -E.EINVAL : p.k(NR.fcntl64, a[0]!, a[1]!, a[2]!))),
  full('statfs', 'statfs64 as the 32-bit struct statfs (EOVERFLOW when a count does not fit)', (p, a) => statfs32(p, NR.statfs64, a[0]!, a[1]!)),
  full('fstatfs', 'fstatfs64 as the 32-bit struct statfs (EOVERFLOW when a count does not fit)', (p, a) => statfs32(p, NR.fstatfs64, a[0]!, a[1]!)),
  full('sigsuspend', 'rt_sigsuspend with the one-word mask (third argument, as i386 passes it)', (p, a) => {
    const m = new Uint8Array(8);
    ULONG.encode({ v: a[2]! }, m);
    return p.kb(NR.rt_sigsuspend, m, 8);
  }),
  full('sigpending', 'first word of rt_sigpending', (p, a) => sigpending(p, a[0]!)),
  full('stime', 'clock_settime(CLOCK_REALTIME)', (p, a) => stime(p, a[0]!)),
  ['arch_prctl', { level: 'partial', note: 'ARCH_GET_CPUID (1) and ARCH_SET_CPUID (ENODEV: no CPUID faulting); the XSAVE permission requests give EINVAL',
    run: (p, a) => (a[0] === ARCH_GET_CPUID ? 1 : a[0] === ARCH_SET_CPUID ? -E.ENODEV : -E.EINVAL) }],
  full('sysfs', 'filesystem type names and indexes from the kernel\'s list', (p, a) => sysfs(p, a[0]!, a[1]!, a[2]!)),
  full('ustat', 'statfs64 of a mount of the device (EINVAL when none is mounted)', (p, a) => ustat(p, a[0]!, a[1]!)),
  full('sendfile', 'as sendfile64 with the 32-bit offset converted', (p, a) => sendfile(p, a[0]!, a[1]!, a[2]!, a[3]!)),
  pass('rt_sigsuspend', NR.rt_sigsuspend),
  pass('rt_sigtimedwait', NR.rt_sigtimedwait, 'generic entry, same layout (time32 timespec)'),
  pass('rt_sigtimedwait_time64', NR.rt_sigtimedwait_time64),
  full('mlock', 'guest memory is never swapped: accepted', () => 0),
  full('munlock', 'accepted', () => 0),
  // mm/mlock.c's check of the flags
  full('mlockall', 'accepted', (p, a) => { const f = a[0]! >>> 0; return !f || f & ~7 || f === 4 ? -E.EINVAL : 0; }),
  full('munlockall', 'accepted', () => 0),
  full('epoll_create', 'as epoll_create1(0); size must be positive', (p, a) => (a[0]! <= 0 ? -E.EINVAL : p.k(NR.epoll_create1, 0))),
  full('inotify_init', 'as inotify_init1(0)', (p) => p.k(NR.inotify_init1, 0)),
  full('signalfd', 'as signalfd4(..., 0)', (p, a) => p.k(NR.signalfd4, a[0]!, a[1]!, a[2]!, 0)),
  full('eventfd', 'as eventfd2(count, 0)', (p, a) => p.k(NR.eventfd2, a[0]!, 0)),
];
