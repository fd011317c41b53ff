/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_PAGE_H
#define _ASM_WASM_PAGE_H
/* Linear memory is the physical memory, mapped 1:1 from address 0. */
#include <asm-generic/page.h>
#endif
