#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ixcp follows the load.  eth0's three queue pairs start on one core (CPU
# 1) of the reserved CPUs 1-3, the in-kernel echo service answers, and
# ixcp watches the device with its default band (--down 25 below).  A
# trickle from the peer (LOW_CONNS connections, a pause of LOW_GAP us
# after each echo, about 250 messages a second here) runs throughout; on
# top of it, the host sends a peak (PEAK_CONNS connections as fast as they
# go, some 9,000 messages a second).  The peak comes from the host because a
# client on the guest's CPU 0 saturates that CPU long before it loads a
# core.  ixcp must add a core under the peak and give it back after;
# every echo is checked by its client (an echo that takes 20 s fails
# it), nothing is reset (a bare ACK of a connection that ended is
# answered with RST, as Linux answers it, and counted apart), and ixcp
# is still running at the end.  CPUs 2 and 3, not serving under the
# trickle, must spend at least 80% of that phase in Linux's idle loop.
# Reported: the loads ixcp read, its decisions, how long CPUs 1-3 spent
# in Linux's idle loop in each phase and over the whole swing, and the
# same trickle's busy CPU time on three static cores (after ixcp
# stopped) beside the one core ixcp kept.
# With IXDP_IXCP_APP=1 (ix_ixcp_app.sh) an application answers instead of
# the in-kernel echo service: ix_echo with three elastic threads, whose
# runs and work between them make the load ixcp reads; the core ixcp
# adds takes a standby thread, and the one it removes hands its
# connections to CPU 1's.
# Needs 4 CPUs and 3 queue pairs (make check's 4-CPU VM); skips otherwise.

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

LOW_CONNS=4
LOW_GAP=2000
PEAK_CONNS=64
PEAK_MSGS=${IXDP_IXCP_PEAK_MSGS:-400}	# the first wave's, twice for the second
PORT=7
APP=${IXDP_IXCP_APP:-0}
# and -v: each core's load.  --down 25 (5 s at 200 ms, the default 10
# being 2 s): the host agent's round trip between the two waves took up
# to 2 s on a slow host, and ixcp rightly gave CPU 2 back before the
# second wave, which then began on one core (a CI run of stop 22).
IXCP_ARGS=${IXDP_IXCP_ARGS:-"-i 200 --down 25"}

ix_lib_need_cpus 4 3
ix_lib_need
# The client's threads run at nice 10, ixcp and this script at -10: the
# guest's Linux has CPU 0 alone.
renice -n -10 -p $$ > /dev/null || fail "renice"

ncores()
{
	ls -d "$SYS"/cpu[0-9]* 2> /dev/null | wc -l
}

# cores OP N: the device's core count compares so ("-ge 2").
cores()
{
	[ "$(ncores)" "$1" "$2" ]
}

# idle: the uptime, then the time CPUs 1-3 spent idle, each, in 1/100 s.
idle()
{
	awk 'FNR == NR { printf "%d ", $1 * 100; next }
	     /^cpu[1-3] / { printf "%d ", $5 + $6 }' /proc/uptime /proc/stat
}

# phase_idle NAME BEFORE: seconds of the phase since BEFORE (idle's) and
# how many of them each of CPUs 1-3 spent idle, printed, in PH (seconds,
# then CPU 1-3's idle) and added to SWING (the same, for the load's
# whole swing, phases whose NAME is not "static ...").
SWING=(0 0 0 0)
phase_idle()
{
	local i

	read -r -a PH < <(echo "$2" "$(idle)" |
		awk '{ printf "%.1f %.1f %.1f %.1f\n", ($5 - $1) / 100,
		       ($6 - $2) / 100, ($7 - $3) / 100, ($8 - $4) / 100 }')
	echo "# $1: ${PH[0]} s, idle: cpu1 ${PH[1]} s cpu2 ${PH[2]} s cpu3 ${PH[3]} s"
	[[ $1 == static* ]] && return
	for i in 0 1 2 3; do
		SWING[$i]=$(echo "${SWING[$i]} ${PH[$i]}" | awk '{ print $1 + $2 }')
	done
}

# set_cpus LIST: the device's cores, by sysfs (ix_lib_scale_retry).
set_cpus()
{
	echo "$1" 2> "$TMP/scale.out" > "$SYS/cpus"
}

# busy: CPU-seconds CPUs 1-3 were not idle in the phase of PH.
busy()
{
	echo "$@" | awk '{ printf "%.1f", 3 * $1 - $2 - $3 - $4 }'
}

echo 1-3 > /sys/kernel/ixdp/cpus || fail "reserve CPUs 1-3"
echo 0-2 > "$SYS/queues"
echo 1 > "$SYS/cpus"
echo $DP/24 > "$SYS/addr"
[ "$APP" = 1 ] || echo $PORT > "$SYS/echo_port"
echo 1 > "$SYS/attached" || { fail "attach"; exit 1; }
if [ "$APP" = 1 ]; then
	ix_lib_start ix_echo $PORT "$DIR/ix_echo" 1 $PORT 64 256 3 || exit 1
	echo_pid=$app_pid
fi
resets=$(ix_lib_stat tcp_resets)
resets_ack=$(ix_lib_stat tcp_resets_ack_only)
resets_conn=$(ix_lib_stat tcp_resets_out)
echo "# at the start: $(ix_lib_stats_line)"

"$DIR/ixcp" -v $IXCP_ARGS $DEV > "$TMP/ixcp.log" 2>&1 &
cp_pid=$!

