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

# record ok|fail|skip NAME
record()
{
	echo "$1 $2" >> "$RESULTS"
}

# Collect the leaf results of a TAP stream: plain "ok N name" lines and
# the kselftest runner's nested "# ok N name" lines, as "ok|fail|skip
# NAME".  A runner entry with nested results counts through them; one
# without counts itself (its "# SKIP" kept); a failed entry whose nested
# results all passed (a crash or timeout after them) adds one failure.
# Plans are checked: a nested "# 1..N" must match the nested results of
# its entry, and the stream's own "1..N" (before or after its results)
# the results at its level; with PLAN=need, a stream without a plan
# fails too.  An entry that never reported ("# selftests: X" and then
# nothing) fails.
collect()
{
	local prefix=$1 plan=${2:-}

	tr -d '\r' | awk -v prefix="$prefix" -v need="$plan" '
	function emit(res, name) {
		sub(/[ \t]+$/, "", name)
		if (name ~ /# SKIP/) { res = "skip"; sub(/ *# SKIP.*/, "", name) }
		gsub(/ /, "_", name)
		print res, prefix name
	}
	function close_block(res, directive) {
		if (leaves == 0)
			emit(res, block directive)
		else if (res == "fail" && leaf_fail == 0)
			emit("fail", block ".exit_status")
		if (nplan != "" && nplan != leaves)
			emit("fail", block ".plan_" nplan "_ran_" leaves)
		leaves = 0; leaf_fail = 0; nplan = ""; block = ""
	}
	/^# 1\.\.[0-9]+/ && block != "" {
		nplan = $2; sub(/^1\.\./, "", nplan); nplan += 0
		next
	}
	/^# (not )?ok [0-9]+ / {
		line = $0; sub(/^# /, "", line)
		res = (line ~ /^not /) ? "fail" : "ok"
		sub(/^(not )?ok [0-9]+ /, "", line)
		leaves++; if (res == "fail") leaf_fail++
		emit(res, block "." line)
		next
	}
	/^# selftests: / {
		if (block != "")
			emit("fail", block ".no_result")
		block = $NF; leaves = 0; leaf_fail = 0; nplan = ""
		next
	}
	/^1\.\.[0-9]+/ {
		plan = $1; sub(/^1\.\./, "", plan); plan += 0
		if (plan == 0 && $0 ~ /# SKIP/)
			emit("skip", "all # SKIP")
		next
	}
	/^(not )?ok [0-9]+ / {
		res = ($0 ~ /^not /) ? "fail" : "ok"
		line = $0; sub(/^(not )?ok [0-9]+ /, "", line)
		top++
		if (line ~ /^selftests: /) {
			directive = (line ~ /# SKIP/) ? " # SKIP" : ""
			close_block(res, directive)
		} else {
			emit(res, line)
		}
	}
	END {
		if (block != "")
			emit("fail", block ".no_result")
		if (plan != "" && plan != top)
			emit("fail", "plan_" plan "_ran_" top)
		else if (plan == "" && need == "need")
			emit("fail", "plan_missing")
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
	collect "host." need < "$OUT/host.tap" >> "$RESULTS"
	if [ "$hrc" != 0 ] && ! grep -q '^not ok' "$OUT/host.tap"; then
		record fail host.build
	fi

	say "fuzz: RX path and command ring, ${FUZZ_SECONDS:-60}s each (tools/testing/ix/fuzz_rx.c, fuzz_cmd.c)"
	if $MAKE -s -C build/linux/tools/testing/ix O="$ROOT/build/host-test" \
			fuzz-run FUZZ_SECONDS="${FUZZ_SECONDS:-60}" > "$OUT/fuzz.log" 2>&1; then
		grep -E '^stat::number_of_executed_units|Done [0-9]+ runs' "$OUT/fuzz.log"
		record ok host.fuzz_rx_and_cmd
	else
		tail -n 40 "$OUT/fuzz.log"
		record fail host.fuzz_rx_and_cmd
		# Say why in the summary too, and keep the input that did it.
		grep -m 3 -E '^==[0-9]+==ERROR|^SUMMARY|deadly signal|ALARM|out-of-memory|^Test unit written' \
			"$OUT/fuzz.log" | sed 's/^/    fuzz: /' >> "$OUT/reasons"
		cp -r build/host-test/fuzz-artifacts "$OUT/" 2>/dev/null
	fi

	say "tools on the host: kv and HTTP engines, memcapable, http_check, load generator, ix"
	TOOLS_OUT=$ROOT/build/tools-test
	mkdir -p "$TOOLS_OUT"
	$MAKE -s -C tools/ix/apps/kv O="$TOOLS_OUT" "$TOOLS_OUT/kv_test" \
		"$TOOLS_OUT/kv_sock" > "$OUT/tools-build.log" 2>&1 || cat "$OUT/tools-build.log"
	"$TOOLS_OUT/kv_test" > "$OUT/kv_test.tap" 2>&1
	kvrc=$?
	cat "$OUT/kv_test.tap"
	collect "tools.kv." need < "$OUT/kv_test.tap" >> "$RESULTS"
	[ "$kvrc" = 0 ] || record fail tools.kv.exit_status_$kvrc
	if tools/ix/apps/kv/memcapable.sh "$TOOLS_OUT/kv_sock" > "$OUT/memcapable.log" 2>&1; then
		tail -n 1 "$OUT/memcapable.log"
		record ok tools.kv.memcapable
	else
		tail -n 20 "$OUT/memcapable.log"
		record fail tools.kv.memcapable
	fi
	$MAKE -s -C tools/ix/apps/http O="$TOOLS_OUT/http" "$TOOLS_OUT/http/http_test" \
		"$TOOLS_OUT/http/http_sock" > "$OUT/http-build.log" 2>&1 ||
		cat "$OUT/http-build.log"
	"$TOOLS_OUT/http/http_test" > "$OUT/http_test.tap" 2>&1
	httprc=$?
	cat "$OUT/http_test.tap"
	collect "tools.http." need < "$OUT/http_test.tap" >> "$RESULTS"
	[ "$httprc" = 0 ] || record fail tools.http.exit_status_$httprc
	tools/ix/apps/http/http_check.sh "$TOOLS_OUT/http/http_sock" \
		> "$OUT/http_check.tap" 2>&1
	httprc=$?
	cat "$OUT/http_check.tap"
	# 4: skipped (no network namespace, not root), said as it is; an
	# unlisted skip then fails under its own name, not a missing plan.
	if [ "$httprc" = 4 ]; then
		record skip tools.http_sock.needs_root
	else
		collect "tools.http_sock." need < "$OUT/http_check.tap" >> "$RESULTS"
		[ "$httprc" = 0 ] || record fail tools.http_sock.exit_status_$httprc
	fi
	# The report's test and the tools' test: one TAP stream each.
	if tools/ix/bench/report_test.sh > "$OUT/bench-report.tap" 2>&1; then
		:
	elif ! grep -q '^not ok' "$OUT/bench-report.tap"; then
		record fail tools.bench_report.test
	fi
	cat "$OUT/bench-report.tap"
	collect "tools.bench_report." need < "$OUT/bench-report.tap" >> "$RESULTS"
	if $MAKE -s -C tools/ix/bench O="$TOOLS_OUT/bench" all > "$OUT/bench-tools.tap" 2>&1 &&
	   tools/ix/bench/test.sh "$TOOLS_OUT/bench" >> "$OUT/bench-tools.tap" 2>&1; then
		:
	elif ! grep -q '^not ok' "$OUT/bench-tools.tap"; then
		record fail tools.bench.test
	fi
	cat "$OUT/bench-tools.tap"
	collect "tools.bench." need < "$OUT/bench-tools.tap" >> "$RESULTS"
	if $MAKE -s -C tools/ix O="$TOOLS_OUT/ix" check > "$OUT/ix-tool.tap" 2>&1; then
		:
	elif ! grep -q '^not ok' "$OUT/ix-tool.tap"; then
		record fail tools.ix.test
	fi
	cat "$OUT/ix-tool.tap"
	collect "tools.ix." need < "$OUT/ix-tool.tap" >> "$RESULTS"

	say "scripts: vm.sh's exit status, with a stand-in for QEMU"
	"$ROOT/scripts/ixdp/vm-test.sh" > "$OUT/scripts.tap" 2>&1
	cat "$OUT/scripts.tap"
	collect "scripts." need < "$OUT/scripts.tap" >> "$RESULTS"

	say "scripts: make deb's configuration and ixdp-tools package (no kernel build)"
	"$ROOT/scripts/ixdp/deb-test.sh" > "$OUT/deb.tap" 2>&1
	cat "$OUT/deb.tap"
	collect "scripts." need < "$OUT/deb.tap" >> "$RESULTS"
}

# The benchmark's guest instruction counter (a QEMU plugin): a short
# boot of the debug kernel under it, ~15 s.
check_qemu_insn()
{
	say "QEMU plugin: guest instructions per vCPU, user and kernel (tools/ix/bench/qemu-insn)"
	$MAKE -s qemu-insn > "$OUT/qemu-insn-build.log" 2>&1 || cat "$OUT/qemu-insn-build.log"
	tools/ix/bench/qemu-insn/test.sh build/kbuild-debug/arch/x86/boot/bzImage \
		> "$OUT/qemu-insn.tap" 2>&1
	qrc=$?
	cat "$OUT/qemu-insn.tap"
	collect "tools.qemu_insn." need < "$OUT/qemu-insn.tap" >> "$RESULTS"
	if [ "$qrc" != 0 ] && ! grep -q '^not ok' "$OUT/qemu-insn.tap"; then
		record fail tools.qemu_insn.exit_status_$qrc
	fi
}

# The 4-CPU run: what needs a third or a fourth CPU (a hostile
# application next to a good one, one device on two cores, two threads
# racing a setup, a device going from one core to three and back, ixcp
# adding cores) runs here, with 3 queue pairs on eth0, counted like the
# 2-CPU run; a skip here is not allowed.
VM4_TESTS="ix_neighbors.sh ix_handoff.sh ix_perm_test ix_scale.sh ix_ixcp.sh ix_elastic.sh ix_scale_app.sh ix_ixcp_app.sh ix_scale_http.sh ix_scale_kv.sh"
check_vm4()
{
	local t sel=""

	say "VM with 4 CPUs: a hostile application and its neighbour; cores that join and leave; setup races"
	for t in $VM4_TESTS; do
		sel="$sel -t ix:$t"
	done
	vstart=$(date +%s)
	$MAKE -s vm VM_NOBUILD=1 KERNEL=debug VM_CPUS=4 VM_QUEUES=3 \
		CMD="/ixdp/build/kselftest/run_kselftest.sh$sel" \
		VM_HOST_CMD="$ROOT/scripts/ixdp/host-agent.sh" \
		2>&1 | stamp "$OUT/vm4.times" | tee "$OUT/vm4.log"
	vrc=${PIPESTATUS[0]}
	say "4-CPU VM done; the slowest:$(slowest "$OUT/vm4.times" "$vstart")"
	collect "vm4." need < "$OUT/vm4.log" >> "$RESULTS"
	if [ "$vrc" = 0 ]; then
		record ok vm4.clean_run
	else
		record fail vm4.clean_run
	fi
}

# The boot-reservation run: CPU 1 reserved by ixdp.cpus=1 on the kernel
# command line, then released (ix_boot.sh); a skip here is not allowed.
check_vm_boot()
{
	say "VM booted with ixdp.cpus=1: CPU 1 reserved at boot, then released"
	$MAKE -s vm VM_NOBUILD=1 KERNEL=debug VM_APPEND="ixdp.cpus=1" \
		CMD="/ixdp/build/kselftest/run_kselftest.sh -t ix:ix_boot.sh" \
		2>&1 | tee "$OUT/vmboot.log"
	vrc=${PIPESTATUS[0]}
	collect "vmboot." need < "$OUT/vmboot.log" >> "$RESULTS"
	if [ "$vrc" = 0 ]; then
		record ok vmboot.clean_run
	else
		record fail vmboot.clean_run
	fi
}

# ix_app.sh had the host's Linux TCP drive the dataplane through the
# agent: its echo client ran there and exited 0.
check_host_side()
{
	if grep -q '^echo 0$' build/hostside/log 2>/dev/null; then
		record ok vm.host_side_echo
	else
		echo "host agent: $(cat build/hostside/log 2>/dev/null)" >> "$OUT/reasons"
		record fail vm.host_side_echo
	fi
}

# A skip is a skip only where scripts/ixdp/allowed-skips says why; any
# other skip means a test that must run here did not, and fails.
apply_allowed_skips()
{
	local allowed=$ROOT/scripts/ixdp/allowed-skips

	awk 'NR == FNR {
		if ($0 !~ /^#/ && NF >= 2)
			ok[$1] = 1
		next
	}
	$1 == "skip" && !($2 in ok) { print "fail", $2 ".skipped_not_allowed"; next }
	{ print }' "$allowed" "$RESULTS" > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
}

# count ok|fail|skip [PATTERN]: results of one kind, of names matching.
count()
{
	grep -c -E "^$1 ${2:-}" "$RESULTS"
}

# stamp FILE: stdin to stdout, and the kselftest runner's end-of-test
# lines to FILE with the time each came ("SECONDS ok N selftests: ix:
# NAME"), for slowest().
stamp()
{
	local l

	while IFS= read -r l || [ -n "$l" ]; do
		printf '%s\n' "$l"
		case $l in
		"ok "*"selftests: ix: "* | "not ok "*"selftests: ix: "*)
			printf '%s %s\n' "$(date +%s)" "$l" >> "$1" ;;
		esac
	done
}

# slowest FILE START: the five selftests of stamp's FILE that took the
# longest, each from the end of the one before (the first from START).
slowest()
{
	[ -f "$1" ] || return 0
	tr -d '\r' < "$1" | awk -v t="$2" '{
		d = $1 - t; t = $1; sub(/.*selftests: ix: /, "")
		print d, $1 }' | sort -rn | head -n 5 | awk '{ printf " %s %ss", $2, $1 }'
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
	[ -z "$selected" ] && check_qemu_insn
	say "VM inputs: initramfs and selftests, built once for every VM run"
	if $MAKE -s initramfs selftests > "$OUT/vm-inputs.log" 2>&1; then
		record ok build.vm_inputs
	else
		tail -n 40 "$OUT/vm-inputs.log"
		record fail build.vm_inputs
		krc=inputs
	fi
fi
if [ "$krc" = 0 ]; then
	# Without CHECK_TESTS: every selftest but those the 4-CPU and boot
	# runs have (here they would skip, or repeat what runs there).
	if [ -z "$selected" ]; then
		for t in $(sed -n 's/^ix://p' build/kselftest/kselftest-list.txt); do
			case " $VM4_TESTS ix_boot.sh " in
			*" $t "*) ;;
			*) vm2="${vm2:-} -t ix:$t" ;;
			esac
		done
	fi
	say "VM selftests (debug kernel)"
	vstart=$(date +%s)
	$MAKE -s vm VM_NOBUILD=1 KERNEL=debug \
		CMD="/ixdp/build/kselftest/run_kselftest.sh${selected:-${vm2:-}}" \
		VM_HOST_CMD="$ROOT/scripts/ixdp/host-agent.sh" \
		2>&1 | stamp "$OUT/vm.times" | tee "$OUT/vm.log"
	vrc=${PIPESTATUS[0]}
	collect "vm." need < "$OUT/vm.log" >> "$RESULTS"
	if [ "$vrc" = 0 ]; then
		record ok vm.clean_run
	else
		record fail vm.clean_run
	fi
	say "VM selftests done; the slowest:$(slowest "$OUT/vm.times" "$vstart")"
	if [ -z "$selected" ]; then
		check_host_side
		check_vm4
		check_vm_boot
	fi
