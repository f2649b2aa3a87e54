#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The `make run` demo, run inside the guest: reserve a CPU, attach eth0's
# two queue pairs to it, let the Linux peer (namespace "peer") ping the
# dataplane, show the counters, detach.  The echo server comes with the
# application ABI.

IX=/ixdp/build/kselftest/ix/ix
DP=198.18.0.10

set -e
echo "== kernel $(uname -r), $(nproc) CPUs; $($IX version)"
echo "== reserve CPU 1 and attach eth0 queues 0-1 to it"
$IX cpus 1
$IX attach eth0 queues 0-1 cpus 1 addr $DP/24
$IX show
echo "== the Linux peer (198.18.0.3) pings the dataplane ($DP): 50 pings"
ip netns exec peer ping -q -c 50 -i 0.02 -W 2 $DP | tail -n 2
echo "== dataplane counters"
$IX stats
echo "== detach: Linux has eth0 again"
$IX detach eth0
$IX cpus ""
ip netns exec peer ping -q -c 3 -W 2 198.18.0.2 | tail -n 2
