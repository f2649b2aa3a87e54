#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shell helpers of the ixdp selftests that drive an application on
# /dev/ix; sourced.  The test sets nothing before; it gets:
#   DEV DP SYS DIR TMP ret	device, dataplane address, its sysfs
#				directory, the tests' directory, a scratch
#				directory, the exit status
#   fail MSG			record a failure
#   peer CMD...			run CMD in the Linux peer's namespace
#   ix_lib_need			skip unless the VM bench is there
#   ix_lib_attach		reserve CPU 1, attach queues 0-1 of DEV to it
#   ix_lib_start NAME PORT CMD...	start an application, wait until
#				it accepts on DP:PORT; its pid in app_pid
#   ix_lib_host PROG ARGS...	run PROG on the host (host-agent.sh);
#				its status, output in $TMP/host.out
#   ix_lib_kmemleak_check	fail on leaks of ours (cleared at source)
#   ix_lib_netem ARGS...|none	netem ARGS on the peer's link, both ways
# and a trap that detaches, releases the CPU and removes TMP.

ksft_skip=4
DEV=${IXDP_DEV:-eth0}
DP=198.18.0.10
SYS=/sys/class/net/$DEV/ixdp
KMEMLEAK=/sys/kernel/debug/kmemleak
HOSTSIDE=/ixdp/build/hostside
DIR=$(dirname "$(readlink -f "$0")")
TMP=$(mktemp -d)
ret=0

fail()
{
	echo "FAIL: $*"
	ret=1
}

peer()
{
	ip netns exec peer "$@"
}

ix_lib_cleanup()
{
	kill -9 $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	echo 0 > "$SYS/attached" 2>/dev/null
	echo > /sys/kernel/ixdp/cpus 2>/dev/null
	rm -rf "$TMP"
}
trap ix_lib_cleanup EXIT

ix_lib_need()
{
	if [ ! -d "$SYS" ] || ! ip netns list | grep -qw peer ||
	   [ "$(nproc)" -lt 2 ]; then
		echo "SKIP: needs $SYS, the bench's peer namespace and 2 CPUs"
		exit $ksft_skip
	fi
	[ -w "$KMEMLEAK" ] && echo clear > "$KMEMLEAK"
}

ix_lib_attach()
{
	echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
	echo 0-1 > "$SYS/queues"
	echo 1 > "$SYS/cpus"
	echo $DP/24 > "$SYS/addr"
	echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
}

ix_lib_start()
{
	local name=$1 port=$2

	shift 2
	"$@" > "$TMP/$name.log" 2>&1 &
	app_pid=$!
	for _ in $(seq 100); do
		peer timeout 2 bash -c "exec 3<>/dev/tcp/$DP/$port" \
			2>/dev/null && return 0
		kill -0 $app_pid 2>/dev/null || break
		sleep 0.1
	done
	fail "$name did not start: $(cat "$TMP/$name.log")"
	return 1
}

ix_lib_host()
{
	if [ ! -e $HOSTSIDE/agent ]; then
		echo "no host agent (scripts/ixdp/host-agent.sh)" > "$TMP/host.out"
		return $ksft_skip
	fi
	rm -f $HOSTSIDE/rc
	echo "$*" > $HOSTSIDE/req.tmp
	mv $HOSTSIDE/req.tmp $HOSTSIDE/req
	for _ in $(seq 1200); do
		[ -e $HOSTSIDE/rc ] && break
		sleep 0.25
	done
	cat $HOSTSIDE/resp $HOSTSIDE/err > "$TMP/host.out" 2>/dev/null
	return "$(cat $HOSTSIDE/rc 2>/dev/null || echo 1)"
}

ix_lib_kmemleak_check()
{
	[ -w "$KMEMLEAK" ] || return 0
	echo scan > "$KMEMLEAK"
	sleep 1
	echo scan > "$KMEMLEAK"
	if grep -q -E "ixdp|virtnet|vnix" "$KMEMLEAK"; then
		fail "kmemleak: $(grep -c unreferenced "$KMEMLEAK") objects"
		head -n 40 "$KMEMLEAK"
	fi
}

# netem on the peer's link, both ways: on eth1's egress, and on its
# ingress through ifb0; "none" takes it away.
ix_lib_netem()
{
	peer tc qdisc del dev eth1 root 2>/dev/null
	peer tc qdisc del dev eth1 ingress 2>/dev/null
	peer ip link del ifb0 2>/dev/null
	[ "$1" = none ] && return 0
	peer tc qdisc add dev eth1 root netem "$@" &&
	peer ip link add ifb0 type ifb &&
	peer ip link set ifb0 up &&
	peer tc qdisc add dev eth1 handle ffff: ingress &&
	peer tc filter add dev eth1 parent ffff: matchall \
		action mirred egress redirect dev ifb0 &&
	peer tc qdisc add dev ifb0 root netem "$@" ||
		{ fail "netem $*"; return 1; }
}
