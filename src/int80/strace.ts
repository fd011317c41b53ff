// System calls as strace prints them: the name, the arguments decoded by
// kind (strings and buffers from guest memory, open/mmap/prot flags, fds,
// signals), and the result or -1 with the errno's name and message. The kinds
// are a table by call name; calls not in it show their six registers.
import { ERESTART, errnoName, strerror } from '../uapi/errno.js';
import { AT_FDCWD } from '../uapi/linux.js';
import type { Proc } from './proc-context.js';
import { SOCKETCALLS } from './net.js';

/**
 * Argument kinds: d int, u unsigned, x pointer, s string, b buffer going in
 * (its length is the next argument), B buffer coming out (shown with the
 * result's length), o open flags, m mode, f fd, p prot, M mmap flags,
 * v argv, e envp, S signal, w whence, Z address family, T socket type, A
 * socket address going in (its length is the next argument).
 */
const ARGS: Record<string, string> = {
  read: 'fBu', write: 'fbu', open: 'som', openat: 'fsom', creat: 'sm', close: 'f', execve: 'sve',
  exit: 'd', exit_group: 'd', brk: 'x', mmap2: 'xupMfx', munmap: 'xu', mprotect: 'xup', mremap: 'xuudx',
  stat64: 'sx', lstat64: 'sx', fstat64: 'fx', fstatat64: 'fsxd', stat: 'sx', lstat: 'sx', fstat: 'fx',
  statx: 'fsdxx', access: 'sd', faccessat: 'fsd', chdir: 's', fchdir: 'f', mkdir: 'sm', mkdirat: 'fsm',
  unlink: 's', unlinkat: 'fsd', rmdir: 's', rename: 'ss', renameat2: 'fsfsd', readlink: 'sBu',
  readlinkat: 'fsBu', getcwd: 'Bu', dup: 'f', dup2: 'ff', dup3: 'ffd', pipe: 'x', pipe2: 'xd',
  kill: 'dS', tkill: 'dS', tgkill: 'ddS', rt_sigaction: 'Sxxu', rt_sigprocmask: 'dxxu', ioctl: 'fxx',
  fcntl64: 'fdx', fcntl: 'fdx', lseek: 'fdw', _llseek: 'fddxw', wait4: 'dxdx', waitpid: 'dxd',
  clone: 'xxxxx', nanosleep: 'xx', getdents64: 'fxu', getdents: 'fxu', set_thread_area: 'x',
  set_tid_address: 'x', socketcall: 'dx', chmod: 'sm', fchmod: 'fm', fchmodat: 'fsm', chown32: 'sdd',
  lchown32: 'sdd', fchown32: 'fdd', symlink: 'ss', symlinkat: 'sfs', link: 'ss', uname: 'x',
  sethostname: 'su', set_robust_list: 'xu', prctl: 'dxxxx', getrandom: 'Bud', writev: 'fxd', readv: 'fxd', pread64: 'fBudd',
  pwrite64: 'fbudd', truncate64: 'sdd', ftruncate64: 'fdd', select: 'x', _newselect: 'dxxxx',
  poll: 'xud', futex: 'xdddxd', sigaltstack: 'xx', alarm: 'u', setpgid: 'dd', getpgid: 'd',
  umask: 'm', chroot: 's', mount: 'sssux', umount2: 'sd', setuid32: 'd', setgid32: 'd',
  // the socket calls, direct or through socketcall (shown as the call it multiplexes, as strace does)
  socket: 'ZTd', socketpair: 'ZTdx', bind: 'fAu', connect: 'fAu', listen: 'fd', accept: 'fxx', accept4: 'fxxd',
  getsockname: 'fxx', getpeername: 'fxx', send: 'fbud', recv: 'fBud', sendto: 'fbudAu', recvfrom: 'fBudxx',
  shutdown: 'fd', setsockopt: 'fddxu', getsockopt: 'fddxx', sendmsg: 'fxd', recvmsg: 'fxd',
};
for (const name of ['getuid32', 'getgid32', 'geteuid32', 'getegid32', 'getuid', 'getgid', 'geteuid', 'getegid',
  'getpid', 'getppid', 'gettid', 'getpgrp', 'setsid', 'fork', 'vfork', 'pause', 'sync', 'sched_yield', 'munlockall',
  'inotify_init', 'restart_syscall', 'sgetmask', 'vhangup']) ARGS[name] = '';
const HEX_RESULT = new Set(['brk', 'mmap2', 'mmap', 'mremap', 'shmat']);
const NO_RETURN = new Set(['exit', 'exit_group']);

