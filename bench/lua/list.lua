-- GET <url path and query> (run.sh passes /api/tasks?limit=50) with the bench user's token.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/report.lua")

local token = os.getenv("TICKLER_TOKEN")
if token == nil or token == "" then
  error("list.lua: set TICKLER_TOKEN to the bench user's JWT")
end
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
