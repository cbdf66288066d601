#!/usr/bin/env bash
# Cost of row-level security, on demand: one database (ROWS activities of org 'bench', load.sql) and
# three servers over it at once, each request alternated between them round by round:
#   base      the build of BENCH_BASE (default: the merge base with main) as 'postgres': no RLS
#             mechanism at all, and a superuser skips the policies;
#   mechanism this build as 'postgres': every command carries the CALL that sets the org, the
#             batch COPY goes through the staging table, the policies are skipped (superuser);
#   rls       this build as the runtime login 'activityfeed_app': everything, as deployed.
# wrk (-t2) for DURATION s per request per server, ROUNDS rounds; medians of requests/s and p50.
# Usage: scripts/bench/rls.sh   (ROWS 200000, ROUNDS 3, DURATION 10, WARMUP 20, CONNECTIONS 16)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
port=${ACTIVITYFEED_PG_PORT:-54329}
pgdata="${ACTIVITYFEED_PGDATA:-$root/.data/pg}"
db=activityfeed_rls
rows=${ROWS:-200000}
base=${BENCH_BASE:-$(git merge-base HEAD main)}
# shellcheck source=../lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=../lib/bench-tools.sh
source scripts/lib/bench-tools.sh
ensure_bench_tools
ensure_local_cluster "$pgdata" "$port"
psql_() { psql -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_ -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
psql_ -qc "CREATE DATABASE $db" >/dev/null

work="$root/.data/rls-bench"
rm -rf "$work" && mkdir -p "$work/base-src"
git archive "$base" | tar -x -C "$work/base-src"
dotnet build src/ActivityFeed.Api -c Release -nologo -v quiet -o "$work/rls-bin" >&2
dotnet build "$work/base-src/src/ActivityFeed.Api" -c Release -nologo -v quiet -o "$work/base-bin" >&2

owner="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db"
runtime="Host=127.0.0.1;Port=$port;Username=activityfeed_app;Database=$db"
export ConnectionStrings__ActivityFeed="$owner"
dotnet "$work/rls-bin/ActivityFeed.Api.dll" migrate 2>/dev/null
ensure_runtime_login "$port" activityfeed_app
key=$(dotnet "$work/rls-bin/ActivityFeed.Api.dll" bootstrap --org-name Bench --org-id bench 2>/dev/null | sed -E 's/.*"api_key":"([^"]+)".*/\1/')
echo "loading $rows activities..." >&2
psql_ -d "$db" -v ON_ERROR_STOP=1 -q -v rows="$rows" -f scripts/bench/load.sql

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start() { # NAME BIN CONNECTION PORT
  (cd "$2" && ASPNETCORE_ENVIRONMENT=Production ActivityFeed__RateLimit__Enabled=false ActivityFeed__MigrateOnStartup=false \
    ConnectionStrings__ActivityFeed="$3" exec dotnet ActivityFeed.Api.dll --urls "http://127.0.0.1:$4" >"$work/$1.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$4/health/ready" >/dev/null && return 0; sleep 1; done
  echo "$1 did not start (log: $work/$1.log)" >&2; return 1
}
start base "$work/base-bin" "$owner" 5191
start mechanism "$work/rls-bin" "$owner" 5192
start rls "$work/rls-bin" "$runtime" 5193

echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git rev-parse --short HEAD) against base $(git rev-parse --short "$base")"
echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- PostgreSQL $(psql_ -tAc 'SHOW server_version'), default settings; $rows activities in org bench"
python3 scripts/bench/rls.py --key "$key" --work "$work" --rounds "${ROUNDS:-3}" --duration "${DURATION:-10}" \
  --warmup "${WARMUP:-20}" --connections "${CONNECTIONS:-16}"
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
