import { AppError } from "@/lib/errors";
import { boundOutsideText, OUTSIDE_TEXT_MAX_CHARS } from "@/lib/validation/text";
import { redact } from "@/lib/log";
import { networkStage, type FailureStage } from "./failure-stage";

/**
 * The two ways an upstream call fails, worded the same for every provider:
 * "<Provider>: <reason>" (502 provider_error) and "<Provider>: timed out after N ms <doing>"
 * (504 provider_timeout). Reasons are built by the adapters from upstream codes, never by passing
 * an SDK message through, because SDK messages can echo request data.
 */
export interface ProviderErrorExtra {
  /** What the user can change to fix it, e.g. the IAM action the identity lacks. */
  hint?: string;
  /** Where the call failed (failure-stage.ts); set from a network code when not given. */
  stage?: FailureStage;
  upstreamStatus?: number;
  upstreamCode?: string;
  [key: string]: unknown;
}

export function providerError(provider: string, reason: string, extra: ProviderErrorExtra = {}): AppError {
  const stage = extra.stage ?? networkStage(extra.upstreamCode) ?? undefined;
  const clean = Object.fromEntries(
    Object.entries({ ...extra, stage })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? boundedMessage(v) : v]),
  );
  return new AppError("provider_error", boundedMessage(`${provider}: ${reason}`), clean);
}

export function providerTimeout(provider: string, timeoutMs: number, doing: string): AppError {
  return new AppError("provider_timeout", `${provider}: timed out after ${timeoutMs} ms ${doing}`, { timeoutMs, stage: "timeout" });
}

/** "fetching prod/stripe" / "checking the connection": the tail of a timeout message. */
export function fetchingPath(path: string): string {
  return `fetching ${path}`;
}
export const CHECKING_CONNECTION = "checking the connection";
/**
 * How a connection check's made-up secret name (one that cannot exist, read to prove the address
 * and credentials) is called in messages: the random name itself means nothing to the reader.
 */
export const CHECK_SECRET = "a test secret";

/**
 * A short upstream message that is safe to show: one line, at most 160 characters, with anything
 * that looks like a token or key masked and every given credential value removed outright.
 *
 * The text is cut FIRST (to 1 KiB plus the longest credential, so that a credential straddling
 * the cut is still found whole), and only then stripped and redacted: a hostile server's megabyte
 * of error text costs the same as a kilobyte.
 */
export function sanitizeUpstreamText(text: unknown, credentials: readonly (string | undefined)[] = []): string {
  if (typeof text !== "string") return "";
  const longest = Math.max(0, ...credentials.map((c) => c?.length ?? 0));
  let out = boundOutsideText(text, OUTSIDE_TEXT_MAX_CHARS + longest);
  for (const credential of credentials) {
    if (credential && credential.length >= 4) out = out.split(credential).join("[redacted]");
  }
  out = redact(out).replace(/\s+/g, " ").trim();
  return out.length > 160 ? `${out.slice(0, 157)}...` : out;
}

/**
 * An upstream-derived code (an AWS error name, an Azure error code, an OAuth error): a short token
 * of letters, digits and `._:-`, or "Error" when it is anything else. Never free text.
 */
export function upstreamCode(value: unknown, fallback = "Error"): string {
  return typeof value === "string" && /^[A-Za-z0-9._:-]{1,100}$/.test(value) ? value : fallback;
}

/**
 * The last fence for every provider message: whatever an adapter built from upstream pieces, the
 * message is at most MAX_MESSAGE_CHARS and holds no control characters, so a 502 body, the stored
 * last-test message and a log line stay one bounded line.
 */
const MAX_MESSAGE_CHARS = 600;

function boundedMessage(text: string): string {
  const clean = boundOutsideText(text, MAX_MESSAGE_CHARS + 1);
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS - 3)}...` : clean;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNRESET: "the connection was reset",
  ECONNREFUSED: "the connection was refused",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve (temporary DNS failure)",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  EPIPE: "the connection was closed while sending",
  UND_ERR_SOCKET: "the connection was closed by the server",
  UND_ERR_CONNECT_TIMEOUT: "connecting timed out",
  ECONNABORTED: "the connection was aborted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate is not trusted",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match its host name",
};

/** Network-level failure (no HTTP answer), found anywhere in an error's cause chain. */
export function networkFailure(error: unknown): { code: string; reason: string } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES[code]) return { code, reason: NETWORK_CODES[code] };
    const message = (current as { message?: unknown }).message;
    if (typeof message === "string" && /socket hang up|other side closed/i.test(message.slice(0, OUTSIDE_TEXT_MAX_CHARS))) {
      return { code: "ECONNRESET", reason: NETWORK_CODES.ECONNRESET! };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** A reset can happen to any idempotent read in flight; like gRPC's UNAVAILABLE it is worth one more try. */
export function isTransientNetworkFailure(code: string): boolean {
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE";
}

/** A redirect to another origin, refused rather than followed: credentials stay with the configured address. */
export function crossOriginRedirect(provider: string, status: number, from: string, location: string | undefined): AppError | null {
  if (!location) return null;
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return null;
  }
  if (target.origin === new URL(from).origin) return null;
  return providerError(
    provider,
    `redirected to another host (${target.host}, HTTP ${status}); redirects to another host are not followed`,
    {
      upstreamStatus: status,
      hint: "Point the connection at the service's own address, not one that redirects.",
    },
  );
}

/**
 * AWS's SDK never follows a redirect and reports it as a failed request: worded here so it says
 * why. Null for anything else.
 */
export function redirectRefusal(provider: string, error: unknown, doing: string): AppError | null {
  const status = ((error ?? {}) as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  if (typeof status !== "number" || status < 300 || status > 399) return null;
  return providerError(provider, `redirected instead of answering ${doing} (HTTP ${status}); redirects are not followed`, {
    upstreamStatus: status,
    hint: "Point the connection at the service's own address, not one that redirects.",
  });
}
