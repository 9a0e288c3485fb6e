import { readBodyText } from "@/lib/api/read-json-body";
import { json, otherMethods, publicRoute } from "@/lib/api/route";
import { sourceIp } from "@/lib/api/source-ip";
import { receiveNotification } from "@/lib/notifications/receive-notification";

// POST /api/notifications/:source (aws-sns, gcp-pubsub, azure-eventgrid, webhook) — no session or token: each source's own
// signature authenticates it; 200 {source, event, matched[, ignored]} (Event Grid's handshake: {validationResponse});
// 404 when the source is not configured, 401 when the signature does not hold, 429 per source address after failures.
export const POST = publicRoute(async (request) => {
  const url = new URL(request.url);
  // The last segment as sent: source names need no decoding, and a malformed escape must not throw.
  const source = url.pathname.split("/").pop() ?? "";
  const text = await readBodyText(request);
  const reply = await receiveNotification({
    source,
    input: { text, headers: request.headers, query: url.searchParams, now: Date.now() },
    sourceIp: sourceIp(request.headers),
  });
  return json(reply);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
