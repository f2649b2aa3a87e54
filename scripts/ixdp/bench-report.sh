#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-report.sh DIR: the tables of `make bench`.  Reads what
# bench-guest.sh left in DIR/raw (ix_load JSON, wrk text, the callgrind
# lines; every point run REPEATS times, NAME.rROUND.json) and writes
# DIR/results.md, DIR/results.json and DIR/*.png, then prints them.
# Every figure is the median over the repeats with its range [min, max];
# every ratio is taken per round (ixdp's run against the contender's run
# of the same round) and summarised the same way (bench-stats.sh).  The
# summary pairs like with like: polling ixdp against busy-polling Linux,
# sleeping ixdp against sleeping Linux.  The CPU time each point cost,
# guest and host, comes from bench-cpu.sh deltas beside the points.  A
# point that did not run shows as "-".

set -u

B=$1
RAW=$B/raw
SLA_US=1000
QUICK=0
REPEATS=5
GUEST_CPU=1		# the vCPU every server runs on
# shellcheck source=/dev/null
[ -f "$B/params" ] && . "$B/params"
# shellcheck source=scripts/ixdp/bench-stats.sh
. "$(dirname "$0")/bench-stats.sh"

# The contenders, each name saying its mode: ixdp polling its queues
# (IX_POLL) or sleeping on their interrupt; Linux as configured by
# default or busy-polling (SO_BUSY_POLL, net.core.busy_poll/busy_read,
# io_uring NAPI).
ECHO="ixdp-poll ixdp-sleep epoll epoll-busy uring uring-napi"
KV="ix_kv-poll ix_kv-sleep kv_sock kv_sock-busy memcached memcached-busy"
HTTP="ix_http-poll ix_http-sleep http_sock http_sock-busy nginx nginx-busy"
CONNS="100 1000 10000 50000"

# num FILE KEY: the first number after "KEY": in FILE, or empty.
num()
{
	[ -f "$1" ] || return 0
	grep -o "\"$2\": *[0-9.eE+-]*" "$1" | head -n 1 | sed 's/.*: *//'
}

# ok FILE: a run whose client saw no error at all.
ok()
{
	[ -f "$1" ] && [ "$(num "$1" total)" = 0 ] && [ -n "$(num "$1" throughput_rps)" ]
}

tput() { ok "$1" && printf '%.0f' "$(num "$1" throughput_rps)"; }
p50() { ok "$1" && printf '%.0f' "$(num "$1" p50)"; }
p99() { ok "$1" && printf '%.0f' "$(num "$1" p99)"; }
max() { printf '%s\n' "$@" | grep . | sort -g | tail -n 1; }

# The value of one point in one round: FUNC ... ROUND.
echo_t() { tput "$RAW/echo-$1-c$2.r$3.json"; }
echo_p50() { p50 "$RAW/echo-$1-c1.r$2.json"; }
echo_p99() { p99 "$RAW/echo-$1-c1.r$2.json"; }
echo_peak() { max "$(echo_t "$1" 1 "$2")" "$(echo_t "$1" 16 "$2")" "$(echo_t "$1" 256 "$2")"; }
kv_peak() { tput "$RAW/kv-$1-$2-peak.r$3.json"; }
# The path's ceiling, frames a second each way: ping's round trips, and
# the inbound flood's frames over its seconds.
ceil_rr()
{
	sed -n 's/.* \([0-9]*\) received.* time \([0-9]*\)ms.*/\1 \2/p' \
		"$RAW/ceiling-rr.r$1.txt" 2>/dev/null |
		awk '$2 > 0 { printf "%.0f", $1 * 1000 / $2 }'
}
ceil_in() { awk '$2 > 0 { printf "%.0f", $1 / $2 }' "$RAW/ceiling-in.r$1.txt" 2>/dev/null; }
conns_t() { tput "$RAW/conns-ixdp-poll-c$1.r$2.json"; }
conns_up() { num "$RAW/conns-ixdp-poll-c$1.r$2.json" conns_up; }
conns_err() { num "$RAW/conns-ixdp-poll-c$1.r$2.json" total; }
# The start of a point: answers a second over its first 10 seconds
# (ix_load's per_second, warm-up included), for a run without errors.
conns_start()
{
	local f=$RAW/conns-ixdp-poll-c$1.r$2.json

	ok "$f" || return 0
	sed -n 's/.*"per_second": \[\(.*\)\].*/\1/p' "$f" | tr -d ' ' |
		awk -F, 'NF >= 10 { for (i = 1; i <= 10; i++) s += $i
				    printf "%.0f", s / 10 }'
}

