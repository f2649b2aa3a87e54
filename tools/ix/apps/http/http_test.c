// SPDX-License-Identifier: GPL-2.0
/*
 * http_test: unit tests of the HTTP engine (http_conn.c, http_site.c).
 * Prints TAP like kv_test: the plan "1..N", one line per test and
 * "# N passed, M failed"; exits 1 if any check failed.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

#define NOW	1700000000	/* Tue, 14 Nov 2023 22:13:20 GMT */
#define DATE	"Tue, 14 Nov 2023 22:13:20 GMT"
#define ROOT64	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define HELLO	"hello, world\n"

static unsigned int failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", \
				__FILE__, __LINE__, __func__, #cond);	\
			failed++;					\
		}							\
	} while (0)

#define CHECK_STR(got, want)	check_str(got, want, __LINE__, __func__)

static void check_str(const char *got, const char *want, int line,
		      const char *fn)
{
	if (strcmp(got, want)) {
		fprintf(stderr, "%s:%d: %s: got\n%s\nwant\n%s\n", __FILE__,
			line, fn, got, want);
		failed++;
	}
}

/* The 200 for "/" and "/hello.txt", and the heads of errors. */
#define OK_HEAD(type, len)						\
	"HTTP/1.1 200 OK\r\nServer: ix_http\r\nDate: " DATE "\r\n"	\
	"Content-Type: " type "\r\nContent-Length: " len "\r\n"
#define ROOT_HEAD	OK_HEAD("text/plain", "64")
#define HELLO_HEAD	OK_HEAD("text/plain", "13")
#define ERR(line, more)							\
	"HTTP/1.1 " line "\r\n" more "Server: ix_http\r\nDate: " DATE	\
	"\r\nContent-Length: 0\r\n"
#define E404		ERR("404 Not Found", "")
#define E405		ERR("405 Method Not Allowed", "Allow: GET, HEAD\r\n")
#define E400		ERR("400 Bad Request", "")
#define CLOSE		"Connection: close\r\n\r\n"

static struct http_site site;
static uint8_t site_mem[4096];
static uint8_t hring[HTTP_HRING];
static struct http_conn conn;
static char out[1 << 20];
static size_t out_len;

static void new_conn(void)
{
	CHECK(!http_site_load(&site, NULL, site_mem, sizeof(site_mem)));
	http_site_tick(&site, NOW);
	http_conn_init(&conn, &site, hring);
	out_len = 0;
	out[0] = 0;
}

/* Take all output: as a socket server does (sent and copied at once). */
static void drain(void)
{
	struct iovec iov[8];
	unsigned int i, n;
	size_t all;

	while ((n = http_conn_peek(&conn, iov, 8))) {
		all = 0;
		for (i = 0; i < n; i++) {
			CHECK(out_len + iov[i].iov_len < sizeof(out));
			memcpy(out + out_len, iov[i].iov_base, iov[i].iov_len);
			out_len += iov[i].iov_len;
			all += iov[i].iov_len;
		}
		out[out_len] = 0;
		http_conn_consume(&conn, all);
		http_conn_release(&conn, all);
	}
}

/* Feed @in in pieces of @step bytes (0: whole), draining as we go. */
static const char *run(const char *in, size_t step)
{
	size_t len = strlen(in), at = 0, n, took;

	new_conn();
	while (at < len) {
		n = step && step < len - at ? step : len - at;
		took = http_conn_input(&conn, (const uint8_t *)in + at, n);
		CHECK(took == n);
		at += n;
		drain();
	}
	return out;
}

static void test_date(void)
{
	char d[HTTP_DATE_LEN + 1];

	/* The example of RFC 9110 5.6.7. */
	http_date_format(d, 784111777);
	CHECK_STR(d, "Sun, 06 Nov 1994 08:49:37 GMT");
	http_date_format(d, NOW);
	CHECK_STR(d, DATE);
	new_conn();
	CHECK(site.date_updates == 1);
	http_site_tick(&site, NOW);
	http_site_tick(&site, NOW);
	CHECK(site.date_updates == 1);
	http_site_tick(&site, NOW + 1);
	CHECK(site.date_updates == 2);
	CHECK_STR(site.date, "Tue, 14 Nov 2023 22:13:21 GMT");
}

