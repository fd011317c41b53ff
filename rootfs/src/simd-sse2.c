/* SSE2 end to end (built with -O3 -msse2 -mfpmath=sse): auto-vectorised
 * integer and float/double loops, double math in xmm registers, a small
 * matrix multiply, conversions under every MXCSR rounding mode (fesetround
 * and _mm_setcsr), DAZ/FTZ, sqrt, min/max with NaN and signed zeros, NaN
 * propagation, compares, MMX and the SSE 64-bit integer extensions, and a
 * SIGFPE from an unmasked SIMD exception whose handler reads and changes
 * xmm registers and MXCSR through the signal frame. Values are printed
 * as bits (%a, hex) or as FNV-1a hashes of whole arrays, so bits matter.
 *
 *   simd-sse2             every check
 *   simd-sse2 kernel N    the vectorised kernel N times (bench), one checksum
 */
#include <emmintrin.h>
#include <fenv.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

/* Values the compiler cannot fold: they pass through a register at run time,
 * and volatile asm keeps them in order with MXCSR changes. */
#define OPQ(x) ({ __typeof__((x) + 0) _v = (x); __asm__ volatile("" : "+x"(_v)); _v; })
/* stmxcsr/ldmxcsr as volatile asm below: gcc merges two _mm_getcsr() calls */
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

