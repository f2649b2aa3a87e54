/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ix.h - the ixdp application ABI: ioctls and shared structures of /dev/ix.
 *
 * Every structure here has a fixed size and explicit padding; there are
 * no pointers, longs, enums or bitfields.  Fields marked reserved must be
 * zero on input and are zero on output, so that they can be given a
 * meaning later without breaking old binaries.
 */
#ifndef _UAPI_LINUX_IX_H
#define _UAPI_LINUX_IX_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * IX_ABI_VERSION - the version of this ABI.
 *
 * Raised when a change breaks binaries built against an older header.
 * Additions that old binaries cannot notice (new commands, new feature
 * bits, new fields at the tail of a structure keyed by its size) do not
 * raise it; they are announced in &struct ix_version.features.
 */
#define IX_ABI_VERSION		1

/* ioctl magic of /dev/ix (listed in ioctl-number.rst). */
#define IX_IOC_MAGIC		0xb9

/**
 * struct ix_version - result of %IX_IOC_VERSION
 * @abi_version: the kernel's %IX_ABI_VERSION
 * @features: %IX_FEAT_* bits the kernel supports (none are defined yet)
 * @resv: reserved, written as zero by the kernel
 */
struct ix_version {
	__u32	abi_version;
	__u32	features;
	__u32	resv[6];
};

/*
 * IX_IOC_VERSION - read the ABI version and feature bits.
 *
 * Takes no input and cannot fail except with -EFAULT for a bad pointer.
 * An application should check abi_version == IX_ABI_VERSION first.
 */
#define IX_IOC_VERSION		_IOR(IX_IOC_MAGIC, 0x00, struct ix_version)

#endif /* _UAPI_LINUX_IX_H */
