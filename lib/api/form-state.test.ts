import { describe, expect, it } from "vitest";
import { validationError } from "@/lib/errors";
import { fieldMap } from "@/lib/validation/zod-errors";
import { formStateFromError } from "./form-state";

describe("formStateFromError", () => {
  it("returns fields as a plain object, which React can send to the browser, hostile names included", () => {
    const fields = fieldMap();
    fields.name = "Name is required";
    fields.__proto__ = "Unknown field";
    const state = formStateFromError(validationError(fields));
    expect(Object.getPrototypeOf(state.fields)).toBe(Object.prototype);
    expect(Object.entries(state.fields)).toEqual([
      ["name", "Name is required"],
      ["__proto__", "Unknown field"],
    ]);
  });
});
