// SPDX-License-Identifier: GPL-2.0
/*
 * One HTTP/1.1 connection (RFC 9110, 9112): request heads in, responses
 * out, pipelined.  GET and HEAD of a site file answer 200; a target not
 * in the site 404; another method 405 (its Content-Length body skipped);
 * a malformed head, or an HTTP/1.1 one without exactly one Host, 400; a
 * head over HTTP_HEAD_MAX 431; a version other than 1.0 and 1.1 505; a
 * Transfer-Encoding (a chunked body, say) 501, as we cannot find the
 * body's end without decoding it.  400, 431, 501 and 505 end the
 * connection after their response, as do "Connection: close" and
 * HTTP/1.0 without "Connection: keep-alive".
 */

#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "http.h"

enum {
	ST_200, ST_400, ST_404, ST_405, ST_431, ST_501, ST_505,
};

static const char *const status_line[] = {
	[ST_200] = "HTTP/1.1 200 OK\r\n",
	[ST_400] = "HTTP/1.1 400 Bad Request\r\n",
	[ST_404] = "HTTP/1.1 404 Not Found\r\n",
	[ST_405] = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n",
	[ST_431] = "HTTP/1.1 431 Request Header Fields Too Large\r\n",
	[ST_501] = "HTTP/1.1 501 Not Implemented\r\n",
	[ST_505] = "HTTP/1.1 505 HTTP Version Not Supported\r\n",
};

/* What a request head said. */
struct req {
	const char	*method;
	size_t		mlen;
	const char	*target;
	size_t		tlen;
	int		minor;		/* HTTP/1.minor */
	int		hosts;
	bool		close;
	bool		keep_alive;
	bool		te;
	bool		has_clen;
	uint64_t	clen;
};

void http_conn_init(struct http_conn *c, const struct http_site *site,
		    uint8_t *hring)
{
	memset(c, 0, offsetof(struct http_conn, head));
	c->site = site;
	c->hring = hring;
}

static bool tchar(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static bool is_name(const char *p, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(p, name, n);
}

/* Does the comma-separated list @v (@n bytes) hold token @tok? */
static bool has_token(const char *v, size_t n, const char *tok)
{
	size_t t = strlen(tok), i = 0, s;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i - s == t && !strncasecmp(v + s, tok, t))
			return true;
	}
	return false;
}

/* Content-Length: 1*DIGIT; a repeat must say the same. */
static bool content_length(struct req *r, const char *v, size_t n)
{
	uint64_t x = 0;
	size_t i;

	if (!n || n > HTTP_CLEN_DIGITS)
		return false;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (v[i] - '0');
	}
	if (r->has_clen && r->clen != x)
		return false;
	r->has_clen = true;
	r->clen = x;
	return true;
}

/* One field line, @p[0..@n) without its CRLF; false if malformed. */
static bool field(struct req *r, const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	size_t name, i, e, k;

	if (!colon || colon == p)
		return false;	/* also obs-fold: a line starting with SP */
	name = colon - p;
	for (i = 0; i < name; i++)
		if (!tchar(p[i]))
			return false;
	i = name + 1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	e = n;
	while (e > i && (p[e - 1] == ' ' || p[e - 1] == '\t'))
		e--;
	for (k = i; k < e; k++)
		if (((unsigned char)p[k] < ' ' && p[k] != '\t') || p[k] == 0x7f)
			return false;
	if (is_name(p, name, "host")) {
		r->hosts++;
	} else if (is_name(p, name, "connection")) {
		r->close |= has_token(p + i, e - i, "close");
		r->keep_alive |= has_token(p + i, e - i, "keep-alive");
	} else if (is_name(p, name, "content-length")) {
		return content_length(r, p + i, e - i);
	} else if (is_name(p, name, "transfer-encoding")) {
		r->te = true;
	}
	return true;
}

/* method SP request-target SP HTTP-version; -1 malformed, else a status. */
static int request_line(struct req *r, const char *p, size_t n)
{
	const char *sp1 = memchr(p, ' ', n), *sp2;
	size_t i;

	if (!sp1 || sp1 == p)
		return -1;
	r->method = p;
	r->mlen = sp1 - p;
	for (i = 0; i < r->mlen; i++)
		if (!tchar(p[i]))
			return -1;
	r->target = sp1 + 1;
	sp2 = memchr(r->target, ' ', n - r->mlen - 1);
	if (!sp2 || sp2 == r->target)
		return -1;
	r->tlen = sp2 - r->target;
	for (i = 0; i < r->tlen; i++)
		if ((unsigned char)r->target[i] <= ' ' || r->target[i] == 0x7f)
			return -1;
	p = sp2 + 1;
	n -= p - r->method;
	if (n != 8 || memcmp(p, "HTTP/", 5) || p[6] != '.' ||
	    p[5] < '0' || p[5] > '9' || p[7] < '0' || p[7] > '9')
		return -1;
	if (p[5] != '1' || p[7] > '1')
		return ST_505;
	r->minor = p[7] - '0';
	return ST_200;
}

