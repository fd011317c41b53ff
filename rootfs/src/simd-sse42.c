/* SSE4.1/SSE4.2/POPCNT end to end (built with -O3 -msse4.2 -mpopcnt):
 * pcmpistri/pcmpestri/pcmpistrm/pcmpestrm with all 128 immediates (index
 * and flags printed one character each), a substring search with
 * pcmpistri, crc32 over a buffer against a table CRC-32C, ptest,
 * roundss/sd/ps/pd with every immediate under every MXCSR rounding mode,
 * dpps/dppd, blends, pmin/pmax, pmovsx/zx, insertps/extractps, pextr/pinsr,
 * popcnt, mpsadbw, phminposuw, packusdw, pcmpgtq, movntdqa, and loops gcc
 * vectorises with SSE4.1. */
#include <nmmintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OPQ(x) ({ __typeof__((x) + 0) _v = (x); __asm__ volatile("" : "+x"(_v)); _v; })
#define OPQI(x) ({ __typeof__((x) + 0) _v = (x); __asm__ volatile("" : "+r"(_v)); _v; })

static inline unsigned csr_get(void) { unsigned v; __asm__ volatile("stmxcsr %0" : "=m"(v)); return v; }
static inline void csr_set(unsigned v) { __asm__ volatile("ldmxcsr %0" : : "m"(v)); }

