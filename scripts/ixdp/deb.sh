#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [--config-only | --tools-only]: make deb.  Debian packages of
# the fork, under build/kbuild-deb (DEB_OUT):
#   1. .config: Debian's own 6.12 configuration (linux-config-6.12, or
#      DEB_CONFIG=FILE), with kernel/configs/ixdp.config and
#      ixdp-deb.config merged in, and ixdp-deb-nodebug.config unless
#      DEB_DEBUG_INFO=y (scripts/kconfig/merge_config.sh),
#      then olddefconfig; every option the fragments ask for is checked
#      as kconfig.sh does;
#   2. the kernel: make bindeb-pkg (image, headers, libc-dev; hours on 2
#      cores);
#   3. ixdp-tools: ix, ixdp@.service, ixdp.conf.example and the docs,
#      with dpkg-deb.
# --config-only stops after 1, --tools-only does 3 alone.  Prints each
# package's path and version at the end.

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/build/linux
OUT=$(realpath -m "${DEB_OUT:-$ROOT/build/kbuild-deb}")
DEBIAN_CONFIG=/usr/src/linux-config-6.12/config.amd64_none_amd64.xz
FRAGMENTS="$ROOT/kernel/configs/ixdp.config $ROOT/kernel/configs/ixdp-deb.config"
# Debian's debug info (DWARF, BTF, a -dbg package) only when asked.
case ${DEB_DEBUG_INFO:-n} in
y | yes | 1) ;;
n | no | 0) FRAGMENTS="$FRAGMENTS $ROOT/kernel/configs/ixdp-deb-nodebug.config" ;;
*) echo "ixdp: DEB_DEBUG_INFO=$DEB_DEBUG_INFO: y or n" >&2; exit 2 ;;
esac

die()
{
	echo "ixdp: $*" >&2
	exit 1
}

# need PACKAGE...: install what is missing when root, else say what.
need()
{
	local p missing=""

	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "make deb needs:$missing (apt-get install$missing)"
	echo "ixdp: installing:$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing
}

# The base configuration, uncompressed, as $OUT/base.config.
base_config()
{
	local base=${DEB_CONFIG:-$DEBIAN_CONFIG}

	[ -z "${DEB_CONFIG:-}" ] && need linux-config-6.12
	[ -f "$base" ] || die "no base configuration $base"
	case $base in
	*.xz) xz -dc "$base" > "$OUT/base.config" ;;
	*) cp "$base" "$OUT/base.config" ;;
	esac
	echo "ixdp: base configuration $base"
}

# Every option the fragments set (the last setting wins) must be in
# .config: a dependency the base lacks drops one silently otherwise.
check_config()
{
	local line opt want bad=0

	while IFS= read -r line; do
		case "$line" in CONFIG_*) ;; *) continue ;; esac
		opt=${line%%=*}
		want=$(grep "^$opt=" "$OUT/ixdp.fragment" | tail -n 1)
		[ "$line" = "$want" ] || continue
		grep -qxF "$want" "$OUT/linux/.config" && continue
		echo "ixdp: $want did not survive olddefconfig (got:" \
		     "$(grep "^$opt=\|# $opt is not set" "$OUT/linux/.config" ||
			echo none))" >&2
		bad=1
	done < "$OUT/ixdp.fragment"
	return $bad
}

kernel_config()
{
	mkdir -p "$OUT/linux"
	base_config
	grep '^CONFIG_NR_CPUS=' "$OUT/base.config" > "$OUT/nr_cpus.config" ||
		true
	# shellcheck disable=SC2086
	cat $FRAGMENTS "$OUT/nr_cpus.config" > "$OUT/ixdp.fragment"
	# In $OUT: merge_config.sh keeps its temporary files in the current
	# directory.  One file each: it lets a later file override an
	# earlier one, and keeps a duplicate within one file twice.
	# shellcheck disable=SC2086
	(cd "$OUT" && "$SRC/scripts/kconfig/merge_config.sh" -m -O linux \
		"$OUT/base.config" $FRAGMENTS "$OUT/nr_cpus.config") \
		> "$OUT/merge.log"
	make -s -C "$SRC" O="$OUT/linux" olddefconfig
	check_config || die "the configuration lost options (above)"
	echo "ixdp: configuration $OUT/linux/.config"
}

