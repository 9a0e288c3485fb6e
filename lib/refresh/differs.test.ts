import { describe, expect, it } from "vitest";
import { differs } from "./refresh-scheduler";

describe("differs", () => {
  it("decides by version ids where both sides have one", () => {
    expect(differs({ version: "1", fingerprint: "a" }, { version: "2", fingerprint: null })).toBe(true);
    expect(differs({ version: "2", fingerprint: "a" }, { version: "2", fingerprint: null })).toBe(false);
  });

  it("by fingerprints for a manager without version ids (Vault KV v1: lineage numbers, the check has none)", () => {
    expect(differs({ version: "1", fingerprint: "a" }, { version: null, fingerprint: "b" })).toBe(true);
    expect(differs({ version: null, fingerprint: "a" }, { version: null, fingerprint: "a" })).toBe(false);
  });

  it("not at all when nothing is known", () => {
    expect(differs({ version: null, fingerprint: null }, { version: "3", fingerprint: "c" })).toBe(false);
  });
});