static uint64_t fnv(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;
	while (n--) h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static void hex128(const char *name, __m128i v)
{
	uint8_t b[16];
	_mm_storeu_si128((__m128i *)b, v);
	printf("%-12s", name);
	for (int i = 15; i >= 0; i--) printf("%02x%s", b[i], i % 4 == 0 && i ? "_" : "");
	printf("\n");
}

#define R8(M, b) M((b) + 0) M((b) + 1) M((b) + 2) M((b) + 3) M((b) + 4) M((b) + 5) M((b) + 6) M((b) + 7)
#define R128(M) R8(M, 0) R8(M, 8) R8(M, 16) R8(M, 24) R8(M, 32) R8(M, 40) R8(M, 48) R8(M, 56) \
	R8(M, 64) R8(M, 72) R8(M, 80) R8(M, 88) R8(M, 96) R8(M, 104) R8(M, 112) R8(M, 120)

/* --- string compares: every immediate ----------------------------------- */

struct strres { int idx, flags; __m128i mask; };

/* flags: C Z S O A as bits 0..4 */
__attribute__((noinline)) static struct strres cmpistr(__m128i a, __m128i b, int imm)
{
	struct strres r = { 0, 0, _mm_setzero_si128() };
	switch (imm) {
#define C(k) case k: r.idx = _mm_cmpistri(a, b, k); \
		r.flags = _mm_cmpistrc(a, b, k) | _mm_cmpistrz(a, b, k) << 1 | _mm_cmpistrs(a, b, k) << 2 | \
			_mm_cmpistro(a, b, k) << 3 | _mm_cmpistra(a, b, k) << 4; \
		r.mask = _mm_cmpistrm(a, b, k); break;
	R128(C)
#undef C
	}
	return r;
}

__attribute__((noinline)) static struct strres cmpestr(__m128i a, int la, __m128i b, int lb, int imm)
{
	struct strres r = { 0, 0, _mm_setzero_si128() };
	switch (imm) {
#define C(k) case k: r.idx = _mm_cmpestri(a, la, b, lb, k); \
		r.flags = _mm_cmpestrc(a, la, b, lb, k) | _mm_cmpestrz(a, la, b, lb, k) << 1 | \
			_mm_cmpestrs(a, la, b, lb, k) << 2 | _mm_cmpestro(a, la, b, lb, k) << 3 | \
			_mm_cmpestra(a, la, b, lb, k) << 4; \
		r.mask = _mm_cmpestrm(a, la, b, lb, k); break;
	R128(C)
#undef C
	}
	return r;
}

static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

static void grid(const char *name, __m128i a, __m128i b, int la, int lb)
{
	struct strres ri[128], re[128];
	uint8_t masks[2][128][16];
	for (int k = 0; k < 128; k++) {
		ri[k] = cmpistr(OPQ(a), OPQ(b), k);
		re[k] = cmpestr(OPQ(a), OPQI(la), OPQ(b), OPQI(lb), k);
		_mm_storeu_si128((__m128i *)masks[0][k], ri[k].mask);
		_mm_storeu_si128((__m128i *)masks[1][k], re[k].mask);
	}
	char idx[129], fl[129];
	for (int e = 0; e < 2; e++) {
		struct strres *r = e ? re : ri;
		for (int k = 0; k < 128; k++) {
			idx[k] = digits[r[k].idx];
			fl[k] = digits[r[k].flags];
		}
		idx[128] = fl[128] = 0;
		printf("%s %s idx   %s\n", name, e ? "e" : "i", idx);
		printf("%s %s flags %s\n", name, e ? "e" : "i", fl);
		printf("%s %s masks %016llx\n", name, e ? "e" : "i", (unsigned long long)fnv(masks[e], sizeof masks[e]));
	}
}

static __m128i str16(const char *s)
{
	char b[16] = { 0 };
	memcpy(b, s, strnlen(s, 16));
	return _mm_loadu_si128((const __m128i *)b);
}

static __m128i words(const uint16_t *w)
{
	return _mm_loadu_si128((const __m128i *)w);
}

/* strstr with pcmpistri (equal ordered): every position of needle in text */
__attribute__((noinline)) static void search(const char *text, const char *needle)
{
	size_t n = strlen(text);
	char buf[512] = { 0 };
	memcpy(buf, text, n);
	__m128i nd = str16(needle);
	printf("search \"%s\":", needle);
	for (size_t i = 0; i < n;) {
		__m128i t = _mm_loadu_si128((const __m128i *)(buf + i));
		int k = _mm_cmpistri(nd, t, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ORDERED | _SIDD_LEAST_SIGNIFICANT);
		if (k == 16) { i += 16 - strlen(needle) + 1; continue; }
		if (!strncmp(buf + i + k, needle, strlen(needle))) printf(" %zu", i + k);
		i += k + 1;
	}
	/* first character of a class, and the length of a span */
	int any = _mm_cmpistri(str16("aeiou"), _mm_loadu_si128((const __m128i *)buf),
			       _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY | _SIDD_LEAST_SIGNIFICANT);
	int range = _mm_cmpistri(str16("AZ09"), _mm_loadu_si128((const __m128i *)buf),
				 _SIDD_UBYTE_OPS | _SIDD_CMP_RANGES | _SIDD_MOST_SIGNIFICANT);
	int span = _mm_cmpistri(str16("az"), _mm_loadu_si128((const __m128i *)buf),
				_SIDD_UBYTE_OPS | _SIDD_CMP_RANGES | _SIDD_NEGATIVE_POLARITY);
	printf(" | vowel %d upper/digit last %d span %d\n", any, range, span);
}

__attribute__((noinline)) static void strings(void)
{
	grid("ub", str16("hello, world"), str16("world hello, wo"), 12, 15);
	grid("ub-short", str16("ab"), str16("xxabyyab"), 2, 30);
	grid("ub-ranges", str16("azAZ09"), str16("Hi There 42!"), 6, -7);
	grid("sb", _mm_set_epi8(-1, -128, 127, 1, 0, 5, 9, 3, 2, 1, -3, -2, -1, 100, -100, 7),
	     _mm_set_epi8(7, -100, 100, -1, -2, -3, 1, 2, 3, 9, 5, 0, 1, 127, -128, -1), 16, 11);
	static const uint16_t w1[8] = { 'a', 0x1234, 0xffff, 'z', 0x8000, 0, 5, 6 };
	static const uint16_t w2[8] = { 0x8000, 'z', 0xffff, 'a', 0x1234, 3, 0x1234, 9 };
	grid("uw", words(w1), words(w2), 5, 8);
	grid("uw-full", _mm_set_epi16(8, 7, 6, 5, 4, 3, 2, 1), _mm_set_epi16(1, 2, 3, 4, 5, 6, 7, 8), 100, -100);
	search("the quick brown fox jumps over the lazy dog; then the fox sleeps; the end, thethe", "the");
	search("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "aab");
	search("Pack my box with FIVE dozen liquor jugs 1234", "ox");
}

/* --- crc32, ptest, popcnt ------------------------------------------------ */

static uint32_t crc32c_table(const uint8_t *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82f63b78u & -(crc & 1));
	}
	return ~crc;
}

