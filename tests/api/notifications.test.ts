import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { startAzureFake, type AzureFake } from "../support/fakes/azure";
import { startGcpFake, type GcpFake } from "../support/fakes/gcp";
import { newSigningKey, startOidcIssuerFake, type OidcIssuerFake } from "../support/fakes/oidc-issuer";
import { makeSigningCertificate, secretsManagerEvent, startSnsFake, type SnsFake } from "../support/fakes/sns";
import { TEST_CA_ENV } from "../support/fakes/tls";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { webhookSignature } from "@/lib/notifications/signed-webhook-source";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";
import { ClientAt } from "./support/from-address";
import { startServer, type RunningServer } from "./support/server";

/**
 * Inbound change notifications through the built server (one of its own, on the suite's database,
 * with every source configured against local fakes that sign like the real services): a value
 * changed upstream is served from the cache until the manager's notification arrives, and the
 * new one within 2 s after it; forgeries are refused with 401 and refresh nothing.
 */
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:secret-changes";
const AUDIENCE = "https://provenance.example.test/api/notifications/gcp-pubsub";
const PUSHER = "pubsub-push@shop.iam.gserviceaccount.com";
const AZURE_KEY = randomBytes(24).toString("base64url");
const WEBHOOK_KEY = randomBytes(24).toString("base64url");
const VAULT_TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const AWS_KEY = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
const AZURE = { tenant: "tenant-n", clientId: "client-n", clientSecret: randomBytes(16).toString("hex") };
const PROJECT = "proj-notify";

let server: RunningServer;
let vault: VaultFake;
let aws: AwsFake;
let gcp: GcpFake;
let azure: AzureFake;
let sns: SnsFake;
let google: OidcIssuerFake;
const connections: Record<string, string> = {};

interface Received {
  source: string;
  event: string;
  matched: number;
  ignored?: string;
  validationResponse?: string;
  error: { code: string; message: string };
}
interface Resolved {
  value: string;
  cached: boolean;
}

const at = <T>(route: string, options: Parameters<typeof call>[1] = {}) => call<T>(route, { ...options, baseUrl: server.baseUrl });
const notify = (source: string, body: unknown, headers: Record<string, string> = {}, search = "") =>
  at<Received>(`/api/notifications/${source}${search}`, {
    method: "POST",
    token: null,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers,
  });
const resolve = (secretPath: string) => at<Resolved>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);

beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
  aws = await startAwsFake({ [AWS_KEY.id]: AWS_KEY.secret });
  gcp = await startGcpFake();
  azure = await startAzureFake({ tenantId: AZURE.tenant, clients: { [AZURE.clientId]: AZURE.clientSecret } });
  sns = await startSnsFake();
  google = await startOidcIssuerFake();
  const { databaseUrl, masterKey } = apiContext();
  server = await startServer(
    {
      DATABASE_URL: databaseUrl,
      SECRETS_MASTER_KEY: masterKey,
      ...TEST_CA_ENV,
      PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
      PROVENANCE_NOTIFY_AWS_TOPIC_ARNS: TOPIC,
      PROVENANCE_NOTIFY_AWS_CERT_URL_PATTERN: `^${sns.url.replace(/\./g, "\\.")}/SimpleNotificationService-[0-9a-f]+\\.pem$`,
      PROVENANCE_NOTIFY_GCP_AUDIENCE: AUDIENCE,
      PROVENANCE_NOTIFY_GCP_SERVICE_ACCOUNT: PUSHER,
      PROVENANCE_NOTIFY_GCP_ISSUER: google.issuer,
      PROVENANCE_NOTIFY_AZURE_KEY: AZURE_KEY,
      PROVENANCE_NOTIFY_WEBHOOK_KEY: WEBHOOK_KEY,
      PROVENANCE_NOTIFY_FAILURES_PER_MINUTE: "1000",
    },
    `${apiContext().kind}-notifications`,
  );
  // The route's first request loads its code; what is timed below is a notification's work, not that.
  for (const source of ["webhook", "aws-sns", "gcp-pubsub", "azure-eventgrid"]) await notify(source, "{}");
  const connect = async (type: string, config: Record<string, string>) => {
    const response = await at<{ id: string }>("/api/secret-providers", {
      method: "POST",
      body: { name: unique(`notify-${type}`), type, config },
    });
    expect(response.status, response.text).toBe(201);
    connections[type] = response.body.id;
  };
  await connect("vault", { vaultUrl: vault.url, token: VAULT_TOKEN });
  await connect("aws-sm", { region: "eu-west-1", accessKeyId: AWS_KEY.id, secretAccessKey: AWS_KEY.secret, endpoint: aws.url });
  await connect("gcp-sm", { projectId: PROJECT, apiEndpoint: `http://${gcp.endpoint}` });
  await connect("azure-kv", {
    vaultUrl: azure.vaultUrl,
    tenantId: AZURE.tenant,
    clientId: AZURE.clientId,
    clientSecret: AZURE.clientSecret,
    authorityHost: azure.authorityUrl,
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all([vault?.close(), aws?.close(), gcp?.close(), azure?.close(), sns?.close(), google?.close()]);
});

