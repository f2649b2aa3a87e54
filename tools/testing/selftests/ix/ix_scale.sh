#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ix scale: the cores of an attached device change while it serves.
# eth0's queue pairs start on one core (CPU 1), and the in-kernel echo
# service answers CONNS connections from the peer while CPU 2 joins and
# CPU 1 leaves; then, while the load lasts, ROUNDS rounds that take the
# device from one core to two, to three and back to one (with 4 CPUs and
# 3 queue pairs; with 3 CPUs and 2 pairs, 1 -> 2 -> 1 cores twice), the
# single core a different CPU each time, so that every connection moves
# each round; then NETEM_ROUNDS more under 1% loss both ways on the
# peer's link.  A core that joins takes a queue pair, and the echo
# service's connections up to the average of the cores; the connections
# of a core that leaves move, with the bytes they hold, to one that stays.
# Every byte is checked by the client, no connection may be reset, and
# the moves show in the counters, per core.  A CPU given back can leave
# the reservation.  The client gives the round trips of the messages in
# flight while connections moved apart from the others (step_moves'
# windows), and some must have been.
# With IXDP_SCALE_APP=1 (ix_scale_app.sh) the same runs through an
# application instead of the in-kernel echo service: ix_echo with three
# elastic threads (IX_SETUP_F_ELASTIC), one per core, the others
# standing by; a leaving core's thread hands its connections to the
# thread of a core that stays and stands by again, a joining core takes
# a standby thread, which takes its share of the connections of the
# threads that stay.
# Needs 3 CPUs (make check runs it in the 4-CPU VM); skips otherwise.

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

CONNS=64
ROUNDS=${IXDP_SCALE_ROUNDS:-10}
NETEM_ROUNDS=${IXDP_SCALE_NETEM_ROUNDS:-3}
PORT=7
IX="$DIR/ix"
APP=${IXDP_SCALE_APP:-0}

NCPU=$(nproc)	# before the reservation takes CPUs from this shell
if [ $NCPU -lt 3 ]; then
	echo "SKIP: needs 3 CPUs"
	exit $ksft_skip
fi
# The steps of a round, from the single core at the end of the one before
# (CPU 2 at first); the last step is again a single core.
NQ=$(ls -d /sys/class/net/$DEV/queues/rx-* | wc -l)
if [ $NCPU -ge 4 ] && [ "$NQ" -ge 3 ]; then
	RESERVE=1-3
	CORES="1 2 3"
	QUEUES=0-2
	STEPS=("2-3 1-3 3" "1,3 1-3 1" "1-2 1-3 2")
else
	RESERVE=1-2
	CORES="1 2"
	QUEUES=0-1
	STEPS=("1-2 1" "1-2 2")
fi
ix_lib_need
# The guest's Linux has CPU 0 alone: ix scale and this script must not
# wait behind the load they drive (its client's CONNS threads run at
# nice 10, echo_load).
renice -n -10 -p $$ > /dev/null || fail "renice"

declare -A base
stat()
{
	echo $(($(cat "$SYS/stats/$1") - ${base[$1]:-0}))
}

# echo_load NAME MSGS: CONNS connections from the peer (ix_lib_load),
# MSGS messages each at most.  The client reads the windows in which
# connections moved (step_moves) once it is done, and gives the round
# trips in flight during them apart.
echo_load()
{
	IX_ECHO_WINDOWS=$TMP/moves ix_lib_load "$1" $DP $PORT $CONNS "$2" 1000
}
: > "$TMP/moves"

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
	local how=scale

	[ "$1" = -f ] && { how=scale_sysfs; shift; }
	ix_lib_scale_retry $how "$1"
}

# loop_thread CPU: the core's loop thread (ixdp/CPU) exists.
loop_thread()
{
	grep -qx "ixdp/$1" /proc/[0-9]*/comm 2>/dev/null
}

# The counters of a core's directory: cpuN/NAME, 0 if it has none.
core_stat()
{
	local v=0

	[ -d "$SYS/cpu$1" ] && read -r v < "$SYS/cpu$1/$2"
	echo $v
}

