import { batchResolveInput } from "@/lib/secrets/resolve/resolve-secrets";
import { PAGE_LIMIT_MAX } from "@/lib/secrets/secret-cursor";
import { batchResolvedSchema, resolvedSecretSchema, resolveFailureSchema } from "@/lib/secrets/resolve/resolved-shapes";
import { providerConfigViewSchema, secretViewSchema } from "@/lib/secrets/secret-view";
import { createSecretShape, updateSecretShape } from "@/lib/secrets/secret-schemas";
import { createConnectionShape, updateConnectionShape } from "@/lib/secret-providers/connection-schemas";
import { testConnectionInput } from "@/lib/secret-providers/test-connection";
import { connectionViewSchema } from "@/lib/secret-providers/connection-view";
import { testResultSchema } from "@/lib/secret-providers/test-result";
import { configFieldViewSchema, providerTypeViewSchema } from "@/lib/providers/provider-types";
import { createTokenInput } from "@/lib/tokens/token-schemas";
import { createdTokenSchema, tokenViewSchema } from "@/lib/tokens/token-view";
import { healthSchema } from "@/lib/health/check-health";
import { apiIndexSchema, liveSchema } from "@/lib/health/discovery";
import { errorBodySchema } from "@/lib/error-body";
import { exchangedTokenSchema, trustPolicyViewSchema } from "@/lib/trust-policies/trust-policy-view";
import { connectionUsageSchema } from "@/lib/usage/read-usage";
import { secretVersionViewSchema } from "@/lib/lineage/read-versions";
import { changeAwarenessPaths } from "./change-awareness-paths";
import { metricsPaths } from "./metrics-paths";
import { eventGridValidationReplySchema, notificationReplySchema } from "@/lib/notifications/notification-reply";
import { etag, idParam, ifMatch, json, operation, TAGS, type Schema } from "./operation";
import {
  connectionCreateSchema,
  connectionUpdateSchema,
  providerConfigSchemas,
  ref,
  requestSchema,
  responseSchemas,
  zodComponents,
} from "./schemas";
import { notificationPaths } from "./notification-paths";
import { trustPolicyPaths } from "./trust-policy-paths";

/**
 * The OpenAPI 3.1 description of the REST contract, built from the same zod schemas and provider
 * definitions that validate requests, so the document cannot drift from the code. Each area's
 * operations are built with operation() (operation.ts); the integration suite checks each response
 * it sees against this document (tests/api/support/openapi-check.ts).
 */
/** The batch body is either paths or a prefix, never both: a oneOf of the two forms. */
function batchResolveSchema(): Schema {
  const members = (requestSchema(batchResolveInput).properties ?? {}) as Record<string, Schema>;
  const form = (key: "paths" | "prefix", title: string) => ({
    type: "object",
    title,
    additionalProperties: false,
    required: [key],
    properties: { [key]: members[key] },
  });
  return { oneOf: [form("paths", "By paths"), form("prefix", "By prefix (every secret under it the caller may read)")] };
}

/** The answers' zod schemas, each with its component id, and those they nest (ProviderConfig, ResolveFailure, ConfigField). */
const RESPONSE_SCHEMAS = [
  notificationReplySchema,
  eventGridValidationReplySchema,
  errorBodySchema,
  apiIndexSchema,
  liveSchema,
  healthSchema,
  secretViewSchema,
  providerConfigViewSchema,
  resolvedSecretSchema,
  resolveFailureSchema,
  batchResolvedSchema,
  connectionViewSchema,
  providerTypeViewSchema,
  configFieldViewSchema,
  testResultSchema,
  tokenViewSchema,
  createdTokenSchema,
  trustPolicyViewSchema,
  exchangedTokenSchema,
  connectionUsageSchema,
  secretVersionViewSchema,
];

