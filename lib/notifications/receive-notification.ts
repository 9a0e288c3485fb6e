import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { consume, describeWait } from "@/lib/rate-limit/sliding-window";
import { secretsNamed } from "./match-secrets";
import type { NotificationInput } from "./notification-input";
import { isNotificationSource, SOURCES, type NotificationSource } from "./notification-sources";
import { refreshNow } from "./refresh-now";
import type { UpstreamName } from "./upstream-name";

/**
 * POST /api/notifications/<source>: a manager says a secret changed upstream. The notification is
 * authenticated by its source's own signature (no session or token), its upstream names are
 * matched to the external secrets that reference them, and those are refreshed at once.
 *
 * Failed notifications are counted per source address before the expensive checks (a certificate
 * or key-set fetch) and refunded when the notification proves authentic, so a flood of forgeries
 * is cut off at PROVENANCE_NOTIFY_FAILURES_PER_MINUTE while a busy topic never is. Every outcome
 * is audited as notification.received, without the token, key or signature sent.
 */
export interface NotificationReply {
  source: NotificationSource;
  event: string;
  /** How many external secrets the notification named and were refreshed. */
  matched: number;
  ignored?: string;
}

const AUDITED_NAMES = 20;
const AUDITED_SECRETS = 50;

export async function receiveNotification(options: { source: string; input: NotificationInput; sourceIp: string | null }): Promise<NotificationReply | Record<string, unknown>> {
  const { input, sourceIp } = options;
  const source = options.source;
  if (!isNotificationSource(source)) throw new AppError("not_found", "There is no such notification source (aws-sns, gcp-pubsub, azure-eventgrid, webhook).");
  const definition = SOURCES[source];
  if (!definition.enabled()) throw new AppError("not_found", `Notifications from ${source} are not configured on this server (${definition.setting}).`);

  const attempt = await consume({ name: "notification.address", limit: env().PROVENANCE_NOTIFY_FAILURES_PER_MINUTE, windowMs: 60_000 }, sourceIp ?? "unknown");
  if (!attempt.allowed) {
    throw new AppError("rate_limited", `Too many refused notifications from this address. Try again in ${describeWait(attempt.retryAfterSeconds)}.`, {
      retryAfterSeconds: attempt.retryAfterSeconds,
    });
  }
  const actor = { kind: "system" as const, label: `${source} notification` };
  let outcome;
  try {
    outcome = await definition.receive(input);
  } catch (error) {
    if (isAppError(error)) {
      // The message names the check that failed; it never holds what was sent.
      log.warn("notification refused", { source, code: error.code, reason: error.message, sourceIp });
      await recordAudit({ actor, action: "notification.received", target: { type: "notification", label: source }, outcome: error.code === "unauthorized" ? "denied" : "failure", sourceIp, details: { source, code: error.code, reason: error.message } });
    }
    throw error;
  }
  await attempt.hit?.refund();

  const matched = outcome.names.length > 0 ? await secretsNamed(outcome.names) : [];
  await refreshNow(matched.map((secret) => secret.id));
  await recordAudit({
    actor,
    action: "notification.received",
    target: { type: "notification", label: source },
    outcome: "success",
    sourceIp,
    details: {
      source,
      event: outcome.event,
      upstream: outcome.names.slice(0, AUDITED_NAMES).map(describeName),
      matched: matched.length,
      secrets: matched.slice(0, AUDITED_SECRETS).map((secret) => secret.secretPath),
      ...(outcome.ignored ? { ignored: outcome.ignored } : {}),
    },
  });
  if (outcome.reply) return outcome.reply;
  return { source, event: outcome.event, matched: matched.length, ...(outcome.ignored ? { ignored: outcome.ignored } : {}) };
}

function describeName(name: UpstreamName): string {
  switch (name.type) {
    case "aws-sm":
      return name.id;
    case "gcp-sm":
      return name.resource;
    case "azure-kv":
      return `${name.vaultName}/${name.objectName}`;
    case "any":
      return name.connectionId ? `${name.connectionId}:${name.path}` : name.path;
  }
}
