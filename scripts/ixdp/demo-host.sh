#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host side of the `make run` demo, run in the VM's host namespace
# while the guest runs scripts/ixdp/demo.sh: once the guest says its
# echo server is up (build/demo/ready, over the 9p share), drive it from
# here with the host's own Linux TCP and leave the result for the guest
# to print (build/demo/host.out).

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEMO=$ROOT/build/demo
CLIENT=$ROOT/build/kselftest/ix/ix_echo_client

for _ in $(seq 600); do
	[ -e "$DEMO/ready" ] && break
	sleep 0.5
done
[ -e "$DEMO/ready" ] || exit 1
"$CLIENT" 198.18.0.10 7 8 500 64 > "$DEMO/host.tmp" 2>&1
mv "$DEMO/host.tmp" "$DEMO/host.out"
