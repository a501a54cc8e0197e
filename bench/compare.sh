#!/usr/bin/env bash
# Runs tally and its anchors one after another on this machine, in a fixed order printed first, and prints ONE table
# of figures with every target's ratio, and the versions of everything that ran. Every server runs on 127.0.0.1 on a
# free port, alone in its own process, and is stopped by this script. About 15 minutes with the defaults on 2 cores;
# the replay of 1 M events and the processor's catch-up after batches take longest, and longer on a busy machine.
#
#   bench/compare.sh                          # 10 s measured per row, after a warm-up of 10-20 s
#   BENCH_DURATION=30 bench/compare.sh        # longer rows
#   BENCH_EXTRA_ANCHORS=1 bench/compare.sh    # also Kafka's ProducerPerformance and PostgreSQL's hot-row UPDATE
#
# Load generators (native, so that the client is not what is measured):
#   wrk       closed loop, for throughput: each connection sends its next request when answered. bench/wrk/tally.lua
#             makes every request afresh (random post, user and body). Its latencies are closed-loop ones, which
#             hide queueing (coordinated omission): read them as context, not as the latency of a busy server.
#   h2load    --h1 --rps, a fixed rate below saturation, for latency (R2); its request log gives the percentiles.
# The generator's ceiling, wrk on a static Javalin route, is the "floor" column of every HTTP row: no row can beat it.
#
# Counted means sustained: for every write row the processor's committed offsets are read before and after the
# measured window, so "counted/s" is what was counted during it and "backlog" what was left uncounted at its end.
# Before each write row the processor first catches up with the warm-up's writes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

duration="${BENCH_DURATION:-10}"           # seconds per measured row
warm_min="${BENCH_WARMUP:-10}"             # seconds of warm-up at least, in 5 s steps ...
warm_max="${BENCH_WARMUP_MAX:-20}"         # ... until two steps agree within 10%, or this long
connections="${BENCH_CONNECTIONS:-64}"
# A read-your-writes PUT waits for the processor's commit (about 100 ms), so a closed loop of them is bound by
# connections / commit latency; W2 asks for 2,000 connections to show the rate rather than the latency.
write_connections="${BENCH_WRITE_CONNECTIONS:-128}"
ryw_connections="${BENCH_RYW_CONNECTIONS:-2000}"
batch_connections="${BENCH_BATCH_CONNECTIONS:-4}"
preload="${BENCH_PRELOAD:-20000}"
storage_posts="${BENCH_STORAGE_POSTS:-100000}"
replay_events="${BENCH_REPLAY_EVENTS:-1000000}"
redis_requests="${BENCH_REDIS_REQUESTS:-200000}"
wrk_threads=2
lua="$root/bench/wrk/tally.lua"

run_dir="bench/results/compare-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"
figures="$run_dir/figures.tsv"
: > "$figures"
work="$(mktemp -d /tmp/tally-compare.XXXXXX)"
chmod 755 "$work"
started=$SECONDS

