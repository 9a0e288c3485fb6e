import { AppError } from "@/lib/errors";
import { OutboundGetError, outboundGet } from "@/lib/providers/upstream/outbound-get";

/**
 * One GET of an issuer's discovery document or JWKS, under the outbound rules of `outboundGet`, at
 * most 256 KiB, parsed as a JSON object. Failures are 502 provider_error (504 provider_timeout
 * when it did not answer in time) naming the issuer and what went wrong: the token may be fine,
 * the server could not check it.
 */
const MAX_DOCUMENT_BYTES = 256 * 1024;

export async function fetchIssuerJson(issuer: string, url: string, what: string): Promise<Record<string, unknown>> {
  let body: Buffer;
  try {
    body = await outboundGet(url, { maxBytes: MAX_DOCUMENT_BYTES, accept: "application/json" });
  } catch (error) {
    if (!(error instanceof OutboundGetError)) throw error;
    if (error.timedOut) throw new AppError("provider_timeout", `OIDC issuer ${issuer}: its ${what} ${error.reason}.`);
    throw issuerError(issuer, `its ${what} ${error.reason}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw issuerError(issuer, `its ${what} is not JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw issuerError(issuer, `its ${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

export function issuerError(issuer: string, reason: string): AppError {
  return new AppError("provider_error", `OIDC issuer ${issuer}: ${reason}.`);
}
