#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attach eth0's queues to a reserved CPU: the dataplane answers ARP and
# ping from the Linux peer (namespace "peer", eth1) and counts them,
# refuses TCP with RST, and keeps "ethtool -L" off its queues.  Detach:
# Linux networking on eth0 works as before, TCP included.
#
# Needs the bench's guest: eth0 (2 queue pairs) at 198.18.0.2/24 and the
# peer at 198.18.0.3/24 on the same bridge.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
DP_ADDR=$DP
LINUX_ADDR=198.18.0.2

stat()
{
	ix_lib_stat "$1"
}

if [ ! -d "$SYS" ] || ! ip netns list | grep -qw peer; then
	echo "SKIP: needs $SYS and the bench's peer namespace"
	exit $ksft_skip
fi
if [ "$(nproc)" -lt 2 ] || [ "$(ls -d /sys/class/net/$DEV/queues/rx-* | wc -l)" -lt 2 ]; then
	echo "SKIP: needs 2 CPUs and 2 queue pairs"
	exit $ksft_skip
fi

# Refusals before anything is set up.
echo 1 > "$SYS/attached" 2>/dev/null && fail "attach without configuration"
echo 0-2 > "$SYS/queues" 2>/dev/null && fail "queue 2 of 2 accepted"
echo 0 > "$SYS/batch" 2>/dev/null && fail "batch 0 accepted"
echo 513 > "$SYS/batch" 2>/dev/null && fail "batch 513 accepted"
echo 300.1.1.1/24 > "$SYS/addr" 2>/dev/null && fail "bad address accepted"
# (earlier tests may have turned the offloads off: set them first)
echo 1 > "$SYS/tx_csum" && echo y > "$SYS/tx_sg" || fail "offload switches"
echo maybe > "$SYS/tx_csum" 2>/dev/null && fail "tx_csum 'maybe' accepted"
echo 2 > "$SYS/tx_sg" 2>/dev/null && fail "tx_sg 2 accepted"
[ "$(cat "$SYS/tx_csum") $(cat "$SYS/tx_sg")" = "1 1" ] ||
	fail "tx_csum, tx_sg read $(cat "$SYS/tx_csum") $(cat "$SYS/tx_sg"), not 1 1"
echo 64 > "$SYS/batch" || fail "batch 64 refused"
[ "$(cat "$SYS/batch")" = 64 ] || fail "batch reads $(cat "$SYS/batch")"

echo 0-1 > "$SYS/queues" || fail "queues"
echo 1 > "$SYS/cpus" || fail "cpus"
echo $DP_ADDR/24 > "$SYS/addr" || fail "addr"
# CPU 1 is not reserved yet.
echo 1 > "$SYS/attached" 2>/dev/null && fail "attached to an unreserved CPU"
echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
[ "$(cat "$SYS/attached")" = 1 ] || fail "attached reads $(cat "$SYS/attached")"
echo 0 > "$SYS/queues" 2>/dev/null && fail "queues changed while attached"
echo 0 > "$SYS/tx_csum" 2>/dev/null && fail "tx_csum changed while attached"
echo > /sys/kernel/ixdp/cpus 2>/dev/null && fail "released a CPU serving queues"

replies=$(stat icmp_echo_replies)
# The peer resolves the dataplane afresh, whatever ran before.
peer ip neigh flush dev eth1
peer ping -c 5 -i 0.2 -W 2 $DP_ADDR > "$TMP/ping.out" || fail "no ping replies"
grep -q "5 packets received" "$TMP/ping.out" || fail "$(tail -n 2 "$TMP/ping.out")"
[ $(($(stat icmp_echo_replies) - replies)) -ge 5 ] ||
	fail "echo replies counted: $(($(stat icmp_echo_replies) - replies))"
[ "$(stat arp_replies)" -ge 1 ] || fail "no ARP reply counted"
[ "$(stat rx_packets)" -ge 6 ] || fail "rx_packets $(stat rx_packets)"
[ "$(stat tx_packets)" -ge 6 ] || fail "tx_packets $(stat tx_packets)"

# The loop keeps running: the histogram read lies between two reads.
hist=0
b0=$(stat batches)
for b in 1 2 4 8 16 32 64 128 256 512; do
	hist=$((hist + $(stat batch_$b)))