# kv_sla SERVER WL ROUND: the best throughput of an open-loop point of
# the round whose p99 met the SLA.
kv_sla()
{
	local f best=""

	for f in "$RAW"/kv-"$1"-"$2"-r*.r"$3".json; do
		ok "$f" || continue
		awk -v p="$(num "$f" p99)" -v s="$SLA_US" 'BEGIN { exit !(p <= s) }' ||
			continue
		best=$(max "$best" "$(tput "$f")")
	done
	echo "$best"
}

# kv_low SERVER WL ROUND: p99 at the lowest offered rate of the round.
kv_low()
{
	local f

	f=$(ls "$RAW"/kv-"$1"-"$2"-r*.r"$3".json 2>/dev/null |
	    sed 's/.*-r\([0-9]*\)\.r[0-9]*\.json/\1 &/' | sort -n | head -n 1 |
	    cut -d' ' -f2)
	[ -n "$f" ] && p99 "$f"
}

# per_req FILE RPS WHAT: from a bench-cpu.sh delta, per request at RPS:
# guest (microseconds the server's CPU was not idle), softirq (of which
# in softirqs), netrx (NET_RX softirqs, all CPUs), qemu (microseconds of
# all QEMU's host threads), client (microseconds of the load generator).
# Ticks are USER_HZ, 100 a second.
per_req()
{
	[ -f "$1" ] && [ -n "$2" ] || return 0
	awk -v rps="$2" -v what="$3" -v cpu="cpu$GUEST_CPU" '
		$1 == "uptime" { wall = $2 }
		$1 == cpu { guest = $2 + $3 + $4 + $7 + $8 + $9; softirq = $8 }
		$1 == "softirq:NET_RX" { for (i = 2; i <= NF; i++) netrx += $i }
		$1 ~ /^qemu:/ { qemu += $2 + $3 }
		$1 == "client" { client = $2 + $3 }
		END {
			if (wall <= 0 || rps <= 0)
				exit
			v = what == "guest" ? guest : what == "softirq" ? softirq : \
			    what == "qemu" ? qemu : client
			if (what == "netrx")
				printf "%.3f\n", netrx / wall / rps
			else
				printf "%.2f\n", 1e4 * v / wall / rps
		}' "$1"
}

# cpu_at BASE WHAT KIND ROUND: per_req for the point BASE of the round.
cpu_at()
{
	per_req "$RAW/$1.r$4.$3" "$(tput "$RAW/$1.r$4.json")" "$2"
}

# The shared NIC: TRAFFIC is quiet, flood10000 or flood0 (unpaced).
share_t() { tput "$RAW/share-$1.r$2.json"; }
share_sent()
{
	awk '/datagrams sent in/ && $5 > 0 { printf "%.0f", $1 / $5 }' \
		"$RAW/share-$1.r$2.flood" 2>/dev/null
}

