#!/usr/bin/env bash
# Runs the API server. With ConnectionStrings__ActivityFeed set it just migrates and serves
# (migrations as ConnectionStrings__ActivityFeedMigrations when set, see README, Tenant isolation).
# Without it, it provisions a local PostgreSQL cluster (installing PostgreSQL if it is missing),
# migrates it as the owner ('postgres'), serves as the runtime login 'activityfeed_app' (subject to
# row-level security), creates a demo org once and prints its admin key with a curl line to try. The cluster lives in
# .data/pg as a normal user, and as root in /var/lib/activityfeed/<hash of the checkout path>/pg,
# owned by the 'postgres' user (see scripts/lib/postgres.sh); the output says where, and
# ./scripts/local-db.sh stop|remove stops or deletes it. A second run reuses it.
#   Options (environment): ACTIVITYFEED_URL (default http://127.0.0.1:5080),
#   ACTIVITYFEED_PG_PORT (default 54329), ACTIVITYFEED_PGDATA (the data directory).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)
url=${ACTIVITYFEED_URL:-http://127.0.0.1:5080}
project=src/ActivityFeed.Api

dotnet build "$project" -c Release -nologo -v quiet >&2
# Run from the build output so appsettings.json there is the configuration read.
server=(dotnet "$root/$project/bin/Release/net10.0/ActivityFeed.Api.dll")

if [ -z "${ConnectionStrings__ActivityFeed:-}" ]; then
  # shellcheck source=lib/postgres.sh
  source scripts/lib/postgres.sh
  port=${ACTIVITYFEED_PG_PORT:-54329}
  pgdata=$(local_pgdata "$root")
  ensure_local_cluster "$pgdata" "$port"
  ensure_database "$port" activityfeed
  export ConnectionStrings__ActivityFeedMigrations="Host=127.0.0.1;Port=$port;Username=postgres;Database=activityfeed"
  export ConnectionStrings__ActivityFeed="Host=127.0.0.1;Port=$port;Username=activityfeed_app;Database=activityfeed"

  "${server[@]}" migrate
  ensure_runtime_login "$port" activityfeed_app
  # The demo key belongs to this cluster, so it sits beside it (only its hash is in the database).
  demo="$(dirname "$pgdata")/demo.json"
  if [ ! -s "$demo" ]; then
    # From creating the org until its key is on disk a Ctrl-C only takes effect afterwards (the
    # bootstrap runs in its own session, out of the terminal's reach): a key lost in between would
    # leave an org 'demo' that no later run could bootstrap again.
    interrupted=""
    trap 'interrupted=1' INT
    old_umask=$(umask)
    umask 077
    if ! setsid -w "${server[@]}" bootstrap --org-name "Demo org" --org-id demo > "$demo.tmp"; then
      rm -f "$demo.tmp"
      echo "Could not create the demo org. If the database has one but $demo is gone, start over with ./scripts/local-db.sh remove." >&2
      exit 1
    fi
    mv "$demo.tmp" "$demo"
    umask "$old_umask"
    trap - INT
    [ -z "$interrupted" ] || { echo "Interrupted (the demo key was saved in $demo first)." >&2; exit 130; }
  fi
  org_id=$(sed -E 's/.*"org_id":"([^"]+)".*/\1/' "$demo")
  api_key=$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' "$demo")
  cat >&2 <<MSG

  Demo org:  $org_id
  Admin key: $api_key   (also in $demo)
  Try it:    curl -s -H "Authorization: Bearer $api_key" $url/orgs/$org_id/api-keys
  Swagger:   $url/swagger

MSG
fi

cd "$project/bin/Release/net10.0"
exec "${server[@]}" --urls "$url"
