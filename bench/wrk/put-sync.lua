-- wrk script: a view of a random post per request, answered 200 with its count (read-your-writes).
-- wrk -t2 -c128 -d10s --latency -s bench/wrk/put-sync.lua http://127.0.0.1:8080
wrk.method = "PUT"
wrk.body   = '{"action":"increment"}'
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, "/v1/" .. math.random(1, 1000000) .. "/views")
end
