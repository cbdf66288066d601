"""Hot-path benchmark driver (see hotpaths.sh): wrk against the API and pgbench on the statements
each request ran, alternating, and a markdown report on stdout."""
import argparse
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

APP = "activityfeed-bench"
LINE = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] " + APP + r": (LOG|DETAIL):  (.*)$")
TOUCHES_ACTIVITIES = re.compile(r"\b(FROM|INTO|COPY|JOIN) activities\b")
EXECUTE = re.compile(r"^(?:execute [^:]+|statement): (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = ('(?:[^']|'')*'|NULL)")
ACTIVITY_ID = re.compile(r"act_[0-9A-Z]{26}")
# The background workers share the pool: a webhook sweep can land on the request's backend just before it.
BACKGROUND = re.compile(r"webhook", re.I)
ORG_SETTING = "CALL activityfeed_use_org("


def parse_args():
    p = argparse.ArgumentParser()
    for name in ("url", "org", "key", "db", "log"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--only", default="", help="run only the requests whose name contains this")
    for name in ("port", "rounds", "duration", "warmup", "connections"):
        p.add_argument("--" + name, type=int, required=True)
    return p.parse_args()


ARGS = parse_args()
HERE = os.path.dirname(os.path.abspath(__file__))
WORK = tempfile.mkdtemp(prefix="hotpaths-")


def psql(sql, db=None):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(ARGS.port), "-U", "postgres", "-d", db or ARGS.db, "-tAqc", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def request(method, path, body=None):
    req = urllib.request.Request(ARGS.url + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + ARGS.key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as response:
        return json.loads(response.read())


def write_body(name, payload):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        json.dump(payload, f)
    return path


def batch_item(i):
    return {"type": "call", "occurred_at": "2026-11-30T10:00:00.000000Z", "actor": {"id": f"u{i % 500}", "name": f"User {i % 500}"},
            "contact_id": f"c{i % 20000}", "table_id": f"t{i % 20}", "record_id": f"r{i % 50000}", "title": f"Bench call {i}",
            "tags": ["bench"], "channel": "EMAIL", "recipients": [f"u{i % 500}"], "metadata": {}}


def capture(method, path, body_file):
    """The statements one request ran, with their parameters inlined, from the statement log."""
    # First one unlogged, so the one captured is a steady-state request (the key is cached again).
    request(method, path, open(body_file, "rb").read() if body_file else None)
    offset = os.path.getsize(ARGS.log)
    psql("ALTER SYSTEM SET log_statement = 'all'", "postgres")
    psql("ALTER SYSTEM SET log_line_prefix = '%m [%p] %a: '", "postgres")
    psql("SELECT pg_reload_conf()", "postgres")
    time.sleep(0.5)
    body = open(body_file, "rb").read() if body_file else None
    answer = request(method, path, body)
    time.sleep(0.5)
    psql("ALTER SYSTEM RESET log_statement", "postgres")
    psql("ALTER SYSTEM RESET log_line_prefix", "postgres")
    psql("SELECT pg_reload_conf()", "postgres")
    with open(ARGS.log, errors="replace") as f:
        f.seek(offset)
        text = f.read()
    entries, current = [], None
    for raw in text.split("\n"):
        match = LINE.match(raw)
        if match:
            current = [match.group(2), match.group(3), match.group(1)]
            entries.append(current)
        elif raw.startswith("\t") and current is not None:
            current[1] += "\n" + raw[1:]
        else:
            current = None
    # One request runs on one pooled connection (one backend); the server's background work
    # (sweepers) on others. Keep the backend whose statements touch the activities table.
    by_backend = {}
    for kind, message, pid in entries:
        statements = by_backend.setdefault(pid, [])
        if kind == "LOG" and (m := EXECUTE.match(message)):
            statements.append(m.group(1).strip())
        elif kind == "DETAIL" and message.startswith("parameters:") and statements:
            values = dict(PARAM.findall(message))
            statements[-1] = re.sub(r"\$(\d+)\b", lambda v: values.get(v.group(1), v.group(0)), statements[-1])
    statements = next((group for group in by_backend.values() if any(TOUCHES_ACTIVITIES.search(x) for x in group)), [])
    statements = [s for s in statements if s and not BACKGROUND.search(s)]
    # A ROLLBACK logged first is the end of an earlier request's connection, not this request's.
    while statements and statements[0] == "ROLLBACK":
        statements.pop(0)
    return statements, answer


def writable(statements, answer):
    """Each pgbench run creates new activities: the ids the server chose become :aid-based ids, and
    the COPY of a batch (pgbench cannot send COPY data) an INSERT of as many rows of the same shape."""
    ids = [i["id"] for i in answer.get("items", [answer])] if isinstance(answer, dict) else []
    index = {activity_id: n for n, activity_id in enumerate(ids)}
    out = []
    for s in statements:
        if s.startswith("COPY activities"):
            out.append(f"""INSERT INTO activities (org_id, id, type, occurred_at, created_at, updated_at, actor_id, contact_id, table_id,
    record_id, title, tags, channel, recipients, metadata, request_hash)
SELECT '{ARGS.org}', :aid::text || '_' || g, 'call', now(), now(), now(), 'u' || g % 500, 'c' || g, 't' || g % 20, 'r' || g,
    'Bench call ' || g, ARRAY['bench'], 'EMAIL', ARRAY['u' || g % 500], '{{}}'::jsonb, sha256(g::text::bytea)
FROM generate_series(0, {len(ids) - 1}) AS g""")
            continue

        def array(m):
            members = m.group(1).split(",")
            if members and all(x.strip('"') in index for x in members):
                return f"ARRAY(SELECT :aid::text || '_' || g FROM generate_series(0, {len(members) - 1}) AS g)"
            return m.group(0)
        s = re.sub(r"'\{([^'{}]*)\}'", array, s)
        s = re.sub(r"'(act_[0-9A-Z]{26})'", lambda m: f"(:aid::text || '_{index.get(m.group(1), 0)}')", s)
        out.append(s)
    return "\\set aid random(1, 1000000000000000)\n" + ";\n".join(out) + ";\n"


def wrk(path, seconds, connections, body_file=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Authorization: Bearer " + ARGS.key]
    env = dict(os.environ)
    if body_file:
        cmd += ["-s", os.path.join(HERE, "post.lua")]
        env["BODY"] = body_file
    text = subprocess.run(cmd + [ARGS.url + path], check=True, capture_output=True, text=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps, "p50": latency(text, "50%"), "p99": latency(text, "99%"), "errors": int(errors.group(1)) if errors else 0}


def latency(text, label):
    m = re.search(r"^\s+" + re.escape(label) + r"\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    if not m:
        # Reported as missing, never as 0: the raw output says why.
        print(f"wrk printed no {label} latency:\n{text}", file=__import__("sys").stderr)
        return None
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]


def latency_cell(values):
    """The median of the rounds that reported the latency, with how many did when not all."""
    values = list(values)
    known = [v for v in values if v is not None]
    if not known:
        return "–"
    cell = f"{statistics.median(known):.2f}"
    return cell if len(known) == len(values) else f"{cell} ({len(known)} of {len(values)} rounds)"


def pgbench(script, seconds, connections):
    path = os.path.join(WORK, "script.sql")
    with open(path, "w") as f:
        f.write(script)
    text = subprocess.run(["pgbench", "-h", "127.0.0.1", "-p", str(ARGS.port), "-U", "postgres", "-n", "-M", "prepared",
                           f"-c{connections}", "-j2", f"-T{seconds}", "-f", path, ARGS.db],
                          capture_output=True, text=True).stdout
    m = re.search(r"tps = ([\d.]+)", text)
    if not m:
        print(f"pgbench gave no tps for {path}", file=__import__("sys").stderr)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    return float(m.group(1)) if m else 0.0, int(failed.group(1)) if failed else 0


def pipelined(statements):
    if len(statements) == 1:
        return statements[0] + ";\n"
    return "\\startpipeline\n" + "".join(s + ";\n" for s in statements) + "\\endpipeline\n"


def explain(statement):
    if not statement.lstrip().upper().startswith("SELECT"):
        return None
    return psql("EXPLAIN (ANALYZE, BUFFERS) " + statement)


def first_id():
    return request("GET", f"/orgs/{ARGS.org}/activities?take=1")["items"][0]["id"]


def main():
    org = ARGS.org
    batch = write_body("batch.json", {"activities": [batch_item(i) for i in range(1000)]})
    single = write_body("single.json", batch_item(1))
    one = first_id()
    reads = [
        ("org feed take=25", f"/orgs/{org}/activities?take=25"),
        ("contact timeline take=25", f"/orgs/{org}/contacts/c4242/activities?take=25"),
        ("record feed take=25", f"/orgs/{org}/records/r4242/activities?take=25"),
        ("org feed type+actor take=25", f"/orgs/{org}/activities?type=call&actor_id=u42&take=25"),
        ("org feed take=100", f"/orgs/{org}/activities?take=100"),
        ("one activity", f"/orgs/{org}/activities/{one}"),
    ]
    writes = [
        ("single create", f"/orgs/{org}/activities", single, ARGS.connections),
        ("batch create, 1,000 items", f"/orgs/{org}/activities/batch", batch, 2),
    ]
    # Tiered JIT reaches its steady speed after about a minute of load.
    warm_each = max(1, ARGS.warmup // (len(reads) + len(writes)))
    for _, path in reads:
        wrk(path, warm_each, ARGS.connections)
    for _, path, body, connections in writes:
        wrk(path, warm_each, connections, body)

    results, plans = [], []
    for name, path, body, connections in [(n, p, None, ARGS.connections) for n, p in reads] + writes:
        if ARGS.only not in name:
            continue
        statements, answer = capture("POST" if body else "GET", path, body)
        # A read sends its statements as one batch (one round trip): pgbench pipelines them the same way.
        script = writable(statements, answer) if body else pipelined(statements)
        # The best single statement for a read's page is the page's own SELECT, without the org setting
        # that row-level security needs (pgbench runs as the superuser, which bypasses it).
        page = [s for s in statements if not s.startswith(ORG_SETTING)]
        single = page[0] + ";\n" if not body and len(page) == 1 else None
        api, db, best = [], [], []
        for _ in range(ARGS.rounds):
            api.append(wrk(path, ARGS.duration, connections, body))
            db.append(pgbench(script, ARGS.duration, connections))
            if single:
                best.append(pgbench(single, ARGS.duration, connections)[0])
        results.append((name, path, connections, len(statements), api, db, statistics.median(best) if best else None))
        plans.append((name, statements if not body else [script]))

    print(f"Each figure is the median of {ARGS.rounds} rounds of {ARGS.duration} s, API (wrk -t2) and pgbench (-M prepared -j2) "
          "alternating, same connection count. Statements are captured from PostgreSQL's statement log for one request; "
          "for writes the ids the server chose are replaced by fresh ones per pgbench transaction, and a batch's COPY by an "
          "INSERT … SELECT of as many rows (pgbench cannot send COPY data). A read's statements (the org setting of row-level "
          "security, then the page, and its count when asked) go to PostgreSQL as one batch, so pgbench sends them in one "
          "pipeline; the best single statement is the page's SELECT alone.")
    print()
    print("| request | -c | statements | API req/s | p50 ms | p99 ms | pgbench tps (its statements) | ratio | best single statement tps | ratio | non-2xx | pgbench failures |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, path, connections, count, api, db, best in results:
        rps = statistics.median(a["rps"] for a in api)
        tps = statistics.median(t for t, _ in db)
        p50 = latency_cell(a["p50"] for a in api)
        p99 = latency_cell(a["p99"] for a in api)
        errors = sum(a["errors"] for a in api)
        failed = sum(f for _, f in db)
        best_cell = f"{best:,.0f} | {rps / best:.2f}" if best else "– | –"
        ratio = f"{rps / tps:.2f}" if tps else "–"
        print(f"| {name} | {connections} | {count} | {rps:,.1f} | {p50} | {p99} | {tps:,.1f} | {ratio} | {best_cell} | {errors} | {failed} |")
    if results and results[-1][0].startswith("batch"):
        batch_rps = statistics.median(a["rps"] for a in results[-1][4])
        print()
        print(f"Ingest: {batch_rps * 1000:,.0f} activities/s through the batch endpoint (1,000-item batches, 2 connections).")
    if not ARGS.only:
        print()
        depth()
    print()
    print("## Statements (and plans of the reads)")
    for name, statements in plans:
        print()
        print(f"### {name}")
        for s in statements:
            print()
            print("```sql")
            print(s if len(s) < 20000 else s[:20000] + "\n… (cut)")
            print("```")
            if (plan := explain(s)) is not None:
                print()
                print("```")
                print(plan)
                print("```")


def depth():
    """Walks `next` with take=100 from page 1 to depth 1,000,000: first 20 and last 20 pages."""
    path = f"/orgs/{ARGS.org}/activities?take=100"
    timings = []
    while path:
        started = time.perf_counter()
        page = request("GET", path)
        timings.append((time.perf_counter() - started) * 1000)
        path = f"/orgs/{ARGS.org}/activities?take=100&next={urllib.parse.quote(page['next'])}" if page["next"] else None
    first, last = statistics.median(timings[:20]), statistics.median(timings[-20:])
    print(f"Depth walk: {len(timings)} pages of 100 by `next` (sequential): median {first:.2f} ms for the first 20 pages, "
          f"{last:.2f} ms for the last 20 ({last / first:.2f}×).")


main()
