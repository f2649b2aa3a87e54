#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attach and detach under load, again and again: detaching with TCP
# connections open and frames in flight must lose nothing (kmemleak finds
# no ixdp or virtio_net leak), and Linux must own eth0 afterwards.

ksft_skip=4
DEV=${IXDP_DEV:-eth0}
DP=198.18.0.10
SYS=/sys/class/net/$DEV/ixdp
KMEMLEAK=/sys/kernel/debug/kmemleak
ROUNDS=${IXDP_CHURN_ROUNDS:-8}
TMP=$(mktemp -d)
ret=0

fail()
{
	echo "FAIL: $*"
	ret=1
}

peer()
{
	ip netns exec peer "$@"
}

cleanup()
{
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	echo 0 > "$SYS/attached" 2>/dev/null
	echo 0 > "$SYS/echo_port" 2>/dev/null
	echo > /sys/kernel/ixdp/cpus 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ ! -d "$SYS" ] || ! ip netns list | grep -qw peer || [ "$(nproc)" -lt 2 ]; then
	echo "SKIP: needs $SYS, the bench's peer namespace and 2 CPUs"
	exit $ksft_skip
fi
[ -w "$KMEMLEAK" ] && echo clear > "$KMEMLEAK"

echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
echo 0-1 > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
echo 7 > "$SYS/echo_port"
head -c 4194304 /dev/zero > "$TMP/stream"

for round in $(seq "$ROUNDS"); do
	echo 1 > "$SYS/attached" || { fail "attach, round $round"; break; }
	# Load: a flood of pings and two long TCP streams into the echo.
	peer ping -q -i 0.01 -c 300 -W 1 $DP > /dev/null 2>&1 &
	for s in 1 2; do
		peer timeout 20 nc -w 2 $DP 7 < "$TMP/stream" > /dev/null 2>&1 &
	done
	sleep 0.$((RANDOM % 9 + 1))
	# Detach with all of that in flight.
	echo 0 > "$SYS/attached" || fail "detach, round $round"
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
done

[ "$(cat "$SYS/attached")" = 0 ] || fail "still attached"
echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
peer ping -c 2 -W 2 198.18.0.2 > /dev/null || fail "Linux lost eth0"

if [ -w "$KMEMLEAK" ]; then
	echo scan > "$KMEMLEAK"
	sleep 1
	echo scan > "$KMEMLEAK"
	if grep -q -E "ixdp|virtnet|vnix" "$KMEMLEAK"; then
		fail "kmemleak: $(grep -c unreferenced "$KMEMLEAK") objects"
		head -n 40 "$KMEMLEAK"
	fi
else
	echo "# kmemleak not available: leak check skipped"
fi
[ $ret = 0 ] && echo "ok: $ROUNDS attach/detach rounds under load, no leak"
exit $ret
