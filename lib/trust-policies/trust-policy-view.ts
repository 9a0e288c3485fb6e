import { z } from "zod";
import { timestamp } from "@/lib/validation/view-shapes";
import { TRUST_POLICY_ROLES, TTL_MAX_SECONDS, TTL_MIN_SECONDS } from "./trust-policy-schemas";

/** A trust policy as the API returns it. */
export const trustPolicyViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    issuer: z.url().describe("Matched exactly against the ID token's iss"),
    audience: z.string().describe("Must be one of the ID token's aud values"),
    claims: z
      .record(z.string(), z.string())
      .describe("Claim name to pattern: an exact string, or `*` for one segment (one or more characters other than `/` and `:`)"),
    role: z.enum(TRUST_POLICY_ROLES),
    scope: z.string().describe("The path scope of every token the policy issues, e.g. stripe.*"),
    ttlSeconds: z.int().min(TTL_MIN_SECONDS).max(TTL_MAX_SECONDS),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "TrustPolicy" });
export type TrustPolicyView = z.infer<typeof trustPolicyViewSchema>;

/** The answer of the token exchange: the API token, shown this once. */
export const exchangedTokenSchema = z
  .strictObject({
    token: z.string().describe("A bearer token (pvn_…)"),
    expiresAt: timestamp,
    role: z.enum(TRUST_POLICY_ROLES),
    scope: z.string(),
    policy: z.strictObject({ id: z.string(), name: z.string() }).describe("The trust policy that matched"),
  })
  .meta({ id: "ExchangedToken" });
export type ExchangeResult = z.infer<typeof exchangedTokenSchema>;
