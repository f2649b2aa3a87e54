// SPDX-License-Identifier: GPL-2.0
/*
 * libix: the command helpers and the copying stream layer.
 */

#include <errno.h>
#include <string.h>

#include "libix.h"

static struct ix_cmd *cmd(struct ix_ctx *ctx, uint16_t op, uint32_t handle,
			  uint64_t cookie, uint64_t arg0, uint64_t arg1)
{
	struct ix_cmd *c = ix_cmd_take(ctx);

	/* The whole slot at once: no zeroing first, then the fields. */
	if (c)
		*c = (struct ix_cmd){ .op = op, .handle = handle,
				      .cookie = cookie, .arg0 = arg0,
				      .arg1 = arg1 };
	return c;
}

#define CMD(ctx, ...)	(cmd(ctx, __VA_ARGS__) ? 0 : -EBUSY)

/* Each returns 0, or -EBUSY if the command ring is full. */
int ix_tcp_listen(struct ix_ctx *ctx, uint16_t port, uint16_t backlog,
		  uint64_t cookie)
{
	return CMD(ctx, IX_CMD_TCP_LISTEN, 0, cookie, port, backlog);
}

int ix_tcp_connect(struct ix_ctx *ctx, uint32_t addr, uint16_t port,
		   uint64_t cookie)
{
	return CMD(ctx, IX_CMD_TCP_CONNECT, 0, cookie, addr, port);
}

int ix_tcp_accept(struct ix_ctx *ctx, uint32_t handle, uint64_t cookie)
{
	return CMD(ctx, IX_CMD_TCP_ACCEPT, handle, cookie, 0, 0);
}

int ix_tcp_reject(struct ix_ctx *ctx, uint32_t handle)
{
	return CMD(ctx, IX_CMD_TCP_REJECT, handle, 0, 0, 0);
}

int ix_tcp_recv_done(struct ix_ctx *ctx, uint32_t handle, uint32_t bytes)
{
	return CMD(ctx, IX_CMD_TCP_RECV_DONE, handle, 0, bytes, 0);
}

int ix_tcp_close(struct ix_ctx *ctx, uint32_t handle)
{
	return CMD(ctx, IX_CMD_TCP_CLOSE, handle, 0, 0, 0);
}

int ix_tcp_abort(struct ix_ctx *ctx, uint32_t handle)
{
	return CMD(ctx, IX_CMD_TCP_ABORT, handle, 0, 0, 0);
}

/*
 * Keepalive on @handle: a probe after @idle seconds without a word from
 * the peer, then every @intvl seconds; @cnt unanswered end it.  @idle 0
 * (and the others 0) turns it off.  The kernel checks the bounds.
 */
int ix_tcp_keepalive(struct ix_ctx *ctx, uint32_t handle, uint16_t idle,
		     uint16_t intvl, uint8_t cnt)
{
	return CMD(ctx, IX_CMD_TCP_KEEPALIVE, handle, 0, idle,
		   intvl | (uint64_t)cnt << 32);
}

int ix_udp_bind(struct ix_ctx *ctx, uint16_t port, uint64_t cookie)
{
	return CMD(ctx, IX_CMD_UDP_BIND, 0, cookie, port, 0);
}

int ix_udp_unbind(struct ix_ctx *ctx, uint16_t port)
{
	return CMD(ctx, IX_CMD_UDP_UNBIND, 0, 0, port, 0);
}

/* @data in the TX memory; copied by the kernel when the command runs. */
int ix_udp_send(struct ix_ctx *ctx, uint32_t addr, uint16_t port,
		uint16_t sport, const void *data, uint32_t len,
		uint64_t cookie)
{
	return CMD(ctx, IX_CMD_UDP_SEND, len, cookie,
		   addr | (uint64_t)port << 32 | (uint64_t)sport << 48,
		   ix_tx_off(ctx, data));
}

/* @data as the udp_recv callback was given it. */
int ix_udp_recv_done(struct ix_ctx *ctx, const void *data)
{
	return CMD(ctx, IX_CMD_UDP_RECV_DONE, 0, 0,
		   (const uint8_t *)data - ctx->rx_pool, 0);
}

int ix_timer_set(struct ix_ctx *ctx, uint64_t usecs, uint64_t cookie)
{
	return CMD(ctx, IX_CMD_TIMER_SET, 0, cookie, usecs, 0);
}

int ix_timer_cancel(struct ix_ctx *ctx, uint32_t handle)
{
	return CMD(ctx, IX_CMD_TIMER_CANCEL, handle, 0, 0, 0);
}

/*
 * Queue a sendv of @n pieces; return where its vector goes, the
 * command's own place in the TX memory, for the caller to fill.
 */
