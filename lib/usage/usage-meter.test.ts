import { describe, expect, it } from "vitest";
import { providerError } from "@/lib/providers/upstream/errors";
import { callUpstream } from "@/lib/providers/upstream/call-upstream";
import { isThrottling, usageCounter } from "./usage-meter";

const totalsFor = (connectionId: string) => {
  const rows = usageCounter().take();
  const mine = rows.filter((r) => r.connectionId === connectionId);
  usageCounter().putBack(rows.filter((r) => r.connectionId !== connectionId));
  return mine.reduce((sum, r) => ({ calls: sum.calls + r.calls, errors: sum.errors + r.errors, throttled: sum.throttled + r.throttled }), {
    calls: 0,
    errors: 0,
    throttled: 0,
  });
};

describe("counting upstream calls in callUpstream", () => {
  it("counts every attempt as a call, each failed one as an error, throttling apart", async () => {
    let attempts = 0;
    const answer = await callUpstream({
      provider: "Test",
      doing: "fetching x",
      timeoutMs: 5_000,
      connectionKey: "conn-meter-1:3",
      run: async () => {
        attempts++;
        if (attempts === 1) throw Object.assign(new Error("slow down"), { status: 429 });
        if (attempts === 2) throw Object.assign(new Error("boom"), { status: 503 });
        return "ok";
      },
      interpret: (error) => {
        const status = (error as { status: number }).status;
        return { error: providerError("Test", `failed (${status})`, { upstreamStatus: status }), retryable: true, retryAfterMs: 1 };
      },
    });
    expect(answer).toBe("ok");
    expect(totalsFor("conn-meter-1")).toEqual({ calls: 3, errors: 2, throttled: 1 });
  });

  it("counts nothing without a connection key", async () => {
    const before = usageCounter().size;
    await callUpstream({
      provider: "Test",
      doing: "x",
      timeoutMs: 1_000,
      run: async () => 1,
      interpret: () => ({ error: providerError("Test", "x"), retryable: false }),
    });
    expect(usageCounter().size).toBe(before);
  });
});

describe("isThrottling", () => {
  it("knows HTTP 429 and the managers' throttling codes", () => {
    expect(isThrottling(providerError("T", "x", { upstreamStatus: 429 }))).toBe(true);
    expect(isThrottling(providerError("T", "x", { upstreamCode: "ThrottlingException", upstreamStatus: 400 }))).toBe(true);
    expect(isThrottling(providerError("T", "x", { upstreamCode: "RESOURCE_EXHAUSTED", upstreamStatus: 8 }))).toBe(true);
    expect(isThrottling(providerError("T", "x", { upstreamCode: "ResourceNotFoundException", upstreamStatus: 400 }))).toBe(false);
    expect(isThrottling(providerError("T", "x", { upstreamStatus: 503 }))).toBe(false);
  });
});
