import type { InterpretedFailure } from "../upstream/call-upstream";
import { OUTSIDE_TEXT_MAX_CHARS } from "@/lib/validation/text";
import { providerError, providerTimeout } from "../upstream/errors";
import type { FailureStage } from "../upstream/failure-stage";
import { gcpSmDefinition } from "./definition";

/**
 * gRPC errors from google-gax → AppError, by status code. The status `details` text is not
 * passed through (it can quote resource names back at length); the code name is.
 */
const PROVIDER = gcpSmDefinition.name;

const STATUS_NAMES: Record<number, string> = {
  1: "CANCELLED",
  2: "UNKNOWN",
  3: "INVALID_ARGUMENT",
  4: "DEADLINE_EXCEEDED",
  5: "NOT_FOUND",
  6: "ALREADY_EXISTS",
  7: "PERMISSION_DENIED",
  8: "RESOURCE_EXHAUSTED",
  9: "FAILED_PRECONDITION",
  10: "ABORTED",
  11: "OUT_OF_RANGE",
  12: "UNIMPLEMENTED",
  13: "INTERNAL",
  14: "UNAVAILABLE",
  15: "DATA_LOSS",
  16: "UNAUTHENTICATED",
};

interface GrpcErrorShape {
  code?: unknown;
  message?: string;
  statusDetails?: unknown[];
}

/** google.rpc.RetryInfo in the status details: the server's own "retry after". */
function retryDelayMs(details: unknown[] | undefined): number | undefined {
  for (const detail of details ?? []) {
    const delay = (detail as { retryDelay?: { seconds?: unknown; nanos?: unknown } } | null)?.retryDelay;
    if (delay) return Number(delay.seconds ?? 0) * 1000 + Math.round(Number(delay.nanos ?? 0) / 1e6);
  }
  return undefined;
}

const UNREACHABLE: Array<{ pattern: RegExp; stage: FailureStage; reason: string }> = [
  { pattern: /Name resolution failed|ENOTFOUND|EAI_AGAIN|DNS resolution failed/i, stage: "dns", reason: "the host name does not resolve" },
  {
    pattern: /certificate|SSL|TLS|handshake/i,
    stage: "tls",
    reason: "the TLS handshake failed (the server's certificate is not trusted, or it does not speak TLS)",
  },
  {
    pattern: /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|No connection established|Connection dropped/i,
    stage: "tcp",
    reason: "no connection could be made",
  },
];

function unreachable(message: string): { stage: FailureStage; reason: string } | null {
  return UNREACHABLE.find(({ pattern }) => pattern.test(message)) ?? null;
}

export function interpretGcpError(error: unknown, name: string): InterpretedFailure {
  const e = (error ?? {}) as GrpcErrorShape;
  // Looked at only for a few words; a hostile reply's megabyte of text is never scanned whole.
  const message = typeof e.message === "string" ? e.message.slice(0, OUTSIDE_TEXT_MAX_CHARS) : "";
  if (typeof e.code !== "number") {
    if (/default credentials/i.test(message)) {
      return {
        error: providerError(PROVIDER, "no credentials: set serviceAccountJson or give the server application default credentials", {
          upstreamCode: "NoDefaultCredentials",
          stage: "auth",
        }),
        retryable: false,
      };
    }
    if (/private key|PEM|DECODER|asn1/i.test(message)) {
      return {
        error: providerError(PROVIDER, "the service account's private_key could not be used to sign in", { stage: "auth" }),
        retryable: false,
      };
    }
    return { error: providerError(PROVIDER, `the request for ${name} failed before reaching the service`), retryable: false };
  }

  const code = STATUS_NAMES[e.code] ?? `GRPC_${e.code}`;
  const upstream = { upstreamCode: code, upstreamStatus: e.code };
  const fail = (reason: string, extra: Record<string, unknown> = {}, retryable = false): InterpretedFailure => {
    const retryAfterMs = retryable ? retryDelayMs(e.statusDetails) : undefined;
    return {
      error: providerError(PROVIDER, reason, { ...upstream, ...extra }),
      retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  };
  switch (e.code) {
    case 4:
      return { error: providerTimeout(PROVIDER, 0, ""), retryable: false };
    case 5:
      return fail(`secret version ${name} not found (${code})`, { stage: "not_found" });
    case 7:
      return fail(`permission denied on ${name} (${code})`, {
        hint: "The service account needs roles/secretmanager.secretAccessor (secretmanager.versions.access) on the secret or project.",
        stage: "permission",
      });
    case 16:
      return fail(`the credentials were rejected (${code})`, {
        hint: "Check serviceAccountJson: the key may be deleted or disabled.",
        stage: "auth",
      });
    case 9:
      return fail(`secret version ${name} is disabled or destroyed (${code})`);
    case 3:
      return fail(`invalid secret name ${name} (${code})`);
    case 8:
      return fail(`quota exceeded reading ${name} (${code})`, {}, true);
    case 14: {
      // grpc-js says in words why no call was made: a name that does not resolve, a connection
      // refused, a failed handshake. Those are worded like the HTTP providers' network failures.
      const network = unreachable(message);
      if (network) return fail(`cannot reach the service: ${network.reason} (${code})`, { stage: network.stage }, network.stage !== "dns");
      return fail(`service unavailable reading ${name} (${code})`, {}, true);
    }
    case 13:
      return fail(`service error reading ${name} (${code})`, {}, true);
    default:
      return fail(`request for ${name} failed (${code})`);
  }
}