/* The path of an origin-form or absolute-form target, query cut off. */
static void path_of(const struct req *r, const char **path, size_t *len)
{
	const char *p = r->target, *end = r->target + r->tlen, *q;

	if (r->tlen > 7 && !strncasecmp(p, "http://", 7)) {
		q = memchr(p + 7, '/', end - p - 7);
		p = q ? q : "/";
		end = q ? end : p + 1;
	}
	q = memchr(p, '?', end - p);
	*path = p;
	*len = (q ? q : end) - p;
}

static char *put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

static char *put_u(char *o, uint64_t v)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*o++ = d[--n];
	return o;
}

/* Queue a response; the caller checked there is room. */
static void respond(struct http_conn *c, int st, const struct http_file *f,
		    bool head_only, bool keep10)
{
	struct http_resp *rs = &c->resp[c->end % HTTP_RESP_MAX];
	char *slot = (char *)c->hring + (c->end % HTTP_RESP_MAX) * HTTP_HDR_SLOT;
	const char *s = status_line[st];
	char *o = slot;

	o = put(o, s, strlen(s));
	o = put(o, "Server: ix_http\r\nDate: ", 23);
	o = put(o, c->site->date, HTTP_DATE_LEN);
	o = put(o, "\r\n", 2);
	if (f) {
		o = put(o, "Content-Type: ", 14);
		o = put(o, f->type, strlen(f->type));
		o = put(o, "\r\n", 2);
	}
	o = put(o, "Content-Length: ", 16);
	o = put_u(o, f ? f->len : 0);
	if (c->closing)
		o = put(o, "\r\nConnection: close", 19);
	else if (keep10)
		o = put(o, "\r\nConnection: keep-alive", 24);
	o = put(o, "\r\n\r\n", 4);
	rs->hdr = (const uint8_t *)slot;
	rs->hlen = o - slot;
	rs->body = f && !head_only ? f->body : NULL;
	rs->blen = f && !head_only ? f->len : 0;
	c->pending += rs->hlen + rs->blen;
	c->end++;
	if (st == ST_200)
		c->nreq++;
	else
		c->nerr++;
}

/* A whole head at @h (@n bytes, CRLF CRLF included): answer it. */
static void request(struct http_conn *c, const char *h, size_t n)
{
	const struct http_file *f = NULL;
	struct req r = { 0 };
	const char *eol, *path;
	size_t len;
	int st;

	eol = memmem(h, n, "\r\n", 2);
	st = request_line(&r, h, eol - h);
	n -= eol + 2 - h;
	h = eol + 2;
	while (st >= 0 && n > 2) {
		eol = memmem(h, n, "\r\n", 2);
		if (!field(&r, h, eol - h))
			st = -1;
		n -= eol + 2 - h;
		h = eol + 2;
	}
	if (st == ST_200 && r.minor == 1 && r.hosts != 1)
		st = -1;
	if (st == ST_200 && r.te)
		st = ST_501;
	if (st < 0)
		st = ST_400;
	if (st == ST_200 && !(r.mlen == 3 && !memcmp(r.method, "GET", 3)) &&
	    !(r.mlen == 4 && !memcmp(r.method, "HEAD", 4)))
		st = ST_405;
	if (st == ST_200) {
		path_of(&r, &path, &len);
		f = http_site_find(c->site, path, len);
		if (!f)
			st = ST_404;
	}
	if (st != ST_200 && st != ST_404 && st != ST_405)
		c->closing = true;
	if (r.close || (r.minor == 0 && !r.keep_alive))
		c->closing = true;
	c->skip = c->closing ? 0 : r.clen;
	/* Only GET and HEAD have a file: HEAD is the one of four letters. */
	respond(c, st, f, r.mlen == 4, r.minor == 0 && !c->closing);
}

static bool head_end(const char *h, size_t n)
{
	return n >= 4 && !memcmp(h + n - 4, "\r\n\r\n", 4);
}

