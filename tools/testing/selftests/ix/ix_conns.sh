#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A large connection table: the device attached with max_conns 1100,
# ix_echo sized to match, and 1,000 concurrent connections from the Linux
# peer, every byte verified, then again through netem at 1% and 5% loss
# with reordering both ways; bad max_conns writes are refused, and the
# table's memory goes with the app (kmemleak).  It runs with the NIC's
# transmit offloads off (tx_csum, tx_sg 0): checksums in software and
# payloads copied, which the counters must show.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need
echo 1100 > "$SYS/max_conns" || fail "max_conns 1100"
echo 0 > "$SYS/max_conns" 2>/dev/null && fail "max_conns 0 taken"
echo 65536 > "$SYS/max_conns" 2>/dev/null && fail "max_conns 65536 taken"
echo 0 > "$SYS/tx_csum" && echo 0 > "$SYS/tx_sg" || fail "offloads off"
offl0=$(cat "$SYS/stats/tx_csum_offload")
frags0=$(cat "$SYS/stats/tx_frags")
ix_lib_attach
[ "$(cat "$SYS/max_conns")" = 1100 ] || fail "max_conns reads $(cat "$SYS/max_conns")"
echo 5 > "$SYS/max_conns" 2>/dev/null && fail "max_conns changed while attached"
ix_lib_start ix_echo 7 "$DIR/ix_echo" 1 7 4 1100 || exit 1

trap 'ix_lib_netem none; ix_lib_cleanup' EXIT
drop0=$(ix_lib_stat tx_dropped)
defer0=$(ix_lib_stat tx_deferred)
peer timeout 300 "$DIR/ix_echo_client" $DP 7 1000 4 512 5 > "$TMP/c.log" 2>&1 ||
	fail "1000 connections: $(tail -n 3 "$TMP/c.log")"
tail -n 1 "$TMP/c.log"
# A full transmit ring defers the core's frames, never drops them.
echo "# transmit: $(($(ix_lib_stat tx_deferred) - defer0)) frames deferred, $(($(ix_lib_stat tx_dropped) - drop0)) dropped"
[ "$(ix_lib_stat tx_dropped)" = "$drop0" ] || fail "the core dropped frames it sent"
# Again through loss and reordering, both ways.
for loss in 1% 5%; do
	ix_lib_netem delay 1ms 1ms loss $loss reorder 25% 50% || break
	peer timeout 300 "$DIR/ix_echo_client" $DP 7 1000 2 512 6 > "$TMP/c.log" 2>&1 ||
		fail "1000 connections at $loss loss: $(tail -n 3 "$TMP/c.log")"
	echo "# at $loss loss: $(tail -n 1 "$TMP/c.log")"
done
ix_lib_netem none

kill $app_pid
wait $app_pid
cat "$TMP/ix_echo.log"
grep -q " 0 overflows, 0 events dropped" "$TMP/ix_echo.log" ||
	fail "ix_echo lost events"
[ "$(cat "$SYS/stats/tx_csum_offload") $(cat "$SYS/stats/tx_frags")" = "$offl0 $frags0" ] ||
	fail "offloads used while off"
echo 0 > "$SYS/attached"
echo 512 > "$SYS/max_conns"
echo 1 > "$SYS/tx_csum"
echo 1 > "$SYS/tx_sg"
ix_lib_kmemleak_check
ix_lib_exit "1000 concurrent connections echo, every byte verified, also at 1% and 5% loss"
