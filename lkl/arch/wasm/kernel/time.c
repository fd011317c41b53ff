// SPDX-License-Identifier: GPL-2.0
/* Time comes from the host: a nanosecond clocksource and a one-shot timer. */
#include <linux/clocksource.h>
#include <linux/clockchips.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/timekeeping.h>
#include <linux/sched_clock.h>
#include <asm/host_ops.h>

unsigned long long sched_clock(void)
{
	return wasm_host_time();
}

static u64 host_clock_read(struct clocksource *cs)
{
	return wasm_host_time();
}

static struct clocksource host_clocksource = {
	.name	= "host",
	.rating	= 400,
	.read	= host_clock_read,
	.mask	= CLOCKSOURCE_MASK(64),
	.flags	= CLOCK_SOURCE_IS_CONTINUOUS,
};

static int host_timer_next(unsigned long delta, struct clock_event_device *evt)
{
	wasm_host_timer_set(wasm_host_time() + delta + 1);
	return 0;
}

static int host_timer_shutdown(struct clock_event_device *evt)
{
	wasm_host_timer_set(0);
	return 0;
}

static struct clock_event_device host_clockevent = {
	.name			= "host",
	.features		= CLOCK_EVT_FEAT_ONESHOT,
	.set_next_event		= host_timer_next,
	.set_state_shutdown	= host_timer_shutdown,
	.set_state_oneshot	= host_timer_shutdown,
	.rating			= 400,
};

static irqreturn_t host_timer_irq(int irq, void *dev)
{
	host_clockevent.event_handler(&host_clockevent);
	return IRQ_HANDLED;
}

void read_persistent_clock64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(wasm_host_realtime());
}

void __init time_init(void)
{
	if (request_irq(WASM_IRQ_TIMER, host_timer_irq, IRQF_TIMER, "timer", NULL))
		pr_err("host timer: no irq\n");
	clocksource_register_hz(&host_clocksource, NSEC_PER_SEC);
	host_clockevent.cpumask = cpu_possible_mask;
	clockevents_config_and_register(&host_clockevent, NSEC_PER_SEC, 1, ULONG_MAX);
}
