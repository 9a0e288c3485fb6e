import { describe, expect, it } from "vitest";
import { ValueCache } from "./cache";

function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function counter(values: string[]) {
  let calls = 0;
  return {
    load: async () => values[Math.min(calls++, values.length - 1)]!,
    calls: () => calls,
  };
}

describe("ValueCache", () => {
  it("answers from the cache while fresh, and loads again once stale and expired", async () => {
    const time = clock();
    const cache = new ValueCache<string>(0, time.now);
    const source = counter(["v1", "v2"]);
    expect(await cache.get("a", 1_000, source.load)).toBe("v1");
    time.advance(999);
    expect(await cache.get("a", 1_000, source.load)).toBe("v1");
    expect(source.calls()).toBe(1);
    time.advance(2);
    expect(await cache.get("a", 1_000, source.load)).toBe("v2");
    expect(source.calls()).toBe(2);
  });

  it("past the TTL but within the stale window: answers the old value at once and refreshes once in the background", async () => {
    const time = clock();
    const cache = new ValueCache<string>(5_000, time.now);
    const source = counter(["v1", "v2"]);
    await cache.get("a", 1_000, source.load);
    time.advance(1_500);
    const answers = await Promise.all([cache.get("a", 1_000, source.load), cache.get("a", 1_000, source.load)]);
    expect(answers).toEqual(["v1", "v1"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.calls()).toBe(2);
    expect(await cache.get("a", 1_000, source.load)).toBe("v2");
  });

  it("a failed refresh keeps the stale value; past the stale window the error reaches the caller", async () => {
    const time = clock();
    const cache = new ValueCache<string>(5_000, time.now);
    await cache.get("a", 1_000, async () => "v1");
    time.advance(1_500);
    const failing = async () => {
      throw new Error("server down");
    };
    expect(await cache.get("a", 1_000, failing)).toBe("v1");
    time.advance(10_000);
    await expect(cache.get("a", 1_000, failing)).rejects.toThrow("server down");
  });

  it("concurrent misses share one load, also with a TTL of 0 (never cached)", async () => {
    const cache = new ValueCache<string>(0);
    let calls = 0;
    let release!: (value: string) => void;
    const load = () => {
      calls++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const gets = Array.from({ length: 100 }, () => cache.get("a", 0, load));
    release("v");
    expect(await Promise.all(gets)).toEqual(Array(100).fill("v"));
    expect(calls).toBe(1);
    // Not cached: the next get loads again.
    const next = cache.get("a", 0, async () => "w");
    expect(await next).toBe("w");
  });

  it("a failed load is not cached, and the next get tries again", async () => {
    const cache = new ValueCache<string>(0);
    await expect(cache.get("a", 1_000, async () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await cache.get("a", 1_000, async () => "ok")).toBe("ok");
  });

  it("delete forgets one key or all", async () => {
    const cache = new ValueCache<string>(0);
    cache.set("a", "1", 1_000);
    cache.set("b", "2", 1_000);
    cache.delete("a");
    expect(await cache.get("a", 1_000, async () => "new-a")).toBe("new-a");
    expect(await cache.get("b", 1_000, async () => "new-b")).toBe("2");
    cache.delete();
    expect(await cache.get("b", 1_000, async () => "new-b")).toBe("new-b");
  });
});
