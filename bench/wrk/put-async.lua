-- wrk script: a view of a random post per request, answered 202 once durable (Prefer: respond-async).
-- wrk -t2 -c64 -d10s --latency -s bench/wrk/put-async.lua http://127.0.0.1:8080
wrk.method = "PUT"
wrk.body   = '{"action":"increment"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Prefer"] = "respond-async"
request = function()
  return wrk.format(nil, "/v1/" .. math.random(1, 1000000) .. "/views")
end
