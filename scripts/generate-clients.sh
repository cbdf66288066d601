#!/usr/bin/env bash
# Regenerates both clients from openapi/v1.json: the TypeScript types (openapi-typescript, pinned in
# clients/typescript/package-lock.json) and the C# client (Kiota, pinned in dotnet-tools.json).
# With --check it generates into a temporary directory and fails when the committed code differs
# (scripts/test.sh runs it so). Any warning or error a generator reports about the document fails too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)
check=""; [ "${1:-}" = "--check" ] && check=1

ts_out=clients/typescript/src/generated
cs_out=clients/csharp/ActivityFeed.Client/Generated
if [ -n "$check" ]; then
  # As deep in the tree as the real output, so that kiota-lock.json's relative path to the document matches.
  scratch="$root/clients/csharp/.generate-check"; rm -rf "$scratch"; trap 'rm -rf "$scratch"' EXIT
  ts_target="$scratch/ts"; cs_target="$scratch/Generated"
else
  ts_target="$root/$ts_out"; cs_target="$root/$cs_out"
fi
mkdir -p "$ts_target" "$cs_target"

[ -d clients/typescript/node_modules ] || (cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error)
(cd clients/typescript && npx --no-install openapi-typescript ../../openapi/v1.json -o "$ts_target/api.ts" 2>&1) | tee "${scratch:-/tmp}/openapi-typescript.log" >&2
if grep -Eiq 'warn|error' "${scratch:-/tmp}/openapi-typescript.log"; then echo "openapi-typescript reported problems with the document." >&2; exit 1; fi

dotnet tool restore >/dev/null
# Relative paths keep kiota-lock.json the same on every machine.
KIOTA_TUTORIAL_ENABLED=false dotnet kiota generate --language CSharp --openapi openapi/v1.json \
  --output "$(realpath --relative-to="$root" "$cs_target")" --class-name ActivityFeedApiClient --namespace-name ActivityFeed.Client \
  --clean-output --exclude-backward-compatible --log-level Warning 2>&1 | tee "${scratch:-/tmp}/kiota.log" >&2
# Each log entry is a "warn: …" line and its message; the one entry allowed is Kiota failing to
# reach its release feed for an update check (none of the document's business, and offline here).
problems=$(grep -A1 -E '^(warn|fail|crit):' "${scratch:-/tmp}/kiota.log" | grep -vE '^(warn|fail|crit):|^--$' | grep -v 'Unable to check for updates' || true)
if [ -n "$problems" ]; then echo "Kiota reported problems with the document:" >&2; echo "$problems" >&2; exit 1; fi

if [ -n "$check" ]; then
  diff -r "$ts_target/api.ts" "$ts_out/api.ts" >/dev/null && diff -r "$cs_target" "$cs_out" >/dev/null \
    || { echo "The committed clients differ from what scripts/generate-clients.sh generates from openapi/v1.json: run it and commit the result." >&2
         diff -r "$ts_target/api.ts" "$ts_out/api.ts" | head -20 >&2 || true; diff -r "$cs_target" "$cs_out" | head -20 >&2 || true; exit 1; }
  echo "Generated clients match openapi/v1.json."
else
  echo "Clients regenerated: $ts_out, $cs_out."
fi
