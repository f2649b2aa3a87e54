#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bulk transfers between the Linux peer's TCP and ix_echo, both ways at
# once, every byte checked: BULK_MIB (256) MiB each way on a clean link,
# then LOSSY_MIB (8) MiB on each of 2 connections through netem on the
# peer's interface, in both directions, at 1% and at 5% loss with
# reordering and jitter.  Every transfer must finish in bounded time and
# close cleanly both ways: the peer's socket goes to TIME_WAIT, and the
# dataplane sends no RST.  The payloads must have left zero copy, their
# checksums completed by the NIC (tx_frags, tx_csum_offload), the
# peer's checksums taken from the NIC's word (rx_csum_offload), and the
# loss must show in the dataplane's TCP counters (retransmissions,
# out-of-order segments).  Last, ix_echo is killed mid-transfer under
# loss, and the peer must see a reset, not a stall.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need
BULK_MIB=${BULK_MIB:-256}
LOSSY_MIB=${LOSSY_MIB:-8}
TCPSTATS=$SYS/stats

tcpstat()
{
	cat "$TCPSTATS/tcp_$1"
}

# The local ends of the peer's sockets in TIME_WAIT towards the
# dataplane's port 7 (/proc/net/tcp: address and port in hex, state 06).
time_waits()
{
	peer cat /proc/net/tcp |
		awk '$3 == "0A0012C6:0007" && $4 == "06" { print $2 }'
}

# transfer NAME CONNS MIB SECONDS: bulk echo from the peer, checked.
transfer()
{
	local name=$1 rst0 closed0 rto0 spur0 fast0 tw=0 until

	rst0=$(tcpstat resets_out)
	closed0=$(tcpstat resets)
	rto0=$(tcpstat timeouts)
	spur0=$(tcpstat spurious_rtos)
	fast0=$(tcpstat fast_rexmits)
	# (a first line, so that awk sees two files even with no socket)
	{ echo -; time_waits; } > "$TMP/tw0"
	if ! peer "$DIR/ix_echo_client" -b $DP 7 "$2" "$3" "$4" \
		> "$TMP/$name.log" 2>&1; then
		fail "$name: $(tail -n 3 "$TMP/$name.log")"
		sed 's/^/# /' "$TMP/$name.log"
		echo "# counters: $(ix_lib_stats_line)"
		return 1
	fi
	echo "# $name: $(tail -n 1 "$TMP/$name.log")"
	echo "# $name: $(($(tcpstat fast_rexmits) - fast0)) fast retransmits," \
		"$(($(tcpstat timeouts) - rto0)) timeouts," \
		"$(($(tcpstat spurious_rtos) - spur0)) found spurious"
	[ "$(tcpstat resets_out)" = "$rst0" ] ||
		fail "$name: the dataplane sent $(($(tcpstat resets_out) - rst0)) RSTs"
	# Under loss the dataplane's FIN may need a retransmission (an RTO,
	# backed off) before the peer's socket leaves FIN_WAIT2.  Every
	# socket seen in TIME_WAIT counts, though it may have left since:
	# the wait is by the clock, but TIME_WAIT's 60 s is not far off.
	: > "$TMP/tw"
	until=$((SECONDS + 30))
	while [ "$SECONDS" -lt "$until" ]; do
		time_waits >> "$TMP/tw"
		tw=$(sort -u "$TMP/tw" |
		     awk 'NR == FNR { old[$0]; next } !($0 in old)' \
			"$TMP/tw0" - | wc -l)
		[ "$tw" -ge "$2" ] && break
		sleep 1
	done
	[ "$tw" -ge "$2" ] ||
		fail "$name: $tw of $2 peer sockets in TIME_WAIT after 30 s"
	# A segment that reaches the dataplane after its connection is gone
	# (one the path delayed or duplicated past the last ACK) is answered
	# with RST, as RFC 9293 says; the peer keeps its TIME_WAIT
	# (tcp_rfc1337, set below).
	echo "# $name: TIME_WAIT within $((30 - until + SECONDS)) s;" \
		"$(($(tcpstat resets) - closed0)) late segments answered with RST"
}