/* Gather head bytes from @p; return bytes taken. */
static size_t gather(struct http_conn *c, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		c->head[c->hlen++] = p[i++];
		if (p[i - 1] == '\n' && head_end(c->head, c->hlen)) {
			request(c, c->head, c->hlen);
			c->hlen = 0;
			break;
		}
		/*
		 * Full without its end: answer now, for a client that sent
		 * just this much waits for us, not we for a byte more.
		 */
		if (c->hlen == HTTP_HEAD_MAX) {
			c->closing = true;
			c->hlen = 0;
			respond(c, ST_431, NULL, false, false);
			break;
		}
	}
	return i;
}

/**
 * http_conn_input() - offer request bytes
 * @c: the connection
 * @p: the bytes
 * @len: how many
 *
 * Return: bytes taken.  Less than @len only when the connection holds
 * HTTP_RESP_MAX responses: offer the rest again after a release.  Bytes
 * after the last request (@c->closing) are taken and dropped.
 */
size_t http_conn_input(struct http_conn *c, const uint8_t *p, size_t len)
{
	const uint8_t *e;
	size_t took = 0, n;

	while (took < len && !c->closing) {
		if (c->skip) {
			n = len - took < c->skip ? len - took : c->skip;
			c->skip -= n;
			took += n;
			continue;
		}
		if (http_conn_blocked(c))
			return took;
		if (!c->hlen) {
			/* Empty lines before a request line are ignored. */
			if (p[took] == '\r' || p[took] == '\n') {
				took++;
				continue;
			}
			/* The whole head here: parse it in place. */
			e = memmem(p + took, len - took, "\r\n\r\n", 4);
			if (e && (size_t)(e + 4 - p - took) <= HTTP_HEAD_MAX) {
				request(c, (const char *)p + took, e + 4 - p - took);
				took = e + 4 - p;
				continue;
			}
		}
		took += gather(c, p + took, len - took);
	}
	return len;
}

/* Pieces of response @i from byte @off on into @iov; return how many. */
static unsigned int pieces(const struct http_resp *rs, uint32_t off,
			   struct iovec *iov, unsigned int n)
{
	unsigned int k = 0;

	if (off < rs->hlen) {
		iov[k].iov_base = (void *)(rs->hdr + off);
		iov[k++].iov_len = rs->hlen - off;
		off = 0;
	} else {
		off -= rs->hlen;
	}
	if (rs->blen > off && k < n) {
		iov[k].iov_base = (void *)(rs->body + off);
		iov[k++].iov_len = rs->blen - off;
	}
	return k;
}

/**
 * http_conn_peek() - the output not consumed yet
 * @c: the connection
 * @iov: gets up to @n pieces, in order
 * @n: room at @iov (at least 2)
 *
 * Return: the pieces; 0 if there is no output.
 */
unsigned int http_conn_peek(const struct http_conn *c, struct iovec *iov,
			    unsigned int n)
{
	uint32_t i, off = c->sent_off;
	unsigned int k = 0;

	for (i = c->sent; i != c->end && n - k >= 2; i++, off = 0)
		k += pieces(&c->resp[i % HTTP_RESP_MAX], off, iov + k, n - k);
	return k;
}

static uint32_t resp_len(const struct http_conn *c, uint32_t i)
{
	const struct http_resp *rs = &c->resp[i % HTTP_RESP_MAX];

	return rs->hlen + rs->blen;
}

/* @bytes of the output were sent (queued to the peer). */
void http_conn_consume(struct http_conn *c, uint64_t bytes)
{
	uint32_t left;

	if (bytes > c->pending)
		bytes = c->pending;
	c->pending -= bytes;
	while (bytes) {
		left = resp_len(c, c->sent) - c->sent_off;
		if (bytes < left) {
			c->sent_off += bytes;
			return;
		}
		bytes -= left;
		c->sent++;
		c->sent_off = 0;
	}
}

/*
 * @bytes of the sent output are no longer needed (acknowledged by the
 * peer, or copied by the kernel): their header slots are free again.
 */
void http_conn_release(struct http_conn *c, uint64_t bytes)
{
	uint32_t left;

	while (bytes && c->rel != c->sent + !!c->sent_off) {
		left = resp_len(c, c->rel) - c->rel_off;
		if (bytes < left) {
			c->rel_off += bytes;
			return;
		}
		bytes -= left;
		c->rel++;
		c->rel_off = 0;
	}
}