/** An external secret read once (so its value is cached for 300 s), then changed upstream. */
async function cachedThenChanged(provider: string, providerPath: string, change: () => void, before: string): Promise<string> {
  const secretPath = unique(`notify.${provider}`).replace(/[^A-Za-z0-9_.-]/g, "-");
  const created = await at("/api/secrets", {
    method: "POST",
    body: { secretPath, provider, providerPath, secretProviderId: connections[provider], providerConfig: { cacheTtlSeconds: 300 } },
  });
  expect(created.status, created.text).toBe(201);
  expect((await resolve(secretPath)).body.value).toBe(before);
  change();
  // Without a notification the cache answers with the old value.
  expect((await resolve(secretPath)).body).toMatchObject({ value: before, cached: true });
  return secretPath;
}

/**
 * Sends the notification and expects the new value from the first resolve after its answer (the
 * cache is dropped before the notification is answered; the re-read may already have refilled it),
 * within 2 s of sending it.
 */
async function refreshedWithin2s(
  secretPath: string,
  after: string,
  send: () => Promise<{ status: number; body: Received; text: string }>,
  matched = 1,
) {
  const sent = Date.now();
  const response = await send();
  expect(response.status, response.text).toBe(200);
  expect(response.body.matched).toBe(matched);
  const resolved = await resolve(secretPath);
  const elapsed = Date.now() - sent;
  expect(resolved.body.value).toBe(after);
  expect(elapsed).toBeLessThan(2000);
}

function signedWebhook(body: unknown, options: { key?: string; timestamp?: number } = {}) {
  const text = JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    text,
    headers: {
      "x-provenance-timestamp": timestamp,
      "x-provenance-signature": webhookSignature(options.key ?? WEBHOOK_KEY, timestamp, text),
    },
  };
}

