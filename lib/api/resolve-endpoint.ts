import { apiRoute, json } from "@/lib/api/route";
import { validationError } from "@/lib/errors";
import { resolveSecret, resolveSecrets } from "@/lib/secrets/resolve/resolve-secrets";

/**
 * The resolve endpoint's handlers, served through two doors: Next's route handler
 * (app/api/secrets/resolve/route.ts, what runs on Vercel and serves signed-in users) and the fast
 * path in front of Next (lib/api/fast-path.ts) for bearer tokens on a Node server. Both call these,
 * so authentication, scope, limits and audit have one implementation.
 */
export const resolveEndpoint = {
  // GET /api/secrets/resolve?path=stripe.apiKey — the value, for editors, admins and tokens whose scope covers it
  GET: apiRoute("resolveSecret", async ({ actor, query, receivedAt }) => {
    const path = query.get("path");
    if (!path) throw validationError({ path: "Required: the secret path to resolve, e.g. ?path=stripe.apiKey" });
    return json(await resolveSecret({ actor, path, askedAt: receivedAt }));
  }),

  // POST /api/secrets/resolve {paths: [...]} or {prefix} — {values, errors}; one failure never fails the rest
  POST: apiRoute("resolveSecrets", async ({ actor, body, receivedAt }) =>
    json(await resolveSecrets({ actor, input: await body(), askedAt: receivedAt })),
  ),
};
