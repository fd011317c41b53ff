/*
 * The real CPU's rcpss / rsqrtss tables: the approximations depend on the top 12 bits of
 * the significand (and, for rsqrt, the exponent's parity) only, as measured on this machine
 * (every exponent, sign and 12-bit prefix with a random tail; see record-sse-approx.mjs).
 * Writes, for x in [1, 2) (rcp, rsqrt) and [2, 4) (rsqrt), the result bits of each prefix.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xmmintrin.h>

static uint32_t approx(int rsqrt, uint32_t bits) {
  float x, r;
  memcpy(&x, &bits, 4);
  __m128 v = _mm_set_ss(x);
  v = rsqrt ? _mm_rsqrt_ss(v) : _mm_rcp_ss(v);
  r = _mm_cvtss_f32(v);
  memcpy(&bits, &r, 4);
  return bits;
}

int main(void) {
  for (uint32_t p = 0; p < 4096; p++) printf("%08x\n", approx(0, (127u << 23) | (p << 11)));
  for (uint32_t p = 0; p < 4096; p++) printf("%08x\n", approx(1, (127u << 23) | (p << 11)));
  for (uint32_t p = 0; p < 4096; p++) printf("%08x\n", approx(1, (128u << 23) | (p << 11)));
  return 0;
}
