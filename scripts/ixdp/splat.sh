#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# splat.sh CONSOLE_LOG
# Fail, and show the report, if the guest console holds a kernel splat:
# BUG, WARNING, Oops, KASAN, UBSAN, a lockdep report, an RCU stall, a
# hung task or a panic.

pat='BUG:|WARNING:|Oops|KASAN|UBSAN|kernel BUG|Kernel panic|'
pat+='possible (recursive|circular) locking|inconsistent lock state|'
pat+='suspicious RCU usage|lock held when returning|'
pat+='blocked for more than [0-9]+ seconds|detected stalls|'
pat+='unreferenced object|general protection fault'

log=$1
line=$(grep -a -n -m 1 -E "$pat" "$log" | cut -d: -f1)
[ -z "$line" ] && exit 0
echo "ixdp: kernel splat on the guest console ($log, line $line):" >&2
sed -n "$((line > 5 ? line - 5 : 1)),$((line + 40))p" "$log" >&2
exit 1
