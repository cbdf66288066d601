"""Driver of rls.sh: the same requests against the three servers, alternated within each round."""
import argparse
import json
import os
import re
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS = [("base", 5191), ("mechanism", 5192), ("rls", 5193)]

p = argparse.ArgumentParser()
p.add_argument("--key", required=True)
p.add_argument("--work", required=True)
for name in ("rounds", "duration", "warmup", "connections"):
    p.add_argument("--" + name, type=int, required=True)
ARGS = p.parse_args()


def item(i):
    return {"type": "call", "actor": {"id": f"u{i % 500}"}, "contact_id": f"c{i % 20000}", "record_id": f"r{i % 50000}",
            "title": f"Bench call {i}", "tags": ["bench"], "recipients": [f"u{i % 500}"]}


def body(name, payload):
    path = os.path.join(ARGS.work, name)
    with open(path, "w") as f:
        json.dump(payload, f)
    return path


def wrk(port, path, seconds, connections, body_file=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Authorization: Bearer " + ARGS.key]
    env = dict(os.environ)
    if body_file:
        cmd += ["-s", os.path.join(HERE, "post.lua")]
        env["BODY"] = body_file
    text = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], check=True, capture_output=True, text=True, env=env).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if errors:
        raise SystemExit(f"{path} on {port}: {errors.group(1)} errors")
    m = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)$", text, re.M)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]


one = json.loads(subprocess.run(["curl", "-sf", "-H", "Authorization: Bearer " + ARGS.key,
                                 "http://127.0.0.1:5193/orgs/bench/activities?take=1"], check=True, capture_output=True, text=True).stdout)["items"][0]["id"]
requests = [
    ("org feed take=25", "/orgs/bench/activities?take=25", None, ARGS.connections),
    ("contact timeline take=25", "/orgs/bench/contacts/c4242/activities?take=25", None, ARGS.connections),
    ("org feed type+actor take=25", "/orgs/bench/activities?type=call&actor_id=u42&take=25", None, ARGS.connections),
    ("one activity", f"/orgs/bench/activities/{one}", None, ARGS.connections),
    ("single create", "/orgs/bench/activities", body("single.json", item(1)), ARGS.connections),
    ("batch create, 100 items", "/orgs/bench/activities/batch", body("batch.json", {"activities": [item(i) for i in range(100)]}), 2),
]
warm = max(1, ARGS.warmup // len(requests))
for _, port in SERVERS:
    for _, path, body_file, connections in requests:
        wrk(port, path, warm, connections, body_file)

print()
print(f"Medians of {ARGS.rounds} rounds of {ARGS.duration} s per server (wrk -t2; connections as listed), the servers alternated within each round.")
print()
print("| request | conns | base req/s | mechanism req/s | rls req/s | rls/base | base p50 ms | rls p50 ms |")
print("|---|---|---|---|---|---|---|---|")
for name, path, body_file, connections in requests:
    runs = {server: [] for server, _ in SERVERS}
    for _ in range(ARGS.rounds):
        for server, port in SERVERS:
            runs[server].append(wrk(port, path, ARGS.duration, connections, body_file))
    rps = {s: statistics.median(r for r, _ in v) for s, v in runs.items()}
    p50 = {s: statistics.median(l for _, l in v) for s, v in runs.items()}
    print(f"| {name} | {connections} | {rps['base']:.0f} | {rps['mechanism']:.0f} | {rps['rls']:.0f} | {rps['rls'] / rps['base']:.2f} "
          f"| {p50['base']:.2f} | {p50['rls']:.2f} |", flush=True)
