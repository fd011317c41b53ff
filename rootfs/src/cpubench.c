/* CPU-bound benchmark without libc. argv[1] selects the workload (int, x87,
 * fp or all, default all), argv[2] a scale factor (default 10). Each part
 * prints checksums so a wrong result is visible, not just a slow one.
 *   int: prime sieve, CRC-32 over pseudo-random data, heap sort
 *   x87: sqrt, sin/cos, atan, log2, division loops on the x87 stack
 *   fp: a Mandelbrot set in doubles, as gcc compiles double arithmetic
 * The x87 sums are printed scaled by 2^20 and rounded to an integer, so
 * last-bit differences of transcendental instructions do not show. */
#include "nolibc.h"

NOLIBC_START

static u32 lcg_state;

static u32 lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state;
}

static unsigned char sieve_buf[1 << 17];

static u32 sieve(u32 n)
{
	u32 i, j, count = 0;
	for (i = 0; i < n; i++)
		sieve_buf[i] = 1;
	for (i = 2; i * i < n; i++)
		if (sieve_buf[i])
			for (j = i * i; j < n; j += i)
				sieve_buf[j] = 0;
	for (i = 2; i < n; i++)
		count += sieve_buf[i];
	return count;
}

static u32 crc_table[256];

static void crc_init(void)
{
	u32 i, k, c;
	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static unsigned char data[1 << 16];

static u32 crc32(const unsigned char *p, u32 n, u32 crc)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static int sort_buf[1 << 14];

static void sift(int *a, u32 start, u32 end)
{
	u32 root = start, child;
	while ((child = 2 * root + 1) <= end) {
		u32 sw = root;
		int t;
		if (a[sw] < a[child])
			sw = child;
		if (child + 1 <= end && a[sw] < a[child + 1])
			sw = child + 1;
		if (sw == root)
			return;
		t = a[root];
		a[root] = a[sw];
		a[sw] = t;
		root = sw;
	}
}

static void heapsort(int *a, u32 n)
{
	u32 start = n / 2, end = n - 1;
	int t;
	for (;;) {
		sift(a, start, end);
		if (!start)
			break;
		start--;
	}
	while (end > 0) {
		t = a[end];
		a[end] = a[0];
		a[0] = t;
		end--;
		sift(a, 0, end);
	}
}

static void int_part(u32 scale)
{
	u32 r, i, primes = 0, crc = 0, sorted = 0, sum = 0;
	u32 n = sizeof(sort_buf) / sizeof(sort_buf[0]);

	for (r = 0; r < scale; r++)
		primes += sieve(sizeof(sieve_buf));
	crc_init();
	lcg_state = 1;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(lcg() >> 16);
	for (r = 0; r < scale; r++)
		crc = crc32(data, sizeof(data), crc);
	for (r = 0; r < scale; r++) {
		for (i = 0; i < n; i++)
			sort_buf[i] = (int)lcg();
		heapsort(sort_buf, n);
		for (i = 1; i < n; i++)
			sorted += sort_buf[i - 1] <= sort_buf[i];
		for (i = 0; i < n; i += 97)
			sum = sum * 31 + (u32)sort_buf[i];
	}
	puts_("int primes=");
	putu(primes);
	puts_(" crc=");
	putx(crc);
	puts_(" sorted=");
	putu(sorted);
	puts_(" sum=");
	putx(sum);
	putc_('\n');
}

/* x87 helpers: explicit instructions so the workload is the same whatever
 * the compiler would choose. */
static inline long double x_sqrt(long double x)
{
	__asm__("fsqrt" : "+t"(x));
	return x;
}

static inline long double x_sin(long double x)
{
	__asm__("fsin" : "+t"(x));
	return x;
}

static inline long double x_cos(long double x)
{
	__asm__("fcos" : "+t"(x));
	return x;
}

static inline long double x_atan2(long double y, long double x)
{
	long double r;
	__asm__("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
	return r;
}

static inline long double x_log2(long double x)
{
	long double r;
	__asm__("fld1\n\tfxch\n\tfyl2x" : "=t"(r) : "0"(x));
	return r;
}

static long long scaled(long double s)
{
	long long r;
	s *= 1048576.0L;
	__asm__("fistpll %0" : "=m"(r) : "t"(s) : "st");
	return r;
}

static void x87_part(u32 scale)
{
	u32 i, n = scale * 20000;
	long double s_sqrt = 0, s_trig = 0, s_atan = 0, s_log = 0, s_div = 0;
	long double x;

	for (i = 1; i <= n; i++) {
		x = (long double)i;
		s_sqrt += x_sqrt(x);
		s_trig += x_sin(x * 0.001L) * x_cos(x * 0.0007L);
		s_atan += x_atan2(x, 1000.0L);
		s_log += x_log2(x);
		s_div += 1.0L / x - 1.0L / (x + 0.5L);
	}
	puts_("x87 sqrt=");
	puti(scaled(s_sqrt));
	puts_(" trig=");
	puti(scaled(s_trig));
	puts_(" atan=");
	puti(scaled(s_atan));
	puts_(" log=");
	puti(scaled(s_log));
	puts_(" div=");
	puti(scaled(s_div));
	putc_('\n');
}

/* fp: double arithmetic as compiled code does it (gcc -m32 keeps doubles on the x87 stack):
 * loads and stores of m64, adds, multiplies, divisions, compares (fcomi) and a conversion to
 * an integer (fnstcw, fldcw, fistp). A Mandelbrot set on a (60 * scale)^2 grid. */
static void fp_part(u32 scale)
{
	u32 n = 60 * scale, x, y, k, count = 0;
	double sum = 0;

	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++) {
			double cr = -2.0 + 3.0 * x / n, ci = -1.5 + 3.0 * y / n;
			double zr = 0, zi = 0;
			for (k = 0; k < 100 && zr * zr + zi * zi < 4.0; k++) {
				double t = zr * zr - zi * zi + cr;
				zi = 2 * zr * zi + ci;
				zr = t;
			}
			count += k;
			sum += zr / (1.0 + k);
		}
	puts_("fp count=");
	puti(count);
	puts_(" sum=");
	puti((long long)(sum * 1048576.0));
	putc_('\n');
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

__attribute__((used, noreturn)) void cmain(u32 *sp)
{
	u32 argc = sp[0];
	char **argv = (char **)(sp + 1);
	const char *mode = argc > 1 ? argv[1] : "all";
	u32 scale = 10;

	if (argc > 2) {
		const char *p = argv[2];
		scale = 0;
		while (*p >= '0' && *p <= '9')
			scale = scale * 10 + (u32)(*p++ - '0');
		if (*p || !scale) {
			puts_("cpubench: bad scale\n");
			flush();
			sys_exit(2);
		}
	}
	if (streq(mode, "int") || streq(mode, "all"))
		int_part(scale);
	if (streq(mode, "x87") || streq(mode, "all"))
		x87_part(scale);
	if (streq(mode, "fp") || streq(mode, "all"))
		fp_part(scale);
	if (!streq(mode, "int") && !streq(mode, "x87") && !streq(mode, "fp") && !streq(mode, "all")) {
		puts_("usage: cpubench int|x87|fp|all [scale]\n");
		flush();
		sys_exit(2);
	}
	flush();
	sys_exit(0);
}
