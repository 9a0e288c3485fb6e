import { z } from "zod";
import type { ConfigField, FieldFormat } from "@/lib/providers/definition";
import { PROVIDER_TYPES, providerDefinition } from "@/lib/providers/registry";
import { ROLES } from "@/lib/auth/roles";

type Schema = Record<string, unknown>;

/**
 * JSON Schema of a zod request schema, as the client sends it. Defaults are dropped: the server
 * applies them, and a generator that sees `default` makes the member required in its types.
 */
export function requestSchema(schema: z.ZodType): Schema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Schema;
  return withoutDefaults(rest) as Schema;
}

function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "default")
      .map(([key, member]) => [key, withoutDefaults(member)]),
  );
}

/** A value's JSON Schema from a field's format rule, as far as JSON Schema can say it. */
function formatSchema(format: FieldFormat): Schema {
  switch (format.kind) {
    case "pattern":
      return { pattern: format.pattern.source, description: format.message };
    case "url":
      return { format: "uri", pattern: format.requireHttps ? "^https://" : "^https?://" };
    case "grpc-endpoint":
      return { description: "host:port of a gRPC endpoint, or an https:// URL" };
    case "choice":
      return { enum: [...format.options] };
    case "json":
      return { contentMediaType: "application/json" };
    case "any":
      return {};
  }
}

function fieldSchema(field: ConfigField, partial: boolean): Schema {
  const described = [field.help, formatSchema(field.format).description].filter(Boolean).join(" ");
  const { description: _rule, ...format } = formatSchema(field.format);
  return {
    // In an update, null (or "") clears an optional field; a required one keeps its value.
    type: partial ? ["string", "null"] : "string",
    title: field.label,
    maxLength: field.maxLength ?? 2048,
    ...format,
    ...(described ? { description: described } : {}),
    ...(field.sensitive ? { writeOnly: true } : {}),
  };
}

/** Each provider type's config (`<type>-config`) and its update form (`<type>-config-update`). */
export function providerConfigSchemas(): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  for (const type of PROVIDER_TYPES) {
    const definition = providerDefinition(type);
    const properties = (partial: boolean) => Object.fromEntries(definition.fields.map((f) => [f.key, fieldSchema(f, partial)]));
    schemas[`${type}-config`] = {
      type: "object",
      title: `${definition.name} config`,
      additionalProperties: false,
      // A field other settings can make unnecessary (optionalWhen) is not required here; its description says when it is.
      required: definition.fields.filter((f) => f.required && !f.optionalWhen).map((f) => f.key),
      properties: properties(false),
    };
    schemas[`${type}-config-update`] = {
      type: "object",
      title: `${definition.name} config (update)`,
      description: "Merged key by key into the stored config; a member left out keeps its value, a masked value (••••••••) keeps the stored credential.",
      additionalProperties: false,
      properties: properties(true),
    };
  }
  return schemas;
}

/**
 * ConnectionCreate as a `oneOf` over the provider types, told apart by `type`, each with its own
 * config schema; the other members are those of the request schema.
 */
export function connectionCreateSchema(base: Schema): Schema {
  const members = (base.properties ?? {}) as Record<string, Schema>;
  const variant = (type: string) => ({
    type: "object",
    title: `${providerDefinition(type as (typeof PROVIDER_TYPES)[number]).name} connection`,
    additionalProperties: false,
    required: ["name", "type", "config"],
    properties: { ...members, type: { type: "string", const: type }, config: ref(`${type}-config`) },
  });
  return {
    oneOf: PROVIDER_TYPES.map((type) => ref(`ConnectionCreate-${type}`)),
    discriminator: { propertyName: "type", mapping: Object.fromEntries(PROVIDER_TYPES.map((type) => [type, `#/components/schemas/ConnectionCreate-${type}`])) },
    variants: Object.fromEntries(PROVIDER_TYPES.map((type) => [`ConnectionCreate-${type}`, variant(type)])),
  };
}

