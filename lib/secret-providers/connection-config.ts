import "server-only";
import { decrypt, encrypt } from "@/lib/crypto";
import { connectionCredentialsAad } from "@/lib/keys/aad";
import { keyring } from "@/lib/keys/keyring";
import { sensitiveKeys, type ProviderConfig } from "@/lib/providers/definition";
import { providerDefinition, type ProviderType } from "@/lib/providers/registry";

/**
 * How a connection's config is stored: non-sensitive fields as plain JSON (readable for lists and
 * forms), sensitive fields together as one ciphertext bound to the row and column. Only this
 * module encrypts or decrypts connection credentials.
 */
export function sealConfig(id: string, type: ProviderType, config: ProviderConfig): { config: string; credentials: string | null } {
  const sensitive = sensitiveKeys(providerDefinition(type));
  const plain: ProviderConfig = {};
  const secret: ProviderConfig = {};
  for (const [key, value] of Object.entries(config)) (sensitive.has(key) ? secret : plain)[key] = value;
  return {
    config: JSON.stringify(plain),
    credentials: Object.keys(secret).length > 0 ? encrypt(keyring(), JSON.stringify(secret), connectionCredentialsAad(id)) : null,
  };
}

/** The full decrypted config. Server-side use only: it must never reach a response. */
export function openConfig(row: { id: string; config: string; credentials: string | null }): ProviderConfig {
  const plain = parseStringRecord(row.config);
  if (!row.credentials) return plain;
  const secret = parseStringRecord(decrypt(keyring(), row.credentials, connectionCredentialsAad(row.id)));
  return { ...plain, ...secret };
}

function parseStringRecord(json: string): ProviderConfig {
  const parsed: unknown = JSON.parse(json);
  const out: ProviderConfig = {};
  if (parsed && typeof parsed === "object") {
    for (const [key, value] of Object.entries(parsed)) if (typeof value === "string") out[key] = value;
  }
  return out;
}