describe("a notification refreshes within 2 s", () => {
  it("generic signed webhook (Vault): the path, with or without data/", async () => {
    const path = `secret/notify/${unique("db")}`;
    vault.putSecret(path, { password: "v1" });
    const secretPath = await cachedThenChanged("vault", path, () => vault.putSecret(path, { password: "v2" }), "v1");
    const { text, headers } = signedWebhook({ path: path.replace("secret/", "secret/data/"), connectionId: connections.vault });
    await refreshedWithin2s(secretPath, "v2", () => notify("webhook", text, headers));
  });

  it("AWS EventBridge through SNS: a signed PutSecretValue event naming the secret's ARN", async () => {
    const name = unique("prod/notify");
    aws.putSecret(name, "aws-1");
    const secretPath = await cachedThenChanged("aws-sm", name, () => void aws.putSecret(name, "aws-2"), "aws-1");
    const event = secretsManagerEvent("PutSecretValue", `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbC123`);
    await refreshedWithin2s(secretPath, "aws-2", () =>
      notify("aws-sns", sns.notification(TOPIC, event, { signatureVersion: "1" }), { "content-type": "text/plain; charset=UTF-8" }),
    );
  });

  it("GCP Pub/Sub push: SECRET_VERSION_ADD with the push's OIDC token", async () => {
    const name = unique("notify").replace(/[^A-Za-z0-9_-]/g, "-");
    gcp.putSecret(PROJECT, name, "gcp-1");
    const secretPath = await cachedThenChanged("gcp-sm", name, () => void gcp.putSecret(PROJECT, name, "gcp-2"), "gcp-1");
    const token = google.idToken({ aud: AUDIENCE, email: PUSHER, email_verified: true, sub: "1234" });
    await refreshedWithin2s(secretPath, "gcp-2", () =>
      notify("gcp-pubsub", pubsubPush("SECRET_VERSION_ADD", `projects/${PROJECT}/secrets/${name}`), { authorization: `Bearer ${token}` }),
    );
  });

  it("Azure Event Grid: SecretNewVersionCreated with the shared key", async () => {
    const name = unique("notify").replace(/[^A-Za-z0-9-]/g, "-");
    azure.putSecret(name, "az-1");
    const secretPath = await cachedThenChanged("azure-kv", name, () => void azure.putSecret(name, "az-2"), "az-1");
    const events = [keyVaultEvent("Microsoft.KeyVault.SecretNewVersionCreated", name)];
    await refreshedWithin2s(secretPath, "az-2", () => notify("azure-eventgrid", events, {}, `?key=${encodeURIComponent(AZURE_KEY)}`));
  });
});

function pubsubPush(eventType: string, secretId: string) {
  return {
    message: {
      attributes: { eventType, secretId, dataFormat: "JSON" },
      data: Buffer.from("{}").toString("base64"),
      messageId: "1",
      publishTime: new Date().toISOString(),
    },
    subscription: `projects/${PROJECT}/subscriptions/provenance`,
  };
}

function keyVaultEvent(eventType: string, name: string) {
  return {
    id: unique("event"),
    topic: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/shop-kv",
    subject: name,
    eventType,
    eventTime: new Date().toISOString(),
    data: { Id: `${azure.vaultUrl}/secrets/${name}/abc`, VaultName: "shop-kv", ObjectType: "Secret", ObjectName: name, Version: "abc" },
    dataVersion: "1",
    metadataVersion: "1",
  };
}

describe("the README's webhook example", () => {
  it("signs as the server checks: its curl call refreshes the secret it names", async () => {
    const readme = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const start = readme.indexOf("<!-- example: notification-webhook -->");
    expect(start).toBeGreaterThan(-1);
    const script = /```bash\n([\s\S]*?)```/.exec(readme.slice(start))![1]!.replaceAll("https://provenance.example.com", server.baseUrl);
    vault.putSecret("secret/payments/stripe", { key: "readme-1" });
    const secretPath = await cachedThenChanged(
      "vault",
      "secret/payments/stripe",
      () => vault.putSecret("secret/payments/stripe", { key: "readme-2" }),
      "readme-1",
    );
    const output = execFileSync("bash", ["-c", `set -eu\n${script}`], {
      encoding: "utf8",
      env: { ...process.env, PROVENANCE_NOTIFY_WEBHOOK_KEY: WEBHOOK_KEY },
    });
    expect(JSON.parse(output)).toMatchObject({ source: "webhook", matched: expect.any(Number) });
    expect(JSON.parse(output).matched).toBeGreaterThanOrEqual(1);
    expect((await resolve(secretPath)).body.value).toBe("readme-2");
  });
});

describe("handshakes", () => {
  it("SNS: a signed SubscriptionConfirmation from an accepted topic is confirmed at its SubscribeURL", async () => {
    const response = await notify("aws-sns", sns.subscriptionConfirmation(TOPIC));
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ event: "SubscriptionConfirmation", matched: 0 });
    expect(sns.confirmed).toContain(TOPIC);
  });

  it("Event Grid: the validation event is answered with its code, only with the key", async () => {
    const validation = [
      {
        id: "v",
        eventType: "Microsoft.EventGrid.SubscriptionValidationEvent",
        subject: "",
        data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" },
        dataVersion: "1",
      },
    ];
    const answered = await notify("azure-eventgrid", validation, {}, `?key=${encodeURIComponent(AZURE_KEY)}`);
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body).toEqual({ validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" });
    expect((await notify("azure-eventgrid", validation, { "x-provenance-key": AZURE_KEY })).status).toBe(200);
    expect((await notify("azure-eventgrid", validation, {}, "?key=wrong-key-wrong-key")).status).toBe(401);
  });
});

