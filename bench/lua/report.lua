-- Shared by every bench run: done() writes the run's numbers as one JSON object to the
-- file named by $BENCH_RESULT (run.sh reads them for its summary table).
-- Latencies are in microseconds, as wrk measures them.
function done(summary, latency, requests)
  local path = os.getenv("BENCH_RESULT")
  if path == nil or path == "" then return end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local f = assert(io.open(path, "w"))
  f:write(string.format(
    '{"requests": %d, "duration_s": %.3f, "rps": %.1f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d, "p999": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
  f:close()
end
