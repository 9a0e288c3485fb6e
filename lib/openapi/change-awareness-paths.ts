import { idParam, json, operation } from "./operation";
import { closed, ref } from "./schemas";

/** OpenAPI paths of the contract's "Change awareness" section built so far: usage per connection and value lineage. */
export function changeAwarenessPaths() {
  return {
    "/api/secret-providers/{id}/usage": {
      get: operation({
        id: "getConnectionUsage",
        tag: "Secret providers",
        summary: "Upstream calls, errors, throttling, cache answers and list-price cost of a connection",
        description:
          "Counts of the calls this connection made to its manager (resolves, tests and mount checks), per UTC day, over the UTC " +
          "days that overlap the window (24h: yesterday and today). Counted in memory and stored every few seconds; the answer " +
          "includes everything this instance counted until the request. Path-scoped tokens are refused (403), since the numbers " +
          "cover every secret of the connection.",
        parameters: [idParam, { name: "window", in: "query", required: false, description: "24h (default), 7d or 30d", schema: { type: "string", enum: ["24h", "7d", "30d"] } }],
        ok: { "200": json("Usage", ref("ConnectionUsage")) },
        errors: ["validation_error", "forbidden", "not_found"],
      }),
    },
    "/api/secrets/{id}/versions": {
      get: operation({
        id: "listSecretVersions",
        tag: "Secrets",
        summary: "Every version of a secret seen, newest first, with who read it",
        description:
          "Stored secrets: one entry per value written. External secrets: a new entry when a fetched value's fingerprint differs " +
          "from the last one seen (named by the manager's version id when it gives one). readers counts the distinct tokens and " +
          "users that resolved that version; lastReadAt is the latest of their reads. Never a value. Outside a path-scoped " +
          "token's scope: 404, as GET /api/secrets/{id}.",
        parameters: [idParam],
        ok: { "200": json("Versions, newest first", { type: "array", items: ref("SecretVersion") }) },
        errors: ["not_found"],
      }),
    },
  };
}

const counts = {
  calls: { type: "integer", minimum: 0, description: "Requests made to the manager's API (each attempt; a BatchGetSecretValue for up to 20 secrets is one)" },
  errors: { type: "integer", minimum: 0, description: "Calls that failed (an error answer, a timeout, an unreachable manager)" },
  throttled: { type: "integer", minimum: 0, description: "Failed calls the manager answered with 429 or its own throttling code" },
  cacheHits: { type: "integer", minimum: 0, description: "Resolves answered from the value cache" },
  cacheMisses: { type: "integer", minimum: 0, description: "Resolves that needed an upstream read (shared reads included)" },
  estimatedCostUsd: { type: "number", minimum: 0, description: "calls at list price: AWS $0.05, GCP $0.03, Azure $0.03 per 10,000; Vault $0" },
};
const countNames = Object.keys(counts);
export function changeAwarenessSchemas() {
  return {
    ConnectionUsage: closed([...countNames, "byDay"], {
      ...counts,
      byDay: {
        type: "array",
        description: "Every UTC day that overlaps the window, oldest first (days without calls have zeros)",
        items: closed(["day", ...countNames], { day: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, ...counts }),
      },
    }),
    SecretVersion: closed(["version", "fingerprint", "firstSeenAt", "lastSeenAt", "lastReadAt", "readers"], {
      version: { type: "string", description: "The stored version number, the upstream version id, or a counter when the manager gives none" },
      fingerprint: { type: "string", description: "Keyed fingerprint of the value (hmac-sha256:…), never the value" },
      firstSeenAt: { type: "string", format: "date-time" },
      lastSeenAt: { type: "string", format: "date-time", description: "The last time Provenance fetched or served this version" },
      lastReadAt: { type: ["string", "null"], format: "date-time", description: "The last read of this version; null when nobody read it" },
      readers: { type: "integer", minimum: 0, description: "Distinct tokens and users that read this version" },
    }),
  };
}
