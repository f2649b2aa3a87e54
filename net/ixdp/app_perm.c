// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: who may drive a dataplane through /dev/ix.
 *
 * Checked at setup, with the credentials of the thread asking, so that
 * an open file passed to another process confers nothing:
 *
 * - /sys/kernel/ixdp/apps says whether applications may bind at all:
 *   0 (the default) as below, 1 only with CAP_NET_ADMIN, 2 never (in the
 *   spirit of kernel.io_uring_disabled);
 * - the caller's network namespace must be the device's;
 * - the caller needs a delegation of the device by the administrator
 *   (its owner uid or its group gid, either one, from the ixdp
 *   directory's owner and group files; tun's TUNSETOWNER and TUNSETGROUP
 *   need both when both are set), or CAP_NET_ADMIN in the user
 *   namespace that owns that network namespace (asked second, so that a
 *   delegated setup logs no capability denial);
 * - a port below net.ipv4.ip_unprivileged_port_start needs
 *   CAP_NET_BIND_SERVICE there, asked when the port is taken (TCP listen,
 *   UDP bind: a thread that dropped it after setup has it no more), and
 *   UDP is sent only from ports the application bound.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <net/ip.h>
#include <net/net_namespace.h>

#include "app.h"
#include "dp.h"
#include "ixdp.h"

/* IXDP_APPS_*: who may bind; /sys/kernel/ixdp/apps. */
static int ixdp_apps_mode;

/**
 * ixdp_apps_mode_get() - who may bind applications now
 *
 * Return: IXDP_APPS_DELEGATED, IXDP_APPS_ADMIN or IXDP_APPS_DISABLED.
 */
int ixdp_apps_mode_get(void)
{
	return READ_ONCE(ixdp_apps_mode);
}

/**
 * ixdp_apps_mode_set() - set who may bind applications from now on
 * @mode: IXDP_APPS_DELEGATED, IXDP_APPS_ADMIN or IXDP_APPS_DISABLED
 *
 * Bindings that stand keep standing.
 *
 * Return: 0, -EINVAL for another value, -EPERM without CAP_NET_ADMIN.
 */
int ixdp_apps_mode_set(int mode)
{
	if (mode < IXDP_APPS_DELEGATED || mode > IXDP_APPS_DISABLED)
		return -EINVAL;
	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	WRITE_ONCE(ixdp_apps_mode, mode);
	return 0;
}

/* Did the administrator hand @idev to the caller? */
static bool ixdp_app_delegated(const struct ixdp_dev *idev)
{
	return (uid_valid(idev->owner) && uid_eq(current_euid(), idev->owner)) ||
	       (gid_valid(idev->group) && in_egroup_p(idev->group));
}

/**
 * ixdp_app_permit() - may the calling thread bind to a core of @idev?
 * @idev: the device of the core asked for; RTNL held
 *
 * Return: 0, or -EPERM (applications disabled, another network
 * namespace, neither CAP_NET_ADMIN nor a delegation).
 */
int ixdp_app_permit(const struct ixdp_dev *idev)
{
	struct net *net = dev_net(idev->dev);
	int mode = ixdp_apps_mode_get();

	ASSERT_RTNL();
	if (mode == IXDP_APPS_DISABLED)
		return -EPERM;
	if (!net_eq(current->nsproxy->net_ns, net))
		return -EPERM;
	if (mode == IXDP_APPS_DELEGATED && ixdp_app_delegated(idev))
		return 0;
	return ns_capable(net->user_ns, CAP_NET_ADMIN) ? 0 : -EPERM;
}

/**
 * ixdp_app_port_ok() - may the application take @port?
 * @app: the application, set up
 * @port: a TCP port to listen on or a UDP port to bind, network order
 *
 * Called in the run of the bound thread: its credentials now decide.
 *
 * Return: true unless @port is privileged in the device's network
 * namespace and the caller lacks CAP_NET_BIND_SERVICE there.
 */
bool ixdp_app_port_ok(const struct ixdp_app *app, __be16 port)
{
	struct net *net = dev_net(app->core->idev->dev);

	return !inet_port_requires_bind_service(net, be16_to_cpu(port)) ||
	       ns_capable(net->user_ns, CAP_NET_BIND_SERVICE);
}