# bindeb-pkg writes the packages into the parent of the object tree:
# $OUT.
kernel_debs()
{
	make -C "$SRC" O="$OUT/linux" -j"$(nproc)" bindeb-pkg
}

tools_deb()
{
	local pkg=$OUT/ixdp-tools version arch doc commits

	# The commit count orders the packages of one branch.
	commits=$(git -C "$ROOT" rev-list --count HEAD 2>/dev/null || echo 0)
	version=$(cat "$SRC/.ixdp-base")+ixdp.$commits
	arch=$(dpkg --print-architecture)
	doc=$pkg/usr/share/doc/ixdp-tools
	rm -rf "$pkg" "$OUT"/ixdp-tools_*.deb
	# ix needs only linux/ix.h of the uapi headers, as its host test.
	mkdir -p "$OUT/tools/khdr/linux" "$doc"
	cp "$ROOT/include/uapi/linux/ix.h" "$OUT/tools/khdr/linux/"
	make -s -C "$ROOT/tools/ix" O="$OUT/tools" KHDR="$OUT/tools/khdr" \
		install DESTDIR="$pkg"
	cp "$ROOT/Documentation/networking/ixdp.rst" \
		"$ROOT/Documentation/ABI/testing/sysfs-kernel-ixdp" "$doc/"
	printf '%s\n' "ixdp-tools: the ix tool of the ixdp fork of Linux." \
		"License: GPL-2.0 (/usr/share/common-licenses/GPL-2)." \
		> "$doc/copyright"
	mkdir -p "$pkg/DEBIAN"
	echo /etc/ixdp.conf.example > "$pkg/DEBIAN/conffiles"
	cat > "$pkg/DEBIAN/control" <<EOC
Package: ixdp-tools
Version: $version
Architecture: $arch
Maintainer: ixdp developers <ixdp@localhost>
Section: net
Priority: optional
Description: ix tool and boot-time configuration for ixdp kernels
 ix reserves CPUs for the ixdp dataplane and attaches NIC queues to it;
 ixdp@.service applies /etc/ixdp.conf at boot (ix apply).  Needs a
 kernel built with CONFIG_IXDP (make deb).
EOC
	dpkg-deb --root-owner-group -Zxz --build "$pkg" \
		"$OUT/ixdp-tools_${version}_$arch.deb" > /dev/null
}

# The packages this run made, not those of earlier runs beside them.
report()
{
	local deb

	for deb in "$OUT"/*.deb; do
		[ "$deb" -nt "$OUT/.deb-start" ] || continue
		echo "ixdp: $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version) $deb"
	done
}

[ -f "$SRC/.ixdp-base" ] || die "no tree at $SRC: run make prepare first"
mkdir -p "$OUT"
: > "$OUT/.deb-start"
case ${1:-} in
--config-only)
	kernel_config
	exit 0
	;;
--tools-only)
	tools_deb
	;;
"")
	[ -z "${DEB_CONFIG:-}" ] || [ -f "$DEB_CONFIG" ] ||
		die "no base configuration $DEB_CONFIG"
	# bindeb-pkg's debian/control needs debhelper-compat.  pahole
	# (dwarves) before the configuration: Debian's wants BTF, which
	# kconfig keeps only when pahole is there.
	need dpkg-dev fakeroot dwarves debhelper
	kernel_config
	kernel_debs
	tools_deb
	;;
*)
	die "usage: deb.sh [--config-only | --tools-only]"
	;;
esac
report
