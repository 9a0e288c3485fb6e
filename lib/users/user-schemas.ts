import { z } from "zod";
import { singleLine } from "@/lib/validation/text";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";
import { ROLES } from "@/lib/auth/roles";

export const email = z.string().trim().toLowerCase().max(254, "Email must be at most 254 characters").email("Must be an email address");

export const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const createUserInput = z
  .object({
    email,
    password,
    role: z.enum(ROLES, { message: "Role must be admin, editor or viewer" }),
    name: singleLine("Name", 100).trim().optional().nullable(),
  })
  .strict();

export const updateUserInput = z
  .object({
    role: z.enum(ROLES, { message: "Role must be admin, editor or viewer" }).optional(),
    disabled: z.boolean().optional(),
    name: singleLine("Name", 100).trim().optional().nullable(),
  })
  .strict();

export type CreateUserInput = z.input<typeof createUserInput>;

/** Changing one's own password: the current one proves it is the account's owner at the keyboard. */
export const changePasswordInput = z
  .object({
    // Not checked against the length rules: an old password from before a rule change must still work.
    currentPassword: z.string().min(1, "Enter your current password").max(MAX_PASSWORD_LENGTH, "Not your current password"),
    newPassword: password,
  })
  .strict()
  .refine((input) => input.currentPassword !== input.newPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one",
  });

/** An admin setting another user's password (or the CLI setting anyone's). */
export const resetPasswordInput = z.object({ newPassword: password }).strict();
