/* Big-number arithmetic through Debian's libgmp10:i386 (dynamically linked:
 * /lib/i386-linux-gnu/libgmp.so.10). libgmp is a "fat" build: at its first
 * call it reads CPUID (vendor, family, model) and points __gmpn_cpuvec at
 * the routines for that CPU: MMX and SSE2 ones (__gmpn_mul_1_p6_sse2,
 * __gmpn_lshift_p6_mmx...) on Intel family 6. Factorials, powers, gcd,
 * division, modular powers, square roots, a primality test, printed in
 * decimal and hex (whole, or hashed when long).
 *
 *   gmp-calc           the computations
 *   gmp-calc cpuvec    which routine libgmp chose for each entry (by name)
 *
 * The few mpz functions used are declared here (their ABI names, as gmp.h
 * maps them), so no libgmp-dev is needed to build. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long mp_limb_t;
typedef struct { int alloc, size; mp_limb_t *d; } mpz_struct;
typedef mpz_struct mpz_t[1];

extern void __gmpz_init(mpz_t);
extern void __gmpz_clear(mpz_t);
extern void __gmpz_set(mpz_t, const mpz_t);
extern void __gmpz_set_ui(mpz_t, unsigned long);
extern int __gmpz_set_str(mpz_t, const char *, int);
extern void __gmpz_fac_ui(mpz_t, unsigned long);
extern void __gmpz_fib_ui(mpz_t, unsigned long);
extern void __gmpz_ui_pow_ui(mpz_t, unsigned long, unsigned long);
extern void __gmpz_pow_ui(mpz_t, const mpz_t, unsigned long);
extern void __gmpz_mul(mpz_t, const mpz_t, const mpz_t);
extern void __gmpz_mul_2exp(mpz_t, const mpz_t, unsigned long);
extern void __gmpz_add(mpz_t, const mpz_t, const mpz_t);
extern void __gmpz_add_ui(mpz_t, const mpz_t, unsigned long);
extern void __gmpz_sub(mpz_t, const mpz_t, const mpz_t);
extern void __gmpz_sub_ui(mpz_t, const mpz_t, unsigned long);
extern void __gmpz_gcd(mpz_t, const mpz_t, const mpz_t);
extern void __gmpz_lcm(mpz_t, const mpz_t, const mpz_t);
extern int __gmpz_invert(mpz_t, const mpz_t, const mpz_t);
extern void __gmpz_tdiv_qr(mpz_t, mpz_t, const mpz_t, const mpz_t);
extern unsigned long __gmpz_tdiv_q_ui(mpz_t, const mpz_t, unsigned long);
extern void __gmpz_powm(mpz_t, const mpz_t, const mpz_t, const mpz_t);
extern void __gmpz_sqrt(mpz_t, const mpz_t);
extern int __gmpz_cmp(const mpz_t, const mpz_t);
extern int __gmpz_probab_prime_p(const mpz_t, int);
extern unsigned long __gmpz_popcount(const mpz_t);
extern unsigned long __gmpz_hamdist(const mpz_t, const mpz_t);
extern size_t __gmpz_sizeinbase(const mpz_t, int);
extern char *__gmpz_get_str(char *, int, const mpz_t);
extern void __gmpn_cpuvec_init(void);
extern void *__gmpn_cpuvec[];           /* function pointers, then thresholds */
extern const char *const __gmp_version;

static uint64_t fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	while (*s) h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return h;
}

/* short numbers whole; long ones as length, hash, the ends */
static void show(const char *name, const mpz_t z, int base)
{
	char *s = __gmpz_get_str(NULL, base, z);
	size_t n = strlen(s);
	if (n <= 160) printf("%s = %s\n", name, s);
	else printf("%s = %.24s...%s (%zu digits base %d, fnv %016llx)\n", name, s, s + n - 24, n, base,
		    (unsigned long long)fnv(s));
	free(s);
}

