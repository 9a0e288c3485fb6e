import { z } from "zod";
import { changePasswordInput } from "@/lib/users/user-schemas";

/**
 * The change-password form: the server's own rules (changePasswordInput) plus a repeat of the new
 * password, which only the browser needs to see.
 */
export const passwordFormSchema = z
  .object({ currentPassword: z.string(), newPassword: z.string(), repeatPassword: z.string() })
  .superRefine((values, context) => {
    const parsed = changePasswordInput.safeParse({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      context.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
    if (values.repeatPassword !== values.newPassword) {
      context.addIssue({ code: "custom", path: ["repeatPassword"], message: "Does not match the new password" });
    }
  });

export type PasswordFormValues = z.input<typeof passwordFormSchema>;
