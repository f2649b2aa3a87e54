#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench [QUICK=1] [SLA_US=1000] [REPEATS=5] [ONLY="echo conns ..."]:
# the side-by-side benchmark (ONLY: some of the families ceiling, echo,
# conns, share, kv and http; a figure of a family left out shows as "-").
#   1. the stack's instructions per request-response (callgrind, host
#      harness);
#   2. one VM on the perf kernel (scripts/ixdp/bench-guest.sh): echo,
#      key-value and HTTP servers on ixdp, polling and sleeping, against
#      their Linux contenders, sleeping and busy-polling (epoll and
#      io_uring echo servers, kv_sock and memcached -t 1, http_sock and
#      nginx with one worker) on the same vCPU and NIC, driven by ix_load
#      and wrk running natively on the host side of the test namespace;
#      every point REPEATS times (QUICK=1: 2), in interleaved rounds;
#      QEMU runs the plugin tools/ix/bench/qemu-insn, and the host agent
#      reads its guest instruction counts around every ix_load run;
#   3. build/bench/: results.md, results.json and PNG plots, medians with
#      ranges and ratios from paired rounds
#      (scripts/ixdp/bench-report.sh).
# The VM is software-emulated (TCG) here: the ratios compare the stacks
# under the same emulation, not real hardware.

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/bench
HDR=$ROOT/build/kheaders/usr/include
QUICK=${QUICK:-0}
SLA_US=${SLA_US:-1000}
REPEATS=${REPEATS:-$((QUICK ? 2 : 5))}
ONLY=${ONLY:-}
[[ "$ONLY" =~ ^[a-z\ ]*$ ]] || { echo "bench: ONLY: family names only" >&2; exit 2; }
MAKE=${MAKE:-make}

cd "$ROOT"
rm -rf "$B/raw"
mkdir -p "$B/raw" "$B/bin"

echo "== bench: build (perf kernel, servers, load generator)"
$MAKE -s vm-build KERNEL=perf
$MAKE -s -C tools/ix/bench O="$B/bin"
$MAKE -s -C tools/ix/apps/kv O="$B/bin" KHDR="$HDR" "$B/bin/kv_sock"
$MAKE -s -C tools/ix/apps/kv O="$B/bin" KHDR="$HDR" "$B/bin/ix_kv" ||
	echo "bench: ix_kv not built: no key-value points for ixdp"
$MAKE -s -C tools/ix/apps/http O="$B/bin" KHDR="$HDR"

echo "== bench: instructions per request-response (callgrind, host harness)"
$MAKE -s -C build/linux/tools/testing/ix O="$ROOT/build/host-test" bench |
	tee "$B/raw/instructions.txt"

echo "== bench: servers in the VM (QUICK=$QUICK, SLA p99 ${SLA_US} us)"
printf 'QUICK=%d\nSLA_US=%d\nREPEATS=%d\nONLY="%s"\n' "$QUICK" "$SLA_US" \
	"$REPEATS" "$ONLY" > "$B/params"
# More source addresses on the host side, for the connection scaling.
agent="for i in \$(seq 21 40); do ip addr add 198.18.0.\$i/24 dev veth0; done;"
# 50,000 connections need as many descriptors.
agent="$agent ulimit -Hn 200000; ulimit -n 200000;"
# The plugin's socket: a short path (a Unix socket's is at most 107 bytes).
insn_sock=$(mktemp -u /tmp/ixdp-insn.XXXXXX)
agent="$agent export IXDP_INSN=$ROOT/build/qemu-insn/ixinsn IXDP_INSN_SOCK=$insn_sock;"
agent="$agent exec $ROOT/scripts/ixdp/host-agent.sh"
# The eth0 tap's queue stands in for a switch port's buffer (a few MB on
# a 10 GbE switch).  Linux's default of 1,000 frames drops most of what
# 50,000 closed-loop connections keep in flight, whatever the server.
VM_TAP_QLEN=${VM_TAP_QLEN:-65536} \
VM_MEM=${VM_MEM:-3G} VM_HOST_CMD="$agent" \
VM_QEMU_ARGS="-plugin $ROOT/build/qemu-insn/libixinsn.so,sock=$insn_sock" \
	scripts/ixdp/vm.sh build/kbuild-perf/arch/x86/boot/bzImage \
	-c /ixdp/scripts/ixdp/bench-guest.sh | tee "$B/vm.log" | grep '^bench:'

scripts/ixdp/bench-report.sh "$B"
