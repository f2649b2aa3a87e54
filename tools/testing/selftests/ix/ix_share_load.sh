#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Linux shares eth0 with a loaded dataplane.  Both queue pairs of eth0
# are the dataplane's, its echo service serves on 198.18.0.10, and Linux
# keeps 198.18.0.2:
#  - the peer and the host ping both addresses, and eth0's own counters
#    (ip -s link) count Linux's pings; a Linux UDP server answers 100
#    requests from each; tcpdump on eth0 sees Linux's ICMP both ways;
#  - a Linux TCP server sends the peer 16 MiB, alone and then while the
#    host drives the echo service with 4 bulk connections; both verified
#    byte for byte, the rates reported side by side;
#  - a flood at Linux's address from the host is held to punt_rate while
#    the echo service's rate with and without it is reported;
#  - a TCP connection to Linux stays open across a detach and an attach,
#    the host's echo traffic meanwhile, and loses nothing;
#  - then nothing leaks.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
LINUX_ADDR=198.18.0.2
PORT=7
MIB=16

# host_run WHAT PROG ARGS...: PROG on the host, or a skip without the agent.
host_run()
{
	local what=$1

	shift
	ix_lib_host "$@"
	case $? in
	0)	return 0 ;;
	"$ksft_skip")	ix_lib_skipped "$what: $(cat "$TMP/host.out")" ;;
	*)	fail "$what: $(tr '\n' ' ' < "$TMP/host.out")" ;;
	esac
	return 1
}

# fetch PORT OUT: the peer reads what Linux serves on PORT into OUT; the
# seconds it took into OUT.secs.
fetch()
{
	local t0=$EPOCHREALTIME

	nc -l -p "$1" < "$TMP/blob" &
	ix_lib_wait 10 ix_lib_listening "$1" || fail "nc does not listen on $1"
	# The client's stdin must not end first: nc would close.
	peer timeout 120 nc $LINUX_ADDR "$1" > "$2" < <(sleep 120)
	awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $t0 }" > "$2.secs"
	cmp -s "$TMP/blob" "$2" ||
		fail "Linux to peer: $(wc -c < "$2") of $((MIB << 20)) bytes intact"
}

ix_lib_need
head -c $((MIB << 20)) /dev/urandom > "$TMP/blob"
# What Linux does with the device to itself, for comparison.
fetch 5007 "$TMP/linux.out"
echo $PORT > "$SYS/echo_port"
ix_lib_attach

# The device's own counters (ip -s link) count what Linux saw.
linux_stat()
{
	cat "/sys/class/net/$DEV/statistics/$1"
}
rx0=$(linux_stat rx_packets)
tx0=$(linux_stat tx_packets)
for a in $DP $LINUX_ADDR; do
	peer ping -c 3 -i 0.2 -W 2 $a > "$TMP/ping.out" 2>&1 ||
		fail "peer ping $a: $(tail -n 2 "$TMP/ping.out" | tr '\n' ' ')"
	host_run "host ping $a" ping -c 3 -i 0.2 -W 2 $a
done
[ $(($(linux_stat rx_packets) - rx0)) -ge 6 ] &&
	[ $(($(linux_stat tx_packets) - tx0)) -ge 6 ] ||
	fail "ip -s link: rx $(($(linux_stat rx_packets) - rx0))," \
	     "tx $(($(linux_stat tx_packets) - tx0)) for 6 pings"

"$DIR/ix_udp_rr" -l $LINUX_ADDR 5003 &
udp_pid=$!
peer "$DIR/ix_udp_rr" $LINUX_ADDR 5003 100 > "$TMP/udp.out" 2>&1 ||
	fail "peer UDP to Linux: $(cat "$TMP/udp.out")"
host_run "host UDP to Linux" udp $LINUX_ADDR 5003 100
kill $udp_pid

tcpdump -Z root -i "$DEV" -n -c 6 -w "$TMP/icmp.pcap" \
	icmp and host $LINUX_ADDR 2> /dev/null &
dump_pid=$!
sleep 1
peer ping -c 3 -i 0.2 -W 2 $LINUX_ADDR > /dev/null || fail "ping under tcpdump"
ix_lib_wait 5 bash -c "! kill -0 $dump_pid 2>/dev/null" ||
	fail "tcpdump saw fewer than 6 of Linux's ICMP frames"
kill $dump_pid 2> /dev/null
tcpdump -Z root -r "$TMP/icmp.pcap" -n 2> /dev/null > "$TMP/icmp.txt"
grep -q "198.18.0.3 > $LINUX_ADDR: ICMP echo request" "$TMP/icmp.txt" &&
	grep -q "$LINUX_ADDR > 198.18.0.3: ICMP echo reply" "$TMP/icmp.txt" ||
	fail "tcpdump: $(tr '\n' ' ' < "$TMP/icmp.txt")"

