import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { buildOpenApi } from "@/lib/openapi/build-openapi";

// GET /api/openapi.json — the REST contract as OpenAPI 3.1, generated from the request schemas
export const GET = publicRoute(async (request) => json(buildOpenApi(new URL(request.url).origin)));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
