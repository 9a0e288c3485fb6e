import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { decrypt, keyIdOf } from "@/lib/crypto";
import { db, disconnectDb } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { secretValueAad } from "@/lib/keys/aad";
import { readKeyCheck } from "@/lib/keys/key-check-store";
import { keyring } from "@/lib/keys/keyring";
import { providerAdapters } from "@/lib/providers/adapters";
import { openConfig } from "@/lib/secret-providers/connection-config";
import { createConnection } from "@/lib/secret-providers/write-connections";
import { resolveSecret } from "@/lib/secrets/resolve/resolve-secrets";
import { MAX_SECRET_VALUE_BYTES } from "@/lib/secrets/secret-schemas";
import { createSecret } from "@/lib/secrets/write-secrets";
import { exportToFile } from "@/lib/transfer/export-bundle";
import { importBundle } from "@/lib/transfer/import-bundle";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { startGcpFake, type GcpFake } from "../support/fakes/gcp";
import { trustTestCa } from "../support/fakes/tls";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { makeServiceAccount } from "../providers/support/service-account";
import type { TempDatabase } from "../support/databases";
import { newInstall } from "./support/install";
import { deliverChange } from "@/lib/change-events";

/**
 * Moving an install between SQLite and PostgreSQL with export/import, in-process against real
 * databases. The check that matters: every secret resolves to the same value afterwards, stored
 * ones (decrypted under the target's own master key) and external ones (fetched through the real
 * SDKs from the wire-protocol fakes with the credentials that travelled in the bundle).
 */
const actor: Actor = { kind: "user", id: "u-transfer", label: "tester", role: "admin", scope: null, userId: null, sourceIp: null };
const PASSPHRASE = `bundle passphrase ${randomBytes(6).toString("hex")}`;

const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const AWS_KEY = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const AZURE = { tenant: "tenant-transfer", clientId: "client-transfer", clientSecret: randomBytes(16).toString("hex") };
const GCP_PROJECT = "transfer-project";
const gcpAccount = makeServiceAccount(GCP_PROJECT);

let vault: VaultFake;
let aws: AwsFake;
let azure: AzureFake;
let gcp: GcpFake;
let azureVersion: string;
let workDir: string;
const created: TempDatabase[] = [];
const savedInsecure = process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS;

beforeAll(async () => {
  trustTestCa();
  process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS = "true"; // the fakes listen on http://127.0.0.1
  [vault, aws, azure, gcp] = await Promise.all([
    startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } }),
    startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret }),
    startAzureFake({ tenantId: AZURE.tenant, clients: { [AZURE.clientId]: AZURE.clientSecret } }),
    startGcpFake(),
  ]);
  vault.putSecret("secret/app/db", { username: "app", password: `vault-pw-${randomBytes(4).toString("hex")}` });
  aws.putSecret("prod/stripe", JSON.stringify({ api_key: `sk_aws_${randomBytes(6).toString("hex")}` }));
  azureVersion = azure.putSecret("db-password", `azure-${randomBytes(6).toString("hex")}`);
  azure.putSecret("db-password", "a later azure version");
  gcp.putSecret(GCP_PROJECT, "api-key", `gcp-${randomBytes(6).toString("hex")}`);
  gcp.putSecret(GCP_PROJECT, "api-key", "a later gcp version");
  workDir = mkdtempSync(path.join(os.tmpdir(), "provenance-transfer-"));
});

afterEach(async () => {
  await disconnectDb();
  await Promise.all(created.splice(0).map((d) => d.drop()));
});

afterAll(async () => {
  await Promise.all([vault?.close(), aws?.close(), azure?.close(), gcp?.close()]);
  rmSync(workDir, { recursive: true, force: true });
  if (savedInsecure === undefined) delete process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS;
  else process.env.PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS = savedInsecure;
  resetEnvForTests();
});

/** This process's resolve cache and SDK clients, keyed by ids that survive the move: start afresh. */
function forgetCaches(connectionIds: string[]): void {
  // What a restarted server would hold: nothing (the event every cache listens to for "drop all").
  deliverChange({ kind: "all" });
  for (const adapter of Object.values(providerAdapters)) for (const id of connectionIds) adapter.forget(id);
}

const STORED: Record<string, string> = {
  "app.stripe.apiKey": `sk_live_${randomBytes(12).toString("hex")}`,
  "app.unicode": `pässwörd 🔑 秘密 \u202e mirrored\t\ttabs\nnew line \u0000 nul ${randomBytes(3).toString("hex")}`,
  // Exactly the largest value the API accepts (60 KiB of UTF-8), random so a leak would show.
  "app.large": randomBytes((MAX_SECRET_VALUE_BYTES / 4) * 3).toString("base64"),
  "app.empty": "",
  "app.json": JSON.stringify({ user: "svc", password: `json-pw-${randomBytes(5).toString("hex")}` }),
};

