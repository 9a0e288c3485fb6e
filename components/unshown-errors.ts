import type { FieldErrors, FieldValues } from "react-hook-form";

/**
 * Client-side errors on values the form does not show as a field (a hidden or computed member):
 * without this, the submit would silently do nothing. Returns one line for a form banner, or null.
 */
export function unshownErrors<T extends FieldValues>(errors: FieldErrors<T>, shownFields: readonly string[]): string | null {
  const lines: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    const entry = node as { message?: unknown; type?: unknown };
    if (typeof entry.message === "string" && typeof entry.type === "string") {
      if (!shownFields.includes(path)) lines.push(path ? `${path}: ${entry.message}` : entry.message);
      return;
    }
    for (const [key, child] of Object.entries(node)) if (key !== "ref") walk(child, path ? `${path}.${key}` : key);
  };
  walk(errors, "");
  return lines.length > 0 ? lines.join(" · ") : null;
}
