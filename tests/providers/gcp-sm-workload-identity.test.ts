import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { addressChanges, credentialsNotResent } from "@/lib/providers/address-change";
import { configSchema, describeField } from "@/lib/providers/definition";
import { gcpSmAdapter } from "@/lib/providers/gcp-sm/adapter";
import { gcpSmDefinition } from "@/lib/providers/gcp-sm/definition";
import { startGcpFake, startGcpIdentityFake, type GcpFake, type GcpIdentityFake } from "../support/fakes/gcp";
import { trustTestCa } from "../support/fakes/tls";
import { appErrorFrom, expectNoCredentials, DEADLINE_SLACK_MS } from "./support/app-errors";
import { makeServiceAccount } from "./support/service-account";

// Keyless GCP: Workload Identity Federation (an external_account configuration whose OIDC token
// file is exchanged at STS) and service-account impersonation (IAM Credentials
// generateAccessToken), against a TLS fake of both token services whose tokens the TLS Secret
// Manager fake then checks.
const PROJECT = "provenance-test";
const AUDIENCE = "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/ci/providers/github";
const CI_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvYXBpIn0.c2lnbmF0dXJlLWNp";
const UNKNOWN_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV2aWwvYXBpIn0.c2lnbmF0dXJlLWV2aWw";
const READER = "secrets-reader@provenance-test.iam.gserviceaccount.com";
const OTHER = "other@provenance-test.iam.gserviceaccount.com";
const key = makeServiceAccount(PROJECT);

let identity: GcpIdentityFake;
let shortLived: GcpIdentityFake;
let manager: GcpFake;
let tokenDir: string;
let outside: string;
let connection = 0;

beforeAll(async () => {
  trustTestCa();
  tokenDir = mkdtempSync(path.join(os.tmpdir(), "provenance-gcp-tokens-"));
  outside = mkdtempSync(path.join(os.tmpdir(), "provenance-gcp-elsewhere-"));
  writeFileSync(path.join(tokenDir, "ci-token"), `${CI_JWT}\n`);
  writeFileSync(path.join(tokenDir, "unknown-token"), UNKNOWN_JWT);
  writeFileSync(path.join(outside, "ci-token"), CI_JWT);
  symlinkSync(path.join(outside, "ci-token"), path.join(tokenDir, "escape"));
  const options = {
    tls: true,
    audience: AUDIENCE,
    subjectTokens: { [CI_JWT]: "repo:acme/api" },
    serviceAccountKeys: { [key.clientEmail]: key.publicKey },
    tokenCreators: { [READER]: [key.clientEmail, "federated:repo:acme/api"] },
  };
  [identity, shortLived] = await Promise.all([startGcpIdentityFake(options), startGcpIdentityFake({ ...options, ttlSeconds: 1 })]);
  manager = await startGcpFake({ tls: true, identity: combined([identity, shortLived]) });
  manager.putSecret(PROJECT, "api-key", "keyless-value");
  process.env.PROVENANCE_TOKEN_FILE_DIRS = tokenDir;
  process.env.PROVENANCE_GCP_IAM_CREDENTIALS_URL = identity.url;
  resetEnvForTests();
});