const OPEN_FLAGS: [number, string][] = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'], [0o4010000, 'O_SYNC'], [0o10000, 'O_DSYNC'], [0o40000, 'O_DIRECT'], [0o100000, 'O_LARGEFILE'],
  [0o200000, 'O_DIRECTORY'], [0o400000, 'O_NOFOLLOW'], [0o1000000, 'O_NOATIME'], [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
];
const MAP_FLAGS: [number, string][] = [
  [0x1, 'MAP_SHARED'], [0x2, 'MAP_PRIVATE'], [0x10, 'MAP_FIXED'], [0x20, 'MAP_ANONYMOUS'], [0x100, 'MAP_GROWSDOWN'],
  [0x800, 'MAP_DENYWRITE'], [0x1000, 'MAP_EXECUTABLE'], [0x2000, 'MAP_LOCKED'], [0x4000, 'MAP_NORESERVE'],
  [0x8000, 'MAP_POPULATE'], [0x10000, 'MAP_NONBLOCK'], [0x20000, 'MAP_STACK'], [0x100000, 'MAP_FIXED_NOREPLACE'],
];
const PROT_FLAGS: [number, string][] = [[1, 'PROT_READ'], [2, 'PROT_WRITE'], [4, 'PROT_EXEC']];
const SIGNALS = ['0', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL',
  'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP',
  'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO',
  'SIGPWR', 'SIGSYS'];
const WHENCE = ['SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SEEK_DATA', 'SEEK_HOLE'];
const FAMILIES: Record<number, string> = { 0: 'AF_UNSPEC', 1: 'AF_UNIX', 2: 'AF_INET', 10: 'AF_INET6', 16: 'AF_NETLINK', 17: 'AF_PACKET' };
const SOCK_TYPES = ['0', 'SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET', 'SOCK_DCCP'];

function sockType(v: number): string {
  const out = [SOCK_TYPES[v & 0xf] ?? String(v & 0xf)];
  if (v & 0o2000000) out.push('SOCK_CLOEXEC');
  if (v & 0o4000) out.push('SOCK_NONBLOCK');
  return out.join('|');
}

/** A struct sockaddr as strace shows it: the family, and the port and address of an IPv4 or IPv6 one, or a Unix path. */
function sockaddr(p: Proc, addr: number, len: number): string {
  if (!addr) return 'NULL';
  try {
    const b = p.mem.readBytes(addr >>> 0, Math.min(len >>> 0, 128));
    if (b.length < 2) return ptr(addr);
    const fam = b[0]! | (b[1]! << 8);
    const family = `sa_family=${FAMILIES[fam] ?? fam}`;
    const port = b.length >= 4 ? `sin_port=htons(${(b[2]! << 8) | b[3]!})` : '';
    if (fam === 2 && b.length >= 8) return `{${family}, ${port}, sin_addr=inet_addr("${b.subarray(4, 8).join('.')}")}`;
    if (fam === 10 && b.length >= 24) {
      const groups = Array.from({ length: 8 }, (_, i) => ((b[8 + 2 * i]! << 8) | b[9 + 2 * i]!).toString(16));
      return `{${family}, ${port.replace('sin_', 'sin6_')}, sin6_addr=inet_pton(AF_INET6, "${groups.join(':')}")}`;
    }
    if (fam === 1) {
      const path = b.subarray(2);
      const end = path.indexOf(0);
      return `{${family}, sun_path=${quote(end < 0 ? path : path.subarray(0, end), false)}}`;
    }
    return `{${family}, ...}`;
  } catch {
    return ptr(addr);
  }
}

function flags(v: number, table: [number, string][], zero: string): string {
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) if ((rest & bit) === bit) { out.push(name); rest &= ~bit; }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out.length ? out.join('|') : zero;
}

function openFlags(v: number): string {
  const mode = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][v & 3]!;
  const rest = flags(v & ~3, OPEN_FLAGS, '');
  return rest ? `${mode}|${rest}` : mode;
}

/** A C string literal of at most 32 bytes, as strace quotes them ("..." after when cut). */
function quote(bytes: Uint8Array, cut: boolean): string {
  let s = '"';
  for (const b of bytes.subarray(0, 32)) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b === 0x0a) s += '\\n';
    else if (b === 0x09) s += '\\t';
    else if (b === 0x0d) s += '\\r';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${b.toString(8)}`;
  }
  return `${s}"${cut || bytes.length > 32 ? '...' : ''}`;
}

function buffer(p: Proc, addr: number, len: number): string {
  if (len <= 0) return '""';
  try {
    return quote(p.mem.readBytes(addr >>> 0, Math.min(len, 33)), len > 32);
  } catch {
    return `0x${(addr >>> 0).toString(16)}`;
  }
}

function cstring(p: Proc, addr: number): string {
  if (!addr) return 'NULL';
  try {
    const s = p.mem.readCString(addr >>> 0, 33);
    return quote(s, s.length > 32);
  } catch {
    return `0x${(addr >>> 0).toString(16)}`;
  }
}

