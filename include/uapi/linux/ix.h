/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ix.h - the ixdp application ABI: ioctls and shared structures of /dev/ix.
 *
 * Every structure here has a fixed size and explicit padding; there are
 * no pointers, longs, enums or bitfields.  Fields marked reserved must be
 * zero on input and are zero on output, so that they can be given a
 * meaning later without breaking old binaries.
 *
 * The model (Documentation/networking/ixdp.rst has the whole story and an
 * example):
 *
 *  1. A thread opens /dev/ix and calls %IX_IOC_SETUP with a reserved CPU
 *     whose dataplane serves an attached device.  The thread becomes that
 *     CPU's dataplane thread: it is moved there, and the kernel thread
 *     that served the CPU steps aside until the file is closed.
 *  2. It maps the regions whose offsets the setup returned: the command
 *     ring (read-write), the event ring and the RX buffer pool (both
 *     read-only).  Its TX memory is its own, registered by the setup.
 *  3. It loops: write commands into the command ring, call %IX_IOC_RUN,
 *     read each command's result from its slot and the events from the
 *     event ring.
 */

/**
 * DOC: Rings
 *
 * Both rings are single-producer, single-consumer arrays of a power of
 * two entries, indexed by free-running __u32 counters masked with
 * (entries - 1).  The command ring is produced by the application and
 * consumed by the kernel; the event ring the other way round.
 *
 * Each side keeps its own index privately and publishes it; the rings
 * are ordered as net/xdp/xsk_queue.h orders AF_XDP's::
 *
 *   producer                           consumer
 *
 *   LOAD.acq ->consumer       (A)      LOAD.acq ->producer       (C)
 *   if there is room:                  LOAD the entries
 *     STORE the entries                [command ring: STORE results]
 *     STORE.rel ->producer    (B)      STORE.rel ->consumer      (D)
 *
 * (B) pairs with (C): the consumer never reads an entry before it is
 * whole.  (D) pairs with (A): the producer never writes a slot the
 * consumer is still reading, and on the command ring it sees the result
 * the kernel wrote into each slot the consumer index has passed.
 *
 * The application's duties.  As producer of the command ring: (A) load
 * the kernel's consumer index with acquire before reading results or
 * reusing slots (a plain load would let the result be read, or the slot
 * rewritten, before the kernel's writes to it are seen); write whole
 * commands; (B) store the producer index with release before
 * %IX_IOC_RUN.  As consumer of the event ring: (C) load the producer
 * index with acquire, then read the events; (D) store the consumer index
 * (in the command ring's mapping, see &struct ix_ring_offsets) with
 * release once done with them.  RX buffers of a connection that is gone
 * go back to the pool when (D) passes the events written before it went.
 *
 * The kernel's.  As consumer of the command ring: (C) load the producer
 * index with acquire, clamped to a ring's worth; copy each command once
 * before looking at it; answer it in its slot (&struct ix_cmd.result); (D)
 * store the consumer index with release past the answered commands.  As
 * producer of the event ring: (A) load the application's consumer index
 * with acquire, an impossible one counting as a full ring; (B) store the
 * producer index with release after the events of each run's iteration.
 * An index the application moves somewhere impossible costs the
 * application only: at most a ring's worth of commands runs, and an event
 * ring that looks full stays full.
 */
#ifndef _UAPI_LINUX_IX_H
#define _UAPI_LINUX_IX_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * IX_ABI_VERSION - the version of this ABI.
 *
 * Raised when a change breaks binaries built against an older header.
 * Additions that old binaries cannot notice (new commands, new feature
 * bits, new fields at the tail of a structure keyed by its size) do not
 * raise it; they are announced in &struct ix_version.features.
 */
#define IX_ABI_VERSION		1

/* ioctl magic of /dev/ix (listed in ioctl-number.rst). */
#define IX_IOC_MAGIC		0xb9

