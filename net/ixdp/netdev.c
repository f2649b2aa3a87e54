// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: /sys/class/net/<dev>/ixdp/, for every netdev whose driver has
 * ixdp ops: the configuration, the attach switch and the counters.
 *
 * Every file holds one value (Documentation/ABI/testing/sysfs-kernel-ixdp).
 * Configuration can change only while detached (EBUSY otherwise), but for
 * the CPU set, which scales an attached device (scale.c).  A
 * device going down or away is detached first.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/inet.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>

#include "dp.h"
#include "ixdp.h"
#include "tcp.h"

/* Devices with an ixdp directory; changed under RTNL. */
static LIST_HEAD(ixdp_devs);

struct ixdp_dev_node {
	struct list_head	node;
	struct ixdp_dev		*idev;
};

#define to_ixdp_attr(a)	container_of(a, struct ixdp_attr, attr)

static ssize_t ixdp_attr_show(struct kobject *kobj, struct attribute *attr,
			      char *buf)
{
	struct ixdp_attr *a = to_ixdp_attr(attr);
	ssize_t ret;

	if (!rtnl_trylock())
		return restart_syscall();
	ret = a->show(to_ixdp_dev(kobj), buf);
	rtnl_unlock();
	return ret;
}

static ssize_t ixdp_attr_store(struct kobject *kobj, struct attribute *attr,
			       const char *buf, size_t count)
{
	struct ixdp_attr *a = to_ixdp_attr(attr);
	struct ixdp_dev *idev = to_ixdp_dev(kobj);
	int err;

	if (!a->store)
		return -EACCES;
	/* As net-sysfs's netdev_store(): the device's admins only. */
	if (!ns_capable(dev_net(idev->dev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (!rtnl_trylock())
		return restart_syscall();
	err = a->store(idev, buf);
	rtnl_unlock();
	return err ? err : count;
}

static const struct sysfs_ops ixdp_sysfs_ops = {
	.show	= ixdp_attr_show,
	.store	= ixdp_attr_store,
};

/* Configuration is fixed while attached. */
static int ixdp_config_check(struct ixdp_dev *idev)
{
	return idev->attached ? -EBUSY : 0;
}

static ssize_t queues_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%*pbl\n", IXDP_MAX_QUEUES, idev->queues);
}

static int queues_store(struct ixdp_dev *idev, const char *buf)
{
	DECLARE_BITMAP(q, IXDP_MAX_QUEUES);
	int err = ixdp_config_check(idev);

	if (!err)
		err = bitmap_parselist(buf, q, IXDP_MAX_QUEUES);
	if (err)
		return err;
	if (!bitmap_empty(q, IXDP_MAX_QUEUES) &&
	    find_last_bit(q, IXDP_MAX_QUEUES) >= idev->dev->real_num_rx_queues)
		return -ERANGE;
	bitmap_copy(idev->queues, q, IXDP_MAX_QUEUES);
	return 0;
}

static ssize_t cpus_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&idev->cpus));
}

/* While attached, the cores serving the device change (scale.c). */
static int cpus_store(struct ixdp_dev *idev, const char *buf)
{
	cpumask_var_t want;
	int err;

	if (!zalloc_cpumask_var(&want, GFP_KERNEL))
		return -ENOMEM;
	err = cpulist_parse(buf, want);
	if (!err && cpumask_weight(want) > IXDP_MAX_QUEUES)
		err = -E2BIG;
	if (!err && idev->attached)
		err = ixdp_dev_scale(idev, want);
	else if (!err)
		cpumask_copy(&idev->cpus, want);
	free_cpumask_var(want);
	return err;
}

static ssize_t addr_show(struct ixdp_dev *idev, char *buf)
{
	if (!idev->addr)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%pI4/%u\n", &idev->addr, idev->prefix_len);
}

/* "A.B.C.D/P", or an empty line for none. */
static int addr_store(struct ixdp_dev *idev, const char *buf)
{
	const char *end;
	__be32 addr;
	u8 prefix;
	int err = ixdp_config_check(idev);

	if (err)
		return err;
	if (*buf == '\n' || !*buf) {
		idev->addr = 0;
		return 0;
	}
	if (!in4_pton(buf, -1, (u8 *)&addr, '/', &end) || *end != '/')
		return -EINVAL;
	err = kstrtou8(end + 1, 10, &prefix);
	if (err)
		return err;
	if (!prefix || prefix > 32 || ipv4_is_multicast(addr) ||
	    ipv4_is_zeronet(addr) || ipv4_is_lbcast(addr))
		return -EINVAL;
	idev->addr = addr;
	idev->prefix_len = prefix;
	return 0;
}

