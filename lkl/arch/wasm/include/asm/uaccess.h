/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_UACCESS_H
#define _ASM_WASM_UACCESS_H
/*
 * User memory belongs to the host (a guest's address space or a host task's
 * buffer): every access is one host call that translates the address and
 * reports what could not be copied, so a bad pointer gives EFAULT.
 */
#include <linux/types.h>
#include <asm/host_ops.h>

#define __access_ok(addr, size)	1

static inline __must_check unsigned long
raw_copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return wasm_host_copy_from_user(to, (unsigned long)from, n);
}

static inline __must_check unsigned long
raw_copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return wasm_host_copy_to_user((unsigned long)to, from, n);
}

#define __clear_user __clear_user
static inline __must_check unsigned long
__clear_user(void __user *to, unsigned long n)
{
	return wasm_host_clear_user((unsigned long)to, n);
}

/*
 * Kernel memory is plain linear memory: the "nofault" accessors (d_path,
 * strncpy_from_kernel_nofault, ...) read and write it directly instead of
 * going through the user-memory path of the host.
 */
#define __get_kernel_nofault(dst, src, type, err_label)			\
do {									\
	*((type *)(dst)) = *((type *)(src));				\
	if (0)								\
		goto err_label;						\
} while (0)

#define __put_kernel_nofault(dst, src, type, err_label)			\
do {									\
	*((type *)(dst)) = *((type *)(src));				\
	if (0)								\
		goto err_label;						\
} while (0)

#include <asm-generic/uaccess.h>
#endif
