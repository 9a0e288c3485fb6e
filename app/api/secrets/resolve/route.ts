import { apiRoute, json, otherMethods } from "@/lib/api/route";
import { validationError } from "@/lib/errors";
import { resolveSecret, resolveSecrets } from "@/lib/secrets/resolve/resolve-secrets";

// GET /api/secrets/resolve?path=stripe.apiKey — the value, for editors, admins and tokens whose scope covers it
export const GET = apiRoute("editor", async ({ actor, query, receivedAt }) => {
  const path = query.get("path");
  if (!path) throw validationError({ path: "Required: the secret path to resolve, e.g. ?path=stripe.apiKey" });
  return json(await resolveSecret({ actor, path, askedAt: receivedAt }));
});

// POST /api/secrets/resolve {paths: [...]} or {prefix} — {values, errors}; one failure never fails the rest
export const POST = apiRoute("editor", async ({ actor, body, receivedAt }) => json(await resolveSecrets({ actor, input: await body(), askedAt: receivedAt })));

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
