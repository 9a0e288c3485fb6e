import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { CircuitBreaker, FAILURES_TO_OPEN, OPEN_MS } from "./circuit-breaker";
import { providerError, providerTimeout } from "./errors";

const timeout = () => providerTimeout("HashiCorp Vault", 1000, "fetching a/b");
const refused = () => providerError("HashiCorp Vault", "cannot reach h: refused (ECONNREFUSED)", { upstreamCode: "ECONNREFUSED" });
const notFound = () => providerError("HashiCorp Vault", "secret a/b not found (HTTP 404)", { upstreamStatus: 404 });

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof AppError ? String(error.extra.upstreamCode ?? error.code) : "other";
  }
}

describe("CircuitBreaker", () => {
  it("opens after consecutive timeouts or refusals, fails fast while open, and tries again after", async () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker(() => now);
    let calls = 0;
    const failing = (make: () => AppError) => () => {
      calls++;
      return Promise.reject(make());
    };
    for (let i = 0; i < FAILURES_TO_OPEN; i++) await outcome(breaker.run("c1", "HashiCorp Vault", failing(i % 2 ? timeout : refused)));
    expect(calls).toBe(FAILURES_TO_OPEN);

    const fast = breaker.run("c1", "HashiCorp Vault", failing(timeout));
    await expect(fast).rejects.toThrow(
      /not tried: the last 5 calls to this connection timed out or could not connect; trying again in 5 s/,
    );
    expect(calls).toBe(FAILURES_TO_OPEN); // not called
    expect(await outcome(breaker.run("other", "HashiCorp Vault", () => Promise.resolve(1)))).toBe("ok"); // per connection

    now += OPEN_MS;
    expect(await outcome(breaker.run("c1", "HashiCorp Vault", failing(timeout)))).toBe("provider_timeout");
    expect(await outcome(breaker.run("c1", "HashiCorp Vault", failing(timeout)))).toBe("CircuitOpen"); // one more failure re-opens
    now += OPEN_MS;
    expect(await outcome(breaker.run("c1", "HashiCorp Vault", () => Promise.resolve(1)))).toBe("ok");
    expect(await outcome(breaker.run("c1", "HashiCorp Vault", failing(timeout)))).toBe("provider_timeout"); // closed again
  });

  it("counts calls that were in flight together (a batch's worth timing out at once)", async () => {
    const breaker = new CircuitBreaker();
    await Promise.all(Array.from({ length: 32 }, () => outcome(breaker.run("c", "Vault", () => Promise.reject(timeout())))));
    expect(await outcome(breaker.run("c", "Vault", () => Promise.resolve(1)))).toBe("CircuitOpen");
  });

  it("an answer of any kind (a 404) resets the count", async () => {
    const breaker = new CircuitBreaker();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < FAILURES_TO_OPEN - 1; i++) await outcome(breaker.run("c", "Vault", () => Promise.reject(timeout())));
      expect(await outcome(breaker.run("c", "Vault", () => Promise.reject(notFound())))).toBe("provider_error");
    }
    expect(await outcome(breaker.run("c", "Vault", () => Promise.reject(timeout())))).toBe("provider_timeout");
  });
});
