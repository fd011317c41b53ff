/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_LINKAGE_H
#define _ASM_WASM_LINKAGE_H
/* Code has no addresses in linear memory, and no label can be taken. */
#define _THIS_IP_	0UL
#endif
