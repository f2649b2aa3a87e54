#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# memcapable.sh: run libmemcached's memcapable (Debian: memccapable, in
# libmemcached-tools) against kv_sock, both protocols, in a network
# namespace of its own so that no traffic leaves it:
#
#	memcapable.sh KV_SOCK [PORT]
#	memcapable.sh --memcached [PORT]   # the same against Debian's memcached
#	memcapable.sh --ix-fake IX_KV_FAKE [PORT]   # ix_kv on ix_fake.c
#
# KV_WRAP runs kv_sock under a wrapper, e.g.
#	KV_WRAP="valgrind --leak-check=full --error-exitcode=9" memcapable.sh ...
# and the server must then also exit 0 on SIGTERM.
#
# Passes (exit 0) when memcapable exits 0 and reports no failed test.
# Every test must pass: memcached 1.6 passes them all too (run with
# --memcached to see), so none is excused.  Exit 4 (skip) if memcapable
# or the namespace cannot be had.  Needs root.
set -u

ADDR=198.18.250.1	# 198.18.0.0/15 only: the benchmarking range
NS=kvtest-$$
SERVER=$1
FAKE=
if [ "$SERVER" = --ix-fake ]; then
	FAKE=$2
	shift
fi
PORT=${2:-11311}
LOG=$(mktemp /tmp/kvtest-$$.XXXXXX)
PID=

cleanup()
{
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -f "$LOG"
}
trap cleanup EXIT

MEMCAPABLE=$(command -v memcapable || command -v memccapable)
if [ -z "$MEMCAPABLE" ] && [ "$(id -u)" = 0 ]; then
	apt-get install -y libmemcached-tools >/dev/null 2>&1
	MEMCAPABLE=$(command -v memcapable || command -v memccapable)
fi
if [ -z "$MEMCAPABLE" ]; then
	echo "SKIP: memcapable not found (apt-get install libmemcached-tools)"
	exit 4
fi
if ! ip netns add "$NS" 2>/dev/null; then
	echo "SKIP: cannot create network namespace $NS (not root?)"
	exit 4
fi
ip -n "$NS" link set lo up
ip -n "$NS" addr add "$ADDR/32" dev lo

if [ "$SERVER" = --memcached ]; then
	ip netns exec "$NS" memcached -u nobody -U 0 -l "$ADDR" -p "$PORT" \
		>"$LOG" 2>&1 &
elif [ -n "$FAKE" ]; then
	IX_FAKE_ADDR=$ADDR ip netns exec "$NS" ${KV_WRAP:-} "$FAKE" 0 "$PORT" \
		>"$LOG" 2>&1 &
else
	ip netns exec "$NS" ${KV_WRAP:-} "$SERVER" -l "$ADDR" -p "$PORT" \
		>"$LOG" 2>&1 &
fi
PID=$!

# Wait for it to listen.
for i in $(seq 100); do
	ip netns exec "$NS" bash -c "exec 3<>/dev/tcp/$ADDR/$PORT" \
		2>/dev/null && break
	sleep 0.1
done

OUT=$(timeout 300 ip netns exec "$NS" "$MEMCAPABLE" -h "$ADDR" -p "$PORT" \
	-t 10 2>&1)
RC=$?
echo "$OUT"
if ! kill -0 "$PID" 2>/dev/null; then
	echo "FAIL: the server died:"
	cat "$LOG"
	exit 1
fi
FAILED=$(echo "$OUT" | grep -c '\[fail\]')
PASSED=$(echo "$OUT" | grep -c '\[pass\]')
echo "memcapable: $PASSED passed, $FAILED failed"
if [ "$RC" != 0 ] || [ "$FAILED" != 0 ] || [ "$PASSED" = 0 ]; then
	echo "FAIL: memcapable exit status $RC"
	exit 1
fi
kill -TERM "$PID"
wait "$PID"
SRC=$?
PID=
if [ "$SRC" != 0 ]; then
	echo "FAIL: the server exited with $SRC:"
	cat "$LOG"
	exit 1
fi
# ix_kv sends values from its items in the TX memory, not copied.
if [ -n "$FAKE" ]; then
	ZC=$(grep -o '[0-9]* bytes sent zero copy' "$LOG" | cut -d' ' -f1)
	echo "ix_kv: ${ZC:-no} bytes sent zero copy"
	if [ "${ZC:-0}" = 0 ]; then
		echo "FAIL: no value was sent zero copy:"
		cat "$LOG"
		exit 1
	fi
fi
exit 0
