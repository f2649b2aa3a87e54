// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: UDP commands of an application and the events it is sent.
 *
 * A received datagram is handed over in place: its payload's offset in
 * the RX pool names it, and the application gives it back with
 * IX_CMD_UDP_RECV_DONE and that offset.  The kernel marks the pool slots
 * the application holds, so only a datagram it was given can be given
 * back, once.  A datagram to send is copied out of the TX memory into a
 * packet buffer, so its memory is free again as soon as the command is
 * answered (IX_EV_UDP_SENT says so too, with the command's cookie).
 */

#include <linux/bitmap.h>
#include <linux/nospec.h>
#include <linux/udp.h>
#include <linux/slab.h>

#include "app.h"
#include "dp.h"

static struct ixdp_app *app_of(struct ixdp_stack *s)
{
	return container_of(s, struct ixdp_core, stack)->app;
}

static void app_udp_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		       __be32 saddr, __be16 sport)
{
	struct ixdp_app *app = app_of(s);
	u64 off = ixdp_rx_pool_off(app->core, b);
	unsigned int slot = ixdp_buf_slot(b);

	/* Held until the application gives it back: not from the reserve. */
	if (off == U64_MAX || slot >= app->udp_nslots ||
	    ixdp_stack_pool_low(s) ||
	    !ixdp_app_ev(app, IX_EV_UDP_RECV, (__force u16)sport, cookie,
			 (__force u32)saddr, b->len, off)) {
		ixdp_buf_put(b);
		return;
	}
	__set_bit(slot, app->udp_held);
}

/**
 * ixdp_app_udp_init() - get ready for UDP commands
 * @app: the application, being bound to its core
 *
 * Return: 0 or -ENOMEM.
 */
int ixdp_app_udp_init(struct ixdp_app *app)
{
	app->udp_nslots = app->core->pool.total;
	app->udp_held = bitmap_zalloc(app->udp_nslots, GFP_KERNEL_ACCOUNT);
	return app->udp_held ? 0 : -ENOMEM;
}

/**
 * ixdp_app_udp_release() - unbind every port, give back every datagram
 * @app: the application, being unbound
 */
void ixdp_app_udp_release(struct ixdp_app *app)
{
	struct ixdp_stack *s = &app->core->stack;
	unsigned long slot;
	unsigned int i;

	for (i = 0; i < app->udp_nports; i++)
		ixdp_udp_unbind(s, app->udp_ports[i]);
	app->udp_nports = 0;
	for_each_set_bit(slot, app->udp_held, app->udp_nslots)
		ixdp_buf_put(&app->core->pool.bufs[slot]);
	bitmap_free(app->udp_held);
	app->udp_held = NULL;
}

static int app_udp_port(u64 v, __be16 *port)
{
	if (!v || v > U16_MAX)
		return -EINVAL;
	*port = cpu_to_be16(v);
	return 0;
}

/**
 * ixdp_cmd_udp_bind() - IX_CMD_UDP_BIND
 * @app: the application
 * @c: the command, copied
 *
 * Return: 0, -EINVAL, -EACCES (a privileged port), -EADDRINUSE, -ENOSPC.
 */
s64 ixdp_cmd_udp_bind(struct ixdp_app *app, const struct ix_cmd *c)
{
	__be16 port;
	int err;

	if (app_udp_port(c->arg0, &port) || c->arg1 || c->handle)
		return -EINVAL;
	if (!ixdp_app_port_ok(app, port))
		return -EACCES;
	if (app->udp_nports == IXDP_UDP_BINDS)
		return -ENOSPC;
	err = ixdp_udp_bind(&app->core->stack, port, app_udp_rx,
			    (void *)(uintptr_t)c->cookie);
	if (err)
		return err;
	app->udp_ports[app->udp_nports++] = port;
	return 0;
}

/* Only from a port it bound does an application send. */
static bool app_udp_bound(const struct ixdp_app *app, __be16 port)
{
	unsigned int i;

	for (i = 0; i < app->udp_nports; i++)
		if (app->udp_ports[i] == port)
			return true;
	return false;
}

/**
 * ixdp_cmd_udp_unbind() - IX_CMD_UDP_UNBIND
 * @app: the application
 * @c: the command, copied
 *
 * Return: 0, -EINVAL, -ENOENT.
 */
s64 ixdp_cmd_udp_unbind(struct ixdp_app *app, const struct ix_cmd *c)
{
	unsigned int i;
	__be16 port;

	if (app_udp_port(c->arg0, &port) || c->arg1 || c->handle)
		return -EINVAL;
	for (i = 0; i < app->udp_nports; i++)
		if (app->udp_ports[i] == port)
			break;
	if (i == app->udp_nports)
		return -ENOENT;
	app->udp_ports[i] = app->udp_ports[--app->udp_nports];
	return ixdp_udp_unbind(&app->core->stack, port);
}

/**
 * ixdp_cmd_udp_send() - IX_CMD_UDP_SEND
 * @app: the application
 * @c: the command, copied: arg0 destination, arg1 TX offset, handle length
 *
 * Return: 0, -EINVAL, -EADDRNOTAVAIL (from a port not bound), -EFAULT,
 * -EMSGSIZE, -ENOBUFS, or what sending refuses.
 */
s64 ixdp_cmd_udp_send(struct ixdp_app *app, const struct ix_cmd *c)
{
	u32 len = c->handle, daddr = lower_32_bits(c->arg0);
	u16 dport = c->arg0 >> 32, sport = c->arg0 >> 48;
	struct ixdp_stack *s = &app->core->stack;
	struct ixdp_buf *b;
	u64 end;
	int err;

	if (!dport || !sport)
		return -EINVAL;
	if (!app_udp_bound(app, cpu_to_be16(sport)))
		return -EADDRNOTAVAIL;
	if (check_add_overflow(c->arg1, (u64)len, &end) || end > app->tx_len)
		return -EFAULT;
	if (len > s->cfg.mtu - sizeof(struct iphdr) - sizeof(struct udphdr))
		return -EMSGSIZE;
	b = ixdp_buf_get(s->pool);
	if (!b)
		return -ENOBUFS;
	ixdp_buf_reset(b, IXDP_BUF_HEADROOM);
	/* An empty datagram needs no TX memory (tx_kva is NULL without). */
	if (len)
		memcpy(ixdp_buf_put_tail(b, len), app->tx_kva + c->arg1, len);
	err = ixdp_udp_send(s, b, cpu_to_be16(sport), cpu_to_be32(daddr),
			    cpu_to_be16(dport));
	ixdp_app_ev(app, IX_EV_UDP_SENT, err, (void *)(uintptr_t)c->cookie, 0,
		    len, 0);
	return err;
}

/**
 * ixdp_cmd_udp_recv_done() - IX_CMD_UDP_RECV_DONE: give a datagram back
 * @app: the application
 * @c: the command, copied: arg0 the offset of its recv event
 *
 * Return: 0, or -EINVAL if the application does not hold it.
 */
s64 ixdp_cmd_udp_recv_done(struct ixdp_app *app, const struct ix_cmd *c)
{
	u64 slot = div_u64(c->arg0, IXDP_BUF_SIZE);

	if (c->arg1 || c->handle || slot >= app->udp_nslots)
		return -EINVAL;
	slot = array_index_nospec(slot, app->udp_nslots);
	if (!__test_and_clear_bit(slot, app->udp_held))
		return -EINVAL;
	ixdp_buf_put(&app->core->pool.bufs[slot]);
	return 0;
}
