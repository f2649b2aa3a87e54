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
"$ksft_skip")	echo "# $(cat "$TMP/host.out"): host-side echo not run" ;;
*)	fail "echo from the host: $(cat "$TMP/host.out")" ;;
esac
kill -0 $echo_pid 2>/dev/null || fail "ix_echo died: $(cat "$TMP/echo.log")"

# Killed with connections open: the peer's connections are reset.
peer timeout 60 "$DIR/ix_echo_client" $DP 7 4 100000 4096 3 \
	> "$TMP/client.log" 2>&1 &
client=$!
for _ in $(seq 300); do
	grep -q "connections echo" "$TMP/client.log" && break
	sleep 0.2
done
kill -9 $echo_pid
wait $echo_pid 2>/dev/null
wait $client && fail "client did not notice the server's death"
[ "$(grep -c "reset by the server" "$TMP/client.log")" = 4 ] ||
	fail "connections were not reset: $(cat "$TMP/client.log")"
# The kernel loop serves the CPU again.
peer ping -c 3 -W 2 $DP > /dev/null || fail "no ping after the application died"

# Detached under a running application: it is told, and exits.
start_echo || exit 1
echo 0 > "$SYS/attached" || fail "detach with an application bound"
for _ in $(seq 50); do
	kill -0 $echo_pid 2>/dev/null || break
	sleep 0.1
done
if kill -0 $echo_pid 2>/dev/null; then
	fail "ix_echo still running after detach"
	kill -9 $echo_pid
fi
wait $echo_pid 2>/dev/null
grep -q "No such device" "$TMP/echo.log" ||
	fail "ix_echo was not told: $(cat "$TMP/echo.log")"

echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
peer ping -c 2 -W 2 198.18.0.2 > /dev/null || fail "Linux lost $DEV"

ix_lib_kmemleak_check
[ $ret = 0 ] && echo "ok: echo on /dev/ix, every byte verified; kill and detach clean"
exit $ret
