/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small TAP test runner for the ixdp host harness.  Tests register
 * themselves with IX_TEST(); CHECK*() end the current test on failure.
 */
#ifndef _IX_TEST_H
#define _IX_TEST_H

#include <stdbool.h>
#include <stdio.h>

void ix_test_register(const char *suite, const char *name, void (*fn)(void));
void ix_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool ix_test_failed(void);

#define IX_TEST(suite, name)						\
	static void suite##_##name(void);				\
	__attribute__((constructor)) static void suite##_##name##_reg(void) \
	{								\
		ix_test_register(#suite, #name, suite##_##name);	\
	}								\
	static void suite##_##name(void)

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			ix_test_fail(__FILE__, __LINE__, "%s", #cond);	\
			return;						\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long __a = (a), __b = (b);		\
		if (__a != __b) {					\
			ix_test_fail(__FILE__, __LINE__,		\
				     "%s == %s: %llu != %llu",		\
				     #a, #b, __a, __b);			\
			return;						\
		}							\
	} while (0)

#endif /* _IX_TEST_H */
