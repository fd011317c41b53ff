/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_TIMEX_H
#define _ASM_WASM_TIMEX_H
#define CLOCK_TICK_RATE	1000000
typedef unsigned long long cycles_t;
static inline cycles_t get_cycles(void) { return 0; }
#endif
