// SPDX-License-Identifier: GPL-2.0
/*
 * ix_echo_client: drive an echo server over the Linux TCP stack and
 * verify every byte.
 *
 *	ix_echo_client ADDR PORT CONNS MSGS MAXLEN [SEED]
 *	ix_echo_client -b ADDR PORT CONNS MIB SECONDS [SEED]
 *	ix_echo_client -l ADDR PORT CONNS MSGS MAXLEN PAUSE [SEED]
 *	ix_echo_client -g GAP_US ADDR PORT CONNS MSGS MAXLEN [SEED]
 *
 * CONNS threads each open a connection and send MSGS messages of random
 * sizes from 1 to MAXLEN bytes, each a pseudo-random pattern, reading the
 * echo of each back before the next and comparing it byte by byte.  Once
 * every connection has had one echo it prints "all N connections echo".
 * Then one line of results: messages, bytes, messages per second, round-trip
 * percentiles.  Exit status 0 only if every byte came back right.
 *
 * With -b (bulk), each connection streams MIB MiB of a pseudo-random
 * pattern from a sender thread while its own thread reads the echo and
 * checks it against the same pattern, both ways at once; then a clean
 * close both ways.  A connection that has not finished within SECONDS,
 * or that goes 20 s without progress, fails (a stall).  The result line
 * gives bytes verified and megabytes per second each way.
 *
 * With -l (listen), the echo server connects: the client listens on
 * ADDR:PORT, prints "listening", and runs each of CONNS accepted
 * connections as above, pausing PAUSE seconds after the first echo.
 *
 * With -g (gap), each connection waits GAP_US microseconds after each
 * echo before its next message: a paced load of about CONNS * 10^6 /
 * (GAP_US + rtt) messages per second.
 *
 * IX_ECHO_WINDOWS=FILE names a file of windows, a "START END" line each,
 * in seconds since boot as /proc/uptime gives them (a script writes one
 * around each event it makes, such as the move of a connection).  At
 * the end, a second line gives the round-trip percentiles of the
 * messages that were in flight during a window ("during windows") and
 * of the others.  The file is read once the messages are done.
 *
 * SIGUSR1 ends a run of messages early: each connection finishes the
 * message at hand and closes as after its last one, so that a script can
 * keep a load up for as long as it needs it (MSGS is then the most).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
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
	double		*end;
	const char	*err;
};

static struct sockaddr_in server;
static unsigned int msgs, maxlen, conns, echoing, pause_s, gap_us;
static int listen_fd = -1;
static unsigned long bulk_bytes;
static double deadline;
static int stopping;	/* set by SIGUSR1, atomically */

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

/* Seconds since boot, as /proc/uptime counts them. */
static double boot_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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

/*
 * What Linux's side of a stalled connection holds (tcp_info), on
 * stderr: which way the stall is (our unacknowledged data and its
 * timeouts, or nothing due from us while the server's data is late).
 */
static void stall_info(int fd, const char *what)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return;
	fprintf(stderr, "%s: state %u ca_state %u retransmits %u backoff %u "
		"rto %u us unacked %u lost %u retrans %u sacked %u cwnd %u "
		"total_retrans %u last_data_recv %u ms last_ack_recv %u ms\n", what, ti.tcpi_state, ti.tcpi_ca_state,
		ti.tcpi_retransmits, ti.tcpi_backoff, ti.tcpi_rto,
		ti.tcpi_unacked, ti.tcpi_lost, ti.tcpi_retrans,
		ti.tcpi_sacked, ti.tcpi_snd_cwnd, ti.tcpi_total_retrans,
		ti.tcpi_last_data_recv, ti.tcpi_last_ack_recv);
}

/*
 * A connected socket with 20 s timeouts, or -1 with j->err set.  The
 * connect itself gets 60 s: a SYN is retransmitted after 1, 3, 7, 15 and
 * 31 s, and at 5% loss each way about one handshake attempt in ten
 * fails, so 20 s (five attempts) would fail one connection in 100,000
 * for no fault of the server: a run of 2,000 connections in 50.
 */
