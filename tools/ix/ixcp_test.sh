# SPDX-License-Identifier: GPL-2.0
#
# Host test of ixcp, sourced by test.sh: its fake tree (fake_sys, mark,
# written), result() and counts.  ixcp runs with --step, through two
# fifos: it reads a line before each sample and prints "step N" after
# it, so the test sets the counters a sample reads, then reads what
# ixcp made of them.  Nothing depends on time; the read timeout only
# keeps a hung ixcp from hanging the test.  The kernel's part is played
# by the test: after a change it makes the cpu<N> directory of a core
# that joined.
# shellcheck shell=bash disable=SC2154	# n, ETH0...: test.sh's

CP_IN=$TMP/ixcp.in
CP_OUT=$TMP/ixcp.out
cp_pid=
mkfifo "$CP_IN" "$CP_OUT"
# An ixcp that ended early fails the step that writes to it, not the test.
trap '' PIPE
trap '[ -n "$cp_pid" ] && kill "$cp_pid" 2> /dev/null; rm -rf "$TMP"' EXIT

# core N...: the cpu<N> directories of cores, their counters at 0.
core()
{
	local c

	for c; do
		mkdir -p "$ETH0/cpu$c"
		echo 0 > "$ETH0/cpu$c/busy_ns"
		echo 0 > "$ETH0/cpu$c/idle_ns"
	done
}

# cp_sys CPUS [CORES...]: CPUs 1-4 reserved; eth0 attached with queues
# 0-3, served by CPUS, each of CORES with its counters.
cp_sys()
{
	fake_sys
	echo 1-4 > "$SYS/kernel/ixdp/cpus"
	echo 1 > "$ETH0/attached"
	echo 0-3 > "$ETH0/queues"
	echo "$1" > "$ETH0/cpus"
	shift
	core "$@"
}

# work BUSY IDLE N...: the loops of cores N... count BUSY iterations
# that found work and IDLE that found none.
work()
{
	local busy=$1 idle=$2 d c

	shift 2
	for c; do
		d=$ETH0/cpu$c
		echo $(($(cat "$d/busy_ns") + busy)) > "$d/busy_ns"
		echo $(($(cat "$d/idle_ns") + idle)) > "$d/idle_ns"
	done
}

# cp_start ARGS...: ixcp --step ARGS eth0, in the background; with
# cp_limit set, writing a file fails with EFBIG (ulimit -f 0).
cp_start()
{
	if [ -n "${cp_limit:-}" ]; then
		(trap '' XFSZ; ulimit -f 0; exec "$IXCP" --step "$@" eth0) \
			< "$CP_IN" > "$CP_OUT" 2>&1 &
	else
		"$IXCP" --step "$@" eth0 < "$CP_IN" > "$CP_OUT" 2>&1 &
	fi
	cp_pid=$!
	exec {cp_in}> "$CP_IN" {cp_out}< "$CP_OUT"
}

# step [N [BUSY IDLE CORE...]]: N samples (1), before each of them
# work BUSY IDLE CORE...; what ixcp printed for them in $out, without
# the "step" lines.  Status 1 if ixcp ended instead.
step()
{
	local count=${1:-1} i line

	[ $# -gt 0 ] && shift
	out=""
	for ((i = 0; i < count; i++)); do
		[ $# -gt 2 ] && work "$@"
		{ echo >&"$cp_in"; } 2> /dev/null || return 1
		while :; do
			IFS= read -r -t 20 line <&"$cp_out" || return 1
			case $line in
			"ixcp: eth0: step "*) break ;;
			esac
			out+="$line"$'\n'
		done
	done
}

# cp_end [-SIGNAL | exit]: end ixcp by the end of its input, by SIGNAL,
# or wait for it to end by itself; what it printed since the last step
# appended to $out, its status in $rc.
cp_end()
{
	local line

	case ${1:-} in
	"") exec {cp_in}>&- ;;
	exit) ;;
	*) kill "$1" "$cp_pid" ;;
	esac
	while IFS= read -r -t 20 line <&"$cp_out"; do
		out+="$line"$'\n'
	done
	[ -n "${1:-}" ] && exec {cp_in}>&-
	exec {cp_out}<&-
	wait "$cp_pid"
	rc=$?
	cp_pid=
}

