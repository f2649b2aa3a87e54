// SPDX-License-Identifier: GPL-2.0
/*
 * ixgbe_ixdp.c's transmit side and RSS, run unchanged over the 82599
 * model: frames leave as queued, tokens come back only once the device
 * wrote DD, the ring wraps and fills, a stuck head stops the driver
 * without its descriptors being overwritten, frames the device cannot
 * send are refused, and rss_get() tells where the device steers a flow.
 */

#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "test.h"
#include "handoff.h"
#include "net_util.h"
#include "ixgbe_core.h"

#define IXT_FRAMES	64
#define IXT_FLEN	(100 + IXT_FRAMES)

/* Frames are sent from the last IXT_FRAMES buffers of the pool. */
struct ixt_tx {
	uint8_t		*buf[IXT_FRAMES];
	unsigned int	sent;		/* frames the sink got */
	unsigned int	bad;		/* ... not as queued */
	unsigned int	next;		/* the frame expected next */
};

/* Frame @i of the test: its length and bytes follow from @i. */
static uint32_t ixt_tx_len(unsigned int i)
{
	return 60 + i % IXT_FRAMES;
}

static void ixt_sink(void *arg, unsigned int q, const uint8_t *f,
		     uint32_t len)
{
	struct ixt_tx *t = arg;
	unsigned int i = t->next++ % IXT_FRAMES;

	t->sent++;
	if (len != ixt_tx_len(i) || memcmp(f, t->buf[i], len))
		t->bad++;
}

static struct ixp *ixt_tx_port(struct ixt_tx *t, struct ixc *c,
			       unsigned int count)
{
	struct ixp *p = ixp_new(1, count, true);
	unsigned int i;

	static_assert(IXT_FLEN <= IXC_BUF_LEN);
	memset(t, 0, sizeof(*t));
	if (p && ixc_take(c, p, 0)) {
		ixp_free(p);
		return NULL;
	}
	if (!p)
		return NULL;
	for (i = 0; i < IXT_FRAMES; i++) {
		t->buf[i] = c->mem[IXC_BUFS - IXT_FRAMES + i];
		ixc_frame(t->buf[i], ixt_tx_len(i), 0xc6120002, 0xc6120003,
			  i, 80, i);
	}
	p->m.sink = ixt_sink;
	p->m.sink_arg = t;
	return p;
}

/* tx_burst of frames @from to @from + @n - 1; tokens are index + 1. */
static unsigned int ixt_send(struct ixp *p, struct ixt_tx *t,
			     unsigned int from, unsigned int n)
{
	struct ixdp_drv_frame f[IXT_FRAMES] = { 0 };
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		k = (from + i) % IXT_FRAMES;
		f[i].addr = t->buf[k];
		f[i].len = ixt_tx_len(k);
		f[i].token = (void *)(uintptr_t)(from + i + 1);
	}
	return ixp_ops->tx_burst(&p->dq[0], f, n);
}

/* tx_reclaim; the tokens must be @from + 1 on, in order. */
static unsigned int ixt_reclaim(struct ixp *p, unsigned int from)
{
	void *tok[IXT_FRAMES];
	unsigned int i, n;

	n = ixp_ops->tx_reclaim(&p->dq[0], tok, IXT_FRAMES);
	for (i = 0; i < n; i++)
		if (tok[i] != (void *)(uintptr_t)(from + i + 1))
			return ~0u;
	return n;
}

IX_TEST(ixgbe, tx_tokens_back_only_after_dd)
{
	const union ixgbe_adv_tx_desc *d;
	struct ixt_tx t;
	struct ixc c;
	struct ixp *p = ixt_tx_port(&t, &c, 32);

	CHECK(p);
	CHECK_EQ(ixt_send(p, &t, 0, 3), 3);
	/* Queued, not sent: nothing to reclaim, DD clear. */
	CHECK_EQ(ixt_reclaim(p, 0), 0);
	CHECK_EQ(ixm_tx(&p->m, 0, 2), 2);
	CHECK_EQ(t.sent, 2);
	d = IXGBE_TX_DESC(&p->tx[0], 2);
	CHECK(!(le32_to_cpu(d->wb.status) & IXGBE_TXD_STAT_DD));
	CHECK_EQ(ixt_reclaim(p, 0), 2);
	CHECK_EQ(ixt_reclaim(p, 2), 0);
	CHECK_EQ(ixm_tx(&p->m, 0, 8), 1);
	CHECK_EQ(ixt_reclaim(p, 2), 1);
	CHECK_EQ(t.sent, 3);
	CHECK_EQ(t.bad, 0);
	ixc_give(&c);
	CHECK_EQ(c.released_tx, 0);
	CHECK_EQ(p->m.errors, 0);
	CHECK_EQ(ix_rcu_depth, 0);
	ixp_free(p);
}

