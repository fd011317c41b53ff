/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every system call is reached through one function type, long (*)(const
 * struct pt_regs *): an indirect call whose type differs from the callee's
 * traps in WebAssembly, so the table cannot hold the natural prototypes.
 */
#ifndef _ASM_WASM_SYSCALL_WRAPPER_H
#define _ASM_WASM_SYSCALL_WRAPPER_H

struct pt_regs;

#define SC_WASM_REGS_TO_ARGS(x, ...)					\
	__MAP(x, __SC_ARGS, ,regs->args[0], ,regs->args[1], ,regs->args[2], \
	      ,regs->args[3], ,regs->args[4], ,regs->args[5])

#define __SYSCALL_DEFINEx(x, name, ...)					\
	long __wasm_sys##name(const struct pt_regs *regs);		\
	ALLOW_ERROR_INJECTION(__wasm_sys##name, ERRNO);			\
	static long __se_sys##name(__MAP(x,__SC_LONG,__VA_ARGS__));	\
	static inline long __do_sys##name(__MAP(x,__SC_DECL,__VA_ARGS__)); \
	long __wasm_sys##name(const struct pt_regs *regs)		\
	{								\
		return __se_sys##name(SC_WASM_REGS_TO_ARGS(x,__VA_ARGS__)); \
	}								\
	static long __se_sys##name(__MAP(x,__SC_LONG,__VA_ARGS__))	\
	{								\
		long ret = __do_sys##name(__MAP(x,__SC_CAST,__VA_ARGS__)); \
		__MAP(x,__SC_TEST,__VA_ARGS__);				\
		__PROTECT(x, ret,__MAP(x,__SC_ARGS,__VA_ARGS__));	\
		return ret;						\
	}								\
	static inline long __do_sys##name(__MAP(x,__SC_DECL,__VA_ARGS__))

#define SYSCALL_DEFINE0(sname)						\
	SYSCALL_METADATA(_##sname, 0);					\
	long __wasm_sys_##sname(const struct pt_regs *__unused);	\
	ALLOW_ERROR_INJECTION(__wasm_sys_##sname, ERRNO);		\
	long __wasm_sys_##sname(const struct pt_regs *__unused)

#define COND_SYSCALL(name)						\
	long __wasm_sys_##name(const struct pt_regs *regs);		\
	long __weak __wasm_sys_##name(const struct pt_regs *regs)	\
	{								\
		return sys_ni_syscall();				\
	}

/* No compat ABI: nothing to stub. */
#define COND_SYSCALL_COMPAT(name)

#define SYS_NI(name) SYSCALL_ALIAS(__wasm_sys_##name, sys_ni_posix_timers);

#endif