fetch 5004 "$TMP/alone.out"
host_run "echo service alone" echo -b $DP $PORT 4 2 60 &&
	echo "# dataplane alone: $(tail -n 1 "$TMP/host.out")"
fetch 5005 "$TMP/loaded.out" &
fetch_pid=$!
host_run "echo service beside Linux" echo -b $DP $PORT 4 2 60 &&
	echo "# dataplane beside Linux's transfer: $(tail -n 1 "$TMP/host.out")"
wait $fetch_pid
echo "# Linux sends $MIB MiB in $(cat "$TMP/linux.out.secs") s detached," \
     "$(cat "$TMP/alone.out.secs") s attached," \
     "$(cat "$TMP/loaded.out.secs") s beside the dataplane's load"
for c in punted punt_limited punt_errors linux_tx_packets linux_tx_dropped; do
	echo "# $c $(ix_lib_stat $c)"
done

# Floods at Linux's address from the host, against the echo service's
# rate without them, alternately, with punt_rate 2000: one paced at
# 10,000 datagrams a second, which the emulated path carries, and one as
# fast as the host sends, which overflows the host's tap queue before any
# of the guest's code runs.  The excess over punt_rate is dropped on the
# core (punt_limited) and the echo goes on.  The rates are reported, not
# asserted: the host's two CPUs run the emulator and the flooder both.
echo_rate()
{
	host_run "$1" echo $DP $PORT 8 1500 64 &&
		grep -o '[0-9]* msg/s' "$TMP/host.out" | cut -d' ' -f1
}

# flooded_rate PPS: the echo rate under a 10 s flood (PPS 0: unpaced).
flooded_rate()
{
	local t0 rate

	host_run "flood" flood $LINUX_ADDR 9 10 "$1" || return 1
	t0=$EPOCHSECONDS
	sleep 1
	rate=$(echo_rate "echo rate under a flood of $1/s") || return 1
	[ $((EPOCHSECONDS - t0)) -lt 10 ] ||
		echo "# the flood of $1/s ended before the echo did" >&2
	# Until the flood is over.
	sleep $((t0 + 11 - EPOCHSECONDS))
	echo "$rate"
}

echo 0 > "$SYS/attached" || fail "detach"
echo 2000 > "$SYS/punt_rate" || fail "punt_rate 2000"
echo 1 > "$SYS/attached" || fail "attach with punt_rate 2000"
limited0=$(ix_lib_stat punt_limited)
rates=
# One round in make check (IXDP_FLOOD_ROUNDS for more): the rates are
# reported, the limit is asserted.
for round in $(seq "${IXDP_FLOOD_ROUNDS:-1}"); do
	quiet=$(echo_rate "echo rate, round $round") || break
	paced=$(flooded_rate 10000) || break
	full=$(flooded_rate 0) || break
	rates="$rates $quiet/$paced/$full"
done
echo "# echo msg/s without / beside 10,000 datagrams/s / beside the" \
     "host's fastest flood at Linux:$rates;" \
     "punt_limited $(($(ix_lib_stat punt_limited) - limited0))"
[ $(($(ix_lib_stat punt_limited) - limited0)) -gt 0 ] ||
	fail "the flood was not limited"
peer ping -c 2 -W 2 $LINUX_ADDR > /dev/null || fail "Linux ping after the flood"
echo 0 > "$SYS/attached" || fail "detach"
echo 10000 > "$SYS/punt_rate"
echo 1 > "$SYS/attached" || fail "attach again"

# Across a detach and an attach: the peer's connection to Linux waits.
head -c 1000000 "$TMP/blob" > "$TMP/part1"
tail -c +1000001 "$TMP/blob" | head -c 1000000 > "$TMP/part2"
cat "$TMP/part1" "$TMP/part2" > "$TMP/both"
sleep 60 | nc -l -p 5006 > "$TMP/across.out" &
ix_lib_wait 10 ix_lib_listening 5006 || fail "nc does not listen on 5006"
peer bash -c "cat $TMP/part1; sleep 4; cat $TMP/part2" |
	peer timeout 60 nc $LINUX_ADDR 5006 &
across=$!
ix_lib_host echo -b $DP $PORT 2 2 10 > /dev/null &
host=$!
sleep 1.5
echo 0 > "$SYS/attached" || fail "detach under traffic"
sleep 1
echo 1 > "$SYS/attached" || fail "attach again under traffic"
wait $across || fail "the connection to Linux across the reattach broke"
wait $host
ix_lib_wait 20 cmp -s "$TMP/both" "$TMP/across.out" ||
	fail "across the reattach: $(wc -c < "$TMP/across.out") of 2000000 bytes"

echo 0 > "$SYS/attached" || fail "detach"
echo 0 > "$SYS/echo_port"
echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
ix_lib_kmemleak_check
ix_lib_exit "Linux shares a loaded device: ping, UDP, 16 MiB, tcpdump, a reattach"
