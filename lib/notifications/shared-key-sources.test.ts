import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { receiveAzureEventGrid } from "./azure-eventgrid-source";
import type { NotificationInput } from "./notification-input";
import { receiveSignedWebhook, webhookSignature } from "./signed-webhook-source";

const WEBHOOK_KEY = "webhook-key-0123456789";
const AZURE_KEY = "azure-key-0123456789";
const NOW = 1_760_000_000_000;

beforeEach(() => {
  Object.assign(process.env, { PROVENANCE_NOTIFY_WEBHOOK_KEY: WEBHOOK_KEY, PROVENANCE_NOTIFY_AZURE_KEY: AZURE_KEY });
  resetEnvForTests();
});
afterEach(() => {
  delete process.env.PROVENANCE_NOTIFY_WEBHOOK_KEY;
  delete process.env.PROVENANCE_NOTIFY_AZURE_KEY;
  resetEnvForTests();
});

const input = (text: string, headers: Record<string, string> = {}, query = ""): NotificationInput => ({
  text,
  headers: new Headers(headers),
  query: new URLSearchParams(query),
  now: NOW,
});
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );

describe("the signed webhook", () => {
  const signed = (body: string, at = NOW / 1000, key = WEBHOOK_KEY) =>
    input(body, { "x-provenance-timestamp": String(at), "x-provenance-signature": webhookSignature(key, String(at), body) });

  it("takes a body signed with the key within five minutes", async () => {
    const body = JSON.stringify({ path: "secret/app/db", connectionId: "c1" });
    expect(await receiveSignedWebhook(signed(body))).toEqual({
      event: "webhook",
      names: [{ type: "any", path: "secret/app/db", connectionId: "c1" }],
    });
    expect((await receiveSignedWebhook(signed(body, NOW / 1000 - 299))).names).toHaveLength(1);
  });

  it("refuses another key, an edited body, an old or future timestamp, and missing headers", async () => {
    const body = JSON.stringify({ path: "secret/app/db" });
    expect((await failure(receiveSignedWebhook(signed(body, NOW / 1000, "another-key-0123456789"))))?.code).toBe("unauthorized");
    const edited = signed(body);
    expect((await failure(receiveSignedWebhook({ ...edited, text: JSON.stringify({ path: "secret/other" }) })))?.code).toBe("unauthorized");
    expect((await failure(receiveSignedWebhook(signed(body, NOW / 1000 - 301))))?.message).toMatch(/5 minutes/);
    expect((await failure(receiveSignedWebhook(signed(body, NOW / 1000 + 301))))?.message).toMatch(/5 minutes/);
    expect((await failure(receiveSignedWebhook(input(body))))?.code).toBe("unauthorized");
  });

  it("a signed body that is not {path, connectionId?} is a 400", async () => {
    expect((await failure(receiveSignedWebhook(signed(JSON.stringify({ path: "x", extra: 1 })))))?.code).toBe("validation_error");
    expect((await failure(receiveSignedWebhook(signed("not json"))))?.code).toBe("invalid_json");
  });
});

describe("Event Grid", () => {
  const newVersion = (name: string) => ({
    eventType: "Microsoft.KeyVault.SecretNewVersionCreated",
    data: { VaultName: "shop-kv", ObjectName: name, Id: `https://shop-kv.vault.azure.net/secrets/${name}/1` },
  });

  it("checks the key, in the query or a header, before reading the body", async () => {
    expect((await failure(receiveAzureEventGrid(input("not json"))))?.code).toBe("unauthorized");
    expect((await failure(receiveAzureEventGrid(input("[]", {}, "key=azure-key-wrong"))))?.code).toBe("unauthorized");
    expect((await receiveAzureEventGrid(input(JSON.stringify([newVersion("db")]), { "x-provenance-key": AZURE_KEY }))).names).toHaveLength(
      1,
    );
  });

  it("answers the validation handshake and names the secrets of new versions; other events are ignored", async () => {
    const validation = [{ eventType: "Microsoft.EventGrid.SubscriptionValidationEvent", data: { validationCode: "code-1" } }];
    expect((await receiveAzureEventGrid(input(JSON.stringify(validation), {}, `key=${AZURE_KEY}`))).reply).toEqual({
      validationResponse: "code-1",
    });
    const outcome = await receiveAzureEventGrid(
      input(JSON.stringify([newVersion("db"), { eventType: "Microsoft.KeyVault.SecretNearExpiry", data: {} }]), {}, `key=${AZURE_KEY}`),
    );
    expect(outcome.names).toEqual([
      { type: "azure-kv", vaultName: "shop-kv", objectName: "db", objectUrl: "https://shop-kv.vault.azure.net/secrets/db/1" },
    ]);
    const expiring = await receiveAzureEventGrid(
      input(JSON.stringify([{ eventType: "Microsoft.KeyVault.SecretNearExpiry", data: {} }]), {}, `key=${AZURE_KEY}`),
    );
    expect(expiring).toMatchObject({ names: [], ignored: expect.any(String) });
  });
});
