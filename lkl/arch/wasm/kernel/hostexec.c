// SPDX-License-Identifier: GPL-2.0
/*
 * Executing a program hands it to the host: the kernel does everything
 * execve means (close-on-exec, signal reset, credentials, comm,
 * /proc/self/exe) and the host loads and runs the image.
 *
 * The first such program is /init, a marker file made at boot: when
 * kernel_init executes it, PID 1 becomes the host's init task.
 */
#include <linux/init.h>
#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/fcntl.h>
#include <linux/elf.h>
#include <linux/init_syscalls.h>
#include <linux/task_work.h>
#include <asm/host_ops.h>

#define HOST_INIT_MAGIC "\x7fhost-init\n"

static int load_host_binary(struct linux_binprm *bprm)
{
	int err;

	/* Only kernel_init, at boot, becomes the host's init (no host task yet). */
	if (current->thread.host_id || memcmp(bprm->buf, HOST_INIT_MAGIC, sizeof(HOST_INIT_MAGIC) - 1))
		return -ENOEXEC;
	err = begin_new_exec(bprm);
	if (err)
		return err;
	setup_new_exec(bprm);
	finalize_exec(bprm);
	current->thread.host_id = wasm_host_task_new(0, current, 0);
	wasm_current_host_id = current->thread.host_id;
	return 0;
}

static struct linux_binfmt host_format = {
	.module		= THIS_MODULE,
	.load_binary	= load_host_binary,
};

/*
 * i386 ELF programs: the kernel checks the header and does its part of
 * execve (close-on-exec, signal dispositions, credentials, comm,
 * /proc/self/exe, de_thread, the vfork parent's release); the host loads
 * the image into the guest address space (checked before the point of no
 * return) and runs it.
 */
static int load_i386_binary(struct linux_binprm *bprm)
{
	const struct elf32_hdr *h = (const struct elf32_hdr *)bprm->buf;
	int err;

	if (memcmp(h->e_ident, ELFMAG, SELFMAG) || h->e_ident[EI_CLASS] != ELFCLASS32 ||
	    h->e_ident[EI_DATA] != ELFDATA2LSB || (h->e_type != ET_EXEC && h->e_type != ET_DYN) ||
	    (h->e_machine != EM_386 && h->e_machine != EM_486) || h->e_phentsize != sizeof(struct elf32_phdr))
		return -ENOEXEC;
	if (!current->thread.host_id)
		return -ENOEXEC;
	/* The host loads the image before the point of no return, so a bad one fails the call. */
	err = wasm_host_exec_check(current->thread.host_id, bprm->filename, strlen(bprm->filename),
				   bprm->interp, strlen(bprm->interp));
	if (err)
		return err;
	err = begin_new_exec(bprm);
	if (err)
		return err;
	setup_new_exec(bprm);
	finalize_exec(bprm);
	wasm_host_exec(current->thread.host_id, bprm->filename, strlen(bprm->filename),
		       bprm->interp, strlen(bprm->interp));
	return 0;
}

static struct linux_binfmt i386_format = {
	.module		= THIS_MODULE,
	.load_binary	= load_i386_binary,
};

static int __init host_binfmt_init(void)
{
	register_binfmt(&host_format);
	register_binfmt(&i386_format);
	return 0;
}
core_initcall(host_binfmt_init);

static int __init host_init_file(void)
{
	struct file *f;
	loff_t pos = 0;

	f = filp_open("/init", O_CREAT | O_WRONLY | O_TRUNC, 0700);
	if (IS_ERR(f)) {
		pr_err("host: cannot create /init: %ld\n", PTR_ERR(f));
		return 0;
	}
	kernel_write(f, HOST_INIT_MAGIC, sizeof(HOST_INIT_MAGIC) - 1, &pos);
	fput(f);
	/* Close it now, or executing it would fail with ETXTBSY. */
	task_work_run();
	return 0;
}
late_initcall(host_init_file);
