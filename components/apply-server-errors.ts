import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/**
 * Puts a server action's field errors (dotted paths such as `config.region`, as in the API's
 * validation_error) on the form's fields. Returns what is left for a form-level message: the
 * server's message when no shown field could take the error, else null.
 */
export function applyServerErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  result: { message: string | null; fields: Record<string, string> },
  shownFields: readonly string[],
): string | null {
  let placed = 0;
  const stray: string[] = [];
  for (const [path, message] of Object.entries(result.fields)) {
    if (shownFields.includes(path)) {
      setError(path as Path<T>, { type: "server", message }, { shouldFocus: placed === 0 });
      placed++;
    } else {
      stray.push(`${path}: ${message}`);
    }
  }
  if (stray.length > 0) return stray.join(" · ");
  if (placed > 0) return null;
  return result.message ?? "That did not work; please try again.";
}
