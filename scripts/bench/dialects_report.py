"""Writes the source dialects benchmark: each dialect list against the native list asking for the same
rows, interleaved request by request, and metadata.sequence_id's plan. Called by dialects.sh with the
server running; talks to this machine only.

Usage: dialects_report.py BASE_URL ORG KEY USER_TOKEN SERVER_DLL ROUNDS > report.md
"""
import http.client, json, os, statistics, subprocess, sys, time, urllib.parse

base, org, key, user_token, server_dll, rounds = sys.argv[1:7]
rounds = int(rounds)
target = urllib.parse.urlparse(base)
assert target.hostname in ("127.0.0.1", "localhost", "::1"), "benchmarks only talk to this machine"
connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)


def get(path, token):
    started = time.perf_counter()
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
    return elapsed, json.loads(body)


def rows_of(page):
    return len(page.get("data", page.get("items", [])))


native = f"/orgs/{org}/activities?take=25"
inbox = f"/orgs/{org}/users/me/inbox?take=25&sort_by=created_at"
# (label, dialect path, token, native path, token): the native list asks for the same rows in the same order.
pairs = [
    ("Salesloft, org feed", "/v2/activity_histories?per_page=25", key, native, key),
    ("Salesloft, page 40", "/v2/activity_histories?per_page=25&page=40", key, native + "&page=40", key),
    ("Salesloft, type=call", "/v2/activity_histories?per_page=25&type=call", key, native + "&type=call", key),
    ("Salesloft, person c42", "/v2/activity_histories?per_page=25&resource_type=person&resource_id=c42", key, native + "&contact_id=c42", key),
    ("Salesloft, updated_at ASC", "/v2/activity_histories?per_page=25&sort_by=updated_at&sort_direction=ASC", key, native + "&sort_by=updated_at&sort_order=asc", key),
    ("Salesloft, counts, type=call", "/v2/activity_histories?per_page=25&type=call&include_paging_counts=true", key, native + "&type=call&include_total=true", key),
    ("Topo, sequence_id=s_6 (totals)", "/v1/activities?size=25&sequence_id=s_6", key, native + "&sort_by=created_at&metadata.sequence_id=s_6&include_total=true", key),
    ("Topo, MESSAGE+SENT (totals)", "/v1/activities?size=25&resource_type=MESSAGE&event_type=SENT", key, native + "&sort_by=created_at&type=message.sent&include_total=true", key),
    ("Topo, person c42 (totals)", "/v1/activities?size=25&person_id=c42", key, native + "&sort_by=created_at&contact_id=c42&include_total=true", key),
    ("Topo, org feed (totals of 1M)", "/v1/activities?size=25", key, native + "&sort_by=created_at&include_total=true", key),
    ("CRM company, org feed", "/api/company/crm/v202506/activities?per_page=25", key, native + "&sort_by=created_at", key),
    ("CRM company, contact c42", "/api/company/crm/v202506/activities?per_page=25&contact_id=c42", key, native + "&sort_by=created_at&contact_id=c42", key),
    ("CRM user, inbox (marks read)", "/api/user/crm/v202506/activities?per_page=25", user_token, inbox + "&mark_read=true", user_token),
    ("CRM user, inbox page 3", "/api/user/crm/v202506/activities?per_page=25&page=3", user_token, inbox + "&mark_read=true&page=3", user_token),
]

print("## Dialect list vs native list (same data, same rows, interleaved)")
print()
print("| pair | rows | dialect median ms | native median ms | dialect p95 ms | native p95 ms | dialect / native (medians) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for label, dialect_path, dialect_token, native_path, native_token in pairs:
    for _ in range(5):
        get(dialect_path, dialect_token)
        get(native_path, native_token)
    dialect, base_times, rows = [], [], 0
    for i in range(rounds):
        # Alternate which goes first, so neither always follows the other.
        order = [(dialect_path, dialect_token, dialect), (native_path, native_token, base_times)]
        for path, token, times in (order if i % 2 == 0 else order[::-1]):
            elapsed, page = get(path, token)
            times.append(elapsed)
            if times is dialect:
                rows = rows_of(page)
    dialect.sort()
    base_times.sort()
    p95 = lambda t: t[int(len(t) * 0.95) - 1]
    ratio = statistics.median(dialect) / statistics.median(base_times)
    print(f"| {label} | {rows} | {statistics.median(dialect):.2f} | {statistics.median(base_times):.2f} | {p95(dialect):.2f} | {p95(base_times):.2f} | {ratio:.2f} |", flush=True)


def explain(query):
    command = ["dotnet", server_dll, "explain-feed", "--org", org, "--query", query]
    return subprocess.run(command, capture_output=True, text=True, check=True, cwd=os.path.dirname(server_dll)).stdout.rstrip()


for query in ("take=25&metadata.sequence_id=s_6", "take=25&type=message.sent&metadata.sequence_id=s_6", "take=25&sort_by=created_at&metadata.sequence_id=s_6"):
    print()
    print(f"## EXPLAIN ANALYZE of `{query}` over {sys.argv[2]}'s rows")
    print()
    print("```")
    print(explain(query))
    print("```")

print()
print("## metadata.sequence_id over HTTP")
print()
print("| path | rows | median ms | p95 ms |")
print("| --- | --- | --- | --- |")
for path in (native + "&metadata.sequence_id=s_6", native + "&type=message.sent&metadata.sequence_id=s_6", "/v1/activities?size=25&sequence_id=s_6"):
    get(path, key)
    times, rows = [], 0
    for _ in range(rounds):
        elapsed, page = get(path, key)
        times.append(elapsed)
        rows = rows_of(page)
    times.sort()
    print(f"| `{path}` | {rows} | {statistics.median(times):.2f} | {times[int(len(times) * 0.95) - 1]:.2f} |", flush=True)
