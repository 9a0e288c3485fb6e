import { z } from "zod";
import { configSchema } from "@/lib/providers/definition";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import { createConnectionShape, updateConnectionShape } from "@/lib/secret-providers/connection-schemas";
import { fencePatternProblem, MAX_FENCE_PATTERNS } from "@/lib/secret-providers/provider-path-fence";
import { fenceLines } from "./connection-form-values";

/**
 * The connection form's client-side schemas: the API's own request shapes, with the config
 * checked by the type's definition (`configSchema`). URL rules are lenient here (allowInsecure):
 * whether http:// is allowed is the server's setting, and the server re-checks everything.
 */

// Optional: the field is only on the form once a type is chosen.
const fenceText = z
  .string()
  .optional()
  .superRefine((text, ctx) => {
    const lines = fenceLines(text) ?? [];
    if (lines.length > MAX_FENCE_PATTERNS) ctx.addIssue({ code: "custom", message: `At most ${MAX_FENCE_PATTERNS} patterns` });
    for (const [index, line] of lines.entries()) {
      const problem = fencePatternProblem(line);
      if (problem) return void ctx.addIssue({ code: "custom", message: `Line ${index + 1}: ${problem}` });
    }
  });

const LENIENT = { allowInsecure: true };
// Every message here is shown to people as it is: none of zod's own wording ("Invalid input: …").
const chosenType = z.string({ message: "Choose a provider type" }).refine(isProviderType, "Choose a provider type");

export function createConnectionFormSchema(type: string) {
  // Without a type there are no config fields to check (nor on the form): "Choose a provider type" says it all.
  const config = isProviderType(type) ? configSchema(providerDefinition(type), LENIENT) : z.unknown().optional();
  return createConnectionShape.extend({
    type: chosenType,
    config,
    description: z.string().trim().max(1000, "Description must be at most 1000 characters"),
    allowedProviderPaths: fenceText,
  });
}

/**
 * Editing: a sensitive field that still reads as the mask keeps its stored value, so it counts as
 * set and is not format-checked (the server knows the real value and checks the merged config).
 * The mask comes from the server (connection-view's MASK), which client code cannot import.
 */
export function updateConnectionFormSchema(type: string, mask: string) {
  if (!isProviderType(type)) return updateConnectionShape;
  const definition = providerDefinition(type);
  const sensitive = new Set(definition.fields.filter((f) => f.sensitive).map((f) => f.key));
  const full = configSchema(definition, LENIENT);
  const config = z.record(z.string(), z.string()).superRefine((raw, ctx) => {
    const masked = new Set(Object.keys(raw).filter((key) => sensitive.has(key) && raw[key] === mask));
    const checkable = Object.fromEntries(Object.entries(raw).filter(([key]) => !masked.has(key)));
    const result = full.safeParse(checkable);
    if (result.success) return;
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? "");
      if (masked.has(key)) continue;
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  });
  // `type` stays in the shape (the form carries it, read-only); the action does not send it.
  return updateConnectionShape.extend({
    config,
    description: z.string().trim().max(1000, "Description must be at most 1000 characters"),
    allowedProviderPaths: fenceText,
  });
}
