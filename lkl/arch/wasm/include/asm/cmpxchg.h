/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_CMPXCHG_H
#define _ASM_WASM_CMPXCHG_H
#include <asm-generic/cmpxchg.h>
#endif
