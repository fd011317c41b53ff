// The original i386 calls with 16-bit user and group ids (kernel/uid16.c):
// an id argument is cut to 16 bits and 0xffff means -1 ("unchanged"); ids
// handed back that do not fit 16 bits read as the overflow id 65534.
import { NR } from '../rtos/kernel/unistd.js';
import { E } from '../uapi/errno.js';
import { AT, AT_FDCWD } from '../uapi/linux.js';
import type { Impl } from './abi.js';
import type { Proc } from './proc-context.js';
import { OLD_UID_T, UID_T } from './layouts.js';
import { getBytes, putBytes, putUser } from './struct.js';

const OVERFLOW_ID = 65534;

/** low2highuid: a 16-bit id argument as the kernel's 32-bit one. */
const low2highuid = (id: number): number => ((id & 0xffff) === 0xffff ? -1 : id & 0xffff);
/** high2lowuid: a 32-bit id as a 16-bit one (also what the 16-bit struct fields of stat and SysV IPC show). */
export const high2lowuid = (id: number): number => (id >>> 0 > 0xffff ? OVERFLOW_ID : id);

const get = (nr: number) => async (p: Proc): Promise<number> => {
  const r = await p.k(nr);
  return r < 0 ? r : high2lowuid(r);
};

/** getresuid16/getresgid16: three 16-bit ids written back. */
async function getres(p: Proc, nr: number, a: Int32Array): Promise<number> {
  const ids = [new Uint8Array(UID_T.size), new Uint8Array(UID_T.size), new Uint8Array(UID_T.size)];
  const r = await p.kb(nr, ...ids);
  if (r < 0) return r;
  for (let i = 0; i < 3; i++) {
    if (putUser(p.mem, a[i]!, OLD_UID_T, { v: high2lowuid(UID_T.decode(ids[i]!).v) }) < 0) return -E.EFAULT;
  }
  return 0;
}

async function getgroups(p: Proc, size: number, list: number): Promise<number> {
  if (size < 0) return -E.EINVAL;
  const n = await p.k(NR.getgroups, 0, 0);
  if (n < 0 || size === 0) return n;
  if (n > size) return -E.EINVAL;
  const k = new Uint8Array(UID_T.size * n);
  const r = await p.kb(NR.getgroups, n, k);
  if (r < 0) return r;
  const out = new Uint8Array(OLD_UID_T.size * r);
  for (let i = 0; i < r; i++) OLD_UID_T.encode({ v: high2lowuid(UID_T.decode(k.subarray(UID_T.size * i)).v) }, out.subarray(OLD_UID_T.size * i));
  if (putBytes(p.mem, list, out) < 0) return -E.EFAULT;
  return r;
}

async function setgroups(p: Proc, size: number, list: number): Promise<number> {
  if (size < 0 || size > 65536) return -E.EINVAL;
  const ids = getBytes(p.mem, list, OLD_UID_T.size * size);
  if (typeof ids === 'number') return ids;
  const k = new Uint8Array(UID_T.size * size);
  for (let i = 0; i < size; i++) UID_T.encode({ v: low2highuid(OLD_UID_T.decode(ids.subarray(OLD_UID_T.size * i)).v) }, k.subarray(UID_T.size * i));
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
  call('setuid', (p, a) => p.k(NR.setuid, low2highuid(a[0]!))),
  call('setgid', (p, a) => p.k(NR.setgid, low2highuid(a[0]!))),
  call('setreuid', (p, a) => p.k(NR.setreuid, low2highuid(a[0]!), low2highuid(a[1]!))),
  call('setregid', (p, a) => p.k(NR.setregid, low2highuid(a[0]!), low2highuid(a[1]!))),
  call('setresuid', (p, a) => p.k(NR.setresuid, low2highuid(a[0]!), low2highuid(a[1]!), low2highuid(a[2]!))),
  call('setresgid', (p, a) => p.k(NR.setresgid, low2highuid(a[0]!), low2highuid(a[1]!), low2highuid(a[2]!))),
  call('setfsuid', (p, a) => p.k(NR.setfsuid, low2highuid(a[0]!))),
  call('setfsgid', (p, a) => p.k(NR.setfsgid, low2highuid(a[0]!))),
  call('getresuid', (p, a) => getres(p, NR.getresuid, a), READ_NOTE),
  call('getresgid', (p, a) => getres(p, NR.getresgid, a), READ_NOTE),
  call('getgroups', (p, a) => getgroups(p, a[0]!, a[1]!), READ_NOTE),
  call('setgroups', (p, a) => setgroups(p, a[0]!, a[1]!)),
  call('chown', (p, a) => p.k(NR.fchownat, AT_FDCWD, a[0]!, low2highuid(a[1]!), low2highuid(a[2]!), 0)),
  call('lchown', (p, a) => p.k(NR.fchownat, AT_FDCWD, a[0]!, low2highuid(a[1]!), low2highuid(a[2]!), AT.SYMLINK_NOFOLLOW)),
  call('fchown', (p, a) => p.k(NR.fchown, a[0]!, low2highuid(a[1]!), low2highuid(a[2]!))),
];
