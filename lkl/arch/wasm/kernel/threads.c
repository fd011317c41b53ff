// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks are coroutines of the host. A new task starts in wasm_task_entry();
 * __switch_to() suspends the running coroutine and resumes the next one.
 * A task that is not a kernel thread "returns to user mode" by serving
 * system call requests of the RTOS task that owns it (host_id).
 */
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/sched/signal.h>
#include <linux/sched/debug.h>
#include <linux/sched/stat.h>
#include <linux/kernel_stat.h>
#include <linux/signal.h>
#include <linux/resume_user_mode.h>
#include <linux/ptrace.h>
#include <asm/host_ops.h>
#include <asm/syscall.h>

long wasm_do_syscall(struct pt_regs *regs);
void wasm_handle_host_irqs(void);

int copy_thread(struct task_struct *p, const struct kernel_clone_args *args)
{
	memset(&p->thread, 0, sizeof(p->thread));
	if (args->fn) {
		p->thread.fn = args->fn;
		p->thread.fn_arg = args->fn_arg;
		/* user_mode_thread() children (init) get their host id at exec. */
	} else {
		/* clone() from a host task: the child serves a new RTOS task. */
		p->thread.host_id = wasm_host_task_new(current->thread.host_id, p, args->flags);
	}
	wasm_host_thread_create(p, task_stack_page(p), THREAD_SIZE);
	return 0;
}

struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next)
{
	next->thread.prev = prev;
	wasm_current_task = next;
	wasm_current_host_id = next->thread.host_id;
	wasm_host_switch(prev, next);
	/* Resumed: whoever switched to us set thread.prev. */
	return current->thread.prev;
}

void exit_thread(struct task_struct *tsk)
{
	if (tsk->thread.host_id)
		wasm_host_task_exit(tsk->thread.host_id, tsk->exit_code);
}

void arch_release_task_struct(struct task_struct *tsk)
{
	wasm_host_thread_free(tsk);
}

void flush_thread(void)
{
}

void show_regs(struct pt_regs *regs)
{
	pr_info("syscall %ld (%lx, %lx, %lx, %lx, %lx, %lx)\n", regs->syscallno,
		regs->args[0], regs->args[1], regs->args[2], regs->args[3],
		regs->args[4], regs->args[5]);
}

void show_stack(struct task_struct *task, unsigned long *sp, const char *loglvl)
{
}

/* Signal work before "returning to user mode", i.e. before the next request. */
static void wasm_user_work(void)
{
	struct ksignal ksig;

	for (;;) {
		if (test_thread_flag(TIF_NOTIFY_RESUME)) {
			resume_user_mode_work(current_pt_regs());
			continue;
		}
		if (!test_thread_flag(TIF_SIGPENDING) && !test_thread_flag(TIF_NOTIFY_SIGNAL))
			break;
		/*
		 * Fatal signals end the task inside get_signal(); a caught one is
		 * handed to the host, which builds the i386 frame on the guest's
		 * stack (or fails, and the kernel forces SIGSEGV).
		 */
		if (get_signal(&ksig)) {
			siginfo_t info;
			int err;

			copy_siginfo_to_external(&info, &ksig.info);
			err = wasm_host_signal(current->thread.host_id, ksig.sig, &info,
					       &ksig.ka.sa, sigmask_to_save());
			signal_setup_done(err, &ksig, 0);
		}
		else
			restore_saved_sigmask();
	}
}

/*
 * Guest code ran for ns since the task's last request: that is the task's
 * user time (times, getrusage, wait4's rusage, /proc/PID/stat) and CPU time
 * (CLOCK_*_CPUTIME_ID), which cputime_adjust scales utime and stime to.
 */
static void wasm_account_user(u64 ns)
{
	current->se.sum_exec_runtime += ns;
	account_user_time(current, ns);
}

/*
 * "User mode" of a task that serves a host task: take its requests one at a
 * time. Right after a request, when nothing else is runnable, the task parks
 * in the host instead of sleeping: to the kernel it is running user code, so
 * the host's next request resumes it directly, without a trip through the
 * scheduler and the idle task. Any other host event unparks it; it then takes
 * the event like the idle task would and sleeps the normal way.
 */
static void __noreturn wasm_return_to_user(void)
{
	struct pt_regs *regs = current_pt_regs();
	bool may_park = false;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		/*
		 * A request the host has made is served before any signal is
		 * taken: the call was made before the signal interrupted the
		 * guest, and taking the signal first would run the call under
		 * the handler's mask (a sigprocmask then reads that mask as the
		 * thread's own). Its signals are taken on the way back: the host
		 * learns the result first (a fatal one must not turn it into
		 * ESRCH for a host task that outlives its kernel task), and its
		 * code runs on only after the kernel is done (that is, with the
		 * frames to set up known).
		 */
		if (wasm_host_request_take(current->thread.host_id, regs)) {
			u64 ns = wasm_host_user_time(current->thread.host_id);

			__set_current_state(TASK_RUNNING);
			if (ns)
				wasm_account_user(ns);
			regs->ret = wasm_do_syscall(regs);
			wasm_host_request_done(current->thread.host_id, regs->ret);
			wasm_user_work();
			may_park = true;
			continue;
		}
		/* No request: a signal interrupts the guest code the host runs. */
		if (test_thread_flag(TIF_SIGPENDING) || test_thread_flag(TIF_NOTIFY_SIGNAL) ||
		    test_thread_flag(TIF_NOTIFY_RESUME)) {
			__set_current_state(TASK_RUNNING);
			wasm_user_work();
			continue;
		}
		if (may_park && nr_running() == 1 && !need_resched()) {
			__set_current_state(TASK_RUNNING);
			may_park = false;
			if (wasm_host_park(current->thread.host_id))
				continue;
			local_irq_disable();
			wasm_handle_host_irqs();
			local_irq_enable();
			continue;
		}
		may_park = false;
		schedule();
	}
}

__attribute__((export_name("wasm_task_entry")))
void wasm_task_entry(struct task_struct *task)
{
	schedule_tail(current->thread.prev);
	if (current->thread.fn) {
		current->thread.fn(current->thread.fn_arg);
		current->thread.fn = NULL;
	}
	wasm_return_to_user();
}
