import { z } from "zod";
import { multiLine, singleLine } from "@/lib/validation/text";
import { PROVENANCE_PROVIDER } from "./provenance-provider";
import { SECRET_PATH_MAX_LENGTH, SECRET_PATH_PATTERN } from "./secret-path";

/**
 * Request shapes for secrets: one definition for the REST API, the server actions and the form.
 * Rules that need the database (the connection exists and has the right type) live in
 * write-secrets.ts.
 */
export { PROVENANCE_PROVIDER };
export const MAX_SECRET_VALUE_BYTES = 60 * 1024;

export const secretPath = z
  .string({ message: "Secret path is required" })
  .trim()
  .min(1, "Secret path is required")
  .max(SECRET_PATH_MAX_LENGTH, `Secret path must be at most ${SECRET_PATH_MAX_LENGTH} characters`)
  .regex(SECRET_PATH_PATTERN, "Secret path must be dotted names of letters, digits, _ and -, e.g. stripe.apiKey");

export const secretValue = z
  .string({ message: "Value must be a string" })
  // Any text, control characters included (it is stored encrypted), but not broken UTF-16.
  .refine((v) => v.isWellFormed(), "Value must be valid Unicode text")
  .refine(
    (v) => new TextEncoder().encode(v).length <= MAX_SECRET_VALUE_BYTES,
    `Value must be at most ${MAX_SECRET_VALUE_BYTES / 1024} KiB`,
  );

const CACHE_TTL_RULE = "cacheTtlSeconds must be a whole number of seconds (0 to 86400)";

/** providerConfig.refreshSeconds: how often an external secret is checked upstream for a new version (lib/refresh); 0 turns it off. */
export const REFRESH_SECONDS_DEFAULT = 300;
export const REFRESH_SECONDS_MIN = 5;
export const REFRESH_SECONDS_MAX = 86_400;
const REFRESH_RULE = `refreshSeconds must be 0 (off) or a whole number of seconds from ${REFRESH_SECONDS_MIN} to ${REFRESH_SECONDS_MAX}`;

export const providerConfigShape = z
  .object({
    jsonKey: singleLine("jsonKey", 200).min(1, "jsonKey must not be empty").optional().nullable(),
    version: singleLine("version", 200).min(1, "version must not be empty").optional().nullable(),
    cacheTtlSeconds: z
      .number({ message: CACHE_TTL_RULE })
      .int(CACHE_TTL_RULE)
      .min(0, CACHE_TTL_RULE)
      .max(86_400, CACHE_TTL_RULE)
      .optional()
      .nullable(),
    refreshSeconds: z
      .number({ message: REFRESH_RULE })
      .int(REFRESH_RULE)
      .refine((v) => v === 0 || (v >= REFRESH_SECONDS_MIN && v <= REFRESH_SECONDS_MAX), REFRESH_RULE)
      .optional()
      .nullable(),
  })
  .strict();
export type SecretProviderConfig = { jsonKey?: string; version?: string; cacheTtlSeconds?: number; refreshSeconds?: number };

const description = multiLine("Description", 1000).trim().optional().nullable();
const providerPath = singleLine("Provider path", 2048).trim().min(1, "Provider path is required").optional().nullable();
const connectionId = singleLine("secretProviderId", 100).min(1).optional().nullable();

export const createSecretShape = z
  .object({
    secretPath,
    provider: z.string().default(PROVENANCE_PROVIDER),
    value: secretValue.optional().nullable(),
    providerPath,
    secretProviderId: connectionId,
    providerConfig: providerConfigShape.optional().nullable(),
    description,
  })
  .strict();

export const updateSecretShape = z
  .object({
    secretPath: secretPath.optional(),
    provider: z.string().optional(),
    value: secretValue.optional().nullable(),
    providerPath,
    secretProviderId: connectionId,
    providerConfig: providerConfigShape.optional().nullable(),
    description,
  })
  .strict();

/** Drops null and absent members: the stored form of providerConfig. */
export function compactProviderConfig(config: z.infer<typeof providerConfigShape> | null | undefined): SecretProviderConfig {
  const out: SecretProviderConfig = {};
  if (config?.jsonKey != null) out.jsonKey = config.jsonKey;
  if (config?.version != null) out.version = config.version;
  if (config?.cacheTtlSeconds != null) out.cacheTtlSeconds = config.cacheTtlSeconds;
  if (config?.refreshSeconds != null) out.refreshSeconds = config.refreshSeconds;
  return out;
}
