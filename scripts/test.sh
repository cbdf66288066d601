#!/usr/bin/env bash
# Runs every check: the .NET test suite (against ACTIVITYFEED_TEST_DATABASE, or Testcontainers
# when Docker answers, or a throwaway local PostgreSQL cluster that the tests start and stop),
# the compose file check, the OpenAPI lints (Redocly, Spectral) and a check that the clients in
# clients/ are what scripts/generate-clients.sh makes of openapi/v1.json (with a Node.js that
# supports them: scripts/lib/node.sh installs one when the system's is too old; the generated
# clients' walks inside dotnet test need it too, with Prism from tools/), and
# scripts/test-fresh.sh (the README's run command from a clone in a 0700 home). Installs Debian's
# Chromium when missing, for the browser EventSource test.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh

# shellcheck source=lib/chromium.sh
source scripts/lib/chromium.sh
ensure_chromium

# Node tooling first: the generated-client tests inside dotnet test run the TypeScript walk and
# Prism (the validating proxy) from tools/.
echo "== Node tooling (tools/, clients/typescript/)"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
ensure_node
(cd tools && npm ci --no-audit --no-fund --loglevel=error)
(cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error)

if [ -z "${ACTIVITYFEED_TEST_DATABASE:-}" ]; then
  ensure_postgres_installed
  export ACTIVITYFEED_PG_BIN="${ACTIVITYFEED_PG_BIN:-$(pg_bin_dir)}"
fi

echo "== dotnet test"
results=$(mktemp -d)
# The generated-client walks record how many answers the validating proxy checked.
export ACTIVITYFEED_VALIDATION_REPORT="$results/validated.txt"
: > "$ACTIVITYFEED_VALIDATION_REPORT"
# The adversarial suites (cross-tenant probes, generated bad input, faults) record their counts.
export ACTIVITYFEED_SECURITY_REPORT="$results/security.txt"
: > "$ACTIVITYFEED_SECURITY_REPORT"
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

echo "== generated clients against a live server, every answer validated against openapi/v1.json"
cat "$ACTIVITYFEED_VALIDATION_REPORT"
[ "$(grep -c 'responses validated' "$ACTIVITYFEED_VALIDATION_REPORT")" -eq 2 ] \
  || { echo "The C# and TypeScript walks did not both report their validated answers."; exit 1; }

echo "== adversarial suites (docs/security.md quotes these counts)"
cat "$ACTIVITYFEED_SECURITY_REPORT"
for suite in "cross-tenant probes" "generated bad input" "faults: server SIGKILLed mid-batch" "faults: database restarted under load" \
             "faults: concurrent PATCHes of one activity" "faults: overlapping concurrent batches"; do
  grep -q "^$suite: " "$ACTIVITYFEED_SECURITY_REPORT" || { echo "The adversarial suite '$suite' did not report its counts."; exit 1; }
done

echo "== OpenAPI lint (Redocly, Spectral) and the committed generated clients"
(cd tools && npm run --silent lint:openapi && npm run --silent lint:spectral)
./scripts/generate-clients.sh --check

echo "== ./scripts/run.sh from a fresh clone in a 0700 home"
./scripts/test-fresh.sh

echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
