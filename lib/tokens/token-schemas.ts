import { z } from "zod";
import { singleLine } from "@/lib/validation/text";
import { ROLES } from "@/lib/auth/roles";
import { isValidScope, SCOPE_HELP } from "@/lib/auth/scope";

/** The fields of a new token, before the rules that tie them together (the dashboard form extends them). */
export const createTokenFields = z
  .object({
    name: singleLine("Name", 100).trim().min(1, "Name is required"),
    role: z.enum(ROLES, { message: "Role must be admin, editor or viewer" }),
    scope: z
      .string()
      .trim()
      .max(500, "Scope must be at most 500 characters")
      .optional()
      .nullable()
      .transform((s) => (s ? s : null))
      .refine((s) => s === null || isValidScope(s), `Scope is not valid. ${SCOPE_HELP}`),
    expiresInDays: z.number().int().min(1).max(3650).optional().nullable(),
  })
  .strict();

const ADMIN_SCOPE_MESSAGE =
  "Admin tokens carry no scope: an admin token reaches connections, users and tokens, which no scope limits. Choose the editor or viewer role for a scoped token.";

/**
 * An admin token can reach the connections, users and tokens, which no path scope fences in: a
 * scope on it would promise a limit that does not hold.
 */
export function noScopeOnAdmin(input: { role: string; scope: string | null }, context: z.RefinementCtx): void {
  if (input.role === "admin" && input.scope) context.addIssue({ code: "custom", path: ["scope"], message: ADMIN_SCOPE_MESSAGE });
}

/** One schema for creating a token: the API, the CLI and the dashboard form all parse with it. */
export const createTokenInput = createTokenFields.superRefine(noScopeOnAdmin);

export type CreateTokenInput = z.input<typeof createTokenInput>;
