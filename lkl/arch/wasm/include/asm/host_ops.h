/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host interface: what the kernel asks of the RTOS that hosts it. Each
 * member is an import of module "host", documented here once, implemented in
 * src/rtos/kernel/kernel.ts as HostImports (host-ops.ts, made from this file).
 */
#ifndef _ASM_WASM_HOST_OPS_H
#define _ASM_WASM_HOST_OPS_H

#define __host_import(name) __attribute__((import_module("host"), import_name(#name)))
/*
 * An import that may suspend the running task (switch it out as a
 * coroutine). scripts/build-lkl.mjs reads this file for the list Asyncify
 * instruments: a suspending import missing from it corrupts the kernel.
 */
#define __host_import_suspends(name) __host_import(name)

/* print: write len bytes of kernel log/console text at s. */
__host_import(print) void wasm_host_print(const char *s, int len);

/* panic: the kernel cannot go on; the host stops the system with a message. */
__host_import(panic) void wasm_host_panic(void) __attribute__((noreturn));

/*
 * thread_create: a new task with its kernel stack at [stack, stack+size) was
 * created; the host makes it a coroutine entered at wasm_task_entry(task).
 * thread_free: the task's stack is about to be freed; forget the coroutine.
 */
__host_import(thread_create) void wasm_host_thread_create(void *task, void *stack, unsigned long size);
__host_import(thread_free) void wasm_host_thread_free(void *task);

/*
 * switch: suspend the running coroutine (prev) and resume next. Returns, in
 * prev, when something switches back to prev.
 */
__host_import_suspends(switch) void wasm_host_switch(void *prev, void *next);

/*
 * boot_done: start_kernel has done its part (its last step,
 * arch_call_rest_init). The host leaves the running call stack (init_task's,
 * entered at wasm_boot) and enters wasm_idle_entry() at the top of init_task's
 * stack, where init_task goes on (rest_init: the first threads, then the idle
 * loop). The idle task's call stack, rewound at each of its resumes, then
 * holds no start_kernel (a function of 60 KB, which V8 would compile at the
 * first resume after a restored snapshot). Does not return.
 */
__host_import(boot_done) void wasm_host_boot_done(void) __attribute__((noreturn));

/*
 * idle: nothing is runnable. The host suspends the CPU until an event
 * (timer, console input, a request) is pending, then returns.
 */
__host_import_suspends(idle) void wasm_host_idle(void);

/*
 * park: the running task (serving host task id) has finished a request and
 * nothing else is runnable; the host suspends the CPU "in user mode" until
 * it has something. Returns 1 when host task id has a new request (take it),
 * 0 when there are host events to handle first. Returns at once if either is
 * already pending.
 */
__host_import_suspends(park) int wasm_host_park(int id);

/* irq_next: the next pending host event line (asm/irq.h), or 0 when none. */
__host_import(irq_next) int wasm_host_irq_next(void);

/* time: monotonic nanoseconds since the host started. */
__host_import(time) unsigned long long wasm_host_time(void);
/* realtime: wall-clock nanoseconds since the epoch at boot. */
__host_import(realtime) unsigned long long wasm_host_realtime(void);

/* timer_set: raise WASM_IRQ_TIMER once when time() reaches ns; ns = 0 cancels. */
__host_import(timer_set) void wasm_host_timer_set(unsigned long long ns);

/*
 * User memory of the host task that owns the running kernel task
 * (current->thread.host_id): each returns how many bytes could NOT be
 * copied (0 on success), so a bad pointer becomes EFAULT.
 */
__host_import(copy_from_user) unsigned long wasm_host_copy_from_user_id(int id, void *to, unsigned long from, unsigned long n);
__host_import(copy_to_user) unsigned long wasm_host_copy_to_user_id(int id, unsigned long to, const void *from, unsigned long n);
__host_import(clear_user) unsigned long wasm_host_clear_user_id(int id, unsigned long to, unsigned long n);
/* strnlen_user: length of the string at from including its NUL, n+1 if longer, 0 on fault. */
__host_import(strnlen_user) long wasm_host_strnlen_user_id(int id, unsigned long from, long n);
/*
 * futex_page: what the user page at addr of host task id is, for a shared
 * futex (get_futex_key, through arch_futex_page in asm/futex.h): -EFAULT
 * when it is not mapped readable (writable if write), 0 when it is private
 * to the task's address space, else a number > 0 naming the page itself,
 * the same in every address space that maps it (MAP_SHARED, SysV shm).
 */
__host_import(futex_page) long long wasm_host_futex_page_id(int id, unsigned long addr, int write);

/*
 * Requests: a host task posts one system call at a time. request_take
 * copies the request for host task id into regs and returns 1, or 0 if none
 * is pending; request_done hands back the result.
 */
__host_import(request_take) int wasm_host_request_take(int id, void *regs);
__host_import(request_done) void wasm_host_request_done(int id, long ret);
/* user_time: nanoseconds host task id ran guest code since it was last asked (0 for a TypeScript task). */
__host_import(user_time) unsigned long long wasm_host_user_time(int id);
/*
 * task_new: task was created by clone() in host task parent_id (or became
 * init, parent_id 0); returns the host id of the RTOS task it will serve.
 * wake_next: a task whose request is pending and must be woken, or NULL.
 */
