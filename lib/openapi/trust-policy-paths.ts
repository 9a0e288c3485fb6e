import { createTrustPolicyInput, tokenExchangeInput, updateTrustPolicyInput } from "@/lib/trust-policies/trust-policy-schemas";
import { requestSchema } from "./schemas";

/**
 * OpenAPI paths of keyless access: trust policies (admin) and the OIDC token exchange. Schemas
 * come from the zod definitions that validate the requests; spread into `paths` by build-openapi.ts.
 */
const error = (description: string) => ({
  description,
  content: {
    "application/json": {
      schema: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            properties: { code: { type: "string" }, message: { type: "string" }, fields: { type: "object", additionalProperties: { type: "string" } }, reason: { type: "string" } },
          },
        },
      },
    },
  },
});
const jsonBody = (schema: unknown) => ({ required: true, content: { "application/json": { schema } } });
const jsonResponse = (description: string, schema: unknown) => ({ description, content: { "application/json": { schema } } });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

const trustPolicy = {
  type: "object",
  required: ["id", "name", "issuer", "audience", "claims", "role", "scope", "ttlSeconds", "createdAt", "updatedAt"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    issuer: { type: "string", format: "uri", description: "Matched exactly against the ID token's iss" },
    audience: { type: "string", description: "Must be one of the ID token's aud values" },
    claims: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Claim name to pattern: an exact string, or `*` for one segment (one or more characters other than `/` and `:`)",
    },
    role: { type: "string", enum: ["editor", "viewer"] },
    scope: { type: "string", description: "The path scope of every token the policy issues, e.g. stripe.*" },
    ttlSeconds: { type: "integer", minimum: 60, maximum: 3600 },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const adminOnly = "Admin only (a session or an unscoped admin token): editors, viewers and path-scoped tokens get 403.";
const tags = ["Trust policies"];

export const trustPolicyPaths = {
  "/api/trust-policies": {
    get: {
      operationId: "listTrustPolicies",
      tags,
      summary: "List trust policies (admin)",
      description: `${adminOnly} Ordered by name: the order in which the token exchange tries them.`,
      responses: { "200": jsonResponse("Trust policies", { type: "array", items: trustPolicy }), "401": error("unauthorized"), "403": error("forbidden") },
    },
    post: {
      operationId: "createTrustPolicy",
      tags,
      summary: "Create a trust policy (admin)",
      description: `${adminOnly} ttlSeconds defaults to 900. Issuers are https URLs (http only with PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true). At least one claim. Audited as trust_policy.create.`,
      requestBody: jsonBody(requestSchema(createTrustPolicyInput)),
      responses: {
        "201": jsonResponse("Created", trustPolicy),
        "400": error("validation_error (with fields) or invalid_json"),
        "401": error("unauthorized"),
        "403": error("forbidden"),
        "409": error("name_taken"),
        "413": error("payload_too_large"),
      },
    },
  },
  "/api/trust-policies/{id}": {
    get: {
      operationId: "getTrustPolicy",
      tags,
      summary: "Get a trust policy (admin)",
      description: adminOnly,
      parameters: [idParam],
      responses: { "200": jsonResponse("Trust policy", trustPolicy), "401": error("unauthorized"), "403": error("forbidden"), "404": error("not_found") },
    },
    put: {
      operationId: "updateTrustPolicy",
      tags,
      summary: "Change a trust policy (admin)",
      description: `${adminOnly} Changes the fields sent. A new issuer, audience, claims, role or scope revokes the live tokens the policy issued. Audited as trust_policy.update.`,
      parameters: [idParam],
      requestBody: jsonBody(requestSchema(updateTrustPolicyInput)),
      responses: {
        "200": jsonResponse("The updated policy", trustPolicy),
        "400": error("validation_error (with fields) or invalid_json"),
        "401": error("unauthorized"),
        "403": error("forbidden"),
        "404": error("not_found"),
        "409": error("name_taken"),
        "413": error("payload_too_large"),
      },
    },
    delete: {
      operationId: "deleteTrustPolicy",
      tags,
      summary: "Delete a trust policy (admin)",
      description: `${adminOnly} The live tokens it issued are revoked. Audited as trust_policy.delete.`,
      parameters: [idParam],
      responses: { "204": { description: "Deleted" }, "401": error("unauthorized"), "403": error("forbidden"), "404": error("not_found") },
    },
  },
  "/api/auth/token-exchange": {
    post: {
      operationId: "exchangeIdToken",
      tags: ["Keyless access"],
      security: [],
      summary: "Trade an OIDC ID token for a short-lived API token",
      description:
        "No other authentication. The ID token's issuer must be named by a trust policy; its JWKS comes from the issuer's " +
        "/.well-known/openid-configuration. Accepted algorithms: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA. " +
        "The token must carry exp and jti; nbf/iat may not lie in the future (60 s of clock skew). Policies for the issuer and audience " +
        "are tried by name; the first whose claims all match issues an API token with its role and scope for ttlSeconds. Each ID token " +
        "(issuer, jti) is exchanged once. 401 unauthorized says why (error.reason: malformed, unsupported_algorithm, unknown_issuer, " +
        "unknown_key, bad_signature, expired, not_yet_valid, missing_jti, wrong_audience, replayed, no_matching_policy) and never repeats the token. " +
        "Failed exchanges are limited per source address (PROVENANCE_TOKEN_EXCHANGE_FAILURES_PER_MINUTE, default 30): 429 with Retry-After.",
      requestBody: jsonBody(requestSchema(tokenExchangeInput)),
      responses: {
        "201": jsonResponse("The API token, shown this once", {
          type: "object",
          required: ["token", "expiresAt", "role", "scope", "policy"],
          properties: {
            token: { type: "string", description: "A bearer token (pvn_…)" },
            expiresAt: { type: "string", format: "date-time" },
            role: { type: "string", enum: ["editor", "viewer"] },
            scope: { type: "string" },
            policy: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } }, description: "The trust policy that matched" },
          },
        }),
        "400": error("validation_error (token missing or not a string) or invalid_json"),
        "401": error("unauthorized, with reason"),
        "413": error("payload_too_large"),
        "429": error("rate_limited"),
        "502": error("provider_error: the issuer's discovery document or JWKS could not be fetched"),
        "504": error("provider_timeout: the issuer did not answer in time"),
      },
    },
  },
};
