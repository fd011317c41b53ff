// System start on any host (no Node APIs): starts the kernel host
// (rtos/kernel), attaches a disk as /dev/vda, mounts the boot filesystems and
// /mnt/vda, copies the root filesystem in, registers the commands that need
// the kernel, and returns what the shell needs. What comes from the host (the
// compiled kernel, the root filesystem's files, the disk) comes through
// `BootHost`: system.ts gives Node's, web/ a browser page's.

import type { Console } from '../rtos/console.js';
import type { Scheduler, Task } from '../rtos/scheduler.js';
import type { Sys } from '../rtos/sys.js';
import { AT_FDCWD, MS, O } from '../uapi/linux.js';
import { E, strerror } from '../uapi/errno.js';
import { Kernel, type KernelOptions } from '../rtos/kernel/kernel.js';
import { hostRandom, setHostRandom } from '../rtos/random.js';
import { NR } from '../rtos/kernel/unistd.js';
import { KernelTasks } from '../tasks/kernel-tasks.js';
import { KernelSys } from '../tasks/kernel-sys.js';
import { ArgMemory } from '../tasks/arg-memory.js';
import { VDA_MOUNT_POINT, type OpenedImage } from '../blockdev/check.js';
import { WriteBackCache } from '../blockdev/writeback.js';
import { cpuinfoText } from '../cpu/cpuinfo.js';
import { Nat, NET, type NetHost, type Publish } from '../net/index.js';
import { BootError } from './boot-error.js';
import { registerCommands } from './commands.js';
import { openSnapshot, saveSnapshot, snapshotConfig, type FirstPart, type SnapshotStore } from './snapshot.js';
import { remountRootReadOnly, RootError, switchRoot } from './root.js';

/** A file, directory or symbolic link of the root filesystem, as the guests see it at `path`. */
export type RootEntry =
  | { path: string; kind: 'dir' }
  | { path: string; kind: 'file'; mode: number; data(): Promise<Uint8Array> }
  | { path: string; kind: 'symlink'; target: string };

/** What the host provides for a boot. */
export interface BootHost {
  /** lkl.wasm, compiled (throws a BootError when there is none). */
  kernel(): Promise<WebAssembly.Module>;
  /** Whether that module imports a shared memory (the kernel's memory is then made shared). */
  kernelMemoryShared?(): boolean;
  /** The root filesystem's entries, each directory before what it holds. */
  rootfs(): AsyncIterable<RootEntry>;
  /** Where the root filesystem comes from, for messages (`rootfs/`, a URL). */
  readonly rootfsName: string;
  /** Busybox's applet list (one path a line, relative to /), if there is one. */
  applets(): Promise<string | undefined>;
  /** The disk for /dev/vda, opened and checked (a BlockDevError otherwise); none if absent. */
  openDisk?(): Promise<OpenedImage>;
  /**
   * The disk holds a distribution's root (`name` in messages: the image's
   * file): it becomes `/` (root.ts) instead of /mnt/vda, and the host's root
   * filesystem entries and applets are not used.
   */
  readonly diskRoot?: { name: string };
  /** Fill with random bytes from the host's generator (default: crypto.getRandomValues; src/rtos/random.ts). */
  random?(into: Uint8Array): void;
  /** The host terminal's type (its TERM), for programs on a root from the disk. */
  readonly term?: string;
  /** The kernel's command line (EMBOX_CMDLINE on Node). */
  readonly cmdline?: string;
  /**
   * User networking: eth0 behind the NAT (src/net) on the host's sockets,
   * with these published ports. Without it, loopback only.
   */
  readonly net?: { host: NetHost; publish?: Publish[] };
  /**
   * What the system is made of (the kernel, the root filesystem, the code
   * that boots it): `id` changes whenever any of it does; `timeMs`, the
   * newest time among the kernel and the root filesystem, is the wall clock
   * the boot's first part runs at, so that what it makes carries a time
   * that does not depend on when it ran. Absent: no snapshots, and the boot
   * runs at the real time.
   */
  origin?(): Promise<{ id: string; timeMs: number }>;
  /** Where the boot's first part is kept once made (snapshot.ts); absent: every boot makes it. */
  readonly snapshots?: SnapshotStore;
  /** Told why a snapshot was made again or not kept (for debug output). */
  onSnapshot?(event: string): void;
}

