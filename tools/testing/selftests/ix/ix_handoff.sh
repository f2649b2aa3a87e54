#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flow consistency across cores: eth0's queue pairs 0 and 1 served by two
# cores (CPUs 1 and 2), and CONNS echoed connections the dataplane opens
# to the Linux peer, spread over both.  The tap steers a flow to the
# queue that last sent for it, but forgets that after 3 s of silence and
# hashes instead: after a 5 s pause about half the flows land on the
# other core (with make check's three pairs, a third land on the other
# core and a third on pair 2, Linux's, whose intake hands them to a
# core).  Every byte must still come back, no connection may be
# reset, and the cores must count the segments they handed each other.
# ARP from the peer reaches one core only; the other learns from it.
# Needs 3 CPUs (make check runs it in the 4-CPU VM); skips otherwise.

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

CONNS=16
PEER=198.18.0.3

if [ "$(nproc)" -lt 3 ]; then
	echo "SKIP: needs 3 CPUs"
	exit $ksft_skip
fi
ix_lib_need

# The device's counters include earlier attachments (ix_neighbors.sh
# runs before in the same VM): count from the attach.
declare -A base
stat()
{
	echo $(($(cat "$SYS/stats/$1") - ${base[$1]:-0}))
}

echo 1-2 > /sys/kernel/ixdp/cpus || fail "reserve CPUs 1-2"
echo 0-1 > "$SYS/queues"
echo 1-2 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
for c in handoff_out handoff_arp handoff_drops tcp_connected tcp_resets \
	 tcp_resets_in; do
	base[$c]=$(cat "$SYS/stats/$c")
done

peer "$DIR/ix_echo_client" -l $PEER 6000 $CONNS 3 1400 5 > "$TMP/peer.log" 2>&1 &
client=$!
for _ in $(seq 100); do
	grep -q listening "$TMP/peer.log" && break
	sleep 0.1
done
for _ in $(seq $CONNS); do
	# Busy while the core has not taken the previous request.
	for _ in $(seq 100); do
		echo $PEER:6000 > "$SYS/connect" 2>/dev/null && break
		sleep 0.05
	done
done
wait $client || fail "echo across the pause: $(cat "$TMP/peer.log")"
grep "verified" "$TMP/peer.log"

for c in 1 2; do
	n=$(cat "$SYS/cpu$c/tcp_connected")
	[ "$n" -ge 1 ] || fail "core on CPU $c opened no connection"
done
echo "# handoffs: $(stat handoff_out) frames ($(stat handoff_arp) ARP)," \
     "$(stat handoff_drops) dropped"
[ "$(stat tcp_connected)" = $CONNS ] ||
	fail "$(stat tcp_connected) of $CONNS connections opened"
[ $(($(stat handoff_out) - $(stat handoff_arp))) -ge 1 ] ||
	fail "no segment reached the wrong core: the test proved nothing"
[ "$(stat handoff_arp)" -ge 1 ] || fail "no ARP packet shared"
[ "$(stat tcp_resets)" = 0 ] || fail "$(stat tcp_resets) RST sent"
[ "$(stat tcp_resets_in)" = 0 ] || fail "$(stat tcp_resets_in) RST received"
[ "$(stat handoff_drops)" = 0 ] || fail "handoffs dropped"

echo 0 > "$SYS/attached" || fail "detach"
ix_lib_kmemleak_check
ix_lib_exit "$CONNS connections over two cores echo across a steering change, none reset"
