// SPDX-License-Identifier: GPL-2.0
/*
 * ix_echo_client: drive an echo server over the Linux TCP stack and
 * verify every byte.
 *
 *	ix_echo_client ADDR PORT CONNS MSGS MAXLEN [SEED]
 *
 * CONNS threads each open a connection and send MSGS messages of random
 * sizes from 1 to MAXLEN bytes, each a pseudo-random pattern, reading the
 * echo of each back before the next and comparing it byte by byte.  Once
 * every connection has had one echo it prints "all N connections echo".
 * Then one line of results: messages, bytes, messages per second, round-trip
 * percentiles.  Exit status 0 only if every byte came back right.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct job {
	pthread_t	thread;
	unsigned int	id;
	uint64_t	seed;
	unsigned long	bytes;
	unsigned int	done;
	double		*rtt;
	const char	*err;
};

static struct sockaddr_in server;
static unsigned int msgs, maxlen, conns, echoing;

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int send_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t k;

	while (n) {
		k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

static int recv_all(int fd, uint8_t *p, size_t n)
{
	ssize_t k;

	while (n) {
		k = recv(fd, p, n, 0);
		if (!k)
			errno = 0;
		if (k <= 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

static void *run(void *arg)
{
	struct timeval tv = { .tv_sec = 20 };
	struct job *j = arg;
	uint8_t *out, *in;
	unsigned int i, len, k;
	int fd, one = 1;
	double t0;

	out = malloc(maxlen);
	in = malloc(maxlen);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (!out || !in || fd < 0) {
		j->err = "no memory or socket";
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&server, sizeof(server))) {
		j->err = errno == ECONNREFUSED ? "connect refused" :
			 errno == ETIMEDOUT ? "connect timed out" :
			 "connect failed";
		goto out;
	}
	for (i = 0; i < msgs; i++) {
		len = 1 + next(&j->seed) % maxlen;
		for (k = 0; k < len; k++)
			out[k] = next(&j->seed);
		t0 = now_us();
		if (send_all(fd, out, len)) {
			j->err = "send failed";
			goto out;
		}
		if (recv_all(fd, in, len)) {
			j->err = errno == ECONNRESET ? "reset by the server" :
				 errno == EAGAIN ? "echo timed out" :
				 "echo short";
			goto out;
		}
		j->rtt[i] = now_us() - t0;
		if (memcmp(in, out, len)) {
			j->err = "echo differs";
			goto out;
		}
		j->bytes += len;
		/* Every connection has echoed once: say so, for scripts. */
		if (!j->done++ && __atomic_add_fetch(&echoing, 1,
						     __ATOMIC_SEQ_CST) == conns) {
			printf("all %u connections echo\n", conns);
			fflush(stdout);
		}
	}
	/* A clean close both ways: our FIN, then the server's. */
	shutdown(fd, SHUT_WR);
	if (recv(fd, in, 1, 0) != 0)
		j->err = "no clean close from the server";
out:
	close(fd);
	free(out);
	free(in);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned int i, n = 0, fails = 0;
	unsigned long bytes = 0;
	struct job *jobs;
	double t0, secs, *all;
	uint64_t seed;

	if (argc < 6) {
		fprintf(stderr, "usage: ix_echo_client ADDR PORT CONNS MSGS MAXLEN [SEED]\n");
		return 2;
	}
	server.sin_family = AF_INET;
	server.sin_port = htons(atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1)
		return 2;
	conns = atoi(argv[3]);
	msgs = atoi(argv[4]);
	maxlen = atoi(argv[5]);
	seed = argc > 6 ? strtoull(argv[6], NULL, 0) : 1;
	if (!conns || !msgs || !maxlen)
		return 2;
	jobs = calloc(conns, sizeof(*jobs));
	all = calloc((size_t)conns * msgs, sizeof(*all));
	if (!jobs || !all)
		return 2;
	t0 = now_us();
	for (i = 0; i < conns; i++) {
		jobs[i].id = i;
		jobs[i].seed = seed * 0x9e3779b97f4a7c15ULL + i + 1;
		jobs[i].rtt = all + (size_t)i * msgs;
		pthread_create(&jobs[i].thread, NULL, run, &jobs[i]);
	}
	for (i = 0; i < conns; i++) {
		pthread_join(jobs[i].thread, NULL);
		if (jobs[i].err) {
			fprintf(stderr, "connection %u: %s after %u messages\n",
				i, jobs[i].err, jobs[i].done);
			fails++;
		}
		memmove(all + n, jobs[i].rtt, jobs[i].done * sizeof(*all));
		n += jobs[i].done;
		bytes += jobs[i].bytes;
	}
	secs = (now_us() - t0) / 1e6;
	qsort(all, n, sizeof(*all), cmp);
	printf("%u connections, %u messages, %lu bytes verified, %.0f msg/s, rtt p50 %.0f us p99 %.0f us\n",
	       conns, n, bytes, n / secs, n ? all[n / 2] : 0,
	       n ? all[(size_t)(n * 0.99)] : 0);
	return fails ? 1 : 0;
}