export interface CoreBootOptions {
  host: BootHost;
  /** The machine's memory in MiB (default 256): the kernel's, which guest frames are charged to. */
  memoryMiB?: number;
  /** Kernel and boot messages to console.log (else they are kept out of stdout/stderr). */
  verbose: boolean;
  console: Console;
  /** The scheduler the shell runs on; the kernel host adds its idle handlers and tasks to it. */
  scheduler: Scheduler;
}

export interface System {
  /** System calls on behalf of an RTOS task (bound to its own kernel task). */
  sys(task: Task): Sys;
  /** The environment of the programs the shell starts, when the system sets one (a login's, on a root from the disk). */
  readonly env?: readonly string[];
  /** Kernel pid bound to an RTOS task, if any (for `ps`). */
  kernelPid?(task: { id: number }): number | undefined;
  /** Sync, unmount and halt the kernel. Called from a task. */
  poweroff(): Promise<void>;
}


/** Filesystems mounted at boot, in order: [source, target, type, flags, data]. */
const BOOT_MOUNTS: Array<[string, string, string, number, string]> = [
  ['proc', '/proc', 'proc', MS.NOSUID | MS.NODEV | MS.NOEXEC, ''],
  ['sysfs', '/sys', 'sysfs', MS.NOSUID | MS.NODEV | MS.NOEXEC, ''],
  ['devtmpfs', '/dev', 'devtmpfs', MS.NOSUID, 'mode=0755'],
  ['devpts', '/dev/pts', 'devpts', MS.NOSUID | MS.NOEXEC, 'gid=5,mode=620,ptmxmode=666'],
  // POSIX shared memory (shm_open) and memfd_create live here
  ['tmpfs', '/dev/shm', 'tmpfs', MS.NOSUID | MS.NODEV, 'mode=1777'],
  ['tmpfs', '/tmp', 'tmpfs', MS.NOSUID | MS.NODEV, 'mode=1777'],
];

const DEV_LINKS: Array<[string, string]> = [
  ['/proc/self/fd', '/dev/fd'], ['/proc/self/fd/0', '/dev/stdin'], ['/proc/self/fd/1', '/dev/stdout'],
  ['/proc/self/fd/2', '/dev/stderr'],
];

/** fds 0, 1, 2 on /dev/console, as a fresh open of it. */
async function reopenConsole(call: (nr: number, args: number[], mem: ArgMemory) => Promise<number>): Promise<number> {
  const mem = new ArgMemory();
  const fd = await call(NR.openat, [AT_FDCWD, mem.map(new TextEncoder().encode('/dev/console\0')), O.RDWR | O.NOCTTY, 0], mem);
  if (fd < 0) return fd;
  for (const n of [0, 1, 2]) {
    if (n === fd) continue;
    const r = await call(NR.dup3, [fd, n, 0], mem);
    if (r < 0) return r;
  }
  return fd > 2 ? call(NR.close, [fd], mem) : 0;
}

/** Copy the host's root filesystem into the kernel's /. */
async function populateRoot(sys: KernelSys, entries: AsyncIterable<RootEntry>): Promise<number> {
  for await (const e of entries) {
    if (e.kind === 'dir') {
      const r = await sys.mkdirat(AT_FDCWD, e.path, 0o755);
      if (r < 0 && r !== -E.EEXIST) return r;
    } else if (e.kind === 'file') {
      const data = await e.data();
      const fd = await sys.openat(AT_FDCWD, e.path, O.WRONLY | O.CREAT | O.TRUNC, e.mode & 0o7777);
      if (fd < 0) return fd;
      const w = await sys.write(fd, data);
      await sys.close(fd);
      if (w < 0) return w;
    } else {
      const r = await sys.symlinkat(e.target, AT_FDCWD, e.path);
      if (r < 0 && r !== -E.EEXIST) return r;
    }
  }
  return 0;
}

/** The terminal's size on the tty open at fd, for TIOCGWINSZ. */
async function setWinSize(sys: KernelSys, fd: number, rows: number, cols: number): Promise<number> {
  const ws = new Uint8Array(8); // struct winsize: ws_row, ws_col, ws_xpixel, ws_ypixel
  const w = new DataView(ws.buffer);
  w.setUint16(0, rows, true);
  w.setUint16(2, cols, true);
  return sys.call(NR.ioctl, fd, 0x5414 /* TIOCSWINSZ */, ws);
}

