#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ix_ixcp.sh through an application: ixcp adds a core under the peak and
# gives it back while ix_echo's elastic threads answer (see ix_ixcp.sh).
IXDP_IXCP_APP=1 exec "$(dirname "$(readlink -f "$0")")/ix_ixcp.sh"
