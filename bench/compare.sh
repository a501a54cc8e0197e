#!/usr/bin/env bash
# Runs tally's benchmark scenarios and its anchors one after another on this machine, then prints ONE table of
# figures and ratios and the versions of everything that ran. Every anchor runs on 127.0.0.1, on a free port, and is
# stopped by this script. Takes about 7 minutes with the defaults on 2 idle cores.
#
#   bench/compare.sh                      # defaults: 8 s per scenario after a 5 s warm-up, 64 connections
#   BENCH_DURATION=20s bench/compare.sh   # longer runs
#
# Anchors: Redis INCR/GET (redis-benchmark -c 50, with and without -P 16; installs Debian's redis-server if missing),
# PostgreSQL hot-row UPDATE (pgbench -c 16, a throw-away cluster), Kafka's ProducerPerformance against the same
# embedded broker tally uses, a plain Kafka Streams groupByKey().count() (the replay scenario) and a static Javalin
# endpoint (http-floor).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

duration="${BENCH_DURATION:-8s}"
# Long enough for the JIT: with 2 s the first measured seconds ran at half the steady rate.
warmup="${BENCH_WARMUP:-5s}"
connections="${BENCH_CONNECTIONS:-64}"
# A PUT waits until the processor has committed it (read-your-writes), so a closed loop of single writes is bound by
# connections / commit latency: writes get more connections to show the rate rather than the latency.
write_connections="${BENCH_WRITE_CONNECTIONS:-128}"
preload="${BENCH_PRELOAD:-20000}"
storage_posts="${BENCH_STORAGE_POSTS:-100000}"
replay_events="${BENCH_REPLAY_EVENTS:-200000}"
producer_records="${BENCH_PRODUCER_RECORDS:-1000000}"
redis_requests="${BENCH_REDIS_REQUESTS:-200000}"
pg_seconds="${BENCH_PG_SECONDS:-8}"

run_dir="bench/results/compare-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"
figures="$run_dir/figures.tsv"
: > "$figures"
work="$(mktemp -d /tmp/tally-compare.XXXXXX)"
chmod 755 "$work"
started=$SECONDS

redis_pid=""
broker_pid=""
pg_data=""
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  if [ -n "$broker_pid" ]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
  if [ -n "$pg_data" ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }
