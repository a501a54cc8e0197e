#!/usr/bin/env bash
# A/B of tally's read path: several builds (or JVM options) served at once, measured in alternation in one run, so
# that a busy machine slows each the same. compare.sh measures one build against its anchors; this compares builds.
#
#   bench/ab-reads.sh snapshot DIR              # package this tree (mvn -pl app,bench -am package) and copy its jars to DIR
#   bench/ab-reads.sh ROUNDS RATE NAME=DIR[:JAVA_OPTS] ...
#
# Each NAME is `./tally bench serve-tally --preload 20000` from the jars in DIR (a NAME starting with "static" is
# `serve-static` instead: the bare Javalin route, the floor of R0). All start first, each is warmed with wrk, then in
# ROUNDS rounds, in an order that rotates each round:
#   GET   wrk -t2 -c64 10 s of GET /v1/{random post of 1 M}/likes (bench/wrk/tally.lua), req/s and closed-loop p99
#   LIVE  wrk -t2 -c64 10 s of GET /health/live (the static route for a static NAME)
#   HALF  h2load --h1 -c64 at RATE req/s for 15 s over 20,000 random posts: the server-side p50/p99/p99.9/max of
#         GET /v1/{post_id}/{counter} over that window (the serve-tally control API's server-times), and the
#         client-side p99
# then each server's resident memory. SKIP_GET=1, SKIP_LIVE=1, SKIP_HALF=1 leave a kind out.
#
# Example (main's build against this branch's, and this branch under ZGC):
#   git stash; bench/ab-reads.sh snapshot /tmp/tally-main; git stash pop; bench/ab-reads.sh snapshot /tmp/tally-new
#   bench/ab-reads.sh 3 6000 static=/tmp/tally-new main=/tmp/tally-main new=/tmp/tally-new "zgc=/tmp/tally-new:-XX:+UseZGC"
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lua="$root/bench/wrk/tally.lua"

if [ "${1:-}" = snapshot ]; then
  dir="${2:?snapshot DIR}"
  (cd "$root" && mvn -q -B -DskipTests package -pl app,bench -am) || exit 1
  rm -rf "$dir" && mkdir -p "$dir/bench"
  cp -r "$root/app/target/app-0.1.0-SNAPSHOT.jar" "$root/app/target/lib" "$dir/"
  cp -r "$root/bench/target/bench-0.1.0-SNAPSHOT.jar" "$root/bench/target/lib" "$dir/bench/"
  echo "snapshot of $(cd "$root" && git rev-parse --short HEAD) in $dir"
  exit 0
fi

