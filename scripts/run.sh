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
  ensure_postgres_installed
  bin=$(pg_bin_dir)
  port=${ACTIVITYFEED_PG_PORT:-54329}
  pgdata=${ACTIVITYFEED_PGDATA:-$root/.data/pg}
  mkdir -p "$(dirname "$pgdata")"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    mkdir -p "$pgdata"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pgdata"
    chmod 700 "$pgdata"
    # Trust on loopback only: a developer's throwaway cluster, never a production setup.
    as_pg_user "$bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg_user "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    as_pg_user "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=" start >/dev/null
    echo "PostgreSQL started on 127.0.0.1:$port (data in $pgdata; stop with: $bin/pg_ctl -D $pgdata stop)" >&2
  fi
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='activityfeed'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE activityfeed" >/dev/null
  fi
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
