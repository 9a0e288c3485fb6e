import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { listSecrets, listSecretsPage } from "@/lib/secrets/read-secrets";
import { createSecret } from "@/lib/secrets/write-secrets";

// GET /api/secrets[?prefix=a.b&provider=vault&secretProviderId=…][&limit=N&cursor=C] — metadata only, never values.
// Always a JSON array; with `limit`, a page in secretPath order whose successor is named by the
// Link (rel="next") and X-Next-Cursor headers. Without `limit` or `cursor`, the whole list.
export const GET = apiRoute("listSecrets", async ({ actor, query, request }) => {
  const filter = { prefix: query.get("prefix"), provider: query.get("provider"), secretProviderId: query.get("secretProviderId") };
  const limit = query.get("limit");
  const cursor = query.get("cursor");
  if (limit === null && cursor === null) return json(await listSecrets({ actor, filter }));
  const page = await listSecretsPage({ actor, filter, page: { limit, cursor } });
  return json(page.secrets, 200, page.nextCursor ? nextPageHeaders(request, page.nextCursor) : undefined);
});

/** The same request with the next cursor: every other parameter (filters, limit) carries over. */
function nextPageHeaders(request: Request, nextCursor: string): Record<string, string> {
  const url = new URL(request.url);
  url.searchParams.set("cursor", nextCursor);
  return { Link: `<${url.pathname}?${url.searchParams.toString()}>; rel="next"`, "X-Next-Cursor": nextCursor };
}

// POST /api/secrets — 201 + secret; 409 path_taken; 400 validation_error with fields
export const POST = apiRoute("createSecret", async ({ actor, body }) => json(await createSecret({ actor, input: await body() }), 201));

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
