#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Functional host test of ix_load, echo_epoll and echo_uring, in a
# network namespace of its own with 198.18.251.1-5 on its loopback (no
# traffic leaves it).  Each server is driven by ix_load for about two
# seconds, closed and open loop, every answer verified; echo_epoll
# busy-polling (-b) and echo_uring with NAPI busy poll (-n); memcached
# (Debian's) with the USR and ETC workloads after a preload; then 2,048
# connections over four source addresses, in one process and split over
# two.  TAP-style lines; the exit status is nonzero if any check fails,
# 4 (skip) when not root.
#
#	test.sh [BINDIR]	(default: this script's directory)

BIN=$(readlink -f "${1:-$(dirname "$(readlink -f "$0")")}")
NS=ixbench-$$
ADDR=198.18.251.1
TMP=$(mktemp -d)
PIDS=()
n=0
failed=0

cleanup()
{
	local pid

	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
		[ -n "$3" ] && [ -s "$3" ] && sed 's/^/# /' "$3" | head -40
	fi
}

in_ns()
{
	ip netns exec "$NS" "$@"
}

# jnum FILE KEY: the first number called KEY in an ix_load JSON result.
jnum()
{
	grep -o "\"$2\": [0-9.]*" "$1" | head -1 | awk '{ print $2 }'
}

