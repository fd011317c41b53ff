/* Minimal freestanding support for the fixture programs: raw i386 system
 * calls through int 0x80 and a few output helpers. No libc, no vDSO, so the
 * programs exercise only the CPU and the initial process stack. */
#ifndef NOLIBC_H
#define NOLIBC_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned int size_t;

#define SYS_exit 1
#define SYS_write 4

static inline int sys3(int nr, int a, int b, int c)
{
	int ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "0"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

static inline __attribute__((noreturn)) void sys_exit(int code)
{
	for (;;)
		__asm__ volatile("int $0x80" : : "a"(SYS_exit), "b"(code) : "memory");
}

/* gcc may emit calls to these even in freestanding code. */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

static size_t slen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Output is collected in one buffer and written in large pieces so the
 * number of write calls does not depend on the content. */
static char obuf[4096];
static size_t olen;

static void flush(void)
{
	size_t off = 0;
	while (off < olen) {
		int r = sys3(SYS_write, 1, (int)(obuf + off), (int)(olen - off));
		if (r <= 0)
			sys_exit(111);
		off += (size_t)r;
	}
	olen = 0;
}

static void putc_(char c)
{
	if (olen == sizeof(obuf))
		flush();
	obuf[olen++] = c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void putu(u64 v)
{
	char t[24];
	int i = 0;
	do {
		t[i++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	while (i)
		putc_(t[--i]);
}

static void puti(long long v)
{
	if (v < 0) {
		putc_('-');
		putu((u64)-v);
	} else {
		putu((u64)v);
	}
}

static void putx(u32 v)
{
	static const char hex[] = "0123456789abcdef";
	int s;
	puts_("0x");
	for (s = 28; s > 0 && !(v >> s); s -= 4)
		;
	for (; s >= 0; s -= 4)
		putc_(hex[(v >> s) & 15]);
}

/* Entry: hand the initial stack pointer to cmain() with a 16-byte aligned
 * frame, as the i386 psABI expects at a call. */
#define NOLIBC_START                                           \
	__asm__(".text\n.globl _start\n_start:\n"              \
		"\txorl %ebp, %ebp\n"                          \
		"\tmovl %esp, %eax\n"                          \
		"\tandl $-16, %esp\n"                          \
		"\tsubl $12, %esp\n"                           \
		"\tpushl %eax\n"                               \
		"\tcall cmain\n"                               \
		"\thlt\n");

#endif
