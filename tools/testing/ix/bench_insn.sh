#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench_insn.sh O ITERS: the instruction counts of `make bench-insn`,
# callgrind over the benchmarks built in O, ITERS request-responses each.
#
# bench_rr: two stacks back to back, client and server, the server
# echoing inside the stack: no rings, no libix, no application.  Kept
# as it was so that its figures compare with earlier runs.
#
# bench_app: the server alone, as an application on libix drives it
# (bench_app.c says what is counted and what is not), in three parts,
# each counted in a run of its own:
#   rx   frame handed in by the device -> events posted (the poll of the
#        run ioctl: Ethernet, IPv4, TCP input, the events written)
#   app  the rest of the two ix_run() calls: the run ioctl's loop
#        (ixdp_stack_advance(), event flush and publish, the command
#        ring read and each command validated), libix (commands
#        written, results reaped, events dispatched) and the echo
#        application (its copy into the send ring included)
#   tx   the sendv command -> the reply handed to the device (TCP
#        output, IPv4, Ethernet, checksum if not offloaded)
# and a run counting them all, which must equal their sum.
set -eu

O=$1
N=$2

# totals NAME BIN MODE FUNCTION...: instructions in FUNCTIONs
# (callgrind --toggle-collect: each entry and exit flips counting);
# CONNS=n in the environment: bench_app's client has n connections.
totals()
{
	local out=$O/callgrind.$1.out bin=$2 mode=$3 f args=()

	shift 3
	for f in "$@"; do
		args+=("--toggle-collect=$f")
	done
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		--zero-before=measure_start "${args[@]}" \
		"$O/$bin" "$mode" "$N" ${CONNS:+"$CONNS"} > /dev/null \
		2> "$out.log" || {
		echo "bench_insn: $bin $mode failed:" >&2
		tail -n 5 "$out.log" >&2
		exit 1
	}
	sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out"
}

line()
{
	echo "$1: $(($2 / N)) instructions per request-response ($2 over $N$3)"
}

echo "two stacks, in-kernel echo (client and server, no rings, no application):"
for mode in udp tcp tcp_offload; do
	ir=$(totals "$mode" bench_rr "$mode" rr_once)
	line "${mode}_rr_64B" "$ir" "; goal <= 2500"
done

ir=$(totals punt_limited bench_rr punt_limited flood_once)
echo "punt_limited_64B: $((ir / N)) instructions per frame ($ir over $N;" \
     "a frame of a flood at Linux's address refused by the punt bucket," \
     "the driver's part not in it)"

echo "server only, echo application on libix and the rings:"
for mode in tcp_sw tcp_vm tcp_offload; do
	case $mode in
	tcp_sw)	what="every checksum in software";;
	tcp_vm)	what="TX checksum by the device, RX in software, as the VM's"
		what="$what virtio_net for a frame its header says nothing of";;
	*)	what="offload: TX and RX checksums by the device, as the VM's"
		what="$what virtio_net for the host's own traffic (NEEDS_CSUM)";;
	esac
	# The device's own work is left out: env_core_rx, env_core_xmit.
	all=$(totals "$mode" bench_app "$mode" server_rr env_core_rx \
		env_core_xmit)
	rx=$(totals "$mode.rx" bench_app "$mode" ixdp_core_poll env_core_rx)
	tx=$(totals "$mode.tx" bench_app "$mode" ixdp_cmd_tcp_sendv env_core_xmit)
	app=$(totals "$mode.app" bench_app "$mode" server_rr ixdp_core_poll \
		ixdp_cmd_tcp_sendv)
	# The parts may differ from the whole by a few instructions in
	# all, where counting flips at their edges: less than one a request.
	diff=$((rx + app + tx - all))
	if [ "$rx" -eq 0 ] || [ "$tx" -eq 0 ] || [ "${diff#-}" -ge "$N" ]; then
		echo "bench_insn: $mode: rx $rx + app $app + tx $tx != $all" >&2
		exit 1
	fi
	line "  ${mode}_server_rx" "$rx" ""
	line "  ${mode}_server_app" "$app" ""
	line "  ${mode}_server_tx" "$tx" ""
	line "${mode}_server_rr_64B" "$all" "; parts $((rx + app + tx)); $what; goal <= 2000"
done

# Batching: 8 connections with a request each, all taken in by the first
# run and answered by the second, so that the runs' own cost (the run
# ioctl, libix's loop, the poll, timers advanced, events published:
# about 290 instructions a run) is shared by 8 requests, as under load.
# The figure above, one request a run, stays the headline.
for mode in tcp_vm tcp_offload; do
	ir=$(CONNS=8 totals $mode.x8 bench_app $mode server_rr env_core_rx \
		env_core_xmit)
	echo "${mode}_server_rr_64B_x8: $((ir / (N * 8))) instructions per" \
	     "request-response ($ir over $((N * 8)); 8 connections, a" \
	     "request on each, two runs for the 8; as $mode; goal <= 2000)"
done