static ssize_t gateway_show(struct ixdp_dev *idev, char *buf)
{
	if (!idev->gateway)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%pI4\n", &idev->gateway);
}

static int gateway_store(struct ixdp_dev *idev, const char *buf)
{
	__be32 gw;
	int err = ixdp_config_check(idev);

	if (err)
		return err;
	if (*buf == '\n' || !*buf) {
		idev->gateway = 0;
		return 0;
	}
	if (!in4_pton(buf, -1, (u8 *)&gw, '\n', NULL) ||
	    ipv4_is_multicast(gw) || ipv4_is_zeronet(gw))
		return -EINVAL;
	idev->gateway = gw;
	return 0;
}

static ssize_t batch_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%u\n", idev->batch);
}

/* A count of the configuration, set while detached: 1 to @max. */
static int ixdp_count_store(struct ixdp_dev *idev, const char *buf,
			    unsigned int max, unsigned int *count)
{
	unsigned int n;
	int err = ixdp_config_check(idev);

	if (!err)
		err = kstrtouint(buf, 10, &n);
	if (err)
		return err;
	if (!n || n > max)
		return -ERANGE;
	*count = n;
	return 0;
}

static int batch_store(struct ixdp_dev *idev, const char *buf)
{
	return ixdp_count_store(idev, buf, IXDP_BATCH_MAX, &idev->batch);
}

static ssize_t punt_rate_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%u\n", idev->punt_rate);
}

/*
 * Frames a second each core hands to Linux, 0 (none: Linux loses the
 * device's traffic while attached) to IXDP_PUNT_RATE_MAX.
 */
static int punt_rate_store(struct ixdp_dev *idev, const char *buf)
{
	unsigned int rate;
	int err = ixdp_config_check(idev);

	if (!err)
		err = kstrtouint(buf, 10, &rate);
	if (err)
		return err;
	if (rate > IXDP_PUNT_RATE_MAX)
		return -ERANGE;
	idev->punt_rate = rate;
	return 0;
}

static ssize_t echo_port_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%u\n", be16_to_cpu(idev->echo_port));
}

/* The echo service's port (TCP and UDP), 0 for none. */
static int echo_port_store(struct ixdp_dev *idev, const char *buf)
{
	u16 port;
	int err = ixdp_config_check(idev);

	if (!err)
		err = kstrtou16(buf, 10, &port);
	if (err)
		return err;
	idev->echo_port = cpu_to_be16(port);
	return 0;
}

static ssize_t max_conns_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%u\n", idev->max_conns);
}

/* TCP connections each core can hold, 1 to IXDP_TCP_PCBS_MAX. */
static int max_conns_store(struct ixdp_dev *idev, const char *buf)
{
	return ixdp_count_store(idev, buf, IXDP_TCP_PCBS_MAX,
				&idev->max_conns);
}

static ssize_t syn_retries_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%u\n", idev->syn_retries);
}

/* Retransmissions of an unanswered SYN or SYN-ACK, 1 to 127. */
static int syn_retries_store(struct ixdp_dev *idev, const char *buf)
{
	return ixdp_count_store(idev, buf, IXDP_TCP_SYN_RETRIES_MAX,
				&idev->syn_retries);
}

/* A switch of the configuration, set while detached: 0/1, n/y, off/on. */
static int ixdp_switch_store(struct ixdp_dev *idev, const char *buf,
			     bool *sw)
{
	int err = ixdp_config_check(idev);
	bool on;

	if (!err)
		err = kstrtobool(buf, &on);
	if (err)
		return err;
	*sw = on;
	return 0;
}

static ssize_t tx_csum_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%d\n", idev->tx_csum);
}

/*
 * 1: TCP checksums are left to the device where its queues offer it
 * (IXDP_DRV_F_TX_CSUM); 0: always computed by the stack.
 */
static int tx_csum_store(struct ixdp_dev *idev, const char *buf)
{
	return ixdp_switch_store(idev, buf, &idev->tx_csum);
}

