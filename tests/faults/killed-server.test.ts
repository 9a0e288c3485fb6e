import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, type Reply } from "../cluster/support/cluster";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../support/databases";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import { killHard, newKey, resolveAll, resolveValue, startWithToken, type Served } from "./support";

/**
 * The server SIGKILLed in the middle of a burst of writes (creates and value updates), then
 * started again on the same database: every acknowledged write is there, an unacknowledged one
 * is either absent or whole, and every stored value and connection credential still decrypts.
 */
const VAULT_TOKEN = "hvs.killed-server-token-0123456789";
// Large enough that a fast server is still writing when the first answer arrives.
const CREATES = 300;
const UPDATES = 20;
let kills = 0;
let vault: VaultFake;
beforeAll(async () => {
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [VAULT_TOKEN]: [""] } });
  vault.putSecret("secret/killed/external", { value: "from-vault" });
});
afterAll(async () => {
  console.log(`server processes SIGKILLed mid-burst: ${kills}`);
  await vault.close();
});

describe.each(["sqlite", "postgres"] as const)("the server killed mid-burst of writes on %s", (kind) => {
  let database: TempDatabase;
  let served: Served | undefined;
  afterEach(async () => {
    await served?.server.stop();
    served = undefined;
    await database?.drop();
  });

  it("keeps every acknowledged write, and every value decrypts after the restart", async () => {
    database = kind === "postgres" ? await createPostgresDatabase() : createSqliteDatabase();
    const env = { DATABASE_URL: database.url, SECRETS_MASTER_KEY: newKey(), PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true" };
    served = await startWithToken(env, `killed-${kind}`);
    const first = served;
    const post = (urlPath: string, body: unknown) =>
      call<{ id: string }>(first.server, urlPath, { method: "POST", token: first.token, body });

    const connection = await post("/api/secret-providers", {
      name: "killed vault",
      type: "vault",
      config: { vaultUrl: vault.url, token: VAULT_TOKEN },
    });
    expect(connection.status, connection.text).toBe(201);
    const external = await post("/api/secrets", {
      secretPath: "killed.external",
      provider: "vault",
      providerPath: "secret/killed/external",
      secretProviderId: connection.body.id,
    });
    expect(external.status, external.text).toBe(201);
    const existing: Array<{ id: string; secretPath: string; before: string; after: string }> = [];
    for (let i = 0; i < UPDATES; i++) {
      const secretPath = `killed.existing${i}`;
      const before = `before-${randomBytes(8).toString("hex")}`;
      const created = await post("/api/secrets", { secretPath, value: before });
      expect(created.status, created.text).toBe(201);
      existing.push({ id: created.body.id, secretPath, before, after: `after-${randomBytes(8).toString("hex")}` });
    }

    // The burst: creates and value updates all at once; the kill lands with the first answer.
    const creates = Array.from({ length: CREATES }, (_, i) => ({
      secretPath: `killed.new${i}`,
      value: `new-${randomBytes(8).toString("hex")}`,
    }));
    let answered = 0;
    let killing: Promise<void> | undefined;
    const settle = (request: Promise<Reply>) =>
      request.then(
        (reply) => {
          if (++answered === 1) killing = killHard(first.server);
          return reply.status;
        },
        () => "no answer" as const,
      );
    const [createOutcomes, updateOutcomes] = await Promise.all([
      Promise.all(creates.map((c) => settle(call(first.server, "/api/secrets", { method: "POST", token: first.token, body: c })))),
      Promise.all(
        existing.map((e) =>
          settle(call(first.server, `/api/secrets/${e.id}`, { method: "PUT", token: first.token, body: { value: e.after } })),
        ),
      ),
    ]);
    await killing;
    kills++;
    const outcomes = [...createOutcomes, ...updateOutcomes];
    // Only successes before the kill, and requests the kill cut off: never an error answer.
    expect(
      outcomes.filter((o) => o !== 201 && o !== 200 && o !== "no answer"),
      JSON.stringify(outcomes),
    ).toEqual([]);
    expect(outcomes).toContain("no answer");

    if (kind === "sqlite") {
      const file = new Database(database.url.slice("file:".length));
      expect(file.pragma("integrity_check", { simple: true })).toBe("ok");
      file.close();
    }

    served = await startWithToken(env, `killed-restarted-${kind}`, first.token);
    for (const [i, create] of creates.entries()) {
      const resolved = await resolveValue(served, create.secretPath);
      if (createOutcomes[i] === 201) expect(resolved.body.value, create.secretPath).toBe(create.value);
      else if (resolved.status !== 404) expect(resolved.body.value, create.secretPath).toBe(create.value);
    }
    for (const [i, secret] of existing.entries()) {
      const { body } = await resolveValue(served, secret.secretPath);
      if (updateOutcomes[i] === 200) expect(body.value, secret.secretPath).toBe(secret.after);
      else expect([secret.before, secret.after]).toContain(body.value);
    }
    // Every secret the database holds resolves, the Vault-backed one through the stored token.
    const listed = await call<Array<{ secretPath: string }>>(served.server, "/api/secrets", { token: served.token });
    expect(listed.status, listed.text).toBe(200);
    const values = await resolveAll(
      served,
      listed.body.map((s) => s.secretPath),
    );
    expect(values["killed.external"]).toBe("from-vault");
    expect(Object.keys(values).length).toBeGreaterThanOrEqual(UPDATES + 1 + createOutcomes.filter((o) => o === 201).length);
  }, 180_000);
});
