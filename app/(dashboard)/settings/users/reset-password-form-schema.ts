import { z } from "zod";
import { password } from "@/lib/users/user-schemas";

/** The reset form's check: the API's own password rule (the server parses again). */
export const resetPasswordFormSchema = z.object({ newPassword: password });

export type ResetPasswordFormValues = z.input<typeof resetPasswordFormSchema>;
