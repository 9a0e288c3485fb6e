import { batchResolveInput } from "@/lib/secrets/resolve/resolve-secrets";
import { PAGE_LIMIT_MAX } from "@/lib/secrets/secret-cursor";
import { createSecretShape, updateSecretShape } from "@/lib/secrets/secret-schemas";
import { createConnectionShape, updateConnectionShape } from "@/lib/secret-providers/connection-schemas";
import { testConnectionInput } from "@/lib/secret-providers/test-connection";
import { changeAwarenessPaths } from "./change-awareness-paths";
import { providerConfigSchemas, requestSchema, responseSchemas } from "./schemas";

/**
 * The OpenAPI 3.1 description of the REST contract, built from the same zod schemas and provider
 * definitions that validate requests, so the document cannot drift from the code.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: unknown) => ({ required: true, content: { "application/json": { schema } } });
const jsonResponse = (description: string, schema: unknown) => ({ description, content: { "application/json": { schema } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), jsonResponse(ERROR_TEXT[status] ?? "Error", ref("Error"))]));

const ERROR_TEXT: Record<number, string> = {
  400: "validation_error (with fields) or invalid_json",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "name_taken, path_taken or provider_in_use",
  412: "precondition_failed (If-Match did not match)",
  413: "payload_too_large",
  429: "rate_limited",
  502: "provider_error",
  503: "provider_sdk_missing",
  504: "provider_timeout",
};

const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

export function buildOpenApi(serverUrl?: string) {
  const connectionUpdate = {
    parameters: [idParam],
    requestBody: jsonBody(ref("ConnectionUpdate")),
    responses: { "200": jsonResponse("The updated connection", ref("Connection")), ...errors(400, 401, 403, 404, 409, 412, 413) },
  };
  const secretUpdate = {
    parameters: [idParam],
    requestBody: jsonBody(ref("SecretUpdate")),
    responses: { "200": jsonResponse("The updated secret", ref("Secret")), ...errors(400, 401, 403, 404, 409, 412, 413) },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Provenance API",
      version: "1.0.0",
      description: "Secrets stored in Provenance or fetched at run time from AWS Secrets Manager, Azure Key Vault, GCP Secret Manager and HashiCorp Vault.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      ...changeAwarenessPaths,
      "/api/health": {
        get: { security: [], summary: "Health", responses: { "200": jsonResponse("Healthy", ref("Health")), "503": jsonResponse("Unhealthy", ref("Health")) } },
      },
      "/api/secret-providers/types": {
        get: { summary: "Provider types and their config schemas", responses: { "200": jsonResponse("Types", { type: "array", items: ref("ProviderType") }), ...errors(401) } },
      },
      "/api/secret-providers": {
        get: { summary: "List connections", responses: { "200": jsonResponse("Connections", { type: "array", items: ref("Connection") }), ...errors(401, 403) } },
        post: {
          summary: "Create a connection (admin)",
          requestBody: jsonBody(ref("ConnectionCreate")),
          responses: { "201": jsonResponse("Created", ref("Connection")), ...errors(400, 401, 403, 409, 413) },
        },
      },
      "/api/secret-providers/{id}": {
        get: { parameters: [idParam], summary: "Get a connection", responses: { "200": jsonResponse("Connection", ref("Connection")), ...errors(401, 403, 404) } },
        put: { summary: "Update a connection (admin); config merges key by key", ...connectionUpdate },
        patch: { summary: "Same as PUT", ...connectionUpdate },
        delete: { parameters: [idParam], summary: "Delete a connection (admin)", responses: { "204": { description: "Deleted" }, ...errors(401, 403, 404, 409) } },
      },
      "/api/secret-providers/{id}/test": {
        post: {
          parameters: [idParam],
          summary:
            "Test a connection, optionally by reading one secret (fingerprint only). providerPath: 403 for path-scoped tokens, and 403 outside the connection's allowedProviderPaths",
          requestBody: jsonBody(requestSchema(testConnectionInput)),
          responses: { "200": jsonResponse("Result", ref("TestResult")), ...errors(400, 401, 403, 404, 429) },
        },
      },
      "/api/secrets": {
        get: {
          summary: "List secrets (metadata only)",
          description:
            "Always a JSON array, in secretPath order. Without limit (and cursor) it is the whole list the caller may see. With limit " +
            "it is one page of that list, full unless it is the last (a path-scoped token's pages hold only its secrets, with no " +
            "gaps); when more follow, the Link header (rel=\"next\") gives the next page's URL and X-Next-Cursor its cursor. " +
            "A cursor stays valid while secrets are added or removed; an unknown or altered one answers 400 with fields.cursor.",
          parameters: [
            { name: "prefix", in: "query", schema: { type: "string" } },
            { name: "provider", in: "query", schema: { type: "string" } },
            { name: "secretProviderId", in: "query", schema: { type: "string" } },
            { name: "limit", in: "query", description: "Page size; omit for the whole list", schema: { type: "integer", minimum: 1, maximum: PAGE_LIMIT_MAX } },
            {
              name: "cursor",
              in: "query",
              description: "Opaque: the X-Next-Cursor of the previous page (the secrets after it). Without limit, everything after it",
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": {
              ...jsonResponse("Secrets", { type: "array", items: ref("Secret") }),
              headers: {
                Link: { description: '<URL of the next page>; rel="next" — only when limit was given and more secrets follow', schema: { type: "string" } },
                "X-Next-Cursor": { description: "The next page's cursor, under the same condition as Link", schema: { type: "string" } },
              },
            },
            ...errors(400, 401),
          },
        },
        post: {
          summary: "Create a secret (editor). 403 for a path-scoped token creating an external secret, or for a providerPath outside the connection's allowedProviderPaths",
          requestBody: jsonBody(ref("SecretCreate")),
          responses: { "201": jsonResponse("Created", ref("Secret")), ...errors(400, 401, 403, 409, 413) },
        },
      },
      "/api/secrets/{id}": {
        get: { parameters: [idParam], summary: "Get a secret (metadata only)", responses: { "200": jsonResponse("Secret", ref("Secret")), ...errors(401, 404) } },
        put: { summary: "Update a secret (editor). 403 for a path-scoped token changing where an external secret reads from (provider, connection, providerPath, version, jsonKey), or for a providerPath outside the connection's allowedProviderPaths", ...secretUpdate },
        patch: { summary: "Same as PUT", ...secretUpdate },
        delete: { parameters: [idParam], summary: "Delete a secret (editor)", responses: { "204": { description: "Deleted" }, ...errors(401, 403, 404) } },
      },
      "/api/secrets/resolve": {
        get: {
          summary: "Resolve one secret's value (editor, or a token whose scope covers it)",
          parameters: [{ name: "path", in: "query", required: true, schema: { type: "string" } }],
          responses: { "200": jsonResponse("The value", ref("ResolvedSecret")), ...errors(400, 401, 403, 404, 429, 502, 503, 504) },
        },
        post: {
          summary: "Resolve many secrets; one failure never fails the rest",
          description:
            "Each path counts against the per-minute resolve limit. Values are returned up to PROVENANCE_RESOLVE_BATCH_MAX_BYTES " +
            "(default 4 MiB); later paths get the per-path error response_too_large (ask for them in another request). The whole " +
            "batch answers within the provider timeout plus 3 s; paths not answered by then get provider_timeout. More than " +
            "PROVENANCE_RESOLVE_BATCHES_IN_FLIGHT batches at once from one caller answer 429.",
          requestBody: jsonBody(requestSchema(batchResolveInput)),
          responses: { "200": jsonResponse("Values and per-path errors", ref("BatchResolved")), ...errors(400, 401, 403, 429) },
        },
      },
      "/api/secrets/watch": {
        get: {
          summary: "Follow changes under a prefix as server-sent events (editor, or a token: its scope)",
          description:
            "text/event-stream: one `change` event per secret created, edited or deleted under the prefix, with id (the change log's), " +
            "data {secretPath, version, fingerprint, changedAt, change} and never a value; a comment line every 10 s. Send " +
            "Last-Event-ID to get every later event from the last hour first. At most 16 open streams per caller per instance (429).",
          parameters: [
            { name: "prefix", in: "query", required: false, schema: { type: "string" }, description: "A dotted path such as stripe; empty for every secret" },
            { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string", pattern: "^[0-9]+$" } },
          ],
          responses: {
            "200": { description: "The event stream", content: { "text/event-stream": { schema: { type: "string" } } } },
            ...errors(400, 401, 403, 429),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (pvn_…), shown once when created" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: {
        ...responseSchemas,
        ConnectionCreate: requestSchema(createConnectionShape),
        ConnectionUpdate: requestSchema(updateConnectionShape),
        SecretCreate: requestSchema(createSecretShape),
        SecretUpdate: requestSchema(updateSecretShape),
        ...providerConfigSchemas(),
      },
    },
  };
}
