import { z } from "zod";
import { configSchema } from "@/lib/providers/definition";
import { isProviderType, PROVIDER_TYPES, providerDefinition } from "@/lib/providers/registry";
import type { UrlRuleOptions } from "@/lib/providers/url-rules";
import { isPlainObject, multiLine, singleLine } from "@/lib/validation/text";
import { fieldsFromZod } from "@/lib/validation/zod-errors";
import { allowedProviderPathsShape } from "./provider-path-fence";

/**
 * Request shapes for provider connections. The same schemas validate the REST API, the server
 * actions and (with lenient URL rules, the server re-checks) the dashboard form.
 */
const name = singleLine("Name", 100).trim().min(1, "Name is required");
const description = multiLine("Description", 1000).trim().nullable().optional();
// Not z.record: that copies the object, and a `__proto__` member would vanish instead of being refused.
const configObject = z.custom<Record<string, unknown>>(isPlainObject, "Config must be an object");

export const createConnectionShape = z
  .object({
    name,
    type: z.string({ message: "Type is required" }),
    config: configObject.default({}),
    description,
    allowedProviderPaths: allowedProviderPathsShape.optional(),
  })
  .strict();

export const updateConnectionShape = z
  .object({
    name: name.optional(),
    type: z.string().optional(),
    config: configObject.optional(),
    description,
    allowedProviderPaths: allowedProviderPathsShape.optional(),
  })
  .strict();

export function unknownTypeMessage(type: string): string {
  return `Unknown provider type "${type.slice(0, 40)}"; expected one of ${PROVIDER_TYPES.join(", ")}`;
}

/** Validates a complete config for a type, returning the compact config or `config.*` field errors. */
export function validateConfig(
  type: string,
  config: Record<string, unknown>,
  rules: UrlRuleOptions,
): { ok: true; config: Record<string, string> } | { ok: false; fields: Record<string, string> } {
  if (!isProviderType(type)) return { ok: false, fields: { type: unknownTypeMessage(type) } };
  const result = configSchema(providerDefinition(type), rules).safeParse(config);
  if (!result.success) return { ok: false, fields: fieldsFromZod(result.error, ["config"]) };
  return { ok: true, config: result.data };
}
