#!/usr/bin/env bash
# The local PostgreSQL cluster that ./scripts/run.sh made for this checkout:
#   ./scripts/local-db.sh status   where it lives and whether it runs
#   ./scripts/local-db.sh stop     stop it (the next ./scripts/run.sh starts it again)
#   ./scripts/local-db.sh remove   stop it and delete its data and the demo key
# As a normal user it is .data/pg; as root /var/lib/activityfeed/<hash>/pg (see lib/postgres.sh).
# Honours ACTIVITYFEED_PGDATA like run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh
pgdata=$(local_pgdata "$(pwd -P)")
state=$(dirname "$pgdata")

case "${1:-status}" in
  status)
    if [ ! -f "$pgdata/PG_VERSION" ]; then
      echo "No local cluster for this checkout (it would be in $pgdata)."
    elif port=$(pg_running_port "$pgdata"); then
      echo "Cluster in $pgdata: running on 127.0.0.1:$port."
    else
      echo "Cluster in $pgdata: stopped."
    fi;;
  stop)
    stop_local_cluster "$pgdata";;
  remove)
    stop_local_cluster "$pgdata"
    rm -rf "$pgdata" "$pgdata".init-* "$state/demo.json" "$state/demo.json.tmp"
    # The per-checkout folder under /var/lib/activityfeed holds nothing else.
    case "$state" in
      /var/lib/activityfeed/*) rm -f "$state/checkout"; rmdir "$state" 2>/dev/null || true;;
    esac
    echo "Removed $pgdata and the demo key.";;
  *)
    echo "usage: $0 status|stop|remove" >&2; exit 2;;
esac
