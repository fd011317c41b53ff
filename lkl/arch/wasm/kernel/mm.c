// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory is the RTOS's (the CPU's page frames), not the kernel's; yet it
 * is the machine's memory. The RTOS charges each address space's frames to the
 * mm of its processes: one page of the kernel's memory per frame, taken and
 * never touched (so it costs the host nothing), held by the mm until the mm is
 * gone. So MemTotal bounds guest memory and the kernel's together, `free`
 * shows it used, and the OOM killer weighs a process by its frames (they count
 * as its anonymous RSS).
 */
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/oom.h>
#include <linux/sched/signal.h>
#include <asm/mmu_context.h>
#include <asm/unistd.h>

/*
 * Memory the guests cannot take: what the kernel itself needs to go on
 * (task stacks, page cache, slab). A charge that would leave less available
 * fails and wakes the OOM killer, before the kernel's own allocations would.
 */
static unsigned long wasm_reserve_pages(void)
{
	return max(totalram_pages() / 16, 4UL << (20 - PAGE_SHIFT));
}

/*
 * The OOM killer, as sysrq-f calls it (order -1): it chooses a victim by its
 * badness and kills it, and unlike an allocation's call it does not panic
 * when no process is left to kill (the system goes on; the charge fails).
 */
static void wasm_oom(void)
{
	struct oom_control oc = {
		.zonelist = NULL,
		.nodemask = NULL,
		.memcg = NULL,
		.gfp_mask = 0,
		.order = -1,
	};

	if (mutex_lock_killable(&oom_lock))
		return;
	out_of_memory(&oc);
	mutex_unlock(&oom_lock);
}

/* add_mm_counter() without its tracepoint, which only MMU kernels build */
static void count_anon(struct mm_struct *mm, long n)
{
	atomic_long_add(n, &mm->rss_stat.count[MM_ANONPAGES]);
}

void destroy_context(struct mm_struct *mm)
{
	struct page *p, *n;

	list_for_each_entry_safe(p, n, &mm->context.charged, lru) {
		list_del(&p->lru);
		__free_page(p);
	}
	count_anon(mm, -(long)mm->context.nr_charged);
	mm->context.nr_charged = 0;
	wasm_files_drop(mm);
}

/*
 * Charge (delta > 0) or give back (delta < 0) pages for the calling task's
 * address space; returns how many it holds now. A charge that cannot be met
 * in full keeps what it got and runs the OOM killer, which may choose the
 * caller (SIGKILL pending when the call returns) or another process (its
 * pages come back when it is gone: the RTOS asks again).
 */
static long wasm_mm_charge(long delta)
{
	struct mm_struct *mm = current->mm;
	long n = 0;

	if (!mm)
		return -EINVAL;
	if (delta < 0) {
		while (n > delta && !list_empty(&mm->context.charged)) {
			struct page *p = list_first_entry(&mm->context.charged, struct page, lru);

			list_del(&p->lru);
			__free_page(p);
			n--;
		}
	} else {
		while (n < delta && !fatal_signal_pending(current)) {
			struct page *p = alloc_page(GFP_USER | __GFP_NORETRY | __GFP_NOWARN);

			if (p && si_mem_available() < wasm_reserve_pages()) {
				__free_page(p);
				p = NULL;
			}
			if (!p)
				break;
			list_add(&p->lru, &mm->context.charged);
			n++;
		}
	}
	mm->context.nr_charged += n;
	count_anon(mm, n);
	if (n < delta && !fatal_signal_pending(current))
		wasm_oom();
	return mm->context.nr_charged;
}

long wasm_files_syscall(struct pt_regs *regs);

long wasm_arch_syscall(struct pt_regs *regs)
{
	switch (regs->syscallno) {
	case __NR_wasm_mm_charge:
		return wasm_mm_charge(regs->args[0]);
	}
	return wasm_files_syscall(regs);
}
