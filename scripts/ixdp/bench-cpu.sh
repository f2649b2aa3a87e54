#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the cycles of one benchmark point went (make bench, item 6 of
# issue 17).  A snapshot is lines "KEY N...", a delta the same keys with
# each number the difference between two snapshots, so one awk does every
# kind of counter:
#
#   bench-cpu.sh guest            uptime; cpuN (the /proc/stat fields:
#                                 user nice system idle iowait irq softirq
#                                 steal, in USER_HZ = 100 ticks);
#                                 softirq:NAME with one count per CPU;
#                                 intr and ctxt (interrupts and context
#                                 switches, all CPUs); irq:eth0 (eth0's
#                                 virtio interrupts: the device's
#                                 notifications to the guest); kick:eth0
#                                 (the guest's notifications to the
#                                 device: virtio_net's kicks, ethtool -S,
#                                 and the dataplane's queueN/doorbells);
#                                 ixdp:NAME, every counter of eth0's
#                                 stats/ and stats/drop/ (the dataplane's,
#                                 while it serves eth0)
#   bench-cpu.sh host AGENT QEMU  uptime; client (the user and system
#                                 ticks of AGENT's reaped children: the
#                                 load generator); qemu:TID:NAME (each
#                                 QEMU thread's user and system ticks);
#                                 with IXDP_INSN (the ixinsn client) and
#                                 IXDP_INSN_SOCK (the QEMU plugin's
#                                 socket) set, insn:vcpuN and insn:total
#                                 (guest instructions, user and kernel);
#                                 tap0 (the guest eth0's tap: tx_packets
#                                 tx_dropped, towards the guest, and
#                                 rx_packets rx_dropped, from it)
#   bench-cpu.sh delta A B        B - A for every key in both
#
# The guest takes its snapshots around each point; the host agent around
# each load program it runs.  Cheap: a few /proc reads per point.

# stat_ticks FILE: "UTIME STIME" of a /proc stat file, and CUTIME
# CSTIME after them.  The name in parentheses may hold spaces: count the
# fields after its closing parenthesis.
stat_ticks()
{
	sed 's/.*) //' "$1" 2>/dev/null | awk '{ print $12, $13, $14, $15 }'
}

guest_snap()
{
	echo "uptime $(cut -d' ' -f1 /proc/uptime)"
	awk '/^cpu[0-9]/ { print $1, $2, $3, $4, $5, $6, $7, $8, $9 }' /proc/stat
	awk 'NR > 1 { k = $1; sub(":", "", k); $1 = "softirq:" k; print }' \
		/proc/softirqs
	awk '$1 == "intr" || $1 == "ctxt" { print $1, $2 }' /proc/stat
	guest_nic_irqs eth0
	guest_nic_kicks eth0
	grep -s . /sys/class/net/eth0/ixdp/stats/* /sys/class/net/eth0/ixdp/stats/drop/* |
		sed 's|^/sys/class/net/eth0/ixdp/stats/\(.*\):|ixdp:\1 |'
}

# guest_nic_kicks DEV: "kick:DEV N", the notifications Linux's driver
# and the dataplane sent DEV's device.
guest_nic_kicks()
{
	local lx dp

	lx=$(ethtool -S "$1" 2>/dev/null | awk '$1 ~ /_kicks:$/ { n += $2 } END { print n + 0 }')
	dp=$(cat /sys/class/net/"$1"/ixdp/queue*/doorbells 2>/dev/null | awk '{ n += $1 } END { print n + 0 }')
	echo "kick:$1 $((lx + dp))"
}

# guest_nic_irqs DEV: "irq:DEV N", the interrupts of DEV's virtio device
# on every CPU (its queues' lines in /proc/interrupts, e.g. virtio1-input.0).
guest_nic_irqs()
{
	local vdev

	vdev=$(basename "$(readlink "/sys/class/net/$1/device" 2>/dev/null)")
	[ -n "$vdev" ] || return 0
	awk -v v="$vdev-" -v dev="$1" '
		index($NF, v) == 1 { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i }
		END { print "irq:" dev, n + 0 }' /proc/interrupts
}

host_snap()
{
	local t name

	echo "uptime $(cut -d' ' -f1 /proc/uptime)"
	echo "client $(stat_ticks "/proc/$1/stat" | cut -d' ' -f3,4)"
	for t in /proc/"$2"/task/*; do
		[ -f "$t/stat" ] || continue
		name=$(tr -c 'A-Za-z0-9\n' _ < "$t/comm")
		echo "qemu:${t##*/}:$name $(stat_ticks "$t/stat" | cut -d' ' -f1,2)"
	done
	[ -d /sys/class/net/tap0 ] &&
		echo "tap0 $(cd /sys/class/net/tap0/statistics &&
			     cat tx_packets tx_dropped rx_packets rx_dropped | tr '\n' ' ')"
	[ -n "${IXDP_INSN:-}" ] && [ -S "${IXDP_INSN_SOCK:-}" ] &&
		"$IXDP_INSN" "$IXDP_INSN_SOCK" read |
		awk '$1 == "vcpu" { print "insn:vcpu" $2, $4, $6 }
		     $1 == "total" { print "insn:total", $3, $5 }'
	return 0
}

delta()
{
	awk 'NR == FNR { a[$1] = $0; next }
	     $1 in a {
		split(a[$1], f, " ")
		line = $1
		for (i = 2; i <= NF; i++)
			line = line " " ($i - f[i])
		print line
	     }' "$1" "$2"
}

case ${1:-} in
guest)	guest_snap ;;
host)	host_snap "$2" "$3" ;;
delta)	delta "$2" "$3" ;;
*)	echo "usage: bench-cpu.sh guest | host AGENT_PID QEMU_PID | delta A B" >&2
	exit 2 ;;
esac
