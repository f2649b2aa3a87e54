#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lay the ixdp tree over Debian's linux-source-6.12:
#   1. unpack the tarball under build/linux once;
#   2. apply patches/series (re-applied only when the patches change);
#   3. symlink every file of ours into the tree at its kernel path.
# Upstream files are never overwritten: an edit to one belongs in patches/.

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/build/linux
TARBALL=${IXDP_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
OVERLAY="net include drivers kernel arch Documentation tools samples"

unpack()
{
	local tmp=$ROOT/build/linux.unpack

	[ -f "$SRC/.ixdp-base" ] && return 0
	echo "ixdp: unpacking $TARBALL"
	rm -rf "$tmp" "$SRC"
	mkdir -p "$tmp"
	tar -C "$tmp" -xf "$TARBALL"
	mv "$tmp"/linux-source-6.12 "$SRC"
	rmdir "$tmp"
	make -s -C "$SRC" kernelversion > "$SRC/.ixdp-base"
}

series()
{
	grep -v -e '^#' -e '^$' "$1/series"
}

# The patches as applied are kept in build/linux/.ixdp-patches.  When the
# series changes, only the patches from the first one that differs on
# are reverted and applied again, so the build stays incremental.
apply_patches()
{
	local applied=$SRC/.ixdp-patches keep=0 i p
	local -a old=() new=()

	[ -f "$applied/series" ] && mapfile -t old < <(series "$applied")
	mapfile -t new < <(series "$ROOT/patches")
	while [ $keep -lt ${#old[@]} ] && [ $keep -lt ${#new[@]} ] &&
	      [ "${old[$keep]}" = "${new[$keep]}" ] &&
	      cmp -s "$applied/${old[$keep]}" "$ROOT/patches/${new[$keep]}"; do
		keep=$((keep + 1))
	done
	[ $keep = ${#old[@]} ] && [ $keep = ${#new[@]} ] && return 0

	for ((i = ${#old[@]} - 1; i >= keep; i--)); do
		p=${old[$i]}
		echo "ixdp: reverting $p"
		patch -s -R -p1 -d "$SRC" < "$applied/$p"
	done
	mkdir -p "$applied"
	for ((i = keep; i < ${#new[@]}; i++)); do
		p=${new[$i]}
		echo "ixdp: applying $p"
		if ! patch -s -p1 --forward --batch -d "$SRC" < "$ROOT/patches/$p"; then
			echo "ixdp: $p does not apply to Linux $(cat "$SRC/.ixdp-base")" >&2
			echo "ixdp: fix the patch, or 'rm -rf build/linux' to start over" >&2
			exit 1
		fi
	done
	rm -rf "$applied"
	cp -r "$ROOT/patches" "$applied"
}

overlay()
{
	local f dst

	# Drop links to files of ours that no longer exist.
	find "$SRC" -xtype l -lname "$ROOT/*" -delete
	cd "$ROOT"
	for f in $(find $OVERLAY -type f ! -path '*/.*' 2>/dev/null); do
		dst=$SRC/$f
		[ "$(readlink "$dst" 2>/dev/null)" = "$ROOT/$f" ] && continue
		if [ -e "$dst" ] && [ ! -L "$dst" ]; then
			echo "ixdp: $f would replace an upstream file;" \
			     "edit it through patches/ instead" >&2
			exit 1
		fi
		mkdir -p "$(dirname "$dst")"
		ln -sfn "$ROOT/$f" "$dst"
	done
}

mkdir -p "$ROOT/build"
unpack
apply_patches
overlay
echo "ixdp: base Linux $(cat "$SRC/.ixdp-base") ($(dpkg-query -W -f='${Package} ${Version}' linux-source-6.12 2>/dev/null || echo "$TARBALL"))"
