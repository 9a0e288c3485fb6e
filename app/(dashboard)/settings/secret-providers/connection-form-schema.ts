import { z } from "zod";
import { configSchema, type ProviderDefinition } from "@/lib/providers/definition";
import { effectiveSignIn, missingForSignIn } from "@/lib/providers/sign-in-choice";
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

/** The chosen sign-in way's own needs, on top of the API's rules (which read the way from the fields that are set). */
function requireSignInFields(definition: ProviderDefinition, signIn: string | undefined) {
  return (config: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const [key, message] of Object.entries(missingForSignIn(definition, effectiveSignIn(definition, signIn), config))) {
      ctx.addIssue({ code: "custom", path: [key], message });
    }
  };
}

export function createConnectionFormSchema(type: string, signIn?: string) {
  // Without a type there are no config fields to check (nor on the form): "Choose a provider type" says it all.
  const config = isProviderType(type)
    ? configSchema(providerDefinition(type), LENIENT).superRefine(requireSignInFields(providerDefinition(type), signIn))
    : z.unknown().optional();
  return createConnectionShape.extend({
    type: chosenType,
    signIn: z.string().optional(),
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
export function updateConnectionFormSchema(type: string, mask: string, signIn?: string) {
  if (!isProviderType(type)) return updateConnectionShape;
  const definition = providerDefinition(type);
  const sensitive = new Set(definition.fields.filter((f) => f.sensitive).map((f) => f.key));
  const full = configSchema(definition, LENIENT);
  const config = z
    .record(z.string(), z.string())
    .superRefine((raw, ctx) => {
      const masked = new Set(Object.keys(raw).filter((key) => sensitive.has(key) && raw[key] === mask));
      const checkable = Object.fromEntries(Object.entries(raw).filter(([key]) => !masked.has(key)));
      const result = full.safeParse(checkable);
      if (result.success) return;
      for (const issue of result.error.issues) {
        const key = String(issue.path[0] ?? "");
        if (masked.has(key)) continue;
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      }
    })
    // A stored credential (the mask) counts as given.
    .superRefine(requireSignInFields(definition, signIn));
  // `type` stays in the shape (the form carries it, read-only); the action does not send it.
  return updateConnectionShape.extend({
    signIn: z.string().optional(),
    config,
    description: z.string().trim().max(1000, "Description must be at most 1000 characters"),
    allowedProviderPaths: fenceText,
  });
}
