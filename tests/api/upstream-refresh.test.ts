import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStream } from "../support/event-stream";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { query } from "./support/database";

/**
 * The upstream refresh (CONTRACT "Change awareness") against the Vault fake (on PostgreSQL the
 * suite's two servers both run it on one database, so every count there is across two instances,
 * and a change one finds must drop the other's cached value): a value
 * changed upstream is found within one refreshSeconds by a metadata call, reaches a watcher,
 * is audited and drops the cached value; a failing secret is checked less and less often; a
 * connection's maxCallsPerMinute is never exceeded. The global setup ticks every 250 ms.
 */
const TOKEN = `hvs.${randomBytes(12).toString("hex")}`;
const INTERVAL_S = 5;
/** One interval at its longest (+20 % jitter), the tick, and room for a busy machine. */
const WITHIN_ONE_INTERVAL_MS = INTERVAL_S * 1200 + 250 + 2_500;

let vault: VaultFake;
const safe = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");
const metadataRequests = (vaultPath: string) =>
  vault.requests.filter((r) => r.path === `/v1/${vaultPath.replace(/^secret\//, "secret/metadata/")}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(check: () => T | undefined | false, timeoutMs: number): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found) return found;
    if (Date.now() > until) return undefined;
    await sleep(50);
  }
}

async function connect(config: Record<string, string> = {}): Promise<string> {
  const response = await call<{ id: string }>("/api/secret-providers", {
    method: "POST",
    body: { name: unique("refresh"), type: "vault", config: { vaultUrl: vault.url, token: TOKEN, ...config } },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id;
}

async function external(
  connectionId: string,
  providerPath: string,
  secretPath = safe("refresh.vault"),
): Promise<{ id: string; secretPath: string }> {
  const response = await call<{ id: string }>("/api/secrets", {
    method: "POST",
    body: { secretPath, provider: "vault", providerPath, secretProviderId: connectionId, providerConfig: { refreshSeconds: INTERVAL_S } },
  });
  expect(response.status, response.text).toBe(201);
  return { id: response.body.id, secretPath };
}

const resolve = (secretPath: string) =>
  call<{ value: string; cached: boolean; version: string | null }>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);

beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [TOKEN]: [""] } });
});
afterAll(async () => {
  await vault?.close();
});

describe("upstream refresh", () => {
  it("takes refreshSeconds 0 (off) or 5 to 86400, and maxCallsPerMinute 1 to 100000", async () => {
    const connection = await connect();
    for (const refreshSeconds of [3, 86_401, -1, 1.5]) {
      const response = await call<{ error: { code: string; fields: Record<string, string> } }>("/api/secrets", {
        method: "POST",
        body: {
          secretPath: safe("refresh.bad"),
          provider: "vault",
          providerPath: "secret/x",
          secretProviderId: connection,
          providerConfig: { refreshSeconds },
        },
      });
      expect(response.status, `${refreshSeconds}: ${response.text}`).toBe(400);
      expect(Object.keys(response.body.error.fields)).toEqual(["providerConfig.refreshSeconds"]);
    }
    const off = await call<{ providerConfig: Record<string, unknown> }>("/api/secrets", {
      method: "POST",
      body: {
        secretPath: safe("refresh.off"),
        provider: "vault",
        providerPath: "secret/x",
        secretProviderId: connection,
        providerConfig: { refreshSeconds: 0 },
      },
    });
    expect(off.status, off.text).toBe(201);
    expect(off.body.providerConfig).toEqual({ refreshSeconds: 0 });
    for (const maxCallsPerMinute of ["0", "100001", "ten"]) {
      const response = await call<{ error: { fields: Record<string, string> } }>("/api/secret-providers", {
        method: "POST",
        body: { name: unique("refresh"), type: "vault", config: { vaultUrl: vault.url, token: TOKEN, maxCallsPerMinute } },
      });
      expect(response.status, response.text).toBe(400);
      expect(Object.keys(response.body.error.fields)).toEqual(["config.maxCallsPerMinute"]);
    }
  });

  it("finds a value changed upstream within one interval, tells watchers, audits it, and the next resolve gets the new value", async () => {
    const vaultPath = `secret/${safe("refresh")}`;
    vault.putSecret(vaultPath, { password: "refresh-old-value-1" });
    const prefix = safe("refreshwatch").replace(/[-.]/g, "");
    const { id, secretPath } = await external(await connect(), vaultPath, `${prefix}.db.password`);
    expect((await resolve(secretPath)).body).toMatchObject({ value: "refresh-old-value-1", version: "1" });
    expect((await resolve(secretPath)).body).toMatchObject({ cached: true });

    // The first check (one interval after the secret was made) sets the baseline.
    expect(await waitFor(() => metadataRequests(vaultPath).length > 0, WITHIN_ONE_INTERVAL_MS), "no first check").toBe(true);
    const stream = await openEventStream(`${apiContext().baseUrl}/api/secrets/watch?prefix=${prefix}`, {
      authorization: `Bearer ${apiContext().tokens.editor}`,
    });
    try {
      expect(stream.status, stream.text).toBe(200);
      const changedAt = Date.now();
      vault.putSecret(vaultPath, { password: "refresh-new-value-2" });
      const event = await stream.next(WITHIN_ONE_INTERVAL_MS);
      expect(Date.now() - changedAt).toBeLessThan(WITHIN_ONE_INTERVAL_MS);
      expect(event.event).toBe("change");
      const data = JSON.parse(event.data) as Record<string, unknown>;
      expect(data).toMatchObject({ secretPath, version: "2", change: "upstream_changed" });
      expect(data.fingerprint).toMatch(/^hmac-sha256:/);
      expect(event.data).not.toContain("refresh-new-value-2");
      // One change, one event: the other server saw no second one.
      expect(await stream.none(1_500)).toBeNull();
    } finally {
      stream.close();
    }

    // The cached old value was dropped: the next resolve reads the new one.
    expect((await resolve(secretPath)).body).toMatchObject({ value: "refresh-new-value-2", version: "2", cached: false });

    const audits = await query<{ target_label: string; details: string }>(
      "SELECT target_label, details FROM audit_events WHERE action = 'secret.upstream_changed' AND target_id = $1",
      [id],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.target_label).toBe(secretPath);
    expect(JSON.parse(audits[0]!.details)).toMatchObject({ providerPath: vaultPath, oldVersion: "1", newVersion: "2" });
    expect(audits[0]!.details).not.toContain("refresh-new-value");

    const versions = await call<Array<{ version: string }>>(`/api/secrets/${id}/versions`);
    expect(versions.body.map((v) => v.version)).toEqual(["2", "1"]);
  }, 60_000);

  it("checks a secret that keeps failing less and less often", async () => {
    const vaultPath = `secret/${safe("refresh-missing")}`; // never written: every check is a 404
    await external(await connect(), vaultPath);
    const started = Date.now();
    await sleep(31_000);
    const at = metadataRequests(vaultPath).map((r) => r.at - started);
    // Without backoff: a check every 4-6 s, 5 or more. With it: after ~5 s, ~5 s later, ~10 s later, then ~20 s.
    expect(at.length, JSON.stringify(at)).toBeGreaterThanOrEqual(2);
    expect(at.length, JSON.stringify(at)).toBeLessThanOrEqual(3);
    if (at.length === 3) expect(at[2]! - at[1]!).toBeGreaterThan((at[1]! - at[0]!) * 1.3);
  }, 45_000);

  it("never makes more calls than the connection's maxCallsPerMinute", async () => {
    const connection = await connect({ maxCallsPerMinute: "30" }); // one call every 2 s
    const paths = Array.from({ length: 6 }, () => `secret/${safe("refresh-budget")}`);
    for (const vaultPath of paths) vault.putSecret(vaultPath, { v: "budget" });
    for (const vaultPath of paths) await external(connection, vaultPath);
    // Six secrets every 5 s would be 72 calls a minute; the budget allows 30.
    await sleep(16_000);
    const at = paths.flatMap((p) => metadataRequests(p).map((r) => r.at)).sort((x, y) => x - y);
    expect(at.length, JSON.stringify(at)).toBeGreaterThanOrEqual(3);
    // Slots are 2 s apart; a request leaves its slot a little late now and then (a busy machine).
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!, JSON.stringify(at)).toBeGreaterThan(1_500);
    expect(at.length, JSON.stringify(at)).toBeLessThanOrEqual(9);
  }, 30_000);
});
