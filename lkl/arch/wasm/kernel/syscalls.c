// SPDX-License-Identifier: GPL-2.0
/* The system call table: the generic numbers of asm-generic/unistd.h. */
#include <linux/syscalls.h>
#include <linux/errno.h>
#include <asm/syscall.h>

long __wasm_sys_ni_syscall(const struct pt_regs *regs)
{
	return -ENOSYS;
}

/* Guest memory belongs to the RTOS: the kernel maps nothing for anybody. */
long __wasm_sys_mmap2(const struct pt_regs *regs)
{
	return -ENOSYS;
}

long __wasm_sys_rt_sigreturn(const struct pt_regs *regs)
{
	return -ENOSYS;
}

#undef __SYSCALL
#define __SYSCALL(nr, call)	long __wasm_##call(const struct pt_regs *);
#include <asm/unistd.h>

/*
 * Calls with 64-bit (loff_t) arguments: the generic wrapper gives every
 * argument one 32-bit slot, which would cut these to 32 bits. Here each takes
 * two slots, low word first -- the order of the i386 register pairs, so the
 * i386 calls pass straight through.
 */
static inline loff_t arg64(const struct pt_regs *regs, int i)
{
	return (loff_t)(((u64)(u32)regs->args[i + 1] << 32) | (u32)regs->args[i]);
}

static long wasm_split_pread64(const struct pt_regs *regs)
{
	return ksys_pread64(regs->args[0], (char __user *)regs->args[1], regs->args[2], arg64(regs, 3));
}

static long wasm_split_pwrite64(const struct pt_regs *regs)
{
	return ksys_pwrite64(regs->args[0], (const char __user *)regs->args[1], regs->args[2], arg64(regs, 3));
}

static long wasm_split_truncate64(const struct pt_regs *regs)
{
	return ksys_truncate((const char __user *)regs->args[0], arg64(regs, 1));
}

static long wasm_split_ftruncate64(const struct pt_regs *regs)
{
	return do_sys_ftruncate(regs->args[0], arg64(regs, 1), 0);
}

static long wasm_split_fallocate(const struct pt_regs *regs)
{
	return ksys_fallocate(regs->args[0], regs->args[1], arg64(regs, 2), arg64(regs, 4));
}

static long wasm_split_readahead(const struct pt_regs *regs)
{
	return ksys_readahead(regs->args[0], arg64(regs, 1), regs->args[3]);
}

static long wasm_split_sync_file_range(const struct pt_regs *regs)
{
	return ksys_sync_file_range(regs->args[0], arg64(regs, 1), arg64(regs, 3), regs->args[5]);
}

static long wasm_split_fadvise64_64(const struct pt_regs *regs)
{
	return ksys_fadvise64_64(regs->args[0], arg64(regs, 1), arg64(regs, 3), regs->args[5]);
}

#define __wasm_sys_pread64		wasm_split_pread64
#define __wasm_sys_pwrite64		wasm_split_pwrite64
#define __wasm_sys_truncate64		wasm_split_truncate64
#define __wasm_sys_ftruncate64		wasm_split_ftruncate64
#define __wasm_sys_fallocate		wasm_split_fallocate
#define __wasm_sys_readahead		wasm_split_readahead
#define __wasm_sys_sync_file_range	wasm_split_sync_file_range
#define __wasm_sys_fadvise64_64		wasm_split_fadvise64_64

#undef __SYSCALL
#define __SYSCALL(nr, call)	[nr] = __wasm_##call,

const syscall_fn_t sys_call_table[__NR_syscalls] = {
	[0 ... __NR_syscalls - 1] = __wasm_sys_ni_syscall,
#include <asm/unistd.h>
};

long wasm_do_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->syscallno;

	if (nr >= __NR_syscalls)
		return -ENOSYS;
	return sys_call_table[nr](regs);
}
