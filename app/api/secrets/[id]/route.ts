import { apiRoute, json, noContent, otherMethods, type RouteContext } from "@/lib/api/route";
import { etagFor, expectedVersion } from "@/lib/api/etag";
import { getSecret } from "@/lib/secrets/read-secrets";
import { deleteSecret, updateSecret } from "@/lib/secrets/write-secrets";

// GET /api/secrets/:id — one secret's metadata with its ETag (never the value)
export const GET = apiRoute("getSecret", async ({ actor, params }) => {
  const secret = await getSecret({ actor, id: params.id! });
  return json(secret, 200, { ETag: etagFor(secret.version) });
});

// PUT|PATCH /api/secrets/:id — members left out keep their value; If-Match honoured
async function update({ actor, params, body, request }: RouteContext) {
  const secret = await updateSecret({ actor, id: params.id!, input: await body(), expectedVersion: expectedVersion(request.headers) });
  return json(secret, 200, { ETag: etagFor(secret.version) });
}
export const PUT = apiRoute("updateSecret", update);
export const PATCH = apiRoute("patchSecret", update);

// DELETE /api/secrets/:id — 204
export const DELETE = apiRoute("deleteSecret", async ({ actor, params }) => {
  await deleteSecret({ actor, id: params.id! });
  return noContent();
});

export const { POST } = otherMethods("GET", "PUT", "PATCH", "DELETE");