static ssize_t tx_sg_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%d\n", idev->tx_sg);
}

/*
 * 1: TCP payloads go to the device from where the sender keeps them,
 * where its queues take frames in pieces (IXDP_DRV_F_SG); 0: copied
 * behind the headers.
 */
static int tx_sg_store(struct ixdp_dev *idev, const char *buf)
{
	return ixdp_switch_store(idev, buf, &idev->tx_sg);
}

static ssize_t linux_share_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%d\n", idev->linux_share);
}

/*
 * 1: Linux keeps its own traffic on the attached queues (the cores hand
 * it what is not theirs, at most punt_rate a second, and send what it
 * sends); 0: they are the dataplane's alone, as in IX.
 */
static int linux_share_store(struct ixdp_dev *idev, const char *buf)
{
	return ixdp_switch_store(idev, buf, &idev->linux_share);
}

static ssize_t steer_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%d\n", idev->steer_on);
}

/*
 * 1: at attach, a device attached in part is asked to sort the
 * dataplane's frames to its queues and Linux's to Linux's by n-tuple
 * rules and its indirection table (steer.c); 0: the intake and the slow
 * path sort in software alone.
 */
static int steer_store(struct ixdp_dev *idev, const char *buf)
{
	return ixdp_switch_store(idev, buf, &idev->steer_on);
}

/* What steering does: off, waiting for the attach, on, or why not. */
static ssize_t steer_state_show(struct ixdp_dev *idev, char *buf)
{
	if (!idev->steer_on)
		return sysfs_emit(buf, "off\n");
	if (!idev->attached)
		return sysfs_emit(buf, "at attach\n");
	if (idev->steer.active)
		return sysfs_emit(buf, "on: %u rule%s\n", idev->steer.nrules,
				  idev->steer.nrules == 1 ? "" : "s");
	return sysfs_emit(buf, "not steering: %s\n",
			  idev->steer.why ?: "unknown");
}

static ssize_t owner_show(struct ixdp_dev *idev, char *buf)
{
	if (!uid_valid(idev->owner))
		return sysfs_emit(buf, "-1\n");
	return sysfs_emit(buf, "%u\n", from_kuid_munged(current_user_ns(),
							idev->owner));
}

/*
 * Delegation (app_perm.c): the user, or with group the group, that may
 * bind applications to the device without CAP_NET_ADMIN; -1 for none.
 * Changed at any time; bindings that stand keep standing.
 */
static int owner_store(struct ixdp_dev *idev, const char *buf)
{
	kuid_t owner = INVALID_UID;
	int err, id;

	err = kstrtoint(buf, 10, &id);
	if (err)
		return err;
	if (id != -1) {
		owner = make_kuid(current_user_ns(), id);
		if (!uid_valid(owner))
			return -EINVAL;
	}
	idev->owner = owner;
	return 0;
}

static ssize_t group_show(struct ixdp_dev *idev, char *buf)
{
	if (!gid_valid(idev->group))
		return sysfs_emit(buf, "-1\n");
	return sysfs_emit(buf, "%u\n", from_kgid_munged(current_user_ns(),
							idev->group));
}

static int group_store(struct ixdp_dev *idev, const char *buf)
{
	kgid_t group = INVALID_GID;
	int err, id;

	err = kstrtoint(buf, 10, &id);
	if (err)
		return err;
	if (id != -1) {
		group = make_kgid(current_user_ns(), id);
		if (!gid_valid(group))
			return -EINVAL;
	}
	idev->group = group;
	return 0;
}

static ssize_t connect_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "\n");
}

/*
 * "A.B.C.D:PORT": ask a core to open an echoed TCP connection, each core
 * in turn, skipping those an application drives or that have a request
 * pending (-EBUSY if all do).  The outcome shows in the counters
 * (tcp_connected, tcp_connect_failed).
 */
