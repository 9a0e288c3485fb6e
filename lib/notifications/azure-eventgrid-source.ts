import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { malformed, notAuthentic } from "./notification-error";
import { isObject, parseJsonText, type NotificationInput, type SourceOutcome } from "./notification-input";
import type { UpstreamName } from "./upstream-name";

/**
 * Azure: an Event Grid subscription on the key vault (Event Grid schema) delivers to this endpoint's
 * URL with `?key=<PROVENANCE_NOTIFY_AZURE_KEY>` (or the key in an X-Provenance-Key delivery header).
 * The key is compared in constant time before anything in the body is read, the validation handshake
 * included: a SubscriptionValidationEvent is answered with its code, so only a subscription that
 * knows the key can be created against this server.
 */
const VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent";
export const AZURE_CHANGE_EVENTS = new Set(["Microsoft.KeyVault.SecretNewVersionCreated"]);
const MAX_EVENTS = 100;

export function sameKey(sent: string | null, expected: string): boolean {
  if (sent === null) return false;
  // Digests first: equal lengths for timingSafeEqual, and the key's length is not revealed.
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

export async function receiveAzureEventGrid(input: NotificationInput): Promise<SourceOutcome> {
  const sent = input.headers.get("x-provenance-key") ?? input.query.get("key");
  if (!sameKey(sent, env().PROVENANCE_NOTIFY_AZURE_KEY!))
    throw notAuthentic("the Event Grid key is missing or wrong (?key= or X-Provenance-Key)");
  const body = parseJsonText(input.text);
  const events = Array.isArray(body) ? body : [body];
  if (events.length === 0 || events.length > MAX_EVENTS || !events.every(isObject))
    throw malformed("body", `an Event Grid delivery is an array of 1 to ${MAX_EVENTS} events`);
  const validation = events.find((event) => event.eventType === VALIDATION);
  if (validation) {
    const code = isObject(validation.data) ? validation.data.validationCode : undefined;
    if (typeof code !== "string" || code.length > 200)
      throw malformed("data.validationCode", "a validation event carries data.validationCode");
    return { event: VALIDATION, names: [], ignored: "subscription validated", reply: { validationResponse: code } };
  }
  const names: UpstreamName[] = [];
  const types = new Set<string>();
  for (const event of events) {
    const type = typeof event.eventType === "string" ? event.eventType.slice(0, 100) : "unknown";
    types.add(type);
    if (!AZURE_CHANGE_EVENTS.has(type)) continue;
    const data = isObject(event.data) ? event.data : {};
    const { VaultName: vaultName, ObjectName: objectName, Id: objectUrl } = data;
    if (typeof vaultName !== "string" || typeof objectName !== "string" || vaultName.length > 100 || objectName.length > 200) {
      throw malformed("data.ObjectName", "a Key Vault event carries data.VaultName and data.ObjectName");
    }
    names.push({
      type: "azure-kv",
      vaultName,
      objectName,
      ...(typeof objectUrl === "string" && objectUrl.length <= 2048 ? { objectUrl } : {}),
    });
  }
  const event = [...types].join(",").slice(0, 200);
  return names.length > 0 ? { event, names } : { event, names, ignored: "no event changes a secret's value" };
}
