// SPDX-License-Identifier: GPL-2.0
/*
 * Boot: the host calls wasm_boot() on init_task's stack; start_kernel's last
 * step hands init_task over to wasm_idle_entry() (host_ops.h boot_done), so
 * neither returns.
 */
#include <linux/init.h>
#include <linux/start_kernel.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/pfn.h>
#include <linux/delay.h>
#include <asm/setup.h>
#include <asm/host_ops.h>

struct task_struct *wasm_current_task = &init_task;
int wasm_current_host_id;
unsigned long wasm_irq_flags = ARCH_IRQ_DISABLED;
unsigned long memory_start, memory_end;

__attribute__((export_name("wasm_boot")))
void __ref wasm_boot(unsigned long mem_start, unsigned long mem_end, const char *cmdline)
{
	memory_start = PAGE_ALIGN(mem_start);
	memory_end = mem_end & PAGE_MASK;
	strscpy(boot_command_line, cmdline, COMMAND_LINE_SIZE);
	start_kernel();
}

/* start_kernel is done: init_task leaves its frame (host_ops.h boot_done). */
void __init arch_call_rest_init(void)
{
	wasm_host_boot_done();
}

/* Where the host enters init_task again after boot_done: the first threads, then the idle loop. */
__attribute__((export_name("wasm_idle_entry")))
void __ref wasm_idle_entry(void)
{
	rest_init();
}

/* The host writes the kernel command line here before calling wasm_boot. */
__attribute__((export_name("wasm_cmdline_buf")))
char *wasm_cmdline_buf(void)
{
	static char buf[COMMAND_LINE_SIZE];
	return buf;
}

void __init setup_arch(char **cmdline_p)
{
	unsigned long max_zone_pfn[MAX_NR_ZONES] = { 0 };

	*cmdline_p = boot_command_line;
	memblock_add(memory_start, memory_end - memory_start);
	min_low_pfn = PFN_UP(memory_start);
	max_low_pfn = PFN_DOWN(memory_end);
	max_pfn = max_low_pfn;
	max_mapnr = max_low_pfn;
	/* Everything below memory_start is the kernel image and its data. */
	memblock_reserve(0, memory_start);
	max_zone_pfn[ZONE_NORMAL] = max_low_pfn;
	free_area_init(max_zone_pfn);
}

void __init mem_init(void)
{
	high_memory = (void *)memory_end;
	memblock_free_all();
}

void free_initmem(void)
{
	/* Init data shares segments with the rest of the image: keep it. */
}
unsigned long empty_zero_page[PAGE_SIZE / sizeof(unsigned long)] __aligned(PAGE_SIZE);

/* No busy-wait loops to calibrate: delays are host timer waits. */
void __init calibrate_delay(void)
{
	loops_per_jiffy = 1000000 / HZ;
}
