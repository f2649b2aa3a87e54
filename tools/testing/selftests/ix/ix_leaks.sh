#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What kmemleak cannot see: the pages of the RX pool (alloc_pages_node)
# and the application's pinned TX memory.  200 attach/detach cycles and
# 200 application cycles (open, setup with 1 MiB of TX memory, listen,
# run, close: ix_cycle) must give back every pin (nr_foll_pin_acquired
# equals nr_foll_pin_released in /proc/vmstat, before and after) and
# every page: MemFree, caches dropped, may fall by at most SLACK_MIB
# (default 32).  An attach takes about 3 MiB of RX pool and a cycle pins
# 1 MiB, so a leak of either per cycle (600 or 200 MiB) cannot hide in
# the slack; a leak of a few pages per cycle can (kmemleak covers slab
# and vmalloc objects).  Then kmemleak scans.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
CYCLES=${IXDP_LEAK_CYCLES:-200}
SLACK_MIB=${IXDP_LEAK_SLACK_MIB:-32}

ix_lib_need
[ -x "$DIR/ix_cycle" ] || { fail "$DIR/ix_cycle not built"; exit 1; }

# vmstat NAME: a counter of /proc/vmstat, the per-CPU deltas folded in
# first (they are folded only now and then, and not on a reserved CPU).
vmstat()
{
	echo 1 > /proc/sys/vm/stat_refresh
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

# pins_held: pins taken and not yet released, system-wide.
pins_held()
{
	echo $(($(vmstat nr_foll_pin_acquired) - $(vmstat nr_foll_pin_released)))
}

memfree_kib()
{
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk '$1 == "MemFree:" { print $2 }' /proc/meminfo
}

# cycles: attach/detach, then applications, CYCLES each.
cycles()
{
	local i

	for i in $(seq "$1"); do
		echo 1 > "$SYS/attached" || { fail "attach, cycle $i"; return 1; }
		echo 0 > "$SYS/attached" || { fail "detach, cycle $i"; return 1; }
	done
	echo 1 > "$SYS/attached" || { fail "attach for the applications"; return 1; }
	"$DIR/ix_cycle" 1 "$1" || fail "ix_cycle 1 $1"
	echo 0 > "$SYS/attached" || fail "detach after the applications"
}

echo 1 > /sys/kernel/ixdp/cpus || fail "reserve CPU 1"
echo 0-1 > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"

# Warm the caches, so that what the kernel keeps for later is counted
# before, not as a leak.
cycles 5
[ "$(pins_held)" = 0 ] ||
	fail "pins held before the cycles: $(pins_held) (acquired $(vmstat nr_foll_pin_acquired), released $(vmstat nr_foll_pin_released))"
acq0=$(vmstat nr_foll_pin_acquired)
free0=$(memfree_kib)
start=$(date +%s)

cycles "$CYCLES"

acq=$(($(vmstat nr_foll_pin_acquired) - acq0))
free1=$(memfree_kib)
echo "# $CYCLES attach/detach and $CYCLES application cycles in $(($(date +%s) - start)) s:" \
	"$acq pins taken, $(pins_held) held after; MemFree $((free0 / 1024)) -> $((free1 / 1024)) MiB"
[ "$acq" -ge $((CYCLES * 256)) ] ||
	fail "only $acq pins taken: the applications did not pin their TX memory"
[ "$(pins_held)" = 0 ] ||
	fail "pins leaked: acquired $(vmstat nr_foll_pin_acquired), released $(vmstat nr_foll_pin_released)"
[ $((free0 - free1)) -le $((SLACK_MIB * 1024)) ] ||
	fail "MemFree fell by $(((free0 - free1) / 1024)) MiB over the cycles (slack $SLACK_MIB MiB)"

echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
ix_lib_kmemleak_check
ix_lib_exit "$CYCLES attach/detach and application cycles: every pin and page given back"
