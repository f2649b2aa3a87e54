#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh BZIMAGE [-c COMMAND]
# Boot BZIMAGE under QEMU with build/initramfs.cpio.gz and the project
# shared at /ixdp.  With -c (or $CMD in the environment), run COMMAND (a
# shell command line) in the guest and exit with its status; without,
# give a shell on the console.
#
# Each run makes its own host network namespace (ixdp-<pid>-<n>) with a
# bridge, a multi-queue tap for guest eth0, a tap for guest eth1 and a
# veth whose host end (198.18.0.1/24) stays in the namespace for host-side
# clients: "ip netns exec $IXDP_NS ...".  Everything goes with the
# namespace on exit, failure or Ctrl-C.
#
# Environment: VM_CPUS (2), VM_MEM (2G), VM_QUEUES (2), VM_TIMEOUT
# (seconds, 1800), VM_APPEND (more kernel command line), VM_QEMU_ARGS
# (more QEMU options), VM_HOST_CMD (run on the host, in the namespace,
# while the guest runs; it finds the pid of this script in IXDP_VM_PID),
# VM_TAP_QLEN (the eth0 tap's queue towards the guest, frames; Linux's
# default 1000), VM_INITRD (another initramfs than build/initramfs.cpio.gz).
#
# The run fails if the guest console shows a kernel splat.

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
kernel=$(realpath "$1")
shift
cmd=${CMD:-}
if [ "${1:-}" = "-c" ]; then
	cmd=$2
fi

VM_CPUS=${VM_CPUS:-2}
VM_MEM=${VM_MEM:-2G}
VM_QUEUES=${VM_QUEUES:-2}
VM_TIMEOUT=${VM_TIMEOUT:-1800}

id=$(date +%Y%m%d-%H%M%S)-$$
run=$ROOT/build/vm/$id
console=$run/console.log
export IXDP_NS=ixdp-$$-$RANDOM
mkdir -p "$run"
ln -sfn "$id" "$ROOT/build/vm/latest"

qemu_pid=""
host_pid=""
# Runs under set -e on every exit: each step may fail (a process already
# gone) without changing the status the script exits with.
cleanup()
{
	if [ -n "$qemu_pid" ]; then
		kill "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
	if [ -n "$host_pid" ]; then
		kill "$host_pid" 2>/dev/null || true
	fi
	ip netns del "$IXDP_NS" 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo "ixdp: interrupted" >&2; exit 130' INT TERM HUP

netns_up()
{
	local n="ip -n $IXDP_NS"

	ip netns add "$IXDP_NS"
	$n link set lo up
	$n link add br0 type bridge
	$n link set br0 up
	$n tuntap add dev tap0 mode tap multi_queue
	[ -z "${VM_TAP_QLEN:-}" ] || $n link set tap0 txqueuelen "$VM_TAP_QLEN"
	$n tuntap add dev tap1 mode tap
	$n tuntap add dev tap2 mode tap
	$n link add veth0 type veth peer name veth0br
	for p in tap0 tap1 tap2 veth0br; do
		$n link set "$p" master br0
		$n link set "$p" up
	done
	$n addr add 198.18.0.1/24 dev veth0
	$n link set veth0 up
}

# q35, not pc: the pc machine's ACPI _PRT is a loop that the debug kernel
# (KASAN, kmemleak) takes over 30 s of TCG time to evaluate per device.
accel="-accel tcg,thread=multi"
if grep -qE '\b(vmx|svm)\b' /proc/cpuinfo && [ -w /dev/kvm ]; then
	accel="-accel kvm -cpu host"
fi

# ifb.numifbs=0: tests make the ifb devices they want, where they want them.
append="console=ttyS0 loglevel=5 panic=-1 oops=panic ifb.numifbs=0 ${VM_APPEND:-}"
if [ -n "$cmd" ]; then
	printf '%s\n' "$cmd" > "$run/cmd"
	append="$append ixdp.run=/ixdp/build/vm/$id/cmd"
	serial="-chardev stdio,id=con,logfile=$console,signal=on"
else
	serial="-chardev stdio,id=con,mux=on,logfile=$console,signal=off"
	serial="$serial -mon chardev=con,mode=readline"
fi

netns_up
vectors=$((2 * VM_QUEUES + 2))
# shellcheck disable=SC2086
ip netns exec "$IXDP_NS" timeout --foreground "$VM_TIMEOUT" \
	qemu-system-x86_64 -M q35 $accel -smp "$VM_CPUS" -m "$VM_MEM" ${VM_QEMU_ARGS:-} \
	-nodefaults -no-user-config -display none -no-reboot \
	$serial -serial chardev:con \
	-kernel "$kernel" -initrd "${VM_INITRD:-$ROOT/build/initramfs.cpio.gz}" \
	-append "$append" \
	-fsdev local,id=fs0,path="$ROOT",security_model=none \
	-device virtio-9p-pci,fsdev=fs0,mount_tag=ixdp,addr=0x3 \
	-netdev tap,id=n0,ifname=tap0,script=no,downscript=no,vhost=off,queues="$VM_QUEUES" \
	-device virtio-net-pci,netdev=n0,mq=on,vectors=$vectors,mac=52:54:00:1b:00:02,addr=0x4 \
	-netdev tap,id=n1,ifname=tap1,script=no,downscript=no,vhost=off \
	-device virtio-net-pci,netdev=n1,mac=52:54:00:1b:00:03,addr=0x5 \
	-netdev tap,id=n2,ifname=tap2,script=no,downscript=no,vhost=off \
	-device virtio-net-pci,netdev=n2,mac=52:54:00:1b:00:04,addr=0x6 &
qemu_pid=$!
if [ -n "${VM_HOST_CMD:-}" ]; then
	IXDP_VM_PID=$$ ip netns exec "$IXDP_NS" sh -c "$VM_HOST_CMD" \
		> "$run/host.log" 2>&1 &
	host_pid=$!
fi
set +e
wait "$qemu_pid"
qrc=$?
set -e
qemu_pid=""

"$ROOT/scripts/ixdp/splat.sh" "$console" || exit 1

[ -z "$cmd" ] && exit 0
status=$(sed -n 's/^ixdp-vm: exit status \([0-9]*\).*/\1/p' "$console" | tail -n 1)
if [ -z "$status" ]; then
	if [ "$qrc" = 124 ]; then
		echo "ixdp: the guest timed out after ${VM_TIMEOUT}s (console: $console)" >&2
	else
		echo "ixdp: the guest stopped before the command ended (qemu status $qrc, console: $console)" >&2
	fi
	exit 1
fi
exit "$status"
