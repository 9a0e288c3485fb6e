import { z } from "zod";
import { PROVIDER_TYPES, providerDefinition } from "@/lib/providers/registry";

/** JSON Schema of a zod request schema, as the client sends it. */
export function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/** Each provider type's config, from the same field definitions that validate it. */
export function providerConfigSchemas(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const type of PROVIDER_TYPES) {
    const definition = providerDefinition(type);
    schemas[`${type}-config`] = {
      type: "object",
      title: `${definition.name} config`,
      additionalProperties: false,
      required: definition.fields.filter((f) => f.required).map((f) => f.key),
      properties: Object.fromEntries(
        definition.fields.map((f) => [
          f.key,
          { type: "string", title: f.label, ...(f.help ? { description: f.help } : {}), ...(f.sensitive ? { writeOnly: true } : {}) },
        ]),
      ),
    };
  }
  return schemas;
}

const timestamp = { type: "string", format: "date-time" };
const nullableString = { type: ["string", "null"] };

/** Response shapes (they mirror the view types in lib/*-view.ts). */
export const responseSchemas = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          fields: { type: "object", additionalProperties: { type: "string" } },
        },
      },
    },
  },
  Connection: {
    type: "object",
    required: ["id", "name", "type", "description", "config", "allowedProviderPaths", "secretCount", "createdAt", "updatedAt"],
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      type: { type: "string", enum: [...PROVIDER_TYPES] },
      description: nullableString,
      config: {
        type: "object",
        description: 'Sensitive fields that are set read "••••••••"; unset ones are absent.',
        additionalProperties: { type: "string" },
      },
      allowedProviderPaths: {
        type: ["array", "null"],
        items: { type: "string" },
        description:
          "Upstream path patterns the connection's secrets may read (* within one segment, a trailing /** any depth, e.g. secret/payments/**); " +
          "null: any path its credential can read. Outside it, saving or testing a path is 403 for every role and resolving answers forbidden. " +
          "Matched after normalising: Vault KV v2 data/ dropped, GCP short names expanded and versions dropped, Azure case-insensitive, AWS ARNs only by ARN patterns.",
      },
      secretCount: { type: "integer" },
      version: { type: "integer" },
      lastTest: { type: ["object", "null"] },
      createdAt: timestamp,
      updatedAt: timestamp,
    },
  },
  ProviderType: {
    type: "object",
    required: ["type", "name", "description", "configSchema", "sdk"],
    properties: {
      type: { type: "string" },
      name: { type: "string" },
      description: { type: "string" },
      configSchema: {
        type: "array",
        items: {
          type: "object",
          required: ["key", "label", "type", "required"],
          properties: {
            key: { type: "string" },
            label: { type: "string" },
            type: { type: "string", enum: ["text", "password", "textarea", "url"] },
            required: { type: "boolean" },
            sensitive: { type: "boolean" },
            help: { type: "string" },
            placeholder: { type: "string" },
            options: { type: "array", items: { type: "string" }, description: "The only values the field accepts, when it has a fixed set (e.g. Vault's kvVersion)." },
          },
        },
      },
      sdk: { type: "object", properties: { package: nullableString, installed: { type: "boolean" } } },
    },
  },
  Secret: {
    type: "object",
    required: ["id", "secretPath", "provider", "providerPath", "secretProviderId", "providerConfig", "description", "createdAt", "updatedAt"],
    properties: {
      id: { type: "string" },
      secretPath: { type: "string" },
      provider: { type: "string" },
      providerPath: nullableString,
      secretProviderId: nullableString,
      providerConfig: { type: "object" },
      description: nullableString,
      version: { type: "integer" },
      createdAt: timestamp,
      updatedAt: timestamp,
    },
  },
  ResolvedSecret: {
    type: "object",
    required: ["secretPath", "value", "provider", "version", "cached", "stale", "fetchedAt"],
    properties: {
      secretPath: { type: "string" },
      value: { type: "string" },
      provider: { type: "string" },
      version: nullableString,
      cached: { type: "boolean" },
      stale: { type: "boolean" },
      fetchedAt: timestamp,
    },
  },
  BatchResolved: {
    type: "object",
    required: ["values", "errors"],
    properties: {
      values: { type: "object", additionalProperties: { type: "string" } },
      errors: { type: "object", additionalProperties: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } } },
    },
  },
  TestResult: {
    type: "object",
    required: ["ok", "latencyMs"],
    properties: {
      ok: { type: "boolean" },
      latencyMs: { type: "integer" },
      version: nullableString,
      fingerprint: { type: "string" },
      error: { type: "object" },
    },
  },
  Health: { type: "object", required: ["status"], properties: { status: { type: "string", enum: ["ok", "unavailable"] } } },
} as const;
