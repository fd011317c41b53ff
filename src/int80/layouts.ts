// Every struct that crosses between i386 programs and the kernel, declared
// once as data: the i386 layouts programs use (arch/x86/include/uapi/asm,
// include/uapi/linux) and the generic 32-bit ones lkl.wasm serves, with the
// header each comes from. Read and write them with getUser/putUser and
// Struct.decode/encode (struct.ts); a new conversion adds its layout here.
import { FXSAVE_SIZE } from '../cpu/simd.js';
import { bytes, s16, s32, s64, struct, u16, u32, u64, u8 } from './struct.js';

// ---- files: stat, statx, directories, locks, statfs, iovecs, time values, single words
// (fs.ts, statx.ts, compat.ts, filemap.ts, uid16.ts, tasks/kernel-sys.ts)

/** struct statx (include/uapi/linux/stat.h), 256 bytes: what every stat here is made from. */
export const STATX = struct('statx', 256, {
  stx_mask: u32(0), stx_blksize: u32(4), stx_attributes: u64(8), stx_nlink: u32(16), stx_uid: u32(20),
  stx_gid: u32(24), stx_mode: u16(28), stx_ino: u64(32), stx_size: u64(40), stx_blocks: u64(48),
  stx_attributes_mask: u64(56),
  // struct statx_timestamp: s64 seconds, u32 nanoseconds
  stx_atime_sec: s64(64), stx_atime_nsec: u32(72), stx_btime_sec: s64(80), stx_btime_nsec: u32(88),
  stx_ctime_sec: s64(96), stx_ctime_nsec: u32(104), stx_mtime_sec: s64(112), stx_mtime_nsec: u32(120),
  stx_rdev_major: u32(128), stx_rdev_minor: u32(132), stx_dev_major: u32(136), stx_dev_minor: u32(140),
});

/** i386 struct stat64 (arch/x86/include/uapi/asm/stat.h), 96 bytes. */
export const STAT64 = struct('stat64', 96, {
  st_dev: u64(0), __st_ino: u32(12), st_mode: u32(16), st_nlink: u32(20), st_uid: u32(24), st_gid: u32(28),
  st_rdev: u64(32), st_size: u64(44), st_blksize: u32(52), st_blocks: u64(56),
  st_atime: u32(64), st_atime_nsec: u32(68), st_mtime: u32(72), st_mtime_nsec: u32(76),
  st_ctime: u32(80), st_ctime_nsec: u32(84), st_ino: u64(88),
});

/** i386 struct stat (the same header; stat, lstat, fstat), 64 bytes. */
export const STAT = struct('stat', 64, {
  st_dev: u32(0), st_ino: u32(4), st_mode: u16(8), st_nlink: u16(10), st_uid: u16(12), st_gid: u16(14),
  st_rdev: u32(16), st_size: u32(20), st_blksize: u32(24), st_blocks: u32(28),
  st_atime: u32(32), st_atime_nsec: u32(36), st_mtime: u32(40), st_mtime_nsec: u32(44),
  st_ctime: u32(48), st_ctime_nsec: u32(52),
});

/** struct __old_kernel_stat (the same header; oldstat, oldlstat, oldfstat): 16-bit fields, 32 bytes. */
export const OLD_KERNEL_STAT = struct('__old_kernel_stat', 32, {
  st_dev: u16(0), st_ino: u16(2), st_mode: u16(4), st_nlink: u16(6), st_uid: u16(8), st_gid: u16(10),
  st_rdev: u16(12), st_size: u32(16), st_atime: u32(20), st_mtime: u32(24), st_ctime: u32(28),
});

/** struct linux_dirent64 (linux/dirent.h) up to d_name, which follows at 19 (NUL-terminated). */
export const LINUX_DIRENT64 = struct('linux_dirent64', 19, {
  d_ino: u64(0), d_off: s64(8), d_reclen: u16(16), d_type: u8(18),
});

