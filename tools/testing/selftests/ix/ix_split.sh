#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A queue split: only queue pair 1 of eth0 goes to the dataplane, Linux
# keeps pair 0.  The host puts a flow on the queue the guest last sent it
# on and hashes the flows it has not seen, so each side gets some of the
# other's frames: the dataplane's that land on Linux's queue 0 are taken
# to its core (intake_packets), Linux's that land on queue 1 are punted.
# The peer resolves and pings both addresses afresh; 16 connections of
# the dataplane's echo service (new flows, so some hash to queue 0)
# echo 1 MiB each, verified; a TCP conversation with Linux goes both
# ways.  Steering is asked for and, virtio_net having no n-tuple rules,
# refused with its reason while the split works as without it.
# Detached, Linux has both queues again and nothing leaks.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
LINUX_ADDR=198.18.0.2
PORT=7

ix_lib_need
echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
echo 1 > "$SYS/queues"
echo 1 > "$SYS/cpus"
# Linux's own address is not the dataplane's to take.
echo $LINUX_ADDR/24 > "$SYS/addr"
echo 1 > "$SYS/attached" 2> "$TMP/err" && fail "attached on Linux's address"
grep -q "in use" "$TMP/err" || fail "attach on Linux's address: $(cat "$TMP/err")"
echo $DP/24 > "$SYS/addr"
echo $PORT > "$SYS/echo_port"
# Steering asked of a device that cannot (virtio_net has no n-tuple
# rules): the attach goes on, the intake sorts, steer_state says why.
[ "$(cat "$SYS/steer_state")" = off ] || fail "steer_state $(cat "$SYS/steer_state")"
echo maybe > "$SYS/steer" 2> /dev/null && fail "steer took \"maybe\""
echo 1 > "$SYS/steer" || fail "steer on"
[ "$(cat "$SYS/steer_state")" = "at attach" ] ||
	fail "steer_state before the attach: $(cat "$SYS/steer_state")"
echo 1 > "$SYS/attached" || { fail "attach queue 1"; exit 1; }
[ "$(cat "$SYS/steer_state")" = "not steering: ntuple off" ] ||
	fail "steer_state on virtio_net: $(cat "$SYS/steer_state")"
echo 0 > "$SYS/steer" 2> /dev/null && fail "steer changed while attached"
ip neigh flush dev "$DEV"
peer ip neigh flush dev eth1

for a in $DP $LINUX_ADDR; do
	peer ping -c 5 -i 0.2 -W 2 $a > "$TMP/ping.out" 2>&1
	grep -q "5 packets received" "$TMP/ping.out" ||
		fail "ping $a: $(tail -n 2 "$TMP/ping.out" | tr '\n' ' ')"
done

peer timeout 60 "$DIR/ix_echo_client" -b $DP $PORT 16 1 60 \
	> "$TMP/echo.out" 2>&1 ||
	fail "16 connections to the dataplane: $(tr '\n' ' ' < "$TMP/echo.out")"
[ "$(ix_lib_stat intake_packets)" -gt 0 ] ||
	fail "nothing came to the core from Linux's queue"
[ "$(ix_lib_stat intake_dropped)" = 0 ] ||
	fail "intake_dropped $(ix_lib_stat intake_dropped)"
echo "# intake: $(ix_lib_stat intake_packets) frames from queue 0," \
     "$(ix_lib_stat punted) punted from queue 1"

head -c 300000 /dev/urandom > "$TMP/blob"
sleep 60 | nc -l -p 5001 > "$TMP/in.out" &
ix_lib_wait 10 ix_lib_listening 5001 || fail "nc does not listen"
peer timeout 20 nc $LINUX_ADDR 5001 < "$TMP/blob" || fail "peer to Linux TCP"
ix_lib_wait 10 cmp -s "$TMP/blob" "$TMP/in.out" ||
	fail "peer to Linux: $(wc -c < "$TMP/in.out") of 300000 bytes"
sleep 60 | peer nc -l -p 5002 > "$TMP/out.out" &
ix_lib_wait 10 ix_lib_listening peer 5002 || fail "peer nc does not listen"
timeout 20 nc 198.18.0.3 5002 < "$TMP/blob" || fail "Linux to peer TCP"
ix_lib_wait 10 cmp -s "$TMP/blob" "$TMP/out.out" ||
	fail "Linux to peer: $(wc -c < "$TMP/out.out") of 300000 bytes"

echo 0 > "$SYS/attached" || fail "detach"
[ "$(cat "$SYS/steer_state")" = "at attach" ] ||
	fail "steer_state after the detach: $(cat "$SYS/steer_state")"
echo 0 > "$SYS/steer" || fail "steer off"
echo 0 > "$SYS/echo_port"
echo 0-1 > "$SYS/queues"
echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
peer ping -c 2 -W 2 $LINUX_ADDR > /dev/null || fail "Linux ping after detach"
ix_lib_kmemleak_check
ix_lib_exit "queue 1 to the dataplane, queue 0 to Linux: each side's frames find it"
