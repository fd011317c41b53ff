/* Prints what the CPU answers to cpuid, as a program sees it, and the
 * auxiliary vector entries the kernel derives from the CPU:
 *   cpuid <leaf> <subleaf> <eax> <ebx> <ecx> <edx>   (hex, 8 digits)
 *   vendor <string>, brand <string>
 *   auxv AT_HWCAP <hex>, auxv AT_HWCAP2 <hex>, auxv AT_PLATFORM <string>
 * Leaves: every basic and extended one up to the maxima of leaves 0 and
 * 0x80000000 (subleaves of 4 until type 0, of 0xB until level type 0), and a
 * few past them (Intel parts answer those with the highest basic leaf). */
#include "nolibc.h"

NOLIBC_START

static void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "0"(leaf), "2"(sub));
}

static void hex8(u32 v)
{
	static const char hex[] = "0123456789abcdef";
	int s;
	for (s = 28; s >= 0; s -= 4)
		putc_(hex[(v >> s) & 15]);
}

static void dump(u32 leaf, u32 sub, u32 r[4])
{
	int i;
	cpuid(leaf, sub, r);
	puts_("cpuid ");
	hex8(leaf);
	putc_(' ');
	hex8(sub);
	for (i = 0; i < 4; i++) {
		putc_(' ');
		hex8(r[i]);
	}
	putc_('\n');
}

static void put_regs_str(const u32 *r, int n)
{
	int i, b;
	for (i = 0; i < n; i++)
		for (b = 0; b < 4; b++) {
			char c = (char)(r[i] >> (8 * b));
			if (c)
				putc_(c);
		}
}

__attribute__((used, noreturn)) void cmain(u32 *sp)
{
	u32 argc = sp[0];
	char **envp = (char **)(sp + 1) + argc + 1;
	u32 *a, r[4], v[12], max, maxext, leaf, sub;

	dump(0, 0, r);
	max = r[0];
	v[0] = r[1];
	v[1] = r[3];
	v[2] = r[2];
	puts_("vendor ");
	put_regs_str(v, 3);
	putc_('\n');
	for (leaf = 1; leaf <= max && leaf < 0x40; leaf++) {
		if (leaf == 4 || leaf == 0xb) {
			for (sub = 0; sub < 16; sub++) {
				dump(leaf, sub, r);
				if (leaf == 4 ? (r[0] & 0x1f) == 0 : ((r[2] >> 8) & 0xff) == 0)
					break;
			}
		} else {
			dump(leaf, 0, r);
		}
	}
	/* past the highest basic leaf, the hypervisor range, past the highest extended leaf */
	dump(max + 1, 0, r);
	dump(max + 1, 1, r);
	dump(0x40000000, 0, r);
	dump(0x80000000, 0, r);
	maxext = r[0];
	for (leaf = 0x80000001; leaf <= maxext && leaf < 0x80000040; leaf++)
		dump(leaf, 0, r);
	dump(maxext + 1, 0, r);
	if (maxext >= 0x80000004) {
		for (leaf = 0; leaf < 3; leaf++)
			cpuid(0x80000002 + leaf, 0, v + 4 * leaf);
		puts_("brand ");
		put_regs_str(v, 12);
		putc_('\n');
	}

	while (*envp)
		envp++;
	for (a = (u32 *)(envp + 1); a[0]; a += 2) {
		if (a[0] == 16) {
			puts_("auxv AT_HWCAP ");
			hex8(a[1]);
			putc_('\n');
		} else if (a[0] == 26) {
			puts_("auxv AT_HWCAP2 ");
			hex8(a[1]);
			putc_('\n');
		} else if (a[0] == 15) {
			puts_("auxv AT_PLATFORM ");
			puts_((const char *)a[1]);
			putc_('\n');
		}
	}
	flush();
	sys_exit(0);
}
