import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { checkHealth } from "@/lib/health/check-health";

// GET /api/health/ready — readiness: the database answers and the master key matches (as /api/health)
export const GET = publicRoute(async () => {
  const health = await checkHealth();
  return json(health, health.status === "ok" ? 200 : 503);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