static void test_get_head(void)
{
	CHECK_STR(run("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0),
		  ROOT_HEAD "\r\n" ROOT64);
	CHECK(!conn.closing && !conn.pending && conn.nreq == 1);
	CHECK_STR(run("HEAD /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n", 0),
		  HELLO_HEAD "\r\n");
	CHECK_STR(run("GET /hello.txt?q=1 HTTP/1.1\r\nhOsT: a\r\n\r\n", 0),
		  HELLO_HEAD "\r\n" HELLO);
	/* absolute-form, and empty lines before the request line */
	CHECK_STR(run("\r\n\r\nGET http://a/hello.txt HTTP/1.1\r\nHost: a\r\n\r\n", 0),
		  HELLO_HEAD "\r\n" HELLO);
}

static void test_not_found(void)
{
	CHECK_STR(run("GET /nope HTTP/1.1\r\nHost: a\r\n\r\n"
		      "GET /hello.txtx HTTP/1.1\r\nHost: a\r\n\r\n", 0),
		  E404 "\r\n" E404 "\r\n");
	CHECK(!conn.closing && conn.nerr == 2);
}

static void test_method(void)
{
	/* 405 keeps the connection; the body is skipped. */
	CHECK_STR(run("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"
		      "helloGET /x HTTP/1.1\r\nHost: a\r\n\r\n", 0),
		  E405 "\r\n" E404 "\r\n");
	CHECK(!conn.closing);
	CHECK_STR(run("get / HTTP/1.1\r\nHost: a\r\n\r\n", 0), E405 "\r\n");
}

static void test_bad(void)
{
	static const char *const bad[] = {
		"nonsense\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n",			/* no Host */
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n", /* obs-fold */
		"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890123456\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n",
		"GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.x\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
		"GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n",
	};
	unsigned int i;
	char in[256];

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* The request after a 400 is not read. */
		snprintf(in, sizeof(in), "%sGET / HTTP/1.1\r\nHost: a\r\n\r\n",
			 bad[i]);
		CHECK_STR(run(in, 0), E400 CLOSE);
		CHECK(http_conn_done(&conn));
	}
}

