#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ix scale: the cores of an attached device change while it serves.
# eth0's two queue pairs start on one core (CPU 1); the in-kernel echo
# service answers CONNS connections from the peer while a second core
# (CPU 2) joins, takes a queue pair and then serves new connections of
# its own.  A core holding connections cannot leave (EBUSY, nothing
# changed); once they are closed it leaves, its CPU goes back (the
# reservation can drop it) and the remaining core serves both queues.
# Every byte is checked by the client; no connection may be reset.
# Needs 3 CPUs (make check runs it in the 3-CPU VM); skips otherwise.

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

CONNS=16
PORT=7
IX="$DIR/ix"

if [ "$(nproc)" -lt 3 ]; then
	echo "SKIP: needs 3 CPUs"
	exit $ksft_skip
fi
ix_lib_need

declare -A base
stat()
{
	echo $(($(cat "$SYS/stats/$1") - ${base[$1]:-0}))
}

# echo_load NAME MSGS: CONNS connections from the peer, in the
# background (pid in load_pid), MSGS messages each.
echo_load()
{
	peer "$DIR/ix_echo_client" $DP $PORT $CONNS "$2" 1000 > "$TMP/$1.log" 2>&1 &
	load_pid=$!
}

load_wait()
{
	wait $load_pid || fail "$1: $(tail -n 3 "$TMP/$1.log")"
	grep -h "msg/s" "$TMP/$1.log" | sed "s/^/# $1: /"
}

# scale LIST: ix scale, its output in $TMP/scale.out, its status returned.
scale()
{
	"$IX" scale $DEV cpus "$1" > "$TMP/scale.out" 2>&1
}

# open_above N: more than N connections open on the device.
open_above()
{
	[ "$(ix_lib_open_conns)" -gt "$1" ]
}

# loop_thread CPU: the core's loop thread (ixdp/CPU) exists.
loop_thread()
{
	grep -qx "ixdp/$1" /proc/[0-9]*/comm 2>/dev/null
}

# The counters of a core's directory: cpuN/NAME, 0 if it has none.
core_stat()
{
	cat "$SYS/cpu$1/$2" 2>/dev/null || echo 0
}

echo 1-2 > /sys/kernel/ixdp/cpus || fail "reserve CPUs 1-2"
echo 0-1 > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
echo $PORT > "$SYS/echo_port"
echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
for c in tcp_resets tcp_resets_in tcp_accepted handoff_drops; do
	base[$c]=$(cat "$SYS/stats/$c")
done
[ -d "$SYS/queue1" ] && [ ! -d "$SYS/cpu2" ] || fail "attach: not one core"

# Refused: nothing changes.
for bad in 0 "" 1-3 1,5; do
	scale "$bad" && fail "scale to '$bad' accepted"
	grep -qE "must be reserved|no such CPU" "$TMP/scale.out" ||
		fail "scale to '$bad': $(cat "$TMP/scale.out")"
done
[ "$(cat "$SYS/cpus")" = 1 ] || fail "a refused scale changed cpus"

# A core joins under load: the connections on CPU 1 go on.  One more
# connection stays open on it, idle, until CPU 1 has been refused
# leaving.
open0=$(ix_lib_open_conns)
sleep 120 | peer nc $DP $PORT > /dev/null 2>&1 &
hold_pid=$!
ix_lib_wait 20 open_above "$open0" || fail "the idle connection did not open"
echo_load first 600
ix_lib_wait 20 grep -q "connections echo" "$TMP/first.log" ||
	fail "first load did not start: $(cat "$TMP/first.log")"
scale 1-2 || fail "scale to 1-2: $(cat "$TMP/scale.out")"
[ "$(cat "$SYS/cpus")" = 1-2 ] || fail "cpus $(cat "$SYS/cpus") after scale to 1-2"
[ -d "$SYS/cpu2" ] && [ -d "$SYS/queue0" ] && [ -d "$SYS/queue1" ] ||
	fail "cpu2 or a queue directory missing: $(ls "$SYS" | tr '\n' ' ')"
loop_thread 1 || fail "no loop thread on CPU 1: the test cannot see threads"
loop_thread 2 || fail "no loop thread on CPU 2"
# CPU 1 holds connections: it cannot leave.
scale 2 && fail "a core holding connections left"
grep -q "holds connections" "$TMP/scale.out" ||
	fail "scale to 2 under load: $(cat "$TMP/scale.out")"
[ "$(cat "$SYS/cpus")" = 1-2 ] || fail "a refused scale changed cpus"
load_wait first
kill $hold_pid

# New connections spread over both cores.
echo_load second 300
load_wait second
accepted2=$(core_stat 2 tcp_accepted)
echo "# CPU 1 accepted $(core_stat 1 tcp_accepted), CPU 2 $accepted2"
[ "$accepted2" -ge 1 ] || fail "the core that joined accepted no connection"

# Once they are closed, CPU 2 leaves.
left=0
for _ in $(seq 100); do
	scale 1 && { left=1; break; }
	sleep 0.1
done
[ $left = 1 ] || fail "CPU 2 did not leave: $(cat "$TMP/scale.out")"
[ "$(cat "$SYS/cpus")" = 1 ] && [ ! -d "$SYS/cpu2" ] &&
	[ -d "$SYS/queue0" ] && [ -d "$SYS/queue1" ] ||
	fail "after scale to 1: cpus $(cat "$SYS/cpus"), $(ls "$SYS" | tr '\n' ' ')"
sleep 0.5
loop_thread 2 && fail "CPU 2's loop thread still runs"
echo 1 > /sys/kernel/ixdp/cpus || fail "CPU 2 still in use after it left"
echo 1-2 > /sys/kernel/ixdp/cpus || fail "reserve CPU 2 again"

# Up and down again, ten times, between loads; one core serves both
# queues at the end.
for round in $(seq 10); do
	scale 1-2 || { fail "round $round: scale to 1-2: $(cat "$TMP/scale.out")"; break; }
	scale 1 || { fail "round $round: scale to 1: $(cat "$TMP/scale.out")"; break; }
done
echo_load third 300
load_wait third

echo "# accepted $(stat tcp_accepted), handoff drops $(stat handoff_drops)"
[ "$(stat tcp_accepted)" -ge $((3 * CONNS)) ] ||
	fail "$(stat tcp_accepted) of $((3 * CONNS)) connections accepted"
[ "$(stat tcp_resets)" = 0 ] || fail "$(stat tcp_resets) RST sent"
[ "$(stat tcp_resets_in)" = 0 ] || fail "$(stat tcp_resets_in) RST received"

echo 0 > "$SYS/attached" || fail "detach"
ix_lib_kmemleak_check
ix_lib_exit "a core joins and leaves an attached device under load, nothing reset"