/** ConnectionUpdate: every member optional; config is one of the types' update forms. */
export function connectionUpdateSchema(base: Schema): Schema {
  const members = (base.properties ?? {}) as Record<string, Schema>;
  return {
    ...base,
    properties: {
      ...members,
      type: { type: "string", enum: [...PROVIDER_TYPES], description: "Changing the type replaces the whole config: send every field of the new type." },
      config: { anyOf: PROVIDER_TYPES.map((type) => ref(`${type}-config-update`)) },
    },
  };
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const timestamp = { type: "string", format: "date-time" };
const nullableTimestamp = { type: ["string", "null"], format: "date-time" };
const nullableString = { type: ["string", "null"] };
export const closed = (required: string[], properties: Record<string, unknown>, extra: Schema = {}) => ({
  type: "object",
  additionalProperties: false,
  required,
  properties,
  ...extra,
});
const stringMap = (description: string) => ({ type: "object", description, additionalProperties: { type: "string" } });

/** Response shapes: they mirror the view types (lib/secrets/secret-view.ts, lib/secret-providers/connection-view.ts, lib/tokens/manage-tokens.ts, lib/health/check-health.ts). */
export const responseSchemas = {
  Error: closed(["error"], {
    error: closed(["code", "message"], {
      code: { type: "string", pattern: "^[a-z]+(_[a-z]+)*$", description: "A stable snake_case code; see each operation's responses for the codes it uses." },
      message: { type: "string", description: "A sentence for a person; never a secret value or a credential." },
      fields: stringMap("validation_error (and some 409s): a message per invalid member, keyed by dotted path into the body, e.g. config.region"),
      hint: { type: "string", description: "provider_error: what to change to fix it, e.g. the IAM action the identity lacks" },
      upstreamStatus: { type: "integer", description: "provider_error: the manager's HTTP status" },
      upstreamCode: { type: "string", description: "provider_error: the manager's error code" },
      attempts: { type: "integer", description: "provider_error/provider_timeout after retries: how many calls were made" },
      timeoutMs: { type: "integer", description: "provider_timeout: the timeout that passed" },
      jsonKey: { type: "string", description: "json_key_not_found: the key that was asked for" },
      retryAfterSeconds: { type: "integer", description: "rate_limited and database_unavailable: when to try again (also in Retry-After)" },
      reason: {
        type: "string",
        description:
          "Token exchange 401: malformed, unsupported_algorithm, unknown_issuer, unknown_key, bad_signature, expired, not_yet_valid, missing_jti, wrong_audience, replayed or no_matching_policy",
      },
      referencingSecrets: { type: "integer", description: "provider_in_use: how many secrets still use the connection" },
      secrets: {
        type: "array",
        items: closed(["id", "secretPath"], { id: { type: "string" }, secretPath: { type: "string" } }),
        description: "provider_in_use: the first 20 of those secrets",
      },
    }),
  }),
  Connection: closed(["id", "name", "type", "description", "config", "allowedProviderPaths", "secretCount", "lastTest", "version", "createdAt", "updatedAt"], {
    id: { type: "string" },
    name: { type: "string" },
    type: { type: "string", enum: [...PROVIDER_TYPES] },
    description: nullableString,
    config: stringMap('The type\'s config fields; sensitive fields that are set read "••••••••", unset ones are absent.'),
    allowedProviderPaths: {
      type: ["array", "null"],
      items: { type: "string" },
      description:
        "Upstream path patterns the connection's secrets may read (* within one segment, a trailing /** any depth, e.g. secret/payments/**); " +
        "null: any path its credential can read. Outside it, saving or testing a path is 403 for every role and resolving answers forbidden. " +
        "Matched after normalising: Vault KV v2 data/ dropped, GCP short names expanded and versions dropped, Azure case-insensitive, AWS ARNs only by ARN patterns.",
    },
    secretCount: { type: "integer", minimum: 0 },
    lastTest: {
      description: "The last test of this connection, or null when it was never tested",
      oneOf: [closed(["at", "ok", "message"], { at: timestamp, ok: { type: "boolean" }, message: nullableString }), { type: "null" }],
    },
    version: { type: "integer", minimum: 1, description: "Also sent as the ETag; send it back in If-Match to update only this version" },
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  ConfigField: closed(["key", "label", "type", "required"], {
    key: { type: "string" },
    label: { type: "string" },
    type: { type: "string", enum: ["text", "password", "textarea", "url"] },
    required: { type: "boolean" },
    sensitive: { type: "boolean", const: true, description: "Present on credentials: stored encrypted, answered masked" },
    help: { type: "string" },
    placeholder: { type: "string" },
    options: { type: "array", items: { type: "string" }, description: "The values the field takes, when it is a choice" },
  }),
  ProviderType: closed(["type", "name", "description", "configSchema", "pathHelp", "sdk"], {
    type: { type: "string", enum: [...PROVIDER_TYPES] },
    name: { type: "string" },
    description: { type: "string" },
    configSchema: { type: "array", items: ref("ConfigField") },
    pathHelp: { type: "string", description: "How a secret's providerPath is written for this type" },
    sdk: closed(["package", "packages", "installed"], {
      package: { ...nullableString, description: "The npm package(s) the adapter loads, or null (Vault needs none)" },
      packages: { type: "array", items: { type: "string" } },
      installed: { type: "boolean" },
    }),
  }),
  ProviderConfig: closed([], {
    jsonKey: { type: "string", description: "Resolve returns this key of a JSON value" },
    version: { type: "string", description: "Pin an upstream version (AWS VersionId or stage, Azure version, GCP version number, Vault KV v2 version)" },
    cacheTtlSeconds: { type: "integer", minimum: 0, maximum: 86400 },
    refreshSeconds: {
      type: "integer",
      minimum: 0,
      maximum: 86400,
      description: "How often the secret is checked upstream for a new version (default 300, jittered ±20 %); 0 turns it off, otherwise at least 5",
    },
  }),
  Secret: closed(["id", "secretPath", "provider", "providerPath", "secretProviderId", "providerConfig", "description", "version", "createdAt", "updatedAt"], {
    id: { type: "string" },
    secretPath: { type: "string" },
    provider: { type: "string", enum: ["provenance", ...PROVIDER_TYPES] },
    providerPath: nullableString,
    secretProviderId: nullableString,
    providerConfig: ref("ProviderConfig"),
    description: nullableString,
    version: { type: "integer", minimum: 1, description: "Also sent as the ETag; send it back in If-Match to update only this version" },
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  ResolvedSecret: closed(["secretPath", "value", "provider", "version", "cached", "stale", "fetchedAt"], {
    secretPath: { type: "string" },
    value: { type: "string" },
    provider: { type: "string", enum: ["provenance", ...PROVIDER_TYPES] },
    version: nullableString,
    cached: { type: "boolean" },
    stale: { type: "boolean", description: "true when the manager could not be reached and the last value is served (within the stale window)" },
    fetchedAt: timestamp,
  }),
  ResolveFailure: closed(["code", "message"], { code: { type: "string" }, message: { type: "string" } }),
  BatchResolved: closed(["values", "errors"], {
    values: stringMap("Each resolved path's value"),
    errors: { type: "object", description: "Each failed path's reason", additionalProperties: ref("ResolveFailure") },
  }),
  TestResult: {
    oneOf: [
      closed(["ok", "latencyMs"], {
        ok: { type: "boolean", const: true },
        latencyMs: { type: "integer", minimum: 0 },
        version: { ...nullableString, description: "With providerPath: the upstream version read" },
        fingerprint: { type: "string", description: "With providerPath: a keyed fingerprint of the value (never the value)" },
      }),
      closed(["ok", "latencyMs", "error"], {
        ok: { type: "boolean", const: false },
        latencyMs: { type: "integer", minimum: 0 },
        error: closed(["code", "message"], { code: { type: "string" }, message: { type: "string" }, hint: { type: "string" } }),
      }),
    ],
  },
  Health: closed(["status", "checks"], {
    status: { type: "string", enum: ["ok", "unavailable"] },
    checks: closed(["database", "masterKey"], {
      database: { type: "string", enum: ["ok", "unreachable", "error"] },
      masterKey: { type: "string", enum: ["ok", "mismatch", "missing", "unknown"], description: "unknown while the database cannot be read" },
    }),
  }),
  Live: closed(["status"], { status: { type: "string", const: "ok" } }),
  ApiIndex: closed(["name", "openapi", "health"], { name: { type: "string" }, openapi: { type: "string" }, health: { type: "string" } }),
  Token: closed(["id", "name", "role", "scope", "tokenPrefix", "createdAt", "lastUsedAt", "expiresAt", "revokedAt", "createdBy"], {
    id: { type: "string" },
    name: { type: "string" },
    role: { type: "string", enum: [...ROLES] },
    scope: { ...nullableString, description: "A path scope such as stripe.*, or null for every secret" },
    tokenPrefix: { type: "string", description: "The first characters of the token, to tell tokens apart" },
    createdAt: timestamp,
    lastUsedAt: nullableTimestamp,
    expiresAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
    createdBy: { ...nullableString, description: "The email of the user who made it; null for CLI-made tokens" },
  }),
};
