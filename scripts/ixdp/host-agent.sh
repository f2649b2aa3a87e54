#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host side of the VM runs: `make check`, `make run` and `make bench`
# start it as VM_HOST_CMD, in the run's host namespace, so that a guest
# can have a native host program (the host's own Linux TCP) drive the
# dataplane through the bridge.  The guest asks over the 9p share: it
# writes "PROGRAM ARGS..." into build/hostside/req; the agent runs the
# program with them and leaves its output in resp, its errors in err and
# its exit status in rc.  It counts what it served in served, logs each
# program it ran with its exit status in log ("echo 0"), and ends with
# the VM (IXDP_VM_PID, set by vm.sh).  Around each load run it leaves in
# cpu what the client and each QEMU thread spent (bench-cpu.sh delta);
# wrk runs too.
#
# Programs: echo (ix_echo_client), load (ix_load), wrk, wrkcheck (wrk
# with ix_http_check.lua, which checks every response's body), memcapable
# (Debian's memccapable), attack (ix_attack.py: hostile peers, forged on
# the bridge), ping, udp (ix_udp_rr), flood (ix_udp_rr -f: started in
# the background, the agent answers at once; its output goes to flood).
# Arguments are plain words, and every address in them must be in
# 198.18.0.0/15: nothing else runs.  wrk takes only the options
# wrk_ok() lists: no script of the guest's, since a Lua script is code
# the host would run.  The guest can still write the tree the host runs
# these from (vm.sh shares it read-write): the agent is a test harness
# for our own guest, not a boundary against a hostile one.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$ROOT/build/hostside
declare -A PROG=(
	[echo]=$ROOT/build/kselftest/ix/ix_echo_client
	[load]=$ROOT/build/bench/bin/ix_load
	[wrk]=wrk
	[wrkcheck]=wrk
	[memcapable]=memccapable
	[attack]=$ROOT/tools/testing/selftests/ix/ix_attack.py
	[ping]=ping
	[udp]=$ROOT/build/kselftest/ix/ix_udp_rr
	[flood]=$ROOT/build/kselftest/ix/ix_udp_rr
)

# allowed ARGS...: plain words; some address, and only 198.18.0.0/15 ones.
allowed()
{
	local a ok=1

	for a in "$@"; do
		[[ "$a" =~ ^[A-Za-z0-9._:/,=+%-]+$ ]] || return 1
	done
	for a in $(printf '%s\n' "$@" | grep -oE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+'); do
		[[ "$a" =~ ^198\.1[89]\. ]] || return 1
		ok=0
	done
	return $ok
}

# wrk_ok ARGS...: -t N, -c N, -d N, --timeout N (N: a number, s, m or h
# after it), --latency and one URL of 198.18.0.0/15, nothing else: no
# script in any spelling (-s, -Ls..., --script), no header.
wrk_ok()
{
	local urls=0

	while [ $# -gt 0 ]; do
		case $1 in
		-t|-c|-d|--timeout)
			[[ ${2:-} =~ ^[0-9]+[smh]?$ ]] || return 1
			shift 2;;
		--latency)
			shift;;
		*)
			[[ $1 =~ ^http://198\.1[89]\.[0-9]+\.[0-9]+:[0-9]+/[A-Za-z0-9._/-]*$ ]] ||
				return 1
			urls=$((urls + 1))
			shift;;
		esac
	done
	[ $urls = 1 ]
}

# vm_qemu: the QEMU process under this run's vm.sh, not another's.
vm_qemu()
{
	local p q

	for p in $(pgrep qemu-system); do
		q=$p
		while [ "${q:-1}" -gt 1 ]; do
			[ "$q" = "${IXDP_VM_PID:-}" ] && echo "$p" && return
			q=$(sed 's/.*) //' "/proc/$q/stat" 2>/dev/null | cut -d' ' -f2)
		done
	done
}

# run PROG ARGS...: the program, with cpu written around a load or wrk
# run.
run()
{
	local cpu=$ROOT/scripts/ixdp/bench-cpu.sh rc

	rm -f "$DIR/cpu"
	[[ "${args[0]}" =~ ^(load|wrk|wrkcheck)$ ]] && [ -n "$qemu" ] &&
		"$cpu" host $$ "$qemu" > "$DIR/cpu.a"
	timeout 900 "$@" > "$DIR/resp" 2> "$DIR/err"
	rc=$?
	if [ -f "$DIR/cpu.a" ]; then
		"$cpu" host $$ "$qemu" > "$DIR/cpu.b"
		"$cpu" delta "$DIR/cpu.a" "$DIR/cpu.b" > "$DIR/cpu"
		rm -f "$DIR/cpu.a" "$DIR/cpu.b"
	fi
	return $rc
}

# settle: wait, 3 s at most, until no socket of this namespace toward the
# guest's addresses is in a state that sends on its own (a FIN not yet
# acknowledged, a SYN unanswered), so that a test's connections cannot
# reach the dataplane the next test attaches; those left are logged.
settle()
{
	local i n

	for i in $(seq 30); do
		n=$(ss -Htn state fin-wait-1 state closing state last-ack \
			state syn-sent dst 198.18.0.0/15 2> /dev/null | wc -l)
		[ "$n" = 0 ] && return
		sleep 0.1
	done
	echo "lingering $n" >> "$DIR/log"
}

rm -rf "$DIR"
mkdir -p "$DIR"
echo 0 > "$DIR/served"
# The marker the guest looks for holds this agent's pid.  An agent of an
# earlier run that ends late removes only its own, and this one puts its
# own back if it went.
echo $$ > "$DIR/agent"
trap '[ "$(cat "$DIR/agent" 2>/dev/null)" != $$ ] || rm -f "$DIR/agent"' EXIT
qemu=$(vm_qemu)
while kill -0 "${IXDP_VM_PID:-$PPID}" 2>/dev/null; do
	[ -e "$DIR/agent" ] || echo $$ > "$DIR/agent"
	if [ ! -e "$DIR/req" ]; then
		sleep 0.2
		continue
	fi
	read -r -a args < "$DIR/req"
	rm -f "$DIR/req"
	prog=${PROG[${args[0]:-none}]:-}
	script=()
	[ "${args[0]}" = wrkcheck ] &&
		script=(-s "$ROOT/tools/testing/selftests/ix/ix_http_check.lua")
	if [ -z "$prog" ] || ! allowed "${args[@]:1}" ||
	   { [ "$prog" = wrk ] && ! wrk_ok "${args[@]:1}"; }; then
		: > "$DIR/resp"
		echo "refused: ${args[*]}" > "$DIR/err"
		echo 2 > "$DIR/rc.tmp"
	elif [ "${args[0]}" = flood ]; then
		timeout 70 "$prog" -f "${args[@]:1}" > "$DIR/flood" 2>&1 &
		: > "$DIR/resp"
		: > "$DIR/err"
		echo 0 > "$DIR/rc.tmp"
		echo "flood 0" >> "$DIR/log"
	else
		run "$prog" "${script[@]}" "${args[@]:1}"
		rc=$?
		settle
		echo $rc > "$DIR/rc.tmp"
		echo "${args[0]} $rc" >> "$DIR/log"
		echo $(($(cat "$DIR/served") + 1)) > "$DIR/served"
	fi
	mv "$DIR/rc.tmp" "$DIR/rc"
done
