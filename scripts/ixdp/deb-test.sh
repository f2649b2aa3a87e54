#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-test.sh: TAP tests of make deb without the kernel build (hours):
# the configuration step (deb.sh --config-only) over a stand-in base and
# over Debian's own configuration when linux-config-6.12 is installed,
# the ixdp-tools package (deb.sh --tools-only), and what make vm
# KERNEL=deb makes of a package (deb-vm.sh).  About 15 s.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEBIAN_CONFIG=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# result NAME WHY: ok when WHY is empty, else not ok with WHY.
result()
{
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1 # $2"
		failed=$((failed + 1))
	fi
}

# config_case NAME BASE: merge over BASE; the fragment's ixdp options
# must be there, the NIC drivers modules, and the base's CPU count kept.
config_case()
{
	local name=$1 base=$2 out=$tmp/$1 why="" opt cpus

	if ! DEB_OUT=$out DEB_CONFIG=$base "$ROOT/scripts/ixdp/deb.sh" \
			--config-only > "$tmp/log" 2>&1; then
		result "$name" "deb.sh failed: $(tail -n 3 "$tmp/log" | tr '\n' ' ')"
		return
	fi
	for opt in CONFIG_IXDP=y CONFIG_VIRTIO_NET=m CONFIG_IXGBE=m \
		   CONFIG_LOCALVERSION='"-ixdp"'; do
		grep -qxF "$opt" "$out/linux/.config" || why="$why no $opt;"
	done
	cpus=$(grep '^CONFIG_NR_CPUS=' "$out/base.config")
	grep -qxF "$cpus" "$out/linux/.config" || why="$why not $cpus;"
	result "$name" "$why"
}

echo "1..5"

# A base as small as it gets, with what the merge must change or keep:
# virtio_net built in, and a CPU count that is not the VM's 8.
cat "$ROOT/build/linux/arch/x86/configs/x86_64_defconfig" > "$tmp/base.config"
printf '%s\n' CONFIG_VIRTIO_NET=y CONFIG_NR_CPUS=64 >> "$tmp/base.config"
config_case deb.config_over_defconfig "$tmp/base.config"

if [ -f "$DEBIAN_CONFIG" ]; then
	config_case deb.config_over_debian "$DEBIAN_CONFIG"
else
	n=$((n + 1))
	echo "ok $n deb.config_over_debian # SKIP linux-config-6.12 not installed"
fi

# The tools package: ix, its unit naming that ix, the example as a
# conffile, the docs.
why=""
if ! DEB_OUT=$tmp/tools "$ROOT/scripts/ixdp/deb.sh" --tools-only \
		> "$tmp/log" 2>&1; then
	why="deb.sh failed: $(tail -n 3 "$tmp/log" | tr '\n' ' ')"
else
	deb=$(ls "$tmp"/tools/ixdp-tools_*.deb)
	dpkg-deb -c "$deb" > "$tmp/list"
	for f in ./usr/sbin/ix ./usr/lib/systemd/system/ixdp@.service \
		 ./etc/ixdp.conf.example ./usr/share/doc/ixdp-tools/ixdp.rst; do
		grep -q " $f\$" "$tmp/list" || why="$why no $f;"
	done
	[ "$(dpkg-deb -f "$deb" Package)" = ixdp-tools ] || why="$why bad Package;"
	grep -q "^ixdp: ixdp-tools $(dpkg-deb -f "$deb" Version) $deb\$" \
		"$tmp/log" || why="$why path and version not printed;"
	dpkg-deb -x "$deb" "$tmp/root"
	dpkg-deb -e "$deb" "$tmp/ctl"
	grep -qx /etc/ixdp.conf.example "$tmp/ctl/conffiles" ||
		why="$why example not a conffile;"
	grep -q '^ExecStart=/usr/sbin/ix apply ' \
		"$tmp/root/usr/lib/systemd/system/ixdp@.service" ||
		why="$why unit does not run /usr/sbin/ix;"
	"$tmp/root/usr/sbin/ix" --help > /dev/null 2>&1 || why="$why ix does not run;"
