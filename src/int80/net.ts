// poll, and socketcall(2), the i386 multiplexer: the call number and a pointer to its
// arguments (unsigned longs in guest memory), turned into the generic
// socket calls. Layouts (sockaddr, msghdr, mmsghdr) are the same.
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { putBytes } from './struct.js';

const EINVAL = 22, EFAULT = 14;

/** socketcall number -> [generic call, argument count] (linux/net.h SYS_*). */
const CALLS: ReadonlyArray<readonly [string, number] | undefined> = [
  undefined, ['socket', 3], ['bind', 3], ['connect', 3], ['listen', 2], ['accept', 3],
  ['getsockname', 3], ['getpeername', 3], ['socketpair', 4], ['send', 4], ['recv', 4],
  ['sendto', 6], ['recvfrom', 6], ['shutdown', 2], ['setsockopt', 5], ['getsockopt', 5],
  ['sendmsg', 3], ['recvmsg', 3], ['accept4', 4], ['recvmmsg', 5], ['sendmmsg', 4],
];

function socketcall(p: Proc, call: number, argp: number): number | Promise<number> {
  const c = CALLS[call];
  if (!c) return -EINVAL;
  const [name, n] = c;
  const a: number[] = [];
  try {
    for (let i = 0; i < n; i++) a.push(p.mem.read32((argp >>> 0) + 4 * i));
  } catch {
    return -EFAULT;
  }
  const nr = NR as Record<string, number>;
  if (name === 'send') return p.k(NR.sendto, a[0]!, a[1]!, a[2]!, a[3]!, 0, 0);
  if (name === 'recv') return p.k(NR.recvfrom, a[0]!, a[1]!, a[2]!, a[3]!, 0, 0);
  return p.k(nr[name]!, ...a);
}

/** poll(fds, n, timeout_ms) as ppoll with a time32 timespec (NULL: wait for ever). */
function poll(p: Proc, fds: number, n: number, ms: number): number | Promise<number> {
  if (ms < 0) return p.k(NR.ppoll, fds, n, 0, 0, 8);
  const ts = new Uint8Array(8);
  const v = new DataView(ts.buffer);
  v.setInt32(0, Math.floor(ms / 1000), true);
  v.setInt32(4, (ms % 1000) * 1e6, true);
  return p.kb(NR.ppoll, fds, n, ts, 0, 8);
}

const NET_CALLS_MORE: Array<[string, Impl]> = [];

export const NET_CALLS_BASE: ReadonlyArray<[string, Impl]> = [
  ['poll', { level: 'full', note: 'as ppoll with the timeout as a timespec', run: (p, a) => poll(p, a[0]!, a[1]!, a[2]!) }],
  ['socketcall', { level: 'full', note: 'multiplexer: each call to its generic socket call', run: (p, a) => socketcall(p, a[0]!, a[1]!) }],
];

/** i386 struct epoll_event is packed (events u32, data u64: 12 bytes); the kernel's here has data at 8. */
const EPOLL_I386 = 12, EPOLL_K = 16;

async function epollCtl(p: Proc, epfd: number, op: number, fd: number, ev: number): Promise<number> {
  if (!ev) return p.k(NR.epoll_ctl, epfd, op, fd, 0);
  let b: Uint8Array;
  try {
    b = p.mem.readBytes(ev >>> 0, EPOLL_I386);
  } catch {
    return -EFAULT;
  }
  const k = new Uint8Array(EPOLL_K);
  k.set(b.subarray(0, 4), 0);
  k.set(b.subarray(4, 12), 8);
  return p.kb(NR.epoll_ctl, epfd, op, fd, k);
}

async function epollWait(p: Proc, epfd: number, events: number, max: number, timeout: number, sigmask = 0, sigsetsize = 8, nr: number = NR.epoll_pwait): Promise<number> {
  if (max <= 0 || max > 65536) return -EINVAL;
  const k = new Uint8Array(EPOLL_K * max);
  const n = await p.kb(nr, epfd, k, max, timeout, sigmask, sigsetsize);
  if (n <= 0) return n;
  const out = new Uint8Array(EPOLL_I386 * n);
  for (let i = 0; i < n; i++) {
    out.set(k.subarray(i * EPOLL_K, i * EPOLL_K + 4), i * EPOLL_I386);
    out.set(k.subarray(i * EPOLL_K + 8, i * EPOLL_K + 16), i * EPOLL_I386 + 4);
  }
  if (putBytes(p.mem, events >>> 0, out) < 0) return -EFAULT;
  return n;
}

/** _newselect(n, in, out, ex, struct timeval *) as pselect6 with a timespec; the time left is written back. */
async function select(p: Proc, n: number, inp: number, outp: number, exp: number, tvp: number): Promise<number> {
  if (!tvp) return p.k(NR.pselect6, n, inp, outp, exp, 0, 0);
  let tv: Uint8Array;
  try {
    tv = p.mem.readBytes(tvp >>> 0, 8);
  } catch {
    return -EFAULT;
  }
  const v = new DataView(tv.buffer);
  const ts = new Uint8Array(8);
  const t = new DataView(ts.buffer);
  const usec = v.getInt32(4, true);
  if (usec < 0 || usec >= 1e6 || v.getInt32(0, true) < 0) return -EINVAL;
  t.setInt32(0, v.getInt32(0, true), true);
  t.setInt32(4, usec * 1000, true);
  const r = await p.kb(NR.pselect6, n, inp, outp, exp, ts, 0);
  v.setInt32(0, t.getInt32(0, true), true);
  v.setInt32(4, Math.floor(t.getInt32(4, true) / 1000), true);
  try {
    p.mem.writeBytes(tvp >>> 0, tv);
  } catch {
    /* Linux ignores a timeout it cannot write back */
  }
  return r;
}

NET_CALLS_MORE.push(
  ['epoll_ctl', { level: 'full', note: 'packed i386 epoll_event converted', run: (p, a) => epollCtl(p, a[0]!, a[1]!, a[2]!, a[3]!) }],
  ['epoll_wait', { level: 'full', note: 'as epoll_pwait; packed i386 epoll_event converted', run: (p, a) => epollWait(p, a[0]!, a[1]!, a[2]!, a[3]!) }],
  ['epoll_pwait', { level: 'full', note: 'packed i386 epoll_event converted', run: (p, a) => epollWait(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['epoll_pwait2', { level: 'full', note: 'packed i386 epoll_event converted; the 64-bit timespec is the generic one', run: (p, a) => epollWait(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, NR.epoll_pwait2) }],
  ['_newselect', { level: 'full', note: 'as pselect6 (timeval to timespec and back)', run: (p, a) => select(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!) }],
  ['select', { level: 'full', note: 'old_select: the five arguments in a struct, then as _newselect', run: (p, a) => {
    let b: DataView;
    try {
      b = new DataView(p.mem.readBytes(a[0]! >>> 0, 20).buffer);
    } catch {
      return -EFAULT;
    }
    const w = (i: number) => b.getInt32(4 * i, true);
    return select(p, w(0), w(1), w(2), w(3), w(4));
  } }],
);

export const NET_CALLS: ReadonlyArray<[string, Impl]> = [...NET_CALLS_BASE, ...NET_CALLS_MORE];
