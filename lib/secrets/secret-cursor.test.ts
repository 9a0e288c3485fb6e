import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, parsePageLimit } from "./secret-cursor";

describe("page cursors", () => {
  it("round-trip a secret path", () => {
    for (const secretPath of ["a", "stripe.apiKey", "db_primary.pass-word", "x".repeat(200)]) {
      expect(decodeCursor(encodeCursor(secretPath))).toBe(secretPath);
    }
  });

  it("refuse what this server never hands out", () => {
    const bad = [
      "",
      "not base64!",
      encodeCursor("a..b"), // decodes, but not a secret path
      Buffer.from("a b").toString("base64url"),
      `${encodeCursor("stripe.apiKey")}=`, // padding: another spelling
      Buffer.from("stripe\u0000x").toString("base64url"),
      encodeCursor("x".repeat(201)),
    ];
    for (const cursor of bad) expect(decodeCursor(cursor), cursor).toBeNull();
  });
});

describe("page limits", () => {
  it("take whole numbers from 1 to 1000", () => {
    expect(parsePageLimit("1")).toBe(1);
    expect(parsePageLimit("50")).toBe(50);
    expect(parsePageLimit("1000")).toBe(1000);
  });

  it("refuse anything else", () => {
    for (const text of ["", "0", "1001", "-1", "+5", "05", "1e2", "2.5", " 5", "abc", "99999"])
      expect(parsePageLimit(text), text).toBeNull();
  });
});
