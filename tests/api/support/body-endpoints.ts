import { unique } from "./client";

/**
 * Every endpoint that reads a JSON body, with a valid body and bodies whose members have the
 * wrong type, for bad-input.test.ts. `fixtures` is filled in by the test's beforeAll.
 */
export const fixtures = { connectionId: "", secret: { id: "", secretPath: "" } };

export interface BodyEndpoint {
  name: string;
  method: string;
  path: () => string;
  valid: () => Record<string, unknown>;
  /** Bodies with a member of the wrong type, and the `fields` key each must report. */
  wrongTypes: Array<[Record<string, unknown>, string]>;
  /** Where a nested object with arbitrary keys lives, if any (config, providerConfig). */
  nested?: string;
}

export const vault = () => ({
  name: unique("bad-input"),
  type: "vault",
  config: { vaultUrl: "https://vault.example.com", token: "hvs.badinputbadinput" },
});
export const newPath = () => unique("bad.input");

export const BODY_ENDPOINTS: BodyEndpoint[] = [
  {
    name: "POST /api/secret-providers",
    method: "POST",
    path: () => "/api/secret-providers",
    valid: vault,
    nested: "config",
    wrongTypes: [
      [{ ...vault(), name: 42 }, "name"],
      [{ ...vault(), config: "x" }, "config"],
      [{ ...vault(), config: [] }, "config"],
      [{ ...vault(), type: 3 }, "type"],
      [{ ...vault(), description: 5 }, "description"],
    ],
  },
  ...(["PUT", "PATCH"] as const).map((method) => ({
    name: `${method} /api/secret-providers/:id`,
    method,
    path: () => `/api/secret-providers/${fixtures.connectionId}`,
    valid: () => ({ description: "ok" }),
    nested: "config",
    wrongTypes: [
      [{ name: 42 }, "name"],
      [{ config: "x" }, "config"],
      [{ config: [] }, "config"],
      [{ config: { token: 5 } }, "config.token"],
    ] as Array<[Record<string, unknown>, string]>,
  })),
  {
    name: "POST /api/secrets",
    method: "POST",
    path: () => "/api/secrets",
    valid: () => ({ secretPath: newPath(), value: "v" }),
    nested: "providerConfig",
    wrongTypes: [
      [{ secretPath: {}, value: "v" }, "secretPath"],
      [{ secretPath: newPath(), value: 42 }, "value"],
      [{ secretPath: newPath(), value: "v", providerConfig: { cacheTtlSeconds: "x" } }, "providerConfig.cacheTtlSeconds"],
      [{ secretPath: newPath(), value: "v", providerConfig: { refreshSeconds: "x" } }, "providerConfig.refreshSeconds"],
      [{ secretPath: newPath(), value: "v", providerConfig: [] }, "providerConfig"],
    ],
  },
  ...(["PUT", "PATCH"] as const).map((method) => ({
    name: `${method} /api/secrets/:id`,
    method,
    path: () => `/api/secrets/${fixtures.secret.id}`,
    valid: () => ({ description: "ok" }),
    nested: "providerConfig",
    wrongTypes: [
      [{ secretPath: {} }, "secretPath"],
      [{ value: 42 }, "value"],
      [{ providerConfig: { cacheTtlSeconds: "x" } }, "providerConfig.cacheTtlSeconds"],
    ] as Array<[Record<string, unknown>, string]>,
  })),
  {
    name: "POST /api/secrets/resolve",
    method: "POST",
    path: () => "/api/secrets/resolve",
    valid: () => ({ paths: [fixtures.secret.secretPath] }),
    wrongTypes: [
      [{ paths: "x" }, "paths"],
      [{ paths: [1] }, "paths.0"],
      [{ prefix: 5 }, "prefix"],
    ],
  },
  {
    name: "POST /api/secret-providers/:id/test",
    method: "POST",
    path: () => `/api/secret-providers/${fixtures.connectionId}/test`,
    valid: () => ({}),
    wrongTypes: [
      [{ providerPath: 42 }, "providerPath"],
      [{ providerPath: {} }, "providerPath"],
    ],
  },
  {
    name: "POST /api/tokens",
    method: "POST",
    path: () => "/api/tokens",
    valid: () => ({ name: unique("bad-token"), role: "viewer" }),
    wrongTypes: [
      [{ name: 42, role: "viewer" }, "name"],
      [{ name: "n", role: 7 }, "role"],
      [{ name: "n", role: "viewer", scope: [] }, "scope"],
      [{ name: "n", role: "viewer", expiresInDays: "x" }, "expiresInDays"],
    ],
  },
];
