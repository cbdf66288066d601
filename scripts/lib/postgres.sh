# Shared by run.sh and test.sh: find or install PostgreSQL's server binaries, run them as the
# 'postgres' OS user when we are root (initdb and postgres refuse to run as root).

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
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# ensure_local_cluster DATA_DIR PORT: a loopback-only cluster in DATA_DIR, created and started if
# needed (trust auth: a developer's throwaway database, never a production setup).
ensure_local_cluster() {
  local pgdata=$1 port=$2 bin
  ensure_postgres_installed
  bin=$(pg_bin_dir)
  mkdir -p "$(dirname "$pgdata")"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    mkdir -p "$pgdata"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pgdata"
    chmod 700 "$pgdata"
    as_pg_user "$bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg_user "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    as_pg_user "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=" start >/dev/null
    echo "PostgreSQL started on 127.0.0.1:$port (data in $pgdata; stop with: $bin/pg_ctl -D $pgdata stop)" >&2
  fi
}

# ensure_database PORT NAME: creates the database on the local cluster when it is missing.
ensure_database() {
  local port=$1 name=$2
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $name" >/dev/null
  fi
}
