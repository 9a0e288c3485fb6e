import { z } from "zod";
import { singleLine } from "@/lib/validation/text";
import { isValidScope, SCOPE_HELP } from "@/lib/auth/scope";
import { env } from "@/lib/env";
import { checkProviderUrl } from "@/lib/providers/url-rules";

/**
 * One zod definition of a trust policy for the API and the dashboard. A policy never grants admin
 * (an exchanged token could then manage users and connections), always carries a path scope, and
 * names at least one claim: with none it would trust every workload the issuer signs tokens for
 * (on GitHub, every repository in the world).
 */
export const TRUST_POLICY_ROLES = ["editor", "viewer"] as const;
export const TTL_DEFAULT_SECONDS = 900;
export const TTL_MIN_SECONDS = 60;
export const TTL_MAX_SECONDS = 3600;
const MAX_CLAIMS = 20;
const CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
/** Checked by the exchange itself, not by patterns. */
const RESERVED_CLAIMS = new Set(["iss", "aud", "exp", "nbf", "iat", "jti"]);

const issuer = z
  .string({ message: "Issuer must be a string" })
  .trim()
  .min(1, "Issuer is required")
  .max(500, "Issuer must be at most 500 characters")
  .superRefine((value, context) => {
    const problem = checkProviderUrl(value, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS });
    if (problem) return context.addIssue({ code: "custom", message: problem });
    const url = new URL(value);
    if (url.search || url.hash)
      context.addIssue({ code: "custom", message: "Must be the issuer URL exactly as the iss claim has it, without ? or #" });
  });

const claimPattern = singleLine("A claim pattern", 500).min(1, "A claim pattern must not be empty");

const claims = z
  .record(z.string(), claimPattern, { message: "Claims must be an object of claim name to pattern" })
  .superRefine((value, context) => {
    const names = Object.keys(value);
    if (names.length === 0) context.addIssue({ code: "custom", message: "Name at least one claim (e.g. sub or repository) to match" });
    if (names.length > MAX_CLAIMS) context.addIssue({ code: "custom", message: `At most ${MAX_CLAIMS} claims` });
    for (const name of names) {
      if (!CLAIM_NAME.test(name))
        context.addIssue({ code: "custom", path: [name], message: "A claim name is letters, digits, _ . : or -" });
      else if (RESERVED_CLAIMS.has(name))
        context.addIssue({ code: "custom", path: [name], message: `${name} is checked by the exchange itself; use issuer and audience` });
    }
  });

const policyFields = {
  name: singleLine("Name", 100).trim().min(1, "Name is required"),
  issuer,
  audience: singleLine("Audience", 500).trim().min(1, "Audience is required"),
  claims,
  role: z.enum(TRUST_POLICY_ROLES, { message: "Role must be editor or viewer (a trust policy never grants admin)" }),
  scope: z
    .string({ message: "Scope must be a string" })
    .trim()
    .min(1, "Scope is required: a trust policy always limits its tokens to a path scope")
    .max(500)
    .refine((s) => isValidScope(s), `Scope is not valid. ${SCOPE_HELP}`),
  ttlSeconds: z
    .number({ message: "ttlSeconds must be a number" })
    .int("ttlSeconds must be a whole number")
    .min(TTL_MIN_SECONDS, `ttlSeconds must be at least ${TTL_MIN_SECONDS}`)
    .max(TTL_MAX_SECONDS, `ttlSeconds must be at most ${TTL_MAX_SECONDS}`),
};

/** POST /api/trust-policies: every field but ttlSeconds (default 900). */
export const createTrustPolicyInput = z
  .object({ ...policyFields, ttlSeconds: policyFields.ttlSeconds.default(TTL_DEFAULT_SECONDS) })
  .strict();

/** PUT /api/trust-policies/:id: the fields to change; the others keep their values. */
export const updateTrustPolicyInput = z.object(policyFields).partial().strict();

export type TrustPolicyInput = z.output<typeof createTrustPolicyInput>;

/** POST /api/auth/token-exchange. */
export const tokenExchangeInput = z
  .object({ token: z.string({ message: "token must be the OIDC ID token, a string" }).min(1, "token is required") })
  .strict();
