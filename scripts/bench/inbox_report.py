"""Writes the inbox benchmark report: HTTP latency of counts, the first page and a deep page, a
mark-all-read of 10,000 items, and EXPLAIN ANALYZE of the SQL the API runs for each. Called by
inbox.sh with the server running; talks to this machine only.

Usage: inbox_report.py BASE_URL ORG ADMIN_KEY PG_HOST PG_PORT DB > report.md
"""
import http.client, json, statistics, subprocess, sys, time, urllib.parse

base, org, admin_key, pg_host, pg_port, db = sys.argv[1:7]
target = urllib.parse.urlparse(base)
assert target.hostname in ("127.0.0.1", "localhost", "::1"), "benchmarks only talk to this machine"
connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
USER = "u_bench"


def request(method, path, token, body=None):
    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = connection.getresponse()
    payload = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status not in (200, 201):
        raise SystemExit(f"{method} {path}: {response.status} {payload[:300]!r}")
    return elapsed, json.loads(payload)


def psql(sql):
    return subprocess.run(["psql", "-h", pg_host, "-p", pg_port, "-U", "postgres", "-d", db, "-tAc", sql],
                          check=True, capture_output=True, text=True).stdout


def percentiles(samples):
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered):.2f} ms", f"{p99:.2f} ms"


def timed(path, token, runs=200, warmup=20):
    for _ in range(warmup):
        request("GET", path, token)
    return [request("GET", path, token)[0] for _ in range(runs)]


UNREAD = 10000


def reset_unread():
    """u_bench: everything read but the newest 10,000 items not archived (also unseen)."""
    psql(f"UPDATE inbox_items SET read_at = created_at, seen_at = created_at WHERE org_id = '{org}' AND user_id = '{USER}' AND read_at IS NULL")
    psql(f"UPDATE inbox_items SET read_at = NULL, seen_at = NULL WHERE org_id = '{org}' AND user_id = '{USER}' AND activity_id IN "
         f"(SELECT activity_id FROM inbox_items WHERE org_id = '{org}' AND user_id = '{USER}' AND archived_at IS NULL "
         f"ORDER BY occurred_at DESC, activity_id DESC LIMIT {UNREAD})")
    psql("VACUUM ANALYZE inbox_items")


reset_unread()
_, minted = request("POST", f"/orgs/{org}/users/{USER}/tokens", admin_key, {"expires_in": 3600})
token = minted["token"]
inbox = f"/orgs/{org}/users/me/inbox"

for _ in range(20):  # warm-up, so the walk's first pages measure the page, not the new process
    request("GET", f"{inbox}?take=100", token)

# Walk the whole inbox with next (take=100) and keep the cursor found at depth ~90,000.
walk, deep_cursor, depth, cursor = [], None, 0, None
while True:
    path = f"{inbox}?take=100" + (f"&next={urllib.parse.quote(cursor)}" if cursor else "")
    elapsed, page = request("GET", path, token)
    walk.append(elapsed)
    depth += len(page["items"])
    cursor = page["next"]
    if deep_cursor is None and depth >= 90000 and cursor:
        deep_cursor = cursor
    if not cursor:
        break

rows = [
    ("`GET …/inbox/counts`", timed(f"{inbox}/counts", token)),
    ("`GET …/inbox/counts?type=call`", timed(f"{inbox}/counts?type=call", token)),
    ("`GET …/inbox` first page, take=25", timed(f"{inbox}?take=25", token)),
    ("`GET …/inbox` page at depth 90,000 (`next`), take=25", timed(f"{inbox}?take=25&next={urllib.parse.quote(deep_cursor)}", token)),
    ("`GET …/inbox?status=unread` first page, take=25", timed(f"{inbox}?status=unread&take=25", token)),
    ("`GET …/inbox?type=call` first page, take=25", timed(f"{inbox}?type=call&take=25", token)),
    ("`GET …/inbox` first page, take=100", timed(f"{inbox}?take=100", token)),
]

