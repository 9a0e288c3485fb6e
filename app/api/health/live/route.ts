import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { LIVE } from "@/lib/health/discovery";

// GET /api/health/live — liveness: the process serves requests (no database call, so a database
// outage does not get healthy instances restarted)
export const GET = publicRoute(async () => json(LIVE));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
