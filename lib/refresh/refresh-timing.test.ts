import { describe, expect, it } from "vitest";
import { backoffMs, jittered, MAX_BACKOFF_MS } from "./refresh-timing";

describe("refresh timing", () => {
  it("jitters the interval by at most 20 % either way", () => {
    expect(jittered(300_000, () => 0)).toBe(240_000);
    expect(jittered(300_000, () => 0.5)).toBe(300_000);
    expect(jittered(300_000, () => 1)).toBe(360_000);
  });

  it("doubles the wait with each failure in a row, up to an hour", () => {
    const middle = () => 0.5;
    expect(backoffMs(10_000, 1, middle)).toBe(10_000);
    expect(backoffMs(10_000, 2, middle)).toBe(20_000);
    expect(backoffMs(10_000, 4, middle)).toBe(80_000);
    expect(backoffMs(10_000, 40, middle)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(86_400_000, 1, middle)).toBe(MAX_BACKOFF_MS);
  });
});
