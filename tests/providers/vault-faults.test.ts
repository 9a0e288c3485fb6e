import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vaultAdapter } from "@/lib/providers/vault/adapter";
import { MAX_REPLY_BYTES } from "@/lib/providers/vault/vault-http";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { appErrorFrom, expectNoCredentials, DEADLINE_SLACK_MS } from "./support/app-errors";

// How Vault failures reach the caller: codes, hints, retries, deadline.
const TOKEN = "hvs.provenance-fault-token-0123456789";
const NARROW_TOKEN = "hvs.narrow-fault-token-0123456789";

let fake: VaultFake;
let connection = 0;
beforeAll(async () => {
  fake = await startVaultFake({ mounts: { secret: 2, kv: 1 }, tokens: { [TOKEN]: [""], [NARROW_TOKEN]: ["secret/data/allowed/"] } });
  fake.putSecret("secret/app", { value: "ok" });
  fake.putSecret("kv/legacy/db", { password: "v1-pw" });
});
afterAll(() => fake.close());

function context(config: Record<string, string> = {}, timeoutMs = 3_000) {
  return { connectionKey: `vault-faults-${++connection}:1`, config: { vaultUrl: fake.url, token: TOKEN, ...config }, timeoutMs };
}
const fetchApp = (timeoutMs = 3_000) => vaultAdapter.fetchSecret({ ...context({}, timeoutMs), path: "secret/app" });
/** Reads of the secret itself: each fresh connection also asks once which engine serves the path. */
const isRead = (r: { path: string }) => !r.path.startsWith("/v1/sys/internal/ui/mounts/");
const countRequests = async (run: () => Promise<unknown>) => {
  const before = fake.requests.length;
  await run().catch(() => {});
  return fake.requests.slice(before).filter(isRead).length;
};

describe("vault adapter: failures", () => {
  it("404 after data/ was inserted hints that KV v1 mounts need kvVersion 1", async () => {
    const error = await appErrorFrom(vaultAdapter.fetchSecret({ ...context(), path: "kv/legacy/db" }));
    expect(error.message).toBe("HashiCorp Vault: secret kv/data/legacy/db not found (HTTP 404)");
    expect(error.extra).toMatchObject({ upstreamStatus: 404, hint: expect.stringContaining('kvVersion to "1"') });
  });

  it("404 from a KV v2 mount read as v1 hints kvVersion 2", async () => {
    const error = await appErrorFrom(vaultAdapter.fetchSecret({ ...context({ kvVersion: "1" }), path: "secret/app" }));
    expect(error.extra.hint).toContain('kvVersion to "2"');
  });

  it("403 names the expanded path the token's policy must allow, and never the token", async () => {
    const error = await appErrorFrom(vaultAdapter.fetchSecret({ ...context({ token: NARROW_TOKEN }), path: "secret/app" }));
    expect(error.message).toBe("HashiCorp Vault: permission denied reading secret/data/app (HTTP 403: permission denied)");
    expect(error.extra.hint).toContain('grants "read" on secret/data/app');
    expectNoCredentials(error, [NARROW_TOKEN, TOKEN]);
  });

  it("retries 429 until it clears", async () => {
    fake.faults.add({ status: 429, message: "request path secret/data/app: rate limit quota exceeded" }, 2);
    expect(await countRequests(() => fetchApp())).toBe(3);
    expect(fake.faults.pending).toBe(0);
  });

  it("waits as long as Retry-After asks, and fails at once when that would pass the deadline", async () => {
    fake.faults.add({ status: 429, retryAfter: "1" });
    let started = Date.now();
    expect((await fetchApp()).value).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);

    fake.faults.add({ status: 429, retryAfter: "30" });
    started = Date.now();
    const error = await appErrorFrom(fetchApp(2_000));
    expect(Date.now() - started).toBeLessThan(DEADLINE_SLACK_MS);
    expect(error.code).toBe("provider_error");
    expect(error.message).toContain("rate limited reading secret/data/app (HTTP 429");
  });

  it("retries a 500 that clears; gives up on a 503 that does not after 3 attempts", async () => {
    fake.faults.add({ status: 500, message: "internal error" });
    expect(await countRequests(() => fetchApp())).toBe(2);
    fake.faults.add({ status: 503, message: "Vault is sealed" }, 4);
    let error;
    expect(await countRequests(async () => (error = await appErrorFrom(fetchApp())))).toBe(3);
    expect(error!.message).toBe("HashiCorp Vault: server error reading secret/data/app (HTTP 503: Vault is sealed) after 3 attempts");
    expect(error!.extra.hint).toContain("sealed");
    while (fake.faults.take());
  });

  it("times out a slow reply on time, then keeps serving", async () => {
    fake.faults.add({ delayMs: 5_000 });
    const started = Date.now();
    const error = await appErrorFrom(fetchApp(300));
    expect(Date.now() - started).toBeLessThan(300 + DEADLINE_SLACK_MS);
    expect(error).toMatchObject({
      code: "provider_timeout",
      status: 504,
      message: "HashiCorp Vault: timed out after 300 ms fetching secret/app",
    });
    expect((await fetchApp()).value).toBe("ok");
  });

  it("reports malformed and oversized replies", async () => {
    fake.faults.add({ malformed: true });
    expect((await appErrorFrom(fetchApp())).message).toBe("HashiCorp Vault: malformed reply for secret/data/app: not a JSON object");
    fake.faults.add({ malformed: JSON.stringify({ data: { data: "not-an-object" } }) });
    expect((await appErrorFrom(fetchApp())).message).toBe("HashiCorp Vault: malformed reply for secret/data/app: no secret data in it");
    fake.faults.add({ malformed: JSON.stringify({ data: { data: { big: "x".repeat(MAX_REPLY_BYTES) } } }) });
    expect((await appErrorFrom(fetchApp())).message).toBe(
      `HashiCorp Vault: the reply for secret/data/app is larger than ${MAX_REPLY_BYTES} bytes`,
    );
  });

  it("retries a reset connection, and reports one that keeps resetting", async () => {
    fake.faults.add({ reset: true });
    expect((await fetchApp()).value).toBe("ok");
    fake.faults.add({ reset: true }, 3);
    const error = await appErrorFrom(fetchApp());
    expect(error.message).toMatch(
      /^HashiCorp Vault: cannot reach 127\.0\.0\.1:\d+: the connection was (reset|closed by the server) \(\w+\) after 3 attempts$/,
    );
  });

  it("does not follow redirects (the token must not travel to another host)", async () => {
    fake.faults.add({ status: 307, headers: { location: `${fake.url}/v1/secret/data/app` } });
    const before = fake.requests.length;
    const error = await appErrorFrom(fetchApp());
    expect(fake.requests.slice(before).filter(isRead)).toHaveLength(1);
    expect(error.message).toBe("HashiCorp Vault: redirected instead of answering for secret/data/app (HTTP 307)");
  });

  it("refuses bad versions and paths before calling Vault", async () => {
    const before = fake.requests.length;
    expect((await appErrorFrom(vaultAdapter.fetchSecret({ ...context(), path: "secret/app", version: "latest" }))).message).toContain(
      "version must be",
    );
    expect((await appErrorFrom(vaultAdapter.fetchSecret({ ...context(), path: "secret/../sys/seal" }))).message).toContain("invalid path");
    expect(fake.requests.length).toBe(before);
  });
});