static uint64_t bits64(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t bits32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static double dbits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float fbits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static uint32_t lcg_state = 12345;
static uint32_t lcg(void) { return lcg_state = lcg_state * 1103515245u + 12345u; }

#define N 1024
static uint8_t u8a[N], u8b[N], u8c[N];
static int16_t s16a[N], s16b[N], s16c[N];
static int32_t s32a[N], s32b[N], s32c[N];
static uint32_t u32a[N], u32c[N];
static int64_t s64a[N], s64b[N], s64c[N];
static float fa[N], fb[N], fc[N];
static double da[N], db[N], dc[N];

static void fill(void)
{
	for (int i = 0; i < N; i++) {
		uint32_t r = lcg();
		u8a[i] = r >> 24; u8b[i] = r >> 16;
		s16a[i] = r >> 8; s16b[i] = lcg() >> 16;
		s32a[i] = lcg(); s32b[i] = lcg();
		u32a[i] = lcg();
		s64a[i] = ((int64_t)lcg() << 32) | lcg();
		s64b[i] = ((int64_t)lcg() << 32) | lcg();
		fa[i] = (float)(int32_t)lcg() / 65536.0f;
		fb[i] = (float)(lcg() >> 8) / 4096.0f + 0.5f;
		da[i] = (double)(int32_t)lcg() / 3.0;
		db[i] = (double)(lcg() >> 4) / 1024.0 + 0.25;
	}
	/* edge values among the random ones */
	u8a[0] = 255; u8b[0] = 255; u8a[1] = 0; u8b[1] = 255;
	s16a[0] = -32768; s16b[0] = -32768; s16a[1] = 32767; s16b[1] = -1;
	s32a[0] = INT32_MIN; s32b[0] = -1; s32a[1] = INT32_MAX; s32b[1] = INT32_MAX;
	s64a[0] = INT64_MIN; s64b[0] = -1;
	fa[0] = -0.0f; fa[1] = 1e-40f; fa[2] = 3e30f;
	da[0] = -0.0; da[1] = 4.9e-324; da[2] = 1e300;
}

#define HASH(name, arr) printf("%-14s %016llx\n", name, (unsigned long long)fnv(arr, sizeof arr))

/* --- auto-vectorised integer loops ------------------------------------ */

__attribute__((noinline)) static void int_loops(void)
{
	uint32_t sum8 = 0;
	for (int i = 0; i < N; i++) u8c[i] = (u8a[i] + u8b[i] + 1) >> 1;          /* pavgb */
	HASH("u8 avg", u8c);
	for (int i = 0; i < N; i++) u8c[i] = u8a[i] > u8b[i] ? u8a[i] : u8b[i];     /* pmaxub */
	HASH("u8 max", u8c);
	for (int i = 0; i < N; i++) {
		unsigned s = u8a[i] + u8b[i];
		u8c[i] = s > 255 ? 255 : s;                                                  /* paddusb */
	}
	HASH("u8 addsat", u8c);
	for (int i = 0; i < N; i++) u8c[i] = u8a[i] > u8b[i] ? u8a[i] - u8b[i] : u8b[i] - u8a[i];
	HASH("u8 absdiff", u8c);
	for (int i = 0; i < N; i++) sum8 += u8a[i];
	printf("%-14s %u\n", "u8 sum", sum8);

	int32_t dot16 = 0;
	for (int i = 0; i < N; i++) s16c[i] = s16a[i] * s16b[i];                     /* pmullw */
	HASH("s16 mul", s16c);
	for (int i = 0; i < N; i++) s16c[i] = (s16a[i] * s16b[i]) >> 16;              /* pmulhw */
	HASH("s16 mulhi", s16c);
	for (int i = 0; i < N; i++) s16c[i] = (int16_t)(s16a[i] << 3) ^ (s16b[i] >> 2);
	HASH("s16 shifts", s16c);
	for (int i = 0; i < N; i++) s16c[i] = s16a[i] < s16b[i] ? s16a[i] : s16b[i];  /* pminsw */
	HASH("s16 min", s16c);
	for (int i = 0; i < N; i++) dot16 += s16a[i] * s16b[i];                       /* pmaddwd */
	printf("%-14s %d\n", "s16 dot", dot16);

	int32_t sum32 = 0, eq = 0;
	for (int i = 0; i < N; i++) s32c[i] = s32a[i] * s32b[i];                      /* pmuludq */
	HASH("s32 mul", s32c);
	for (int i = 0; i < N; i++) s32c[i] = s32a[i] > s32b[i] ? s32a[i] : s32b[i];  /* pcmpgtd */
	HASH("s32 max", s32c);
	for (int i = 0; i < N; i++) s32c[i] = s32a[i] < 0 ? -(uint32_t)s32a[i] : s32a[i];
	HASH("s32 abs", s32c);
	for (int i = 0; i < N; i++) sum32 += s32a[i] >> 5;
	for (int i = 0; i < N; i++) eq += (s32a[i] & 7) == (s32b[i] & 7);
	printf("%-14s %d %d\n", "s32 sum eq", sum32, eq);
	for (int i = 0; i < N; i++) u32c[i] = (u32a[i] >> 7) | (u32a[i] << 25);
	HASH("u32 rot", u32c);

	for (int i = 0; i < N; i++) s64c[i] = s64a[i] + s64b[i];                      /* paddq */
	HASH("s64 add", s64c);
	for (int i = 0; i < N; i++) s64c[i] = (s64a[i] << 5) ^ ((uint64_t)s64b[i] >> 3);
	HASH("s64 shifts", s64c);
	for (int i = 0; i < N; i++) s64c[i] = s64a[i] >> 9;
	HASH("s64 sar", s64c);

	for (int i = 0; i < N; i++) fc[i] = (float)s32a[i];                           /* cvtdq2ps */
	HASH("i32->f32", fc);
	for (int i = 0; i < N; i++) s32c[i] = (int32_t)(fa[i] * 1000.0f);              /* cvttps2dq */
	HASH("f32->i32", s32c);
	for (int i = 0; i < N; i++) dc[i] = fa[i];                                      /* cvtps2pd */
	HASH("f32->f64", dc);
	for (int i = 0; i < N; i++) fc[i] = (float)da[i];                              /* cvtpd2ps */
	HASH("f64->f32", fc);
	for (int i = 0; i < N; i++) dc[i] = s32a[i];                                    /* cvtdq2pd */
	HASH("i32->f64", dc);
}

/* --- float and double loops, a matrix multiply ------------------------- */

#define M 12
static double ma[M][M], mb[M][M], mc[M][M];
static float fma_[16][16], fmb[16][16], fmc[16][16];

__attribute__((noinline)) static void matmul(void)
{
	for (int i = 0; i < M; i++)
		for (int j = 0; j < M; j++)
			mc[i][j] = 0;
	for (int i = 0; i < M; i++)
		for (int k = 0; k < M; k++)
			for (int j = 0; j < M; j++)
				mc[i][j] += ma[i][k] * mb[k][j];
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++)
			fmc[i][j] = 0;
	for (int i = 0; i < 16; i++)
		for (int k = 0; k < 16; k++)
			for (int j = 0; j < 16; j++)
				fmc[i][j] += fma_[i][k] * fmb[k][j];
}