static uint8_t buf[4096 + 7];

__attribute__((noinline)) static void crc_ptest_popcnt(void)
{
	uint32_t s = 99;
	for (size_t i = 0; i < sizeof buf; i++) buf[i] = (s = s * 1103515245u + 12345u) >> 23;
	uint32_t c = ~0u;
	const uint8_t *p = buf + 1;               /* misaligned start */
	size_t n = 4096 + 5;
	c = _mm_crc32_u8(c, *p++), n--;
	c = _mm_crc32_u16(c, *(const uint16_t *)p), p += 2, n -= 2;
	for (; n >= 4; n -= 4, p += 4) c = _mm_crc32_u32(c, *(const uint32_t *)p);
	while (n--) c = _mm_crc32_u8(c, *p++);
	c = ~c;
	printf("crc32c %08x table %08x\n", c, crc32c_table(buf + 1, 4096 + 5, 0));
	printf("crc32 steps %08x %08x %08x\n", _mm_crc32_u8(OPQI(0u), 0xff), _mm_crc32_u16(OPQI(0xffffffffu), 0x1234),
	       _mm_crc32_u32(OPQI(0x12345678u), 0x9abcdef0u));

	static const uint32_t pt[][8] = {
		{ 0, 0, 0, 0, 1, 2, 3, 4 }, { 1, 0, 0, 0, 1, 2, 3, 4 }, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 1, 0, 0, 0 },
		{ 0x80000000, 0, 0, 1, 0x80000000, 0, 0, 1 }, { 0xf0f0f0f0, 0, 0, 0, 0x0f0f0f0f, 0, 0, 0 },
	};
	printf("ptest");
	for (unsigned i = 0; i < sizeof pt / sizeof pt[0]; i++) {
		__m128i a = OPQ(_mm_loadu_si128((const __m128i *)pt[i])), b = OPQ(_mm_loadu_si128((const __m128i *)(pt[i] + 4)));
		printf(" %d%d%d", _mm_testz_si128(a, b), _mm_testc_si128(a, b), _mm_testnzc_si128(a, b));
	}
	printf("\n");

	static const uint32_t pc[] = { 0, 1, 0x80000000, 0xffffffff, 0x55555555, 0x12345678, 0xdeadbeef };
	printf("popcnt");
	for (unsigned i = 0; i < sizeof pc / 4; i++) printf(" %d", _mm_popcnt_u32(OPQI(pc[i])));
	unsigned total = 0;
	for (size_t i = 0; i < sizeof buf / 4; i++) total += __builtin_popcount(((const uint32_t *)buf)[i]);
	printf(" total %u\n", total);
}

/* --- round, dp, blend, min/max, pmov, insert/extract ---------------------- */

static const double rin[] = { 2.5, -2.5, 1.5, -0.5, 0.5000001, 0.49999999999999994, -1e-310, 1e300,
	-0.0, INFINITY, 4503599627370497.0, -7.0 };
#define NR (int)(sizeof rin / sizeof rin[0])

__attribute__((noinline)) static __m128d roundsd_imm(__m128d a, __m128d b, int imm)
{
	switch (imm) {
#define C(k) case k: return _mm_round_sd(a, b, k);
	C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
#undef C
	}
	return a;
}

