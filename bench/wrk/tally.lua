-- wrk script for compare.sh: the request mix of one workload, chosen by TALLY_WRK_MODE, and one parseable result
-- line ("wrk.result requests=... p99_us=..."). Posts are drawn from 1..1,000,000 and users from 1..100,000, as in
-- the bench's Workloads; every request is generated afresh (random post, user and body).
--   get        GET /v1/{post}/likes
--   put        PUT /v1/{post}/likes with a random user, or /views, half and half (write-uniform)
--   put-async  the same with Prefer: respond-async
--   hot-likes  PUT /v1/1/likes, each from a user who has not liked post 1 before (write-hot-likes)
--   batch      POST /v1/events with 1,000 uniform events
--   (unset)    the URL as given, without a request function, so wrk runs at its own full speed (static, live)
local mode = os.getenv("TALLY_WRK_MODE") or ""
local POSTS, USERS, BATCH = 1000000, 100000, 1000
local json = { ["Content-Type"] = "application/json" }
local async = { ["Content-Type"] = "application/json", ["Prefer"] = "respond-async" }

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local sent = 0
function init(args)
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
end

local function write(headers)
  local post = math.random(POSTS)
  if math.random(2) == 1 then
    return wrk.format("PUT", "/v1/" .. post .. "/likes", headers,
      '{"action":"increment","user_id":' .. math.random(USERS) .. '}')
  end
  return wrk.format("PUT", "/v1/" .. post .. "/views", headers, '{"action":"increment"}')
end

if mode == "get" then
  request = function() return wrk.format("GET", "/v1/" .. math.random(POSTS) .. "/likes") end
elseif mode == "put" then
  request = function() return write(json) end
elseif mode == "put-async" then
  request = function() return write(async) end
elseif mode == "hot-likes" then
  -- Users of thread t are t * 10^9 + 1, + 2, ...: distinct across threads and runs of one tally never repeat
  -- within a run; the run's start time keeps two runs against the same tally apart.
  local base = (os.time() % 100000) * 1000000000000
  request = function()
    sent = sent + 1
    return wrk.format("PUT", "/v1/1/likes", json, string.format('{"action":"increment","user_id":%d}',
      base + (thread_id or 0) * 1000000000 + sent))
  end
elseif mode == "batch" then
  request = function()
    local events = {}
    for i = 1, BATCH do
      local post = math.random(POSTS)
      if math.random(2) == 1 then
        events[i] = '{"post_id":' .. post .. ',"counter":"likes","action":"increment","user_id":' .. math.random(USERS) .. '}'
      else
        events[i] = '{"post_id":' .. post .. ',"counter":"views","action":"increment"}'
      end
    end
    return wrk.format("POST", "/v1/events", json, '{"events":[' .. table.concat(events, ",") .. ']}')
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk.result requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
