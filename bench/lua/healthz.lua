-- GET /healthz, unauthenticated: the baseline of the HTTP stack alone.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/report.lua")
