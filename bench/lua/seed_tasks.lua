-- Seeds tasks over the API (POST /api/tasks) for bench/scale.sh: the tasks of index
-- i = FIRST + j * STRIDE for j = 0 .. COUNT-1, thread t of wrk's THREADS sending those with
-- j % THREADS == t, task j to user j % (number of tokens). A task's body depends only on its
-- index (the vocabulary of bench/seed.py, so a word's share of tasks is known):
--   "pay" / "rent"… : one verb and one object of 20 each in every title (≈ 5 % each);
--   "zanzibar"      : in task i when i % 20000 == 7 (50 tasks per million: the rare word);
--   tags            : 0–3 of 25; priority high 1/12, medium 3/12, low 3/12, none 5/12;
--   due_at          : 80 % of tasks, spread over a year from 2026-12-01; 30 % of those with a
--                     reminder an hour before (pending, so start-up is measured with them).
-- Tokens: TICKLER_TOKENS_FILE (one JWT per line) or TICKLER_TOKEN.
-- Environment: SEED_FIRST (0), SEED_STRIDE (1), SEED_COUNT (required), SEED_THREADS (wrk's -t),
-- SEED_DONE_DIR.
dofile((os.getenv("BENCH_LUA_DIR") or "bench/lua") .. "/report.lua")

local first = tonumber(os.getenv("SEED_FIRST") or "0")
local stride = tonumber(os.getenv("SEED_STRIDE") or "1")
local count = tonumber(os.getenv("SEED_COUNT") or error("seed_tasks.lua: set SEED_COUNT"))

local tokens = {}
local tokens_file = os.getenv("TICKLER_TOKENS_FILE")
if tokens_file and tokens_file ~= "" then
  for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
else
  tokens[1] = os.getenv("TICKLER_TOKEN") or error("seed_tasks.lua: set TICKLER_TOKEN")
end

-- wrk's -t, which must match: thread k takes indexes k, k + threads, …
local thread_count = tonumber(os.getenv("SEED_THREADS") or "1")
local next_id = 0
function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

local verbs = { "Pay", "Call", "Email", "Buy", "Fix", "Review", "Write", "Plan", "Book", "Clean",
  "Renew", "Cancel", "Prepare", "Send", "Check", "Update", "Water", "Return", "Order", "Read" }
local objects = { "rent", "dentist", "the landlord", "groceries", "bike tyre", "pull request",
  "report", "holiday", "flights", "kitchen", "passport", "gym membership", "slides", "invoice",
  "tax return", "blog post", "plants", "library books", "birthday present", "insurance" }
local tag_names = { "home", "work", "money", "health", "errands", "family", "travel", "garden",
  "car", "admin", "reading", "shopping", "urgent", "someday", "phone", "email", "projects",
  "school", "sport", "friends", "kitchen", "bills", "music", "code", "ideas" }
local priorities = { "high", "medium", "medium", "medium", "low", "low", "low",
  "none", "none", "none", "none", "none" }
local descriptions = { "", "", "", "Remember to bring the papers.", "See the note from last week.",
  "Ask Ann first. Café on the corner, 3 pm.", "Needs about an hour." }
local hours = { 8, 9, 12, 17, 20 }
local base = 1796083200  -- 2026-12-01T00:00:00Z

-- A small deterministic hash (xorshift32 over the index and a salt), so task i has the same
-- body in every run and the choices of one task are independent of each other.
local bit = require("bit")
local function mix(i, salt)
  local x = bit.tobit((i * 2654435761 + salt * 2654435769 + 1) % 4294967296)
  for _ = 1, 3 do
    x = bit.bxor(x, bit.lshift(x, 13))
    x = bit.bxor(x, bit.rshift(x, 17))
    x = bit.bxor(x, bit.lshift(x, 5))
  end
  return math.floor((x % 4294967296) / 256)
end

local function body_of(i)
  local title = verbs[mix(i, 1) % 20 + 1] .. " " .. objects[mix(i, 2) % 20 + 1] .. " #" .. i
  if i % 20000 == 7 then title = title .. " zanzibar" end
  local parts = { '{"title":"', title, '","priority":"', priorities[mix(i, 3) % 12 + 1], '"' }
  local tag_count = ({ 0, 1, 1, 2, 2, 3 })[mix(i, 4) % 6 + 1]
  local tags, seen = {}, {}
  for k = 1, tag_count do
    local t = tag_names[mix(i, 10 + k) % 25 + 1]
    if not seen[t] then seen[t] = true; tags[#tags + 1] = '"' .. t .. '"' end
  end
  parts[#parts + 1] = ',"tags":[' .. table.concat(tags, ",") .. ']'
  local d = descriptions[mix(i, 5) % 7 + 1]
  if d ~= "" then parts[#parts + 1] = ',"description":"' .. d .. '"' end
  if mix(i, 6) % 10 < 8 then
    local at = base + (mix(i, 7) % 365) * 86400 + hours[mix(i, 8) % 5 + 1] * 3600
    parts[#parts + 1] = ',"due_at":"' .. os.date("!%Y-%m-%dT%H:%M:%SZ", at) .. '"'
    if mix(i, 9) % 10 < 3 then parts[#parts + 1] = ',"reminders":[{"before_minutes":60}]' end
  end
  parts[#parts + 1] = ',"time_zone":"Europe/Berlin"}'
  return table.concat(parts)
end

local j = nil  -- the next of this thread's tasks
local created = 0
local share = nil

-- When this thread's share is created, it writes SEED_DONE_DIR/<thread>: bench/scale.sh stops
-- wrk (SIGINT) once every thread has. A status other than 201 fails the run (wrk counts it).
function response(status, headers, body)
  if status ~= 201 then return end
  created = created + 1
  if share == nil then share = math.floor((count - 1 - thread_id) / thread_count) + 1 end
  if created == share then
    local f = assert(io.open((os.getenv("SEED_DONE_DIR") or ".") .. "/" .. thread_id, "w"))
    f:write(created, "\n")
    f:close()
  end
end

function request()
  if j == nil then
    -- wrk calls the first thread's request() once to check it, and sends nothing of it: each
    -- thread's first request is a read.
    j = thread_id
    return wrk.format("GET", "/healthz")
  end
  if j >= count then
    return wrk.format("GET", "/healthz")  -- this thread's share is sent: reads until stopped
  end
  local i = first + j * stride
  local headers = {
    ["Authorization"] = "Bearer " .. tokens[j % #tokens + 1],
    ["Content-Type"] = "application/json",
  }
  j = j + thread_count
  return wrk.format("POST", "/api/tasks", headers, body_of(i))
end
