// Linux's constants by name, as strace prints them for an i386 program:
// flag sets in strace's order (some are not in numeric order: a flag that
// contains another comes first), enumerations, and the two ways of showing
// what a table lacks (a leftover of flags in hex; an unknown value as
// `0x7 /* SEEK_??? */`). Only data and the two printers: strace.ts says which
// argument of which call is which set.

/** [value, name] in the order strace prints them. */
export type Xlat = ReadonlyArray<readonly [number, string]>;

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/**
 * Flags as strace prints them: the names of the table's flags that are set
 * (in table order, a flag taking its bits), then what is left in hex;
 * `zero` when nothing is set.
 */
export function flagStr(v: number, t: Xlat, zero = '0', unknown = prefixOf(t)): string {
  let rest = v >>> 0;
  if (rest === 0) return zero;
  const out: string[] = [];
  for (const [bit, name] of t) {
    if (bit !== 0 && (rest & bit) >>> 0 === bit >>> 0) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  // with no flag of the table set strace says which table it was (not for termios's)
  if (rest) out.push(out.length || !unknown ? hex(rest) : `${hex(rest)} /* ${unknown}??? */`);
  return out.join('|');
}

/** A value by name, or in hex with the comment `PREFIX_???` strace adds (the prefix from the table's first name). */
export function enumStr(v: number, t: Xlat, unknown?: string): string {
  for (const [n, name] of t) if (n === v) return name;
  return `${hex(v)} /* ${unknown ?? prefixOf(t)}??? */`;
}

/** A table's prefix for unknown values: its first name up to the first `_` after the leading ones. */
function prefixOf(t: Xlat): string {
  const name = t[0]?.[1] ?? '';
  const m = /^_*[A-Z0-9]+_/.exec(name);
  return m ? m[0] : '';
}

const names = (prefix: string, list: string[], from = 0): Xlat => list.map((n, i) => [from + i, `${prefix}${n}`] as const);
const bits = (prefix: string, list: Array<[number, string]>): Xlat => list.map(([v, n]) => [v, `${prefix}${n}`] as const);

// ---- signals

/** Signal names 1..31 (arch/x86/include/uapi/asm/signal.h); 32 is SIGRTMIN, 33..64 SIGRT_1..SIGRT_32 as strace names them. */
const SIGNAL_NAMES = ['HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE',
  'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF',
  'WINCH', 'IO', 'PWR', 'SYS'];

/** A signal's name without `SIG`, or undefined past 64. */
export function sigAbbrev(n: number): string | undefined {
  if (n >= 1 && n <= 31) return SIGNAL_NAMES[n - 1];
  if (n === 32) return 'RTMIN';
  if (n > 32 && n <= 64) return `RT_${n - 32}`;
  return undefined;
}

/** A signal as an argument: SIGTERM, 0, or the number. */
export function signalName(n: number): string {
  const a = sigAbbrev(n);
  return a ? `SIG${a}` : String(n);
}

export const SA_FLAGS: Xlat = bits('SA_', [[0x04000000, 'RESTORER'], [0x08000000, 'ONSTACK'], [0x10000000, 'RESTART'],
  [0x20000000, 'INTERRUPT'], [0x40000000, 'NODEFER'], [0x80000000, 'RESETHAND'], [4, 'SIGINFO'], [1, 'NOCLDSTOP'], [2, 'NOCLDWAIT']]);
export const SA_RESTORER = 0x04000000;
export const SIG_HOW = names('SIG_', ['BLOCK', 'UNBLOCK', 'SETMASK']);
export const SS_FLAGS = bits('SS_', [[1, 'ONSTACK'], [2, 'DISABLE'], [0x80000000, 'AUTODISARM']]);

/** si_code values every signal may have (include/uapi/asm-generic/siginfo.h). */
export const SI_CODES: Xlat = [[0, 'SI_USER'], [0x80, 'SI_KERNEL'], [-1, 'SI_QUEUE'], [-2, 'SI_TIMER'], [-3, 'SI_MESGQ'],
  [-4, 'SI_ASYNCIO'], [-5, 'SI_SIGIO'], [-6, 'SI_TKILL'], [-7, 'SI_DETHREAD'], [-60, 'SI_ASYNCNL']];
/** si_code values of one signal, by signal number. */
export const SI_CODES_BY_SIGNAL: Record<number, Xlat> = {
  4: names('ILL_', ['ILLOPC', 'ILLOPN', 'ILLADR', 'ILLTRP', 'PRVOPC', 'PRVREG', 'COPROC', 'BADSTK', 'BADIADDR'], 1),
  8: names('FPE_', ['INTDIV', 'INTOVF', 'FLTDIV', 'FLTOVF', 'FLTUND', 'FLTRES', 'FLTINV', 'FLTSUB', 'FLTUNK', 'CONDTRAP'], 1),
  11: names('SEGV_', ['MAPERR', 'ACCERR', 'BNDERR', 'PKUERR', 'ACCADI', 'ADIDERR', 'ADIPERR', 'MTEAERR', 'MTESERR'], 1),
  7: names('BUS_', ['ADRALN', 'ADRERR', 'OBJERR', 'MCEERR_AR', 'MCEERR_AO'], 1),
  5: names('TRAP_', ['BRKPT', 'TRACE', 'BRANCH', 'HWBKPT', 'UNK', 'PERF'], 1),
  17: names('CLD_', ['EXITED', 'KILLED', 'DUMPED', 'TRAPPED', 'STOPPED', 'CONTINUED'], 1),
  29: names('POLL_', ['IN', 'OUT', 'MSG', 'ERR', 'PRI', 'HUP'], 1),
  31: names('SYS_', ['SECCOMP', 'USER_DISPATCH'], 1),
};

// ---- files

/** open(2) flags past the access mode (asm-generic/fcntl.h), in strace's order; O_TMPFILE is printed for __O_TMPFILE. */
export const OPEN_FLAGS: Xlat = bits('O_', [[0o100, 'CREAT'], [0o200, 'EXCL'], [0o400, 'NOCTTY'], [0o1000, 'TRUNC'],
  [0o2000, 'APPEND'], [0o4000, 'NONBLOCK'], [0o4010000, 'SYNC'], [0o10000, 'DSYNC'], [0o40000, 'DIRECT'],
  [0o100000, 'LARGEFILE'], [0o400000, 'NOFOLLOW'], [0o1000000, 'NOATIME'], [0o2000000, 'CLOEXEC'], [0o10000000, 'PATH'],
  [0o20000000, 'TMPFILE'], [0o200000, 'DIRECTORY']]).concat([[0o20000, 'FASYNC']]);
export const O_CREAT = 0o100, O_TMPFILE_BIT = 0o20000000, O_DIRECTORY = 0o200000;
export const ACCESS_MODES = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'];

export const AT_FLAGS: Xlat = bits('AT_', [[0x100, 'SYMLINK_NOFOLLOW'], [0x200, 'REMOVEDIR'], [0x400, 'SYMLINK_FOLLOW'],
  [0x800, 'NO_AUTOMOUNT'], [0x1000, 'EMPTY_PATH'], [0x8000, 'RECURSIVE']]);
export const AT_EACCESS: Xlat = [[0x200, 'AT_EACCESS'], [0x100, 'AT_SYMLINK_NOFOLLOW'], [0x1000, 'AT_EMPTY_PATH']];
/** statx's synchronisation field (AT_STATX_SYNC_TYPE). */
export const AT_STATX_SYNC_TYPE = 0x6000;
export const AT_STATX_SYNC: Xlat = [[0x2000, 'AT_STATX_FORCE_SYNC'], [0x4000, 'AT_STATX_DONT_SYNC']];
export const STATX_MASKS: Xlat = bits('STATX_', [[0xfff, 'ALL'], [0x7ff, 'BASIC_STATS'], [1, 'TYPE'], [2, 'MODE'], [4, 'NLINK'],
  [8, 'UID'], [0x10, 'GID'], [0x20, 'ATIME'], [0x40, 'MTIME'], [0x80, 'CTIME'], [0x100, 'INO'], [0x200, 'SIZE'],
  [0x400, 'BLOCKS'], [0x800, 'BTIME'], [0x1000, 'MNT_ID'], [0x2000, 'DIOALIGN']]);
export const STATX_ATTRS: Xlat = bits('STATX_ATTR_', [[0x4, 'COMPRESSED'], [0x10, 'IMMUTABLE'], [0x20, 'APPEND'],
  [0x40, 'NODUMP'], [0x800, 'ENCRYPTED'], [0x1000, 'AUTOMOUNT'], [0x2000, 'MOUNT_ROOT'], [0x100000, 'VERITY'], [0x200000, 'DAX']]);
export const FILE_TYPES: Xlat = bits('S_IF', [[0o140000, 'SOCK'], [0o120000, 'LNK'], [0o100000, 'REG'], [0o060000, 'BLK'],
  [0o040000, 'DIR'], [0o020000, 'CHR'], [0o010000, 'IFO']]);
export const ACCESS_FLAGS: Xlat = [[4, 'R_OK'], [2, 'W_OK'], [1, 'X_OK']];
export const WHENCE = names('SEEK_', ['SET', 'CUR', 'END', 'DATA', 'HOLE']);
export const RENAME_FLAGS = bits('RENAME_', [[1, 'NOREPLACE'], [2, 'EXCHANGE'], [4, 'WHITEOUT']]);
export const FD_FLAGS: Xlat = [[1, 'FD_CLOEXEC']];
export const FCNTL_CMDS: Xlat = [[0, 'F_DUPFD'], [1, 'F_GETFD'], [2, 'F_SETFD'], [3, 'F_GETFL'], [4, 'F_SETFL'], [5, 'F_GETLK'],
  [6, 'F_SETLK'], [7, 'F_SETLKW'], [8, 'F_SETOWN'], [9, 'F_GETOWN'], [10, 'F_SETSIG'], [11, 'F_GETSIG'], [12, 'F_GETLK64'],
  [13, 'F_SETLK64'], [14, 'F_SETLKW64'], [15, 'F_SETOWN_EX'], [16, 'F_GETOWN_EX'], [17, 'F_GETOWNER_UIDS'],
  [36, 'F_OFD_GETLK'], [37, 'F_OFD_SETLK'], [38, 'F_OFD_SETLKW'], [1024, 'F_SETLEASE'], [1025, 'F_GETLEASE'],
  [1026, 'F_NOTIFY'], [1030, 'F_DUPFD_CLOEXEC'], [1031, 'F_SETPIPE_SZ'], [1032, 'F_GETPIPE_SZ'], [1033, 'F_ADD_SEALS'],
  [1034, 'F_GET_SEALS'], [1035, 'F_GET_RW_HINT'], [1036, 'F_SET_RW_HINT'], [1037, 'F_GET_FILE_RW_HINT'], [1038, 'F_SET_FILE_RW_HINT']];
export const LOCK_TYPES = names('F_', ['RDLCK', 'WRLCK', 'UNLCK']);
export const DN_FLAGS = bits('DN_', [[1, 'ACCESS'], [2, 'MODIFY'], [4, 'CREATE'], [8, 'DELETE'], [0x10, 'RENAME'], [0x20, 'ATTRIB'], [0x80000000, 'MULTISHOT']]);
export const SEALS = bits('F_SEAL_', [[1, 'SEAL'], [2, 'SHRINK'], [4, 'GROW'], [8, 'WRITE'], [0x10, 'FUTURE_WRITE']]);
export const FLOCK_OPS = bits('LOCK_', [[1, 'SH'], [2, 'EX'], [4, 'NB'], [8, 'UN'], [0x20, 'MAND'], [0xc0, 'RW'], [0x40, 'READ'], [0x80, 'WRITE']]);
export const FADVISE = names('POSIX_FADV_', ['NORMAL', 'RANDOM', 'SEQUENTIAL', 'WILLNEED', 'DONTNEED', 'NOREUSE']);
export const FALLOC_FLAGS = bits('FALLOC_FL_', [[1, 'KEEP_SIZE'], [2, 'PUNCH_HOLE'], [4, 'NO_HIDE_STALE'], [8, 'COLLAPSE_RANGE'],
  [0x10, 'ZERO_RANGE'], [0x20, 'INSERT_RANGE'], [0x40, 'UNSHARE_RANGE']]);
export const SPLICE_FLAGS = bits('SPLICE_F_', [[1, 'MOVE'], [2, 'NONBLOCK'], [4, 'MORE'], [8, 'GIFT']]);
export const SYNC_FILE_RANGE = bits('SYNC_FILE_RANGE_', [[1, 'WAIT_BEFORE'], [2, 'WRITE'], [4, 'WAIT_AFTER']]);
export const MOUNT_FLAGS = bits('MS_', [[1, 'RDONLY'], [2, 'NOSUID'], [4, 'NODEV'], [8, 'NOEXEC'], [0x10, 'SYNCHRONOUS'],
  [0x20, 'REMOUNT'], [0x40, 'MANDLOCK'], [0x80, 'DIRSYNC'], [0x100, 'NOSYMFOLLOW'], [0x400, 'NOATIME'], [0x800, 'NODIRATIME'],
  [0x1000, 'BIND'], [0x2000, 'MOVE'], [0x4000, 'REC'], [0x8000, 'SILENT'], [1 << 16, 'POSIXACL'], [1 << 17, 'UNBINDABLE'],
  [1 << 18, 'PRIVATE'], [1 << 19, 'SLAVE'], [1 << 20, 'SHARED'], [1 << 21, 'RELATIME'], [1 << 22, 'KERNMOUNT'],
  [1 << 23, 'I_VERSION'], [1 << 24, 'STRICTATIME'], [1 << 25, 'LAZYTIME'], [1 << 26, 'SUBMOUNT'], [1 << 27, 'NOREMOTELOCK'],
  [1 << 28, 'NOSEC'], [1 << 29, 'BORN'], [1 << 30, 'ACTIVE'], [0x80000000, 'NOUSER']]);
export const MS_MGC_VAL = 0xc0ed0000, MS_MGC_MSK = 0xffff0000;
export const UMOUNT_FLAGS: Xlat = [[1, 'MNT_FORCE'], [2, 'MNT_DETACH'], [4, 'MNT_EXPIRE'], [8, 'UMOUNT_NOFOLLOW']];
/** statfs f_type magic numbers of the file systems this kernel has. */
export const FS_MAGIC: Xlat = [[0xef53, 'EXT2_SUPER_MAGIC'], [0x01021994, 'TMPFS_MAGIC'], [0x9fa0, 'PROC_SUPER_MAGIC'],
  [0x62656572, 'SYSFS_MAGIC'], [0x858458f6, 'RAMFS_MAGIC'], [0x1cd1, 'DEVPTS_SUPER_MAGIC'], [0x64626720, 'DEBUGFS_MAGIC'],
  [0x27e0eb, 'CGROUP_SUPER_MAGIC'], [0x63677270, 'CGROUP2_SUPER_MAGIC'], [0x50495045, 'PIPEFS_MAGIC'], [0x534f434b, 'SOCKFS_MAGIC'],
  [0x42494e4d, 'BINFMTFS_MAGIC'], [0x73636673, 'SECURITYFS_MAGIC'], [0x4d44, 'MSDOS_SUPER_MAGIC'], [0x9660, 'ISOFS_SUPER_MAGIC'],
  [0x6969, 'NFS_SUPER_MAGIC'], [0x65735546, 'FUSE_SUPER_MAGIC'], [0x794c7630, 'OVERLAYFS_SUPER_MAGIC'], [0x73717368, 'SQUASHFS_MAGIC']];
export const ST_FLAGS = bits('ST_', [[1, 'RDONLY'], [2, 'NOSUID'], [4, 'NODEV'], [8, 'NOEXEC'], [0x10, 'SYNCHRONOUS'], [0x20, 'VALID'],
  [0x40, 'MANDLOCK'], [0x400, 'NOATIME'], [0x800, 'NODIRATIME'], [0x1000, 'RELATIME'], [0x2000, 'NOSYMFOLLOW']]);
export const UTIME_NOW = 0x3fffffff, UTIME_OMIT = 0x3ffffffe;

// ---- memory

export const PROT_FLAGS = bits('PROT_', [[1, 'READ'], [2, 'WRITE'], [4, 'EXEC'], [8, 'SEM'], [0x01000000, 'GROWSDOWN'], [0x02000000, 'GROWSUP']]);
export const MAP_TYPES = bits('MAP_', [[1, 'SHARED'], [2, 'PRIVATE'], [3, 'SHARED_VALIDATE']]);
export const MAP_FLAGS = bits('MAP_', [[0x10, 'FIXED'], [0x20, 'ANONYMOUS'], [0x40, '32BIT'], [0x4000, 'NORESERVE'],
  [0x8000, 'POPULATE'], [0x10000, 'NONBLOCK'], [0x100, 'GROWSDOWN'], [0x800, 'DENYWRITE'], [0x1000, 'EXECUTABLE'],
  [0x2000, 'LOCKED'], [0x20000, 'STACK'], [0x40000, 'HUGETLB'], [0x80000, 'SYNC'], [0x100000, 'FIXED_NOREPLACE']]);
export const MADVISE: Xlat = [...names('MADV_', ['NORMAL', 'RANDOM', 'SEQUENTIAL', 'WILLNEED', 'DONTNEED']), [8, 'MADV_FREE'],
  ...names('MADV_', ['REMOVE', 'DONTFORK', 'DOFORK', 'MERGEABLE', 'UNMERGEABLE', 'HUGEPAGE', 'NOHUGEPAGE', 'DONTDUMP', 'DODUMP',
    'WIPEONFORK', 'KEEPONFORK', 'COLD', 'PAGEOUT', 'POPULATE_READ', 'POPULATE_WRITE', 'DONTNEED_LOCKED', 'COLLAPSE'], 9),
  [100, 'MADV_HWPOISON'], [101, 'MADV_SOFT_OFFLINE']];
export const MSYNC_FLAGS = bits('MS_', [[4, 'SYNC'], [1, 'ASYNC'], [2, 'INVALIDATE']]);
export const MLOCKALL_FLAGS = bits('MCL_', [[1, 'CURRENT'], [2, 'FUTURE'], [4, 'ONFAULT']]);
export const MREMAP_FLAGS = bits('MREMAP_', [[1, 'MAYMOVE'], [2, 'FIXED'], [4, 'DONTUNMAP']]);
export const MFD_FLAGS = bits('MFD_', [[1, 'CLOEXEC'], [2, 'ALLOW_SEALING'], [4, 'HUGETLB']]);

// ---- processes

export const CLONE_FLAGS = bits('CLONE_', [[0x100, 'VM'], [0x200, 'FS'], [0x400, 'FILES'], [0x800, 'SIGHAND'], [0x1000, 'PIDFD'],
  [0x2000, 'PTRACE'], [0x4000, 'VFORK'], [0x8000, 'PARENT'], [0x10000, 'THREAD'], [0x20000, 'NEWNS'], [0x40000, 'SYSVSEM'],
  [0x80000, 'SETTLS'], [0x100000, 'PARENT_SETTID'], [0x200000, 'CHILD_CLEARTID'], [0x800000, 'UNTRACED'],
  [0x1000000, 'CHILD_SETTID'], [0x2000000, 'NEWCGROUP'], [0x4000000, 'NEWUTS'], [0x8000000, 'NEWIPC'], [0x10000000, 'NEWUSER'],
  [0x20000000, 'NEWPID'], [0x40000000, 'NEWNET'], [0x80000000, 'IO']]);
export const CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_SETTID = 0x1000000, CLONE_CHILD_CLEARTID = 0x200000,
  CLONE_SETTLS = 0x80000, CLONE_PIDFD = 0x1000;
/** wait options (WNOHANG, WSTOPPED...): strace names an unknown one W???. */
export const WAIT_OPTIONS: Xlat = [[1, 'WNOHANG'], [4, 'WEXITED'], [2, 'WSTOPPED'], [8, 'WCONTINUED'], [0x1000000, 'WNOWAIT'],
  [0x80000000, '__WCLONE'], [0x40000000, '__WALL'], [0x20000000, '__WNOTHREAD']];
export const WAITID_TYPES = names('P_', ['ALL', 'PID', 'PGID', 'PIDFD']);
export const PRCTL_OPTIONS: Xlat = [...names('PR_', ['SET_PDEATHSIG', 'GET_PDEATHSIG', 'GET_DUMPABLE', 'SET_DUMPABLE',
  'GET_UNALIGN', 'SET_UNALIGN', 'GET_KEEPCAPS', 'SET_KEEPCAPS', 'GET_FPEMU', 'SET_FPEMU', 'GET_FPEXC', 'SET_FPEXC',
  'GET_TIMING', 'SET_TIMING', 'SET_NAME', 'GET_NAME'], 1), ...names('PR_', ['GET_ENDIAN', 'SET_ENDIAN', 'GET_SECCOMP',
  'SET_SECCOMP', 'CAPBSET_READ', 'CAPBSET_DROP', 'GET_TSC', 'SET_TSC', 'GET_SECUREBITS', 'SET_SECUREBITS', 'SET_TIMERSLACK',
  'GET_TIMERSLACK', 'TASK_PERF_EVENTS_DISABLE', 'TASK_PERF_EVENTS_ENABLE', 'MCE_KILL', 'MCE_KILL_GET', 'SET_MM',
  'SET_CHILD_SUBREAPER', 'GET_CHILD_SUBREAPER', 'SET_NO_NEW_PRIVS', 'GET_NO_NEW_PRIVS', 'GET_TID_ADDRESS', 'SET_THP_DISABLE',
  'GET_THP_DISABLE', 'MPX_ENABLE_MANAGEMENT', 'MPX_DISABLE_MANAGEMENT', 'SET_FP_MODE', 'GET_FP_MODE', 'CAP_AMBIENT'], 19),
  ...names('PR_', ['SVE_SET_VL', 'SVE_GET_VL', 'GET_SPECULATION_CTRL', 'SET_SPECULATION_CTRL', 'PAC_RESET_KEYS',
    'SET_TAGGED_ADDR_CTRL', 'GET_TAGGED_ADDR_CTRL', 'SET_IO_FLUSHER', 'GET_IO_FLUSHER', 'SET_SYSCALL_USER_DISPATCH',
    'PAC_SET_ENABLED_KEYS', 'PAC_GET_ENABLED_KEYS', 'SCHED_CORE'], 50), [0x59616d61, 'PR_SET_PTRACER'], [0x53564d41, 'PR_SET_VMA']];
export const SUID_DUMP = names('SUID_DUMP_', ['DISABLE', 'USER', 'ROOT']);
export const RLIMITS = names('RLIMIT_', ['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS',
  'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME']);
export const RUSAGE_WHO: Xlat = [[0, 'RUSAGE_SELF'], [-1, 'RUSAGE_CHILDREN'], [1, 'RUSAGE_THREAD']];
export const PRIO_WHICH = names('PRIO_', ['PROCESS', 'PGRP', 'USER']);
export const SCHED_POLICIES = names('SCHED_', ['OTHER', 'FIFO', 'RR', 'BATCH', 'ISO', 'IDLE', 'DEADLINE']);
export const PERSONALITIES: Xlat = [[0, 'PER_LINUX'], [0x0800000, 'PER_LINUX32']];
export const FUTEX_OPS = names('FUTEX_', ['WAIT', 'WAKE', 'FD', 'REQUEUE', 'CMP_REQUEUE', 'WAKE_OP', 'LOCK_PI', 'UNLOCK_PI',
  'TRYLOCK_PI', 'WAIT_BITSET', 'WAKE_BITSET', 'WAIT_REQUEUE_PI', 'CMP_REQUEUE_PI', 'LOCK_PI2']);
export const FUTEX_PRIVATE = 128, FUTEX_CLOCK_REALTIME = 256;
export const GRND_FLAGS = bits('GRND_', [[1, 'NONBLOCK'], [2, 'RANDOM'], [4, 'INSECURE']]);

// ---- SysV IPC

export const IPC_FLAGS = bits('IPC_', [[0o1000, 'CREAT'], [0o2000, 'EXCL'], [0o4000, 'NOWAIT']]);
export const SHM_GET_FLAGS: Xlat = [...IPC_FLAGS, [0o4000, 'SHM_HUGETLB'], [0o10000, 'SHM_NORESERVE']];
export const SHMAT_FLAGS = bits('SHM_', [[0o10000, 'RDONLY'], [0o20000, 'RND'], [0o40000, 'REMAP'], [0o100000, 'EXEC']]);
export const MSG_RCV_FLAGS: Xlat = [...IPC_FLAGS, [0o10000, 'MSG_NOERROR'], [0o20000, 'MSG_EXCEPT'], [0o40000, 'MSG_COPY']];
export const SHM_CMDS: Xlat = [[0, 'IPC_RMID'], [1, 'IPC_SET'], [2, 'IPC_STAT'], [3, 'IPC_INFO'], [11, 'SHM_LOCK'],
  [12, 'SHM_UNLOCK'], [13, 'SHM_STAT'], [14, 'SHM_INFO'], [15, 'SHM_STAT_ANY']];
export const MSG_CMDS: Xlat = [[0, 'IPC_RMID'], [1, 'IPC_SET'], [2, 'IPC_STAT'], [3, 'IPC_INFO'], [11, 'MSG_STAT'],
  [12, 'MSG_INFO'], [13, 'MSG_STAT_ANY']];
export const SEM_CMDS: Xlat = [[0, 'IPC_RMID'], [1, 'IPC_SET'], [2, 'IPC_STAT'], [3, 'IPC_INFO'], [11, 'GETPID'],
  [12, 'GETVAL'], [13, 'GETALL'], [14, 'GETNCNT'], [15, 'GETZCNT'], [16, 'SETVAL'], [17, 'SETALL'], [18, 'SEM_STAT'],
  [19, 'SEM_INFO'], [20, 'SEM_STAT_ANY']];
/** The calls the ipc multiplexer (117) stands for, by its call number, with how their arguments come from ipc's. */
export const IPC_CALLS_BY_NUMBER: Record<number, string> = {
  1: 'semop', 2: 'semget', 3: 'semctl', 4: 'semtimedop', 11: 'msgsnd', 12: 'msgrcv', 13: 'msgget', 14: 'msgctl',
  21: 'shmat', 22: 'shmdt', 23: 'shmget', 24: 'shmctl',
};

// ---- time

export const CLOCKS = names('CLOCK_', ['REALTIME', 'MONOTONIC', 'PROCESS_CPUTIME_ID', 'THREAD_CPUTIME_ID', 'MONOTONIC_RAW',
  'REALTIME_COARSE', 'MONOTONIC_COARSE', 'BOOTTIME', 'REALTIME_ALARM', 'BOOTTIME_ALARM', 'SGI_CYCLE', 'TAI']);
export const TIMER_FLAGS: Xlat = [[1, 'TIMER_ABSTIME']];
export const ITIMERS = names('ITIMER_', ['REAL', 'VIRTUAL', 'PROF']);
export const TFD_FLAGS = bits('TFD_', [[1, 'TIMER_ABSTIME'], [2, 'TIMER_CANCEL_ON_SET'], [0o2000000, 'CLOEXEC'], [0o4000, 'NONBLOCK']]);

// ---- descriptors

export const EFD_FLAGS = bits('EFD_', [[1, 'SEMAPHORE'], [0o2000000, 'CLOEXEC'], [0o4000, 'NONBLOCK']]);
export const SFD_FLAGS = bits('SFD_', [[0o2000000, 'CLOEXEC'], [0o4000, 'NONBLOCK']]);
export const IN_INIT_FLAGS = bits('IN_', [[0o4000, 'NONBLOCK'], [0o2000000, 'CLOEXEC']]);
export const EPOLL_CLOEXEC: Xlat = [[0o2000000, 'EPOLL_CLOEXEC']];
export const EPOLL_CTL = names('EPOLL_CTL_', ['ADD', 'DEL', 'MOD'], 1);
export const POLL_EVENTS = bits('POLL', [[1, 'IN'], [2, 'PRI'], [4, 'OUT'], [8, 'ERR'], [0x10, 'HUP'], [0x20, 'NVAL'],
  [0x40, 'RDNORM'], [0x80, 'RDBAND'], [0x100, 'WRNORM'], [0x200, 'WRBAND'], [0x400, 'MSG'], [0x2000, 'RDHUP']]);
export const EPOLL_EVENTS: Xlat = [...POLL_EVENTS.map(([v, n]) => [v, `E${n}`] as const), [1 << 28, 'EPOLLEXCLUSIVE'],
  [1 << 29, 'EPOLLWAKEUP'], [1 << 30, 'EPOLLONESHOT'], [0x80000000, 'EPOLLET']];

// ---- sockets

export const FAMILIES: Xlat = [...names('AF_', ['UNSPEC', 'UNIX', 'INET', 'AX25', 'IPX', 'APPLETALK', 'NETROM', 'BRIDGE',
  'ATMPVC', 'X25', 'INET6', 'ROSE', 'DECnet', 'NETBEUI', 'SECURITY', 'KEY', 'NETLINK', 'PACKET', 'ASH', 'ECONET', 'ATMSVC',
  'RDS', 'SNA', 'IRDA', 'PPPOX', 'WANPIPE', 'LLC', 'IB', 'MPLS', 'CAN', 'TIPC', 'BLUETOOTH', 'IUCV', 'RXRPC', 'ISDN',
  'PHONET', 'IEEE802154', 'CAIF', 'ALG', 'NFC', 'VSOCK', 'KCM', 'QIPCRTR', 'SMC', 'XDP', 'MCTP'])];
export const SOCK_TYPES: Xlat = [[1, 'SOCK_STREAM'], [2, 'SOCK_DGRAM'], [3, 'SOCK_RAW'], [4, 'SOCK_RDM'],
  [5, 'SOCK_SEQPACKET'], [6, 'SOCK_DCCP'], [10, 'SOCK_PACKET']];
export const SOCK_FLAGS: Xlat = [[0o2000000, 'SOCK_CLOEXEC'], [0o4000, 'SOCK_NONBLOCK']];
export const IP_PROTOS: Xlat = [[0, 'IPPROTO_IP'], [1, 'IPPROTO_ICMP'], [2, 'IPPROTO_IGMP'], [4, 'IPPROTO_IPIP'],
  [6, 'IPPROTO_TCP'], [8, 'IPPROTO_EGP'], [12, 'IPPROTO_PUP'], [17, 'IPPROTO_UDP'], [22, 'IPPROTO_IDP'], [29, 'IPPROTO_TP'],
  [33, 'IPPROTO_DCCP'], [41, 'IPPROTO_IPV6'], [46, 'IPPROTO_RSVP'], [47, 'IPPROTO_GRE'], [50, 'IPPROTO_ESP'],
  [51, 'IPPROTO_AH'], [58, 'IPPROTO_ICMPV6'], [92, 'IPPROTO_MTP'], [94, 'IPPROTO_BEETPH'], [98, 'IPPROTO_ENCAP'],
  [103, 'IPPROTO_PIM'], [108, 'IPPROTO_COMP'], [115, 'IPPROTO_L2TP'], [132, 'IPPROTO_SCTP'], [136, 'IPPROTO_UDPLITE'],
  [137, 'IPPROTO_MPLS'], [143, 'IPPROTO_ETHERNET'], [255, 'IPPROTO_RAW'], [262, 'IPPROTO_MPTCP']];
export const NETLINK_PROTOS = names('NETLINK_', ['ROUTE', 'UNUSED', 'USERSOCK', 'FIREWALL', 'SOCK_DIAG', 'NFLOG', 'XFRM',
  'SELINUX', 'ISCSI', 'AUDIT', 'FIB_LOOKUP', 'CONNECTOR', 'NETFILTER', 'IP6_FW', 'DNRTMSG', 'KOBJECT_UEVENT', 'GENERIC',
  'DM', 'SCSITRANSPORT', 'ECRYPTFS', 'RDMA', 'CRYPTO', 'SMC']);
export const ETH_PROTOS: Xlat = [[3, 'ETH_P_ALL'], [0x800, 'ETH_P_IP'], [0x806, 'ETH_P_ARP'], [0x86dd, 'ETH_P_IPV6'], [0x8100, 'ETH_P_8021Q']];
export const MSG_FLAGS = bits('MSG_', [[1, 'OOB'], [2, 'PEEK'], [4, 'DONTROUTE'], [8, 'CTRUNC'], [0x10, 'PROBE'],
  [0x20, 'TRUNC'], [0x40, 'DONTWAIT'], [0x80, 'EOR'], [0x100, 'WAITALL'], [0x200, 'FIN'], [0x400, 'SYN'], [0x800, 'CONFIRM'],
  [0x1000, 'RST'], [0x2000, 'ERRQUEUE'], [0x4000, 'NOSIGNAL'], [0x8000, 'MORE'], [0x10000, 'WAITFORONE'],
  [0x20000, 'SENDPAGE_NOTLAST'], [0x40000, 'BATCH'], [0x80000, 'NO_SHARED_FRAGS'], [0x4000000, 'ZEROCOPY'],
  [0x20000000, 'FASTOPEN'], [0x40000000, 'CMSG_CLOEXEC'], [0x80000000, 'CMSG_COMPAT']]);
export const SHUT_HOW = names('SHUT_', ['RD', 'WR', 'RDWR']);
export const SOL_LEVELS: Xlat = [[0, 'SOL_IP'], [1, 'SOL_SOCKET'], [6, 'SOL_TCP'], [17, 'SOL_UDP'], [41, 'SOL_IPV6'],
  [58, 'SOL_ICMPV6'], [132, 'SOL_SCTP'], [136, 'SOL_UDPLITE'], [255, 'SOL_RAW'], [263, 'SOL_PACKET'], [270, 'SOL_NETLINK'],
  [274, 'SOL_ALG'], [281, 'SOL_TLS']];
/** Option names by level. */
export const SOCKOPTS: Record<number, Xlat> = {
  1: names('SO_', ['DEBUG', 'REUSEADDR', 'TYPE', 'ERROR', 'DONTROUTE', 'BROADCAST', 'SNDBUF', 'RCVBUF', 'KEEPALIVE',
    'OOBINLINE', 'NO_CHECK', 'PRIORITY', 'LINGER', 'BSDCOMPAT', 'REUSEPORT', 'PASSCRED', 'PEERCRED', 'RCVLOWAT', 'SNDLOWAT',
    'RCVTIMEO_OLD', 'SNDTIMEO_OLD', 'SECURITY_AUTHENTICATION', 'SECURITY_ENCRYPTION_TRANSPORT', 'SECURITY_ENCRYPTION_NETWORK',
    'BINDTODEVICE', 'ATTACH_FILTER', 'DETACH_FILTER', 'PEERNAME', 'TIMESTAMP_OLD', 'ACCEPTCONN', 'PEERSEC', 'SNDBUFFORCE',
    'RCVBUFFORCE', 'PASSSEC', 'TIMESTAMPNS_OLD', 'MARK', 'TIMESTAMPING_OLD', 'PROTOCOL', 'DOMAIN', 'RXQ_OVFL', 'WIFI_STATUS',
    'PEEK_OFF', 'NOFCS', 'LOCK_FILTER', 'SELECT_ERR_QUEUE', 'BUSY_POLL', 'MAX_PACING_RATE', 'BPF_EXTENSIONS', 'INCOMING_CPU',
    'ATTACH_BPF', 'ATTACH_REUSEPORT_CBPF', 'ATTACH_REUSEPORT_EBPF', 'CNX_ADVICE', 'SCM_TIMESTAMPING_OPT_STATS', 'MEMINFO',
    'INCOMING_NAPI_ID', 'COOKIE', 'SCM_TIMESTAMPING_PKTINFO', 'PEERGROUPS', 'ZEROCOPY', 'TXTIME', 'BINDTOIFINDEX',
    'TIMESTAMP_NEW', 'TIMESTAMPNS_NEW', 'TIMESTAMPING_NEW', 'RCVTIMEO_NEW', 'SNDTIMEO_NEW'], 1),
  0: [[1, 'IP_TOS'], [2, 'IP_TTL'], [3, 'IP_HDRINCL'], [4, 'IP_OPTIONS'], [6, 'IP_RECVOPTS'], [7, 'IP_RETOPTS'],
    [8, 'IP_PKTINFO'], [9, 'IP_PKTOPTIONS'], [10, 'IP_MTU_DISCOVER'], [11, 'IP_RECVERR'], [12, 'IP_RECVTTL'], [13, 'IP_RECVTOS'],
    [14, 'IP_MTU'], [15, 'IP_FREEBIND'], [19, 'IP_TRANSPARENT'], [32, 'IP_MULTICAST_IF'], [33, 'IP_MULTICAST_TTL'],
    [34, 'IP_MULTICAST_LOOP'], [35, 'IP_ADD_MEMBERSHIP'], [36, 'IP_DROP_MEMBERSHIP']],
  6: names('TCP_', ['NODELAY', 'MAXSEG', 'CORK', 'KEEPIDLE', 'KEEPINTVL', 'KEEPCNT', 'SYNCNT', 'LINGER2', 'DEFER_ACCEPT',
    'WINDOW_CLAMP', 'INFO', 'QUICKACK', 'CONGESTION', 'MD5SIG', 'COOKIE_TRANSACTIONS', 'THIN_LINEAR_TIMEOUTS', 'THIN_DUPACK',
    'USER_TIMEOUT', 'REPAIR', 'REPAIR_QUEUE', 'QUEUE_SEQ', 'REPAIR_OPTIONS', 'FASTOPEN'], 1),
  17: [[1, 'UDP_CORK'], [100, 'UDP_ENCAP'], [101, 'UDP_NO_CHECK6_TX'], [102, 'UDP_NO_CHECK6_RX'], [103, 'UDP_SEGMENT'], [104, 'UDP_GRO']],
  41: [...names('IPV6_', ['ADDRFORM', '2292PKTINFO', '2292HOPOPTS', '2292DSTOPTS', '2292RTHDR', '2292PKTOPTIONS', 'CHECKSUM',
    '2292HOPLIMIT', 'NEXTHOP', 'AUTHHDR', 'FLOWINFO'], 1),
  ...names('IPV6_', ['UNICAST_HOPS', 'MULTICAST_IF', 'MULTICAST_HOPS', 'MULTICAST_LOOP', 'ADD_MEMBERSHIP', 'DROP_MEMBERSHIP',
    'ROUTER_ALERT', 'MTU_DISCOVER', 'MTU', 'RECVERR', 'V6ONLY'], 16), [49, 'IPV6_RECVPKTINFO'], [50, 'IPV6_PKTINFO'],
  [51, 'IPV6_RECVHOPLIMIT'], [52, 'IPV6_HOPLIMIT'], [66, 'IPV6_RECVTCLASS'], [67, 'IPV6_TCLASS']],
};
/** The prefix of an unknown option name by level. */
export const SOCKOPT_PREFIX: Record<number, string> = { 0: 'IP_', 1: 'SO_', 6: 'TCP_', 17: 'UDP_', 41: 'IPV6_' };
export const SCM_TYPES: Xlat = [[1, 'SCM_RIGHTS'], [2, 'SCM_CREDENTIALS'], [3, 'SCM_SECURITY']];

// ---- terminals (ioctl)

export const TC_IFLAGS = bits('', [[1, 'IGNBRK'], [2, 'BRKINT'], [4, 'IGNPAR'], [8, 'PARMRK'], [0x10, 'INPCK'],
  [0x20, 'ISTRIP'], [0x40, 'INLCR'], [0x80, 'IGNCR'], [0x100, 'ICRNL'], [0x200, 'IUCLC'], [0x400, 'IXON'], [0x800, 'IXANY'],
  [0x1000, 'IXOFF'], [0x2000, 'IMAXBEL'], [0x4000, 'IUTF8']]);
export const TC_OFLAGS = bits('', [[1, 'OPOST'], [2, 'OLCUC'], [4, 'ONLCR'], [8, 'OCRNL'], [0x10, 'ONOCR'], [0x20, 'ONLRET'],
  [0x40, 'OFILL'], [0x80, 'OFDEL']]);
/** c_oflag's delay fields: [mask, names by value]. */
export const TC_ODELAYS: ReadonlyArray<readonly [number, Xlat]> = [
  [0x100, [[0, 'NL0'], [0x100, 'NL1']]], [0x600, [[0, 'CR0'], [0x200, 'CR1'], [0x400, 'CR2'], [0x600, 'CR3']]],
  [0x1800, [[0, 'TAB0'], [0x800, 'TAB1'], [0x1000, 'TAB2'], [0x1800, 'XTABS']]], [0x2000, [[0, 'BS0'], [0x2000, 'BS1']]],
  [0x4000, [[0, 'VT0'], [0x4000, 'VT1']]], [0x8000, [[0, 'FF0'], [0x8000, 'FF1']]],
];
export const TC_CFLAGS = bits('', [[0x40, 'CSTOPB'], [0x80, 'CREAD'], [0x100, 'PARENB'], [0x200, 'PARODD'], [0x400, 'HUPCL'],
  [0x800, 'CLOCAL'], [0x40000000, 'CMSPAR'], [0x80000000, 'CRTSCTS']]);
export const TC_LFLAGS = bits('', [[1, 'ISIG'], [2, 'ICANON'], [4, 'XCASE'], [8, 'ECHO'], [0x10, 'ECHOE'], [0x20, 'ECHOK'],
  [0x40, 'ECHONL'], [0x80, 'NOFLSH'], [0x8000, 'IEXTEN'], [0x200, 'ECHOCTL'], [0x400, 'ECHOPRT'], [0x800, 'ECHOKE'],
  [0x1000, 'FLUSHO'], [0x4000, 'PENDIN'], [0x100, 'TOSTOP'], [0x10000, 'EXTPROC']]);
export const BAUD_RATES: Xlat = [...names('B', ['0', '50', '75', '110', '134', '150', '200', '300', '600', '1200', '1800',
  '2400', '4800', '9600', '19200', '38400']),
  [0x1000, 'BOTHER'], ...['57600', '115200', '230400', '460800', '500000', '576000', '921600', '1000000', '1152000', '1500000',
    '2000000', '2500000', '3000000', '3500000', '4000000'].map((n, i) => [0x1001 + i, `B${n}`] as const)];
export const CSIZES = ['CS5', 'CS6', 'CS7', 'CS8'];

/**
 * ioctl requests by number, as strace names them for i386 (a number two
 * drivers share is named by both: `SNDCTL_TMR_START or TCSETS`).
 */
export const IOCTLS: Xlat = [
  [0x5401, 'TCGETS'], [0x5402, 'SNDCTL_TMR_START or TCSETS'], [0x5403, 'SNDCTL_TMR_STOP or TCSETSW'],
  [0x5404, 'SNDCTL_TMR_CONTINUE or TCSETSF'], [0x5405, 'TCGETA'], [0x5406, 'TCSETA'], [0x5407, 'TCSETAW'], [0x5408, 'TCSETAF'],
  [0x5409, 'TCSBRK'], [0x540a, 'TCXONC'], [0x540b, 'TCFLSH'], [0x540c, 'TIOCEXCL'], [0x540d, 'TIOCNXCL'], [0x540e, 'TIOCSCTTY'],
  [0x540f, 'TIOCGPGRP'], [0x5410, 'TIOCSPGRP'], [0x5411, 'TIOCOUTQ'], [0x5412, 'TIOCSTI'], [0x5413, 'TIOCGWINSZ'],
  [0x5414, 'TIOCSWINSZ'], [0x5415, 'TIOCMGET'], [0x5416, 'TIOCMBIS'], [0x5417, 'TIOCMBIC'], [0x5418, 'TIOCMSET'],
  [0x5419, 'TIOCGSOFTCAR'], [0x541a, 'TIOCSSOFTCAR'], [0x541b, 'FIONREAD'], [0x541c, 'TIOCLINUX'], [0x541d, 'TIOCCONS'],
  [0x541e, 'TIOCGSERIAL'], [0x541f, 'TIOCSSERIAL'], [0x5420, 'TIOCPKT'], [0x5421, 'FIONBIO'], [0x5422, 'TIOCNOTTY'],
  [0x5423, 'TIOCSETD'], [0x5424, 'TIOCGETD'], [0x5425, 'TCSBRKP'], [0x5427, 'TIOCSBRK'], [0x5428, 'TIOCCBRK'],
  [0x5429, 'TIOCGSID'], [0x802c542a, 'TCGETS2'], [0x402c542b, 'TCSETS2'], [0x402c542c, 'TCSETSW2'], [0x402c542d, 'TCSETSF2'],
  [0x80045430, 'TIOCGPTN'], [0x40045431, 'TIOCSPTLCK'], [0x80045432, 'TIOCGDEV'], [0x40045436, 'TIOCSIG'],
  [0x5437, 'TIOCVHANGUP'], [0x80045438, 'TIOCGPKT'], [0x80045439, 'TIOCGPTLCK'], [0x80045440, 'TIOCGEXCL'],
  [0x5441, 'TIOCGPTPEER'], [0x5450, 'FIONCLEX'], [0x5451, 'FIOCLEX'], [0x5452, 'FIOASYNC'], [0x5453, 'TIOCSERCONFIG'],
  [0x5454, 'TIOCSERGWILD'], [0x5455, 'TIOCSERSWILD'], [0x5456, 'TIOCGLCKTRMIOS'], [0x5457, 'TIOCSLCKTRMIOS'],
  [0x5459, 'TIOCSERGETLSR'], [0x545c, 'TIOCMIWAIT'], [0x545d, 'TIOCGICOUNT'], [0x5460, 'FIOQSIZE'],
  [0x8901, 'FIOSETOWN'], [0x8902, 'SIOCSPGRP'], [0x8903, 'FIOGETOWN'], [0x8904, 'SIOCGPGRP'], [0x8905, 'SIOCATMARK'],
  [0x8906, 'SIOCGSTAMP_OLD'], [0x8907, 'SIOCGSTAMPNS_OLD'], [0x890b, 'SIOCADDRT'], [0x890c, 'SIOCDELRT'],
  [0x8910, 'SIOCGIFNAME'], [0x8911, 'SIOCSIFLINK'], [0x8912, 'SIOCGIFCONF'], [0x8913, 'SIOCGIFFLAGS'], [0x8914, 'SIOCSIFFLAGS'],
  [0x8915, 'SIOCGIFADDR'], [0x8916, 'SIOCSIFADDR'], [0x8917, 'SIOCGIFDSTADDR'], [0x8918, 'SIOCSIFDSTADDR'],
  [0x8919, 'SIOCGIFBRDADDR'], [0x891a, 'SIOCSIFBRDADDR'], [0x891b, 'SIOCGIFNETMASK'], [0x891c, 'SIOCSIFNETMASK'],
  [0x891d, 'SIOCGIFMETRIC'], [0x891e, 'SIOCSIFMETRIC'], [0x8921, 'SIOCGIFMTU'], [0x8922, 'SIOCSIFMTU'], [0x8923, 'SIOCSIFNAME'],
  [0x8924, 'SIOCSIFHWADDR'], [0x8927, 'SIOCGIFHWADDR'], [0x8933, 'SIOCGIFINDEX'], [0x8942, 'SIOCGIFTXQLEN'],
  [0x8943, 'SIOCSIFTXQLEN'], [0x8946, 'SIOCETHTOOL'], [0x8953, 'SIOCDARP'], [0x8954, 'SIOCGARP'], [0x8955, 'SIOCSARP'],
  [0x80046601, 'FS_IOC_GETFLAGS'], [0x40046602, 'FS_IOC_SETFLAGS'], [0x80047601, 'FS_IOC_GETVERSION'],
  [0x40047602, 'FS_IOC_SETVERSION'], [0xc020660b, 'FS_IOC_FIEMAP'], [0x40049409, 'BTRFS_IOC_CLONE or FICLONE'],
  [0xc0045877, 'FIFREEZE'], [0xc0045878, 'FITHAW'], [0xc0185879, 'FITRIM'],
  [0x125d, 'BLKROSET'], [0x125e, 'BLKROGET'], [0x125f, 'BLKRRPART'], [0x1260, 'BLKGETSIZE'], [0x1261, 'BLKFLSBUF'],
  [0x1268, 'BLKSSZGET'], [0x80041270, 'BLKBSZGET'], [0x40041271, 'BLKBSZSET'], [0x80041272, 'BLKGETSIZE64'],
  [0x4c00, 'LOOP_SET_FD'], [0x4c01, 'LOOP_CLR_FD'], [0x4c02, 'LOOP_SET_STATUS'], [0x4c03, 'LOOP_GET_STATUS'],
  [0x4c04, 'LOOP_SET_STATUS64'], [0x4c05, 'LOOP_GET_STATUS64'], [0x4c80, 'LOOP_CTL_ADD'], [0x4c81, 'LOOP_CTL_REMOVE'],
  [0x4c82, 'LOOP_CTL_GET_FREE'], [0x4b3a, 'KDSETMODE'], [0x4b3b, 'KDGETMODE'], [0x4b44, 'KDGKBTYPE'], [0x4b45, 'KDGKBMODE'],
  [0x4b46, 'KDSKBMODE'], [0x5600, 'VT_OPENQRY'], [0x5601, 'VT_GETMODE'], [0x5602, 'VT_SETMODE'], [0x5603, 'VT_GETSTATE'],
  [0x5606, 'VT_ACTIVATE'], [0x5607, 'VT_WAITACTIVE'],
];
/** _IOC direction names (asm-generic/ioctl.h as i386 has it). */
export const IOC_DIRS = ['_IOC_NONE', '_IOC_WRITE', '_IOC_READ', '_IOC_READ|_IOC_WRITE'];