/**
 * A new size of the host's terminal, on both console ttys. Linux's tty sends
 * SIGWINCH to the foreground process group when the size changes, so a
 * shell or an editor running there redraws for it.
 */
async function resizeConsoles(sys: KernelSys, rows: number, cols: number): Promise<void> {
  for (const dev of ['/dev/console', '/dev/ttyW1']) {
    const fd = await sys.openat(AT_FDCWD, dev, O.RDWR | O.NOCTTY);
    if (fd < 0) continue;
    await setWinSize(sys, fd, rows, cols);
    await sys.close(fd);
  }
}

/**
 * The console tty cooks only what the host does not: output is never
 * post-processed (a host terminal turns \n into \r\n itself, anything else
 * gets the bytes); input from a terminal gets Linux's line discipline (echo,
 * editing); input from elsewhere is neither echoed, edited nor turned into
 * signals. The terminal's size is set for TIOCGWINSZ.
 */
const TCGETS = 0x5401, TCSETS = 0x5402;
/** The console ttys: the programs' standard output (and input) and their standard error. */
const CONSOLE_TTYS = ['/dev/console', '/dev/ttyW1'];

/** The modes of a console tty, from its termios as the kernel made it (struct termios: iflag, oflag, cflag, lflag, line, cc[19]). */
function consoleTermios(defaults: number[], input: boolean): Uint8Array {
  const OPOST = 0o1;
  const IGNBRK = 0o1, BRKINT = 0o2, PARMRK = 0o10, ISTRIP = 0o40, INLCR = 0o100, IGNCR = 0o200, ICRNL = 0o400, IXON = 0o2000;
  const ISIG = 0o1, ICANON = 0o2, ECHO = 0o10, ECHONL = 0o100, IEXTEN = 0o100000;
  const VERASE = 2, VKILL = 3, VEOL = 11, VREPRINT = 12, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
  const t = Uint8Array.from(defaults);
  const v = new DataView(t.buffer);
  // Output is never post-processed here: a host terminal does its own (\n to \r\n), anything else gets the bytes.
  v.setUint32(4, v.getUint32(4, true) & ~OPOST, true);
  if (!input) {
    // Bytes pass through: no CR/NL translation, no echo, no signal or
    // editing characters; lines stay whole and VEOF (sent by the host when
    // its input ends) gives programs end of file.
    v.setUint32(0, v.getUint32(0, true) & ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON), true);
    v.setUint32(12, (v.getUint32(12, true) & ~(ECHO | ECHONL | ISIG | IEXTEN)) | ICANON, true);
    for (const cc of [VERASE, VKILL, VWERASE, VLNEXT, VREPRINT, VEOL, VEOL2]) t[17 + cc] = 0;
  }
  return t;
}

/**
 * The console ttys' modes for input that is not a terminal (the first
 * part: what a run with its input piped keeps); their termios as the kernel
 * made them, by device, or -errno.
 */
async function pipedConsoleModes(sys: KernelSys): Promise<Record<string, number[]> | number> {
  const out: Record<string, number[]> = {};
  for (const dev of CONSOLE_TTYS) {
    const fd = await sys.openat(AT_FDCWD, dev, O.RDWR | O.NOCTTY);
    if (fd < 0) return fd;
    const t = new Uint8Array(36);
    let r = await sys.call(NR.ioctl, fd, TCGETS, t);
    if (r >= 0) {
      out[dev] = [...t];
      r = await sys.call(NR.ioctl, fd, TCSETS, consoleTermios(out[dev], false));
    }
    await sys.close(fd);
    if (r < 0) return r;
  }
  return out;
}

/**
 * The console ttys' modes from the host terminal (the second part): a
 * terminal's input gets Linux's line discipline, and the terminal's size is
 * set for TIOCGWINSZ; piped input keeps what the first part set.
 */
async function setConsoleModes(sys: KernelSys, defaults: Record<string, number[]>, term: { input: boolean; rows?: number; cols?: number }): Promise<number> {
  if (!term.input && !(term.rows && term.cols)) return 0;
  for (const dev of CONSOLE_TTYS) {
    const fd = await sys.openat(AT_FDCWD, dev, O.RDWR | O.NOCTTY);
    if (fd < 0) return fd;
    let r = term.rows && term.cols ? await setWinSize(sys, fd, term.rows, term.cols) : 0;
    if (r >= 0 && term.input) r = await sys.call(NR.ioctl, fd, TCSETS, consoleTermios(defaults[dev] ?? [], true));
    await sys.close(fd);
    if (r < 0) return r;
  }
  return 0;
}

