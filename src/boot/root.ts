// A distribution's root filesystem as `/` (embox --root IMAGE), handed over
// as an initramfs hands over to the system it boots (switch_root): the disk
// is mounted read-only beside the kernel's initial root, checked for an i386
// /bin/sh, remounted read-write unless the image is attached read-only, given
// the filesystems an init mounts (the boot's /dev with /dev/pts and /dev/shm,
// /proc, /sys and /tmp moved into it, a tmpfs on /run), and moved onto `/`;
// init and the calling task then chroot into it, and every kernel task made
// afterwards (cloned from init) starts there. The initial root, with nothing
// of the bundled rootfs in it, stays underneath, unreachable. The programs get
// the environment a login gives root, and the calling task (the shell) starts
// in root's home directory. No Node APIs: any host boots this way.

import { ElfError, parseElf } from '../int80/elf.js';
import { NR } from '../rtos/kernel/unistd.js';
import { ErrnoError, readFile, type FileReader } from '../rtos/sys.js';
import { ArgMemory } from '../tasks/arg-memory.js';
import type { KernelSys } from '../tasks/kernel-sys.js';
import { E, strerror } from '../uapi/errno.js';
import { AT, AT_FDCWD, MS, O, S } from '../uapi/linux.js';

/** Where the image is mounted before it becomes `/`: a directory of the initial root. */
const STAGING = '/sysroot';
/** The boot's mounts moved into the new root, as switch_root moves them (/dev carries /dev/pts and /dev/shm). */
const MOVED = ['/dev', '/proc', '/sys', '/tmp'];
/** Mount points the root must have (made when it is writable). */
const MOUNT_POINTS = [...MOVED, '/run'];
/** root's PATH as a Debian login sets it (login.defs' ENV_SUPATH; /etc/profile sets the same). */
export const LOGIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** openat2's RESOLVE_IN_ROOT: the path, and absolute links in it, resolve inside the directory given. */
const RESOLVE_IN_ROOT = 0x10;

export interface RootOptions {
  /** The image, for messages (its file name). */
  name: string;
  /** Its filesystem type (ext2, ext3, ext4). */
  fstype: string;
  /** Attached read-only: stays mounted read-only. */
  readOnly: boolean;
  /** The host terminal's type, when the console is a terminal: the programs' TERM. */
  term?: string;
  /** The initial root's /etc/resolv.conf (the NAT's DNS server) is for the new root too. */
  resolvConf: boolean;
  /** Says what was left undone (kernel and boot messages, as --verbose shows them). */
  log(text: string): void;
}

export interface Root {
  /** The environment a login gives root: the programs' (load_app). */
  env: string[];
}

/** A failure of the hand-over, in words for the user (BootError's message). */
export class RootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RootError';
  }
}

const cstr = (s: string) => new TextEncoder().encode(`${s}\0`);

/** A file of the image read as its own root resolves the path (absolute links included), through the directory open at rootFd. */
function inRoot(sys: KernelSys, rootFd: number): FileReader {
  return {
    openat: (_dirfd, path, flags) => {
      const how = new Uint8Array(24); // struct open_how: u64 flags, u64 mode, u64 resolve
      const v = new DataView(how.buffer);
      v.setUint32(0, flags, true);
      v.setUint32(16, RESOLVE_IN_ROOT, true);
      return sys.call(NR.openat2, rootFd, cstr(path.replace(/^\/+/, '')), how, how.length);
    },
    read: (fd, buf) => sys.read(fd, buf),
    close: (fd) => sys.close(fd),
  };
}

/** What /bin/sh says of the image: nothing when it is an i386 program, else why the image is no i386 root. */
async function checkShell(sys: KernelSys, rootFd: number, name: string): Promise<void> {
  let sh: Uint8Array;
  try {
    sh = await readFile(inRoot(sys, rootFd), '/bin/sh');
  } catch (e) {
    if (!(e instanceof ErrnoError)) throw e;
    if (e.errno === E.ENOENT) {
      throw new RootError(`${name}: no /bin/sh: not the root filesystem of a distribution (--vda IMAGE attaches a disk at /mnt/vda)`);
    }
    throw new RootError(`${name}: /bin/sh: ${strerror(e.errno)}`);
  }
  try {
    parseElf(sh, '/bin/sh');
  } catch (e) {
    if (e instanceof ElfError) throw new RootError(`${name}: ${e.message}: an i386 distribution is needed (as mmdebstrap --architectures=i386 makes one)`);
    throw e;
  }
}

