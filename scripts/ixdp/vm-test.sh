#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-test.sh: TAP tests of vm.sh's exit status, with a stand-in for QEMU
# that writes a chosen guest console and exits.  vm.sh must exit with the
# guest command's status, whatever the host command did; 1 on a kernel
# splat, on a guest that never reported, and on a timeout.  Needs root
# (vm.sh makes a network namespace): without, it skips (exit 4).

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
probe=ixdp-vmtest-$$
if ! ip netns add "$probe" 2>/dev/null; then
	echo "1..0 # SKIP cannot create a network namespace for vm.sh (not root?)"
	exit 4
fi
ip netns del "$probe"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# A tree of its own, so that vm.sh's runs go under $tmp/build/vm.
mkdir -p "$tmp/tree/scripts/ixdp" "$tmp/bin"
cp "$ROOT/scripts/ixdp/vm.sh" "$ROOT/scripts/ixdp/splat.sh" \
	"$tmp/tree/scripts/ixdp/"
: > "$tmp/bzImage"

# The stand-in: the console (FAKE_CONSOLE, printf format) goes to the
# logfile of the chardev, as QEMU's logfile= does; then FAKE_SLEEP
# seconds and exit FAKE_RC.
cat > "$tmp/bin/qemu-system-x86_64" <<'EOF'
#!/bin/bash
log=
for a in "$@"; do
	case $a in
	*logfile=*)
		log=${a#*logfile=}
		log=${log%%,*}
		;;
	esac
done
printf "$FAKE_CONSOLE" > "$log"
sleep "${FAKE_SLEEP:-0}"
exit "${FAKE_RC:-0}"
EOF
chmod +x "$tmp/bin/qemu-system-x86_64"

# case NAME WANT CONSOLE HOST_CMD [VAR=VALUE ...]: vm.sh must exit WANT.
case_()
{
	local name=$1 want=$2 console=$3 host=$4 rc

	shift 4
	n=$((n + 1))
	env PATH="$tmp/bin:$PATH" FAKE_CONSOLE="$console" VM_HOST_CMD="$host" \
		CMD="true" "$@" "$tmp/tree/scripts/ixdp/vm.sh" "$tmp/bzImage" \
		> "$tmp/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name # exit $rc, want $want: $(tr '\n' ' ' < "$tmp/out")"
		failed=$((failed + 1))
	fi
}

echo "1..7"
ok='ixdp-vm: exit status 0\n'
case_ "vm_sh.guest_ok_host_done_first" 0 "$ok" "true"
case_ "vm_sh.guest_ok_host_failed_first" 0 "$ok" "false"
case_ "vm_sh.guest_ok_host_still_running" 0 "$ok" "sleep 30" FAKE_SLEEP=1
case_ "vm_sh.guest_status_passed_on" 3 'ixdp-vm: exit status 3\n' "true"
case_ "vm_sh.splat_fails" 1 'WARNING: CPU: 1 at net/ixdp/x.c:1\n'"$ok" "true"
case_ "vm_sh.no_status_fails" 1 'booting\n' ""
case_ "vm_sh.timeout_fails" 1 'booting\n' "" FAKE_SLEEP=5 VM_TIMEOUT=1
[ "$failed" = 0 ]
