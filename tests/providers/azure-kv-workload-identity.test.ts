import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, generateKeyPairSync, sign, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { credentialsNotResent } from "@/lib/providers/address-change";
import { azureKvAdapter } from "@/lib/providers/azure-kv/adapter";
import { azureKvDefinition } from "@/lib/providers/azure-kv/definition";
import { checkedCertificate, signInCredential } from "@/lib/providers/azure-kv/sign-in";
import { configSchema } from "@/lib/providers/definition";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { checkCertificateAssertion, JWT_BEARER } from "../support/fakes/azure-client-assertion";
import { trustTestCa } from "../support/fakes/tls";
import { resolverAnswering } from "../support/resolver";
import { appErrorFrom, expectNoCredentials } from "./support/app-errors";

// Azure sign-in without a client secret: workload identity federation (a token file read at every
// token request) and client certificates (a JWT signed with the certificate's key), against an
// Entra ID token endpoint fake that checks the client assertion as Entra does.
const TENANT = "72f988bf-0000-4000-8000-provenance02";
const FEDERATED_CLIENT = "1a2b3c4d-0000-4000-8000-federated001";
const CERT_CLIENT = "1a2b3c4d-0000-4000-8000-certificate1";
const POD_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwOndlYiJ9.Zmlyc3Q";
const ROTATED_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwOndlYiJ9.c2Vjb25k";

let fake: AzureFake;
let dir: string;
let tokenDir: string;
let outside: string;
let connection = 0;
/** PEM of a certificate followed by its key, as a user pastes it. */
let certified: string;
let otherCertified: string;
let certificateOnly: string;
let otherKeyOnly: string;

/** A self-signed RSA certificate from openssl (node:crypto cannot issue X.509 certificates). */
function selfSigned(name: string): { certificate: string; key: string } {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", `/CN=${name}`],
    {
      stdio: "ignore",
    },
  );
  return { certificate: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
}

beforeAll(async () => {
  trustTestCa();
  dir = mkdtempSync(path.join(os.tmpdir(), "provenance-azure-certs-"));
  tokenDir = mkdtempSync(path.join(os.tmpdir(), "provenance-token-files-"));
  outside = mkdtempSync(path.join(os.tmpdir(), "provenance-elsewhere-"));
  process.env.PROVENANCE_TOKEN_FILE_DIRS = tokenDir;
  resetEnvForTests();
  writeFileSync(path.join(tokenDir, "azure-identity-token"), `${POD_TOKEN}\n`);
  writeFileSync(path.join(outside, "azure-identity-token"), POD_TOKEN);

  const app = selfSigned("provenance-app");
  const other = selfSigned("someone-else");
  certified = `${app.certificate}${app.key}`;
  otherCertified = `${other.certificate}${other.key}`;
  certificateOnly = app.certificate;
  otherKeyOnly = other.key;
  fake = await startAzureFake({
    tenantId: TENANT,
    clients: {},
    certificates: { [CERT_CLIENT]: app.certificate },
    federated: { [FEDERATED_CLIENT]: POD_TOKEN },
  });
  fake.putSecret("database-password", "keyless-value");
});

afterAll(async () => {
  await fake?.close();
  for (const folder of [dir, tokenDir, outside]) rmSync(folder, { recursive: true, force: true });
  delete process.env.PROVENANCE_TOKEN_FILE_DIRS;
  resetEnvForTests();
});

function context(config: Record<string, string>) {
  return {
    connectionKey: `azure-wi-${++connection}:1`,
    config: { vaultUrl: fake.vaultUrl, tenantId: TENANT, authorityHost: fake.authorityUrl, ...config },
    timeoutMs: 5_000,
  };
}
const federated = (file = path.join(tokenDir, "azure-identity-token")) => context({ clientId: FEDERATED_CLIENT, federatedTokenFile: file });
const withCertificate = (pem: string) => context({ clientId: CERT_CLIENT, clientCertificate: pem });
const read = (ctx: ReturnType<typeof context>) => azureKvAdapter.fetchSecret({ ...ctx, path: "database-password" });
/** The base64 body of every PEM block in the text: none of it may show up in an error. */
const pemBodies = (pem: string) =>
  [...pem.matchAll(/-----BEGIN [A-Z ]+-----\s*([A-Za-z0-9+/=\s]{40})/g)].map((m) => m[1]!.replace(/\s/g, ""));

