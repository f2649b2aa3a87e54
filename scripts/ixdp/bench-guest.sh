#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make bench` (scripts/ixdp/bench.sh): one VM, one
# NIC (eth0), one CPU (1) for every server, the load generator on the
# host side of the test namespace (scripts/ixdp/host-agent.sh runs it
# natively).  Every point runs REPEATS times (5; QUICK=1: 2) in rounds:
# round r runs each contender in turn (for echo: ixdp-poll, ixdp-sleep,
# epoll, epoll-busy, uring, uring-napi), then round r+1 begins, so that
# whatever drifts during the boot hits every contender alike and the
# report can pair the runs of one round.  An ixdp turn attaches eth0 to
# the dataplane and detaches it after; a Linux turn has eth0 under Linux
# and the server pinned to the same CPU.  The names say the mode:
# "-poll" ixdp servers poll their queues (IX_POLL=1), "-sleep" ones
# sleep on the queue interrupt; "-busy" Linux servers busy-poll
# (net.core.busy_poll and busy_read, and echo_epoll -b), "uring-napi" is
# echo_uring with IORING_REGISTER_NAPI (-n); the rest sleep.  Every
# measurement lands in build/bench/raw/NAME.rROUND.json (or .txt for
# wrk), with the CPU time spent in the guest and on the host during each
# ix_load run beside it (.guestcpu, .hostcpu); bench-report.sh makes the
# tables.
#
# Run time (DUR 10 s, plus about 4 s of warm-up and setup a point):
# echo 6 servers x 3 points, HTTP 6 servers, key-value peaks 6 servers x
# 2 workloads, the shared NIC's 3 points: 39 points a round, 5 rounds,
# about 50 minutes.  The
# key-value rate sweeps (6 x 2 x 13 points, 35 minutes a round) and the
# connection scaling (up to 50,000 connections, about 5 minutes) run only
# in the first SWEEP_REPEATS (2) rounds: all five would take 3.5 hours.
# In all about two hours; QUICK=1 (3 s points, 4 rates, no 10,000 and
# 50,000 connections, 2 rounds, sweeps in both) about 20 minutes.

set -u

B=/ixdp/build/bench
BIN=$B/bin
KBIN=/ixdp/build/kselftest/ix
IX=$KBIN/ix
HS=/ixdp/build/hostside
RAW=$B/raw
CPUSNAP=/ixdp/scripts/ixdp/bench-cpu.sh
DP=198.18.0.10		# the dataplane's address
LX=198.18.0.2		# eth0's address under Linux
CPU=1
QUICK=0
SLA_US=1000
REPEATS=5
SWEEP_REPEATS=2
BUSY_US=50		# busy-poll budget of the busy-polling contenders
ONLY=			# the families to run (ceiling echo conns share kv
			# http), or all
# shellcheck source=/dev/null
. $B/params
DUR=$((QUICK ? 3 : 10))
MAXC=$((QUICK ? 1100 : 50100))	# connections the table holds
# Each ixdp turn says itself whether its server polls.
unset IX_POLL
ECHO="ixdp-poll ixdp-sleep epoll epoll-busy uring uring-napi"
KV="ix_kv-poll ix_kv-sleep kv_sock kv_sock-busy memcached memcached-busy"
HTTP="ix_http-poll ix_http-sleep http_sock http_sock-busy nginx nginx-busy"

mkdir -p $RAW /tmp/nginx
log() { echo "bench: $*"; }

# host PROG ARGS...: run PROG on the host; its output on stdout.
host()
{
	rm -f $HS/rc
	echo "$*" > $HS/req.tmp
	mv $HS/req.tmp $HS/req
	for _ in $(seq 2400); do
		[ -e $HS/rc ] && break
		sleep 0.25
	done
	cat $HS/resp 2>/dev/null
	sed 's/^/bench: host: /' $HS/err >&2 2>/dev/null
	return "$(cat $HS/rc 2>/dev/null || echo 1)"
}

