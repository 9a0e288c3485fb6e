import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";
import { malformed, notAuthentic } from "./notification-error";
import { parseJsonText, type NotificationInput, type SourceOutcome } from "./notification-input";

/**
 * The generic signed webhook (Vault, or anything that can sign a request): the body names the
 * upstream path or name as the secrets' providerPath spells it, optionally the connection; headers
 * carry X-Provenance-Timestamp (Unix seconds) and X-Provenance-Signature: sha256=<hex of
 * HMAC-SHA256(PROVENANCE_NOTIFY_WEBHOOK_KEY, "<timestamp>.<body>")>. A timestamp more than five
 * minutes away from the server's clock is refused, so a captured request cannot be replayed later
 * (within the window a replay only causes one more re-read).
 */
export const REPLAY_WINDOW_S = 300;

const webhookBody = z.object({ path: z.string().trim().min(1).max(1024), connectionId: z.string().min(1).max(100).optional() }).strict();

export function webhookSignature(key: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", key).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

export async function receiveSignedWebhook(input: NotificationInput): Promise<SourceOutcome> {
  const timestamp = input.headers.get("x-provenance-timestamp") ?? "";
  const signature = input.headers.get("x-provenance-signature") ?? "";
  if (!/^\d{1,12}$/.test(timestamp)) throw notAuthentic("X-Provenance-Timestamp must be the Unix time in seconds");
  if (Math.abs(input.now / 1000 - Number(timestamp)) > REPLAY_WINDOW_S)
    throw notAuthentic(`X-Provenance-Timestamp is more than ${REPLAY_WINDOW_S / 60} minutes from the server's clock`);
  const expected = Buffer.from(webhookSignature(env().PROVENANCE_NOTIFY_WEBHOOK_KEY!, timestamp, input.text));
  const sent = Buffer.from(signature);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
    throw notAuthentic("X-Provenance-Signature does not match the body and timestamp");
  const parsed = webhookBody.safeParse(parseJsonText(input.text));
  if (!parsed.success) throw malformed(parsed.error.issues[0]?.path.join(".") || "path", "the body is {path, connectionId?}");
  const { path, connectionId } = parsed.data;
  return { event: "webhook", names: [{ type: "any", path, ...(connectionId !== undefined ? { connectionId } : {}) }] };
}