# Is the JSON arithmetic condition true?  jtest FILE 'EXPR' KEY...
jtest()
{
	local file=$1 expr=$2 key v
	shift 2

	for key in "$@"; do
		v=$(jnum "$file" "$key")
		[ -n "$v" ] || return 1
		expr=${expr//\{$key\}/$v}
	done
	awk "BEGIN { exit !($expr) }"
}

wait_port()
{
	local i

	for i in $(seq 50); do
		in_ns bash -c "exec 3<>/dev/tcp/$ADDR/$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# start NAME PORT CMD...: a server in the namespace, in the background.
start()
{
	local name=$1 port=$2
	shift 2

	# Not through in_ns: $! must be the server, not a subshell.
	ip netns exec "$NS" "$@" >"$TMP/$name.out" 2>&1 &
	PIDS+=($!)
	eval "PID_$name=$!"
	wait_port "$port"
	result $? "$name starts on $ADDR:$port" "$TMP/$name.out"
}

# load NAME CHECK ARGS...: run ix_load -j, then check its JSON.
load()
{
	local name=$1 check=$2 out=$TMP/load$n.json err=$TMP/load$n.err
	shift 2

	in_ns "$BIN/ix_load" -h "$ADDR" -j -q "$@" >"$out" 2>"$err"
	if [ $? = 0 ] && $check "$out"; then
		result 0 "$name"
	else
		echo "ix_load $*" >>"$err"
		cat "$out" >>"$err"
		result 1 "$name" "$err"
	fi
}

echo_ok()
{
	jtest "$1" '{throughput_rps} > 0 && {requests} > 0 && {verify} == 0 && {total} == 0' \
		throughput_rps requests verify total
}

# A closed-loop run of 2 s: a count for each second, none empty, adding
# up to no more than what was completed.
per_second_ok()
{
	local secs

	secs=$(sed -n 's/.*"per_second": \[\(.*\)\].*/\1/p' "$1" | tr -d ' ')
	echo "$secs" | awk -F, -v done="$(jnum "$1" completed)" '
		{ for (i = 1; i <= NF; i++) { bad = bad || $i <= 0; sum += $i } }
		END { exit bad || !(NF >= 2 && sum > 0 && sum <= done) }' &&
	echo_ok "$1"
}

kv_preloaded_ok()
{
	jtest "$1" '{preload_stored} == {keys} && {preload_failed} == 0' \
		preload_stored keys preload_failed &&
	jtest "$1" '{gets} > 0 && {hits} >= 0.99 * {gets} && {misses} <= 0.01 * {gets}' \
		gets hits misses &&
	echo_ok "$1"
}

kv_mixed_ok()
{
	jtest "$1" '{hits} > 0 && {misses} > 0 && {hits} + {misses} == {gets}' \
		hits misses gets && echo_ok "$1"
}

stop()
{
	local pid_var=PID_$1

	kill -TERM "${!pid_var}"
	wait "${!pid_var}"
	result $? "$1 exits cleanly on SIGTERM" "$TMP/$1.out"
}

echo_server()
{
	local name=$1 port=$2
	shift 2

	start "$name" "$port" "$@"
	load "$name: echo, 1 connection, closed loop, answers each second" \
		per_second_ok -p "$port" -c 1 -d 2
	load "$name: echo, 16 connections, closed loop, depth 4" echo_ok \
		-p "$port" -c 16 -D 4 -d 2
	load "$name: echo, 16 connections, open loop at 5000/s" echo_ok \
		-p "$port" -c 16 -r 5000 -d 2
}

spread_ok()
{
	jtest "$1" '{conns_up} == 2048 && {conns_up_end} == 2048' \
		conns_up conns_up_end && echo_ok "$1"
}

many_connections()
{
	local srcs

	in_ns "$BIN/ix_load" -h "$ADDR" -p 7001 -c 2048 -t 2 -d 3 -j -q \
		-S 198.18.251.2-5 >"$TMP/many.json" 2>"$TMP/many.err" &
	sleep 2
	srcs=$(in_ns ss -Htn state established '( dport = :7001 )' |
	       awk '{ split($3, a, ":"); print a[1] }' | sort | uniq -c)
	wait $!
	if [ $? = 0 ] && spread_ok "$TMP/many.json"; then
		result 0 "2048 connections from 198.18.251.2-5"
	else
		cat "$TMP/many.json" >>"$TMP/many.err"
		result 1 "2048 connections from 198.18.251.2-5" "$TMP/many.err"
	fi
	echo "$srcs" >"$TMP/srcs"
	[ "$(echo "$srcs" | grep -c '198\.18\.251\.[2-5]$')" = 4 ] &&
		[ "$(echo "$srcs" | awk '{ s += $1 } END { print s }')" -ge 2048 ]
	result $? "2048 connections spread over 4 source addresses" "$TMP/srcs"
}

# More connections than one process may have descriptors for: ix_load
# spreads them over worker processes by itself.
split_processes()
{
	prlimit --nofile=1200 ip netns exec "$NS" "$BIN/ix_load" -h "$ADDR" \
		-p 7002 -c 2048 -t 2 -d 2 -j -q -S 198.18.251.2-5 \
		>"$TMP/split.json" 2>"$TMP/split.err"
	if [ $? = 0 ] && jtest "$TMP/split.json" '{procs} == 2' procs &&
	   spread_ok "$TMP/split.json"; then
		result 0 "2048 connections under a limit of 1200 descriptors: 2 processes"
	else
		cat "$TMP/split.json" >>"$TMP/split.err"
		result 1 "2048 connections under a limit of 1200 descriptors: 2 processes" \
			"$TMP/split.err"
	fi
}

# Busy-poll echo_epoll (-b): every connection's SO_BUSY_POLL read back,
# and epoll_wait() polling by EPIOCSPARAMS or, before 6.9, the stated
# fallback to the sysctl.  Loopback has no NAPI instance to poll: this
# checks that the settings take and that the server still echoes.
epoll_busy()
{
	local out=$TMP/echo_epoll_busy.out

	echo_server echo_epoll_busy 7005 "$BIN/echo_epoll" -b 50 \
		-l "$ADDR" -p 7005
	grep -q '^echo_epoll: busy poll 50 us on each connection' "$out"
	result $? "echo_epoll -b 50: busy poll set on its connections" "$out"
	grep -q -e '^echo_epoll: epoll_wait busy-polls 50 us$' \
		-e '^echo_epoll: EPIOCSPARAMS: .*only under net.core.busy_poll$' \
		"$out"
	result $? "echo_epoll -b 50: epoll_wait busy-polls, or says why not" \
		"$out"
	"$BIN/echo_epoll" -b 0 -l "$ADDR" -p 7005 >"$TMP/busy0.out" 2>&1
	[ $? = 2 ] && grep -q usage "$TMP/busy0.out"
	result $? "echo_epoll -b 0 is refused" "$TMP/busy0.out"
}

# NAPI busy-poll echo_uring (-n): registered and read back by the
# kernel, then it echoes; or a kernel without IORING_REGISTER_NAPI (before
# 6.9, e.g. Debian's 6.1) ends it at once with a message that says so.
uring_napi()
{
	local out=$TMP/echo_uring_napi.out pid i

	ip netns exec "$NS" "$BIN/echo_uring" -n 50 -l "$ADDR" -p 7006 \
		>"$out" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	eval "PID_echo_uring_napi=$pid"
	# It listens before it sets up the ring: wait for its verdict.
	for i in $(seq 50); do
		grep -q -e 'registered$' -e 'refused: ' "$out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q '^echo_uring: NAPI busy poll 50 us registered$' "$out"; then
		result 0 "echo_uring -n 50: NAPI busy poll registered"
		load "echo_uring -n 50: echo, 16 connections" echo_ok \
			-p 7006 -c 16 -D 4 -d 1
		stop echo_uring_napi
	else
		wait "$pid"
		[ $? = 1 ] && grep -q '^echo_uring: IORING_REGISTER_NAPI refused: ' "$out"
		result $? "echo_uring -n 50: refused by $(uname -r), and says so" \
			"$out"
	fi
}

refused_reported()
{
	in_ns "$BIN/ix_load" -h "$ADDR" -p 7999 -c 2 -d 1 -q \
		>"$TMP/refused.out" 2>&1
	[ $? != 0 ] && grep -q "$ADDR:7999: Connection refused" "$TMP/refused.out"
	result $? "a refused connection is reported with its address" \
		"$TMP/refused.out"
}

memcached_tests()
{
	if ! command -v memcached >/dev/null; then
		apt-get install -y memcached >"$TMP/apt.out" 2>&1
		result $? "memcached installed" "$TMP/apt.out"
	fi
	start memcached 11211 memcached -t 1 -l "$ADDR" -p 11211 -U 0 \
		-u nobody -m 256
	load "memcached: USR, preload, 8 connections" kv_preloaded_ok \
		-W usr -P -k 10000 -c 8 -d 2
	load "memcached: ETC, preload, 8 connections, depth 2" \
		kv_preloaded_ok -W etc -P -k 10000 -c 8 -D 2 -d 2
	load "memcached: ETC, binary protocol, half the keys stored" \
		kv_mixed_ok -W etc -B -k 20000 -c 4 -t 2 -d 2
	load "memcached: USR, open loop at 5000/s" echo_ok \
		-W usr -k 10000 -c 8 -r 5000 -d 2
	stop memcached
}

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root for a network namespace"
	exit 4
fi
for b in ix_load echo_epoll echo_uring; do
	if [ ! -x "$BIN/$b" ]; then
		echo "Bail out! $BIN/$b not built (make -C tools/ix/bench O=...)"
		exit 1
	fi
done
trap cleanup EXIT
ip netns add "$NS" || exit 1
in_ns ip link set lo up
for i in 1 2 3 4 5; do
	in_ns ip addr add 198.18.251.$i/32 dev lo
done

echo_server echo_epoll 7001 "$BIN/echo_epoll" -l "$ADDR" -p 7001
echo_server echo_epoll_et 7002 "$BIN/echo_epoll" -e -l "$ADDR" -p 7002
echo_server echo_uring 7003 "$BIN/echo_uring" -l "$ADDR" -p 7003
start echo_uring_small 7004 "$BIN/echo_uring" -b 16 -l "$ADDR" -p 7004
load "echo_uring: 32 KiB messages through 16 provided buffers" echo_ok \
	-p 7004 -c 4 -D 2 -s 32768 -d 1
epoll_busy
uring_napi
many_connections
split_processes
refused_reported
memcached_tests
for s in echo_epoll echo_epoll_et echo_epoll_busy echo_uring \
	echo_uring_small; do
	stop "$s"
done

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
