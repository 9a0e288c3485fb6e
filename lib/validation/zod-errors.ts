import type { z } from "zod";
import { validationError, type AppError } from "@/lib/errors";

/**
 * Turns zod issues into the contract's `fields` map: dotted paths into the request body
 * (`config.region`) to one human sentence each. The first issue per path wins.
 */
export function fieldsFromZod(error: z.ZodError, prefix: string[] = []): Record<string, string> {
  const fields = fieldMap();
  for (const issue of error.issues) {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...base, key].join(".");
        fields[path] ??= "Unknown field";
      }
      continue;
    }
    const path = base.join(".") || "body";
    fields[path] ??= humanMessage(issue);
  }
  return fields;
}

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    // zod 4 leaves the input off issues; its message still says what it received.
    if (/received undefined$/.test(issue.message)) return "Required";
    return `Must be ${article(issue.expected)}`;
  }
  return issue.message;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * An empty field map without a prototype, so that hostile member names such as `__proto__` or
 * `constructor` are reported like any other unknown field instead of colliding with Object's own.
 */
export function fieldMap(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

export function zodToAppError(error: z.ZodError, prefix: string[] = []): AppError {
  return validationError(fieldsFromZod(error, prefix));
}

/** Parses with a schema and throws the contract's validation_error on failure. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw zodToAppError(result.error);
  return result.data;
}
