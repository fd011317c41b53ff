// The original i386 calls with 16-bit user and group ids (kernel/uid16.c):
// an id argument is cut to 16 bits and 0xffff means -1 ("unchanged"); ids
// handed back that do not fit 16 bits read as the overflow id 65534.
import { NR } from '../rtos/kernel/unistd.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { putBytes } from './struct.js';

const EFAULT = 14, EINVAL = 22;
const AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
const OVERFLOW_ID = 65534;

/** low2highuid: a 16-bit id argument as the kernel's 32-bit one. */
const high = (id: number): number => ((id & 0xffff) === 0xffff ? -1 : id & 0xffff);
/** high2lowuid: a 32-bit id as a 16-bit one. */
const low = (id: number): number => (id >>> 0 > 0xffff ? OVERFLOW_ID : id);

const get = (nr: number) => async (p: Proc): Promise<number> => {
  const r = await p.k(nr);
  return r < 0 ? r : low(r);
};

/** getresuid16/getresgid16: three 16-bit ids written back. */
async function getres(p: Proc, nr: number, a: Int32Array): Promise<number> {
  const ids = [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)];
  const r = await p.kb(nr, ...ids);
  if (r < 0) return r;
  try {
    for (let i = 0; i < 3; i++) p.mem.write16(a[i]! >>> 0, low(new DataView(ids[i]!.buffer).getUint32(0, true)));
  } catch {
    return -EFAULT;
  }
  return 0;
}

async function getgroups(p: Proc, size: number, list: number): Promise<number> {
  if (size < 0) return -EINVAL;
  const n = await p.k(NR.getgroups, 0, 0);
  if (n < 0 || size === 0) return n;
  if (n > size) return -EINVAL;
  const k = new Uint8Array(4 * n);
  const r = await p.kb(NR.getgroups, n, k);
  if (r < 0) return r;
  const v = new DataView(k.buffer);
  const out = new Uint8Array(2 * r);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < r; i++) ov.setUint16(2 * i, low(v.getUint32(4 * i, true)), true);
  if (putBytes(p.mem, list >>> 0, out) < 0) return -EFAULT;
  return r;
}

async function setgroups(p: Proc, size: number, list: number): Promise<number> {
  if (size < 0 || size > 65536) return -EINVAL;
  let ids: Uint8Array;
  try {
    ids = p.mem.readBytes(list >>> 0, 2 * size);
  } catch {
    return -EFAULT;
  }
  const v = new DataView(ids.buffer);
  const k = new Uint8Array(4 * size);
  const kv = new DataView(k.buffer);
  for (let i = 0; i < size; i++) kv.setInt32(4 * i, high(v.getUint16(2 * i, true)), true);
  return p.kb(NR.setgroups, size, k);
}

const call = (name: string, run: Impl['run'], note = 'the 32-bit call with 16-bit ids converted (0xffff is -1)'): [string, Impl] =>
  [name, { level: 'full', note, run }];
const READ_NOTE = 'the 32-bit call; ids above 65535 read as 65534';

export const UID16_CALLS: ReadonlyArray<[string, Impl]> = [
  call('getuid', get(NR.getuid), READ_NOTE),
  call('getgid', get(NR.getgid), READ_NOTE),
  call('geteuid', get(NR.geteuid), READ_NOTE),
  call('getegid', get(NR.getegid), READ_NOTE),
  call('setuid', (p, a) => p.k(NR.setuid, high(a[0]!))),
  call('setgid', (p, a) => p.k(NR.setgid, high(a[0]!))),
  call('setreuid', (p, a) => p.k(NR.setreuid, high(a[0]!), high(a[1]!))),
  call('setregid', (p, a) => p.k(NR.setregid, high(a[0]!), high(a[1]!))),
  call('setresuid', (p, a) => p.k(NR.setresuid, high(a[0]!), high(a[1]!), high(a[2]!))),
  call('setresgid', (p, a) => p.k(NR.setresgid, high(a[0]!), high(a[1]!), high(a[2]!))),
  call('setfsuid', (p, a) => p.k(NR.setfsuid, high(a[0]!))),
  call('setfsgid', (p, a) => p.k(NR.setfsgid, high(a[0]!))),
  call('getresuid', (p, a) => getres(p, NR.getresuid, a), READ_NOTE),
  call('getresgid', (p, a) => getres(p, NR.getresgid, a), READ_NOTE),
  call('getgroups', (p, a) => getgroups(p, a[0]!, a[1]!), READ_NOTE),
  call('setgroups', (p, a) => setgroups(p, a[0]!, a[1]!)),
  call('chown', (p, a) => p.k(NR.fchownat, AT_FDCWD, a[0]!, high(a[1]!), high(a[2]!), 0)),
  call('lchown', (p, a) => p.k(NR.fchownat, AT_FDCWD, a[0]!, high(a[1]!), high(a[2]!), AT_SYMLINK_NOFOLLOW)),
  call('fchown', (p, a) => p.k(NR.fchown, a[0]!, high(a[1]!), high(a[2]!))),
];
