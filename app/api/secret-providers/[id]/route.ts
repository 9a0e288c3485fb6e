import { apiRoute, json, noContent, otherMethods, type RouteContext } from "@/lib/api/route";
import { getConnection } from "@/lib/secret-providers/read-connections";
import { deleteConnection, updateConnection } from "@/lib/secret-providers/write-connections";
import { etagFor, expectedVersion } from "@/lib/api/etag";

// GET /api/secret-providers/:id — one connection, sensitive fields masked, with its ETag
export const GET = apiRoute("getConnection", async ({ actor, params }) => {
  const connection = await getConnection(params.id!, { scope: actor.scope });
  return json(connection, 200, { ETag: etagFor(connection.version) });
});

// PUT|PATCH /api/secret-providers/:id — config merged key by key; ••••••••  keeps a stored secret; If-Match honoured
async function update({ actor, params, body, request }: RouteContext) {
  const connection = await updateConnection({
    actor,
    id: params.id!,
    input: await body(),
    expectedVersion: expectedVersion(request.headers),
  });
  return json(connection, 200, { ETag: etagFor(connection.version) });
}
export const PUT = apiRoute("updateConnection", update);
export const PATCH = apiRoute("patchConnection", update);

// DELETE /api/secret-providers/:id — 204; 409 provider_in_use while secrets reference it
export const DELETE = apiRoute("deleteConnection", async ({ actor, params }) => {
  await deleteConnection({ actor, id: params.id! });
  return noContent();
});

export const { POST } = otherMethods("GET", "PUT", "PATCH", "DELETE");
