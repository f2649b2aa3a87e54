// SPDX-License-Identifier: GPL-2.0
/*
 * The static file set and the Date header.  A directory's regular files
 * (not its subdirectories, nor names starting with a dot) are read once
 * at start into memory the server gives; each is served at "/NAME", and
 * index.html also at "/".  Without a directory, a built-in set: "/" is
 * 64 bytes of 'x' (what wrk and the benchmarks fetch) and "/hello.txt"
 * a line of text.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

#define BUILTIN_ROOT	64
static const char hello[] = "hello, world\n";

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".html", "text/html" },
	{ ".txt", "text/plain" },
	{ ".css", "text/css" },
	{ ".js", "text/javascript" },
	{ ".json", "application/json" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
};

static const char *type_of(const char *name)
{
	size_t n = strlen(name), e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		e = strlen(types[i].ext);
		if (n > e && !strcmp(name + n - e, types[i].ext))
			return types[i].type;
	}
	return "application/octet-stream";
}

/* A file of @dir the site serves: its size in @size; false to skip it. */
static bool servable(int dfd, const char *name, size_t *size)
{
	struct stat st;

	if (name[0] == '.' || strlen(name) + 2 > HTTP_PATH_MAX)
		return false;
	if (fstatat(dfd, name, &st, 0) || !S_ISREG(st.st_mode) ||
	    st.st_size > HTTP_FILE_MAX)
		return false;
	*size = st.st_size;
	return true;
}

/**
 * http_site_need() - the memory the bodies of a site need
 * @dir: its directory, or NULL for the built-in set
 * @bytes: set to the bytes
 *
 * Return: 0 or -errno.
 */
int http_site_need(const char *dir, size_t *bytes)
{
	struct dirent *de;
	size_t size;
	DIR *d;

	*bytes = BUILTIN_ROOT + sizeof(hello);
	if (!dir)
		return 0;
	d = opendir(dir);
	if (!d)
		return -errno;
	*bytes = 0;
	while ((de = readdir(d)))
		if (servable(dirfd(d), de->d_name, &size))
			*bytes += size;
	closedir(d);
	return 0;
}

static struct http_file *add(struct http_site *s, const char *name,
			     const uint8_t *body, uint32_t len)
{
	struct http_file *f;

	if (s->nfiles == HTTP_FILES_MAX)
		return NULL;
	f = &s->files[s->nfiles++];
	/* servable() checked that the name fits. */
	f->path[0] = '/';
	memcpy(f->path + 1, name, strlen(name) + 1);
	f->type = type_of(name);
	f->body = body;
	f->len = len;
	return f;
}

static int load_builtin(struct http_site *s, uint8_t *mem, size_t len)
{
	if (len < BUILTIN_ROOT + sizeof(hello))
		return -ENOSPC;
	memset(mem, 'x', BUILTIN_ROOT);
	memcpy(mem + BUILTIN_ROOT, hello, sizeof(hello) - 1);
	add(s, "", mem, BUILTIN_ROOT)->type = "text/plain";
	add(s, "hello.txt", mem + BUILTIN_ROOT, sizeof(hello) - 1);
	return 0;
}

static int read_all(int dfd, const char *name, uint8_t *p, size_t len)
{
	int fd = openat(dfd, name, O_RDONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	while (len) {
		n = read(fd, p, len);
		if (n <= 0) {
			/* read()'s errno, before close() can change it */
			err = n ? -errno : -EIO;
			close(fd);
			return err;
		}
		p += n;
		len -= n;
	}
	close(fd);
	return 0;
}

/**
 * http_site_load() - load a site's files
 * @s: the site
 * @dir: the directory, or NULL for the built-in set
 * @mem: where the bodies go; they stay there, and are sent from there
 * @len: its size (http_site_need())
 *
 * Return: 0 or -errno (-ENOSPC: more files or bytes than room).
 */
int http_site_load(struct http_site *s, const char *dir, uint8_t *mem,
		   size_t len)
{
	struct http_file *f;
	struct dirent *de;
	size_t size, at = 0;
	int err = 0;
	DIR *d;

	memset(s, 0, sizeof(*s));
	s->date_sec = -1;
	if (!dir)
		return load_builtin(s, mem, len);
	d = opendir(dir);
	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		if (!servable(dirfd(d), de->d_name, &size))
			continue;
		if (size > len - at) {
			err = -ENOSPC;
			break;
		}
		err = read_all(dirfd(d), de->d_name, mem + at, size);
		if (err)
			break;
		f = add(s, de->d_name, mem + at, size);
		if (f && !strcmp(de->d_name, "index.html"))
			f = add(s, "", mem + at, size);
		if (!f)
			err = -ENOSPC;
		else
			f->type = type_of(de->d_name);
		at += size;
	}
	closedir(d);
	return err;
}

/* The file at @path (@len bytes, not NUL-terminated), or NULL. */
const struct http_file *http_site_find(const struct http_site *s,
				       const char *path, size_t len)
{
	unsigned int i;

	for (i = 0; i < s->nfiles; i++)
		if (!strncmp(s->files[i].path, path, len) &&
		    !s->files[i].path[len])
			return &s->files[i];
	return NULL;
}

/* RFC 9110 5.6.7 IMF-fixdate of @t into @buf (HTTP_DATE_LEN + 1). */
void http_date_format(char *buf, int64_t t)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	time_t tt = t;
	char tmp[80];
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(tmp, sizeof(tmp), "%.3s, %02d %.3s %04d %02d:%02d:%02d GMT",
		 days + 3 * tm.tm_wday, tm.tm_mday, months + 3 * tm.tm_mon,
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	/* Years past 9999 do not fit; the clock is not that far off. */
	memcpy(buf, tmp, HTTP_DATE_LEN);
	buf[HTTP_DATE_LEN] = '\0';
}

/* The clock says @now: format the Date again only if the second moved. */
void http_site_tick(struct http_site *s, int64_t now)
{
	if (now == s->date_sec)
		return;
	http_date_format(s->date, now);
	s->date_sec = now;
	s->date_updates++;
}
