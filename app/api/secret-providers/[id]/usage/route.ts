import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { connectionUsage } from "@/lib/usage/read-usage";

// GET /api/secret-providers/:id/usage?window=24h|7d|30d — upstream calls, errors, throttling, cache answers and list-price cost, per UTC day
export const GET = apiRoute("getConnectionUsage", async ({ actor, params, query }) =>
  json(await connectionUsage({ actor, id: params.id!, window: query.get("window") })),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
