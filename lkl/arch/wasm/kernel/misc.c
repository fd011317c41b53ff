// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include <linux/reboot.h>
#include <linux/pm.h>
#include <linux/uaccess.h>
#include <linux/random.h>
#include <asm/host_ops.h>

void (*pm_power_off)(void);

void machine_halt(void)
{
	wasm_host_panic();
}

void machine_power_off(void)
{
	wasm_host_panic();
}

void machine_restart(char *cmd)
{
	wasm_host_panic();
}

long strnlen_user(const char __user *str, long n)
{
	return wasm_host_strnlen_user_id(wasm_current_host_id, (unsigned long)str, n);
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	long len;

	if (count <= 0)
		return 0;
	len = strnlen_user(src, count);
	if (len == 0)
		return -EFAULT;
	/* len counts the NUL; longer than count means dst gets count bytes, no NUL. */
	if (len > count) {
		if (raw_copy_from_user(dst, src, count))
			return -EFAULT;
		return count;
	}
	if (raw_copy_from_user(dst, src, len))
		return -EFAULT;
	return len - 1;
}
