/* glibc's string routines over buffers: memcpy, memmove, memset, strlen,
 * strchr, memchr, memcmp, strcmp, at several sizes and alignments, REPS
 * times. Statically linked: glibc picks each routine's variant at start-up
 * from CPUID (SSE2/SSSE3/SSE4.2 ones where the CPU reports them; with
 * GLIBC_TUNABLES=glibc.cpu.hwcaps=-SSE2,... its i686 ones). Built with
 * -fno-builtin so every call reaches glibc. Prints one checksum line per
 * routine, the same whichever variant ran.
 *
 *   strbench [REPS]     default 1 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF (64 * 1024)
static char src[BUF + 64], dst[BUF + 64], str[BUF + 64];
static const size_t sizes[] = { 7, 16, 33, 64, 100, 255, 1024, 4000, 16384, BUF };
#define NS (sizeof sizes / sizeof sizes[0])

static uint32_t mix(uint32_t h, uint32_t v) { return (h ^ v) * 16777619u; }

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 1;
	uint32_t s = 1;
	for (size_t i = 0; i < sizeof src; i++) src[i] = (char)((s = s * 1103515245u + 12345u) >> 24 | 1);
	uint32_t h[8] = { 2166136261u, 2166136261u, 2166136261u, 2166136261u,
			  2166136261u, 2166136261u, 2166136261u, 2166136261u };
	for (int r = 0; r < reps; r++) {
		for (size_t k = 0; k < NS; k++) {
			size_t n = sizes[k], a = (r + k) & 15, b = (r * 3 + k) & 15;
			memcpy(dst + a, src + b, n);
			h[0] = mix(h[0], (uint8_t)dst[a + n / 2] + (uint32_t)n);
			memmove(dst + a + 3, dst + a, n / 2);
			h[1] = mix(h[1], (uint8_t)dst[a + n / 2]);
			memset(str + b, 'x' + (r & 3), n);
			str[b + n] = 0;
			h[2] = mix(h[2], (uint8_t)str[b + n - 1]);
			h[3] = mix(h[3], (uint32_t)strlen(str + b));
			str[b + n * 3 / 4] = 'Q';
			char *c = strchr(str + b, 'Q');
			h[4] = mix(h[4], c ? (uint32_t)(c - str - b) : 0xffffffffu);
			char *m = memchr(src + b, (uint8_t)src[b + n - 1], n);
			h[5] = mix(h[5], m ? (uint32_t)(m - src - b) : 0xffffffffu);
			memcpy(dst + b, src + a, n);
			dst[b + n - 1 - (r % n)] ^= 4;
			int cmp = memcmp(dst + b, src + a, n);
			h[6] = mix(h[6], (uint32_t)(cmp > 0) - (cmp < 0));
			dst[b + n] = 0;
			memcpy(str + a, dst + b, n + 1);
			str[a + n / 3] ^= (char)(r & 2);
			cmp = strcmp(str + a, dst + b);
			h[7] = mix(h[7], (uint32_t)(cmp > 0) - (cmp < 0));
		}
	}
	static const char *names[] = { "memcpy", "memmove", "memset", "strlen", "strchr", "memchr", "memcmp", "strcmp" };
	for (int i = 0; i < 8; i++) printf("%s %08x\n", names[i], h[i]);
	return 0;
}