fi
result deb.tools_package "$why"

# make vm KERNEL=deb without a package: a clear refusal.
why=""
mkdir -p "$tmp/none"
if DEB_OUT=$tmp/none "$ROOT/scripts/ixdp/deb-vm.sh" > "$tmp/log" 2>&1; then
	why="no package, yet it succeeded"
elif ! grep -q "no linux-image package in $tmp/none: run make deb first" \
		"$tmp/log"; then
	why="unclear refusal: $(cat "$tmp/log")"
fi
result deb.vm_without_a_package "$why"

# make vm KERNEL=deb over a package of a kernel without modules (the
# VM's configuration): its vmlinuz, the initramfs as it is; a -dbg
# package, even newer, is not taken; made once, and again for another
# package even if older.  (The module path needs
# a real module tree: checked by hand, see ixdp.rst.)
why=""
mkdir -p "$tmp/img/boot" "$tmp/img/DEBIAN" "$tmp/dbg/DEBIAN" "$tmp/vmdeb"
echo "a kernel image" > "$tmp/img/boot/vmlinuz-6.12.0-ixdp"
printf '%s\n' "Package: linux-image-6.12.0-ixdp" "Version: 1" \
	"Architecture: all" "Maintainer: test <t@localhost>" \
	"Description: test" > "$tmp/img/DEBIAN/control"
sed 's/^Package: .*/&-dbg/' "$tmp/img/DEBIAN/control" > "$tmp/dbg/DEBIAN/control"
dpkg-deb --root-owner-group --build "$tmp/img" \
	"$tmp/vmdeb/linux-image-6.12.0-ixdp_1_all.deb" > /dev/null
sleep 1
dpkg-deb --root-owner-group --build "$tmp/dbg" \
	"$tmp/vmdeb/linux-image-6.12.0-ixdp-dbg_1_all.deb" > /dev/null
echo "an initramfs" > "$tmp/base.cpio.gz"
if ! DEB_OUT=$tmp/vmdeb DEB_VM_BASE=$tmp/base.cpio.gz \
		"$ROOT/scripts/ixdp/deb-vm.sh" > "$tmp/log" 2>&1; then
	why="deb-vm.sh failed: $(tail -n 3 "$tmp/log" | tr '\n' ' ')"
else
	cmp -s "$tmp/vmdeb/vm/vmlinuz" "$tmp/img/boot/vmlinuz-6.12.0-ixdp" ||
		why="$why not the package's vmlinuz;"
	cmp -s "$tmp/vmdeb/vm/initramfs.cpio.gz" "$tmp/base.cpio.gz" ||
		why="$why initramfs changed;"
	grep -q "6.12.0-ixdp from linux-image-6.12.0-ixdp_1_all.deb: no modules" \
		"$tmp/log" || why="$why wrong package or message: $(cat "$tmp/log");"
	touch -d '1 hour ago' "$tmp/vmdeb/vm/vmlinuz"
	DEB_OUT=$tmp/vmdeb DEB_VM_BASE=$tmp/base.cpio.gz \
		"$ROOT/scripts/ixdp/deb-vm.sh" > "$tmp/log" 2>&1 ||
		why="$why second run failed;"
	[ -s "$tmp/log" ] && why="$why made again though nothing changed;"
	# Another package, older: noticed (this one has no kernel).
	touch -d '2 hours ago' "$tmp/vmdeb/linux-image-6.12.0-ixdp-dbg_1_all.deb"
	if DEB_OUT=$tmp/vmdeb DEB_VM_BASE=$tmp/base.cpio.gz \
		DEB_IMAGE=$tmp/vmdeb/linux-image-6.12.0-ixdp-dbg_1_all.deb \
		"$ROOT/scripts/ixdp/deb-vm.sh" > "$tmp/log" 2>&1 ||
	   ! grep -q "not one kernel in /boot" "$tmp/log"; then
		why="$why another package not noticed: $(cat "$tmp/log");"
	fi
fi
result deb.vm_kernel_without_modules "$why"
[ "$failed" = 0 ]
