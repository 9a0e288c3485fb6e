import { apiRoute } from "@/lib/api/route";
import { openWatchStream } from "@/lib/secrets/watch/watch-stream";

/**
 * GET /api/secrets/watch?prefix=P for anyone who may resolve (editors, admins, tokens: scope-limited).
 * Served through Next's route handler and, for bearer tokens on a Node server, the fast path.
 */
export const watchEndpoint = {
  GET: apiRoute("watchSecrets", async ({ actor, query, request }) =>
    openWatchStream({ actor, prefix: query.get("prefix") ?? "", lastEventId: request.headers.get("last-event-id") }),
  ),
};
