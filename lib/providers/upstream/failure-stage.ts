/**
 * Where along the way an upstream call failed, the same words for every provider: the name did
 * not resolve (dns), no connection was made (tcp), the TLS handshake failed (tls), the
 * credentials were refused (auth), signed in but not allowed (permission), the thing asked for
 * is not there (not_found), no answer in time (timeout), or anything else (other).
 * Adapters set it on their errors (ProviderErrorExtra.stage); network codes set it by themselves.
 */
export const FAILURE_STAGES = ["dns", "tcp", "tls", "auth", "permission", "not_found", "timeout", "other"] as const;
export type FailureStage = (typeof FAILURE_STAGES)[number];

export function isFailureStage(value: unknown): value is FailureStage {
  return typeof value === "string" && (FAILURE_STAGES as readonly string[]).includes(value);
}

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN"]);
const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const TCP_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "ECONNABORTED",
  "ETIMEDOUT",
]);

/** The stage a network error code (networkFailure's codes) belongs to; null for anything else. */
export function networkStage(code: unknown): FailureStage | null {
  if (typeof code !== "string") return null;
  if (DNS_CODES.has(code)) return "dns";
  if (TLS_CODES.has(code)) return "tls";
  if (TCP_CODES.has(code)) return "tcp";
  return null;
}

/** The stage's name as people read it. */
export const STAGE_LABELS: Record<FailureStage, string> = {
  dns: "DNS",
  tcp: "TCP connection",
  tls: "TLS",
  auth: "Authentication",
  permission: "Permission",
  not_found: "Not found",
  timeout: "Timeout",
  other: "Request",
};
