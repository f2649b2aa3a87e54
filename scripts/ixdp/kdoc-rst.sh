#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kdoc-rst.sh KERNEL_DOC RST: check the kernel-doc directives of RST the
# way Sphinx would use them, for a tree without Sphinx.  Every file a
# directive names is run through kernel-doc -Wall, and every name in
# :identifiers: and every title in :doc: must be found in its file:
# kernel-doc warns about a missing one only when nothing at all was
# found, so each is asked for alone; :export: and :internal: must find
# something too.  Any warning fails.  Paths are
# relative to the current directory, the top of the tree.

set -u

KDOC=$1
RST=$2
rc=0

# warn FILE ARGS...: run kernel-doc, print what it says, fail if anything.
warn()
{
	local file=$1 out

	shift
	out=$(perl "$KDOC" "$@" "$file" 2>&1 >/dev/null)
	[ -z "$out" ] && return 0
	echo "$out"
	return 1
}

# One line per directive option: FILE OPTION VALUE.  Options follow their
# directive, indented, up to the first line that is not an option.
directives=$(awk '
	/^\.\. kernel-doc::/ { file = $3; print file " - -"; next }
	file != "" && /^[ \t]+:[a-z-]+:/ {
		opt = $1; $1 = ""; sub(/^ /, "")
		print file " " opt " " $0
		next
	}
	{ file = "" }' "$RST")

if [ -z "$directives" ]; then
	echo "$RST: no kernel-doc directive"
	exit 1
fi

for f in $(echo "$directives" | awk '{ print $1 }' | sort -u); do
	if [ ! -f "$f" ]; then
		echo "$RST: $f: no such file"
		rc=1
		continue
	fi
	warn "$f" -none -Wall || rc=1
done

while read -r f opt val; do
	[ -f "$f" ] || continue
	case $opt in
	:identifiers:|:functions:)
		for id in $val; do
			warn "$f" -rst -sphinx-version 5.3.0 -Wall \
				-function "$id" || rc=1
		done
		;;
	:doc:)
		warn "$f" -rst -sphinx-version 5.3.0 -Wall \
			-function "$val" || rc=1
		;;
	:export:|:internal:)
		warn "$f" -rst -sphinx-version 5.3.0 -Wall "-${opt//:/}" ||
			rc=1
		;;
	esac
done <<< "$directives"

exit $rc
