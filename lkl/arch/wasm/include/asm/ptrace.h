/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_PTRACE_H
#define _ASM_WASM_PTRACE_H
#include <uapi/asm/ptrace.h>

#define user_mode(regs)			1
#define instruction_pointer(regs)	0UL
#define profile_pc(regs)		0UL
#define user_stack_pointer(regs)	0UL
#define current_user_stack_pointer()	0UL
#define current_pt_regs()		(&current->thread.regs)
#define task_pt_regs(t)			(&(t)->thread.regs)

static inline long regs_return_value(struct pt_regs *regs)
{
	return regs->ret;
}
#endif
