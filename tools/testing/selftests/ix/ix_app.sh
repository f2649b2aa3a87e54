#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An application on /dev/ix: the libix echo server (ix_echo) bound to
# reserved CPU 1 serves the Linux peer's TCP, every byte verified, with
# many connections and message sizes from 1 byte to 64 KiB.  Then what
# happens when it goes: killed with connections open (the peer sees them
# reset, the kernel loop takes the CPU back and answers ping), and when
# the device is detached under it (its run fails with ENODEV).  kmemleak
# finds nothing at the end.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need

# start_echo: ix_echo on CPU 1, port 7; waits until it listens.
start_echo()
{
	"$DIR/ix_echo" 1 7 > "$TMP/echo.log" 2>&1 &
	echo_pid=$!
	for _ in $(seq 50); do
		grep -q "port 7" "$TMP/echo.log" && return 0
		kill -0 $echo_pid 2>/dev/null || break
		sleep 0.1
	done
	fail "ix_echo did not start: $(cat "$TMP/echo.log")"
	return 1
}

ix_lib_attach

start_echo || exit 1
[ "$(awk '{print $39}' /proc/$echo_pid/stat)" = 1 ] ||
	fail "ix_echo does not run on CPU 1"

# Many connections, sizes up to 64 KiB, then many small messages.
peer timeout 120 "$DIR/ix_echo_client" $DP 7 16 12 65536 1 ||
	fail "16 connections, messages up to 64 KiB"
peer timeout 120 "$DIR/ix_echo_client" $DP 7 32 100 64 2 ||
	fail "32 connections, small messages"

# From the host's Linux TCP, through the bridge, when the host agent of
# `make check` runs (scripts/ixdp/host-agent.sh).
ix_lib_host echo $DP 7 8 6 65536 4
case $? in
0)	echo "host: $(cat "$TMP/host.out")" ;;
"$ksft_skip")	ix_lib_skipped "host-side echo: $(cat "$TMP/host.out")" ;;
*)	fail "echo from the host: $(cat "$TMP/host.out")" ;;
esac
kill -0 $echo_pid 2>/dev/null || fail "ix_echo died: $(cat "$TMP/echo.log")"

# load N NAME: N connections of the peer's echo client stream 4 KiB
# messages; returns once all N are open and zero-copy frames (payload
# sent from the TX memory) are leaving, as the counters say.
load()
{
	local want

	want=$(($(ix_lib_open_conns) + $1))
	peer timeout 60 "$DIR/ix_echo_client" $DP 7 "$1" 100000 4096 3 \
		> "$TMP/$2.log" 2>&1 &
	client=$!
	ix_lib_wait 30 eval '[ $(ix_lib_open_conns) -ge $want ]' ||
		fail "$2: $(($1 + $(ix_lib_open_conns) - want)) of $1 connections open"
	frags=$(ix_lib_stat tx_frags)
	ix_lib_wait 10 eval '[ $(ix_lib_stat tx_frags) -gt $frags ]' ||
		fail "$2: no zero-copy frames leaving"
	frags=$(ix_lib_stat tx_frags)
	ix_lib_wait 10 eval '[ $(ix_lib_stat tx_frags) -gt $frags ]' ||
		fail "$2: zero-copy frames stopped"
}

# Killed with 4 connections open and zero-copy sends in flight: the
# peer's connections are reset.
load 4 kill
kill -9 $echo_pid
wait $echo_pid 2>/dev/null
wait $client && fail "client did not notice the server's death"
[ "$(grep -c "reset by the server" "$TMP/kill.log")" = 4 ] ||
	fail "connections were not reset: $(cat "$TMP/kill.log")"
# The kernel loop serves the CPU again.
peer ping -c 3 -W 2 $DP > /dev/null || fail "no ping after the application died"

# Detached under a running application with 4 connections open and
# zero-copy sends in flight: it is told, and exits; the peer's
# connections end (reset), they do not hang.
start_echo || exit 1
load 4 detach
echo 0 > "$SYS/attached" || fail "detach with an application bound"
ix_lib_wait 10 eval '! kill -0 $echo_pid 2>/dev/null' || {
	fail "ix_echo still running after detach"
	kill -9 $echo_pid
}
wait $echo_pid 2>/dev/null
grep -q "No such device" "$TMP/echo.log" ||
	fail "ix_echo was not told: $(cat "$TMP/echo.log")"
wait $client
rc=$?
[ $rc != 0 ] && [ $rc != 124 ] ||
	fail "the peer's connections outlived the detach (status $rc): $(tail -n 2 "$TMP/detach.log")"

echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
peer ping -c 2 -W 2 198.18.0.2 > /dev/null || fail "Linux lost $DEV"

ix_lib_kmemleak_check
ix_lib_exit "echo on /dev/ix, every byte verified; kill and detach clean"
