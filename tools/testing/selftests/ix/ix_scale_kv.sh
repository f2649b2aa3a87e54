#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ix_kv's elastic threads follow the device's cores.  eth0's three
# queue pairs start on one core (CPU 1) of the reserved CPUs 1-3, and
# ix_kv runs three elastic threads on it, one driving the core, two
# standing by, with one store.  While ix_load in the peer's namespace
# keeps CONNS connections busy with the memcached USR workload (every
# key stored first, every value read back checked), the device goes
# round from one core to three and back, the single core a different
# CPU each round, so that every connection moves to another thread's
# core each round.  ix_load must see no error of any kind (connect,
# reset, verify, timeout, protocol, server, dropped, lost) and no miss,
# no RST goes either way during the rounds, the threads' counters show
# the connections that moved in, and once ix_load closed its
# connections none is left open in any thread (a thread that missed a
# moved connection's events would keep it).  Needs 4 CPUs and 3 queue
# pairs (make check's 4-CPU VM); skips otherwise.

. "$(dirname "$(readlink -f "$0")")/ix_lib.sh"

CONNS=16
SECS=${IXDP_SCALE_KV_SECS:-24}
MIN_ROUNDS=2
PORT=11211

ix_lib_need_cpus 4 3
ix_lib_need
renice -n -10 -p $$ > /dev/null || fail "renice"

stat()
{
	cat "$SYS/stats/$1"
}

ix_lib_attach_3
ix_lib_start ix_kv $PORT "$DIR/ix_kv" 1 $PORT 64 3 || exit 1
kv_pid=$app_pid
resets=$(stat tcp_resets)
resets_in=$(stat tcp_resets_in)
moved=$(stat tcp_migrated_in)

read -r up _ < /proc/uptime
# Rounds start until 10 s before the load ends (its preload comes
# first); a round takes about 1 s here, three scales of up to 5 s each
# at worst.
end=$((${up%.*} + SECS - 10))
peer "$DIR/ix_load" -h $DP -p $PORT -W usr -P -c $CONNS -t 2 \
	-d "$SECS" -T 10000 > "$TMP/load.log" 2>&1 &
load_pid=$!
# ix_load's connections first, on the single core.
sleep 3
ix_lib_scale_rounds $end
in_rounds=$(stat tcp_resets_in)
kill -0 $load_pid 2> /dev/null || fail "ix_load ended before the rounds did"
wait $load_pid
rc=$?
sed "s/^/# /" "$TMP/load.log"
[ $rc = 0 ] || fail "ix_load: status $rc"
grep -qE "^  errors +connect 0 reset 0 verify 0 timeout 0 protocol 0 server 0 dropped 0 lost 0$" \
	"$TMP/load.log" || fail "ix_load saw errors"
grep -qE "preload [1-9][0-9]* stored, 0 failed" "$TMP/load.log" ||
	fail "the preload did not store every key"
read -r gets hits misses < <(awk '/memcached +gets/ { print $3, $7, $9 }' \
				   "$TMP/load.log")
[ "${gets:-0}" -gt 0 ] && [ "$hits" = "$gets" ] && [ "$misses" = 0 ] ||
	fail "gets ${gets:-none}, hits ${hits:-none}, misses ${misses:-none}"
[ $rounds -ge $MIN_ROUNDS ] ||
	fail "$rounds rounds while ix_load ran, not $MIN_ROUNDS"
echo "# $rounds rounds, one core to 3 and back:" \
     "$(($(stat tcp_migrated_in) - moved)) connections moved"
[ "$(stat tcp_resets)" = "$resets" ] ||
	fail "$(($(stat tcp_resets) - resets)) RST sent; $(ix_lib_stats_line)"
[ "$in_rounds" = "$resets_in" ] ||
	fail "$((in_rounds - resets_in)) RST received during the rounds"

# ix_load closed every connection: each must have reached the thread
# that has it now (a close missed leaves it open).
sleep 2
kill -TERM $kv_pid
wait $kv_pid || fail "ix_kv exit status $?"
sed "s/^/# /" "$TMP/ix_kv.log"
[ "$(grep -c "^ix_kv: thread .*, 0 overflows, .*, 0 events dropped, .*, 0 open$" \
	"$TMP/ix_kv.log")" = 3 ] ||
	fail "ix_kv's threads did not all end well"
in=$(awk '/^ix_kv: thread/ { n += $6 } END { print n + 0 }' "$TMP/ix_kv.log")
[ "$in" -ge $((rounds * CONNS)) ] ||
	fail "ix_kv's threads took $in moved connections in $rounds rounds"
echo 0 > "$SYS/attached" || fail "detach"
ix_lib_kmemleak_check
ix_lib_exit "ix_kv's threads follow the cores under a memcached load, every value right"