# per_count FILE COMPLETED WHAT: from a bench-cpu.sh delta, per request
# the client completed (warm-up included, as in the delta): insn (guest
# instructions on every vCPU, user and kernel, from the QEMU plugin),
# user, kernel, server (the server's vCPU alone), vcpu0 (the other
# one, where Linux handles the NIC's interrupts), intr (interrupts),
# irq (eth0's virtio interrupts), kick (notifications to eth0's device),
# ctxt (context switches).
per_count()
{
	[ -f "$1" ] && [ -n "$2" ] || return 0
	awk -v n="$2" -v what="$3" -v vcpu="insn:vcpu$GUEST_CPU" '
		$1 == "insn:total" { v["insn"] = $2 + $3; v["user"] = $2; v["kernel"] = $3 }
		$1 == vcpu { v["server"] = $2 + $3 }
		$1 == "insn:vcpu0" { v["vcpu0"] = $2 + $3 }
		$1 == "intr" || $1 == "ctxt" { v[$1] = $2 }
		$1 == "irq:eth0" { v["irq"] = $2 }
		$1 == "kick:eth0" { v["kick"] = $2 }
		END {
			if (n <= 0 || !(what in v))
				exit
			if (what ~ /^(intr|ctxt|irq|kick)$/)
				printf "%.2f\n", v[what] / n
			else
				printf "%.0f\n", v[what] / n
		}' "$1"
}

# wrk_requests FILE: the requests a wrk run completed, nothing after errors.
wrk_requests()
{
	[ -f "$1" ] || return 0
	grep -q -E "Socket errors|Non-2xx" "$1" && return 0
	awk '$2 == "requests" && $3 == "in" { print $1 }' "$1"
}

# count_at BASE WHAT KIND ROUND: per_count for the point BASE of the
# round, an ix_load point (.json) or a wrk one (.txt).
count_at()
{
	local f=$RAW/$1.r$4 n=

	if [ -f "$f.txt" ]; then
		n=$(wrk_requests "$f.txt")
	elif ok "$f.json"; then
		n=$(num "$f.json" completed)
	fi
	per_count "$f.$3" "$n" "$2"
}

http_rps()
{
	local f=$RAW/http-$1.r$2.txt

	[ -f "$f" ] || return 0
	grep -q -E "Socket errors|Non-2xx" "$f" && return 0
	sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$f" | cut -d. -f1
}

# stat_cell NAME SERIES [DIGITS]: a table cell; its figures also go to
# results.json under NAME.
stat_cell()
{
	printf '%s\n' "$2" | stats | json_stats "$1" >> "$B/stats.tmp"
	cell "$2" "${3:-0}"
}

# ratio_row WHAT PAIRING A B TARGET: a summary line from the series A
# and B, paired by round.
ratio_row()
{
	local what=$1 pairing=$2 a=$3 b=$4 target=$5 r n v

	r=$(ratios "$a" "$b")
	n=$(printf '%s\n' "$r" | grep -c .)
	printf '%s\n' "$r" | stats | json_stats "$what: $pairing" >> "$B/ratios.tmp"
	v=$(cell "$r" 2)
	if [ "$n" = 0 ] && [ -n "$a" ] && [ -z "$b" ]; then
		v="only ${pairing%% vs *} has it: $(cell "$a")"
	fi
	echo "| $what | $pairing | $v | $n | $target |"
}

echo_table()
{
	local s c

	echo "| server | 1 conn | 16 conns | 256 conns | RTT p50, 1 conn | RTT p99, 1 conn |"
	echo "|---|---|---|---|---|---|"
	for s in $ECHO; do
		printf '| %s |' "$s"
		for c in 1 16 256; do
			printf ' %s |' "$(stat_cell "echo-$s-c$c throughput" \
				"$(per_round echo_t "$s" "$c")")"
		done
		printf ' %s |' "$(stat_cell "echo-$s-c1 p50" "$(per_round echo_p50 "$s")")"
		printf ' %s |\n' "$(stat_cell "echo-$s-c1 p99" "$(per_round echo_p99 "$s")")"
	done
}

kv_table()
{
	local s wl

	echo "| server | workload | peak | at p99 <= ${SLA_US} us | p99 at the lowest load |"
	echo "|---|---|---|---|---|"
	for wl in usr etc; do
		for s in $KV; do
			echo "| $s | $wl |" \
			     "$(stat_cell "kv-$s-$wl peak" "$(per_round kv_peak "$s" $wl)") |" \
			     "$(stat_cell "kv-$s-$wl sla" "$(per_round kv_sla "$s" $wl)") |" \
			     "$(stat_cell "kv-$s-$wl p99 low" "$(per_round kv_low "$s" $wl)") |"
		done
	done
}

