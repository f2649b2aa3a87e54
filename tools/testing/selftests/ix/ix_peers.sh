#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile peers: ix_attack.py, run on the host side of the bridge by the
# host agent (as "attack"), attacks the dataplane's echo service, each
# attack on a fresh attachment; then, eth0 given back to Linux, the same
# attacks hit an echo server on the Linux TCP of the peer namespace.
# After each attack a fresh client must have 1 MiB echoed (ix_echo_client
# -b: from the peer namespace to the dataplane, from the guest's own
# address to the Linux peer, both through the bridge): from the dataplane
# within 5 s, with its counters showing the defence at work; from Linux,
# the reference, without a stall (30 s), its time reported beside the
# dataplane's.  Linux's own TCP in this emulated guest took 2 to 9 s
# after the SYN flood (4,096 request sockets resending SYN-ACKs to
# addresses that never resolve), so the 5 s is the dataplane's bound
# only.  One TAP line per attack and target, after a line for the fresh
# client alone, and the seconds each step took.  IX_PEERS_ATTACKS picks
# attacks.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need

PORT=7
LINUX=198.18.0.3
# What the dataplane withstands: zerowin is 64 peers at zero window,
# each of whose data the echo service holds until its echo is
# acknowledged, which they never do.
ATTACKS=${IX_PEERS_ATTACKS:-synflood ooo zerowin idle sack icmp badcsum}
declare -A before dp_took
n=0
t0=0
times=""

# uptime_cs: the uptime in hundredths of a second, into $now.
uptime_cs()
{
	read -r now _ < /proc/uptime
	now=${now/./}
	now=$((10#$now))
}

# took_reset: start the times line; took PHASE: add PHASE's seconds since
# the last mark to it (no process: each costs tens of ms in the VM).
took_reset()
{
	local now

	times=""
	uptime_cs
	t0=$now
}

took()
{
	local now

	uptime_cs
	times="$times $1 $(((now - t0) / 100)).$(((now - t0) % 100 / 10))s"
	t0=$now
}

echo "1..$((2 * (1 + $(echo $ATTACKS | wc -w))))"

# tap OK NAME [DIRECTIVE]: one TAP line.
tap()
{
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n $2${3:+ # $3}"
	else
		echo "not ok $n $2"
		ret=1
	fi
}

snapshot()
{
	local f

	# read, not cat: a process per counter took seconds in the VM
	for f in "$SYS"/stats/*; do
		[ -f "$f" ] && read -r "before[${f##*/}]" < "$f"
	done
}

# delta NAME: how much counter NAME grew since the snapshot.
delta()
{
	echo $(($(ix_lib_stat "$1") - ${before[$1]}))
}

# attack NAME ADDR: have the host run attack NAME against ADDR:PORT.
# Status 3: its peers could not open the connections the attack needs,
# so it never started (once in CI: not all of the icmp attack's 190
# connections came up in eight rounds, 218 s, while the guest logged a
# 2 s clocksource stall; the same step took 3 s alone).  No verdict
# either way: it is tried once more.
attack()
{
	local rc

	ix_lib_host attack "$1" "$2" $PORT
	rc=$?
	if [ "$rc" = 3 ]; then
		echo "# $1: not started ($(tr '\n' ' ' < "$TMP/host.out")), once more"
		ix_lib_host attack "$1" "$2" $PORT
		rc=$?
	fi
	case $rc in
	0)	echo "# $1: $(cat "$TMP/host.out")" ;;
	"$ksft_skip")	why="no host agent"; return 1 ;;
	*)	why="the attack failed: $(cat "$TMP/host.out")"; return 1 ;;
	esac
}

# fresh ADDR SECS [peer]: a new connection to ADDR:PORT has 1 MiB echoed
# within SECS seconds (from the peer namespace with "peer").
fresh()
{
	rm -f "$TMP/fresh.out"
	${3:+peer} timeout $(($2 + 25)) "$DIR/ix_echo_client" -b "$1" $PORT 1 1 "$2" \
		> "$TMP/fresh.out" 2>&1 && return 0
	why="fresh client: $(tr '\n' ' ' < "$TMP/fresh.out")"
	return 1
}

# fresh_took: the seconds the fresh client's result line gives ("-" if
# none).
fresh_took()
{
	local line

	line=$(tail -n 1 "$TMP/fresh.out" 2>/dev/null)
	case "$line" in
	*" verified in "*" s, "*)
		line=${line#* verified in }
		echo "${line%% s, *}" ;;
	*)	echo - ;;
	esac
}

# What each attack must leave in the dataplane's counters.
defended_synflood()
{
	[ "$(delta tcp_cookies_sent)" -gt 0 ]
}

defended_ooo()
{
	[ "$(delta tcp_ooo_dropped)" -gt 0 ]
}

# The idle connections are all still open.
defended_idle()
{
	[ $(($(delta tcp_passive) - $(delta tcp_closed))) -ge 500 ]
}

# The peers took the pool down to its reserve and were reset for it.
defended_zerowin()
{
	[ "$(delta tcp_pool_low_drops)" -gt 0 ] &&
	[ "$(delta tcp_pressure_drops)" -gt 0 ]
}

