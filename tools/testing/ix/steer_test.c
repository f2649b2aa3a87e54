// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of net/ixdp/steer.c over a device whose n-tuple rule table and
 * indirection table are plain arrays, with the checks a driver makes
 * (ixgbe's: a location in range, a ring it has, one rule per location)
 * and a failure to order at each step.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "steer.h"
#include "test.h"

#define SD_LOCS		8	/* rule locations */
#define SD_INDIR	8	/* indirection table entries */
#define SD_ADDR		0xc612000aU	/* 198.18.0.10 */

/* The device: its rules by location, its table, what to refuse. */
struct sdev {
	struct net_device		dev;
	struct ethtool_ops		eops;
	struct ixdp_drv_ops		ops;
	struct ethtool_rx_flow_spec	rule[SD_LOCS];
	bool				used[SD_LOCS];
	unsigned int			nrx;
	u16				indir[SD_INDIR];
	bool				any_loc;	/* driver picks */
	bool				linux_off;	/* sysfs linux 0 */
	int				fail_ins, fail_table, fail_get;
	unsigned int			dels;
};

static struct sdev sd;

static struct sdev *to_sdev(struct net_device *dev)
{
	return (struct sdev *)dev;
}

static int sd_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *nfc,
			u32 *locs)
{
	struct sdev *d = to_sdev(dev);
	unsigned int i, n = 0;

	if (d->fail_get)
		return d->fail_get;
	switch (nfc->cmd) {
	case ETHTOOL_GRXCLSRLCNT:
		for (i = 0; i < SD_LOCS; i++)
			n += d->used[i];
		nfc->rule_cnt = n;
		nfc->data = d->any_loc ? RX_CLS_LOC_SPECIAL : 0;
		return 0;
	case ETHTOOL_GRXCLSRLALL:
		nfc->data = SD_LOCS;
		for (i = 0; i < SD_LOCS; i++) {
			if (!d->used[i])
				continue;
			if (n == nfc->rule_cnt)
				return -EMSGSIZE;
			locs[n++] = i;
		}
		nfc->rule_cnt = n;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int sd_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *nfc)
{
	struct sdev *d = to_sdev(dev);
	u32 loc = nfc->fs.location;

	switch (nfc->cmd) {
	case ETHTOOL_SRXCLSRLINS:
		if (d->fail_ins)
			return d->fail_ins;
		if (loc == RX_CLS_LOC_ANY && d->any_loc) {
			for (loc = 0; loc < SD_LOCS && d->used[loc]; loc++)
				;
			nfc->fs.location = loc;
		}
		if (loc >= SD_LOCS || nfc->fs.ring_cookie >= d->nrx)
			return -EINVAL;
		d->rule[loc] = nfc->fs;
		d->used[loc] = true;
		return 0;
	case ETHTOOL_SRXCLSRLDEL:
		if (loc >= SD_LOCS || !d->used[loc])
			return -EINVAL;
		d->used[loc] = false;
		d->dels++;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int sd_rss_get(struct net_device *dev, u8 *key, u16 *indir,
		      unsigned int max)
{
	struct sdev *d = to_sdev(dev);

	memset(key, 0x6d, IXDP_DRV_RSS_KEY);
	memcpy(indir, d->indir, sizeof(d->indir));
	return SD_INDIR;
}

static int sd_rss_set(struct net_device *dev, const u16 *indir,
		      unsigned int n)
{
	struct sdev *d = to_sdev(dev);
	unsigned int i;

	if (d->fail_table)
		return d->fail_table;
	if (n != SD_INDIR)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (indir[i] >= d->nrx)
			return -EINVAL;
	memcpy(d->indir, indir, sizeof(d->indir));
	return 0;
}

/* A device of @nrx queues, ntuple on, its table spread over them all. */
static struct sdev *sd_init(unsigned int nrx)
{
	unsigned int i;

	memset(&sd, 0, sizeof(sd));
	sd.dev.ifindex = 3;
	sd.dev.features = NETIF_F_NTUPLE;
	sd.eops.get_rxnfc = sd_get_rxnfc;
	sd.eops.set_rxnfc = sd_set_rxnfc;
	sd.dev.ethtool_ops = &sd.eops;
	sd.ops.rss_get = sd_rss_get;
	sd.ops.rss_set = sd_rss_set;
	sd.nrx = nrx;
	for (i = 0; i < SD_INDIR; i++)
		sd.indir[i] = i % nrx;
	return &sd;
}

/* Steer queues @queues (a bit each) of @d, Linux having @nlinux addresses. */
static int sd_start_req(struct ixdp_steer *st, struct sdev *d, u32 queues,
			const __be32 *linux_addrs, unsigned int nlinux)
{
	struct ixdp_steer_req req = {
		.addr		= htonl(SD_ADDR),
		.queues		= queues,
		.nrx		= d->nrx,
		.linux_addrs	= linux_addrs,
		.nlinux		= nlinux,
		.linux_share	= !d->linux_off,
	};

	return ixdp_steer_start(st, &d->dev, &d->ops, &req);
}

/* The dataplane on @nqueues queues from @queue; Linux has no address. */
static int sd_start(struct ixdp_steer *st, struct sdev *d,
		    unsigned int queue, unsigned int nqueues)
{
	return sd_start_req(st, d, ((1U << nqueues) - 1) << queue, NULL, 0);
}

/* The rule at @loc sends IPv4 to @addr to @queue, no more. */
static bool sd_rule_to(const struct sdev *d, unsigned int loc, u32 addr,
		       unsigned int queue)
{
	const struct ethtool_rx_flow_spec *fs = &d->rule[loc];
	static const struct ethtool_usrip4_spec zero;
	struct ethtool_usrip4_spec m = fs->m_u.usr_ip4_spec;

	if (!d->used[loc] || fs->flow_type != IP_USER_FLOW ||
	    fs->ring_cookie != queue ||
	    fs->h_u.usr_ip4_spec.ip4dst != htonl(addr) ||
	    fs->h_u.usr_ip4_spec.ip_ver != ETH_RX_NFC_IP4 ||
	    fs->h_u.usr_ip4_spec.proto || fs->h_u.usr_ip4_spec.ip4src ||
	    m.ip4dst != htonl(0xffffffff))
		return false;
	m.ip4dst = 0;
	return !memcmp(&m, &zero, sizeof(m));
}

/* The dataplane's rule at @loc: its address to @queue. */
static bool sd_rule_ok(const struct sdev *d, unsigned int loc,
		       unsigned int queue)
{
	return sd_rule_to(d, loc, SD_ADDR, queue);
}

IX_TEST(steer, address_to_its_queue_the_rest_to_linux)
{
	u16 before[SD_INDIR], want[SD_INDIR] = { 0, 1, 0, 3, 0, 1, 1, 3 };
	struct sdev *d = sd_init(4);
	struct ixdp_steer st = {};
	unsigned int i;

	/* An admin's rule at the top: ours goes below it. */
	d->used[SD_LOCS - 1] = true;
	d->rule[SD_LOCS - 1].ring_cookie = 3;
	memcpy(before, d->indir, sizeof(before));
	CHECK_EQ(sd_start(&st, d, 2, 1), 0);
	CHECK(st.active && !st.why);
	CHECK_EQ(st.loc[0], SD_LOCS - 2);
	CHECK(sd_rule_ok(d, SD_LOCS - 2, 2));
	for (i = 0; i < SD_INDIR; i++)
		CHECK_EQ(d->indir[i], want[i]);
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK(!st.active);
	CHECK(!d->used[SD_LOCS - 2] && d->used[SD_LOCS - 1]);
	CHECK(!memcmp(d->indir, before, sizeof(before)));
	/* Stopped twice, nothing more is undone. */
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK_EQ(d->dels, 1);
}

IX_TEST(steer, queue_zero_and_driver_picked_location)
{
	struct sdev *d = sd_init(2);
	struct ixdp_steer st = {};
	unsigned int i;

	d->any_loc = true;
	d->used[0] = true;
	CHECK_EQ(sd_start(&st, d, 0, 1), 0);
	CHECK_EQ(st.loc[0], 1);
	CHECK(sd_rule_ok(d, 1, 0));
	for (i = 0; i < SD_INDIR; i++)
		CHECK_EQ(d->indir[i], 1);
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK(!d->used[1] && d->used[0]);
}

/*
 * A queue the table leaves out stays out: the dataplane's entries go to
 * the queues the table names.  A table of the dataplane's queue alone
 * cannot be steered.
 */
IX_TEST(steer, table_keeps_what_it_left_out)
{
	u16 table[SD_INDIR] = { 0, 1, 2, 0, 1, 2, 0, 1 };
	u16 want[SD_INDIR] = { 0, 1, 0, 0, 1, 1, 0, 1 };
	struct sdev *d = sd_init(4);
	struct ixdp_steer st = {};
	unsigned int i;

	memcpy(d->indir, table, sizeof(table));
	CHECK_EQ(sd_start(&st, d, 2, 1), 0);
	for (i = 0; i < SD_INDIR; i++)
		CHECK_EQ(d->indir[i], want[i]);
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK(!memcmp(d->indir, table, sizeof(table)));

	for (i = 0; i < SD_INDIR; i++)
		d->indir[i] = 2;
	CHECK_EQ(sd_start(&st, d, 2, 1), -ENOENT);
	CHECK(!st.active &&
	      !strcmp(st.why, "no queue of Linux's in the table"));
	CHECK_EQ(d->dels, 2);
	for (i = 0; i < SD_LOCS; i++)
		CHECK(!d->used[i]);
}

/* A device gone meanwhile: nothing is asked of it at the detach. */
IX_TEST(steer, device_gone_is_left_alone)
{
	struct sdev *d = sd_init(2);
	struct ixdp_steer st = {};
	u16 table[SD_INDIR];

	CHECK_EQ(sd_start(&st, d, 1, 1), 0);
	memcpy(table, d->indir, sizeof(table));
	d->dev.absent = true;
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK(!st.active);
	CHECK_EQ(d->dels, 0);
	CHECK(!memcmp(d->indir, table, sizeof(table)));
	CHECK_EQ(sd_start(&st, d, 1, 1), -EOPNOTSUPP);
	CHECK(!strcmp(st.why, "device not present"));
}

/* @why, and the device exactly as it was. */
static bool sd_refused(struct sdev *d, struct ixdp_steer *st,
		       const char *why, const u16 *indir, unsigned int nused)
{
	unsigned int i, n = 0;

	for (i = 0; i < SD_LOCS; i++)
		n += d->used[i];
	if (st->active || !st->why || strcmp(st->why, why) || n != nused ||
	    memcmp(d->indir, indir, sizeof(d->indir)))
		return false;
	/* Nothing to undo at detach. */
	ixdp_steer_stop(st, &d->dev, &d->ops);
	return !memcmp(d->indir, indir, sizeof(d->indir));
}

IX_TEST(steer, what_cannot_steer_says_why_and_changes_nothing)
{
	struct ixdp_steer st = {};
	u16 orig[SD_INDIR];
	struct sdev *d;
	unsigned int i;

	d = sd_init(4);
	memcpy(orig, d->indir, sizeof(orig));
	CHECK_EQ(sd_start(&st, d, 0, 4), -EOPNOTSUPP);
	CHECK(sd_refused(d, &st, "no queue left to Linux", orig, 0));
	{
		__be32 many[IXDP_STEER_RULES + 1] = {};

		CHECK_EQ(sd_start_req(&st, d, 3, many, IXDP_STEER_RULES + 1),
			 -EOPNOTSUPP);
		CHECK(sd_refused(d, &st, "too many Linux addresses", orig, 0));
	}
	d->dev.features = 0;
	CHECK_EQ(sd_start(&st, d, 1, 1), -EOPNOTSUPP);
	CHECK(sd_refused(d, &st, "ntuple off", orig, 0));
	d->dev.features = NETIF_F_NTUPLE;
	d->eops.set_rxnfc = NULL;
	CHECK_EQ(sd_start(&st, d, 1, 1), -EOPNOTSUPP);
	CHECK(sd_refused(d, &st, "no n-tuple rules", orig, 0));
	d->dev.ethtool_ops = NULL;
	CHECK_EQ(sd_start(&st, d, 1, 1), -EOPNOTSUPP);
	CHECK(sd_refused(d, &st, "no n-tuple rules", orig, 0));

	d = sd_init(4);
	d->ops.rss_set = NULL;
	CHECK_EQ(sd_start(&st, d, 1, 1), -EOPNOTSUPP);
	CHECK(sd_refused(d, &st, "no indirection table", orig, 0));

	d = sd_init(4);
	for (i = 0; i < SD_LOCS; i++)
		d->used[i] = true;
	CHECK_EQ(sd_start(&st, d, 1, 1), -ENOSPC);
	CHECK(sd_refused(d, &st, "rule table full", orig, SD_LOCS));

	d = sd_init(4);
	d->fail_get = -EIO;
	CHECK_EQ(sd_start(&st, d, 1, 1), -EIO);
	CHECK(sd_refused(d, &st, "rule table unreadable", orig, 0));

	/* ixgbe's "Only one mask supported per port". */
	d = sd_init(4);
	d->fail_ins = -EINVAL;
	CHECK_EQ(sd_start(&st, d, 1, 1), -EINVAL);
	CHECK(sd_refused(d, &st, "rule refused", orig, 0));

	/* The rule went in, the table did not: the rule comes out. */
	d = sd_init(4);
	d->fail_table = -EBUSY;
	CHECK_EQ(sd_start(&st, d, 1, 1), -EBUSY);
	CHECK(sd_refused(d, &st, "indirection table refused", orig, 0));
	CHECK_EQ(d->dels, 1);
}

/*
 * Several dataplane queues (0 and 1 of 4): Linux's addresses go to its
 * queues the table names (2 and 3), round robin, by a rule each, and the
 * table's entries of Linux's queues go to the dataplane's.
 */
IX_TEST(steer, several_queues_linux_addresses_to_linux)
{
	u16 want[SD_INDIR] = { 0, 1, 0, 1, 0, 1, 0, 1 };
	__be32 lx[2] = { htonl(0xc6120002), htonl(0xc6120102) };
	struct sdev *d = sd_init(4);
	struct ixdp_steer st = {};
	u16 before[SD_INDIR];
	unsigned int i;

	d->used[SD_LOCS - 1] = true;
	memcpy(before, d->indir, sizeof(before));
	CHECK_EQ(sd_start_req(&st, d, 0x3, lx, 2), 0);
	CHECK(st.active && !st.why);
	CHECK_EQ(st.nrules, 2);
	CHECK(sd_rule_to(d, SD_LOCS - 2, 0xc6120002, 2));
	CHECK(sd_rule_to(d, SD_LOCS - 3, 0xc6120102, 3));
	for (i = 0; i < SD_INDIR; i++)
		CHECK_EQ(d->indir[i], want[i]);
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK(!d->used[SD_LOCS - 2] && !d->used[SD_LOCS - 3] &&
	      d->used[SD_LOCS - 1]);
	CHECK(!memcmp(d->indir, before, sizeof(before)));

	/* No address of Linux's: the table alone. */
	CHECK_EQ(sd_start_req(&st, d, 0x3, lx, 0), 0);
	CHECK_EQ(st.nrules, 0);
	for (i = 0; i < SD_INDIR; i++)
		CHECK_EQ(d->indir[i], want[i]);
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK(!memcmp(d->indir, before, sizeof(before)));
}

/* Rules put so far, by sd_set_second_fails(). */
static unsigned int sd_ins;

/* The second rule refused: the first comes out, the table is untouched. */
static int sd_set_second_fails(struct net_device *dev,
			       struct ethtool_rxnfc *nfc)
{
	if (nfc->cmd == ETHTOOL_SRXCLSRLINS && ++sd_ins == 2)
		return -EINVAL;
	return sd_set_rxnfc(dev, nfc);
}

IX_TEST(steer, several_queues_rule_refused_undone)
{
	__be32 lx[2] = { htonl(0xc6120002), htonl(0xc6120102) };
	struct sdev *d = sd_init(4);
	struct ixdp_steer st = {};
	u16 before[SD_INDIR];
	unsigned int i;

	memcpy(before, d->indir, sizeof(before));
	sd_ins = 0;
	d->eops.set_rxnfc = sd_set_second_fails;
	CHECK_EQ(sd_start_req(&st, d, 0x6, lx, 2), -EINVAL);
	CHECK(!st.active && !strcmp(st.why, "rule refused"));
	CHECK_EQ(d->dels, 1);
	for (i = 0; i < SD_LOCS; i++)
		CHECK(!d->used[i]);
	CHECK(!memcmp(d->indir, before, sizeof(before)));

	/* A table without the dataplane's queues keeps nothing. */
	d = sd_init(4);
	for (i = 0; i < SD_INDIR; i++)
		d->indir[i] = i % 2 ? 3 : 0;
	CHECK_EQ(sd_start_req(&st, d, 0x6, lx, 1), -ENOENT);
	CHECK(!strcmp(st.why, "no dataplane queue in the table"));
	CHECK_EQ(d->dels, 1);
}

/*
 * Linux's rules go to the queues the table names for Linux: a queue the
 * admin left out (2) gets none.  A table refused takes every rule out.
 * With Linux off the dataplane's queues, all it would lose is refused.
 */
IX_TEST(steer, several_queues_rules_follow_the_table)
{
	u16 table[SD_INDIR] = { 0, 1, 3, 0, 1, 3, 0, 1 };
	__be32 lx[3] = { htonl(0xc6120002), htonl(0xc6120102),
			 htonl(0xc6120202) };
	struct sdev *d = sd_init(4);
	struct ixdp_steer st = {};
	u16 orig[SD_INDIR];
	unsigned int i;

	memcpy(d->indir, table, sizeof(table));
	CHECK_EQ(sd_start_req(&st, d, 0x3, lx, 3), 0);
	CHECK_EQ(st.nrules, 3);
	CHECK(sd_rule_to(d, SD_LOCS - 1, 0xc6120002, 3));
	CHECK(sd_rule_to(d, SD_LOCS - 2, 0xc6120102, 3));
	CHECK(sd_rule_to(d, SD_LOCS - 3, 0xc6120202, 3));
	for (i = 0; i < SD_INDIR; i++)
		CHECK(d->indir[i] < 2);
	ixdp_steer_stop(&st, &d->dev, &d->ops);
	CHECK(!memcmp(d->indir, table, sizeof(table)));

	d = sd_init(4);
	memcpy(orig, d->indir, sizeof(orig));
	d->fail_table = -EINVAL;
	CHECK_EQ(sd_start_req(&st, d, 0x3, lx, 3), -EINVAL);
	CHECK(!strcmp(st.why, "indirection table refused"));
	CHECK_EQ(d->dels, 3);
	for (i = 0; i < SD_LOCS; i++)
		CHECK(!d->used[i]);

	d = sd_init(4);
	d->linux_off = true;
	CHECK_EQ(sd_start_req(&st, d, 0x3, lx, 3), -EOPNOTSUPP);
	CHECK(sd_refused(d, &st, "several dataplane queues and linux off",
			 orig, 0));
	/* One queue: Linux keeps all but the dataplane's address. */
	CHECK_EQ(sd_start_req(&st, d, 0x4, lx, 3), 0);
	CHECK_EQ(st.nrules, 1);
	ixdp_steer_stop(&st, &d->dev, &d->ops);
}