# wait_port ADDR PORT: until something accepts there, from the peer (30 s).
wait_port()
{
	for _ in $(seq 150); do
		ip netns exec peer timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" \
			2>/dev/null && return 0
		sleep 0.2
	done
	log "nothing listens on $1:$2"
	return 1
}

dp_up()
{
	$IX cpus $CPU &&
		$IX attach eth0 queues 0-1 cpus $CPU addr $DP/24 conns $MAXC
}

dp_down()
{
	$IX detach eth0
	$IX cpus ""
}

# busy_sysctl USECS: how long Linux busy-polls a socket's queue in
# read() and poll()/epoll_wait() before it sleeps (0: not at all).
busy_sysctl()
{
	echo "$1" > /proc/sys/net/core/busy_poll &&
		echo "$1" > /proc/sys/net/core/busy_read
}

# serve NAME ADDR PORT COMMAND...: start a server, wait for its port.
serve()
{
	local name=$1 addr=$2 port=$3

	shift 3
	"$@" > "/tmp/$name.log" 2>&1 &
	srv=$!
	srv_name=$name
	wait_port "$addr" "$port"
}

unserve()
{
	[ -n "$srv" ] || return 0
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	srv=
	if ! grep -q . "/tmp/$srv_name.log"; then
		return 0
	fi
	sed "s/^/bench: $srv_name: /" "/tmp/$srv_name.log" | tail -n 5
}

# ix_serve NAME PORT COMMAND...: eth0 to the dataplane, then the ixdp
# server on CPU, polling if NAME ends in -poll.  Sets addr.
ix_serve()
{
	local name=$1 port=$2 mode=()

	shift 2
	addr=$DP
	[ "${name%-poll}" != "$name" ] && mode=(env IX_POLL=1)
	dp_attached=1
	dp_up || return 1
	serve "$name" $DP "$port" "${mode[@]}" "$@"
}

# lx_serve NAME PORT COMMAND...: a Linux server pinned to CPU, with the
# busy-poll sysctls set if NAME ends in -busy.  Sets addr.
lx_serve()
{
	local name=$1 port=$2

	shift 2
	addr=$LX
	if [ "${name%-busy}" != "$name" ]; then
		busy_sysctl $BUSY_US || return 1
	fi
	serve "$name" $LX "$port" taskset -c $CPU "$@"
}

# turn_end: the server down, eth0 back to Linux, no busy polling.
turn_end()
{
	unserve
	if [ "$dp_attached" = 1 ]; then
		dp_down
		dp_attached=0
	fi
	busy_sysctl 0
}

# load OUT ARGS...: one ix_load run from the host, JSON into raw/OUT.json;
# where the CPU time went meanwhile into raw/OUT.guestcpu (this guest's
# CPUs and softirqs) and raw/OUT.hostcpu (the client and QEMU's threads,
# from the host agent), both bench-cpu.sh deltas.
load()
{
	local out=$1

	shift
	log "$out: ix_load $*"
	measured "$RAW/$out" json load -j -q -w "${WARMUP:-1}" -d $DUR "$@" ||
		log "$out: failed"
}

# measured BASE EXT PROG ARGS...: a host program's run, its output into
# BASE.EXT, and the CPU deltas around it into BASE.guestcpu and
# BASE.hostcpu (the agent writes one around load and wrk runs).
measured()
{
	local base=$1 ext=$2 rc

	shift 2
	$CPUSNAP guest > /tmp/cpu.a
	host "$@" > "$base.$ext"
	rc=$?
	$CPUSNAP guest > /tmp/cpu.b
	$CPUSNAP delta /tmp/cpu.a /tmp/cpu.b > "$base.guestcpu"
	cp $HS/cpu "$base.hostcpu" 2>/dev/null
	return $rc
}

