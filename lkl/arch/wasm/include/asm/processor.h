/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_PROCESSOR_H
#define _ASM_WASM_PROCESSOR_H

#include <asm/ptrace.h>

struct task_struct;

/*
 * Per-task state the host needs. The task's kernel stack doubles as the
 * area where its coroutine (a suspended wasm call stack) is saved.
 */
struct thread_struct {
	struct pt_regs regs;		/* the pending system call request */
	int host_id;			/* the host's handle of the owning RTOS task, 0 if none */
	int (*fn)(void *);		/* kernel thread body, NULL for tasks that return to the host */
	void *fn_arg;
	struct task_struct *prev;	/* the task we were switched away from */
};

#define INIT_THREAD { }

#define task_pt_regs(t)		(&(t)->thread.regs)
#define KSTK_EIP(tsk)		0
#define KSTK_ESP(tsk)		0

static inline void cpu_relax(void)
{
}

static inline unsigned long __get_wchan(struct task_struct *p)
{
	return 0;
}

#define TASK_SIZE		0xffffffffUL
#define TASK_UNMAPPED_BASE	0
#define STACK_TOP		TASK_SIZE
#define STACK_TOP_MAX		TASK_SIZE

static inline void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
}

#endif
