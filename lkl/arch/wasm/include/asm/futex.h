/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_FUTEX_H
#define _ASM_WASM_FUTEX_H
/*
 * No MMU, but every process has an address space of its own, kept by the
 * host, and its own mm here (fork without CLONE_VM copies it: dup_mm).
 * arch_futex_page() tells get_futex_key() (patches/0005) what the user page
 * at addr is, in place of get_user_pages_fast() and the page's mapping:
 * -EFAULT when it is not mapped readable (writable if write), 0 when it is
 * memory private to the caller's address space (keyed by mm and address,
 * Linux's PageAnon() case), else a number naming the page itself, the same
 * in every process and at every address that maps it (Linux's inode case:
 * MAP_SHARED file and anonymous pages, SysV segments).
 */
#include <asm-generic/futex.h>
#include <asm/host_ops.h>

#define arch_futex_page arch_futex_page
static inline s64 arch_futex_page(unsigned long addr, bool write)
{
	return wasm_host_futex_page_id(wasm_current_host_id, addr, write);
}

#endif
