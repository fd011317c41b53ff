/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_IRQ_H
#define _ASM_WASM_IRQ_H
/* Host event lines; see asm/host_ops.h. */
#define WASM_IRQ_TIMER		1
#define WASM_IRQ_REQUEST	2
#define WASM_IRQ_CONSOLE	3
#define WASM_IRQ_BLOCK		4
#define WASM_IRQ_NET		5
#define NR_IRQS			32
#include <asm-generic/irq.h>
#endif