elif [ "$krc" != inputs ]; then
	tail -n 40 "$OUT/kernel-debug.log"
	record fail kernel.debug_build
fi

apply_allowed_skips
# The FAIL lines and the last lines of each kselftest that failed.
why_failed()
{
	awk '/^# selftests: ix: / { name = $4; n = f = 0; fl = ""; next }
	     /^# / { l[n++ % 12] = $0; if (/FAIL/ && f++ < 8) fl = fl "\n    " $0 }
	     /^not ok [0-9]+ selftests: ix: / {
		printf "  why %s fails:%s\n    ...\n", name, fl
		for (i = (n > 12 ? n - 12 : 0); i < n; i++) print "    " l[i % 12]
	     }'
}

passed=$(count ok)
failed=$(count fail)
skipped=$(count skip)
say "done"
if [ "$failed" != 0 ]; then
	echo "failed:"
	sed -n 's/^fail /  /p' "$RESULTS"
	[ -f "$OUT/reasons" ] && cat "$OUT/reasons"
	# A failed kselftest's own words, where a CI log's tail shows them.
	for log in "$OUT"/vm.log "$OUT"/vm4.log "$OUT"/vmboot.log; do
		[ -f "$log" ] && why_failed < "$log"
	done
fi
[ "$skipped" != 0 ] && echo "skipped (scripts/ixdp/allowed-skips says why): $(sed -n 's/^skip //p' "$RESULTS" | tr '\n' ' ')"
# What ran the kernel, apart from what did not.
for part in "the kernel in the VM:vm(3|boot)?\\." "the host harness and fuzzers:host\\." \
	    "tools on the host (not ixdp):tools\\." "lint and builds:(lint|build|kernel)\\."; do
	p=${part#*:}
	echo "  ${part%%:*}: $(count ok "$p") passed, $(count fail "$p") failed, $(count skip "$p") skipped"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
