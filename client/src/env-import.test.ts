import { describe, expect, it } from "vitest";
import { FormatError } from "./env-import";
import { planEnvImport, readEnvImport } from "./env-import";

describe(".env import rules (CLI and dashboard)", () => {
  it("stores each variable as prefix.NAME, the name as written; a trailing dot on the prefix changes nothing", () => {
    const text = "# comment\nexport ALPHA=one\nbeta-2='two words'\n";
    expect(readEnvImport(text, "app").map((e) => [e.secretPath, e.value, e.line])).toEqual([
      ["app.ALPHA", "one", 2],
      ["app.beta-2", "two words", 3],
    ]);
    expect(readEnvImport(text, "app.").map((e) => e.secretPath)).toEqual(["app.ALPHA", "app.beta-2"]);
  });

  it("refuses names that cannot be a path segment, and a name set twice, by line and never by value", () => {
    expect(() => readEnvImport("OK=1\nBAD.NAME=secret-value\n", "app")).toThrow(
      new FormatError("these names cannot be path segments (letters, digits, _ and - only): line 2."),
    );
    const twice = () => readEnvImport("A=first-value\nB=2\nA=second-value\n", "app");
    expect(twice).toThrow(FormatError);
    expect(twice).toThrow("A is set twice (lines 1 and 3); keep one.");
    try {
      twice();
    } catch (error) {
      expect(String(error)).not.toMatch(/first-value|second-value/);
    }
  });

  it("fail blocks the whole import on any existing path; skip and replace decide per path", () => {
    const entries = readEnvImport("A=1\nB=2\n", "app");
    const existing = new Map([["app.B", "sec_b"]]);
    const fail = planEnvImport(entries, existing, "fail");
    expect(fail.blocked).toBe(true);
    expect(fail.clashes.map((e) => e.secretPath)).toEqual(["app.B"]);
    expect(planEnvImport(entries, existing, "skip").steps.map((s) => s.kind)).toEqual(["create", "skip"]);
    const replace = planEnvImport(entries, existing, "replace");
    expect(replace.blocked).toBe(false);
    expect(replace.steps).toEqual([
      { kind: "create", entry: entries[0] },
      { kind: "replace", entry: entries[1], id: "sec_b" },
    ]);
    expect(planEnvImport(entries, new Map(), "fail").blocked).toBe(false);
  });
});
