-- Requests for `wrk` against `deter serve` (bench/serve_load.sh runs it).
-- DETER_LOAD_MODE: single (POST /v1/check, one query) or batch
-- (POST /v1/check:batch, DETER_LOAD_BATCH queries); DETER_LOAD_QUERIES: a
-- file of queries, one a line, taken in turn. Counts answers that are not
-- 200 and decisions naming broken.list (a list version that must never
-- serve), and prints one RESULT line.
local mode = os.getenv("DETER_LOAD_MODE") or "single"
local batch = tonumber(os.getenv("DETER_LOAD_BATCH") or "1000")
local file = assert(os.getenv("DETER_LOAD_QUERIES"), "DETER_LOAD_QUERIES")

local function json_string(s)
  local escaped = s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end)
  return '"' .. escaped .. '"'
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local requests = {}
local next_request = 0
bad = 0
broken = 0

function init(args)
  local queries = {}
  for line in io.lines(file) do
    if #line > 0 then queries[#queries + 1] = line end
  end
  local headers = { ["Content-Type"] = "application/json" }
  if mode == "single" then
    for _, q in ipairs(queries) do
      requests[#requests + 1] =
        wrk.format("POST", "/v1/check", headers, '{"query":' .. json_string(q) .. '}')
    end
  else
    for start = 0, 15 do
      local parts = {}
      for k = 1, batch do
        parts[k] = json_string(queries[(start * 997 + k) % #queries + 1])
      end
      requests[#requests + 1] = wrk.format("POST", "/v1/check:batch", headers,
                                           '{"queries":[' .. table.concat(parts, ",") .. ']}')
    end
  end
end

-- DETER_LOAD_DELAY_MS: each connection waits this long (whole ms, wrk's
-- granularity) before each request, to pace the load at about
-- connections * 1000 / (delay + latency) requests a second.
local pause = tonumber(os.getenv("DETER_LOAD_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

-- Reading every answer costs the client time (a batch answer is hundreds
-- of kilobytes), so only the runs during reloads do it; the others count
-- answers that are not 200 from wrk's own summary.
if os.getenv("DETER_LOAD_VERIFY") == "1" then
  function response(status, headers, body)
    if status ~= 200 then bad = bad + 1 end
    if body:find("broken.list", 1, true) then broken = broken + 1 end
  end
end

function done(summary, latency, requests)
  local bad_total, broken_total = 0, 0
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
    broken_total = broken_total + t:get("broken")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT\t%d\t%.0f\t%.3f\t%.3f\t%.3f\t%d\t%d\n", summary.requests,
                         summary.requests / seconds, latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
                         e.connect + e.read + e.write + e.timeout + math.max(e.status, bad_total),
                         broken_total))
end
