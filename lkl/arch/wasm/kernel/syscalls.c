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

#undef __SYSCALL
#define __SYSCALL(nr, call)	[nr] = __wasm_##call,

const syscall_fn_t sys_call_table[__NR_syscalls] = {
	[0 ... __NR_syscalls - 1] = __wasm_sys_ni_syscall,
#include <asm/unistd.h>
};

long wasm_arch_syscall(struct pt_regs *regs);
long wasm_blk_attach(void);
/*
 * Called through a pointer the optimizer cannot see through: binaryen
 * inlines a function into its one caller, and adding a disk (with the block
 * layer's setup that only it calls) does not belong in the request loop,
 * the kernel's hottest function, which V8 compiles again optimized (inlined,
 * it grew from 6 to 34 KB, and an idle system by 12 MiB of compiler memory).
 */
static long (*const volatile wasm_blk_attach_fn)(void) = wasm_blk_attach;

long wasm_do_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->syscallno;

	if (nr == __NR_wasm_blk_attach)
		return wasm_blk_attach_fn();
	if (nr >= __NR_syscalls)
		return wasm_arch_syscall(regs);
	return sys_call_table[nr](regs);
}