http_table()
{
	local s

	echo "| server | requests/s |"
	echo "|---|---|"
	for s in $HTTP; do
		echo "| $s | $(stat_cell "http-$s" "$(per_round http_rps "$s")") |"
	done
}

# cpu_cell BASE WHAT KIND DIGITS: the per-request figure over the rounds.
cpu_cell()
{
	stat_cell "$1 $2" "$(per_round cpu_at "$1" "$2" "$3")" "$4"
}

# cpu_table: where the CPU went at one point of every contender.
cpu_table()
{
	local s b

	echo "| server | point | guest CPU $GUEST_CPU, us/req | of it softirq |" \
	     "NET_RX/req | QEMU on the host, us/req | client, us/req |"
	echo "|---|---|---|---|---|---|---|"
	for s in $ECHO $KV; do
		case $s in
		*kv*|memcached*) b=kv-$s-usr-peak ;;
		*) b=echo-$s-c16 ;;
		esac
		echo "| $s | ${b#*-"$s"-} | $(cpu_cell "$b" guest guestcpu 2) |" \
		     "$(cpu_cell "$b" softirq guestcpu 2) |" \
		     "$(cpu_cell "$b" netrx guestcpu 3) |" \
		     "$(cpu_cell "$b" qemu hostcpu 2) |" \
		     "$(cpu_cell "$b" client hostcpu 2) |"
	done
}

# insn_cell BASE WHAT DIGITS: a per-request count over the rounds.
insn_cell()
{
	local kind=hostcpu

	case $2 in intr|ctxt|irq|kick) kind=guestcpu ;; esac
	stat_cell "$1 $2/req" "$(per_round count_at "$1" "$2" $kind)" "$3"
}

# insn_row SERVER BASE [POINT]: one row of insn_table.
insn_row()
{
	local b=$2

	echo "| $1 | ${3:-${b#*-"$1"-}} | $(insn_cell "$b" insn 0) |" \
	     "$(insn_cell "$b" user 0) | $(insn_cell "$b" kernel 0) |" \
	     "$(insn_cell "$b" server 0) | $(insn_cell "$b" intr 2) |" \
	     "$(insn_cell "$b" irq 2) | $(insn_cell "$b" kick 2) |" \
	     "$(insn_cell "$b" ctxt 2) |"
}

# insn_table: what one request cost in guest instructions and events.
insn_table()
{
	local s

	echo "| server | point | instructions/req, all vCPUs | user | kernel |" \
	     "server vCPU | interrupts/req | eth0 IRQs/req | eth0 kicks/req |" \
	     "context switches/req |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for s in $ECHO; do
		insn_row "$s" "echo-$s-c1"
		insn_row "$s" "echo-$s-c16"
		insn_row "$s" "echo-$s-c256"
	done
	for s in $KV; do
		insn_row "$s" "kv-$s-usr-peak"
	done
	for s in $HTTP; do
		insn_row "$s" "http-$s" "wrk c16"
	done
}

share_table()
{
	local t

	echo "| traffic at Linux's address | flood frames sent/s | echo requests/s |" \
	     "server vCPU instructions/req | vCPU 0 instructions/req |"
	echo "|---|---|---|---|---|"
	for t in quiet flood10000 flood0; do
		echo "| $t | $(stat_cell "share-$t sent" "$(per_round share_sent $t)") |" \
		     "$(stat_cell "share-$t throughput" "$(per_round share_t $t)") |" \
		     "$(insn_cell "share-$t" server 0) | $(insn_cell "share-$t" vcpu0 0) |"
	done
}

