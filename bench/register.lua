-- wrk script of bench/run: every request registers ONE new insats, as a case system would:
-- POST /api/v1/forbund/{forbund}/insatser with a registrar token of that förbund and an
-- external_ref no other request uses (run tag, thread number, the thread's own counter).
-- Environment: BENCH_FORBUND, BENCH_TOKEN, BENCH_RUN (unique per wrk run).
-- done() prints one machine-readable line (starting "BENCH ") for bench/run.

local forbund = assert(os.getenv("BENCH_FORBUND"), "BENCH_FORBUND")
local token = assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN")
local run = os.getenv("BENCH_RUN") or "run"
local path = "/api/v1/forbund/" .. forbund .. "/insatser"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  counter = 0
  ok = 0
  non2xx = 0
  first_error = ""
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"external_ref":"api-%s-%d-%d","name":"Benchmark insats %d","description":null,'
      .. '"kind":"individual","orientation":"work_oriented","target_groups":[],'
      .. '"start_date":"2023-01-01","end_date":null}',
    run, tid, counter, counter)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    non2xx = non2xx + 1
    if first_error == "" then
      first_error = tostring(status) .. " " .. string.gsub(string.sub(body or "", 1, 300), "%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local total_ok, total_non2xx, first = 0, 0, ""
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_non2xx = total_non2xx + thread:get("non2xx")
    local e = thread:get("first_error")
    if first == "" and e ~= nil and e ~= "" then first = e end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d ok=%d non2xx=%d socket_errors=%d timeouts=%d "
      .. "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f\n",
    summary.requests, summary.duration, total_ok, total_non2xx,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
  if first ~= "" then
    io.write("BENCH_FIRST_ERROR " .. first .. "\n")
  end
end
