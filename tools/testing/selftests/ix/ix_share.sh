#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Linux shares the attached device: while both queue pairs of eth0 are
# the dataplane's, Linux keeps its own address on eth0.  The peer pings
# it and resolves it afresh, a TCP conversation with it goes both ways
# (what Linux receives, 4 MB one way, is punted by the cores, merged by
# GRO and freed on Linux's CPUs; what it sends goes out through them,
# TSO segmented on the way), and the dataplane's echo
# service at the same time serves 1 MiB.  Attached again with a low
# punt_rate, a UDP flood at Linux's address is held to it (punt_limited
# counts the rest) and the dataplane still serves a fresh client 1 MiB
# within 5 s.  Attached with linux off, the queues are the dataplane's
# alone: Linux's address goes dark, the echo service still serves.  Then
# nothing leaks.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
LINUX_ADDR=198.18.0.2
PORT=7
RATE=300

delta()
{
	echo $(($(ix_lib_stat "$1") - ${base[$1]:-0}))
}

# Milliseconds since boot (busybox's date has no %N).
now_ms()
{
	local up

	read -r up _ < /proc/uptime
	echo $((${up%.*} * 1000 + 10#${up#*.} * 10))
}

# softirq_cpu1 NAME: softirqs NAME (NET_RX, TASKLET) CPU 1, the core's,
# has run.
softirq_cpu1()
{
	awk -v n="$1:" '$1 == n { print $3 }' /proc/softirqs
}

declare -A base
snapshot()
{
	local c

	for c in punted punt_limited punt_errors linux_tx_packets \
		 linux_tx_dropped; do
		base[$c]=$(ix_lib_stat $c)
	done
}

ix_lib_need
echo 2000000 > "$SYS/punt_rate" 2>/dev/null && fail "punt_rate 2000000 accepted"
echo -1 > "$SYS/punt_rate" 2>/dev/null && fail "punt_rate -1 accepted"
[ "$(cat "$SYS/punt_rate")" = 10000 ] || fail "punt_rate reads $(cat "$SYS/punt_rate")"
echo $PORT > "$SYS/echo_port"
ix_lib_attach
echo 1000 > "$SYS/punt_rate" 2>/dev/null && fail "punt_rate changed while attached"
snapshot

# Both sides forget each other: ARP goes through the cores too.
ip neigh flush dev "$DEV"
peer ip neigh flush dev eth1
peer ping -c 5 -i 0.2 -W 2 $LINUX_ADDR > "$TMP/ping.out" 2>&1
grep -q "5 packets received" "$TMP/ping.out" ||
	fail "Linux ping while attached: $(tail -n 2 "$TMP/ping.out" | tr '\n' ' ')"
[ "$(delta punted)" -ge 5 ] || fail "punted $(delta punted)"
[ "$(delta linux_tx_packets)" -ge 5 ] ||
	fail "linux_tx_packets $(delta linux_tx_packets)"
"$DIR/ix" stats > "$TMP/stats.out" || fail "ix stats"
grep -qE "^  cpu1: punted [1-9][0-9]* punted_bytes [1-9]" "$TMP/stats.out" ||
	fail "ix stats per core: $(grep cpu1: "$TMP/stats.out")"

# TCP to Linux, and from Linux (large writes: TSO on the way out).  A
# listener's stdin must not end: busybox nc closes the connection then.
head -c 4000000 /dev/urandom > "$TMP/big"
rx1=$(softirq_cpu1 NET_RX)
sleep 60 | nc -l -p 5001 > "$TMP/in.out" &
ix_lib_wait 10 ix_lib_listening 5001 || fail "nc does not listen"
# What the cores hand Linux goes through GRO: tcpdump, which sees what
# the stack gets, sees segments merged beyond the 1500-byte MTU.
tcpdump -Z root -p -i "$DEV" -n -c 1 -w "$TMP/gro.pcap" \
	"tcp dst port 5001 and greater 3000" > /dev/null 2> "$TMP/gro.err" &
gro=$!
ix_lib_wait 10 grep -q "listening on" "$TMP/gro.err" ||
	fail "tcpdump: $(tr '\n' ' ' < "$TMP/gro.err")"
peer timeout 30 nc $LINUX_ADDR 5001 < "$TMP/big" ||
	fail "peer to Linux TCP"
ix_lib_wait 10 cmp -s "$TMP/big" "$TMP/in.out" ||
	fail "peer to Linux: $(wc -c < "$TMP/in.out") of 4000000 bytes"
ix_lib_wait 5 bash -c "! kill -0 $gro 2> /dev/null" || {
	kill $gro 2> /dev/null
	fail "no punted segments merged by GRO"
}

# What Linux sends is freed on Linux's CPUs too: its destructor,
# tcp_wfree(), schedules TCP small queues' tasklet where it runs.
tasklet1=$(softirq_cpu1 TASKLET)
sleep 60 | peer nc -l -p 5002 > "$TMP/out.out" &
ix_lib_wait 10 ix_lib_listening peer 5002 || fail "peer nc does not listen"
timeout 30 nc 198.18.0.3 5002 < "$TMP/big" || fail "Linux to peer TCP"
ix_lib_wait 10 cmp -s "$TMP/big" "$TMP/out.out" ||
	fail "Linux to peer: $(wc -c < "$TMP/out.out") of 4000000 bytes"
[ "$(softirq_cpu1 TASKLET)" = "$tasklet1" ] ||
	fail "Linux's TCP made CPU 1 run $(($(softirq_cpu1 TASKLET) - tasklet1)) tasklet softirqs"

# What Linux received cost the core nothing after the copy: its skbs are
# freed on Linux's CPUs, not queued back to the reserved one (TCP's
# skb_attempt_defer_free() sends an skb to the CPU that allocated it,
# and kicks it with an IPI that runs NET_RX there).
[ "$(softirq_cpu1 NET_RX)" = "$rx1" ] ||
	fail "Linux's TCP made CPU 1 run NET_RX $(($(softirq_cpu1 NET_RX) - rx1)) times"

# The dataplane serves meanwhile.
peer timeout 30 "$DIR/ix_echo_client" -b $DP $PORT 1 1 5 > "$TMP/fresh.out" 2>&1 ||
	fail "dataplane echo: $(tr '\n' ' ' < "$TMP/fresh.out")"

# A flood at Linux's address, faster than a low punt_rate.
echo 0 > "$SYS/attached" || fail "detach"
echo $RATE > "$SYS/punt_rate" || fail "punt_rate $RATE refused"
[ "$(cat "$SYS/punt_rate")" = $RATE ] || fail "punt_rate reads $(cat "$SYS/punt_rate")"
echo 1 > "$SYS/attached" || fail "attach again"
snapshot
# One socket, a datagram a write: many times $RATE a second (a socket
# a datagram ran at about 320 a second here, too close to the limit).
t0=$(now_ms)
peer bash -c "exec 3> /dev/udp/$LINUX_ADDR/9
	for i in \$(seq 4000); do echo x >&3; done" 2>/dev/null &
flood=$!
peer timeout 30 "$DIR/ix_echo_client" -b $DP $PORT 1 1 5 > "$TMP/fresh.out" 2>&1 ||
	fail "dataplane echo during the flood: $(tr '\n' ' ' < "$TMP/fresh.out")"
wait $flood
ms=$(($(now_ms) - t0))
echo "# flood: $(delta punted) punted, $(delta punt_limited) over $RATE/s in $ms ms"
[ "$(delta punt_limited)" -gt 0 ] || fail "the flood was not limited"
# The bucket: $RATE a second and a burst of a tenth of it (at least 16);
# 50 more for the ARP and pings of Linux's meanwhile.
[ "$(delta punted)" -le $((RATE * ms / 1000 + RATE / 10 + 16 + 50)) ] ||
	fail "$(delta punted) punted in $ms ms at $RATE/s"
peer ping -c 2 -W 2 $LINUX_ADDR > /dev/null || fail "Linux ping after the flood"
[ "$(delta linux_tx_dropped)" = 0 ] ||
	fail "Linux's frames dropped: $(delta linux_tx_dropped)"

# linux off: the attached queues are the dataplane's alone, as in IX.
echo 0 > "$SYS/attached" || fail "detach"
echo 10000 > "$SYS/punt_rate"
echo 2 > "$SYS/linux" 2>/dev/null && fail "linux 2 accepted"
echo off > "$SYS/linux" || fail "linux off refused"
[ "$(cat "$SYS/linux")" = 0 ] || fail "linux reads $(cat "$SYS/linux")"
echo 1 > "$SYS/attached" || fail "attach with linux off"
echo 1 > "$SYS/linux" 2>/dev/null && fail "linux changed while attached"
snapshot
peer ping -c 3 -i 0.2 -W 1 $LINUX_ADDR > "$TMP/ping.out" 2>&1 &&
	fail "Linux answered with linux off"
peer timeout 30 "$DIR/ix_echo_client" -b $DP $PORT 1 1 5 > "$TMP/fresh.out" 2>&1 ||
	fail "dataplane echo with linux off: $(tr '\n' ' ' < "$TMP/fresh.out")"
[ "$(delta punted)" = 0 ] || fail "punted $(delta punted) with linux off"
echo 0 > "$SYS/attached" || fail "detach"
echo 1 > "$SYS/linux"

echo 0 > "$SYS/echo_port"
echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
peer ping -c 2 -W 2 $LINUX_ADDR > /dev/null || fail "Linux ping after detach"
ix_lib_kmemleak_check
ix_lib_exit "Linux keeps eth0's address while attached: ping, TCP both ways, flood bounded"