/** The image's mount point `dir` (under STAGING): there, or made when the root is writable. */
async function mountPoint(sys: KernelSys, dir: string, opts: RootOptions): Promise<void> {
  const at = `${STAGING}${dir}`;
  const st = await sys.fstatat(AT_FDCWD, at, AT.SYMLINK_NOFOLLOW);
  if (typeof st !== 'number') {
    if ((st.mode & S.IFMT) !== S.IFDIR) throw new RootError(`${opts.name}: ${dir} is not a directory, so nothing can be mounted on it`);
    return;
  }
  if (st !== -E.ENOENT) throw new RootError(`${opts.name}: ${dir}: ${strerror(-st)}`);
  if (opts.readOnly) throw new RootError(`${opts.name}: no ${dir} to mount on, and the image is attached read-only`);
  const r = await sys.mkdirat(AT_FDCWD, at, 0o755);
  if (r < 0) throw new RootError(`${opts.name}: mkdir ${dir}: ${strerror(-r)}`);
}

/**
 * /etc/resolv.conf names the NAT's DNS server: the initial root's file is
 * bound over the image's (which stays as it is on the disk), or, where the
 * image has none and is writable, written into it as a DHCP client would.
 * An image whose /etc/resolv.conf is a link, or a read-only one without the
 * file, keeps what it has.
 */
async function resolvConf(sys: KernelSys, opts: RootOptions): Promise<void> {
  const at = `${STAGING}/etc/resolv.conf`;
  const st = await sys.fstatat(AT_FDCWD, at, AT.SYMLINK_NOFOLLOW);
  if (typeof st !== 'number' && (st.mode & S.IFMT) === S.IFREG) {
    const r = await sys.mount('/etc/resolv.conf', at, '', MS.BIND, '');
    if (r < 0) throw new RootError(`${opts.name}: binding /etc/resolv.conf: ${strerror(-r)}`);
    return;
  }
  const etc = await sys.fstatat(AT_FDCWD, `${STAGING}/etc`, AT.SYMLINK_NOFOLLOW);
  if (st !== -E.ENOENT || opts.readOnly || typeof etc === 'number' || (etc.mode & S.IFMT) !== S.IFDIR) {
    opts.log(`root: /etc/resolv.conf left as the image has it: no DNS server set\n`);
    return;
  }
  const text = await readFile(sys, '/etc/resolv.conf');
  const fd = await sys.openat(AT_FDCWD, at, O.WRONLY | O.CREAT | O.EXCL | O.CLOEXEC, 0o644);
  if (fd < 0) throw new RootError(`${opts.name}: creating /etc/resolv.conf: ${strerror(-fd)}`);
  const w = await sys.write(fd, text);
  await sys.close(fd);
  if (w < 0) throw new RootError(`${opts.name}: writing /etc/resolv.conf: ${strerror(-w)}`);
}

/** root's home directory and shell from /etc/passwd, as login reads them (Debian's defaults when it cannot). */
async function rootAccount(sys: KernelSys): Promise<{ home: string; shell: string }> {
  let passwd = '';
  try {
    passwd = new TextDecoder().decode(await readFile(sys, '/etc/passwd'));
  } catch (e) {
    if (!(e instanceof ErrnoError)) throw e;
  }
  // name:password:uid:gid:gecos:home:shell
  const f = passwd.split('\n').map((l) => l.split(':')).find((x) => x.length >= 7 && x[2] === '0');
  return { home: f?.[5] || '/root', shell: f?.[6] || '/bin/sh' };
}

