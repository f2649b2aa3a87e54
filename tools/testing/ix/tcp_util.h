/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the TCP tests: an application recording events, a
 * deterministic byte pattern, a peer that crafts and parses segments
 * with code of its own (not net/ixdp/tcp_opt.c).
 */
#ifndef _IX_TCP_UTIL_H
#define _IX_TCP_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "net_util.h"
#include "tcp.h"

/* One connection as the test application sees it. */
struct conn {
	struct ixdp_stack	*s;
	uint32_t		h;
	int			connected;	/* 0 pending, 1 up, <0 error */
	unsigned int		nconnected;
	bool			dead;
	unsigned int		ndead;
	int			dead_reason;
	bool			fin;
	bool			close_on_fin;	/* close in the FIN's recv event */
	bool			keep_bufs;	/* don't recv_done/put */
	/* sending */
	const uint8_t		*tx;
	uint64_t		tx_len, tx_queued, tx_acked;
	unsigned int		tx_chunk;	/* bytes per send vector, 0: all */
	/* A copy of @tx: with @tx_chunk, every other vector is from it. */
	const uint8_t		*tx_alt;
	bool			close_when_sent, closed;
	/* receiving */
	uint32_t		seed;		/* pattern expected */
	uint64_t		rx_len, rx_bad;
	unsigned int		nrecv;
	struct ixdp_buf		*held[64];
	unsigned int		nheld;
};

/* The application of one stack: accepts into @srv, up to @nsrv. */
struct app {
	struct conn		*srv;
	unsigned int		nsrv, naccepted, nknock;
	bool			reject;
	bool			no_accept;
	uint32_t		last_knock;
	uint32_t		srv_seed;	/* pattern expected by servers */
};

extern const struct ixdp_tcp_ops test_tcp_ops;

uint8_t pat_byte(uint32_t seed, uint64_t i);
void pat_fill(uint8_t *p, uint64_t len, uint32_t seed, uint64_t off);
/* Queue what the send window takes of c->tx. */
void conn_push(struct conn *c);
/* Put back buffers a connection held. */
void conn_release(struct conn *c);

/* A stack with TCP on captured frames, the peer's MAC known. */
struct tpeer {
	struct tstack		t;
	struct ixdp_tcp		*tcp;
	struct app		app;
	struct conn		srv[4];
	struct conn		cli;
	uint16_t		lport;		/* ours, host order */
	uint32_t		iss, piss;	/* ours, the peer's */
};

/* Buffers of the next tp_init() (256). */
extern unsigned int tp_nbufs;
int tp_init(struct tpeer *p, const struct ixdp_tcp_config *cfg);
int tp_init_off(struct tpeer *p, const struct ixdp_tcp_config *cfg,
		uint32_t offload);
bool tp_fini(struct tpeer *p);
void tp_advance(struct tpeer *p, uint64_t now);
/* Tell the stack the peer's MAC again (ARP entries expire). */
void tp_arp(struct tpeer *p);

/* A segment from the peer (PEER_IP) to us, or one we sent, parsed. */
struct tseg {
	uint32_t	saddr;		/* to send: 0 for PEER_IP */
	uint16_t	sport, dport;
	uint32_t	seq, ack;
	uint8_t		flags;
	uint16_t	win;
	/* options: to build, or parsed */
	bool		has_mss, has_ws, has_ts, sack_ok;
	uint16_t	mss;
	uint8_t		ws;
	uint32_t	tsval, tsecr;
	unsigned int	nsack;
	uint32_t	sack[4][2];
	const uint8_t	*raw_opts;	/* if set, used as the options */
	unsigned int	raw_olen;
	/* payload */
	const uint8_t	*data;
	unsigned int	len;
};

#define PEER_PORT	40000
#define SRV_PORT	80

/* Send @sg from the peer; return false if the stack's pool is empty. */
bool tp_send(struct tpeer *p, const struct tseg *sg);
/* The options a Linux peer puts in its SYN: MSS 1460, wscale 7, SACK, TS. */
void tp_syn_opts(struct tseg *sg);
/* A segment from the peer on the open connection: header fields only. */
void seg_init(struct tpeer *p, struct tseg *sg, u32 seq, u32 ack, u8 flags);
/* Take the oldest segment sent, parsed; false if none or not TCP. */
bool tp_pop(struct tpeer *p, struct tseg *sg);
/* Number of captured frames. */
unsigned int tp_ntx(const struct tpeer *p);

/* Handshakes driven by the peer; return the local handle. */
bool tp_open_active(struct tpeer *p, uint32_t *iss, uint32_t peer_iss,
		    bool opts);
bool tp_open_passive(struct tpeer *p, uint32_t *iss, uint32_t peer_iss,
		     bool opts);
/*
 * A table of @n PCBs instead, each connected to the peer's port 2000 + i
 * with the peer's ISS 100; our ports and ISSs in @lport and @iss (or NULL).
 */
bool tp_open_many(struct tpeer *p, struct conn *c, u16 *lport, u32 *iss,
		  unsigned int n);

#endif /* _IX_TCP_UTIL_H */
