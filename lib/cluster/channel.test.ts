import { describe, expect, it } from "vitest";
import { decodeChange } from "./channel";

describe("decodeChange", () => {
  it.each(["secret", "connection", "token", "user"])("accepts a %s event with an id", (kind) => {
    expect(decodeChange(JSON.stringify({ kind, id: "abc_123-X", instance: "i1" }))).toEqual({
      event: { kind, id: "abc_123-X" },
      instance: "i1",
    });
  });

  it("accepts `all` without an id", () => {
    expect(decodeChange(JSON.stringify({ kind: "all", instance: "i1" }))).toEqual({ event: { kind: "all" }, instance: "i1" });
  });

  it.each([
    ["an unknown kind", { kind: "session", id: "a", instance: "i1" }],
    ["a kind without an id", { kind: "user", instance: "i1" }],
    ["an id that is not one", { kind: "token", id: "a b", instance: "i1" }],
    ["no instance", { kind: "token", id: "a" }],
  ])("refuses %s", (_label, payload) => {
    expect(decodeChange(JSON.stringify(payload))).toBeUndefined();
  });

  it("refuses what is not JSON", () => {
    expect(decodeChange("not json")).toBeUndefined();
  });
});
