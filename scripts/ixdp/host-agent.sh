#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host side of the VM selftests: `make check` starts it as
# VM_HOST_CMD, in the run's host namespace, so that a test in the guest
# can have the host's own Linux TCP drive the dataplane through the
# bridge.  The guest asks over the 9p share: it writes the arguments of
# ix_echo_client into build/hostside/req; the agent runs the client with
# them and leaves its output in resp and its exit status in rc.  It
# counts what it served in served, and ends with the VM (IXDP_VM_PID,
# set by vm.sh).

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$ROOT/build/hostside
CLIENT=$ROOT/build/kselftest/ix/ix_echo_client

rm -rf "$DIR"
mkdir -p "$DIR"
echo 0 > "$DIR/served"
touch "$DIR/agent"
trap 'rm -f "$DIR/agent"' EXIT
while kill -0 "${IXDP_VM_PID:-$PPID}" 2>/dev/null; do
	if [ ! -e "$DIR/req" ]; then
		sleep 0.2
		continue
	fi
	read -r -a args < "$DIR/req"
	rm -f "$DIR/req"
	# Only an address in 198.18.0.0/15 and numbers: nothing else runs.
	if [[ ! "${args[0]}" =~ ^198\.1[89]\.[0-9]+\.[0-9]+$ ]] ||
	   [[ ! "${args[*]:1}" =~ ^[0-9\ ]+$ ]]; then
		echo "refused: ${args[*]}" > "$DIR/resp"
		echo 2 > "$DIR/rc.tmp"
	else
		timeout 300 "$CLIENT" "${args[@]}" > "$DIR/resp" 2>&1
		echo $? > "$DIR/rc.tmp"
		echo $(($(cat "$DIR/served") + 1)) > "$DIR/served"
	fi
	mv "$DIR/rc.tmp" "$DIR/rc"
done
