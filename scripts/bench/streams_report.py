"""Live-stream benchmark report: opens N SSE streams, writes activities through the API, and
measures on every stream the time from the activity's created_at (set by the server as it
writes, before commit) to the event's arrival. Talks to this machine only.

Usage: streams_report.py BASE_URL ORG KEY STREAMS > report.md
The latency is timed by a second process of this script (--timed) holding TIMED of the streams
on its own event loop, so its clock readings do not queue behind the other streams' parsing.
"""
import asyncio, datetime, json, os, statistics, subprocess, sys, time, urllib.parse

TIMED = 20
timed_mode = sys.argv[1] == "--timed"
args = sys.argv[2:] if timed_mode else sys.argv[1:]
base, org, key, streams = args[0], args[1], args[2], int(args[3])
target = urllib.parse.urlparse(base)
assert target.hostname in ("127.0.0.1", "localhost", "::1"), "benchmarks only talk to this machine"
HOST, PORT = target.hostname, target.port
MARKER = b'"created_at":"'

latencies, deliveries, errors = [], [0], [0]
connected = asyncio.Event()
open_count = [0]


def created_at(line):
    at = line.find(MARKER) + len(MARKER)
    return datetime.datetime.fromisoformat(line[at:at + 27].decode()).timestamp()  # 2026-01-02T03:04:05.123456Z


dead = [0]
expected_open = [streams]


async def stream(index, record):
    try:
        await read_stream(index, record)
    except Exception:  # a broken stream is reported, not silently lost
        dead[0] += 1


async def read_stream(index, record):
    reader, writer = await asyncio.open_connection(HOST, PORT, limit=1 << 20)
    # HTTP/1.0: the body is the event stream itself, not chunked.
    writer.write((f"GET /orgs/{org}/activities/stream HTTP/1.0\r\nHost: {HOST}\r\nAuthorization: Bearer {key}\r\n"
                  f"Accept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    status = await reader.readline()
    assert b" 200 " in status, status
    while (await reader.readline()) != b"\r\n":
        pass
    open_count[0] += 1
    if open_count[0] == expected_open[0]:
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
    length, chunked = 0, False
    while (line := await reader.readline()) != b"\r\n":
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        elif line.lower().startswith(b"transfer-encoding:") and b"chunked" in line.lower():
            chunked = True
    if chunked:
        while (size := int((await reader.readline()).strip(), 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readline()
    else:
        await reader.readexactly(length)
    assert b" 201 " in status, status


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000


async def timed_main():
    """Holds TIMED streams, records arrivals while a file flag says so, prints the latencies as JSON."""
    record = [False]
    tasks = [asyncio.create_task(stream(i, record)) for i in range(streams)]
    await asyncio.wait_for(connected.wait(), 120)
    print("ready", flush=True)
    while (line := (await asyncio.to_thread(sys.stdin.readline)).strip()) != "stop":  # the parent says when
        record[0] = record[0] or line == "start"
    record[0] = False
    print(json.dumps(latencies), flush=True)
    for task in tasks:
        task.cancel()


async def main():
    timer = subprocess.Popen([sys.executable, __file__, "--timed", base, org, key, str(TIMED)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    record = [False]
    expected_open[0] = streams - TIMED
    tasks = [asyncio.create_task(stream(i, record)) for i in range(streams - TIMED)]
    opened = time.perf_counter()
    await asyncio.wait_for(connected.wait(), 120)
    assert (await asyncio.to_thread(timer.stdout.readline)).strip() == "ready"
    open_seconds = time.perf_counter() - opened
    reader, writer = await asyncio.open_connection(HOST, PORT)

    # Phase 1: steady writes, one activity at a time, 10 a second for 30 s.
    timer.stdin.write("start\n"); timer.stdin.flush()
    rate, seconds = 10, 30
    started = time.perf_counter()
    for i in range(rate * seconds):
        await post(writer, reader, {"type": "call", "title": f"steady {i}"})
        await asyncio.sleep(max(0, started + (i + 1) / rate - time.perf_counter()))
    await asyncio.sleep(2)
    timer.stdin.write("stop\n"); timer.stdin.flush()
    steady = json.loads(await asyncio.to_thread(timer.stdout.readline))
    timer.wait()
    expected_steady = rate * seconds * TIMED
    # Phase 2: back-to-back batches of 100 for 15 s; deliveries counted until they stop arriving.
    before = deliveries[0]
    written, started = 0, time.perf_counter()
    while time.perf_counter() - started < 15:
        await post(writer, reader, {"activities": [{"type": "call", "title": f"burst {written + i}"} for i in range(100)]})
        written += 100
    write_seconds = time.perf_counter() - started
    # Until every delivery arrived, or nothing arrived for 20 s (longer than the 10 s safety re-read).
    last, last_change = deliveries[0], time.perf_counter()
    while deliveries[0] - before < written * (streams - TIMED) and time.perf_counter() - last_change < 20:
        await asyncio.sleep(0.05)
        if deliveries[0] != last:
            last, last_change = deliveries[0], time.perf_counter()
    drain_seconds = last_change - started
    burst = deliveries[0] - before

    print(f"## {streams} open streams of the org feed (opened in {open_seconds:.1f} s)\n")
    print(f"### Steady: {rate} activities/s for {seconds} s, each to every stream\n")
    print(f"Timed on {TIMED} of the {streams} streams, held by a second client process; the other {streams - TIMED} receive and count every event.\n")
    print("| timed deliveries | expected | p50 | p90 | p99 | max |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(f"| {len(steady)} | {expected_steady} | {pct(steady, .5):.1f} ms | {pct(steady, .9):.1f} ms | {pct(steady, .99):.1f} ms | {max(steady) * 1000:.1f} ms |\n")
    print("Latency = arrival on the stream minus the activity's `created_at` (the server's clock when the write "
          "began, before its commit; same machine, same clock), so it includes the write itself.\n")
    print(f"### Sustained: back-to-back batches of 100 for {write_seconds:.1f} s\n")
    print(f"{written} activities written ({written / write_seconds:.0f}/s); {burst} of the {written * (streams - TIMED)} deliveries to the counting streams "
          f"arrived, the last {drain_seconds:.1f} s after the first batch was sent: {burst / drain_seconds:.0f} events/s; `error` events (a stream fell behind "
          f"and was closed, to resume from the log): {errors[0]}; client streams that broke: {dead[0]}.")
    for task in tasks:
        task.cancel()




asyncio.run(timed_main() if timed_mode else main())
