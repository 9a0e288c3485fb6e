import { z } from "zod";
import type { ConfigField, FieldFormat } from "@/lib/providers/definition";
import { PROVIDER_TYPES, providerDefinition } from "@/lib/providers/registry";

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
      description:
        "Merged key by key into the stored config; a member left out keeps its value, a masked value (••••••••) keeps the stored credential.",
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
    discriminator: {
      propertyName: "type",
      mapping: Object.fromEntries(PROVIDER_TYPES.map((type) => [type, `#/components/schemas/ConnectionCreate-${type}`])),
    },
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
      type: {
        type: "string",
        enum: [...PROVIDER_TYPES],
        description: "Changing the type replaces the whole config: send every field of the new type.",
      },
      config: { anyOf: PROVIDER_TYPES.map((type) => ref(`${type}-config-update`)) },
    },
  };
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The response components, from the zod schemas next to the domain view types: each schema listed
 * carries its component name in `.meta({ id })`, and a listed schema nested in another becomes a
 * $ref to it. Only the listed schemas are converted, in a registry of their own: the global one
 * can hold other copies of a view module's schemas (one per server bundle that loaded it).
 * Output form: what the server answers.
 */
export function zodComponents(named: z.ZodType[]): Record<string, Schema> {
  const registry = z.registry<{ id: string }>();
  for (const schema of named) {
    const id = z.globalRegistry.get(schema)?.id;
    if (!id) throw new Error("A response component needs .meta({ id })");
    registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io: "output", uri: (id) => `#/components/schemas/${id}` });
  const components = Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as Schema;
      return [id, tidy(rest) as Schema];
    }),
  );
  // A schema with an id that is not listed would be referenced as a definition nobody publishes.
  if (JSON.stringify(components).includes("__shared"))
    throw new Error("A response schema nests a schema with an id that RESPONSE_SCHEMAS does not list");
  return components;
}

/**
 * Two rewrites that say the same in fewer words. zod writes a nullable value as
 * `anyOf: [value, {type: "null"}]`; where the value has one plain type, `type: [that, "null"]` is
 * the form readers (and generators) know best. And z.int() bounds every integer by
 * ±Number.MAX_SAFE_INTEGER, which no integer the server writes can pass anyway.
 */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== "object" || value === null) return value;
  const schema = Object.fromEntries(
    Object.entries(value)
      .filter(([key, member]) => !((key === "minimum" || key === "maximum") && Math.abs(member as number) === Number.MAX_SAFE_INTEGER))
      .map(([key, member]) => [key, tidy(member)]),
  ) as Schema;
  const options = schema.anyOf as Schema[] | undefined;
  if (options?.length !== 2 || JSON.stringify(options[1]) !== '{"type":"null"}' || typeof options[0]!.type !== "string") return schema;
  const { anyOf: _nullable, ...rest } = schema;
  return { ...options[0], ...rest, type: [options[0]!.type, "null"] };
}

/**
 * A closed object schema written by hand. Answers are zod schemas next to their views (see
 * zodComponents); this stays for the few JSON Schema pieces that have no zod source.
 */
export const closed = (required: string[], properties: Record<string, unknown>, extra: Schema = {}) => ({
  type: "object",
  additionalProperties: false,
  required,
  properties,
  ...extra,
});

/** Hand-written response components, merged after the zod ones; empty since every answer has a zod schema. */
export const responseSchemas: Record<string, Schema> = {};