/** Busybox's applet links (/bin/sh, /usr/bin/awk, ...), from the list scripts/fetch-debian.mjs wrote. */
async function linkApplets(sys: KernelSys, text: string): Promise<number> {
  const dirs = new Set<string>();
  for (const rel of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const p = `/${rel}`;
    if (p === '/bin/busybox') continue;
    const dir = p.slice(0, p.lastIndexOf('/'));
    if (!dirs.has(dir)) {
      let acc = '';
      for (const part of dir.split('/').filter(Boolean)) {
        acc += `/${part}`;
        const r = await sys.mkdirat(AT_FDCWD, acc, 0o755);
        if (r < 0 && r !== -E.EEXIST) return r;
      }
      dirs.add(dir);
    }
    const r = await sys.symlinkat('/bin/busybox', AT_FDCWD, p);
    if (r < 0 && r !== -E.EEXIST) return r;
  }
  return 0;
}

/**
 * The kernel has no entropy source of its own here (no cycle counter to
 * jitter, no devices), so until something credits it its random pool stays
 * uninitialised and /dev/random, /dev/urandom and getrandom() without
 * GRND_NONBLOCK block for ever. The host's generator credits it at boot, as a
 * boot loader's seed would (RNDADDENTROPY, 512 bits).
 */
async function seedRandom(sys: KernelSys): Promise<number> {
  const RNDADDENTROPY = 0x40085203, RNDRESEEDCRNG = 0x5207, BYTES = 64;
  const fd = await sys.openat(AT_FDCWD, '/dev/random', O.WRONLY);
  if (fd < 0) return fd;
  const info = new Uint8Array(8 + BYTES); // struct rand_pool_info: entropy_count (bits), buf_size, buf
  const v = new DataView(info.buffer);
  v.setInt32(0, BYTES * 8, true);
  v.setInt32(4, BYTES, true);
  hostRandom(info.subarray(8));
  let r = await sys.call(NR.ioctl, fd, RNDADDENTROPY, info);
  // and the generator takes it now, not at its next periodic reseed: after
  // the first part, its state is the snapshot's, the same on every start
  if (r >= 0) r = await sys.syscall(NR.ioctl, fd, RNDRESEEDCRNG);
  await sys.close(fd);
  return r;
}

