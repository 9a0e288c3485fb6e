import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { fetchOutbound } from "./fetch-outbound";
import { malformed, notAuthentic } from "./notification-error";
import { isObject, parseJsonText, type NotificationInput, type SourceOutcome } from "./notification-input";
import { parseSnsMessage, verifySnsMessage, type SnsMessage } from "./sns-message";
import type { UpstreamName } from "./upstream-name";

/**
 * AWS: an EventBridge rule for Secrets Manager's CloudTrail events targets an SNS topic, whose
 * HTTPS subscription is this endpoint. The subscription confirms itself: a SubscriptionConfirmation
 * from an accepted topic, signed by SNS, is confirmed by fetching its SubscribeURL, which must be on
 * the signing certificate's own host. A Notification's Message is the EventBridge event.
 */

/** Secrets Manager calls after which a secret's value (or whether it can be read) may differ. */
export const AWS_CHANGE_EVENTS = new Set([
  "PutSecretValue",
  "UpdateSecret",
  "RotateSecret",
  "RotationSucceeded",
  "UpdateSecretVersionStage",
  "RestoreSecret",
  "DeleteSecret",
  "CancelRotateSecret",
]);

export async function receiveAwsSns(input: NotificationInput): Promise<SourceOutcome> {
  const message = parseSnsMessage(parseJsonText(input.text));
  await verifySnsMessage(message);
  if (message.Type === "SubscriptionConfirmation") {
    await confirmSubscription(message);
    return { event: "SubscriptionConfirmation", names: [], ignored: "subscription confirmed" };
  }
  if (message.Type === "UnsubscribeConfirmation")
    return { event: "UnsubscribeConfirmation", names: [], ignored: "the subscription was removed" };
  return namesInEvent(message.Message);
}

async function confirmSubscription(message: SnsMessage): Promise<void> {
  let subscribe: URL;
  try {
    subscribe = new URL(message.SubscribeURL!);
  } catch {
    throw malformed("SubscribeURL", "SubscribeURL is not a URL");
  }
  // The certificate URL passed the configured pattern; the confirmation goes to that same host only.
  if (subscribe.origin !== new URL(message.SigningCertURL).origin || subscribe.searchParams.get("Action") !== "ConfirmSubscription") {
    throw notAuthentic("SubscribeURL is not a ConfirmSubscription call on the signing certificate's host");
  }
  try {
    await fetchOutbound(subscribe.href, "SNS subscription confirmation");
  } catch (error) {
    throw new AppError(
      "provider_error",
      `AWS SNS: the subscription to ${message.TopicArn} could not be confirmed: ${(error as Error).message}.`,
    );
  }
  log.info("confirmed an SNS subscription for change notifications", { topicArn: message.TopicArn });
}

/** The secrets an EventBridge event for Secrets Manager names: its request's secretId, its ARNs. */
export function namesInEvent(messageText: string): SourceOutcome {
  let event: unknown;
  try {
    event = JSON.parse(messageText);
  } catch {
    throw malformed("Message", "the SNS message is not an EventBridge event (JSON)");
  }
  if (!isObject(event) || !isObject(event.detail)) throw malformed("Message", "the EventBridge event has no detail");
  const detail = event.detail;
  const eventName =
    typeof detail.eventName === "string" ? detail.eventName.slice(0, 100) : String(event["detail-type"] ?? "unknown").slice(0, 100);
  if (event.source !== "aws.secretsmanager") return { event: eventName, names: [], ignored: "not a Secrets Manager event" };
  if (!AWS_CHANGE_EVENTS.has(eventName)) return { event: eventName, names: [], ignored: "this call does not change a value" };
  const ids = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string" && value.length > 0 && value.length <= 2048) ids.add(value);
  };
  const fromObject = (value: unknown, key: string) => (isObject(value) ? add(value[key]) : undefined);
  fromObject(detail.requestParameters, "secretId");
  fromObject(detail.requestParameters, "name");
  fromObject(detail.responseElements, "arn");
  fromObject(detail.additionalEventData, "SecretId");
  if (Array.isArray(event.resources)) event.resources.slice(0, 20).forEach(add);
  const names: UpstreamName[] = [...ids].map((id) => ({ type: "aws-sm", id }));
  if (names.length === 0)
    throw malformed("Message", "the Secrets Manager event names no secret (detail.requestParameters.secretId or resources)");
  return { event: eventName, names };
}
