"""Live-stream benchmark report: opens N SSE streams, writes activities through the API, and
measures on every stream the time from the activity's created_at (set by the server as it
writes, before commit) to the event's arrival. Talks to this machine only.

Usage: streams_report.py BASE_URL ORG KEY STREAMS > report.md
"""
import asyncio, datetime, json, statistics, sys, time, urllib.parse

base, org, key, streams = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
target = urllib.parse.urlparse(base)
assert target.hostname in ("127.0.0.1", "localhost", "::1"), "benchmarks only talk to this machine"
HOST, PORT = target.hostname, target.port
MARKER = b'"created_at":"'

latencies, deliveries, errors = [], [0], [0]
connected = asyncio.Event()
open_count = [0]


def created_at(line):
    at = line.find(MARKER) + len(MARKER)
    text = line[at:at + 27].decode()  # 2026-01-02T03:04:05.123456Z
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()


async def stream(record):
    reader, writer = await asyncio.open_connection(HOST, PORT, limit=1 << 20)
    writer.write((f"GET /orgs/{org}/activities/stream HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {key}\r\n"
                  f"Accept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readline()
    assert b" 200 " in status, status
    while (await reader.readline()) != b"\r\n":
        pass
    open_count[0] += 1
    if open_count[0] == streams:
        connected.set()
    while True:
        line = await reader.readline()
        if not line:
            return
        if line.startswith(b"data: {\"id\""):
            if record[0]:
                latencies.append(time.time() - created_at(line))
            deliveries[0] += 1
        elif line.startswith(b"event: error"):
            errors[0] += 1


async def post(writer, reader, body):
    payload = json.dumps(body).encode()
    writer.write((f"POST /orgs/{org}/activities{'/batch' if 'activities' in body else ''} HTTP/1.1\r\nHost: {HOST}\r\n"
                  f"Authorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload)
    await writer.drain()
    status = await reader.readline()
    length = 0
    while (line := await reader.readline()) != b"\r\n":
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    assert b" 201 " in status, status


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000


async def main():
    record = [False]
    tasks = [asyncio.create_task(stream(record)) for _ in range(streams)]
    opened = time.perf_counter()
    await asyncio.wait_for(connected.wait(), 120)
    open_seconds = time.perf_counter() - opened
    reader, writer = await asyncio.open_connection(HOST, PORT)

    # Phase 1: steady writes, one activity at a time, 10 a second for 30 s.
    record[0] = True
    rate, seconds = 10, 30
    started = time.perf_counter()
    for i in range(rate * seconds):
        await post(writer, reader, {"type": "call", "title": f"steady {i}"})
        await asyncio.sleep(max(0, started + (i + 1) / rate - time.perf_counter()))
    await asyncio.sleep(2)
    record[0] = False
    steady = list(latencies)
    expected_steady = rate * seconds * streams

    # Phase 2: back-to-back batches of 100 for 15 s; deliveries counted until they stop arriving.
    before = deliveries[0]
    written, started = 0, time.perf_counter()
    while time.perf_counter() - started < 15:
        await post(writer, reader, {"activities": [{"type": "call", "title": f"burst {written + i}"} for i in range(100)]})
        written += 100
    write_seconds = time.perf_counter() - started
    last, stable = deliveries[0], 0
    while stable < 3:
        await asyncio.sleep(1)
        stable = stable + 1 if deliveries[0] == last else 0
        last = deliveries[0]
    drain_seconds = time.perf_counter() - started - 3
    burst = deliveries[0] - before

    print(f"## {streams} open streams of the org feed (opened in {open_seconds:.1f} s)\n")
    print(f"### Steady: {rate} activities/s for {seconds} s, each to every stream\n")
    print("| deliveries | expected | p50 | p90 | p99 | max |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(f"| {len(steady)} | {expected_steady} | {pct(steady, .5):.1f} ms | {pct(steady, .9):.1f} ms | {pct(steady, .99):.1f} ms | {max(steady) * 1000:.1f} ms |\n")
    print("Latency = arrival on the stream minus the activity's `created_at` (the server's clock when the write "
          "began, before its commit; same machine, same clock), so it includes the write itself.\n")
    print(f"### Sustained: back-to-back batches of 100 for {write_seconds:.1f} s\n")
    print(f"{written} activities written ({written / write_seconds:.0f}/s); {burst} of the {written * streams} deliveries "
          f"arrived within {drain_seconds:.1f} s: {burst / drain_seconds:.0f} events/s; `error` events (a stream fell behind "
          f"and was closed, to resume from the log): {errors[0]}.")
    for task in tasks:
        task.cancel()


asyncio.run(main())
