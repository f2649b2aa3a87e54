# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Statistics over repeated benchmark runs, sourced by bench-report.sh.
# A series is text, one "ROUND VALUE" line per run that produced a value;
# ROUND is the repeat index (1..REPEATS) that bench-guest.sh gives every
# raw file (NAME.rROUND.json).  Runs of different servers in the same
# round ran back to back, so a ratio is taken within a round and only then
# summarised: that cancels what drifts between rounds (host load, the
# emulator's warm-up) instead of mixing it into the ratio.

# stats: a series on stdin -> "MEDIAN MIN MAX N", nothing if it is empty.
stats()
{
	sort -k2,2g | awk '
		NF == 2 { v[++n] = $2 }
		END {
			if (!n)
				exit
			m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%s %s %s %d\n", m, v[1], v[n], n
		}'
}

# fmt_stats DIGITS: "MEDIAN MIN MAX N" on stdin -> "MEDIAN [MIN, MAX]",
# or "-" when there is none (a single run has no range).
fmt_stats()
{
	awk -v d="$1" '
		NF == 4 {
			f = "%." d "f"
			if ($4 == 1)
				printf f "\n", $1
			else
				printf f " [" f ", " f "]\n", $1, $2, $3
			done = 1
		}
		END { if (!done) print "-" }'
}

# cell SERIES [DIGITS]: a table cell for the series (default no decimals).
cell()
{
	printf '%s\n' "$1" | stats | fmt_stats "${2:-0}"
}

# ratios A B: the series A/B over the rounds that both have.
ratios()
{
	awk -v a="$1" -v b="$2" 'BEGIN {
		n = split(a, l, "\n")
		for (i = 1; i <= n; i++)
			if (split(l[i], f, " ") == 2)
				va[f[1]] = f[2]
		n = split(b, l, "\n")
		for (i = 1; i <= n; i++)
			if (split(l[i], f, " ") == 2 && (f[1] in va) && f[2] != 0)
				printf "%s %.6f\n", f[1], va[f[1]] / f[2]
	}'
}

# json_stats NAME: "MEDIAN MIN MAX N" on stdin -> a JSON member, or none.
json_stats()
{
	awk -v name="$1" 'NF == 4 {
		printf "    \"%s\": {\"median\": %s, \"min\": %s, \"max\": %s, \"n\": %d},\n",
		       name, $1 + 0, $2 + 0, $3 + 0, $4
	}'
}

# per_round FUNC ARGS...: the series of "FUNC ARGS... ROUND" over rounds
# 1..REPEATS (FUNC prints a value or nothing).
per_round()
{
	local r v

	for r in $(seq "$REPEATS"); do
		v=$("$@" "$r")
		[ -n "$v" ] && echo "$r $v"
	done
}