conns_table()
{
	local c

	echo "| connections | requests/s, steady | requests/s, first 10 s |" \
	     "connected (min) | errors (max) |" \
	     "server vCPU instructions/req | all vCPUs instructions/req |"
	echo "|---|---|---|---|---|---|---|"
	for c in $CONNS; do
		ls "$RAW"/conns-ixdp-poll-c"$c".r*.json > /dev/null 2>&1 || continue
		echo "| $c | $(stat_cell "conns-c$c throughput" "$(per_round conns_t "$c")") |" \
		     "$(stat_cell "conns-c$c first 10 s" "$(per_round conns_start "$c")") |" \
		     "$(per_round conns_up "$c" | stats | cut -d' ' -f2) |" \
		     "$(per_round conns_err "$c" | stats | cut -d' ' -f3) |" \
		     "$(insn_cell "conns-ixdp-poll-c$c" server 0) |" \
		     "$(insn_cell "conns-ixdp-poll-c$c" insn 0) |"
	done
}

# The summary: each ratio from paired rounds, like against like.
summary()
{
	local a s wl t

	echo "| what | pairing | ratio, median [min, max] | pairs | target |"
	echo "|---|---|---|---|---|"
	for a in ixdp-poll:epoll-busy:1/3 ixdp-poll:uring-napi:1/2 \
		 ixdp-sleep:epoll:1/3 ixdp-sleep:uring:1/2; do
		IFS=: read -r a s t <<< "$a"
		ratio_row "guest instructions per echo request, 256 conns (lower is better)" \
			"$a vs $s" "$(per_round count_at "echo-$a-c256" insn hostcpu)" \
			"$(per_round count_at "echo-$s-c256" insn hostcpu)" "<= $t"
	done
	for a in ixdp-poll:epoll-busy:3 ixdp-poll:uring-napi:2 \
		 ixdp-sleep:epoll:3 ixdp-sleep:uring:2; do
		IFS=: read -r a s t <<< "$a"
		ratio_row "echo peak" "$a vs $s" "$(per_round echo_peak "$a")" \
			"$(per_round echo_peak "$s")" ">= $t"
	done
	ratio_row "echo RTT p50 (lower is better)" "ixdp-poll vs epoll-busy" \
		"$(per_round echo_p50 ixdp-poll)" "$(per_round echo_p50 epoll-busy)" "<= 0.5"
	ratio_row "echo RTT p50 (lower is better)" "ixdp-sleep vs epoll" \
		"$(per_round echo_p50 ixdp-sleep)" "$(per_round echo_p50 epoll)" "<= 0.5"
	for wl in usr etc; do
		for a in ix_kv-poll:kv_sock-busy ix_kv-poll:memcached-busy \
			 ix_kv-sleep:kv_sock ix_kv-sleep:memcached; do
			IFS=: read -r a s <<< "$a"
			ratio_row "kv $wl at the SLA" "$a vs $s" \
				"$(per_round kv_sla "$a" $wl)" \
				"$(per_round kv_sla "$s" $wl)" ">= 3"
			ratio_row "kv $wl p99 at low load (lower is better)" \
				"$a vs $s" "$(per_round kv_low "$a" $wl)" \
				"$(per_round kv_low "$s" $wl)" "<= 0.5"
		done
	done
	for a in ix_http-poll:http_sock-busy ix_http-poll:nginx-busy \
		 ix_http-sleep:http_sock ix_http-sleep:nginx; do
		IFS=: read -r a s <<< "$a"
		ratio_row "HTTP" "$a vs $s" "$(per_round http_rps "$a")" \
			"$(per_round http_rps "$s")" ">= 2"
	done
	for a in ixdp-poll epoll-busy uring-napi ixdp-sleep epoll uring; do
		ratio_row "echo peak, a fraction of the path's ceiling" \
			"$a vs ICMP echo by the core" "$(per_round echo_peak "$a")" \
			"$(per_round ceil_rr)" "-"
	done
	for t in flood10000:">= 0.9" flood0:-; do
		ratio_row "echo, Linux's address flooded (issue 19)" \
			"${t%%:*} vs quiet" "$(per_round share_t "${t%%:*}")" \
			"$(per_round share_t quiet)" "${t#*:}"
		ratio_row "server vCPU instructions per echo request, Linux's address flooded" \
			"${t%%:*} vs quiet" \
			"$(per_round count_at "share-${t%%:*}" server hostcpu)" \
			"$(per_round count_at share-quiet server hostcpu)" "-"
	done
	ratio_row "50,000 connections vs peak echo" "ixdp-poll vs ixdp-poll" \
		"$(per_round conns_t 50000)" "$(per_round echo_peak ixdp-poll)" ">= 0.5"
	ratio_row "50,000 connections vs peak echo, their first 10 s" \
		"ixdp-poll vs ixdp-poll" "$(per_round conns_start 50000)" \
		"$(per_round echo_peak ixdp-poll)" "-"
}

