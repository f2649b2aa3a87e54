// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the drivers that can hand queues to the dataplane.
 *
 * A driver registers its ixdp ops for its net_device_ops; a netdev whose
 * netdev_ops are registered can be attached.  Drivers register at module
 * init, which may run before ixdp's own init, so the table is static.
 *
 * The table is read once per netdev, when it registers; from then on the
 * ops are kept with the netdev, in its struct ixdp_dev.  A net_device
 * field set by the driver (as queue_mgmt_ops is) would need no table, but
 * virtio_net is a single object: its ops live in a module of their own
 * that uses virtio_net's exports, so virtio_net could not point at them
 * without depending on it in turn.
 */

#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/ixdp_drv.h>

#include "dp.h"
#include "ixdp.h"

struct ixdp_drv {
	struct list_head		node;
	const struct net_device_ops	*ndo;
	const struct ixdp_drv_ops	*ops;
};

static LIST_HEAD(ixdp_drvs);
static DEFINE_MUTEX(ixdp_drvs_mutex);

/**
 * ixdp_drv_register() - let netdevs with @ndo be attached to ixdp
 * @ndo: the driver's net_device_ops
 * @ops: its ixdp ops, in read-only memory
 *
 * Devices already registered with @ndo get their ixdp directory now: the
 * ops may be a module loaded after the driver's.
 *
 * Return: 0, -EEXIST if @ndo is registered already, or -ENOMEM.
 */
int ixdp_drv_register(const struct net_device_ops *ndo,
		      const struct ixdp_drv_ops *ops)
{
	struct ixdp_drv *d;
	int err = 0;

	mutex_lock(&ixdp_drvs_mutex);
	list_for_each_entry(d, &ixdp_drvs, node) {
		if (d->ndo == ndo) {
			err = -EEXIST;
			goto out;
		}
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		err = -ENOMEM;
		goto out;
	}
	d->ndo = ndo;
	d->ops = ops;
	list_add_tail_rcu(&d->node, &ixdp_drvs);
out:
	mutex_unlock(&ixdp_drvs_mutex);
	if (!err)
		ixdp_netdev_drv_added();
	return err;
}
EXPORT_SYMBOL_GPL(ixdp_drv_register);

/**
 * ixdp_drv_unregister() - undo ixdp_drv_register()
 * @ndo: the driver's net_device_ops
 *
 * Devices driven through the ops are detached and lose their ixdp
 * directory first, so nothing calls into the ops once this returns.
 */
void ixdp_drv_unregister(const struct net_device_ops *ndo)
{
	struct ixdp_drv *d, *found = NULL;

	mutex_lock(&ixdp_drvs_mutex);
	list_for_each_entry(d, &ixdp_drvs, node) {
		if (d->ndo == ndo) {
			list_del_rcu(&d->node);
			found = d;
			break;
		}
	}
	mutex_unlock(&ixdp_drvs_mutex);
	if (!found)
		return;
	synchronize_rcu();
	ixdp_netdev_drv_gone(found->ops);
	kfree(found);
}
EXPORT_SYMBOL_GPL(ixdp_drv_unregister);

/**
 * ixdp_drv_ops() - the ixdp ops of @dev's driver
 * @dev: a netdev
 *
 * Return: the ops, or NULL if the driver has none.
 */
const struct ixdp_drv_ops *ixdp_drv_ops(const struct net_device *dev)
{
	const struct ixdp_drv_ops *ops = NULL;
	struct ixdp_drv *d;

	rcu_read_lock();
	list_for_each_entry_rcu(d, &ixdp_drvs, node) {
		if (d->ndo == dev->netdev_ops) {
			ops = d->ops;
			break;
		}
	}
	rcu_read_unlock();
	return ops;
}