echo $RESERVE > /sys/kernel/ixdp/cpus || fail "reserve CPUs $RESERVE"
echo $QUEUES > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
[ "$APP" = 1 ] || echo $PORT > "$SYS/echo_port"
echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
if [ "$APP" = 1 ]; then
	# A thread per core the device may have; 64 KiB of send ring for
	# each of 256 connections, in the TX memory the threads share.
	ix_lib_start ix_echo $PORT "$DIR/ix_echo" 1 $PORT 64 256 3 || exit 1
	echo_pid=$app_pid
fi
for c in tcp_resets tcp_resets_in tcp_accepted tcp_migrated_out \
	 tcp_migrated_in tcp_migrate_refused handoff_drops; do
	base[$c]=$(cat "$SYS/stats/$c")
done
[ -d "$SYS/queue1" ] && [ ! -d "$SYS/cpu2" ] || fail "attach: not one core"

# Refused: nothing changes.
for bad in 0 "" 1-$NCPU 1,5; do
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
# The joining core takes its share at once (the echo service's, or
# ix_echo's joining thread from the thread on CPU 1): half of them, but
# for any in a state that cannot move then (a handshake).
took=$(core_stat 2 tcp_migrated_in)
echo "# CPU 2 joined and took $took of the $CONNS connections"
[ "$took" -ge $((CONNS / 2 - 2)) ] ||
	fail "CPU 2 joined and took $took of the $CONNS connections"
# CPU 1 leaves with every connection: they move to CPU 2.
scale_to 2
kill -0 $load_pid 2> /dev/null ||
	fail "the load ended before CPU 1 left: the test proved nothing"
[ "$(cat "$SYS/cpus")" = 2 ] && [ ! -d "$SYS/cpu1" ] ||
	fail "after scale to 2: cpus $(cat "$SYS/cpus"), $(ls "$SYS" | tr '\n' ' ')"
[ "$(stat tcp_migrated_in)" -ge $CONNS ] ||
	fail "$(stat tcp_migrated_in) connections moved, $CONNS open"

# step_moves CMD...: run CMD, and add the connections each core took in
# meanwhile to moved_in[CPU]; if some moved, the time CMD took (from
# /proc/uptime, to 10 ms) is a window in $TMP/moves.
declare -A moved_in
step_moves()
{
	local c rc now up0 up1 _ moved=0
	local -A was

	# No command substitution: a fork waits behind the load.
	for c in $CORES; do
		was[$c]=0
		[ -d "$SYS/cpu$c" ] && read -r "was[$c]" < "$SYS/cpu$c/tcp_migrated_in"
	done
	read -r up0 _ < /proc/uptime
	"$@"
	rc=$?
	read -r up1 _ < /proc/uptime
	for c in $CORES; do
		[ -d "$SYS/cpu$c" ] || continue
		read -r now < "$SYS/cpu$c/tcp_migrated_in"
		moved=$((moved + now - ${was[$c]}))
		moved_in[$c]=$((${moved_in[$c]:-0} + now - ${was[$c]}))
	done
	[ $moved -gt 0 ] && echo "$up0 $up1" >> "$TMP/moves"
	return $rc
}

