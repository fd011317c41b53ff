/* SSSE3 end to end (built with -O3 -mssse3): pshufb (byte reversal, table
 * lookups, zeroing lanes), palignr at every shift, phadd/phsub, pabs,
 * pmaddubsw, pmulhrsw, psign, in their 128-bit and MMX forms through
 * intrinsics, plus loops gcc vectorises with them; SSE3's haddpd/addsubps,
 * movddup/movshdup/movsldup and lddqu. Arrays are printed as FNV-1a hashes,
 * single results as hex. */
#include <pmmintrin.h>
#include <tmmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OPQ(x) ({ __typeof__((x) + 0) _v = (x); __asm__ volatile("" : "+x"(_v)); _v; })
#define OPQI(x) ({ __typeof__((x) + 0) _v = (x); __asm__ volatile("" : "+r"(_v)); _v; })
#define OPQM(x) ({ __m64 _v = (x); __asm__ volatile("" : "+y"(_v)); _v; })

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

static uint32_t lcg_state = 777;
static uint32_t lcg(void) { return lcg_state = lcg_state * 1664525u + 1013904223u; }

#define N 2048
static uint32_t w32[N], r32[N];
static uint16_t w16[N], r16[N];
static int8_t s8[N], t8[N];
static int16_t s16[N], t16[N];
static int32_t s32[N], t32[N];
static uint8_t u8[N], v8[N];

#define HASH(name, arr) printf("%-12s%016llx\n", name, (unsigned long long)fnv(arr, sizeof arr))

__attribute__((noinline)) static void loops(void)
{
	for (int i = 0; i < N; i++) r32[i] = __builtin_bswap32(w32[i]);      /* pshufb */
	HASH("bswap32", r32);
	for (int i = 0; i < N; i++) r16[i] = __builtin_bswap16(w16[i]);
	HASH("bswap16", r16);
	for (int i = 0; i < N; i++) u8[i] = v8[N - 1 - i];                   /* reversed copy */
	HASH("reverse", u8);
	for (int i = 0; i < N; i++) t8[i] = s8[i] < 0 ? -s8[i] : s8[i];       /* pabsb */
	HASH("abs8", t8);
	for (int i = 0; i < N; i++) t16[i] = s16[i] < 0 ? -s16[i] : s16[i];   /* pabsw */
	HASH("abs16", t16);
	for (int i = 0; i < N; i++) t32[i] = __builtin_abs(s32[i]);           /* pabsd */
	HASH("abs32", t32);
	int32_t sum = 0;
	for (int i = 0; i < N; i++) sum += u8[i] * s8[i];                     /* widening multiply */
	printf("%-12s%d\n", "dot u8*s8", sum);
	for (int i = 0; i < N; i++) t16[i] = (int16_t)((s16[i] * t16[i] + 0x4000) >> 15);  /* pmulhrsw */
	HASH("mulhrs", t16);
	for (int i = 0; i < N / 2; i++) r32[i] = w32[2 * i] + w32[2 * i + 1]; /* phaddd */
	HASH("pairsum", r32);
}

