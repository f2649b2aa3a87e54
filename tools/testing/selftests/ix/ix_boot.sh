#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CPU 1 reserved at boot by ixdp.cpus=1: shown in /sys/kernel/ixdp/cpus,
# with tasks, IRQs and workqueues off it as after a runtime write, and
# released by the same write.  Needs ixdp.cpus=1 on the kernel command
# line (make check boots a VM for it); skips without.

ksft_skip=4
CPUS=/sys/kernel/ixdp/cpus
WQ_MASK=/sys/devices/virtual/workqueue/cpumask
PF_KTHREAD=$((0x00200000))
PF_NO_SETAFFINITY=$((0x04000000))
ret=0

fail()
{
	echo "FAIL: $*"
	ret=1
}

# list_has LIST CPU: CPU is in the CPU list LIST ("0-2,5").
list_has()
{
	local r IFS=,

	for r in $1; do
		if [ "$r" = "$2" ] ||
		   { [ "${r#*-}" != "$r" ] && [ "${r%-*}" -le "$2" ] &&
		     [ "$2" -le "${r#*-}" ]; }; then
			return 0
		fi
	done
	return 1
}

# mask_has HEXMASK CPU, for CPUs below 32: "ff,00000003" has 0 and 1.
mask_has()
{
	local m=${1##*,}

	[ $(((0x$m >> $2) & 1)) = 1 ]
}

allowed()
{
	sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$1/status" 2>/dev/null
}

if [ ! -w "$CPUS" ]; then
	echo "SKIP: $CPUS missing (CONFIG_IXDP off?)"
	exit $ksft_skip
fi
if ! tr ' ' '\n' < /proc/cmdline | grep -qx 'ixdp.cpus=1'; then
	echo "SKIP: needs ixdp.cpus=1 on the kernel command line"
	exit $ksft_skip
fi

got=$(cat "$CPUS")
[ "$got" = 1 ] || fail "$CPUS reads '$got' after ixdp.cpus=1, not 1"

# Every thread that may run on CPU 1 is a kernel thread bound to it, or
# one whose affinity the kernel fixes (a workqueue rescuer).
checked=0
bad=0
for t in /proc/[0-9]*/task/[0-9]*; do
	a=$(allowed "$t")
	stat=$(cat "$t/stat" 2>/dev/null) || continue
	[ -n "$a" ] || continue
	checked=$((checked + 1))
	list_has "$a" 1 || continue
	# pid (comm) state ppid pgrp session tty tpgid flags: the comm
	# may hold spaces and parentheses, the last ") " ends it.
	read -r -a f <<< "${stat##*) }"
	flags=${f[6]}
	if [ $((flags & PF_KTHREAD)) = 0 ] ||
	   { [ "$a" != 1 ] && [ $((flags & PF_NO_SETAFFINITY)) = 0 ]; }; then
		comm=${stat#*(}
		fail "${t#/proc/} (${comm%) *}) may run on reserved CPU 1: $a"
		bad=$((bad + 1))
	fi
done
[ "$checked" -gt 10 ] || fail "only $checked threads found in /proc"
[ $bad = 0 ] &&
	echo "ok: $checked threads, none but per-CPU kernel threads on CPU 1"

irq_default=$(cat /proc/irq/default_smp_affinity)
! mask_has "$irq_default" 1 ||
	fail "new IRQs may land on CPU 1: default_smp_affinity $irq_default"
if [ -r "$WQ_MASK" ]; then
	wq=$(cat "$WQ_MASK")
	! mask_has "$wq" 1 || fail "unbound workqueues may run on CPU 1: $wq"
fi

# Released as a runtime reservation is: tasks that ran everywhere, init
# and this shell (forked while CPU 1 was reserved) included, get it back.
echo > "$CPUS" || fail "cannot release the CPUs reserved at boot"
got=$(cat "$CPUS")
[ -z "$got" ] || fail "$CPUS reads '$got' after release"
for t in /proc/1 /proc/$$; do
	a=$(allowed "$t")
	list_has "$a" 1 || fail "${t#/proc/} did not get CPU 1 back: '$a'"
done
mask_has "$(cat /proc/irq/default_smp_affinity)" 1 ||
	fail "default_smp_affinity did not get CPU 1 back"
if [ -r "$WQ_MASK" ]; then
	mask_has "$(cat "$WQ_MASK")" 1 ||
		fail "unbound workqueues did not get CPU 1 back"
fi

[ $ret = 0 ] && echo "ok: ixdp.cpus=1 reserved CPU 1 at boot; released"
exit $ret
