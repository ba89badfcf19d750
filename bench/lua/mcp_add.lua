-- POST /mcp: tools/call add_task at the 2026-07-28 revision (stateless: every request carries
-- its envelope and the MCP headers), with the same task body as create.lua, so the two runs
-- compare the MCP layer's cost over the REST route it calls. A result with "isError":true
-- counts as an error (written to $BENCH_RESULT.tool_errors).
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/report.lua")

local token = bench_token("mcp_add.lua")

function setup(thread)
  number_thread(thread, true)
end

local counter = 0
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json, text/event-stream",
  ["MCP-Protocol-Version"] = "2026-07-28",
  ["Mcp-Method"] = "tools/call",
  ["Mcp-Name"] = "add_task",
}
local priorities = { "high", "medium", "low", "none" }

function request()
  counter = counter + 1
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"add_task","arguments":' ..
    '{"title":"bench mcp %d-%d","priority":"%s","tags":["bench"],' ..
    '"due_at":"2026-12-01T08:00:00Z","time_zone":"Europe/Berlin"},' ..
    '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",' ..
    '"io.modelcontextprotocol/clientCapabilities":{},' ..
    '"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}}}',
    counter, thread_id or 0, counter, priorities[counter % 4 + 1])
  return wrk.format("POST", "/mcp", headers, body)
end

function response(status, _, body)
  if status == 200 and string.find(body, '"isError":true', 1, true) then count_bad() end
end
