// Webhook benchmark report: a receiver on loopback (Node's http server, answering 204 at once),
// one webhook registered for it, activities written through the API. Measures, per delivery, the
// time from the activity's created_at (set by the server as it writes, before commit) to the
// request's arrival at the receiver, at a steady write rate; then the delivery rate when 20,000
// activities arrive in 1,000-item batches back to back. Talks to this machine only.
// Usage: node webhooks_report.mjs BASE_URL ORG KEY > report.md
import http from "node:http";
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [base, org, key] = process.argv.slice(2);
const target = new URL(base);
if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) throw new Error("benchmarks only talk to this machine");
const auth = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };

const arrivals = new Map(); // activity id -> { at, count }
let total = 0;
const receiver = http.createServer({ keepAlive: true }, (req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const at = Date.now();
    const body = JSON.parse(Buffer.concat(chunks).toString());
    const seen = arrivals.get(body.data.id);
    arrivals.set(body.data.id, { at: seen?.at ?? at, count: (seen?.count ?? 0) + 1, createdAt: Date.parse(body.data.created_at) });
    total++;
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

async function api(path, body) {
  const response = await fetch(new URL(path, base), { method: "POST", headers: auth, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// CPU seconds used so far by the server process and by PostgreSQL's processes (utime + stime).
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* ended */ }
  }
  return ticks / 100;
}
const postgresPids = () => execSync("pgrep -u postgres || true").toString().split("\n").filter(Boolean);
const serverPid = process.env.SERVER_PID;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(predicate, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${arrivals.size} distinct deliveries, ${total} requests`);
    await sleep(5);
  }
}
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

await api(`/orgs/${org}/webhooks`, { url: hookUrl, events: ["activity.created"] });

// Warm-up: JIT, pools and the receiver's keep-alive connections.
for (let i = 0; i < 300; i++) await api(`/orgs/${org}/activities`, { type: "call", title: `warm ${i}` });
await until(() => arrivals.size >= 300, 60);

// Latency at a steady rate: 50 creates/s for 20 s, one at a time.
const timed = [];
for (let i = 0; i < 1000; i++) {
  const started = Date.now();
  timed.push((await api(`/orgs/${org}/activities`, { type: "call", title: `timed ${i}` })).id);
  await sleep(Math.max(0, 20 - (Date.now() - started)));
}
await until(() => timed.every((id) => arrivals.has(id)), 60);
const latencies = timed.map((id) => arrivals.get(id).at - arrivals.get(id).createdAt).sort((a, b) => a - b);

// Throughput: 20 batches of 1,000, two clients at a time.
const before = total;
const cpuBefore = { server: cpuSeconds([serverPid]), postgres: cpuSeconds(postgresPids()) };
const batchIds = [];
const firstBatchAt = Date.now();
for (let round = 0; round < 10; round++) {
  const results = await Promise.all([0, 1].map((c) =>
    api(`/orgs/${org}/activities/batch`, { activities: Array.from({ length: 1000 }, (_, k) => ({ type: "call", title: `bulk ${round}.${c}.${k}` })) })));
  for (const r of results) batchIds.push(...r.items.map((a) => a.id));
}
const writtenAt = Date.now();
await until(() => batchIds.every((id) => arrivals.has(id)), 600);
const doneAt = Math.max(...batchIds.map((id) => arrivals.get(id).at));
const cpuAfter = { server: cpuSeconds([serverPid]), postgres: cpuSeconds(postgresPids()) };
const duplicates = [...arrivals.values()].filter((a) => a.count > 1).length;

const seconds = (doneAt - firstBatchAt) / 1000;
console.log(`| measure | value |`);
console.log(`| --- | --- |`);
console.log(`| write-to-delivery, 1,000 creates at 50/s: p50 / p90 / p99 / max | ${percentile(latencies, 50)} / ${percentile(latencies, 90)} / ${percentile(latencies, 99)} / ${latencies.at(-1)} ms |`);
console.log(`| 20,000 activities in 1,000-item batches (2 clients): written in | ${((writtenAt - firstBatchAt) / 1000).toFixed(1)} s |`);
console.log(`| … all 20,000 delivered within | ${seconds.toFixed(1)} s of the first batch (${Math.round(20000 / seconds).toLocaleString("en")} deliveries/s) |`);
console.log(`| … last delivery after the last batch's answer | ${((doneAt - writtenAt) / 1000).toFixed(1)} s |`);
console.log(`| … CPU for the bulk phase (writes and deliveries): server / PostgreSQL | ${(cpuAfter.server - cpuBefore.server).toFixed(1)} s / ${(cpuAfter.postgres - cpuBefore.postgres).toFixed(1)} s (${(1000 * (cpuAfter.server - cpuBefore.server) / 20000).toFixed(2)} / ${(1000 * (cpuAfter.postgres - cpuBefore.postgres) / 20000).toFixed(2)} ms per activity) |`);
console.log(`| requests received in the bulk phase / duplicates over the run | ${total - before} / ${duplicates} |`);
receiver.close();
process.exit(0);