static int dial(struct job *j)
{
	struct timeval tv = { .tv_sec = 20 }, tv_connect = { .tv_sec = 60 };
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		j->err = "no socket";
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (listen_fd >= 0) {
		close(fd);
		/* The listening socket's 20 s timeout bounds the wait. */
		fd = accept(listen_fd, NULL, NULL);
		if (fd < 0) {
			j->err = errno == EAGAIN ? "no connection in 20 s" :
				 "accept failed";
			return -1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		return fd;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv_connect, sizeof(tv_connect));
	if (connect(fd, (struct sockaddr *)&server, sizeof(server))) {
		j->err = errno == ECONNREFUSED ? "connect refused" :
			 errno == ETIMEDOUT || errno == EINPROGRESS ?
			 "connect timed out" : "connect failed";
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Fill @p with @n bytes of the pattern of @seed, 8 at a time. */
static void pattern(uint64_t *seed, uint8_t *p, size_t n)
{
	uint64_t v;

	for (; n >= 8; n -= 8, p += 8) {
		v = next(seed);
		memcpy(p, &v, 8);
	}
	if (n) {
		v = next(seed);
		memcpy(p, &v, n);
	}
}

struct bulk_tx {
	int		fd;
	uint64_t	seed;
	const char	*err;
};

#define BULK_CHUNK	65536

static void *bulk_send(void *arg)
{
	struct bulk_tx *t = arg;
	unsigned long left = bulk_bytes;
	uint8_t *out = malloc(BULK_CHUNK);
	size_t n;

	if (!out) {
		t->err = "no memory";
		return NULL;
	}
	while (left) {
		n = left < BULK_CHUNK ? left : BULK_CHUNK;
		pattern(&t->seed, out, n);
		if (send_all(t->fd, out, n)) {
			if (errno == EAGAIN)
				stall_info(t->fd, "send stalled");
			t->err = errno == ECONNRESET ? "reset by the server" :
				 errno == EAGAIN ? "send stalled 20 s" :
				 "send failed";
			break;
		}
		left -= n;
	}
	if (!left)
		shutdown(t->fd, SHUT_WR);
	free(out);
	return NULL;
}

/* One bulk connection: send and verify the echo at once. */
static void *bulk(struct job *j)
{
	uint8_t *want = malloc(BULK_CHUNK), *in = malloc(BULK_CHUNK);
	struct bulk_tx tx = { .seed = j->seed };
	unsigned long left = bulk_bytes;
	pthread_t sender;
	size_t n;

	if (!want || !in) {
		j->err = "no memory";
		goto out_free;
	}
	tx.fd = dial(j);
	if (tx.fd < 0)
		goto out_free;
	if (pthread_create(&sender, NULL, bulk_send, &tx)) {
		j->err = "no thread";
		goto out_close;
	}
	while (left && !j->err) {
		n = left < BULK_CHUNK ? left : BULK_CHUNK;
		pattern(&j->seed, want, n);
		if (recv_all(tx.fd, in, n)) {
			if (errno == EAGAIN)
				stall_info(tx.fd, "echo stalled");
			j->err = errno == ECONNRESET ? "reset by the server" :
				 errno == EAGAIN ? "echo stalled 20 s" :
				 "echo short";
		} else if (memcmp(in, want, n)) {
			j->err = "echo differs";
		} else if (now_us() > deadline) {
			j->err = "not done in time";
		}
		left -= n;
		j->bytes += n;
	}
	if (!j->err && recv(tx.fd, in, 1, 0) != 0)
		j->err = "no clean close from the server";
	if (j->err)
		shutdown(tx.fd, SHUT_RDWR);
	pthread_join(sender, NULL);
	/*
	 * A reset is reported once, to whichever call meets it first; the
	 * other thread then sees an end of file or EPIPE.
	 */
	if (!j->err || (tx.err && !strcmp(tx.err, "reset by the server")))
		j->err = tx.err;
	j->done = 1;
out_close:
	close(tx.fd);
out_free:
	free(want);
	free(in);
	return NULL;
}

static void *run(void *arg)
{
	struct job *j = arg;
	uint8_t *out, *in;
	unsigned int i, len, k;
	double t0;
	int fd;

	if (bulk_bytes)
		return bulk(j);
	out = malloc(maxlen);
	in = malloc(maxlen);
	if (!out || !in) {
		j->err = "no memory";
		goto out_free;
	}
	fd = dial(j);
	if (fd < 0)
		goto out_free;
	for (i = 0; i < msgs && !__atomic_load_n(&stopping, __ATOMIC_RELAXED); i++) {
		len = 1 + next(&j->seed) % maxlen;
		for (k = 0; k < len; k++)
			out[k] = next(&j->seed);
		t0 = now_us();
		if (send_all(fd, out, len)) {
			j->err = "send failed";
			goto out;
		}
		if (recv_all(fd, in, len)) {
			if (errno == EAGAIN)
				stall_info(fd, "echo timed out");
			j->err = errno == ECONNRESET ? "reset by the server" :
				 errno == EAGAIN ? "echo timed out" :
				 "echo short";
			goto out;
		}
		j->rtt[i] = now_us() - t0;
		j->end[i] = boot_s();
		if (memcmp(in, out, len)) {
			j->err = "echo differs";
			goto out;
		}
		j->bytes += len;
		if (!i && pause_s)
			sleep(pause_s);
		if (gap_us)
			usleep(gap_us);
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
out_free:
	free(out);
	free(in);
	return NULL;
}

/* Listen on @addr, with a 20 s timeout on accept. */
static int listen_on(const struct sockaddr_in *addr)
{
	struct timeval tv = { .tv_sec = 20 };
	int one = 1;

	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (listen_fd < 0 ||
	    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(listen_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(listen_fd, (const struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(listen_fd, conns)) {
		perror("listen");
		return -1;
	}
	printf("listening\n");
	fflush(stdout);
	return 0;
}

static void on_usr1(int sig)
{
	__atomic_store_n(&stopping, 1, __ATOMIC_RELAXED);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The @q quantile of @n sorted round trips; 0 of none. */
static double pct(const double *sorted, size_t n, double q)
{
	return n ? sorted[(size_t)(n * q)] : 0;
}

/* "N messages, rtt p50 X us p99 Y us max Z us" of @n round trips. */
static void percentiles(const char *what, double *rtt, size_t n)
{
	qsort(rtt, n, sizeof(*rtt), cmp);
	printf("%s %zu messages, rtt p50 %.0f us p99 %.0f us max %.0f us",
	       what, n, pct(rtt, n, 0.5), pct(rtt, n, 0.99),
	       n ? rtt[n - 1] : 0);
}

/*
 * The messages in flight during a window of @path (sent before its end,
 * answered after its start) apart from the others: a second result
 * line.  @rtt and @end are the round trips and their ends, @n of them.
 */
static int by_windows(const char *path, double *rtt, const double *end, size_t n)
{
	double *in = calloc(n + 1, sizeof(*in)), *out = calloc(n + 1, sizeof(*out));
	double (*w)[2] = NULL, a, b;
	size_t nw = 0, nin = 0, nout = 0, i, k;
	FILE *f = fopen(path, "r");
	int ret = -1;

	if (!f || !in || !out)
		goto out;
	while (fscanf(f, "%lf %lf", &a, &b) == 2) {
		double (*more)[2] = realloc(w, (nw + 1) * sizeof(*w));

		if (!more)
			goto out;
		w = more;
		w[nw][0] = a;
		w[nw++][1] = b;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < nw; k++)
			if (end[i] - rtt[i] / 1e6 <= w[k][1] && end[i] >= w[k][0])
				break;
		if (k < nw)
			in[nin++] = rtt[i];
		else
			out[nout++] = rtt[i];
	}
	printf("%zu windows: ", nw);
	percentiles("during them", in, nin);
	percentiles("; otherwise", out, nout);
	printf("\n");
	ret = 0;
out:
	if (f)
		fclose(f);
	free(w);
	free(in);
	free(out);
	return ret;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	sigset_t usr1;
	unsigned int i, n = 0, fails = 0;
	unsigned long bytes = 0;
	struct job *jobs;
	double t0, secs, *all, *ends;
	const char *win = getenv("IX_ECHO_WINDOWS");
	uint64_t seed;

	bool is_bulk = argc > 1 && !strcmp(argv[1], "-b");
	bool is_listen = argc > 1 && !strcmp(argv[1], "-l");

	if (argc > 2 && !strcmp(argv[1], "-g")) {
		gap_us = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}

	argv += is_bulk || is_listen;
	argc -= is_bulk || is_listen;
	if (argc < 6 + is_listen) {
		fprintf(stderr, "usage: ix_echo_client ADDR PORT CONNS MSGS MAXLEN [SEED]\n"
				"       ix_echo_client -b ADDR PORT CONNS MIB SECONDS [SEED]\n"
				"       ix_echo_client -l ADDR PORT CONNS MSGS MAXLEN PAUSE [SEED]\n"
				"       ix_echo_client -g GAP_US ADDR PORT CONNS MSGS MAXLEN [SEED]\n");
		return 2;
	}
	if (is_listen)
		pause_s = atoi(argv[6]);
	server.sin_family = AF_INET;
	server.sin_port = htons(atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1)
		return 2;
	conns = atoi(argv[3]);
	msgs = atoi(argv[4]);
	maxlen = atoi(argv[5]);
	seed = argc > 6 + is_listen ? strtoull(argv[6 + is_listen], NULL, 0) : 1;
	if (!conns || !msgs || !maxlen)
		return 2;
	if (is_listen && listen_on(&server))
		return 2;
	sigaction(SIGUSR1, &sa, NULL);
	/* Only main, waiting in pthread_join(), takes it: no EINTR. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	t0 = now_us();
	if (is_bulk) {
		bulk_bytes = (unsigned long)msgs << 20;
		deadline = t0 + maxlen * 1e6;
		msgs = 1;
	}
	jobs = calloc(conns, sizeof(*jobs));
	all = calloc((size_t)conns * msgs, sizeof(*all));
	ends = calloc((size_t)conns * msgs, sizeof(*ends));
	if (!jobs || !all || !ends)
		return 2;
	for (i = 0; i < conns; i++) {
		jobs[i].id = i;
		jobs[i].seed = seed * 0x9e3779b97f4a7c15ULL + i + 1;
		jobs[i].rtt = all + (size_t)i * msgs;
		jobs[i].end = ends + (size_t)i * msgs;
		pthread_create(&jobs[i].thread, NULL, run, &jobs[i]);
	}
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	for (i = 0; i < conns; i++) {
		pthread_join(jobs[i].thread, NULL);
		if (jobs[i].err) {
			fprintf(stderr, "connection %u: %s after %u messages\n",
				i, jobs[i].err, jobs[i].done);
			fails++;
		}
		memmove(all + n, jobs[i].rtt, jobs[i].done * sizeof(*all));
		memmove(ends + n, jobs[i].end, jobs[i].done * sizeof(*ends));
		n += jobs[i].done;
		bytes += jobs[i].bytes;
	}
	secs = (now_us() - t0) / 1e6;
	if (is_bulk) {
		printf("%u connections, %lu bytes each way verified in %.1f s, %.2f MB/s each way\n",
		       conns, bytes, secs, bytes / secs / 1e6);
		return fails ? 1 : 0;
	}
	/* Before all is sorted: it pairs with ends until then. */
	if (win && by_windows(win, all, ends, n)) {
		fprintf(stderr, "%s: cannot read the windows\n", win);
		fails++;
	}
	qsort(all, n, sizeof(*all), cmp);
	printf("%u connections, %u messages, %lu bytes verified, %.0f msg/s, rtt p50 %.0f us p99 %.0f us\n",
	       conns, n, bytes, n / secs, pct(all, n, 0.5), pct(all, n, 0.99));
	return fails ? 1 : 0;
}
