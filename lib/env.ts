import { z } from "zod";

/**
 * The server's configuration, parsed once from the environment. Nothing else reads `process.env`
 * for settings. Parsing is lazy so that scripts and tests can set variables before first use.
 */
const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const optionalText = z
  .string()
  .optional()
  .transform((v) => v?.trim() || undefined);

const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** A shared key someone could otherwise guess: at least 16 characters when set. */
const notificationKey = optionalText.refine((v) => v === undefined || v.length >= 16, { message: "must be at least 16 characters" });

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1).default("file:./data/provenance.db"),
  SECRETS_MASTER_KEY: z.string().optional(),
  SECRETS_MASTER_KEY_PREVIOUS: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  /** Empty counts as unset (next-auth reads it the same way): redirects then follow the browser's address. */
  NEXTAUTH_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
  PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: booleanFlag,
  /** Believe X-Forwarded-For and X-Forwarded-Proto (only behind your own proxy). */
  PROVENANCE_TRUST_PROXY: booleanFlag,
  /** How many proxies of your own append to X-Forwarded-For: the client is that many entries from the right. */
  PROVENANCE_TRUSTED_PROXY_COUNT: z.coerce.number().int().min(1).max(20).default(1),
  /** Answer bearer-token resolves before Next routes them (lib/api/fast-path.ts); on by default. */
  PROVENANCE_FAST_PATH: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  PROVENANCE_ADMIN_EMAIL: z.string().optional(),
  PROVENANCE_ADMIN_PASSWORD: z.string().optional(),
  /** Upstream call timeout for external secret managers, in milliseconds. */
  PROVENANCE_PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  PORT: z.coerce.number().int().positive().default(3000),
  /** How long a value fetched from an external manager is reused, unless the secret sets cacheTtlSeconds. */
  PROVENANCE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(300),
  /** How long past its TTL a cached value may still be served while its manager is failing. */
  PROVENANCE_CACHE_MAX_STALE_SECONDS: z.coerce.number().int().min(0).default(3600),
  PROVENANCE_CACHE_MAX_ENTRIES: z.coerce.number().int().positive().default(10_000),
  PROVENANCE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /** Secrets one token (or signed-in user) may resolve per minute, a batch counting each path; 0 turns the limit off. */
  PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60000),
  /** Connection tests one token (or signed-in user) may run per connection per minute; 0 turns the limit off. */
  PROVENANCE_TEST_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Bytes of values one batch resolve may return; paths past it get the per-path error response_too_large. */
  PROVENANCE_RESOLVE_BATCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /** Batch resolves one token (or signed-in user) may have in flight at once, per instance; 0 turns the bound off. */
  PROVENANCE_RESOLVE_BATCHES_IN_FLIGHT: z.coerce.number().int().min(0).default(4),
  /** Largest value accepted from an external manager, in bytes; 0 means only the 1 MiB reply cap applies. */
  PROVENANCE_MAX_EXTERNAL_VALUE_BYTES: z.coerce.number().int().min(0).default(0),
  /**
   * Sockets one provider connection may open at once (HTTP-based managers; GCP multiplexes one
   * HTTP/2 connection). 32: a batch's reads of one connection go out together, so a batch of up to
   * 32 Vault or Azure secrets takes one round trip instead of two.
   */
  PROVENANCE_PROVIDER_MAX_SOCKETS: z.coerce.number().int().positive().default(32),
  /**
   * Folders a connection's workload-identity token file (Vault jwtFile, …) may be read from,
   * separated by ":". A connection names a file; only these folders are ever read, so an admin
   * cannot make the server send, say, its own .env to an address of their choosing.
   */
  PROVENANCE_TOKEN_FILE_DIRS: z
    .string()
    .default("/var/run/secrets:/run/secrets")
    .transform((v) =>
      v
        .split(":")
        .map((d) => d.trim())
        .filter((d) => d.startsWith("/")),
    ),
  /**
   * Where GCP connections call IAM Credentials generateAccessToken (impersonateServiceAccount): a
   * private endpoint (Private Service Connect) instead of Google's public one. The operator's choice,
   * never a connection's; checked by the same rules as provider URLs.
   */
  PROVENANCE_GCP_IAM_CREDENTIALS_URL: z.string().trim().default("https://iamcredentials.googleapis.com"),
  /** The upstream refresh of external secrets (lib/refresh): on unless `false` or `0`. */
  PROVENANCE_REFRESH: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  /** How often each instance looks for secrets due for an upstream check, in milliseconds. */
  PROVENANCE_REFRESH_TICK_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
  /** Upstream checks one instance runs at once. */
  PROVENANCE_REFRESH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Days audit events are kept; older ones are pruned hourly. 0 keeps them forever. */
  PROVENANCE_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  /**
   * Also write each audit event as a JSON line: unset (off), `stdout`, or an absolute file path.
   * Absolute because the server runs in another folder than the one it was started from.
   */
  PROVENANCE_AUDIT_STREAM: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || v === "stdout" || v.startsWith("/"), {
      message: "must be `stdout` or an absolute file path such as /var/log/provenance/audit.jsonl",
    }),
  /**
   * Where change events are POSTed (lib/webhooks): an https URL (http only with
   * PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS=true), never a metadata address. Unset: no webhook.
   */
  PROVENANCE_WEBHOOK_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
  /** The HMAC-SHA256 key of the webhook's Provenance-Signature header; required with the URL. */
  PROVENANCE_WEBHOOK_SECRET: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /** Attempts per webhook delivery before it is given up (audited as webhook.failed). */
  PROVENANCE_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** Wait before the first webhook retry; each later one doubles it (30 s: 8 attempts span about an hour). */
  PROVENANCE_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  /** Failed OIDC token exchanges (POST /api/auth/token-exchange) allowed per source address, per minute; 0 turns the limit off. */
  PROVENANCE_TOKEN_EXCHANGE_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /**
   * Inbound change notifications (POST /api/notifications/<source>, lib/notifications): each source
   * is off until its setting is given. AWS: the SNS topic ARNs whose messages are accepted
   * (comma-separated); the signing certificate must come from a URL matching the pattern.
   */
  PROVENANCE_NOTIFY_AWS_TOPIC_ARNS: commaList,
  PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN: z
    .string()
    .trim()
    .default("^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[^?#]+\\.pem$")
    .refine(isRegex, { message: "must be a regular expression" }),
  /** GCP Pub/Sub push: the audience of the push subscription's OIDC token (turns the source on), its service account, its issuer. */
  PROVENANCE_NOTIFY_GCP_AUDIENCE: optionalText,
  PROVENANCE_NOTIFY_GCP_SERVICE_ACCOUNT: optionalText,
  PROVENANCE_NOTIFY_GCP_ISSUER: z.string().trim().default("https://accounts.google.com"),
  /** Azure Event Grid: the shared key the subscription's webhook URL carries (?key=) or sends (X-Provenance-Key). */
  PROVENANCE_NOTIFY_AZURE_KEY: notificationKey,
  /** The generic signed webhook: the HMAC-SHA256 key. */
  PROVENANCE_NOTIFY_WEBHOOK_KEY: notificationKey,
  /** Failed notifications allowed per source address, per minute; 0 turns the limit off. */
  PROVENANCE_NOTIFY_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Failed sign-ins allowed per account from one address, per 15 minutes. */
  PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: z.coerce.number().int().min(0).default(10),
  /** Failed sign-ins allowed from one address across all accounts, per 15 minutes. */
  PROVENANCE_SIGNIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(0).default(50),
  /** Failed sign-ins allowed per account from all addresses, per hour (addresses it signed in from before are exempt). */
  PROVENANCE_SIGNIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(0).default(100),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Tests and the CLI change the environment between runs; this forgets the parsed copy. */
export function resetEnvForTests(): void {
  cached = undefined;
}

/** The dashboard's public URL (NEXTAUTH_URL, default http://localhost:$PORT): what links and redirects are built on. */
export function publicUrl(): string {
  return env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`;
}

export function isSqliteUrl(url: string): boolean {
  return url.startsWith("file:");
}
