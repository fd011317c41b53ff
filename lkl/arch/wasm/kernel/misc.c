// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include <linux/reboot.h>
#include <linux/pm.h>
#include <linux/uaccess.h>
#include <linux/random.h>
#include <linux/ptrace.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
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

/*
 * Guest CPU state lives in the host, not in kernel pt_regs, so there is
 * nothing for ptrace requests to read or write.
 */
long arch_ptrace(struct task_struct *child, long request,
		 unsigned long addr, unsigned long data)
{
	return ptrace_request(child, request, addr, data);
}

void ptrace_disable(struct task_struct *child)
{
}

/*
 * /proc/cpuinfo describes the CPU user programs run on, which is the host's
 * (src/cpu/cpu-model.ts): the host gives the whole text, as
 * arch/x86/kernel/cpu/proc.c would print it for that CPU.
 */
static int show_cpuinfo(struct seq_file *m, void *v)
{
	static char *text;
	static int len;

	if (!text) {
		int n = wasm_host_cpuinfo(NULL, 0);
		char *buf = kmalloc(n > 0 ? n : 1, GFP_KERNEL);

		if (!buf)
			return -ENOMEM;
		len = n > 0 ? min(wasm_host_cpuinfo(buf, n), n) : 0;
		text = buf;
	}
	seq_write(m, text, len);
	return 0;
}

static void *c_start(struct seq_file *m, loff_t *pos)
{
	return *pos == 0 ? (void *)1 : NULL;
}

static void *c_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void c_stop(struct seq_file *m, void *v)
{
}

const struct seq_operations cpuinfo_op = {
	.start	= c_start,
	.next	= c_next,
	.stop	= c_stop,
	.show	= show_cpuinfo,
};
