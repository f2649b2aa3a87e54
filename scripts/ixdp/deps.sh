#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the build, the VM and the tests need.
# As root, missing packages are installed (and named); otherwise the
# script fails with one message listing what is missing.

set -eu

PKGS="bc flex bison libssl-dev libelf-dev kmod cpio xz-utils gcc make perl rsync
      qemu-system-x86 busybox-static iproute2 ethtool linux-source-6.12
      sparse clang libclang-rt-14-dev llvm-14 valgrind
      memcached nginx-light wrk libmemcached-tools liburing-dev gnuplot-nox
      python3-scapy tcpdump iputils-ping"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "ixdp: missing Debian packages:$missing" >&2
		echo "ixdp: run 'make' as root once, or: apt-get install$missing" >&2
		exit 1
	fi

	echo "ixdp: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if ! apt-get install -y -q --no-install-recommends $missing; then
		apt-get update -q
		# shellcheck disable=SC2086
		apt-get install -y -q --no-install-recommends $missing
	fi
fi

"$(dirname "$0")/deps-qemu-plugin.sh"
