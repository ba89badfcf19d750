-- GET <url path and query> (run.sh passes /api/tasks?limit=50) with the bench user's token.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/report.lua")

local token = bench_token("list.lua")
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

-- Paced mode (BENCH_PACE_MS set): each connection waits that long before its next request, so
-- the run holds a chosen rate below saturation instead of driving the server flat out.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "")
if pace ~= nil then
  function delay() return pace end
end
