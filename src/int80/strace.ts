// System calls as strace prints them. One table (ARGS) gives each call's
// arguments by kind; each kind (KINDS) is how strace shows that kind of
// argument: numbers, flags and constants by name (strace-names.ts), strings
// and buffers from guest memory, the structs the common calls take or fill
// (their layouts are layouts.ts's). A kind marked `out` is shown when the
// call returns, with what the kernel wrote; the arguments before the first
// such one are shown when the call is made, as strace does, so a call that
// blocks while others run reads `wait4(-1,  <unfinished ...>` and then
// `<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 5`
// (tracer.ts decides when). RESULTS says what some results mean beside the
// number (poll's ready descriptors, fcntl's flags). A call the table does not
// name shows its six registers in hex.
import { ERESTART, errnoName, strerror } from '../uapi/errno.js';
import {
  CLONE_ARGS, CMSGHDR, EPOLL_EVENT_I386, FLOCK64_I386, FLOCK_I386, IOVEC, IPC_KLUDGE, ITIMERVAL32, KERNEL_TIMESPEC, LINGER,
  LINUX_DIRENT, LINUX_DIRENT64, MMAP_ARG_STRUCT, MSGHDR, NEW_UTSNAME, OLD_SIGACTION, POLLFD, RLIMIT, RLIMIT64, RUSAGE,
  SEL_ARG_STRUCT, SEMBUF, SIGACTION, SIGINFO, SOCKADDR_IN, SOCKADDR_IN6, SOCKADDR_NL, STACK_T, STAT, STAT64, STATFS64_I386, STATX,
  SYSINFO, TERMIOS, TIMESPEC32, TIMEVAL32, TMS, USER_DESC, USER_DESC_BITS, UTS_LEN, WINSIZE,
} from './layouts.js';
import { SOCKETCALLS } from './net.js';
import type { Proc } from './proc-context.js';
import { sigreturnMask } from './signal.js';
import type { Struct, Fields, Values } from './struct.js';
import {
  ACCESS_FLAGS, ACCESS_MODES, AT_EACCESS, AT_FLAGS, AT_STATX_SYNC, AT_STATX_SYNC_TYPE, BAUD_RATES, CLOCKS, CLONE_CHILD_CLEARTID,
  CLONE_CHILD_SETTID, CLONE_FLAGS, CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_SETTLS, CSIZES, DN_FLAGS, EFD_FLAGS, EPOLL_CLOEXEC,
  EPOLL_CTL, EPOLL_EVENTS, ETH_PROTOS, FADVISE, FALLOC_FLAGS, FAMILIES, FCNTL_CMDS, FD_FLAGS, FILE_TYPES, FLOCK_OPS, FS_MAGIC,
  FUTEX_CLOCK_REALTIME, FUTEX_OPS, FUTEX_PRIVATE, GRND_FLAGS, IN_INIT_FLAGS, IOCTLS, IOC_DIRS, IP_PROTOS, ITIMERS, LOCK_TYPES,
  MADVISE, MAP_FLAGS, MAP_TYPES, MFD_FLAGS, MLOCKALL_FLAGS, MOUNT_FLAGS, MREMAP_FLAGS, MSG_FLAGS, MSYNC_FLAGS, MS_MGC_MSK,
  MS_MGC_VAL, NETLINK_PROTOS, OPEN_FLAGS, O_CREAT, O_DIRECTORY, O_TMPFILE_BIT, PERSONALITIES, POLL_EVENTS, PRCTL_OPTIONS,
  PRIO_WHICH, PROT_FLAGS, RENAME_FLAGS, RLIMITS, RUSAGE_WHO, SA_FLAGS, SA_RESTORER, SCHED_POLICIES, SCM_TYPES, SEALS,
  SFD_FLAGS, SHUT_HOW, SIG_HOW, SI_CODES, SI_CODES_BY_SIGNAL, SOCKOPTS, SOCKOPT_PREFIX, SOCK_FLAGS, SOCK_TYPES, SOL_LEVELS,
  SPLICE_FLAGS, SS_FLAGS, STATX_ATTRS, STATX_MASKS, ST_FLAGS, SUID_DUMP, SYNC_FILE_RANGE, TC_CFLAGS, TC_IFLAGS, TC_LFLAGS,
  TC_ODELAYS, TC_OFLAGS, TFD_FLAGS, TIMER_FLAGS, UMOUNT_FLAGS, UTIME_NOW, UTIME_OMIT, WAITID_TYPES, WAIT_OPTIONS, WHENCE,
  enumStr, flagStr, sigAbbrev, signalName, type Xlat, IPC_FLAGS, SHM_GET_FLAGS, SHMAT_FLAGS, MSG_RCV_FLAGS, SHM_CMDS, MSG_CMDS,
  SEM_CMDS, IPC_CALLS_BY_NUMBER,
} from './strace-names.js';

const AT_FDCWD = -100;
const PATH_MAX = 4096;
const EINTR = 4;
/** The highest errno a result can be (as strace tells errors from large results). */
const MAX_ERRNO = 4095;

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;
const ptr = (v: number) => (v ? hex(v) : 'NULL');
/** A value %#o prints, at least three characters wide (%#03o): 0640, 022, 000. */
const octal = (v: number) => (v ? `0${(v >>> 0).toString(8)}` : '0').padStart(3, '0');
const big = (v: bigint) => v.toString();
const hexOr0 = (v: number) => (v ? hex(v) : '0');

/** What the kinds see of a call: the process and its memory, the arguments, the result. */
export interface Call {
  readonly p: Proc;
  readonly name: string;
  readonly a: Int32Array;
  /** The call's argument kinds (ARGS). */
  readonly kinds: readonly string[];
  /** The result once returned (until then 0). */
  ret: number;
  /** What an in-out argument held when the call was made, by argument index. */
  readonly saved: unknown[];
  /** strace's -s: the longest string or buffer shown whole. */
  readonly strsize: number;
  /** The multiplexer the call came through (socketcall, ipc), if any. */
  readonly via?: string;
}

const failed = (c: Call) => c.ret < 0 && c.ret >= -MAX_ERRNO;
/** The call was interrupted by a signal (strace then shows what sleeps leave: the time remaining). */
const interrupted = (c: Call) => c.ret === -EINTR || (-c.ret >= ERESTART.SYS && -c.ret <= ERESTART.RESTARTBLOCK);

// ---- guest memory, read without ever throwing

function bytesAt(c: Call, addr: number, len: number): Uint8Array | undefined {
  if (!addr && len) return undefined;
  try {
    return c.p.mem.readBytes(addr >>> 0, len);
  } catch {
    return undefined;
  }
}

function structAt<F extends Fields>(c: Call, addr: number, s: Struct<F>): Values<F> | undefined {
  const b = bytesAt(c, addr, s.size);
  return b && s.decode(b);
}

function intAt(c: Call, addr: number): number | undefined {
  const b = bytesAt(c, addr, 4);
  return b && new DataView(b.buffer, b.byteOffset).getInt32(0, true);
}

/** An array of n structs at addr. */
function arrayAt<F extends Fields>(c: Call, addr: number, n: number, s: Struct<F>): Values<F>[] | undefined {
  const b = bytesAt(c, addr, n * s.size);
  if (!b) return undefined;
  return Array.from({ length: n }, (_, i) => s.decode(b.subarray(i * s.size)));
}

// ---- strings

const isOctal = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x37;

/** Bytes as a C string literal, as strace quotes them (octal escapes; all hex for random bytes). */
function quote(b: Uint8Array, hexAll = false): string {
  let s = '"';
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (hexAll) { s += `\\x${x.toString(16).padStart(2, '0')}`; continue; }
    switch (x) {
      case 0x22: s += '\\"'; break;
      case 0x5c: s += '\\\\'; break;
      case 0x09: s += '\\t'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0b: s += '\\v'; break;
      case 0x0c: s += '\\f'; break;
      case 0x0d: s += '\\r'; break;
      default:
        if (x >= 0x20 && x < 0x7f) s += String.fromCharCode(x);
        else s += `\\${isOctal(b[i + 1]) ? x.toString(8).padStart(3, '0') : x.toString(8)}`;
    }
  }
  return `${s}"`;
}

/** A string's bytes as strace shows an argument: at most strsize of them, `...` after when there are more. */
function quoteCut(b: Uint8Array, strsize: number): string {
  return b.length > strsize ? `${quote(b.subarray(0, strsize))}...` : quote(b);
}

/**
 * The execve the system made for a program it started (its arguments are
 * host strings, not in the program's memory), as strace shows execve.
 */
export function execveCall(path: string, argv: string[], envc: number, envAddr: number, strsize: number): string {
  const enc = new TextEncoder();
  const args = argv.slice(0, strsize).map((a) => quoteCut(enc.encode(a), strsize));
  if (argv.length > strsize) args.push('...');
  return `execve(${quote(enc.encode(path))}, [${args.join(', ')}], ${hex(envAddr)} /* ${envc} vars */)`;
}

/** len bytes at addr: the first strsize of them, `...` after when there are more. */
function buffer(c: Call, addr: number, len: number, hexAll = false): string {
  if (len <= 0) return addr ? '""' : 'NULL';
  const b = bytesAt(c, addr, Math.min(len, c.strsize));
  if (!b) return ptr(addr);
  return `${quote(b, hexAll)}${len > c.strsize ? '...' : ''}`;
}

/** A NUL-terminated string of at most max bytes shown (`...` when longer). */
function cstring(c: Call, addr: number, max: number): string {
  if (!addr) return 'NULL';
  try {
    return quoteCut(c.p.mem.readCString(addr >>> 0, max + 1), max);
  } catch {
    return hex(addr);
  }
}
const str = (c: Call, addr: number) => cstring(c, addr, c.strsize);
const path = (c: Call, addr: number) => cstring(c, addr, PATH_MAX);

// ---- numbers and flags

const uid = (v: number) => ((v >>> 0) === 0xffffffff ? '-1' : String(v >>> 0));
const fd = (v: number) => (v === AT_FDCWD ? 'AT_FDCWD' : String(v));
const int64 = (lo: number, hi: number) => (BigInt(hi) << 32n) | BigInt(lo >>> 0);

function openFlags(v: number): string {
  const rest = v & ~3;
  return rest ? `${ACCESS_MODES[v & 3]!}|${openFlagBits(rest)}` : ACCESS_MODES[v & 3]!;
}

/** Open flags past the access mode (pipe2, dup3 take them alone); O_TMPFILE includes O_DIRECTORY and is shown for both. */
function openFlagBits(v: number): string {
  return flagStr(v & O_TMPFILE_BIT ? v & ~O_DIRECTORY : v, OPEN_FLAGS);
}

function mapFlags(v: number): string {
  const type = v & 0xf, huge = (v >>> 26) & 0x3f;
  const out = [enumStr(type, MAP_TYPES, 'MAP_')];
  const rest = v & ~0xf & ~(0x3f << 26);
  if (rest) out.push(flagStr(rest, MAP_FLAGS));
  if (huge) out.push(`${huge}<<MAP_HUGE_SHIFT`);
  return out.join('|');
}

/** A file mode with its type: S_IFREG|0644, S_IFCHR|S_ISUID|0600. */
function fileMode(v: number): string {
  const out: string[] = [];
  const type = v & 0o170000;
  if (type) out.push(enumStr(type, FILE_TYPES, 'S_IF'));
  if (v & 0o4000) out.push('S_ISUID');
  if (v & 0o2000) out.push('S_ISGID');
  if (v & 0o1000) out.push('S_ISVTX');
  out.push(octal(v & 0o777));
  return out.join('|');
}

const makedev = (major: number, minor: number) => `makedev(${hexOr0(major)}, ${hexOr0(minor)})`;
/** An old 32-bit dev_t (huge_encode_dev): major in bits 8..19, minor in 0..7 and 20..31. */
const oldDev = (d: number) => makedev((d >>> 8) & 0xfff, (d & 0xff) | ((d >>> 12) & 0xfff00));