# Linux kills a TIME_WAIT socket that receives an RST (RFC 1337's
# hazard), which would hide the close this test checks: not in the
# peer's namespace while the test runs.
RFC1337=/proc/sys/net/ipv4/tcp_rfc1337
rfc1337=$(peer cat $RFC1337)
trap 'ix_lib_netem none; peer sh -c "echo $rfc1337 > $RFC1337";
      ix_lib_cleanup' EXIT
peer sh -c "echo 1 > $RFC1337" || fail "tcp_rfc1337 in the peer"
echo 1 > "$SYS/tx_csum" && echo 1 > "$SYS/tx_sg" || fail "offloads on"
ix_lib_attach
ix_lib_start ix_echo 7 "$DIR/ix_echo" 1 7 512 || exit 1

frags0=$(cat "$TCPSTATS/tx_frags")
offl0=$(cat "$TCPSTATS/tx_csum_offload")
rxoffl0=$(cat "$TCPSTATS/rx_csum_offload")
transfer clean 1 "$BULK_MIB" 600
# virtio_net has both: payloads leave from the TX memory, summed by it.
[ "$(cat "$TCPSTATS/tx_frags")" -gt "$frags0" ] ||
	fail "no frame sent zero copy (tx_frags)"
[ "$(cat "$TCPSTATS/tx_csum_offload")" -gt "$offl0" ] ||
	fail "no checksum left to the NIC (tx_csum_offload)"
# The peer's virtio_net left its checksums to complete (NEEDS_CSUM), and
# the dataplane took its word: every byte was still checked end to end.
[ "$(cat "$TCPSTATS/rx_csum_offload")" -gt "$rxoffl0" ] ||
	fail "no received checksum taken from the NIC (rx_csum_offload)"

rex0=$(tcpstat rexmits)
ooo0=$(tcpstat ooo_queued)
ix_lib_netem delay 1ms 1ms loss 1% reorder 10% 50% &&
	transfer loss1 2 "$LOSSY_MIB" 300
ix_lib_netem delay 1ms 1ms loss 5% reorder 25% 50% &&
	transfer loss5 2 "$LOSSY_MIB" 300
[ "$(tcpstat rexmits)" -gt "$rex0" ] ||
	fail "no retransmissions counted under loss"
[ "$(tcpstat ooo_queued)" -gt "$ooo0" ] ||
	fail "no out-of-order segments counted under reordering"
echo "# under loss: $(($(tcpstat rexmits) - rex0)) retransmissions" \
	"($(tcpstat fast_rexmits) fast, $(tcpstat sack_rexmits) from SACK," \
	"$(tcpstat timeouts) timeouts since boot)," \
	"$(($(tcpstat ooo_queued) - ooo0)) segments queued out of order"

# A killed server resets its connections; the peer must not hang.
# Killed once the connection is open and bytes move both ways.  Open:
# one more passive open (the open count can stay put while a connection
# of the lossy transfers still closes meanwhile).
want=$(($(ix_lib_stat tcp_passive) + 1))
peer "$DIR/ix_echo_client" -b $DP 7 1 1024 120 > "$TMP/kill.log" 2>&1 &
client=$!
ix_lib_wait 30 eval '[ $(ix_lib_stat tcp_passive) -ge $want ]' ||
	fail "killed server: the connection did not open"
for c in rx_bytes tx_bytes rx_bytes; do
	n=$(ix_lib_stat $c)
	ix_lib_wait 10 eval '[ $(ix_lib_stat $c) -gt $n ]' ||
		fail "killed server: no $c moving"
done
kill -9 $app_pid
wait $app_pid 2>/dev/null
if wait $client; then
	fail "the transfer outlived its server"
elif ! grep -q "reset by the server" "$TMP/kill.log"; then
	fail "killed server: $(tail -n 2 "$TMP/kill.log")"
fi
ix_lib_netem none

echo 0 > "$SYS/attached" || fail "detach"
ix_lib_kmemleak_check
ix_lib_exit "${BULK_MIB} MiB each way, and 2 x ${LOSSY_MIB} MiB at 1% and 5% loss with reordering, checked and closed cleanly"
