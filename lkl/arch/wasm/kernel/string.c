// SPDX-License-Identifier: GPL-2.0
/* memcpy and friends are single bulk-memory instructions. */
#include <linux/string.h>
#include <linux/export.h>

void *memcpy(void *dest, const void *src, size_t n)
{
	__builtin_memcpy(dest, src, n);
	return dest;
}
EXPORT_SYMBOL(memcpy);

void *memmove(void *dest, const void *src, size_t n)
{
	__builtin_memmove(dest, src, n);
	return dest;
}
EXPORT_SYMBOL(memmove);

void *memset(void *s, int c, size_t n)
{
	__builtin_memset(s, c, n);
	return s;
}
EXPORT_SYMBOL(memset);
