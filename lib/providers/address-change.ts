import type { ProviderConfig, ProviderDefinition } from "./definition";

/**
 * CONTRACT "A credential stays with the address it was given for". Whoever may edit a connection
 * but does not know its credentials must not be able to point it elsewhere and let the stored
 * token, client secret or key follow: a changed address field (`address: true` in the definition)
 * requires every stored credential to be entered again in the same edit.
 *
 * aws-sm.region is not an address field: its pattern only admits AWS region names, so the SigV4
 * requests still go to secretsmanager.<region>.amazonaws.com (or to the configured endpoint), AWS's
 * own hosts, and a signature (never the secret key) is valid for that one region only.
 */
interface AddressChange {
  field: string;
  from: string | null;
  to: string | null;
}

/** The address fields whose value differs between the stored and the new config. */
export function addressChanges(definition: ProviderDefinition, before: ProviderConfig, after: ProviderConfig): AddressChange[] {
  return definition.fields
    .filter((field) => field.address && (before[field.key] ?? null) !== (after[field.key] ?? null))
    .map((field) => ({ field: field.key, from: before[field.key] ?? null, to: after[field.key] ?? null }));
}

/**
 * The sensitive fields that stay set after the edit without having been sent anew in it (left out,
 * or sent as the mask): with an address change, each of them is refused.
 */
export function credentialsNotResent(definition: ProviderDefinition, after: ProviderConfig, sentAnew: (key: string) => boolean): string[] {
  return definition.fields
    .filter((field) => field.sensitive && after[field.key] !== undefined && !sentAnew(field.key))
    .map((field) => field.key);
}