afterAll(async () => {
  await Promise.all([identity.close(), shortLived.close(), manager.close()]);
  rmSync(tokenDir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
  delete process.env.PROVENANCE_TOKEN_FILE_DIRS;
  delete process.env.PROVENANCE_GCP_IAM_CREDENTIALS_URL;
  resetEnvForTests();
});

/** The Secret Manager fake accepts tokens from either identity fake. */
function combined(fakes: GcpIdentityFake[]): GcpIdentityFake {
  return { ...fakes[0]!, principalOf: (token) => fakes.map((f) => f.principalOf(token)).find(Boolean) };
}

function externalAccount(
  extra: Record<string, unknown> = {},
  source: Record<string, unknown> = { file: path.join(tokenDir, "ci-token") },
  fake = identity,
) {
  return JSON.stringify({
    type: "external_account",
    audience: AUDIENCE,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: fake.tokenUrl,
    credential_source: source,
    ...extra,
  });
}

function context(config: Record<string, string>, timeoutMs = 5_000) {
  return { connectionKey: `gcp-wi-${++connection}:1`, config: { projectId: PROJECT, apiEndpoint: manager.endpoint, ...config }, timeoutMs };
}
const read = (config: Record<string, string>) => gcpSmAdapter.fetchSecret({ ...context(config), path: "api-key" });
const stsCalls = (fake = identity) => fake.requests.filter((r) => r.path === "/v1/token");
const iamCalls = () => identity.requests.filter((r) => r.path.endsWith(":generateAccessToken"));
const lastRead = () => manager.requests.at(-1)!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRETS = [CI_JWT, key.privateKeyPem, key.privateKeyPem.split("\n")[1]!];

describe("gcp-sm workload identity federation", () => {
  it("exchanges the OIDC token from the file at STS and reads with the federated token, once per token life", async () => {
    const ctx = context({ serviceAccountJson: externalAccount() });
    const before = stsCalls().length;
    expect((await gcpSmAdapter.fetchSecret({ ...ctx, path: "api-key" })).value).toBe("keyless-value");
    expect(lastRead().principal).toBe("federated:repo:acme/api");
    const exchange = new URLSearchParams(stsCalls().at(-1)!.body);
    expect(Object.fromEntries(exchange)).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      audience: AUDIENCE,
      scope: "https://www.googleapis.com/auth/cloud-platform",
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      subject_token: CI_JWT,
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    });
    await gcpSmAdapter.fetchSecret({ ...ctx, path: "api-key" });
    expect(stsCalls().length - before).toBe(1);
  });

  it("exchanges again once the federated token has run out", async () => {
    const ctx = context({ serviceAccountJson: externalAccount({}, undefined, shortLived) });
    await gcpSmAdapter.fetchSecret({ ...ctx, path: "api-key" });
    const first = lastRead().authorization;
    await sleep(1_200);
    expect((await gcpSmAdapter.fetchSecret({ ...ctx, path: "api-key" })).value).toBe("keyless-value");
    expect(lastRead().authorization).not.toBe(first);
    expect(stsCalls(shortLived).length).toBeGreaterThanOrEqual(2);
  });

  it("acts as the service account named by service_account_impersonation_url", async () => {
    const config = { serviceAccountJson: externalAccount({ service_account_impersonation_url: identity.impersonationUrl(READER) }) };
    expect((await read(config)).value).toBe("keyless-value");
    expect(lastRead().principal).toBe(READER);
    expect(iamCalls().at(-1)!.headers.authorization).toMatch(/^Bearer ya29\.fake-/);
  });

  it("refuses a token file outside PROVENANCE_TOKEN_FILE_DIRS, or linking out of them, before any exchange", async () => {
    const before = stsCalls().length;
    for (const file of [path.join(outside, "ci-token"), path.join(tokenDir, "escape")]) {
      const error = await appErrorFrom(read({ serviceAccountJson: externalAccount({}, { file }) }));
      expect(error.code).toBe("provider_error");
      expect(error.message).toMatch(
        /^GCP Secret Manager: cannot use the token file .+: it (is not in a folder|links outside the folders) token files may be read from$/,
      );
      expect(error.extra.hint).toContain("PROVENANCE_TOKEN_FILE_DIRS");
      expectNoCredentials(error, SECRETS);
    }
    expect(stsCalls().length).toBe(before);
  });

  it("reports a wrong audience or an unknown token as refused by STS, with a hint and without the token", async () => {
    const wrongAudience = await appErrorFrom(read({ serviceAccountJson: externalAccount({ audience: `${AUDIENCE}-other` }) }));
    expect(wrongAudience.message).toMatch(
      /^GCP Secret Manager: the token exchange at 127\.0\.0\.1:\d+ was refused \(invalid_target\): The target service/,
    );
    expect(wrongAudience.extra).toMatchObject({ upstreamCode: "invalid_target", upstreamStatus: 400 });
    expect(wrongAudience.extra.hint).toContain("audience");
    const unknown = await appErrorFrom(read({ serviceAccountJson: externalAccount({}, { file: path.join(tokenDir, "unknown-token") }) }));
    expect(unknown.extra.upstreamCode).toBe("invalid_grant");
    for (const error of [wrongAudience, unknown]) expectNoCredentials(error, [...SECRETS, UNKNOWN_JWT]);
  });

  it("refuses url, executable and AWS sources even when stored before the rules, without fetching or running anything", async () => {
    const before = identity.requests.length;
    for (const [source, words] of [
      [{ url: `${identity.url}/subject-token` }, "credential_source.url is not supported"],
      [{ executable: { command: "/bin/sh -c 'touch /tmp/pwned'" } }, "credential_source.executable is not supported"],
      [{ environment_id: "aws1", regional_cred_verification_url: identity.url }, "AWS credential sources"],
    ] as const) {
      const error = await appErrorFrom(read({ serviceAccountJson: externalAccount({}, source) }));
      expect(error.message).toContain(words);
    }
    expect(identity.requests.length).toBe(before);
  });

  it("never sends the token to a token_url whose name resolves to a metadata address", async () => {
    const port = new URL(identity.url).port;
    const resolveHost = async (host: string) => [{ address: host === "sts.rebound.test" ? "169.254.169.254" : "127.0.0.1", family: 4 }];
    const before = identity.requests.length;
    const config = { serviceAccountJson: externalAccount({ token_url: `https://sts.rebound.test:${port}/v1/token` }) };
    const error = await appErrorFrom(gcpSmAdapter.fetchSecret({ ...context(config), resolveHost, path: "api-key" }));
    expect(error.message).toBe(
      "GCP Secret Manager: sts.rebound.test resolves to a link-local metadata address; cloud metadata endpoints are never contacted",
    );
    expect(identity.requests.length).toBe(before);
  });

  it("follows no redirect from STS: the subject token stays with token_url", async () => {
    const before = shortLived.requests.length;
    identity.faults.add({ status: 307, headers: { location: `${shortLived.url}/v1/token` } });
    const error = await appErrorFrom(read({ serviceAccountJson: externalAccount() }));
    expect(error.message).toMatch(
      /^GCP Secret Manager: redirected to another host \(127\.0\.0\.1:\d+, HTTP 307\); redirects to another host are not followed$/,
    );
    expect(shortLived.requests.length).toBe(before);
  });

  it("retries STS when it is briefly unavailable, and times out a slow one on time", async () => {
    identity.faults.add({ status: 503 });
    expect((await read({ serviceAccountJson: externalAccount() })).value).toBe("keyless-value");
    identity.faults.add({ delayMs: 3_000 });
    const started = Date.now();
    const error = await appErrorFrom(
      gcpSmAdapter.fetchSecret({ ...context({ serviceAccountJson: externalAccount() }, 400), path: "api-key" }),
    );
    expect(error.code).toBe("provider_timeout");
    expect(Date.now() - started).toBeLessThan(400 + DEADLINE_SLACK_MS);
  });
});

