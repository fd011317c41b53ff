/* System call benchmarks (npm run bench runs them natively, under qemu-i386
 * and on the RTOS):
 *   sysbench getppid N        N getppid system calls through syscall()
 *   sysbench files N PATH     N open/read/close of PATH
 *   sysbench pipe N           N one-byte round trips between a parent and a forked child
 * Prints what it did, so runs can be compared. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0;
	long sum = 0;

	if (argc > 2 && !strcmp(argv[1], "getppid")) {
		for (long i = 0; i < n; i++)
			sum += syscall(SYS_getppid) > 0;
		printf("getppid %ld\n", sum);
		return 0;
	}
	if (argc > 3 && !strcmp(argv[1], "files")) {
		char buf[128];
		for (long i = 0; i < n; i++) {
			int fd = open(argv[3], O_RDONLY);
			if (fd < 0) { perror(argv[3]); return 1; }
			sum += read(fd, buf, sizeof buf);
			close(fd);
		}
		printf("files %ld bytes\n", sum);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "pipe")) {
		int down[2], up[2];
		char c = 'x';
		if (pipe(down) || pipe(up)) return 1;
		pid_t pid = fork();
		if (pid == 0) {
			for (long i = 0; i < n; i++) {
				if (read(down[0], &c, 1) != 1) _exit(1);
				write(up[1], &c, 1);
			}
			_exit(0);
		}
		for (long i = 0; i < n; i++) {
			write(down[1], &c, 1);
			sum += read(up[0], &c, 1);
		}
		int st;
		waitpid(pid, &st, 0);
		printf("pipe %ld round trips, child status %d\n", sum, st);
		return 0;
	}
	fprintf(stderr, "usage: sysbench getppid N | files N PATH | pipe N\n");
	return 2;
}
