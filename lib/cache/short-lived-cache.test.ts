import { describe, expect, it } from "vitest";
import { ShortLivedCache } from "./short-lived-cache";

/** A load that counts its calls and answers what `rows` holds when it runs. */
function source(rows: Map<string, string>) {
  const calls: string[] = [];
  return {
    calls,
    load: (key: string) => async () => {
      calls.push(key);
      return rows.get(key) ?? null;
    },
  };
}

describe("ShortLivedCache", () => {
  it("reads a found row once while it is fresh, and again once its time is up", async () => {
    const rows = new Map([["a", "one"]]);
    const db = source(rows);
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 3_000 });
    expect(await cache.get("a", db.load("a"), 1_000)).toBe("one");
    rows.set("a", "two");
    expect(await cache.get("a", db.load("a"), 3_999)).toBe("one");
    expect(await cache.get("a", db.load("a"), 4_000)).toBe("two");
    expect(db.calls).toEqual(["a", "a"]);
  });

  it("never keeps a miss, so a row created later is seen at once", async () => {
    const rows = new Map<string, string>();
    const db = source(rows);
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    expect(await cache.get("a", db.load("a"), 0)).toBeNull();
    rows.set("a", "created");
    expect(await cache.get("a", db.load("a"), 1)).toBe("created");
    expect(cache.size).toBe(1);
  });

  it("forgets a row whose load answers null (deleted) even before its time is up", async () => {
    const rows = new Map([["a", "one"]]);
    const db = source(rows);
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 1_000 });
    await cache.get("a", db.load("a"), 0);
    rows.delete("a");
    expect(await cache.get("a", db.load("a"), 5_000)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it("drops matching entries only", async () => {
    const db = source(
      new Map([
        ["a", "x1"],
        ["b", "y1"],
      ]),
    );
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    await cache.get("a", db.load("a"), 0);
    await cache.get("b", db.load("b"), 0);
    cache.dropWhere((value) => value.startsWith("x"));
    await cache.get("a", db.load("a"), 1);
    await cache.get("b", db.load("b"), 1);
    expect(db.calls).toEqual(["a", "b", "a"]);
  });

  it("does not keep a load that a drop overtook: it may hold the row from before the change", async () => {
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    let finish!: (value: string) => void;
    const slow = cache.get("a", () => new Promise<string>((resolve) => (finish = resolve)), 0);
    cache.dropWhere(() => true); // the change commits while the read is on its way
    finish("before the change");
    expect(await slow).toBe("before the change"); // answered: it was read before the change
    const db = source(new Map([["a", "after the change"]]));
    expect(await cache.get("a", db.load("a"), 1)).toBe("after the change");
    expect(db.calls).toEqual(["a"]);
  });

  it("shares one load among concurrent misses, but not across a drop", async () => {
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    let loads = 0;
    const load = async () => {
      const n = ++loads;
      await Promise.resolve();
      return `v${n}`;
    };
    const [first, second] = await Promise.all([cache.get("a", load, 0), cache.get("a", load, 0)]);
    expect([first, second, loads]).toEqual(["v1", "v1", 1]);

    cache.clear();
    const before = cache.get("a", load, 1);
    cache.clear();
    const after = cache.get("a", load, 1);
    expect([await before, await after]).toEqual(["v2", "v3"]);
  });

  it("does not keep a failed load", async () => {
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    await expect(cache.get("a", () => Promise.reject(new Error("database down")), 0)).rejects.toThrow("database down");
    expect(await cache.get("a", async () => "back", 1)).toBe("back");
  });

  it("holds at most maxEntries, dropping the oldest", async () => {
    const db = source(
      new Map([
        ["a", "1"],
        ["b", "2"],
        ["c", "3"],
      ]),
    );
    const cache = new ShortLivedCache<string>({ maxEntries: 2, ttlMs: 60_000 });
    for (const key of ["a", "b", "c"]) await cache.get(key, db.load(key), 0);
    expect(cache.size).toBe(2);
    for (const key of ["b", "c", "a"]) await cache.get(key, db.load(key), 1);
    expect(db.calls).toEqual(["a", "b", "c", "a"]);
  });
});

describe("ShortLivedCache.readFrom", () => {
  it("starts empty when the rows come from another database client", async () => {
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    const first = {};
    cache.readFrom(first);
    await cache.get("a", async () => "from the first database", 0);
    cache.readFrom(first);
    expect(await cache.get("a", async () => "never read", 1)).toBe("from the first database");
    cache.readFrom({});
    expect(await cache.get("a", async () => "from the second database", 2)).toBe("from the second database");
  });
});

describe("ShortLivedCache.getMany", () => {
  it("answers fresh keys from memory and loads all the others in one call", async () => {
    const rows = new Map([
      ["a", "one"],
      ["b", "two"],
      ["c", "three"],
    ]);
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 3_000 });
    await cache.get("a", async () => rows.get("a")!, 0);
    const calls: string[][] = [];
    const loadMany = async (keys: string[]) => {
      calls.push(keys);
      return new Map(keys.filter((k) => rows.has(k)).map((k) => [k, rows.get(k)!]));
    };
    const answers = await cache.getMany(["a", "b", "c", "missing", "b"], loadMany, 1);
    expect(Object.fromEntries(answers)).toEqual({ a: "one", b: "two", c: "three", missing: null });
    expect(calls).toEqual([["b", "c", "missing"]]);
    // What was loaded is kept like a single get's row; the missing key is not.
    expect(await cache.get("c", async () => "reloaded", 2)).toBe("three");
    expect(cache.size).toBe(3);
  });

  it("joins a single load in flight, and single gets join its load", async () => {
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 3_000 });
    let finish: (value: string) => void = () => {};
    const single = cache.get("a", () => new Promise<string>((resolve) => (finish = resolve)), 0);
    let loads = 0;
    const many = cache.getMany(
      ["a", "b"],
      async (keys) => {
        loads++;
        return new Map(keys.map((k) => [k, `${k}-many`]));
      },
      0,
    );
    const joined = cache.get("b", async () => "b-single", 0);
    finish("a-single");
    expect(await single).toBe("a-single");
    expect(Object.fromEntries(await many)).toEqual({ a: "a-single", b: "b-many" });
    expect(await joined).toBe("b-many");
    expect(loads).toBe(1);
  });

  it("does not keep rows of a load that a drop overtook, and a failed load fails every key", async () => {
    const cache = new ShortLivedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    let finish: (rows: Map<string, string>) => void = () => {};
    const many = cache.getMany(["a"], () => new Promise((resolve) => (finish = resolve)), 0);
    cache.clear();
    finish(new Map([["a", "old"]]));
    expect((await many).get("a")).toBe("old");
    expect(cache.size).toBe(0);
    await expect(cache.getMany(["x", "y"], async () => Promise.reject(new Error("database gone")), 0)).rejects.toThrow("database gone");
    expect(await cache.get("x", async () => "x", 1)).toBe("x");
  });
});
