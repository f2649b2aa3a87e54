#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The HTTP server on libix (ix_http) on reserved CPU 1: requests from the
# Linux peer pipelined, split into pieces, HEAD, Connection: close, a bad
# request (400) and a head too large (431), each answered exactly; then
# wrk from the host (host-agent.sh), which must see no error; then the
# server goes and kmemleak finds nothing.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need
ix_lib_attach
ix_lib_start ix_http 8080 "$DIR/ix_http" 1 8080 || exit 1

# ask NAME EXPECTED SCRIPT: the peer sends what SCRIPT prints, pausing
# where it sleeps; the whole answer must be printf EXPECTED, byte for byte,
# and the server must close the connection (EOF within 10 s): every
# request here ends the conversation.
ask()
{
	printf "$2" > "$TMP/want"
	peer timeout 20 bash -c "exec 3<>/dev/tcp/$DP/8080;
		{ $3; } >&3; timeout 10 cat <&3" > "$TMP/got"
	[ $? = 0 ] || fail "$1: the server did not close the connection"
	cmp -s "$TMP/want" "$TMP/got" ||
		fail "$1: got '$(head -c 300 "$TMP/got" | tr -d '\r')'"
}

body=$(printf 'x%.0s' $(seq 64))
head='HTTP/1.1 200 OK\r\nServer: ix_http\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\r\n'
ok=$head$body
ask "pipelined GET, HEAD, GET with close" "$ok$head$ok" \
	'printf "GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n"'
ask "a head in pieces" "$ok" \
	'printf "GE"; sleep 0.3; printf "T / HTTP/1.1\r"; sleep 0.3; printf "\nConnection: close\r\n\r"; sleep 0.3; printf "\n"'
ask "HTTP/1.0 closes" "$ok" 'printf "GET / HTTP/1.0\r\n\r\n"'
ask "a body is skipped" "$ok$ok" \
	'printf "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nConnection: close\r\n\r\n"'
ask "bad request" 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' \
	'printf "nonsense\r\n\r\n"'
ask "head too large" 'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' \
	'head -c 9000 /dev/zero | tr "\0" a'
[ "$(peer wget -q -O - http://$DP:8080/)" = "$body" ] || fail "busybox wget"

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