__attribute__((noinline)) static void fp_loops(void)
{
	for (int i = 0; i < N; i++) dc[i] = da[i] * db[i] + da[(i + 1) % N];
	HASH("f64 muladd", dc);
	for (int i = 0; i < N; i++) dc[i] = da[i] / db[i];
	HASH("f64 div", dc);
	for (int i = 0; i < N; i += 2)
		_mm_storeu_pd(&dc[i], _mm_sqrt_pd(_mm_loadu_pd(&db[i])));
	HASH("f64 sqrt", dc);
	for (int i = 0; i < N; i++) dc[i] = da[i] < db[i] ? da[i] : db[i];            /* minpd */
	HASH("f64 min", dc);
	for (int i = 0; i < N; i++) fc[i] = fa[i] * fb[i] - fb[(i + 3) % N];
	HASH("f32 mulsub", fc);
	for (int i = 0; i < N; i++) fc[i] = fa[i] / fb[i];
	HASH("f32 div", fc);
	for (int i = 0; i < N; i++) fc[i] = fa[i] > fb[i] ? fa[i] : fb[i];            /* maxps */
	HASH("f32 max", fc);
	for (int i = 0; i < N; i++) fc[i] = fabsf(fa[i]) + (float)i;
	HASH("f32 abs", fc);

	/* scalar (ordered) sums: addsd/mulsd one at a time */
	double dot = 0, sum = 0;
	float fdot = 0;
	for (int i = 0; i < N; i++) dot += da[i] * db[i];
	for (int i = 0; i < N; i++) sum += 1.0 / (1.0 + i);
	for (int i = 0; i < N; i++) fdot += fa[i] * fb[i];
	printf("%-14s %a %.17g\n", "f64 dot", dot, dot);
	printf("%-14s %a %.17g\n", "harmonic", sum, sum);
	printf("%-14s %a %.9g\n", "f32 dot", fdot, fdot);

	/* a dot product with intrinsics: two lanes, then the horizontal add */
	__m128d acc = _mm_setzero_pd();
	for (int i = 0; i < N; i += 2)
		acc = _mm_add_pd(acc, _mm_mul_pd(_mm_loadu_pd(&da[i]), _mm_loadu_pd(&db[i])));
	acc = _mm_add_sd(acc, _mm_unpackhi_pd(acc, acc));
	printf("%-14s %a\n", "f64 dot2", _mm_cvtsd_f64(acc));

	for (int i = 0; i < M; i++)
		for (int j = 0; j < M; j++) {
			ma[i][j] = (double)(int)(lcg() % 2001 - 1000) / 7.0;
			mb[i][j] = 1.0 / (i + j + 1.0);
		}
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++) {
			fma_[i][j] = (float)(int)(lcg() % 201 - 100) / 3.0f;
			fmb[i][j] = 1.0f / (float)(i * 16 + j + 1);
		}
	matmul();
	HASH("matmul f64", mc);
	HASH("matmul f32", fmc);
	printf("%-14s %a %a %a\n", "mc", mc[0][0], mc[5][7], mc[M - 1][M - 1]);
	printf("%-14s %a %a\n", "fmc", fmc[0][0], fmc[15][15]);
}

/* --- scalar double math in xmm registers ------------------------------- */

__attribute__((noinline)) static void scalar_math(void)
{
	double x = OPQ(2.0), r = 1.0;
	for (int i = 0; i < 6; i++) r = 0.5 * (r + x / r);        /* Newton sqrt(2) */
	printf("%-14s %.17g %a\n", "newton", r, r);
	double s = 0, c = 0;
	for (int i = 1; i <= 1000; i++) {                          /* Kahan: sum of 0.1 */
		double y = OPQ(0.1) - c, t = s + y;
		c = (t - s) - y;
		s = t;
	}
	printf("%-14s %.17g\n", "kahan", s);
	double p = OPQ(1.0001);
	for (int i = 0; i < 10; i++) p *= p;
	printf("%-14s %.17g\n", "pow2^10", p);
	printf("%-14s %.17g %.17g\n", "sqrt", sqrt(OPQ(2.0)), sqrt(OPQ(1e-300)));
	int64_t big = OPQI((int64_t)0x123456789abcdefll);
	uint32_t u = OPQI(0xfffffff1u);
	printf("%-14s %.17g %.17g %lld %u\n", "int conv", (double)big, (double)u,
	       (long long)OPQ(9.2e18), (unsigned)OPQ(4.0e9));
	float f = OPQ(16777217.0f), g = (float)OPQ(1.0 / 3.0);
	printf("%-14s %a %a %a\n", "float", (double)f, (double)g, (double)(float)OPQ(1e40));
}

/* --- rounding modes ----------------------------------------------------- */

static const double conv_in[] = { 2.5, -2.5, 3.5, -0.5, 0.49999999999999994, -1.5,
	2147483647.5, -2147483648.5, 1e10, NAN, 1.0 + 0x1p-52 };
