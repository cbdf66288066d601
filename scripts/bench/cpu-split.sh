#!/usr/bin/env bash
# Where a load's CPU goes: runs wrk with the given arguments for SECONDS and prints the cores used by
# the server (ActivityFeed.Api.dll) and PostgreSQL's processes over that time, from /proc/<pid>/stat
# (user + system; wrk's own CPU is the rest of the machine's). Run it against a warmed-up server.
# Usage: scripts/bench/cpu-split.sh <seconds> <wrk arguments…>
#   e.g. scripts/bench/cpu-split.sh 15 -t2 -c16 -H "Authorization: Bearer $KEY" "http://127.0.0.1:5098/orgs/bench/activities?take=25"
set -euo pipefail
# shellcheck source=../lib/bench-tools.sh
source "$(dirname "$0")/../lib/bench-tools.sh"
ensure_bench_tools
seconds=$1
shift

ticks() { # "<group> <ticks>" per group
  for stat in /proc/[0-9]*/stat; do
    dir=${stat%/stat}
    command=$(tr '\0' ' ' < "$dir/cmdline" 2>/dev/null | head -c 300) || continue
    read -r -a fields < "$stat" 2>/dev/null || continue
    case "$command" in
      *ActivityFeed.Api.dll*) group=server ;;
      postgres*|*/bin/postgres*) group=postgresql ;;
      *) continue ;;
    esac
    echo "$group $(( fields[13] + fields[14] ))"
  done | awk '{sum[$1] += $2} END {for (g in sum) print g, sum[g]}' | sort
}

before=$(ticks)
report=$(wrk -d"${seconds}s" "$@")
after=$(ticks)
echo "$report" | grep -E "Requests/sec|Latency"
join -a 2 -e 0 -o 0,1.2,2.2 <(echo "$before") <(echo "$after") |
  awk -v hz="$(getconf CLK_TCK)" -v s="$seconds" '{printf "%-10s %.2f cores\n", $1, ($3 - $2) / hz / s}'
