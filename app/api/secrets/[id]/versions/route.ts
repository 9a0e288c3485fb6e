import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { listSecretVersions } from "@/lib/lineage/read-versions";

// GET /api/secrets/:id/versions — every version seen, newest first: keyed fingerprint (never the value), first/last seen, last read, distinct readers
export const GET = apiRoute("listSecretVersions", async ({ actor, params }) => json(await listSecretVersions({ actor, id: params.id! })));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
