// SPDX-License-Identifier: GPL-2.0
/*
 * ix_http: an HTTP/1.1 server on libix that answers every GET (or HEAD)
 * with one static response, with keep-alive and pipelining.
 *
 *	ix_http CPU PORT [BODY_BYTES]
 *
 * The responses live once in the TX memory and are sent from there, zero
 * copy: a connection only counts the responses it owes, and each sendv
 * points at the same bytes, which never change.  One sendv per
 * connection is in flight; what the send window did not take goes out
 * on the next sent event.  Request heads are parsed in a per-connection
 * buffer (up to HEAD_MAX bytes) as they arrive, in any pieces, and the
 * receive buffers are given back at once.  A request with a body skips
 * it (Content-Length).  "Connection: close", HTTP/1.0 without
 * keep-alive, a bad request (400) and a head too large (431) end the
 * connection after their response.  It sleeps on the queue interrupt when
 * idle, or polls if IX_POLL is set in the environment.  SIGINT or SIGTERM
 * ends the server.
 */

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../../lib/ix/libix.h"

#define MAX_CONNS	512
#define HEAD_MAX	8192
#define BODY_MAX	(64 * 1024)

enum resp { RS_OK, RS_HEAD, RS_BAD, RS_LARGE, RS_NR };

struct conn {
	int		live;
	int		inflight;
	int		closing;	/* close once the owed responses are out */
	int		closed;
	uint32_t	handle;
	uint32_t	owed;		/* RS_OK or RS_HEAD responses still to queue */
	uint8_t		kind[64];	/* their kinds, in order (a ring) */
	uint32_t	kind_head;
	uint32_t	off;		/* bytes of the first one queued already */
	int		final;		/* RS_BAD or RS_LARGE after them, or -1 */
	uint64_t	body;		/* request body bytes still to skip */
	uint32_t	hlen;
	char		head[HEAD_MAX];
};

static struct conn *conns;
static struct ix_iov resp[RS_NR];
static volatile sig_atomic_t stop;
static unsigned long long n_conns, n_reqs, n_bad;

static struct conn *conn_of(uint32_t handle)
{
	return &conns[(handle & 0xffff) % MAX_CONNS];
}

/* Lay the responses out in the TX memory; false if it is too small. */
static int responses_init(struct ix_ctx *ctx, unsigned int body)
{
	static const char *const fixed[] = {
		[RS_BAD]   = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
			    "Connection: close\r\n\r\n",
		[RS_LARGE] = "HTTP/1.1 431 Request Header Fields Too Large\r\n"
			    "Content-Length: 0\r\nConnection: close\r\n\r\n",
	};
	size_t len, at = 0;
	uint8_t *mem = ix_tx_mem(ctx, &len);
	int n, i;

	n = snprintf((char *)mem, len,
		     "HTTP/1.1 200 OK\r\nServer: ix_http\r\n"
		     "Content-Type: text/plain\r\nContent-Length: %u\r\n\r\n",
		     body);
	if (n < 0 || (size_t)n + body > len)
		return 0;
	/* HEAD: the same head, no body. */
	resp[RS_HEAD] = (struct ix_iov){ .off = ix_tx_off(ctx, mem), .len = n };
	memset(mem + n, 'x', body);
	resp[RS_OK] = (struct ix_iov){ .off = ix_tx_off(ctx, mem),
				    .len = n + body };
	at = n + body;
	for (i = RS_BAD; i < RS_NR; i++) {
		n = strlen(fixed[i]);
		if (at + n > len)
			return 0;
		memcpy(mem + at, fixed[i], n);
		resp[i] = (struct ix_iov){ .off = ix_tx_off(ctx, mem + at),
					 .len = n };
		at += n;
	}
	return 1;
}

/* Queue one sendv of what is owed, as far as IX_SENDV_MAX pieces go. */
static void flush(struct ix_ctx *ctx, struct conn *c)
{
	struct ix_iov iov[IX_SENDV_MAX];
	unsigned int n = 0, i;

	if (c->inflight || c->closed)
		return;
	for (i = 0; i < c->owed && n < IX_SENDV_MAX; i++)
		iov[n++] = resp[c->kind[(c->kind_head + i) % sizeof(c->kind)]];
	if (n < IX_SENDV_MAX && c->final >= 0)
		iov[n++] = resp[c->final];
	if (!n) {
		if (c->closing) {
			ix_tcp_close(ctx, c->handle);
			c->closed = 1;
		}
		return;
	}
	iov[0].off += c->off;
	iov[0].len -= c->off;
	if (!ix_tcp_sendv(ctx, c->handle, iov, n, c->handle))
		c->inflight = 1;
}

/* @bytes of the owed responses were queued. */
static void advance(struct conn *c, uint32_t bytes)
{
	uint32_t left;

	while (bytes) {
		if (c->owed)
			left = resp[c->kind[c->kind_head]].len - c->off;
		else if (c->final >= 0)
			left = resp[c->final].len - c->off;
		else
			return;
		if (bytes < left) {
			c->off += bytes;
			return;
		}
		bytes -= left;
		c->off = 0;
		if (c->owed) {
			c->kind_head = (c->kind_head + 1) % sizeof(c->kind);
			c->owed--;
		} else {
			c->final = -1;
		}
	}
}

