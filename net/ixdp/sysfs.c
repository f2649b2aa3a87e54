// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the /sys/kernel/ixdp/ control directory.
 *
 * One value per file.  Documented in
 * Documentation/ABI/testing/sysfs-kernel-ixdp.
 */

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>
#include <uapi/linux/ix.h>

#include "app.h"
#include "ixdp.h"

static struct kobject *ixdp_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", IX_ABI_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return ixdp_cpus_show(buf);
}

static ssize_t cpus_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	cpumask_var_t want;
	int err;

	if (!capable(CAP_NET_ADMIN))
		return -EPERM;
	if (!zalloc_cpumask_var(&want, GFP_KERNEL))
		return -ENOMEM;
	err = cpulist_parse(buf, want);
	if (!err)
		err = ixdp_cpus_set(want);
	free_cpumask_var(want);
	return err ? err : count;
}

static struct kobj_attribute cpus_attr = __ATTR_RW(cpus);

static ssize_t apps_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", ixdp_apps_mode_get());
}

/* Who may bind applications: 0 delegated too, 1 admins only, 2 nobody. */
static ssize_t apps_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	int err, mode;

	err = kstrtoint(buf, 10, &mode);
	if (!err)
		err = ixdp_apps_mode_set(mode);
	return err ? err : count;
}

static struct kobj_attribute apps_attr = __ATTR_RW(apps);

static struct attribute *ixdp_attrs[] = {
	&apps_attr.attr,
	&cpus_attr.attr,
	&version_attr.attr,
	NULL,
};

static const struct attribute_group ixdp_attr_group = {
	.attrs = ixdp_attrs,
};

int __init ixdp_sysfs_init(void)
{
	int err;

	ixdp_kobj = kobject_create_and_add("ixdp", kernel_kobj);
	if (!ixdp_kobj)
		return -ENOMEM;

	err = sysfs_create_group(ixdp_kobj, &ixdp_attr_group);
	if (err)
		goto out_put;

	return 0;

out_put:
	kobject_put(ixdp_kobj);
	ixdp_kobj = NULL;
	return err;
}

void ixdp_sysfs_exit(void)
{
	kobject_put(ixdp_kobj);
	ixdp_kobj = NULL;
}
