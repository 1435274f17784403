-- One endpoint under load: the request comes from the environment (BENCH_METHOD, BENCH_BODY, BENCH_TOKEN), and the
-- summary is one JSON line on stdout, latencies in microseconds, so that run.sh need not parse wrk's text report.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
if wrk.body then
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"mean":%.1f,"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.mean,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
