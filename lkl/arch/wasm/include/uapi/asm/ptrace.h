/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_WASM_PTRACE_H
#define _UAPI_ASM_WASM_PTRACE_H

/* A system call request as the host hands it to a kernel task. */
struct pt_regs {
	long syscallno;
	long args[6];
	long ret;
};

#endif