server_pid=""
redis_pid=""
broker_pid=""
pg_data=""
stop_pid() { if [ -n "$1" ]; then kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop_pid "$server_pid"; stop_pid "$redis_pid"; stop_pid "$broker_pid"
  if [ -n "$pg_data" ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }
figure() { printf '%s\t%s\n' "$1" "$2" >> "$figures"; }
fig() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$figures"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
# A scenario that fails leaves its rows "not measured" in the table rather than ending the run without one.
bench() {
  ./tally bench "$@" --figures "$figures" --results "$run_dir" 2>>"$run_dir/progress.log" | tee -a "$run_dir/bench.log" \
    || echo "compare: bench $1 failed (see $run_dir/progress.log); its figures are missing from the table"
}

# ---------------------------------------------------------------------------------------------- tools
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v h2load >/dev/null || missing+=(nghttp2-client)
{ command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null; } || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "compare: installing ${missing[*]} (apt-get)"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  else
    echo "compare: needs ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

say "build"
./tally bench --help >/dev/null 2>&1 || true   # builds on first use
# The class-data archive every ./tally start maps is written once per build: now, not inside the restart's timing.
./tally cds >/dev/null || echo "compare: no class-data archive; ./tally run starts without one"
test -f bench/target/bench-0.1.0-SNAPSHOT.jar || { echo "compare: the bench module did not build" >&2; exit 1; }

order=(
  "1 javalin-static   bare Javalin static route: the load generator's ceiling (floor of every HTTP row)"
  "2 redis            raw Redis INCR/GET, redis-benchmark -c 50, -P 1 and -P 16 (the protocol floor)"
  "3 http-redis       Javalin + Lettuce + Redis: GET and PUT (INCR)"
  "4 tally            /health/live, GET, GET at half rate, PUT async, PUT, PUT hot likes, PUT at $ryw_connections conn, freshness, batch POST"
  "5 tally restart    ./tally run on the data of 4, start to ready"
  "6 tally storage    bytes per counter after $storage_posts posts"
  "7 replay           $replay_events events: tally's topology, then groupByKey().count()"
)
[ -n "${BENCH_EXTRA_ANCHORS:-}" ] && order+=("8 extra            Kafka ProducerPerformance, PostgreSQL hot-row UPDATE")
echo "order of systems (fixed):"
printf '  %s\n' "${order[@]}"

# ---------------------------------------------------------------------------------------------- helpers
# serve NAME ARGS...: starts `./tally bench serve-NAME ARGS` and waits for its "serving URL ..." line.
serve() {
  local name="$1"; shift
  ./tally bench "serve-$name" "$@" > "$work/$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    grep -q '^serving ' "$work/$name.log" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  served="$(grep '^serving ' "$work/$name.log" || true)"
  if [ -z "$served" ]; then tail -30 "$work/$name.log" >&2; echo "compare: $name did not start" >&2; exit 1; fi
  url="$(echo "$served" | awk '{ print $2 }')"
  control="$(echo "$served" | sed -n 's/.* control \([^ ]*\).*/\1/p')"
  echo "$served"
}
stop_server() { stop_pid "$server_pid"; server_pid=""; }

# wrk_run URL MODE CONNECTIONS SECONDS: sets rps (2xx answers/s), ok, non2xx, socket_errors, p50..max (ms).
wrk_run() {
  local out line
  out="$(TALLY_WRK_MODE="$2" wrk -t "$wrk_threads" -c "$3" -d "${4}s" --timeout 10s -s "$lua" "$1" 2>&1)"
  line="$(echo "$out" | grep '^wrk.result' || true)"
  if [ -z "$line" ]; then echo "$out" >&2; echo "compare: wrk failed" >&2; exit 1; fi
  eval "$(echo "$line" | sed 's/^wrk.result //')"   # requests= duration_us= non2xx= ... (integers only)
  ok=$((requests - non2xx))
  rps="$(calc "$ok / ($duration_us / 1e6)")"
  wrk_seconds="$(calc "$duration_us / 1e6")"
  p50="$(calc "$p50_us / 1000")"; p99="$(calc "$p99_us / 1000")"; p999="$(calc "$p999_us / 1000")"; max="$(calc "$max_us / 1000")"
}

# warm URL MODE CONNECTIONS: wrk in 5 s steps until at least warm_min s and two steps within 10%, or warm_max s.
warm() {
  local spent=0 last="" steady=""
  while [ "$spent" -lt "$warm_max" ]; do
    wrk_run "$1" "$2" "$3" 5
    spent=$((spent + 5))
    printf '  warm-up %3d s: %10s req/s\n' "$spent" "$rps"
    if [ -n "$last" ] && awk -v a="$rps" -v b="$last" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b < 0.1) }'; then
      steady=yes
      [ "$spent" -ge "$warm_min" ] && break
    else
      steady=""
    fi
    last="$rps"
  done
  if [ -n "$steady" ]; then warmed_for="$spent s, steady"; else warmed_for="$spent s, not steady within $warm_max s"; fi
}

