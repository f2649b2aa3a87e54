#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile application next to a well-behaved one: ix_hostile_test
# drives eth0's dataplane on CPU 1 with garbage for IX_HOSTILE_SECONDS
# (60) while ix_echo serves eth2's dataplane on CPU 2 and the Linux peer
# keeps talking to it, every byte verified.  The neighbour must not
# notice: all its echoes come back right, before, during and after.
# Needs 3 CPUs and the bench's eth2 (make check runs it in a VM of its
# own with VM_CPUS=3); skips otherwise.

ksft_skip=4
DIR=$(dirname "$(readlink -f "$0")")
KMEMLEAK=/sys/kernel/debug/kmemleak
SYS0=/sys/class/net/eth0/ixdp
SYS2=/sys/class/net/eth2/ixdp
GOOD=198.18.0.11
TMP=$(mktemp -d)
ret=0

fail()
{
	echo "FAIL: $*"
	ret=1
}

cleanup()
{
	kill -9 $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	echo 0 > "$SYS0/attached" 2>/dev/null
	echo 0 > "$SYS2/attached" 2>/dev/null
	ip link set eth2 down 2>/dev/null
	echo > /sys/kernel/ixdp/cpus 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ "$(nproc)" -lt 3 ] || [ ! -d "$SYS0" ] || [ ! -d "$SYS2" ] ||
   ! ip netns list | grep -qw peer; then
	echo "SKIP: needs 3 CPUs, eth0 and eth2 with ixdp, and the peer namespace"
	exit $ksft_skip
fi
[ -w "$KMEMLEAK" ] && echo clear > "$KMEMLEAK"

echo 1-2 > /sys/kernel/ixdp/cpus || fail "reserve CPUs 1-2"
echo 0-1 > "$SYS0/queues"
echo 1 > "$SYS0/cpus"
echo 198.18.0.10/24 > "$SYS0/addr"
echo 1 > "$SYS0/attached" || fail "attach eth0"
ip link set eth2 up
echo 0 > "$SYS2/queues"
echo 2 > "$SYS2/cpus"
echo $GOOD/24 > "$SYS2/addr"
echo 1 > "$SYS2/attached" || { fail "attach eth2"; exit 1; }

"$DIR/ix_echo" 2 7 64 > "$TMP/echo.log" 2>&1 &
echo_pid=$!
for _ in $(seq 50); do
	grep -q "port 7" "$TMP/echo.log" && break
	sleep 0.1
done

# neighbour ROUND: one batch of verified echoes with the good application.
neighbour()
{
	ip netns exec peer timeout 60 "$DIR/ix_echo_client" $GOOD 7 4 20 8192 "$1" \
		> "$TMP/good.$1" 2>&1 || fail "neighbour, round $1: $(cat "$TMP/good.$1")"
}

neighbour 1
IX_HOSTILE_SECONDS=${IX_HOSTILE_SECONDS:-60} "$DIR/ix_hostile_test" \
	> "$TMP/hostile.log" 2>&1 &
hostile=$!
round=2
while kill -0 $hostile 2>/dev/null; do
	neighbour $round
	round=$((round + 1))
done
wait $hostile || fail "ix_hostile_test: $(grep -E 'not ok|FAIL' "$TMP/hostile.log")"
grep -E "^ok|^not ok|runs of" "$TMP/hostile.log" | sed 's/^/# /'
neighbour $round
kill -0 $echo_pid 2>/dev/null || fail "ix_echo died: $(cat "$TMP/echo.log")"
echo "# $round neighbour rounds, every byte verified"

kill $echo_pid
wait $echo_pid 2>/dev/null
echo 0 > "$SYS0/attached" || fail "detach eth0"
echo 0 > "$SYS2/attached" || fail "detach eth2"
if [ -w "$KMEMLEAK" ]; then
	echo scan > "$KMEMLEAK"
	sleep 1
	echo scan > "$KMEMLEAK"
	if grep -q -E "ixdp|virtnet|vnix" "$KMEMLEAK"; then
		fail "kmemleak: $(grep -c unreferenced "$KMEMLEAK") objects"
		head -n 40 "$KMEMLEAK"
	fi
fi
[ $ret = 0 ] && echo "ok: a hostile application on CPU 1, its neighbour on CPU 2 unharmed"
exit $ret
