import { PROVIDER_TYPES, isProviderType, providerDefinition } from "@/lib/providers/registry";
import { fieldMap } from "@/lib/validation/zod-errors";
import { PROVENANCE_PROVIDER } from "./secret-schemas";

/** What the rules across a secret's fields look at: the secret as it will be stored. */
export interface SecretFields {
  provider: string;
  /** New plaintext to store, or undefined to keep the stored one. */
  value: string | undefined;
  hasStoredValue: boolean;
  providerPath: string | null;
  secretProviderId: string | null;
}

/**
 * The rules across a secret's fields that need no database, as the contract's `fields` map
 * (empty when none is broken). The server applies them to every write (write-secrets.ts) and the
 * dashboard form to what a person typed, so both say the same words.
 */
export function secretFieldProblems(target: SecretFields): Record<string, string> {
  const fields = fieldMap();
  if (target.provider === PROVENANCE_PROVIDER) {
    if (target.value === undefined && !target.hasStoredValue) fields.value = "Value is required for a secret stored in Provenance";
    if (target.providerPath) fields.providerPath = "Only external secrets have a providerPath";
    if (target.secretProviderId) fields.secretProviderId = "Only external secrets reference a provider connection";
    return fields;
  }
  if (!isProviderType(target.provider)) {
    fields.provider = `Provider must be "${PROVENANCE_PROVIDER}" or one of ${PROVIDER_TYPES.join(", ")}`;
    return fields;
  }
  const definition = providerDefinition(target.provider);
  if (target.value !== undefined) fields.value = `An external secret has no value here; it lives in ${definition.name}`;
  if (!target.providerPath) fields.providerPath = `Provider path is required: ${definition.pathHelp}`;
  else {
    const problem = definition.checkPath(target.providerPath);
    if (problem) fields.providerPath = problem;
  }
  if (!target.secretProviderId) fields.secretProviderId = `Choose a ${definition.name} connection`;
  return fields;
}
