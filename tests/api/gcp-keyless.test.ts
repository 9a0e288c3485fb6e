import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeServiceAccount } from "../providers/support/service-account";
import { startGcpFake, startGcpIdentityFake, type GcpFake, type GcpIdentityFake } from "../support/fakes/gcp";
import { TEST_CA_ENV } from "../support/fakes/tls";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { startServer, type RunningServer } from "./support/server";

/**
 * GCP connections without a key, through the built server (a server of its own, on the suite's
 * database, with a token folder and the test CA): an external_account configuration is saved,
 * masked, tested and read through; impersonateServiceAccount goes through IAM Credentials; sources
 * that would fetch or run are refused with the field named.
 */
const PROJECT = "proj-keyless";
const AUDIENCE = "//iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/ci/providers/gh";
const CI_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvYXBpIn0.a2V5bGVzcy1hcGk";
const READER = "reader@proj-keyless.iam.gserviceaccount.com";
const MASK = "••••••••";
const key = makeServiceAccount(PROJECT);

let server: RunningServer;
let identity: GcpIdentityFake;
let manager: GcpFake;
let tokenDir: string;

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

beforeAll(async () => {
  tokenDir = mkdtempSync(path.join(os.tmpdir(), "provenance-gcp-keyless-"));
  writeFileSync(path.join(tokenDir, "ci-token"), CI_JWT);
  identity = await startGcpIdentityFake({
    tls: true,
    audience: AUDIENCE,
    subjectTokens: { [CI_JWT]: "repo:acme/api" },
    serviceAccountKeys: { [key.clientEmail]: key.publicKey },
    tokenCreators: { [READER]: ["federated:repo:acme/api", key.clientEmail] },
  });
  manager = await startGcpFake({ tls: true, identity });
  manager.putSecret(PROJECT, "db-password", "keyless-db-pw");
  const { databaseUrl, masterKey } = apiContext();
  server = await startServer(
    {
      DATABASE_URL: databaseUrl,
      SECRETS_MASTER_KEY: masterKey,
      ...TEST_CA_ENV,
      PROVENANCE_TOKEN_FILE_DIRS: tokenDir,
      PROVENANCE_GCP_IAM_CREDENTIALS_URL: identity.url,
    },
    `${apiContext().kind}-gcp-keyless`,
  );
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all([identity?.close(), manager?.close()]);
  rmSync(tokenDir, { recursive: true, force: true });
});

const at = <T>(route: string, options: Parameters<typeof call>[1] = {}) =>
  call<T & ErrorBody>(route, { ...options, baseUrl: server.baseUrl });

function externalAccount(source: Record<string, unknown> = { file: path.join(tokenDir, "ci-token") }) {
  return JSON.stringify({
    type: "external_account",
    audience: AUDIENCE,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: identity.tokenUrl,
    credential_source: source,
  });
}

async function connect(config: Record<string, string>) {
  const response = await at<{ id: string; config: Record<string, string> }>("/api/secret-providers", {
    method: "POST",
    body: { name: unique("gcp-keyless"), type: "gcp-sm", config: { projectId: PROJECT, apiEndpoint: manager.endpoint, ...config } },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

async function readThrough(connectionId: string) {
  const secretPath = unique("keyless.gcp").replace(/[^A-Za-z0-9_.-]/g, "-");
  const created = await at("/api/secrets", {
    method: "POST",
    body: { secretPath, provider: "gcp-sm", providerPath: "db-password", secretProviderId: connectionId },
  });
  expect(created.status, created.text).toBe(201);
  return at<{ value: string }>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);
}

describe("gcp-sm without a key, over the API", () => {
  it("lists impersonateServiceAccount among the gcp-sm fields, not as a credential", async () => {
    const types = await at<{ type: string; configSchema: { key: string; sensitive?: boolean }[] }[]>("/api/secret-providers/types");
    expect(types.status, types.text).toBe(200);
    const fields = types.body.find((t) => t.type === "gcp-sm")!.configSchema;
    expect(fields.find((f) => f.key === "impersonateServiceAccount")).toMatchObject({ key: "impersonateServiceAccount" });
    expect(fields.find((f) => f.key === "impersonateServiceAccount")!.sensitive).toBeUndefined();
    expect(fields.find((f) => f.key === "serviceAccountJson")!.sensitive).toBe(true);
  });

  it("saves an external account masked, tests it and reads through it with the federated token", async () => {
    const connection = await connect({ serviceAccountJson: externalAccount() });
    expect(connection.config.serviceAccountJson).toBe(MASK);
    const tested = await at<{ ok: boolean }>(`/api/secret-providers/${connection.id}/test`, { method: "POST", body: {} });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body.ok, tested.text).toBe(true);
    const resolved = await readThrough(connection.id);
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.value).toBe("keyless-db-pw");
    expect(manager.requests.at(-1)!.principal).toBe("federated:repo:acme/api");
  });

  it("impersonates a service account with a key as the base credentials", async () => {
    const connection = await connect({ serviceAccountJson: key.json, impersonateServiceAccount: READER });
    expect(connection.config.impersonateServiceAccount).toBe(READER);
    const resolved = await readThrough(connection.id);
    expect(resolved.status, resolved.text).toBe(200);
    expect(manager.requests.at(-1)!.principal).toBe(READER);
  });

  it("refuses a url or executable credential source with validation_error naming the field", async () => {
    for (const [source, words] of [
      [{ url: `${identity.url}/token` }, "credential_source.url is not supported"],
      [{ executable: { command: "/usr/bin/id" } }, "credential_source.executable is not supported"],
    ] as const) {
      const response = await at("/api/secret-providers", {
        method: "POST",
        body: { name: unique("gcp-bad"), type: "gcp-sm", config: { projectId: PROJECT, serviceAccountJson: externalAccount(source) } },
      });
      expect(response.status, response.text).toBe(400);
      expect(response.body.error.code).toBe("validation_error");
      expect(response.body.error.fields?.["config.serviceAccountJson"]).toContain(words);
    }
  });

  it("fails the connection test, with the hint, when the token file is outside the allowed folders", async () => {
    const connection = await connect({ serviceAccountJson: externalAccount({ file: "/etc/hostname" }) });
    const tested = await at<{ ok: boolean; error: { message: string; hint?: string } }>(`/api/secret-providers/${connection.id}/test`, {
      method: "POST",
      body: {},
    });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.error.message).toBe(
      "GCP Secret Manager: cannot use the token file /etc/hostname: it is not in a folder token files may be read from",
    );
    expect(tested.body.error.hint).toContain("PROVENANCE_TOKEN_FILE_DIRS");
    expect(tested.text).not.toContain(CI_JWT);
  });
});
