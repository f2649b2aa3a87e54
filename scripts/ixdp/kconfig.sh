#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kconfig.sh OUTDIR FRAGMENT...
# Generate OUTDIR/.config as allnoconfig plus the fragments, then check
# that every option the fragments ask for made it (a dependency that is
# not met silently drops an option otherwise).

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "$1")
shift

mkdir -p "$out"
cat "$@" > "$out/ixdp.fragment"
make -s -C "$ROOT/build/linux" O="$out" \
	KCONFIG_ALLCONFIG="$out/ixdp.fragment" allnoconfig

bad=0
while IFS= read -r line; do
	case "$line" in CONFIG_*) ;; *) continue ;; esac
	opt=${line%%=*}
	# The last fragment to set an option wins, as in kconfig.
	want=$(grep "^$opt=" "$out/ixdp.fragment" | tail -n 1)
	[ "$line" = "$want" ] || continue
	if ! grep -qxF "$want" "$out/.config"; then
		echo "ixdp: $want did not survive kconfig" \
		     "(got: $(grep "^$opt=\|# $opt is not set" "$out/.config" || echo none))" >&2
		bad=1
	fi
done < "$out/ixdp.fragment"
exit $bad