static struct ix_iov *sendv(struct ix_ctx *ctx, uint32_t handle,
			    unsigned int n, uint64_t cookie)
{
	struct ix_cmd *c = cmd(ctx, IX_CMD_TCP_SENDV, handle, cookie, 0, n);

	if (!c)
		return NULL;
	c->arg0 = ctx->vec_off +
		  (uint64_t)(c - (struct ix_cmd *)ctx->cmd.entries) *
		  IX_SENDV_MAX * sizeof(struct ix_iov);
	return (struct ix_iov *)(ctx->tx + c->arg0);
}

/**
 * ix_tcp_sendv() - queue a send of TX memory
 * @ctx: the context
 * @handle: the connection
 * @iov: up to IX_SENDV_MAX pieces (offsets in the TX memory)
 * @n: how many
 * @cookie: in the command's slot, for ops->done
 *
 * The vector is copied into the command's own place in the TX memory.
 *
 * Return: 0, -EINVAL for a bad @n, or -EBUSY if the ring is full.
 */
int ix_tcp_sendv(struct ix_ctx *ctx, uint32_t handle,
		 const struct ix_iov *iov, unsigned int n, uint64_t cookie)
{
	struct ix_iov *v;

	if (!n || n > IX_SENDV_MAX)
		return -EINVAL;
	v = sendv(ctx, handle, n, cookie);
	if (!v)
		return -EBUSY;
	memcpy(v, iov, n * sizeof(*iov));
	return 0;
}

/**
 * ix_stream_init() - a send ring of @size bytes at @base for @handle
 * @st: the stream
 * @ctx: the context
 * @handle: the connection
 * @base: memory in ix_tx_mem()
 * @size: its length
 */
void ix_stream_init(struct ix_stream *st, struct ix_ctx *ctx,
		    uint32_t handle, uint8_t *base, uint32_t size)
{
	memset(st, 0, sizeof(*st));
	st->ctx = ctx;
	st->handle = handle;
	st->base = base;
	st->size = size;
}

/**
 * ix_stream_write() - copy data into the stream's ring
 * @st: the stream
 * @data: the bytes
 * @len: how many
 *
 * Return: how many were taken (fewer when the ring is full).
 */
uint32_t ix_stream_write(struct ix_stream *st, const void *data,
			 uint32_t len)
{
	uint32_t room = ix_stream_room(st), at, first;

	if (len > room)
		len = room;
	at = st->written % st->size;
	first = st->size - at < len ? st->size - at : len;
	memcpy(st->base + at, data, first);
	/* Only a write across the ring's end has a second piece. */
	if (len > first)
		memcpy(st->base, (const uint8_t *)data + first, len - first);
	st->written += len;
	return len;
}

/**
 * ix_stream_flush() - queue a sendv of what is written and not queued
 * @st: the stream
 *
 * One sendv at a time: its result (ix_stream_done()) tells how much was
 * taken, and the next flush sends the rest.
 */
void ix_stream_flush(struct ix_stream *st)
{
	uint32_t len = st->written - st->queued, at, first;
	struct ix_iov *v;

	if (!len || st->inflight || st->full)
		return;
	at = st->queued % st->size;
	first = st->size - at < len ? st->size - at : len;
	/* Straight into the command's vector: no copy on the way. */
	v = sendv(st->ctx, st->handle, len > first ? 2 : 1, (uintptr_t)st);
	if (!v)
		return;
	v[0] = (struct ix_iov){ .off = ix_tx_off(st->ctx, st->base + at),
				.len = first };
	st->asked = len;
	if (len > first)
		v[1] = (struct ix_iov){ .off = ix_tx_off(st->ctx, st->base),
					.len = len - first };
	st->inflight = 1;
}

/**
 * ix_stream_done() - the result of the stream's sendv
 * @st: the stream (the command's cookie)
 * @cmd: the command
 */
void ix_stream_done(struct ix_stream *st, const struct ix_cmd *cmd)
{
	st->inflight = 0;
	if (cmd->result > 0)
		st->queued += cmd->result;
	/* Not all taken: no room until the peer acknowledges some. */
	st->full = cmd->result >= 0 && cmd->result < st->asked;
}

/**
 * ix_stream_acked() - the peer acknowledged @acked bytes: room again
 * @st: the stream
 * @acked: from the sent event
 */
void ix_stream_acked(struct ix_stream *st, uint32_t acked)
{
	st->acked += acked;
	st->full = 0;
}

/**
 * ix_stream_moved() - the stream's connection came to another thread
 * @st: the stream
 * @ctx: the thread's context
 * @handle: the connection's handle there
 *
 * Its ring stays where it is: the elastic threads share the TX memory.
 */
void ix_stream_moved(struct ix_stream *st, struct ix_ctx *ctx,
		     uint32_t handle)
{
	st->ctx = ctx;
	st->handle = handle;
}
