import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdapterContext, ProviderAdapter } from "@/lib/providers/adapter";
import { awsSmAdapter } from "@/lib/providers/aws-sm/adapter";
import { azureKvAdapter } from "@/lib/providers/azure-kv/adapter";
import { MAX_ERROR_REPLY_BYTES } from "@/lib/providers/upstream/reply-size";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { trustTestCa } from "../support/fakes/tls";
import { appErrorFrom } from "./support/app-errors";

/**
 * A hostile upstream's error replies, for every HTTP-based provider (GCP speaks gRPC, whose
 * status details are never passed through): a mebibyte of private-key openings with no END,
 * HTML and terminal escape sequences, and a smaller one under the error-reply cap. The big one
 * is never read past 64 KiB (only its status counts); the small one is read, cut to 1 KiB, then
 * stripped and redacted. Either way the message is one short clean line, soon.
 */
const KIB = 1024;
const ESCAPES = "\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e<html><script>alert(1)</script>\n";
const hostile = (size: number) => ESCAPES + "-----BEGIN RSA PRIVATE KEY----- ".repeat(Math.floor(size / 32));
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let server: { url: string; close(): Promise<void> };
let body = "";
let connection = 0;

beforeAll(async () => {
  trustTestCa();
  const raw = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "ValidationException" });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
  server = {
    url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (raw.closeAllConnections(), raw.close(() => resolve()))),
  };
});
afterAll(() => server?.close());

const PROVIDERS: Array<{ name: string; adapter: ProviderAdapter; config: () => Record<string, string>; body: (text: string) => string }> = [
  {
    name: "HashiCorp Vault",
    adapter: vaultAdapter,
    config: () => ({ vaultUrl: server.url, token: "hvs.hostile-upstream-token-0123456789" }),
    body: (text) => JSON.stringify({ errors: [text] }),
  },
  {
    name: "AWS Secrets Manager",
    adapter: awsSmAdapter,
    config: () => ({
      region: "eu-west-1",
      accessKeyId: "AKIAHOSTILEUPSTREAM1",
      secretAccessKey: "hostile/upstream/secret/key/0123456789",
      endpoint: server.url,
    }),
    body: (text) => JSON.stringify({ __type: "ValidationException", message: text }),
  },
  {
    name: "Azure Key Vault",
    adapter: azureKvAdapter,
    config: () => ({ vaultUrl: server.url, tenantId: "t", clientId: "c", clientSecret: "hostile-upstream-client-secret" }),
    body: (text) => JSON.stringify({ error: { code: "BadParameter", message: text } }),
  },
];

const context = (config: Record<string, string>): AdapterContext => ({
  connectionKey: `hostile-${++connection}:1`,
  config,
  timeoutMs: 10_000,
});

describe.each(PROVIDERS)("$name: hostile error replies", (provider) => {
  it.each([
    ["a mebibyte (never read past the error-reply cap)", 1024 * KIB],
    ["just under the error-reply cap (read, cut, stripped, redacted)", MAX_ERROR_REPLY_BYTES - 2 * KIB],
  ])(
    "%s: one short clean message, soon",
    async (_name, size) => {
      body = provider.body(hostile(size));
      // Warm: SDK import and client creation are not what is measured.
      await appErrorFrom(provider.adapter.fetchSecret({ ...context(provider.config()), path: "warm-up" }));
      const started = performance.now();
      const error = await appErrorFrom(provider.adapter.fetchSecret({ ...context(provider.config()), path: "app" }));
      const elapsed = performance.now() - started;
      expect(error.code).toBe("provider_error");
      expect(error.message.startsWith(`${provider.name}: `)).toBe(true);
      expect(error.message.length).toBeLessThanOrEqual(600);
      expect(error.message).not.toMatch(CONTROL);
      expect(error.message).not.toContain("BEGIN RSA PRIVATE KEY");
      expect(JSON.stringify(error.extra)).not.toMatch(/BEGIN RSA|\\u001b|<script>/);
      // Loose: a quadratic redaction of the mebibyte took seconds; bounded work takes milliseconds.
      expect(elapsed).toBeLessThan(1500);
    },
    60_000,
  );
});
