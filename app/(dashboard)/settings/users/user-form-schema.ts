import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { email, password } from "@/lib/users/user-schemas";

/**
 * The new-user form's check: the API's own email and password rules; the name is a plain
 * string here (the form always sends one) and the server parses with the full schema again.
 */
export const userFormSchema = z.object({
  email,
  name: z.string().trim().max(100, "Name must be at most 100 characters"),
  role: z.enum(ROLES, { message: "Role must be admin, editor or viewer" }),
  password,
});

export type UserFormValues = z.input<typeof userFormSchema>;
