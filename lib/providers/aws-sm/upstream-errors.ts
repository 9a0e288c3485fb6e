import type { InterpretedFailure } from "../upstream/call-upstream";
import { OUTSIDE_TEXT_MAX_CHARS } from "@/lib/validation/text";
import { isTransientNetworkFailure, networkFailure, providerError, providerTimeout, upstreamCode } from "../upstream/errors";
import { awsSmDefinition } from "./definition";

/**
 * AWS SDK v3 errors → AppError. Reasons are built from the error's name (the AWS error code) and
 * HTTP status; AWS's own message is never passed through (it can name principals and resources).
 */
const PROVIDER = awsSmDefinition.name;

const THROTTLING = new Set(["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttling"]);
const BAD_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "MissingAuthenticationToken",
]);

interface AwsErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

export function interpretAwsError(error: unknown, path: string): InterpretedFailure {
  const e = (error ?? {}) as AwsErrorShape;
  // The name comes from the service's reply: only a short code-shaped name is used.
  const code = upstreamCode(e.name);
  // Looked at only for a few words; a hostile reply's megabyte of text is never scanned whole.
  const message = typeof e.message === "string" ? e.message.slice(0, OUTSIDE_TEXT_MAX_CHARS) : "";
  const status = e.$metadata?.httpStatusCode;
  const upstream = { upstreamCode: code, upstreamStatus: status };
  const fail = (reason: string, extra: Record<string, unknown> = {}, retryable = false): InterpretedFailure => ({
    error: providerError(PROVIDER, reason, { ...upstream, ...extra }),
    retryable,
  });

  if (code === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return {
      error: providerError(PROVIDER, "no credentials: set accessKeyId/secretAccessKey or give the server an IAM role", {
        upstreamCode: "CredentialsProviderError",
        stage: "auth",
      }),
      retryable: false,
    };
  }
  // Checked before the name: the SDK names a reset socket "TimeoutError" too (code ECONNRESET).
  const network = status === undefined ? networkFailure(error) : null;
  if (network) {
    return {
      error: providerError(PROVIDER, `cannot reach the service: ${network.reason} (${network.code})`, { upstreamCode: network.code }),
      retryable: isTransientNetworkFailure(network.code),
    };
  }
  // The SDK's own requestTimeout (ETIMEDOUT) or our abort signal: callUpstream words the timeout.
  if (code === "TimeoutError" || code === "AbortError") {
    return { error: providerTimeout(PROVIDER, 0, ""), retryable: false };
  }
  if (code === "SyntaxError" || /Deserialization error/i.test(message)) {
    return fail("malformed reply: the response was not the JSON Secrets Manager sends", { upstreamCode: "MalformedReply" });
  }

  switch (code) {
    case "ResourceNotFoundException":
      return fail(`secret ${path} not found (${code})`, { stage: "not_found" });
    case "AccessDeniedException": {
      const kms = /kms/i.test(message);
      const actions = kms
        ? "secretsmanager:GetSecretValue on the secret and kms:Decrypt on its KMS key"
        : "secretsmanager:GetSecretValue on the secret";
      return fail(`access denied reading ${path} (${code})`, { hint: `The IAM identity needs ${actions}.`, stage: "permission" });
    }
    case "DecryptionFailure":
      return fail(`cannot decrypt ${path} (${code})`, {
        hint: "The IAM identity needs kms:Decrypt on the secret's KMS key.",
        stage: "permission",
      });
    case "InvalidRequestException":
      return fail(`request refused for ${path} (${code})`, {
        hint: "The secret may be scheduled for deletion, or the version stage/ID may not exist.",
      });
    case "InvalidParameterException":
      return fail(`invalid secret name, ARN or version for ${path} (${code})`);
  }
  if (BAD_CREDENTIALS.has(code)) {
    return fail(`the credentials were rejected (${code})`, {
      hint: "Check accessKeyId and secretAccessKey, and the region.",
      stage: "auth",
    });
  }
  if (THROTTLING.has(code) || status === 429) return fail(`throttled while reading ${path} (${code})`, {}, true);
  if (status !== undefined && status >= 500) return fail(`service error reading ${path} (${code}, HTTP ${status})`, {}, true);
  return fail(`request for ${path} failed (${code}${status ? `, HTTP ${status}` : ""})`);
}
