/**
 * What a server action hands back to its form: a message and per-field errors (dotted paths, as
 * in the API's validation_error). Pure, so client components can import it.
 */
export interface FormState {
  ok: boolean;
  message: string | null;
  fields: Record<string, string>;
}