# Round and round while the load runs; ROUNDS rounds, the first NR of
# them under NETEM.
rounds()
{
	local nr=$1 netem=$2 moves=$(stat tcp_migrated_in) r=0 cpus

	[ -n "$netem" ] && ix_lib_netem $netem
	while [ $r -lt "$nr" ] && kill -0 $load_pid 2> /dev/null; do
		for cpus in ${STEPS[$((step++ % ${#STEPS[@]}))]}; do
			step_moves scale_to -f $cpus || break 2
		done
		r=$((r + 1))
	done
	[ -n "$netem" ] && ix_lib_netem none
	echo "# $r rounds${netem:+ under netem $netem}, one core to" \
	     "$(echo $RESERVE | tr - ' ' | awk '{ print $2 - $1 + 1 }')" \
	     "and back: $(($(stat tcp_migrated_in) - moves)) connections moved"
	[ $r -eq "$nr" ] ||
		fail "$r of $nr rounds${netem:+ under netem}: the load ended first"
	[ "$(stat tcp_migrated_in)" -ge $((moves + r * CONNS)) ] ||
		fail "$r rounds${netem:+ under netem}: $(($(stat tcp_migrated_in) - moves)) moves, not $CONNS a round"
}
# moved_under_load NAME: the load NAME had messages in flight while
# connections moved.
moved_under_load()
{
	grep -q "windows: during them [1-9]" "$TMP/$1.log" ||
		fail "$1: no message in flight while connections moved:" \
		     "$(grep "windows: " "$TMP/$1.log")"
}
step=0
rounds "$ROUNDS"
ix_lib_load_stop first
moved_under_load first
echo_load netem 3000
rounds "$NETEM_ROUNDS" "loss 1%"
ix_lib_load_stop netem
moved_under_load netem
echo "# connections each core took:" \
     "$(for c in $CORES; do printf ' cpu%s %s' $c ${moved_in[$c]:-0}; done)"

# The other CPUs leave and go back.  CPU 1 serves every queue.  An
# application's device keeps a core through a scale: by way of all.
[ "$APP" = 1 ] && scale_to $RESERVE
scale_to 1
echo_load second 100
ix_lib_load_wait second
[ "$(cat "$SYS/cpus")" = 1 ] && [ "$(ls -d "$SYS"/cpu[0-9]*)" = "$SYS/cpu1" ] ||
	fail "after scale to 1: cpus $(cat "$SYS/cpus"), $(ls "$SYS" | tr '\n' ' ')"
for q in $(seq 0 $((${QUEUES#0-}))); do
	[ -d "$SYS/queue$q" ] || fail "queue $q not served after scale to 1"
done
sleep 0.5
for c in $CORES; do
	[ $c = 1 ] && continue
	loop_thread $c && fail "CPU $c's loop thread still runs"
done
echo 1 > /sys/kernel/ixdp/cpus || fail "CPUs still in use after they left"

echo "# accepted $(stat tcp_accepted), moved out $(stat tcp_migrated_out)" \
     "in $(stat tcp_migrated_in), refused $(stat tcp_migrate_refused)," \
     "handoff drops $(stat handoff_drops)"
[ "$(stat tcp_migrated_out)" = "$(stat tcp_migrated_in)" ] ||
	fail "moved out $(stat tcp_migrated_out), in $(stat tcp_migrated_in)"
[ "$APP" = 1 ] ||
	[ "$(stat tcp_accepted)" -ge $((3 * CONNS)) ] ||
	fail "$(stat tcp_accepted) of $((3 * CONNS)) connections accepted"
[ "$(stat tcp_resets)" = 0 ] || fail "$(stat tcp_resets) RST sent; $(ix_lib_stats_line)"
[ "$(stat tcp_resets_in)" = 0 ] || fail "$(stat tcp_resets_in) RST received"

if [ "$APP" = 1 ]; then
	kill -TERM $echo_pid
	wait $echo_pid
	grep "^ix_echo: thread" "$TMP/ix_echo.log"
	[ "$(grep -c "^ix_echo: thread .*, 0 events dropped" "$TMP/ix_echo.log")" = 3 ] ||
		fail "ix_echo's threads did not all end well: $(cat "$TMP/ix_echo.log")"
	moved=$(awk '/^ix_echo: thread/ { n += $6 } END { print n + 0 }' "$TMP/ix_echo.log")
	[ "$moved" -ge $CONNS ] ||
		fail "ix_echo's threads took $moved moved connections"
	# Told of what they gave while staying (IX_EV_TCP_MOVED_OUT): at
	# least CPU 2's first share; a leaving thread is told nothing.
	out=$(awk '/^ix_echo: thread/ { n += $9 } END { print n + 0 }' "$TMP/ix_echo.log")
	[ "$out" -ge "$took" ] && [ "$out" -lt "$moved" ] ||
		fail "ix_echo's staying threads were told of $out moves out (CPU 2 took $took; $moved moved in all)"
	# The stack's tcp_accepted counts the echo service's.
	acc=$(awk '/^ix_echo: thread/ { n += $4 } END { print n + 0 }' "$TMP/ix_echo.log")
	[ "$acc" -ge $((3 * CONNS)) ] ||
		fail "ix_echo accepted $acc of $((3 * CONNS)) connections"
fi
echo 0 > "$SYS/attached" || fail "detach"
ix_lib_kmemleak_check
ix_lib_exit "cores join and leave under load, connections move, nothing reset"
