-- SPDX-License-Identifier: GPL-2.0
--
-- wrk -s: every response must be 200 with ix_http's built-in "/" (64
-- bytes of x).  Each thread counts; done() prints the totals as
-- "checked: GOOD good, BAD bad".  Run by the host agent (host-agent.sh)
-- from the top of the tree.

local want = string.rep("x", 64)
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	good = 0
	bad = 0
end

function response(status, headers, body)
	if status == 200 and body == want then
		good = good + 1
	else
		bad = bad + 1
	end
end

function done(summary, latency, requests)
	local g, b = 0, 0

	for _, t in ipairs(threads) do
		g = g + t:get("good")
		b = b + t:get("bad")
	end
	io.write(string.format("checked: %d good, %d bad\n", g, b))
end