figure() { printf '%s\t%s\n' "$1" "$2" >> "$figures"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
bench() { ./tally bench "$@" --figures "$figures" --results "$run_dir" 2>>"$run_dir/progress.log" | tee -a "$run_dir/bench.log"; }
# Percentile (in ms) of a file of latencies in microseconds, one per line.
percentile() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.3f", v[i] / 1000 }'; }

say "build"
./tally bench --help >/dev/null 2>&1 || true   # builds on first use
test -f bench/target/bench-0.1.0-SNAPSHOT.jar || { echo "compare: the bench module did not build" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- tally over HTTP
common=(--duration "$duration" --warmup "$warmup" --connections "$connections")
say "static Javalin endpoint (floor of HTTP here)"
bench http-floor "${common[@]}"
writes=(--duration "$duration" --warmup "$warmup" --connections "$write_connections")
for scenario in write-uniform write-hot write-async; do
  say "tally $scenario"
  bench "$scenario" "${writes[@]}"
done
say "tally write-batch (1,000 events per POST)"
bench write-batch --duration "$duration" --warmup "$warmup" --connections 4
for scenario in read mixed feed; do
  say "tally $scenario (posts 1..$preload hold counts)"
  bench "$scenario" "${common[@]}" --preload "$preload"
  if [ "$scenario" = read ]; then
    # Server-side latency of a busy server that is not saturated: on two cores shared with the load generator, a
    # saturated server's handler times are mostly waits for a core.
    half="$(awk -F'\t' '$1 == "read.throughput" { printf "%d", $2 / 2 }' "$figures")"
    say "tally read-half (fixed rate $half req/s, half of read)"
    bench read-half "${common[@]}" --preload "$preload" --rate "$half"
  fi
done
say "tally freshness (at half the measured max write rate)"
bench freshness "${writes[@]}"
say "tally storage ($storage_posts posts)"
bench storage --events "$storage_posts"
say "tally topology vs groupByKey().count() over $replay_events events already in Kafka"
bench replay --events "$replay_events"

# ---------------------------------------------------------------------------------------------- Kafka producer
say "Kafka ProducerPerformance ($producer_records x 100 B, acks=all, idempotent, linger 5 ms, 6 partitions)"
./tally bench broker --duration 300s > "$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 120); do grep -q '^broker ready' "$work/broker.log" && break; sleep 0.5; done
bootstrap="$(sed -n 's/^broker ready: \([^ ]*\) .*/\1/p' "$work/broker.log")"
if [ -z "$bootstrap" ]; then cat "$work/broker.log" >&2; echo "compare: the broker did not start" >&2; exit 1; fi
java -cp "app/target/app-0.1.0-SNAPSHOT.jar:app/target/lib/*" org.apache.kafka.tools.ProducerPerformance \
  --topic perf --num-records "$producer_records" --record-size 100 --throughput -1 \
  --producer-props bootstrap.servers="$bootstrap" acks=all enable.idempotence=true linger.ms=5 \
  > "$work/producer.log" 2>&1
kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true; broker_pid=""
summary="$(grep 'records sent' "$work/producer.log" | tail -1)"
echo "$summary"
# "2000000 records sent, 412345.6 records/sec (39.32 MB/sec), 45.20 ms avg latency, 300.00 ms max latency,
#  40 ms 50th, 120 ms 95th, 200 ms 99th, 290 ms 99.9th."
figure kafka.producer_perf.throughput "$(echo "$summary" | sed -n 's/.*sent, \([0-9.]*\) records\/sec.*/\1/p')"
figure kafka.producer_perf.unit "records/s"
figure kafka.producer_perf.p50_ms "$(echo "$summary" | sed -n 's/.* \([0-9.]*\) ms 50th.*/\1/p')"
figure kafka.producer_perf.p99_ms "$(echo "$summary" | sed -n 's/.* \([0-9.]*\) ms 99th.*/\1/p')"
figure kafka.producer_perf.p999_ms "$(echo "$summary" | sed -n 's/.* \([0-9.]*\) ms 99.9th.*/\1/p')"
figure kafka.producer_perf.max_ms "$(echo "$summary" | sed -n 's/.* \([0-9.]*\) ms max latency.*/\1/p')"
figure kafka.producer_perf.note "100 B records, acks=all, idempotent, linger.ms=5, 6 partitions, send to ack"

# ---------------------------------------------------------------------------------------------- Redis
say "Redis INCR and GET (redis-benchmark -c 50, $redis_requests requests, with and without -P 16)"
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  apt-get install -y -q redis-server >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q redis-server >/dev/null; }
fi
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
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true; redis_pid=""

# ---------------------------------------------------------------------------------------------- PostgreSQL
say "PostgreSQL hot-row UPDATE (pgbench -c 16, ${pg_seconds} s)"
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
(cd "$work/pglog" && pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -n -c 16 -j 2 -T "$pg_seconds" \
  -f "$work/hot.sql" -l postgres) > "$work/pgbench.log" 2>&1
grep -E 'tps|latency' "$work/pgbench.log"
cat "$work"/pglog/pgbench_log.* | awk '{ print $3 }' > "$work/pg_latencies"
figure pg.hot_update.throughput "$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/pgbench.log")"
figure pg.hot_update.unit "tx/s"
figure pg.hot_update.p50_ms "$(percentile "$work/pg_latencies" 50)"
figure pg.hot_update.p99_ms "$(percentile "$work/pg_latencies" 99)"
figure pg.hot_update.p999_ms "$(percentile "$work/pg_latencies" 99.9)"
figure pg.hot_update.max_ms "$(percentile "$work/pg_latencies" 100)"
figure pg.hot_update.note "pgbench -c 16 -j 2, one row, synchronous_commit on (fsync per commit)"
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null; pg_data=""

# ---------------------------------------------------------------------------------------------- the table
say "done in $((SECONDS - started)) s; figures in $figures"
{
  echo
  ./tally bench report "$figures"
  echo
  echo "versions:"
  echo "  machine     $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(uname -sr)"
  echo "  os          Debian $(cat /etc/debian_version 2>/dev/null)"
  echo "  java        $(java -version 2>&1 | head -1)"
  echo "  kafka       $(ls app/target/lib | sed -n 's/^kafka-streams-\(.*\)\.jar$/\1/p') (kafka-streams, kafka_2.13, kafka-tools), rocksdbjni $(ls app/target/lib | sed -n 's/^rocksdbjni-\(.*\)\.jar$/\1/p')"
  echo "  javalin     $(ls app/target/lib | sed -n 's/^javalin-\([0-9.]*\)\.jar$/\1/p'), jetty $(ls app/target/lib | sed -n 's/^jetty-server-\(.*\)\.jar$/\1/p')"
  echo "  redis       $(redis-server --version | awk '{print $3}')"
  echo "  postgresql  $("$pg_bin/postgres" --version | awk '{print $3}'), $(pgbench --version)"
  echo "  settings    $duration per scenario after $warmup warm-up; $connections connections for reads, $write_connections for single writes, 4 for batches; reads over 1 M posts of which $preload hold counts; storage $storage_posts posts; replay $replay_events events"
} | tee "$run_dir/table.txt"
