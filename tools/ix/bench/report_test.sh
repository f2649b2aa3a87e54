#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of scripts/ixdp/bench-report.sh: a synthetic raw directory
# with known numbers over five rounds, then the medians, ranges and
# per-round ratios checked in results.md and results.json, and the CPU
# time per request from bench-cpu.sh deltas; bench-cpu.sh's own
# snapshots and deltas too.  The numbers
# are chosen so that a ratio of medians differs from the median of the
# paired ratios, and so that failed runs and missing rounds must be left
# out of the pairs.  TAP-style lines; no root needed.

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)
REPORT=$ROOT/scripts/ixdp/bench-report.sh
CPU=$ROOT/scripts/ixdp/bench-cpu.sh
TMP=$(mktemp -d)
RAW=$TMP/raw
n=0
failed=0
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# point FILE RPS P50 P99 [ERRORS]: an ix_load result as bench-guest.sh
# stores it.
point()
{
	cat > "$RAW/$1.json" <<-JSON
	{
	  "throughput_rps": $2.0,
	  "latency_us": { "p50": $3, "p99": $4 },
	  "errors": { "total": ${5:-0} }
	}
	JSON
}

# completed FILE N: the point FILE's client completed N requests.
completed()
{
	sed -i "2i\\  \"completed\": $2," "$RAW/$1.json"
}

# series NAME RPS... : one point per round, rounds 1, 2, ...
series()
{
	local name=$1 r=0 v

	shift
	for v in "$@"; do
		r=$((r + 1))
		point "$name.r$r" "$v" 10 20
	done
}

# wrk_out FILE RPS [LINE]: a 10 s wrk run's output.
wrk_out()
{
	printf 'Running 10s test\n  %s requests in 10.00s, 1.00MB read\n%s' \
		"$(($2 * 10))" "${3:-}" > "$RAW/$1.txt"
	printf 'Requests/sec: %s.00\n' "$2" >> "$RAW/$1.txt"
}

# has FILE TEXT: the literal line fragment is in FILE.
has()
{
	grep -q -F -- "$2" "$TMP/$1"
	result $? "$1 has: $2"
}

mkdir -p "$RAW"
printf 'QUICK=0\nSLA_US=1000\nREPEATS=5\n' > "$TMP/params"

# Echo: c16 is every server's peak.  Paired ratios 2, 2.2, 2, 2, 3
# (median 2.00) where the medians give 1100 / 500 = 2.20.
series echo-ixdp-poll-c16 1000 1100 900 1300 1200
series echo-ixdp-poll-c1 10 10 10 10 10
series echo-epoll-busy-c16 500 500 450 650 400
# uring-napi lacks round 5: four pairs, all 4.
series echo-uring-napi-c16 250 275 225 325
# Two rounds: an even count, the median between them.
series echo-ixdp-sleep-c16 100 300
# epoll's round 3 saw errors: it is no figure and no pair.
series echo-epoll-c16 50 100 10 100 100
point echo-epoll-c16.r3 999 10 20 7
# RTT p50 at 1 connection: 10..50 against twice as much.
for r in 1 2 3 4 5; do
	point "echo-ixdp-poll-c1.r$r" 10 $((r * 10)) 90
	point "echo-epoll-busy-c1.r$r" 10 $((r * 20)) 90
done
# Key-value: ix_kv-poll meets the SLA at 1000/s, kv_sock-busy never.
for r in 1 2; do
	point "kv-ix_kv-poll-usr-r1000.r$r" 1000 50 100
	point "kv-ix_kv-poll-usr-r2000.r$r" 2000 50 5000
	point "kv-kv_sock-busy-usr-r1000.r$r" 990 50 2000
done
# HTTP: 3x nginx-busy, whose round 5 had socket errors.
for r in 1 2 3 4 5; do
	wrk_out "http-ix_http-poll.r$r" 3000
	wrk_out "http-nginx-busy.r$r" 1000
done
wrk_out http-nginx-busy.r5 5000 "Socket errors: connect 1"
# Their guest instructions: ix_http-poll 3,000 a request, nginx-busy
# 20,000; nginx-busy's round 5 had errors and counts for nothing.
for r in 1 2 3 4 5; do
	echo "insn:total 30000000 60000000" > "$RAW/http-ix_http-poll.r$r.hostcpu"
	echo "insn:total 0 200000000" > "$RAW/http-nginx-busy.r$r.hostcpu"
	echo "ctxt 60000" > "$RAW/http-nginx-busy.r$r.guestcpu"
done

# CPU: the same deltas every round, so per request they scale as
# 1 / rate: 1e5 / rate microseconds of guest CPU 1, and so on.
for r in 1 2 3 4 5; do
	printf '%s\n' "uptime 10.00" "cpu0 9 9 9 9 9 9 9 9" \
		"cpu1 50 0 30 20 0 0 20 0" "softirq:NET_RX 1000 9000" \
		> "$RAW/echo-ixdp-poll-c16.r$r.guestcpu"
	printf '%s\n' "uptime 10" "client 40 60" "qemu:7:CPU_1_TCG 300 100" \
		"qemu:8:IO_mon_iothread 50 50" > "$RAW/echo-ixdp-poll-c16.r$r.hostcpu"