describe("azure-kv keyless: the config", () => {
  const fields = (config: Record<string, string>) => {
    const result = configSchema(azureKvDefinition, { allowInsecure: true }).safeParse({
      vaultUrl: "https://my-vault.vault.azure.net",
      ...config,
    });
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
  };
  const app = { tenantId: TENANT, clientId: CERT_CLIENT };

  it("takes a client certificate or a federated token file instead of a client secret", () => {
    expect(fields({ ...app, clientCertificate: certified })).toEqual({});
    expect(fields({ ...app, federatedTokenFile: "/var/run/secrets/azure/tokens/azure-identity-token" })).toEqual({});
    expect(fields({ ...app, clientSecret: "s3cret" })).toEqual({});
    expect(fields({})).toEqual({});
  });

  it("needs tenant and client ID with either, and only one way of signing in", () => {
    expect(fields({ clientCertificate: certified })).toEqual({
      clientId: "Client ID is required with a Client certificate",
      tenantId: "Tenant ID is required with a Client certificate",
    });
    expect(fields({ tenantId: TENANT, federatedTokenFile: "/var/run/secrets/token" })).toEqual({
      clientId: "Client ID is required with a Federated token file",
    });
    expect(fields({ clientId: CERT_CLIENT, federatedTokenFile: "/var/run/secrets/token" })).toEqual({
      tenantId: "Tenant ID is required when Client ID is set",
    });
    expect(fields({ ...app })).toEqual({ clientSecret: "Client ID needs a Client Secret, a Client certificate or a Federated token file" });
    const only = "Use only one of a Client Secret, a Client certificate or a Federated token file";
    expect(fields({ ...app, clientSecret: "s3cret", clientCertificate: certified })).toEqual({ clientCertificate: only });
    expect(fields({ ...app, clientCertificate: certified, federatedTokenFile: "/var/run/secrets/token" })).toEqual({
      federatedTokenFile: only,
    });
  });

  it("wants PEM with a certificate and an unencrypted private key, and never echoes what it got", () => {
    const message = "Must be PEM text with a CERTIFICATE block and an unencrypted PRIVATE KEY (or RSA PRIVATE KEY) block";
    const encrypted = createPrivateKey(otherKeyOnly)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" })
      .toString();
    for (const pem of [certificateOnly, otherKeyOnly, `${certificateOnly}${encrypted}`, "not a certificate at all"]) {
      const problems = fields({ ...app, clientCertificate: pem });
      expect(problems).toEqual({ clientCertificate: message });
      for (const body of pemBodies(pem)) expect(JSON.stringify(problems)).not.toContain(body);
    }
    expect(fields({ ...app, federatedTokenFile: "relative/token" }).federatedTokenFile).toMatch(/absolute file path/);
    expect(fields({ ...app, federatedTokenFile: "/var/run/../etc/passwd" }).federatedTokenFile).toMatch(/absolute file path/);
  });

  it("describes both fields, the certificate as a masked credential that a new address asks for again", () => {
    const byKey = new Map(azureKvDefinition.fields.map((f) => [f.key, f]));
    expect(byKey.get("clientCertificate")).toMatchObject({ type: "textarea", sensitive: true, required: false });
    expect(byKey.get("federatedTokenFile")).toMatchObject({ type: "text", required: false });
    expect(byKey.get("federatedTokenFile")).not.toHaveProperty("sensitive");
    const after = { vaultUrl: "https://elsewhere.vault.azure.net", ...app, clientCertificate: certified };
    expect(credentialsNotResent(azureKvDefinition, after, () => false)).toEqual(["clientCertificate"]);
    expect(credentialsNotResent(azureKvDefinition, after, (key) => key === "clientCertificate")).toEqual([]);
  });
});