static int connect_store(struct ixdp_dev *idev, const char *buf)
{
	struct ixdp_core *core;
	unsigned int i, c;
	const char *end;
	__be32 addr;
	u16 port;
	int err;

	if (!idev->attached)
		return -ENOTCONN;
	if (!in4_pton(buf, -1, (u8 *)&addr, ':', &end) || *end != ':')
		return -EINVAL;
	err = kstrtou16(end + 1, 10, &port);
	if (err || !port)
		return err ? err : -EINVAL;
	for (i = 0; i < idev->ncores; i++) {
		c = (idev->next_connect + i) % idev->ncores;
		core = idev->cores[c];
		/* The echo service is the kernel loop's; an application has it. */
		if (core->app)
			continue;
		/* Busy with the previous request: try the next core. */
		if (cmpxchg(&core->connect_req, 0,
			    (u64)(__force u32)addr << 32 |
			    (__force u16)cpu_to_be16(port)))
			continue;
		wake_up_process(core->task);
		idev->next_connect = c + 1;
		return 0;
	}
	return -EBUSY;
}

static ssize_t attached_show(struct ixdp_dev *idev, char *buf)
{
	return sysfs_emit(buf, "%d\n", idev->attached);
}

static int attached_store(struct ixdp_dev *idev, const char *buf)
{
	bool on;
	int err = kstrtobool(buf, &on);

	if (err || on == idev->attached)
		return err;
	if (!on) {
		ixdp_dev_detach(idev);
		return 0;
	}
	return ixdp_dev_attach(idev);
}