IX_TEST(ixgbe, tx_ring_wraps_and_fills)
{
	unsigned int queued = 0, done = 0, n, round;
	struct ixt_tx t;
	struct ixc c;
	struct ixp *p = ixt_tx_port(&t, &c, 32);

	CHECK(p);
	for (round = 0; round < 12; round++) {
		n = ixt_send(p, &t, queued, 40);
		/* One descriptor stays empty: TDT == TDH means idle. */
		CHECK_EQ(n, 31 - (queued - done));
		queued += n;
		/* The device sends some, the driver takes back what it can. */
		ixm_tx(&p->m, 0, 7 + round);
		n = ixt_reclaim(p, done);
		CHECK(n != ~0u);
		done += n;
	}
	ixm_tx(&p->m, 0, 64);
	done += ixt_reclaim(p, done);
	CHECK_EQ(done, queued);
	CHECK(queued > 4 * 32);
	CHECK_EQ(t.sent, queued);
	CHECK_EQ(t.bad, 0);
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/*
 * A stuck transmit head: the driver fills the ring, then queues nothing
 * more and takes nothing back, and rewrites no descriptor the device
 * owns, until the device moves again.
 */
IX_TEST(ixgbe, tx_stuck_head_stops_the_driver)
{
	struct ixt_tx t;
	struct ixc c;
	struct ixp *p = ixt_tx_port(&t, &c, 32);

	CHECK(p);
	CHECK_EQ(ixt_send(p, &t, 0, 10), 10);
	CHECK_EQ(ixm_tx(&p->m, 0, 4), 4);
	p->m.txq[0].stuck = true;
	/* Sent or not, a frame holds its descriptor until reclaimed. */
	CHECK_EQ(ixt_send(p, &t, 10, 40), 21);
	CHECK_EQ(ixt_send(p, &t, 31, 5), 0);
	CHECK_EQ(ixt_reclaim(p, 0), 4);
	CHECK_EQ(ixt_reclaim(p, 4), 0);
	CHECK_EQ(ixm_tx(&p->m, 0, 64), 0);
	CHECK_EQ(ixt_send(p, &t, 31, 5), 4);
	CHECK_EQ(ixt_send(p, &t, 35, 5), 0);
	p->m.txq[0].stuck = false;
	CHECK_EQ(ixm_tx(&p->m, 0, 64), 31);
	CHECK_EQ(ixt_reclaim(p, 4), 31);
	CHECK_EQ(t.sent, 35);
	CHECK_EQ(t.bad, 0);
	/* Given back with frames queued: their tokens come back too. */
	p->m.txq[0].stuck = true;
	CHECK_EQ(ixt_send(p, &t, 35, 3), 3);
	ixc_give(&c);
	CHECK_EQ(c.released_tx, 3);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

IX_TEST(ixgbe, tx_refuses_what_the_device_cannot_send)
{
	struct ixdp_drv_frame f = { 0 };
	struct ixt_tx t;
	struct ixc c;
	struct ixp *p = ixt_tx_port(&t, &c, 32);
	static uint8_t big[16384];

	CHECK(p);
	f.addr = t.buf[0];
	f.len = 16;
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], &f, 1), 0);
	f.len = 17;
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], &f, 1), 1);
	f.addr = big;
	f.len = sizeof(big);
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], &f, 1), 0);
	CHECK_EQ(p->m.txq[0].tail, 1);
	p->m.sink = NULL;
	CHECK_EQ(ixm_tx(&p->m, 0, 8), 1);
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

IX_TEST(ixgbe, model_toeplitz_matches_rss_spec_vectors)
{
	/* 66.9.149.187:2794 to 161.142.100.80:1766, and 199.92.111.2:14230
	 * to 65.69.140.83:4739: their TCP/IPv4 and IPv4 hashes.
	 */
	static const uint8_t in[2][12] = {
		{ 66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6 },
		{ 199, 92, 111, 2, 65, 69, 140, 83, 0x37, 0x96, 0x12, 0x83 },
	};
	static const uint32_t tcp[2] = { 0x51ccc178, 0xc626b0ea };
	static const uint32_t ip[2] = { 0x323e8fc2, 0xd718262a };
	struct ixp *p = ixp_new(1, 32, true);
	unsigned int i;
	u32 k;

	CHECK(p);
	for (i = 0; i < 10; i++) {
		memcpy(&k, rss_spec_key + 4 * i, 4);
		IXGBE_WRITE_REG(&p->ad.hw, IXGBE_RSSRK(i), le32_to_cpu(k));
	}
	for (i = 0; i < 2; i++) {
		CHECK_EQ(ixm_toeplitz(&p->m, in[i], 12), tcp[i]);
		CHECK_EQ(ixm_toeplitz(&p->m, in[i], 8), ip[i]);
	}
	ixp_free(p);
}