rounds="${1:?ROUNDS}"; rate="${2:?RATE}"; shift 2
work="$(mktemp -d /tmp/tally-ab.XXXXXX)"
declare -A url control pid
tallies=(); statics=()
stop() { for n in "${!pid[@]}"; do kill "${pid[$n]}" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap stop EXIT

start() {  # NAME DIR JAVA_OPTS SCENARIO ARGS...
  local name="$1" dir="$2" opts="$3" line; shift 3
  # shellcheck disable=SC2086
  java $opts -cp "$dir/bench/bench-0.1.0-SNAPSHOT.jar:$dir/bench/lib/*:$dir/app-0.1.0-SNAPSHOT.jar:$dir/lib/*" \
    dev.tally.bench.BenchMain "$@" > "$work/$name.log" 2>&1 &
  pid[$name]=$!
  for _ in $(seq 1 1200); do
    grep -q '^serving ' "$work/$name.log" && break
    kill -0 "${pid[$name]}" 2>/dev/null || break
    sleep 0.5
  done
  line="$(grep '^serving ' "$work/$name.log")" || { tail -20 "$work/$name.log"; echo "ab-reads: $name did not start" >&2; exit 1; }
  url[$name]="$(echo "$line" | awk '{ print $2 }')"
  control[$name]="$(echo "$line" | sed -n 's/.* control \([^ ]*\).*/\1/p')"
  echo "started $name: $dir ${opts:+($opts)} ${url[$name]}"
}

wrk_line() {  # URL MODE SECONDS
  local line
  line="$(TALLY_WRK_MODE="$2" wrk -t 2 -c 64 -d "${3}s" --timeout 10s -s "$lua" "$1" 2>&1 | grep '^wrk.result' | sed 's/^wrk.result //')"
  (eval "$line"; awk -v r="$requests" -v d="$duration_us" -v n="$non2xx" -v a="$p50_us" -v b="$p99_us" \
    'BEGIN { printf "%9.0f req/s  p50 %6.2f ms  p99 %7.2f ms  non-2xx %d\n", (r - n) / (d / 1e6), a / 1000, b / 1000, n }')
}

half_line() {  # NAME
  local n="$1" served
  awk -v base="${url[$n]}" 'BEGIN { srand(7); for (i = 0; i < 20000; i++) printf "%s/v1/%d/likes\n", base, 1 + int(rand() * 1000000) }' > "$work/uris"
  rm -f "$work/h2.log"
  curl -sf -X POST "${control[$n]}/server-times/mark?route=get" > /dev/null
  h2load --h1 -c 64 -t 1 --rps "$(awk -v r="$rate" 'BEGIN { print r / 64 }')" -D 15 -i "$work/uris" --log-file "$work/h2.log" > /dev/null 2>&1
  served="$(curl -sf "${control[$n]}/server-times?route=get")"
  awk -F'\t' '$2 >= 200 && $2 < 300 { print $3 }' "$work/h2.log" | sort -n > "$work/h2.lat"
  echo "$served" | awk -v ok="$(wc -l < "$work/h2.lat")" -v c="$(awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.3f", v[i] / 1000 }' "$work/h2.lat")" \
    '{ printf "server p50 %.3f  p99 %.3f  p99.9 %.3f  max %.1f ms (%d requests) | client p99 %s ms, %d ok\n", $2, $3, $4, $5, $1, c, ok }'
}

for spec in "$@"; do
  name="${spec%%=*}"; rest="${spec#*=}"; dir="${rest%%:*}"; opts=""; [ "$rest" != "$dir" ] && opts="${rest#*:}"
  if [[ "$name" == static* ]]; then
    start "$name" "$dir" "$opts" serve-static; statics+=("$name")
  else
    start "$name" "$dir" "$opts" serve-tally --preload 20000; tallies+=("$name")
  fi
done
for n in "${statics[@]}"; do for _ in 1 2 3; do wrk_line "${url[$n]}" "" 8 > /dev/null; done; done
for n in "${tallies[@]}"; do for _ in 1 2 3; do wrk_line "${url[$n]}" get 8 > /dev/null; done; wrk_line "${url[$n]}/health/live" "" 8 > /dev/null; done
echo "warmed; load average $(cut -d' ' -f1-3 /proc/loadavg)"

rotate() {  # KIND NAMES...: one line per name per round, the order rotating each round
  local kind="$1"; shift; local names=("$@") k=$# r j n
  for r in $(seq 1 "$rounds"); do
    for j in $(seq 0 $((k - 1))); do
      n="${names[$(( (j + r) % k ))]}"
      case "$kind" in
        GET) echo "round $r GET  $n: $(wrk_line "${url[$n]}" get 10)" ;;
        LIVE) if [[ "$n" == static* ]]; then echo "round $r LIVE $n: $(wrk_line "${url[$n]}" "" 10)";
              else echo "round $r LIVE $n: $(wrk_line "${url[$n]}/health/live" "" 10)"; fi ;;
        HALF) echo "round $r HALF $n at $rate/s: $(half_line "$n")" ;;
      esac
    done
  done
}
[ -z "${SKIP_GET:-}" ] && rotate GET "${tallies[@]}"
[ -z "${SKIP_LIVE:-}" ] && rotate LIVE "${statics[@]}" "${tallies[@]}"
[ -z "${SKIP_HALF:-}" ] && rotate HALF "${tallies[@]}"
for n in "${tallies[@]}" "${statics[@]}"; do echo "$n resident $(( $(ps -o rss= -p "${pid[$n]}") / 1024 )) MB"; done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
