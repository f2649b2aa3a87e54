#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shell helpers of the ixdp selftests that drive an application on
# /dev/ix; sourced.  The test sets nothing before; it gets:
#   DEV DP SYS DIR TMP ret	device, dataplane address, its sysfs
#				directory, the tests' directory, a scratch
#				directory, the exit status
#   fail MSG			record a failure
#   peer CMD...			run CMD in the Linux peer's namespace
#   ix_lib_need			skip unless the VM bench is there
#   ix_lib_attach		reserve CPU 1, attach queues 0-1 of DEV to it
#   ix_lib_start NAME PORT CMD...	start an application, wait until
#				it accepts on DP:PORT; its pid in app_pid
#   ix_lib_host PROG ARGS...	run PROG on the host (host-agent.sh);
#				its status, output in $TMP/host.out
#   ix_lib_kmemleak_check	fail on leaks of ours (cleared at source)
#   ix_lib_netem ARGS...|none	netem ARGS on the peer's link, both ways
#   ix_lib_wait SECS CMD...	run CMD every 0.1 s until it succeeds;
#				fails (status 1) after SECS seconds
#   ix_lib_load NAME ARGS...	ix_echo_client ARGS from the peer, in the
#				background at a nice 20 above the caller's
#				(load_pid: the client itself), its output in
#				$TMP/NAME.log; waits until every connection
#				echoes
#   ix_lib_load_wait NAME	wait for it to end: a failure unless it
#				verified everything; its result line printed
#   ix_lib_settle		wait (3 s at most) until the peer's ended
#				connections have done closing
#   ix_lib_load_stop NAME	end it after the messages at hand
#				(SIGUSR1), then as ix_lib_load_wait
#   ix_lib_listening [peer] PORT	a TCP socket listens on PORT (in the
#				peer's namespace with "peer")
#   ix_lib_stat NAME		a device counter (stats/NAME)
#   ix_lib_open_conns		connections open now (opened - closed)
#   ix_lib_skipped WHAT		WHAT could not run here: the test ends
#				as a skip unless it failed
#   ix_lib_exit MSG		exit: 1 on a failure, $ksft_skip if a
#				part was skipped, else 0 with "ok: MSG"
# and a trap that detaches, releases the CPU and removes TMP.

ksft_skip=4
DEV=${IXDP_DEV:-eth0}
DP=198.18.0.10
SYS=/sys/class/net/$DEV/ixdp
KMEMLEAK=/sys/kernel/debug/kmemleak
HOSTSIDE=/ixdp/build/hostside
DIR=$(dirname "$(readlink -f "$0")")
TMP=$(mktemp -d)
ret=0
skipped=

fail()
{
	echo "FAIL: $*"
	ret=1
}

peer()
{
	ip netns exec peer "$@"
}

ix_lib_cleanup()
{
	kill -9 $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	[ "$(cat "$SYS/attached" 2> /dev/null)" = 1 ] && ix_lib_settle > /dev/null
	echo 0 > "$SYS/attached" 2>/dev/null
	echo 0 > "$SYS/echo_port" 2>/dev/null
	echo 0 > "$SYS/steer" 2>/dev/null
	echo > /sys/kernel/ixdp/cpus 2>/dev/null
	rm -rf "$TMP"
}
trap ix_lib_cleanup EXIT

ix_lib_need()
{
	if [ ! -d "$SYS" ] || ! ip netns list | grep -qw peer ||
	   [ "$(nproc)" -lt 2 ]; then
		echo "SKIP: needs $SYS, the bench's peer namespace and 2 CPUs"
		exit $ksft_skip
	fi
	[ -w "$KMEMLEAK" ] && echo clear > "$KMEMLEAK"
}

# ix_lib_need_cpus CPUS QUEUES: skip unless the guest has CPUS CPUs and
# eth0 QUEUES queue pairs.  Before a reservation takes CPUs from nproc.
ix_lib_need_cpus()
{
	local nq

	nq=$(ls -d /sys/class/net/$DEV/queues/rx-* | wc -l)
	if [ "$(nproc)" -lt "$1" ] || [ "$nq" -lt "$2" ]; then
		echo "SKIP: needs $1 CPUs and $2 queue pairs"
		exit $ksft_skip
	fi
}

