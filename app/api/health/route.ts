import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { checkHealth } from "@/lib/health/check-health";

// GET /api/health — 200 {status: "ok"} when the database answers and the master key matches; 503 otherwise
export const GET = publicRoute(async () => {
  const health = await checkHealth();
  return json(health, health.status === "ok" ? 200 : 503);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