markdown()
{
	echo "# ixdp against Linux, side by side ($(date -u +%Y-%m-%d), QUICK=$QUICK)"
	echo
	echo "One VM (QEMU TCG, software-emulated), one vCPU for the server, one"
	echo "virtio-net NIC, clients native on the host side of the bridge."
	echo "Throughput in requests/s; latency in microseconds.  Each figure is"
	echo "the median of $REPEATS interleaved rounds (fewer where a row says"
	echo "so in results.json) with the range [min, max].  \"-poll\" servers"
	echo "poll their queues, \"-sleep\" ones sleep on the queue interrupt;"
	echo "\"-busy\" and \"-napi\" Linux servers busy-poll, the others sleep."
	echo
	echo "## Summary: ratios from paired rounds, like against like"
	echo
	summary
	echo
	echo "## The emulated path's ceiling, frames a second each way"
	echo
	echo "The polling core answering ICMP echo in its stack (the host's ping,"
	echo "128 in flight), and a UDP flood from the host counted by the core"
	echo "(inbound only)."
	echo
	echo "| round trips | inbound alone |"
	echo "|---|---|"
	echo "| $(stat_cell "ceiling round trips" "$(per_round ceil_rr)") |" \
	     "$(stat_cell "ceiling inbound" "$(per_round ceil_in)") |"
	echo
	echo "## Echo, 64-byte messages, closed loop"
	echo
	echo_table
	echo
	echo "## Key-value (memcached text protocol), 16 connections"
	echo
	kv_table
	echo
	echo "## HTTP (wrk, 1 thread, 16 connections, 64-byte body)"
	echo
	http_table
	echo
	echo "## Guest instructions and events per request"
	echo
	echo "Counted by the QEMU plugin (tools/ix/bench/qemu-insn) over each"
	echo "whole ix_load run, warm-up included, divided by the requests the"
	echo "client completed: every vCPU's instructions (user and kernel by"
	echo "address), the server's vCPU alone, and from the guest's /proc the"
	echo "interrupts, eth0's virtio interrupts (the NIC's notifications to"
	echo "the guest), the guest's notifications to the NIC (virtio_net's"
	echo "kicks and the dataplane's doorbells) and context switches.  A"
	echo "count does not move with host noise.  A"
	echo "polling server spends instructions while it waits for the next"
	echo "frame, so its count is its work per request only when it is"
	echo "saturated.  Under TCG the path saturates before ixdp does, even at"
	echo "256 connections: a polling count includes waiting, and the sleeping"
	echo "servers' counts compare the work."
	echo
	insn_table
	echo
	echo "## CPU time per request"
	echo
	echo "Over each whole ix_load run (the rate is the measured one): the"
	echo "server's vCPU when not idle (/proc/stat in the guest), its softirq"
	echo "part, NET_RX softirqs on all vCPUs, every QEMU thread and the client"
	echo "on the host (/proc/PID/task/*/stat), in microseconds per request."
	echo
	cpu_table
	echo
	echo "## Linux's traffic on the dataplane's NIC"
	echo
	echo "The polling ixdp echo server, 256 connections, while the host"
	echo "sends 64-byte UDP frames to Linux's address on the same NIC, paced"
	echo "at 10,000/s and unpaced: the core punts them to Linux within"
	echo "punt_rate and drops the rest.  The host's two CPUs run QEMU, the"
	echo "load generator and the flooder at once: a rate lost under the flood"
	echo "can be the host's, which the instruction counts tell apart."
	echo
	share_table
	echo
	echo "## Connection scaling (ixdp-poll echo, 64 bytes)"
	echo
	conns_table
	echo
	echo "## Instructions per request-response (callgrind, host harness)"
	echo
	sed 's/^/    /' "$RAW/instructions.txt" 2>/dev/null
}

