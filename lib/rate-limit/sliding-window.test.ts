import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resetEnvForTests } from "@/lib/env";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../../tests/support/databases";
import { consume, retryAfterSeconds, type LimitRule } from "./sliding-window";

const MINUTE = 60_000;
let rules = 0;
/** A rule of its own per test, so counters never mix. */
const rule = (limit: number, windowMs = MINUTE): LimitRule => ({ name: `test.${Date.now()}.${++rules}`, limit, windowMs });

describe.each([
  ["SQLite", createSqliteDatabase],
  ["PostgreSQL", createPostgresDatabase],
] as const)("sliding-window limits on %s", (_name, create) => {
  let database: TempDatabase;

  beforeAll(async () => {
    database = await create();
    process.env.DATABASE_URL = database.url;
    resetEnvForTests();
    await applyMigrations({ url: database.url });
  }, 60_000);

  afterAll(async () => {
    await disconnectDb();
    await database.drop();
  });

  it("lets exactly `limit` of many parallel events through, and refuses the rest without counting them", async () => {
    const limited = rule(10);
    const decisions = await Promise.all(Array.from({ length: 40 }, () => consume(limited, "caller")));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(30);
    for (const decision of refused) expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Refused events were not counted: one refund makes room for exactly one more.
    const first = decisions.find((d) => d.allowed && d.hit)!;
    if (!first.allowed || !first.hit) throw new Error("expected a counted hit");
    await first.hit.refund();
    expect((await consume(limited, "caller")).allowed).toBe(true);
    expect((await consume(limited, "caller")).allowed).toBe(false);
  });

  it("counts a weighted event as that many (a batch of N paths is N resolves), refunds all of it, caps it at the limit", async () => {
    const limited = rule(10);
    expect((await consume(limited, "batch", Date.now(), 7)).allowed).toBe(true);
    const over = await consume(limited, "batch", Date.now(), 4);
    expect(over.allowed).toBe(false);
    // Refused: not counted. Three more still fit, then nothing.
    const fits = await consume(limited, "batch", Date.now(), 3);
    expect(fits.allowed).toBe(true);
    expect((await consume(limited, "batch")).allowed).toBe(false);
    if (!fits.allowed || !fits.hit) throw new Error("expected a counted hit");
    await fits.hit.refund();
    expect((await consume(limited, "batch", Date.now(), 3)).allowed).toBe(true);
    // Larger than the whole limit: counted as the limit, so it passes in an empty window.
    expect((await consume(rule(10), "huge", Date.now(), 500)).allowed).toBe(true);
  });

  it("counts each subject on its own", async () => {
    const limited = rule(1);
    expect((await consume(limited, "alice")).allowed).toBe(true);
    expect((await consume(limited, "alice")).allowed).toBe(false);
    expect((await consume(limited, "bob")).allowed).toBe(true);
  });

  it("weights the previous window by how much of it the sliding window still covers", async () => {
    const limited = rule(10);
    const start = Math.floor(Date.now() / MINUTE) * MINUTE;
    for (let i = 0; i < 10; i++) expect((await consume(limited, "s", start + 1_000)).allowed).toBe(true);
    // A quarter into the next window, 75% of the previous 10 still count: room for 2, not 10.
    const quarter = start + MINUTE + MINUTE / 4;
    expect((await consume(limited, "s", quarter)).allowed).toBe(true);
    expect((await consume(limited, "s", quarter)).allowed).toBe(true);
    const refused = await consume(limited, "s", quarter);
    expect(refused.allowed).toBe(false);
    // 7.5 + 2 = 9.5 now; one more fits once the old share drops to 7, i.e. 1/20 of a window later.
    if (refused.allowed) throw new Error("expected a refusal");
    expect(refused.retryAfterSeconds).toBe(3);
    expect((await consume(limited, "s", quarter + 3_000)).allowed).toBe(true);
  });

  it("a limit of 0 is off", async () => {
    const off = rule(0);
    for (let i = 0; i < 5; i++) expect((await consume(off, "x")).allowed).toBe(true);
  });
});

/** The estimate the limiter compares against its limit, with one more event added. */
const fits = (r: LimitRule, previous: number, current: number, elapsedMs: number) => {
  const tolerance = 1e-9; // float noise, as the limiter allows
  if (elapsedMs < r.windowMs) return previous * (1 - elapsedMs / r.windowMs) + current + 1 <= r.limit + tolerance;
  // In the next bucket the current one becomes "previous" and the new bucket starts empty.
  return current * (1 - (elapsedMs - r.windowMs) / r.windowMs) + 1 <= r.limit + tolerance;
};

describe("retryAfterSeconds", () => {
  it("is the first whole second at which one more event fits, when nothing else arrives", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.nat({ max: 400 }),
        fc.nat({ max: 400 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (limit, windowSeconds, previousRaw, currentRaw, fraction) => {
          const r: LimitRule = { name: "p", limit, windowMs: windowSeconds * 1000 };
          const current = Math.min(currentRaw, limit); // refused events are never counted
          const previous = previousRaw;
          const elapsedMs = Math.floor(fraction * r.windowMs);
          fc.pre(!fits(r, previous, current, elapsedMs)); // only refused states have a wait
          const wait = retryAfterSeconds(r, previous, current, elapsedMs);
          expect(wait).toBeGreaterThanOrEqual(1);
          expect(fits(r, previous, current, elapsedMs + wait * 1000)).toBe(true);
          if (wait > 1) expect(fits(r, previous, current, elapsedMs + (wait - 1) * 1000 - 1)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("rounds a wait that ends a fraction of a millisecond past a whole second up", () => {
    // 56 of 56 used, 3446.4 s into a 3553 s window: one more fits only after 67000.43 ms.
    const r: LimitRule = { name: "p", limit: 56, windowMs: 3_553_000 };
    expect(retryAfterSeconds(r, 0, 56, 3_549_446)).toBe(68);
    expect(fits(r, 0, 56, 3_549_446 + 68_000)).toBe(true);
  });
});
