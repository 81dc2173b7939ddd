-- wrk script of bench/floor.py: cycles through the requests of a plan file, counts the
-- answers by status, and prints the figures as one JSON line prefixed by "FLOOR-RESULT ".
--
--   wrk -t1 -c16 -d5s -s bench/floor.lua http://127.0.0.1:PORT -- PLAN_FILE
--
-- A plan line is: METHOD <tab> PATH <tab> SESSION TOKEN (or empty) <tab> JSON BODY (or empty).

local plan = {}
local next_index = 0
statuses = {}

function init(args)
   local file = assert(io.open(args[1], "r"))
   for line in file:lines() do
      local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = { ["X-Tenant"] = "default" }
      if token ~= "" then headers["X-Session-Token"] = token end
      if body == "" then
         body = nil
      else
         headers["Content-Type"] = "application/json"
      end
      plan[#plan + 1] = wrk.format(method, path, headers, body)
   end
   file:close()
end

function request()
   next_index = next_index % #plan + 1
   return plan[next_index]
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function done(summary, latency, requests)
   local counted = {}
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         counted[status] = (counted[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(counted) do
      parts[#parts + 1] = string.format('"%s": %d', status, count)
   end
   local e = summary.errors
   io.write(string.format(
      'FLOOR-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
      '"statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.max, latency.mean, table.concat(parts, ", ")))
end