describe("forgeries and mistakes refresh nothing", () => {
  async function cachedVaultSecret() {
    const path = `secret/notify/${unique("forged")}`;
    vault.putSecret(path, { value: "old" });
    const secretPath = await cachedThenChanged("vault", path, () => vault.putSecret(path, { value: "new" }), "old");
    return { path, secretPath };
  }
  const expectRefused = (response: { status: number; body: Received; text: string }, reason: RegExp) => {
    expect(response.status, response.text).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
    expect(response.body.error.message).toMatch(reason);
  };

  it("each source refuses what it cannot authenticate, without echoing what was sent", async () => {
    const { path, secretPath } = await cachedVaultSecret();
    const wrongKey = signedWebhook({ path }, { key: "another-key-another-key" });
    expectRefused(await notify("webhook", wrongKey.text, wrongKey.headers), /X-Provenance-Signature does not match/);
    const stale = signedWebhook({ path }, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expectRefused(await notify("webhook", stale.text, stale.headers), /more than 5 minutes/);
    const good = signedWebhook({ path });
    expectRefused(await notify("webhook", JSON.stringify({ path: "secret/other" }), good.headers), /X-Provenance-Signature does not match/);

    const event = secretsManagerEvent("PutSecretValue", "prod/anything");
    expectRefused(
      await notify("aws-sns", sns.notification(TOPIC, event, { key: makeSigningCertificate().key })),
      /signature does not verify/,
    );
    expectRefused(await notify("aws-sns", sns.notification("arn:aws:sns:eu-west-1:999999999999:theirs", event)), /topic is not one/);
    expectRefused(
      await notify("aws-sns", sns.notification(TOPIC, event, { certificateUrl: "https://example.com/cert.pem" })),
      /SigningCertURL/,
    );

    const push = pubsubPush("SECRET_VERSION_ADD", `projects/${PROJECT}/secrets/x`);
    expectRefused(await notify("gcp-pubsub", push), /Authorization: Bearer/);
    const otherAudience = google.idToken({ aud: "https://elsewhere.example", email: PUSHER, email_verified: true });
    expectRefused(await notify("gcp-pubsub", push, { authorization: `Bearer ${otherAudience}` }), /audience/);
    const otherAccount = google.idToken({ aud: AUDIENCE, email: "someone@evil.iam.gserviceaccount.com", email_verified: true });
    expectRefused(await notify("gcp-pubsub", push, { authorization: `Bearer ${otherAccount}` }), /service account/);
    const unsigned = google.idToken({ aud: AUDIENCE, email: PUSHER, email_verified: true }, { header: { alg: "none" } });
    expectRefused(await notify("gcp-pubsub", push, { authorization: `Bearer ${unsigned}` }), /algorithm is not accepted/);
    const unpublished = google.idToken({ aud: AUDIENCE, email: PUSHER, email_verified: true }, { key: newSigningKey() });
    expectRefused(await notify("gcp-pubsub", push, { authorization: `Bearer ${unpublished}` }), /key its issuer does not publish/);
    const expired = google.idToken({ aud: AUDIENCE, email: PUSHER, email_verified: true, exp: Math.floor(Date.now() / 1000) - 120 });
    const expiredResponse = await notify("gcp-pubsub", push, { authorization: `Bearer ${expired}` });
    expectRefused(expiredResponse, /expired/);
    expect(expiredResponse.text).not.toContain(expired.split(".")[2]);

    expectRefused(await notify("azure-eventgrid", [keyVaultEvent("Microsoft.KeyVault.SecretNewVersionCreated", "x")]), /Event Grid key/);

    // None of that reached the cache.
    expect((await resolve(secretPath)).body).toMatchObject({ value: "old", cached: true });
  });

  it("bad bodies are 400s, never 500s; unknown sources 404; authentic events that change nothing are acknowledged", async () => {
    const garbage = signedWebhook({ nope: 1 });
    expect((await notify("webhook", garbage.text, garbage.headers)).status).toBe(400);
    const token = google.idToken({ aud: AUDIENCE, email: PUSHER, email_verified: true });
    expect((await notify("gcp-pubsub", "{not json", { authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await notify("aws-sns", { Type: "Notification" })).status).toBe(400);
    expect((await notify("nope", {})).status).toBe(404);
    const read = await notify("aws-sns", sns.notification(TOPIC, secretsManagerEvent("GetSecretValue", "prod/x")));
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ event: "GetSecretValue", matched: 0, ignored: expect.any(String) });
    const big = signedWebhook({ path: "x".repeat(70 * 1024) });
    expect((await notify("webhook", big.text, big.headers)).status).toBe(413);
  });

  it("a source that is not configured answers 404 (the suite's main server configures none)", async () => {
    const response = await call<Received>("/api/notifications/webhook", { method: "POST", token: null, body: { path: "secret/x" } });
    expect(response.status).toBe(404);
    expect(response.body.error.message).toContain("PROVENANCE_NOTIFY_WEBHOOK_KEY");
  });
});

describe("audit", () => {
  it("records notification.received with the source, the event and the secrets it refreshed", async () => {
    const path = `secret/notify/${unique("audited")}`;
    vault.putSecret(path, { v: "1" });
    const secretPath = await cachedThenChanged("vault", path, () => vault.putSecret(path, { v: "2" }), "1");
    const { text, headers } = signedWebhook({ path });
    expect((await notify("webhook", text, headers)).status).toBe(200);
    let rows: Array<{ outcome: string; details: string }> = [];
    for (let i = 0; i < 40 && rows.length === 0; i++) {
      rows = await query("SELECT outcome, details FROM audit_events WHERE action = 'notification.received' AND details LIKE $1", [
        `%${secretPath}%`,
      ]);
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]!.outcome).toBe("success");
    expect(JSON.parse(rows[0]!.details)).toMatchObject({
      source: "webhook",
      event: "webhook",
      matched: 1,
      secrets: [secretPath],
      upstream: [path],
    });
    const denied = await query("SELECT details FROM audit_events WHERE action = 'notification.received' AND outcome = 'denied'");
    expect(denied.length).toBeGreaterThan(0);
    for (const row of denied as Array<{ details: string }>) expect(row.details).not.toContain(WEBHOOK_KEY);
  });
});