# cp_written: as written, but for the counters the test wrote.
cp_written()
{
	written | tr ' ' '\n' | grep -v '/cpu[0-9]*/[a-z]*_ns$' | tr '\n' ' ' |
		sed 's/ $//'
}

# has TEXT: ixcp printed a line with TEXT.
has()
{
	echo "$out" | grep -qF -- "$1"
}

[ -x "$IXCP" ] || { echo "not ok $((n + 1)) $IXCP not built"; exit 1; }

# Up: a load over --high for --up samples adds the lowest free CPU.
cp_sys 1 1
cp_start
step
step 1 80 20 1
ok1=$?
[ "$ok1" = 0 ] && [ -z "$out" ] && [ "$(val cpus)" = 1 ]
result $? "ixcp: one sample over --high changes nothing"
mark
step 1 80 20 1
[ "$(cp_written)" = "$DEVW/cpus" ] && [ "$(val cpus)" = 1-2 ] &&
	has "ixcp: eth0: load 0.80 on 1 core (cpus 1): scale to 1-2" &&
	has "ixcp: eth0: scaled to 1-2"
result $? "ixcp: a second sample over --high adds the lowest free reserved CPU"

# The cooldown (1000 ms of 200 ms samples): five samples not counted.
core 2
step 5 90 10 1 2
ok1=$?
step 1 90 10 1 2
[ "$ok1" = 0 ] && [ -z "$out" ] && [ "$(val cpus)" = 1-2 ]
result $? "ixcp: the samples of the cooldown are not counted"
step 1 90 10 1 2
[ "$(val cpus)" = 1-3 ] &&
	has "load 0.90 on 2 cores (cpus 1-2): scale to 1-3"
result $? "ixcp: after the cooldown, two samples over --high add a core"
cp_end
[ "$rc" = 0 ]
result $? "ixcp --step: the end of its input ends it, status 0"

# Load high, low, high: the run is broken, nothing changes.
cp_sys 1 1
cp_start
step
mark
for load in 80 10 80 10 80; do
	step 1 "$load" $((100 - load)) 1
done
cp_end
[ "$rc" = 0 ] && [ "$(val cpus)" = 1 ] && [ -z "$out" ] && [ -z "$(cp_written)" ]
result $? "ixcp: high and low samples in turn change nothing"

# Down: a load under --low for --down samples removes the highest core.
cp_sys 1-3 1 2 3
cp_start --down 3 -v
step
step 2 5 95 1 2 3
ok1=$?
[ "$ok1" = 0 ] && [ "$(val cpus)" = 1-3 ] &&
	has "ixcp: eth0: sample 3: load 0.05 on 3 cores: cpu1 0.05 cpu2 0.05 cpu3 0.05" &&
	! has "scale"
result $? "ixcp -v: each sample's load and its cores'; two under --low change nothing"
step 1 5 95 1 2 3
[ "$(val cpus)" = 1-2 ] &&
	has "ixcp: eth0: load 0.05 on 3 cores (cpus 1-3): scale to 1-2" &&
	has "ixcp: eth0: scaled to 1-2"
result $? "ixcp: --down samples under --low remove the highest core"
step 1
has "ixcp: eth0: sample 5: cpus 1-2: cooling down"
result $? "ixcp -v: the samples of a cooldown are said"
cp_end

# An idle core's counters may not move: it is at load 0.
cp_sys 1-2 1 2
cp_start --down 2
step 3
[ "$(val cpus)" = 1 ] && has "load 0.00 on 2 cores (cpus 1-2): scale to 1"
result $? "ixcp: counters that do not move are load 0"
cp_end

