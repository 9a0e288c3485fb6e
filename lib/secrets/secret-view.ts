import { z } from "zod";
import { PROVIDER_TYPES } from "@/lib/providers/registry";
import { rowVersion, timestamp } from "@/lib/validation/view-shapes";
import { PROVENANCE_PROVIDER, type SecretProviderConfig } from "./secret-schemas";

/** Where a secret's value lives: stored here, or one of the external managers. */
export const secretProviderSchema = z.enum([PROVENANCE_PROVIDER, ...PROVIDER_TYPES]);

/** A secret's upstream settings as stored: members left unset are absent. */
export const providerConfigViewSchema = z
  .strictObject({
    jsonKey: z.string().describe("Resolve returns this key of a JSON value").optional(),
    version: z
      .string()
      .describe("Pin an upstream version (AWS VersionId or stage, Azure version, GCP version number, Vault KV v2 version)")
      .optional(),
    cacheTtlSeconds: z.int().min(0).max(86_400).optional(),
    refreshSeconds: z
      .int()
      .min(0)
      .max(86_400)
      .describe(
        "How often the secret is checked upstream for a new version (default 300, jittered ±20 %); 0 turns it off, otherwise at least 5",
      )
      .optional(),
  })
  .meta({ id: "ProviderConfig" });

/** What the API says about a secret. Never its value: that leaves only through resolve. */
export const secretViewSchema = z
  .strictObject({
    id: z.string(),
    secretPath: z.string(),
    provider: secretProviderSchema,
    providerPath: z.string().nullable(),
    secretProviderId: z.string().nullable(),
    providerConfig: providerConfigViewSchema,
    description: z.string().nullable(),
    version: rowVersion,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Secret" });
export type SecretView = z.infer<typeof secretViewSchema>;

export interface SecretRow {
  id: string;
  secretPath: string;
  provider: string;
  providerPath: string | null;
  secretProviderId: string | null;
  providerConfig: string;
  description: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Columns safe to read into a view: the ciphertext column is never selected for one. */
export const secretViewSelect = {
  id: true,
  secretPath: true,
  provider: true,
  providerPath: true,
  secretProviderId: true,
  providerConfig: true,
  description: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function toSecretView(row: SecretRow): SecretView {
  return {
    id: row.id,
    secretPath: row.secretPath,
    // Only values the write schemas accepted are ever stored.
    provider: row.provider as SecretView["provider"],
    providerPath: row.providerPath,
    secretProviderId: row.secretProviderId,
    providerConfig: parseProviderConfig(row.providerConfig),
    description: row.description === "" ? null : row.description,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function parseProviderConfig(json: string): SecretProviderConfig {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const out: SecretProviderConfig = {};
  if (typeof parsed.jsonKey === "string") out.jsonKey = parsed.jsonKey;
  if (typeof parsed.version === "string") out.version = parsed.version;
  if (typeof parsed.cacheTtlSeconds === "number") out.cacheTtlSeconds = parsed.cacheTtlSeconds;
  if (typeof parsed.refreshSeconds === "number") out.refreshSeconds = parsed.refreshSeconds;
  return out;
}