static void test_version(void)
{
	CHECK_STR(run("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 0),
		  ERR("505 HTTP Version Not Supported", "") CLOSE);
	CHECK_STR(run("GET / HTTP/1.2\r\nHost: a\r\n\r\n", 0),
		  ERR("505 HTTP Version Not Supported", "") CLOSE);
	CHECK(http_conn_done(&conn));
}

static void test_chunked(void)
{
	CHECK_STR(run("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
		      "5\r\nhello\r\n0\r\n\r\n", 0),
		  ERR("501 Not Implemented", "") CLOSE);
	CHECK(http_conn_done(&conn));
}

static void test_too_large(void)
{
	static char in[HTTP_HEAD_MAX + 64];
	static const char start[] = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
	size_t n = sizeof(start) - 1;

	memcpy(in, start, n);
	/* Exactly HTTP_HEAD_MAX bytes with its CRLF CRLF: served. */
	memset(in + n, 'a', HTTP_HEAD_MAX - n - 4);
	memcpy(in + HTTP_HEAD_MAX - 4, "\r\n\r\n", 5);
	CHECK_STR(run(in, 0), ROOT_HEAD "\r\n" ROOT64);
	CHECK_STR(run(in, 1000), ROOT_HEAD "\r\n" ROOT64);
	/* One more byte: 431, in one piece or in many. */
	memset(in + n, 'a', HTTP_HEAD_MAX - n - 3);
	memcpy(in + HTTP_HEAD_MAX - 3, "\r\n\r\n", 5);
	CHECK_STR(run(in, 0), ERR("431 Request Header Fields Too Large", "") CLOSE);
	CHECK(http_conn_done(&conn));
	CHECK_STR(run(in, 7), ERR("431 Request Header Fields Too Large", "") CLOSE);
	/* Exactly HTTP_HEAD_MAX bytes, no blank line: 431 with no byte more. */
	memset(in + n, 'a', HTTP_HEAD_MAX - n - 2);
	memcpy(in + HTTP_HEAD_MAX - 2, "\r\n", 3);
	CHECK_STR(run(in, 0), ERR("431 Request Header Fields Too Large", "") CLOSE);
	CHECK(http_conn_done(&conn));
	CHECK_STR(run(in, 4096), ERR("431 Request Header Fields Too Large", "") CLOSE);
	in[HTTP_HEAD_MAX - 1] = 'a';
	CHECK_STR(run(in, 3), ERR("431 Request Header Fields Too Large", "") CLOSE);
}

static void test_connection(void)
{
	CHECK_STR(run("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
		      "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0),
		  ROOT_HEAD CLOSE ROOT64);
	CHECK(http_conn_done(&conn) && conn.nreq == 1);
	CHECK_STR(run("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, Close\r\n\r\n", 0),
		  ROOT_HEAD CLOSE ROOT64);
	/* HTTP/1.0: no Host needed; closes unless keep-alive. */
	CHECK_STR(run("GET / HTTP/1.0\r\n\r\n", 0), ROOT_HEAD CLOSE ROOT64);
	CHECK(http_conn_done(&conn));
	CHECK_STR(run("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
		      "GET /hello.txt HTTP/1.0\r\n\r\n", 0),
		  ROOT_HEAD "Connection: keep-alive\r\n\r\n" ROOT64
		  HELLO_HEAD CLOSE HELLO);
	CHECK(http_conn_done(&conn) && conn.nreq == 2);
	/* keep-alive means nothing to HTTP/1.1: no header echoed */
	CHECK_STR(run("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", 0),
		  ROOT_HEAD "\r\n" ROOT64);
	CHECK(!conn.closing);
}

static const char pipeline_in[] =
	"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
	"HEAD /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
	"GET /nope HTTP/1.1\r\nHost: a\r\n\r\n"
	"GET /hello.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"
	"abcDELETE / HTTP/1.1\r\nHost: a\r\n\r\n"
	"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
	"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
static const char pipeline_out[] =
	ROOT_HEAD "\r\n" ROOT64
	HELLO_HEAD "\r\n"
	E404 "\r\n"
	HELLO_HEAD "\r\n" HELLO
	E405 "\r\n"
	ROOT_HEAD CLOSE ROOT64;

static void test_pipeline(void)
{
	size_t step;

	CHECK_STR(run(pipeline_in, 0), pipeline_out);
	CHECK(http_conn_done(&conn) && conn.nreq == 4 && conn.nerr == 2);
	/* Byte by byte, and in other pieces: the same answer. */
	for (step = 1; step < 80; step++) {
		CHECK_STR(run(pipeline_in, step), pipeline_out);
		CHECK(http_conn_done(&conn));
	}
}

/* More requests than responses held: input waits for a release. */
static void test_backpressure(void)
{
	static char in[64 * 40];
	size_t len = 0, at = 0, n, want = 0, rounds = 0;
	unsigned int i;
	struct iovec iov[4];

	for (i = 0; i < 40; i++)
		len += sprintf(in + len, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	new_conn();
	n = http_conn_input(&conn, (const uint8_t *)in, len);
	CHECK(n < len && http_conn_blocked(&conn));
	CHECK(conn.end == HTTP_RESP_MAX);
	/* Sent but not released holds the slots still. */
	while (http_conn_peek(&conn, iov, 4))
		http_conn_consume(&conn, iov[0].iov_len);
	CHECK(http_conn_blocked(&conn) && !conn.pending);
	CHECK(!http_conn_input(&conn, (const uint8_t *)in + n, len - n));
	http_conn_release(&conn, 2 * (sizeof(ROOT_HEAD "\r\n" ROOT64) - 1));
	CHECK(conn.rel == 2 && !http_conn_blocked(&conn));
	at = n;
	while (at < len && rounds++ < 100) {
		at += http_conn_input(&conn, (const uint8_t *)in + at, len - at);
		drain();
	}
	/* The first HTTP_RESP_MAX were consumed above, not drained. */
	want = (40 - HTTP_RESP_MAX) * (sizeof(ROOT_HEAD "\r\n" ROOT64) - 1);
	CHECK(at == len && out_len == want && conn.nreq == 40);
}

/* A body is the site's bytes, never a copy; a head is in the ring. */
static void test_zero_copy(void)
{
	const struct http_file *f;
	struct iovec iov[4];

	run("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
	    "GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n", 0);
	http_conn_init(&conn, &site, hring);
	http_conn_input(&conn, (const uint8_t *)
			"GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
			"GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n", 72);
	f = http_site_find(&site, "/hello.txt", 10);
	CHECK(f && http_conn_peek(&conn, iov, 4) == 4);
	CHECK(iov[1].iov_base == f->body && iov[3].iov_base == f->body);
	CHECK((uint8_t *)iov[0].iov_base == hring);
	CHECK((uint8_t *)iov[2].iov_base == hring + HTTP_HDR_SLOT);
	/* A partly consumed response resumes in the middle. */
	http_conn_consume(&conn, iov[0].iov_len + 5);
	CHECK(http_conn_peek(&conn, iov, 4) == 3);
	CHECK(iov[0].iov_base == f->body + 5 && iov[0].iov_len == 8);
}

static void test_dir(void)
{
	char dir[] = "/tmp/http_test.XXXXXX", p[128];
	struct http_site s;
	const struct http_file *f;
	static uint8_t mem[256];
	size_t need;
	FILE *fp;

	CHECK(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/index.html", dir);
	fp = fopen(p, "w");
	fputs("<p>hi</p>\n", fp);
	fclose(fp);
	snprintf(p, sizeof(p), "%s/.hidden", dir);
	fclose(fopen(p, "w"));
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/a.json", dir);
	fp = fopen(p, "w");
	fputs("{}", fp);
	fclose(fp);
	CHECK(!http_site_need(dir, &need) && need == 12);
	CHECK(http_site_load(&s, dir, mem, 11) == -ENOSPC);
	CHECK(!http_site_load(&s, dir, mem, need));
	CHECK(s.nfiles == 3);
	f = http_site_find(&s, "/", 1);
	CHECK(f && f->len == 10 && !memcmp(f->body, "<p>hi</p>\n", 10));
	CHECK(f && !strcmp(f->type, "text/html"));
	CHECK(f && http_site_find(&s, "/index.html", 11) &&
	      http_site_find(&s, "/index.html", 11)->body == f->body);
	f = http_site_find(&s, "/a.json", 7);
	CHECK(f && f->len == 2 && !strcmp(f->type, "application/json"));
	CHECK(!http_site_find(&s, "/.hidden", 8));
	CHECK(!http_site_find(&s, "/sub", 4));
	CHECK(!http_site_find(&s, "/a", 2));
	CHECK(http_site_need("/nonexistent/dir", &need) == -ENOENT);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	CHECK(!system(p));
}

static const struct {
	const char	*name;
	void		(*fn)(void);
} tests[] = {
	{ "date", test_date },
	{ "get_head", test_get_head },
	{ "not_found", test_not_found },
	{ "method", test_method },
	{ "bad_request", test_bad },
	{ "version", test_version },
	{ "chunked", test_chunked },
	{ "too_large", test_too_large },
	{ "connection", test_connection },
	{ "pipeline", test_pipeline },
	{ "backpressure", test_backpressure },
	{ "zero_copy", test_zero_copy },
	{ "dir", test_dir },
};

/* http_test [NAME]: all tests, or those whose name contains NAME. */
int main(int argc, char **argv)
{
	unsigned int i, before, passed = 0, ran = 0, plan = 0;
	unsigned int n = ARRAY_SIZE(tests);

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++)
		if (argc < 2 || strstr(tests[i].name, argv[1]))
			plan++;
	printf("TAP version 13\n1..%u\n", plan);
	for (i = 0; i < n; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		ran++;
		before = failed;
		tests[i].fn();
		if (failed == before)
			passed++;
		printf("%s %u %s\n", failed == before ? "ok" : "not ok",
		       ran, tests[i].name);
	}
	printf("# %u passed, %u failed\n", passed, ran - passed);
	return passed != ran;
}
