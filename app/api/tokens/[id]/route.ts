import { apiRoute, noContent, otherMethods } from "@/lib/api/route";
import { revokeToken } from "@/lib/tokens/manage-tokens";

// DELETE /api/tokens/:id (admin) — revokes the token; it stops working at once
export const DELETE = apiRoute("revokeToken", async ({ actor, params }) => {
  await revokeToken({ actor, id: params.id! });
  return noContent();
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
