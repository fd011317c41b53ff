/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every system call is reached through one function type, long (*)(const
 * struct pt_regs *): an indirect call whose type differs from the callee's
 * traps in WebAssembly, so the table cannot hold the natural prototypes.
 */
#ifndef _ASM_WASM_SYSCALL_WRAPPER_H
#define _ASM_WASM_SYSCALL_WRAPPER_H

struct pt_regs;

/*
 * One 32-bit slot per argument, except that a 64-bit one (loff_t, u64)
 * takes two, low word first: the order of the i386 register pairs, so the
 * i386 calls (pread64, fallocate, fanotify_mark, ...) pass straight through.
 */
#define __WASM_LL(t)	__TYPE_IS_LL(t)
#define __WASM_SLOT(i)	(((const unsigned long *)regs->args)[i])
#define __WASM_ARG(t, i)						\
	__builtin_choose_expr(__WASM_LL(t),				\
		(unsigned long long)__WASM_SLOT((i) + 1) << 32 | __WASM_SLOT(i), \
		__WASM_SLOT(i))
#define __WASM_ARGS1(t1, a1)						\
	__WASM_ARG(t1, 0)
#define __WASM_ARGS2(t1, a1, t2, a2)					\
	__WASM_ARGS1(t1, a1), __WASM_ARG(t2, 1 + __WASM_LL(t1))
#define __WASM_ARGS3(t1, a1, t2, a2, t3, a3)				\
	__WASM_ARGS2(t1, a1, t2, a2),					\
	__WASM_ARG(t3, 2 + __WASM_LL(t1) + __WASM_LL(t2))
#define __WASM_ARGS4(t1, a1, t2, a2, t3, a3, t4, a4)			\
	__WASM_ARGS3(t1, a1, t2, a2, t3, a3),				\
	__WASM_ARG(t4, 3 + __WASM_LL(t1) + __WASM_LL(t2) + __WASM_LL(t3))
#define __WASM_ARGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)		\
	__WASM_ARGS4(t1, a1, t2, a2, t3, a3, t4, a4),			\
	__WASM_ARG(t5, 4 + __WASM_LL(t1) + __WASM_LL(t2) + __WASM_LL(t3) + \
		   __WASM_LL(t4))
#define __WASM_ARGS6(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)	\
	__WASM_ARGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5),		\
	__WASM_ARG(t6, 5 + __WASM_LL(t1) + __WASM_LL(t2) + __WASM_LL(t3) + \
		   __WASM_LL(t4) + __WASM_LL(t5))
#define SC_WASM_REGS_TO_ARGS(x, ...)	__WASM_ARGS##x(__VA_ARGS__)

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
