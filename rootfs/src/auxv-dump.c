/* Walks the initial process stack the kernel built and prints it in a form
 * that does not depend on where the stack is: every pointer into the stack is
 * printed as its distance below the end of the strings area (the byte after
 * the AT_EXECFN string's NUL; the zero bytes up to the page end follow, 4 on
 * an i386 kernel, 8 on an x86-64 one). Values that legitimately differ
 * between machines are printed on lines of their own so they can be masked:
 *   auxv <type> <NAME> val <number>       plain value
 *   auxv <type> <NAME> stack top-<n> ...  pointer into the initial stack
 *   auxv <type> <NAME> addr <hex>         other address
 */
#include "nolibc.h"

NOLIBC_START

struct auxname {
	u32 type;
	const char *name;
};

static const struct auxname names[] = {
	{ 0, "AT_NULL" },	      { 1, "AT_IGNORE" },	{ 2, "AT_EXECFD" },
	{ 3, "AT_PHDR" },	      { 4, "AT_PHENT" },	{ 5, "AT_PHNUM" },
	{ 6, "AT_PAGESZ" },	      { 7, "AT_BASE" },		{ 8, "AT_FLAGS" },
	{ 9, "AT_ENTRY" },	      { 11, "AT_UID" },		{ 12, "AT_EUID" },
	{ 13, "AT_GID" },	      { 14, "AT_EGID" },	{ 15, "AT_PLATFORM" },
	{ 16, "AT_HWCAP" },	      { 17, "AT_CLKTCK" },	{ 23, "AT_SECURE" },
	{ 24, "AT_BASE_PLATFORM" },   { 25, "AT_RANDOM" },	{ 26, "AT_HWCAP2" },
	{ 27, "AT_RSEQ_FEATURE_SIZE" }, { 28, "AT_RSEQ_ALIGN" }, { 31, "AT_EXECFN" },
	{ 32, "AT_SYSINFO" },	      { 33, "AT_SYSINFO_EHDR" }, { 51, "AT_MINSIGSTKSZ" },
};

static const char *auxname(u32 t)
{
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == t)
			return names[i].name;
	return "AT_UNKNOWN";
}

static u32 top;

static void put_str(const char *s)
{
	putc_('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 32 || c >= 127 || c == '"' || c == '\\') {
			putc_('\\');
			putc_((char)('0' + (c >> 6)));
			putc_((char)('0' + ((c >> 3) & 7)));
			putc_((char)('0' + (c & 7)));
		} else {
			putc_((char)c);
		}
	}
	putc_('"');
}

static void put_top(u32 addr)
{
	puts_("top-");
	putu(top - addr);
}

__attribute__((used, noreturn)) void cmain(u32 *sp)
{
	u32 argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	u32 *auxv, *a;
	u32 envc = 0, i, execfn = 0, info_low;
	const char *prev_end;

	while (envp[envc])
		envc++;
	auxv = (u32 *)(envp + envc + 1);
	for (a = auxv; a[0]; a += 2)
		if (a[0] == 31)
			execfn = a[1];
	/* The strings end with execfn; zero bytes fill the rest of the page. */
	top = execfn + slen((const char *)execfn) + 1;
	a = (u32 *)top;
	puts_("tail ");
	putu((4096 - top % 4096) % 4096);
	puts_(top % 4 == 0 && a[0] == 0 && (top % 4096 == 4088 ? a[1] == 0 : 1) ? " zero" : " nonzero");
	puts_("\nsp%16 ");
	putu((u32)sp % 16);
	puts_("\nargc ");
	putu(argc);
	putc_('\n');

	/* Strings must be packed: argv strings, env strings, execfn. */
	prev_end = argc ? argv[0] : 0;
	for (i = 0; i < argc; i++) {
		puts_("argv[");
		putu(i);
		puts_("] ");
		put_top((u32)argv[i]);
		puts_(argv[i] == prev_end ? " packed " : " gap ");
		put_str(argv[i]);
		putc_('\n');
		prev_end = argv[i] + slen(argv[i]) + 1;
	}
	puts_("argv[");
	putu(argc);
	puts_("] ");
	putx((u32)argv[argc]);
	puts_("\nenvc ");
	putu(envc);
	putc_('\n');
	for (i = 0; i < envc; i++) {
		puts_("envp[");
		putu(i);
		puts_("] ");
		put_top((u32)envp[i]);
		puts_(envp[i] == prev_end ? " packed " : " gap ");
		put_str(envp[i]);
		putc_('\n');
		prev_end = envp[i] + slen(envp[i]) + 1;
	}
	puts_("execfn ");
	puts_((const char *)execfn == prev_end ? "packed" : "gap");
	putc_('\n');

	info_low = top;
	for (a = auxv;; a += 2) {
		u32 t = a[0], v = a[1];
		puts_("auxv ");
		putu(t);
		putc_(' ');
		puts_(auxname(t));
		if (t == 15 || t == 24 || t == 31 || t == 25) {
			puts_(" stack ");
			put_top(v);
			if (t != 25) {
				putc_(' ');
				put_str((const char *)v);
			}
			if (t != 31 && v < info_low)
				info_low = v;
		} else if (t == 32 || t == 33) {
			puts_(" addr ");
			putx(v);
		} else {
			puts_(" val ");
			putx(v);
		}
		putc_('\n');
		if (!t)
			break;
	}
	/* Bytes of alignment padding between the end of the auxiliary vector
	 * and the lowest string the kernel placed (AT_RANDOM/AT_PLATFORM). */
	puts_("pad ");
	putu(info_low - (u32)(a + 2));
	/* The kernel aligns the start of the strings down to 16 bytes and
	 * places AT_PLATFORM and AT_RANDOM's bytes just below. */
	puts_("\ninfo-below-aligned-strings ");
	putu(((u32)(argc ? argv[0] : (char *)execfn) & ~15u) - info_low);
	putc_('\n');
	flush();
	sys_exit(0);
}
