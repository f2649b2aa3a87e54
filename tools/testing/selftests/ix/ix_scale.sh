#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ix scale: the cores of an attached device change while it serves.
# eth0's two queue pairs start on one core (CPU 1), and the in-kernel
# echo service answers CONNS connections from the peer while CPU 2
# joins and CPU 1 leaves, then, while the load lasts, ROUNDS rounds of
# 2 -> 1-2 -> 1 -> 1-2 -> 2: a core that joins takes a queue pair; the
# connections of a core that leaves move, with the bytes they hold, to
# one that stays.  Every byte is checked by the client, no connection
# may be reset, and the moves show in the counters.  A CPU given back
# can leave the reservation.
# Needs 3 CPUs (make check runs it in the 3-CPU VM); skips otherwise.

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

CONNS=16
ROUNDS=${IXDP_SCALE_ROUNDS:-10}
PORT=7
IX="$DIR/ix"

if [ "$(nproc)" -lt 3 ]; then
	echo "SKIP: needs 3 CPUs"
	exit $ksft_skip
fi
ix_lib_need
# The guest's Linux has CPU 0 alone: ix scale must not wait behind the
# load it drives (its client runs at nice 0).
renice -n -10 -p $$ > /dev/null || fail "renice"

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
	ix_lib_wait 30 grep -q "connections echo" "$TMP/$1.log" ||
		fail "$1: the load did not start: $(cat "$TMP/$1.log")"
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

# scale_sysfs LIST: the same by a write to sysfs, without a process to
# start: the rounds under load are many.
scale_sysfs()
{
	echo "$1" 2> "$TMP/scale.out" > "$SYS/cpus"
}

# scale_to [-f] LIST: scale (-f: scale_sysfs), again while a connection
# is being opened (EAGAIN).
scale_to()
{
	local how=scale _

	[ "$1" = -f ] && { how=scale_sysfs; shift; }
	for _ in $(seq 50); do
		$how "$1" && return 0
		grep -qE "being opened|temporarily unavailable" "$TMP/scale.out" ||
			break
		sleep 0.1
	done
	fail "scale to $1: $(cat "$TMP/scale.out")"
	return 1
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
for c in tcp_resets tcp_resets_in tcp_accepted tcp_migrated_out \
	 tcp_migrated_in tcp_migrate_refused handoff_drops; do
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

# A core joins under load; the connections on CPU 1 go on.
echo_load first 3000
scale_to 1-2
[ "$(cat "$SYS/cpus")" = 1-2 ] || fail "cpus $(cat "$SYS/cpus") after scale to 1-2"
[ -d "$SYS/cpu2" ] && [ -d "$SYS/queue0" ] && [ -d "$SYS/queue1" ] ||
	fail "cpu2 or a queue directory missing: $(ls "$SYS" | tr '\n' ' ')"
loop_thread 1 || fail "no loop thread on CPU 1: the test cannot see threads"
loop_thread 2 || fail "no loop thread on CPU 2"
# CPU 1 leaves with every connection: they move to CPU 2.
scale_to 2
kill -0 $load_pid 2> /dev/null ||
	fail "the load ended before CPU 1 left: the test proved nothing"
[ "$(cat "$SYS/cpus")" = 2 ] && [ ! -d "$SYS/cpu1" ] ||
	fail "after scale to 2: cpus $(cat "$SYS/cpus"), $(ls "$SYS" | tr '\n' ' ')"
[ "$(stat tcp_migrated_in)" -ge $CONNS ] ||
	fail "$(stat tcp_migrated_in) connections moved, $CONNS open"

# Round and round while the load runs.
moves=$(stat tcp_migrated_in)
rounds=0
while [ $rounds -lt "$ROUNDS" ] && kill -0 $load_pid 2> /dev/null; do
	for cpus in 1-2 1 1-2 2; do
		scale_to -f $cpus || break 2
	done
	rounds=$((rounds + 1))
done
echo "# $rounds rounds of 2 -> 1-2 -> 1 -> 1-2 -> 2 under load," \
     "$(($(stat tcp_migrated_in) - moves)) connections moved"
[ $rounds -ge 1 ] && [ "$(stat tcp_migrated_in)" -gt "$moves" ] ||
	fail "no connection moved in the rounds under load"
load_wait first

# CPU 2 leaves; its CPU goes back.  CPU 1 serves both queues.
scale_to 1
echo_load second 100
load_wait second
[ "$(cat "$SYS/cpus")" = 1 ] && [ ! -d "$SYS/cpu2" ] &&
	[ -d "$SYS/queue0" ] && [ -d "$SYS/queue1" ] ||
	fail "after scale to 1: cpus $(cat "$SYS/cpus"), $(ls "$SYS" | tr '\n' ' ')"
sleep 0.5
loop_thread 2 && fail "CPU 2's loop thread still runs"
echo 1 > /sys/kernel/ixdp/cpus || fail "CPU 2 still in use after it left"

echo "# accepted $(stat tcp_accepted), moved out $(stat tcp_migrated_out)" \
     "in $(stat tcp_migrated_in), refused $(stat tcp_migrate_refused)," \
     "handoff drops $(stat handoff_drops)"
[ "$(stat tcp_migrated_out)" = "$(stat tcp_migrated_in)" ] ||
	fail "moved out $(stat tcp_migrated_out), in $(stat tcp_migrated_in)"
[ "$(stat tcp_accepted)" -ge $((2 * CONNS)) ] ||
	fail "$(stat tcp_accepted) of $((2 * CONNS)) connections accepted"
[ "$(stat tcp_resets)" = 0 ] || fail "$(stat tcp_resets) RST sent"
[ "$(stat tcp_resets_in)" = 0 ] || fail "$(stat tcp_resets_in) RST received"

echo 0 > "$SYS/attached" || fail "detach"
ix_lib_kmemleak_check
ix_lib_exit "cores join and leave under load, connections move, nothing reset"
