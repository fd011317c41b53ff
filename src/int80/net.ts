// poll, and socketcall(2), the i386 multiplexer: the call number and a pointer to its
// arguments (unsigned longs in guest memory), turned into the generic
// socket calls. Layouts (sockaddr, msghdr, mmsghdr) are the same.
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { EPOLL_EVENT, EPOLL_EVENT_I386, SEL_ARG_STRUCT, TIMESPEC32, TIMEVAL32, ULONG } from './layouts.js';
import { getBytes, getUser, putBytes, putUser } from './struct.js';

/** socketcall number -> [generic call, argument count] (linux/net.h SYS_*). */
export const SOCKETCALLS: ReadonlyArray<readonly [string, number] | undefined> = [
  undefined, ['socket', 3], ['bind', 3], ['connect', 3], ['listen', 2], ['accept', 3],
  ['getsockname', 3], ['getpeername', 3], ['socketpair', 4], ['send', 4], ['recv', 4],
  ['sendto', 6], ['recvfrom', 6], ['shutdown', 2], ['setsockopt', 5], ['getsockopt', 5],
  ['sendmsg', 3], ['recvmsg', 3], ['accept4', 4], ['recvmmsg', 5], ['sendmmsg', 4],
];

function socketcall(p: Proc, call: number, argp: number): number | Promise<number> {
  const c = SOCKETCALLS[call];
  if (!c) return -E.EINVAL;
  const [name, n] = c;
  const b = getBytes(p.mem, argp, ULONG.size * n);
  if (typeof b === 'number') return b;
  const a = Array.from({ length: n }, (_, i) => ULONG.decode(b.subarray(ULONG.size * i)).v);
  const nr = NR as Record<string, number>;
  if (name === 'send') return p.k(NR.sendto, a[0]!, a[1]!, a[2]!, a[3]!, 0, 0);
  if (name === 'recv') return p.k(NR.recvfrom, a[0]!, a[1]!, a[2]!, a[3]!, 0, 0);
  return p.k(nr[name]!, ...a);
}

/** poll(fds, n, timeout_ms) as ppoll with a time32 timespec (NULL: wait for ever). */
function poll(p: Proc, fds: number, n: number, ms: number): number | Promise<number> {
  if (ms < 0) return p.k(NR.ppoll, fds, n, 0, 0, 8);
  return p.kb(NR.ppoll, fds, n, TIMESPEC32.encode({ tv_sec: Math.floor(ms / 1000), tv_nsec: (ms % 1000) * 1e6 }), 0, 8);
}

const NET_CALLS_MORE: Array<[string, Impl]> = [];

export const NET_CALLS_BASE: ReadonlyArray<[string, Impl]> = [
  ['poll', { level: 'full', note: 'as ppoll with the timeout as a timespec', run: (p, a) => poll(p, a[0]!, a[1]!, a[2]!) }],
  ['socketcall', { level: 'full', note: 'multiplexer: each call to its generic socket call', run: (p, a) => socketcall(p, a[0]!, a[1]!) }],
];

/** epoll_ctl: the i386 struct epoll_event (data at 4) as the kernel's (data at 8). */
async function epollCtl(p: Proc, epfd: number, op: number, fd: number, ev: number): Promise<number> {
  if (!ev) return p.k(NR.epoll_ctl, epfd, op, fd, 0);
  const e = getUser(p.mem, ev, EPOLL_EVENT_I386);
  if (typeof e === 'number') return e;
  return p.kb(NR.epoll_ctl, epfd, op, fd, EPOLL_EVENT.encode(e));
}

async function epollWait(p: Proc, epfd: number, events: number, max: number, timeout: number, sigmask = 0, sigsetsize = 8, nr: number = NR.epoll_pwait): Promise<number> {
  if (max <= 0 || max > 65536) return -E.EINVAL;
  const k = new Uint8Array(EPOLL_EVENT.size * max);
  const n = await p.kb(nr, epfd, k, max, timeout, sigmask, sigsetsize);
  if (n <= 0) return n;
  const out = new Uint8Array(EPOLL_EVENT_I386.size * n);
  for (let i = 0; i < n; i++) {
    EPOLL_EVENT_I386.encode(EPOLL_EVENT.decode(k.subarray(i * EPOLL_EVENT.size)), out.subarray(i * EPOLL_EVENT_I386.size));
  }
  if (putBytes(p.mem, events, out) < 0) return -E.EFAULT;
  return n;
}

/** _newselect(n, in, out, ex, struct timeval *) as pselect6 with a timespec; the time left is written back. */
async function select(p: Proc, n: number, inp: number, outp: number, exp: number, tvp: number): Promise<number> {
  if (!tvp) return p.k(NR.pselect6, n, inp, outp, exp, 0, 0);
  const tv = getUser(p.mem, tvp, TIMEVAL32);
  if (typeof tv === 'number') return tv;
  if (tv.tv_usec < 0 || tv.tv_usec >= 1e6 || tv.tv_sec < 0) return -E.EINVAL;
  const ts = TIMESPEC32.encode({ tv_sec: tv.tv_sec, tv_nsec: tv.tv_usec * 1000 });
  const r = await p.kb(NR.pselect6, n, inp, outp, exp, ts, 0);
  const left = TIMESPEC32.decode(ts);
  // the time left; Linux ignores a timeout it cannot write back
  putUser(p.mem, tvp, TIMEVAL32, { tv_sec: left.tv_sec, tv_usec: Math.floor(left.tv_nsec / 1000) });
  return r;
}

NET_CALLS_MORE.push(
  ['epoll_ctl', { level: 'full', note: 'packed i386 epoll_event converted', run: (p, a) => epollCtl(p, a[0]!, a[1]!, a[2]!, a[3]!) }],
  ['epoll_wait', { level: 'full', note: 'as epoll_pwait; packed i386 epoll_event converted', run: (p, a) => epollWait(p, a[0]!, a[1]!, a[2]!, a[3]!) }],
  ['epoll_pwait', { level: 'full', note: 'packed i386 epoll_event converted', run: (p, a) => epollWait(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!) }],
  ['epoll_pwait2', { level: 'full', note: 'packed i386 epoll_event converted; the 64-bit timespec is the generic one', run: (p, a) => epollWait(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, NR.epoll_pwait2) }],
  ['_newselect', { level: 'full', note: 'as pselect6 (timeval to timespec and back)', run: (p, a) => select(p, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!) }],
  ['select', { level: 'full', note: 'old_select: the five arguments in a struct, then as _newselect', run: (p, a) => {
    const s = getUser(p.mem, a[0]!, SEL_ARG_STRUCT);
    return typeof s === 'number' ? s : select(p, s.n, s.inp, s.outp, s.exp, s.tvp);
  } }],
);

export const NET_CALLS: ReadonlyArray<[string, Impl]> = [...NET_CALLS_BASE, ...NET_CALLS_MORE];