progress() { curl -sf "$control/progress"; }

# row NAME URL MODE CONNECTIONS EVENTS_PER_REQUEST NOTE: warm-up, then one measured wrk run, as a row of the table.
# EVENTS_PER_REQUEST > 0 marks a write to tally: its committed offsets give counted/s and the backlog at the end.
row() {
  local name="$1" target="$2" mode="$3" conns="$4" events="$5" note="$6" before after
  warm "$target" "$mode" "$conns"
  if [ "$events" -gt 0 ]; then
    curl -sf "$control/caught-up?seconds=180" >/dev/null || echo "  (the processor did not catch up with the warm-up within 180 s)"
    before="$(progress)"
  fi
  wrk_run "$target" "$mode" "$conns" "$duration"
  figure "$name.throughput" "$rps"; figure "$name.unit" "req/s"
  figure "$name.p50_ms" "$p50"; figure "$name.p99_ms" "$p99"; figure "$name.p999_ms" "$p999"; figure "$name.max_ms" "$max"
  figure "$name.floor" "${floor:-}"
  local errors=""
  [ "$non2xx" -gt 0 ] && errors=", $non2xx non-2xx"
  [ "$socket_errors" -gt 0 ] && errors="$errors, $socket_errors socket errors"
  figure "$name.note" "wrk closed loop, $conns conn; $note; warmed $warmed_for$errors"
  printf '  %s: %s req/s, closed-loop p50 %s ms, p99 %s ms%s\n' "$name" "$rps" "$p50" "$p99" "$errors"
  if [ "$events" -gt 0 ]; then
    after="$(progress)"
    local counted backlog
    counted="$(calc "($(echo "$after" | cut -d' ' -f1) - $(echo "$before" | cut -d' ' -f1)) / $wrk_seconds")"
    backlog=$(( $(echo "$after" | cut -d' ' -f2) - $(echo "$after" | cut -d' ' -f1) ))
    figure "$name.events_per_s" "$(calc "$rps * $events")"
    figure "$name.counted_per_s" "$counted"
    figure "$name.backlog" "$backlog"
    printf '  %s: %s events/s accepted, %s events/s counted during the run, %d events uncounted at its end\n' \
      "$name" "$(calc "$rps * $events")" "$counted" "$backlog"
  fi
}

# ---------------------------------------------------------------------------------------------- 1 static Javalin
say "1 javalin-static: the generator's ceiling"
serve static
floor=""
row javalin.static "$url" "" "$connections" 0 "GET of a constant JSON body"
floor="$(fig javalin.static.throughput)"
stop_server

# ---------------------------------------------------------------------------------------------- 2 Redis
say "2 redis: redis-benchmark INCR and GET (-c 50, $redis_requests requests, -P 1 and -P 16)"
redis_port="$(free_port)"
mkdir -p "$work/redis"
# Append-only file fsynced every second: durability like Kafka's page cache plus replication, not none at all.
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --save '' \
  --appendonly yes --appendfsync everysec --daemonize no > "$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis_run() {  # name pipeline
  local name="$1" pipeline="$2" out
  out="$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -t incr,get -c 50 -n "$redis_requests" -r 1000000 \
    -P "$pipeline" --csv)"
  echo "$out"
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  echo "$out" | tr -d '"' | while IFS=, read -r test rps avg min p50 p95 p99 max; do
    case "$test" in INCR|GET) ;; *) continue ;; esac
    key="redis.$(echo "$test" | tr 'A-Z' 'a-z')$name"
    figure "$key.throughput" "$rps"; figure "$key.unit" "req/s"
    figure "$key.p50_ms" "$p50"; figure "$key.p99_ms" "$p99"; figure "$key.max_ms" "$max"
    figure "$key.note" "redis-benchmark -c 50 -P $pipeline -r 1000000, AOF everysec"
  done
}
redis_run "" 1
redis_run "_p16" 16

