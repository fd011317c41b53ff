/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SYSCALL_H
#define _ASM_WASM_SYSCALL_H
#include <uapi/linux/audit.h>
#include <linux/sched.h>
#include <linux/err.h>
#include <asm/ptrace.h>

typedef long (*syscall_fn_t)(const struct pt_regs *regs);
extern const syscall_fn_t sys_call_table[];

static inline int syscall_get_nr(struct task_struct *t, struct pt_regs *r) { return r->syscallno; }
static inline void syscall_rollback(struct task_struct *t, struct pt_regs *r) { }
static inline long syscall_get_error(struct task_struct *t, struct pt_regs *r)
{
	return IS_ERR_VALUE(r->ret) ? r->ret : 0;
}
static inline long syscall_get_return_value(struct task_struct *t, struct pt_regs *r) { return r->ret; }
static inline void syscall_set_return_value(struct task_struct *t, struct pt_regs *r, int error, long val)
{
	r->ret = error ? error : val;
}
static inline void syscall_get_arguments(struct task_struct *t, struct pt_regs *r, unsigned long *args)
{
	int i;
	for (i = 0; i < 6; i++)
		args[i] = r->args[i];
}
static inline int syscall_get_arch(struct task_struct *t) { return AUDIT_ARCH_I386; }
#endif
