// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/ix ABI as seen by an application: structure layout, the
 * version ioctl, and the errors a bad call gets.
 */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <linux/ix.h>

#include "../kselftest_harness.h"

#define IX_DEV		"/dev/ix"
#define IX_SYSFS	"/sys/kernel/ixdp"

TEST(uapi_layout)
{
	EXPECT_EQ(32, sizeof(struct ix_version));
	EXPECT_EQ(0, offsetof(struct ix_version, abi_version));
	EXPECT_EQ(4, offsetof(struct ix_version, features));
	EXPECT_EQ(8, offsetof(struct ix_version, resv));
	EXPECT_EQ(0xb9, _IOC_TYPE(IX_IOC_VERSION));
	EXPECT_EQ(_IOC_READ, _IOC_DIR(IX_IOC_VERSION));
	EXPECT_EQ(sizeof(struct ix_version), _IOC_SIZE(IX_IOC_VERSION));
}

FIXTURE(ixdev) {
	int fd;
};

FIXTURE_SETUP(ixdev)
{
	self->fd = open(IX_DEV, O_RDWR | O_CLOEXEC);
	if (self->fd < 0 && errno == ENOENT)
		SKIP(return, IX_DEV " not present (CONFIG_IXDP off?)");
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", IX_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(ixdev)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * The device node is a misc character device, for root and a group the
 * administrator chooses: who may bind is decided at setup.
 */
TEST_F(ixdev, node)
{
	struct stat st;

	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(10, major(st.st_rdev));
	EXPECT_EQ(0660, st.st_mode & 0777);
}

TEST_F(ixdev, version)
{
	struct ix_version ver;
	unsigned int i;

	memset(&ver, 0xa5, sizeof(ver));
	ASSERT_EQ(0, ioctl(self->fd, IX_IOC_VERSION, &ver));
	EXPECT_EQ(IX_ABI_VERSION, ver.abi_version);
	EXPECT_EQ(IX_FEAT_TCP | IX_FEAT_RUN_SLEEP | IX_FEAT_UDP | IX_FEAT_TIMER |
		  IX_FEAT_TCP_KEEPALIVE | IX_FEAT_ELASTIC | IX_FEAT_MOVED_OUT,
		  ver.features);
	for (i = 0; i < sizeof(ver.resv) / sizeof(ver.resv[0]); i++)
		EXPECT_EQ(0, ver.resv[i]) TH_LOG("resv[%u] not cleared", i);
}

TEST_F(ixdev, version_bad_pointer)
{
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, IX_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, IX_IOC_VERSION, (void *)-4096L));
	EXPECT_EQ(EFAULT, errno);
}

/* Unknown numbers, and a known number with another size, are refused. */
TEST_F(ixdev, unknown_ioctl)
{
	char buf[64] = { 0 };

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IO(IX_IOC_MAGIC, 0x7f), buf));
	EXPECT_EQ(ENOTTY, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(IX_IOC_MAGIC, 0x00, char[16]), buf));
	EXPECT_EQ(ENOTTY, errno);
}

/* /sys/kernel/ixdp/version is the same number as the ioctl's, read-only. */
TEST(sysfs_version)
{
	char buf[32] = { 0 };
	ssize_t n;
	int fd;

	fd = open(IX_SYSFS "/version", O_RDONLY);
	if (fd < 0 && errno == ENOENT)
		SKIP(return, IX_SYSFS " not present (CONFIG_IXDP off?)");
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	EXPECT_EQ('\n', buf[n - 1]);
	EXPECT_EQ(IX_ABI_VERSION, strtoul(buf, NULL, 10));

	errno = 0;
	EXPECT_EQ(-1, open(IX_SYSFS "/version", O_WRONLY));
	EXPECT_EQ(EACCES, errno);
}

TEST_HARNESS_MAIN
