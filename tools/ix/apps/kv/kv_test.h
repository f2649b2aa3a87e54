/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kv_test: the unit tests' harness, shared by kv_test.c (the store) and
 * kv_test_proto.c (the protocols).
 */
#ifndef _KV_TEST_H
#define _KV_TEST_H

#include <stdio.h>

#include "kv.h"

extern int64_t kv_test_time;
extern unsigned int kv_test_failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", \
				__FILE__, __LINE__, __func__, #cond);	\
			kv_test_failed++;				\
		}							\
	} while (0)

int64_t kv_test_now(void);
void kv_test_store(struct kv_store *s, size_t limit);

/**
 * struct kv_run - a connection's output, gathered
 * @out: the bytes (NUL-terminated)
 * @len: how many
 * @cap: room at @out
 * @done: the connection ended (quit or a fatal error)
 * @refused: times input was refused while output backed up
 */
struct kv_run {
	char		*out;
	size_t		len;
	size_t		cap;
	bool		done;
	unsigned int	refused;
};

void kv_run_feed(struct kv_store *s, struct kv_run *r, const void *in,
		 size_t len, const size_t *cuts, unsigned int ncuts);
void kv_run_free(struct kv_run *r);

/* kv_test_proto.c */
void test_text(void);
void test_text_splits(void);
void test_get_stream(void);
void test_backpressure(void);
void test_hostile(void);
void test_binary(void);
void test_binary_splits(void);

#endif /* _KV_TEST_H */
