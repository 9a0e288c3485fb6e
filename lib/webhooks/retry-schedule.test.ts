import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-schedule";

describe("retryDelayMs", () => {
  it("doubles from the base after each failure, within ±20 % jitter", () => {
    expect(retryDelayMs(1, 30_000, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(2, 30_000, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(3, 30_000, () => 0)).toBe(96_000);
    expect(retryDelayMs(3, 30_000, () => 1)).toBe(144_000);
  });

  it("spreads the default 8 attempts over about an hour", () => {
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + retryDelayMs(n, 30_000, () => 0.5), 0);
    expect(total).toBe(30_000 * 127);
    expect(total / 60_000).toBeGreaterThan(55);
    expect(total / 60_000).toBeLessThan(70);
  });
});
