import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { testConnection } from "@/lib/secret-providers/test-connection";

// POST /api/secret-providers/:id/test {providerPath?} — 200 {ok, latencyMs[, version, fingerprint] | error}
export const POST = apiRoute("testConnection", async ({ actor, params, body }) =>
  json(await testConnection({ actor, id: params.id!, input: await body() })),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
