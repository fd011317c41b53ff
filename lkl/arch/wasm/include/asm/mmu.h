/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_MMU_H
#define _ASM_WASM_MMU_H
#include <linux/types.h>
#include <linux/spinlock_types.h>

typedef struct {
	unsigned long end_brk;
	/*
	 * Pages standing for the RTOS's page frames of this address space
	 * (kernel/mm.c): taken from the kernel's memory and never touched, so
	 * that guest memory counts against the machine's memory.
	 */
	struct list_head charged;
	unsigned long nr_charged;
	/* The files of its MAP_SHARED file mappings (kernel/filemap.c). */
	struct list_head files;
	spinlock_t files_lock;
} mm_context_t;
#endif
