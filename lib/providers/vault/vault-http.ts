import type { ProviderConfig } from "../definition";
import { parseRetryAfter } from "../upstream/call-upstream";
import { providerError, sanitizeUpstreamText } from "../upstream/errors";
import { vaultDefinition } from "./definition";

/**
 * One GET against Vault's HTTP API: token and namespace headers, no redirects followed (a
 * redirect would carry the token to another host), and a 1 MiB cap on the reply.
 */
export const MAX_REPLY_BYTES = 1024 * 1024;
const PROVIDER = vaultDefinition.name;

/** A non-2xx answer; `body` is the parsed JSON when there was any (a 404 can carry metadata). */
export class VaultHttpError extends Error {
  constructor(
    readonly status: number,
    readonly apiPath: string,
    readonly body: unknown,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`Vault answered HTTP ${status}`);
    this.name = "VaultHttpError";
  }

  /** Vault's `errors` array, first entry, made safe to show. */
  upstreamMessage(config: ProviderConfig): string {
    const errors = (this.body as { errors?: unknown } | null)?.errors;
    return Array.isArray(errors) ? sanitizeUpstreamText(errors[0], [config.token]) : "";
  }

  warnings(): string[] {
    const warnings = (this.body as { warnings?: unknown } | null)?.warnings;
    return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === "string") : [];
  }
}

export async function vaultGet(config: ProviderConfig, apiPath: string, query: string, signal: AbortSignal): Promise<unknown> {
  const base = (config.vaultUrl ?? "").replace(/\/+$/, "");
  const encoded = apiPath.split("/").map(encodeURIComponent).join("/");
  const headers: Record<string, string> = { "X-Vault-Token": config.token ?? "", Accept: "application/json" };
  if (config.namespace) headers["X-Vault-Namespace"] = config.namespace;
  const response = await fetch(`${base}/v1/${encoded}${query}`, { headers, redirect: "manual", signal });

  const text = await readCapped(response);
  if (text === null) {
    throw providerError(PROVIDER, `the reply for ${apiPath} is larger than ${MAX_REPLY_BYTES} bytes`, { upstreamStatus: response.status });
  }
  let body: unknown = null;
  let parsed = false;
  try {
    body = text ? JSON.parse(text) : null;
    parsed = true;
  } catch {
    // A proxy's HTML error page or a truncated body: only fatal for a successful status.
  }
  if (response.status >= 200 && response.status < 300) {
    if (!parsed || typeof body !== "object" || body === null) {
      throw providerError(PROVIDER, `malformed reply for ${apiPath}: not a JSON object`, { upstreamStatus: response.status });
    }
    return body;
  }
  throw new VaultHttpError(response.status, apiPath, body, parseRetryAfter(response.headers.get("retry-after")));
}

/** The body as text, or null when it is larger than the cap (checked as it streams in). */
async function readCapped(response: Response): Promise<string | null> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_REPLY_BYTES) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_REPLY_BYTES) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