/** struct linux_dirent (getdents, fs/readdir.c) up to d_name at 10; d_type is the record's last byte. */
export const LINUX_DIRENT = struct('linux_dirent', 10, {
  d_ino: u32(0), d_off: u32(4), d_reclen: u16(8),
});

/** struct old_linux_dirent (readdir, fs/readdir.c) up to d_name at 10. */
export const OLD_LINUX_DIRENT = struct('old_linux_dirent', 10, {
  d_ino: u32(0), d_offset: u32(4), d_namlen: u16(8),
});

const flock64 = (start: number) => ({
  l_type: s16(0), l_whence: s16(2), l_start: s64(start), l_len: s64(start + 8), l_pid: s32(start + 16),
});
/** struct flock64 as the kernel has it (asm-generic/fcntl.h: 64-bit fields aligned at 8), 32 bytes. */
export const FLOCK64 = struct('flock64', 32, flock64(8));
/** i386 struct flock64: the same fields with the 64-bit ones aligned at 4, as i386 aligns them (l_start at 4), 24 bytes. */
export const FLOCK64_I386 = struct('flock64 (i386)', 24, flock64(4));

const statfs64 = {
  f_type: u32(0), f_bsize: u32(4), f_blocks: u64(8), f_bfree: u64(16), f_bavail: u64(24), f_files: u64(32),
  f_ffree: u64(40), f_fsid: bytes(48, 8), f_namelen: u32(56), f_frsize: u32(60), f_flags: u32(64), f_spare: bytes(68, 16),
};
/** struct statfs64 (asm-generic/statfs.h): 84 bytes of fields, padded to 88 by the 64-bit ones. */
export const STATFS64 = struct('statfs64', 88, statfs64);
/** i386 struct statfs64: the same fields packed to 84 bytes (arch/x86/include/uapi/asm/statfs.h). */
export const STATFS64_I386 = struct('statfs64 (i386)', 84, statfs64);

/** i386 struct statfs (asm-generic/statfs.h, 32-bit words), 64 bytes. */
export const STATFS = struct('statfs', 64, {
  f_type: u32(0), f_bsize: u32(4), f_blocks: u32(8), f_bfree: u32(12), f_bavail: u32(16), f_files: u32(20),
  f_ffree: u32(24), f_fsid: bytes(28, 8), f_namelen: u32(36), f_frsize: u32(40), f_flags: u32(44), f_spare: bytes(48, 16),
});

/** struct ustat (linux/types.h), 20 bytes: f_fname and f_fpack (char[6] each) stay zero. */
export const USTAT = struct('ustat', 20, { f_tfree: s32(0), f_tinode: u32(4) });

/** struct iovec (linux/uio.h), i386: 8 bytes. */
export const IOVEC = struct('iovec', 8, { iov_base: u32(0), iov_len: u32(4) });

/** struct utimbuf (linux/utime.h), i386: 8 bytes. */
export const UTIMBUF = struct('utimbuf', 8, { actime: s32(0), modtime: s32(4) });
/** struct old_timeval32 (i386 struct timeval), 8 bytes. */
export const TIMEVAL32 = struct('old_timeval32', 8, { tv_sec: s32(0), tv_usec: s32(4) });
/** struct old_timespec32 (i386 struct timespec, and the time32 calls of the generic ABI), 8 bytes. */
export const TIMESPEC32 = struct('old_timespec32', 8, { tv_sec: s32(0), tv_nsec: s32(4) });
/** struct old_itimerval32 (i386 struct itimerval: interval, then value), 16 bytes. */
export const ITIMERVAL32 = struct('old_itimerval32', 16, {
  it_interval_sec: s32(0), it_interval_usec: s32(4), it_value_sec: s32(8), it_value_usec: s32(12),
});