t0=$(date +%s)
b=$(idle)
ix_lib_load trickle -g $LOW_GAP $DP $PORT $LOW_CONNS 1000000 1000
sleep 8
phase_idle "before the peak" "$b"
[ "$(ncores)" = 1 ] || fail "$(ncores) cores under the trickle: $(cat "$SYS/cpus")"
# A reserved CPU that serves nothing sleeps in Linux's idle loop.
echo "${PH[*]}" | awk '{ exit !($3 >= 0.8 * $1 && $4 >= 0.8 * $1) }' ||
	fail "CPUs 2-3, not serving, idle ${PH[2]} s and ${PH[3]} s of ${PH[0]} s"
trickle_busy=$(busy "${PH[@]}")
trickle_secs=${PH[0]}

# The peak: the host's PEAK_CONNS connections on top of the trickle, in
# two waves.  On virtio an application's connection stays on the core it
# began on (the tap steers a flow to the queue the guest last sent it
# on), so with ix_echo the first wave's stay on CPU 1 once ixcp adds CPU
# 2 (the echo service's joining core takes its share of them); the
# second wave's connections begin with both cores there, and CPU 2 takes
# its share.
# wave N MSGS: the host's load, most cores seen meanwhile in most.
wave()
{
	ix_lib_host echo $DP $PORT $PEAK_CONNS $2 1000 > /dev/null &
	host_pid=$!
	while kill -0 $host_pid 2> /dev/null; do
		[ "$(ncores)" -gt $most ] && most=$(ncores)
		sleep 0.5
	done
	wait $host_pid || fail "the host's load: $(tail -n 3 "$TMP/host.out" | tr '\n' ' ')"
	echo "# peak, wave $1: $(tail -n 1 "$TMP/host.out")"
}

b=$(idle)
most=1
# The first wave again, three times at most, until ixcp adds a core.
for try in 1 2 3; do
	wave 1 $PEAK_MSGS
	[ $most -ge 2 ] && break
done
[ $most -ge 2 ] ||
	fail "no core added under the peak: $(tail -n 3 "$TMP/ixcp.log")"
wave2=$(wc -l < "$TMP/ixcp.log")
wave 2 $((2 * PEAK_MSGS))
phase_idle "peak, up to $most cores" "$b"

b=$(idle)
ix_lib_wait 30 cores -eq 1 ||
	fail "cores not given back after the peak: cpus $(cat "$SYS/cpus")"
sleep 2
ix_lib_load_stop trickle
phase_idle "after the peak" "$b"

kill -0 $cp_pid 2> /dev/null || fail "ixcp died: $(tail -n 3 "$TMP/ixcp.log")"
kill -TERM $cp_pid
wait $cp_pid || fail "ixcp exit status $?"

# What the swing gave back, and the same trickle on three static cores.
echo "# the swing: ${SWING[0]} s; idle: cpu1 ${SWING[1]} s cpu2 ${SWING[2]} s" \
     "cpu3 ${SWING[3]} s; CPUs 1-3 busy $(busy "${SWING[@]}") CPU-s"
ix_lib_scale_retry set_cpus 1-3
b=$(idle)
ix_lib_load static -g $LOW_GAP $DP $PORT $LOW_CONNS 1000000 1000
sleep 8
ix_lib_load_stop static
phase_idle "static 1-3, the trickle" "$b"
echo "# the trickle: CPUs 1-3 busy $trickle_busy CPU-s in $trickle_secs s" \
     "on one core (ixcp), $(busy "${PH[@]}") CPU-s in ${PH[0]} s on three"
grep -v ": sample " "$TMP/ixcp.log" | sed "s/^/# /"
echo "# loads read, every 200 ms:" $(grep -oE "sample [0-9]+: load [0-9.]+" \
	"$TMP/ixcp.log" | cut -d' ' -f4)
grep -q "scaled to 1-2" "$TMP/ixcp.log" && grep -q "scaled to 1$" "$TMP/ixcp.log" ||
	fail "ixcp did not say it scaled up and down"
# CPU 2's loads in the second wave's samples (-v): its share.
cpu2=$(tail -n +$((wave2 + 1)) "$TMP/ixcp.log" | grep -oE "cpu2 [0-9.]+" |
	cut -d' ' -f2 | sort -n | tail -n 1)
echo "# CPU 2's highest load: ${cpu2:-none}"
awk -v l="${cpu2:-0}" 'BEGIN { exit !(l >= 0.1) }' ||
	fail "CPU 2 took no share of the second wave (highest load ${cpu2:-none})"
# Nothing is reset: no connection of ours sent RST, and every RST that
# answered a segment of no connection answered a bare ACK (the second ACK
# of a FIN sent twice, the first having ended the connection: a pause
# of the cores fires timeouts).  Data, a FIN or a SYN of a connection the
# cores lost would be answered too, and fails here.
rst=$(($(ix_lib_stat tcp_resets) - resets))
rst_ack=$(($(ix_lib_stat tcp_resets_ack_only) - resets_ack))
rst_conn=$(($(ix_lib_stat tcp_resets_out) - resets_conn))
echo "# RST sent: $rst, to bare ACKs of no connection: $rst_ack"
[ $rst_conn = 0 ] && [ $rst = $rst_ack ] ||
	fail "$rst RST sent, $rst_conn by connections, $rst_ack to bare ACKs; $(ix_lib_stats_line)"
echo "# counters: $(ix_lib_stats_line)"
echo "# $(($(date +%s) - t0)) s"
if [ "$APP" = 1 ]; then
	kill -TERM $echo_pid
	wait $echo_pid
	sed "s/^/# /" "$TMP/ix_echo.log"
	[ "$(grep -c "^ix_echo: thread .*, 0 events dropped" "$TMP/ix_echo.log")" = 3 ] ||
		fail "ix_echo's threads did not all end well"
fi

echo 0 > "$SYS/attached" || fail "detach"
ix_lib_exit "ixcp adds cores under the peak and gives them back"