# JSON: the statistics, the ratios, and every point as the client gave
# it, keyed by file name.
json()
{
	local f first=1

	echo "{"
	echo "  \"quick\": $QUICK, \"sla_us\": $SLA_US, \"repeats\": $REPEATS,"
	echo "  \"stats\": {"
	sed '$s/,$//' "$B/stats.tmp"
	echo "  },"
	echo "  \"ratios\": {"
	sed '$s/,$//' "$B/ratios.tmp"
	echo "  },"
	echo "  \"points\": {"
	for f in "$RAW"/*.json; do
		[ -f "$f" ] || continue
		[ $first = 1 ] || echo ","
		first=0
		printf '    "%s": ' "$(basename "$f" .json)"
		if grep -q . "$f"; then
			sed 's/^/    /' "$f" | sed '1s/^ *//'
		else
			printf 'null'
		fi
	done
	echo
	echo "  }"
	echo "}"
}

# gp_echo SERVER: "CONNS MEDIAN MIN MAX" lines, for yerrorlines.
gp_echo()
{
	local c

	for c in 1 16 256; do
		per_round echo_t "$1" $c | stats | awk -v c=$c '{ print c, $1, $2, $3 }'
	done
}

# gp_kv SERVER WL: "THROUGHPUT P99 P99MIN P99MAX" per offered rate,
# medians over the rounds that ran it.
gp_kv()
{
	local rate t

	for rate in $(ls "$RAW"/kv-"$1"-"$2"-r*.json 2>/dev/null |
		      sed 's/.*-r\([0-9]*\)\.r[0-9]*\.json/\1/' | sort -un); do
		t=$(per_round kv_rate "$1" "$2" "$rate" tput | stats | cut -d' ' -f1)
		[ -n "$t" ] || continue
		per_round kv_rate "$1" "$2" "$rate" p99 | stats |
			awk -v t="$t" '{ print t, $1, $2, $3 }'
	done
}

kv_rate() { "$4" "$RAW/kv-$1-$2-r$3.r$5.json"; }

# plot_lines NAME LIST: one "file w yerrorlines t title" per server.
plot_lines()
{
	local s sep=""

	for s in $2; do
		printf '%s"%s" w yerrorlines t "%s"' "$sep" "$B/$1-$s.dat" "$s"
		sep=", "
	done
}

plots()
{
	local s wl

	command -v gnuplot > /dev/null || return 0
	for s in $ECHO; do
		gp_echo "$s" > "$B/echo-$s.dat"
	done
	for wl in usr etc; do
		for s in $KV; do
			gp_kv "$s" $wl | sort -g > "$B/kv-$wl-$s.dat"
		done
	done
	gnuplot <<-EOF 2> "$B/gnuplot.log"
	set terminal png size 900,550 noenhanced
	set grid
	set output "$B/echo.png"
	set title "Echo, 64 bytes: throughput, median and range over rounds"
	set xlabel "connections"; set ylabel "requests/s"; set logscale x
	plot $(plot_lines echo "$ECHO")
	unset logscale
	set xlabel "requests/s (median)"; set ylabel "p99 (us)"
	set output "$B/kv-usr.png"
	set title "Key-value USR: p99 against throughput, median and range"
	plot $(plot_lines kv-usr "$KV"), $SLA_US w l dt 2 t "SLA"
	set output "$B/kv-etc.png"
	set title "Key-value ETC: p99 against throughput, median and range"
	plot $(plot_lines kv-etc "$KV"), $SLA_US w l dt 2 t "SLA"
	EOF
}

md=$B/results.md
js=$B/results.json
: > "$B/stats.tmp"
: > "$B/ratios.tmp"
markdown > "$md"
json > "$js"
rm -f "$B/stats.tmp" "$B/ratios.tmp"
plots
cat "$md"
echo
echo "bench: $md, $js, $(ls "$B"/*.png 2>/dev/null | tr '\n' ' ')"
