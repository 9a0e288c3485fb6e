import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { listSecrets } from "@/lib/secrets/read-secrets";
import { createSecret } from "@/lib/secrets/write-secrets";

// GET /api/secrets[?prefix=a.b&provider=vault&secretProviderId=…] — metadata only, never values
export const GET = apiRoute("viewer", async ({ actor, query }) =>
  json(
    await listSecrets({
      actor,
      filter: { prefix: query.get("prefix"), provider: query.get("provider"), secretProviderId: query.get("secretProviderId") },
    }),
  ),
);

// POST /api/secrets — 201 + secret; 409 path_taken; 400 validation_error with fields
export const POST = apiRoute("editor", async ({ actor, body }) => json(await createSecret({ actor, input: await body() }), 201));

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
