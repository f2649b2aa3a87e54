#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-report.sh DIR: the tables of `make bench`.  Reads what
# bench-guest.sh left in DIR/raw (ix_load JSON, wrk text, the callgrind
# lines) and writes DIR/results.md, DIR/results.json and DIR/*.png, then
# prints the summary with each ixdp figure's ratio to the best Linux
# contender.  A point that did not run shows as "-".

set -u

B=$1
R=$B/raw
SLA_US=1000
QUICK=0
POLL=1
# shellcheck source=/dev/null
[ -f "$B/params" ] && . "$B/params"

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

# ratio A B: A/B to two places, "-" if either is missing.
ratio()
{
	if [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ]; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
	else
		echo "-"
	fi
}

# sla_ratio IXDP MEMCACHED: as ratio, or say that only ixdp met the SLA.
sla_ratio()
{
	if [ -n "$1" ] && [ -z "$2" ]; then
		echo "memcached met it at no rate; ixdp at $1/s"
	else
		ratio "$1" "$2"
	fi
}

max() { printf '%s\n' "$@" | grep . | sort -n | tail -n 1; }
min() { printf '%s\n' "$@" | grep . | sort -n | head -n 1; }
d() { echo "${1:--}"; }

# kv_sla SERVER WL: the best throughput of an open-loop point whose p99
# met the SLA.
kv_sla()
{
	local f best=""

	for f in "$R"/kv-"$1"-"$2"-r*.json; do
		ok "$f" || continue
		awk -v p="$(num "$f" p99)" -v s="$SLA_US" 'BEGIN { exit !(p <= s) }' ||
			continue
		best=$(max "$best" "$(tput "$f")")
	done
	echo "$best"
}

# kv_low SERVER WL: p99 at the lowest offered rate.
kv_low()
{
	local f

	f=$(ls "$R"/kv-"$1"-"$2"-r*.json 2>/dev/null |
	    sed 's/.*-r\([0-9]*\)\.json/\1 &/' | sort -n | head -n 1 | cut -d' ' -f2)
	[ -n "$f" ] && p99 "$f"
}

wrk_rps()
{
	[ -f "$1" ] || return 0
	grep -q -E "Socket errors|Non-2xx" "$1" && return 0
	sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1" | cut -d. -f1
}

md=$B/results.md
js=$B/results.json
{
	echo "# ixdp against Linux, side by side ($(date -u +%Y-%m-%d), QUICK=$QUICK)"
	echo
	echo "One VM (QEMU TCG, software-emulated), one vCPU for the server, one"
	echo "virtio-net NIC, clients native on the host side of the bridge."
	echo "Throughput in requests/s; latency in microseconds.  The ixdp servers"
	if [ "$POLL" = 1 ]; then
		echo "poll their queues (IX_POLL); the Linux servers block in the kernel."
	else
		echo "sleep on the queue interrupt when idle, as the Linux servers do."
	fi
	echo
	echo "## Echo, 64-byte messages, closed loop"
	echo
	echo "| server | 1 conn | 16 conns | 256 conns | RTT p50, 1 conn | RTT p99, 1 conn |"
	echo "|---|---|---|---|---|---|"
	for s in ixdp epoll uring; do
		echo "| $s | $(d "$(tput "$R/echo-$s-c1.json")") |" \
		     "$(d "$(tput "$R/echo-$s-c16.json")") |" \
		     "$(d "$(tput "$R/echo-$s-c256.json")") |" \
		     "$(d "$(p50 "$R/echo-$s-c1.json")") |" \
		     "$(d "$(p99 "$R/echo-$s-c1.json")") |"
	done
	echo
	echo "## Key-value (memcached text protocol), 16 connections"
	echo
	echo "| server | workload | peak | at p99 <= ${SLA_US} us | p99 at the lowest load |"
	echo "|---|---|---|---|---|"
	for wl in usr etc; do
		for s in ixdp memcached; do
			echo "| $s | $wl | $(d "$(tput "$R/kv-$s-$wl-peak.json")") |" \
			     "$(d "$(kv_sla $s $wl)") | $(d "$(kv_low $s $wl)") |"
		done
	done
	echo
	echo "## HTTP (wrk, 1 thread, 16 connections, 64-byte body)"
	echo
	echo "| server | requests/s |"
	echo "|---|---|"
	for s in ixdp nginx; do
		echo "| $s | $(d "$(wrk_rps "$R/http-$s.txt")") |"
	done
	echo
	echo "## Connection scaling (ixdp echo, 64 bytes)"
	echo
	echo "| connections | requests/s | connected | errors |"
	echo "|---|---|---|---|"
	for c in 100 1000 10000 50000; do
		f=$R/conns-ixdp-c$c.json
		[ -f "$f" ] || continue
		echo "| $c | $(d "$(num "$f" throughput_rps | cut -d. -f1)") |" \
		     "$(d "$(num "$f" conns_up)") | $(d "$(num "$f" total)") |"
	done
	echo
	echo "## Instructions per request-response (callgrind, host harness)"
	echo
	sed 's/^/    /' "$R/instructions.txt" 2>/dev/null
} > "$md"

