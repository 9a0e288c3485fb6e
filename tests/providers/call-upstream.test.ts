import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { backoffDelayMs, callUpstream, parseRetryAfter, type InterpretedFailure } from "@/lib/providers/upstream/call-upstream";
import { ConnectionCache } from "@/lib/providers/upstream/connection-cache";
import { providerError, sanitizeUpstreamText } from "@/lib/providers/upstream/errors";
import { appErrorFrom, DEADLINE_SLACK_MS } from "./support/app-errors";

const base = { provider: "Test Manager", doing: "fetching a/b" };
const retryable = (retryAfterMs?: number): InterpretedFailure => ({
  error: providerError("Test Manager", "busy"),
  retryable: true,
  ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
});
const permanent: InterpretedFailure = { error: providerError("Test Manager", "gone"), retryable: false };

describe("callUpstream", () => {
  it("keeps its deadline even when the call ignores the abort signal", async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const error = await appErrorFrom(
      callUpstream({
        ...base,
        timeoutMs: 150,
        run: (attempt) => ((signal = attempt.signal), new Promise(() => {})),
        interpret: () => permanent,
      }),
    );
    expect(Date.now() - started).toBeLessThan(150 + DEADLINE_SLACK_MS);
    expect(error).toMatchObject({ code: "provider_timeout", status: 504, message: "Test Manager: timed out after 150 ms fetching a/b" });
    expect(signal?.aborted).toBe(true);
  });

  it("retries only what is retryable, at most maxAttempts times", async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error("upstream"));
    };
    const error = await appErrorFrom(callUpstream({ ...base, timeoutMs: 5_000, run: failing, interpret: () => retryable() }));
    expect(calls).toBe(3);
    expect(error.message).toBe("Test Manager: busy after 3 attempts");
    calls = 0;
    await appErrorFrom(callUpstream({ ...base, timeoutMs: 5_000, run: failing, interpret: () => permanent }));
    expect(calls).toBe(1);
  });

  it("passes AppErrors thrown by the call straight through", async () => {
    const own = new AppError("provider_error", "Test Manager: malformed reply");
    let calls = 0;
    const error = await appErrorFrom(
      callUpstream({ ...base, timeoutMs: 1_000, run: () => (calls++, Promise.reject(own)), interpret: () => retryable() }),
    );
    expect(error).toBe(own);
    expect(calls).toBe(1);
  });

  it("honours Retry-After, and fails at once when it would end past the deadline", async () => {
    let calls = 0;
    const started = Date.now();
    const value = await callUpstream({
      ...base,
      timeoutMs: 2_000,
      run: () => (++calls === 1 ? Promise.reject(new Error("429")) : Promise.resolve("ok")),
      interpret: () => retryable(300),
    });
    expect(value).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const quick = Date.now();
    const error = await appErrorFrom(
      callUpstream({ ...base, timeoutMs: 1_000, run: () => Promise.reject(new Error("429")), interpret: () => retryable(60_000) }),
    );
    expect(error.code).toBe("provider_error");
    expect(Date.now() - quick).toBeLessThan(DEADLINE_SLACK_MS);
  });

  it("backs off exponentially with full jitter, capped", () => {
    expect(backoffDelayMs(1, () => 0)).toBe(0);
    expect(backoffDelayMs(1, () => 0.999)).toBeLessThan(100);
    expect(backoffDelayMs(3, () => 0.999)).toBeGreaterThan(390);
    expect(backoffDelayMs(20, () => 0.999)).toBeLessThan(2_000);
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("ConnectionCache", () => {
  it("shares one creation per key, does not keep failures, and forgets by connection id only", async () => {
    const disposed: string[] = [];
    const cache = new ConnectionCache<string>((value) => disposed.push(value));
    let created = 0;
    const make = (value: string) => () => (created++, Promise.resolve(value));
    const [a, b] = await Promise.all([cache.get("conn1:1", make("one")), cache.get("conn1:1", make("other"))]);
    expect([a, b, created]).toEqual(["one", "one", 1]);
    await cache.get("conn10:1", make("ten"));
    await expect(cache.get("conn2:1", () => Promise.reject(new Error("no")))).rejects.toThrow();
    await Promise.resolve();
    expect(cache.size).toBe(2);
    cache.forget("conn1");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(disposed).toEqual(["one"]);
    expect(cache.size).toBe(1);
  });
});

describe("sanitizeUpstreamText", () => {
  it("removes credentials, masks token-like text, and keeps one short line", () => {
    const text = sanitizeUpstreamText("denied for s3cr3t-value\nwith hvs.abcdefghijklmnop " + "x".repeat(300), ["s3cr3t-value"]);
    expect(text).not.toContain("s3cr3t-value");
    expect(text).not.toContain("hvs.abcdefghijklmnop");
    expect(text).not.toContain("\n");
    expect(text.length).toBeLessThanOrEqual(160);
  });
});
