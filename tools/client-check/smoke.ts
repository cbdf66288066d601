// Compile-only check: if the OpenAPI document drops or breaks an endpoint the
// generated `paths` type changes and `tsc --noEmit` fails here.
import createClient from "openapi-fetch";
import type { paths } from "../generated/api";

// Indexing `paths` by a missing key is a type error, which is the point.
type Live = paths["/health/live"];
export type LiveGet = Live["get"];

export const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8080" });

// Never called; it only makes tsc check that the typed client accepts this path.
export async function live(): Promise<boolean> {
  const { response } = await client.GET("/health/live");
  return response.ok;
}

import type { components } from "../generated/api";

type Activity = components["schemas"]["ActivityResponse"];
type ContactUpdated = components["schemas"]["ContactUpdatedMetadata"];

// The typed metadata variants reach the client: a wrong shape here fails tsc. Generated clients put
// the discriminator in metadata.type; the server accepts it when it equals the activity's type.
export const changes: ContactUpdated = {
  type: "contact_updated",
  changes: [{ key: "email", old_value: "a@x", new_value: "b@x" }],
};

// Creating an activity through the generated client: path, path parameter, body and headers are typed.
export async function record(orgId: string): Promise<Activity | undefined> {
  const { data } = await client.POST("/orgs/{org_id}/activities", {
    params: { path: { org_id: orgId }, header: { "Idempotency-Key": "k-1" } },
    body: { type: "contact_updated", contact_id: "c_9", metadata: changes },
  });
  return data;
}
