import type { ProviderDefinition, SignInMethod } from "./definition";

/**
 * The form's "Sign in with" choice (ProviderDefinition.signIn): which fields each way shows, what
 * it cannot do without, and which stored settings belong to another way. Pure: the form imports it.
 */

function methodNamed(definition: ProviderDefinition, value: string | undefined): SignInMethod | undefined {
  return definition.signIn?.methods.find((method) => method.value === value);
}

/** The choice to start from: the way a stored config signs in, or the first way for a new connection. */
export function initialSignIn(definition: ProviderDefinition, stored?: Record<string, string>): string | undefined {
  const choice = definition.signIn;
  if (!choice) return undefined;
  return stored ? choice.methodOf(stored) : choice.methods[0]!.value;
}

/** A value the type offers, else the first way (a choice left over from another type). */
export function effectiveSignIn(definition: ProviderDefinition, value: string | undefined): string | undefined {
  return methodNamed(definition, value)?.value ?? initialSignIn(definition);
}

/** Whether the form shows a field with this way chosen: the other ways' fields step aside. */
export function shownForSignIn(definition: ProviderDefinition, value: string | undefined, key: string): boolean {
  const choice = definition.signIn;
  if (!choice || !choice.methods.some((method) => method.fields.includes(key))) return true;
  return methodNamed(definition, value)?.fields.includes(key) ?? false;
}

/**
 * Settings stored for another way than the chosen one. Saved with this way they are cleared: kept,
 * the connection would go on signing in the old way (the adapter goes by the fields that are set).
 */
export function otherWaysStored(definition: ProviderDefinition, value: string | undefined, stored: Record<string, string>): string[] {
  // No way chosen (yet): nothing is known to be stale.
  if (!methodNamed(definition, value)) return [];
  return definition.fields
    .map((field) => field.key)
    .filter((key) => stored[key] !== undefined && stored[key] !== "" && !shownForSignIn(definition, value, key));
}

/** The chosen way's fields it cannot do without that are empty, with what to say on each. */
export function missingForSignIn(definition: ProviderDefinition, value: string | undefined, config: Record<string, unknown>) {
  const method = methodNamed(definition, value);
  const problems: Record<string, string> = {};
  for (const key of method?.required ?? []) {
    const given = config[key];
    if (typeof given === "string" && given.trim() !== "") continue;
    const label = definition.fields.find((field) => field.key === key)?.label ?? key;
    problems[key] = `${label} is required to sign in with “${method!.label}”`;
  }
  return problems;
}
