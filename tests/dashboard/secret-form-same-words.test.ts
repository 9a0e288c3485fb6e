import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { disconnectDb } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { createConnection } from "@/lib/secret-providers/write-connections";
import { createSecret, updateSecret } from "@/lib/secrets/write-secrets";
import type { SecretView } from "@/lib/secrets/secret-view";
import { secretFormSchema } from "@/app/(dashboard)/secrets/secret-form-schema";
import { toSecretInput, toSecretUpdate, type SecretFormMode, type SecretFormValues } from "@/app/(dashboard)/secrets/secret-form-values";
import type { TempDatabase } from "../support/databases";
import { newInstall } from "../transfer/support/install";
import { appErrorFrom } from "../providers/support/app-errors";

/**
 * The secret form and the server check a secret with one set of rules, so a person sees in the
 * form the words the API would answer. Each bad input goes through the form's schema and, as the
 * body the form would send, through the real createSecret on a real database: every field the
 * server names, the form names with the same message.
 */
const actor: Actor = { kind: "user", id: "u-form", label: "tester", role: "admin", scope: null, userId: null, sourceIp: null };
const created: TempDatabase[] = [];
/** A real connection of each type the cases use, so that only the rules under test are broken. */
const connections: Record<string, string> = {};

beforeAll(async () => {
  await newInstall("sqlite", created);
  connections.vault = (
    await createConnection({
      actor,
      input: { name: "vault", type: "vault", config: { vaultUrl: "https://vault.example.com", token: "hvs.form-test" } },
    })
  ).id;
  connections["aws-sm"] = (
    await createConnection({
      actor,
      input: {
        name: "aws",
        type: "aws-sm",
        config: { region: "eu-west-1", accessKeyId: "AKIAABCDEFGHIJKLMNOP", secretAccessKey: "form-test-secret" },
      },
    })
  ).id;
});
afterAll(async () => {
  await disconnectDb();
  await Promise.all(created.splice(0).map((d) => d.drop()));
  resetEnvForTests();
});

const blank: SecretFormValues = {
  secretPath: "app.key",
  provider: "provenance",
  value: "v",
  providerPath: "",
  secretProviderId: "",
  providerConfig: { jsonKey: "", version: "", cacheTtlSeconds: "", refreshSeconds: "" },
  description: "",
};

function formMessages(values: SecretFormValues, mode: SecretFormMode = "create"): Record<string, string> {
  const result = secretFormSchema(mode).safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.map(String).join("."), issue.message]));
}

async function serverMessages(values: SecretFormValues): Promise<Record<string, string>> {
  const error = await appErrorFrom(createSecret({ actor, input: toSecretInput(values, "create") }));
  expect(error.code).toBe("validation_error");
  return error.extra.fields as Record<string, string>;
}

const BAD_INPUTS: Array<[string, Partial<SecretFormValues>]> = [
  ["an empty secret path", { secretPath: "" }],
  ["a secret path with spaces", { secretPath: "not a path" }],
  ["a stored secret without a value", { value: "" }],
  ["a value over 60 KiB", { value: "x".repeat(61 * 1024) }],
  ["a description with a null byte", { description: "a\u0000b" }],
  ["an unknown provider", { provider: "dropbox", value: "" }],
  ["an external secret without path or connection", { provider: "vault", value: "" }],
  [
    "an AWS path that is no secret name",
    { provider: "aws-sm", value: "", providerPath: "has spaces and ???", secretProviderId: "CONNECTION" },
  ],
  [
    "a cache TTL that is not a number",
    {
      provider: "vault",
      value: "",
      providerPath: "secret/app",
      secretProviderId: "CONNECTION",
      providerConfig: { jsonKey: "", version: "", cacheTtlSeconds: "soon", refreshSeconds: "" },
    },
  ],
  [
    "a cache TTL over a day",
    {
      provider: "vault",
      value: "",
      providerPath: "secret/app",
      secretProviderId: "CONNECTION",
      providerConfig: { jsonKey: "", version: "", cacheTtlSeconds: "86401", refreshSeconds: "" },
    },
  ],
  [
    "a refresh interval under the floor",
    {
      provider: "vault",
      value: "",
      providerPath: "secret/app",
      secretProviderId: "CONNECTION",
      providerConfig: { jsonKey: "", version: "", cacheTtlSeconds: "", refreshSeconds: "2" },
    },
  ],
  [
    "a refresh interval that is no whole number",
    {
      provider: "vault",
      value: "",
      providerPath: "secret/app",
      secretProviderId: "CONNECTION",
      providerConfig: { jsonKey: "", version: "", cacheTtlSeconds: "", refreshSeconds: "1.5" },
    },
  ],
];

describe("the secret form and the server say the same", () => {
  it.each(BAD_INPUTS)("%s", async (_name, change) => {
    const values = { ...blank, ...change };
    if (values.secretProviderId === "CONNECTION") values.secretProviderId = connections[values.provider]!;
    const server = await serverMessages(values);
    const form = formMessages(values);
    expect(Object.keys(server).length).toBeGreaterThan(0);
    for (const [path, message] of Object.entries(server)) expect({ path, message: form[path] }).toEqual({ path, message });
  });

  it.each([
    ["a stored secret turned external without path or connection", { provider: "vault" }],
    [
      "an external secret given a path the manager cannot have",
      { provider: "aws-sm", providerPath: "has spaces and ???", secretProviderId: "CONNECTION" },
    ],
    [
      "a cache TTL below zero",
      {
        provider: "vault",
        providerPath: "secret/app",
        secretProviderId: "CONNECTION",
        providerConfig: { jsonKey: "", version: "", cacheTtlSeconds: "-1", refreshSeconds: "" },
      },
    ],
  ] as Array<[string, Partial<SecretFormValues>]>)("editing: %s", async (_name, change) => {
    const original: SecretView = await createSecret({
      actor,
      input: { secretPath: `edit.s${Math.random().toString(36).slice(2, 8)}`, value: "v" },
    });
    const values: SecretFormValues = { ...blank, secretPath: original.secretPath, value: "", ...change };
    if (values.secretProviderId === "CONNECTION") values.secretProviderId = connections[values.provider]!;
    const error = await appErrorFrom(updateSecret({ actor, id: original.id, input: toSecretUpdate(values, original) }));
    expect(error.code).toBe("validation_error");
    const server = error.extra.fields as Record<string, string>;
    const form = formMessages(values, "edit");
    expect(Object.keys(server).length).toBeGreaterThan(0);
    for (const [path, message] of Object.entries(server)) expect({ path, message: form[path] }).toEqual({ path, message });
  });

  it("a good stored secret passes the form", () => {
    expect(formMessages(blank)).toEqual({});
  });
});
