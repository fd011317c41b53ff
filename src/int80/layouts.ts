// Every struct that crosses between i386 programs and the kernel, declared
// once as data: the i386 layouts programs use (arch/x86/include/uapi/asm,
// include/uapi/linux) and the generic 32-bit ones lkl.wasm serves, with the
// header each comes from. Read and write them with getUser/putUser and
// Struct.decode/encode (struct.ts); a new conversion adds its layout here.
import { bytes, s16, s32, s64, struct, u16, u32, u64, u8 } from './struct.js';

// Kept so each section may use any field type without touching the imports.
void [bytes, s16, s32, s64, u16, u32, u64, u8];

// ---- files: stat, statx, directories, locks, statfs (fs.ts, compat.ts, filemap.ts)

// ---- memory: mmap arguments, mincore (mm.ts)

// ---- SysV IPC (ipc.ts)

// ---- sockets, poll, select, epoll (net.ts)

// ---- signals: sigaction, sigaltstack, siginfo, sigcontext, frames (signal.ts)

// ---- processes: clone_args, utsname, user_desc, rusage (proc.ts, exec.ts)

export { struct };