# The ACKs were taken in, and the blocks made it resend no more than the
# 4 connections had in flight (6 segments each), fast retransmit once.
defended_sack()
{
	[ "$(delta tcp_dupacks)" -gt 0 ] &&
	[ "$(delta tcp_sack_rexmits)" -le 24 ] &&
	[ "$(delta tcp_fast_rexmits)" -le 4 ]
}

# Errors quoting a segment out of flight are rejected; soft ones ignored;
# the path MTU lowered at most once, to no less than 552.
defended_icmp()
{
	[ "$(delta icmp_errors_rejected)" -gt 0 ] &&
	[ "$(delta tcp_icmp_ignored)" -gt 0 ] &&
	[ "$(delta tcp_pmtu_updates)" -le 1 ]
}

# Every bad checksum was counted and none opened a connection (the fresh
# client's is the one) or earned a cookie: forged frames come without the
# device's word on their checksum, so the stack sums them itself.
defended_badcsum()
{
	[ "$(delta tcp_bad_csum)" -ge 1000 ] &&
	[ "$(delta tcp_cookies_sent)" = 0 ] &&
	[ "$(delta tcp_syn_refused)" = 0 ] &&
	[ "$(delta tcp_passive)" -le 1 ]
}

counters()
{
	local c out=""

	for c in tcp_cookies_sent tcp_cookies_valid tcp_syn_refused tcp_ooo_queued \
		 tcp_ooo_dropped tcp_pool_low_drops tcp_held_drops tcp_probes \
		 tcp_persist_drops tcp_pressure_drops \
		 tcp_dupacks tcp_rexmits tcp_sack_rexmits tcp_fast_rexmits \
		 icmp_errors_rejected tcp_icmp_ignored tcp_pmtu_updates \
		 tcp_bad_csum rx_csum_offload; do
		[ "$(delta $c)" = 0 ] || out="$out $c +$(delta $c)"
	done
	echo "#   counters:$out; $(ix_lib_open_conns) connections open"
}

# on_dataplane ATTACK|baseline
on_dataplane()
{
	local ok=1

	why=""
	took_reset
	echo $PORT > "$SYS/echo_port"
	ix_lib_attach
	took attach
	snapshot
	took snapshot
	if [ "$1" != baseline ]; then
		attack "$1" $DP || ok=0
	fi
	took attack
	[ $ok = 0 ] || fresh $DP 5 peer || ok=0
	took fresh
	dp_took[$1]=$(fresh_took)
	[ $ok = 0 ] || [ "$1" = baseline ] || defended_"$1" ||
		{ ok=0; why="counters show no defence"; }
	echo "#   $(tail -n 1 "$TMP/fresh.out" 2>/dev/null)"
	counters
	[ "$why" = "no host agent" ] && { tap 1 "ixdp $1" "SKIP $why"; ok=skip; }
	[ $ok = skip ] || tap $ok "ixdp $1${why:+: $why}"
	echo 0 > "$SYS/attached" || fail "detach"
	took detach
	echo "#   times:$times"
}

# on_linux ATTACK|baseline: against an echo server on the peer's TCP,
# the benchmark's epoll server (one thread, a backlog of SOMAXCONN, what
# a peer will not take yet kept and not read past), started afresh.
on_linux()
{
	local ok=1 pid

	why=""
	took_reset
	ip netns exec peer "$DIR/echo_epoll" -q -l $LINUX -p $PORT > /dev/null 2>&1 &
	pid=$!
	ix_lib_wait 10 ix_lib_listening peer $PORT || fail "no echo server on $LINUX"
	took listen
	if [ "$1" != baseline ]; then
		attack "$1" $LINUX || ok=0
	fi
	took attack
	[ $ok = 0 ] || fresh $LINUX 30 || ok=0
	took fresh
	echo "#   $(tail -n 1 "$TMP/fresh.out" 2>/dev/null)"
	echo "#   fresh client's 1 MiB: Linux $(fresh_took) s, the dataplane ${dp_took[$1]:--} s"
	kill -0 $pid 2>/dev/null || { ok=0; why="${why:+$why; }the echo server died"; }
	kill -TERM $pid 2>/dev/null
	ix_lib_wait 5 eval '! kill -0 $pid 2>/dev/null' || {
		ok=0; why="${why:+$why; }the echo server ignored TERM"
		kill -KILL $pid 2>/dev/null
	}
	wait $pid 2>/dev/null
	took stop
	if [ "$why" = "no host agent" ]; then
		tap 1 "linux $1" "SKIP $why"
	else
		tap $ok "linux $1${why:+: $why}"
	fi
	echo "#   times:$times"
}

for a in baseline $ATTACKS; do
	on_dataplane $a
done
echo > /sys/kernel/ixdp/cpus || fail "release CPU 1"
for a in baseline $ATTACKS; do
	on_linux $a
done

[ "$why" = "no host agent" ] && ix_lib_skipped "the attacks: no host agent"
ix_lib_exit "hostile peers: a fresh client echoed after each attack"