done
b1=$(stat batches)
[ "$hist" -ge "$b0" ] && [ "$hist" -le "$b1" ] ||
	fail "batch histogram sums to $hist, batches $b0..$b1"
[ "$(stat polls_busy)" -ge 1 ] || fail "no busy poll counted"

# Per core and per queue, while attached.
[ "$(cat "$SYS/cpu1/icmp_echo_replies")" -ge 5 ] || fail "cpu1/ counters"
# Idle between pings, the loop slept and the receive interrupt woke it.
[ "$(cat "$SYS/cpu1/sleeps")" -ge 1 ] || fail "the loop never slept"
[ $(($(cat "$SYS/queue0/irq_wakes") + $(cat "$SYS/queue1/irq_wakes"))) -ge 1 ] ||
	fail "no receive interrupt woke the loop"
r0=$(cat "$SYS/cpu1/rx_packets")
q=$(($(cat "$SYS/queue0/rx_packets") + $(cat "$SYS/queue1/rx_packets")))
r1=$(cat "$SYS/cpu1/rx_packets")
[ "$q" -ge "$r0" ] && [ "$q" -le "$r1" ] ||
	fail "queue counters sum to $q, cpu1/rx_packets $r0..$r1"
# The driver counts the notifications it sends: the receive buffers
# posted at attach, and each reply of an idle loop.
doorbells() { echo $(($(cat "$SYS/queue0/doorbells") + $(cat "$SYS/queue1/doorbells"))); }
d0=$(doorbells)
peer ping -c 3 -i 0.2 -W 2 $DP_ADDR > /dev/null || fail "no ping replies"
d1=$(doorbells)
[ "$d0" -ge 2 ] && [ "$d1" -ge $((d0 + 3)) ] ||
	fail "doorbells $d0, then $d1 after 3 pings"
echo "# doorbells: $d0 after attach and 5 pings, $d1 after 3 more"

resets=$(stat tcp_resets)
out=$(echo x | peer timeout 5 nc $DP_ADDR 80 2>&1)
rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "TCP connect not refused (rc $rc: $out)"
[ $(($(stat tcp_resets) - resets)) -ge 1 ] || fail "no RST counted"

# Drops by reason: a datagram to an unbound port.
noport=$(cat "$SYS/stats/drop/udp_no_port")
peer bash -c "echo x > /dev/udp/$DP_ADDR/9"
ix_lib_wait 10 eval '[ $(cat "$SYS/stats/drop/udp_no_port") -gt $noport ]' ||
	fail "drop/udp_no_port not counted"
[ "$(ls "$SYS/stats/drop" | wc -l)" -ge 30 ] || fail "drop reasons missing"

ethtool -L "$DEV" combined 1 2>/dev/null && fail "ethtool -L while attached"
[ "$(ethtool -l "$DEV" | awk '/Combined/ { n = $2 } END { print n }')" = 2 ] ||
	fail "channel count changed"

echo 0 > "$SYS/attached" || fail "detach"
[ "$(cat "$SYS/attached")" = 0 ] || fail "still attached"
[ -d "$SYS/cpu1" ] || [ -d "$SYS/queue0" ] && fail "per-core directories left"
[ "$(stat icmp_echo_replies)" -ge 5 ] || fail "device counters lost on detach"
echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"

# Linux owns eth0 again: ping and a TCP conversation.
peer ping -c 2 -W 2 $LINUX_ADDR > /dev/null || fail "Linux ping after detach"
nc -l -p 5001 > "$TMP/tcp.out" &
ix_lib_wait 10 ix_lib_listening 5001 || fail "nc does not listen"
echo "hello from the peer" | peer timeout 5 nc $LINUX_ADDR 5001 ||
	fail "Linux TCP connect after detach"
ix_lib_wait 10 grep -q "hello from the peer" "$TMP/tcp.out" ||
	fail "Linux TCP data lost"
ethtool -L "$DEV" combined 1 || fail "ethtool -L after detach"
ethtool -L "$DEV" combined 2 || fail "ethtool -L back to 2"
ix_lib_exit "attach, ping, RST, ethtool refusal, detach"
