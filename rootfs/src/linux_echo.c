/* Prints argv[1..] separated by spaces and a newline with one write system
 * call per piece, then exits with status 0. No libc at all. */
#include "nolibc.h"

NOLIBC_START

static void out(const char *s, size_t n)
{
	sys3(SYS_write, 1, (int)s, (int)n);
}

__attribute__((used, noreturn)) void cmain(u32 *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	int i;

	for (i = 1; i < argc; i++) {
		if (i > 1)
			out(" ", 1);
		out(argv[i], slen(argv[i]));
	}
	out("\n", 1);
	sys_exit(0);
}
