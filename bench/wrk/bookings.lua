-- POST /v1/bookings with pre-made requests, each used once: lines "<token>\t<json body>",
-- thread i of n taking lines i, i+n, …; past the end it stops sending new bookings and
-- repeats its last one (which then answers 409 and is counted as such).
-- Arguments: <requests file> <threads> [<lines to skip>, 0].
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local lines, index, step
created, conflicts, others = 0, 0, 0

function init(args)
  lines = {}
  local n = 0
  step = tonumber(args[2])
  local skip = tonumber(args[3] or "0")
  local last
  for line in io.lines(args[1]) do
    if n >= skip and (n - skip) % step == id then lines[#lines + 1] = line end
    n = n + 1
    last = line
  end
  -- All used up by earlier runs: the last one again, a 409.
  if #lines == 0 then lines[1] = last end
  index = 1
end

function request()
  local line = lines[math.min(index, #lines)]
  index = index + 1
  local tab = string.find(line, "\t", 1, true)
  local headers = {
    ["Authorization"] = "Bearer " .. string.sub(line, 1, tab - 1),
    ["Content-Type"] = "application/json",
  }
  return wrk.format("POST", "/v1/bookings", headers, string.sub(line, tab + 1))
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 409 then
    conflicts = conflicts + 1
  else
    others = others + 1
  end
end

function done(summary, latency, requests)
  local c, k, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    k = k + t:get("conflicts")
    o = o + t:get("others")
  end
  local e = summary.errors
  io.write(string.format(
    '\nWRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"created":%d,"conflicts":%d,"others":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, c, k, o))
end
