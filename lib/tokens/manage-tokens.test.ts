import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { checkWithinMaker } from "./manage-tokens";

const DAY = 86_400_000;
const refused = (run: () => void) => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, fields: Object.keys(error.extra.fields as object).sort() };
    throw error;
  }
  return null;
};

describe("a token made by a token stays within its maker", () => {
  const maker = { role: "editor" as const, scope: "stripe.*", expiresAt: new Date(Date.now() + 10 * DAY) };

  it("allows the same or less", () => {
    expect(refused(() => checkWithinMaker({ ...maker }, maker))).toBeNull();
    expect(
      refused(() => checkWithinMaker({ role: "viewer", scope: "stripe.live.*", expiresAt: new Date(Date.now() + DAY) }, maker)),
    ).toBeNull();
  });
  it("refuses a higher role, a wider scope and a later or missing expiry, naming each field", () => {
    expect(refused(() => checkWithinMaker({ ...maker, role: "admin" }, maker))).toEqual({ code: "forbidden", fields: ["role"] });
    expect(refused(() => checkWithinMaker({ ...maker, scope: null }, maker))).toEqual({ code: "forbidden", fields: ["scope"] });
    expect(refused(() => checkWithinMaker({ ...maker, scope: "stripe*" }, maker))).toEqual({ code: "forbidden", fields: ["scope"] });
    expect(refused(() => checkWithinMaker({ ...maker, expiresAt: null }, maker))).toEqual({ code: "forbidden", fields: ["expiresInDays"] });
    expect(
      refused(() => checkWithinMaker({ role: "admin", scope: "db.*", expiresAt: new Date(maker.expiresAt.getTime() + 1) }, maker)),
    ).toEqual({
      code: "forbidden",
      fields: ["expiresInDays", "role", "scope"],
    });
  });
  it("a maker without scope or expiry limits neither", () => {
    expect(
      refused(() => checkWithinMaker({ role: "viewer", scope: null, expiresAt: null }, { role: "admin", scope: null, expiresAt: null })),
    ).toBeNull();
  });
});
