// The generated client against a live server (through the validating proxy the run starts, so
// every answer is also checked against openapi/v1.json). Started by GeneratedClientTests, which
// sets ACTIVITYFEED_URL, ACTIVITYFEED_KEY and ACTIVITYFEED_ORG.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { createActivityFeedClient, isOfType, type Activity, type NewActivity, type Problem, type ValidationProblem } from "@activityfeed/client";

function setting(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: this walk runs from GeneratedClientTests against a live server`);
  return value;
}

const baseUrl = setting("ACTIVITYFEED_URL");
const org_id = setting("ACTIVITYFEED_ORG");
const client = createActivityFeedClient({ baseUrl, token: setting("ACTIVITYFEED_KEY") });
const contact_id = `c_ts_${randomUUID().slice(0, 8)}`;
const org = { path: { org_id } };

/** Compile-time: a `sent_email` activity's metadata is typed, down to `counts.views`. */
function views(activity: Activity): number | null | undefined {
  if (!isOfType(activity, "sent_email")) {
    return undefined;
  }
  const count: number | null | undefined = activity.metadata.counts?.views;
  return count;
}

/** Compile-time: another type's metadata has no `counts`. */
export function changedKeys(activity: Activity): string[] {
  if (!isOfType(activity, "contact_updated")) {
    return [];
  }
  // @ts-expect-error contact_updated metadata's `changes` is a typed list, not a number
  const notANumber: number = activity.metadata.changes;
  void notANumber;
  return (activity.metadata.changes ?? []).map((change) => change.key ?? "");
}

test("create answers 201 with Location and the typed activity; the same Idempotency-Key replays it", async () => {
  const body: NewActivity = {
    type: "sent_email",
    contact_id,
    title: "Quarterly update",
    tags: ["primary"],
    metadata: { subject: "Q3", status: "sent", counts: { views: 3, replies: 1, clicks: 0 } },
  };
  const key = randomUUID();
  const created = await client.POST("/orgs/{org_id}/activities", { params: { ...org, header: { "Idempotency-Key": key } }, body });
  assert.equal(created.response.status, 201);
  assert.ok(created.data);
  assert.equal(created.response.headers.get("location"), `/orgs/${org_id}/activities/${created.data.id}`);
  assert.equal(views(created.data), 3);

  const replayed = await client.POST("/orgs/{org_id}/activities", { params: { ...org, header: { "Idempotency-Key": key } }, body });
  assert.equal(replayed.response.status, 200);
  assert.equal(replayed.response.headers.get("idempotency-replayed"), "true");
  assert.equal(replayed.data?.id, created.data.id);
});

test("batch, get, patch, delete, and a filtered list walked by next to its end", async () => {
  const batch = await client.POST("/orgs/{org_id}/activities/batch", {
    params: org,
    body: {
      activities: [1, 2, 3, 4, 5].map((n) => ({
        type: "contact_updated" as const,
        contact_id,
        title: `change ${n}`,
        metadata: { changes: [{ key: "email", old_value: `a${n}@x`, new_value: `b${n}@x` }] },
      })),
    },
  });
  assert.equal(batch.response.status, 201);
  const items = batch.data?.items ?? [];
  assert.equal(items.length, 5);
  assert.deepEqual(changedKeys(items[0]!), ["email"]);

  const first = items[0]!;
  const got = await client.GET("/orgs/{org_id}/activities/{id}", { params: { path: { org_id, id: first.id } } });
  assert.equal(got.response.status, 200);
  assert.equal(got.data?.title, "change 1");

  // A merge patch sends only what changes: { pinned: true } is a whole, valid body.
  const pinned = await client.PATCH("/orgs/{org_id}/activities/{id}", {
    params: { path: { org_id, id: first.id } },
    body: { pinned: true },
    headers: { "Content-Type": "application/merge-patch+json" },
  });
  assert.equal(pinned.response.status, 200);
  assert.ok(pinned.data?.pinned_at);

  // metadata: null clears it (RFC 7396), to the empty object (which sent_email's schema allows).
  const email = await client.POST("/orgs/{org_id}/activities", {
    params: org,
    body: { type: "sent_email", metadata: { subject: "to clear", counts: { views: 1 } } },
  });
  assert.equal(email.response.status, 201);
  const cleared = await client.PATCH("/orgs/{org_id}/activities/{id}", {
    params: { path: { org_id, id: email.data!.id } },
    body: { metadata: null, tags: ["cleared"] },
  });
  assert.equal(cleared.response.status, 200);
  assert.deepEqual(cleared.data?.metadata, {});

  const seen: string[] = [];
  let page = await client.GET("/orgs/{org_id}/activities", {
    params: { path: { org_id }, query: { type: ["contact_updated"], contact_id, take: 2, sort_order: "asc" } },
  });
  for (;;) {
    assert.equal(page.response.status, 200);
    assert.ok(page.data);
    seen.push(...page.data.items.map((item) => item.id));
    if (!page.data.next) {
      assert.equal(page.data.has_more, false);
      assert.equal(page.response.headers.get("link"), null);
      break;
    }
    assert.match(page.response.headers.get("link") ?? "", /rel="next"/);
    page = await client.GET("/orgs/{org_id}/activities", { params: { path: { org_id }, query: { next: page.data.next, take: 2 } } });
  }
  // Ties on occurred_at (one batch) are broken by id: every item once, in id order.
  assert.deepEqual(seen, items.map((item) => item.id).sort());

  const pinnedOnly = await client.GET("/orgs/{org_id}/contacts/{contact_id}/activities", {
    params: { path: { org_id, contact_id }, query: { pinned: true, include_total: true } },
  });
  assert.equal(pinnedOnly.data?.total_count, 1);
  assert.equal(pinnedOnly.data?.items[0]?.id, first.id);

  const deleted = await client.DELETE("/orgs/{org_id}/activities/{id}", { params: { path: { org_id, id: first.id } } });
  assert.equal(deleted.response.status, 204);
  const gone = await client.GET("/orgs/{org_id}/activities/{id}", { params: { path: { org_id, id: first.id } } });
  assert.equal(gone.response.status, 404);
  const problem: Problem | undefined = gone.error;
  assert.equal(problem?.status, 404);
  assert.match(problem?.trace_id ?? "", /^[0-9a-f]{32}$/);
});

test("errors are problem details, read as typed", async () => {
  const invalid = await client.POST("/orgs/{org_id}/activities/batch", {
    params: org,
    // Valid by the document (a custom type's name), refused by the server: no such type is registered.
    body: { activities: [{ type: "sent_email" }, { type: "never_registered", metadata: { any: 1 } }] },
  });
  assert.equal(invalid.response.status, 400);
  assert.equal(invalid.response.headers.get("content-type"), "application/problem+json");
  const problem: ValidationProblem | undefined = invalid.error;
  assert.ok(problem?.errors);
  const keys = Object.keys(problem.errors);
  assert.ok(keys.some((key) => key.startsWith("activities[1].type")), keys.join(", "));
  const messages: string[] | undefined = problem.errors[keys[0]!];
  assert.ok(messages && messages.length > 0);

  // A token the server does not know (a validating proxy answers a missing one itself).
  const anonymous = createActivityFeedClient({ baseUrl, token: "afk.not-a-key" });
  const refused = await anonymous.GET("/orgs/{org_id}/activities", { params: { path: { org_id } } });
  assert.equal(refused.response.status, 401);
  assert.match(refused.response.headers.get("www-authenticate") ?? "", /^Bearer/);
  assert.equal(refused.error?.status, 401);
});
