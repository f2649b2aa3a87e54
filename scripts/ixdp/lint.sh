#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks of our kernel code, one TAP line each:
#   checkpatch --strict on every kernel file and patch of ours,
#   kernel-doc -Wall,
#   the kernel-doc directives of DOC_RST as Sphinx would run them (the
#   page itself is not built: Debian's Sphinx is twenty packages),
#   sparse and W=1 -Werror on net/ixdp and on the drivers with ixdp ops
#   that the VM cannot run (SPARSE_DIRS), in a kernel configured by
#   kernel/configs/ixdp-lint.config,
#   the uapi header compiled alone as C90, as usr/include/Makefile does.

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/build/linux
OUT=$ROOT/build/kbuild-lint
LOG=$ROOT/build/lint
NPROC=$(nproc)
n=0
fails=0

# Pages whose kernel-doc directives are checked.
DOC_RST="Documentation/networking/ixdp.rst"

# Compiled with sparse and W=1 -Werror.
SPARSE_DIRS="net/ixdp/ drivers/net/ethernet/intel/ixgbe/"
# Sparse warnings upstream 6.12 gives in those directories: ixgbe's XDP
# transmit lock is taken under a static key, which sparse cannot follow.
# They are tolerated by function name; any other warning fails.
SPARSE_UPSTREAM="context imbalance in 'ixgbe_run_xdp' -
context imbalance in 'ixgbe_run_xdp_zc' -
context imbalance in 'ixgbe_xdp_ring_update_tail_locked' -
context imbalance in 'ixgbe_xdp_xmit' -"

mkdir -p "$LOG"
cd "$ROOT" || exit 1

# tap NAME LOGFILE COMMAND...: one result; the log is shown on failure.
tap()
{
	local name=$1 log=$LOG/$2

	shift 2
	n=$((n + 1))
	if "$@" > "$log" 2>&1; then
		echo "ok $n lint.$name"
	else
		echo "not ok $n lint.$name"
		sed 's/^/# /' "$log" | head -n 60
		fails=$((fails + 1))
	fi
}

kfiles=$(git ls-files --cached --others --exclude-standard -- \
	'net/ixdp/*.[ch]' 'include/*.h' 'drivers/*.[ch]' 'kernel/*.[ch]' \
	'arch/*.[ch]' | sort -u)
[ -n "$kfiles" ] || kfiles=$(find net/ixdp include -name '*.[ch]')

checkpatch()
{
	local f rc=0

	for f in $kfiles; do
		perl "$SRC/scripts/checkpatch.pl" --no-tree --strict --terse \
			--show-types -f "$f" || rc=1
	done
	for f in "$ROOT"/patches/*.patch; do
		perl "$SRC/scripts/checkpatch.pl" --no-tree --strict --terse \
			--show-types "$f" || rc=1
	done
	return $rc
}

kerneldoc()
{
	# shellcheck disable=SC2086
	out=$(perl "$SRC/scripts/kernel-doc" -none -Wall $kfiles 2>&1)
	echo "$out"
	[ -z "$out" ]
}

doc_directives()
{
	local f rc=0

	for f in $DOC_RST; do
		"$ROOT/scripts/ixdp/kdoc-rst.sh" "$SRC/scripts/kernel-doc" \
			"$f" || rc=1
	done
	return $rc
}

sparse()
{
	"$ROOT/scripts/ixdp/kconfig.sh" "$OUT" kernel/configs/ixdp.config \
		kernel/configs/ixdp-lint.config || return 1
	make -s -C "$SRC" O="$OUT" -j"$NPROC" prepare || return 1
	# shellcheck disable=SC2086
	make -C "$SRC" O="$OUT" -j"$NPROC" C=2 CHECK=sparse \
		W=1 KCFLAGS=-Werror $SPARSE_DIRS 2>&1 | tee "$LOG/sparse.out"
	[ "${PIPESTATUS[0]}" = 0 ] || return 1
	! grep -E 'warning:|error:' "$LOG/sparse.out" |
		grep -v -F -e "$SPARSE_UPSTREAM"
}

uapi_c90()
{
	make -s -C "$SRC" O="$ROOT/build/kheaders" headers || return 1
	gcc -std=c90 -pedantic -Wall -Werror \
		-Werror=implicit-function-declaration \
		-isystem "$ROOT/build/kheaders/usr/include" \
		-fsyntax-only -x c -include linux/ix.h /dev/null
}

echo "TAP version 13"
echo "1..5"
tap checkpatch_strict checkpatch.log checkpatch
tap kernel_doc kernel-doc.log kerneldoc
tap doc_directives doc-directives.log doc_directives
tap sparse_w1 sparse.log sparse
tap uapi_c90 uapi.log uapi_c90
[ "$fails" = 0 ]
