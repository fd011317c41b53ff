/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_CURRENT_H
#define _ASM_WASM_CURRENT_H
/* One CPU: the running task is a plain variable, set by __switch_to. */
struct task_struct;
extern struct task_struct *wasm_current_task;
#define get_current()	(wasm_current_task)
#define current		get_current()
#endif
