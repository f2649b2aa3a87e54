/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTTP/1.1 engine shared by ix_http (libix) and http_sock (epoll):
 * a static file set loaded at start (http_site.c) and the per-connection
 * protocol (http_conn.c).  It does no I/O.
 *
 * What is copied: a request head is parsed in place when it arrives
 * whole in one piece, otherwise it is gathered in the connection's head
 * buffer.  A response head is built per request (its Date changes) in a
 * slot of the connection's header ring, memory the server gives (TX
 * memory for ix_http).  A file body is never copied: every response
 * points at the one copy the site loaded (into TX memory for ix_http).
 */
#ifndef _HTTP_H
#define _HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define HTTP_HEAD_MAX	8192	/* a request head, CRLF CRLF included */
#define HTTP_RESP_MAX	16	/* responses a connection holds */
#define HTTP_HDR_SLOT	256	/* room for one response head */
#define HTTP_HRING	(HTTP_RESP_MAX * HTTP_HDR_SLOT)
#define HTTP_FILES_MAX	64
#define HTTP_PATH_MAX	128
#define HTTP_FILE_MAX	(16U << 20)
#define HTTP_DATE_LEN	29	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define HTTP_CLEN_DIGITS 15	/* longest Content-Length we skip */

/**
 * struct http_file - one file of the site
 * @path: its target, e.g. "/index.html"
 * @type: its Content-Type
 * @body: its bytes, in the memory given to http_site_load()
 * @len: how many
 */
struct http_file {
	char		path[HTTP_PATH_MAX];
	const char	*type;
	const uint8_t	*body;
	uint32_t	len;
};

/**
 * struct http_site - the files served and the clock
 * @files: the files; "/" is one of them if the set has an index.html
 * @nfiles: how many
 * @date: the Date value, IMF-fixdate, NUL-terminated
 * @date_sec: the second @date shows
 * @date_updates: times @date was formatted
 */
struct http_site {
	struct http_file files[HTTP_FILES_MAX];
	unsigned int	nfiles;
	char		date[HTTP_DATE_LEN + 1];
	int64_t		date_sec;
	unsigned long	date_updates;
};

int http_site_need(const char *dir, size_t *bytes);
int http_site_load(struct http_site *s, const char *dir, uint8_t *mem,
		   size_t len);
const struct http_file *http_site_find(const struct http_site *s,
				       const char *path, size_t len);
void http_date_format(char *buf, int64_t t);
void http_site_tick(struct http_site *s, int64_t now);

/**
 * struct http_resp - one response queued
 * @hdr: its head, in a slot of the header ring
 * @hlen: its length
 * @body: its body (a file's bytes), or NULL
 * @blen: its length (0 for HEAD and errors)
 */
struct http_resp {
	const uint8_t	*hdr;
	uint32_t	hlen;
	const uint8_t	*body;
	uint32_t	blen;
};

/**
 * struct http_conn - the protocol state of one connection
 * @site: what it serves
 * @hring: HTTP_HRING bytes for response heads, the server's
 * @closing: no more requests are read; close once the output is out
 * @skip: request body bytes still to skip
 * @resp: the responses, a ring: from @rel (not released) through @sent
 *	(not wholly consumed) to @end
 * @end: see @resp (counts, not indices)
 * @sent: see @resp
 * @rel: see @resp
 * @sent_off: bytes of resp @sent consumed
 * @rel_off: bytes of resp @rel released
 * @pending: bytes not consumed
 * @nreq: requests answered 2xx
 * @nerr: requests answered 4xx or 5xx
 * @hlen: bytes in @head
 * @head: a request head gathered across pieces
 */
struct http_conn {
	const struct http_site *site;
	uint8_t		*hring;
	bool		closing;
	uint64_t	skip;
	struct http_resp resp[HTTP_RESP_MAX];
	uint32_t	end;
	uint32_t	sent;
	uint32_t	rel;
	uint32_t	sent_off;
	uint32_t	rel_off;
	uint64_t	pending;
	unsigned long	nreq;
	unsigned long	nerr;
	uint32_t	hlen;
	char		head[HTTP_HEAD_MAX];
};

void http_conn_init(struct http_conn *c, const struct http_site *site,
		    uint8_t *hring);
size_t http_conn_input(struct http_conn *c, const uint8_t *p, size_t len);
unsigned int http_conn_peek(const struct http_conn *c, struct iovec *iov,
			    unsigned int n);
void http_conn_consume(struct http_conn *c, uint64_t bytes);
void http_conn_release(struct http_conn *c, uint64_t bytes);

/* No room for another response: input waits until some is released. */
static inline bool http_conn_blocked(const struct http_conn *c)
{
	return c->end - c->rel == HTTP_RESP_MAX;
}

/* Close now: no more requests and nothing left to send. */
static inline bool http_conn_done(const struct http_conn *c)
{
	return c->closing && !c->pending;
}

#endif /* _HTTP_H */