# ix_lib_scale_retry CMD...: CMD (a scale, its errors in $TMP/scale.out),
# again while a connection is being opened or a thread is slow to park
# (EAGAIN), 50 times at most; fails the test if it never succeeds.
ix_lib_scale_retry()
{
	local _

	for _ in $(seq 50); do
		"$@" && return 0
		grep -qE "being opened|temporarily unavailable" "$TMP/scale.out" ||
			break
		sleep 0.1
	done
	fail "scale to ${*: -1}: $(cat "$TMP/scale.out")"
	return 1
}

# ix_lib_scale_sysfs LIST: the device's cores by a write to sysfs,
# again while it cannot be done yet (ix_lib_scale_retry).
ix_lib_scale_sysfs()
{
	ix_lib_scale_retry _ix_lib_cpus_write "$1"
}

_ix_lib_cpus_write()
{
	echo "$1" 2> "$TMP/scale.out" > "$SYS/cpus"
}

# ix_lib_attach_3: eth0's three queue pairs on one core, CPU 1, of the
# reserved CPUs 1-3, for a test that scales (the 4-CPU VM).
ix_lib_attach_3()
{
	echo 1-3 > /sys/kernel/ixdp/cpus || fail "reserve CPUs 1-3"
	echo 0-2 > "$SYS/queues"
	echo 1 > "$SYS/cpus"
	echo $DP/24 > "$SYS/addr"
	echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
}

