/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a mutex the harness's single thread takes; taking it
 * twice, or releasing it unheld, is a bug the fuzzer should see.
 */
#ifndef _IX_SHIM_LINUX_MUTEX_H
#define _IX_SHIM_LINUX_MUTEX_H

struct mutex {
	int	held;
};

static inline void mutex_init(struct mutex *m)
{
	m->held = 0;
}

static inline void mutex_lock(struct mutex *m)
{
	if (m->held++)
		__builtin_trap();
}

static inline void mutex_unlock(struct mutex *m)
{
	if (m->held-- != 1)
		__builtin_trap();
}

/* lockdep's check, on the one thread there is: held at all. */
#define lockdep_assert_held(m)	do { if (!(m)->held) __builtin_trap(); } while (0)

#endif /* _IX_SHIM_LINUX_MUTEX_H */
