// Legacy i386 calls the generic ABI folded into newer ones: each is written
// as the call that replaced it, with Linux's own argument rules.
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { putBytes } from './struct.js';

const EFAULT = 14, EINVAL = 22, EOVERFLOW = 75;

const full = (name: string, note: string, run: Impl['run']): [string, Impl] => [name, { level: 'full', note, run }];

/** lseek(fd, off_t, whence) as llseek; results beyond 2 GiB are EOVERFLOW, as Linux's lseek. */
async function lseek(p: Proc, fd: number, off: number, whence: number): Promise<number> {
  const res = new Uint8Array(8);
  const r = await p.kb(NR.llseek, fd, off < 0 ? -1 : 0, off, res, whence);
  if (r < 0) return r;
  const v = new DataView(res.buffer).getBigInt64(0, true);
  return v > 0x7fffffffn ? -EOVERFLOW : Number(v);
}

/** alarm(seconds) as setitimer(ITIMER_REAL); returns the seconds left of the previous alarm (rounded up). */
async function alarm(p: Proc, secs: number): Promise<number> {
  const it = new Uint8Array(16), old = new Uint8Array(16);
  new DataView(it.buffer).setInt32(8, secs >>> 0, true);
  const r = await p.kb(NR.setitimer, 0, it, old);
  if (r < 0) return r;
  const o = new DataView(old.buffer);
  const s = o.getInt32(8, true), us = o.getInt32(12, true);
  // As Linux: a pending alarm never reads as 0, and half seconds round up.
  return s + ((s === 0 && us > 0) || us >= 500000 ? 1 : 0);
}

/** time(tloc) from clock_gettime(CLOCK_REALTIME). */
async function time(p: Proc, tloc: number): Promise<number> {
  const ts = new Uint8Array(8);
  const r = await p.kb(NR.clock_gettime, 0, ts);
  if (r < 0) return r;
  const t = new DataView(ts.buffer).getInt32(0, true);
  if (tloc) {
    try {
      p.mem.write32(tloc >>> 0, t);
    } catch {
      return -EFAULT;
    }
  }
  return t;
}

/** sendfile(out, in, off_t *offset, count): the 32-bit offset as sendfile64's loff_t. */
async function sendfile(p: Proc, out: number, inp: number, offp: number, count: number): Promise<number> {
  if (!offp) return p.k(NR.sendfile64, out, inp, 0, count);
  let off: number;
  try {
    off = p.mem.read32(offp >>> 0);
  } catch {
    return -EFAULT;
  }
  const o = new Uint8Array(8);
  new DataView(o.buffer).setBigInt64(0, BigInt(off), true);
  const r = await p.kb(NR.sendfile64, out, inp, o, count);
  const now = Number(new DataView(o.buffer).getBigInt64(0, true));
  try {
    p.mem.write32(offp >>> 0, now);
  } catch {
    return -EFAULT;
  }
  return r;
}

/** nice(inc) as Linux: clamped, then setpriority; raising priority without the right is EPERM. */
async function nice(p: Proc, inc: number): Promise<number> {
  const cur = await p.k(NR.getpriority, 0, 0); // 20 - nice
  if (cur < 0) return cur;
  const step = Math.max(-40, Math.min(40, inc));
  const n = Math.max(-20, Math.min(19, 20 - cur + step));
  const r = await p.k(NR.setpriority, 0, 0, n);
  return r === -13 ? -1 /* EPERM */ : r;
}

const F_GETLK64 = 12, F_SETLKW64 = 14, F_OFD_GETLK = 36, F_OFD_SETLKW = 38;

/** statfs/fstatfs: the i386 struct statfs of 32-bit words from statfs64, EOVERFLOW where a count does not fit. */
async function statfs32(p: Proc, nr: number, what: number, buf: number): Promise<number> {
  const k = new Uint8Array(88);
  const r = await p.kb(nr, what, 88, k);
  if (r < 0) return r;
  const v = new DataView(k.buffer);
  const big = (o: number) => v.getBigUint64(o, true);
  for (const o of [8, 16, 24]) if (big(o) > 0xffffffffn) return -EOVERFLOW;
  for (const o of [32, 40]) if (big(o) !== 0xffffffffffffffffn && big(o) > 0xffffffffn) return -EOVERFLOW;
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, v.getUint32(0, true), true); // f_type
  ov.setUint32(4, v.getUint32(4, true), true); // f_bsize
  [8, 16, 24, 32, 40].forEach((o, i) => ov.setUint32(8 + 4 * i, Number(big(o) & 0xffffffffn), true));
  out.set(k.subarray(48, 84), 28); // f_fsid, f_namelen, f_frsize, f_flags, f_spare
  return putBytes(p.mem, buf >>> 0, out);
}

/** sigpending: the first word of rt_sigpending's set. */
async function sigpending(p: Proc, set: number): Promise<number> {
  const k = new Uint8Array(8);
  const r = await p.kb(NR.rt_sigpending, k, 8);
  if (r < 0) return r;
  return putBytes(p.mem, set >>> 0, k.subarray(0, 4));
}

