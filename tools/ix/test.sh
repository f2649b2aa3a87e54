#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of the ix tool against a fake sysfs: plain files laid out as
# net/ixdp/sysfs.c and netdev.c lay out /sys/kernel/ixdp and
# /sys/class/net/DEV/ixdp, found through IX_SYSFS_ROOT.  It checks that
# attach writes only what it is given, writes nothing when a value is
# bad, puts values back when a write fails midway, that stats leaves out
# devices never attached, and that apply checks a whole file before
# applying any of it; ixcp_test.sh, sourced at the end, tests ixcp on
# the same tree.  TAP-style lines; the exit status is nonzero if any
# check fails.
#
#	test.sh [IX [IXCP]]	(default: ix and ixcp next to this script)

HERE=$(dirname "$(readlink -f "$0")")
IX=$(readlink -f "${1:-$HERE/ix}")
IXCP=$(readlink -f "${2:-$(dirname "$IX")/ixcp}")
TMP=$(mktemp -d)
export IX_SYSFS_ROOT=$TMP/root
SYS=$IX_SYSFS_ROOT/sys
ETH0=$SYS/class/net/eth0/ixdp
OLD=946684800		# 2000-01-01: every file's time before a command
n=0
failed=0

trap 'rm -rf "$TMP"' EXIT

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
		echo "$out" | sed 's/^/# /' | head -20
	fi
}

# A device's ixdp directory, with the kernel's defaults.
fake_dev()
{
	local d=$SYS/class/net/$1/ixdp

	mkdir -p "$d/stats"
	echo 0 > "$d/attached"
	for f in queues cpus addr gateway connect; do
		echo > "$d/$f"
	done
	echo 64 > "$d/batch"
	echo 0 > "$d/echo_port"
	echo 512 > "$d/max_conns"
	echo 6 > "$d/syn_retries"
	echo 1 > "$d/tx_csum"
	echo 1 > "$d/tx_sg"
	echo 10000 > "$d/punt_rate"
	echo 1 > "$d/linux"
	echo 0 > "$d/steer"
	echo -1 > "$d/owner"
	echo -1 > "$d/group"
	echo 7 > "$d/stats/rx_packets"
	echo 3 > "$d/stats/icmp_echo_replies"
}

# A fresh tree: CPU 1 reserved, eth0 and eth1 with ixdp, lo without.
fake_sys()
{
	rm -rf "$IX_SYSFS_ROOT"
	mkdir -p "$SYS/kernel/ixdp" "$SYS/class/net/lo"
	echo 1 > "$SYS/kernel/ixdp/version"
	echo 1 > "$SYS/kernel/ixdp/cpus"
	echo > "$SYS/kernel/ixdp/apps"
	fake_dev eth0
	fake_dev eth1
}

# Age every file, so that written() sees what a command writes.
mark()
{
	find "$SYS" -type f -exec touch -d @$OLD {} +
	touch -d @$((OLD + 1)) "$TMP/stamp"
}

# The files written since mark(), relative to sys/, on one line.
written()
{
	find "$SYS" -type f -newer "$TMP/stamp" | sed "s|^$SYS/||" | sort |
		tr '\n' ' ' | sed 's/ $//'
}

# ix ARGS...: run the tool; its status in $rc, its output in $out.
ix()
{
	out=$("$IX" "$@" 2>&1)
	rc=$?
}

# val ATTR...: eth0's values, between bars (val batch tx_sg: 64|1)
val()
{
	vals "$ETH0" "$@"
}

vals()
{
	local dir=$1 f s=""

	shift
	for f; do
		s="$s|$(cat "$dir/$f")"
	done
	echo "${s#|}"
}

ATTACH="attach eth0 queues 0-1 cpus 1 addr 198.18.0.10/24"
DEVW="class/net/eth0/ixdp"

[ -x "$IX" ] || { echo "not ok 1 $IX not built"; exit 1; }

# attach writes only what it is given; a value set before stays.
fake_sys
echo 100 > "$ETH0/max_conns"
mark
ix $ATTACH batch 32
[ "$rc" = 0 ] &&
	[ "$(written)" = "$DEVW/addr $DEVW/attached $DEVW/batch $DEVW/cpus $DEVW/queues" ] &&
	[ "$(val batch max_conns attached)" = "32|100|1" ]
result $? "attach writes only the keywords given"

# The short names are aliases of the kernel's.
fake_sys
mark
ix $ATTACH syn 3 conns 2000 gw 198.18.0.1 csum off sg 0
[ "$rc" = 0 ] &&
	[ "$(val syn_retries max_conns gateway tx_csum tx_sg)" = "3|2000|198.18.0.1|off|0" ]
