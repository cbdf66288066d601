# shellcheck shell=bash
# ensure_bench_tools: the load generators the benchmarks drive, from Debian when missing
# (wrk for HTTP; pgbench ships with the PostgreSQL client).
ensure_bench_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v pgbench >/dev/null || missing+=(postgresql-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing Debian's ${missing[*]} for the benchmark..." >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}