#define IXDP_ATTR_RW(_name)						\
	static struct ixdp_attr ixdp_attr_##_name =			\
		__ATTR(_name, 0644, _name##_show, _name##_store)

IXDP_ATTR_RW(queues);
IXDP_ATTR_RW(cpus);
IXDP_ATTR_RW(addr);
IXDP_ATTR_RW(gateway);
IXDP_ATTR_RW(batch);
IXDP_ATTR_RW(attached);
IXDP_ATTR_RW(echo_port);
IXDP_ATTR_RW(max_conns);
IXDP_ATTR_RW(syn_retries);
IXDP_ATTR_RW(tx_csum);
IXDP_ATTR_RW(tx_sg);
IXDP_ATTR_RW(punt_rate);
IXDP_ATTR_RW(steer);
IXDP_ATTR_RW(owner);
IXDP_ATTR_RW(group);
/* Spelt out: the compiler predefines "linux" as a macro. */
static struct ixdp_attr ixdp_attr_linux_share = {
	.attr	= { .name = "linux", .mode = 0644 },
	.show	= linux_share_show,
	.store	= linux_share_store,
};

static struct ixdp_attr ixdp_attr_steer_state = __ATTR_RO(steer_state);

static struct ixdp_attr ixdp_attr_connect =
	__ATTR(connect, 0200, connect_show, connect_store);

static struct attribute *ixdp_dev_attrs[] = {
	&ixdp_attr_queues.attr,
	&ixdp_attr_cpus.attr,
	&ixdp_attr_addr.attr,
	&ixdp_attr_gateway.attr,
	&ixdp_attr_batch.attr,
	&ixdp_attr_attached.attr,
	&ixdp_attr_echo_port.attr,
	&ixdp_attr_max_conns.attr,
	&ixdp_attr_syn_retries.attr,
	&ixdp_attr_tx_csum.attr,
	&ixdp_attr_tx_sg.attr,
	&ixdp_attr_punt_rate.attr,
	&ixdp_attr_linux_share.attr,
	&ixdp_attr_steer.attr,
	&ixdp_attr_steer_state.attr,
	&ixdp_attr_owner.attr,
	&ixdp_attr_group.attr,
	&ixdp_attr_connect.attr,
	NULL,
};

static const struct attribute_group ixdp_dev_group = {
	.attrs	= ixdp_dev_attrs,
};

static const struct attribute_group *ixdp_dev_groups[] = {
	&ixdp_dev_group,
	NULL,
};

static void ixdp_dev_release(struct kobject *kobj)
{
	kfree(to_ixdp_dev(kobj));
}

static const struct kobj_type ixdp_dev_ktype = {
	.release	= ixdp_dev_release,
	.sysfs_ops	= &ixdp_sysfs_ops,
	.default_groups	= ixdp_dev_groups,
};

static struct ixdp_dev_node *ixdp_dev_find(struct net_device *dev)
{
	struct ixdp_dev_node *n;

	list_for_each_entry(n, &ixdp_devs, node)
		if (n->idev->dev == dev)
			return n;
	return NULL;
}

static int ixdp_dev_new(struct net_device *dev)
{
	const struct ixdp_drv_ops *ops = ixdp_drv_ops(dev);
	struct ixdp_dev_node *n;
	struct ixdp_dev *idev;
	int err;

	if (!ops || ixdp_dev_find(dev))
		return 0;
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	idev = kzalloc(sizeof(*idev), GFP_KERNEL);
	if (!n || !idev) {
		kfree(n);
		kfree(idev);
		return -ENOMEM;
	}
	idev->dev = dev;
	idev->ops = ops;
	INIT_LIST_HEAD(&idev->standby);
	idev->batch = IXDP_BATCH_DEFAULT;
	idev->max_conns = IXDP_TCP_PCBS;
	idev->syn_retries = IXDP_TCP_SYN_RETRIES;
	idev->tx_csum = true;
	idev->tx_sg = true;
	idev->punt_rate = IXDP_PUNT_RATE_DEFAULT;
	idev->linux_share = true;
	idev->owner = INVALID_UID;
	idev->group = INVALID_GID;
	err = kobject_init_and_add(&idev->kobj, &ixdp_dev_ktype,
				   &dev->dev.kobj, "ixdp");
	if (err)
		goto out_put;
	idev->stats_kobj = ixdp_stats_dir_add(idev);
	if (IS_ERR(idev->stats_kobj)) {
		err = PTR_ERR(idev->stats_kobj);
		goto out_put;
	}
	n->idev = idev;
	list_add(&n->node, &ixdp_devs);
	return 0;

out_put:
	kobject_put(&idev->kobj);
	kfree(n);
	return err;
}

/* Give @dev its directory if a driver's ops drive it; warn if none can be. */
static void ixdp_dev_add(struct net_device *dev)
{
	int err = ixdp_dev_new(dev);

	if (err)
		netdev_warn(dev, "ixdp: no control directory (%d)\n", err);
}

static void ixdp_dev_del(struct ixdp_dev_node *n)
{
	if (n->idev->attached)
		ixdp_dev_detach(n->idev);
	list_del(&n->node);
	ixdp_stats_dir_del(n->idev->stats_kobj);
	kobject_del(&n->idev->kobj);
	kobject_put(&n->idev->kobj);
	kfree(n);
}

/* Set, under RTNL, once a device that registers is given a directory. */
static bool ixdp_netdev_ready;

/**
 * ixdp_netdev_drv_added() - give a directory to the devices that a driver
 *	whose ops just registered drives already
 *
 * A driver's ops may come in a module loaded after its devices
 * registered (virtio_net's, virtio_net_ixdp).  Before ixdp's own init,
 * which adds the devices there are then, nothing is done.
 */
void ixdp_netdev_drv_added(void)
{
	struct net_device *dev;
	struct net *net;

	rtnl_lock();
	if (!ixdp_netdev_ready)
		goto out;
	down_read(&net_rwsem);
	for_each_net(net) {
		for_each_netdev(net, dev)
			ixdp_dev_add(dev);
	}
	up_read(&net_rwsem);
out:
	rtnl_unlock();
}

/**
 * ixdp_netdev_drv_gone() - forget every device driven through @ops
 * @ops: ops being unregistered (their module may be going away)
 *
 * Attached devices are detached first.
 */
void ixdp_netdev_drv_gone(const struct ixdp_drv_ops *ops)
{
	struct ixdp_dev_node *n, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(n, tmp, &ixdp_devs, node)
		if (n->idev->ops == ops)
			ixdp_dev_del(n);
	rtnl_unlock();
}

static int ixdp_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ixdp_dev_node *n;

	switch (event) {
	case NETDEV_REGISTER:
		ixdp_dev_add(dev);
		break;
	case NETDEV_GOING_DOWN:
		n = ixdp_dev_find(dev);
		if (n && n->idev->attached) {
			netdev_info(dev, "ixdp: going down, detaching\n");
			ixdp_dev_detach(n->idev);
		}
		break;
	case NETDEV_UNREGISTER:
		n = ixdp_dev_find(dev);
		if (n)
			ixdp_dev_del(n);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block ixdp_netdev_nb = {
	.notifier_call	= ixdp_netdev_event,
};

int __init ixdp_netdev_init(void)
{
	ixdp_stats_init();
	/* A driver's ops registering from now on add their devices too. */
	rtnl_lock();
	ixdp_netdev_ready = true;
	rtnl_unlock();
	return register_netdevice_notifier(&ixdp_netdev_nb);
}