__attribute__((noinline)) static __m128 roundps_imm(__m128 a, int imm)
{
	switch (imm) {
#define C(k) case k: return _mm_round_ps(a, k);
	C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
#undef C
	}
	return a;
}

__attribute__((noinline)) static __m128d roundpd_imm(__m128d a, int imm)
{
	switch (imm) {
#define C(k) case k: return _mm_round_pd(a, k);
	C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
#undef C
	}
	return a;
}

__attribute__((noinline)) static __m128 roundss_imm(__m128 a, __m128 b, int imm)
{
	switch (imm) {
#define C(k) case k: return _mm_round_ss(a, b, k);
	C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
#undef C
	}
	return a;
}

static void pd(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	if (isnan(d)) printf(" %llx", (unsigned long long)u);
	else printf(" %.17g", d);
}

__attribute__((noinline)) static void rounding(void)
{
	for (int mode = 0; mode < 4; mode++) {
		for (int imm = 0; imm < 16; imm++) {
			if (mode && !(imm & 4)) continue; /* the mode matters only with imm bit 2 */
			csr_set(0x1f80 | mode << 13);
			printf("round csr%d imm %2d:", mode, imm);
			for (int i = 0; i < NR; i++) pd(_mm_cvtsd_f64(OPQ(roundsd_imm(_mm_set1_pd(7.0), _mm_set_sd(OPQ(rin[i])), imm))));
			int f1 = csr_get() & 0x3f;
			csr_set(0x1f80 | mode << 13);
			__m128 ps = OPQ(roundps_imm(OPQ(_mm_set_ps(-2.5f, 1.5f, 0.5f, -0.49999997f)), imm));
			__m128d pdv = OPQ(roundpd_imm(OPQ(_mm_set_pd(-1.5, 1e-300)), imm));
			__m128 ss = OPQ(roundss_imm(OPQ(_mm_set1_ps(3.0f)), OPQ(_mm_set_ss(-3.5f)), imm));
			int f2 = csr_get() & 0x3f;
			float f[4];
			_mm_storeu_ps(f, ps);
			printf(" | %g %g %g %g", f[0], f[1], f[2], f[3]);
			pd(_mm_cvtsd_f64(pdv));
			pd(_mm_cvtsd_f64(_mm_unpackhi_pd(pdv, pdv)));
			printf(" %g flags %02x %02x\n", _mm_cvtss_f32(ss), f1, f2);
		}
	}
	csr_set(0x1f80);
	/* NaN inputs: quieted, invalid only for the SNaN */
	__m128d snan = OPQ(_mm_castsi128_pd(_mm_set_epi32(0, 0, 0x7ff40000, 1)));
	__m128d r1 = OPQ(_mm_round_sd(snan, snan, _MM_FROUND_TO_NEAREST_INT));
	int f1 = csr_get() & 0x3f;
	csr_set(0x1f80);
	__m128 r2 = OPQ(_mm_round_ps(OPQ(_mm_castsi128_ps(_mm_set1_epi32(0xffc00123))), _MM_FROUND_FLOOR));
	int f2 = csr_get() & 0x3f;
	uint64_t u1; uint32_t u2;
	memcpy(&u1, &r1, 8); memcpy(&u2, &r2, 4);
	printf("round nan %llx %02x %x %02x\n", (unsigned long long)u1, f1, u2, f2);

	/* floor/ceil/trunc/nearbyint loops vectorised to roundps/roundpd */
	static float fv[64], fo[64];
	static double dv[64], dout[64];
	for (int i = 0; i < 64; i++) { fv[i] = (i - 32) * 0.37f; dv[i] = (i - 32) * -0.61; }
	for (int i = 0; i < 64; i++) fo[i] = floorf(fv[i]) + ceilf(fv[i] * 0.5f);
	for (int i = 0; i < 64; i++) dout[i] = trunc(dv[i]) - nearbyint(dv[i] * 3.0);
	printf("round loops %016llx %016llx\n", (unsigned long long)fnv(fo, sizeof fo), (unsigned long long)fnv(dout, sizeof dout));
}

