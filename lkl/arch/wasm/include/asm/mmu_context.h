/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_MMU_CONTEXT_H
#define _ASM_WASM_MMU_CONTEXT_H
#include <linux/list.h>

struct mm_struct;
struct task_struct;

int wasm_files_fork(struct mm_struct *mm);
void wasm_files_drop(struct mm_struct *mm);

/*
 * A new mm (fork's copy included) has charged nothing yet; fork's copy holds
 * the files of the parent's shared file mappings (kernel/filemap.c).
 */
#define init_new_context init_new_context
static inline int init_new_context(struct task_struct *tsk, struct mm_struct *mm)
{
	INIT_LIST_HEAD(&mm->context.charged);
	mm->context.nr_charged = 0;
	return wasm_files_fork(mm);
}

/* The mm is gone: its charged pages go back, its held files are let go (kernel/mm.c). */
#define destroy_context destroy_context
void destroy_context(struct mm_struct *mm);

#include <asm-generic/nommu_context.h>
#endif