#define NCONV (int)(sizeof conv_in / sizeof conv_in[0])

static void conversions(const char *mode)
{
	printf("round %s csr %04x\n", mode, csr_get() & 0xffc0);
	csr_set(csr_get() & ~0x3f);
	printf("  cvtsd2si ");
	for (int i = 0; i < NCONV; i++) printf(" %d", _mm_cvtsd_si32(_mm_set_sd(OPQ(conv_in[i]))));
	printf("\n  cvtss2si ");
	for (int i = 0; i < NCONV; i++) printf(" %d", _mm_cvtss_si32(_mm_set_ss((float)OPQ(conv_in[i]))));
	printf("\n  cvttsd2si");
	for (int i = 0; i < NCONV; i++) printf(" %d", _mm_cvttsd_si32(_mm_set_sd(OPQ(conv_in[i]))));
	__m128i pd = _mm_cvtpd_epi32(OPQ(_mm_set_pd(-2.5, 2.5)));
	__m128i ps = _mm_cvtps_epi32(OPQ(_mm_set_ps(-1.5f, 1.5f, 0.5f, 1e10f)));
	__m128i tps = _mm_cvttps_epi32(OPQ(_mm_set_ps(-1.5f, 1.5f, -0.9f, NAN)));
	printf("\n  cvtpd2dq %d %d cvtps2dq %d %d %d %d cvttps2dq %d %d %d %d\n",
	       _mm_cvtsi128_si32(pd), _mm_cvtsi128_si32(_mm_srli_si128(pd, 4)),
	       _mm_cvtsi128_si32(ps), _mm_cvtsi128_si32(_mm_srli_si128(ps, 4)),
	       _mm_cvtsi128_si32(_mm_srli_si128(ps, 8)), _mm_cvtsi128_si32(_mm_srli_si128(ps, 12)),
	       _mm_cvtsi128_si32(tps), _mm_cvtsi128_si32(_mm_srli_si128(tps, 4)),
	       _mm_cvtsi128_si32(_mm_srli_si128(tps, 8)), _mm_cvtsi128_si32(_mm_srli_si128(tps, 12)));
	printf("  flags %02x\n", csr_get() & 0x3f);
	csr_set(csr_get() & ~0x3f);
	double third = OPQ(OPQ(1.0) / OPQ(3.0)), mthird = OPQ(OPQ(-1.0) / OPQ(3.0));
	double sum = OPQ(OPQ(1.0) + OPQ(0x1p-53)), sq = OPQ(sqrt(OPQ(2.0))), prod = OPQ(OPQ(1.1) * OPQ(1.1));
	float f3 = OPQ(OPQ(1.0f) / OPQ(3.0f)), ci = OPQ((float)OPQI(16777217));
	float cd = OPQ((float)OPQ(1.0 + 0x1p-24 + 0x1p-40)), cdn = OPQ((float)OPQ(-(1.0 + 0x1p-24 + 0x1p-40)));
	int fl1 = csr_get() & 0x3f;
	csr_set(csr_get() & ~0x3f);
	double ovf = OPQ(OPQ(1e308) * OPQ(10.0));
	int fl2 = csr_get() & 0x3f;
	csr_set(csr_get() & ~0x3f);
	double unf = OPQ(OPQ(0x1p-1022) * OPQ(0x1.8p-52));
	int fl3 = csr_get() & 0x3f;
	printf("  div %a %a add %a sqrt %a mul %a\n", third, mthird, sum, sq, prod);
	printf("  f32 div %a cvtsi2ss %a cvtsd2ss %a %a flags %02x\n", f3, ci, cd, cdn, fl1);
	printf("  ovf %a %02x unf %a %02x\n", ovf, fl2, unf, fl3);
}

__attribute__((noinline)) static void rounding(void)
{
	static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
	static const char *names[] = { "nearest", "down", "up", "zero" };
	for (int m = 0; m < 4; m++) {
		fesetround(modes[m]);
		conversions(names[m]);
	}
	fesetround(FE_TONEAREST);
	/* the same through MXCSR directly, the x87 control word left alone */
	for (int m = 0; m < 4; m++) {
		csr_set(0x1f80 | m << 13);
		char name[16];
		snprintf(name, sizeof name, "csr%d", m);
		conversions(name);
	}
	csr_set(0x1f80);
}

/* --- DAZ / FTZ, sqrt, min/max, NaNs, compares --------------------------- */

