import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { FetchedSecret } from "@/lib/providers/adapter";
import { ValueCache, type CachePolicy } from "./value-cache";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const policy: CachePolicy = { ttlMs: 1000, maxStaleMs: 5000, serveStaleOn: (e) => e instanceof AppError && e.code === "provider_error" };
const value = (v: string): FetchedSecret => ({ value: v, version: "1" });

describe("ValueCache", () => {
  it("serves a fresh entry from memory and refetches after the TTL", async () => {
    const time = clock();
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 }, time.now);
    let calls = 0;
    const load = async () => value(`v${++calls}`);
    expect(await cache.get("k", policy, load)).toMatchObject({ cached: false, stale: false, fetched: { value: "v1" } });
    expect(await cache.get("k", policy, load)).toMatchObject({ cached: true, fetched: { value: "v1" } });
    time.advance(1001);
    expect(await cache.get("k", policy, load)).toMatchObject({ cached: false, fetched: { value: "v2" } });
    expect(calls).toBe(2);
  });

  it("does not keep what a read dropped while in flight brings back: the next get reads again", async () => {
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const old = cache.get("k", policy, async () => {
      await gate;
      return value("old");
    });
    cache.dropWhere((key) => key === "k");
    expect(await cache.get("k", policy, async () => value("new"))).toMatchObject({ cached: false, fetched: { value: "new" } });
    release();
    expect((await old).fetched.value).toBe("old");
    expect(await cache.get("k", policy, async () => value("unexpected"))).toMatchObject({ cached: true, fetched: { value: "new" } });
  });

  it("shares one upstream call between concurrent misses", async () => {
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 });
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      calls++;
      await gate;
      return value("shared");
    };
    const pending = Array.from({ length: 100 }, () => cache.get("k", policy, load));
    release();
    const results = await Promise.all(pending);
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.fetched.value))).toEqual(new Set(["shared"]));
  });

  it("serves the last good value, marked stale, when a refresh fails upstream, up to the maximum staleness", async () => {
    const time = clock();
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 }, time.now);
    await cache.get("k", policy, async () => value("good"));
    time.advance(2000);
    const failing = async (): Promise<FetchedSecret> => {
      throw new AppError("provider_error", "upstream down");
    };
    expect(await cache.get("k", policy, failing)).toMatchObject({ cached: true, stale: true, fetched: { value: "good" } });
    time.advance(5000);
    await expect(cache.get("k", policy, failing)).rejects.toMatchObject({ code: "provider_error" });
  });

  it("does not hide errors that are not upstream failures", async () => {
    const time = clock();
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 }, time.now);
    await cache.get("k", policy, async () => value("good"));
    time.advance(2000);
    await expect(
      cache.get("k", policy, async () => {
        throw new AppError("provider_sdk_missing", "no sdk");
      }),
    ).rejects.toMatchObject({ code: "provider_sdk_missing" });
  });

  it("never stores when the TTL is zero", async () => {
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 });
    let calls = 0;
    const load = async () => value(`v${++calls}`);
    await cache.get("k", { ...policy, ttlMs: 0 }, load);
    await cache.get("k", { ...policy, ttlMs: 0 }, load);
    expect(calls).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("with a TTL of zero, hands a finished read to requests that arrived while it ran, and only to them", async () => {
    const time = clock();
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 }, time.now);
    const noStore = { ...policy, ttlMs: 0 };
    let calls = 0;
    const load = async () => {
      time.advance(20); // the upstream round trip
      return value(`v${++calls}`);
    };
    const firstArrived = time.now();
    time.advance(5);
    const secondArrived = time.now();
    expect((await cache.get("k", noStore, load, firstArrived)).fetched.value).toBe("v1");
    // Arrived while the read ran, got here after it finished: answered as if it had joined.
    expect((await cache.get("k", noStore, load, secondArrived)).fetched.value).toBe("v1");
    // Arrived after the read finished: reads again.
    time.advance(1);
    expect((await cache.get("k", noStore, load, time.now())).fetched.value).toBe("v2");
    expect((await cache.get("k", noStore, load)).fetched.value).toBe("v3");
    expect(calls).toBe(3);
    expect(cache.size).toBe(0);
  });

  it("does not hand a failed read to later callers", async () => {
    const time = clock();
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 }, time.now);
    const askedEarly = time.now();
    time.advance(5);
    await expect(
      cache.get("k", { ...policy, ttlMs: 0 }, async () => {
        throw new AppError("provider_error", "down");
      }),
    ).rejects.toMatchObject({ code: "provider_error" });
    expect((await cache.get("k", { ...policy, ttlMs: 0 }, async () => value("up"), askedEarly)).fetched.value).toBe("up");
  });

  it("stays within its entry and byte bounds, evicting the least recently used", async () => {
    const cache = new ValueCache({ maxEntries: 3, maxBytes: 1e6 });
    for (const key of ["a", "b", "c"]) await cache.get(key, policy, async () => value(key));
    await cache.get("a", policy, async () => value("a-again")); // a is now most recently used
    await cache.get("d", policy, async () => value("d"));
    expect(cache.size).toBe(3);
    let reloaded = false;
    await cache.get("b", policy, async () => ((reloaded = true), value("b2")));
    expect(reloaded).toBe(true);
    const small = new ValueCache({ maxEntries: 100, maxBytes: 500 });
    for (let i = 0; i < 20; i++) await small.get(`k${i}`, policy, async () => value("x".repeat(100)));
    expect(small.size).toBeLessThanOrEqual(2);
  });

  it("drops entries on demand", async () => {
    const cache = new ValueCache({ maxEntries: 10, maxBytes: 1e6 });
    await cache.get("secret1:1:conn1:1", policy, async () => value("a"));
    await cache.get("secret2:1:conn2:1", policy, async () => value("b"));
    cache.dropWhere((key) => key.split(":").includes("conn1"));
    expect(cache.size).toBe(1);
  });
});
