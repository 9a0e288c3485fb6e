import { z } from "zod";
import { createTokenFields, noScopeOnAdmin } from "@/lib/tokens/token-schemas";

// The API's schema, with the expiry as the select's string (converted on submit).
export const tokenFormSchema = createTokenFields.extend({ expiresInDays: z.enum(["", "30", "90", "365"]) }).superRefine(noScopeOnAdmin);
export type TokenFormValues = { name: string; role: "admin" | "editor" | "viewer"; scope: string; expiresInDays: "" | "30" | "90" | "365" };
