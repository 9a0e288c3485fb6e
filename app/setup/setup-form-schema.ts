import { z } from "zod";
import { password } from "@/lib/users/user-schemas";

// The API's own email and password rules; the server checks everything again.
export const setupSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/, "The code looks like ABCD-EFGH-JKLM"),
  email: z.string().trim().min(1, "Enter your email").email("Must be an email address"),
  password,
});
export type Setup = z.infer<typeof setupSchema>;
