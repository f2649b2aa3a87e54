// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the /dev/ix character device: open, ioctls, mmap, release.
 *
 * Each open file is one application context (app.c); its arguments are
 * copied in and out here, and nothing else touches user memory.
 */

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <uapi/linux/ix.h>

#include "app.h"
#include "ixdp.h"

static_assert(sizeof(struct ix_version) == 32);
static_assert(sizeof(struct ix_ring_offsets) == 32);
static_assert(sizeof(struct ix_setup) == 136);
static_assert(sizeof(struct ix_run) == 32);
static_assert(sizeof(struct ix_cmd) == 64);
static_assert(offsetof(struct ix_cmd, result) == 56);
static_assert(sizeof(struct ix_iov) == 16);
static_assert(sizeof(struct ix_event) == 32);
static_assert(offsetof(struct ix_event, data) == 24);

static long ixdp_ioctl_version(void __user *arg)
{
	struct ix_version ver = {
		.abi_version	= IX_ABI_VERSION,
		.features	= IXDP_FEATURES,
	};

	if (copy_to_user(arg, &ver, sizeof(ver)))
		return -EFAULT;
	return 0;
}

static long ixdp_ioctl_setup(struct ixdp_app *app, void __user *arg)
{
	struct ix_setup p;
	int err;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	/* Refuse before binding, not after, if the answer cannot be written. */
	if (copy_to_user(arg, &p, sizeof(p)))
		return -EFAULT;
	err = ixdp_app_setup(app, &p);
	if (err)
		return err;
	if (copy_to_user(arg, &p, sizeof(p))) {
		/* Unmapped meanwhile: leave no binding nobody learnt of. */
		ixdp_app_unsetup(app);
		return -EFAULT;
	}
	return 0;
}

static long ixdp_ioctl_run(struct ixdp_app *app, void __user *arg)
{
	struct ix_run r;
	int err;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	err = ixdp_app_run(app, &r);
	if (err)
		return err;
	if (copy_to_user(arg, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

static long ixdp_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct ixdp_app *app = file->private_data;

	switch (cmd) {
	case IX_IOC_VERSION:
		return ixdp_ioctl_version(uarg);
	case IX_IOC_SETUP:
		return ixdp_ioctl_setup(app, uarg);
	case IX_IOC_RUN:
		return ixdp_ioctl_run(app, uarg);
	default:
		return -ENOTTY;
	}
}

static int ixdp_open(struct inode *inode, struct file *file)
{
	struct ixdp_app *app;

	app = __vmalloc(sizeof(*app), GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!app)
		return -ENOMEM;
	if (!zalloc_cpumask_var(&app->saved_mask, GFP_KERNEL_ACCOUNT)) {
		vfree(app);
		return -ENOMEM;
	}
	mutex_init(&app->setup_lock);
	mutex_init(&app->lock);
	INIT_LIST_HEAD(&app->standby);
	file->private_data = app;
	return nonseekable_open(inode, file);
}

static int ixdp_release(struct inode *inode, struct file *file)
{
	struct ixdp_app *app = file->private_data;

	ixdp_app_release(app);
	free_cpumask_var(app->saved_mask);
	mutex_destroy(&app->lock);
	mutex_destroy(&app->setup_lock);
	vfree(app);
	return 0;
}

static int ixdp_mmap(struct file *file, struct vm_area_struct *vma)
{
	return ixdp_app_mmap(file->private_data, vma);
}

static const struct file_operations ixdp_fops = {
	.owner		= THIS_MODULE,
	.open		= ixdp_open,
	.release	= ixdp_release,
	.unlocked_ioctl	= ixdp_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= ixdp_mmap,
};

static struct miscdevice ixdp_miscdev = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "ix",
	.fops		= &ixdp_fops,
	.mode		= 0660,
};

int __init ixdp_dev_init(void)
{
	return misc_register(&ixdp_miscdev);
}

void ixdp_dev_exit(void)
{
	misc_deregister(&ixdp_miscdev);
}