/**
 * DOC: Feature bits
 *
 * &struct ix_version.features and &struct ix_setup.features hold one bit
 * for each part of the ABI the kernel has:
 *
 * %IX_FEAT_TCP
 *	TCP commands and events
 * %IX_FEAT_RUN_SLEEP
 *	%IX_RUN_SLEEP: an idle run sleeps on the queue interrupt
 * %IX_FEAT_UDP
 *	UDP commands and events
 * %IX_FEAT_TIMER
 *	application timers: %IX_CMD_TIMER_SET, %IX_CMD_TIMER_CANCEL and
 *	%IX_EV_TIMER
 * %IX_FEAT_TCP_KEEPALIVE
 *	%IX_CMD_TCP_KEEPALIVE
 * %IX_FEAT_ELASTIC
 *	%IX_SETUP_F_ELASTIC: application threads follow the device's cores
 *	as they are added and removed (%IX_EV_CORE_UP, %IX_EV_CORE_DOWN,
 *	%IX_EV_TCP_MOVED, %IX_EV_TIMER_MOVED)
 * %IX_FEAT_MOVED_OUT
 *	%IX_SETUP_F_MOVED_OUT: an elastic thread that stays is told of each
 *	connection it gives to another thread (%IX_EV_TCP_MOVED_OUT)
 */
#define IX_FEAT_TCP		(1U << 0)
#define IX_FEAT_RUN_SLEEP	(1U << 1)
#define IX_FEAT_UDP		(1U << 2)
#define IX_FEAT_TIMER		(1U << 3)
#define IX_FEAT_TCP_KEEPALIVE	(1U << 4)
#define IX_FEAT_ELASTIC		(1U << 5)
#define IX_FEAT_MOVED_OUT	(1U << 6)

/**
 * struct ix_version - result of %IX_IOC_VERSION
 * @abi_version: the kernel's %IX_ABI_VERSION
 * @features: %IX_FEAT_* bits the kernel supports
 * @resv: reserved, written as zero by the kernel
 */
struct ix_version {
	__u32	abi_version;
	__u32	features;
	__u32	resv[6];
};

/**
 * struct ix_ring_offsets - where a ring's parts are in its mapping
 * @producer: offset of the producer index (__u32)
 * @consumer: offset of the consumer index (__u32).  The application
 *	writes the consumer index of the event ring, so that one lives in
 *	the command ring's mapping: this offset is into that mapping
 * @flags: offset of the ring's flags (__u32; none are defined yet)
 * @dropped: offset of a counter (__u32) of entries the kernel dropped:
 *	bad commands it could not answer (none so far), or events lost
 *	because the event ring and the late queue behind it were both full.
 *	An event that waits (an application timer's fires again a tick
 *	later) is not counted
 * @entries: offset of the first entry
 * @resv: reserved, zero
 * @size: bytes to map
 */
struct ix_ring_offsets {
	__u32	producer;
	__u32	consumer;
	__u32	flags;
	__u32	dropped;
	__u32	entries;
	__u32	resv;
	__u64	size;
};

/**
 * DOC: Regions
 *
 * The file is mapped at these offsets (bytes, as passed to mmap()):
 *
 * %IX_OFF_CMD_RING
 *	read-write: the command ring, and the event ring's consumer index
 *	(&struct ix_setup.event_off.consumer)
 * %IX_OFF_EVENT_RING
 *	read-only: the event ring
 * %IX_OFF_RX_POOL
 *	read-only: the core's packet buffers, where received payloads are
 *	read in place
 */
#define IX_OFF_CMD_RING		0x00000000ULL
#define IX_OFF_EVENT_RING	0x10000000ULL
#define IX_OFF_RX_POOL		0x20000000ULL

/* Ring sizes: powers of two in this range; 0 picks the default. */
#define IX_RING_MIN		64
#define IX_RING_MAX		16384
#define IX_RING_DEFAULT		1024

/* Application timers: a power of two in this range; 0 picks the default. */
#define IX_TIMERS_MIN		1
#define IX_TIMERS_MAX		65536
#define IX_TIMERS_DEFAULT	1024

