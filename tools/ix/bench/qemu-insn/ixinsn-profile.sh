#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ixinsn-profile.sh MAP [DIVISOR [TOP]] < PROFILE: name the blocks of a
# "profile" answer of libixinsn.so (profile=on) by MAP, a System.map or
# `nm` output, and print the TOP (40) functions by instructions, divided
# by DIVISOR (1; e.g. the requests the run completed).  A block is
# charged to the nearest symbol at or below its address; one below every
# symbol, or in another address space, is "?".
set -eu

MAP=${1:?usage: ixinsn-profile.sh MAP [DIVISOR [TOP]] < PROFILE}
DIV=${2:-1}
TOP=${3:-40}

# Addresses as 16-digit hex strings (as System.map and nm write them on
# x86-64) compare as strings.
awk '$2 ~ /^[TtWw]$/ { print $1, $3 }' "$MAP" | sort > "${TMPDIR:-/tmp}/ixinsn-map.$$"
trap 'rm -f "${TMPDIR:-/tmp}/ixinsn-map.$$"' EXIT
awk -v div="$DIV" -v top="$TOP" '
BEGIN { n = 0 }
NR == FNR { addr[n] = $1; name[n] = $2; n++; next }
$1 == "block" {
	a = sprintf("%016s", $2); gsub(/ /, "0", a)
	lo = 0; hi = n - 1; f = -1
	while (lo <= hi) {
		mid = int((lo + hi) / 2)
		if (addr[mid] <= a) { f = mid; lo = mid + 1 } else hi = mid - 1
	}
	fn = f < 0 ? "?" : name[f]
	sum[fn] += $3; total += $3
}
END {
	for (fn in sum)
		printf "%14.1f %5.1f%% %s\n", sum[fn] / div, 100 * sum[fn] / total, fn | "sort -rn | head -" top
	close("sort -rn | head -" top)
	printf "%14.1f total\n", total / div
}' "${TMPDIR:-/tmp}/ixinsn-map.$$" -