# ---------------------------------------------------------------------------------------------- 3 HTTP + Redis
say "3 http-redis: Javalin + Lettuce + the same Redis"
serve http-redis --redis "redis://127.0.0.1:$redis_port"
row http_redis.get "$url" get "$connections" 0 "GET is Redis GET"
row http_redis.incr "$url" put "$connections" 0 "PUT is Redis INCR"
stop_server
stop_pid "$redis_pid"; redis_pid=""

# ---------------------------------------------------------------------------------------------- 4 tally
say "4 tally: one process (embedded broker, ingest, processor, query); posts 1..$preload hold counts"
tally_data="$work/tally-data"
export TALLY_HTTP_PORT TALLY_KAFKA_PORT TALLY_KAFKA_CONTROLLER_PORT
TALLY_HTTP_PORT="$(free_port)"; TALLY_KAFKA_PORT="$(free_port)"; TALLY_KAFKA_CONTROLLER_PORT="$(free_port)"
serve tally --preload "$preload" --data-dir "$tally_data"
tally_url="$url"
row tally.live "$tally_url/health/live" "" "$connections" 0 "GET /health/live"
curl -sf -X POST "$control/server-times/mark?route=get" >/dev/null
row tally.get "$tally_url" get "$connections" 0 "GET one counter of 1 M posts"
read -r _ _ server_p99 _ _ <<< "$(curl -sf "$control/server-times?route=get" || echo "0 nan nan nan nan")"
figure tally.get.server_p99_ms "$server_p99"

# R2: a fixed rate at half of what R1 reached, from h2load; 64 clients each at rate/64 keep every connection idle
# most of the time, so a slow answer does not delay the requests due after it (no coordinated omission to speak of).
half="$(calc "$(fig tally.get.throughput) / 2")"
say "4 tally GET at a fixed $half req/s (half of R1), h2load --h1 --rps"
awk -v base="$tally_url" 'BEGIN { srand(7); for (i = 0; i < 20000; i++) printf "%s/v1/%d/likes\n", base, 1 + int(rand() * 1000000) }' > "$work/uris"
curl -sf -X POST "$control/server-times/mark?route=get" >/dev/null
h2load --h1 -c "$connections" -t 1 --rps "$(calc "$half / $connections")" -D "$duration" -i "$work/uris" \
  --log-file "$work/h2load.log" > "$work/h2load.out" 2>&1 || { cat "$work/h2load.out" >&2; exit 1; }
