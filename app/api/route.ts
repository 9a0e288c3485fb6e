import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { API_INDEX } from "@/lib/health/discovery";

// GET /api — where to start: the OpenAPI description and the health check.
export const GET = publicRoute(async () => json(API_INDEX));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
