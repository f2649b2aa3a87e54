// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: subsystem start-up.
 *
 * Brings up the control directory in sysfs first, then /dev/ix, so that
 * an application that finds the device also finds its configuration.
 */

#include <linux/module.h>

#include "dp.h"
#include "ixdp.h"

static int __init ixdp_init(void)
{
	int err;

	/* A command without a handler would be a NULL call: refuse to start. */
	err = ixdp_app_cmds_check();
	if (err)
		return err;

	err = ixdp_sysfs_init();
	if (err)
		return err;

	err = ixdp_dev_init();
	if (err)
		goto out_sysfs;

	/* Last: from here on netdevs can be attached. */
	err = ixdp_netdev_init();
	if (err)
		goto out_dev;

	return 0;

out_dev:
	ixdp_dev_exit();
out_sysfs:
	ixdp_sysfs_exit();
	return err;
}
device_initcall(ixdp_init);