/** struct __kernel_timespec (the time64 calls: clock_gettime64, futex_time64, ...), 16 bytes. */
export const KERNEL_TIMESPEC = struct('__kernel_timespec', 16, { tv_sec: s64(0), tv_nsec: s64(8) });
/** i386 struct flock (fcntl F_GETLK/F_SETLK/F_SETLKW: 32-bit offsets), 16 bytes. */
export const FLOCK_I386 = struct('flock (i386)', 16, { l_type: s16(0), l_whence: s16(2), l_start: s32(4), l_len: s32(8), l_pid: s32(12) });
/** i386 struct rlimit (getrlimit, ugetrlimit, setrlimit), 8 bytes. */
export const RLIMIT = struct('rlimit', 8, { rlim_cur: u32(0), rlim_max: u32(4) });
/** struct rlimit64 (prlimit64), 16 bytes. */
export const RLIMIT64 = struct('rlimit64', 16, { rlim_cur: u64(0), rlim_max: u64(8) });

/** int[2]: the two descriptors pipe2 gives back. */
export const FD_PAIR = struct('int[2]', 8, { fd0: s32(0), fd1: s32(4) });

// Single values a call reads or writes as one (get_user/put_user), and the
// elements of arrays of them (group lists, socketcall's arguments).
/** loff_t: llseek's result, sendfile64's offset. */
export const LOFF_T = struct('loff_t', 8, { v: s64(0) });
/** int (a wait status, say). */
export const INT = struct('int', 4, { v: s32(0) });
/** i386 off_t (long). */
export const OFF_T = struct('off_t', 4, { v: s32(0) });
/** i386 time_t (__kernel_old_time_t). */
export const OLD_TIME_T = struct('__kernel_old_time_t', 4, { v: s32(0) });
/** unsigned long, i386 (a pointer-sized word). */
export const ULONG = struct('unsigned long', 4, { v: u32(0) });
/** uid_t and gid_t (__kernel_uid32_t). */
export const UID_T = struct('uid_t', 4, { v: u32(0) });
/** The 16-bit uid_t and gid_t of the original i386 calls (__kernel_old_uid_t). */
export const OLD_UID_T = struct('old_uid_t', 2, { v: u16(0) });

// ---- memory: old mmap's arguments (mm.ts; mincore's vector is plain bytes)

/** struct mmap_arg_struct (old mmap's arguments, mm/mmap.c), 24 bytes; fd signed, as mmap2's register. */
export const MMAP_ARG_STRUCT = struct('mmap_arg_struct', 24, {
  addr: u32(0), len: u32(4), prot: u32(8), flags: u32(12), fd: s32(16), offset: u32(20),
});

// ---- SysV IPC (ipc.ts)

// The kernel's IPC_64 structs (asm-generic/*buf.h, generic 32-bit) and the
// old ones of i386 programs without IPC_64 (linux/ipc.h, sem.h, msg.h,
// shm.h: 16-bit ids, counts and pids). Each begins with its ipc_perm, whose
// fields (C's sem_perm.uid and the like) keep their own names here.
const ipc64Perm = { key: s32(0), uid: u32(4), gid: u32(8), cuid: u32(12), cgid: u32(16), mode: u32(20), seq: u16(24) };
const ipcPerm = { key: s32(0), uid: u16(4), gid: u16(6), cuid: u16(8), cgid: u16(10), mode: u16(12), seq: u16(14) };

