import { operation } from "./operation";

/** GET /api/metrics: Prometheus text, not JSON, so its one success answer is declared as text/plain. */
export function metricsPaths() {
  return {
    "/api/metrics": {
      get: operation({
        id: "getMetrics",
        tag: "Monitoring",
        summary: "Prometheus metrics: usage counters per connection, webhook deliveries, process gauges",
        description:
          "Text exposition format 0.0.4. Per connection (labels connection_id, connection, type): provenance_upstream_calls_total, " +
          "provenance_upstream_errors_total, provenance_upstream_throttled_total, provenance_cache_hits_total, provenance_cache_misses_total: " +
          "the counters of GET /api/secret-providers/{id}/usage, summed over every stored day and every instance (this instance's counts " +
          "are stored first). provenance_webhook_deliveries{state} counts outgoing webhook deliveries; provenance_secret_reads_total{outcome}, provenance_audit_queue_depth, " +
          "provenance_watch_streams and process_* describe the answering process.",
        ok: {
          "200": {
            description: "Metrics in Prometheus text format",
            content: { "text/plain": { schema: { type: "string", description: "text/plain; version=0.0.4; charset=utf-8" } } },
          },
        },
      }),
    },
  };
}
