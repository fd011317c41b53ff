/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_DELAY_H
#define _ASM_WASM_DELAY_H
/* Busy waits cost nothing on a simulated CPU: the host clock moves on its own. */
static inline void __delay(unsigned long loops) { }
static inline void __udelay(unsigned long usecs) { }
static inline void __ndelay(unsigned long nsecs) { }
#define udelay(n)	__udelay(n)
#define ndelay(n)	__ndelay(n)
#endif
