-- Loaded by bench/wrk/run.ts: wrk -s report.lua URL -- "name: value" ...
-- Headers come from the command line so one script serves every cell. wrk.init formats the
-- request once after init() returns, and no response() is defined, so wrk never hands headers or
-- bodies to Lua: the script costs nothing per request.
function init(args)
  for _, h in ipairs(args) do
    local name, value = h:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
end

-- One line of JSON after wrk's own summary, so no figure is read back from rounded text.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
