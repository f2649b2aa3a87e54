#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make bench` (scripts/ixdp/bench.sh): one VM, one
# NIC (eth0), one CPU (1) for every server, the load generator on the
# host side of the test namespace (scripts/ixdp/host-agent.sh runs it
# natively).  Each server in turn: the ixdp one bound to CPU 1 with eth0
# attached to it, then the Linux contenders pinned to CPU 1 with eth0
# back under Linux.  Every measurement lands in build/bench/raw/ as the
# JSON (or wrk text) the client printed; bench-report.sh makes the table.

set -u

B=/ixdp/build/bench
BIN=$B/bin
KBIN=/ixdp/build/kselftest/ix
IX=$KBIN/ix
HS=/ixdp/build/hostside
RAW=$B/raw
DP=198.18.0.10		# the dataplane's address
LX=198.18.0.2		# eth0's address under Linux
CPU=1
QUICK=0
SLA_US=1000
POLL=1
# shellcheck source=/dev/null
. $B/params
DUR=$((QUICK ? 3 : 10))
MAXC=$((QUICK ? 1100 : 50100))	# connections the table holds
# The ixdp servers poll (IX_POLL), as a dataplane does, unless POLL=0:
# then they sleep on the queue interrupt when idle.
[ "$POLL" = 1 ] && export IX_POLL=1

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

# serve NAME ADDR PORT COMMAND...: start a server, wait for its port.
serve()
{
	local name=$1 addr=$2 port=$3

	shift 3
	"$@" > /tmp/$name.log 2>&1 &
	srv=$!
	srv_name=$name
	wait_port "$addr" "$port"
}

unserve()
{
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	if ! grep -q . /tmp/$srv_name.log; then
		return 0
	fi
	sed "s/^/bench: $srv_name: /" /tmp/$srv_name.log | tail -n 5
}

# load OUT ARGS...: one ix_load run from the host, JSON into raw/OUT.json.
load()
{
	local out=$1

	shift
	log "$out: ix_load $*"
	host load -j -q -w 1 -d $DUR "$@" > $RAW/$out.json || log "$out: failed"
}

echo_points()
{
	local name=$1 addr=$2 c

	for c in 1 16 256; do
		load "echo-$name-c$c" -h "$addr" -p 7000 -W echo -s 64 -c $c
	done
}

# The same key-value points for each server: peak, then an open-loop
# sweep for the throughput at the p99 SLA.
kv_points()
{
	local name=$1 addr=$2 wl r rates

	if [ "$QUICK" = 1 ]; then
		rates="500 1000 2000 4000"
	else
		rates="250 500 1000 1500 2000 3000 4000 6000 8000 12000 16000 24000 32000"
	fi
	for wl in usr etc; do
		load "kv-$name-$wl-peak" -h "$addr" -p 11211 -W $wl -c 16 -P
		for r in $rates; do
			load "kv-$name-$wl-r$r" -h "$addr" -p 11211 -W $wl \
				-c 16 -r $r
		done
	done
}

http_point()
{
	log "http-$1: wrk"
	host wrk -t 1 -c 16 -d ${DUR}s --latency "http://$2:8080/" \
		> $RAW/http-$1.txt || log "http-$1: failed"
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

# The ixdp servers.
dp_up || exit 1
serve ix_echo $DP 7000 $KBIN/ix_echo $CPU 7000 && echo_points ixdp $DP
unserve
log "connection scaling"
serve ix_echo $DP 7000 $KBIN/ix_echo $CPU 7000 4 $MAXC
for c in 100 1000 10000 50000; do
	[ "$QUICK" = 1 ] && [ $c -gt 1000 ] && break
	# Connections open in a burst: give SYNs and first answers time.
	load "conns-ixdp-c$c" -h $DP -p 7000 -W echo -s 64 -c $c -T 20000 \
		-S 198.18.0.1,198.18.0.21-40
done
unserve
if [ -x $BIN/ix_kv ]; then
	serve ix_kv $DP 11211 $BIN/ix_kv $CPU 11211 && kv_points ixdp $DP
	unserve
fi
if [ -x $BIN/ix_http ]; then
	serve ix_http $DP 8080 $BIN/ix_http $CPU 8080 && http_point ixdp $DP
	unserve
fi
dp_down

# The Linux contenders, on the same CPU and NIC.
pin="taskset -c $CPU"
serve epoll $LX 7000 $pin $BIN/echo_epoll -l $LX -p 7000 &&
	echo_points epoll $LX
unserve
serve uring $LX 7000 $pin $BIN/echo_uring -l $LX -p 7000 &&
	echo_points uring $LX
unserve
serve memcached $LX 11211 $pin memcached -t 1 -u root -U 0 -m 256 \
	-l $LX -p 11211 && kv_points memcached $LX
unserve
nginx_conf
serve nginx $LX 8080 $pin nginx -p /tmp/nginx -e stderr \
	-c /tmp/nginx/nginx.conf && http_point nginx $LX
unserve
log "done"
