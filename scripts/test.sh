#!/usr/bin/env bash
# Runs every check: the .NET test suite (against ACTIVITYFEED_TEST_DATABASE, or Testcontainers
# when Docker answers, or a throwaway local PostgreSQL cluster that the tests start and stop),
# the compose file check, the OpenAPI lint and a type-check of a client generated from it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh

if [ -z "${ACTIVITYFEED_TEST_DATABASE:-}" ]; then
  ensure_postgres_installed
  export ACTIVITYFEED_PG_BIN="${ACTIVITYFEED_PG_BIN:-$(pg_bin_dir)}"
fi

echo "== dotnet test"
results=$(mktemp -d)
set +e
dotnet test ActivityFeed.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" 2>&1 | tee "$results/console.txt"
test_status=${PIPESTATUS[0]}
set -e
summary=$(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/console.txt" | tail -n 1 || true)
if [ -n "$summary" ]; then
  failed=$(echo "$summary" | sed -E 's/Failed: +([0-9]+).*/\1/')
  passed=$(echo "$summary" | sed -E 's/.*Passed: +([0-9]+).*/\1/')
  skipped=$(echo "$summary" | sed -E 's/.*Skipped: +([0-9]+).*/\1/')
fi
[ "$test_status" -eq 0 ] || { echo "dotnet test failed"; echo "tests: ${passed:-0} passed, ${failed:-?} failed"; exit "$test_status"; }

echo "== docker compose config"
if command -v docker >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  # The docker CLI without its compose plugin: Debian's docker-compose checks the file just as well.
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker-compose >/dev/null 2>&1; } || true
fi
if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config -q
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config -q
else
  echo "no docker compose CLI here; skipped"
fi

echo "== OpenAPI lint and generated client"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node/npm not found; installing Debian's nodejs and npm..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >&2 || true
fi
# @redocly/cli needs Node 20.19 or newer; an older Node skips these checks loudly rather than failing the run.
if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  (cd tools && npm ci --no-audit --no-fund --loglevel=error && npm run --silent lint:openapi && npm run --silent client:check)
else
  echo "WARNING: OpenAPI lint and client check skipped: they need Node.js 20.19+ (found: $(node --version 2>/dev/null || echo none))." >&2
fi

echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