describe("azure-kv keyless: workload identity federation", () => {
  it("signs in with the token from the file as client assertion, no secret sent", async () => {
    const before = fake.tokenRequests.length;
    expect((await read(federated())).value).toBe("keyless-value");
    const sent = fake.tokenRequests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      clientId: FEDERATED_CLIENT,
      grantType: "client_credentials",
      clientAssertionType: JWT_BEARER,
      clientAssertion: POD_TOKEN,
    });
    expect(sent[0]!.clientSecret).toBe("");
  });

  it("reads the file again at each token request of the same credential, after the platform rotated it", async () => {
    // The credential itself, as the adapter builds it: the vault client would renew a short-lived
    // token in the background, at a moment a test cannot pin down.
    const credential = signInCredential(await import("@azure/identity"), federated());
    const scope = "https://vault.azure.net/.default";
    fake.tokenLifetimeSeconds = 60; // within MSAL's 5-minute margin: every getToken asks the token endpoint
    const before = fake.tokenRequests.length;
    try {
      await credential.getToken(scope);
      writeFileSync(path.join(tokenDir, "azure-identity-token"), ROTATED_TOKEN);
      fake.federated[FEDERATED_CLIENT] = ROTATED_TOKEN;
      await credential.getToken(scope);
      expect(fake.tokenRequests.slice(before).map((r) => r.clientAssertion)).toEqual([POD_TOKEN, ROTATED_TOKEN]);
    } finally {
      fake.tokenLifetimeSeconds = 3600;
      writeFileSync(path.join(tokenDir, "azure-identity-token"), POD_TOKEN);
      fake.federated[FEDERATED_CLIENT] = POD_TOKEN;
    }
  });

  it("reports a token the federated credential does not match, with a hint and without the token", async () => {
    fake.federated[FEDERATED_CLIENT] = ROTATED_TOKEN;
    try {
      const error = await appErrorFrom(read(federated()));
      expect(fake.tokenRequests.at(-1)!.clientAssertion).toBe(POD_TOKEN);
      expect(error.code).toBe("provider_error");
      expect(error.message).toBe("Azure Key Vault: authentication failed at the token endpoint (invalid_client, AADSTS70021)");
      expect(error.extra.hint).toContain("federated credential");
      expectNoCredentials(error, [POD_TOKEN, ROTATED_TOKEN]);
    } finally {
      fake.federated[FEDERATED_CLIENT] = POD_TOKEN;
    }
  });

  it("never reads a token file outside PROVENANCE_TOKEN_FILE_DIRS, and then asks for no token", async () => {
    const before = fake.tokenRequests.length;
    for (const [file, reason] of [
      [path.join(outside, "azure-identity-token"), /not in a folder token files may be read from/],
      [path.join(tokenDir, "missing"), /does not exist/],
    ] as const) {
      const error = await appErrorFrom(read(federated(file)));
      expect(error.code).toBe("provider_error");
      expect(error.message).toMatch(reason);
      expect(error.extra.hint).toContain("PROVENANCE_TOKEN_FILE_DIRS");
      expectNoCredentials(error, [POD_TOKEN]);
    }
    expect(fake.tokenRequests.length).toBe(before);
  });
});

describe("azure-kv keyless: client certificates", () => {
  it("signs in with a JWT signed by the certificate's key, no secret sent", async () => {
    const before = fake.tokenRequests.length;
    expect((await read(withCertificate(certified))).value).toBe("keyless-value");
    const sent = fake.tokenRequests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ clientId: CERT_CLIENT, clientAssertionType: JWT_BEARER, clientSecret: "" });
    const header = JSON.parse(Buffer.from(sent[0]!.clientAssertion!.split(".")[0]!, "base64url").toString("utf8"));
    expect(["RS256", "PS256"]).toContain(header.alg);
  });

  it("reports a certificate the app registration does not have, with a hint and nothing of the PEM", async () => {
    const error = await appErrorFrom(read(withCertificate(otherCertified)));
    expect(error.code).toBe("provider_error");
    expect(error.message).toBe("Azure Key Vault: authentication failed at the token endpoint (invalid_client, AADSTS700027)");
    expect(error.extra.hint).toContain("this certificate (not an older or newer one) is uploaded to the app registration");
    expectNoCredentials(error, pemBodies(otherCertified));
  });

  it("refuses, before asking for a token, a key that is not the certificate's or is not RSA", async () => {
    const before = fake.tokenRequests.length;
    const mismatched = await appErrorFrom(read(withCertificate(`${certificateOnly}${otherKeyOnly}`)));
    expect(mismatched.message).toBe(
      "Azure Key Vault: unusable client certificate: the private key does not belong to the (first) certificate",
    );
    expect(mismatched.extra.hint).toContain("PEM");
    expectNoCredentials(mismatched, pemBodies(`${certificateOnly}${otherKeyOnly}`));
    const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const ec = await appErrorFrom(read(withCertificate(`${certificateOnly}${ecKey}`)));
    expect(ec.message).toBe("Azure Key Vault: unusable client certificate: the private key is ec; Entra ID takes RSA keys only");
    expect(fake.tokenRequests.length).toBe(before);
  });

  it("refuses an expired certificate locally", () => {
    expect(checkedCertificate(certified)).toBe(certified);
    expect(() => checkedCertificate(certified, new Date(Date.now() + 3 * 24 * 3600_000))).toThrow(
      /unusable client certificate: the certificate expired on \d{4}-/,
    );
  });
});

