#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dataplane's TCP against the Linux TCP of the peer (namespace
# "peer"), through the loop's echo service (RFC 862) on port 7:
# handshakes both ways, bytes echoed intact, several connections at once,
# UDP echo, and a transfer with loss, delay and reordering (netem on the
# peer's interface).

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need
trap 'peer tc qdisc del dev eth1 root 2>/dev/null; ix_lib_cleanup' EXIT

# echo_through FILE: send FILE to the echo service, check what comes back.
echo_through()
{
	peer timeout 60 nc -w 5 $DP 7 < "$1" > "$1.back"
	cmp -s "$1" "$1.back" ||
		fail "$(basename "$1"): $(wc -c < "$1.back") of $(wc -c < "$1") bytes came back intact"
}

echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
echo 0-1 > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
echo 7 > "$SYS/echo_port" || fail "echo_port"
echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
# The device's counters include earlier attachments: count from here.
drops0=$(ix_lib_stat drops)
echo 8 > "$SYS/echo_port" 2>/dev/null && fail "echo_port changed while attached"

# Inbound: the peer connects.
printf 'hello, dataplane\n' > "$TMP/small"
echo_through "$TMP/small"
head -c 1048576 /dev/urandom > "$TMP/big"
echo_through "$TMP/big"
[ "$(ix_lib_stat tcp_accepted)" -ge 2 ] || fail "tcp_accepted $(ix_lib_stat tcp_accepted)"

# Several connections at once.
for i in 1 2 3 4 5 6; do
	head -c 65536 /dev/urandom > "$TMP/c$i"
	(peer timeout 60 nc -w 5 $DP 7 < "$TMP/c$i" > "$TMP/c$i.back") &
done
wait
for i in 1 2 3 4 5 6; do
	cmp -s "$TMP/c$i" "$TMP/c$i.back" || fail "connection $i of 6"
done

# A closed port still gets RST: the connect is refused (not timed out)
# and the dataplane counts the RST it sent.
resets=$(ix_lib_stat tcp_resets)
out=$(peer timeout 10 nc -w 5 $DP 9 < /dev/null 2>&1)
rc=$?
[ $rc != 0 ] && [ $rc != 124 ] && echo "$out" | grep -q -i refused ||
	fail "closed port: not refused (status $rc: $out)"
[ $(($(ix_lib_stat tcp_resets) - resets)) -ge 1 ] || fail "closed port: no RST counted"

# UDP echo.
# (a datagram read byte by byte loses its tail: read it whole with head)
reply=$(peer bash -c "exec 3<>/dev/udp/$DP/7; echo udp-ping >&3; timeout 10 head -c 9 <&3")
[ "$reply" = udp-ping ] || fail "UDP echo: '$reply'"

# Outbound: the dataplane connects to the peer and echoes what it sends.
(printf 'from the peer\n'; sleep 3) | peer timeout 20 nc -l -p 5000 > "$TMP/out" &
ix_lib_wait 10 ix_lib_listening peer 5000 || fail "the peer's nc does not listen"
connected=$(ix_lib_stat tcp_connected)
echo 198.18.0.3:5000 > "$SYS/connect" || fail "connect request"
wait
grep -q "from the peer" "$TMP/out" || fail "outbound connection echoed '$(cat "$TMP/out")'"
[ $(($(ix_lib_stat tcp_connected) - connected)) = 1 ] || fail "tcp_connected not counted"
failed0=$(ix_lib_stat tcp_connect_failed)
echo 198.18.0.3:5999 > "$SYS/connect"
ix_lib_wait 10 eval '[ $(ix_lib_stat tcp_connect_failed) -gt $failed0 ]' ||
	fail "refused connect not counted"

# Loss, delay and reordering between the peer and the dataplane.
if peer tc qdisc add dev eth1 root netem delay 2ms 1ms loss 5% reorder 25% 50% 2>/dev/null; then
	head -c 524288 /dev/urandom > "$TMP/lossy"
	echo_through "$TMP/lossy"
	peer tc qdisc del dev eth1 root
else
	ix_lib_skipped "netem unavailable: the lossy transfer"
fi

drops=$(($(ix_lib_stat drops) - drops0))
[ "$drops" -lt 50 ] || fail "$drops frames dropped by the stack"
echo 0 > "$SYS/attached" || fail "detach"
ix_lib_exit "TCP both ways, $(ix_lib_stat echo_bytes) bytes echoed, UDP, loss"