interface Seeded {
  connections: Array<{ id: string; name: string; type: string; config: Record<string, string> }>;
  paths: string[];
  /** Values and credentials that must never appear in a bundle file. */
  sensitive: string[];
}

async function seed(): Promise<Seeded> {
  const connections: Seeded["connections"] = [];
  const connect = async (name: string, type: string, config: Record<string, string>, description = "") => {
    const view = await createConnection({ actor, input: { name, type, config, description } });
    connections.push({ id: view.id, name, type, config });
    return view.id;
  };
  const vaultId = await connect(
    "vault-main",
    "vault",
    { vaultUrl: vault.url, token: VAULT_TOKEN, namespace: "team-a", kvVersion: "2" },
    "Vault — équipe A",
  );
  const awsId = await connect("aws-prod", "aws-sm", {
    region: "eu-west-1",
    accessKeyId: AWS_KEY.id,
    secretAccessKey: AWS_KEY.secret,
    endpoint: aws.url,
  });
  const azureId = await connect("azure-kv", "azure-kv", {
    vaultUrl: azure.vaultUrl,
    tenantId: AZURE.tenant,
    clientId: AZURE.clientId,
    clientSecret: AZURE.clientSecret,
    authorityHost: azure.authorityUrl,
  });
  const gcpId = await connect("gcp-sm", "gcp-sm", {
    projectId: GCP_PROJECT,
    serviceAccountJson: gcpAccount.json,
    apiEndpoint: `http://${gcp.endpoint}`,
  });
  await connect("aws-default-chain", "aws-sm", { region: "us-east-1" }, "no credentials: nothing sensitive to encrypt");

  for (const [secretPath, value] of Object.entries(STORED)) {
    await createSecret({
      actor,
      input: {
        secretPath,
        value,
        description: `stored ${secretPath}`,
        ...(secretPath === "app.json" ? { providerConfig: { jsonKey: "password" } } : {}),
      },
    });
  }
  const external = [
    {
      secretPath: "ext.vault",
      provider: "vault",
      providerPath: "secret/app/db",
      secretProviderId: vaultId,
      providerConfig: { jsonKey: "password", cacheTtlSeconds: 60 },
    },
    {
      secretPath: "ext.aws",
      provider: "aws-sm",
      providerPath: "prod/stripe",
      secretProviderId: awsId,
      providerConfig: { jsonKey: "api_key", version: "AWSCURRENT" },
    },
    {
      secretPath: "ext.azure",
      provider: "azure-kv",
      providerPath: "db-password",
      secretProviderId: azureId,
      providerConfig: { version: azureVersion },
    },
    {
      secretPath: "ext.gcp",
      provider: "gcp-sm",
      providerPath: "api-key",
      secretProviderId: gcpId,
      providerConfig: { version: "1" },
      description: "pinned",
    },
  ];
  for (const input of external) await createSecret({ actor, input });

  return {
    connections,
    paths: [...Object.keys(STORED), ...external.map((e) => e.secretPath)].sort(),
    sensitive: [
      ...Object.values(STORED).filter((v) => v.length >= 8),
      "json-pw-",
      VAULT_TOKEN,
      AWS_KEY.id,
      AWS_KEY.secret,
      AZURE.clientSecret,
      gcpAccount.privateKeyPem.split("\n")[1]!, // a line of the private key
      gcpAccount.clientEmail,
    ],
  };
}

async function resolveAll(paths: string[]) {
  const out: Record<string, { value: string; cached: boolean }> = {};
  for (const secretPath of paths) {
    const resolved = await resolveSecret({ actor, path: secretPath });
    out[secretPath] = { value: resolved.value, cached: resolved.cached };
  }
  return out;
}

/** Everything about connections and secrets except encryption, versions and authorship. */
async function describeInstall() {
  const connections = await db().secretProvider.findMany({ orderBy: { name: "asc" } });
  const byId = new Map(connections.map((c) => [c.id, c.name]));
  const secrets = await db().secret.findMany({ orderBy: { secretPath: "asc" } });
  return {
    connections: connections.map((c) => ({
      id: c.id,
      name: c.name,
      type: c.type,
      description: c.description,
      config: openConfig(c),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    })),
    secrets: secrets.map((s) => ({
      id: s.id,
      secretPath: s.secretPath,
      provider: s.provider,
      providerPath: s.providerPath,
      connection: s.secretProviderId ? byId.get(s.secretProviderId) : null,
      providerConfig: JSON.parse(s.providerConfig) as unknown,
      description: s.description,
      value: s.valueCiphertext === null ? null : decrypt(keyring(), s.valueCiphertext, secretValueAad(s.id)),
      createdAt: s.createdAt.toISOString(),
    })),
    keyIds: new Set(
      [...connections.map((c) => c.credentials), ...secrets.map((s) => s.valueCiphertext)]
        .filter((c) => c !== null)
        .map((c) => keyIdOf(c!)),
    ),
  };
}