# echo_turn NAME ROUND: the echo points of one contender.
echo_turn()
{
	local name=$1 r=$2 c

	case $name in
	ixdp-*)	ix_serve "$name" 7000 $KBIN/ix_echo $CPU 7000 ;;
	epoll)	lx_serve "$name" 7000 $BIN/echo_epoll -l $LX -p 7000 ;;
	epoll-busy)
		lx_serve "$name" 7000 $BIN/echo_epoll -b $BUSY_US -l $LX -p 7000 ;;
	uring)	lx_serve "$name" 7000 $BIN/echo_uring -l $LX -p 7000 ;;
	uring-napi)
		lx_serve "$name" 7000 $BIN/echo_uring -n $BUSY_US -l $LX -p 7000 ;;
	esac &&
	for c in 1 16 256; do
		load "echo-$name-c$c.r$r" -h "$addr" -p 7000 -W echo -s 64 -c $c
	done
	turn_end
}

# conns_turn ROUND: the polling ixdp echo server, up to 50,000
# connections.
conns_turn()
{
	local c

	ix_serve ixdp-poll 7000 $KBIN/ix_echo $CPU 7000 4 $MAXC &&
	for c in 100 1000 10000 50000; do
		[ "$QUICK" = 1 ] && [ $c -gt 1000 ] && break
		# Connections open in a burst: give SYNs and first answers time.
		# The measured window is the steady state: it opens after about
		# 24 round trips at the peak rate (c / 60,000 s each), 20 s at
		# 50,000 connections; per_second in the JSON keeps the start.
		WARMUP=$((c / 2500 > 1 ? c / 2500 : 1)) \
		load "conns-ixdp-poll-c$c.r$1" -h $DP -p 7000 -W echo -s 64 \
			-c $c -T 20000 -S 198.18.0.1,198.18.0.21-40
	done
	turn_end
}

# kv_points NAME ROUND: peak, then (in the first SWEEP_REPEATS rounds)
# an open-loop sweep for the throughput at the p99 SLA.
kv_points()
{
	local name=$1 r=$2 wl rate rates

	if [ "$QUICK" = 1 ]; then
		rates="500 1000 2000 4000"
	else
		rates="250 500 1000 1500 2000 3000 4000 6000 8000 12000 16000 24000 32000"
	fi
	[ "$r" -le "$SWEEP_REPEATS" ] || rates=""
	for wl in usr etc; do
		load "kv-$name-$wl-peak.r$r" -h "$addr" -p 11211 -W $wl -c 16 -P
		for rate in $rates; do
			load "kv-$name-$wl-r$rate.r$r" -h "$addr" -p 11211 -W $wl \
				-c 16 -r "$rate"
		done
	done
}

# kv_turn NAME ROUND: the key-value points of one contender.
kv_turn()
{
	local name=$1

	case $name in
	ix_kv-*)
		[ -x $BIN/ix_kv ] || return 0
		ix_serve "$name" 11211 $BIN/ix_kv $CPU 11211 ;;
	kv_sock*)
		lx_serve "$name" 11211 $BIN/kv_sock -l $LX -p 11211 ;;
	memcached*)
		lx_serve "$name" 11211 memcached -t 1 -u root -U 0 -m 256 \
			-l $LX -p 11211 ;;
	esac && kv_points "$name" "$2"
	turn_end
}

# http_turn NAME ROUND: wrk against one contender.
http_turn()
{
	local name=$1

	case $name in
	ix_http-*)
		ix_serve "$name" 8080 $BIN/ix_http $CPU 8080 ;;
	http_sock*)
		lx_serve "$name" 8080 $BIN/http_sock -l $LX -p 8080 ;;
	nginx*)	lx_serve "$name" 8080 nginx -p /tmp/nginx -e stderr \
			-c /tmp/nginx/nginx.conf ;;
	esac && {
		log "http-$name.r$2: wrk"
		measured "$RAW/http-$name.r$2" txt wrk -t 1 -c 16 -d ${DUR}s \
			--latency "http://$addr:8080/" ||
			log "http-$name.r$2: failed"
	}
	turn_end
}

