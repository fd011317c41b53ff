// SPDX-License-Identifier: GPL-2.0
/*
 * The files behind MAP_SHARED file mappings. Guest memory is the RTOS's, so
 * the RTOS maps a file's shared pages itself and writes them back at msync,
 * munmap, exit and execve; it needs the file for that even after the guest
 * has closed its descriptor. As Linux's vm_file, the reference is held by the
 * address space (its mm here), not by a descriptor: nothing shows in the
 * process's table, /proc/PID/fd or close_range. fork's copy of the mm holds
 * the same files under the same ids; a mm that goes away (exit, exec, a fatal
 * signal) drops what it still holds.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/fsnotify.h>
#include <linux/sched/mm.h>
#include <asm/mmu_context.h>
#include <asm/unistd.h>

struct wasm_held_file {
	struct list_head node;
	long id;
	struct file *file;
};

static atomic_long_t wasm_held_ids = ATOMIC_LONG_INIT(0);

/* The mm is gone (or its copy failed): the files it held are let go. */
void wasm_files_drop(struct mm_struct *mm)
{
	struct wasm_held_file *h, *n;

	list_for_each_entry_safe(h, n, &mm->context.files, node) {
		list_del(&h->node);
		fput(h->file);
		kfree(h);
	}
}

/*
 * A new mm. dup_mm() memcpy'd the parent's (current's) mm into fork's copy
 * before it calls here, so a copy still has the parent's list head: it gets
 * the same files under the same ids. exec's new mm starts zeroed.
 */
int wasm_files_fork(struct mm_struct *mm)
{
	struct mm_struct *old = current->mm;
	struct wasm_held_file *h, *c;
	bool copy = old && old != mm && mm->context.files.next == old->context.files.next;

	INIT_LIST_HEAD(&mm->context.files);
	spin_lock_init(&mm->context.files_lock);
	if (!copy)
		return 0;
	spin_lock(&old->context.files_lock);
	list_for_each_entry(h, &old->context.files, node) {
		c = kmalloc(sizeof(*c), GFP_ATOMIC);
		if (!c) {
			spin_unlock(&old->context.files_lock);
			wasm_files_drop(mm);
			return -ENOMEM;
		}
		c->id = h->id;
		c->file = get_file(h->file);
		list_add_tail(&c->node, &mm->context.files);
	}
	spin_unlock(&old->context.files_lock);
	return 0;
}

/* The calling task's mm holds fd's file from now on; returns the id to name it by. */
static long wasm_file_hold(int fd)
{
	struct mm_struct *mm = current->mm;
	struct wasm_held_file *h;
	struct file *file;

	if (!mm)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	h = kmalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		fput(file);
		return -ENOMEM;
	}
	h->file = file;
	h->id = atomic_long_inc_return(&wasm_held_ids) & LONG_MAX;
	spin_lock(&mm->context.files_lock);
	list_add_tail(&h->node, &mm->context.files);
	spin_unlock(&mm->context.files_lock);
	return h->id;
}

/* The file the calling task's mm holds as id, with a reference of its own (or NULL). */
static struct file *wasm_file_get(long id)
{
	struct mm_struct *mm = current->mm;
	struct wasm_held_file *h;
	struct file *file = NULL;

	if (!mm)
		return NULL;
	spin_lock(&mm->context.files_lock);
	list_for_each_entry(h, &mm->context.files, node) {
		if (h->id == id) {
			file = get_file(h->file);
			break;
		}
	}
	spin_unlock(&mm->context.files_lock);
	return file;
}

static long wasm_file_put(long id)
{
	struct mm_struct *mm = current->mm;
	struct wasm_held_file *h, *found = NULL;

	if (!mm)
		return -EINVAL;
	spin_lock(&mm->context.files_lock);
	list_for_each_entry(h, &mm->context.files, node) {
		if (h->id == id) {
			list_del(&h->node);
			found = h;
			break;
		}
	}
	spin_unlock(&mm->context.files_lock);
	if (!found)
		return -EBADF;
	fput(found->file);
	kfree(found);
	return 0;
}

/*
 * Write back len bytes of a mapping's page from buf (the caller's memory) at
 * file offset pos, as far as the file reaches (write-back never extends a
 * file), at that offset even when the file was opened O_APPEND. A file not
 * open for writing has nothing to write back (its mappings cannot dirty it).
 */
static long wasm_file_write(long id, char __user *buf, unsigned long len, loff_t pos)
{
	struct file *file = wasm_file_get(id);
	struct kiocb kiocb;
	struct iov_iter iter;
	struct iovec iov;
	loff_t size;
	long ret;

	if (!file)
		return -EBADF;
	ret = 0;
	if (!(file->f_mode & FMODE_WRITE) || !file->f_op->write_iter)
		goto out;
	size = i_size_read(file_inode(file));
	if (pos < 0 || pos >= size)
		goto out;
	if (len > size - pos)
		len = size - pos;
	ret = import_single_range(WRITE, buf, len, &iov, &iter);
	if (ret)
		goto out;
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_flags &= ~IOCB_APPEND;
	kiocb.ki_pos = pos;
	file_start_write(file);
	ret = call_write_iter(file, &kiocb, &iter);
	file_end_write(file);
	if (ret > 0)
		fsnotify_modify(file);
out:
	fput(file);
	return ret;
}

static long wasm_file_sync(long id)
{
	struct file *file = wasm_file_get(id);
	long ret;

	if (!file)
		return -EBADF;
	ret = vfs_fsync(file, 0);
	fput(file);
	return ret;
}

long wasm_files_syscall(struct pt_regs *regs)
{
	unsigned long *a = (unsigned long *)regs->args;

	switch (regs->syscallno) {
	case __NR_wasm_file_hold:
		return wasm_file_hold(a[0]);
	case __NR_wasm_file_put:
		return wasm_file_put(a[0]);
	case __NR_wasm_file_write:
		return wasm_file_write(a[0], (char __user *)a[1], a[2], ((loff_t)a[4] << 32) | a[3]);
	case __NR_wasm_file_sync:
		return wasm_file_sync(a[0]);
	}
	return -ENOSYS;
}
