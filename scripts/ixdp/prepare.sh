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

# The patches as applied, so that a changed series is first reverted.
apply_patches()
{
	local applied=$SRC/.ixdp-patches p

	if [ -d "$applied" ] && diff -qr "$ROOT/patches" "$applied" >/dev/null; then
		return 0
	fi
	if [ -f "$applied/series" ]; then
		for p in $(grep -v '^#' "$applied/series" | tac); do
			echo "ixdp: reverting $p"
			patch -s -R -p1 -d "$SRC" < "$applied/$p"
		done
	fi
	rm -rf "$applied"
	for p in $(grep -v '^#' "$ROOT/patches/series"); do
		echo "ixdp: applying $p"
		if ! patch -s -p1 --forward --batch -d "$SRC" < "$ROOT/patches/$p"; then
			echo "ixdp: $p does not apply to Linux $(cat "$SRC/.ixdp-base")" >&2
			echo "ixdp: fix the patch, or 'rm -rf build/linux' to start over" >&2
			exit 1
		fi
	done
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
