import { describe, expect, it } from "vitest";
import { extractJsonKey } from "./json-key";

const where = "db.password";

describe("extractJsonKey", () => {
  it("returns a string member as-is and anything else as JSON text", () => {
    const value = JSON.stringify({ password: "hunter2", port: 5432, tls: { mode: "require" } });
    expect(extractJsonKey({ value }, "password", where)).toBe("hunter2");
    expect(extractJsonKey({ value }, "port", where)).toBe("5432");
    expect(extractJsonKey({ value }, "tls", where)).toBe('{"mode":"require"}');
  });
  it("walks dotted keys, but an exact key with dots wins", () => {
    const value = JSON.stringify({ a: { b: "nested" }, "a.b": "flat" });
    expect(extractJsonKey({ value }, "a.b", where)).toBe("flat");
    expect(extractJsonKey({ value: JSON.stringify({ a: { b: "nested" } }) }, "a.b", where)).toBe("nested");
  });
  it("uses structured fields when the adapter gives them (Vault)", () => {
    expect(extractJsonKey({ value: "only-value", fields: { password: "from-fields" } }, "password", where)).toBe("from-fields");
  });
  it("fails with json_key_not_found or not_json, without the value in the message", () => {
    const secret = "s3cr3t-do-not-echo";
    expect(() => extractJsonKey({ value: JSON.stringify({ other: secret }) }, "password", where)).toThrowError(
      expect.objectContaining({ code: "json_key_not_found" }),
    );
    expect(() => extractJsonKey({ value: secret }, "password", where)).toThrowError(expect.objectContaining({ code: "not_json" }));
    expect(() => extractJsonKey({ value: "[1,2]" }, "0", where)).toThrowError(expect.objectContaining({ code: "not_json" }));
    try {
      extractJsonKey({ value: secret }, "password", where);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
    }
  });
  it("does not read inherited properties", () => {
    expect(() => extractJsonKey({ value: "{}" }, "constructor", where)).toThrowError(
      expect.objectContaining({ code: "json_key_not_found" }),
    );
    expect(() => extractJsonKey({ value: "{}" }, "__proto__", where)).toThrowError(expect.objectContaining({ code: "json_key_not_found" }));
  });
});
