import { env } from "@/lib/env";
import { decodeJws, isAcceptedAlgorithm, signatureVerifies } from "@/lib/trust-policies/jws";
import { IdTokenRefusal } from "@/lib/trust-policies/id-token-error";
import { issuerKeys } from "@/lib/trust-policies/issuer-keys";
import { malformed, notAuthentic } from "./notification-error";
import { isObject, parseJsonText, type NotificationInput, type SourceOutcome } from "./notification-input";

/**
 * GCP: Secret Manager publishes its events to a Pub/Sub topic; a push subscription with
 * authentication posts them here with an OIDC ID token (Authorization: Bearer) that Google signs
 * for the subscription's service account and audience. The token is checked against the issuer's
 * published keys (PROVENANCE_NOTIFY_GCP_ISSUER, discovered like any OIDC issuer), its audience
 * (PROVENANCE_NOTIFY_GCP_AUDIENCE) and, when configured, its service account's email.
 */

/** Secret Manager event types after which a secret's value (or whether it can be read) may differ. */
export const GCP_CHANGE_EVENTS = new Set([
  "SECRET_VERSION_ADD",
  "SECRET_VERSION_ENABLE",
  "SECRET_VERSION_DISABLE",
  "SECRET_VERSION_DESTROY",
  "SECRET_DELETE",
  "SECRET_UPDATE",
]);

const CLOCK_SKEW_S = 60;
const GOOGLE = "https://accounts.google.com";

export async function receiveGcpPubsub(input: NotificationInput): Promise<SourceOutcome> {
  await verifyPushToken(input.headers.get("authorization"), input.now);
  const body = parseJsonText(input.text);
  if (!isObject(body) || !isObject(body.message)) throw malformed("message", "a Pub/Sub push carries message");
  const attributes = isObject(body.message.attributes) ? body.message.attributes : {};
  const eventType = typeof attributes.eventType === "string" ? attributes.eventType.slice(0, 100) : "";
  const secretId = attributes.secretId;
  if (!eventType) throw malformed("message.attributes.eventType", "a Secret Manager event carries the eventType attribute");
  if (!GCP_CHANGE_EVENTS.has(eventType)) return { event: eventType, names: [], ignored: "this event does not change a value" };
  if (typeof secretId !== "string" || !/^projects\/[^/]{1,100}\/secrets\/[^/]{1,255}$/.test(secretId)) {
    throw malformed("message.attributes.secretId", "secretId must be projects/<project>/secrets/<secret>");
  }
  return { event: eventType, names: [{ type: "gcp-sm", resource: secretId }] };
}

async function verifyPushToken(authorization: string | null, now: number): Promise<void> {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? "");
  if (!match) throw notAuthentic("a Pub/Sub push carries its OIDC token in Authorization: Bearer");
  const {
    PROVENANCE_NOTIFY_GCP_ISSUER: issuer,
    PROVENANCE_NOTIFY_GCP_AUDIENCE: audience,
    PROVENANCE_NOTIFY_GCP_SERVICE_ACCOUNT: account,
  } = env();
  let jws;
  try {
    jws = decodeJws(match[1]!);
  } catch (error) {
    if (error instanceof IdTokenRefusal) throw notAuthentic("the bearer token is not a well-formed signed JWT");
    throw error;
  }
  const { header, payload } = jws;
  if (!isAcceptedAlgorithm(header.alg)) throw notAuthentic("the token's signing algorithm is not accepted");
  // Google's tokens say iss https://accounts.google.com or, in older ones, accounts.google.com.
  if (payload.iss !== issuer && !(issuer === GOOGLE && payload.iss === "accounts.google.com"))
    throw notAuthentic("the token's issuer is not PROVENANCE_NOTIFY_GCP_ISSUER");
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(audience)) throw notAuthentic("the token's audience is not PROVENANCE_NOTIFY_GCP_AUDIENCE");
  const seconds = now / 1000;
  if (typeof payload.exp !== "number" || payload.exp + CLOCK_SKEW_S < seconds) throw notAuthentic("the token has expired or has no exp");
  if (typeof payload.iat === "number" && payload.iat - CLOCK_SKEW_S > seconds) throw notAuthentic("the token is not valid yet");
  if (typeof payload.nbf === "number" && payload.nbf - CLOCK_SKEW_S > seconds) throw notAuthentic("the token is not valid yet");
  if (account !== undefined && (payload.email !== account || payload.email_verified !== true)) {
    throw notAuthentic("the token is not for the service account PROVENANCE_NOTIFY_GCP_SERVICE_ACCOUNT");
  }
  const keys = await issuerKeys(issuer, header.kid, now);
  if (keys.length === 0) throw notAuthentic("the token is signed with a key its issuer does not publish");
  if (!keys.some((key) => signatureVerifies(jws, key))) throw notAuthentic("the token's signature does not verify with its issuer's keys");
}