# ix_lib_scale_rounds END: from one core to three and back, the single
# core a different CPU each round (from CPU 1, which stays in the first
# step: an application's device keeps a core), so that every connection
# moves to another core each round; rounds start until /proc/uptime
# reaches END.  Sets rounds to the number done.
ix_lib_scale_rounds()
{
	local steps=("1-2 1-3 2" "2-3 1-3 3" "1,3 1-3 1") step=0 up cpus

	rounds=0
	while read -r up _ < /proc/uptime && [ "${up%.*}" -lt "$1" ]; do
		for cpus in ${steps[$((step++ % ${#steps[@]}))]}; do
			ix_lib_scale_sysfs "$cpus" || return 1
		done
		rounds=$((rounds + 1))
	done
}

ix_lib_attach()
{
	echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
	echo 0-1 > "$SYS/queues"
	echo 1 > "$SYS/cpus"
	echo $DP/24 > "$SYS/addr"
	echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
}

ix_lib_start()
{
	local name=$1 port=$2

	shift 2
	"$@" > "$TMP/$name.log" 2>&1 &
	app_pid=$!
	for _ in $(seq 100); do
		peer timeout 2 bash -c "exec 3<>/dev/tcp/$DP/$port" \
			2>/dev/null && return 0
		kill -0 $app_pid 2>/dev/null || break
		sleep 0.1
	done
	fail "$name did not start: $(cat "$TMP/$name.log")"
	return 1
}

ix_lib_host()
{
	if [ ! -e $HOSTSIDE/agent ]; then
		echo "no host agent (scripts/ixdp/host-agent.sh)" > "$TMP/host.out"
		return $ksft_skip
	fi
	rm -f $HOSTSIDE/rc
	echo "$*" > $HOSTSIDE/req.tmp
	mv $HOSTSIDE/req.tmp $HOSTSIDE/req
	for _ in $(seq 1200); do
		[ -e $HOSTSIDE/rc ] && break
		sleep 0.25
	done
	cat $HOSTSIDE/resp $HOSTSIDE/err > "$TMP/host.out" 2>/dev/null
	return "$(cat $HOSTSIDE/rc 2>/dev/null || echo 1)"
}

# kmemleak reports an object only once it is 5 s old, and only after a
# scan that found it unreferenced: two scans 6 s apart.  What it reports
# of ours (a backtrace through ixdp or the virtio_net queue ops) goes
# into the test's output.
ix_lib_kmemleak_check()
{
	[ -w "$KMEMLEAK" ] || { fail "no $KMEMLEAK: leak check not run"; return; }
	echo scan > "$KMEMLEAK"
	sleep 6
	echo scan > "$KMEMLEAK"
	awk 'function end() { if (rec ~ /ixdp|virtnet|vnix/ && ++n <= 3) printf "%s", rec }
	/^unreferenced object/ { end(); rec = "" }
	{ rec = rec "# " $0 "\n" }
	END { end(); exit n > 0 }' "$KMEMLEAK" ||
		fail "kmemleak: $(grep -c unreferenced "$KMEMLEAK") objects unreferenced, ours among them"
}

# ix_lib_wait SECONDS CMD...: run CMD every 0.1 s until it succeeds;
# false after SECONDS, counted by bash's own clock (a process to read the
# time, each poll, costs tens of ms in the debug VM).
ix_lib_wait()
{
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		[ "$SECONDS" -le "$end" ] || return 1
		sleep 0.1
	done
}

# The client's first line says every connection echoes; read without a
# fork, since CPU 0 is busy with the client's threads starting.
ix_lib_load_started()
{
	local line

	read -r line 2> /dev/null < "$1" && [[ $line == *"connections echo" ]]
}

ix_lib_load()
{
	local name=$1

	shift
	ip netns exec peer sh -c 'renice -n 20 -p $$ > /dev/null && exec "$@"' - \
		"$DIR/ix_echo_client" "$@" > "$TMP/$name.log" 2>&1 &
	load_pid=$!
	ix_lib_wait 60 ix_lib_load_started "$TMP/$name.log" ||
		fail "$name: the load did not start: $(cat "$TMP/$name.log")"
}

# ix_lib_peer_quiet: no socket of the peer's namespace is in a state that
# sends on its own (/proc/net/tcp's st: 02 SYN_SENT, 04 FIN_WAIT1, 09
# LAST_ACK, 0B CLOSING).
ix_lib_peer_quiet()
{
	peer cat /proc/net/tcp 2> /dev/null |
		awk '$4 ~ /^(02|04|09|0B)$/ { f = 1 } END { exit f }'
}

# ix_lib_settle: wait, 3 s at most, until the peer is quiet, so that its
# ended connections do not reach the dataplane a later test attaches
# (the host agent waits so for the host's).
ix_lib_settle()
{
	ix_lib_wait 3 ix_lib_peer_quiet ||
		echo "# the peer's connections still closing after 3 s"
}

ix_lib_load_wait()
{
	wait $load_pid || fail "$1: $(tail -n 3 "$TMP/$1.log")"
	ix_lib_settle
	grep -h -e "msg/s" -e "windows: " "$TMP/$1.log" | sed "s/^/# $1: /"
}

ix_lib_load_stop()
{
	kill -USR1 $load_pid 2> /dev/null
	ix_lib_load_wait "$1"
}

ix_lib_listening()
{
	local net=""

	[ "$1" = peer ] && { net=peer; shift; }
	# /proc/net/tcp: local address as HEX_IP:HEX_PORT, state 0A (LISTEN)
	${net:+peer} cat /proc/net/tcp | awk -v p="$(printf ':%04X' "$1")" \
		'$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}

# ix_lib_stat NAME: a counter of the device, read by the shell itself
# (a cat per counter costs tens of milliseconds in the debug VM).
ix_lib_stat()
{
	local v

	read -r v < "$SYS/stats/$1" || return
	echo "$v"
}

# ix_lib_stats_line: the device's TCP, handoff and drop counters that are
# not zero, on one line: what a failure tells of the stack.
ix_lib_stats_line()
{
	local f v out=""

	for f in "$SYS"/stats/tcp_* "$SYS"/stats/handoff_* "$SYS"/stats/drop/*; do
		read -r v < "$f" 2> /dev/null || continue
		[ "$v" = 0 ] || out="$out ${f#"$SYS"/stats/}=$v"
	done
	echo "${out# }"
}

ix_lib_skipped()
{
	echo "# not run: $*"
	skipped="$skipped${skipped:+; }$*"
}

ix_lib_exit()
{
	[ $ret = 0 ] || exit 1
	if [ -n "$skipped" ]; then
		echo "SKIP: $skipped"
		exit $ksft_skip
	fi
	echo "ok: $*"
	exit 0
}

ix_lib_open_conns()
{
	echo $(($(ix_lib_stat tcp_active) + $(ix_lib_stat tcp_passive) -
		$(ix_lib_stat tcp_closed)))
}

# netem on the peer's link, both ways: on eth1's egress, and on its
# ingress through ifb0; "none" takes it away.
ix_lib_netem()
{
	peer tc qdisc del dev eth1 root 2>/dev/null
	peer tc qdisc del dev eth1 ingress 2>/dev/null
	peer ip link del ifb0 2>/dev/null
	[ "$1" = none ] && return 0
	peer tc qdisc add dev eth1 root netem "$@" &&
	peer ip link add ifb0 type ifb &&
	peer ip link set ifb0 up &&
	peer tc qdisc add dev eth1 handle ffff: ingress &&
	peer tc filter add dev eth1 parent ffff: matchall \
		action mirred egress redirect dev ifb0 &&
	peer tc qdisc add dev ifb0 root netem "$@" ||
		{ fail "netem $*"; return 1; }
}