print("## HTTP latency (200 sequential requests each)")
print()
print("| request | median | p99 |")
print("| --- | --- | --- |")
for name, samples in rows:
    median, p99 = percentiles(samples)
    print(f"| {name} | {median} | {p99} |")
print()
first, last = percentiles(walk[:20]), percentiles(walk[-20:])
print(f"Keyset walk of the whole inbox with `next`, take=100: {len(walk)} pages, {depth} items; "
      f"first 20 pages median {first[0]} (p99 {first[1]}), last 20 pages median {last[0]} (p99 {last[1]}).")
print()

# Mark all read: 10,000 unread items, five times (set unread again between runs).
marks = []
for _ in range(5):
    reset_unread()
    elapsed, result = request("POST", f"{inbox}/read", token, {"all": True})
    marks.append((elapsed, result["updated"]))
reset_unread()
print(f"## Mark all read\n\n`POST …/inbox/read` `{{\"all\": true}}` over {UNREAD} unread items, 5 runs: "
      + ", ".join(f"{ms:.0f} ms ({n} updated)" for ms, n in marks) + f"; median {statistics.median(m for m, _ in marks):.0f} ms.")
print()

# The SQL the API sends for each (as EF Core generates it), with the values in place.
org_user = f"i.org_id = '{org}' AND i.user_id = '{USER}'"
is_call = f"EXISTS (SELECT 1 FROM activities AS a WHERE a.org_id = '{org}' AND a.type = 'call' AND a.id = i.activity_id)"
deep_at, deep_id = psql(f"SELECT occurred_at, activity_id FROM inbox_items WHERE org_id = '{org}' AND user_id = '{USER}' AND archived_at IS NULL "
                        f"ORDER BY occurred_at DESC, activity_id DESC OFFSET 90000 LIMIT 1").strip().split("|")
plans = {
    "counts (the kept counters: no filter)": f"""SELECT c.unread, c.unseen, c.total FROM inbox_counts AS c WHERE c.org_id = '{org}' AND c.user_id = '{USER}'""",
    "counts?type=call (counted from the items)": f"""SELECT (SELECT count(*)::bigint FROM inbox_items AS i WHERE {org_user} AND i.archived_at IS NULL AND {is_call} AND i.read_at IS NULL),
       (SELECT count(*)::bigint FROM inbox_items AS i WHERE {org_user} AND i.archived_at IS NULL AND {is_call} AND i.seen_at IS NULL),
       (SELECT count(*)::bigint FROM inbox_items AS i WHERE {org_user} AND i.archived_at IS NULL AND {is_call})
FROM orgs AS o WHERE o.id = '{org}'""",
    "first page": f"""SELECT i.read_at, i.seen_at, i.archived_at, a.* FROM inbox_items AS i
INNER JOIN activities AS a ON i.org_id = a.org_id AND i.activity_id = a.id
WHERE {org_user} AND i.archived_at IS NULL
ORDER BY i.occurred_at DESC, i.activity_id DESC LIMIT 26""",
    "page at depth 90,000": f"""SELECT i.read_at, i.seen_at, i.archived_at, a.* FROM inbox_items AS i
INNER JOIN activities AS a ON i.org_id = a.org_id AND i.activity_id = a.id
WHERE {org_user} AND i.archived_at IS NULL
  AND (i.occurred_at, i.activity_id) < ('{deep_at}'::timestamptz, '{deep_id}')
ORDER BY i.occurred_at DESC, i.activity_id DESC LIMIT 26""",
    "mark all read (the rows it updates)": f"""SELECT i.activity_id FROM inbox_items AS i
WHERE {org_user} AND i.archived_at IS NULL AND (i.read_at IS NULL OR i.seen_at IS NULL)""",
}
print("## Plans (EXPLAIN ANALYZE)")
for name, sql in plans.items():
    print(f"\n### {name}\n\n```")
    print(psql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql).rstrip())
    print("```")
