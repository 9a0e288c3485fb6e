import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { createTrustPolicy, listTrustPolicies } from "@/lib/trust-policies/manage-trust-policies";
import { refuseScopedToken } from "@/lib/trust-policies/trust-policy-access";

// GET /api/trust-policies (admin) — every trust policy, in the order the token exchange tries them
export const GET = apiRoute("listTrustPolicies", async ({ actor }) => {
  refuseScopedToken(actor);
  return json(await listTrustPolicies());
});

// POST /api/trust-policies (admin) {name, issuer, audience, claims, role, scope, ttlSeconds?} — 201 the policy; 409 name_taken
export const POST = apiRoute("createTrustPolicy", async ({ actor, body }) => {
  refuseScopedToken(actor);
  return json(await createTrustPolicy({ actor, input: await body() }), 201);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
