#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ixdp control tree and device node as an administrator sees them.

ksft_skip=4
ret=0

fail()
{
	echo "FAIL: $*"
	ret=1
}

if [ ! -d /sys/kernel/ixdp ]; then
	echo "SKIP: /sys/kernel/ixdp missing (CONFIG_IXDP off?)"
	exit $ksft_skip
fi

v=$(cat /sys/kernel/ixdp/version) || fail "cannot read version"
case "$v" in
''|*[!0-9]*) fail "version is not a number: '$v'" ;;
0) fail "version is 0" ;;
*) echo "ok: ABI version $v" ;;
esac

[ "$(stat -c %a /sys/kernel/ixdp/version)" = 444 ] ||
	fail "version is not mode 0444"
grep -qw ix /proc/misc || fail "no 'ix' misc device in /proc/misc"
[ -c /dev/ix ] || fail "/dev/ix is not a character device"
minor=$(awk '$2 == "ix" { print $1 }' /proc/misc)
[ "$(stat -c %t:%T /dev/ix)" = "a:$(printf %x "$minor")" ] ||
	fail "/dev/ix is not misc minor $minor"

exit $ret
