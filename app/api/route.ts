import { json, otherMethods, publicRoute } from "@/lib/api/route";

// GET /api — where to start: the OpenAPI description and the health check.
export const GET = publicRoute(async () => json({ name: "Provenance API", openapi: "/api/openapi.json", health: "/api/health" }));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
