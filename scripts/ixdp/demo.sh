#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The `make run` demo, run inside the guest: reserve a CPU, attach eth0's
# two queue pairs to it with the loop's echo service on port 7, let the
# Linux peer (namespace "peer") ping the dataplane and push bytes through
# its TCP echo, show the counters; then run the echo server on libix
# (ix_echo) on the same CPU and drive it from the peer and from the host
# side of the test namespace (scripts/ixdp/host-agent.sh, started by
# `make run`), printing messages per second and round-trip percentiles;
# detach.

IX=/ixdp/build/kselftest/ix/ix
BIN=/ixdp/build/kselftest/ix
DP=198.18.0.10

set -e
echo "== kernel $(uname -r), $(nproc) CPUs; $($IX version)"
echo "== reserve CPU 1 and attach eth0 queues 0-1 to it"
$IX cpus 1
echo 7 > /sys/class/net/eth0/ixdp/echo_port
$IX attach eth0 queues 0-1 cpus 1 addr $DP/24
$IX show
echo "== the Linux peer (198.18.0.3) pings the dataplane ($DP): 50 pings"
ip netns exec peer ping -q -c 50 -i 0.02 -W 2 $DP | tail -n 2
echo "== the peer's Linux TCP sends 1 MiB through the dataplane's TCP echo (port 7)"
head -c 1048576 /dev/urandom > /tmp/demo.in
start=$EPOCHREALTIME
ip netns exec peer nc -w 3 $DP 7 < /tmp/demo.in > /tmp/demo.out
end=$EPOCHREALTIME
if cmp -s /tmp/demo.in /tmp/demo.out; then
	echo "1 MiB echoed intact in $(echo "$end $start" | awk '{ printf "%.2f", $1 - $2 }') s (software-emulated VM)"
else
	echo "echo FAILED: $(wc -c < /tmp/demo.out) bytes came back"
fi
echo "== dataplane counters"
$IX stats
echo "== ix_echo, an application on /dev/ix (libix), takes CPU 1"
$BIN/ix_echo 1 7 > /tmp/ix_echo.log 2>&1 &
echo_pid=$!
sleep 1
echo "-- from the Linux peer: 8 connections x 500 messages of 64 bytes"
ip netns exec peer $BIN/ix_echo_client $DP 7 8 500 64 || true
echo "-- from the host (its Linux TCP, through the bridge): the same"
HOSTSIDE=/ixdp/build/hostside
if [ -e $HOSTSIDE/agent ]; then
	rm -f $HOSTSIDE/rc
	echo "echo $DP 7 8 500 64" > $HOSTSIDE/req.tmp
	mv $HOSTSIDE/req.tmp $HOSTSIDE/req
	for _ in $(seq 240); do
		[ -e $HOSTSIDE/rc ] && break
		sleep 0.5
	done
	cat $HOSTSIDE/resp $HOSTSIDE/err 2>/dev/null || echo "(no answer from the host side)"
else
	echo "(no host agent: run as make run)"
fi
kill $echo_pid
wait $echo_pid || true
cat /tmp/ix_echo.log
echo "== detach: Linux has eth0 again"
$IX detach eth0
$IX cpus ""
echo 0 > /sys/class/net/eth0/ixdp/echo_port
ip netns exec peer ping -q -c 3 -W 2 198.18.0.2 | tail -n 2