__host_import(task_new) int wasm_host_task_new(int parent_id, void *task, unsigned long clone_flags);
__host_import(wake_next) void *wasm_host_wake_next(void);
/* task_exit: the kernel task of host task id has exited with the wait status code. */
__host_import(task_exit) void wasm_host_task_exit(int id, int code);

/*
 * exec_check: host task id's kernel task is about to execute an i386
 * program (path and interp as for exec below), before the point of no
 * return: 0 when the host can run it, else -errno for execve to fail with
 * (ENOEXEC, EINVAL, ELIBBAD, ENOMEM for an image it cannot load, ENOENT
 * for a missing PT_INTERP, as load_elf_binary would).
 */
__host_import(exec_check) int wasm_host_exec_check(int id, const char *path, int path_len, const char *interp, int interp_len);
/*
 * exec: host task id's kernel task has executed an i386 program (everything
 * execve means on the kernel side is done); path is the file as given,
 * interp the file actually run (the interpreter of a #! script, else path).
 * The host loads the image.
 */
__host_import(exec) void wasm_host_exec(int id, const char *path, int path_len, const char *interp, int interp_len);
/*
 * signal: deliver caught signal sig to host task id: the host sets up the
 * handler's frame from info (a user siginfo_t), sa (the kernel's sigaction)
 * and the mask to restore at sigreturn. Returns 0, or -EFAULT when the frame
 * cannot be written (the kernel then forces SIGSEGV).
 */
__host_import(signal) int wasm_host_signal(int id, int sig, const void *info, const void *sa, const void *oldmask);

/*
 * Block devices: blk_count, how many the host has (read when the host has
 * the kernel attach them, __NR_wasm_blk_attach: none at boot, so a booted
 * kernel and its snapshot are the same with a disk or without); capacity in
 * bytes; read/write/flush return 0 or -errno.
 */
__host_import(blk_count) int wasm_host_blk_count(void);
__host_import(blk_capacity) unsigned long long wasm_host_blk_capacity(int dev);
__host_import(blk_read) int wasm_host_blk_read(int dev, void *buf, unsigned long long off, unsigned long len);
__host_import(blk_write) int wasm_host_blk_write(int dev, const void *buf, unsigned long long off, unsigned long len);
__host_import(blk_flush) int wasm_host_blk_flush(int dev);

/*
 * Network devices (eth0, ...), Ethernet frames to and from the host's link
 * (src/net: the user-mode NAT). net_count: how many; net_mac: the 6-byte
 * MAC address of dev into mac.
 */
__host_import(net_count) int wasm_host_net_count(void);
__host_import(net_mac) void wasm_host_net_mac(int dev, unsigned char *mac);
/*
 * net_send: one frame the kernel transmits on dev (len bytes, at most the
 * MTU plus the Ethernet header, or a TCP segment of up to 64 KiB with TSO;
 * checksums of TCP and UDP may be left partial). The host takes it at once:
 * returns 0, or -errno when it drops it.
 */
__host_import(net_send) int wasm_host_net_send(int dev, const void *frame, int len);
/*
 * net_recv: the frames the host has for dev, in order. With n = 0 returns
 * the length of the next frame without taking it (0 when none is pending);
 * otherwise copies the next frame to buf if it fits in n bytes, takes it and
 * returns its length. The host raises WASM_IRQ_NET when frames arrive.
 */
__host_import(net_recv) int wasm_host_net_recv(int dev, void *buf, int n);

/*
 * console_write: n bytes written to console tty line 0 (ttyW0: the host's
 * output) or 1 (ttyW1: its error stream); program output, not the kernel log.
 */
__host_import(console_write) void wasm_host_console_write(int line, const char *s, int n);
/* console_read: up to n bytes of pending console input; returns the count. */
__host_import(console_read) int wasm_host_console_read(char *buf, int n);

/*
 * cpuinfo: the text of /proc/cpuinfo for the CPU user programs run on (the
 * host's model of it; Linux's format). Copies up to n bytes to buf and
 * returns the length of the whole text.
 */
__host_import(cpuinfo) int wasm_host_cpuinfo(char *buf, int n);

/* The host id of the running task, kept by __switch_to. */
extern int wasm_current_host_id;
static inline unsigned long wasm_host_copy_from_user(void *to, unsigned long from, unsigned long n)
{
	return wasm_host_copy_from_user_id(wasm_current_host_id, to, from, n);
}
static inline unsigned long wasm_host_copy_to_user(unsigned long to, const void *from, unsigned long n)
{
	return wasm_host_copy_to_user_id(wasm_current_host_id, to, from, n);
}
static inline unsigned long wasm_host_clear_user(unsigned long to, unsigned long n)
{
	return wasm_host_clear_user_id(wasm_current_host_id, to, n);
}

#endif
