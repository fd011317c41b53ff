/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_ATOMIC_H
#define _ASM_WASM_ATOMIC_H
/* One CPU, no preemption inside an operation: the generic UP atomics are exact. */
#include <asm-generic/atomic.h>
#endif
