import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { listConnections } from "@/lib/secret-providers/read-connections";
import { createConnection } from "@/lib/secret-providers/write-connections";

// GET /api/secret-providers — every connection, sensitive fields masked
export const GET = apiRoute("listConnections", async ({ actor }) => json(await listConnections({ scope: actor.scope })));

// POST /api/secret-providers — 201 + connection; 409 name_taken; 400 validation_error with fields
export const POST = apiRoute("createConnection", async ({ actor, body }) =>
  json(await createConnection({ actor, input: await body() }), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
