/* A memory hog: allocates 1 MiB blocks and writes every page of each until
 * malloc fails (or MAX MiB), then prints how much it got and exits 0.
 *   memhog [MAX]   MAX: stop after MAX MiB (default: no limit)
 * Written pages are what makes the memory real, on the host as in Linux. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1024 * 1024)

int main(int argc, char **argv)
{
	long max = argc > 1 ? atol(argv[1]) : -1, got = 0;
	while (max < 0 || got < max) {
		char *p = malloc(BLOCK);
		if (!p) break;
		for (long i = 0; i < BLOCK; i += 4096) p[i] = (char)(got + i);
		got++;
	}
	printf("memhog: %ld MiB\n", got);
	return 0;
}