__attribute__((noinline)) static __m128 dpps_imm(__m128 a, __m128 b, int imm)
{
	switch (imm) {
#define C(k) case k: return _mm_dp_ps(a, b, k);
	C(0xff) C(0x31) C(0xf1) C(0x7f) C(0x0f) C(0xf0) C(0x55) C(0xa3) C(0x93) C(0xe2)
#undef C
	}
	return a;
}

__attribute__((noinline)) static __m128d dppd_imm(__m128d a, __m128d b, int imm)
{
	switch (imm) {
#define C(k) case k: return _mm_dp_pd(a, b, k);
	C(0x33) C(0x31) C(0x32) C(0x13) C(0x23) C(0x11) C(0x30) C(0x03)
#undef C
	}
	return a;
}

__attribute__((noinline)) static void dp_blend_minmax(void)
{
	static const int ps_imm[] = { 0xff, 0x31, 0xf1, 0x7f, 0x0f, 0xf0, 0x55, 0xa3, 0x93, 0xe2 };
	static const int pd_imm[] = { 0x33, 0x31, 0x32, 0x13, 0x23, 0x11, 0x30, 0x03 };
	__m128 a = OPQ(_mm_set_ps(1.5f, -2.0f, 3.25f, 1e-3f)), b = OPQ(_mm_set_ps(4.0f, 0.5f, -1.0f, 3e7f));
	__m128 c = OPQ(_mm_set_ps(INFINITY, 1.0f, 0.0f, 2.0f)), d = OPQ(_mm_set_ps(1.0f, -0.0f, NAN, 1e38f));
	printf("dpps");
	for (unsigned i = 0; i < sizeof ps_imm / sizeof ps_imm[0]; i++) {
		csr_set(0x1f80);
		float r[4], s[4];
		_mm_storeu_ps(r, OPQ(dpps_imm(a, b, ps_imm[i])));
		_mm_storeu_ps(s, OPQ(dpps_imm(c, d, ps_imm[i])));
		int fl = csr_get() & 0x3f;
		printf(" %02x:%a,%a,%a,%a/%a,%a,%a,%a/%02x", ps_imm[i], r[0], r[1], r[2], r[3], s[0], s[1], s[2], s[3], fl);
	}
	printf("\ndppd");
	__m128d pa = OPQ(_mm_set_pd(1.0 / 3.0, -2.5)), pb = OPQ(_mm_set_pd(3.0, 1e300));
	__m128d pc = OPQ(_mm_set_pd(1e300, -0.0)), pdd = OPQ(_mm_set_pd(1e10, 0.0));
	for (unsigned i = 0; i < sizeof pd_imm / sizeof pd_imm[0]; i++) {
		csr_set(0x1f80);
		double r[2], s[2];
		_mm_storeu_pd(r, OPQ(dppd_imm(pa, pb, pd_imm[i])));
		_mm_storeu_pd(s, OPQ(dppd_imm(pc, pdd, pd_imm[i])));
		int fl = csr_get() & 0x3f;
		printf(" %02x:%a,%a/%a,%a/%02x", pd_imm[i], r[0], r[1], s[0], s[1], fl);
	}
	printf("\n");
	csr_set(0x1f80);

	__m128i x = OPQ(_mm_set_epi32(0x80000000, 0x7fffffff, 0xffff8000, 0x01ff7f80));
	__m128i y = OPQ(_mm_set_epi32(0x00000001, 0x80000000, 0x00007fff, 0xff0180ff));
	__m128i sel = OPQ(_mm_set_epi32(0x80000000, 0x7fffffff, 0x80ff0080, 0x00800000));
	hex128("pblendvb", _mm_blendv_epi8(x, y, sel));
	hex128("blendvps", _mm_castps_si128(_mm_blendv_ps(_mm_castsi128_ps(x), _mm_castsi128_ps(y), _mm_castsi128_ps(sel))));
	hex128("blendvpd", _mm_castpd_si128(_mm_blendv_pd(_mm_castsi128_pd(x), _mm_castsi128_pd(y), _mm_castsi128_pd(sel))));
	hex128("pblendw a5", _mm_blend_epi16(x, y, 0xa5));
	hex128("blendps 6", _mm_castps_si128(_mm_blend_ps(_mm_castsi128_ps(x), _mm_castsi128_ps(y), 6)));
	hex128("blendpd 1", _mm_castpd_si128(_mm_blend_pd(_mm_castsi128_pd(x), _mm_castsi128_pd(y), 1)));
	hex128("pminsb", _mm_min_epi8(x, y));
	hex128("pmaxsb", _mm_max_epi8(x, y));
	hex128("pminuw", _mm_min_epu16(x, y));
	hex128("pmaxuw", _mm_max_epu16(x, y));
	hex128("pminsd", _mm_min_epi32(x, y));
	hex128("pmaxsd", _mm_max_epi32(x, y));
	hex128("pminud", _mm_min_epu32(x, y));
	hex128("pmaxud", _mm_max_epu32(x, y));
	hex128("pmulld", _mm_mullo_epi32(x, y));
	hex128("pmuldq", _mm_mul_epi32(x, y));
	hex128("packusdw", _mm_packus_epi32(x, y));
	hex128("pcmpeqq", _mm_cmpeq_epi64(x, _mm_unpacklo_epi64(x, y)));
	hex128("pcmpgtq", _mm_cmpgt_epi64(x, y));
	hex128("pcmpgtq2", _mm_cmpgt_epi64(y, x));
	hex128("phminposuw", _mm_minpos_epu16(x));
	hex128("phminpos2", _mm_minpos_epu16(_mm_set1_epi16(OPQI(7))));
	__m128i m1 = OPQ(_mm_set_epi8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255, 0));
	__m128i m2 = OPQ(_mm_set_epi8(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1));
	hex128("mpsadbw 0", _mm_mpsadbw_epu8(m1, m2, 0));
	hex128("mpsadbw 5", _mm_mpsadbw_epu8(m1, m2, 5));
	hex128("mpsadbw 7", _mm_mpsadbw_epu8(m1, m2, 7));

	/* pmovsx/zx from registers and from misaligned memory */
	static const uint8_t src[24] = { 0x80, 0x7f, 0xff, 0x01, 0x00, 0xfe, 0x81, 0x40, 0x12, 0x34, 0x56, 0x78,
		0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8 };
	const uint8_t *m = src + OPQI(1);
	__m128i v = _mm_loadu_si128((const __m128i *)m);
	hex128("pmovsxbw", _mm_cvtepi8_epi16(v));
	hex128("pmovzxbw", _mm_cvtepu8_epi16(v));
	hex128("pmovsxbd", _mm_cvtepi8_epi32(v));
	hex128("pmovzxbd", _mm_cvtepu8_epi32(v));
	hex128("pmovsxbq", _mm_cvtepi8_epi64(v));
	hex128("pmovzxbq", _mm_cvtepu8_epi64(v));
	hex128("pmovsxwd", _mm_cvtepi16_epi32(v));
	hex128("pmovzxwd", _mm_cvtepu16_epi32(v));
	hex128("pmovsxwq", _mm_cvtepi16_epi64(v));
	hex128("pmovzxwq", _mm_cvtepu16_epi64(v));
	hex128("pmovsxdq", _mm_cvtepi32_epi64(v));
	hex128("pmovzxdq", _mm_cvtepu32_epi64(v));
	hex128("pmovzxbw m", _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(m + 7))));
	hex128("pmovsxwd m", _mm_cvtepi16_epi32(_mm_loadl_epi64((const __m128i *)(m + 3))));

	/* insertps / extractps, pinsr / pextr */
	__m128 f1 = OPQ(_mm_set_ps(4.0f, 3.0f, 2.0f, 1.0f)), f2 = OPQ(_mm_set_ps(40.0f, 30.0f, 20.0f, 10.0f));
	hex128("insertps 00", _mm_castps_si128(_mm_insert_ps(f1, f2, 0x00)));
	hex128("insertps 4c", _mm_castps_si128(_mm_insert_ps(f1, f2, 0x4c)));
	hex128("insertps d9", _mm_castps_si128(_mm_insert_ps(f1, f2, 0xd9)));
	hex128("insertps 3f", _mm_castps_si128(_mm_insert_ps(f1, f2, 0x3f)));
	static const float mf = 99.5f;
	hex128("insertps m", _mm_castps_si128(_mm_insert_ps(f1, _mm_load_ss(&mf), 0x22)));
	printf("extractps %x %x %x %x pextrb %d %d pextrw %d pextrd %x\n", _mm_extract_ps(f2, 0), _mm_extract_ps(f2, 1),
	       _mm_extract_ps(f2, 2), _mm_extract_ps(f2, 3), _mm_extract_epi8(x, 0), _mm_extract_epi8(x, 13),
	       _mm_extract_epi16(x, 3), _mm_extract_epi32(x, 2));
	hex128("pinsrb", _mm_insert_epi8(x, OPQI(0x1ab), 9));
	hex128("pinsrd", _mm_insert_epi32(x, OPQI(0xcafe), 3));
	static __m128i aligned_src = { 0x0123456789abcdefll, 0x7edcba9876543210ll };
	hex128("movntdqa", _mm_stream_load_si128(&aligned_src));
}