/* Value of header @name in a NUL-terminated head, or NULL. */
static const char *header(const char *head, const char *name)
{
	size_t n = strlen(name);
	const char *p = strstr(head, "\r\n");

	while (p && p[2] != '\r') {
		p += 2;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			p += n + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

static int has_token(const char *v, const char *tok)
{
	size_t n = strlen(tok);

	for (; v && *v && *v != '\r'; v++)
		if (!strncasecmp(v, tok, n) && !isalnum((unsigned char)v[n]))
			return 1;
	return 0;
}

/* A complete head is in @c->head: answer it. */
static void request(struct conn *c)
{
	char method[8], version[16];
	const char *v;
	int keep;

	c->head[c->hlen] = '\0';
	if (sscanf(c->head, "%7s %*s %15s", method, version) != 2 ||
	    strncmp(version, "HTTP/1.", 7)) {
		c->final = RS_BAD;
		c->closing = 1;
		n_bad++;
		return;
	}
	keep = version[7] == '1';
	v = header(c->head, "Connection");
	if (has_token(v, "close"))
		keep = 0;
	else if (has_token(v, "keep-alive"))
		keep = 1;
	v = header(c->head, "Content-Length");
	if (v) {
		c->body = strtoull(v, NULL, 10);
		if (c->body > BODY_MAX) {
			c->final = RS_BAD;
			c->closing = 1;
			n_bad++;
			return;
		}
	}
	if (c->owed == sizeof(c->kind)) {
		/* Too deep a pipeline: stop reading it. */
		c->final = RS_BAD;
		c->closing = 1;
		n_bad++;
		return;
	}
	c->kind[(c->kind_head + c->owed++) % sizeof(c->kind)] =
		strcmp(method, "HEAD") ? RS_OK : RS_HEAD;
	n_reqs++;
	if (!keep)
		c->closing = 1;
}

/* Parse @len bytes of the request stream. */
static void parse(struct conn *c, const uint8_t *data, uint32_t len)
{
	uint32_t i, skip;
	int end;

	while (len && !c->closing) {
		if (c->body) {
			skip = c->body < len ? c->body : len;
			c->body -= skip;
			data += skip;
			len -= skip;
			continue;
		}
		end = 0;
		for (i = 0; i < len && !end; ) {
			if (c->hlen == HEAD_MAX - 1) {
				c->final = RS_LARGE;
				c->closing = 1;
				n_bad++;
				return;
			}
			c->head[c->hlen++] = data[i++];
			end = c->hlen >= 4 &&
			      !memcmp(c->head + c->hlen - 4, "\r\n\r\n", 4);
		}
		data += i;
		len -= i;
		if (!end)
			return;		/* the head goes on in the next piece */
		request(c);
		c->hlen = 0;
	}
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	struct conn *c = conn_of(handle);

	if (c->live) {
		ix_tcp_reject(ctx, handle);
		return;
	}
	memset(c, 0, offsetof(struct conn, head));
	c->live = 1;
	c->handle = handle;
	c->final = -1;
	ix_tcp_accept(ctx, handle, handle);
	n_conns++;
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_of(handle);

	if (!c->live)
		return;
	if (!len) {
		c->closing = 1;
	} else {
		parse(c, data, len);
		ix_tcp_recv_done(ctx, handle, len);
	}
	flush(ctx, c);
}

static void on_sent(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    uint32_t acked, uint32_t space)
{
	struct conn *c = conn_of(handle);

	if (c->live)
		flush(ctx, c);
}

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct conn *c;

	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c = conn_of(cmd->handle);
	if (!c->live || c->handle != cmd->cookie)
		return;
	c->inflight = 0;
	if (cmd->result > 0) {
		advance(c, cmd->result);
		flush(ctx, c);
	}
	/* 0: the window is full; the next sent event flushes. */
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	struct conn *c = conn_of(handle);

	if (c->handle == handle)
		c->live = 0;
}

static const struct ix_ops http_ops = {
	.done	= on_done,
	.knock	= on_knock,
	.recv	= on_recv,
	.sent	= on_sent,
	.dead	= on_dead,
};

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int body = 64;
	unsigned int run_flags = getenv("IX_POLL") ? 0 : IX_RUN_SLEEP;
	struct ix_ctx ctx;
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: ix_http CPU PORT [BODY_BYTES]\n");
		return 2;
	}
	if (argc > 3)
		body = strtoul(argv[3], NULL, 0);
	conns = calloc(MAX_CONNS, sizeof(*conns));
	if (!conns || body > 1024 * 1024)
		return 2;
	err = ix_open(&ctx, strtoul(argv[1], NULL, 0), body + 4096 + 65536,
		      &http_ops, NULL);
	if (err) {
		fprintf(stderr, "ix_http: ix_open: %s\n", strerror(-err));
		return 1;
	}
	if (!responses_init(&ctx, body)) {
		fprintf(stderr, "ix_http: TX memory too small\n");
		ix_close(&ctx);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = ix_tcp_listen(&ctx, strtoul(argv[2], NULL, 0), 256, 0);
	printf("ix_http: cpu %s port %s, %u-byte body\n", argv[1], argv[2],
	       body);
	fflush(stdout);
	while (!stop && err >= 0) {
		err = ix_run(&ctx, 100000, run_flags);
		if (err == -EINTR)
			err = 0;
		if (err < 0)
			fprintf(stderr, "ix_http: run: %s\n", strerror(-err));
	}
	printf("ix_http: %llu connections, %llu requests, %llu bad, %u events dropped\n",
	       n_conns, n_reqs, n_bad, *ctx.ev.dropped);
	ix_close(&ctx);
	return err < 0;
}