describe("azure-kv keyless: the sign-in authority is guarded for these too", () => {
  it("asks an authority that resolves to a metadata address for no token, by certificate or federated token", async () => {
    const before = fake.tokenRequests.length;
    const authorityHost = `https://login.invalid:${new URL(fake.authorityUrl).port}`;
    for (const ctx of [withCertificate(certified), federated()]) {
      const config = { ...ctx.config, authorityHost };
      const error = await appErrorFrom(
        azureKvAdapter.fetchSecret({ ...ctx, config, resolveHost: resolverAnswering("169.254.169.254"), path: "database-password" }),
      );
      expect(error.code).toBe("provider_error");
      expect(error.message).toBe("Azure Key Vault: cannot use the sign-in authority: its metadata could not be loaded for this tenant");
      expect(error.extra.hint).toContain("authorityHost");
      expectNoCredentials(error, [POD_TOKEN, ...pemBodies(certified)]);
    }
    expect(fake.tokenRequests.length).toBe(before);
  });
});

describe("the Entra fake checks certificate assertions", () => {
  const tokenEndpoint = `https://127.0.0.1/${TENANT}/oauth2/v2.0/token`;
  function assertion(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, pem = certified) {
    const raw = new X509Certificate(certificateOnly).raw;
    const now = Math.floor(Date.now() / 1000);
    const head = Buffer.from(
      JSON.stringify({ alg: "RS256", "x5t#S256": createHash("sha256").update(raw).digest("base64url"), ...header }),
    ).toString("base64url");
    const body = Buffer.from(
      JSON.stringify({ aud: tokenEndpoint, iss: CERT_CLIENT, sub: CERT_CLIENT, exp: now + 600, nbf: now, ...claims }),
    ).toString("base64url");
    const signature = sign("sha256", Buffer.from(`${head}.${body}`), createPrivateKey(pem)).toString("base64url");
    return `${head}.${body}.${signature}`;
  }
  const check = (jwt: string) =>
    checkCertificateAssertion(jwt, { certificatePem: certificateOnly, clientId: CERT_CLIENT, tokenEndpoint })?.aadsts ?? null;

  it("accepts a well-made assertion and refuses each flaw", () => {
    expect(check(assertion())).toBeNull();
    expect(
      check(
        assertion(
          {},
          { "x5t#S256": undefined, x5t: createHash("sha1").update(new X509Certificate(certificateOnly).raw).digest("base64url") },
        ),
      ),
    ).toBeNull();
    expect(check(assertion({}, {}, otherCertified))).toBe(700027);
    const valid = assertion();
    expect(check(`${valid.slice(0, valid.lastIndexOf(".") + 1)}${"A".repeat(342)}`)).toBe(700027);
    expect(check(assertion({}, { alg: "none" }))).toBe(700027);
    expect(check(assertion({}, { alg: "HS256" }))).toBe(700027);
    expect(check(assertion({}, { "x5t#S256": "AAAA" }))).toBe(700027);
    expect(check(assertion({ aud: "https://login.example.com/token" }))).toBe(700212);
    expect(check(assertion({ iss: "someone-else" }))).toBe(700021);
    expect(check(assertion({ sub: "someone-else" }))).toBe(700021);
    expect(check(assertion({ exp: Math.floor(Date.now() / 1000) - 3600 }))).toBe(700024);
    expect(check("not-a-jwt")).toBe(50027);
  });
});
