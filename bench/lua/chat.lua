-- POST /api/chat with Accept: application/json (the whole answer as one JSON object): one turn
-- of the built-in assistant. $CHAT_MESSAGE is the message, "{n}" in it replaced by
-- "<thread>-<counter>" so every turn is distinct; each wrk thread keeps one conversation (the
-- id of its first answer), as a person's chat does: run one connection per thread (-t = -c), as
-- a conversation takes one turn at a time (409 conversation_busy otherwise). An answer without $CHAT_EXPECT in its body
-- (e.g. '"change":"added"') counts as an error ($BENCH_RESULT.tool_errors).
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/report.lua")

local token = bench_token("chat.lua")
local message = os.getenv("CHAT_MESSAGE") or error("chat.lua: set CHAT_MESSAGE")
local expect = os.getenv("CHAT_EXPECT") or ""

function setup(thread)
  number_thread(thread, true)
end

local counter = 0
local conversation = nil
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json",
}

function request()
  counter = counter + 1
  local text = string.gsub(message, "{n}", string.format("%d-%d", thread_id or 0, counter))
  local body
  if conversation then
    body = string.format('{"message":"%s","conversation_id":"%s","time_zone":"Europe/Berlin"}',
                         text, conversation)
  else
    body = string.format('{"message":"%s","time_zone":"Europe/Berlin"}', text)
  end
  return wrk.format("POST", "/api/chat", headers, body)
end

function response(status, _, body)
  if status ~= 200 then return end
  if conversation == nil then
    conversation = string.match(body, '"conversation_id":"([^"]+)"')
  end
  if expect ~= "" and not string.find(body, expect, 1, true) then count_bad() end
end