async function auditEvents(action: string) {
  return db().auditEvent.findMany({ where: { action }, orderBy: { at: "asc" } });
}

function expectNoPlaintext(text: string, sensitive: string[]): void {
  for (const value of sensitive) {
    expect(text.includes(value), `the bundle contains a plaintext value (${value.length} chars)`).toBe(false);
    if (value.length >= 24) {
      // Nor the value merely re-encoded instead of encrypted.
      for (const encoding of ["base64", "base64url", "hex"] as const) {
        expect(text.includes(Buffer.from(value).toString(encoding).slice(4, 40))).toBe(false);
      }
    }
  }
}

describe.each([
  ["sqlite", "postgres"],
  ["postgres", "sqlite"],
] as const)("export from %s, import into %s", (from, to) => {
  it("every secret resolves to the same value and every connection opens to the same config", async () => {
    const source = await newInstall(from, created);
    const seeded = await seed();
    const before = await resolveAll(seeded.paths);
    expect(before["app.json"]!.value).toBe(JSON.parse(STORED["app.json"]!).password);
    const original = await describeInstall();
    const sourceKeyId = keyring().current.id;

    const file = path.join(workDir, `${from}-to-${to}.bundle.json`);
    writeFileSync(file, "an older file, world-readable", { mode: 0o644 });
    const counts = await exportToFile({ actor, passphrase: PASSPHRASE, file });
    expect(counts).toEqual({ connections: 5, secrets: 9, storedValues: 5 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [exported] = await auditEvents("bundle.export");
    expect(JSON.parse(exported!.details!)).toEqual({ connections: 5, secrets: 9, storedValues: 5 });

    const text = readFileSync(file, "utf8");
    expectNoPlaintext(text, [...seeded.sensitive, ...seeded.paths, ...seeded.connections.map((c) => c.name)]);

    const target = await newInstall(to, created);
    expect(target.key).not.toBe(source.key);
    expect(keyring().current.id).not.toBe(sourceKeyId);
    forgetCaches(seeded.connections.map((c) => c.id));
    const requestsBefore = {
      vault: vault.requests.length,
      aws: aws.signedBy.length,
      azure: azure.tokenRequests.length,
      gcp: gcp.requests.length,
    };

    const report = await importBundle({ actor, text, passphrase: PASSPHRASE, label: path.basename(file) });
    expect(report).toEqual({
      connections: { created: 5, replaced: 0, skipped: 0 },
      secrets: { created: 9, replaced: 0, skipped: 0 },
      newIds: 0,
    });

    // The same values, fetched afresh (not from a cache) in the target.
    const after = await resolveAll(seeded.paths);
    expect(Object.fromEntries(Object.entries(after).map(([p, r]) => [p, r.value]))).toEqual(
      Object.fromEntries(Object.entries(before).map(([p, r]) => [p, r.value])),
    );
    expect(Object.values(after).every((r) => !r.cached)).toBe(true);
    expect(vault.requests.length).toBeGreaterThan(requestsBefore.vault);
    expect(vault.requests.at(-1)!.headers["x-vault-token"]).toBe(VAULT_TOKEN);
    expect(aws.signedBy.slice(requestsBefore.aws)).toContain(AWS_KEY.id);
    expect(azure.tokenRequests.slice(requestsBefore.azure).map((r) => r.clientSecret)).toContain(AZURE.clientSecret);
    expect(gcp.requests.length).toBeGreaterThan(requestsBefore.gcp);

    // Every row, config and value identical; ids and timestamps kept; all under the target's key.
    const moved = await describeInstall();
    expect(moved.connections).toEqual(original.connections);
    expect(moved.secrets).toEqual(original.secrets);
    for (const connection of seeded.connections) {
      const row = await db().secretProvider.findUniqueOrThrow({ where: { name: connection.name } });
      expect(openConfig(row)).toEqual(connection.config);
    }
    expect(moved.keyIds).toEqual(new Set([keyring().current.id]));
    expect(await readKeyCheck()).toBe("current");

    const [imported] = await auditEvents("bundle.import");
    expect(imported).toMatchObject({ actorType: "user", outcome: "success", targetType: "bundle", targetLabel: path.basename(file) });
    expect(JSON.parse(imported!.details!)).toMatchObject({
      onConflict: "fail",
      sourceDatabase: from === "sqlite" ? "sqlite" : "postgresql",
      connectionsCreated: 5,
      secretsCreated: 9,
      storedValues: 5,
    });
    const auditText = JSON.stringify([exported, imported]);
    for (const value of seeded.sensitive) expect(auditText).not.toContain(value);
  }, 180_000);
});
