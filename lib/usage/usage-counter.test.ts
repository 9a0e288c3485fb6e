import { describe, expect, it } from "vitest";
import { UsageCounter, utcDay, type DayCounts } from "./usage-counter";
import { flushUsageCounts } from "./usage-flush";
import { windowDays, parseUsageWindow } from "./read-usage";

const at = (iso: string) => Date.parse(iso);

describe("UsageCounter", () => {
  it("counts per connection and UTC day", () => {
    let now = at("2026-03-01T23:59:59.500Z");
    const counter = new UsageCounter(() => now);
    counter.count("c1", "calls");
    counter.count("c1", "calls");
    counter.count("c1", "errors");
    counter.count("c2", "cacheHits", 3);
    now = at("2026-03-02T00:00:00.100Z");
    counter.count("c1", "calls");
    const taken = counter.take();
    expect(taken).toEqual(
      expect.arrayContaining([
        { connectionId: "c1", day: "2026-03-01", calls: 2, errors: 1, throttled: 0, cacheHits: 0, cacheMisses: 0 },
        { connectionId: "c2", day: "2026-03-01", calls: 0, errors: 0, throttled: 0, cacheHits: 3, cacheMisses: 0 },
        { connectionId: "c1", day: "2026-03-02", calls: 1, errors: 0, throttled: 0, cacheHits: 0, cacheMisses: 0 },
      ]),
    );
    expect(taken).toHaveLength(3);
    expect(counter.take()).toEqual([]);
  });

  it("merges counts given back with what was counted meanwhile", () => {
    const counter = new UsageCounter(() => at("2026-03-01T12:00:00Z"));
    counter.count("c1", "calls", 5);
    const taken = counter.take();
    counter.count("c1", "calls", 2);
    counter.putBack(taken);
    expect(counter.take()).toEqual([
      { connectionId: "c1", day: "2026-03-01", calls: 7, errors: 0, throttled: 0, cacheHits: 0, cacheMisses: 0 },
    ]);
  });
});

describe("flushUsageCounts", () => {
  it("stores every row once, and keeps the rows not stored when a write fails", async () => {
    const counter = new UsageCounter(() => at("2026-03-01T12:00:00Z"));
    counter.count("a", "calls", 1);
    counter.count("b", "calls", 2);
    counter.count("c", "calls", 3);
    const stored: DayCounts[] = [];
    let fail = "b";
    const add = async (entry: DayCounts) => {
      if (entry.connectionId === fail) throw new Error("database unavailable");
      stored.push(entry);
    };
    await expect(flushUsageCounts(counter, add)).rejects.toThrow("database unavailable");
    expect(stored.map((e) => e.connectionId)).toEqual(["a"]);
    // Counted while the database was away: added to what is kept.
    counter.count("b", "calls", 10);
    fail = "";
    await flushUsageCounts(counter, add);
    const totals = Object.fromEntries(stored.map((e) => [e.connectionId, e.calls]));
    expect(totals).toEqual({ a: 1, b: 12, c: 3 });
    expect(stored).toHaveLength(3);
    expect(counter.size).toBe(0);
  });
});

describe("usage windows", () => {
  it("covers the UTC days that overlap the window", () => {
    const now = at("2026-03-10T08:00:00Z");
    expect(windowDays("24h", now)).toEqual(["2026-03-09", "2026-03-10"]);
    expect(windowDays("7d", now)).toHaveLength(8);
    expect(windowDays("7d", now)[0]).toBe("2026-03-03");
    expect(windowDays("30d", now).at(-1)).toBe(utcDay(now));
  });

  it("defaults to 24h and refuses anything else", () => {
    expect(parseUsageWindow(null)).toBe("24h");
    expect(parseUsageWindow("30d")).toBe("30d");
    for (const bad of ["1h", "24H", "toString", "__proto__", "7"]) {
      expect(() => parseUsageWindow(bad)).toThrow(
        expect.objectContaining({ code: "validation_error", extra: { fields: { window: "Must be 24h, 7d or 30d" } } }),
      );
    }
  });
});
