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
