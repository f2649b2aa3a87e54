#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ix_scale.sh through an application: ix_echo's elastic threads follow
# the device from one core to three and back, every byte checked, no
# connection reset (see ix_scale.sh).
IXDP_SCALE_APP=1 exec "$(dirname "$(readlink -f "$0")")/ix_scale.sh"