function vector(p: Proc, addr: number, env: boolean): string {
  if (!addr) return 'NULL';
  try {
    const items: number[] = [];
    for (let a = addr >>> 0; items.length < 4096; a += 4) {
      const v = p.mem.read32(a);
      if (!v) break;
      items.push(v);
    }
    if (env) return `0x${(addr >>> 0).toString(16)} /* ${items.length} vars */`;
    return `[${items.map((s) => cstring(p, s)).join(', ')}]`;
  } catch {
    return `0x${(addr >>> 0).toString(16)}`;
  }
}

const ptr = (v: number) => (v ? `0x${(v >>> 0).toString(16)}` : 'NULL');

/** The call's arguments as strace shows them (ret: the result, for buffers filled by the call). */
function args(p: Proc, name: string, a: Int32Array, ret: number): string {
  const kinds = ARGS[name];
  if (kinds === undefined) return Array.from(a.subarray(0, 6), (v) => `0x${(v >>> 0).toString(16)}`).join(', ');
  const out: string[] = [];
  for (let k = 0; k < kinds.length; k++) {
    const v = a[k]!;
    switch (kinds[k]) {
      case 'd': out.push(String(v)); break;
      case 'u': out.push(String(v >>> 0)); break;
      case 'x': out.push(ptr(v)); break;
      case 's': out.push(cstring(p, v)); break;
      case 'b': out.push(buffer(p, v, a[k + 1]! >>> 0)); break;
      case 'B': out.push(ret >= 0 ? buffer(p, v, ret) : ptr(v)); break;
      case 'o': out.push(openFlags(v)); break;
      case 'm':
        // after open flags: only with O_CREAT or O_TMPFILE, as strace shows it
        if (kinds[k - 1] === 'o' && !(a[k - 1]! & 0o20000100)) break;
        out.push(`0${(v >>> 0).toString(8)}`);
        break;
      case 'f': out.push(v === AT_FDCWD ? 'AT_FDCWD' : String(v)); break;
      case 'p': out.push(flags(v, PROT_FLAGS, 'PROT_NONE')); break;
      case 'M': out.push(flags(v, MAP_FLAGS, '0')); break;
      case 'v': out.push(vector(p, v, false)); break;
      case 'e': out.push(vector(p, v, true)); break;
      case 'S': out.push(SIGNALS[v] ?? String(v)); break;
      case 'w': out.push(WHENCE[v] ?? String(v)); break;
      case 'Z': out.push(FAMILIES[v] ?? String(v)); break;
      case 'T': out.push(sockType(v)); break;
      case 'A': out.push(sockaddr(p, v, a[k + 1]!)); break;
    }
  }
  return out.join(', ');
}

/** The kernel's restart codes as strace names them (the program never sees them: the call restarts or is EINTR). */
const RESTART: Record<number, string> = {
  [ERESTART.SYS]: 'ERESTARTSYS (To be restarted if SA_RESTART is set)',
  [ERESTART.NOINTR]: 'ERESTARTNOINTR (To be restarted)',
  [ERESTART.NOHAND]: 'ERESTARTNOHAND (To be restarted if no handler)',
  [ERESTART.RESTARTBLOCK]: 'ERESTART_RESTARTBLOCK (Interrupted by signal)',
};

/** A call as strace shows it: the call with its arguments, and the result (undefined: not returned). */
export function straceCall(p: Proc, name: string, a: Int32Array, ret: number | undefined): [string, string] {
  if (name === 'socketcall') {
    // the call it multiplexes, with that call's arguments from the array it points to
    const sub = SOCKETCALLS[a[0]!];
    try {
      if (sub) {
        const v = p.mem.readBytes(a[1]! >>> 0, 4 * sub[1]);
        [name, a] = [sub[0], new Int32Array(v.slice().buffer, 0, sub[1])];
      }
    } catch {
      // an unreadable array: shown as socketcall's own two arguments
    }
  }
  const call = `${name}(${args(p, name, a, ret ?? -1)})`;
  let result: string;
  if (ret === undefined || NO_RETURN.has(name)) result = '?';
  else if (RESTART[-ret]) result = `? ${RESTART[-ret]}`;
  else if (ret < 0 && ret > -4096) result = `-1 ${errnoName(-ret)} (${strerror(-ret)})`;
  else result = HEX_RESULT.has(name) ? `0x${(ret >>> 0).toString(16)}` : String(ret);
  return [call, result];
}

/** One line as strace writes it: prefix and call padded to 40 columns, then = and the result. */
export function straceLine(prefix: string, [call, result]: [string, string]): string {
  return `${`${prefix}${call}`.padEnd(39)} = ${result}`;
}
