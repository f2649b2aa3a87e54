// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the /dev/ix character device and its ioctls.
 */

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>
#include <uapi/linux/ix.h>

#include "ixdp.h"

static_assert(sizeof(struct ix_version) == 32);

static long ixdp_ioctl_version(void __user *arg)
{
	struct ix_version ver = {
		.abi_version	= IX_ABI_VERSION,
	};

	if (copy_to_user(arg, &ver, sizeof(ver)))
		return -EFAULT;
	return 0;
}

static long ixdp_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case IX_IOC_VERSION:
		return ixdp_ioctl_version(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ixdp_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= ixdp_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice ixdp_miscdev = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "ix",
	.fops		= &ixdp_fops,
	.mode		= 0666,
};

int __init ixdp_dev_init(void)
{
	return misc_register(&ixdp_miscdev);
}

void ixdp_dev_exit(void)
{
	misc_deregister(&ixdp_miscdev);
}