/**
 * DOC: Elastic application threads
 *
 * With %IX_SETUP_F_ELASTIC, &struct ix_setup.cpu only names the device
 * (any CPU serving it).  The thread drives a core of that device that no
 * thread drives yet, or, if there is none, waits as a standby thread of
 * the device.  Every thread of a device's application is of one process
 * and passes the same TX memory (@tx_addr, @tx_len), so that a
 * connection's unacknowledged data means the same on every core.
 *
 * When ix scale removes a core, the connections of its thread move to
 * the thread of a core that stays (%IX_EV_TCP_MOVED; one that cannot,
 * for want of memory, is reset and the leaving thread told
 * %IX_EV_TCP_DEAD with -ECONNRESET), and so do its armed timers
 * (%IX_EV_TIMER_MOVED); its listeners and UDP ports go with the core
 * (datagrams it had not given back are dropped), and the thread stands
 * by again (%IX_EV_CORE_DOWN; sent at a later run if the ring is full,
 * always before a later %IX_EV_CORE_UP).  When ix scale adds a core, it
 * takes a standby thread, or one that left a core in the same scale
 * (none: -EBUSY); on a device that does not hash flows to queues, that
 * thread then takes connections from the threads that stay, up to their
 * average (%IX_EV_TCP_MOVED to it).  On a device that hashes (RSS), each
 * connection instead goes to the thread of the core its flow's
 * indirection entry leads to after the scale, between staying threads
 * too.  A connection moves at most once in a scale: one that came to a
 * thread in it stays there until a later scale.  For a connection a
 * thread that stays gave, its handle goes stale (-ESTALE), the data of
 * its recv events not given back is void from its next run on, and the
 * process learns of the move from the other thread's %IX_EV_TCP_MOVED;
 * the giving thread is sent %IX_EV_TCP_MOVED_OUT if it asked with
 * %IX_SETUP_F_MOVED_OUT, else nothing.
 * A scale that would leave no core of the device is refused (-EBUSY).
 * A scale first parks every thread of the device: a thread parks inside
 * %IX_IOC_RUN once it is quiescent, that is when a
 * run starts with no command published and not consumed, every event
 * consumed and none waiting for room; until then, while a scale waits,
 * a run executes the commands but does not poll the device.  A thread
 * that does not park within 250 ms fails the scale with -EAGAIN and
 * nothing changes.  A parked run returns 0 with no event counted once
 * the scale is done; the events it produced are in the ring.  A standby
 * thread's run sleeps (at most its timeout; 0 returns at once) until
 * its thread gets a core.  The RX pool can be mapped only while a core
 * is driven, and must be unmapped at %IX_EV_CORE_DOWN.  Each thread
 * binds its UDP ports on its own core: a datagram reaches the thread
 * whose core receives it.
 */
#define IX_SETUP_F_ELASTIC	(1U << 0)

/*
 * IX_SETUP_F_MOVED_OUT - with %IX_SETUP_F_ELASTIC: when a connection of
 * this thread goes to another thread while this one stays (a core joins,
 * or a flow group moves), this thread is sent %IX_EV_TCP_MOVED_OUT, so
 * that it stops acting on the connection before the other thread has
 * read its %IX_EV_TCP_MOVED.  Without it the thread is sent nothing.
 * With it, the thread gives in one scale at most as many connections as
 * its event ring has free entries; the others stay with it until a
 * later scale.
 */
#define IX_SETUP_F_MOVED_OUT	(1U << 1)

/**
 * struct ix_setup - argument of %IX_IOC_SETUP
 * @cpu: in: the reserved CPU whose dataplane to drive
 * @flags: in: %IX_SETUP_F_* (%IX_SETUP_F_ELASTIC, %IX_SETUP_F_MOVED_OUT),
 *	else zero
 * @cmd_entries: in: command ring entries, a power of two from
 *	%IX_RING_MIN to %IX_RING_MAX, 0 for %IX_RING_DEFAULT; out: what was
 *	chosen
 * @event_entries: in: event ring entries (as @cmd_entries); out: chosen
 * @tx_addr: in: start of the application's TX memory, page aligned; 0
 *	for none
 * @tx_len: in: its length, a multiple of the page size, at most 1 GiB;
 *	pinned while the file is open and charged to RLIMIT_MEMLOCK unless
 *	the caller has CAP_IPC_LOCK
 * @rx_pool_size: out: bytes of the RX buffer pool mapping
 * @cmd_off: out: the command ring's layout (where the indices, the
 *	dropped counter and the entries are in its mapping, and its size),
 *	mapped at %IX_OFF_CMD_RING
 * @event_off: out: the event ring's, mapped at %IX_OFF_EVENT_RING
 * @ifindex: out: the interface the CPU serves
 * @addr: out: the dataplane's IPv4 address, network byte order
 * @features: out: %IX_FEAT_* bits
 * @timers: in: timers the application may have armed at once, a power
 *	of two up to %IX_TIMERS_MAX, 0 for %IX_TIMERS_DEFAULT; made at setup
 *	and charged to the caller; out: what was chosen
 * @resv: reserved, zero in and out
 *
 * Every field that is only out must be zero in.
 */
struct ix_setup {
	__u32			cpu;
	__u32			flags;
	__u32			cmd_entries;
	__u32			event_entries;
	__u64			tx_addr;
	__u64			tx_len;
	__u64			rx_pool_size;
	struct ix_ring_offsets	cmd_off;
	struct ix_ring_offsets	event_off;
	__u32			ifindex;
	__u32			addr;
	__u32			features;
	__u32			timers;
	__u32			resv[4];
};

