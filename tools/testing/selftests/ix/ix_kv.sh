#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The key-value server on libix (ix_kv) on reserved CPU 1: Debian's
# memcapable, run from the host (host-agent.sh), must pass every test
# of both the text and the binary protocol against the dataplane; a
# text session from the Linux peer sees exact answers; then the server
# goes and kmemleak finds nothing.

source "$(dirname "$(readlink -f "$0")")/ix_lib.sh"
ix_lib_need
ix_lib_attach
ix_lib_start ix_kv 11211 "$DIR/ix_kv" 1 11211 64 || exit 1

# A session from the peer, answers byte for byte.
printf 'VALUE k 5 3\r\nabc\r\nEND\r\n' > "$TMP/want"
printf 'STORED\r\n' | cat - "$TMP/want" > "$TMP/want2"
peer timeout 20 bash -c "exec 3<>/dev/tcp/$DP/11211;
	printf 'set k 5 0 3\r\nabc\r\nget k\r\nquit\r\n' >&3; timeout 10 cat <&3" \
	> "$TMP/got"
[ $? = 0 ] || fail "text session: no EOF after quit"
cmp -s "$TMP/want2" "$TMP/got" || fail "text session: '$(tr -d '\r' < "$TMP/got")'"

# A value of 3,000 bytes, stored and read back three times: sent zero
# copy from its item in the TX memory, in pieces the NIC reads there.
v=$(printf '%03000d' 7)
printf 'STORED\r\n' > "$TMP/want3"
for i in 1 2 3; do
	printf 'VALUE big 0 3000\r\n%s\r\nEND\r\n' "$v" >> "$TMP/want3"
done
peer timeout 20 bash -c "exec 3<>/dev/tcp/$DP/11211;
	printf 'set big 0 0 3000\r\n%s\r\nget big\r\nget big\r\nget big\r\nquit\r\n' $v >&3;
	timeout 10 cat <&3" > "$TMP/got3"
[ $? = 0 ] || fail "3,000-byte value: no EOF after quit"
cmp -s "$TMP/want3" "$TMP/got3" ||
	fail "3,000-byte value: got $(wc -c < "$TMP/got3") bytes, not $(wc -c < "$TMP/want3")"

ix_lib_host memcapable -h $DP -p 11211 -t 10
case $? in
0)
	tail -n 5 "$TMP/host.out"
	grep -q -i "fail" "$TMP/host.out" && fail "memcapable: a test failed"
	;;
"$ksft_skip")
	ix_lib_skipped "memcapable from the host: $(cat "$TMP/host.out")"
	;;
*)
	cat "$TMP/host.out"
	fail "memcapable failed"
	;;
esac

kill $app_pid
wait $app_pid
cat "$TMP/ix_kv.log"
zc=$(grep -o '[0-9]* bytes sent zero copy' "$TMP/ix_kv.log" | cut -d' ' -f1)
[ "${zc:-0}" -ge 9000 ] || fail "values sent zero copy: ${zc:-none}, not the 9,000 bytes of three gets"
echo 0 > "$SYS/attached"
ix_lib_kmemleak_check
ix_lib_exit "memcapable passes against the key-value server on /dev/ix"