/*
 * Four pairs: each TCP/IPv4 flow lands on the queue that rss_get()'s key
 * and table give it through the stack's own Toeplitz (handoff.c).
 */
IX_TEST(ixgbe, rss_queue_matches_rss_get)
{
	u16 indir[IXDP_DRV_RSS_MAX], want, q;
	struct ixp *p = ixp_new(4, 64, true);
	u8 key[IXDP_DRV_RSS_KEY], f[128];
	struct ixdp_drv_frame got[4];
	unsigned int i, hits[4] = { 0 };
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	struct ixc c[4];
	int n;

	CHECK(p && ixc_take_four(p, c));
	rtnl_lock();
	n = ixp_ops->rss_get(&p->dev, key, indir, IXDP_DRV_RSS_MAX);
	rtnl_unlock();
	CHECK_EQ(n, 128);
	srandom(18);
	for (i = 0; i < 400; i++) {
		saddr = random();
		daddr = random();
		sport = random();
		dport = random();
		want = indir[ixdp_rss_hash(key, cpu_to_be32(saddr),
					   cpu_to_be32(daddr),
					   cpu_to_be16(sport),
					   cpu_to_be16(dport)) & (n - 1)];
		ixc_frame(f, sizeof(f), saddr, daddr, sport, dport, i);
		CHECK_EQ(ixm_rx(&p->m, f, sizeof(f)), 1);
		for (q = 0; q < 4; q++) {
			CHECK_EQ(ixc_burst(&c[q], got, 4), q == want);
			ixc_post(&c[q], 1);
		}
		hits[want]++;
	}
	for (q = 0; q < 4; q++) {
		CHECK(hits[q] > 50);
		ixc_give(&c[q]);
	}
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/*
 * rss_set() moves one flow group: the entry a flow hashes to now names
 * another queue, and its frames go there while another group's stay;
 * a table of the wrong size or naming a queue the device has not is
 * refused, and changes nothing.
 */
IX_TEST(ixgbe, rss_set_moves_one_flow_group)
{
	u16 indir[IXDP_DRV_RSS_MAX], back[IXDP_DRV_RSS_MAX], q;
	struct ixp *p = ixp_new(4, 64, true);
	u8 key[IXDP_DRV_RSS_KEY];
	unsigned int a, b;
	struct ixc c[4];
	u16 sa = 1000, sb = 1001;
	int n;

	CHECK(p && ixc_take_four(p, c));
	rtnl_lock();
	n = ixp_ops->rss_get(&p->dev, key, indir, IXDP_DRV_RSS_MAX);
	CHECK_EQ(n, 128);
	a = ixdp_rss_hash(key, cpu_to_be32(0xc6120001), cpu_to_be32(0xc6120002),
			  cpu_to_be16(sa), cpu_to_be16(80)) & 127;
	/* Another flow of another group. */
	do {
		b = ixdp_rss_hash(key, cpu_to_be32(0xc6120001),
				  cpu_to_be32(0xc6120002), cpu_to_be16(++sb),
				  cpu_to_be16(80)) & 127;
	} while (b == a);
	CHECK_EQ(ixc_landed(p, c, 0xc6120001, sa, 1), indir[a]);
	CHECK_EQ(ixc_landed(p, c, 0xc6120001, sb, 2), indir[b]);

	q = (indir[a] + 1) % 4;
	indir[a] = q;
	CHECK_EQ(ixp_ops->rss_set(&p->dev, indir, n), 0);
	CHECK_EQ(ixc_landed(p, c, 0xc6120001, sa, 3), q);
	CHECK_EQ(ixc_landed(p, c, 0xc6120001, sb, 4), indir[b]);
	CHECK_EQ(ixp_ops->rss_get(&p->dev, key, back, IXDP_DRV_RSS_MAX), n);
	CHECK(!memcmp(back, indir, n * sizeof(indir[0])));

	/* Refused: the wrong size, a fifth queue; the table stays. */
	indir[a] = (q + 1) % 4;
	CHECK_EQ(ixp_ops->rss_set(&p->dev, indir, 64), -EINVAL);
	indir[b] = 4;
	CHECK_EQ(ixp_ops->rss_set(&p->dev, indir, n), -EINVAL);
	CHECK_EQ(ixc_landed(p, c, 0xc6120001, sa, 5), q);
	CHECK_EQ(ixp_ops->rss_get(&p->dev, key, indir, IXDP_DRV_RSS_MAX), n);
	CHECK(!memcmp(back, indir, n * sizeof(indir[0])));
	rtnl_unlock();
	for (q = 0; q < 4; q++)
		ixc_give(&c[q]);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}
