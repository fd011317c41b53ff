/* A memory hog: allocates 1 MiB blocks and writes every page of each until
 * the allocation fails (or MAX MiB), then prints how much it got and exits 0.
 *   memhog [-s] [MAX]   MAX: stop after MAX MiB (default: no limit)
 *   -s: blocks of shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS), not malloc
 * Written pages are what makes the memory real, on the host as in Linux. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BLOCK (1024 * 1024)

int main(int argc, char **argv)
{
	int shared = argc > 1 && strcmp(argv[1], "-s") == 0;
	long max = argc > 1 + shared ? atol(argv[1 + shared]) : -1, got = 0;
	int err = 0;
	while (max < 0 || got < max) {
		char *p;
		if (shared) {
			p = mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED) p = NULL;
		} else {
			p = malloc(BLOCK);
		}
		if (!p) {
			err = errno;
			break;
		}
		for (long i = 0; i < BLOCK; i += 4096) p[i] = (char)(got + i);
		got++;
	}
	if (err)
		printf("memhog: %ld MiB, then %s\n", got, strerror(err));
	else
		printf("memhog: %ld MiB\n", got);
	return 0;
}