/** stime(&t) as clock_settime(CLOCK_REALTIME, {t, 0}) (the kernel checks CAP_SYS_TIME). */
async function stime(p: Proc, tp: number): Promise<number> {
  let t: number;
  try {
    t = p.mem.read32(tp >>> 0);
  } catch {
    return -EFAULT;
  }
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setInt32(0, t, true);
  return p.kb(NR.clock_settime, 0, ts);
}

/** A small kernel file as text, or -errno. */
async function kernelText(p: Proc, path: string): Promise<string | number> {
  try {
    return new TextDecoder().decode(await p.readFile(path));
  } catch (e) {
    return -((e as { errno?: number }).errno ?? EFAULT);
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
        return i < 0 ? -EINVAL : i;
      }
      case 2: {
        if (a1 >>> 0 >= types.length) return -EINVAL;
        p.mem.writeBytes(a2 >>> 0, new TextEncoder().encode(`${types[a1 >>> 0]}\0`));
        return 0;
      }
      case 3:
        return types.length;
      default:
        return -EINVAL;
    }
  } catch {
    return -EFAULT;
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
  if (!line) return -EINVAL;
  const mnt = line[4]!.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  const k = new Uint8Array(88);
  const r = await p.kb(NR.statfs64, new TextEncoder().encode(`${mnt}\0`), 88, k);
  if (r < 0) return r;
  const v = new DataView(k.buffer);
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, Number(v.getBigUint64(16, true) & 0xffffffffn), true); // f_tfree = f_bfree
  const ffree = v.getBigUint64(40, true);
  ov.setUint32(4, ffree > 0xffffffffn ? 0xffffffff : Number(ffree), true); // f_tinode
  return putBytes(p.mem, buf >>> 0, out);
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
    (p, a) => ((a[1]! >= F_GETLK64 && a[1]! <= F_SETLKW64) || (a[1]! >= F_OFD_GETLK && a[1]! <= F_OFD_SETLKW) ? -EINVAL : p.k(NR.fcntl64, a[0]!, a[1]!, a[2]!))),
  full('statfs', 'statfs64 as the 32-bit struct statfs (EOVERFLOW when a count does not fit)', (p, a) => statfs32(p, NR.statfs64, a[0]!, a[1]!)),
  full('fstatfs', 'fstatfs64 as the 32-bit struct statfs (EOVERFLOW when a count does not fit)', (p, a) => statfs32(p, NR.fstatfs64, a[0]!, a[1]!)),
  full('sigsuspend', 'rt_sigsuspend with the one-word mask (third argument, as i386 passes it)', (p, a) => {
    const m = new Uint8Array(8);
    new DataView(m.buffer).setUint32(0, a[2]! >>> 0, true);
    return p.kb(NR.rt_sigsuspend, m, 8);
  }),
  full('sigpending', 'first word of rt_sigpending', (p, a) => sigpending(p, a[0]!)),
  full('stime', 'clock_settime(CLOCK_REALTIME)', (p, a) => stime(p, a[0]!)),
  ['arch_prctl', { level: 'partial', note: 'ARCH_GET_CPUID (1) and ARCH_SET_CPUID (ENODEV: no CPUID faulting); the XSAVE permission requests give EINVAL',
    run: (p, a) => (a[0] === ARCH_GET_CPUID ? 1 : a[0] === ARCH_SET_CPUID ? -19 : -EINVAL) }],
  full('sysfs', 'filesystem type names and indexes from the kernel\'s list', (p, a) => sysfs(p, a[0]!, a[1]!, a[2]!)),
  full('ustat', 'statfs64 of a mount of the device (EINVAL when none is mounted)', (p, a) => ustat(p, a[0]!, a[1]!)),
  full('sendfile', 'as sendfile64 with the 32-bit offset converted', (p, a) => sendfile(p, a[0]!, a[1]!, a[2]!, a[3]!)),
  pass('rt_sigsuspend', NR.rt_sigsuspend),
  pass('rt_sigtimedwait', NR.rt_sigtimedwait, 'generic entry, same layout (time32 timespec)'),
  pass('rt_sigtimedwait_time64', NR.rt_sigtimedwait_time64),
  full('mlock', 'guest memory is never swapped: accepted', () => 0),
  full('munlock', 'accepted', () => 0),
  full('mlockall', 'accepted', () => 0),
  full('munlockall', 'accepted', () => 0),
  full('epoll_create', 'as epoll_create1(0); size must be positive', (p, a) => (a[0]! <= 0 ? -EINVAL : p.k(NR.epoll_create1, 0))),
  full('inotify_init', 'as inotify_init1(0)', (p) => p.k(NR.inotify_init1, 0)),
  full('signalfd', 'as signalfd4(..., 0)', (p, a) => p.k(NR.signalfd4, a[0]!, a[1]!, a[2]!, 0)),
  full('eventfd', 'as eventfd2(count, 0)', (p, a) => p.k(NR.eventfd2, a[0]!, 0)),
];
