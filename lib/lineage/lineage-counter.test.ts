import { describe, expect, it } from "vitest";
import { LineageCounter } from "./lineage-counter";

describe("LineageCounter", () => {
  it("keeps one read per secret, version and reader, with the latest time", () => {
    const counter = new LineageCounter();
    counter.read("s1", "1", "fp1", "token:a", 100);
    counter.read("s1", "1", "fp1", "token:a", 50);
    counter.read("s1", "1", "fp1", "token:b", 70);
    counter.read("s1", "2", "fp2", "token:a", 200);
    const { reads } = counter.take();
    expect(reads).toEqual([
      { secretId: "s1", version: "1", fingerprint: "fp1", reader: "token:a", lastAt: 100 },
      { secretId: "s1", version: "1", fingerprint: "fp1", reader: "token:b", lastAt: 70 },
      { secretId: "s1", version: "2", fingerprint: "fp2", reader: "token:a", lastAt: 200 },
    ]);
    expect(counter.size).toBe(0);
  });

  it("widens a seen version's first and last times, also when a failed flush gives it back", () => {
    const counter = new LineageCounter();
    counter.sawVersion("s1", null, "fp1", 100);
    counter.sawVersion("s1", null, "fp1", 300);
    const batch = counter.take();
    counter.sawVersion("s1", null, "fp1", 400);
    counter.putBack(batch);
    expect(counter.take().seen).toEqual([{ secretId: "s1", version: null, fingerprint: "fp1", firstAt: 100, lastAt: 400 }]);
  });
});
