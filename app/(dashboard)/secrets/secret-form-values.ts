import { PROVENANCE_PROVIDER } from "@/lib/secrets/provenance-provider";
import type { SecretView } from "@/lib/secrets/secret-view";

/**
 * The secret form's values (strings, as inputs hold them) and the API bodies they become.
 * Kept apart from the check (secret-form-schema.ts), which loads zod and is loaded on first use.
 */
export interface SecretFormValues {
  secretPath: string;
  provider: string;
  value: string;
  providerPath: string;
  secretProviderId: string;
  providerConfig: { jsonKey: string; version: string; cacheTtlSeconds: string; refreshSeconds: string };
  description: string;
}

export type SecretFormMode = "create" | "edit";

/** The API body for these form values. An empty value is left out: editing keeps the stored one. */
export function toSecretInput(values: SecretFormValues, mode: SecretFormMode): Record<string, unknown> {
  const description = values.description.trim() || null;
  if (values.provider === PROVENANCE_PROVIDER) {
    // An empty box is no value: on create the server then asks for one, on edit it keeps the stored one.
    const value = values.value === "" ? {} : { value: values.value };
    return {
      secretPath: values.secretPath,
      provider: PROVENANCE_PROVIDER,
      ...value,
      description,
      ...(mode === "edit" ? { providerConfig: null } : {}),
    };
  }
  const ttl = values.providerConfig.cacheTtlSeconds.trim();
  const refresh = values.providerConfig.refreshSeconds.trim();
  return {
    secretPath: values.secretPath,
    provider: values.provider,
    providerPath: values.providerPath.trim(),
    secretProviderId: values.secretProviderId || null,
    providerConfig: {
      jsonKey: values.providerConfig.jsonKey.trim() || null,
      version: values.providerConfig.version.trim() || null,
      cacheTtlSeconds: ttl === "" ? null : /^\d+$/.test(ttl) ? Number(ttl) : Number.NaN,
      refreshSeconds: refresh === "" ? null : /^\d+$/.test(refresh) ? Number(refresh) : Number.NaN,
    },
    description,
  };
}

/**
 * What an edit actually changes, as the update body: only members that differ from the stored
 * secret (so the audit log's "changed" names what the person changed), providerConfig key by
 * key (null clears one), and the value only when a new one was typed.
 */
export function toSecretUpdate(values: SecretFormValues, original: SecretView): Record<string, unknown> {
  const full = toSecretInput(values, "edit");
  const out: Record<string, unknown> = {};
  const providerChanged = full.provider !== original.provider;
  if (full.secretPath !== original.secretPath) out.secretPath = full.secretPath;
  if (providerChanged) out.provider = full.provider;
  if ("value" in full) out.value = full.value;
  if ((full.description ?? null) !== (original.description ?? null)) out.description = full.description;
  if (full.provider === PROVENANCE_PROVIDER) {
    if (providerChanged) out.providerConfig = null;
    return out;
  }
  if (providerChanged || full.providerPath !== original.providerPath) out.providerPath = full.providerPath;
  if (providerChanged || full.secretProviderId !== original.secretProviderId) out.secretProviderId = full.secretProviderId;
  const next = full.providerConfig as Record<string, string | number | null>;
  const before = original.providerConfig as Record<string, string | number | undefined>;
  const changed = Object.fromEntries(Object.entries(next).filter(([key, value]) => value !== (before[key] ?? null)));
  if (Object.keys(changed).length > 0) out.providerConfig = changed;
  return out;
}
