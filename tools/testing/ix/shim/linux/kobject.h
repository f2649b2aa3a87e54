/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: kobjects are only embedded, never used, in the harness. */
#ifndef _IX_SHIM_LINUX_KOBJECT_H
#define _IX_SHIM_LINUX_KOBJECT_H

struct attribute {
	const char	*name;
};

struct kobject {
	const char	*name;
};

#endif /* _IX_SHIM_LINUX_KOBJECT_H */
