#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-vm.sh: what `make vm KERNEL=deb` boots, made from the packages of
# `make deb`, not from its build tree: the linux-image package is
# unpacked into build/kbuild-deb/vm/root, its vmlinuz is the kernel, and
# the modules the VM needs before and after /ixdp is mounted (the
# virtio-9p filesystem, virtio_net, what the selftests use) are added,
# with their dependencies, to the test initramfs as a second cpio
# archive.  Linux unpacks concatenated archives in order.
#
# Out: build/kbuild-deb/vm/vmlinuz and initramfs.cpio.gz.  Remade when
# the package or the base initramfs is newer.  DEB_IMAGE=FILE takes
# another linux-image package (a distribution's, to check this script),
# DEB_VM_BASE=FILE another initramfs to add the modules to.

set -eu -o pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEB=$(realpath -m "${DEB_OUT:-$ROOT/build/kbuild-deb}")
OUT=$DEB/vm
BASE=${DEB_VM_BASE:-$ROOT/build/initramfs.cpio.gz}
# guest-init loads these, in this order, when /lib/modules has them.
# virtio_net_ixdp, virtio_net's ixdp queue ops, is a module of its own
# where virtio_net is one; a kernel without ixdp has none (OPTIONAL).
MODULES="virtio_pci virtio_net virtio_net_ixdp 9pnet_virtio 9p veth bridge"
MODULES="$MODULES sch_netem ifb"
OPTIONAL="virtio_net_ixdp"

die()
{
	echo "ixdp: $*" >&2
	exit 1
}

# The newest image package, not its -dbg one.
image=${DEB_IMAGE:-}
if [ -z "$image" ]; then
	for f in "$DEB"/linux-image-*-ixdp_*.deb; do
		case $f in *-dbg_*) continue ;; esac
		[ -f "$f" ] || continue
		{ [ -z "$image" ] || [ "$f" -nt "$image" ]; } && image=$f
	done
fi
[ -n "$image" ] || die "no linux-image package in $DEB: run make deb first"
[ -f "$image" ] || die "no package $image"
[ -f "$BASE" ] || die "no $BASE: run make initramfs first"

# Made from this package (path, size, time) and nothing newer since.
made_from="$(realpath "$image") $(stat -c '%s %Y' "$image")"
if [ -f "$OUT/initramfs.cpio.gz" ] && [ -f "$OUT/vmlinuz" ] &&
   [ "$(cat "$OUT/made-from" 2>/dev/null)" = "$made_from" ] &&
   [ -z "$(find "$image" "$BASE" "$0" -newer "$OUT/initramfs.cpio.gz")" ]; then
	exit 0
fi

rm -rf "$OUT"
mkdir -p "$OUT/mods"
dpkg-deb -x "$image" "$OUT/root"
set -- "$OUT"/root/boot/vmlinuz-*
if [ $# != 1 ] || [ ! -f "$1" ]; then
	die "$image: not one kernel in /boot"
fi
cp "$1" "$OUT/vmlinuz"
release=${1##*/vmlinuz-}

# The initramfs last, through a temporary file: it is what says done.
finish()
{
	mv "$OUT/initramfs.tmp" "$OUT/initramfs.cpio.gz"
	echo "$made_from" > "$OUT/made-from"
	rm -rf "$OUT/root"
}

# A kernel without modules (the VM's own configuration) boots as it is.
if [ ! -d "$OUT/root/lib/modules/$release/kernel" ]; then
	cp "$BASE" "$OUT/initramfs.tmp"
	finish
	echo "ixdp: VM kernel $release from $(basename "$image"): no modules"
	exit 0
fi

# Each module with what it depends on, uncompressed: busybox's modprobe
# reads modules.dep but does not unpack .ko.xz.  The package has no
# modules.dep: its postinst runs depmod.
/sbin/depmod -b "$OUT/root" "$release"
dst=$OUT/mods/lib/modules/$release
mkdir -p "$dst"
: > "$OUT/kos"
load=
for m in $MODULES; do
	if ! /sbin/modprobe -d "$OUT/root" -S "$release" --show-depends "$m" \
		> "$OUT/deps" 2> /dev/null; then
		case " $OPTIONAL " in
		*" $m "*) continue ;;
		esac
		die "$image has no module $m"
	fi
	load="$load $m"
	awk '$1 == "insmod" { print $2 }' "$OUT/deps" >> "$OUT/kos"
done
sort -u "$OUT/kos" | while read -r ko; do
	rel=${ko#"$OUT/root/lib/modules/$release/"}
	mkdir -p "$dst/$(dirname "$rel")"
	case $ko in
	*.xz) xz -dc "$ko" > "$dst/${rel%.xz}" ;;
	*.zst) zstd -qdc "$ko" > "$dst/${rel%.zst}" ;;
	*.gz) gzip -dc "$ko" > "$dst/${rel%.gz}" ;;
	*) cp "$ko" "$dst/$rel" ;;
	esac
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ ! -f "$OUT/root/lib/modules/$release/$f" ] ||
		cp "$OUT/root/lib/modules/$release/$f" "$dst/"
done
/sbin/depmod -b "$OUT/mods" "$release"
echo "$load" > "$OUT/mods/lib/modules/load"

(cd "$OUT/mods" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT/mods.cpio.gz"
cat "$BASE" "$OUT/mods.cpio.gz" > "$OUT/initramfs.tmp"
rm -f "$OUT/mods.cpio.gz"
finish
echo "ixdp: VM kernel $release from $(basename "$image"):" \
     "$(find "$dst" -name '*.ko' | wc -l) modules in the initramfs"
