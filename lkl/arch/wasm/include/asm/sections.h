/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SECTIONS_H
#define _ASM_WASM_SECTIONS_H
/* The section boundary symbols are defined by arch/wasm/kernel/sections.c. */
#include <asm-generic/sections.h>
#endif
