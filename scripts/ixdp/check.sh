#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: lint, the host harness (ASan + UBSan), the tools (key-value
# engine and memcapable, load generator), the debug kernel, and
# the kselftests in the VM under it.  Every result is one TAP line; the
# run ends with exactly one line "N passed, N failed" and exits non-zero
# if anything failed, a kernel splat on the guest console included.
#
# CHECK_TESTS="ix_tcp.sh ix_app.sh ..." runs only the debug kernel build
# and those selftests, in one VM: the quick loop while working on a test.

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/build/check
RESULTS=$OUT/results
MAKE=${MAKE:-make}
start=$(date +%s)

rm -rf "$OUT"
mkdir -p "$OUT"
: > "$RESULTS"
cd "$ROOT" || exit 1

say()
{
	echo "== ixdp check: $* ($(($(date +%s) - start))s)"
}

# record ok|fail NAME
record()
{
	echo "$1 $2" >> "$RESULTS"
}

# Collect the leaf results of a TAP stream: plain "ok N name" lines and
# the kselftest runner's nested "# ok N name" lines.  A runner entry with
# nested results counts through them; one without counts itself; a
# failed entry whose nested results all passed (a crash or timeout after
# them) adds one failure.
collect()
{
	local prefix=$1

	tr -d '\r' | awk -v prefix="$prefix" '
	function emit(res, name) {
		sub(/[ \t]+$/, "", name)
		if (name ~ /# SKIP/) { res = "skip"; sub(/ *# SKIP.*/, "", name) }
		gsub(/ /, "_", name)
		print res, prefix name
	}
	/^# (not )?ok [0-9]+ / {
		line = $0; sub(/^# /, "", line)
		res = (line ~ /^not /) ? "fail" : "ok"
		sub(/^(not )?ok [0-9]+ /, "", line)
		leaves++; if (res == "fail") leaf_fail++
		emit(res, block "." line)
		next
	}
	/^# selftests: / { block = $NF; leaves = 0; leaf_fail = 0; next }
	/^(not )?ok [0-9]+ / {
		res = ($0 ~ /^not /) ? "fail" : "ok"
		line = $0; sub(/^(not )?ok [0-9]+ /, "", line)
		if (line ~ /^selftests: /) {
			if (leaves == 0)
				emit(res, block)
			else if (res == "fail" && leaf_fail == 0)
				emit("fail", block ".exit_status")
			leaves = 0; leaf_fail = 0
		} else {
			emit(res, line)
		}
	}'
}

# The runner's arguments for CHECK_TESTS, or none for every test.
selected=""
for t in ${CHECK_TESTS:-}; do
	selected="$selected -t ix:$t"
done

say "prepare the tree"
if $MAKE -s prepare > "$OUT/prepare.log" 2>&1; then
	record ok build.prepare
	grep '^ixdp: base' "$OUT/prepare.log"
else
	cat "$OUT/prepare.log"
	record fail build.prepare
fi

# Lint, the host harness, the fuzzer and the tools: all but the VM.
check_host()
{
	say "lint"
	"$ROOT/scripts/ixdp/lint.sh" | tee "$OUT/lint.tap"
	collect "" < "$OUT/lint.tap" >> "$RESULTS"

	say "host harness (tools/testing/ix, ASan + UBSan)"
	$MAKE -s host-test > "$OUT/host.tap" 2>&1
	hrc=$?
	cat "$OUT/host.tap"
	collect "host." < "$OUT/host.tap" >> "$RESULTS"
	if [ "$hrc" != 0 ] && ! grep -q '^not ok' "$OUT/host.tap"; then
		record fail host.build
	fi

	say "fuzz: RX path, ${FUZZ_SECONDS:-60}s (tools/testing/ix/fuzz_rx.c)"
	if $MAKE -s -C build/linux/tools/testing/ix O="$ROOT/build/host-test" \
			fuzz-run FUZZ_SECONDS="${FUZZ_SECONDS:-60}" > "$OUT/fuzz.log" 2>&1; then
		grep -E '^stat::number_of_executed_units|Done [0-9]+ runs' "$OUT/fuzz.log"
		record ok host.fuzz_rx
	else
		tail -n 40 "$OUT/fuzz.log"
		record fail host.fuzz_rx
		# Say why in the summary too, and keep the input that did it.
		grep -m 3 -E '^==[0-9]+==ERROR|^SUMMARY|deadly signal|ALARM|out-of-memory|^Test unit written' \
			"$OUT/fuzz.log" | sed 's/^/    fuzz_rx: /' >> "$OUT/reasons"
		cp -r build/host-test/fuzz-artifacts "$OUT/" 2>/dev/null
	fi

	say "tools on the host: key-value engine, memcapable on kv_sock, load generator"
	TOOLS_OUT=$ROOT/build/tools-test
	mkdir -p "$TOOLS_OUT"
	$MAKE -s -C tools/ix/apps/kv O="$TOOLS_OUT" "$TOOLS_OUT/kv_test" \
		"$TOOLS_OUT/kv_sock" > "$OUT/tools-build.log" 2>&1 || cat "$OUT/tools-build.log"
	"$TOOLS_OUT/kv_test" > "$OUT/kv_test.tap" 2>&1
	cat "$OUT/kv_test.tap"
	collect "tools.kv." < "$OUT/kv_test.tap" >> "$RESULTS"
	grep -q '^ok ' "$OUT/kv_test.tap" || record fail tools.kv.build
	if tools/ix/apps/kv/memcapable.sh "$TOOLS_OUT/kv_sock" > "$OUT/memcapable.log" 2>&1; then
		tail -n 1 "$OUT/memcapable.log"
		record ok tools.kv.memcapable
	else
		tail -n 20 "$OUT/memcapable.log"
		record fail tools.kv.memcapable
	fi
	if $MAKE -s -C tools/ix/bench O="$TOOLS_OUT/bench" check > "$OUT/bench-tools.tap" 2>&1; then
		:
	elif ! grep -q '^not ok' "$OUT/bench-tools.tap"; then
		record fail tools.bench.test
	fi
	cat "$OUT/bench-tools.tap"
	collect "tools.bench." < "$OUT/bench-tools.tap" >> "$RESULTS"
}

# The 3-CPU run, and what the full run of the selftests left behind.
check_vm3()
{
	# A hostile application next to a good one, and one device on two
	# cores, need a third CPU.
	say "VM with 3 CPUs: a hostile application and its neighbour; two cores"
	$MAKE -s vm KERNEL=debug VM_CPUS=3 \
		CMD='cd /ixdp/build/kselftest/ix && ./ix_neighbors.sh; a=$?; ./ix_handoff.sh && [ $a = 0 ]' \
		2>&1 | tee "$OUT/vm3.log"
	vrc=${PIPESTATUS[0]}
	if [ "$vrc" = 0 ] && grep -q '^ok: a hostile' "$OUT/vm3.log"; then
		record ok vm3.hostile_next_to_neighbour
	else
		record fail vm3.hostile_next_to_neighbour
	fi
	if [ "$vrc" = 0 ] && grep -q '^ok: .* over two cores' "$OUT/vm3.log"; then
		record ok vm3.handoff_across_cores
	else
		record fail vm3.handoff_across_cores
	fi
	# ix_app.sh had the host's TCP drive the dataplane through the agent.
	if [ "$(cat build/hostside/served 2>/dev/null)" -ge 1 ] 2>/dev/null; then
		record ok vm.host_side_echo
	else
		record fail vm.host_side_echo
	fi
}

# The kernel build takes both CPUs most of the time, the host tests one
# at most: run them meanwhile.
say "debug kernel (built while the host tests run)"
$MAKE kernel-debug > "$OUT/kernel-debug.log" 2>&1 &
kpid=$!
[ -z "$selected" ] && check_host
wait $kpid
krc=$?
say "debug kernel built (status $krc)"
if [ "$krc" = 0 ]; then
	grep -E '^ixdp: ' "$OUT/kernel-debug.log"
	record ok kernel.debug_build
	say "VM selftests (debug kernel)"
	$MAKE -s vm KERNEL=debug CMD="/ixdp/build/kselftest/run_kselftest.sh$selected" \
		VM_HOST_CMD="$ROOT/scripts/ixdp/host-agent.sh" \
		2>&1 | tee "$OUT/vm.log"
	vrc=${PIPESTATUS[0]}
	collect "vm." < "$OUT/vm.log" >> "$RESULTS"
	if [ "$vrc" = 0 ]; then
		record ok vm.clean_run
	else
		record fail vm.clean_run
	fi
	[ -z "$selected" ] && check_vm3
else
	tail -n 40 "$OUT/kernel-debug.log"
	record fail kernel.debug_build
fi

passed=$(grep -c '^ok ' "$RESULTS")
failed=$(grep -c '^fail ' "$RESULTS")
skipped=$(grep -c '^skip ' "$RESULTS")
say "done"
if [ "$failed" != 0 ]; then
	echo "failed:"
	sed -n 's/^fail /  /p' "$RESULTS"
	[ -f "$OUT/reasons" ] && cat "$OUT/reasons"
fi
[ "$skipped" != 0 ] && echo "($skipped skipped: $(sed -n 's/^skip //p' "$RESULTS" | tr '\n' ' '))"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
