import { describe, expect, it } from "vitest";
import { runBatch, type BatchBounds, type PathOutcome } from "./run-batch";

const bounds = (over: Partial<BatchBounds> = {}): BatchBounds => ({
  concurrency: 4,
  budgetBytes: 1000,
  deadlineMs: 2000,
  timeoutFailure: (path) => ({ code: "provider_timeout", message: `${path}: batch deadline` }),
  ...over,
});
const value = (text: string): PathOutcome<null> => ({ ok: true, value: text, extra: null });
const paths = (n: number) => Array.from({ length: n }, (_, i) => `p.${i}`);

describe("runBatch", () => {
  it("answers every path in order, values and errors alike", async () => {
    const out = await runBatch(paths(3), bounds(), async (p) => (p === "p.1" ? { ok: false, code: "not_found", message: "no" } : value(p)));
    expect(out).toEqual([value("p.0"), { ok: false, code: "not_found", message: "no" }, value("p.2")]);
  });

  it("stops at the byte budget: later paths get response_too_large and are not even fetched", async () => {
    const fetched: string[] = [];
    const out = await runBatch(paths(50), bounds({ concurrency: 1, budgetBytes: 1000 }), async (p) => {
      fetched.push(p);
      return value("x".repeat(300));
    });
    expect(out.filter((o) => o.ok)).toHaveLength(3);
    expect(out.slice(3).every((o) => !o.ok && o.code === "response_too_large")).toBe(true);
    expect(fetched).toHaveLength(4); // the fourth did not fit; nothing after it was started
  });

  it("keeps the window to what the budget can still hold: large values past it are never fetched", async () => {
    let fetched = 0;
    let most = 0;
    let now = 0;
    const out = await runBatch(paths(200), bounds({ concurrency: 32, budgetBytes: 1000 }), async () => {
      fetched++;
      most = Math.max(most, ++now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      now--;
      return value("x".repeat(300));
    });
    expect(out.filter((o) => o.ok)).toHaveLength(3);
    expect(most).toBeLessThanOrEqual(8); // an eighth of the budget each, before any value is seen
    expect(fetched).toBeLessThanOrEqual(8);
  });

  it("opens the window to the full concurrency for small values", async () => {
    let most = 0;
    let now = 0;
    await runBatch(paths(200), bounds({ concurrency: 32, budgetBytes: 1_000_000 }), async () => {
      most = Math.max(most, ++now);
      await new Promise((resolve) => setTimeout(resolve, 5));
      now--;
      return value("small");
    });
    expect(most).toBe(32);
  });

  it("a batch whose values were small last time starts them all at once; known large ones only what fits", async () => {
    const knownSizes = new Map<string, number>();
    /** How many paths were started before the first value came back: the first round trip. */
    const firstWave = async (size: number) => {
      let started = 0;
      let wave = -1;
      await runBatch(paths(40), bounds({ concurrency: 64, budgetBytes: 100_000, knownSizes }), async () => {
        started++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (wave < 0) wave = started;
        return value("x".repeat(size));
      });
      return wave;
    };
    expect(await firstWave(10)).toBe(8); // never seen: an eighth of the budget each
    expect(knownSizes.get("p.0")).toBe(10);
    expect(await firstWave(40_000)).toBe(40); // remembered as small: all at once (larger this time)
    expect(knownSizes.get("p.0")).toBe(40_000);
    expect(await firstWave(40_000)).toBe(2); // remembered as large: what the budget holds
  });

  it("counts UTF-8 bytes, not characters", async () => {
    const out = await runBatch(paths(2), bounds({ concurrency: 1, budgetBytes: 10 }), async () => value("é".repeat(4)));
    expect(out.map((o) => o.ok)).toEqual([true, false]);
  });

  it("answers within one deadline however many paths hang, and starts nothing after it", async () => {
    let started = 0;
    const begin = Date.now();
    const out = await runBatch(paths(100), bounds({ concurrency: 8, deadlineMs: 300 }), (p) => {
      started++;
      return p === "p.0" ? Promise.resolve(value("ok")) : new Promise<never>(() => {});
    });
    expect(Date.now() - begin).toBeLessThan(2000);
    expect(out[0]).toEqual(value("ok"));
    expect(out.slice(1).every((o) => !o.ok && o.code === "provider_timeout")).toBe(true);
    expect(started).toBeLessThanOrEqual(9);
  });
});