__attribute__((noinline)) static void edges(void)
{
	static const uint32_t daz_ftz[] = { 0x1f80, 0x9f80, 0x1fc0, 0x9fc0 };
	for (int k = 0; k < 4; k++) {
		csr_set(daz_ftz[k]);
		double dn = OPQ(dbits(0x000fffffffffffffull)), mn = OPQ(0x1p-1022);
		float fdn = OPQ(fbits(0x00400000)), fmn = OPQ(0x1p-126f);
		double r1 = OPQ(dn * OPQ(1.0)), r2 = OPQ(mn * OPQ(0.5)), r3 = OPQ(dn + mn);
		float r4 = OPQ(fdn * OPQ(2.0f)), r5 = OPQ(fmn * OPQ(0.25f));
		int cmp = OPQI(dn > OPQ(0.0));
		printf("csr %04x: %016llx %016llx %016llx %08x %08x cmp %d flags %02x\n", daz_ftz[k],
		       (unsigned long long)bits64(r1), (unsigned long long)bits64(r2), (unsigned long long)bits64(r3),
		       bits32(r4), bits32(r5), cmp, csr_get() & 0x3f);
	}
	csr_set(0x1f80);

	static const uint64_t sq_in[] = { 0x4010000000000000ull /* 4 */, 0x4000000000000000ull /* 2 */,
		0xbff0000000000000ull /* -1 */, 0x8000000000000000ull /* -0 */, 0, 0x7ff0000000000000ull,
		0xfff0000000000000ull, 1, 0x7ff8000000001234ull, 0x7ff0000000005678ull, 0xfff4000000000001ull };
	printf("sqrtsd/ss:");
	for (unsigned i = 0; i < sizeof sq_in / 8; i++) {
		csr_set(0x1f80);
		__m128d r = OPQ(_mm_sqrt_sd(_mm_setzero_pd(), _mm_set_sd(OPQ(dbits(sq_in[i])))));
		float fin = (float)dbits(sq_in[i]);
		csr_set(0x1f80); /* only the sqrt's own flags */
		__m128 rs = OPQ(_mm_sqrt_ss(_mm_set_ss(OPQ(fin))));
		printf(" %llx/%x/%02x", (unsigned long long)bits64(_mm_cvtsd_f64(r)), bits32(_mm_cvtss_f32(rs)),
		       csr_get() & 0x3f);
	}
	printf("\n");

	static const uint64_t mm_in[][2] = {
		{ 0x3ff0000000000000ull, 0x4000000000000000ull }, { 0x4000000000000000ull, 0x3ff0000000000000ull },
		{ 0, 0x8000000000000000ull }, { 0x8000000000000000ull, 0 },
		{ 0x7ff8000000000001ull, 0x3ff0000000000000ull }, { 0x3ff0000000000000ull, 0x7ff8000000000001ull },
		{ 0x7ff0000000000002ull, 0x3ff0000000000000ull }, { 0x7ff8000000000003ull, 0xfff8000000000004ull },
		{ 0xfff0000000000000ull, 0x7ff0000000000000ull },
	};
	for (unsigned i = 0; i < sizeof mm_in / 16; i++) {
		csr_set(0x1f80);
		double a = OPQ(dbits(mm_in[i][0])), b = OPQ(dbits(mm_in[i][1]));
		__m128d va = _mm_set1_pd(a), vb = _mm_set1_pd(b);
		double mn = OPQ(_mm_cvtsd_f64(_mm_min_sd(va, vb))), mx = OPQ(_mm_cvtsd_f64(_mm_max_pd(va, vb)));
		double cmn = OPQ(a < b ? a : b), cmx = OPQ(a > b ? a : b);
		int flags = csr_get() & 0x3f;
		float fa1 = (float)a, fb1 = (float)b;
		float fmn = OPQ(_mm_cvtss_f32(_mm_min_ps(_mm_set1_ps(OPQ(fa1)), _mm_set1_ps(OPQ(fb1)))));
		double add = OPQ(a + b), mul = OPQ(a * b), lfmin = fmin(a, b), lfmax = fmax(a, b);
		printf("minmax %d: %llx %llx %llx %llx %x add %llx mul %llx fmin %llx fmax %llx flags %02x\n", i,
		       (unsigned long long)bits64(mn), (unsigned long long)bits64(mx), (unsigned long long)bits64(cmn),
		       (unsigned long long)bits64(cmx), bits32(fmn), (unsigned long long)bits64(add),
		       (unsigned long long)bits64(mul), (unsigned long long)bits64(lfmin), (unsigned long long)bits64(lfmax),
		       flags);
	}

	/* NaN payloads through conversions; invalid and inexact flags */
	csr_set(0x1f80);
	float qn = OPQ((float)OPQ(dbits(0x7ff8123456789abcull)));
	int fq1 = csr_get() & 0x3f;
	float sn = OPQ((float)OPQ(dbits(0xfff4000000000001ull)));
	int fq2 = csr_get() & 0x3f;
	csr_set(0x1f80);
	double fq = OPQ((double)OPQ(fbits(0x7fa00001)));
	int fq3 = csr_get() & 0x3f;
	printf("nan conv %x %02x %x %02x %llx %02x\n", bits32(qn), fq1, bits32(sn), fq2,
	       (unsigned long long)bits64(fq), fq3);
	csr_set(0x1f80);
	double inv = OPQ(OPQ(0.0) / OPQ(0.0));
	int fi1 = csr_get() & 0x3f;
	csr_set(0x1f80);
	double inf = OPQ(OPQ(1.0) / OPQ(0.0));
	int fi2 = csr_get() & 0x3f;
	csr_set(0x1f80);
	double sub = OPQ(OPQ(INFINITY) - OPQ(INFINITY));
	int fi3 = csr_get() & 0x3f;
	printf("invalid %llx %02x %llx %02x %llx %02x\n", (unsigned long long)bits64(inv), fi1,
	       (unsigned long long)bits64(inf), fi2, (unsigned long long)bits64(sub), fi3);

	/* compares: every cmppd predicate, comisd/ucomisd with a NaN */
	__m128d x = OPQ(_mm_set_pd(NAN, 1.0)), y = OPQ(_mm_set_pd(1.0, 2.0));
	int masks[8] = {
		_mm_movemask_pd(_mm_cmpeq_pd(x, y)), _mm_movemask_pd(_mm_cmplt_pd(x, y)),
		_mm_movemask_pd(_mm_cmple_pd(x, y)), _mm_movemask_pd(_mm_cmpunord_pd(x, y)),
		_mm_movemask_pd(_mm_cmpneq_pd(x, y)), _mm_movemask_pd(_mm_cmpnlt_pd(x, y)),
		_mm_movemask_pd(_mm_cmpnle_pd(x, y)), _mm_movemask_pd(_mm_cmpord_pd(x, y)),
	};
	__m128 xs = OPQ(_mm_set_ps(-0.0f, 0.0f, NAN, 3.0f)), ys = OPQ(_mm_set_ps(0.0f, -0.0f, 1.0f, 3.0f));
	csr_set(0x1f80);
	int ps1 = OPQI(_mm_movemask_ps(_mm_cmpeq_ps(xs, ys))), ps2 = OPQI(_mm_movemask_ps(_mm_cmpnle_ps(xs, ys)));
	int psf = csr_get() & 0x3f;
	csr_set(0x1f80);
	__m128d nan1 = OPQ(_mm_set_sd(NAN)), one = OPQ(_mm_set_sd(1.0));
	int uc = OPQI(_mm_ucomilt_sd(nan1, one) | _mm_ucomieq_sd(nan1, one) << 1 | _mm_ucomineq_sd(nan1, one) << 2);
	int ucf = csr_get() & 0x3f;
	int co = OPQI(_mm_comigt_sd(one, nan1) | _mm_comige_sd(one, one) << 1 | _mm_comile_sd(nan1, nan1) << 2);
	int cof = csr_get() & 0x3f;
	printf("cmppd %d%d%d%d%d%d%d%d cmpps %x %x flags %02x ucomisd %d %02x comisd %d %02x\n",
	       masks[0], masks[1], masks[2], masks[3], masks[4], masks[5], masks[6], masks[7],
	       ps1, ps2, psf, uc, ucf, co, cof);
	csr_set(0x1f80);
}