/** struct semid64_ds, 64 bytes. */
export const SEMID64_DS = struct('semid64_ds', 64, {
  ...ipc64Perm, sem_otime: u32(36), sem_otime_high: u32(40), sem_ctime: u32(44), sem_ctime_high: u32(48), sem_nsems: u32(52),
});
/** struct msqid64_ds, 88 bytes. */
export const MSQID64_DS = struct('msqid64_ds', 88, {
  ...ipc64Perm, msg_stime: u32(36), msg_stime_high: u32(40), msg_rtime: u32(44), msg_rtime_high: u32(48),
  msg_ctime: u32(52), msg_ctime_high: u32(56), msg_cbytes: u32(60), msg_qnum: u32(64), msg_qbytes: u32(68),
  msg_lspid: u32(72), msg_lrpid: u32(76),
});
/** struct shmid64_ds, 84 bytes. */
export const SHMID64_DS = struct('shmid64_ds', 84, {
  ...ipc64Perm, shm_segsz: u32(36), shm_atime: u32(40), shm_atime_high: u32(44), shm_dtime: u32(48),
  shm_dtime_high: u32(52), shm_ctime: u32(56), shm_ctime_high: u32(60), shm_cpid: u32(64), shm_lpid: u32(68),
  shm_nattch: u32(72),
});
/** struct shminfo64 (shmctl IPC_INFO), 36 bytes. */
export const SHMINFO64 = struct('shminfo64', 36, { shmmax: u32(0), shmmin: u32(4), shmmni: u32(8), shmseg: u32(12), shmall: u32(16) });

/** Old struct semid_ds, 44 bytes (its kernel pointers stay zero). */
export const SEMID_DS = struct('semid_ds', 44, { ...ipcPerm, sem_otime: s32(16), sem_ctime: s32(20), sem_nsems: u16(40) });
/** Old struct msqid_ds, 56 bytes. */
export const MSQID_DS = struct('msqid_ds', 56, {
  ...ipcPerm, msg_stime: s32(24), msg_rtime: s32(28), msg_ctime: s32(32), msg_lcbytes: u32(36), msg_lqbytes: u32(40),
  msg_cbytes: u16(44), msg_qnum: u16(46), msg_qbytes: u16(48), msg_lspid: u16(50), msg_lrpid: u16(52),
});
/** Old struct shmid_ds, 48 bytes. */
export const SHMID_DS = struct('shmid_ds', 48, {
  ...ipcPerm, shm_segsz: s32(16), shm_atime: s32(20), shm_dtime: s32(24), shm_ctime: s32(28),
  shm_cpid: u16(32), shm_lpid: u16(34), shm_nattch: u16(36),
});
/** Old struct shminfo (five ints), 20 bytes. */
export const SHMINFO = struct('shminfo', 20, { shmmax: s32(0), shmmin: s32(4), shmmni: s32(8), shmseg: s32(12), shmall: s32(16) });

/** union semun as ipc(SEMCTL) passes it, by reference: one word (val, or a pointer). */
export const SEMUN = struct('semun', 4, { arg: u32(0) });
/** struct sembuf (semop, semtimedop), 6 bytes. */
export const SEMBUF = struct('sembuf', 6, { sem_num: u16(0), sem_op: s16(2), sem_flg: s16(4) });
/** struct ipc_kludge (ipc(MSGRCV) version 0), 8 bytes. */
export const IPC_KLUDGE = struct('ipc_kludge', 8, { msgp: u32(0), msgtyp: s32(4) });

// ---- sockets, poll, select, epoll (net.ts; strace.ts shows them)

/** struct pollfd, 8 bytes. */
export const POLLFD = struct('pollfd', 8, { fd: s32(0), events: u16(4), revents: u16(6) });
/** i386 struct user_msghdr (sendmsg, recvmsg), 28 bytes. */
export const MSGHDR = struct('msghdr', 28, {
  msg_name: u32(0), msg_namelen: u32(4), msg_iov: u32(8), msg_iovlen: u32(12), msg_control: u32(16), msg_controllen: u32(20), msg_flags: u32(24),
});
/** i386 struct cmsghdr, 12 bytes (its data follows, aligned at 4). */
export const CMSGHDR = struct('cmsghdr', 12, { cmsg_len: u32(0), cmsg_level: s32(4), cmsg_type: s32(8) });
/** struct linger (SO_LINGER), 8 bytes. */
export const LINGER = struct('linger', 8, { l_onoff: s32(0), l_linger: s32(4) });
/** struct sockaddr_in: the port and address in network order (bytes), 16 bytes. */
export const SOCKADDR_IN = struct('sockaddr_in', 16, { family: u16(0), port: bytes(2, 2), addr: bytes(4, 4) });
/** struct sockaddr_in6, 28 bytes. */
export const SOCKADDR_IN6 = struct('sockaddr_in6', 28, { family: u16(0), port: bytes(2, 2), flowinfo: bytes(4, 4), addr: bytes(8, 16), scope_id: u32(24) });
/** struct sockaddr_nl, 12 bytes. */
export const SOCKADDR_NL = struct('sockaddr_nl', 12, { family: u16(0), nl_pid: u32(4), nl_groups: u32(8) });

