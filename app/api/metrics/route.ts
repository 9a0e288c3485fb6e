import { apiRoute, otherMethods } from "@/lib/api/route";
import { collectMetrics } from "@/lib/metrics/collect-metrics";
import { PROMETHEUS_CONTENT_TYPE } from "@/lib/metrics/prometheus-text";

// GET /api/metrics — Prometheus text format 0.0.4: usage counters per connection, webhook deliveries, process gauges (admin)
export const GET = apiRoute(
  "getMetrics",
  async () => new Response(await collectMetrics(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
