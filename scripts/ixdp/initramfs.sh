#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh OUT.cpio.gz
# Build the guest's initramfs: busybox-static, a few host tools with the
# libraries they load (bash, ip, tc, ethtool, coreutils timeout for the
# kselftest runner; memcached and nginx, the Linux contenders of `make
# bench`; tcpdump, to see what Linux sees of an attached device), and
# scripts/ixdp/guest-init as /init.  Our own test
# programs reach the guest over virtio-9p instead (/ixdp), so editing
# them needs no new initramfs.

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "$1")
dir=$out.d
TOOLS="/bin/bash /bin/ip /sbin/tc /sbin/ethtool /usr/bin/timeout"
TOOLS="$TOOLS /usr/bin/memcached /usr/sbin/nginx /usr/bin/tcpdump"

# Rebuilt only when an input is newer than the archive.
if [ -f "$out" ] && [ -z "$(find "$0" "$ROOT/scripts/ixdp/guest-init" \
		/bin/busybox $TOOLS -newer "$out" 2>/dev/null)" ]; then
	exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,tmp,run,var,root,ixdp}
ln -s ../run "$dir/var/run"
cp /bin/busybox "$dir/bin/busybox"
for t in $TOOLS; do
	cp -L "$t" "$dir$t"
	for lib in $(ldd "$t" | grep -o '/[^ ]*'); do
		mkdir -p "$dir$(dirname "$lib")"
		cp -Ln "$lib" "$dir$lib"
	done
done
# /bin/sh is bash: busybox ash would run its own applets (ip, tc, timeout)
# in place of the real tools, which tests need.
ln -s bash "$dir/bin/sh"
# busybox applets for every name the host tools above did not take.
for a in $(/bin/busybox --list-full); do
	case " $TOOLS " in *"/${a##*/} "*) continue ;; esac
	[ -e "$dir/$a" ] || ln -s /bin/busybox "$dir/$a"
done
install -m 0755 "$ROOT/scripts/ixdp/guest-init" "$dir/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$dir/etc/passwd"
echo "root:x:0:" > "$dir/etc/group"
(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
echo "ixdp: initramfs $(du -h "$out" | cut -f1) at $out"