/** struct epoll_event as the kernel has it (data aligned at 8 in wasm32), 16 bytes. */
export const EPOLL_EVENT = struct('epoll_event', 16, { events: u32(0), data: u64(8) });
/** i386 struct epoll_event (linux/eventpoll.h): data at 4, as i386 aligns 64-bit fields, 12 bytes. */
export const EPOLL_EVENT_I386 = struct('epoll_event (i386)', 12, { events: u32(0), data: u64(4) });
/** struct sel_arg_struct (old select's arguments, fs/select.c), 20 bytes. */
export const SEL_ARG_STRUCT = struct('sel_arg_struct', 20, { n: u32(0), inp: u32(4), outp: u32(8), exp: u32(12), tvp: u32(16) });

// ---- signals: sigaction, sigaltstack, siginfo, sigcontext, frames (signal.ts)

/** The i386 struct sigaction of rt_sigaction (handler, flags, restorer, 8-byte mask): programs' view. */
export const SIGACTION = struct('sigaction', 20, { handler: u32(0), flags: u32(4), restorer: u32(8), mask: bytes(12, 8) });
/** struct old_sigaction of sigaction(67): handler, a 4-byte mask, flags, restorer. */
export const OLD_SIGACTION = struct('old_sigaction', 16, { handler: u32(0), mask: u32(4), flags: u32(8), restorer: u32(12) });
/** The generic struct sigaction lkl.wasm serves (no sa_restorer on an arch without SA_RESTORER). */
export const KSIGACTION = struct('kernel sigaction', 16, { handler: u32(0), flags: u32(4), mask: bytes(8, 8) });
/** sigset_t of the rt_ calls: 64 signals. */
export const SIGSET = struct('sigset_t', 8, { lo: u32(0), hi: u32(4) });
/** The old 4-byte sigset (sigprocmask 126, sigpending 73, the sigcontext's oldmask). */
export const OLD_SIGSET = struct('old_sigset_t', 4, { lo: u32(0) });
/** stack_t (sigaltstack, uc_stack). */
export const STACK_T = struct('stack_t', 12, { sp: u32(0), flags: u32(4), size: u32(8) });
/**
 * siginfo_t, 128 bytes: the head every signal has, then the members of its
 * union, which overlap at 12: _sigfault's address (CPU faults), _kill and
 * _rt (pid, uid, value), _sigchld (pid, uid, status, utime, stime: i386
 * clock_t), _timer (timerid, overrun, value), _sigpoll (band, fd).
 */
export const SIGINFO = struct('siginfo_t', 128, {
  signo: s32(0), errno: s32(4), code: s32(8), addr: u32(12),
  pid: s32(12), uid: u32(16), value: u32(20), status: s32(20), utime: s32(24), stime: s32(28),
  timerid: s32(12), overrun: s32(16), band: s32(12), fd: s32(16),
});

/** struct sigcontext_32 (uapi/asm/sigcontext.h). */
export const SIGCONTEXT_32 = struct('sigcontext_32', 88, {
  gs: u32(0), fs: u32(4), es: u32(8), ds: u32(12), di: u32(16), si: u32(20), bp: u32(24), sp: u32(28),
  bx: u32(32), dx: u32(36), cx: u32(40), ax: u32(44), trapno: u32(48), err: u32(52), ip: u32(56),
  cs: u32(60), flags: u32(64), sp_at_signal: u32(68), ss: u32(72), fpstate: u32(76), oldmask: u32(80), cr2: u32(84),
});
/**
 * struct _fpstate_32: the fsave-format header (user_i387_ia32_struct: cw sw
 * tag ipoff cssel dataoff datasel, _st[8] of 10 bytes; then status, magic),
 * then at `fxsr` the FXSAVE image with its sw_reserved bytes.
 */
