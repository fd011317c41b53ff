/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_STRING_H
#define _ASM_WASM_STRING_H
/* memcpy/memset/memmove compile to wasm bulk-memory instructions. */
#define __HAVE_ARCH_MEMCPY
#define __HAVE_ARCH_MEMSET
#define __HAVE_ARCH_MEMMOVE
extern void *memcpy(void *dest, const void *src, __kernel_size_t n);
extern void *memset(void *s, int c, __kernel_size_t n);
extern void *memmove(void *dest, const void *src, __kernel_size_t n);
#endif
