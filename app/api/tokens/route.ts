import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { createToken, listTokens } from "@/lib/tokens/manage-tokens";
import type { CreatedToken } from "@/lib/tokens/token-view";

// GET /api/tokens (admin) — every token, never its secret or hash
export const GET = apiRoute("listTokens", async () => json(await listTokens()));

// POST /api/tokens (admin) {name, role, scope?, expiresInDays?} — 201 {token, ...}; the token is shown this once
export const POST = apiRoute("createToken", async ({ actor, body }) => {
  const { token, view } = await createToken({ actor, input: await body() });
  return json({ ...view, token } satisfies CreatedToken, 201);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