# Between the bands, and a removal that would load the rest over
# 0.8 x --high (0.22 x 2 = 0.44 > 0.40, though under --low 0.3):
# nothing changes.
cp_sys 1-2 1 2
cp_start
step
mark
all=""
for ((i = 0; i < 15; i++)); do
	work 35 65 1
	step 1 25 75 2
	all+=$out
done
cp_end
[ "$(val cpus)" = 1-2 ] && [ -z "$all$out" ] && [ -z "$(cp_written)" ]
result $? "ixcp: a load between --low and --high changes nothing"
cp_sys 1-2 1 2
cp_start --low 0.3 --down 2
step
mark
step 5 22 78 1 2
cp_end
[ "$(val cpus)" = 1-2 ] && [ -z "$(cp_written)" ] && [ -z "$out" ]
result $? "ixcp: no removal that would leave the cores over 0.8 x --high"

# The most cores: --max, the reserved CPUs, the queues attached.
for limit in "--max 2::" "::1-2" ":0-1:"; do
	IFS=: read -r opt queues reserved <<< "$limit"
	cp_sys 1-2 1 2
	[ -n "$queues" ] && echo "$queues" > "$ETH0/queues"
	[ -n "$reserved" ] && echo "$reserved" > "$SYS/kernel/ixdp/cpus"
	# shellcheck disable=SC2086	# $opt: no option, or two words
	cp_start $opt
	step
	mark
	step 4 95 5 1 2
	cp_end
	[ "$(val cpus)" = 1-2 ] && [ -z "$(cp_written)" ] && [ -z "$out" ]
	result $? "ixcp: ${opt:-${queues:+queues $queues}${reserved:+reserved $reserved}}: no third core"
done

# The fewest: --min.
cp_sys 1-2 1 2
cp_start --min 2 --down 2
step 5
cp_end
[ "$(val cpus)" = 1-2 ] && [ -z "$out" ]
result $? "ixcp --min 2: idle, two cores stay"

# The lowest reserved CPU that does not serve eth0 joins.
cp_sys 2,4 2 4
cp_start
step
step 2 90 10 2 4
[ "$(val cpus)" = 1-2,4 ] && has "(cpus 2,4): scale to 1-2,4"
result $? "ixcp: the lowest reserved CPU not serving joins"
cp_end

# --dry-run: the decision, nothing written, and the cores as they are.
cp_sys 1 1
cp_start -n
step
mark
step 2 90 10 1
first=$out
step 2 90 10 1
out+=$first
[ "$(val cpus)" = 1 ] && [ -z "$(cp_written)" ] &&
	[ "$(echo "$out" | grep -c "load 0.90 on 1 core (cpus 1): would scale to 1-2")" = 2 ] &&
	! has "scaled"
result $? "ixcp --dry-run: decides again while the load holds, writes nothing"
cp_end

# A counter that cannot be read: said once, the sample skipped.
cp_sys 1-2 1 2
rm "$ETH0/cpu2/idle_ns"
cp_start
step
has "ixcp: cannot read $ETH0/cpu2/idle_ns: No such file or directory; sample skipped"
ok1=$?
step 3 90 10 1
[ "$ok1" = 0 ] && [ -z "$out" ] && [ "$(val cpus)" = 1-2 ]
result $? "ixcp: a counter missing: said once, no decision"
echo 0 > "$ETH0/cpu2/idle_ns"
step
step 2 90 10 1 2
[ "$(val cpus)" = 1-3 ]
result $? "ixcp: the counter back, samples count again"
echo x > "$ETH0/cpu1/busy_ns"
step
has "cpu1/busy_ns: not a count; sample skipped"
result $? "ixcp: a counter that is not a number: sample skipped"
cp_end

