import { AppError } from "@/lib/errors";
import type { EventGridValidationReply } from "./notification-reply";

/** What the route hands a source: the raw body (signatures cover its exact text), headers, query. */
export interface NotificationInput {
  text: string;
  headers: Headers;
  query: URLSearchParams;
  now: number;
}

/** What a source made of a notification: the upstream names it announces, or why nothing. */
export interface SourceOutcome {
  /** The manager's name for what happened (PutSecretValue, SECRET_VERSION_ADD, …), for the audit and the reply. */
  event: string;
  names: import("./upstream-name").UpstreamName[];
  /** Set when the notification was authentic but announces nothing to refresh. */
  ignored?: string;
  /** Answers the source expects instead of the usual one (Event Grid's validation handshake). */
  reply?: EventGridValidationReply;
}

/** The body as JSON; SNS sends it as text/plain, so the media type is not checked. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") throw new AppError("invalid_json", "The notification has no body.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The notification body is not valid JSON.");
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