/** ifconfig lo up: the kernel then gives it 127.0.0.1/8 and ::1 by itself. */
async function bringUpLoopback(sys: KernelSys): Promise<number> {
  const AF_INET = 2;
  const SOCK_DGRAM = 2;
  const SIOCGIFFLAGS = 0x8913;
  const SIOCSIFFLAGS = 0x8914;
  const IFF_UP = 1;
  const fd = await sys.syscall(NR.socket, AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return fd;
  const ifr = new Uint8Array(32); // struct ifreq: name[16], then ifr_flags
  ifr.set(new TextEncoder().encode('lo'));
  let r = await sys.call(NR.ioctl, fd, SIOCGIFFLAGS, ifr);
  if (r >= 0) {
    const v = new DataView(ifr.buffer);
    v.setUint16(16, v.getUint16(16, true) | IFF_UP, true);
    r = await sys.call(NR.ioctl, fd, SIOCSIFFLAGS, ifr);
  }
  await sys.close(fd);
  return r;
}

/** struct sockaddr_in for the wasm32 kernel: AF_INET, port 0, the address. */
function sockaddrIn(buf: Uint8Array, at: number, addr: string): void {
  const v = new DataView(buf.buffer, buf.byteOffset);
  v.setUint16(at, 2, true);
  buf.set(addr.split('.').map(Number), at + 4);
}

/**
 * eth0 as the NAT expects it (src/net/config.ts): address, netmask, up, and
 * the default route through the gateway, as `ifconfig` and `route add
 * default gw` set them; then /etc/resolv.conf naming its DNS server.
 */
async function configureEth0(sys: KernelSys): Promise<[string, number]> {
  const SIOCSIFADDR = 0x8916, SIOCSIFNETMASK = 0x891c, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, SIOCADDRT = 0x890b;
  const IFF_UP = 1, RTF_UP = 1, RTF_GATEWAY = 2;
  const fd = await sys.syscall(NR.socket, 2 /* AF_INET */, 2 /* SOCK_DGRAM */, 0);
  if (fd < 0) return ['socket', fd];
  const etc = await sys.mkdirat(AT_FDCWD, '/etc', 0o755); // the initial root has none when no rootfs is copied in
  if (etc < 0 && etc !== -E.EEXIST) return ['mkdir /etc', etc];
  const ifreq = (addr?: string): Uint8Array => {
    const ifr = new Uint8Array(32); // name[16], then the union
    ifr.set(new TextEncoder().encode('eth0'));
    if (addr) sockaddrIn(ifr, 16, addr);
    return ifr;
  };
  try {
    let r = await sys.call(NR.ioctl, fd, SIOCSIFADDR, ifreq(NET.guest));
    if (r < 0) return ['setting the address of eth0', r];
    r = await sys.call(NR.ioctl, fd, SIOCSIFNETMASK, ifreq(NET.netmask));
    if (r < 0) return ['setting the netmask of eth0', r];
    const ifr = ifreq();
    r = await sys.call(NR.ioctl, fd, SIOCGIFFLAGS, ifr);
    if (r >= 0) {
      const v = new DataView(ifr.buffer);
      v.setUint16(16, v.getUint16(16, true) | IFF_UP, true);
      r = await sys.call(NR.ioctl, fd, SIOCSIFFLAGS, ifr);
    }
    if (r < 0) return ['bringing up eth0', r];
    // struct rtentry (wasm32): pad, dst, gateway, genmask, flags ...; 84 bytes
    const rt = new Uint8Array(84);
    sockaddrIn(rt, 4, '0.0.0.0');
    sockaddrIn(rt, 20, NET.gateway);
    sockaddrIn(rt, 36, '0.0.0.0');
    new DataView(rt.buffer).setUint16(52, RTF_UP | RTF_GATEWAY, true);
    r = await sys.call(NR.ioctl, fd, SIOCADDRT, rt);
    if (r < 0) return ['adding the default route', r];
  } finally {
    await sys.close(fd);
  }
  const rc = await sys.openat(AT_FDCWD, '/etc/resolv.conf', O.WRONLY | O.CREAT | O.TRUNC, 0o644);
  if (rc < 0) return ['creating /etc/resolv.conf', rc];
  const w = await sys.write(rc, new TextEncoder().encode(`nameserver ${NET.dns}\n`));
  await sys.close(rc);
  return w < 0 ? ['writing /etc/resolv.conf', w] : ['', 0];
}

export { BootError };

export interface KernelSystem extends System {
  readonly kernel: Kernel;
  readonly tasks: KernelTasks;
  /** The NAT behind eth0 (user networking), if any. */
  readonly nat?: Nat;
}

/** A step of the boot failed: what, and the errno. */
class StepError extends Error {
  constructor(readonly what: string, readonly errno: number) {
    super(`${what}: ${strerror(-errno)}`);
  }
}

/** r, or a StepError for what when it is an error. */
function check(what: string, r: number, allow?: number): number {
  if (r < 0 && r !== allow) throw new StepError(what, r);
  return r;
}

/**
 * The boot's first part, the same on every boot of one configuration: init
 * set up, the boot filesystems mounted, the root filesystem copied in, lo
 * (and eth0) configured. It runs in a task of its own whose kernel task ends
 * with it, so that what it leaves is the kernel's alone: kept as a snapshot
 * (snapshot.ts), restored instead of run again.
 */
async function firstPart(tasks: KernelTasks, sys: KernelSys, task: Task, host: BootHost): Promise<Record<string, number[]>> {
  await tasks.setupInit(task);
  for (const [src, dir, type, flags, data] of BOOT_MOUNTS) {
    check(`mkdir ${dir}`, await sys.mkdirat(AT_FDCWD, dir, 0o755), -E.EEXIST);
    check(`mount ${type} on ${dir}`, await sys.mount(src, dir, type, flags, data));
  }
  // what user space (udev, systemd) links in /dev on a Linux system: bash's
  // <(...) and scripts writing to /dev/stderr rely on them
  for (const [target, link] of DEV_LINKS) check(`linking ${link}`, await sys.symlinkat(target, AT_FDCWD, link), -E.EEXIST);
  // init opened /dev/console on the initial root before devtmpfs covered /dev:
  // give it the console of /dev (every task cloned from it later has it), so ttyname() and friends agree.
  check('reopening the console in init', await reopenConsole((nr, args, mem) => tasks.initCall(task, nr, args, mem)));
  // /init only served to make PID 1 the host's init; nothing else may run it.
  await sys.unlinkat(AT_FDCWD, '/init', 0);
  // a root from the disk takes the place of the host's (root.ts, in the second part)
  if (host.diskRoot === undefined) {
    check(`copying ${host.rootfsName} into /`, await populateRoot(sys, host.rootfs()));
    const applets = await host.applets();
    if (applets !== undefined) check('linking the busybox applets', await linkApplets(sys, applets));
  }
  check('bringing up lo', await bringUpLoopback(sys));
  if (host.net) {
    const [what, r] = await configureEth0(sys);
    check(what, r);
  }
  const termios = await pipedConsoleModes(sys);
  if (typeof termios === 'number') throw new StepError('setting the console modes', termios);
  // the generator is made ready here (its first seeding, 'crng init done'); every boot reseeds it
  check('seeding the random pool', await seedRandom(sys));
  return termios;
}

/** Run the first part in a task of its own and wait until its kernel task is gone and the kernel waits for host events. */
async function runFirstPart(kernel: Kernel, tasks: KernelTasks, sched: Scheduler, caller: Task, host: BootHost): Promise<Record<string, number[]>> {
  let failure: unknown;
  let termios: Record<string, number[]> = {};
  const boot = sched.spawn('boot', async (t) => {
    try {
      termios = await firstPart(tasks, new KernelSys(tasks, t), t, host);
    } catch (e) {
      failure = e;
    }
    return 0;
  });
  await boot.join(caller);
  if (failure !== undefined) throw failure;
  // its kernel task exits as the task ends (KernelTasks' TLS destructor); then the kernel settles
  while (kernel.running && !kernel.quiescent) await caller.sleep(0);
  return termios;
}

/** CLOCK_REALTIME, set to the host's time. */
async function setClock(sys: KernelSys): Promise<number> {
  const ts = new Uint8Array(16); // struct __kernel_timespec: tv_sec, tv_nsec (64-bit each)
  const v = new DataView(ts.buffer);
  const ms = Date.now();
  v.setBigInt64(0, BigInt(Math.floor(ms / 1000)), true);
  v.setBigInt64(8, BigInt((ms % 1000) * 1e6), true);
  return sys.call(NR.clock_settime64, 0 /* CLOCK_REALTIME */, ts);
}

/**
 * A started kernel and its tasks after the first part: restored from the
 * host's snapshot when there is a usable one, else booted and the first part
 * run (and kept as a snapshot when the host keeps them). The host's disks are
 * not the kernel's yet (the second part attaches them), so a boot with a
 * disk starts from the same snapshot as one without (one of its own when the
 * disk is to be the root: the host's root filesystem is then left out).
 */
async function startSystem(kopts: KernelOptions, compiling: Promise<WebAssembly.Module>, opts: CoreBootOptions, task: Task): Promise<{ kernel: Kernel; tasks: KernelTasks; first: FirstPart }> {
  const host = opts.host, sched = opts.scheduler;
  const origin = host.origin ? await task.waitFor(host.origin()) : undefined;
  const store = origin ? host.snapshots : undefined;
  const config = snapshotConfig({ memoryMiB: kopts.memoryMiB ?? 256, cmdline: kopts.cmdline ?? '', net: host.net !== undefined, diskRoot: host.diskRoot !== undefined });
  if (store && origin) {
    const snap = openSnapshot(store, config, origin.id);
    if (typeof snap === 'string') {
      if (snap !== 'missing') host.onSnapshot?.(`snapshot ${snap}: making it again`);
    } else {
      let why = 'its data';
      try {
        // the saved memory goes in while lkl.wasm may still be compiling (or went in ahead)
        const ahead = snap.ahead;
        const size = (kopts.memoryMiB ?? 256) * 1048576;
        const kernel = snap.kernel.boot.memEnd !== size || (ahead && ahead.memory.buffer.byteLength !== size) ? undefined
          : await task.waitFor(Kernel.restore(compiling, ahead ? { ...kopts, memory: ahead.memory } : kopts, snap.kernel, {
            memory: (mem) => (ahead ? ahead.done : snap.fill(mem, 'memory')),
            image: (mem) => snap.fill(mem, 'image'),
          }));
        if (kernel) {
          host.onSnapshot?.('snapshot restored');
          if (snap.first.log) opts.console.log(snap.first.log);
          return { kernel, tasks: new KernelTasks(kernel, sched), first: snap.first };
        }
      } catch (e) {
        if (e instanceof BootError) throw e; // no kernel to boot either
        // what it holds cannot be put back (a file that passed its checks all the same): boot instead
        why = e instanceof Error ? e.message : String(e);
      } finally {
        snap.close();
      }
      host.onSnapshot?.(`snapshot damaged (${why}): making it again`);
    }
  }
  let log = '';
  const print = kopts.print;
  const module = await task.waitFor(compiling);
  const kernel = await task.waitFor(Kernel.load(module, {
    ...kopts,
    bootRealtimeMs: origin?.timeMs,
    print: (text) => {
      log += text;
      print(text);
    },
  }));
  // the first time a person may wait (the snapshot is made after it): say so after a second
  const progress = store ? setTimeout(() => opts.console.progress?.('embox: starting the system for the first time (kept for the next starts)...'), 1000) : undefined;
  try {
    await task.waitFor(kernel.start());
    if (!kernel.running) throw new BootError(`kernel failed to boot: ${kernel.failure?.message ?? 'unknown error'}`);
    const tasks = new KernelTasks(kernel, sched);
    let first: FirstPart;
    try {
      first = { log: '', termios: await runFirstPart(kernel, tasks, sched, task, host) };
    } catch (e) {
      kernel.halt();
      throw e instanceof StepError ? new BootError(`boot: ${e.message}`) : e;
    }
    first.log = log;
    if (store && origin && kernel.running) {
      const size = saveSnapshot(store, config, origin.id, kernel.save(), kernel.memStart, kernel.memory, first);
      host.onSnapshot?.(size === undefined ? 'snapshot not kept' : `snapshot made: ${(size / 1048576).toFixed(1)} MiB`);
    }
    return { kernel, tasks, first };
  } finally {
    clearTimeout(progress);
    opts.console.progress?.(undefined);
  }
}

export async function bootKernel(opts: CoreBootOptions): Promise<KernelSystem> {
  registerCommands();
  const sched = opts.scheduler;
  const task = sched.self();
  const host = opts.host;
  if (host.random) setHostRandom(host.random);
  // compiling goes on while the disk is checked and a snapshot read
  const compiling = host.kernel();
  compiling.catch(() => undefined); // its failure is reported where it is awaited
  const image: OpenedImage | undefined = host.openDisk ? await task.waitFor(host.openDisk()) : undefined;
  // The disk's write cache (see blockdev/writeback.ts); flushed by the kernel's flush requests.
  const disks = image ? [new WriteBackCache(image.dev)] : [];
  let nat: Nat | undefined;
  // a failed boot lets go of the image (and its lock) and the published ports before it reports
  const closeDisks = (): void => {
    nat?.close();
    for (const d of disks.splice(0)) {
      try {
        d.close();
      } catch {
        // the boot error is the one to report
      }
    }
  };
  let kernel: Kernel;
  let tasks: KernelTasks;
  let first: FirstPart;
  try {
    if (host.net) {
      nat = new Nat({ host: host.net.host, publish: host.net.publish });
      await task.waitFor(nat.start().catch((e: Error) => { throw new BootError(`--publish: ${e.message}`); }));
    }
    ({ kernel, tasks, first } = await startSystem({
      scheduler: sched,
      memoryMiB: opts.memoryMiB,
      print: (text) => opts.console.log(text),
      consoleOut: (data) => opts.console.write(data),
      consoleErr: (data) => opts.console.error(data),
      cmdline: host.cmdline,
      sharedMemory: host.kernelMemoryShared?.(),
      cpuinfo: cpuinfoText(),
      disks,
      nics: nat ? [nat] : [],
      onDiskError: (dev, msg) => opts.console.error(`vd${String.fromCharCode(97 + dev)}: ${msg}\n`),
    }, compiling, opts, task));
  } catch (e) {
    closeDisks();
    throw e;
  }
  const sys = new KernelSys(tasks, task);
  const fail = (what: string, r: number): never => {
    kernel.halt();
    closeDisks();
    throw new BootError(`boot: ${what}: ${strerror(-r)}`);
  };
  // The second part, on every boot: what depends on this run (the time, the
  // terminal, fresh randomness, the disk), in the calling task's own kernel
  // task (cloned from init, it has init's console as fds 0-2).
  const clock = await setClock(sys);
  if (clock < 0) fail('setting the clock', clock);
  const tty = await setConsoleModes(sys, first.termios, opts.console.terminal ?? { input: false });
  if (tty < 0) fail('setting the console modes', tty);
  const rnd = await seedRandom(sys);
  if (rnd < 0) fail('seeding the random pool', rnd);
  const diskRoot = image !== undefined && host.diskRoot !== undefined;
  // the kernel takes the host's disk now (/dev/vda, as a disk found at boot
  // would be: its node in /dev, its partitions scanned), not while it boots:
  // what is restored above was made without it
  if (image) {
    const r = await sys.syscall(NR.wasm_blk_attach);
    if (r < 0) fail('attaching /dev/vda', r);
  }
  let env: string[] | undefined;
  if (image && diskRoot) {
    try {
      ({ env } = await switchRoot(sys, (nr, args, mem) => tasks.initCall(task, nr, args, mem), {
        name: host.diskRoot!.name, fstype: image.fs.type, readOnly: image.dev.readOnly,
        term: opts.console.terminal?.output ? host.term ?? 'vt100' : undefined, resolvConf: nat !== undefined,
        log: (text) => opts.console.log(text),
      }));
    } catch (e) {
      if (!(e instanceof RootError)) throw e;
      kernel.halt();
      closeDisks();
      throw new BootError(e.message);
    }
  } else if (image) {
    for (const d of ['/mnt', VDA_MOUNT_POINT]) {
      const r = await sys.mkdirat(AT_FDCWD, d, 0o755);
      if (r < 0 && r !== -E.EEXIST) fail(`mkdir ${d}`, r);
    }
    const r = await sys.mount('/dev/vda', VDA_MOUNT_POINT, image.fs.type, image.dev.readOnly ? MS.RDONLY : 0, '');
    if (r < 0) fail(`mount /dev/vda (${image.fs.type}) on ${VDA_MOUNT_POINT}`, r);
  }
  let down = false;
  // The host terminal's later sizes, each in a task of its own (its own kernel
  // task, gone when it ends); only the newest size of a burst is set.
  let pendingSize: { rows: number; cols: number } | undefined;
  opts.console.onResize?.((rows, cols) => {
    const idle = pendingSize === undefined;
    pendingSize = { rows, cols };
    if (!idle || down || !kernel.running) return;
    sched.spawn('winsize', async (t) => {
      const s = new KernelSys(tasks, t);
      while (pendingSize && !down && kernel.running) {
        const size = pendingSize;
        await resizeConsoles(s, size.rows, size.cols);
        if (pendingSize === size) pendingSize = undefined;
      }
      pendingSize = undefined;
      return 0;
    });
  });
  return {
    kernel,
    tasks,
    nat,
    env,
    sys: (t: Task) => new KernelSys(tasks, t),
    kernelPid: (t: { id: number }) => {
      const tt = sched.task(t.id);
      return tt ? tasks.peek(tt)?.pid : undefined;
    },
    async poweroff() {
      if (down) return;
      down = true;
      if (kernel.running) {
        const self = sched.self();
        const s = new KernelSys(tasks, self);
        await s.sync();
        if (diskRoot) {
          // EBUSY while a program still has a file open for writing: synced, the journal covers the rest
          await remountRootReadOnly(s);
        } else if (image) {
          const r = await s.umount2(VDA_MOUNT_POINT, 0);
          if (r < 0) opts.console.error(`poweroff: umount ${VDA_MOUNT_POINT}: ${strerror(-r)}\n`);
        }
      }
      kernel.halt();
      nat?.close();
      if (kernel.task) sched.wake(kernel.task);
      for (const d of disks) {
        try {
          d.flush();
        } finally {
          d.close();
        }
      }
    },
  };
}
