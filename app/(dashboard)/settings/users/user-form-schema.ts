import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";

/**
 * The new-user form's client-side check. lib/users/user-schemas.ts cannot be loaded in the
 * browser (it takes the password limits from lib/auth/password.ts, which imports node:crypto),
 * so this mirrors it; the server parses with the real schema and its field errors are shown.
 */
const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

export const userFormSchema = z.object({
  email: z.string().trim().min(1, "Email is required").max(254, "Email must be at most 254 characters").email("Must be an email address"),
  name: z.string().trim().max(100, "Name must be at most 100 characters"),
  role: z.enum(ROLES, { message: "Role must be admin, editor or viewer" }),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters`),
});

export type UserFormValues = z.input<typeof userFormSchema>;
