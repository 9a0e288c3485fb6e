import { createTrustPolicyInput, tokenExchangeInput, updateTrustPolicyInput } from "@/lib/trust-policies/trust-policy-schemas";
import { idParam, json, operation } from "./operation";
import { ref, requestSchema } from "./schemas";

/** OpenAPI paths of keyless access: trust policies (admin) and the OIDC token exchange. */
export function trustPolicyPaths() {
  const tag = "Keyless access" as const;
  return {
    "/api/trust-policies": {
      get: operation({
        id: "listTrustPolicies",
        tag,
        summary: "List trust policies",
        description: "Ordered by name: the order in which the token exchange tries them.",
        ok: { "200": json("Trust policies", { type: "array", items: ref("TrustPolicy") }) },
      }),
      post: operation({
        id: "createTrustPolicy",
        tag,
        summary: "Create a trust policy",
        description:
          "ttlSeconds defaults to 900. Issuers are https URLs (http only with PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true). At least one claim. Audited as trust_policy.create.",
        body: { schema: requestSchema(createTrustPolicyInput) },
        ok: { "201": json("Created", ref("TrustPolicy")) },
        errors: ["name_taken"],
        writes: true,
      }),
    },
    "/api/trust-policies/{id}": {
      get: operation({
        id: "getTrustPolicy",
        tag,
        summary: "Get a trust policy",
        description: "One policy.",
        parameters: [idParam],
        ok: { "200": json("Trust policy", ref("TrustPolicy")) },
        errors: ["not_found"],
      }),
      put: operation({
        id: "updateTrustPolicy",
        tag,
        summary: "Change a trust policy",
        description:
          "Changes the fields sent. A new issuer, audience, claims, role or scope revokes the live tokens the policy issued. Audited as trust_policy.update.",
        parameters: [idParam],
        body: { schema: requestSchema(updateTrustPolicyInput) },
        ok: { "200": json("The updated policy", ref("TrustPolicy")) },
        errors: ["not_found", "name_taken"],
        writes: true,
      }),
      delete: operation({
        id: "deleteTrustPolicy",
        tag,
        summary: "Delete a trust policy",
        description: "The live tokens it issued are revoked. Audited as trust_policy.delete.",
        parameters: [idParam],
        ok: { "204": { description: "Deleted" } },
        errors: ["not_found"],
        writes: true,
      }),
    },
    "/api/auth/token-exchange": {
      post: operation({
        id: "exchangeIdToken",
        tag,
        summary: "Trade an OIDC ID token for a short-lived API token",
        description:
          "No other authentication. The ID token's issuer must be named by a trust policy; its JWKS comes from the issuer's " +
          "/.well-known/openid-configuration. Accepted algorithms: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA. " +
          "The token must carry exp and jti; nbf/iat may not lie in the future (60 s of clock skew). Policies for the issuer and audience " +
          "are tried by name; the first whose claims all match issues an API token with its role and scope for ttlSeconds. Each ID token " +
          "(issuer, jti) is exchanged once. 401 unauthorized says why in error.reason and never repeats the token. Failed exchanges are " +
          "limited per source address (PROVENANCE_TOKEN_EXCHANGE_FAILURES_PER_MINUTE, default 30): 429 with Retry-After. 502/504: the " +
          "issuer's discovery document or JWKS could not be fetched.",
        body: { schema: requestSchema(tokenExchangeInput) },
        ok: { "201": json("The API token, shown this once", ref("ExchangedToken")) },
        errors: ["unauthorized", "database_unavailable", "rate_limited", "provider_error", "provider_timeout"],
        writes: true,
      }),
    },
  };
}
