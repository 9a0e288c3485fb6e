import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { passwordFormSchema } from "@/app/(dashboard)/account/password-form-schema";
import { createConnectionFormSchema, updateConnectionFormSchema } from "@/app/(dashboard)/settings/secret-providers/connection-form-schema";
import { resetPasswordFormSchema } from "@/app/(dashboard)/settings/users/reset-password-form-schema";
import { userFormSchema } from "@/app/(dashboard)/settings/users/user-form-schema";
import { secretFormSchema } from "@/app/(dashboard)/secrets/secret-form-schema";
import { createTokenFields } from "@/lib/tokens/token-schemas";

/**
 * The dashboard's forms show their schema's messages on the fields, and anything not on a field in
 * a banner, as they are: each must be in plain words, never zod's own ("Invalid input: expected
 * record, received undefined", "Too big: expected string to have <=500 characters").
 */
const ZOD_WORDING = /invalid input|expected .* received|too (big|small)|invalid (string|option|enum|type)|^required$/i;

function messages(schema: z.ZodType, values: unknown): Record<string, string> {
  const result = schema.safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.map(String).join("."), issue.message]));
}

function expectPlain(found: Record<string, string>): void {
  for (const [path, message] of Object.entries(found)) expect(`${path}: ${message}`).not.toMatch(ZOD_WORDING);
}

describe("form messages are in plain words", () => {
  it("an empty new-connection form names the missing name and type, and nothing else", () => {
    // What the form holds before a type is chosen: no config fields and no fence field are on it.
    for (const type of ["", null]) {
      const found = messages(createConnectionFormSchema(""), { name: "", type, description: "" });
      expect(found).toEqual({ name: "Name is required", type: "Choose a provider type" });
    }
  });

  it("a new connection with a type but empty fields names each required field", () => {
    const found = messages(createConnectionFormSchema("vault"), {
      name: "x",
      type: "vault",
      description: "",
      config: { vaultUrl: "", token: "", namespace: "", kvVersion: "" },
      allowedProviderPaths: "",
    });
    expect(found).toEqual({ "config.vaultUrl": "Vault URL is required", "config.token": "Vault Token is required" });
    expectPlain(
      messages(createConnectionFormSchema("vault"), {
        name: "x".repeat(200),
        type: "vault",
        description: "d".repeat(2000),
        config: { kvVersion: "3" },
      }),
    );
  });

  it("the edit form, the secret, token, user and password forms", () => {
    expectPlain(
      messages(updateConnectionFormSchema("vault", "••••••••"), { name: "", type: "vault", description: "", config: { vaultUrl: "" } }),
    );
    const emptySecret = {
      secretPath: "",
      provider: "",
      value: "",
      providerPath: "",
      secretProviderId: "",
      providerConfig: { jsonKey: "", version: "", cacheTtlSeconds: "x", refreshSeconds: "" },
      description: "",
    };
    expectPlain(messages(secretFormSchema("create"), emptySecret));
    expectPlain(messages(secretFormSchema("create"), { ...emptySecret, provider: "vault" }));
    expectPlain(messages(createTokenFields, { name: "", role: "owner", scope: "a".repeat(600) }));
    expect(messages(createTokenFields, { name: "", role: "viewer", scope: "a".repeat(600) }).scope).toBe(
      "Scope must be at most 500 characters",
    );
    expectPlain(messages(userFormSchema, { email: "", name: "n".repeat(200), role: "owner", password: "" }));
    expectPlain(messages(resetPasswordFormSchema, { newPassword: "" }));
    expectPlain(messages(passwordFormSchema, { currentPassword: "", newPassword: "", repeatPassword: "x" }));
  });
});
