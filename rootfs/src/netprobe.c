/*
 * Socket probes for the network tests (test/net), where busybox has no
 * applet for the job (its nc has no UDP) or one process must hold many
 * connections. Numeric IPv4 addresses only.
 *
 *   netprobe udp-send IP PORT MESSAGE   send one datagram, print the reply
 *   netprobe udp-echo PORT COUNT        answer COUNT datagrams with "echo:" + the datagram
 *   netprobe connect IP PORT            connect; print "connected" or the errno's name
 *   netprobe conns N IP PORT            N connections open at once; each sends its
 *                                       number and a newline, then reads the answer
 *                                       to its end; print how many answered it back
 *   netprobe send IP PORT MIB           send MIB MiB of zeros in 64 KiB writes, half-close,
 *                                       read to the end (a bulk sender without busybox
 *                                       nc's 1 KiB writes)
 *   netprobe recv IP PORT SECONDS       connect, print "connected", read nothing for
 *                                       SECONDS, then read to the end in 64 KiB reads;
 *                                       print the byte count (a slow reader, then a fast one)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static struct sockaddr_in addr(const char *ip, const char *port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(atoi(port));
	if (ip && inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
		fprintf(stderr, "netprobe: %s: not an IPv4 address\n", ip);
		exit(2);
	}
	return a;
}

static const char *errname(int e)
{
	switch (e) {
	case ECONNREFUSED: return "ECONNREFUSED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENETUNREACH: return "ENETUNREACH";
	case ECONNRESET: return "ECONNRESET";
	default: return strerror(e);
	}
}

static int udp_send(char **argv)
{
	struct sockaddr_in a = addr(argv[0], argv[1]);
	struct timeval tv = { 5, 0 };
	char buf[2048];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n;

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(s, argv[2], strlen(argv[2]), 0, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("sendto: %s\n", errname(errno));
		return 1;
	}
	n = recv(s, buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		printf("recv: %s\n", errname(errno));
		return 1;
	}
	buf[n] = 0;
	printf("%s\n", buf);
	return 0;
}

static int udp_echo(char **argv)
{
	struct sockaddr_in a = addr(NULL, argv[0]), from;
	int s = socket(AF_INET, SOCK_DGRAM, 0), count = atoi(argv[1]), i;
	char buf[2048];

	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("bind: %s\n", errname(errno));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (i = 0; i < count; i++) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, buf + 5, sizeof(buf) - 5, 0, (struct sockaddr *)&from, &fl);

		if (n < 0)
			return 1;
		memcpy(buf, "echo:", 5);
		sendto(s, buf, n + 5, 0, (struct sockaddr *)&from, fl);
		printf("from %s\n", inet_ntoa(from.sin_addr));
	}
	return 0;
}

static int tcp_connect(char **argv)
{
	struct sockaddr_in a = addr(argv[0], argv[1]);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	printf("connected\n");
	return 0;
}

static int conns(char **argv)
{
	int n = atoi(argv[0]), i, ok = 0;
	struct sockaddr_in a = addr(argv[1], argv[2]);
	int *s = calloc(n, sizeof(int));

	for (i = 0; i < n; i++) {
		s[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(s[i], (struct sockaddr *)&a, sizeof(a)) < 0) {
			printf("connection %d: %s\n", i, errname(errno));
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		char line[32];

		snprintf(line, sizeof(line), "%d\n", i);
		if (write(s[i], line, strlen(line)) != (ssize_t)strlen(line))
			return 1;
	}
	for (i = 0; i < n; i++) {
		char buf[64], want[32];
		size_t got = 0;
		ssize_t r;

		while ((r = read(s[i], buf + got, sizeof(buf) - 1 - got)) > 0)
			got += r;
		buf[got] = 0;
		snprintf(want, sizeof(want), "%d\n", i);
		ok += strcmp(buf, want) == 0;
		close(s[i]);
	}
	printf("%d of %d answered\n", ok, n);
	return ok == n ? 0 : 1;
}

static int send_bulk(char **argv)
{
	struct sockaddr_in a = addr(argv[0], argv[1]);
	static char buf[65536];
	long left = atol(argv[2]) * 1048576L;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	while (left > 0) {
		ssize_t n = write(s, buf, left < (long)sizeof(buf) ? left : (long)sizeof(buf));

		if (n <= 0) {
			printf("write: %s\n", errname(errno));
			return 1;
		}
		left -= n;
	}
	shutdown(s, SHUT_WR);
	while (read(s, buf, sizeof(buf)) > 0)
		;
	return 0;
}

static int recv_bulk(char **argv)
{
	struct sockaddr_in a = addr(argv[0], argv[1]);
	static char buf[65536];
	long long total = 0;
	ssize_t n;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	printf("connected\n");
	fflush(stdout);
	sleep(atoi(argv[2]));
	while ((n = read(s, buf, sizeof(buf))) > 0)
		total += n;
	printf("%lld\n", total);
	return n < 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "udp-send"))
		return udp_send(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "udp-echo"))
		return udp_echo(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "connect"))
		return tcp_connect(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "conns"))
		return conns(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_bulk(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "recv"))
		return recv_bulk(argv + 2);
	fprintf(stderr, "usage: netprobe udp-send IP PORT MESSAGE | udp-echo PORT COUNT | connect IP PORT | conns N IP PORT | send IP PORT MIB | recv IP PORT SECONDS\n");
	return 2;
}