# A write refused (here EFBIG, as ulimit -f 0 makes it): said once,
# ixcp goes on.  A plain file is emptied by the refused write, where
# sysfs keeps its value: the test puts it back.
cp_sys 1 1
cp_limit=1 cp_start --up 1
step
step 1 90 10 1
first=$out
echo 1 > "$ETH0/cpus"
step 1 90 10 1
later=$out
echo 1 > "$ETH0/cpus"
step 1 90 10 1
ok1=$?
later+=$out
out=$first
[ "$ok1" = 0 ] && has "load 0.90 on 1 core (cpus 1): scale to 1-2" &&
	has "cannot scale to 1-2: File too large" && [ -z "$later" ]
result $? "ixcp: a refused write is said once; ixcp keeps watching"
cp_end
[ "$rc" = 0 ]
result $? "... and ends as asked, status 0"

# eth0 detached, or gone, while watched: status 1, the file named.
for how in detached removed; do
	cp_sys 1 1
	cp_start
	step
	if [ $how = detached ]; then
		echo 0 > "$ETH0/attached"
		want="ixcp: eth0 is not attached ($ETH0/attached reads '0')"
	else
		rm -rf "${ETH0%/ixdp}"
		want="ixcp: no device 'eth0' ($ETH0/attached: No such file"
	fi
	step
	ok1=$?
	cp_end exit
	[ "$ok1" = 1 ] && [ "$rc" = 1 ] && has "$want"
	result $? "ixcp: eth0 $how while watched: status 1, the file named"
done

# SIGTERM and --samples end it with status 0; SIGHUP does not end it.
cp_sys 1 1
cp_start
step
kill -HUP "$cp_pid"
step
ok1=$?
cp_end -TERM
[ "$ok1" = 0 ] && [ "$rc" = 0 ]
result $? "ixcp: SIGHUP ignored, SIGTERM ends it, status 0"
cp_sys 1 1
cp_start --samples 3
step 3
ok1=$?
cp_end exit
[ "$ok1" = 0 ] && [ "$rc" = 0 ]
result $? "ixcp --samples 3: ends after the third, status 0"

# Refused at the start: eth0 not attached, no such device, misuse.
cp_sys 1 1
echo 0 > "$ETH0/attached"
out=$("$IXCP" --samples 1 eth0 2>&1)
rc=$?
[ "$rc" = 1 ] && has "eth0 is not attached ($ETH0/attached reads '0')"
result $? "ixcp: eth0 not attached: status 1, the file named"
out=$("$IXCP" --samples 1 nosuch0 2>&1)
rc=$?
[ "$rc" = 1 ] && has "no device 'nosuch0'"
result $? "ixcp: no such device: status 1"
echo 1 > "$ETH0/attached"
bad_ok=0
# shellcheck disable=SC2089,SC2090	# quotes of the messages, not the words
for bad in "--bogus eth0:unknown option '--bogus'" \
	   "-x eth0:unknown option '-x'" \
	   ":no device given" \
	   "eth0 eth1:one device only" \
	   "-i:-i needs a value" \
	   "-i 0 eth0:--interval '0': write a whole number" \
	   "--up 2x eth0:--up '2x': write a whole number" \
	   "--high 1.5 eth0:--high '1.5': write a load from 0 to 1" \
	   "--low x eth0:--low 'x': write a load" \
	   "--low 0.5 eth0:--low (0.50) must be below --high (0.50)" \
	   "--min 3 --max 2 eth0:--max (2) must not be below --min (3)"; do
	mark
	# shellcheck disable=SC2086,SC2090
	out=$("$IXCP" --samples 1 ${bad%%:*} 2>&1)
	rc=$?
	if ! { [ "$rc" = 2 ] && [ -z "$(cp_written)" ] && has "${bad#*:}" &&
	       has "Usage: ixcp"; }; then
		bad_ok=1
		echo "# ixcp ${bad%%:*}: status $rc: $out"
	fi
done
result $bad_ok "ixcp: bad options refused, status 2, nothing written"
out=$("$IXCP" --help)
rc=$?
[ "$rc" = 0 ] && has "--dry-run" && has "--cooldown MS"
result $? "ixcp --help"