/** `publicUrl`: the configured public URL, if any; without it the document's server is relative. */
export function buildOpenApi(publicUrl?: string) {
  const connectionCreate = connectionCreateSchema(requestSchema(createConnectionShape));
  const { variants, ...connectionCreateOneOf } = connectionCreate as Schema & { variants: Record<string, Schema> };
  const updateConnection = (id: "updateConnection" | "patchConnection", summary: string): Schema =>
    operation({
      id,
      tag: "Secret providers",
      summary,
      description:
        "Config merges key by key: members left out keep their value, a masked value (••••••••) keeps the stored credential. Changing an address field (vaultUrl, endpoint, …) requires every stored credential again.",
      parameters: [idParam, ifMatch],
      body: { schema: ref("ConnectionUpdate") },
      ok: { "200": json("The updated connection", ref("Connection"), etag) },
      errors: ["not_found", "name_taken", "precondition_failed"],
      writes: true,
    });
  const updateSecret = (id: "updateSecret" | "patchSecret", summary: string): Schema =>
    operation({
      id,
      tag: "Secrets",
      summary,
      description:
        "A path-scoped token may not change where an external secret reads from (provider, connection, providerPath, version, jsonKey): 403. " +
        "A providerPath outside the connection's allowedProviderPaths: 403.",
      parameters: [idParam, ifMatch],
      body: { schema: ref("SecretUpdate") },
      ok: { "200": json("The updated secret", ref("Secret"), etag) },
      errors: ["not_found", "path_taken", "precondition_failed"],
      writes: true,
    });

  return {
    openapi: "3.1.0",
    info: {
      title: "Provenance API",
      version: "1.0.0",
      description:
        "Secrets stored in Provenance or fetched at run time from AWS Secrets Manager, Azure Key Vault, GCP Secret Manager and HashiCorp Vault. " +
        "Every error is {error: {code, message, ...}}. A method a path does not have answers 405 method_not_allowed with an Allow header.",
      license: { name: "Proprietary", identifier: "LicenseRef-Provenance" },
    },
    // Relative unless a public URL is configured: the document works at whatever address it was fetched from.
    servers: [
      { url: publicUrl ?? "/", description: publicUrl ? "The configured public URL" : "The address this document was fetched from" },
    ],
    security: [{ bearer: [] }, { session: [] }],
    tags: TAGS,
    paths: {
      "/api": {
        get: operation({
          id: "getApiIndex",
          tag: "Health",
          summary: "Where to start",
          description: "Links to this document and the health check.",
          ok: { "200": json("Links", ref("ApiIndex")) },
        }),
      },
      "/api/health": {
        get: operation({
          id: "getHealth",
          tag: "Health",
          summary: "Health",
          description: "ok when the database answers and the master key opens the stored key check. Answers are shared for up to 1 s.",
          ok: { "200": json("Healthy", ref("Health")), "503": json("Unhealthy: checks says which part", ref("Health")) },
        }),
      },
      "/api/health/live": {
        get: operation({
          id: "getLiveness",
          tag: "Health",
          summary: "Liveness",
          description: "The process serves requests; no database call, so a database outage does not get instances restarted.",
          ok: { "200": json("Live", ref("Live")) },
        }),
      },
      "/api/health/ready": {
        get: operation({
          id: "getReadiness",
          tag: "Health",
          summary: "Readiness",
          description: "As /api/health: ready to take traffic when the database answers and the master key matches.",
          ok: { "200": json("Ready", ref("Health")), "503": json("Not ready: checks says which part", ref("Health")) },
        }),
      },
      "/api/secret-providers/types": {
        get: operation({
          id: "listProviderTypes",
          tag: "Secret providers",
          summary: "Provider types and their config fields",
          description:
            "The four managers, the fields each connection takes (the form is built from these) and whether the SDK is installed.",
          ok: { "200": json("Types", { type: "array", items: ref("ProviderType") }) },
        }),
      },
      "/api/secret-providers": {
        get: operation({
          id: "listConnections",
          tag: "Secret providers",
          summary: "List connections",
          description: "Every connection, credentials masked.",
          ok: { "200": json("Connections", { type: "array", items: ref("Connection") }) },
        }),
        post: operation({
          id: "createConnection",
          tag: "Secret providers",
          summary: "Create a connection",
          description:
            "The config is checked against the type's fields (see the types endpoint); credentials are encrypted and never shown again.",
          body: { schema: ref("ConnectionCreate") },
          ok: { "201": json("Created", ref("Connection"), etag) },
          errors: ["name_taken"],
          writes: true,
        }),
      },
      "/api/secret-providers/{id}": {
        get: operation({
          id: "getConnection",
          tag: "Secret providers",
          summary: "Get a connection",
          description: "Credentials masked.",
          parameters: [idParam],
          ok: { "200": json("Connection", ref("Connection"), etag) },
          errors: ["not_found"],
        }),
        put: updateConnection("updateConnection", "Update a connection"),
        patch: updateConnection("patchConnection", "Update a connection (same as PUT)"),
        delete: operation({
          id: "deleteConnection",
          tag: "Secret providers",
          summary: "Delete a connection",
          description: "Refused with 409 provider_in_use (referencingSecrets, secrets) while secrets still use it.",
          parameters: [idParam],
          ok: { "204": { description: "Deleted" } },
          errors: ["not_found", "provider_in_use"],
          writes: true,
        }),
      },
      "/api/secret-providers/{id}/test": {
        post: operation({
          id: "testConnection",
          tag: "Secret providers",
          summary: "Test a connection",
          description:
            "Checks that the manager answers and the credentials work; with providerPath, reads that secret and answers its version and a keyed fingerprint (never the value). " +
            "An upstream failure is a normal answer (ok: false). providerPath: 403 for path-scoped tokens, and 403 outside the connection's allowedProviderPaths.",
          parameters: [idParam],
          body: { schema: requestSchema(testConnectionInput), required: false },
          ok: { "200": json("Result", ref("TestResult")) },
          errors: ["not_found", "rate_limited"],
          writes: true,
        }),
      },
      "/api/secrets": {
        get: operation({
          id: "listSecrets",
          tag: "Secrets",
          summary: "List secrets (metadata only)",
          description:
            "Always a JSON array, in secretPath order. Without limit (and cursor) it is the whole list the caller may see. With limit " +
            "it is one page of that list, full unless it is the last (a path-scoped token's pages hold only its secrets, with no " +
            'gaps); when more follow, the Link header (rel="next") gives the next page\'s URL and X-Next-Cursor its cursor. ' +
            "A cursor stays valid while secrets are added or removed; an unknown or altered one answers 400 with fields.cursor.",
          parameters: [
            { name: "prefix", in: "query", schema: { type: "string" }, description: "Only secrets under this dotted prefix" },
            {
              name: "provider",
              in: "query",
              schema: { type: "string" },
              description: "Only secrets of this provider (provenance or a type)",
            },
            { name: "secretProviderId", in: "query", schema: { type: "string" }, description: "Only secrets of this connection" },
            {
              name: "limit",
              in: "query",
              description: "Page size; omit for the whole list",
              schema: { type: "integer", minimum: 1, maximum: PAGE_LIMIT_MAX },
            },
            {
              name: "cursor",
              in: "query",
              description: "Opaque: the X-Next-Cursor of the previous page (the secrets after it). Without limit, everything after it",
              schema: { type: "string" },
            },
          ],
          ok: {
            "200": json(
              "Secrets",
              { type: "array", items: ref("Secret") },
              {
                Link: {
                  description: '<URL of the next page>; rel="next" — only when limit was given and more secrets follow',
                  schema: { type: "string" },
                },
                "X-Next-Cursor": { description: "The next page's cursor, under the same condition as Link", schema: { type: "string" } },
              },
            ),
          },
          errors: ["validation_error"],
        }),
        post: operation({
          id: "createSecret",
          tag: "Secrets",
          summary: "Create a secret",
          description:
            "A stored secret (provider provenance, the default, with value) or an external one (provider, secretProviderId, providerPath). " +
            "403 for a path-scoped token creating an external secret, or for a providerPath outside the connection's allowedProviderPaths.",
          body: { schema: ref("SecretCreate") },
          ok: { "201": json("Created", ref("Secret"), etag) },
          errors: ["path_taken", "not_found"],
          writes: true,
        }),
      },
      "/api/secrets/{id}": {
        get: operation({
          id: "getSecret",
          tag: "Secrets",
          summary: "Get a secret (metadata only)",
          description: "Outside a path-scoped token's scope: 404, as if it did not exist.",
          parameters: [idParam],
          ok: { "200": json("Secret", ref("Secret"), etag) },
          errors: ["not_found"],
        }),
        put: updateSecret("updateSecret", "Update a secret"),
        patch: updateSecret("patchSecret", "Update a secret (same as PUT)"),
        delete: operation({
          id: "deleteSecret",
          tag: "Secrets",
          summary: "Delete a secret",
          description: "Outside a path-scoped token's scope: 404.",
          parameters: [idParam],
          ok: { "204": { description: "Deleted" } },
          errors: ["not_found"],
          writes: true,
        }),
      },
      "/api/secrets/resolve": {
        get: operation({
          id: "resolveSecret",
          tag: "Resolve",
          summary: "Resolve one secret's value",
          description:
            "The only answer that carries a value. External values are cached per the secret's cacheTtlSeconds; each read is audited.",
          parameters: [{ name: "path", in: "query", required: true, schema: { type: "string" }, description: "The secret's dotted path" }],
          ok: { "200": json("The value", ref("ResolvedSecret")) },
          errors: [
            "validation_error",
            "not_found",
            "rate_limited",
            "json_key_not_found",
            "not_json",
            "provider_error",
            "provider_timeout",
            "provider_sdk_missing",
          ],
        }),
        post: operation({
          id: "resolveSecrets",
          tag: "Resolve",
          summary: "Resolve many secrets",
          description:
            "By paths or by prefix; one failure never fails the rest. Each path counts against the per-minute resolve limit. Values are returned up to PROVENANCE_RESOLVE_BATCH_MAX_BYTES " +
            "(default 4 MiB); later paths get the per-path error response_too_large (ask for them in another request). The whole " +
            "batch answers within the provider timeout plus 3 s; paths not answered by then get provider_timeout. More than " +
            "PROVENANCE_RESOLVE_BATCHES_IN_FLIGHT batches at once from one caller answer 429.",
          body: { schema: ref("BatchResolveRequest") },
          ok: { "200": json("Values and per-path errors", ref("BatchResolved")) },
          errors: ["rate_limited"],
        }),
      },
      "/api/secrets/watch": {
        get: {
          ...operation({
            id: "watchSecrets",
            tag: "Resolve",
            summary: "Follow changes under a prefix (server-sent events)",
            description:
              "text/event-stream: one `change` event per secret created, edited or deleted under the prefix, or whose upstream value changed " +
              "(the upstream refresh found a new version), with id (the change log's), data {secretPath, version, fingerprint, changedAt, " +
              "change: created|updated|deleted|upstream_changed} and never a value; a comment line every 10 s. Send " +
              "Last-Event-ID to get every later event from the last hour first. At most 16 open streams per caller per instance (429).",
            parameters: [
              {
                name: "prefix",
                in: "query",
                required: false,
                schema: { type: "string" },
                description: "A dotted path such as stripe; empty for every secret",
              },
              {
                name: "Last-Event-ID",
                in: "header",
                required: false,
                schema: { type: "string", pattern: "^[0-9]+$" },
                description: "Resume after this event",
              },
            ],
            ok: { "200": { description: "The event stream", content: { "text/event-stream": { schema: { type: "string" } } } } },
            errors: ["validation_error", "rate_limited"],
          }),
        },
      },
      "/api/tokens": {
        get: operation({
          id: "listTokens",
          tag: "Tokens",
          summary: "List tokens",
          description: "Every token, revoked ones too; never the token itself or its hash.",
          ok: { "200": json("Tokens", { type: "array", items: ref("Token") }) },
        }),
        post: operation({
          id: "createToken",
          tag: "Tokens",
          summary: "Create a token",
          description:
            "Answers the token once, in `token`; only its hash is kept. A token made by a token never outgrows its maker (role, scope, expiry).",
          body: { schema: requestSchema(createTokenInput) },
          ok: { "201": json("Created: the token is shown this once", ref("TokenCreated")) },
          writes: true,
        }),
      },
      "/api/tokens/{id}": {
        delete: operation({
          id: "revokeToken",
          tag: "Tokens",
          summary: "Revoke a token",
          description: "It stops working at once, on every instance.",
          parameters: [idParam],
          ok: { "204": { description: "Revoked" } },
          errors: ["not_found"],
          writes: true,
        }),
      },
      ...trustPolicyPaths(),
      ...changeAwarenessPaths(),
      ...metricsPaths(),
      ...notificationPaths(),
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (pvn_…), shown once when created" },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "The dashboard's session cookie (same-origin requests only)",
        },
      },
      schemas: {
        ...zodComponents(RESPONSE_SCHEMAS),
        ...responseSchemas,
        ConnectionCreate: connectionCreateOneOf,
        ...variants,
        ConnectionUpdate: connectionUpdateSchema(requestSchema(updateConnectionShape)),
        SecretCreate: requestSchema(createSecretShape),
        SecretUpdate: requestSchema(updateSecretShape),
        BatchResolveRequest: batchResolveSchema(),
        ...providerConfigSchemas(),
      },
    },
  };
}
