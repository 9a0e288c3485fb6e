import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { nullableTimestamp, timestamp } from "@/lib/validation/view-shapes";

/** What lists and responses show of a token: never the token itself, never its hash. */
export const tokenViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    scope: z.string().nullable().describe("A path scope such as stripe.*, or null for every secret"),
    tokenPrefix: z.string().describe("The first characters of the token, to tell tokens apart"),
    createdAt: timestamp,
    lastUsedAt: nullableTimestamp,
    expiresAt: nullableTimestamp,
    revokedAt: nullableTimestamp,
    createdBy: z.string().nullable().describe("The email of the user who made it; null for CLI-made tokens"),
  })
  .meta({ id: "Token" });

/** The answer of POST /api/tokens: the view and, this once, the token. */
export const createdTokenSchema = tokenViewSchema
  .extend({ token: z.string().describe("The token (pvn_…): shown this once") })
  .meta({ id: "TokenCreated" });
export type CreatedToken = z.infer<typeof createdTokenSchema>;