describe("refusals are limited per address; authentic notifications never are", () => {
  let limited: RunningServer;
  beforeAll(async () => {
    const { databaseUrl, masterKey } = apiContext();
    limited = await startServer(
      {
        DATABASE_URL: databaseUrl,
        SECRETS_MASTER_KEY: masterKey,
        PROVENANCE_NOTIFY_WEBHOOK_KEY: WEBHOOK_KEY,
        PROVENANCE_NOTIFY_FAILURES_PER_MINUTE: "2",
      },
      `${apiContext().kind}-notifications-limited`,
    );
  }, 120_000);
  afterAll(() => limited?.stop());

  it("the third refusal in a minute is 429 with Retry-After; a signed notification still goes through", async () => {
    // A loopback address of this run's own: the suite's other refusals on this database do not count here.
    const client = new ClientAt(
      limited.baseUrl,
      `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`,
    );
    const post = async (body: { text: string; headers: Record<string, string> }) => {
      const response = await client.request("/api/notifications/webhook", {
        method: "POST",
        json: JSON.parse(body.text),
        headers: body.headers,
      });
      return {
        status: response.status,
        headers: new Headers(response.headers as Record<string, string>),
        text: response.text,
        body: response.json as Received,
      };
    };
    const forged = () => signedWebhook({ path: "secret/x" }, { key: "forged-key-forged-key" });
    expect((await post(forged())).status).toBe(401);
    expect((await post(forged())).status).toBe(401);
    const third = await post(forged());
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    const authentic = await post(signedWebhook({ path: "secret/nothing/here" }));
    expect(authentic.status, authentic.text).toBe(200);
    expect(authentic.body.matched).toBe(0);
  });
});
