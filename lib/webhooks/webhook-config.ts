import { env } from "@/lib/env";
import { checkProviderUrl } from "@/lib/providers/url-rules";

/**
 * The outgoing webhook's settings, checked at start-up (lib/boot/boot.ts): a URL set without a
 * secret, too short a secret, or a URL the provider rules refuse stops the server with a message
 * saying which, rather than running with change events silently unsent or unsigned.
 */
export interface WebhookConfig {
  url: URL;
  secret: string;
  maxAttempts: number;
  retryBaseMs: number;
}

/** Shortest PROVENANCE_WEBHOOK_SECRET accepted: 128 bits of a random hex or base64 string. */
export const MIN_SECRET_LENGTH = 16;

/** The configured webhook, null when PROVENANCE_WEBHOOK_URL is unset; throws on a bad configuration. */
export function webhookConfig(): WebhookConfig | null {
  const { PROVENANCE_WEBHOOK_URL: url, PROVENANCE_WEBHOOK_SECRET: secret } = env();
  if (!url) {
    if (secret) throw new Error("PROVENANCE_WEBHOOK_SECRET is set but PROVENANCE_WEBHOOK_URL is not; set both, or neither.");
    return null;
  }
  const problem = checkProviderUrl(url, { allowInsecure: env().PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS });
  // The message names the rule, not the URL: a webhook URL often carries a token in its path.
  if (problem) throw new Error(`PROVENANCE_WEBHOOK_URL is refused: ${problem}.`);
  if (!secret) {
    throw new Error(
      "PROVENANCE_WEBHOOK_URL is set but PROVENANCE_WEBHOOK_SECRET is not: every delivery is signed with it, so receivers can tell them from forgeries. Set a random string of at least 16 characters (e.g. `openssl rand -hex 32`).",
    );
  }
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`PROVENANCE_WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters.`);
  return {
    url: new URL(url),
    secret,
    maxAttempts: env().PROVENANCE_WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: env().PROVENANCE_WEBHOOK_RETRY_BASE_MS,
  };
}

/** Scheme, host and port only: what logs may say about where deliveries go. */
export function webhookOrigin(url: URL): string {
  return url.origin;
}