done

# Guest instructions (the QEMU plugin's counts in the host delta), per
# request the client completed.  ixdp-poll 2000 a request (3000 in round
# 3), epoll-busy 8000..10000: paired ratios 0.25 0.20 0.33 0.20 0.25,
# median 0.25, where the medians give 2000 / 9000 = 0.22.
i=0
for e in 8 10 9 10 8; do
	i=$((i + 1))
	point "echo-ixdp-poll-c256.r$i" 10 10 20
	point "echo-epoll-busy-c256.r$i" 10 10 20
	completed "echo-ixdp-poll-c256.r$i" 10000
	completed "echo-epoll-busy-c256.r$i" 1000
	u=4000000 k=16000000
	[ $i = 3 ] && u=6000000 k=24000000
	printf '%s\n' "insn:vcpu0 0 5000000" "insn:vcpu1 1000000 14000000" \
		"insn:total $u $k" > "$RAW/echo-ixdp-poll-c256.r$i.hostcpu"
	printf '%s\n' "intr 5000" "ctxt 20000" "irq:eth0 3000" "kick:eth0 4000" \
		> "$RAW/echo-ixdp-poll-c256.r$i.guestcpu"
	echo "insn:total 0 ${e}000000" > "$RAW/echo-epoll-busy-c256.r$i.hostcpu"
done

# The shared NIC: the echo rate 0.91..0.95 of quiet's under the flood,
# 5% more server instructions a request; the flood sent 10,000/s.
for r in 1 2 3 4 5; do
	point "share-quiet.r$r" 1000 10 20
	point "share-flood10000.r$r" $((900 + 10 * r)) 10 20
	completed "share-quiet.r$r" 10000
	completed "share-flood10000.r$r" 10000
	echo "insn:vcpu1 0 20000000" > "$RAW/share-quiet.r$r.hostcpu"
	printf '%s\n' "insn:vcpu0 3000000 7000000" "insn:vcpu1 0 21000000" \
		> "$RAW/share-flood10000.r$r.hostcpu"
	echo "150000 datagrams sent in 15 s" > "$RAW/share-flood10000.r$r.flood"
done

# Connections: 50,000 in two rounds, 1,500 guest instructions a request
# on the server's vCPU and 2,000 on all of them.
# Their first 10 s at 50 and 70 a second (then 100; 12 s in all).
for r in 1 2; do
	point "conns-ixdp-poll-c50000.r$r" 100 10 20
	completed "conns-ixdp-poll-c50000.r$r" 10000
	v=$((30 + 20 * r))
	sed -i "2i\\  \"per_second\": [$v, $v, $v, $v, $v, $v, $v, $v, $v, $v, 100, 100]," \
		"$RAW/conns-ixdp-poll-c50000.r$r.json"
	printf '%s\n' "insn:vcpu1 0 15000000" "insn:total 5000000 15000000" \
		> "$RAW/conns-ixdp-poll-c50000.r$r.hostcpu"
done

"$REPORT" "$TMP" > "$TMP/out" 2>&1
result $? "bench-report.sh exits 0"
has results.md "| ixdp-poll | 10 [10, 10] | 1100 [900, 1300] |"
has results.md "| ixdp-sleep | - | 200 [100, 300] |"
has results.md "| epoll | - | 100 [50, 100] |"
has results.md "| echo peak | ixdp-poll vs epoll-busy | 2.00 [2.00, 3.00] | 5 | >= 3 |"
has results.md "| echo peak | ixdp-poll vs uring-napi | 4.00 [4.00, 4.00] | 4 | >= 2 |"
has results.md "| echo peak | ixdp-sleep vs epoll | 2.50 [2.00, 3.00] | 2 | >= 3 |"
has results.md "| ixdp-poll vs epoll-busy | 0.50 [0.50, 0.50] | 5 | <= 0.5 |"
sla="| kv usr at the SLA | ix_kv-poll vs kv_sock-busy |"
has results.md "$sla only ix_kv-poll has it: 1000 [1000, 1000] | 0 |"
has results.md "| HTTP | ix_http-poll vs nginx-busy | 3.00 [3.00, 3.00] | 4 | >= 2 |"
has results.md "| http_sock-busy | - |"
has results.json \
	'"echo-ixdp-poll-c16 throughput": {"median": 1100, "min": 900, "max": 1300, "n": 5}'