# The summary: ratios to the best Linux contender.
e_ix=$(max "$(tput "$R/echo-ixdp-c1.json")" "$(tput "$R/echo-ixdp-c16.json")" \
	   "$(tput "$R/echo-ixdp-c256.json")")
e_ep=$(max "$(tput "$R/echo-epoll-c1.json")" "$(tput "$R/echo-epoll-c16.json")" \
	   "$(tput "$R/echo-epoll-c256.json")")
e_ur=$(max "$(tput "$R/echo-uring-c1.json")" "$(tput "$R/echo-uring-c16.json")" \
	   "$(tput "$R/echo-uring-c256.json")")
rtt_ix=$(p50 "$R/echo-ixdp-c1.json")
rtt_ep=$(p50 "$R/echo-epoll-c1.json")
h_ix=$(wrk_rps "$R/http-ixdp.txt")
h_ng=$(wrk_rps "$R/http-nginx.txt")
c50=$(num "$R/conns-ixdp-c50000.json" throughput_rps | cut -d. -f1)
{
	echo
	echo "## Summary: ixdp against the best Linux contender"
	echo
	echo "| what | ratio | target |"
	echo "|---|---|---|"
	echo "| echo peak vs epoll | $(ratio "$e_ix" "$e_ep") | >= 3 |"
	echo "| echo peak vs io_uring | $(ratio "$e_ix" "$e_ur") | >= 2 |"
	echo "| echo RTT p50 vs epoll (lower is better) | $(ratio "$rtt_ix" "$rtt_ep") | <= 0.5 |"
	for wl in usr etc; do
		echo "| kv $wl at the SLA vs memcached | $(sla_ratio "$(kv_sla ixdp $wl)" "$(kv_sla memcached $wl)") | >= 3 |"
		echo "| kv $wl p99 at low load vs memcached (lower is better) | $(ratio "$(kv_low ixdp $wl)" "$(kv_low memcached $wl)") | <= 0.5 |"
	done
	echo "| HTTP vs nginx | $(ratio "$h_ix" "$h_ng") | >= 2 |"
	echo "| 50,000 connections vs peak echo | $(ratio "$c50" "$e_ix") | >= 0.5 |"
} >> "$md"

# JSON: every point as the client gave it, keyed by file name.
{
	echo "{"
	echo "  \"quick\": $QUICK, \"sla_us\": $SLA_US,"
	echo "  \"points\": {"
	first=1
	for f in "$R"/*.json; do
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
	echo "  },"
	echo "  \"http_rps\": {\"ixdp\": ${h_ix:-null}, \"nginx\": ${h_ng:-null}}"
	echo "}"
} > "$js"

# Plots.
if command -v gnuplot > /dev/null; then
	for s in ixdp epoll uring; do
		for c in 1 16 256; do
			echo "$c $(tput "$R/echo-$s-c$c.json")"
		done > "$B/echo-$s.dat"
	done
	for wl in usr etc; do
		for s in ixdp memcached; do
			for f in "$R"/kv-$s-$wl-r*.json; do
				ok "$f" && echo "$(tput "$f") $(p99 "$f")"
			done | sort -n > "$B/kv-$s-$wl.dat"
		done
	done
	gnuplot <<-EOF 2> "$B/gnuplot.log"
	set terminal png size 800,500 noenhanced
	set grid
	set output "$B/echo.png"
	set title "Echo, 64 bytes: throughput"
	set xlabel "connections"; set ylabel "requests/s"; set logscale x
	plot "$B/echo-ixdp.dat" w lp t "ixdp", "$B/echo-epoll.dat" w lp t "epoll", \
	     "$B/echo-uring.dat" w lp t "io_uring"
	unset logscale
	set output "$B/kv-usr.png"
	set title "Key-value USR: p99 latency against throughput"
	set xlabel "requests/s"; set ylabel "p99 (us)"
	plot "$B/kv-ixdp-usr.dat" w lp t "ixdp", "$B/kv-memcached-usr.dat" w lp t "memcached", \
	     $SLA_US w l dt 2 t "SLA"
	set output "$B/kv-etc.png"
	set title "Key-value ETC: p99 latency against throughput"
	plot "$B/kv-ixdp-etc.dat" w lp t "ixdp", "$B/kv-memcached-etc.dat" w lp t "memcached", \
	     $SLA_US w l dt 2 t "SLA"
	EOF
fi

cat "$md"
echo
echo "bench: $md, $js, $(ls "$B"/*.png 2>/dev/null | tr '\n' ' ')"
