#!/usr/bin/env bash
# A/B of two server builds on one loaded database: both servers run at once, each is warmed up,
# then wrk alternates between them for ROUNDS rounds of DURATION seconds on one request path, so
# machine noise falls on both alike and the ratio is what counts.
# Usage: CONNECTION="Host=…;Database=…;Username=…" KEY=afk.… \
#          scripts/bench/ab.sh <old build dir> <new build dir> </orgs/…/path>
#   ROUNDS (3), DURATION (15), WARMUP (40), CONNECTIONS (16). NEW_ENV="NAME=value …": extra
#   environment for the new server only (to A/B a runtime setting on one build). BODY=file: POST
#   that JSON body instead of a GET (scripts/bench/post.lua). A build dir holds ActivityFeed.Api.dll
#   (e.g. `dotnet build src/ActivityFeed.Api -c Release -o /tmp/new`). The database must already
#   be migrated for the newer build (start it once alone with ActivityFeed:MigrateOnStartup).
set -euo pipefail
# shellcheck source=../lib/bench-tools.sh
source "$(dirname "$0")/../lib/bench-tools.sh"
ensure_bench_tools
old=$1 new=$2 path=$3
: "${CONNECTION:?set CONNECTION to the connection string of the database}" "${KEY:?set KEY to an API key of the org}"
rounds=${ROUNDS:-3} duration=${DURATION:-15} warmup=${WARMUP:-40} connections=${CONNECTIONS:-16}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

start() { # dir port [NAME=value …]
  # shellcheck disable=SC2086 # the extra environment is word-split on purpose
  (cd "$1" && exec env ConnectionStrings__ActivityFeed="$CONNECTION" ASPNETCORE_ENVIRONMENT=Production \
    ActivityFeed__RateLimit__Enabled=false ActivityFeed__MigrateOnStartup=false Serilog__MinimumLevel__Default=Warning ${3:-} \
    dotnet ActivityFeed.Api.dll --urls "http://127.0.0.1:$2") >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null && return; sleep 0.5; done
  echo "the server in $1 did not become ready" >&2; exit 1
}
post=()
[ -n "${BODY:-}" ] && post=(-s "$(dirname "$0")/post.lua")
rate() { # port seconds
  BODY=${BODY:-} wrk -t2 -c"$connections" -d"$2"s "${post[@]}" -H "Authorization: Bearer $KEY" "http://127.0.0.1:$1$path" | awk '/Requests\/sec/ {print $2}'
}

start "$old" 5201
start "$new" 5202 "${NEW_ENV:-}"
for port in 5201 5202; do
  if [ -n "${BODY:-}" ]; then
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "@$BODY" "http://127.0.0.1:$port$path")
    [ "$status" = 201 ] || { echo "POST $path on $port answered $status" >&2; exit 1; }
  else
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port$path")
    [ "$status" = 200 ] || { echo "GET $path on $port answered $status" >&2; exit 1; }
  fi
  rate "$port" "$warmup" >/dev/null # tiered JIT reaches steady speed
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); c=$connections, t=2, ${rounds} rounds of ${duration}s each, alternating"
for round in $(seq 1 "$rounds"); do
  a=$(rate 5201 "$duration"); b=$(rate 5202 "$duration")
  echo "round $round: old $a req/s, new $b req/s, new/old $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