/** A signal set of `size` bytes: [HUP INT], or ~[...] for the signals not in it when most are. */
function sigset(b: Uint8Array, size: number): string {
  const nbits = Math.min(size, 8) * 8;
  const set: number[] = [];
  for (let i = 0; i < nbits; i++) if (b[i >> 3]! & (1 << (i & 7))) set.push(i + 1);
  const negate = set.length >= Math.floor((2 * nbits) / 3);
  const shown = negate ? Array.from({ length: nbits }, (_, i) => i + 1).filter((s) => !set.includes(s)) : set;
  return `${negate ? '~' : ''}[${shown.map((s) => sigAbbrev(s) ?? String(s)).join(' ')}]`;
}

function sigsetAt(c: Call, addr: number, size: number): string {
  if (!addr) return 'NULL';
  if (size <= 0 || size > 8) return hex(addr);
  const b = bytesAt(c, addr, size);
  return b ? sigset(b, size) : hex(addr);
}

/** The sigsetsize argument of the call (the kind `ssize`), 8 when it has none. */
const setSize = (c: Call) => {
  const i = c.kinds.indexOf('ssize');
  return i < 0 ? 8 : c.a[i]! >>> 0;
};

// ---- time

/** A time of day as strace comments it: 1970-01-01T00:00:01+0000 (UTC: the guest has no time zone). */
function isoTime(sec: bigint | number, nsec = 0): string | undefined {
  const ms = Number(sec) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  const d = new Date(ms).toISOString().slice(0, 19);
  return `${d}${nsec ? `.${String(nsec).padStart(9, '0')}` : ''}+0000`;
}

const timespec = (sec: bigint | number, nsec: bigint | number) => `{tv_sec=${sec}, tv_nsec=${nsec}}`;
const timeval = (sec: number, usec: number) => `{tv_sec=${sec}, tv_usec=${usec}}`;

function timespecAt(c: Call, addr: number, t64: boolean): string {
  if (!addr) return 'NULL';
  if (t64) {
    const t = structAt(c, addr, KERNEL_TIMESPEC);
    return t ? timespec(t.tv_sec, t.tv_nsec) : hex(addr);
  }
  const t = structAt(c, addr, TIMESPEC32);
  return t ? timespec(t.tv_sec, t.tv_nsec) : hex(addr);
}

function timevalAt(c: Call, addr: number): string {
  if (!addr) return 'NULL';
  const t = structAt(c, addr, TIMEVAL32);
  return t ? timeval(t.tv_sec, t.tv_usec) : hex(addr);
}

/** utimensat's two times: UTIME_NOW, UTIME_OMIT, or a time with its date. */
function utimes(c: Call, addr: number, t64: boolean): string {
  if (!addr) return 'NULL';
  const s = t64 ? KERNEL_TIMESPEC : TIMESPEC32;
  const b = bytesAt(c, addr, 2 * s.size);
  if (!b) return hex(addr);
  return `[${[0, 1].map((i) => {
    const t = s.decode(b.subarray(i * s.size));
    const nsec = Number(t.tv_nsec);
    if (nsec === UTIME_NOW) return 'UTIME_NOW';
    if (nsec === UTIME_OMIT) return 'UTIME_OMIT';
    const when = isoTime(t.tv_sec, nsec);
    return `${timespec(t.tv_sec, t.tv_nsec)}${when ? ` /* ${when} */` : ''}`;
  }).join(', ')}]`;
}

// ---- structs

function statMode(mode: number, size: bigint | number, rdev: string | undefined): string {
  const type = mode & 0o170000;
  const dev = type === 0o020000 || type === 0o060000;
  return `{st_mode=${fileMode(mode)}, ${dev && rdev ? `st_rdev=${rdev}` : `st_size=${size}`}, ...}`;
}

function stat64At(c: Call, addr: number): string {
  const s = structAt(c, addr, STAT64);
  if (!s) return hex(addr);
  const rdev = Number(s.st_rdev);
  return statMode(s.st_mode, s.st_size, oldDev(rdev));
}

function statAt(c: Call, addr: number): string {
  const s = structAt(c, addr, STAT);
  return s ? statMode(s.st_mode, s.st_size, oldDev(s.st_rdev)) : hex(addr);
}

function statxAt(c: Call, addr: number): string {
  const s = structAt(c, addr, STATX);
  if (!s) return hex(addr);
  const attrs = Number(s.stx_attributes & 0xffffffffn);
  return `{stx_mask=${flagStr(s.stx_mask, STATX_MASKS)}, stx_attributes=${flagStr(attrs, STATX_ATTRS)}, ` +
    `stx_mode=${fileMode(s.stx_mode)}, stx_size=${s.stx_size}, ...}`;
}

function statfs64At(c: Call, addr: number): string {
  const s = structAt(c, addr, STATFS64_I386);
  if (!s) return hex(addr);
  const fsid = new DataView(s.f_fsid.buffer, s.f_fsid.byteOffset);
  return `{f_type=${enumStr(s.f_type, FS_MAGIC, '')}, f_bsize=${s.f_bsize}, f_blocks=${s.f_blocks}, f_bfree=${s.f_bfree}, ` +
    `f_bavail=${s.f_bavail}, f_files=${s.f_files}, f_ffree=${s.f_ffree}, f_fsid={val=[${hex(fsid.getUint32(0, true))}, ` +
    `${hex(fsid.getUint32(4, true))}]}, f_namelen=${s.f_namelen}, f_frsize=${s.f_frsize}, f_flags=${flagStr(s.f_flags, ST_FLAGS)}}`;
}

function sigactionAt(c: Call, addr: number, old: boolean): string {
  if (!addr) return 'NULL';
  let handler: number, flags: number, restorer: number, mask: string;
  if (old) {
    const s = structAt(c, addr, OLD_SIGACTION);
    if (!s) return hex(addr);
    ({ handler, flags, restorer } = s);
    mask = sigset(new Uint8Array(new Uint32Array([s.mask]).buffer), 4);
  } else {
    const s = structAt(c, addr, SIGACTION);
    if (!s) return hex(addr);
    ({ handler, flags, restorer } = s);
    mask = sigset(s.mask, Math.min(setSize(c), 8));
  }
  const h = handler === 0 ? 'SIG_DFL' : handler === 1 ? 'SIG_IGN' : hex(handler);
  const rest = flags & SA_RESTORER ? `, sa_restorer=${ptr(restorer)}` : '';
  return `{sa_handler=${h}, sa_mask=${mask}, sa_flags=${flagStr(flags, SA_FLAGS)}${rest}}`;
}

function stackAt(c: Call, addr: number): string {
  if (!addr) return 'NULL';
  const s = structAt(c, addr, STACK_T);
  return s ? `{ss_sp=${ptr(s.sp)}, ss_flags=${flagStr(s.flags, SS_FLAGS)}, ss_size=${s.size}}` : hex(addr);
}

function userDesc(c: Call, addr: number): string {
  const u = structAt(c, addr, USER_DESC);
  if (!u) return hex(addr);
  const fields = USER_DESC_BITS.map(([name, bit, width]) => `${name}=${(u.bits >>> bit) & ((1 << width) - 1)}`);
  return `{entry_number=${u.entry_number}, base_addr=${hex(u.base_addr)}, limit=0x${u.limit.toString(16).padStart(6, '0')}, ${fields.join(', ')}}`;
}

/** A wait status as strace spells it. */
export function waitStatus(s: number): string {
  const sig = s & 0x7f;
  if (sig === 0) return `[{WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}}]`;
  if ((s & 0xffff) === 0xffff) return '[{WIFCONTINUED(s)}]';
  if (sig === 0x7f) return `[{WIFSTOPPED(s) && WSTOPSIG(s) == ${signalName((s >> 8) & 0xff)}}]`;
  return `[{WIFSIGNALED(s) && WTERMSIG(s) == ${signalName(sig)}${s & 0x80 ? ' && WCOREDUMP(s)' : ''}}]`;
}

/** A siginfo_t as strace shows it in `--- SIGCHLD {...} ---` lines. */
export function siginfo(b: Uint8Array): string {
  const i = SIGINFO.decode(b);
  const byCode = SI_CODES_BY_SIGNAL[i.signo];
  const code = i.code > 0 && i.code !== 0x80 && byCode ? enumStr(i.code, byCode, '') : enumStr(i.code, SI_CODES, 'SI_');
  const out = [`si_signo=${signalName(i.signo)}`, `si_code=${code}`];
  if (i.errno) out.splice(1, 0, `si_errno=${errnoName(i.errno)}`);
  if (i.code <= 0 || i.code === 0x80) {
    // sent by a process (kill, tkill, sigqueue), a timer, or the kernel
    if (i.code === -2) out.push(`si_timerid=${hex(i.timerid)}`, `si_overrun=${i.overrun}`, `si_int=${i.value | 0}`, `si_ptr=${ptr(i.value)}`);
    else if (i.code !== 0x80) {
      out.push(`si_pid=${i.pid}`, `si_uid=${i.uid}`);
      if (i.code === -1) out.push(`si_int=${i.value | 0}`, `si_ptr=${ptr(i.value)}`);
    }
  } else if (i.signo === 17) {
    const sigStatus = i.code !== 1; // CLD_EXITED carries an exit code, the others a signal
    out.push(`si_pid=${i.pid}`, `si_uid=${i.uid}`, `si_status=${sigStatus ? signalName(i.status) : i.status}`,
      `si_utime=${i.utime}`, `si_stime=${i.stime}`);
  } else if ([4, 7, 8, 11, 5].includes(i.signo)) {
    out.push(`si_addr=${ptr(i.addr)}`);
  } else if (i.signo === 29) {
    out.push(`si_band=${i.band}`, `si_fd=${i.fd}`);
  }
  return `{${out.join(', ')}}`;
}

function rlimit(v: bigint, infinity: bigint, name: string): string {
  if (v === infinity) return name;
  return v > 1024n && v % 1024n === 0n ? `${v / 1024n}*1024` : big(v);
}

function rlimitAt(c: Call, addr: number, wide: boolean): string {
  if (!addr) return 'NULL';
  if (wide) {
    const r = structAt(c, addr, RLIMIT64);
    if (!r) return hex(addr);
    const f = (v: bigint) => rlimit(v, 0xffffffffffffffffn, 'RLIM64_INFINITY');
    return `{rlim_cur=${f(r.rlim_cur)}, rlim_max=${f(r.rlim_max)}}`;
  }
  const r = structAt(c, addr, RLIMIT);
  if (!r) return hex(addr);
  const f = (v: number) => rlimit(BigInt(v), 0xffffffffn, 'RLIM_INFINITY');
  return `{rlim_cur=${f(r.rlim_cur)}, rlim_max=${f(r.rlim_max)}}`;
}

function utsnameAt(c: Call, addr: number): string {
  const b = bytesAt(c, addr, NEW_UTSNAME.size);
  if (!b) return hex(addr);
  const field = (i: number) => {
    const f = b.subarray(i * UTS_LEN, (i + 1) * UTS_LEN);
    const end = f.indexOf(0);
    return quote(end < 0 ? f : f.subarray(0, end));
  };
  return `{sysname=${field(0)}, nodename=${field(1)}, ...}`;
}

/** iovcnt iovecs; each buffer shown up to its length, or for data read up to what the call returned in all. */
function iovecs(c: Call, addr: number, n: number, total?: number): string {
  if (!addr) return 'NULL';
  const v = arrayAt(c, addr, Math.min(n, c.strsize), IOVEC);
  if (!v) return hex(addr);
  let left = total ?? Infinity;
  const items = v.map((e) => {
    const len = Math.min(e.iov_len, left);
    left -= len;
    return `{iov_base=${buffer(c, e.iov_base, len)}, iov_len=${e.iov_len}}`;
  });
  return `[${items.join(', ')}${n > c.strsize ? ', ...' : ''}]`;
}

