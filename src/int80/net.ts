// poll, and socketcall(2), the i386 multiplexer: the call number and a pointer to its
// arguments (unsigned longs in guest memory), turned into the generic
// socket calls. Layouts (sockaddr, msghdr, mmsghdr) are the same.
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';

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

export const NET_CALLS: ReadonlyArray<[string, Impl]> = [
  ['poll', { level: 'full', note: 'as ppoll with the timeout as a timespec', run: (p, a) => poll(p, a[0]!, a[1]!, a[2]!) }],
  ['socketcall', { level: 'full', note: 'multiplexer: each call to its generic socket call', run: (p, a) => socketcall(p, a[0]!, a[1]!) }],
];
