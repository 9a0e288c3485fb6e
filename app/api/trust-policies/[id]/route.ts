import { apiRoute, json, noContent, otherMethods } from "@/lib/api/route";
import { deleteTrustPolicy, getTrustPolicy, updateTrustPolicy } from "@/lib/trust-policies/manage-trust-policies";
import { refuseScopedToken } from "@/lib/trust-policies/trust-policy-access";

// GET /api/trust-policies/:id (admin)
export const GET = apiRoute("getTrustPolicy", async ({ actor, params }) => {
  refuseScopedToken(actor);
  return json(await getTrustPolicy(params.id!));
});

// PUT /api/trust-policies/:id (admin) — changes the fields sent; a new issuer, audience, claims, role or scope revokes the policy's live tokens
export const PUT = apiRoute("updateTrustPolicy", async ({ actor, params, body }) => {
  refuseScopedToken(actor);
  return json(await updateTrustPolicy({ actor, id: params.id!, input: await body() }));
});

// DELETE /api/trust-policies/:id (admin) — 204; the tokens the policy issued stop working at once
export const DELETE = apiRoute("deleteTrustPolicy", async ({ actor, params }) => {
  refuseScopedToken(actor);
  await deleteTrustPolicy({ actor, id: params.id! });
  return noContent();
});

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
