import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { consume, describeWait } from "@/lib/rate-limit/sliding-window";
import { secretsNamed } from "./match-secrets";
import type { NotificationInput } from "./notification-input";
import type { EventGridValidationReply, NotificationReply, NotificationSource } from "./notification-reply";
import { isNotificationSource, SOURCES } from "./notification-sources";
import { refreshNow } from "./refresh-now";
import type { UpstreamName } from "./upstream-name";

/**
 * POST /api/notifications/<source>: a manager says a secret changed upstream. The notification is
 * authenticated by its source's own signature (no session or token), its upstream names are
 * matched to the external secrets that reference them, and those are refreshed at once.
 *
 * Refused notifications are counted per source address; past PROVENANCE_NOTIFY_FAILURES_PER_MINUTE
 * further refusals from that address answer 429 and are no longer audited, so a flood of forgeries
 * costs one signature check each and writes nothing. Authentic notifications are never counted or
 * held back: the managers deliver from shared cloud addresses, and someone else's forgeries from
 * the same address must not delay ours. (The expensive checks are bounded on their own: certificates
 * are fetched only from SNS addresses and kept, key sets are refetched at most once a minute.)
 * Every other outcome is audited as notification.received, without the token, key or signature sent.
 */

const AUDITED_NAMES = 20;
const AUDITED_SECRETS = 50;

export async function receiveNotification(options: {
  source: string;
  input: NotificationInput;
  sourceIp: string | null;
}): Promise<NotificationReply | EventGridValidationReply> {
  const { input, sourceIp } = options;
  const source = options.source;
  if (!isNotificationSource(source))
    throw new AppError("not_found", "There is no such notification source (aws-sns, gcp-pubsub, azure-eventgrid, webhook).");
  const definition = SOURCES[source];
  if (!definition.enabled())
    throw new AppError("not_found", `Notifications from ${source} are not configured on this server (${definition.setting}).`);

  const actor = { kind: "system" as const, label: `${source} notification` };
  let outcome;
  try {
    outcome = await definition.receive(input);
  } catch (error) {
    if (isAppError(error)) await noteRefusal(source, error, sourceIp, actor);
    throw error;
  }

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

/** Counts a refusal; within the limit it is logged and audited, past it the answer becomes 429. */
async function noteRefusal(
  source: NotificationSource,
  error: AppError,
  sourceIp: string | null,
  actor: { kind: "system"; label: string },
): Promise<void> {
  const counted = await consume(
    { name: "notification.refused", limit: env().PROVENANCE_NOTIFY_FAILURES_PER_MINUTE, windowMs: 60_000 },
    sourceIp ?? "unknown",
  );
  if (!counted.allowed) {
    throw new AppError(
      "rate_limited",
      `Too many refused notifications from this address. Try again in ${describeWait(counted.retryAfterSeconds)}.`,
      {
        retryAfterSeconds: counted.retryAfterSeconds,
      },
    );
  }
  // The message names the check that failed; it never holds what was sent.
  log.warn("notification refused", { source, code: error.code, reason: error.message, sourceIp });
  await recordAudit({
    actor,
    action: "notification.received",
    target: { type: "notification", label: source },
    outcome: error.code === "unauthorized" ? "denied" : "failure",
    sourceIp,
    details: { source, code: error.code, reason: error.message },
  });
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