__attribute__((noinline)) static void intrinsics(void)
{
	__m128i a = OPQ(_mm_set_epi8(-128, 127, -1, 0, 1, 2, 3, -4, 50, -50, 100, -100, 127, -128, 64, -64));
	__m128i b = OPQ(_mm_set_epi8(0x0f, 0x0e, 0x8d, 0x0c, 0x0b, 0x0a, 0x09, 0x88, 7, 6, 5, 4, 3, 2, 1, 0x80));
	__m128i rev = OPQ(_mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
	__m128i w = OPQ(_mm_set_epi16(-32768, 32767, -1, 0, 1000, -1000, 16384, -16384));
	__m128i v = OPQ(_mm_set_epi16(32767, 32767, -32768, 5, -7, 30000, -30000, 2));
	__m128i d = OPQ(_mm_set_epi32(0x80000000, 0x7fffffff, -5, 5));
	__m128i e = OPQ(_mm_set_epi32(-1, 0, 1, 0x80000000));

	hex128("pshufb rev", _mm_shuffle_epi8(a, rev));
	hex128("pshufb tbl", _mm_shuffle_epi8(a, b));          /* lanes with bit 7 set become 0 */
	for (int n = 0; n <= 32; n += (n < 16 ? 1 : 8)) {
		__m128i r;
		switch (n) {   /* palignr takes an immediate */
#define A(k) case k: r = _mm_alignr_epi8(a, b, k); break;
		A(0) A(1) A(2) A(3) A(4) A(5) A(6) A(7) A(8) A(9) A(10) A(11) A(12) A(13) A(14) A(15) A(16) A(24) A(32)
#undef A
		default: r = _mm_setzero_si128();
		}
		char name[16];
		snprintf(name, sizeof name, "palignr %d", n);
		hex128(name, r);
	}
	hex128("phaddw", _mm_hadd_epi16(w, v));
	hex128("phaddsw", _mm_hadds_epi16(w, v));
	hex128("phaddd", _mm_hadd_epi32(d, e));
	hex128("phsubw", _mm_hsub_epi16(w, v));
	hex128("phsubsw", _mm_hsubs_epi16(w, v));
	hex128("phsubd", _mm_hsub_epi32(d, e));
	hex128("pabsb", _mm_abs_epi8(a));
	hex128("pabsw", _mm_abs_epi16(w));
	hex128("pabsd", _mm_abs_epi32(d));
	hex128("pmaddubsw", _mm_maddubs_epi16(a, b));
	hex128("maddubs sat", _mm_maddubs_epi16(OPQ(_mm_set1_epi8(-1)), OPQ(_mm_set1_epi8(127))));
	hex128("pmulhrsw", _mm_mulhrs_epi16(w, v));
	hex128("psignb", _mm_sign_epi8(a, b));
	hex128("psignw", _mm_sign_epi16(w, v));
	hex128("psignd", _mm_sign_epi32(d, e));

	/* the MMX forms */
	__m64 ma = OPQM(_mm_set_pi8(-128, 127, -1, 0, 1, 2, 3, -4)), mb = OPQM(_mm_set_pi8(7, 0x86, 5, 4, 3, 2, 1, 0));
	__m64 mw = OPQM(_mm_set_pi16(-32768, 32767, -1, 1000)), mv = OPQM(_mm_set_pi16(32767, -32768, 5, -7));
	__m64 r[12] = {
		_mm_shuffle_pi8(ma, mb), _mm_alignr_pi8(ma, mb, 3), _mm_alignr_pi8(ma, mb, 9), _mm_hadd_pi16(mw, mv),
		_mm_hadds_pi16(mw, mv), _mm_hsub_pi32(mw, mv), _mm_abs_pi8(ma), _mm_abs_pi16(mw), _mm_maddubs_pi16(ma, mb),
		_mm_mulhrs_pi16(mw, mv), _mm_sign_pi8(ma, mb), _mm_sign_pi32(mw, mv),
	};
	uint64_t out[12];
	memcpy(out, r, sizeof out);
	_mm_empty();
	for (int i = 0; i < 12; i++) printf("%s%016llx", i ? " " : "mmx ", (unsigned long long)out[i]);
	printf("\n");

	/* SSE3 */
	__m128d pd1 = OPQ(_mm_set_pd(1.5, -2.25)), pd2 = OPQ(_mm_set_pd(1e300, 1e300));
	__m128 ps1 = OPQ(_mm_set_ps(1.0f, 2.0f, 3.0f, 4.0f)), ps2 = OPQ(_mm_set_ps(-0.5f, 0.25f, 1e30f, -1e30f));
	__m128d h1 = _mm_hadd_pd(pd1, pd2), h2 = _mm_hsub_pd(pd1, pd2), as1 = _mm_addsub_pd(pd1, pd2);
	__m128 h3 = _mm_hadd_ps(ps1, ps2), h4 = _mm_hsub_ps(ps1, ps2), as2 = _mm_addsub_ps(ps1, ps2);
	__m128d dup = _mm_movedup_pd(pd1);
	__m128 shd = _mm_movehdup_ps(ps1), sld = _mm_moveldup_ps(ps2);
	static const uint8_t bytes[40] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
		21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40 };
	__m128i ld = _mm_lddqu_si128((const __m128i *)(bytes + OPQI(3)));
	hex128("haddpd", _mm_castpd_si128(h1));
	hex128("hsubpd", _mm_castpd_si128(h2));
	hex128("addsubpd", _mm_castpd_si128(as1));
	hex128("haddps", _mm_castps_si128(h3));
	hex128("hsubps", _mm_castps_si128(h4));
	hex128("addsubps", _mm_castps_si128(as2));
	hex128("movddup", _mm_castpd_si128(dup));
	hex128("movshdup", _mm_castps_si128(shd));
	hex128("movsldup", _mm_castps_si128(sld));
	hex128("lddqu", ld);
}

int main(void)
{
	for (int i = 0; i < N; i++) {
		uint32_t r = lcg();
		w32[i] = r;
		w16[i] = r >> 7;
		s8[i] = (int8_t)(r >> 24);
		v8[i] = (uint8_t)(r >> 16);
		s16[i] = (int16_t)lcg();
		s32[i] = (int32_t)lcg();
	}
	s8[0] = -128; s16[0] = -32768; s32[0] = INT32_MIN; s16[1] = 32767;
	loops();
	intrinsics();
	return 0;
}
