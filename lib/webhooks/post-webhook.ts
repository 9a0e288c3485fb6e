import http from "node:http";
import https from "node:https";
import { guardedAgent } from "@/lib/providers/upstream/guarded-lookup";
import { readCapped } from "@/lib/providers/upstream/reply-size";
import { SIGNATURE_HEADER, signatureHeader } from "./webhook-signature";

/**
 * One delivery attempt: a signed POST of the event's JSON body. The address passes the provider
 * rules again after DNS (the guarded agent: never a metadata address, also by rebinding); redirects
 * are not followed (a 3xx is a failure); the whole attempt has one deadline; the reply is read to at
 * most REPLY_CAP_BYTES and dropped. Only 2xx counts as delivered.
 */
export const ATTEMPT_TIMEOUT_MS = 10_000;
const REPLY_CAP_BYTES = 64 * 1024;

export type AttemptResult = { ok: true; status: number } | { ok: false; error: string };

const agents: Record<"http:" | "https:", http.Agent | undefined> = { "http:": undefined, "https:": undefined };

export function postWebhook(options: {
  url: URL;
  secret: string;
  body: string;
  eventId: string;
  eventType: string;
  attempt: number;
  signal?: AbortSignal;
  now?: () => number;
}): Promise<AttemptResult> {
  const { url } = options;
  const protocol = url.protocol as "http:" | "https:";
  const agent = (agents[protocol] ??= guardedAgent(protocol));
  const unixSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const request = (protocol === "https:" ? https : http).request(
      url,
      {
        method: "POST",
        agent,
        signal: options.signal,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(options.body),
          "user-agent": "Provenance-Webhook/1",
          [SIGNATURE_HEADER]: signatureHeader(options.secret, options.body, unixSeconds),
          "Provenance-Event-Id": options.eventId,
          "Provenance-Event-Type": options.eventType,
          "Provenance-Delivery-Attempt": String(options.attempt),
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        // Read (capped) and dropped: a receiver's reply says nothing we keep, only its status does.
        readCapped(response, undefined, REPLY_CAP_BYTES).then(
          () => finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, error: failureText(status) }),
          () => finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, error: failureText(status) }),
        );
      },
    );
    // One deadline for the whole attempt: a receiver that drips bytes never resets it.
    const deadline = setTimeout(() => request.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })), ATTEMPT_TIMEOUT_MS);
    deadline.unref();
    request.on("close", () => clearTimeout(deadline));
    request.on("error", (error) => finish({ ok: false, error: networkError(error) }));
    request.end(options.body);
  });
}

function failureText(status: number): string {
  return status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
}

/** An error code (ECONNREFUSED, ETIMEDOUT, …), never the message: it could name the URL and its path. */
function networkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code))
    return code === "EPROVENANCE_METADATA_ADDRESS" ? "the host resolves to a metadata address" : code;
  return error.name === "AbortError" ? "aborted" : "network error";
}
