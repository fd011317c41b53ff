// SPDX-License-Identifier: GPL-2.0
/*
 * Host events arrive as interrupt lines. They are taken when the CPU idles:
 * the idle coroutine returns from the host, drains the pending lines and
 * lets the scheduler run whatever they woke.
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/hardirq.h>
#include <linux/irqchip.h>
#include <linux/sched.h>
#include <asm/host_ops.h>
#include <asm/irq_regs.h>

void wasm_irq_enable_hook(void)
{
}

static void noop_irq(struct irq_data *d)
{
}

static struct irq_chip host_irq_chip = {
	.name = "host",
	.irq_mask = noop_irq,
	.irq_unmask = noop_irq,
};

/*
 * The register frame interrupts are taken with. There is no interrupted
 * context to describe, but the tick needs one: without it tick_sched_timer()
 * only advances jiffies and never runs update_process_times(), so the timer
 * wheel never fires (schedule_timeout(), delayed work such as periodic
 * writeback, TCP timers).
 */
static struct pt_regs host_irq_regs;

void wasm_handle_host_irqs(void)
{
	struct pt_regs *old = set_irq_regs(&host_irq_regs);
	int irq;

	irq_enter();
	while ((irq = wasm_host_irq_next()) > 0)
		generic_handle_irq(irq);
	irq_exit();
	set_irq_regs(old);
}

static irqreturn_t request_irq_handler(int irq, void *dev)
{
	struct task_struct *t;

	while ((t = wasm_host_wake_next()))
		wake_up_process(t);
	return IRQ_HANDLED;
}

void __init init_IRQ(void)
{
	int i;

	for (i = 1; i < NR_IRQS; i++)
		irq_set_chip_and_handler(i, &host_irq_chip, handle_simple_irq);
}

static int __init request_irq_init(void)
{
	return request_irq(WASM_IRQ_REQUEST, request_irq_handler, 0, "request", NULL);
}
core_initcall(request_irq_init);

void arch_cpu_idle(void)
{
	wasm_host_idle();
	wasm_handle_host_irqs();
	raw_local_irq_enable();
}

int arch_show_interrupts(struct seq_file *p, int prec)
{
	return 0;
}
