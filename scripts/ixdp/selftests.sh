#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and install tools/testing/selftests/ix against the uapi headers of
# our tree.  The guest runs build/kselftest/run_kselftest.sh over 9p: the
# installed form of "make -C tools/testing/selftests TARGETS=ix run_tests"
# (the guest has no make or compiler).

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/build/linux
HDR=$ROOT/build/kheaders

make -s -C "$SRC" O="$HDR" headers >/dev/null
make -s -C "$SRC/tools/testing/selftests" TARGETS=ix \
	KHDR_INCLUDES="-isystem $HDR/usr/include" \
	O="$ROOT/build/kselftest-build" \
	INSTALL_PATH="$ROOT/build/kselftest" install >/dev/null
# libix as the static library applications link.
mkdir -p "$ROOT/build/libix"
make -s -C "$SRC/tools/lib/ix" KHDR="$HDR/usr/include" O="$ROOT/build/libix" >/dev/null