result $? "attach takes syn, conns, gw, csum, sg for the attributes"
fake_sys
ix $ATTACH syn_retries 4 max_conns 9 gateway 198.18.0.2 tx_csum on
[ "$rc" = 0 ] &&
	[ "$(val syn_retries max_conns gateway tx_csum)" = "4|9|198.18.0.2|on" ]
result $? "attach takes the kernel's attribute names"
fake_sys
ix $ATTACH linux off punt_rate 0 steer on
[ "$rc" = 0 ] && [ "$(val linux punt_rate steer)" = "off|0|on" ]
result $? "attach takes linux on|off, punt_rate and steer on|off"

# A bad value, keyword or state: nothing written at all.
R="queues 0-1 cpus 1"
A="$R addr 198.18.0.10/24"
for bad in "$A batch 0:batch must be 1 to 512" \
	   "$A batch 513:batch must be 1 to 512" \
	   "$A conns 65536:conns must be 1 to 65535" \
	   "$A syn 0:syn_retries '0': syn must be 1 to 127" \
	   "$R addr 198.18.0.300/24:write the address as" \
	   "$R addr 224.0.0.1/24:write the address as" \
	   "$R addr 198.18.0.10/33:write the address as" \
	   "$A gw 0.1.2.3:write the gateway as" \
	   "$A csum maybe:tx_csum 'maybe': write on or off" \
	   "$A linux 2:linux '2': write on or off" \
	   "$A steer 2:steer '2': write on or off" \
	   "$A owner x:owner 'x': write a number, or -1 for none" \
	   "$A echo_port 65536:echo_port must be 0 to 65535" \
	   "cpus 1 addr 198.18.0.10/24 queues 0-x:queues '0-x': not a list"; do
	fake_sys
	mark
	ix attach eth0 ${bad%%:*}
	[ "$rc" = 1 ] && [ -z "$(written)" ] && echo "$out" | grep -q -- "${bad#*:}"
	result $? "attach ${bad%%:*}: refused, nothing written"
done
for bad in "color red:unknown keyword 'color'" \
	   "batch 8 batch 9:batch given twice" \
	   "batch:takes DEV, then KEYWORD VALUE pairs"; do
	fake_sys
	mark
	ix $ATTACH ${bad%%:*}
	[ "$rc" = 2 ] && [ -z "$(written)" ] && echo "$out" | grep -q -- "${bad#*:}"
	result $? "attach ... ${bad%%:*}: refused as misuse, nothing written"
done
fake_sys
mark
ix attach eth0 queues 0 addr 198.18.0.10/24
[ "$rc" = 2 ] && [ -z "$(written)" ] && echo "$out" | grep -q "needs queues, cpus and addr"
result $? "attach without cpus: refused, nothing written"
fake_sys
mark
ix attach eth0 queues 0-1 cpus 1-2 addr 198.18.0.10/24
[ "$rc" = 1 ] && [ -z "$(written)" ] && echo "$out" | grep -q "CPU 2 is not reserved"
result $? "attach to an unreserved CPU: refused, nothing written"
fake_sys
echo 1 > "$ETH0/attached"
mark
ix $ATTACH
[ "$rc" = 1 ] && [ -z "$(written)" ] &&
	echo "$out" | grep -q "eth0 is attached; run: ix detach eth0"
result $? "attach of an attached device: refused, nothing written"
fake_sys
ix attach lo queues 0 cpus 1 addr 198.18.0.10/24
[ "$rc" = 1 ] && echo "$out" | grep -q "lo's driver cannot hand queues"
result $? "attach to a device without ixdp: refused"
ix attach nosuch0 queues 0 cpus 1 addr 198.18.0.10/24
[ "$rc" = 1 ] && echo "$out" | grep -q "no device 'nosuch0'"
result $? "attach to a missing device: refused"

# A write the kernel refuses midway: what was written is put back.
# /dev/full reads as an empty value and refuses every write (ENOSPC),
# even root's.
fake_sys
echo 100 > "$ETH0/batch"
echo 198.18.0.9/16 > "$ETH0/addr"
ln -sf /dev/full "$ETH0/tx_sg"
ix $ATTACH batch 32 conns 2000 sg off
[ "$rc" = 1 ] && echo "$out" | grep -q "tx_sg 'off': No space left on device" &&
	echo "$out" | grep -q "put back as they were: max_conns, batch, addr, cpus, queues"
