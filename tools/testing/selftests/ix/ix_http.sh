#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The HTTP server on libix (ix_http) on reserved CPU 1, on its built-in
# files ("/": 64 bytes of x, "/hello.txt"): requests from the Linux peer
# pipelined, split into pieces, HEAD, a second file, a missing one (404),
# Connection: close, a bad request (400) and a head too large (431), each
# answered exactly (Date lines aside, which must be IMF-fixdates); then
# wrk from the host (host-agent.sh), which must see no error; then the
# server goes and kmemleak finds nothing.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need
ix_lib_attach
ix_lib_start ix_http 8080 "$DIR/ix_http" 1 8080 || exit 1

CR=$(printf '\r')
DAY='(Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
MON='(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
DATE="^Date: $DAY, [0-9]{2} $MON [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$CR\$"

# ask NAME EXPECTED SCRIPT: the peer sends what SCRIPT prints, pausing
# where it sleeps; the whole answer, its Date lines taken out, must be
# printf EXPECTED, byte for byte; every response must have one Date line,
# an IMF-fixdate; and the server must close the connection (EOF within
# 10 s): every request here ends the conversation.
ask()
{
	local want got dates

	printf "$2" | sed '/^Date: /d' > "$TMP/want"
	peer timeout 20 bash -c "exec 3<>/dev/tcp/$DP/8080;
		{ $3; } >&3; timeout 10 cat <&3" > "$TMP/raw"
	[ $? = 0 ] || fail "$1: the server did not close the connection"
	sed '/^Date: /d' "$TMP/raw" > "$TMP/got"
	cmp -s "$TMP/want" "$TMP/got" ||
		fail "$1: got '$(head -c 300 "$TMP/raw" | tr -d '\r')'"
	want=$(grep -o 'HTTP/1\.1 [0-9]' "$TMP/want" | wc -l)
	got=$(grep -c '^Date: ' "$TMP/raw")
	dates=$(grep -cE "$DATE" "$TMP/raw")
	[ "$got" = "$want" ] && [ "$dates" = "$want" ] ||
		fail "$1: $want responses, $got Date lines, $dates IMF-fixdates"
}

body=$(printf 'x%.0s' $(seq 64))
H='Server: ix_http\r\n'
T='Content-Type: text/plain\r\n'
head="HTTP/1.1 200 OK\r\n$H${T}Content-Length: 64\r\n"
hello="HTTP/1.1 200 OK\r\n$H${T}Content-Length: 13\r\n"
e404="HTTP/1.1 404 Not Found\r\n${H}Content-Length: 0\r\n"
e405="HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n${H}Content-Length: 0\r\n"
close='Connection: close\r\n\r\n'
ok="$head\r\n$body"
# Requests, as printf formats: GET, GET with close, HEAD.
G='GET %s HTTP/1.1\r\nHost: a\r\n\r\n'
GC='GET %s HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
HD='HEAD %s HTTP/1.1\r\nHost: a\r\n\r\n'

ask "pipelined GET, HEAD, second file, 404, GET with close" \
	"$ok$head\r\n$hello\r\nhello, world\n$e404\r\n$head$close$body" \
	"printf '$G$HD$G$G$GC' / / /hello.txt /nope /"
ask "a head in pieces" "$head$close$body" \
	'printf "GE"; sleep 0.3; printf "T / HTTP/1.1\r"; sleep 0.3;
	 printf "\nHost: a\r\nConnection: close\r\n\r"; sleep 0.3; printf "\n"'
ask "HTTP/1.0 closes" "$head$close$body" 'printf "GET / HTTP/1.0\r\n\r\n"'
ask "a body is skipped" \
	"$e405\r\n$head$close$body" \
	"printf 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello'; printf '$GC' /"
ask "second file" "$hello${close}hello, world\n" "printf '$GC' /hello.txt"
ask "not found" "$e404$close" "printf '$GC' /nope"
ask "bad request" "HTTP/1.1 400 Bad Request\r\n${H}Content-Length: 0\r\n$close" \
	'printf "nonsense\r\n\r\n"'
ask "head too large" \
	"HTTP/1.1 431 Request Header Fields Too Large\r\n${H}Content-Length: 0\r\n$close" \
	'head -c 9000 /dev/zero | tr "\0" a'
[ "$(peer wget -q -O - http://$DP:8080/)" = "$body" ] || fail "busybox wget"
[ "$(peer wget -q -O - http://$DP:8080/hello.txt)" = "hello, world" ] ||
	fail "busybox wget /hello.txt"

ix_lib_host wrk -t 1 -c 16 -d 3s http://$DP:8080/
case $? in
0)
	cat "$TMP/host.out"
	grep -q "Requests/sec" "$TMP/host.out" || fail "wrk: no result"
	grep -q -E "Socket errors|Non-2xx" "$TMP/host.out" && fail "wrk saw errors"
	;;
"$ksft_skip")
	ix_lib_skipped "wrk from the host: $(cat "$TMP/host.out")"
	;;
*)
	fail "wrk: $(cat "$TMP/host.out")"
	;;
esac

kill $app_pid
wait $app_pid
cat "$TMP/ix_http.log"
grep -q " 0 events dropped" "$TMP/ix_http.log" || fail "events dropped"
echo 0 > "$SYS/attached"
ix_lib_kmemleak_check
ix_lib_exit "HTTP on /dev/ix, every answer exact, wrk without errors"
