// Linux's user-visible constants (include/uapi), as i386 and the generic ABI
// share them: one home for every layer (errnos are in errno.ts).

/** Flags of open(2) (asm-generic/fcntl.h, as i386 and LKL use). */
export const O = {
  RDONLY: 0,
  WRONLY: 0o1,
  RDWR: 0o2,
  CREAT: 0o100,
  EXCL: 0o200,
  NOCTTY: 0o400,
  TRUNC: 0o1000,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  LARGEFILE: 0o100000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  CLOEXEC: 0o2000000,
  /** __O_TMPFILE | O_DIRECTORY */
  TMPFILE: 0o20200000,
} as const;

/** fcntl(2) commands (asm-generic/fcntl.h, linux/fcntl.h). */
export const F = {
  GETFD: 1,
  GETFL: 3,
  GETLK64: 12,
  SETLK64: 13,
  SETLKW64: 14,
  OFD_GETLK: 36,
  OFD_SETLK: 37,
  OFD_SETLKW: 38,
  DUPFD_CLOEXEC: 1030,
} as const;

/** lseek(2) whence (linux/fs.h). */
export const SEEK = {
  SET: 0,
  CUR: 1,
  END: 2,
} as const;

/** dirfd meaning "the current working directory". */
export const AT_FDCWD = -100;
/** *at() flags. */
export const AT = {
  SYMLINK_NOFOLLOW: 0x100,
  REMOVEDIR: 0x200,
  EMPTY_PATH: 0x1000,
} as const;

/** statx(2) mask bits (linux/stat.h STATX_*). */
export const STATX_MASK = {
  INO: 0x100,
  SIZE: 0x200,
  BASIC_STATS: 0x7ff,
} as const;

/** File type bits of st_mode. */
export const S = {
  IFMT: 0o170000,
  IFSOCK: 0o140000,
  IFLNK: 0o120000,
  IFREG: 0o100000,
  IFBLK: 0o060000,
  IFDIR: 0o040000,
  IFCHR: 0o020000,
  IFIFO: 0o010000,
} as const;

/** d_type of getdents64 entries. */
export const DT = {
  UNKNOWN: 0,
  FIFO: 1,
  CHR: 2,
  DIR: 4,
  BLK: 6,
  REG: 8,
  LNK: 10,
  SOCK: 12,
} as const;

/** mount(2) flags (linux/mount.h). */
export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  SYNCHRONOUS: 16,
  REMOUNT: 32,
  MANDLOCK: 64,
  DIRSYNC: 128,
  NOATIME: 1024,
  NODIRATIME: 2048,
  BIND: 4096,
  MOVE: 8192,
  REC: 16384,
  SILENT: 32768,
  RELATIME: 1 << 21,
  STRICTATIME: 1 << 24,
  LAZYTIME: 1 << 25,
} as const;

/** umount2(2) flags. */
export const MNT = {
  FORCE: 1,
  DETACH: 2,
  EXPIRE: 4,
} as const;

/** syslog(2) actions (linux/syslog.h), as klogctl(3). */
export const SYSLOG_ACTION = {
  CLOSE: 0,
  OPEN: 1,
  READ: 2,
  READ_ALL: 3,
  READ_CLEAR: 4,
  CLEAR: 5,
  CONSOLE_OFF: 6,
  CONSOLE_ON: 7,
  CONSOLE_LEVEL: 8,
  SIZE_UNREAD: 9,
  SIZE_BUFFER: 10,
} as const;

/** Signal numbers (arch/x86/include/uapi/asm/signal.h). */
export const SIG = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20,
  TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29,
  PWR: 30, SYS: 31,
} as const;

/** clone(2) flags (linux/sched.h). */
export const CLONE = {
  VM: 0x100, FS: 0x200, FILES: 0x400, SIGHAND: 0x800, PIDFD: 0x1000, PTRACE: 0x2000,
  VFORK: 0x4000, PARENT: 0x8000, THREAD: 0x10000, NEWNS: 0x20000, SYSVSEM: 0x40000,
  SETTLS: 0x80000, PARENT_SETTID: 0x100000, CHILD_CLEARTID: 0x200000, DETACHED: 0x400000,
  UNTRACED: 0x800000, CHILD_SETTID: 0x1000000,
} as const;

/** sigaction flags (arch/x86/include/uapi/asm/signal.h). */
export const SA = {
  NOCLDSTOP: 1, NOCLDWAIT: 2, SIGINFO: 4, RESTORER: 0x04000000, ONSTACK: 0x08000000,
  RESTART: 0x10000000, NODEFER: 0x40000000, RESETHAND: 0x80000000,
} as const;
/** sigaltstack flags (linux/signal.h). */
export const SS = { ONSTACK: 1, DISABLE: 2, AUTODISARM: 0x80000000 } as const;
/** The handlers that are not addresses (asm-generic/signal-defs.h). */
export const SIG_DFL = 0, SIG_IGN = 1;
/** How rt_sigprocmask changes the blocked set. */
export const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

/** prctl(2) options (linux/prctl.h). */
export const PR_SET_NAME = 15;