grep -E '^finished|^requests:' "$work/h2load.out"
read -r server_count server_p50 server_p99 server_p999 server_max <<< "$(curl -sf "$control/server-times?route=get" || echo "0 nan nan nan nan")"
h2_ok="$(awk -F'\t' '$2 >= 200 && $2 < 300' "$work/h2load.log" | wc -l)"
awk -F'\t' '$2 >= 200 && $2 < 300 { print $3 }' "$work/h2load.log" | sort -n > "$work/h2load.lat"
pct() { awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.3f", v[i] / 1000 }' "$1"; }
figure tally.get_half.throughput "$(calc "$h2_ok / $duration")"; figure tally.get_half.unit "req/s"
figure tally.get_half.p50_ms "$(pct "$work/h2load.lat" 50)"; figure tally.get_half.p99_ms "$(pct "$work/h2load.lat" 99)"
figure tally.get_half.p999_ms "$(pct "$work/h2load.lat" 99.9)"; figure tally.get_half.max_ms "$(pct "$work/h2load.lat" 100)"
figure tally.get_half.floor "$floor"
figure tally.get_half.server_p50_ms "$server_p50"; figure tally.get_half.server_p99_ms "$server_p99"
figure tally.get_half.server_p999_ms "$server_p999"; figure tally.get_half.server_max_ms "$server_max"
figure tally.get_half.note "h2load --h1 fixed rate $half/s, $connections clients; server-side p99 $server_p99 ms over $server_count requests"
echo "  server-side: p50 $server_p50 ms, p99 $server_p99 ms, p99.9 $server_p999 ms, max $server_max ms ($server_count requests)"

say "4 tally writes"
row tally.put_async "$tally_url" put-async "$write_connections" 1 "PUT, Prefer: respond-async (202 once durable)"
row tally.put "$tally_url" put "$write_connections" 1 "PUT read-your-writes (200 once counted), write-uniform"
row tally.put_hot_likes "$tally_url" hot-likes "$write_connections" 1 "PUT likes of post 1 from distinct users, write-hot-likes"
row tally.put_ryw "$tally_url" put "$ryw_connections" 1 "PUT read-your-writes, write-uniform"

say "4 tally freshness (background writes at half of write-uniform's rate)"
curl -sf "$control/caught-up?seconds=180" >/dev/null || echo "  (the processor did not catch up within 180 s)"
bench freshness --url "$tally_url" --rate "$(calc "$(fig tally.put.throughput) / 2")" --duration "${duration}s" --warmup 2s \
  --connections "$write_connections"

# Last of tally's rows: accepted batches outrun the processor, and what they leave behind is counted before the restart.
say "4 tally batches"
row tally.batch "$tally_url" batch "$batch_connections" 1000 "POST /v1/events, 1,000 uniform events each"

# ---------------------------------------------------------------------------------------------- 5 restart
say "5 tally restart: ./tally run on the data just written, start to ready"
# Start-to-ready is timed on a log the processor had counted: a backlog left by the batches would time the catch-up.
curl -sf "$control/caught-up?seconds=300" >/dev/null || echo "  (the processor did not catch up within 300 s)"
figure tally.restart.events "$(progress | cut -d' ' -f2)"
figure tally.restart.backlog_at_stop "$(progress | awk '{ print $2 - $1 }')"
stop_server
restart_started="$(date +%s.%N)"
TALLY_DATA_DIR="$tally_data" TALLY_HTTP_HOST=127.0.0.1 TALLY_ADVERTISED_HOST=127.0.0.1 ./tally run > "$work/restart.log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 1200); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$tally_url/health/ready")" = 200 ]; then ready="$(date +%s.%N)"; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$ready" ]; then tail -30 "$work/restart.log" >&2; echo "compare: the restarted tally never answered ready" >&2; exit 1; fi
figure tally.start_to_ready_s "$(calc "$ready - $restart_started")"
echo "  ready after $(fig tally.start_to_ready_s) s with $(fig tally.restart.events) events in the log"
stop_server
unset TALLY_HTTP_PORT TALLY_KAFKA_PORT TALLY_KAFKA_CONTROLLER_PORT

# ---------------------------------------------------------------------------------------------- 6, 7 in-process
say "6 tally storage ($storage_posts posts)"
bench storage --events "$storage_posts"
say "7 replay: tally's topology vs groupByKey().count() over $replay_events events already in Kafka"
bench replay --events "$replay_events"