/* --- MMX and SSE's 64-bit integer extensions, SSE2 integer intrinsics ---- */

__attribute__((noinline)) static void mmx_and_int(void)
{
	__m64 a = _mm_set_pi8(OPQI(-128), 127, 1, 2, -1, 0, 100, -100);
	__m64 b = _mm_set_pi8(-1, 1, 127, -128, -1, 0, 100, 100);
	__m64 r[12] = {
		_mm_add_pi8(a, b), _mm_adds_pi8(a, b), _mm_adds_pu8(a, b), _mm_subs_pu16(a, b),
		_mm_madd_pi16(a, b), _mm_packs_pi16(a, b), _mm_unpacklo_pi8(a, b), _mm_sll_pi16(a, _mm_cvtsi32_si64(3)),
		_mm_cmpgt_pi16(a, b), _mm_avg_pu8(a, b), _mm_max_pu8(a, b), _mm_shuffle_pi16(a, 0x1b),
	};
	__m64 sad = _mm_sad_pu8(a, b);
	int ext = _mm_extract_pi16(a, 2), msk = _mm_movemask_pi8(a);
	uint64_t out[12];
	memcpy(out, r, sizeof out);
	uint64_t sadv;
	memcpy(&sadv, &sad, 8);
	_mm_empty();
	/* x87 after emms: the stack must be usable again */
	volatile long double ld = 1.0L;
	ld = ld / 3.0L;
	printf("mmx %016llx sad %llx ext %d msk %02x x87 %.20Lg\n", (unsigned long long)fnv(out, sizeof out),
	       (unsigned long long)sadv, ext, msk, ld);
	for (int i = 0; i < 12; i++) printf("%s%016llx", i ? " " : "  ", (unsigned long long)out[i]);
	printf("\n");

	__m128i x = OPQ(_mm_set_epi32(0x80000000, 0x7fffffff, -1, 0x12345678));
	__m128i y = OPQ(_mm_set_epi32(1, 2, 0x8000, 0xfedcba98));
	__m128i v[16] = {
		_mm_packs_epi32(x, y), _mm_packus_epi16(x, y), _mm_mul_epu32(x, y), _mm_madd_epi16(x, y),
		_mm_shuffle_epi32(x, 0x4e), _mm_shufflehi_epi16(x, 0xb1), _mm_shufflelo_epi16(y, 0x1b),
		_mm_unpackhi_epi8(x, y), _mm_unpacklo_epi64(x, y), _mm_srai_epi32(x, 31), _mm_srl_epi64(x, _mm_cvtsi32_si128(4)),
		_mm_slli_si128(x, 3), _mm_sad_epu8(x, y), _mm_mulhi_epu16(x, y), _mm_subs_epi16(x, y), _mm_cmpgt_epi8(x, y),
	};
	printf("sse2 int %016llx mask %04x\n", (unsigned long long)fnv(v, sizeof v), _mm_movemask_epi8(v[15]));
}

