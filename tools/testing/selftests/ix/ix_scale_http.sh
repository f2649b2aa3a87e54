#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ix_http's elastic threads follow the device's cores.  eth0's three
# queue pairs start on one core (CPU 1) of the reserved CPUs 1-3, and
# ix_http runs three elastic threads on it, one driving the core, two
# standing by.  While wrk from the host (host-agent.sh's wrkcheck) keeps
# CONNS connections busy with GETs of "/", the device goes round from one
# core to three and back, the single core a different CPU each round, so
# that every connection moves to another thread's core each round.
# Every response is checked (status and body: ix_http_check.lua), wrk
# must see no socket error, no RST goes either way, the threads'
# counters show the connections that moved in, and once wrk closed its
# connections none is left open in any thread (a thread that missed a
# moved connection's events would keep it).  wrk does not count a
# request that never gets an answer, so a connection that stalls but
# closes well is not caught here.  The rounds end 6 s
# before wrk does, and RSTs received are counted then: wrk's own at its
# end (it closes with responses unread) are not the dataplane's doing.
# Also: the host agent runs no Lua script of the guest's.
# Needs 4 CPUs and 3 queue pairs (make check's 4-CPU VM); skips otherwise.

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

CONNS=16
SECS=${IXDP_SCALE_HTTP_SECS:-24}
MIN_ROUNDS=2
PORT=8080

ix_lib_need_cpus 4 3
ix_lib_need
renice -n -10 -p $$ > /dev/null || fail "renice"

stat()
{
	cat "$SYS/stats/$1"
}

ix_lib_attach_3
ix_lib_start ix_http $PORT "$DIR/ix_http" 1 $PORT "" 3 || exit 1
http_pid=$app_pid
resets=$(stat tcp_resets)
resets_in=$(stat tcp_resets_in)
moved=$(stat tcp_migrated_in)

for bad in "-s /dev/null" "-Ls/dev/null" "--script=/dev/null" "-H X:y"; do
	ix_lib_host wrk $bad http://$DP:$PORT/
	case $? in
	2)	grep -q refused "$TMP/host.out" ||
			fail "wrk $bad: $(cat "$TMP/host.out")";;
	"$ksft_skip")
		ix_lib_skipped "no host agent: $(cat "$TMP/host.out")"
		kill $http_pid
		wait $http_pid
		echo 0 > "$SYS/attached"
		ix_lib_exit "no host agent"
		exit;;
	*)	fail "the host agent ran wrk $bad";;
	esac
done

read -r up _ < /proc/uptime
# Rounds start until 10 s before wrk ends: a round takes about 1 s
# here, three scales of up to 5 s each at worst.
end=$((${up%.*} + SECS - 10))
ix_lib_host wrkcheck -t 2 -c $CONNS -d ${SECS}s --timeout 10s \
	http://$DP:$PORT/ &
host_pid=$!
# wrk's connections first, on the single core.
sleep 3
ix_lib_scale_rounds $end
in_rounds=$(stat tcp_resets_in)
kill -0 $host_pid 2> /dev/null || fail "wrk ended before the rounds did"
wait $host_pid
rc=$?
cat "$TMP/host.out" | sed "s/^/# /"
if [ $rc = "$ksft_skip" ]; then
	ix_lib_skipped "wrk from the host: $(cat "$TMP/host.out")"
else
	[ $rc = 0 ] || fail "wrk: status $rc"
	grep -qE "Socket errors|Non-2xx" "$TMP/host.out" && fail "wrk saw errors"
	grep -qE "^checked: [1-9][0-9]* good, 0 bad$" "$TMP/host.out" ||
		fail "responses not all right: $(grep checked "$TMP/host.out")"
	[ $rounds -ge $MIN_ROUNDS ] ||
		fail "$rounds rounds while wrk ran, not $MIN_ROUNDS"
fi
echo "# $rounds rounds, one core to 3 and back:" \
     "$(($(stat tcp_migrated_in) - moved)) connections moved"
[ "$(stat tcp_resets)" = "$resets" ] ||
	fail "$(($(stat tcp_resets) - resets)) RST sent; $(ix_lib_stats_line)"
[ "$in_rounds" = "$resets_in" ] ||
	fail "$((in_rounds - resets_in)) RST received during the rounds"
echo "# RST received: $((in_rounds - resets_in)) during the rounds," \
     "$(($(stat tcp_resets_in) - resets_in)) with wrk's end"

# wrk closed every connection: each must have reached the thread that
# has it now (a close missed leaves it open).
sleep 2
kill -TERM $http_pid
wait $http_pid || fail "ix_http exit status $?"
sed "s/^/# /" "$TMP/ix_http.log"
[ "$(grep -c "^ix_http: thread .*, 0 errors, 0 overflows, 0 events dropped, .*, 0 open$" \
	"$TMP/ix_http.log")" = 3 ] ||
	fail "ix_http's threads did not all end well"
in=$(awk '/^ix_http: thread/ { n += $6 } END { print n + 0 }' "$TMP/ix_http.log")
[ $rc != 0 ] || [ "$in" -ge $((rounds * CONNS)) ] ||
	fail "ix_http's threads took $in moved connections in $rounds rounds"
echo 0 > "$SYS/attached" || fail "detach"
ix_lib_kmemleak_check
ix_lib_exit "ix_http's threads follow the cores under wrk, every response right"
