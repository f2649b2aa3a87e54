// SPDX-License-Identifier: GPL-2.0
/*
 * The ix tool's view of sysfs: /sys/kernel/ixdp and each device's
 * /sys/class/net/DEV/ixdp.  IX_SYSFS_ROOT, when set, is put in front of
 * /sys, so that the tool can be tested against a tree of plain files.
 * Also say(), the message both ix and ixcp print what they read with.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ix.h"

/* A message on stderr, after "WHERE: ". */
void say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static const char *sysfs_root(void)
{
	const char *root = getenv("IX_SYSFS_ROOT");

	return root ? root : "";
}

void ixdp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/sys/kernel/ixdp/%s", sysfs_root(), name);
}

/* DEV's ixdp attribute @name; DEV's own directory if @name is NULL. */
void dev_path(char *buf, size_t len, const char *dev, const char *name)
{
	if (!name)
		snprintf(buf, len, "%s/sys/class/net/%s", sysfs_root(), dev);
	else
		snprintf(buf, len, "%s/sys/class/net/%s/ixdp/%s",
			 sysfs_root(), dev, name);
}

/*
 * Read @path into @buf without its newline; 0 or -errno, -EOVERFLOW if
 * the value does not fit: a value cut short could be written back.  A
 * text value ends at a NUL, if any (the tests' /dev/full reads as "").
 */
static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n, more;
	char c, *nul;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len);
	more = n == (ssize_t)len ? read(fd, &c, 1) : 0;
	if (n < 0 || more < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	nul = memchr(buf, '\0', n);
	if (nul)
		n = nul - buf;
	else if (more)
		return -EOVERFLOW;
	while (n && buf[n - 1] == '\n')
		n--;
	if (n == (ssize_t)len)
		return -EOVERFLOW;
	buf[n] = '\0';
	return 0;
}

/* Why a read failed with @err, for the admin. */
const char *read_error(int err)
{
	if (err == -EOVERFLOW)
		return "value too long to read whole";
	return strerror(-err);
}

/* Read the ixdp attribute @name; 0 or -errno, quietly. */
int ixdp_read(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	ixdp_path(path, sizeof(path), name);
	return read_file(path, buf, len);
}

int read_attr(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	int err;

	ixdp_path(path, sizeof(path), name);
	err = read_file(path, buf, len);
	if (err == -ENOENT)
		say("%s not found: this kernel has no ixdp (CONFIG_IXDP)\n",
		    path);
	else if (err)
		say("reading %s: %s\n", path, read_error(err));
	return err ? -1 : 0;
}

/* Read DEV's ixdp attribute @name; 0 or -errno, quietly. */
int dev_read(const char *dev, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	dev_path(path, sizeof(path), dev, name);
	return read_file(path, buf, len);
}

/*
 * O_TRUNC is what a shell's "echo > attr" does; sysfs ignores it, and a
 * test's plain file then holds the value alone.
 */
int dev_write(const char *dev, const char *name, const char *val)
{
	char path[PATH_MAX], line[VAL_MAX + 1];
	size_t len;
	int fd, err = 0;

	dev_path(path, sizeof(path), dev, name);
	len = snprintf(line, sizeof(line), "%s\n", val);
	if (len >= sizeof(line))
		return -E2BIG;
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	/* A short write leaves errno as it was: do not report a stale one. */
	errno = 0;
	if (write(fd, line, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

/* Does DEV exist, with ixdp queue ops?  Says why not. */
int dev_check(const char *dev)
{
	char buf[16], path[PATH_MAX];
	int err = dev_read(dev, "attached", buf, sizeof(buf));

	if (!err)
		return 0;
	if (err == -ENOENT) {
		dev_path(path, sizeof(path), dev, NULL);
		if (access(path, F_OK))
			say("no device '%s' (see ip link)\n", dev);
		else
			say("%s's driver cannot hand queues to ixdp\n", dev);
	} else {
		say("%s: %s\n", dev, strerror(-err));
	}
	return -1;
}

/* Call @fn for every netdev with an ixdp directory; returns how many. */
int visit_devs(void (*fn)(const char *dev, void *arg), void *arg)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	int n = 0;
	DIR *d;

	dev_path(dir, sizeof(dir), "", NULL);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		dev_path(path, sizeof(path), de->d_name, "");
		if (access(path, F_OK))
			continue;
		fn(de->d_name, arg);
		n++;
	}
	closedir(d);
	return n;
}

/* Parse a list like 0-2,5 into @set (MAX_CPUS entries); -1 if malformed. */
int parse_list(const char *s, char *set)
{
	char *end;
	long a, b;

	memset(set, 0, MAX_CPUS);
	while (*s && *s != '\n') {
		a = strtol(s, &end, 10);
		if (end == s || a < 0 || a >= MAX_CPUS)
			return -1;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b >= MAX_CPUS)
				return -1;
		}
		while (a <= b)
			set[a++] = 1;
		if (*end == ',')
			end++;
		else if (*end && *end != '\n')
			return -1;
		s = end;
	}
	return 0;
}

/*
 * Write @set (MAX_CPUS entries) as parse_list() reads it, ranges joined:
 * 1-3,5.  0, or -1 if it does not fit in @len.
 */
int format_list(const char *set, char *buf, size_t len)
{
	size_t used = 0;
	int a, b, n;

	buf[0] = '\0';
	for (a = 0; a < MAX_CPUS; a = b + 1) {
		if (!set[a]) {
			b = a;
			continue;
		}
		for (b = a; b + 1 < MAX_CPUS && set[b + 1]; b++)
			;
		n = snprintf(buf + used, len - used, a == b ? "%s%d" : "%s%d-%d",
			     used ? "," : "", a, b);
		if (n < 0 || (size_t)n >= len - used)
			return -1;
		used += n;
	}
	return 0;
}
