#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The `make run` demo, run inside the guest: show that the dataplane
# subsystem is alive.  Later stages turn this into the echo demo.

echo "== kernel: $(uname -r) on $(nproc) CPUs"
echo "== /dev/ix:"
ls -l /dev/ix || exit 1
echo "== /sys/kernel/ixdp:"
for f in /sys/kernel/ixdp/*; do
	printf '  %-24s %s\n' "${f##*/}" "$(cat "$f")"
done
echo "== IX_IOC_VERSION from an application:"
/ixdp/build/kselftest/ix/ix_abi_test -t version -t node 2>&1 | sed 's/^/  /'
echo "== NICs:"
ip -br addr show dev eth0
ip -n peer -br addr show dev eth1
echo "== Linux peer (198.18.0.3, namespace peer) to eth0 (198.18.0.2):"
ip netns exec peer ping -c 2 -W 2 198.18.0.2 | tail -n 2