/** The environment login(1) gives root on this root: HOME, SHELL, PATH, USER, LOGNAME, and TERM on a terminal. */
function loginEnv(account: { home: string; shell: string }, term: string | undefined): string[] {
  const env = [`HOME=${account.home}`, `SHELL=${account.shell}`, `PATH=${LOGIN_PATH}`, 'USER=root', 'LOGNAME=root'];
  if (term !== undefined) env.push(`TERM=${term}`);
  return env;
}

/**
 * Make /dev/vda the root: `sys` is the calling task's (the shell's), `initCall`
 * makes a call in init. Throws a RootError saying what is wrong with the
 * image; the caller halts the kernel then.
 */
export async function switchRoot(
  sys: KernelSys,
  initCall: (nr: number, args: number[], mem: ArgMemory) => Promise<number>,
  opts: RootOptions,
): Promise<Root> {
  let r = await sys.mkdirat(AT_FDCWD, STAGING, 0o755);
  if (r < 0 && r !== -E.EEXIST) throw new RootError(`mkdir ${STAGING}: ${strerror(-r)}`);
  // read-only until it is known to be a root: a wrong image is left as it was
  r = await sys.mount('/dev/vda', STAGING, opts.fstype, MS.RDONLY, '');
  if (r < 0) throw new RootError(`${opts.name}: mount /dev/vda (${opts.fstype}) as /: ${strerror(-r)}`);
  const rootFd = await sys.openat(AT_FDCWD, STAGING, O.RDONLY | O.DIRECTORY | O.CLOEXEC);
  if (rootFd < 0) throw new RootError(`${opts.name}: ${strerror(-rootFd)}`);
  try {
    await checkShell(sys, rootFd, opts.name);
  } finally {
    await sys.close(rootFd);
  }
  if (!opts.readOnly) {
    r = await sys.mount('', STAGING, '', MS.REMOUNT, '');
    if (r < 0) throw new RootError(`${opts.name}: remounting / read-write: ${strerror(-r)}`);
  }
  for (const dir of MOUNT_POINTS) await mountPoint(sys, dir, opts);
  for (const dir of MOVED) {
    r = await sys.mount(dir, `${STAGING}${dir}`, '', MS.MOVE, '');
    if (r < 0) throw new RootError(`moving ${dir} into ${opts.name}: ${strerror(-r)}`);
  }
  r = await sys.mount('tmpfs', `${STAGING}/run`, 'tmpfs', MS.NOSUID | MS.NODEV, 'mode=0755');
  if (r < 0) throw new RootError(`mount tmpfs on /run: ${strerror(-r)}`);
  if (opts.resolvConf) await resolvConf(sys, opts);

  // switch_root: init moves the mount onto / and chroots into it; the shell's
  // task, made before, follows through its working directory
  r = await sys.chdir(STAGING);
  if (r < 0) throw new RootError(`chdir ${STAGING}: ${strerror(-r)}`);
  const init = async (what: string, nr: number, ...args: Array<string | number>) => {
    const mem = new ArgMemory();
    const res = await initCall(nr, args.map((a) => (typeof a === 'number' ? a : mem.map(cstr(a)))), mem);
    if (res < 0) throw new RootError(`init: ${what}: ${strerror(-res)}`);
  };
  await init(`chdir ${STAGING}`, NR.chdir, STAGING);
  await init(`moving ${STAGING} onto /`, NR.mount, '.', '/', '', MS.MOVE, 0);
  await init('chroot', NR.chroot, '.');
  await init('chdir /', NR.chdir, '/');
  r = await sys.call(NR.chroot, cstr('.'));
  if (r < 0) throw new RootError(`chroot: ${strerror(-r)}`);
  r = await sys.chdir('/');
  if (r < 0) throw new RootError(`chdir /: ${strerror(-r)}`);

  const account = await rootAccount(sys);
  // as login: the home directory, or / when it is not there
  await sys.chdir(account.home);
  return { env: loginEnv(account, opts.term) };
}

/** At power off: the root read-only again (its journal clean), as an init's last step; anything still open for writing keeps it as it is. */
export async function remountRootReadOnly(sys: KernelSys): Promise<number> {
  return sys.mount('', '/', '', MS.REMOUNT | MS.RDONLY, '');
}
