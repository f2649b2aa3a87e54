/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a writer's side of u64_stats_sync.  The sequence count
 * is odd inside an update, so a test can see that one was closed.
 */
#ifndef _IX_SHIM_LINUX_U64_STATS_SYNC_H
#define _IX_SHIM_LINUX_U64_STATS_SYNC_H

struct u64_stats_sync {
	unsigned int	seq;
};

static inline void u64_stats_update_begin(struct u64_stats_sync *syncp)
{
	syncp->seq++;
}

static inline void u64_stats_update_end(struct u64_stats_sync *syncp)
{
	syncp->seq++;
}

#endif /* _IX_SHIM_LINUX_U64_STATS_SYNC_H */
