#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU's plugin header, for tools/ix/bench/qemu-insn: no Debian package
# ships it, so it comes from the source package of the installed qemu
# (7.2 in bookworm), through a deb-src entry of our own.  Only the
# header is kept, as build/qemu-plugin/qemu-plugin.h.  Called by
# deps.sh; quiet once the header is there.  Not fatal: only the
# benchmark's instruction counter needs it (`make qemu-insn` fails and
# its test skips without it).

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=$ROOT/build/qemu-plugin
SRCLIST=/etc/apt/sources.list.d/ixdp-src.sources

[ -f "$DEST/qemu-plugin.h" ] && exit 0

warn()
{
	echo "ixdp: no QEMU plugin header ($*): make qemu-insn will fail" >&2
	exit 0
}

[ "$(id -u)" = 0 ] || warn "run 'make' as root once to fetch it"

if [ -z "$(apt-cache showsrc qemu 2>/dev/null)" ]; then
	echo "ixdp: adding Debian's source archive ($SRCLIST) for qemu's plugin header"
	cat > "$SRCLIST" <<-EOF
	# ixdp: Debian's source packages, for the header of QEMU's plugin API
	Types: deb-src
	URIs: http://deb.debian.org/debian
	Suites: bookworm bookworm-updates
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb-src
	URIs: http://deb.debian.org/debian-security
	Suites: bookworm-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	apt-get update -qq || warn "apt-get update failed"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt downloads as _apt where it may write, and warns otherwise.
chown _apt "$tmp" 2>/dev/null
ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null)
echo "ixdp: fetching qemu's source ${ver:-(newest)} for its plugin header"
( cd "$tmp" &&
  { apt-get source -qq --download-only "qemu${ver:+=$ver}" ||
    apt-get source -qq --download-only qemu; } > /dev/null ) ||
	warn "apt-get source qemu failed"
orig=$(find "$tmp" -maxdepth 1 -name "qemu_*.orig.tar.*" | head -n 1)
[ -n "$orig" ] || warn "no .orig tarball in qemu's source package"
tar -xf "$orig" -C "$tmp" --wildcards --no-anchored 'include/qemu/qemu-plugin.h' ||
	warn "no include/qemu/qemu-plugin.h in $orig"
mkdir -p "$DEST"
# Copied under a temporary name and renamed: never a half header.
find "$tmp" -path '*/include/qemu/qemu-plugin.h' -exec cp {} "$DEST/.qemu-plugin.h" \; -quit
mv "$DEST/.qemu-plugin.h" "$DEST/qemu-plugin.h" || warn "copy failed"
echo "ixdp: $DEST/qemu-plugin.h from $(basename "$orig")"
