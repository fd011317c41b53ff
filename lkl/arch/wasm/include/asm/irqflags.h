/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_IRQFLAGS_H
#define _ASM_WASM_IRQFLAGS_H
/*
 * Interrupts are host events queued by the host; they are taken only where
 * the kernel re-enables interrupts or idles, never in the middle of code.
 */
#define ARCH_IRQ_DISABLED	0
#define ARCH_IRQ_ENABLED	1

extern unsigned long wasm_irq_flags;
extern void wasm_irq_enable_hook(void);

static inline unsigned long arch_local_save_flags(void)
{
	return wasm_irq_flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	wasm_irq_flags = flags;
	if (flags == ARCH_IRQ_ENABLED)
		wasm_irq_enable_hook();
}

#include <asm-generic/irqflags.h>
#endif