/** A struct sockaddr of len bytes: the family and, by family, its address. */
function sockaddr(c: Call, addr: number, len: number): string {
  if (!addr) return 'NULL';
  if (len < 2) return hex(addr);
  const b = bytesAt(c, addr, Math.min(len >>> 0, 128));
  if (!b) return hex(addr);
  const fam = b[0]! | (b[1]! << 8);
  const family = `sa_family=${enumStr(fam, FAMILIES, 'AF_')}`;
  const port = (p: Uint8Array) => `htons(${(p[0]! << 8) | p[1]!})`;
  if (fam === 1) {
    const p = b.subarray(2);
    if (p.length === 0) return `{${family}}`;
    // an abstract name starts with a NUL and takes the whole length
    if (p[0] === 0) return `{${family}, sun_path=@${quote(p.subarray(1))}}`;
    const end = p.indexOf(0);
    return `{${family}, sun_path=${quote(end < 0 ? p : p.subarray(0, end))}}`;
  }
  if (fam === 2 && b.length >= 8) {
    const s = SOCKADDR_IN.decode(Uint8Array.from({ length: SOCKADDR_IN.size }, (_, i) => b[i] ?? 0));
    return `{${family}, sin_port=${port(s.port)}, sin_addr=inet_addr("${s.addr.join('.')}")}`;
  }
  if (fam === 10 && b.length >= 24) {
    const s = SOCKADDR_IN6.decode(Uint8Array.from({ length: SOCKADDR_IN6.size }, (_, i) => b[i] ?? 0));
    const flow = (s.flowinfo[0]! << 24 | s.flowinfo[1]! << 16 | s.flowinfo[2]! << 8 | s.flowinfo[3]!) >>> 0;
    return `{${family}, sin6_port=${port(s.port)}, sin6_flowinfo=htonl(${flow}), inet_pton(AF_INET6, "${inet6(s.addr)}", ` +
      `&sin6_addr)${b.length >= 28 ? `, sin6_scope_id=${s.scope_id}` : ''}}`;
  }
  if (fam === 16 && b.length >= 12) {
    const s = SOCKADDR_NL.decode(b);
    return `{${family}, nl_pid=${s.nl_pid}, nl_groups=${s.nl_groups.toString(16).padStart(8, '0')}}`;
  }
  return `{${family}, sa_data=${quote(b.subarray(2))}}`;
}

