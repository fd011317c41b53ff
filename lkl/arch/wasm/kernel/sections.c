// SPDX-License-Identifier: GPL-2.0
/*
 * What the linker script does on other architectures, done with segment
 * order. wasm-ld has no linker scripts; it concatenates input segments of
 * the same name into one output segment and lays output segments out in
 * the order it first meets their names. This object is linked first, so
 * its zero-size markers fix that order and mark where each range starts;
 * a range ends where the marker of the next (otherwise empty) segment sits.
 */
/* No headers: they declare these symbols with their real types. */
#define THREAD_SIZE	(4096 << CONFIG_KERNEL_STACK_ORDER)

#define MARK(sym, sec) \
	char sym[0] __attribute__((used, aligned(1), section(sec)))

/* init/main.c: the initcall levels, in the order do_initcalls() runs them. */
MARK(__initcall_start, ".initcallearly.init");
MARK(__initcall0_start, ".initcall0.init");
MARK(__initcall0s_mark, ".initcall0s.init");
MARK(__initcall1_start, ".initcall1.init");
MARK(__initcall1s_mark, ".initcall1s.init");
MARK(__initcall2_start, ".initcall2.init");
MARK(__initcall2s_mark, ".initcall2s.init");
MARK(__initcall3_start, ".initcall3.init");
MARK(__initcall3s_mark, ".initcall3s.init");
MARK(__initcall4_start, ".initcall4.init");
MARK(__initcall4s_mark, ".initcall4s.init");
MARK(__initcall5_start, ".initcall5.init");
MARK(__initcall5s_mark, ".initcall5s.init");
MARK(__initcallrootfs_start, ".initcallrootfs.init");
MARK(__initcallrootfss_mark, ".initcallrootfss.init");
MARK(__initcall6_start, ".initcall6.init");
MARK(__initcall6s_mark, ".initcall6s.init");
MARK(__initcall7_start, ".initcall7.init");
MARK(__initcall7s_mark, ".initcall7s.init");
MARK(__initcall_end, ".initcall.end");

MARK(__con_initcall_start, ".con_initcall.init");
MARK(__con_initcall_end, ".con_initcall.end");

MARK(__setup_start, ".init.setup");
MARK(__setup_end, ".init.setup.end");

/* kernel/sched: the classes, highest priority first, as the scheduler walks them. */
MARK(__sched_class_highest, "__stop_sched_class");
MARK(__dl_sched_class_mark, "__dl_sched_class");
MARK(__rt_sched_class_mark, "__rt_sched_class");
MARK(__fair_sched_class_mark, "__fair_sched_class");
MARK(__idle_sched_class_mark, "__idle_sched_class");
MARK(__sched_class_lowest, "__sched_class.end");

/*
 * Code is not in linear memory (function pointers are table indices), so
 * the text ranges are empty: no data address is ever taken for code. No
 * instruction can fault either, so the exception table is empty too.
 */
MARK(_stext, ".text.markers");
MARK(_etext, ".text.markers");
MARK(_sinittext, ".text.markers");
MARK(_einittext, ".text.markers");
MARK(__sched_text_start, ".text.markers");
MARK(__sched_text_end, ".text.markers");
MARK(__cpuidle_text_start, ".text.markers");
MARK(__cpuidle_text_end, ".text.markers");
MARK(__start___ex_table, ".text.markers");
MARK(__stop___ex_table, ".text.markers");

/*
 * Image ranges that only serve to free or protect parts of a loaded image:
 * init memory is never freed (it is part of the module) and nothing is
 * write-protected, so they are empty as well.
 */
MARK(_sdata, ".image.markers");
MARK(_edata, ".image.markers");
MARK(__bss_start, ".image.markers");
MARK(__bss_stop, ".image.markers");
MARK(__init_begin, ".image.markers");
MARK(__init_end, ".image.markers");
MARK(__start_rodata, ".image.markers");
MARK(__end_rodata, ".image.markers");

/* init_task's stack, on which the host boots the kernel. */
unsigned long init_stack[THREAD_SIZE / sizeof(unsigned long)]
	__attribute__((aligned(THREAD_SIZE)));

__attribute__((export_name("wasm_init_stack")))
unsigned long wasm_init_stack(void)
{
	return (unsigned long)init_stack;
}

/* Every task's kernel stack is this size (init_task's above included). */
__attribute__((export_name("wasm_thread_size")))
unsigned long wasm_thread_size(void)
{
	return THREAD_SIZE;
}
