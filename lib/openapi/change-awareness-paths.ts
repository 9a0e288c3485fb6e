import { idParam, json, operation } from "./operation";
import { ref } from "./schemas";

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
        parameters: [
          idParam,
          {
            name: "window",
            in: "query",
            required: false,
            description: "24h (default), 7d or 30d",
            schema: { type: "string", enum: ["24h", "7d", "30d"] },
          },
        ],
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