/** An IPv6 address as inet_ntop writes it: the longest run of zero groups as ::, a v4-mapped one with its IPv4 tail. */
export function inet6(a: Uint8Array): string {
  const g = Array.from({ length: 8 }, (_, i) => (a[2 * i]! << 8) | a[2 * i + 1]!);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${a.subarray(12).join('.')}`;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hx = (x: number[]) => x.map((n) => n.toString(16)).join(':');
  return best < 0 ? hx(g) : `${hx(g.slice(0, best))}::${hx(g.slice(best + bestLen))}`;
}

function msghdrAt(c: Call, addr: number, total?: number): string {
  const m = structAt(c, addr, MSGHDR);
  if (!m) return hex(addr);
  const name = m.msg_name ? sockaddr(c, m.msg_name, m.msg_namelen) : 'NULL';
  const out = [`msg_name=${name}`, `msg_namelen=${m.msg_namelen}`, `msg_iov=${iovecs(c, m.msg_iov, m.msg_iovlen, total)}`,
    `msg_iovlen=${m.msg_iovlen}`];
  if (m.msg_controllen) out.push(`msg_control=${cmsgs(c, m.msg_control, m.msg_controllen)}`);
  out.push(`msg_controllen=${m.msg_controllen}`, `msg_flags=${flagStr(m.msg_flags, MSG_FLAGS)}`);
  return `{${out.join(', ')}}`;
}

/** The control messages of a msghdr: descriptors of SCM_RIGHTS by number, others as bytes. */
function cmsgs(c: Call, addr: number, len: number): string {
  const b = bytesAt(c, addr, Math.min(len, 4096));
  if (!b) return hex(addr);
  const out: string[] = [];
  for (let o = 0; o + CMSGHDR.size <= b.length;) {
    const h = CMSGHDR.decode(b.subarray(o));
    if (h.cmsg_len < CMSGHDR.size) break;
    const data = b.subarray(o + CMSGHDR.size, Math.min(o + h.cmsg_len, b.length));
    const level = enumStr(h.cmsg_level, SOL_LEVELS, 'SOL_');
    let shown: string;
    if (h.cmsg_level === 1 && h.cmsg_type === 1) {
      const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
      shown = `[${Array.from({ length: data.length >> 2 }, (_, i) => dv.getInt32(4 * i, true)).join(', ')}]`;
    } else shown = quote(data);
    const type = h.cmsg_level === 1 ? enumStr(h.cmsg_type, SCM_TYPES, 'SCM_') : String(h.cmsg_type);
    out.push(`{cmsg_len=${h.cmsg_len}, cmsg_level=${level}, cmsg_type=${type}, cmsg_data=${shown}}`);
    o += (h.cmsg_len + 3) & ~3;
  }
  return `[${out.join(', ')}]`;
}

/** An fd_set of nfds bits: the descriptors in it, [3 4]. */
function fdset(c: Call, addr: number, nfds: number): string {
  if (!addr) return 'NULL';
  const n = Math.max(0, Math.min(nfds, 1024));
  const b = bytesAt(c, addr, ((n + 31) >> 5) * 4);
  if (!b) return hex(addr);
  const fds: number[] = [];
  for (let i = 0; i < n; i++) if (b[i >> 3]! & (1 << (i & 7))) fds.push(i);
  return `[${fds.join(' ')}]`;
}

function epollEvent(e: { events: number; data: bigint }): string {
  return `{events=${flagStr(e.events, EPOLL_EVENTS)}, data={u32=${Number(e.data & 0xffffffffn)}, u64=${e.data}}}`;
}

function termiosAt(c: Call, addr: number): string {
  const t = structAt(c, addr, TERMIOS);
  if (!t) return hex(addr);
  // strace's termios flags: the fields' values each followed by |, then the flags (none: nothing)
  const fields = TC_ODELAYS.map(([mask, names]) => `${enumStr(t.c_oflag & mask, names, '')}|`).join('');
  const oflags = t.c_oflag & ~TC_ODELAYS.reduce((m, [mask]) => m | mask, 0);
  const baud = t.c_cflag & 0x100f, ibaud = (t.c_cflag >>> 16) & 0x100f;
  const cflag = `${enumStr(baud, BAUD_RATES, 'B')}|${ibaud ? `${enumStr(ibaud, BAUD_RATES, 'B')}<<IBSHIFT|` : ''}` +
    `${CSIZES[(t.c_cflag >> 4) & 3]}|${flags0(t.c_cflag & ~0x100f100f & ~0x30, TC_CFLAGS)}`;
  return `{c_iflag=${flags0(t.c_iflag, TC_IFLAGS)}, c_oflag=${fields}${flags0(oflags, TC_OFLAGS)}, c_cflag=${cflag}, ` +
    `c_lflag=${flags0(t.c_lflag, TC_LFLAGS)}, ...}`;
}
/** Flags with nothing shown for none (termios). */
const flags0 = (v: number, t: Xlat) => (v ? flagStr(v, t, '0', '') : '');

/** struct flock (32-bit offsets) or flock64; with its pid for what F_GETLK found. */
function flockAt(c: Call, addr: number, wide: boolean, pid: boolean): string {
  const l = wide ? structAt(c, addr, FLOCK64_I386) : structAt(c, addr, FLOCK_I386);
  if (!l) return hex(addr);
  return `{l_type=${enumStr(l.l_type, LOCK_TYPES, 'F_')}, l_whence=${enumStr(l.l_whence, WHENCE, 'SEEK_')}, ` +
    `l_start=${l.l_start}, l_len=${l.l_len}${pid ? `, l_pid=${l.l_pid}` : ''}}`;
}

function winsizeAt(c: Call, addr: number): string {
  const w = structAt(c, addr, WINSIZE);
  return w ? `{ws_row=${w.ws_row}, ws_col=${w.ws_col}, ws_xpixel=${w.ws_xpixel}, ws_ypixel=${w.ws_ypixel}}` : hex(addr);
}

const intp = (c: Call, addr: number, show: (v: number) => string = String) => {
  if (!addr) return 'NULL';
  const v = intAt(c, addr);
  return v === undefined ? hex(addr) : `[${show(v)}]`;
};

/** Directory entries a getdents call returned: their count. */
function dents(c: Call, addr: number, wide: boolean): string {
  if (failed(c)) return hex(addr);
  const b = bytesAt(c, addr, c.ret);
  if (!b) return hex(addr);
  let n = 0;
  const off = wide ? LINUX_DIRENT64.fields.d_reclen.off : LINUX_DIRENT.fields.d_reclen.off;
  for (let o = 0; o + off + 2 <= b.length; n++) {
    const len = b[o + off]! | (b[o + off + 1]! << 8);
    if (!len) break;
    o += len;
  }
  return `${hex(addr)} /* ${n} entries */`;
}

// ---- composite arguments: a call's arguments that only mean something together

function cloneArgs(c: Call): [string, string] {
  const [flags, stack, ptid, tls, ctid] = c.a;
  const sig = flags! & 0xff, f = flags! & ~0xff;
  const names = [f ? flagStr(f, CLONE_FLAGS) : '', sig ? signalName(sig) : ''].filter(Boolean).join('|') || '0';
  const entry = `child_stack=${ptr(stack!)}, flags=${names}`;
  const exit: string[] = [];
  if (flags! & (CLONE_PARENT_SETTID | CLONE_PIDFD)) exit.push(`parent_tid=${failed(c) || !ptid ? ptr(ptid!) : intp(c, ptid!)}`);
  if (flags! & CLONE_SETTLS) exit.push(`tls=${tls ? userDesc(c, tls) : 'NULL'}`);
  if (flags! & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) exit.push(`child_tidptr=${ptr(ctid!)}`);
  return [entry, exit.map((e) => `, ${e}`).join('')];
}

function clone3Args(c: Call): [string, string] {
  const addr = c.a[0]!;
  const k = structAt(c, addr, CLONE_ARGS);
  if (!k) return [hex(addr), ''];
  const flags = Number(k.flags & 0xffffffffn), hi = Number(k.flags >> 32n);
  const names = [flags ? flagStr(flags, CLONE_FLAGS) : '', hi & 1 ? 'CLONE_CLEAR_SIGHAND' : '', hi & 2 ? 'CLONE_INTO_CGROUP' : '']
    .filter(Boolean).join('|') || '0';
  const out = [`flags=${names}`];
  if (flags & CLONE_PIDFD) out.push(`pidfd=${hex(Number(k.pidfd))}`);
  if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) out.push(`child_tid=${hex(Number(k.child_tid))}`);
  if (flags & CLONE_PARENT_SETTID) out.push(`parent_tid=${hex(Number(k.parent_tid))}`);
  out.push(`exit_signal=${k.exit_signal ? signalName(Number(k.exit_signal)) : '0'}`, `stack=${ptr(Number(k.stack))}`,
    `stack_size=${hex(Number(k.stack_size))}`);
  if (flags & CLONE_SETTLS) out.push(`tls=${userDesc(c, Number(k.tls))}`);
  const back: string[] = [];
  if (!failed(c)) {
    if (flags & CLONE_PIDFD && k.pidfd) back.push(`pidfd=${intp(c, Number(k.pidfd))}`);
    if (flags & CLONE_PARENT_SETTID && k.parent_tid) back.push(`parent_tid=${intp(c, Number(k.parent_tid))}`);
  }
  return [`{${out.join(', ')}}`, back.length ? ` => {${back.join(', ')}}` : ''];
}

function setsockoptVal(c: Call, addr: number, len: number): string {
  if (!addr) return 'NULL';
  const level = c.a[1]!, name = c.a[2]!;
  if (level === 1 && name === 13 && len >= LINGER.size) {
    const l = structAt(c, addr, LINGER);
    return l ? `{l_onoff=${l.l_onoff}, l_linger=${l.l_linger}}` : hex(addr);
  }
  if (len === 4) return intp(c, addr);
  return buffer(c, addr, len);
}

// ---- kinds

interface Kind {
  /** The argument as strace shows it; undefined: not shown at all. */
  show(c: Call, v: number, i: number): string | undefined;
  /** Shown when the call returns (what the kernel wrote). */
  out?: boolean;
  /** What an in-out argument held when the call was made (kept for show). */
  save?(c: Call, v: number): unknown;
  /**
   * A composite argument shown partly when the call is made and partly when
   * it returns: the rest, with its own separator; `comma`: strace shows the
   * separator already when the call is made.
   */
  tail?(c: Call): string;
  comma?(c: Call): boolean;
}

const k = (show: Kind['show']): Kind => ({ show });
const out = (show: Kind['show']): Kind => ({ show, out: true });
/** An output that is its address when the call failed. */
const outOk = (show: Kind['show']): Kind => ({ show: (c, v, i) => (failed(c) || !v ? ptr(v) : show(c, v, i)), out: true });
const flagsK = (t: Xlat, zero = '0') => k((_c, v) => flagStr(v, t, zero));
const enumK = (t: Xlat, prefix?: string) => k((_c, v) => enumStr(v, t, prefix));
const next = (c: Call, i: number) => c.a[i + 1]!;
/** A composite that names itself for its [entry, exit, comma] parts. */
function composite(parts: (c: Call) => [string, string, boolean?]): Kind {
  const memo = new WeakMap<Call, [string, string, boolean?]>();
  return {
    show: (c) => { const p = parts(c); memo.set(c, p); return p[0]; },
    tail: (c) => parts(c)[1],
    comma: (c) => memo.get(c)?.[2] ?? false,
  };
}

const KINDS: Record<string, Kind> = {
  // numbers and descriptors
  d: k((_c, v) => String(v)),
  u: k((_c, v) => String(v >>> 0)),
  x: k((_c, v) => ptr(v)),
  X: k((_c, v) => hexOr0(v)),
  o: k((_c, v) => octal(v)),
  fd: k((_c, v) => String(v)),
  dirfd: k((_c, v) => fd(v)),
  uid: k((_c, v) => uid(v)),
  '-': k(() => undefined),
  ssize: k((_c, v) => String(v >>> 0)),
  off64: k((c, v, i) => big(int64(v, next(c, i)))),
  // strings and buffers
  path: k((c, v) => path(c, v)),
  str: k((c, v) => str(c, v)),
  ibuf: k((c, v, i) => buffer(c, v, next(c, i) >>> 0)),
  obuf: outOk((c, v) => buffer(c, v, c.ret)),
  rndbuf: outOk((c, v) => buffer(c, v, c.ret, true)),
  ostr: outOk((c, v) => str(c, v)),
  opath: outOk((c, v) => path(c, v)),
  argv: k((c, v) => {
    if (!v) return 'NULL';
    const items: string[] = [];
    for (let a = v >>> 0; ; a += 4) {
      const s = intAt(c, a);
      if (s === undefined) return hex(v);
      if (!s) break;
      if (items.length === c.strsize) { items.push('...'); break; }
      items.push(str(c, s));
    }
    return `[${items.join(', ')}]`;
  }),
  envp: k((c, v) => {
    if (!v) return 'NULL';
    let n = 0;
    for (let a = v >>> 0; n < 1 << 16; a += 4, n++) {
      const s = intAt(c, a);
      if (s === undefined) return hex(v);
      if (!s) break;
    }
    return `${hex(v)} /* ${n} vars */`;
  }),
  // files
  oflags: k((_c, v) => openFlags(v)),
  cmode: k((c, v, i) => (c.a[i - 1]! & (O_CREAT | O_TMPFILE_BIT) ? octal(v) : undefined)),
  fmode: k((_c, v) => fileMode(v)),
  // a device number only for a device's node
  dev: k((c, v, i) => ([0o020000, 0o060000].includes(c.a[i - 1]! & 0o170000) ? oldDev(v) : undefined)),
  fdflags: k((_c, v) => openFlagBits(v)),
  atflags: flagsK(AT_FLAGS),
  eaccess: flagsK(AT_EACCESS),
  statxflags: k((_c, v) => {
    const sync = v & AT_STATX_SYNC_TYPE;
    const parts = [sync ? flagStr(sync, AT_STATX_SYNC) : 'AT_STATX_SYNC_AS_STAT'];
    if (v & ~AT_STATX_SYNC_TYPE) parts.push(flagStr(v & ~AT_STATX_SYNC_TYPE, AT_FLAGS));
    return parts.join('|');
  }),
  statxmask: flagsK(STATX_MASKS),
  access: flagsK(ACCESS_FLAGS, 'F_OK'),
  whence: enumK(WHENCE, 'SEEK_'),
  renameflags: flagsK(RENAME_FLAGS),
  stat64: outOk((c, v) => stat64At(c, v)),
  stat: outOk((c, v) => statAt(c, v)),
  statx: outOk((c, v) => statxAt(c, v)),
  statfs64: outOk((c, v) => statfs64At(c, v)),
  dents: out((c, v) => dents(c, v, false)),
  dents64: out((c, v) => dents(c, v, true)),
  utimes: k((c, v) => utimes(c, v, false)),
  utimes64: k((c, v) => utimes(c, v, true)),
  // what selects the rest of a call's arguments (VARIANTS)
  fcntlcmd: enumK(FCNTL_CMDS, 'F_'),
  ioctlreq: k((_c, v) => {
    const req = v >>> 0;
    const known = IOCTLS.find(([r]) => r >>> 0 === req);
    return known ? known[1] : `_IOC(${IOC_DIRS[req >>> 30]}, ${hexOr0((req >>> 8) & 0xff)}, ${hexOr0(req & 0xff)}, ${hexOr0((req >>> 16) & 0x3fff)})`;
  }),
  prctlop: enumK(PRCTL_OPTIONS, 'PR_'),
  futexop: k((_c, v) => [`${enumStr(v & ~(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME), FUTEX_OPS, 'FUTEX_')}${v & FUTEX_PRIVATE ? '_PRIVATE' : ''}`,
    v & FUTEX_CLOCK_REALTIME ? 'FUTEX_CLOCK_REALTIME' : ''].filter(Boolean).join('|')),
  // the arguments they select
  fdflag: flagsK(FD_FLAGS),
  locktype: enumK(LOCK_TYPES, 'F_'),
  dnflags: flagsK(DN_FLAGS),
  seals: flagsK(SEALS),
  sig0: k((_c, v) => (v ? signalName(v) : '0')),
  flock: k((c, v) => flockAt(c, v, false, false)),
  flock64: k((c, v) => flockAt(c, v, true, false)),
  oflock: outOk((c, v) => flockAt(c, v, false, true)),
  oflock64: outOk((c, v) => flockAt(c, v, true, true)),
  termios: k((c, v) => termiosAt(c, v)),
  otermios: outOk((c, v) => termiosAt(c, v)),
  winsize: k((c, v) => winsizeAt(c, v)),
  owinsize: outOk((c, v) => winsizeAt(c, v)),
  suiddump: enumK(SUID_DUMP, 'SUID_DUMP_'),
  ocomm: outOk((c, v) => cstring(c, v, 16)),
  osig: outOk((c, v) => intp(c, v, (n) => (n ? signalName(n) : '0'))),
  bitset: k((_c, v) => ((v >>> 0) === 0xffffffff ? 'FUTEX_BITSET_MATCH_ANY' : hex(v))),
  flockop: flagsK(FLOCK_OPS),
  fadvise: enumK(FADVISE, 'POSIX_FADV_'),
  falloc: flagsK(FALLOC_FLAGS),
  splice: flagsK(SPLICE_FLAGS),
  sfr: flagsK(SYNC_FILE_RANGE),
  mountflags: k((_c, v) => ((v & MS_MGC_MSK) >>> 0 === MS_MGC_VAL
    ? `MS_MGC_VAL${v & ~MS_MGC_MSK ? `|${flagStr(v & ~MS_MGC_MSK, MOUNT_FLAGS)}` : ''}` : flagStr(v, MOUNT_FLAGS))),
  // a mount that remounts, binds, moves or changes propagation ignores the type
  fstype: k((c, v) => (c.a[3]! & (0x20 | 0x1000 | 0x2000 | 0xf0000) && (c.a[3]! & MS_MGC_MSK) >>> 0 !== MS_MGC_VAL ? ptr(v) : str(c, v))),
  umountflags: flagsK(UMOUNT_FLAGS),
  xattrflags: flagsK([[1, 'XATTR_CREATE'], [2, 'XATTR_REPLACE']]),
  inflags: flagsK(IN_INIT_FLAGS),
  efdflags: flagsK(EFD_FLAGS),
  sfdflags: flagsK(SFD_FLAGS),
  tfdflags: flagsK(TFD_FLAGS),
  mfdflags: k((_c, v) => {
    const huge = (v >>> 26) & 0x3f, rest = v & ~(0x3f << 26);
    return [rest || !huge ? flagStr(rest, MFD_FLAGS) : '', huge ? `${huge}<<MFD_HUGE_SHIFT` : ''].filter(Boolean).join('|');
  }),
  epollcloexec: flagsK(EPOLL_CLOEXEC),
  sfoff: inoutOffset(true),
  sfoff32: inoutOffset(false),
  loffp: outOk((c, v) => {
    const b = bytesAt(c, v, 8);
    return b ? `[${new DataView(b.buffer, b.byteOffset).getBigInt64(0, true)}]` : hex(v);
  }),
  offp: k((c, v) => {
    if (!v) return 'NULL';
    const b = bytesAt(c, v, 8);
    return b ? `[${new DataView(b.buffer, b.byteOffset).getBigInt64(0, true)}]` : hex(v);
  }),
  pipefds: outOk((c, v) => {
    const b = bytesAt(c, v, 8);
    if (!b) return hex(v);
    const dv = new DataView(b.buffer, b.byteOffset);
    return `[${dv.getInt32(0, true)}, ${dv.getInt32(4, true)}]`;
  }),
  // memory
  prot: flagsK(PROT_FLAGS, 'PROT_NONE'),
  mapflags: k((_c, v) => mapFlags(v)),
  pgoff: k((_c, v) => (v ? `0x${((v >>> 0) * 4096).toString(16)}` : '0')),
  madvise: enumK(MADVISE, 'MADV_'),
  msync: flagsK(MSYNC_FLAGS),
  mlockall: flagsK(MLOCKALL_FLAGS),
  mremapflags: flagsK(MREMAP_FLAGS),
  mremapnew: k((c, v, i) => (c.a[i - 1]! & 2 ? ptr(v) : undefined)),
  mincore: outOk((c, v) => {
    const n = Math.min(((c.a[1]! >>> 0) + 4095) >>> 12, c.strsize);
    const b = bytesAt(c, v, n);
    return b ? `[${Array.from(b, (x) => x & 1).join(', ')}${((c.a[1]! >>> 0) + 4095) >>> 12 > n ? ', ...' : ''}]` : hex(v);
  }),
  // processes
  sig: k((_c, v) => signalName(v)),
  clone: composite((c) => [...cloneArgs(c), false]),
  clone3: composite((c) => [...clone3Args(c), false]),
  wstatus: { show: (c, v) => {
    if (!v) return 'NULL';
    if (failed(c) || c.ret === 0) return hex(v);
    const s = intAt(c, v);
    return s === undefined ? hex(v) : waitStatus(s);
  }, out: true },
  wopts: k((_c, v) => flagStr(v, WAIT_OPTIONS, '0', 'W')),
  idtype: enumK(WAITID_TYPES, 'P_'),
  siginfo: outOk((c, v) => {
    const b = bytesAt(c, v, SIGINFO.size);
    return b ? siginfo(b) : hex(v);
  }),
  rusage: outOk((c, v) => {
    const r = structAt(c, v, RUSAGE);
    return r ? `{ru_utime=${timeval(r.ru_utime_sec, r.ru_utime_usec)}, ru_stime=${timeval(r.ru_stime_sec, r.ru_stime_usec)}, ...}` : hex(v);
  }),
  who: enumK(RUSAGE_WHO, 'RUSAGE_'),
  tms: outOk((c, v) => {
    const t = structAt(c, v, TMS);
    return t ? `{tms_utime=${t.tms_utime}, tms_stime=${t.tms_stime}, tms_cutime=${t.tms_cutime}, tms_cstime=${t.tms_cstime}}` : hex(v);
  }),
  sysinfo: outOk((c, v) => {
    const i = structAt(c, v, SYSINFO);
    return i ? `{uptime=${i.uptime}, loads=[${i.load1}, ${i.load5}, ${i.load15}], totalram=${i.totalram}, freeram=${i.freeram}, ` +
      `sharedram=${i.sharedram}, bufferram=${i.bufferram}, totalswap=${i.totalswap}, freeswap=${i.freeswap}, procs=${i.procs}, ` +
      `totalhigh=${i.totalhigh}, freehigh=${i.freehigh}, mem_unit=${i.mem_unit}}` : hex(v);
  }),

  uname: outOk((c, v) => utsnameAt(c, v)),
  rlimres: enumK(RLIMITS, 'RLIMIT_'),
  rlim: k((c, v) => rlimitAt(c, v, false)),
  orlim: outOk((c, v) => rlimitAt(c, v, false)),
  rlim64: k((c, v) => rlimitAt(c, v, true)),
  orlim64: outOk((c, v) => rlimitAt(c, v, true)),
  prio: enumK(PRIO_WHICH, 'PRIO_'),
  policy: enumK(SCHED_POLICIES, 'SCHED_'),
  persona: k((_c, v) => ((v >>> 0) === 0xffffffff ? hex(v) : enumStr(v, PERSONALITIES, 'PER_'))),
  udesc: k((c, v) => userDesc(c, v)),

  grnd: flagsK(GRND_FLAGS),
  iint: k((c, v) => intp(c, v)),
  oint: outOk((c, v) => intp(c, v)),
  oids: outOk((c, v) => intp(c, v, uid)),
  gids: k((c, v, i) => {
    const n = c.a[i - 1]! >>> 0;
    const b = bytesAt(c, v, 4 * Math.min(n, c.strsize));
    if (!b) return ptr(v);
    const dv = new DataView(b.buffer, b.byteOffset);
    return `[${Array.from({ length: b.length >> 2 }, (_, j) => uid(dv.getUint32(4 * j, true))).join(', ')}${n > c.strsize ? ', ...' : ''}]`;
  }),
  ogids: outOk((c, v) => {
    if (c.a[0] === 0) return hex(v);
    const b = bytesAt(c, v, 4 * Math.min(c.ret, c.strsize));
    if (!b) return hex(v);
    const dv = new DataView(b.buffer, b.byteOffset);
    return `[${Array.from({ length: b.length >> 2 }, (_, j) => uid(dv.getUint32(4 * j, true))).join(', ')}]`;
  }),
  cpumask: outOk((c, v) => {
    const b = bytesAt(c, v, Math.min(c.ret, 128));
    if (!b) return hex(v);
    const cpus: number[] = [];
    for (let j = 0; j < b.length * 8; j++) if (b[j >> 3]! & (1 << (j & 7))) cpus.push(j);
    return `[${cpus.join(' ')}]`;
  }),
  // signals
  how: enumK(SIG_HOW, 'SIG_'),
  sigset: k((c, v) => sigsetAt(c, v, setSize(c))),
  osigset: outOk((c, v) => sigsetAt(c, v, setSize(c))),
  oldsigset: k((c, v) => sigsetAt(c, v, 4)),
  ooldsigset: outOk((c, v) => sigsetAt(c, v, 4)),
  sigaction: k((c, v) => sigactionAt(c, v, false)),
  osigaction: outOk((c, v) => sigactionAt(c, v, false)),
  oldsigaction: k((c, v) => sigactionAt(c, v, true)),
  ooldsigaction: outOk((c, v) => sigactionAt(c, v, true)),
  stack: k((c, v) => stackAt(c, v)),
  ostack: outOk((c, v) => stackAt(c, v)),
  siginfoin: k((c, v) => {
    const b = bytesAt(c, v, SIGINFO.size);
    return b ? siginfo(b) : ptr(v);
  }),
  // the mask the frame restores, read where sigreturn reads it
  sigreturn: k((c) => {
    const m = sigreturnMask(c.p.cpu, c.name === 'rt_sigreturn');
    return `{mask=${typeof m === 'number' ? '???' : sigset(m, 8)}}`;
  }),
  // time
  clock: enumK(CLOCKS, 'CLOCK_'),
  timerflags: flagsK(TIMER_FLAGS),
  ts: k((c, v) => timespecAt(c, v, false)),
  ts64: k((c, v) => timespecAt(c, v, true)),
  ots: outOk((c, v) => timespecAt(c, v, false)),
  ots64: outOk((c, v) => timespecAt(c, v, true)),
  // what is left of a sleep is written when a signal interrupts it
  rem: out((c, v) => (v && interrupted(c) ? timespecAt(c, v, false) : ptr(v))),
  rem64: out((c, v) => (v && interrupted(c) ? timespecAt(c, v, true) : ptr(v))),
  tv: k((c, v) => timevalAt(c, v)),
  otv: outOk((c, v) => timevalAt(c, v)),
  itimer: enumK(ITIMERS, 'ITIMER_'),
  itv: k((c, v) => itimerval(c, v)),
  oitv: outOk((c, v) => itimerval(c, v)),
  otime: outOk((c, v) => intp(c, v)),
  // descriptors, poll, select
  pollfds: k((c, v, i) => {
    if (!v) return 'NULL';
    const n = next(c, i) >>> 0;
    const fds = arrayAt(c, v, Math.min(n, c.strsize), POLLFD);
    if (!fds) return hex(v);
    const items = fds.map((p) => (p.fd < 0 ? `{fd=${p.fd}}` : `{fd=${p.fd}, events=${flagStr(p.events, POLL_EVENTS)}}`));
    return `[${items.join(', ')}${n > c.strsize ? ', ...' : ''}]`;
  }),
  fdset: k((c, v) => fdset(c, v, c.a[0]!)),
  epollop: enumK(EPOLL_CTL, 'EPOLL_CTL_'),
  epollev: k((c, v) => {
    if (!v) return 'NULL';
    const e = structAt(c, v, EPOLL_EVENT_I386);
    return e ? epollEvent(e) : hex(v);
  }),
  epollevs: outOk((c, v) => {
    const evs = arrayAt(c, v, Math.min(c.ret, c.strsize), EPOLL_EVENT_I386);
    return evs ? `[${evs.map(epollEvent).join(', ')}${c.ret > c.strsize ? ', ...' : ''}]` : hex(v);
  }),
  // sockets
  family: enumK(FAMILIES, 'AF_'),
  socktype: k((_c, v) => {
    const type = v & 0xf, known = SOCK_TYPES.find(([t]) => t === type);
    const rest = v & ~0xf;
    if (!known) return flagStr(v, SOCK_FLAGS);
    return rest ? `${known[1]}|${flagStr(rest, SOCK_FLAGS)}` : known[1];
  }),
  sockflags: flagsK(SOCK_FLAGS),
  proto: k((c, v) => {
    const fam = c.a[0];
    if (fam === 2 || fam === 10) return enumStr(v, IP_PROTOS, 'IPPROTO_');
    if (fam === 16) return enumStr(v, NETLINK_PROTOS, 'NETLINK_');
    if (fam === 17) {
      const p = ((v & 0xff) << 8) | ((v >> 8) & 0xff);
      return `htons(${enumStr(p, ETH_PROTOS, 'ETH_P_')})`;
    }
    return String(v);
  }),
  sockaddr: k((c, v, i) => sockaddr(c, v, next(c, i))),
  osockaddr: { show: (c, v, i) => {
    if (!v || failed(c)) return ptr(v);
    const len = intAt(c, next(c, i));
    return len === undefined ? hex(v) : sockaddr(c, v, Math.min(len, (c.saved[i + 1] as number | undefined) ?? len));
  }, out: true },
  socklen: { show: (c, v, i) => {
    if (!v) return 'NULL';
    const before = c.saved[i] as number | undefined;
    const after = failed(c) ? undefined : intAt(c, v);
    if (before === undefined) return hex(v);
    return after === undefined || after === before ? `[${before}]` : `[${before} => ${after}]`;
  }, out: true, save: (c, v) => (v ? intAt(c, v) : undefined) },
  msgflags: flagsK(MSG_FLAGS),
  msghdr: k((c, v) => msghdrAt(c, v)),
  omsghdr: outOk((c, v) => msghdrAt(c, v, c.ret)),
  shut: enumK(SHUT_HOW, 'SHUT_'),
  level: enumK(SOL_LEVELS, 'SOL_'),
  optname: k((c, v, i) => {
    const level = c.a[i - 1]!;
    const t = SOCKOPTS[level];
    return t ? enumStr(v, t, SOCKOPT_PREFIX[level]) : String(v);
  }),
  optval: k((c, v, i) => setsockoptVal(c, v, next(c, i))),
  ooptval: { show: (c, v, i) => {
    if (!v || failed(c)) return ptr(v);
    const len = intAt(c, next(c, i));
    return len === undefined ? hex(v) : setsockoptVal(c, v, len);
  }, out: true },
  // SysV IPC (direct, or through ipc)
  ipckey: k((_c, v) => (v ? hex(v) : 'IPC_PRIVATE')),
  ipcget: k((_c, v) => ipcFlags(v, IPC_FLAGS)),
  shmget: k((_c, v) => ipcFlags(v, SHM_GET_FLAGS)),
  shmat: flagsK(SHMAT_FLAGS),
  ipcnowait: flagsK(IPC_FLAGS),
  msgrcvflags: flagsK(MSG_RCV_FLAGS),
  shmcmd: k((_c, v) => ipcCmd(v, SHM_CMDS)),
  semcmd: k((_c, v) => ipcCmd(v, SEM_CMDS)),
  msgcmd: k((_c, v) => ipcCmd(v, MSG_CMDS)),
  // semctl's fourth argument: the union itself, or through ipc a pointer to it
  semun: k((c, v) => (c.via === 'ipc' ? intp(c, v, ptr) : ptr(v))),
  sembufs: k((c, v, i) => {
    const n = next(c, i) >>> 0;
    const ops = arrayAt(c, v, Math.min(n, c.strsize), SEMBUF);
    if (!ops) return ptr(v);
    return `[${ops.map((o) => `{sem_num=${o.sem_num}, sem_op=${o.sem_op}, sem_flg=${flagStr(o.sem_flg & 0xffff, [[0o4000, 'IPC_NOWAIT'], [0o10000, 'SEM_UNDO']])}}`).join(', ')}${n > c.strsize ? ', ...' : ''}]`;
  }),
  msgbuf: k((c, v, i) => msgbuf(c, v, next(c, i) >>> 0)),
  omsgbuf: outOk((c, v) => msgbuf(c, v, c.ret)),
};

function ipcFlags(v: number, t: Xlat): string {
  const perms = octal(v & 0o777), rest = v & ~0o777;
  return rest ? `${flagStr(rest, t)}|${perms}` : perms;
}

const ipcCmd = (v: number, t: Xlat) => `${v & 0x100 ? 'IPC_64|' : ''}${enumStr(v & ~0x100, t, 'IPC_')}`;

/** A struct msgbuf: its type, then len bytes of text. */
function msgbuf(c: Call, addr: number, len: number): string {
  const type = intAt(c, addr);
  if (type === undefined) return ptr(addr);
  return `{mtype=${type}, mtext=${buffer(c, addr + 4, len)}}`;
}

/** sendfile's offset: what it was, and what the call left in it ([0] => [100]); 64 or 32 bits wide. */
function inoutOffset(wide: boolean): Kind {
  const read = (c: Call, v: number) => {
    const b = bytesAt(c, v, wide ? 8 : 4);
    if (!b) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset);
    return wide ? dv.getBigInt64(0, true) : BigInt(dv.getInt32(0, true));
  };
  return {
    out: true,
    save: (c, v) => (v ? read(c, v) : undefined),
    show: (c, v, i) => {
      if (!v) return 'NULL';
      const before = c.saved[i] as bigint | undefined;
      if (before === undefined) return hex(v);
      const after = failed(c) ? undefined : read(c, v);
      return after === undefined ? `[${before}]` : `[${before}] => [${after}]`;
    },
  };
}

function itimerval(c: Call, addr: number): string {
  if (!addr) return 'NULL';
  const t = structAt(c, addr, ITIMERVAL32);
  return t ? `{it_interval=${timeval(t.it_interval_sec, t.it_interval_usec)}, it_value=${timeval(t.it_value_sec, t.it_value_usec)}}` : hex(addr);
}

/**
 * Each call's arguments by kind, one per register in order (a 64-bit
 * argument takes two: `off64` then `-`). Calls not named here show their six
 * registers in hex; calls with no arguments have an empty list.
 */
export const ARGS: Readonly<Record<string, readonly string[]>> = {
  // files
  read: ['fd', 'obuf', 'u'], write: ['fd', 'ibuf', 'u'], open: ['path', 'oflags', 'cmode'], creat: ['path', 'o'],
  openat: ['dirfd', 'path', 'oflags', 'cmode'], close: ['fd'], close_range: ['u', 'u', 'X'], lseek: ['fd', 'd', 'whence'],
  _llseek: ['fd', 'llseek', '-', 'loffp', 'whence'], pread64: ['fd', 'obuf', 'u', 'off64', '-'],
  pwrite64: ['fd', 'ibuf', 'u', 'off64', '-'], readv: ['fd', 'oiov', 'd'], writev: ['fd', 'iov', 'd'],
  preadv: ['fd', 'oiov', 'd', 'off64', '-'], pwritev: ['fd', 'iov', 'd', 'off64', '-'],
  stat64: ['path', 'stat64'], lstat64: ['path', 'stat64'], fstat64: ['fd', 'stat64'], fstatat64: ['dirfd', 'path', 'stat64', 'atflags'],
  stat: ['path', 'stat'], lstat: ['path', 'stat'], fstat: ['fd', 'stat'],
  statx: ['dirfd', 'path', 'statxflags', 'statxmask', 'statx'], statfs64: ['path', 'u', 'statfs64'], fstatfs64: ['fd', 'u', 'statfs64'],
  access: ['path', 'access'], faccessat: ['dirfd', 'path', 'access'], faccessat2: ['dirfd', 'path', 'access', 'eaccess'],
  fcntl: ['fd', 'fcntlcmd'], fcntl64: ['fd', 'fcntlcmd'], ioctl: ['fd', 'ioctlreq'], flock: ['fd', 'flockop'],
  dup: ['fd'], dup2: ['fd', 'fd'], dup3: ['fd', 'fd', 'fdflags'], pipe: ['pipefds'], pipe2: ['pipefds', 'fdflags'],
  getdents: ['fd', 'dents', 'u'], getdents64: ['fd', 'dents64', 'u'],
  mkdir: ['path', 'o'], mkdirat: ['dirfd', 'path', 'o'], rmdir: ['path'], unlink: ['path'], unlinkat: ['dirfd', 'path', 'atflags'],
  rename: ['path', 'path'], renameat: ['dirfd', 'path', 'dirfd', 'path'], renameat2: ['dirfd', 'path', 'dirfd', 'path', 'renameflags'],
  link: ['path', 'path'], linkat: ['dirfd', 'path', 'dirfd', 'path', 'atflags'], symlink: ['path', 'path'],
  symlinkat: ['path', 'dirfd', 'path'], readlink: ['path', 'obuf', 'u'], readlinkat: ['dirfd', 'path', 'obuf', 'u'],
  chmod: ['path', 'o'], fchmod: ['fd', 'o'], fchmodat: ['dirfd', 'path', 'o'], chown32: ['path', 'uid', 'uid'],
  lchown32: ['path', 'uid', 'uid'], fchown32: ['fd', 'uid', 'uid'], fchownat: ['dirfd', 'path', 'uid', 'uid', 'atflags'],
  chown: ['path', 'uid', 'uid'], lchown: ['path', 'uid', 'uid'], fchown: ['fd', 'uid', 'uid'],
  mknod: ['path', 'fmode', 'dev'], mknodat: ['dirfd', 'path', 'fmode', 'dev'], umask: ['o'], chdir: ['path'], fchdir: ['fd'],
  chroot: ['path'], getcwd: ['opath', 'u'], truncate: ['path', 'd'], ftruncate: ['fd', 'd'], truncate64: ['path', 'off64', '-'],
  ftruncate64: ['fd', 'off64', '-'], utimensat: ['dirfd', 'path', 'utimes', 'atflags'],
  utimensat_time64: ['dirfd', 'path', 'utimes64', 'atflags'], fsync: ['fd'], fdatasync: ['fd'], syncfs: ['fd'],
  fadvise64: ['fd', 'off64', '-', 'u', 'fadvise'], fadvise64_64: ['fd', 'off64', '-', 'off64', '-', 'fadvise'],
  fallocate: ['fd', 'falloc', 'off64', '-', 'off64', '-'], readahead: ['fd', 'off64', '-', 'u'],
  sync_file_range: ['fd', 'off64', '-', 'off64', '-', 'sfr'], sendfile64: ['fd', 'fd', 'sfoff', 'u'],
  sendfile: ['fd', 'fd', 'sfoff32', 'u'], splice: ['fd', 'offp', 'fd', 'offp', 'u', 'splice'],
  copy_file_range: ['fd', 'offp', 'fd', 'offp', 'u', 'u'], mount: ['str', 'path', 'fstype', 'mountflags', 'str'],
  getxattr: ['path', 'str', 'obuf', 'u'], lgetxattr: ['path', 'str', 'obuf', 'u'], fgetxattr: ['fd', 'str', 'obuf', 'u'],
  setxattr: ['path', 'str', 'ibuf', 'u', 'xattrflags'], lsetxattr: ['path', 'str', 'ibuf', 'u', 'xattrflags'],
  fsetxattr: ['fd', 'str', 'ibuf', 'u', 'xattrflags'], listxattr: ['path', 'obuf', 'u'], llistxattr: ['path', 'obuf', 'u'],
  flistxattr: ['fd', 'obuf', 'u'], removexattr: ['path', 'str'], lremovexattr: ['path', 'str'], fremovexattr: ['fd', 'str'],
  umount2: ['path', 'umountflags'], umount: ['path'], memfd_create: ['str', 'mfdflags'], inotify_init1: ['inflags'],
  inotify_add_watch: ['fd', 'path', 'X'], inotify_rm_watch: ['fd', 'd'], eventfd2: ['u', 'efdflags'], eventfd: ['u'],
  signalfd4: ['fd', 'sigset', 'ssize', 'sfdflags'], signalfd: ['fd', 'sigset', 'ssize'], timerfd_create: ['clock', 'tfdflags'],
  epoll_create: ['d'], epoll_create1: ['epollcloexec'], epoll_ctl: ['fd', 'epollop', 'fd', 'epollev'],
  epoll_wait: ['fd', 'epollevs', 'd', 'd'], epoll_pwait: ['fd', 'epollevs', 'd', 'd', 'sigset', 'ssize'],
  poll: ['pollfds', 'u', 'd'], ppoll: ['pollfds', 'u', 'ts', 'sigset', 'ssize'], ppoll_time64: ['pollfds', 'u', 'ts64', 'sigset', 'ssize'],
  select: ['d', 'fdset', 'fdset', 'fdset', 'tv'], _newselect: ['d', 'fdset', 'fdset', 'fdset', 'tv'],
  pselect6: ['d', 'fdset', 'fdset', 'fdset', 'ts', 'x'], pselect6_time64: ['d', 'fdset', 'fdset', 'fdset', 'ts64', 'x'],
  sync: [], vhangup: [], inotify_init: [],
  // processes
  execve: ['path', 'argv', 'envp'], execveat: ['dirfd', 'path', 'argv', 'envp', 'atflags'],
  exit: ['d'], exit_group: ['d'], fork: [], vfork: [], clone: ['clone'], clone3: ['clone3', 'u'],
  wait4: ['d', 'wstatus', 'wopts', 'rusage'], waitpid: ['d', 'wstatus', 'wopts'],
  waitid: ['idtype', 'd', 'siginfo', 'wopts', 'rusage'], kill: ['d', 'sig'], tkill: ['d', 'sig'], tgkill: ['d', 'd', 'sig'],
  getpid: [], getppid: [], gettid: [], getpgrp: [], setsid: [], getuid32: [], getgid32: [], geteuid32: [], getegid32: [],
  getuid: [], getgid: [], geteuid: [], getegid: [], setuid32: ['uid'], setgid32: ['uid'], setuid: ['uid'], setgid: ['uid'],
  setreuid32: ['uid', 'uid'], setregid32: ['uid', 'uid'], setresuid32: ['uid', 'uid', 'uid'], setresgid32: ['uid', 'uid', 'uid'],
  getresuid32: ['oids', 'oids', 'oids'], getresgid32: ['oids', 'oids', 'oids'], setfsuid32: ['uid'], setfsgid32: ['uid'],
  getgroups32: ['d', 'ogids'], setgroups32: ['d', 'gids'], setpgid: ['d', 'd'], getpgid: ['d'], getsid: ['d'],
  prctl: ['prctlop'], uname: ['uname'], sethostname: ['ibuf', 'u'], setdomainname: ['ibuf', 'u'],
  getrlimit: ['rlimres', 'orlim'], ugetrlimit: ['rlimres', 'orlim'], setrlimit: ['rlimres', 'rlim'],
  prlimit64: ['d', 'rlimres', 'rlim64', 'orlim64'], getrusage: ['who', 'rusage'], times: ['tms'], sysinfo: ['sysinfo'],
  getpriority: ['prio', 'd'], setpriority: ['prio', 'd', 'd'], sched_yield: [], sched_getscheduler: ['d'],
  sched_getparam: ['d', 'oint'], sched_getaffinity: ['d', 'u', 'cpumask'], personality: ['persona'],
  set_tid_address: ['x'], set_robust_list: ['x', 'u'], set_thread_area: ['udesc'], get_thread_area: ['udesc'],
  futex: ['x', 'futexop'], futex_time64: ['x', 'futexop'], rseq: ['x', 'X', 'X', 'X'], getrandom: ['rndbuf', 'u', 'grnd'], pause: [], restart_syscall: [],
  getcpu: ['oint', 'oint', 'x'], setns: ['fd', 'X'], unshare: ['X'], pidfd_open: ['d', 'X'],
  // memory
  brk: ['x'], mmap2: ['x', 'u', 'prot', 'mapflags', 'fd', 'pgoff'], mmap: ['x', 'u', 'prot', 'mapflags', 'fd', 'X'],
  munmap: ['x', 'u'], mprotect: ['x', 'u', 'prot'], pkey_mprotect: ['x', 'u', 'prot', 'd'],
  mremap: ['x', 'u', 'u', 'mremapflags', 'mremapnew'], madvise: ['x', 'u', 'madvise'], msync: ['x', 'u', 'msync'],
  mlock: ['x', 'u'], munlock: ['x', 'u'], mlockall: ['mlockall'], munlockall: [], mincore: ['x', 'u', 'mincore'],
  // signals
  rt_sigaction: ['sig', 'sigaction', 'osigaction', 'ssize'], sigaction: ['sig', 'oldsigaction', 'ooldsigaction'],
  signal: ['sig', 'x'], rt_sigprocmask: ['how', 'sigset', 'osigset', 'ssize'], sigprocmask: ['how', 'oldsigset', 'ooldsigset'],
  rt_sigsuspend: ['sigset', 'ssize'], sigsuspend: ['oldsigset'], rt_sigpending: ['osigset', 'ssize'], sigpending: ['ooldsigset'],
  rt_sigtimedwait: ['sigset', 'siginfo', 'ts', 'ssize'], rt_sigtimedwait_time64: ['sigset', 'siginfo', 'ts64', 'ssize'],
  rt_sigqueueinfo: ['d', 'sig', 'siginfoin'], rt_tgsigqueueinfo: ['d', 'd', 'sig', 'siginfoin'],
  sigaltstack: ['stack', 'ostack'], sigreturn: ['sigreturn'], rt_sigreturn: ['sigreturn'], alarm: ['u'],
  sgetmask: [], ssetmask: ['oldsigsetval'],
  // time
  nanosleep: ['ts', 'rem'], clock_nanosleep: ['clock', 'timerflags', 'ts', 'rem'],
  clock_nanosleep_time64: ['clock', 'timerflags', 'ts64', 'rem64'], clock_gettime: ['clock', 'ots'],
  clock_gettime64: ['clock', 'ots64'], clock_getres: ['clock', 'ots'], clock_getres_time64: ['clock', 'ots64'],
  clock_settime: ['clock', 'ts'], clock_settime64: ['clock', 'ts64'], gettimeofday: ['otv', 'x'], settimeofday: ['tv', 'x'],
  time: ['otime'], getitimer: ['itimer', 'oitv'], setitimer: ['itimer', 'itv', 'oitv'],
  // sockets, direct or through socketcall (shown as the call it multiplexes, as strace does)
  socket: ['family', 'socktype', 'proto'], socketpair: ['family', 'socktype', 'proto', 'pipefds'],
  bind: ['fd', 'sockaddr', 'u'], connect: ['fd', 'sockaddr', 'u'], listen: ['fd', 'd'],
  accept: ['fd', 'osockaddr', 'socklen'], accept4: ['fd', 'osockaddr', 'socklen', 'sockflags'],
  getsockname: ['fd', 'osockaddr', 'socklen'], getpeername: ['fd', 'osockaddr', 'socklen'],
  send: ['fd', 'ibuf', 'u', 'msgflags'], recv: ['fd', 'obuf', 'u', 'msgflags'],
  sendto: ['fd', 'ibuf', 'u', 'msgflags', 'sockaddr', 'u'], recvfrom: ['fd', 'obuf', 'u', 'msgflags', 'osockaddr', 'socklen'],
  sendmsg: ['fd', 'msghdr', 'msgflags'], recvmsg: ['fd', 'omsghdr', 'msgflags'], shutdown: ['fd', 'shut'],
  setsockopt: ['fd', 'level', 'optname', 'optval', 'u'], getsockopt: ['fd', 'level', 'optname', 'ooptval', 'socklen'],
  // SysV IPC, direct or through ipc (shown as the call it multiplexes, as strace does; the structs of *ctl by address)
  shmget: ['ipckey', 'u', 'shmget'], shmat: ['d', 'x', 'shmat', '-'], shmdt: ['x'], shmctl: ['d', 'shmcmd', 'x'],
  semget: ['ipckey', 'd', 'ipcget'], semop: ['d', 'sembufs', 'u'], semtimedop: ['d', 'sembufs', 'u', 'ts'],
  semtimedop_time64: ['d', 'sembufs', 'u', 'ts64'], semctl: ['d', 'd', 'semcmd', 'semun'], msgget: ['ipckey', 'ipcget'],
  msgsnd: ['d', 'msgbuf', 'u', 'ipcnowait'], msgrcv: ['d', 'omsgbuf', 'u', 'd', 'msgrcvflags'], msgctl: ['d', 'msgcmd', 'x'],
};

/**
 * The rest of a call's arguments by the value of one of them (ioctl's
 * request, fcntl's command, prctl's option, futex's operation): kinds for
 * the registers after it, as ARGS has them.
 */
interface Variant { at: number; key?: (v: number) => number; by: Readonly<Record<number, readonly string[]>>; other: readonly string[] }

const TIOC_INT_OUT = ['oint'], TIOC_INT_IN = ['iint'];
const IOCTL_ARGS: Record<number, readonly string[]> = {
  0x5401: ['otermios'], 0x5402: ['termios'], 0x5403: ['termios'], 0x5404: ['termios'], 0x5413: ['owinsize'], 0x5414: ['winsize'],
  // TIOCGPGRP, FIONREAD, TIOCOUTQ, TIOCGSID, TIOCGPTN, TIOCGPTLCK, TIOCGDEV; TIOCSPGRP, FIONBIO, TIOCSPTLCK, FIOASYNC, TIOCSETD
  0x540f: TIOC_INT_OUT, 0x541b: TIOC_INT_OUT, 0x5411: TIOC_INT_OUT, 0x5429: TIOC_INT_OUT, 0x80045430: TIOC_INT_OUT,
  0x80045439: TIOC_INT_OUT, 0x80045432: TIOC_INT_OUT, 0x5410: TIOC_INT_IN, 0x5421: TIOC_INT_IN, 0x40045431: TIOC_INT_IN,
  0x5452: TIOC_INT_IN, 0x5423: TIOC_INT_IN,
  // FIONCLEX, FIOCLEX, TIOCNOTTY, TIOCVHANGUP, TIOCGPTPEER, FIFREEZE, FITHAW: no argument
  0x5450: [], 0x5451: [], 0x5422: [], 0x5437: [], 0x5441: [], 0xc0045877: [], 0xc0045878: [],
  // TIOCSCTTY, TCFLSH, TCXONC, TCSBRK, TCSBRKP: a number; TIOCSIG: a signal
  0x540e: ['d'], 0x540b: ['d'], 0x540a: ['d'], 0x5409: ['d'], 0x5425: ['d'], 0x40045436: ['sig'],
};
const FCNTL_ARGS: Record<number, readonly string[]> = {
  1: [], 3: [], 9: [], 11: [], 1025: [], 1032: [], 1034: [], 1035: [], 1037: [],
  0: ['d'], 1030: ['d'], 8: ['d'], 1031: ['d'], 2: ['fdflag'], 4: ['oflags'], 10: ['sig0'], 1024: ['locktype'],
  1026: ['dnflags'], 1033: ['seals'], 6: ['flock'], 7: ['flock'], 5: ['oflock'], 13: ['flock64'], 14: ['flock64'],
  12: ['oflock64'], 37: ['flock64'], 38: ['flock64'], 36: ['oflock64'],
};
const PRCTL_ARGS: Record<number, readonly string[]> = {
  15: ['str'], 16: ['ocomm'], 1: ['sig0'], 2: ['osig'], 4: ['suiddump'], 37: ['oint'],
  3: [], 7: [], 13: [], 21: [], 27: [], 30: [], 46: [],
  8: ['u'], 36: ['u'], 29: ['u'], 24: ['u'], 23: ['u'],
  38: ['u', 'u', 'u', 'u'], 39: ['u', 'u', 'u', 'u'], 41: ['u', 'u', 'u', 'u'], 42: ['u', 'u', 'u', 'u'],
};
const futexArgs = (ts: string): Record<number, readonly string[]> => ({
  0: ['d', ts], 1: ['d'], 7: ['d'], 12: ['d'], 3: ['d', 'u', 'x'], 4: ['d', 'u', 'x', 'd'], 5: ['d', 'u', 'x', 'X'],
  6: ['-', ts], 8: ['-', ts], 13: ['-', ts], 9: ['d', ts, '-', 'bitset'], 10: ['d', '-', '-', 'bitset'],
});
const FUTEX_KEY = (v: number) => v & ~(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME);

const VARIANTS: Readonly<Record<string, Variant>> = {
  ioctl: { at: 1, by: IOCTL_ARGS, other: ['X'] },
  fcntl: { at: 1, by: FCNTL_ARGS, other: ['X'] },
  fcntl64: { at: 1, by: FCNTL_ARGS, other: ['X'] },
  prctl: { at: 0, by: PRCTL_ARGS, other: ['X', 'X', 'X', 'X'] },
  futex: { at: 1, key: FUTEX_KEY, by: futexArgs('ts'), other: ['d', 'X', 'X', 'X'] },
  futex_time64: { at: 1, key: FUTEX_KEY, by: futexArgs('ts64'), other: ['d', 'X', 'X', 'X'] },
};

/** A call's argument kinds: its ARGS, and the rest its variant selects. */
function kindsOf(name: string, a: Int32Array): readonly string[] | undefined {
  const kinds = ARGS[name];
  const v = VARIANTS[name];
  if (!kinds || !v) return kinds;
  const sel = a[v.at]!;
  return [...kinds, ...(v.by[v.key ? v.key(sel) : sel >>> 0] ?? v.by[sel] ?? v.other)];
}

// Kinds only a few calls use, defined from the others.
KINDS.iov = k((c, v, i) => iovecs(c, v, next(c, i) >>> 0));
KINDS.oiov = outOk((c, v, i) => iovecs(c, v, next(c, i) >>> 0, c.ret));
KINDS.llseek = k((c, v, i) => big(int64(next(c, i), v))); // _llseek: high word first
KINDS.oldsigsetval = k((_c, v) => sigset(new Uint8Array(new Uint32Array([v]).buffer), 4));

/** What some calls' results mean beside the number. */
const RESULTS: Record<string, (c: Call) => string | undefined> = {
  fcntl: fcntlResult, fcntl64: fcntlResult,
  poll: (c) => pollResult(c, undefined), ppoll: (c) => pollResult(c, timespecLeft(c, 2, false)),
  ppoll_time64: (c) => pollResult(c, timespecLeft(c, 2, true)),
  select: selectResult, _newselect: selectResult, pselect6: selectResult, pselect6_time64: selectResult,
  umask: (c) => octal(c.ret),
  time: (c) => { const when = isoTime(c.ret >>> 0); return when ? `${c.ret >>> 0} (${when})` : undefined; },
  set_thread_area: (c) => {
    const u = structAt(c, c.a[0]!, USER_DESC);
    return c.ret === 0 && u ? `0 (entry_number=${u.entry_number})` : undefined;
  },
  prctl: (c) => (c.a[0] === 3 && c.ret >= 0 && c.ret <= 2 ? `${c.ret} (${SUID_DUMP[c.ret]![1]})` : undefined),
  personality: (c) => `${hex(c.ret).replace(/^0x0$/, '0')} (${enumStr(c.ret & 0xff, PERSONALITIES, 'PER_')})`,
  sched_getscheduler: (c) => `${c.ret} (${enumStr(c.ret, SCHED_POLICIES, 'SCHED_')})`,
  // through ipc the address comes back in *third (the fourth argument)
  shmat: (c) => {
    if (c.via !== 'ipc') return hex(c.ret);
    const a = intAt(c, c.a[3]!);
    return a === undefined ? undefined : hex(a);
  },
};
const HEX_RESULT = new Set(['brk', 'mmap', 'mmap2', 'mremap', 'shmat']);
const NO_RETURN = new Set(['exit', 'exit_group']);

function fcntlResult(c: Call): string | undefined {
  const cmd = c.a[1];
  const h = c.ret ? hex(c.ret) : '0';
  if (cmd === 1) return c.ret ? `${h} (flags ${flagStr(c.ret, FD_FLAGS)})` : undefined;
  if (cmd === 3) return `${h} (flags ${openFlags(c.ret)})`;
  if (cmd === 1034) return c.ret ? `${h} (seals ${flagStr(c.ret, SEALS)})` : undefined;
  if (cmd === 1025) return `${c.ret} (${enumStr(c.ret, LOCK_TYPES, 'F_')})`;
  if (cmd === 11 && c.ret) return `${c.ret} (${signalName(c.ret)})`;
  return undefined;
}

function pollResult(c: Call, left: string | undefined): string {
  if (c.ret === 0) return `0 (Timeout)`;
  const n = c.a[1]! >>> 0;
  const fds = arrayAt(c, c.a[0]!, Math.min(n, 1024), POLLFD) ?? [];
  const ready = fds.filter((p) => p.revents).map((p) => `{fd=${p.fd}, revents=${flagStr(p.revents, POLL_EVENTS)}}`);
  return `${c.ret} ([${ready.join(', ')}]${left ? `, left ${left}` : ''})`;
}

function timespecLeft(c: Call, i: number, t64: boolean): string | undefined {
  return c.a[i] ? timespecAt(c, c.a[i]!, t64) : undefined;
}

function selectResult(c: Call): string {
  const tv = c.a[4]!;
  const t64 = c.name === 'pselect6_time64';
  const left = tv ? (c.name.startsWith('pselect') ? timespecAt(c, tv, t64) : timevalAt(c, tv)) : undefined;
  if (c.ret === 0) return `0 (Timeout)`;
  const sets = [['in', c.a[1]!], ['out', c.a[2]!], ['except', c.a[3]!]] as const;
  const parts = sets.filter(([, a]) => a).map(([n, a]) => [n, fdset(c, a, c.a[0]!)] as const).filter(([, s]) => s !== '[]')
    .map(([n, s]) => `${n} ${s}`);
  if (left) parts.push(`left ${left}`);
  return `${c.ret} (${parts.join(', ')})`;
}

/** The kernel's restart codes as strace names them (the program never sees them: the call restarts or is EINTR). */
const RESTART: Record<number, string> = {
  [ERESTART.SYS]: 'ERESTARTSYS (To be restarted if SA_RESTART is set)',
  [ERESTART.NOINTR]: 'ERESTARTNOINTR (To be restarted)',
  [ERESTART.NOHAND]: 'ERESTARTNOHAND (To be restarted if no handler)',
  [ERESTART.RESTARTBLOCK]: 'ERESTART_RESTARTBLOCK (Interrupted by signal)',
};

/** A result as strace shows it: the number, -1 and the errno, or ? for a call that does not return. */
export function resultStr(name: string, ret: number | undefined, c?: Call): string {
  if (ret === undefined || NO_RETURN.has(name)) return '?';
  if (RESTART[-ret]) return `? ${RESTART[-ret]}`;
  if (ret < 0 && ret >= -MAX_ERRNO) return `-1 ${errnoName(-ret)} (${strerror(-ret)})`;
  return (c && RESULTS[name]?.(c)) ?? (HEX_RESULT.has(name) ? hex(ret) : String(ret));
}

/** Options of the decoding (strace's -s). */
export interface DecodeOptions {
  /** The longest string shown whole (-s; 32). */
  strsize: number;
}

/**
 * A call as strace shows it, in two halves: what is known when it is made
 * (`name(` and the arguments going in) and the rest once it returns.
 */
export class TracedCall {
  /** The arguments shown when the call is made. */
  readonly entry: string;
  /** strace shows a separator after them already (the first output argument follows). */
  readonly comma: boolean;
  private readonly call: Call;
  private readonly split: number;
  private readonly composite: Kind | undefined;

  constructor(p: Proc, name: string, args: Int32Array, opts: DecodeOptions) {
    const via = name === 'socketcall' || name === 'ipc' ? name : undefined;
    [name, args] = multiplexed(p, name, args);
    const kinds = kindsOf(name, args);
    this.call = { p, name, a: args, kinds: kinds ?? [], ret: 0, saved: [], strsize: opts.strsize, via };
    const c = this.call;
    if (!kinds) {
      this.entry = Array.from(args.subarray(0, 6), (v) => hex(v)).join(', ');
      this.split = 0;
      this.comma = false;
      return;
    }
    const shown: string[] = [];
    let i = 0;
    for (; i < kinds.length; i++) {
      const kind = KINDS[kinds[i]!];
      if (!kind) throw new Error(`strace: no kind ${kinds[i]} (${name})`);
      if (kind.out) break;
      const s = kind.show(c, args[i]!, i);
      if (s !== undefined) shown.push(s);
      if (kind.tail) { this.composite = kind; i++; break; }
    }
    this.split = i;
    for (let j = i; j < kinds.length; j++) {
      const save = KINDS[kinds[j]!]!.save;
      if (save) c.saved[j] = save(c, args[j]!);
    }
    this.entry = shown.join(', ');
    const more = kinds.slice(i).some((n) => KINDS[n]!.show !== KINDS['-']!.show);
    this.comma = this.composite ? this.composite.comma!(c) : more && shown.length > 0;
  }

  get name(): string {
    return this.call.name;
  }

  /** What is shown once the call returned ret (undefined: it never returns): the rest of the arguments, and the result. */
  finish(ret: number | undefined): { exit: string; result: string } {
    const c = this.call;
    c.ret = ret ?? 0;
    const kinds = c.kinds;
    let exit = '';
    if (this.composite) {
      const t = this.composite.tail!(c);
      exit = this.comma && t.startsWith(', ') ? t.slice(2) : t;
    }
    const rest: string[] = [];
    for (let i = this.split; i < kinds.length; i++) {
      const s = KINDS[kinds[i]!]!.show(c, c.a[i]!, i);
      if (s !== undefined) rest.push(s);
    }
    if (rest.length) exit += `${exit || (this.entry && !this.comma) ? ', ' : ''}${rest.join(', ')}`;
    return { exit, result: resultStr(c.name, ret, c) };
  }
}

/** socketcall as the call it multiplexes, and old mmap and select with their arguments from the struct they point to. */
function multiplexed(p: Proc, name: string, a: Int32Array): [string, Int32Array] {
  const read = (addr: number, n: number) => {
    try {
      return new Int32Array(p.mem.readBytes(addr >>> 0, 4 * n).slice().buffer);
    } catch {
      return undefined;
    }
  };
  if (name === 'socketcall') {
    const sub = SOCKETCALLS[a[0]!];
    const v = sub && read(a[1]!, sub[1]);
    return sub && v ? [sub[0], v] : [name, a];
  }
  if (name === 'ipc') {
    // ipc(call, first, second, third, ptr, fifth): each call's own arguments from these
    const [call, first, second, third, p4, fifth] = a;
    const sub = IPC_CALLS_BY_NUMBER[call! & 0xffff];
    const args = (...v: number[]) => Int32Array.from(v);
    switch (call! & 0xffff) {
      case 1: return [sub!, args(first!, p4!, second!)];
      case 2: case 23: return [sub!, args(first!, second!, third!)];
      case 3: return [sub!, args(first!, second!, third!, p4!)];
      case 4: return [sub!, args(first!, p4!, second!, fifth!)];
      case 11: return [sub!, args(first!, p4!, second!, third!)];
      case 12: {
        // version 0 passes the buffer and the type in a struct ipc_kludge
        if (call! >>> 16) return [sub!, args(first!, p4!, second!, fifth!, third!)];
        const kl = read(p4!, IPC_KLUDGE.size / 4);
        return kl ? [sub!, args(first!, kl[0]!, second!, kl[1]!, third!)] : [name, a];
      }
      case 13: return [sub!, args(first!, second!)];
      case 14: case 24: return [sub!, args(first!, second!, p4!)];
      case 21: return [sub!, args(first!, p4!, second!, third!)];
      case 22: return [sub!, args(p4!)];
      default: return [name, a];
    }
  }
  if (name === 'mmap') {
    const v = read(a[0]!, MMAP_ARG_STRUCT.size / 4);
    return v ? [name, v] : [name, a];
  }
  if (name === 'select') {
    const v = read(a[0]!, SEL_ARG_STRUCT.size / 4);
    return v ? [name, v] : [name, a];
  }
  return [name, a];
}

/** A whole call on one line (DEBUG=int80:calls): prefix and call padded to 40 columns, then = and the result. */
export function straceLine(prefix: string, call: string, result: string): string {
  return `${`${prefix}${call}`.padEnd(39)} = ${result}`;
}

/** The i386 call names every class of `-e trace=%CLASS` holds, derived from the table where it can be. */
export function traceClass(cls: string): Set<string> | undefined {
  const all = Object.keys(ARGS);
  const withKind = (...ks: string[]) => all.filter((n) => ARGS[n]!.some((x) => ks.includes(x)));
  switch (cls) {
    case 'file': return new Set(withKind('path', 'opath'));
    case 'desc': {
      // descriptor calls are strace's TD class; the socket calls are network calls only
      const net = traceClass('network')!;
      return new Set(withKind('fd', 'dirfd', 'pipefds').filter((n) => !net.has(n)).concat(['open', 'creat', 'epoll_create',
        'epoll_create1', 'eventfd', 'eventfd2', 'inotify_init', 'inotify_init1', 'memfd_create', 'timerfd_create', 'signalfd',
        'signalfd4', 'pidfd_open', 'pipe', 'pipe2', 'mmap', 'mmap2', 'select', '_newselect', 'pselect6', 'pselect6_time64',
        'poll', 'ppoll', 'ppoll_time64', 'close_range']));
    }
    case 'process': return new Set(['fork', 'vfork', 'clone', 'clone3', 'execve', 'execveat', 'exit', 'exit_group', 'wait4',
      'waitpid', 'waitid', 'kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_open', 'pidfd_send_signal', 'unshare']);
    case 'network': case 'net': return new Set(['socket', 'socketpair', 'bind', 'connect', 'listen', 'accept', 'accept4',
      'getsockname', 'getpeername', 'send', 'recv', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg',
      'recvmmsg_time64', 'shutdown', 'setsockopt', 'getsockopt', 'socketcall']);
    case 'signal': return new Set(['signal', 'sigaction', 'rt_sigaction', 'sigprocmask', 'rt_sigprocmask', 'sigpending',
      'rt_sigpending', 'sigsuspend', 'rt_sigsuspend', 'sigreturn', 'rt_sigreturn', 'kill', 'tkill', 'tgkill',
      'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'sigaltstack', 'pause',
      'sgetmask', 'ssetmask', 'signalfd', 'signalfd4', 'pidfd_send_signal']);
    case 'memory': return new Set(['brk', 'mmap', 'mmap2', 'munmap', 'mprotect', 'pkey_mprotect', 'mremap', 'madvise',
      'msync', 'mlock', 'mlock2', 'munlock', 'mlockall', 'munlockall', 'mincore', 'remap_file_pages', 'shmat', 'shmdt',
      'mbind', 'get_mempolicy', 'set_mempolicy', 'migrate_pages', 'move_pages', 'process_madvise']);
    case 'ipc': return new Set(['ipc', 'shmget', 'shmat', 'shmctl', 'shmdt', 'semget', 'semop', 'semctl', 'semtimedop',
      'semtimedop_time64', 'msgget', 'msgsnd', 'msgrcv', 'msgctl']);
    case 'creds': return new Set(all.filter((n) => /^(get|set)(res|re|fs)?[ug]id(32)?$|^(get|set)groups(32)?$|^cap(get|set)$/.test(n))
      .concat(['capget', 'capset', 'prctl']));
    case 'clock': return new Set(['time', 'stime', 'gettimeofday', 'settimeofday', 'adjtimex', 'clock_gettime', 'clock_settime',
      'clock_getres', 'clock_adjtime', 'clock_gettime64', 'clock_settime64', 'clock_getres_time64', 'clock_adjtime64']);
    case 'stat': return new Set(['stat', 'stat64', 'oldstat']);
    case 'lstat': return new Set(['lstat', 'lstat64', 'oldlstat']);
    // the calls that stat a descriptor, or a name relative to one
    case 'fstat': return new Set(['fstat', 'fstat64', 'oldfstat', 'fstatat64', 'statx']);
    case '%stat': return new Set(['stat', 'stat64', 'oldstat', 'statx', 'lstat', 'lstat64', 'oldlstat', 'fstat', 'fstat64', 'oldfstat', 'fstatat64']);
    case 'statfs': return new Set(['statfs', 'statfs64', 'ustat']);
    case 'fstatfs': return new Set(['fstatfs', 'fstatfs64']);
    case '%statfs': return new Set(['statfs', 'statfs64', 'ustat', 'fstatfs', 'fstatfs64']);
    // calls with no arguments that always succeed
    case 'pure': return new Set(['getpid', 'getppid', 'gettid', 'getpgrp', 'getuid', 'getuid32', 'getgid', 'getgid32',
      'geteuid', 'geteuid32', 'getegid', 'getegid32', 'sgetmask']);
    default: return undefined;
  }
}
