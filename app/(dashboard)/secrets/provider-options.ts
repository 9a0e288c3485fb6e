import { PROVIDER_TYPES, providerDefinitions } from "@/lib/providers/registry";

/** What the secret form shows of an external provider type: its name and how a path is written. */
export interface ProviderOption {
  type: string;
  name: string;
  pathHelp: string;
}

/**
 * Read on the server and passed to the form as props: the provider definitions (their checks and
 * with them zod) then stay out of the secret pages' JavaScript.
 */
export function providerOptions(): ProviderOption[] {
  return PROVIDER_TYPES.map((type) => ({ type, name: providerDefinitions[type].name, pathHelp: providerDefinitions[type].pathHelp }));
}
