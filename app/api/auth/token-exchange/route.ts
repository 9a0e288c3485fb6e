import { readJsonBody } from "@/lib/api/read-json-body";
import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { sourceIp } from "@/lib/api/source-ip";
import { exchangeIdToken } from "@/lib/trust-policies/exchange-id-token";

// POST /api/auth/token-exchange {token: "<OIDC ID token>"} (no other auth) — 201 {token, expiresAt, role, scope, policy};
// 401 unauthorized with the reason; 429 per source address. Takes no cookie, so there is no cross-site request to refuse.
export const POST = publicRoute(async (request) => {
  const result = await exchangeIdToken({ input: await readJsonBody(request), sourceIp: sourceIp(request.headers) });
  return json(result, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
