import { AppError, isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { countUpstreamCall, countUpstreamFailure } from "@/lib/usage/usage-meter";
import { providerTimeout } from "./errors";
import { metadataAddressRefusal } from "./guarded-lookup";

/**
 * One upstream call with a hard deadline and bounded retries, shared by every adapter.
 *
 * - The deadline covers the whole call, retries and waits included. The attempt is raced against
 *   it, so even an SDK that ignores the abort signal cannot make us hang past `timeoutMs`.
 * - Only what the adapter marks retryable (throttling, 5xx / UNAVAILABLE, a reset connection) is
 *   retried, at most `maxAttempts` times in all, with exponential backoff and full jitter
 *   (a random wait in [0, base * 2^n]) so many callers hitting a throttled service spread out.
 * - A server's Retry-After is honoured exactly; when it would end past the deadline we stop and
 *   report the throttling at once instead of sleeping into a timeout.
 */
export interface Attempt {
  /** Aborts when the deadline passes: hand it to the SDK or fetch. */
  signal: AbortSignal;
  /** Milliseconds left before the deadline, for SDKs that take a per-call timeout. */
  remainingMs: number;
  attempt: number;
}

export interface InterpretedFailure {
  /** The error to throw if this is the last attempt (or not retryable). A provider_timeout here
   *  (the SDK's own timer or abort) is re-worded by callUpstream with the real budget. */
  error: AppError;
  retryable: boolean;
  /** A wait the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
}

export interface CallUpstreamOptions<T> {
  provider: string;
  /** Ends the timeout message: "fetching prod/stripe". */
  doing: string;
  timeoutMs: number;
  maxAttempts?: number;
  run: (attempt: Attempt) => Promise<T>;
  /** Turns whatever the SDK threw into an AppError and a retry decision. */
  interpret: (error: unknown) => InterpretedFailure;
  /** The connection the call is made for (AdapterContext.connectionKey): each attempt counts as one of its calls (lib/usage). */
  connectionKey?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 2_000;

export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)));
}

const DEADLINE = Symbol("deadline");

export async function callUpstream<T>(options: CallUpstreamOptions<T>): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const deadlineAt = Date.now() + options.timeoutMs;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException("the upstream deadline passed", "TimeoutError"));
      reject(DEADLINE);
    }, options.timeoutMs);
  });
  deadline.catch(() => {});
  const timedOut = () => providerTimeout(options.provider, options.timeoutMs, options.doing);

  try {
    // Every attempt is a request the manager counts (and bills); a failed one is also an error.
    const failed = (error: AppError): AppError => {
      if (options.connectionKey) countUpstreamFailure(options.connectionKey, error);
      return error;
    };
    for (let attempt = 1; ; attempt++) {
      try {
        if (options.connectionKey) countUpstreamCall(options.connectionKey);
        const pending = options.run({ signal: controller.signal, remainingMs: deadlineAt - Date.now(), attempt });
        pending.catch(() => {}); // the loser of the race must not become an unhandled rejection
        return await Promise.race([pending, deadline]);
      } catch (error) {
        if (error === DEADLINE || controller.signal.aborted || Date.now() >= deadlineAt) throw failed(timedOut());
        // Adapters throw AppErrors themselves for replies they cannot use (malformed, too large).
        if (isAppError(error)) throw failed(error);
        // A refused DNS answer surfaces inside whatever the SDK wraps it in; it is never retried.
        const refused = metadataAddressRefusal(options.provider, error);
        if (refused) throw failed(refused);
        const failure = options.interpret(error);
        if (failure.error.code === "provider_timeout") throw failed(timedOut());
        failed(failure.error);
        if (!failure.retryable) throw failure.error;
        if (attempt >= maxAttempts) throw withAttempts(failure.error, attempt);
        const waitMs = failure.retryAfterMs ?? backoffDelayMs(attempt);
        if (Date.now() + waitMs >= deadlineAt) throw withAttempts(failure.error, attempt);
        log.debug("retrying upstream call", {
          provider: options.provider,
          attempt,
          waitMs,
          upstreamCode: failure.error.extra.upstreamCode,
        });
        await Promise.race([sleep(waitMs), deadline]).catch(() => {
          throw timedOut();
        });
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

function withAttempts(error: AppError, attempts: number): AppError {
  if (attempts <= 1) return error;
  return new AppError(error.code, `${error.message} after ${attempts} attempts`, { ...error.extra, attempts });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retry-After in seconds or as an HTTP date, as milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
