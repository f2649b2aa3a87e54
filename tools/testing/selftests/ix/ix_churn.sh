#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attach and detach under load, again and again: each round waits until
# two TCP streams are open through the echo service and their bytes are
# moving (the device's counters say so), then takes the device away with
# all of that in flight: by a write to attached, or, every other round,
# by "ip link set eth0 down".  Nothing may be lost (kmemleak finds no
# ixdp or virtio_net leak), the streams must end (reset or closed, not
# hung), and Linux must own eth0 afterwards.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ROUNDS=${IXDP_CHURN_ROUNDS:-4}

ix_lib_need
echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
echo 0-1 > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
echo 7 > "$SYS/echo_port"
# Streams long enough to outlast the round, slow enough not to end early.
head -c 16777216 /dev/zero > "$TMP/stream"

# moving BYTES: the echo service echoed more than BYTES.
moving()
{
	[ "$(ix_lib_stat echo_bytes)" -gt "$1" ]
}

# two_open: two streams of this round are connected.
two_open()
{
	[ "$(ix_lib_open_conns)" -ge $((open0 + 2)) ]
}

for round in $(seq "$ROUNDS"); do
	echo 1 > "$SYS/attached" || { fail "attach, round $round"; break; }
	open0=$(ix_lib_open_conns)
	peer ping -q -i 0.01 -c 3000 -W 1 $DP > /dev/null 2>&1 &
	for s in 1 2; do
		peer timeout 60 nc -w 5 $DP 7 < "$TMP/stream" > /dev/null 2>&1 &
	done
	ix_lib_wait 30 two_open ||
		fail "round $round: $(($(ix_lib_open_conns) - open0)) of 2 streams open"
	bytes=$(ix_lib_stat echo_bytes)
	ix_lib_wait 10 moving "$bytes" || fail "round $round: no bytes moving"
	bytes=$(ix_lib_stat echo_bytes)
	ix_lib_wait 10 moving "$bytes" || fail "round $round: bytes stopped"
	# Take the device away with both streams and the pings in flight.
	if [ $((round % 2)) = 0 ]; then
		ip link set "$DEV" down || fail "link down, round $round"
		[ "$(cat "$SYS/attached")" = 0 ] ||
			fail "round $round: still attached after link down"
		ip link set "$DEV" up || fail "link up, round $round"
	else
		echo 0 > "$SYS/attached" || fail "detach, round $round"
	fi
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
done
echo "# $ROUNDS rounds, each with 2 streams open and bytes moving at the detach;" \
	"$(ix_lib_stat echo_bytes) bytes echoed in all"

[ "$(cat "$SYS/attached")" = 0 ] || fail "still attached"
echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
ip addr show dev "$DEV" | grep -q 198.18.0.2/24 || fail "$DEV lost its address"
ix_lib_wait 10 peer ping -c 1 -W 1 198.18.0.2 > /dev/null || fail "Linux lost $DEV"

ix_lib_kmemleak_check
ix_lib_exit "$ROUNDS attach/detach rounds under load, no leak"