# ceiling_turn ROUND: the emulated path's own limit, with the cheapest
# responder there is: the polling core answering ICMP echo in its stack,
# no application.  Round trips: the host's ping with 128 in flight, one
# 64-byte frame each way per request (raw/ceiling-rr).  Inbound alone: a
# UDP flood from the host at a closed port of the dataplane's, frames
# the core received in 5 s (raw/ceiling-in).  Outbound alone is not
# measured: no guest-side generator.
ceiling_turn()
{
	local r=$1 n0

	dp_up || return
	dp_attached=1
	log "ceiling.r$r: ping -f"
	host ping -f -l 128 -q -s 18 -w 5 $DP > "$RAW/ceiling-rr.r$r.txt" ||
		log "ceiling.r$r: ping failed"
	n0=$(cat /sys/class/net/eth0/ixdp/stats/rx_packets)
	host flood $DP 9 5 > /dev/null
	sleep 5
	echo "$(($(cat /sys/class/net/eth0/ixdp/stats/rx_packets) - n0)) 5" \
		> "$RAW/ceiling-in.r$r.txt"
	sleep 1
	turn_end
}

# share_turn ROUND: Linux's traffic on the dataplane's NIC (issue 19).
# The polling ixdp echo server at 256 connections, quiet, then while the
# host floods Linux's address on the same NIC with 64-byte UDP frames,
# paced at 10,000/s and as fast as it can: the dataplane's core punts
# them to Linux within punt_rate and drops the rest.  The flood outlasts
# the ix_load run; its sent count goes to raw/NAME.flood.  The quiet
# point and the paced one, whose ratio is the figure, swap places each
# round (A B, B A), so that a drift within a round (the server warming,
# the host's other work) weighs on neither side; the unpaced flood,
# which can leave the tap's queue full behind it, comes last.
share_turn()
{
	local r=$1 pps order="quiet 10000 0"

	[ $((r % 2)) -eq 0 ] && order="10000 quiet 0"
	ix_serve share-poll 7000 $KBIN/ix_echo $CPU 7000 || order=
	for pps in $order; do
		if [ "$pps" = quiet ]; then
			load "share-quiet.r$r" -h $DP -p 7000 -W echo -s 64 \
				-c 256
			continue
		fi
		host flood $LX 9 $((DUR + 3)) "$pps" > /dev/null
		load "share-flood$pps.r$r" -h $DP -p 7000 -W echo -s 64 -c 256
		sleep 3
		cp $HS/flood "$RAW/share-flood$pps.r$r.flood" 2>/dev/null
	done
	turn_end
}

# round R: every contender once, family by family.
round()
{
	local s

	log "round $1 of $REPEATS"
	wanted ceiling && ceiling_turn "$1"
	for s in $ECHO; do
		wanted echo && echo_turn "$s" "$1"
	done
	wanted conns && [ "$1" -le "$SWEEP_REPEATS" ] && conns_turn "$1"
	wanted share && share_turn "$1"
	for s in $KV; do
		wanted kv && kv_turn "$s" "$1"
	done
	for s in $HTTP; do
		wanted http && http_turn "$s" "$1"
	done
}

# wanted FAMILY: ONLY is empty or names FAMILY.
wanted()
{
	[ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]
}

nginx_conf()
{
	cat > /tmp/nginx/nginx.conf <<-EOF
	user root;
	worker_processes 1;
	daemon off;
	pid /tmp/nginx/nginx.pid;
	error_log stderr;
	events { worker_connections 1024; }
	http {
		access_log off;
		client_body_temp_path /tmp/nginx/body;
		proxy_temp_path /tmp/nginx/proxy;
		fastcgi_temp_path /tmp/nginx/fastcgi;
		uwsgi_temp_path /tmp/nginx/uwsgi;
		scgi_temp_path /tmp/nginx/scgi;
		keepalive_requests 1000000;
		server {
			listen $LX:8080;
			location / { return 200 "$(printf 'x%.0s' $(seq 64))"; }
		}
	}
	EOF
}

log "kernel $(uname -r), $(nproc) CPUs, ${DUR}s a point, SLA p99 ${SLA_US}us"
log "$REPEATS rounds, key-value sweeps and connection scaling in $SWEEP_REPEATS"
[ -n "$ONLY" ] && log "only: $ONLY"
srv=
dp_attached=0
nginx_conf
for r in $(seq "$REPEATS"); do
	round "$r"
done
log "done"