has results.json '"echo-epoll-c16 throughput": {"median": 100, "min": 50, "max": 100, "n": 4}'
has results.json '"echo peak: ixdp-poll vs epoll-busy": {"median": 2, "min": 2, "max": 3, "n": 5}'
has results.json '"echo peak: ixdp-poll vs uring-napi": {"median": 4, "min": 4, "max": 4, "n": 4}'
has results.md "| ixdp-poll | c16 | 90.91 [76.92, 111.11] | 18.18 [15.38, 22.22] |"
has results.md "| 1500 [1500, 1500] | 2000 [2000, 2000] |"
has results.md "| 50000 | 100 [100, 100] | 60 [50, 70] |"
has results.md "| 50,000 connections vs peak echo, their first 10 s | ixdp-poll vs ixdp-poll | 0.06 [0.05, 0.06] | 2 | - |"
has results.md "| 0.909 [0.769, 1.111] | 454.55 [384.62, 555.56] | 90.91 [76.92, 111.11] |"
has results.md "| guest instructions per echo request, 256 conns (lower is better) | ixdp-poll vs epoll-busy | 0.25 [0.20, 0.33] | 5 | <= 1/3 |"
has results.md "| ixdp-poll | c256 | 2000 [2000, 3000] | 400 [400, 600] | 1600 [1600, 2400] | 1500 [1500, 1500] | 0.50 [0.50, 0.50] | 0.30 [0.30, 0.30] | 0.40 [0.40, 0.40] | 2.00 [2.00, 2.00] |"
has results.md "| epoll-busy | c256 | 9000 [8000, 10000] | 0 [0, 0] | 9000 [8000, 10000] | - | - | - | - | - |"
has results.md "| ix_http-poll | wrk c16 | 3000 [3000, 3000] | 1000 [1000, 1000] | 2000 [2000, 2000] | - | - | - | - | - |"
has results.md "| nginx-busy | wrk c16 | 20000 [20000, 20000] | 0 [0, 0] | 20000 [20000, 20000] | - | - | - | - | 6.00 [6.00, 6.00] |"
has results.md "| echo, Linux's address flooded (issue 19) | flood10000 vs quiet | 0.93 [0.91, 0.95] | 5 | >= 0.9 |"
has results.md "| server vCPU instructions per echo request, Linux's address flooded | flood10000 vs quiet | 1.05 [1.05, 1.05] | 5 | - |"
has results.md "| flood10000 | 10000 [10000, 10000] | 930 [910, 950] | 2100 [2100, 2100] | 1000 [1000, 1000] |"

# bench-cpu.sh: a delta of two snapshots, key by key; and a snapshot of
# this machine has the keys the report reads.
printf '%s\n' "uptime 100.5" "cpu1 1 2 3 4 5 6 7 8" "qemu:9:a 10 10" \
	"gone 1" > "$TMP/a"
printf '%s\n' "uptime 110.75" "cpu1 2 4 6 8 10 12 14 16" "qemu:9:a 15 30" \
	"new 5" > "$TMP/b"
"$CPU" delta "$TMP/a" "$TMP/b" > "$TMP/d"
printf '%s\n' "uptime 10.25" "cpu1 1 2 3 4 5 6 7 8" "qemu:9:a 5 20" |
	cmp -s - "$TMP/d"
result $? "bench-cpu.sh delta: B - A for the keys in both"
"$CPU" guest > "$TMP/g"
grep -q '^uptime [0-9.]*$' "$TMP/g" && grep -q '^cpu0 [0-9 ]*$' "$TMP/g" &&
	grep -q '^softirq:NET_RX [0-9 ]*$' "$TMP/g"
result $? "bench-cpu.sh guest: uptime, cpuN and softirq:NET_RX"
grep -q '^intr [0-9]*$' "$TMP/g" && grep -q '^ctxt [0-9]*$' "$TMP/g" &&
	grep -q '^kick:eth0 [0-9]*$' "$TMP/g"
result $? "bench-cpu.sh guest: interrupts, context switches, kicks"
printf '#!/bin/sh\n[ "$2" = read ] && printf "vcpu 0 user 1 kernel 2\\ntotal user 1 kernel 2\\n"\n' \
	> "$TMP/ixinsn"
chmod +x "$TMP/ixinsn"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/s"
IXDP_INSN=$TMP/ixinsn IXDP_INSN_SOCK=$TMP/s "$CPU" host $$ $$ > "$TMP/h"
grep -q '^insn:vcpu0 1 2$' "$TMP/h" && grep -q '^insn:total 1 2$' "$TMP/h"
result $? "bench-cpu.sh host: the plugin's counts, per vCPU and in all"
"$CPU" host $$ $$ > "$TMP/h"
comm=$(tr -c 'A-Za-z0-9\n' _ < /proc/$$/comm)
grep -q '^client [0-9]* [0-9]*$' "$TMP/h" &&
	grep -q "^qemu:$$:$comm [0-9]* [0-9]*$" "$TMP/h"
result $? "bench-cpu.sh host: client and every thread of the process"

if command -v jq > /dev/null; then
	jq -e '.ratios["HTTP: ix_http-poll vs nginx-busy"].n == 4 and
	       .points["echo-epoll-c16.r3"].errors.total == 7' \
		"$TMP/results.json" > /dev/null
	result $? "results.json parses, with ratios and every raw point"
fi
[ "$failed" = 0 ] || sed 's/^/# /' "$TMP/out"
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
