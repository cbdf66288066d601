# Shared by run.sh, local-db.sh and test.sh: find or install PostgreSQL's server binaries, run them
# as the 'postgres' OS user when we are root (initdb and postgres refuse to run as root).
#
# Where run.sh keeps its local cluster (local_state_dir):
#   - as a normal user: in the checkout, .data/pg (run as that user);
#   - as root: /var/lib/activityfeed/<12 hex digits of sha256(checkout path)>/pg, owned by the
#     'postgres' user, because the checkout may sit in a home 'postgres' cannot enter (/root and
#     Debian 12's homes are 0700) and we never loosen a home's permissions. A cluster an older
#     run.sh made in .data/pg as root keeps being used.
#   ACTIVITYFEED_PGDATA overrides the data directory; demo.json sits beside it.

pg_bin_dir() {
  if [ -n "${ACTIVITYFEED_PG_BIN:-}" ] && [ -x "$ACTIVITYFEED_PG_BIN/initdb" ]; then
    echo "$ACTIVITYFEED_PG_BIN"; return 0
  fi
  local initdb
  initdb=$(command -v initdb 2>/dev/null) && { dirname "$(readlink -f "$initdb")"; return 0; }
  # Debian keeps server binaries off PATH, one folder per major version; take the newest.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  return 1
}

ensure_postgres_installed() {
  pg_bin_dir >/dev/null && return 0
  echo "PostgreSQL server not found; installing Debian's 'postgresql' package..." >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  pg_bin_dir >/dev/null || { echo "PostgreSQL install failed." >&2; return 1; }
}

# as_pg_user CMD ARGS...: run a server tool as 'postgres' when root, as ourselves otherwise.
# From /, so a working directory that user cannot enter (a 0700 home) does not matter.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# local_pgdata CHECKOUT: the data directory of the checkout's local cluster (see the top).
local_pgdata() {
  local checkout=$1 hash
  if [ -n "${ACTIVITYFEED_PGDATA:-}" ]; then
    realpath -m "$ACTIVITYFEED_PGDATA"
  elif [ "$(id -u)" -ne 0 ] || [ -f "$checkout/.data/pg/PG_VERSION" ]; then
    echo "$checkout/.data/pg"
  else
    hash=$(printf '%s' "$(cd "$checkout" && pwd -P)" | sha256sum | cut -c1-12)
    echo "/var/lib/activityfeed/$hash/pg"
  fi
}

# print_local_cluster_help PGDATA PORT: where the data lives and how to stop and remove it.
print_local_cluster_help() {
  local pgdata=$1 port=$2 owner="you"
  [ "$(id -u)" -ne 0 ] || owner="the postgres OS user"
  cat >&2 <<MSG
  Data:      $pgdata (owned by $owner; port $port, loopback only, trust auth)
  Stop it:   ./scripts/local-db.sh stop     (it keeps running when the server stops; the next run starts it)
  Remove it: ./scripts/local-db.sh remove   (deletes $(dirname "$pgdata")/demo.json and the cluster)
MSG
}

# pg_running_port PGDATA: the port of the cluster running on PGDATA; fails when it is not running.
pg_running_port() {
  local pgdata=$1 bin
  bin=$(pg_bin_dir) || return 1
  as_pg_user "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1 || return 1
  sed -n 4p "$pgdata/postmaster.pid" 2>/dev/null
}

# ensure_local_cluster DATA_DIR PORT: a loopback-only cluster in DATA_DIR, created and started if
# needed (trust auth: a developer's throwaway database, never a production setup). initdb writes
# into a temporary folder beside DATA_DIR that is renamed only once complete, so an interrupted
# first run leaves no half-made cluster (and the next run removes the leftover folder).
ensure_local_cluster() {
  local pgdata=$1 port=$2 bin state running what
  ensure_postgres_installed
  bin=$(pg_bin_dir)
  state=$(dirname "$pgdata")
  if [ "$(id -u)" -eq 0 ]; then
    case "$state" in
      /var/lib/activityfeed/*) install -d -m 755 /var/lib/activityfeed "$state"
        [ -f "$state/checkout" ] || echo "$(pwd -P)" > "$state/checkout";;
      *) mkdir -p "$state";;
    esac
  else
    mkdir -p "$state"
  fi
  local leftover
  for leftover in "$pgdata".init-*; do
    # An initdb that an interrupted run left (its run.sh is gone): never a cluster, remove it.
    if [ -e "$leftover" ] && ! kill -0 "${leftover##*.init-}" 2>/dev/null; then rm -rf "$leftover"; fi
  done
  what="reusing the cluster"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    [ ! -e "$pgdata" ] || [ -z "$(ls -A "$pgdata" 2>/dev/null)" ] \
      || { echo "$pgdata exists but holds no cluster (no PG_VERSION); move it away or remove it." >&2; return 1; }
    local tmp="$pgdata.init-$$"
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    mkdir -m 700 "$tmp"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$tmp"
    echo "Creating a local PostgreSQL cluster in $pgdata ..." >&2
    local out
    out=$(as_pg_user "$bin/initdb" -D "$tmp" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 2>&1) \
      || { echo "$out" >&2; echo "initdb failed (output above)." >&2; return 1; }
    rmdir "$pgdata" 2>/dev/null || true
    mv -T "$tmp" "$pgdata"
    trap - EXIT
    what="created"
  fi
  if running=$(pg_running_port "$pgdata"); then
    if [ "$running" != "$port" ]; then
      echo "The cluster in $pgdata is already running on port $running, not $port: use ACTIVITYFEED_PG_PORT=$running, or stop it first (./scripts/local-db.sh stop)." >&2
      return 1
    fi
    what="$what (already running)"
  else
    as_pg_user "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=" start >/dev/null \
      || { tail -n 20 "$pgdata/server.log" >&2 || true
           echo "PostgreSQL did not start on 127.0.0.1:$port (log above; another server on that port? set ACTIVITYFEED_PG_PORT)." >&2
           return 1; }
    [ "$what" = created ] || what="$what (started it)"
  fi
  echo "PostgreSQL $("$bin/postgres" --version | grep -oE '[0-9]+(\.[0-9]+)*' | head -n 1) on 127.0.0.1:$port: $what" >&2
  print_local_cluster_help "$pgdata" "$port"
}

# stop_local_cluster PGDATA: stops it when it runs (fast shutdown).
stop_local_cluster() {
  local pgdata=$1 bin
  bin=$(pg_bin_dir) || return 0
  if pg_running_port "$pgdata" >/dev/null; then
    as_pg_user "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
    echo "Stopped the PostgreSQL cluster in $pgdata." >&2
  else
    echo "No PostgreSQL cluster runs in $pgdata." >&2
  fi
}

# ensure_runtime_login PORT NAME: a login role the server runs as, a member of activityfeed_runtime
# (which the RowLevelSecurity migration makes and grants DML to): no superuser, no BYPASSRLS, no
# owner, so row-level security holds for it. Run after the migration.
ensure_runtime_login() {
  local port=$1 name=$2
  psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc "
    DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$name') THEN
        CREATE ROLE $name LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    END \$\$;
    GRANT activityfeed_runtime TO $name;" >/dev/null
}

# ensure_database PORT NAME: creates the database on the local cluster when it is missing.
ensure_database() {
  local port=$1 name=$2
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $name" >/dev/null
  fi
}
