import { z } from "zod";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import { createSecretShape, MAX_SECRET_VALUE_BYTES, PROVENANCE_PROVIDER, updateSecretShape } from "@/lib/secrets/secret-schemas";
import type { SecretView } from "@/lib/secrets/secret-view";

/**
 * The secret form's values (strings, as inputs hold them) and their client-side check: the form
 * is turned into the API's request body and parsed with the API's own shape (createSecretShape or
 * updateSecretShape), plus the cross-field rules the server applies. The server re-checks.
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

/** The API body for these form values. Editing leaves an empty value out: the stored one stays. */
export function toSecretInput(values: SecretFormValues, mode: SecretFormMode): Record<string, unknown> {
  const description = values.description.trim() || null;
  if (values.provider === PROVENANCE_PROVIDER) {
    const value = mode === "edit" && values.value === "" ? {} : { value: values.value };
    return { secretPath: values.secretPath, provider: PROVENANCE_PROVIDER, ...value, description, ...(mode === "edit" ? { providerConfig: null } : {}) };
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

// secret-schemas measures values with Node's Buffer; the browser counts UTF-8 bytes itself.
const browserValue = z
  .string()
  .refine((v) => new TextEncoder().encode(v).length <= MAX_SECRET_VALUE_BYTES, `Value must be at most ${MAX_SECRET_VALUE_BYTES / 1024} KiB`);

export function secretFormSchema(mode: SecretFormMode) {
  const apiShape = (mode === "create" ? createSecretShape : updateSecretShape).extend({ value: browserValue.optional().nullable() });
  const form = z.object({
    secretPath: z.string(),
    provider: z.string(),
    value: z.string(),
    providerPath: z.string(),
    secretProviderId: z.string(),
    providerConfig: z.object({ jsonKey: z.string(), version: z.string(), cacheTtlSeconds: z.string(), refreshSeconds: z.string() }),
    description: z.string(),
  });
  return form.superRefine((values, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: path.split("."), message });
    const parsed = apiShape.safeParse(toSecretInput(values, mode));
    const seen = new Set<string>();
    if (!parsed.success) {
      for (const problem of parsed.error.issues) {
        const path = problem.path.map(String).join(".");
        if (seen.has(path)) continue;
        seen.add(path);
        const message =
          path === "providerConfig.cacheTtlSeconds"
            ? "Must be a whole number of seconds (0 to 86400)"
            : path === "providerConfig.refreshSeconds"
              ? "Must be 0 (off) or a whole number of seconds from 5 to 86400"
              : problem.message;
        issue(path, message);
      }
    }
    // The rules write-secrets.ts applies that need no database.
    if (values.provider === PROVENANCE_PROVIDER) {
      if (mode === "create" && values.value === "") issue("value", "Value is required for a secret stored in Provenance");
      return;
    }
    if (!isProviderType(values.provider)) return issue("provider", "Choose where the value lives");
    const definition = providerDefinition(values.provider);
    if (!values.secretProviderId) issue("secretProviderId", `Choose a ${definition.name} connection`);
    const path = values.providerPath.trim();
    if (!path) {
      if (!seen.has("providerPath")) issue("providerPath", "Provider path is required");
    } else {
      const problem = definition.checkPath(path);
      if (problem && !seen.has("providerPath")) issue("providerPath", problem);
    }
  });
}