static void cpuvec(void)
{
	__gmpn_cpuvec_init();
	/* sizeof(struct cpuvec_t) in 6.2.1 is 0xa8: 42 words */
	for (int i = 0; i < 42; i++) {
		Dl_info info;
		if (!dladdr(__gmpn_cpuvec[i], &info) || !info.dli_sname || strncmp(info.dli_sname, "__gmpn_", 7))
			continue; /* a threshold, not a function */
		if (info.dli_saddr == __gmpn_cpuvec[i]) printf("%s\n", info.dli_sname + 7);
		else printf("%s+0x%lx\n", info.dli_sname + 7,
			    (unsigned long)((char *)__gmpn_cpuvec[i] - (char *)info.dli_saddr)); /* not exported */
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "cpuvec")) {
		cpuvec();
		return 0;
	}
	printf("libgmp %s\n", __gmp_version);
	mpz_t a, b, c, q, r, m;
	__gmpz_init(a); __gmpz_init(b); __gmpz_init(c);
	__gmpz_init(q); __gmpz_init(r); __gmpz_init(m);

	__gmpz_fac_ui(a, 100);
	show("100!", a, 10);
	__gmpz_fac_ui(a, 300);
	show("300! hex", a, 16);
	__gmpz_fac_ui(a, 5000);
	show("5000!", a, 10);
	show("5000! hex", a, 16);
	printf("5000! bits %zu popcount %lu\n", __gmpz_sizeinbase(a, 2), __gmpz_popcount(a));

	__gmpz_ui_pow_ui(b, 3, 5000);
	show("3^5000", b, 10);
	__gmpz_set_str(c, "123456789abcdef0fedcba9876543210", 16);
	__gmpz_pow_ui(c, c, 37);
	show("x^37 hex", c, 16);
	printf("hamdist(3^5000, x^37) %lu\n", __gmpz_hamdist(b, c));

	/* big division: 5000! / (2^3000 * 3^1000 + 12345); q*d + r == n */
	__gmpz_ui_pow_ui(m, 3, 1000);
	__gmpz_mul_2exp(m, m, 3000);
	__gmpz_add_ui(m, m, 12345);
	__gmpz_tdiv_qr(q, r, a, m);
	show("quotient", q, 10);
	show("remainder hex", r, 16);
	__gmpz_mul(c, q, m);
	__gmpz_add(c, c, r);
	printf("q*d+r == n: %d\n", __gmpz_cmp(c, a) == 0);
	unsigned long rem = __gmpz_tdiv_q_ui(c, a, 1000000007ul);
	printf("5000! mod 1e9+7 = %lu\n", rem);

	/* gcd(F3000, F2000) = F(gcd(3000, 2000)) = F1000 */
	__gmpz_fib_ui(a, 3000);
	__gmpz_fib_ui(b, 2000);
	__gmpz_gcd(c, a, b);
	__gmpz_fib_ui(q, 1000);
	show("gcd(F3000,F2000) hex", c, 16);
	printf("gcd == F1000: %d\n", __gmpz_cmp(c, q) == 0);
	__gmpz_lcm(c, a, b);
	show("lcm", c, 10);

	/* modular arithmetic with the Mersenne prime 2^1279-1 */
	__gmpz_set_ui(m, 1);
	__gmpz_mul_2exp(m, m, 1279);
	__gmpz_sub_ui(m, m, 1);
	printf("2^1279-1 prime: %d\n", __gmpz_probab_prime_p(m, 5));
	__gmpz_sub_ui(r, m, 2);
	printf("2^1279-3 prime: %d\n", __gmpz_probab_prime_p(r, 5));
	__gmpz_set_ui(b, 3);
	__gmpz_powm(c, b, r, m);                   /* 3^(p-2) = 1/3 mod p */
	show("3^(p-2) mod p", c, 16);
	__gmpz_invert(q, b, m);
	printf("== invert(3): %d\n", __gmpz_cmp(c, q) == 0);

	/* sqrt(2) to 300 digits */
	__gmpz_ui_pow_ui(a, 10, 600);
	__gmpz_mul_2exp(a, a, 1);
	__gmpz_sqrt(c, a);
	show("sqrt(2e600)", c, 10);

	__gmpz_clear(a); __gmpz_clear(b); __gmpz_clear(c);
	__gmpz_clear(q); __gmpz_clear(r); __gmpz_clear(m);
	return 0;
}
