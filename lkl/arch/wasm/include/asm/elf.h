/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_ELF_H
#define _ASM_WASM_ELF_H
#include <asm/ptrace.h>
/* The kernel itself loads no ELF binaries: guests are loaded by the host. */
#define ELF_CLASS	ELFCLASS32
#define ELF_DATA	ELFDATA2LSB
#define ELF_ARCH	EM_NONE
#define elf_check_arch(x)	0
#define ELF_EXEC_PAGESIZE	4096
#define ELF_HWCAP	0
#define ELF_PLATFORM	NULL
#define ELF_ET_DYN_BASE	0
typedef unsigned long elf_greg_t;
#define ELF_NGREG	(sizeof(struct pt_regs) / sizeof(elf_greg_t))
typedef elf_greg_t elf_gregset_t[ELF_NGREG];
typedef struct { } elf_fpregset_t;
#endif