export const FPSTATE_32 = struct('_fpstate_32', 112 + FXSAVE_SIZE, {
  cw: u32(0), sw: u32(4), tag: u32(8), ipoff: u32(12), cssel: u32(16), dataoff: u32(20), datasel: u32(24),
  st: bytes(28, 80), status: u16(108), magic: u16(110),
  fxsr: bytes(112, FXSAVE_SIZE), mxcsr: u32(112 + 24), xmm: bytes(112 + 160, 128),
  sw_reserved: bytes(112 + 464, 48),
});
/** Size of the fsave header, which the 64-byte aligned FXSAVE image follows. */
export const FSAVE_HEADER_SIZE = FPSTATE_32.fields.fxsr.off;
/** struct _fpx_sw_bytes, in sw_reserved. */
export const FPX_SW_BYTES = struct('_fpx_sw_bytes', 48, { magic1: u32(0), extended_size: u32(4), xfeatures: u64(8), xstate_size: u32(16) });
/** struct ucontext_ia32: flags, link, uc_stack, the sigcontext, the 8-byte mask. */
export const UCONTEXT = struct('ucontext_ia32', 20 + SIGCONTEXT_32.size + 8, {
  flags: u32(0), link: u32(4), stack: bytes(8, STACK_T.size), mcontext: bytes(20, SIGCONTEXT_32.size),
  sigmask: bytes(20 + SIGCONTEXT_32.size, 8),
});
/**
 * struct sigframe_ia32: pretcode, sig, sc, fpstate_unused (a whole
 * _fpstate_32, kept so extramask stays put), extramask[1], retcode[8].
 */
export const SIGFRAME = struct('sigframe_ia32', 8 + SIGCONTEXT_32.size + FPSTATE_32.size + 4 + 8, {
  pretcode: u32(0), sig: u32(4), sc: bytes(8, SIGCONTEXT_32.size),
  extramask: u32(8 + SIGCONTEXT_32.size + FPSTATE_32.size), retcode: bytes(8 + SIGCONTEXT_32.size + FPSTATE_32.size + 4, 8),
});
/** struct rt_sigframe_ia32: pretcode, sig, pinfo, puc, info (128), uc, retcode[8]. */
export const RT_SIGFRAME = struct('rt_sigframe_ia32', 16 + SIGINFO.size + UCONTEXT.size + 8, {
  pretcode: u32(0), sig: u32(4), pinfo: u32(8), puc: u32(12), info: bytes(16, SIGINFO.size),
  uc: bytes(16 + SIGINFO.size, UCONTEXT.size), retcode: bytes(16 + SIGINFO.size + UCONTEXT.size, 8),
});

// ---- processes: clone_args, utsname, user_desc, rusage, tms (proc.ts, exec.ts, strace.ts)

/**
 * struct user_desc (set_thread_area, get_thread_area, modify_ldt): three
 * words, then a word of flag bitfields (USER_DESC_BITS).
 */