/* --- loops gcc vectorises with SSE4.1 ------------------------------------ */

#define N 1024
static int32_t ia[N], ib[N], ic[N];
static int8_t c8[N];
static int64_t q[N];
static uint32_t ua[N];

__attribute__((noinline)) static void loops(void)
{
	uint32_t s = 4242;
	for (int i = 0; i < N; i++) {
		ia[i] = (int32_t)(s = s * 69069u + 1);
		ib[i] = (int32_t)(s = s * 69069u + 1);
		c8[i] = (int8_t)(s >> 24);
		q[i] = (int64_t)((s >> 16) & 0xff) << 40;
		ua[i] = s;
	}
	for (int i = 0; i < N; i++) ic[i] = ia[i] * ib[i];                     /* pmulld */
	printf("loop mul %016llx\n", (unsigned long long)fnv(ic, sizeof ic));
	for (int i = 0; i < N; i++) ic[i] = ia[i] < ib[i] ? ia[i] : ib[i];      /* pminsd */
	printf("loop min %016llx\n", (unsigned long long)fnv(ic, sizeof ic));
	for (int i = 0; i < N; i++) ic[i] = ua[i] > (uint32_t)ib[i] ? ua[i] : (uint32_t)ib[i]; /* pmaxud */
	printf("loop maxu %016llx\n", (unsigned long long)fnv(ic, sizeof ic));
	int32_t sum = 0;
	for (int i = 0; i < N; i++) sum += c8[i] * 3;                           /* pmovsxbd */
	int eq = 0;
	for (int i = 0; i < N; i++) eq += q[i] == ((int64_t)0x7f << 40);         /* pcmpeqq */
	int pc = 0;
	for (int i = 0; i < N; i++) pc += __builtin_popcount(ua[i]);            /* popcnt */
	printf("loop sum %d eq %d popcnt %d\n", sum, eq, pc);
}

int main(void)
{
	strings();
	crc_ptest_popcnt();
	rounding();
	dp_blend_minmax();
	loops();
	return 0;
}