/* --- SIGFPE from an unmasked exception; the handler edits xmm state ------ */

/* struct _fpstate_32 of Linux's uapi sigcontext.h: the FXSR image follows the
 * legacy FSAVE header; magic 0 says it is there */
struct fxframe {
	uint32_t cw, sw, tag, ipoff, cssel, dataoff, datasel;
	uint8_t st[80];
	uint16_t status, magic;
	uint32_t fxsr_env[6];
	uint32_t mxcsr, reserved;
	uint8_t fxsr_st[128];
	uint8_t xmm[8][16];
};

extern char fault_insn[];
static volatile int fpe_count, fpe_code;
static volatile long fpe_addr_off;
static volatile uint32_t fpe_mxcsr, fpe_magic;
static volatile uint64_t fpe_xmm0, fpe_xmm1;

static void on_fpe(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	struct fxframe *fp = (struct fxframe *)uc->uc_mcontext.fpregs;
	(void)sig;
	fpe_count++;
	fpe_code = si->si_code;
	fpe_addr_off = (char *)si->si_addr - fault_insn;
	fpe_magic = fp->magic;
	fpe_mxcsr = fp->mxcsr;
	memcpy((void *)&fpe_xmm0, fp->xmm[0], 8);
	memcpy((void *)&fpe_xmm1, fp->xmm[1], 8);
	/* divisor 0 -> 4 in the interrupted xmm1; clear the flag (the divide
	 * runs again on return, still unmasked) */
	double four = 4.0;
	memcpy(fp->xmm[1], &four, 8);
	fp->mxcsr &= ~0x3fu;
}