/* Run flags */
#define IX_RUN_SLEEP		(1U << 0)	/* sleep on the queue interrupt */

/**
 * struct ix_run - argument of %IX_IOC_RUN
 * @timeout_us: in: return after this long without events; 0 runs one
 *	iteration
 * @flags: in: %IX_RUN_*
 * @commands: out: commands consumed, 4096 at most; the rest wait for
 *	the next run
 * @events: out: events produced
 * @resv: reserved, zero in and out
 */
struct ix_run {
	__u32	timeout_us;
	__u32	flags;
	__u32	commands;
	__u32	events;
	__u32	resv[4];
};

/**
 * DOC: Commands
 *
 * &struct ix_cmd.op is one of these.  The result is 0 unless said, or a
 * negative errno; integers are in host order unless said.
 *
 * %IX_CMD_NOP
 *	nothing
 * %IX_CMD_TCP_LISTEN
 *	arg0: port; arg1: backlog, clamped to half the device's max_conns;
 *	cookie: given to the listener's knocks.  -EACCES for a privileged
 *	port without CAP_NET_BIND_SERVICE
 * %IX_CMD_TCP_UNLISTEN
 *	arg0: port; connections not accepted are reset
 * %IX_CMD_TCP_CONNECT
 *	arg0: IPv4 address; arg1: port; cookie: the connection's;
 *	result: its handle
 * %IX_CMD_TCP_ACCEPT
 *	handle: from a knock; cookie: its events'
 * %IX_CMD_TCP_REJECT
 *	handle: from a knock; answered with RST
 * %IX_CMD_TCP_SENDV
 *	handle; arg0: offset in the TX memory of an array of
 *	&struct ix_iov; arg1: its length, 1 to %IX_SENDV_MAX; result:
 *	bytes queued, bounded by the send buffer (the rest waits for sent
 *	events)
 * %IX_CMD_TCP_RECV_DONE
 *	handle; arg0: bytes of recv events consumed, oldest first; their
 *	RX buffers go back to the kernel and the receive window opens
 * %IX_CMD_TCP_CLOSE
 *	handle: FIN after the queued data
 * %IX_CMD_TCP_ABORT
 *	handle: RST; the handle is stale, no event follows
 * %IX_CMD_UDP_BIND
 *	arg0: port; cookie: given to its datagrams' events; -EACCES as for
 *	%IX_CMD_TCP_LISTEN
 * %IX_CMD_UDP_UNBIND
 *	arg0: port
 * %IX_CMD_UDP_SEND
 *	arg0: destination address | its port << 32 | our port << 48 (one
 *	it bound, else -EADDRNOTAVAIL); arg1: offset of the payload in the
 *	TX memory; handle: its length, at most the MTU less 28.  The
 *	payload is copied: its memory is free once answered (%IX_EV_UDP_SENT
 *	also says so, with the cookie)
 * %IX_CMD_UDP_RECV_DONE
 *	arg0: the data offset of an %IX_EV_UDP_RECV: the datagram's buffer
 *	goes back to the kernel, once (-EINVAL for one the application does
 *	not hold)
 * %IX_CMD_TIMER_SET
 *	arg0: delay in microseconds, at most a day, rounded up to the 1 ms
 *	tick of the wheel (a timer never fires early); cookie: given back
 *	by its event; result: its handle
 * %IX_CMD_TIMER_CANCEL
 *	handle: a timer not fired yet (-ESTALE otherwise)
 * %IX_CMD_TCP_KEEPALIVE
 *	handle; arg0: idle seconds, 1 to %IX_KEEPALIVE_IDLE_MAX, or 0 to
 *	turn keepalive off (arg1 0 then); arg1: seconds between probes, 1
 *	to %IX_KEEPALIVE_INTVL_MAX, | probes left unanswered before the
 *	connection dies, 1 to %IX_KEEPALIVE_CNT_MAX, << 32.  Off until
 *	set.  Once the connection took no segment from the peer for idle
 *	seconds (counted from this command at the earliest), it sends a
 *	probe (no data, sequence number one below the oldest
 *	unacknowledged) every interval, while it is established or the
 *	peer has closed and nothing of ours is unacknowledged.  Any segment
 *	from the peer starts idle and the count again; after cnt unanswered
 *	probes the connection is reset and dies: %IX_EV_TCP_DEAD,
 *	-ETIMEDOUT
 */
