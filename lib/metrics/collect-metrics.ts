import { auditQueueDepth } from "@/lib/audit/audit-queue";
import { db } from "@/lib/db/client";
import { watchHub } from "@/lib/secrets/watch/watch-hub";
import { flushCountsNow } from "@/lib/usage/count-flushes";
import { USAGE_FIELDS, type UsageField } from "@/lib/usage/usage-counter";
import { deliveryCounts } from "@/lib/webhooks/delivery-store";
import { readCounts } from "./read-counter";
import { renderPrometheusText, type MetricFamily } from "./prometheus-text";

/**
 * GET /api/metrics — the numbers operators graph and alert on, in Prometheus text format.
 *
 * Per connection: the counters GET /api/secret-providers/:id/usage reports, as totals over every
 * stored day (the same rows; this process's counts are stored first, as for the usage endpoint, so
 * they are included; another instance's last few seconds arrive with its next flush). They are
 * cluster-wide totals from the shared database, so any instance answers the same, and a scrape of
 * several instances must not sum them. Connections that are deleted disappear with their rows.
 *
 * Per process: secret reads by outcome since it started, audit rows waiting for their group write, watch streams open, and the Node process.
 * Cluster-wide again: webhook deliveries by state (finished ones until they are pruned after 7 days).
 */
const USAGE_METRICS: Record<UsageField, { name: string; help: string }> = {
  calls: {
    name: "provenance_upstream_calls_total",
    help: "Requests a connection made to its manager's API (each attempt; all instances, all stored days).",
  },
  errors: {
    name: "provenance_upstream_errors_total",
    help: "Upstream calls that failed (an error answer, a timeout, an unreachable manager).",
  },
  throttled: {
    name: "provenance_upstream_throttled_total",
    help: "Failed upstream calls the manager answered with 429 or its own throttling code.",
  },
  cacheHits: { name: "provenance_cache_hits_total", help: "Resolves of a connection's secrets answered from the value cache." },
  cacheMisses: { name: "provenance_cache_misses_total", help: "Resolves of a connection's secrets that needed an upstream read." },
};

export async function collectMetrics(): Promise<string> {
  await flushCountsNow();
  const [connections, sums, deliveries] = await Promise.all([
    db().secretProvider.findMany({ select: { id: true, name: true, type: true }, orderBy: { name: "asc" } }),
    db().providerUsageDay.groupBy({
      by: ["connectionId"],
      _sum: { calls: true, errors: true, throttled: true, cacheHits: true, cacheMisses: true },
    }),
    deliveryCounts(),
  ]);
  const byConnection = new Map(sums.map((row) => [row.connectionId, row._sum]));
  const families: MetricFamily[] = USAGE_FIELDS.map((field) => ({
    ...USAGE_METRICS[field],
    type: "counter",
    samples: connections.map((connection) => ({
      labels: { connection_id: connection.id, connection: connection.name, type: connection.type },
      value: byConnection.get(connection.id)?.[field] ?? 0,
    })),
  }));
  families.push(
    {
      name: "provenance_webhook_deliveries",
      help: "Outgoing webhook deliveries by state: pending (waiting or retrying), delivered, failed (given up); finished ones for 7 days.",
      type: "gauge",
      samples: (["pending", "delivered", "failed"] as const).map((state) => ({ labels: { state }, value: deliveries[state] })),
    },
    {
      name: "provenance_secret_reads_total",
      help: "Secret paths this process resolved (single and batch), by outcome: success, failure (no value), denied (scope or fence).",
      type: "counter",
      samples: Object.entries(readCounts()).map(([outcome, value]) => ({ labels: { outcome }, value })),
    },
    {
      name: "provenance_audit_queue_depth",
      help: "Audit rows this process holds for its next group write.",
      type: "gauge",
      samples: [{ value: auditQueueDepth() }],
    },
    {
      name: "provenance_watch_streams",
      help: "Open GET /api/secrets/watch streams on this process.",
      type: "gauge",
      samples: [{ value: watchHub().size }],
    },
    {
      name: "process_resident_memory_bytes",
      help: "Resident memory size in bytes.",
      type: "gauge",
      samples: [{ value: process.memoryUsage.rss() }],
    },
    {
      name: "process_start_time_seconds",
      help: "Start time of the process since unix epoch in seconds.",
      type: "gauge",
      samples: [{ value: Math.round(Date.now() / 1000 - process.uptime()) }],
    },
  );
  return renderPrometheusText(families);
}