__attribute__((noinline)) static void sigfpe(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fpe;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGFPE, &sa, NULL);
	double num = 10.0, den = 0.0, out;
	uint32_t csr = 0x1f80 & ~0x200, after; /* ZM unmasked */
	__asm__ volatile(
		"ldmxcsr %[csr]\n\t"
		"movsd %[num], %%xmm0\n\t"
		"movsd %[den], %%xmm1\n\t"
		".globl fault_insn\n"
		"fault_insn:\n\t"
		"divsd %%xmm1, %%xmm0\n\t"
		"movsd %%xmm0, %[out]\n\t"
		"stmxcsr %[after]\n\t"
		: [out] "=m"(out), [after] "=m"(after)
		: [csr] "m"(csr), [num] "m"(num), [den] "m"(den)
		: "xmm0", "xmm1");
	csr_set(0x1f80);
	printf("sigfpe count %d code %d addr %+ld magic %x mxcsr %04x xmm0 %a xmm1 %a -> %a mxcsr %04x\n",
	       fpe_count, fpe_code, fpe_addr_off, fpe_magic, fpe_mxcsr, dbits(fpe_xmm0), dbits(fpe_xmm1), out, after);
	/* invalid (sqrt of -1) unmasked: FPE_FLTINV; the handler makes the source 4 */
	fpe_count = 0;
	num = -1.0;
	den = 0.0;
	csr = 0x1f80 & ~0x80; /* IM unmasked */
	__asm__ volatile(
		"ldmxcsr %[csr]\n\t"
		"movsd %[den], %%xmm0\n\t"
		"movsd %[num], %%xmm1\n\t"
		"sqrtsd %%xmm1, %%xmm0\n\t"
		"movsd %%xmm0, %[out]\n\t"
		: [out] "=m"(out)
		: [csr] "m"(csr), [num] "m"(num), [den] "m"(den)
		: "xmm0", "xmm1");
	csr_set(0x1f80);
	printf("sigfpe2 count %d code %d mxcsr %04x out %a\n", fpe_count, fpe_code, fpe_mxcsr, out);
}

static void on_fpe2(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	struct fxframe *fp = (struct fxframe *)uc->uc_mcontext.fpregs;
	(void)sig;
	fpe_count++;
	fpe_code = si->si_code;
	fpe_mxcsr = fp->mxcsr;
	if (fpe_count == 2) fp->mxcsr |= 0x80; /* masked now: sqrt(-1) gives the default NaN */
	fp->mxcsr &= ~0x3fu;
}

/* --- the benchmark kernel ----------------------------------------------- */

#define KN 4096
static float kx[KN], ky[KN];
static int16_t ka[KN], kb[KN];
static double kd[KN];

__attribute__((noinline)) static uint64_t kernel(int reps)
{
	for (int i = 0; i < KN; i++) {
		kx[i] = (float)(i % 97) * 0.25f;
		ky[i] = (float)(i % 13);
		ka[i] = (int16_t)(i * 31);
		kb[i] = (int16_t)(7 - i);
		kd[i] = i * 0.5;
	}
	int64_t idot = 0;
	double dsum = 0;
	for (int r = 0; r < reps; r++) {
		float a = 0.5f + (float)(r & 3);
		for (int i = 0; i < KN; i++) ky[i] = a * kx[i] + ky[i] * 0.5f;      /* saxpy */
		int32_t d = 0;
		for (int i = 0; i < KN; i++) d += ka[i] * kb[i];                    /* pmaddwd */
		idot += d;
		for (int i = 0; i < KN; i++) kd[i] = kd[i] * 0.999 + ky[i];         /* cvtps2pd, mulpd */
		for (int i = 0; i < KN; i++) ka[i] = (int16_t)(ka[i] + (kb[i] >> 1));
		dsum += kd[r % KN];
	}
	uint64_t h = fnv(ky, sizeof ky) ^ fnv(kd, sizeof kd) ^ fnv(ka, sizeof ka);
	return h ^ (uint64_t)idot ^ bits64(dsum);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "kernel")) {
		printf("kernel %s %016llx\n", argv[2], (unsigned long long)kernel(atoi(argv[2])));
		return 0;
	}
	fill();
	int_loops();
	fp_loops();
	scalar_math();
	rounding();
	edges();
	mmx_and_int();
	sigfpe();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fpe2;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGFPE, &sa, NULL);
	fpe_count = 0;
	double out, num = -1.0;
	uint32_t csr = 0x1f80 & ~0x80;
	__asm__ volatile("ldmxcsr %[csr]\n\tmovsd %[num], %%xmm2\n\tsqrtsd %%xmm2, %%xmm3\n\tmovsd %%xmm3, %[out]\n\t"
			 : [out] "=m"(out) : [csr] "m"(csr), [num] "m"(num) : "xmm2", "xmm3");
	csr_set(0x1f80);
	printf("sigfpe3 count %d code %d mxcsr %04x out %llx\n", fpe_count, fpe_code, fpe_mxcsr,
	       (unsigned long long)bits64(out));
	printf("kernel 3 %016llx\n", (unsigned long long)kernel(3));
	return 0;
}
