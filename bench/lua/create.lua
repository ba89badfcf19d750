-- POST /api/tasks with a small JSON task; each request's title carries the thread number and
-- a per-thread counter, so every task is distinct.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/report.lua")

local token = bench_token("create.lua")

function setup(thread)
  number_thread(thread)
end

local counter = 0
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json",
}
local priorities = { "high", "medium", "low", "none" }

function request()
  counter = counter + 1
  local body = string.format(
    '{"title":"bench create %d-%d","priority":"%s","tags":["bench"],' ..
    '"due_at":"2026-12-01T08:00:00Z","time_zone":"Europe/Berlin"}',
    thread_id or 0, counter, priorities[counter % 4 + 1])
  return wrk.format("POST", "/api/tasks", headers, body)
end