result $? "a write refused midway: it is named, and what was written before"
[ "$(val queues cpus addr batch max_conns attached)" = "||198.18.0.9/16|100|512|0" ]
result $? "... those values read as before"
fake_sys
echo 48 > "$ETH0/batch"
ln -sf /dev/full "$ETH0/attached"
ix $ATTACH batch 32
[ "$rc" = 1 ] && echo "$out" | grep -q "cannot attach eth0" &&
	[ "$(val queues cpus addr batch)" = "|||48" ]
result $? "attached refused: the configuration is put back"
fake_sys
rm "$ETH0/max_conns"
mkdir "$ETH0/max_conns"
mark
ix $ATTACH conns 9
[ "$rc" = 1 ] && [ -z "$(written)" ] && echo "$out" | grep -q "cannot read eth0's max_conns"
result $? "an attribute that cannot be read: nothing written"

# Long values (a CPU list on a big machine): read whole, or refused.
LONG=$(seq -s, 1 2 599)		# 1,3,...,599: over a kilobyte
fake_sys
echo "$LONG" > "$SYS/kernel/ixdp/cpus"
ix attach eth0 queues 0-1 cpus 599 addr 198.18.0.10/24
[ "$rc" = 0 ] && [ "$(val cpus attached)" = "599|1" ]
result $? "attach checks a CPU against a long reserved list, read whole"
fake_sys
echo "$LONG" > "$ETH0/cpus"
ln -sf /dev/full "$ETH0/tx_sg"
ix $ATTACH sg off
[ "$rc" = 1 ] && [ "$(val cpus)" = "$LONG" ]
result $? "a write refused midway: a long value is put back whole"
fake_sys
seq -s, 0 2999 > "$ETH0/queues"
mark
ix $ATTACH
[ "$rc" = 1 ] && [ -z "$(written)" ] &&
	echo "$out" | grep -q "eth0's queues: value too long to read whole; nothing"
result $? "a value too long to read whole: refused, nothing written"
fake_sys
seq -s, 1 2999 > "$SYS/kernel/ixdp/cpus"
ix cpus
[ "$rc" = 1 ] && echo "$out" | grep -q "cpus: value too long to read whole"
result $? "cpus: a list too long to read whole is refused, not cut"

# stats: attached devices, unless --all.
fake_sys
echo 1 > "$ETH0/attached"
ix stats
[ "$rc" = 0 ] && echo "$out" | grep -q "^eth0" && ! echo "$out" | grep -q "^eth1"
result $? "stats shows the attached device only"
ix stats -j
[ "$rc" = 0 ] && echo "$out" | grep -q '^\[{"dev":"eth0","rx_packets":7,' &&
	! echo "$out" | grep -q eth1
result $? "stats -j shows the attached device only"
ix stats --all
[ "$rc" = 0 ] && echo "$out" | grep -q "^eth0" && echo "$out" | grep -q "^eth1"
result $? "stats --all shows every device"

# apply: a good file.
CONF=$TMP/ixdp.conf
cat > "$CONF" << 'EOF'
# reserve CPUs 1-2; eth0 on CPU 1, eth1 on CPU 2

ix cpus 1-2
attach eth0 queues 0-1 cpus 1 addr 198.18.0.10/24 batch 32   # the bench
attach eth1 queues 0 cpus 2 addr 198.18.1.10/24 gw "" syn_retries 3
EOF
fake_sys
echo 198.18.1.1 > "$SYS/class/net/eth1/ixdp/gateway"
mark
ix apply --check "$CONF"
[ "$rc" = 0 ] && [ -z "$(written)" ]
result $? "apply --check of a good file: nothing written"
ix apply "$CONF"
E1=$SYS/class/net/eth1/ixdp
[ "$rc" = 0 ] && [ "$(cat "$SYS/kernel/ixdp/cpus")" = 1-2 ] &&
	[ "$(val queues cpus addr batch attached)" = "0-1|1|198.18.0.10/24|32|1" ] &&
	[ "$(vals "$E1" queues cpus gateway syn_retries attached)" = "0|2||3|1" ] &&
	[ "$(val max_conns)" = 512 ]
result $? "apply of a good file"

# apply: bad files are refused with their line, and nothing is applied.
# check_bad WANT [SETUP]: SETUP is run on the fresh fake tree.
check_bad()
{
	local want=$1

	fake_sys
	eval "${2:-:}"
	mark
	ix apply "$CONF"
	[ "$rc" != 0 ] && [ -z "$(written)" ] &&
		echo "$out" | grep -q -- "^$CONF:$want" &&
		echo "$out" | grep -q "refused; nothing applied"
	result $? "apply refuses ixdp.conf:$want, applies nothing"
	ix apply --check "$CONF"
	[ "$rc" != 0 ] && [ -z "$(written)" ] && echo "$out" | grep -q -- "^$CONF:$want"
	result $? "apply --check refuses it too"
}
cat > "$CONF" << 'EOF'
cpus 1-2

