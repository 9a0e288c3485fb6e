import { z } from "zod";
import { secretFieldProblems } from "@/lib/secrets/secret-rules";
import { createSecretShape, PROVENANCE_PROVIDER, updateSecretShape } from "@/lib/secrets/secret-schemas";
import { fieldsFromZod } from "@/lib/validation/zod-errors";
import { toSecretInput, type SecretFormMode } from "./secret-form-values";

/**
 * The form's check is the server's: the body it would send, parsed with the API's shape and its
 * fields named as the API names them (fieldsFromZod), then the rules across fields the server
 * applies before it looks at the database (secretFieldProblems). Same input, same words.
 */
export function secretFormSchema(mode: SecretFormMode) {
  const apiShape = mode === "create" ? createSecretShape : updateSecretShape;
  const form = z.object({
    secretPath: z.string(),
    provider: z.string(),
    value: z.string(),
    providerPath: z.string(),
    secretProviderId: z.string(),
    providerConfig: z.object({ jsonKey: z.string(), version: z.string(), cacheTtlSeconds: z.string(), refreshSeconds: z.string() }),
    description: z.string(),
  });
  return form.superRefine((values, ctx) => {
    const input = toSecretInput(values, mode);
    const parsed = apiShape.safeParse(input);
    const fields = parsed.success ? {} : fieldsFromZod(parsed.error);
    const rules = secretFieldProblems({
      provider: typeof input.provider === "string" ? input.provider : PROVENANCE_PROVIDER,
      value: typeof input.value === "string" ? input.value : undefined,
      // Editing keeps the stored value when none is typed; the server knows whether there is one.
      hasStoredValue: mode === "edit",
      providerPath: typeof input.providerPath === "string" && input.providerPath !== "" ? input.providerPath : null,
      secretProviderId: typeof input.secretProviderId === "string" ? input.secretProviderId : null,
    });
    for (const [path, message] of Object.entries({ ...rules, ...fields })) ctx.addIssue({ code: "custom", path: path.split("."), message });
  });
}