describe("gcp-sm service-account impersonation", () => {
  it("impersonates with a service-account key: a self-signed JWT calls IAM, the account's token reads", async () => {
    expect((await read({ serviceAccountJson: key.json, impersonateServiceAccount: READER })).value).toBe("keyless-value");
    expect(lastRead().principal).toBe(READER);
    const call = iamCalls().at(-1)!;
    expect(call.path).toBe(`/v1/projects/-/serviceAccounts/${READER}:generateAccessToken`);
    expect(JSON.parse(call.body)).toEqual({ scope: ["https://www.googleapis.com/auth/cloud-platform"], lifetime: "3600s" });
    const claims = JSON.parse(Buffer.from(String(call.headers.authorization).split(".")[1]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ iss: key.clientEmail, sub: key.clientEmail });
  });

  it("impersonates with an external account as the base credentials", async () => {
    const stsBefore = stsCalls().length;
    expect((await read({ serviceAccountJson: externalAccount(), impersonateServiceAccount: READER })).value).toBe("keyless-value");
    expect(lastRead().principal).toBe(READER);
    expect(stsCalls().length - stsBefore).toBe(1);
  });

  it("reports an account it may not impersonate, with the role to grant and no credential", async () => {
    for (const serviceAccountJson of [key.json, externalAccount()]) {
      const error = await appErrorFrom(read({ serviceAccountJson, impersonateServiceAccount: OTHER }));
      expect(error.message).toBe(`GCP Secret Manager: not permitted to impersonate ${OTHER} (PERMISSION_DENIED)`);
      expect(error.extra).toMatchObject({ upstreamCode: "PERMISSION_DENIED", upstreamStatus: 403, upstreamService: "iamcredentials" });
      expect(error.extra.hint).toContain("roles/iam.serviceAccountTokenCreator");
      expectNoCredentials(error, [...SECRETS, "ya29.fake-"]);
    }
  });

  it("checks a connection through the impersonation: refused impersonation fails the check", async () => {
    await expect(
      gcpSmAdapter.checkConnection(context({ serviceAccountJson: key.json, impersonateServiceAccount: READER })),
    ).resolves.toBeUndefined();
    expect(lastRead().principal).toBe(READER);
    const error = await appErrorFrom(
      gcpSmAdapter.checkConnection(context({ serviceAccountJson: key.json, impersonateServiceAccount: OTHER })),
    );
    expect(error.extra).toMatchObject({ upstreamCode: "PERMISSION_DENIED", upstreamService: "iamcredentials" });
  });

  it("reports a key IAM does not know as rejected credentials", async () => {
    const stranger = makeServiceAccount(PROJECT);
    const error = await appErrorFrom(read({ serviceAccountJson: stranger.json, impersonateServiceAccount: READER }));
    expect(error.message).toBe(`GCP Secret Manager: the credentials were rejected while impersonating ${READER} (UNAUTHENTICATED)`);
    expectNoCredentials(error, [stranger.privateKeyPem.split("\n")[1]!]);
  });

  it("says so when there are no base credentials at all", async () => {
    vi.stubEnv("GOOGLE_APPLICATION_CREDENTIALS", "");
    vi.stubEnv("CLOUDSDK_CONFIG", "/nonexistent/gcloud");
    vi.stubEnv("METADATA_SERVER_DETECTION", "none");
    try {
      const error = await appErrorFrom(read({ impersonateServiceAccount: READER }));
      expect(error.message).toBe(
        "GCP Secret Manager: no credentials to impersonate with: set serviceAccountJson or give the server application default credentials",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("refuses an IAM Credentials address that breaks the URL rules", async () => {
    process.env.PROVENANCE_GCP_IAM_CREDENTIALS_URL = "https://169.254.169.254";
    resetEnvForTests();
    try {
      const error = await appErrorFrom(read({ serviceAccountJson: key.json, impersonateServiceAccount: READER }));
      expect(error.message).toBe(
        "GCP Secret Manager: PROVENANCE_GCP_IAM_CREDENTIALS_URL cannot be used: Cloud metadata addresses are not allowed",
      );
    } finally {
      process.env.PROVENANCE_GCP_IAM_CREDENTIALS_URL = identity.url;
      resetEnvForTests();
    }
  });
});

describe("gcp-sm keyless config", () => {
  const check = (config: Record<string, string>, allowInsecure = false) => {
    const result = configSchema(gcpSmDefinition, { allowInsecure }).safeParse({ projectId: PROJECT, ...config });
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
  };
  const federation = (extra: Record<string, unknown> = {}, source: Record<string, unknown> = { file: "/var/run/secrets/tokens/gcp" }) =>
    JSON.stringify({
      type: "external_account",
      audience: AUDIENCE,
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      token_url: "https://sts.googleapis.com/v1/token",
      credential_source: source,
      ...extra,
    });

  it("takes an external_account configuration with a token file, and a service account to impersonate", () => {
    expect(check({ serviceAccountJson: federation() })).toEqual({});
    expect(
      check({
        serviceAccountJson: federation({
          service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${READER}:generateAccessToken`,
        }),
      }),
    ).toEqual({});
    expect(check({ serviceAccountJson: federation({}, { file: "/var/run/secrets/tokens/gcp", format: { type: "text" } }) })).toEqual({});
    expect(check({ serviceAccountJson: key.json, impersonateServiceAccount: READER })).toEqual({});
    expect(check({ impersonateServiceAccount: READER })).toEqual({});
  });

  it("refuses sources that fetch or run, and says what to use instead", () => {
    const refused = (source: Record<string, unknown>) => check({ serviceAccountJson: federation({}, source) }).serviceAccountJson;
    expect(refused({ url: "http://169.254.169.254/metadata/identity/oauth2/token" })).toMatch(
      /^credential_source\.url is not supported: .* use credential_source\.file$/,
    );
    expect(refused({ executable: { command: "/usr/bin/get-token" } })).toMatch(/^credential_source\.executable is not supported/);
    expect(refused({ environment_id: "aws1" })).toMatch(/^AWS credential sources/);
    expect(refused({ file: "relative/token" })).toBe(
      "credential_source.file must be an absolute file path, e.g. /var/run/secrets/tokens/gcp-token",
    );
    expect(refused({ file: "/var/run/secrets/t.json", format: { type: "json", subject_token_field_name: "id_token" } })).toMatch(
      /^credential_source\.format must be/,
    );
    expect(
      check({ serviceAccountJson: JSON.stringify({ type: "external_account", token_url: "https://sts.googleapis.com/v1/token" }) })
        .serviceAccountJson,
    ).toMatch(/credential_source/);
  });

  it("holds token_url and service_account_impersonation_url to the provider URL rules", () => {
    expect(check({ serviceAccountJson: federation({ token_url: "http://sts.example.com/v1/token" }) }).serviceAccountJson).toMatch(
      /^token_url: Plain http:\/\/ is refused/,
    );
    expect(check({ serviceAccountJson: federation({ token_url: "http://sts.example.com/v1/token" }) }, true)).toEqual({});
    expect(check({ serviceAccountJson: federation({ token_url: "https://169.254.169.254/token" }) }, true).serviceAccountJson).toBe(
      "token_url: Cloud metadata addresses are not allowed",
    );
    expect(
      check({ serviceAccountJson: federation({ service_account_impersonation_url: "https://metadata.google.internal/x" }) })
        .serviceAccountJson,
    ).toBe("service_account_impersonation_url: Cloud metadata addresses are not allowed");
    expect(
      check({ serviceAccountJson: federation({ subject_token_type: "urn:ietf:params:oauth:token-type:saml2" }) }).serviceAccountJson,
    ).toMatch(/^subject_token_type must be/);
    expect(check({ serviceAccountJson: federation({ audience: "" }) }).serviceAccountJson).toMatch(/audience/);
  });

  it("checks the account to impersonate, and refuses impersonating twice", () => {
    expect(check({ impersonateServiceAccount: "not-an-email" }).impersonateServiceAccount).toBe(
      "Must be a service account email, e.g. reader@my-project.iam.gserviceaccount.com",
    );
    expect(check({ impersonateServiceAccount: "someone@gmail.com" }).impersonateServiceAccount).toBeDefined();
    const twice = check({
      serviceAccountJson: federation({
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${READER}:generateAccessToken`,
      }),
      impersonateServiceAccount: OTHER,
    });
    expect(twice.impersonateServiceAccount).toMatch(/already impersonates/);
  });

  it("keeps the rule that credentials stay with their address: the JSON is sensitive, the account to impersonate is not an address", () => {
    const field = gcpSmDefinition.fields.find((f) => f.key === "impersonateServiceAccount")!;
    expect(describeField(field)).toMatchObject({ key: "impersonateServiceAccount", required: false });
    expect("sensitive" in describeField(field)).toBe(false);
    const before = { projectId: PROJECT, serviceAccountJson: federation(), apiEndpoint: "secretmanager.googleapis.com" };
    const moved = { ...before, apiEndpoint: "secretmanager.example.com" };
    expect(addressChanges(gcpSmDefinition, before, moved).map((c) => c.field)).toEqual(["apiEndpoint"]);
    expect(credentialsNotResent(gcpSmDefinition, moved, () => false)).toEqual(["serviceAccountJson"]);
    expect(addressChanges(gcpSmDefinition, before, { ...before, impersonateServiceAccount: OTHER })).toEqual([]);
  });
});
