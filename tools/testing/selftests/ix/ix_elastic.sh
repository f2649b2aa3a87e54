#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Elastic application threads: three threads of one process set up with
# IX_SETUP_F_ELASTIC on eth0, attached with CPU 1 alone and CPUs 1-3
# reserved, follow the device while ix scale (sysfs) adds and removes
# cores (ix_elastic.c): the first drives CPU 1, the others stand by; a
# joining core takes a standby thread (IX_EV_CORE_UP), a leaving core's
# thread stands by again (IX_EV_CORE_DOWN) and may map its RX pool only
# while it drives a core; a scale that leaves no core is refused (EBUSY),
# so is one with more joining cores than standby threads; a thread that
# does not come back to its run fails the scale (EAGAIN) and nothing
# changes; a core that leaves hands its thread to one that joins in the
# same scale; a detach ends every thread's run with ENODEV.  kmemleak finds
# nothing at the end.  Needs 4 CPUs and 3 queue pairs (the 4-CPU VM).

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

if [ "$(nproc)" -lt 4 ] ||
   [ "$(ls -d /sys/class/net/$DEV/queues/rx-* | wc -l)" -lt 3 ]; then
	echo "SKIP: needs 4 CPUs and 3 queue pairs"
	exit $ksft_skip
fi
ix_lib_need

echo 1-3 > /sys/kernel/ixdp/cpus || fail "reserve CPUs 1-3"
echo 0-2 > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }

timeout 120 "$DIR/ix_elastic" "$SYS" 1 > "$TMP/elastic.log" 2>&1
rc=$?
cat "$TMP/elastic.log"
[ $rc = 0 ] || fail "ix_elastic exited $rc"
grep -q "^ok: every thread's run ends with ENODEV" "$TMP/elastic.log" ||
	fail "ix_elastic did not reach the detach"

ix_lib_kmemleak_check
ix_lib_exit "elastic threads follow the cores"
