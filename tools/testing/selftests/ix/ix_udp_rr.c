// SPDX-License-Identifier: GPL-2.0
/*
 * ix_udp_rr: UDP request/response over the Linux stack, for the tests
 * where Linux shares an attached device.
 *
 *	ix_udp_rr -l ADDR PORT		echo every datagram back, forever
 *	ix_udp_rr ADDR PORT COUNT	send COUNT requests, one at a time
 *	ix_udp_rr -f ADDR PORT SECONDS [PPS]
 *					flood: 64-byte datagrams for SECONDS
 *					(at most 60), PPS a second or as fast
 *					as they go
 *
 * Each request is a distinct 64-byte pattern; its answer must come back
 * within a second and match it byte for byte.  A lost datagram is sent
 * again, three times at most.  Exit status 0 only if every request got
 * its answer; the last line says how many did.  A flood prints how many
 * datagrams it sent.
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define LEN	64
#define TRIES	4

static int serve(int fd)
{
	struct sockaddr_in from;
	socklen_t flen;
	char buf[2048];
	ssize_t n;

	for (;;) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		sendto(fd, buf, n, 0, (struct sockaddr *)&from, flen);
	}
}

/* One request, answered and checked: 0, or -1 after TRIES losses. */
static int request(int fd, unsigned int i)
{
	char req[LEN], resp[LEN + 1];
	unsigned int t, k;
	ssize_t n;

	for (k = 0; k < LEN; k++)
		req[k] = (char)(i * 131 + k * 7);
	for (t = 0; t < TRIES; t++) {
		if (send(fd, req, LEN, 0) != LEN)
			continue;
		/* A late answer to an earlier try is skipped. */
		while ((n = recv(fd, resp, sizeof(resp), 0)) >= 0)
			if (n == LEN && !memcmp(req, resp, LEN))
				return 0;
	}
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bursts of FLOOD_BURST, paced to @pps when it is not 0. */
#define FLOOD_BURST	64

/* Unconnected: the ICMP errors a closed port sends fail no send. */
static int flood(int fd, const struct sockaddr_in *to, unsigned int seconds,
		 unsigned int pps)
{
	double t0 = now(), next = t0, t;
	char buf[LEN] = { 0 };
	unsigned long sent = 0;
	struct timespec gap;

	if (seconds > 60)
		seconds = 60;
	while ((t = now()) - t0 < seconds) {
		if (pps && t < next) {
			gap.tv_sec = 0;
			gap.tv_nsec = (long)((next - t) * 1e9);
			nanosleep(&gap, NULL);
			continue;
		}
		for (unsigned int i = 0; i < FLOOD_BURST; i++)
			if (sendto(fd, buf, LEN, 0, (const struct sockaddr *)to,
				   sizeof(*to)) == LEN)
				sent++;
		next += pps ? (double)FLOOD_BURST / pps : 0;
	}
	printf("%lu datagrams sent in %u s\n", sent, seconds);
	return 0;
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 1 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	bool listen_mode = argc > 1 && !strcmp(argv[1], "-l");
	bool flood_mode = argc > 1 && !strcmp(argv[1], "-f");
	unsigned int i, count, ok = 0;
	int fd;

	if (argc != 4 + flood_mode && !(flood_mode && argc == 6)) {
		fprintf(stderr,
			"usage: %s -l ADDR PORT | ADDR PORT COUNT | -f ADDR PORT SECONDS [PPS]\n",
			argv[0]);
		return 2;
	}
	/* The flood takes the client's arguments, one further on. */
	if (flood_mode) {
		argv++;
		argc--;
	}
	if (inet_pton(AF_INET, argv[1 + listen_mode], &sa.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", argv[1 + listen_mode]);
		return 2;
	}
	sa.sin_port = htons(atoi(argv[2 + listen_mode]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (listen_mode) {
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			perror("bind");
			return 1;
		}
		return serve(fd);
	}
	if (flood_mode)
		return flood(fd, &sa, atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("connect");
		return 1;
	}
	count = atoi(argv[3]);
	for (i = 0; i < count; i++)
		if (!request(fd, i))
			ok++;
	printf("%u of %u requests answered\n", ok, count);
	return ok == count ? 0 : 1;
}