enum {
	IX_CMD_NOP,
	IX_CMD_TCP_LISTEN,
	IX_CMD_TCP_UNLISTEN,
	IX_CMD_TCP_CONNECT,
	IX_CMD_TCP_ACCEPT,
	IX_CMD_TCP_REJECT,
	IX_CMD_TCP_SENDV,
	IX_CMD_TCP_RECV_DONE,
	IX_CMD_TCP_CLOSE,
	IX_CMD_TCP_ABORT,
	IX_CMD_UDP_BIND,
	IX_CMD_UDP_UNBIND,
	IX_CMD_UDP_SEND,
	IX_CMD_UDP_RECV_DONE,
	IX_CMD_TIMER_SET,
	IX_CMD_TIMER_CANCEL,
	IX_CMD_TCP_KEEPALIVE,
	IX_CMD_LAST
};

#define IX_SENDV_MAX		16

/* Bounds of IX_CMD_TCP_KEEPALIVE, as Linux's TCP_KEEPIDLE, INTVL, CNT. */
#define IX_KEEPALIVE_IDLE_MAX	32767
#define IX_KEEPALIVE_INTVL_MAX	32767
#define IX_KEEPALIVE_CNT_MAX	127

/**
 * struct ix_cmd - one command, 64 bytes
 * @op: %IX_CMD_*
 * @flags: reserved, zero
 * @handle: the connection, for commands on one
 * @cookie: the application's: given back by the events this command
 *	causes (listen: knocks; connect, accept: the connection's events);
 *	other commands leave it to the application, e.g. to match results
 * @arg0: per command, see the opcodes
 * @arg1: per command
 * @resv: reserved, zero
 * @result: out: 0 or more on success, a negative errno otherwise; written
 *	before the consumer index passes the command
 */
struct ix_cmd {
	__u16	op;
	__u16	flags;
	__u32	handle;
	__u64	cookie;
	__u64	arg0;
	__u64	arg1;
	__u64	resv[3];
	__s64	result;
};

/**
 * struct ix_iov - a piece of a send vector, in the TX memory
 * @off: offset of its first byte in the TX memory
 * @len: its length; 0 is skipped
 * @resv: reserved, zero
 *
 * The memory must stay unchanged until sent events report it
 * acknowledged.
 */
struct ix_iov {
	__u64	off;
	__u32	len;
	__u32	resv;
};

/**
 * DOC: Events
 *
 * &struct ix_event.type is one of these.  Every event carries the handle
 * of its connection and the cookie given for it:
 *
 * %IX_EV_TCP_KNOCK
 *	a new connection to a listener (cookie: the listener's); data: peer
 *	address | port << 32, both in network order.  Answer with accept
 *	or reject
 * %IX_EV_TCP_CONNECTED
 *	a connect ended; status: 0 or -errno (then the handle is stale)
 * %IX_EV_TCP_RECV
 *	data: offset in the RX pool; len: bytes, to be given back with
 *	recv_done; len 0: the peer closed its direction
 * %IX_EV_TCP_SENT
 *	len: bytes the peer acknowledged (their TX memory may be reused);
 *	data: bytes sendv may queue now (explicit flow control)
 * %IX_EV_TCP_DEAD
 *	the connection is gone, its handle stale; status: 0 (closed both
 *	ways) or -ECONNRESET, -ETIMEDOUT, or -ENOBUFS (reset at the peer's
 *	zero window while the core was short of buffers and it held its
 *	share of what was left)
 * %IX_EV_UDP_RECV
 *	a datagram to a bound port (cookie: the bind's); data: offset of
 *	its payload in the RX pool; len: its length; handle: the sender's
 *	address, status: its port (both network order).  Give it back with
 *	%IX_CMD_UDP_RECV_DONE
 * %IX_EV_UDP_SENT
 *	an %IX_CMD_UDP_SEND's payload was taken (cookie: the command's);
 *	status: 0 or -errno; len: bytes
 * %IX_EV_TIMER
 *	a timer fired (cookie: the set's); handle: the timer, now free
 * %IX_EV_TCP_MOVED
 *	a connection came to this thread's core from another core of the
 *	device (cookie: the connection's); handle: its handle from now on;
 *	data: its old handle | the old core's CPU << 32, that handle now
 *	stale; len: bytes received and not consumed.  %IX_EV_TCP_RECV events
 *	follow that give those bytes again, at their new offsets, and the
 *	peer's FIN again if it came: recv events of the old handle not
 *	consumed are void.  Only to %IX_SETUP_F_ELASTIC threads
 * %IX_EV_CORE_UP
 *	an %IX_SETUP_F_ELASTIC thread drives a core (always its binding's
 *	first event); status: its CPU; data: the bytes of its RX pool, to be
 *	mapped now at %IX_OFF_RX_POOL.  Listeners are per core: listen again
 * %IX_EV_CORE_DOWN
 *	an %IX_SETUP_F_ELASTIC thread's core left the device (status: its
 *	CPU): its connections and armed timers moved to other threads, its
 *	listeners and UDP ports are gone, every handle and RX offset it had
 *	is stale; unmap the RX pool.  The thread stands by
 * %IX_EV_TIMER_MOVED
 *	an armed timer came to this thread's core from another core of the
 *	device (cookie: the set's); handle: its handle from now on; data:
 *	its old handle | the old core's CPU << 32, that handle now stale.
 *	It fires when it would have.  Only to %IX_SETUP_F_ELASTIC threads
 * %IX_EV_TCP_MOVED_OUT
 *	a connection of this thread went to another thread of the device,
 *	this one staying (cookie: the connection's); handle: its handle
 *	here, stale from now on; data: its new handle | the new core's CPU
 *	<< 32.  Its recv events not given back are void: give nothing back;
 *	the other thread gets the bytes again.  Only to threads set up with
 *	%IX_SETUP_F_MOVED_OUT
 */
