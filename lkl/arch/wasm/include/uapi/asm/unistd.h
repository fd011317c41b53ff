/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* The generic 32-bit system call numbers; the i386 ABI is translated in the host. */
#define __ARCH_WANT_STAT64
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_SYS_CLONE
#define __ARCH_WANT_SYS_CLONE3
#define __ARCH_WANT_TIME32_SYSCALLS
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_NEW_STAT
#include <asm-generic/unistd.h>

/* The port's own calls, made by the host only, past the generic table (kernel/mm.c, kernel/filemap.c, drivers/blk.c). */
#define __NR_wasm_mm_charge 1024
#define __NR_wasm_file_hold 1025
#define __NR_wasm_file_put 1026
#define __NR_wasm_file_write 1027
#define __NR_wasm_file_sync 1028
#define __NR_wasm_blk_attach 1029
