import { describe, expect, it } from "vitest";
import type { LimitRule } from "./sliding-window";
import { WindowCounter } from "./window-counter";

const MINUTE = 60_000;
const rule: LimitRule = { name: "test.window", limit: 5, windowMs: MINUTE };
const T0 = 100 * MINUTE; // the start of a bucket

describe("WindowCounter", () => {
  it("allows the limit within a minute and refuses the next, without counting the refusal", () => {
    const counter = new WindowCounter(MINUTE);
    const decisions = Array.from({ length: 7 }, (_, i) => counter.consume(rule, "k", T0 + i * 1_000).allowed);
    expect(decisions).toEqual([true, true, true, true, true, false, false]);
    const refused = counter.consume(rule, "k", T0 + 10_000);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // Refusals were not counted: only 5 events are waiting to be sent.
    expect(counter.takeUnsent()).toEqual([{ key: "k", bucketStart: T0, events: 5 }]);
  });

  it("keeps keys apart, and a limit of 0 is off", () => {
    const counter = new WindowCounter(MINUTE);
    for (let i = 0; i < 5; i++) counter.consume(rule, "a", T0);
    expect(counter.consume(rule, "a", T0).allowed).toBe(false);
    expect(counter.consume(rule, "b", T0).allowed).toBe(true);
    expect(counter.consume({ ...rule, limit: 0 }, "a", T0).allowed).toBe(true);
  });

  it("weights the previous minute by how much of it the window still covers", () => {
    const counter = new WindowCounter(MINUTE);
    for (let i = 0; i < 4; i++) counter.consume(rule, "k", T0 + 50_000);
    // A quarter into the next minute, 3 of the previous 4 still count: 2 more fit, not 3.
    const next = T0 + MINUTE + 15_000;
    expect([
      counter.consume(rule, "k", next).allowed,
      counter.consume(rule, "k", next).allowed,
      counter.consume(rule, "k", next).allowed,
    ]).toEqual([true, true, false]);
  });

  it("counts a batch as its size, a batch over the limit as the limit", () => {
    const counter = new WindowCounter(MINUTE);
    expect(counter.consume(rule, "k", T0, 3).allowed).toBe(true);
    expect(counter.consume(rule, "k", T0, 3).allowed).toBe(false);
    expect(counter.consume(rule, "other", T0, 500).allowed).toBe(true);
    expect(counter.consume(rule, "other", T0, 1).allowed).toBe(false);
  });

  it("counts what the other instances counted, as read from the shared totals", () => {
    const counter = new WindowCounter(MINUTE);
    counter.consume(rule, "k", T0);
    const [sending] = counter.takeUnsent();
    // Stored total after our send: ours (1) plus 3 from other instances.
    counter.sent(sending!, 4);
    expect(counter.consume(rule, "k", T0).allowed).toBe(true);
    expect(counter.consume(rule, "k", T0).allowed).toBe(false);
    // The next read shows yet more elsewhere; our unsent event is still counted on top.
    counter.observe("k", T0, 6);
    expect(counter.consume({ ...rule, limit: 7 }, "k", T0).allowed).toBe(false);
    expect(counter.consume({ ...rule, limit: 8 }, "k", T0).allowed).toBe(true);
  });

  it("counts events being sent, and sends a failed send again", () => {
    const counter = new WindowCounter(MINUTE);
    for (let i = 0; i < 5; i++) counter.consume(rule, "k", T0);
    const taken = counter.takeUnsent();
    expect(counter.consume(rule, "k", T0).allowed).toBe(false); // in flight still counts
    counter.unsent(taken[0]!);
    expect(counter.consume(rule, "k", T0).allowed).toBe(false);
    expect(counter.takeUnsent()).toEqual([{ key: "k", bucketStart: T0, events: 5 }]);
  });

  it("forgets buckets that no longer count once sent, and keys left empty", () => {
    const counter = new WindowCounter(MINUTE);
    counter.consume(rule, "k", T0);
    counter.prune(T0 + 3 * MINUTE);
    expect(counter.activeKeys()).toEqual(["k"]); // not sent yet: kept
    const [count] = counter.takeUnsent();
    counter.sent(count!, 1);
    counter.prune(T0 + 3 * MINUTE);
    expect(counter.activeKeys()).toEqual([]);
  });
});

describe("WindowCounter, keys read from the shared totals", () => {
  it("starts a key it has not seen from the stored totals, previous minute included", () => {
    const counter = new WindowCounter(MINUTE);
    expect(counter.knows("k")).toBe(false);
    counter.observe("k", T0 - MINUTE, 4); // the previous minute, all of it still in the window at T0
    counter.observe("k", T0, 1);
    counter.learned("k");
    expect(counter.knows("k")).toBe(true);
    expect(counter.consume(rule, "k", T0).allowed).toBe(false);
    // Nothing was counted here, so there is nothing to send.
    expect(counter.takeUnsent()).toEqual([]);
  });
});
