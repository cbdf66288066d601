"""Writes the feed benchmark report: per-filter HTTP latency and the plan of the SQL behind it, then a
keyset walk to depth. Called by feeds.sh with the server running; talks to this machine only.

Usage: report.py BASE_URL ORG KEY FILTERS_FILE DEPTH SERVER_DLL > report.md
"""
import http.client, json, os, statistics, subprocess, sys, time, urllib.parse

base, org, key, filters_file, depth, server_dll = sys.argv[1:7]
depth = int(depth)
target = urllib.parse.urlparse(base)
assert target.hostname in ("127.0.0.1", "localhost", "::1"), "benchmarks only talk to this machine"
connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
headers = {"Authorization": f"Bearer {key}"}


def get(path):
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
    return elapsed, json.loads(body)


def explain(query, cursor=None):
    command = ["dotnet", server_dll, "explain-feed", "--org", org, "--query", query]
    if cursor:
        command += ["--next", cursor]
    return subprocess.run(command, capture_output=True, text=True, check=True, cwd=os.path.dirname(server_dll)).stdout


def summary(plan):
    nodes = [line.strip().removeprefix("->").strip().split("  (cost")[0]
             for line in plan.splitlines() if any(word in line for word in ("Scan", "Sort", "Limit"))]
    execution = next((line.split(":")[1].strip() for line in plan.splitlines() if line.startswith("Execution Time")), "?")
    return " → ".join(nodes[:3]).replace("|", "\\|"), execution.replace(" ms", "")


print("| filter | rows on page | median ms | p95 ms | plan (top nodes) | SQL execution ms |")
print("| --- | --- | --- | --- | --- | --- |")
for line in open(filters_file):
    query = line.strip()
    if not query or query.startswith("#"):
        continue
    path = f"/orgs/{org}/activities?take=25&{query}"
    get(path)  # warm-up
    timings, rows = [], 0
    for _ in range(30):
        elapsed, page = get(path)
        timings.append(elapsed)
        rows = len(page["items"])
    timings.sort()
    nodes, execution = summary(explain(f"take=25&{query}"))
    print(f"| `{query}` | {rows} | {statistics.median(timings):.2f} | {timings[int(len(timings) * 0.95) - 1]:.2f} | {nodes} | {execution} |",
          flush=True)

take = 100
path = f"/orgs/{org}/activities?take={take}"
timings, seen, cursor = [], 0, None
for _ in range(depth // take + 1):
    elapsed, page = get(path)
    timings.append(elapsed)
    seen += len(page["items"])
    if not page["has_more"]:
        break
    cursor = page["next"]
    path = f"/orgs/{org}/activities?take={take}&next={urllib.parse.quote(cursor)}"

print()
print(f"## Keyset walk to depth {seen} (take={take})")
print()
print(f"- pages: {len(timings)}, rows walked: {seen}")
print(f"- median of the first 20 pages: {statistics.median(timings[:20]):.2f} ms; of the last 20 pages (rows {max(0, seen - 2000)}–{seen}): {statistics.median(timings[-20:]):.2f} ms")
if cursor:
    print()
    print("Plan of the last page reached by `next`:")
    print()
    print("```")
    print(explain(f"take={take}", cursor).rstrip())
    print("```")
print()
print("Plan of page 1:")
print()
print("```")
print(explain(f"take={take}").rstrip())
print("```")
