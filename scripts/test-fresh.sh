#!/usr/bin/env bash
# Tests the README's first command the way a new user meets it: clones this repository into a
# 0700 folder standing in for a home directory (/root and Debian 12's homes are 0700, so as root
# the 'postgres' OS user cannot reach into it), runs ./scripts/run.sh until /health/ready answers
# 200, stops it, runs it again (it must reuse the cluster and the demo key), then stops and
# removes the local cluster with ./scripts/local-db.sh remove and deletes the clone.
# Between the runs the cluster is stopped with ./scripts/local-db.sh stop, so the second run
# restarts the existing one.
# Fails (non-zero) when the server never becomes ready or anything is left behind.
#   Options (environment): FRESH_REF (default HEAD; the working tree's uncommitted changes to
#   tracked files are applied on top when it is HEAD), FRESH_TIMEOUT (seconds per run, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd -P)
ref=${FRESH_REF:-HEAD}
timeout=${FRESH_TIMEOUT:-300}
started=$SECONDS

fail() { echo "test-fresh: FAILED: $*" >&2; exit 1; }

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# http_status PORT PATH: the status code of a GET, or nothing when nobody answers (no curl needed).
http_status() {
  local line
  line=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
           printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
           timeout 5 head -n 1 <&3) 2>/dev/null) || true
  echo "$line" | sed -nE 's#^HTTP/[0-9.]+ ([0-9]{3}).*#\1#p'
}

home=$(mktemp -d "${TMPDIR:-/tmp}/activityfeed-fresh.XXXXXX")
chmod 700 "$home"
clone="$home/activityfeed"
server_pid=""
data_dir=""

stop_server() {
  [ -n "$server_pid" ] || return 0
  # run.sh runs in its own session: signal the whole group (build, migrate or the server). TERM, not
  # INT: background jobs of a non-interactive shell ignore SIGINT.
  kill -TERM -- "-$server_pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  local status=$?
  stop_server
  if [ -x "$clone/scripts/local-db.sh" ]; then
    "$clone/scripts/local-db.sh" remove >/dev/null 2>&1 || true
  fi
  # Whatever a broken run.sh or local-db.sh left: a cluster in the clone or where the run said.
  local dir bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  for dir in "$clone/.data/pg" ${data_dir:+"$data_dir"}; do
    [ -f "$dir/postmaster.pid" ] || continue
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -m immediate -w stop) >/dev/null 2>&1 || true
    else "$bin/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1 || true; fi
    case "$dir" in /var/lib/activityfeed/*/pg) rm -rf "$(dirname "$dir")";; esac
  done
  rm -rf "$home"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "test-fresh: cloning $ref into $clone (parent $(stat -c %a "$home"), as $(id -un))"
git clone -q --no-checkout "$repo" "$clone"
git -C "$clone" -c advice.detachedHead=false checkout -q "$(git rev-parse "$ref")"
if [ "$ref" = HEAD ] && [ -n "$(git status --porcelain)" ]; then
  echo "test-fresh: applying the working tree's uncommitted changes (and untracked, not ignored files)"
  git diff --binary HEAD | git -C "$clone" apply --allow-empty
  git ls-files -z --others --exclude-standard | tar -cf - --null -T - | tar -xf - -C "$clone"
fi

pg_port=$(free_port) || fail "no free port"
http_port=$(free_port) || fail "no free port"
log="$home/run.log"

# run_until_ready LABEL: starts ./scripts/run.sh in the clone, waits for /health/ready = 200.
run_until_ready() {
  local label=$1 t0=$SECONDS status=""
  : > "$log"
  # No shared MSBuild/compiler servers: they would outlive the run and are not ours to stop.
  ( cd "$clone" && exec env ACTIVITYFEED_PG_PORT="$pg_port" ACTIVITYFEED_URL="http://127.0.0.1:$http_port" \
      MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false \
      setsid ./scripts/run.sh ) >"$log" 2>&1 </dev/null &
  server_pid=$!
  while [ $((SECONDS - t0)) -lt "$timeout" ]; do
    status=$(http_status "$http_port" /health/ready)
    [ "$status" = 200 ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" && rc=0 || rc=$?
      server_pid=""
      echo "---- run.sh output (last 40 lines) ----" >&2; tail -n 40 "$log" >&2
      fail "$label: ./scripts/run.sh exited ($rc) before /health/ready answered"
    fi
    sleep 1
  done
  if [ "$status" != 200 ]; then
    echo "---- run.sh output (last 40 lines) ----" >&2; tail -n 40 "$log" >&2
    fail "$label: /health/ready did not answer 200 within ${timeout}s (last: ${status:-no answer})"
  fi
  echo "test-fresh: $label: /health/ready = 200 after $((SECONDS - t0))s"
}

run_until_ready "first run"
first_key=$(sed -nE 's/.*Admin key: +([^ ]+).*/\1/p' "$log" | head -n 1)
data_dir=$(sed -nE 's/^ *Data: +([^ ]+) .*/\1/p' "$log" | head -n 1)
[ -n "$first_key" ] || fail "first run printed no admin key"
[ -n "$data_dir" ] || fail "first run did not say where the data lives"
grep -q 'local-db.sh stop' "$log" || fail "first run did not say how to stop the cluster"
grep -q 'local-db.sh remove' "$log" || fail "first run did not say how to remove the cluster"
case "$data_dir" in
  "$clone"/*) [ "$(id -u)" -ne 0 ] || fail "as root the cluster must live outside the checkout (got $data_dir)";;
  *) [ "$(id -u)" -eq 0 ] || fail "as a normal user the cluster must live in the checkout's .data (got $data_dir)";;
esac
[ "$(stat -c %a "$home")" = 700 ] || fail "the home stand-in's mode changed to $(stat -c %a "$home")"
stop_server
(cd "$clone" && ./scripts/local-db.sh stop) || fail "./scripts/local-db.sh stop failed"
if (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; then fail "PostgreSQL still listens on $pg_port after local-db.sh stop"; fi

run_until_ready "second run"
second_key=$(sed -nE 's/.*Admin key: +([^ ]+).*/\1/p' "$log" | head -n 1)
[ "$second_key" = "$first_key" ] || fail "second run printed another admin key (did not reuse the demo org)"
grep -q 'reusing' "$log" || fail "second run did not reuse the cluster"
stop_server

(cd "$clone" && ./scripts/local-db.sh remove) || fail "./scripts/local-db.sh remove failed"
[ ! -e "$data_dir" ] || fail "$data_dir is still there after local-db.sh remove"
if (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; then fail "PostgreSQL still listens on $pg_port"; fi
echo "test-fresh: OK ($((SECONDS - started))s): run.sh from a 0700 home as $(id -un), data in $data_dir, reused on the second run, removed"
