// SPDX-License-Identifier: GPL-2.0
/*
 * Busy polling for the Linux contenders (busy.h).  The constants and
 * structures come from the 6.12 uapi; they are defined here when the
 * host's headers are older, so that the static binaries build anywhere
 * and a kernel that lacks the feature says so at run time.
 */

#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "busy.h"

#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL		46
#endif
#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET	70
#endif

/* linux/eventpoll.h, 6.9 */
struct bench_epoll_params {
	uint32_t	busy_poll_usecs;
	uint16_t	busy_poll_budget;
	uint8_t		prefer_busy_poll;
	uint8_t		pad;
};

#define BENCH_EPIOCSPARAMS	_IOW(0x8A, 0x01, struct bench_epoll_params)

/* linux/io_uring.h, 6.9 */
struct bench_uring_napi {
	uint32_t	busy_poll_to;
	uint8_t		prefer_busy_poll;
	uint8_t		pad[3];
	uint64_t	resv;
};

#define BENCH_IORING_REGISTER_NAPI	27

/*
 * Busy-poll @fd's queue for up to @usecs when it has nothing to read.
 * Preferring busy polling to the interrupt and the budget are 5.11
 * additions: *@prefer says whether they took.  Returns 0 or -errno of
 * SO_BUSY_POLL itself, checked by reading it back.
 */
int busy_sock(int fd, unsigned int usecs, bool *prefer)
{
	int v = usecs, one = 1, budget = BUSY_BUDGET;
	socklen_t len = sizeof(v);

	if (setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &v, sizeof(v)))
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &v, &len))
		return -errno;
	if (v != (int)usecs)
		return -EINVAL;
	*prefer = !setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one,
			      sizeof(one)) &&
		  !setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget,
			      sizeof(budget));
	return 0;
}

/*
 * Busy-poll in epoll_wait() on this instance alone (6.9); before that
 * only the net.core.busy_poll sysctl does it.  Returns 0 or -errno.
 */
int busy_epoll(int epfd, unsigned int usecs)
{
	struct bench_epoll_params p = {
		.busy_poll_usecs = usecs,
		.busy_poll_budget = BUSY_BUDGET,
		.prefer_busy_poll = 1,
	};

	return ioctl(epfd, BENCH_EPIOCSPARAMS, &p) ? -errno : 0;
}

/*
 * Busy-poll the NAPI instances of the ring's sockets for up to @usecs
 * while waiting for completions (6.9).  The kernel hands back the
 * settings it replaced: registering twice and reading the first
 * registration back proves it took.  Returns 0 or -errno.
 */
int busy_uring(int ring_fd, unsigned int usecs)
{
	struct bench_uring_napi n;
	int i;

	for (i = 0; i < 2; i++) {
		/* What came back is no request: the padding must be zero. */
		n = (struct bench_uring_napi){ .busy_poll_to = usecs,
					       .prefer_busy_poll = 1 };
		if (syscall(__NR_io_uring_register, ring_fd,
			    BENCH_IORING_REGISTER_NAPI, &n, 1))
			return -errno;
	}
	return n.busy_poll_to == usecs && n.prefer_busy_poll ? 0 : -EINVAL;
}
