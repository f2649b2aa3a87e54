#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The HTTP servers over real sockets, in a network namespace of their own:
#	http_check.sh HTTP_SOCK                  # http_sock
#	http_check.sh --ix-fake IX_HTTP_FAKE     # ix_http on ix_fake.c
# Each case sends requests and compares the whole answer, byte for byte,
# with the Date lines taken out; every Date must be an IMF-fixdate.
# Prints TAP like http_test; exits 4 (skip) without root.

NS=http_check_$$
ADDR=127.0.0.1
PORT=8080
FAKE=
if [ "$1" = --ix-fake ]; then
	FAKE=$2
else
	SERVER=$1
fi
DIR=$(mktemp -d)
PID=

cleanup()
{
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

if ! ip netns add "$NS" 2>/dev/null; then
	echo "SKIP: cannot create network namespace $NS (not root?)"
	exit 4
fi
ip -n "$NS" link set lo up

mkdir "$DIR/site"
printf '<p>index</p>\n' > "$DIR/site/index.html"
printf 'two\n' > "$DIR/site/two.txt"

# start [SITE]: the server, on the built-in set or the directory SITE.
start()
{
	[ -n "$PID" ] && kill "$PID" && wait "$PID" 2>/dev/null
	if [ -n "$FAKE" ]; then
		IX_FAKE_ADDR=$ADDR ip netns exec "$NS" "$FAKE" 0 $PORT $1 \
			> "$DIR/log" 2>&1 &
	else
		ip netns exec "$NS" "$SERVER" -l $ADDR -p $PORT ${1:+-d "$1"} \
			> "$DIR/log" 2>&1 &
	fi
	PID=$!
	for i in $(seq 100); do
		ip netns exec "$NS" bash -c "exec 3<>/dev/tcp/$ADDR/$PORT" \
			2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

n=0
passed=0
DAY='(Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
MON='(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
DATE="^Date: $DAY, [0-9]{2} $MON [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"

# ask NAME EXPECTED SCRIPT: what SCRIPT prints goes to the server; the
# answer, Date lines out, must be printf EXPECTED, and the server must
# close the connection.
ask()
{
	local ok=1 dates

	n=$((n + 1))
	printf "$2" > "$DIR/want"
	timeout 20 ip netns exec "$NS" bash -c "exec 3<>/dev/tcp/$ADDR/$PORT;
		{ $3; } >&3; timeout 10 cat <&3" > "$DIR/raw" || ok=0
	# sed, not grep: a body without a final newline stays so.
	sed '/^Date: /d' "$DIR/raw" > "$DIR/got"
	dates=$(grep -ac '^Date: ' "$DIR/raw")
	[ "$(grep -aEc "$DATE"$'\r'\$ "$DIR/raw")" = "$dates" ] || ok=0
	[ "$dates" = "$(grep -ao 'HTTP/1\.1 [0-9]' "$DIR/raw" | wc -l)" ] || ok=0
	cmp -s "$DIR/want" "$DIR/got" || ok=0
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		tr -d '\r' < "$DIR/raw" | head -c 600 | sed 's/^/#   /'
		echo
	fi
}

H='Server: ix_http\r\n'
TEXT='Content-Type: text/plain\r\n'
ROOT="HTTP/1.1 200 OK\r\n$H${TEXT}Content-Length: 64\r\n"
HELLO="HTTP/1.1 200 OK\r\n$H${TEXT}Content-Length: 13\r\n"
E404="HTTP/1.1 404 Not Found\r\n${H}Content-Length: 0\r\n"
E405="HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n$H"
E431="HTTP/1.1 431 Request Header Fields Too Large\r\n$H"
CLOSE='Connection: close\r\n\r\n'
X64=$(printf 'x%.0s' $(seq 64))
# Requests, as printf formats: GET, GET with close, HEAD.
G='GET %s HTTP/1.1\r\nHost: a\r\n\r\n'
GC='GET %s HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
HD='HEAD %s HTTP/1.1\r\nHost: a\r\n\r\n'

echo "TAP version 13"
echo "1..7"
start || echo "# the server did not start: $(cat "$DIR/log")"
ask "pipelined get head 404 close" \
	"$ROOT\r\n$X64$HELLO\r\n$E404\r\n$HELLO${CLOSE}hello, world\n" \
	"printf '$G$HD$G$GC' / /hello.txt /nope /hello.txt"
ask "a head in pieces" "$ROOT$CLOSE$X64" \
	'printf "GE"; sleep 0.2; printf "T / HTTP/1.1\r"; sleep 0.2;
	 printf "\nHost: a\r\nConnection: close\r\n\r"; sleep 0.2; printf "\n"'
ask "http 1.0 closes" "$ROOT$CLOSE$X64" 'printf "GET / HTTP/1.0\r\n\r\n"'
ask "a body is skipped" "${E405}Content-Length: 0\r\n\r\n$ROOT$CLOSE$X64" \
	"printf 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello'
	 printf '$GC' /"
ask "head too large" "${E431}Content-Length: 0\r\n$CLOSE" \
	'head -c 9000 /dev/zero | tr "\0" a'
start "$DIR/site" || echo "# the server did not start: $(cat "$DIR/log")"
ask "dir index at root" \
	"HTTP/1.1 200 OK\r\n${H}Content-Type: text/html\r\n$(:
	)Content-Length: 13\r\n$CLOSE<p>index</p>\n" \
	"printf '$GC' /"
ask "dir another file and 404" \
	"HTTP/1.1 200 OK\r\n$H${TEXT}Content-Length: 4\r\n\r\ntwo\n$E404$CLOSE" \
	"printf '$G$GC' /two.txt /hello.txt"
echo "# $passed passed, $((n - passed)) failed"
[ $passed = $n ]