attach eth0 queues 0-1 cpus 1 addr 198.18.0.10/24
# next
attach eth1 queues 0 cpus 2 addr 198.18.1.10/24 batch 0
EOF
check_bad "5: batch '0': batch must be 1 to 512"
cat > "$CONF" << 'EOF'
attach eth0 queues 0-1 cpus 1 addr 198.18.0.10/24
attach eth0 queues 0 cpus 1 addr 198.18.0.10/24
EOF
check_bad "2: eth0 is attached"
printf 'cpus 2\nattach eth0 queues 0-1 cpus 1 addr 198.18.0.10/24\n' > "$CONF"
check_bad "2: CPU 1 is not reserved; run: ix cpus LIST (reserved by then: 2)"
printf 'cpus 0-1\n' > "$CONF"
check_bad "1: cpus '0-1': CPU 0 stays with Linux"
printf 'cpus 1\nshow\n' > "$CONF"
check_bad "2: 'show' does not configure anything"
printf 'cpus 1\nattach eth0 queues 0-1 cpus 1 addr "198.18.0.10/24\n' > "$CONF"
check_bad '2: no closing "'
printf 'cpus 1\ncpus\n' > "$CONF"
check_bad "2: cpus takes one CPU list here"
# cpus must keep the CPUs of devices attached now, or by earlier lines.
printf 'cpus 1-2\nattach eth0 queues 0-1 cpus 1 addr 198.18.0.10/24\ncpus 2\n' > "$CONF"
check_bad "3: CPU 1 is in use by eth0 (attached by then); detach it first"
printf 'cpus 2\n' > "$CONF"
check_bad "1: CPU 1 is in use by eth1 (attached now); detach it first" \
	'echo 1 > "$E1/attached"; echo 1 > "$E1/cpus"'
printf 'detach eth1\nattach eth0 queues 0 cpus 2 addr 198.18.0.10/24\ncpus 2\n' > "$CONF"
fake_sys
echo 1-2 > "$SYS/kernel/ixdp/cpus"
echo 1 > "$E1/attached"
echo 1 > "$E1/cpus"
ix apply "$CONF"
[ "$rc" = 0 ] && [ "$(cat "$SYS/kernel/ixdp/cpus")" = 2 ] &&
	[ "$(vals "$E1" attached) $(val cpus attached)" = "0 2|1" ]
result $? "apply: cpus may drop a CPU whose device the file detaches"

# A file that detaches first may attach again.
printf 'detach eth0\nattach eth0 queues 0 cpus 1 addr 198.18.0.11/24\n' > "$CONF"
fake_sys
echo 1 > "$ETH0/attached"
ix apply "$CONF"
[ "$rc" = 0 ] && [ "$(val addr) $(val attached)" = "198.18.0.11/24 1" ]
result $? "apply: detach, then attach the same device"
ix apply "$TMP/nosuch.conf"
[ "$rc" = 1 ] && echo "$out" | grep -q "nosuch.conf: No such file"
result $? "apply of a missing file"

# scale: an attached device's CPU set, and only that.
fake_sys
echo 1 > "$ETH0/attached"
mark
ix scale eth0 cpus 1-2
[ "$rc" = 0 ] && [ "$(written)" = "$DEVW/cpus" ] && [ "$(val cpus)" = 1-2 ]
result $? "scale of an attached device writes its cpus alone"
echo 0 > "$ETH0/attached"
mark
ix scale eth0 cpus 1-2
[ "$rc" = 1 ] && [ -z "$(written)" ] && echo "$out" | grep -q "eth0 is not attached"
result $? "scale of a detached device: refused, nothing written"
echo 1 > "$ETH0/attached"
bad_ok=0
for bad in 0-1 "" 1-x; do
	mark
	ix scale eth0 cpus "$bad"
	[ "$rc" = 1 ] && [ -z "$(written)" ] &&
		echo "$out" | grep -q "the CPUs must be reserved" || bad_ok=1
done
result $bad_ok "scale to CPU 0, to none, to a bad list: refused, nothing written"
mark
ix scale eth0 1-2
[ "$rc" = 2 ] && [ -z "$(written)" ] && echo "$out" | grep -q "usage: ix scale DEV cpus LIST"
result $? "scale without the cpus keyword: usage"
ix scale nosuch0 cpus 1
[ "$rc" = 1 ] && echo "$out" | grep -q "no device 'nosuch0'"
result $? "scale of a missing device: refused"

. "$HERE/ixcp_test.sh"

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
