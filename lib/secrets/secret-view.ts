import type { SecretProviderConfig } from "./secret-schemas";

/** What the API says about a secret. Never its value: that leaves only through resolve. */
export interface SecretView {
  id: string;
  secretPath: string;
  provider: string;
  providerPath: string | null;
  secretProviderId: string | null;
  providerConfig: SecretProviderConfig;
  description: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

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
    provider: row.provider,
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