enum {
	IX_EV_NONE,
	IX_EV_TCP_KNOCK,
	IX_EV_TCP_CONNECTED,
	IX_EV_TCP_RECV,
	IX_EV_TCP_SENT,
	IX_EV_TCP_DEAD,
	IX_EV_UDP_RECV,
	IX_EV_UDP_SENT,
	IX_EV_TIMER,
	IX_EV_TCP_MOVED,
	IX_EV_CORE_UP,
	IX_EV_CORE_DOWN,
	IX_EV_TIMER_MOVED,
	IX_EV_TCP_MOVED_OUT,
	IX_EV_LAST
};

/**
 * struct ix_event - one event, 32 bytes
 * @type: %IX_EV_*
 * @flags: reserved, zero
 * @status: per event
 * @cookie: the connection's cookie (the listener's for knocks)
 * @handle: the connection
 * @len: per event
 * @data: per event
 */
struct ix_event {
	__u16	type;
	__u16	flags;
	__s32	status;
	__u64	cookie;
	__u32	handle;
	__u32	len;
	__u64	data;
};

/*
 * IX_IOC_VERSION - read the ABI version and feature bits.
 *
 * Takes no input and cannot fail except with -EFAULT for a bad pointer.
 * An application should check abi_version == IX_ABI_VERSION first.
 */
#define IX_IOC_VERSION		_IOR(IX_IOC_MAGIC, 0x00, struct ix_version)

/*
 * IX_IOC_SETUP - bind the calling thread to a reserved CPU's dataplane.
 *
 * Who may: see "Security model" in Documentation/networking/ixdp.rst;
 * checked here, with the caller's credentials, not at open.  The binding
 * belongs to the calling thread: it ends when the thread exits or execs,
 * whoever holds the file.
 *
 * Errors: EINVAL (nonzero reserved fields or flags, bad ring sizes, TX
 * memory not page aligned or too large), ENODEV (the CPU serves no
 * attached device), EBUSY (the CPU has a dataplane thread, or the file is
 * set up already, or its binding was revoked), EPERM (applications
 * disabled, another network namespace, neither CAP_NET_ADMIN nor a
 * delegation of the device, or another process drives the device),
 * EALREADY (the thread drives another CPU), ENOMEM (RLIMIT_MEMLOCK or
 * the memory cgroup included), EFAULT (nothing is bound then).
 */
#define IX_IOC_SETUP		_IOWR(IX_IOC_MAGIC, 0x01, struct ix_setup)

/*
 * IX_IOC_RUN - run the dataplane: consume commands, poll, produce events.
 *
 * Returns 0 once events are ready, the timeout passed, or the event ring
 * has no room.  Errors: EPERM (not the thread that set the file up),
 * ENODEV (the binding was revoked: the device was detached or the bound
 * thread exited; close the file), EINTR (a signal,
 * nothing done), EINVAL (nonzero reserved fields, unknown flags), EFAULT.
 */
#define IX_IOC_RUN		_IOWR(IX_IOC_MAGIC, 0x02, struct ix_run)

#endif /* _UAPI_LINUX_IX_H */
