/**
 * The connection form's values and the helpers its submit uses. Kept apart from the check
 * (connection-form-schema.ts), which loads zod and the provider definitions and is loaded on first use.
 */
/**
 * `?test=1` on a connection's address runs its test once on arrival ("Save & test"). Here, not
 * beside the status panel that reads it, so the new-connection form does not load that panel.
 */
export const TEST_ON_ARRIVAL = "test";

export interface ConnectionFormValues {
  name: string;
  type: string;
  description: string;
  config: Record<string, string>;
  /** The "Sign in with" choice, for types that have one (ProviderDefinition.signIn); never sent. */
  signIn?: string;
  /** allowedProviderPaths as typed: one pattern per line; empty for no fence. */
  allowedProviderPaths: string;
}

/** The `value` of the button that submitted the form (Save, or Save & test), from react-hook-form's submit event. */
export function submittedBy(event: { nativeEvent?: unknown } | undefined): string | null {
  const submitter = (event?.nativeEvent as { submitter?: unknown } | undefined)?.submitter;
  return submitter instanceof HTMLButtonElement ? submitter.value : null;
}

/** The textarea's text → the API's allowedProviderPaths (null: no fence). */
export function fenceLines(text: string | undefined): string[] | null {
  const lines = (text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return lines.length > 0 ? lines : null;
}

/** The server reports `allowedProviderPaths.N`; the form has one field, so it says which line. */
export function fenceErrorsOnField(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields)) {
    const line = /^allowedProviderPaths\.(\d+)$/.exec(key);
    if (line) out.allowedProviderPaths ??= `Line ${Number(line[1]) + 1}: ${message}`;
    else out[key] = message;
  }
  return out;
}
