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