# ---------------------------------------------------------------------------------------------- 8 extra anchors
if [ -n "${BENCH_EXTRA_ANCHORS:-}" ]; then
  say "8 Kafka ProducerPerformance (1,000,000 x 100 B, acks=all, idempotent, linger 5 ms)"
  ./tally bench broker --duration 300s > "$work/broker.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 1 120); do grep -q '^broker ready' "$work/broker.log" && break; sleep 0.5; done
  bootstrap="$(sed -n 's/^broker ready: \([^ ]*\) .*/\1/p' "$work/broker.log")"
  java -cp "app/target/app-0.1.0-SNAPSHOT.jar:app/target/lib/*" org.apache.kafka.tools.ProducerPerformance \
    --topic perf --num-records 1000000 --record-size 100 --throughput -1 \
    --producer-props bootstrap.servers="$bootstrap" acks=all enable.idempotence=true linger.ms=5 > "$work/producer.log" 2>&1
  stop_pid "$broker_pid"; broker_pid=""
  summary="$(grep 'records sent' "$work/producer.log" | tail -1)"
  echo "$summary"
  figure kafka.producer_perf.throughput "$(echo "$summary" | sed -n 's/.*sent, \([0-9.]*\) records\/sec.*/\1/p')"
  figure kafka.producer_perf.unit "records/s"
  figure kafka.producer_perf.p50_ms "$(echo "$summary" | sed -n 's/.* \([0-9.]*\) ms 50th.*/\1/p')"
  figure kafka.producer_perf.p99_ms "$(echo "$summary" | sed -n 's/.* \([0-9.]*\) ms 99th.*/\1/p')"
  figure kafka.producer_perf.note "100 B records, acks=all, idempotent, linger.ms=5, send to ack"

  say "8 PostgreSQL hot-row UPDATE (pgbench -c 16, $duration s)"
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$pg_bin" ] || ! command -v pgbench >/dev/null; then
    apt-get install -y -q postgresql >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  pg_port="$(free_port)"
  pg_data="$work/pg"
  mkdir -p "$pg_data" && chown postgres "$pg_data"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w \
    -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" start >/dev/null
  psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c \
    "CREATE TABLE counters (id int PRIMARY KEY, c bigint NOT NULL); INSERT INTO counters VALUES (1, 0);"
  echo 'UPDATE counters SET c = c + 1 WHERE id = 1;' > "$work/hot.sql"
  mkdir -p "$work/pglog" && chmod 777 "$work/pglog"
  (cd "$work/pglog" && pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -n -c 16 -j 2 -T "$duration" \
    -f "$work/hot.sql" -l postgres) > "$work/pgbench.log" 2>&1
  cat "$work"/pglog/pgbench_log.* | awk '{ print $3 }' | sort -n > "$work/pg_latencies"
  figure pg.hot_update.throughput "$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/pgbench.log")"
  figure pg.hot_update.unit "tx/s"
  figure pg.hot_update.p50_ms "$(pct "$work/pg_latencies" 50)"
  figure pg.hot_update.p99_ms "$(pct "$work/pg_latencies" 99)"
  figure pg.hot_update.note "pgbench -c 16 -j 2, one row, synchronous_commit on"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null; pg_data=""
fi

# ---------------------------------------------------------------------------------------------- the table
say "done in $((SECONDS - started)) s; figures in $figures"
{
  echo
  echo "order of systems (fixed):"
  printf '  %s\n' "${order[@]}"
  echo
  ./tally bench report "$figures"
  echo
  echo "versions:"
  echo "  machine     $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  os          Debian $(cat /etc/debian_version 2>/dev/null)"
  echo "  java        $(java -version 2>&1 | head -1)"
  echo "  kafka       $(ls app/target/lib | sed -n 's/^kafka-streams-\(.*\)\.jar$/\1/p') (kafka-streams), rocksdbjni $(ls app/target/lib | sed -n 's/^rocksdbjni-\(.*\)\.jar$/\1/p')"
  echo "  javalin     $(ls app/target/lib | sed -n 's/^javalin-\([0-9.]*\)\.jar$/\1/p'), jetty $(ls app/target/lib | sed -n 's/^jetty-server-\(.*\)\.jar$/\1/p'), lettuce $(ls bench/target/lib | sed -n 's/^lettuce-core-\(.*\)\.jar$/\1/p')"
  echo "  redis       $(redis-server --version | awk '{print $3}')"
  echo "  generators  $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), $(h2load --version 2>&1 | head -1)"
  echo "  settings    $duration s measured per row after >= $warm_min s warm-up (5 s steps until two agree within 10%, at most $warm_max s); $connections connections for reads, $write_connections for writes, $ryw_connections for W2, $batch_connections for batches; wrk -t $wrk_threads; reads over 1 M posts of which $preload hold counts; storage $storage_posts posts; replay $replay_events events"
  echo "  command     $(env | grep '^BENCH_' | sort | tr '\n' ' ')bench/compare.sh"
} | tee "$run_dir/table.txt"