export const USER_DESC = struct('user_desc', 16, { entry_number: s32(0), base_addr: u32(4), limit: u32(8), bits: u32(12) });
/** The bitfields of user_desc's fourth word: [name, bit, width]. */
export const USER_DESC_BITS = [
  ['seg_32bit', 0, 1], ['contents', 1, 2], ['read_exec_only', 3, 1], ['limit_in_pages', 4, 1],
  ['seg_not_present', 5, 1], ['useable', 6, 1],
] as const;
/** struct clone_args of clone3 (linux/sched.h), up to cgroup: CLONE_ARGS_SIZE_VER2. */
export const CLONE_ARGS = struct('clone_args', 88, {
  flags: u64(0), pidfd: u64(8), child_tid: u64(16), parent_tid: u64(24), exit_signal: u64(32),
  stack: u64(40), stack_size: u64(48), tls: u64(56), set_tid: u64(64), set_tid_size: u64(72), cgroup: u64(80),
});
/** i386 struct rusage: two struct timevals, then 14 longs, 72 bytes (strace shows the times). */
export const RUSAGE = struct('rusage', 72, { ru_utime_sec: s32(0), ru_utime_usec: s32(4), ru_stime_sec: s32(8), ru_stime_usec: s32(12) });
/** i386 struct sysinfo, 64 bytes (procs is 16 bits, then padding). */
export const SYSINFO = struct('sysinfo', 64, {
  uptime: s32(0), load1: u32(4), load5: u32(8), load15: u32(12), totalram: u32(16), freeram: u32(20), sharedram: u32(24),
  bufferram: u32(28), totalswap: u32(32), freeswap: u32(36), procs: u16(40), totalhigh: u32(44), freehigh: u32(48), mem_unit: u32(52),
});
/** i386 struct tms (times), 16 bytes of clock_t. */
export const TMS = struct('tms', 16, { tms_utime: s32(0), tms_stime: s32(4), tms_cutime: s32(8), tms_cstime: s32(12) });
/** struct new_utsname: six fields of 65 bytes (old_utsname has the first five, oldold_utsname five of 9). */
export const UTS_LEN = 65;
export const NEW_UTSNAME = struct('new_utsname', 6 * UTS_LEN, {
  sysname: bytes(0, UTS_LEN), nodename: bytes(UTS_LEN, UTS_LEN), release: bytes(2 * UTS_LEN, UTS_LEN),
  version: bytes(3 * UTS_LEN, UTS_LEN), machine: bytes(4 * UTS_LEN, UTS_LEN), domainname: bytes(5 * UTS_LEN, UTS_LEN),
});

/** Elf32_Ehdr (the identification bytes as fields; e_ident's padding left out). */
export const ELF32_EHDR = struct('Elf32_Ehdr', 52, {
  ei_mag0: u8(0), ei_mag1: u8(1), ei_mag2: u8(2), ei_mag3: u8(3), ei_class: u8(4), ei_data: u8(5),
  ei_version: u8(6), ei_osabi: u8(7), e_type: u16(16), e_machine: u16(18), e_version: u32(20),
  e_entry: u32(24), e_phoff: u32(28), e_shoff: u32(32), e_flags: u32(36), e_ehsize: u16(40),
  e_phentsize: u16(42), e_phnum: u16(44), e_shentsize: u16(46), e_shnum: u16(48), e_shstrndx: u16(50),
});
/** Elf32_auxv_t: one entry of the aux vector (/proc/PID/auxv). */
export const ELF32_AUXV = struct('Elf32_auxv_t', 8, { a_type: u32(0), a_val: u32(4) });
/** Elf32_Phdr. */
export const ELF32_PHDR = struct('Elf32_Phdr', 32, {
  p_type: u32(0), p_offset: u32(4), p_vaddr: u32(8), p_paddr: u32(12), p_filesz: u32(16),
  p_memsz: u32(20), p_flags: u32(24), p_align: u32(28),
});

// ---- terminals: the ioctls strace shows (strace.ts)

/** struct termios as TCGETS and TCSETS* pass it, 36 bytes. */
export const TERMIOS = struct('termios', 36, {
  c_iflag: u32(0), c_oflag: u32(4), c_cflag: u32(8), c_lflag: u32(12), c_line: u8(16), c_cc: bytes(17, 19),
});
/** struct winsize (TIOCGWINSZ, TIOCSWINSZ), 8 bytes. */
export const WINSIZE = struct('winsize', 8, { ws_row: u16(0), ws_col: u16(2), ws_xpixel: u16(4), ws_ypixel: u16(6) });
