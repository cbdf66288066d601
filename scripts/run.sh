#!/usr/bin/env bash
# Runs the API server. With ConnectionStrings__ActivityFeed set it just migrates and serves.
# Without it, it provisions a local PostgreSQL cluster in .data/ (installing PostgreSQL if it
# is missing), creates a demo org once and prints its admin key with a curl line to try.
#   Options (environment): ACTIVITYFEED_URL (default http://127.0.0.1:5080),
#   ACTIVITYFEED_PG_PORT (default 54329), ACTIVITYFEED_PGDATA (default .data/pg).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
url=${ACTIVITYFEED_URL:-http://127.0.0.1:5080}
project=src/ActivityFeed.Api

dotnet build "$project" -c Release -nologo -v quiet >&2
# Run from the build output so appsettings.json there is the configuration read.
server=(dotnet "$root/$project/bin/Release/net10.0/ActivityFeed.Api.dll")

if [ -z "${ConnectionStrings__ActivityFeed:-}" ]; then
  # shellcheck source=lib/postgres.sh
  source scripts/lib/postgres.sh
  port=${ACTIVITYFEED_PG_PORT:-54329}
  ensure_local_cluster "${ACTIVITYFEED_PGDATA:-$root/.data/pg}" "$port"
  ensure_database "$port" activityfeed
  export ConnectionStrings__ActivityFeed="Host=127.0.0.1;Port=$port;Username=postgres;Database=activityfeed"

  "${server[@]}" migrate
  demo="$root/.data/demo.json"
  if [ ! -s "$demo" ]; then
    "${server[@]}" bootstrap --org-name "Demo org" --org-id demo > "$demo.tmp" && mv "$demo.tmp" "$demo"
  fi
  org_id=$(sed -E 's/.*"org_id":"([^"]+)".*/\1/' "$demo")
  api_key=$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' "$demo")
  cat >&2 <<MSG

  Demo org:  $org_id
  Admin key: $api_key   (also in .data/demo.json)
  Try it:    curl -s -H "Authorization: Bearer $api_key" $url/orgs/$org_id/api-keys
  Swagger:   $url/swagger

MSG
fi

cd "$project/bin/Release/net10.0"
exec "${server[@]}" --urls "$url"
