#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh BZIMAGE [BINDIR]: the guest instruction counter, on a real
# guest.  Boots BZIMAGE under TCG with 2 vCPUs, libixinsn.so loaded and
# test-init as the whole initramfs (it spins two seconds in user mode,
# then halts the machine), and checks through ixinsn that the counts
# are per vCPU, grow, split user from kernel, stand still once the guest
# is halted and are zeroed by a reset, and that profile=on names where
# the instructions went (ixinsn-profile.sh).  About 15 s; QEMU is
# killed after 28 s at most.  TAP lines; "1..0 # SKIP" if the plugin
# header could not be fetched (scripts/ixdp/deps-qemu-plugin.sh).
# BINDIR defaults to build/qemu-insn, where `make qemu-insn` puts the
# binaries.

ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
KERNEL=${1:?usage: test.sh BZIMAGE [BINDIR]}
BIN=${2:-$ROOT/build/qemu-insn}
TMP=$(mktemp -d)
SOCK=$TMP/sock
CONSOLE=$TMP/console
QPID=
n=0
failed=0

if [ ! -f "$ROOT/build/qemu-plugin/qemu-plugin.h" ]; then
	echo "1..0 # SKIP no QEMU plugin header: deps-qemu-plugin.sh could not fetch it"
	exit 0
fi

cleanup()
{
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null && wait "$QPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# read FILE: the plugin's answer to "read", kept in FILE.
read_counts()
{
	"$BIN/ixinsn" "$SOCK" read > "$1" 2>&1
}

# get FILE vcpu|total [N] user|kernel: one count of an answer.
get()
{
	if [ "$2" = total ]; then
		awk -v m="$3" '$1 == "total" { print (m == "user") ? $3 : $5 }' "$1"
	else
		awk -v v="$3" -v m="$4" '$1 == "vcpu" && $2 == v {
			print (m == "user") ? $4 : $6 }' "$1"
	fi
}

# wait_for TEXT SECS: TEXT on the guest console within SECS seconds.
wait_for()
{
	for _ in $(seq $(($2 * 10))); do
		grep -q "$1" "$CONSOLE" 2>/dev/null && return 0
		[ -n "$QPID" ] && ! kill -0 "$QPID" 2>/dev/null && return 1
		sleep 0.1
	done
	return 1
}

for f in libixinsn.so ixinsn test-init; do
	if [ ! -x "$BIN/$f" ] && [ ! -f "$BIN/$f" ]; then
		echo "not ok 1 binaries_built # no $BIN/$f: make qemu-insn"
		echo "1..1"
		exit 1
	fi
done

# The guest: test-init alone, as /init.
mkdir "$TMP/root"
cp "$BIN/test-init" "$TMP/root/init"
(cd "$TMP/root" && echo init | cpio -o -H newc --quiet > "$TMP/initrd.cpio")

timeout 28 qemu-system-x86_64 -M q35 -accel tcg -smp 2 -m 512M -nodefaults \
	-display none -no-reboot -serial "file:$CONSOLE" \
	-kernel "$KERNEL" -initrd "$TMP/initrd.cpio" \
	-append "console=ttyS0 panic=-1" \
	-plugin "$BIN/libixinsn.so,sock=$SOCK,profile=on" > "$TMP/qemu.log" 2>&1 &
QPID=$!

up=1
for _ in $(seq 100); do
	[ -S "$SOCK" ] && { up=0; break; }
	sleep 0.1
done
result $up plugin_socket_up

read_counts "$TMP/a"
awk '$1 == "vcpu" { v[$2] = 1; u += $4; k += $6; nv++ }
     $1 == "total" { tu = $3; tk = $5; nt++ }
     END { exit !(nv == 2 && (0 in v) && (1 in v) && nt == 1 &&
		  tu == u && tk == k) }' "$TMP/a"
result $? read_lists_each_vcpu_and_their_total

spin=1
wait_for "ixinsn-test: user spin" 20 && spin=0
result $spin guest_reached_its_user_spin
read_counts "$TMP/b"
sleep 0.5
read_counts "$TMP/c"
b=$(($(get "$TMP/b" total user) + $(get "$TMP/b" total kernel)))
c=$(($(get "$TMP/c" total user) + $(get "$TMP/c" total kernel)))
[ "$c" -gt "$b" ]
result $? counts_grow
# Half a second of the user spin: far more than ten million.
[ $(($(get "$TMP/c" total user) - $(get "$TMP/b" total user))) -gt 10000000 ]
result $? user_spin_counts_as_user

# profile=on: a third of a second of the spin, named by test-init's
# symbols, is all in its main().
"$BIN/ixinsn" "$SOCK" profile-reset > /dev/null
sleep 0.3
"$BIN/ixinsn" "$SOCK" profile > "$TMP/prof"
nm "$BIN/test-init" > "$TMP/map"
top=$("$ROOT/tools/ix/bench/qemu-insn/ixinsn-profile.sh" "$TMP/map" 1 1 \
	< "$TMP/prof" | awk 'NR == 1 { print $3 }')
[ "$top" = main ] && tail -n 1 "$TMP/prof" | grep -qx end
result $? profile_names_the_spin

halted=1
wait_for "System halted" 20 && halted=0
result $halted guest_halted
# The halting vCPU prints first, then stops itself and the other.
sleep 0.5
read_counts "$TMP/d"
ok=0
for v in 0 1; do
	[ "$(get "$TMP/d" vcpu $v kernel)" -gt 1000000 ] || ok=1
done
result $ok kernel_counted_on_each_vcpu
sleep 0.5
read_counts "$TMP/e"
cmp -s "$TMP/d" "$TMP/e"
result $? counts_stand_still_while_halted

[ "$("$BIN/ixinsn" "$SOCK" reset 2>&1)" = ok ]
result $? reset_answers_ok
read_counts "$TMP/f"
awk '$1 == "vcpu" && ($4 || $6) { bad = 1 } $1 == "total" && !($3 || $5) { t = 1 }
     END { exit bad || !t }' "$TMP/f"
result $? reset_zeroes_every_count

kill "$QPID" 2>/dev/null
wait "$QPID" 2>/dev/null
QPID=
[ ! -e "$SOCK" ]
result $? socket_removed_when_qemu_exits

if [ "$failed" != 0 ]; then
	for f in a c d f; do
		echo "# read ($f):"
		sed 's/^/#   /' "$TMP/$f" 2>/dev/null
	done
	echo "# qemu:"
	sed 's/^/#   /' "$TMP/qemu.log"
	echo "# console (last lines):"
	tail -n 5 "$CONSOLE" 2>/dev/null | sed 's/^/#   /'
fi
echo "1..$n"
[ "$failed" = 0 ]
