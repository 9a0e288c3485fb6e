import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { env } from "@/lib/env";
import { buildOpenApi } from "@/lib/openapi/build-openapi";

// GET /api/openapi.json — the REST contract as OpenAPI 3.1, generated from the request schemas.
// Its server is the configured public URL, else relative: never built from the request's Host or
// X-Forwarded-* headers, which a client can set.
export const GET = publicRoute(async () => json(buildOpenApi(env().NEXTAUTH_URL)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
