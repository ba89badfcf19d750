-- Shared by every bench run: done() writes the run's numbers as one JSON object to the
-- file named by $BENCH_RESULT (run.sh reads them for its summary table).
-- Latencies are in microseconds, as wrk measures them.
--
-- A script that checks response bodies calls number_thread(thread, true) (or track_thread) in its setup() and
-- count_bad() in response() for each answer that is wrong though its status is fine; done()
-- then writes their total to $BENCH_RESULT.tool_errors (the summaries count it as errors).
local tracked = {}
local bad = 0

-- The bench user's JWT ($TICKLER_TOKEN); `script` names the caller in the error when unset.
function bench_token(script)
  local token = os.getenv("TICKLER_TOKEN")
  if token == nil or token == "" then
    error(script .. ": set TICKLER_TOKEN to the bench user's JWT")
  end
  return token
end

-- A setup() for scripts that number their threads (thread_id 1, 2, … in each thread's state)
-- and, with `checked`, count wrong answers.
local next_thread = 1
function number_thread(thread, checked)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  if checked then track_thread(thread) end
end

function track_thread(thread)
  table.insert(tracked, thread)
end

function count_bad()
  bad = bad + 1
  tickler_bad = bad
end

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
  if #tracked == 0 then return end
  local total = 0
  for _, t in ipairs(tracked) do total = total + (t:get("tickler_bad") or 0) end
  local g = assert(io.open(path .. ".tool_errors", "w"))
  g:write(tostring(total) .. "\n")
  g:close()
end
