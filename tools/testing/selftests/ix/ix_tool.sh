#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ix tool as an admin uses it: CPU reservation, show, JSON, errors;
# attach writing only what it is given; a configuration file (ix apply).

ksft_skip=4
IX=$(dirname "$0")/ix
ret=0

fail()
{
	echo "FAIL: $*"
	ret=1
}

# expect STATUS PATTERN CMD...: exit status and a pattern in the output.
expect()
{
	local want=$1 pat=$2 out rc

	shift 2
	out=$("$@" 2>&1)
	rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, not $want: $out"
	[ -z "$pat" ] || echo "$out" | grep -q -- "$pat" ||
		fail "'$*' printed '$out', not /$pat/"
}

cleanup()
{
	echo > /sys/kernel/ixdp/cpus 2>/dev/null
	# An attach below turns checksum offload off and delegates the
	# device: back to the defaults.
	echo 1 > /sys/class/net/eth0/ixdp/tx_csum 2>/dev/null
	echo -1 > /sys/class/net/eth0/ixdp/owner 2>/dev/null
}
trap cleanup EXIT

if [ ! -d /sys/kernel/ixdp ]; then
	echo "SKIP: no /sys/kernel/ixdp (CONFIG_IXDP off?)"
	exit $ksft_skip
fi
[ -x "$IX" ] || { echo "FAIL: $IX not built"; exit 1; }

expect 0 "Usage:" "$IX" help
expect 2 "unknown command 'frobnicate'" "$IX" frobnicate
expect 2 "Usage:" "$IX"
expect 0 "kernel ABI 1, tool ABI 1" "$IX" version
expect 0 "^none$" "$IX" cpus
expect 0 '"cpus":""' "$IX" show -j
expect 2 "only -j" "$IX" show -x

if [ "$(nproc --all 2>/dev/null || getconf _NPROCESSORS_ONLN)" -lt 2 ]; then
	echo "SKIP: reservation needs 2 CPUs"
	[ $ret = 0 ] && exit $ksft_skip
	exit $ret
fi
expect 1 "CPU 0 stays with Linux" "$IX" cpus 0
expect 1 "does not exist" "$IX" cpus 1,4095
expect 1 "not a CPU list" "$IX" cpus one
expect 0 "^none$" "$IX" cpus
expect 0 "" "$IX" cpus 1
expect 0 "^1$" "$IX" cpus
expect 0 "reserved CPUs: 1" "$IX" show
expect 0 '^{"abi_version":1,"cpus":"1",' "$IX" show -j
expect 0 "" "$IX" cpus ""
expect 0 "^none$" "$IX" cpus

# attach, show, stats, detach through the tool (the bench's eth0).
DEV=eth0
if [ ! -d /sys/class/net/$DEV/ixdp ]; then
	echo "SKIP: no $DEV with ixdp ops"
	[ $ret = 0 ] && exit $ksft_skip
	exit $ret
fi
expect 1 "no device 'nosuch0'" "$IX" detach nosuch0
expect 1 "cannot hand queues to ixdp" "$IX" detach lo
expect 2 "needs queues, cpus and addr" "$IX" attach $DEV queues 0
expect 2 "unknown keyword 'color'" "$IX" attach $DEV color red
expect 1 "CPU 1 is not reserved" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24
expect 0 "" "$IX" cpus 1
expect 1 "no such queue pair" "$IX" attach $DEV queues 0-7 cpus 1 addr 198.18.0.10/24
expect 1 "write the address as" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.300/24
expect 1 "batch must be 1 to 512" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24 batch 0
expect 1 "conns must be 1 to 65535" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24 conns 65536
expect 1 "syn_retries '0': syn must be 1 to 127" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24 syn 0
expect 1 "tx_csum 'maybe': write on or off" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24 csum maybe
expect 1 "owner 'x': write a number, or -1 for none" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24 owner x
expect 0 "" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24 batch 32 conns 2000 syn 3 csum off owner 65534
expect 0 "$DEV: attached 1 queues 0-1 cpus 1 addr 198.18.0.10/24 gateway - batch 32 max_conns 2000 syn_retries 3 tx_csum 0 tx_sg 1 punt_rate 10000 linux 1 steer 0 owner 65534 group -1" "$IX" show
expect 0 '"dev":"eth0","attached":"1","queues":"0-1"' "$IX" show -j
expect 1 "is attached; run: .* detach $DEV" "$IX" attach $DEV queues 0 cpus 1 addr 198.18.0.10/24
ip netns exec peer ping -c 2 -W 2 198.18.0.10 > /dev/null || fail "no ping replies"
expect 0 '"icmp_echo_replies":[1-9]' "$IX" stats -j
expect 0 "icmp_echo_replies" "$IX" stats
expect 0 "" "$IX" detach $DEV
expect 0 "$DEV: attached 0" "$IX" show

# attach writes only what it is given: a value set through sysfs stays.
SYS=/sys/class/net/$DEV/ixdp
CONFIG="queues 0-1 cpus 1 addr 198.18.0.10/24 gateway -"
echo 48 > $SYS/batch || fail "batch 48"
expect 0 "" "$IX" attach $DEV queues 0-1 cpus 1 addr 198.18.0.10/24
expect 0 "$DEV: attached 1 $CONFIG batch 48 max_conns 2000 syn_retries 3 " "$IX" show
expect 0 "" "$IX" detach $DEV
# An attach the kernel refuses (no queues: incomplete) puts back what
# was written before it.
expect 1 "cannot attach $DEV: the configuration is incomplete" \
	"$IX" attach $DEV queues "" cpus 1 addr 198.18.0.11/24 batch 16
expect 0 "$DEV: attached 0 $CONFIG batch 48 " "$IX" show
# Back to the batch the attach above left, for the tests after this one.
echo 32 > $SYS/batch || fail "batch 32"
expect 0 "" "$IX" cpus ""

# ix apply: a good file is applied, as ix show tells.
CONF=$(mktemp)
cat > "$CONF" << EOF
# the bench's $DEV on CPU 1

cpus 1
attach $DEV queues 0-1 cpus 1 addr 198.18.0.12/24 syn 5   # a comment
EOF
expect 0 "" "$IX" apply --check "$CONF"
expect 0 "^none$" "$IX" cpus
expect 0 "" "$IX" apply "$CONF"
expect 0 "reserved CPUs: 1" "$IX" show
expect 0 "$DEV: attached 1 queues 0-1 cpus 1 addr 198.18.0.12/24 .* syn_retries 5 " "$IX" show
expect 0 "" "$IX" detach $DEV
expect 0 "" "$IX" cpus ""
# A bad file is refused with its line, and nothing of it is applied.
cat > "$CONF" << EOF
cpus 1
attach $DEV queues 0-1 cpus 1 addr 198.18.0.13/24 syn 4
detach $DEV
attach $DEV queues 0-1 cpus 1 addr 198.18.0.13/24 batch 0
EOF
expect 1 "^$CONF:4: batch '0': batch must be 1 to 512" "$IX" apply "$CONF"
expect 1 "refused; nothing applied" "$IX" apply --check "$CONF"
expect 0 "^none$" "$IX" cpus
expect 0 "$DEV: attached 0 queues 0-1 cpus 1 addr 198.18.0.12/24 .* syn_retries 5 " "$IX" show
rm -f "$CONF"
# Back to the retries the first attach left, for the tests after this one.
echo 3 > $SYS/syn_retries || fail "syn_retries 3"
exit $ret
