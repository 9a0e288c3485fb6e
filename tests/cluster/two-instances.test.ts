import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring } from "@/lib/crypto";
import { createPostgresDatabase, type TempDatabase } from "../support/databases";
import { openEventStream } from "../support/event-stream";
import { startVaultFake, type VaultFake } from "../support/fakes/vault";
import {
  call,
  cli,
  CookieJar,
  listen,
  logLines,
  sql,
  startInstance,
  startPair,
  waitFor,
  type Instance,
  type Reply,
} from "./support/cluster";

/**
 * Two `next start` processes, A and B, on one PostgreSQL database behave as one system:
 * (a) a change made through one reaches the other's caches (NOTIFY provenance_changes, one LISTEN
 *     connection per process, reconnecting), (b) concurrent writes to the same connection or secret
 *     through both never lose one (412, never a silent overwrite), (c) a session made on one holds,
 *     and ends, on the other, (d) `npx provenance key rotate` runs while both serve resolves, with
 *     no failure during or after.
 * Rate limits across instances: see rate-limits.test.ts.
 */
const ROOT = path.resolve(__dirname, "../..");
const CHANNEL = "provenance_changes";
const LISTENER_APP = "provenance-change-listener";
const newKey = () => randomBytes(32).toString("base64url");
const TOKEN_1 = `hvs.${randomBytes(12).toString("hex")}`;
const TOKEN_2 = `hvs.${randomBytes(12).toString("hex")}`;
const ADMIN = { email: "cluster-admin@example.test", password: `pw-${randomBytes(12).toString("hex")}` };
const K1 = newKey();

let database: TempDatabase;
let vault: VaultFake;
let a: Instance;
let b: Instance;
let token: string;

const baseEnv = () => ({
  DATABASE_URL: database.url,
  PROVENANCE_ADMIN_EMAIL: ADMIN.email,
  PROVENANCE_ADMIN_PASSWORD: ADMIN.password,
  PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
  PROVENANCE_PROVIDER_TIMEOUT_MS: "2000",
  // These tests read every secret again and again; tests/cluster/rate-limits.test.ts proves the limit.
  PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: "0",
  // The change listener logs each event it hears at debug level: the tests read that.
  PROVENANCE_LOG_LEVEL: "debug",
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

interface Resolved {
  value: string;
  cached: boolean;
  version: string | null;
}
interface ConnectionBody {
  id: string;
  version: number;
  description: string;
  config: Record<string, string>;
}
interface SecretBody {
  id: string;
  version: number;
  description: string;
}

const api = <T = unknown>(instance: Instance, urlPath: string, options: Parameters<typeof call>[2] = {}) =>
  call<T>(instance, urlPath, { token, ...options });
const resolve = (instance: Instance, secretPath: string) =>
  api<Resolved>(instance, `/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);

async function createConnection(on: Instance, config: Record<string, string>): Promise<ConnectionBody> {
  const response = await api<ConnectionBody>(on, "/api/secret-providers", {
    method: "POST",
    body: { name: unique("vault"), type: "vault", config },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

async function createSecret(on: Instance, body: Record<string, unknown>): Promise<SecretBody> {
  const response = await api<SecretBody>(on, "/api/secrets", { method: "POST", body });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** The X-Vault-Token of every request the fake got for one secret path, in order. */
const tokensSeenFor = (vaultPath: string) =>
  vault.requests
    .filter((r) => r.path === `/v1/${vaultPath.replace(/^secret\//, "secret/data/")}`)
    .map((r) => String(r.headers["x-vault-token"]));

/** This instance's id on the change channel, from its log. */
function instanceIdOf(instance: Instance): string {
  const line = logLines(instance).findLast((l) => l.message === "listening for changes from other instances");
  expect(line, `no listener start in ${instance.logFile}`).toBeDefined();
  return String(line!.instance);
}

/** When (ms since epoch) this instance's listener heard an event for `id` from another instance, if it has. */
function heardAt(instance: Instance, id: string, after: number): number | undefined {
  const line = logLines(instance).find(
    (l) => l.message === "change event from another instance" && l.id === id && Date.parse(String(l.time)) >= after - 5,
  );
  return line ? Date.parse(String(line.time)) : undefined;
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("build the app first (npm run build)");
  database = await createPostgresDatabase();
  vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [TOKEN_1]: [""], [TOKEN_2]: [""] } });
  ({ a, b, adminToken: token } = await startPair(["a", "b"], { ...baseEnv(), SECRETS_MASTER_KEY: K1 }));
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await vault?.close();
  await database?.drop();
}, 60_000);

describe("(a) a change made through one instance reaches the other's caches", () => {
  it("a connection's new token, set through B, is what A sends next; B's NOTIFY reaches A", async () => {
    const vaultPath = `secret/${unique("conn")}`;
    vault.putSecret(vaultPath, { password: "p-1" });
    const connection = await createConnection(a, { vaultUrl: vault.url, token: TOKEN_1 });
    const secretPath = unique("cluster.conn");
    await createSecret(a, { secretPath, provider: "vault", providerPath: vaultPath, secretProviderId: connection.id });

    const first = await resolve(a, secretPath);
    const second = await resolve(a, secretPath);
    expect(first.body).toMatchObject({ value: "p-1", cached: false });
    expect(second.body).toMatchObject({ value: "p-1", cached: true });
    expect(tokensSeenFor(vaultPath)).toEqual([TOKEN_1]);

    const channel = await listen(database.url, CHANNEL);
    try {
      const changedAt = Date.now();
      const put = await api<ConnectionBody>(b, `/api/secret-providers/${connection.id}`, {
        method: "PUT",
        body: { config: { token: TOKEN_2 } },
      });
      expect(put.status, put.text).toBe(200);
      const answeredAt = Date.now();

      // What A resolves next reaches the fake with the new token, within 2 s.
      const seen = await waitFor(async () => {
        const response = await resolve(a, secretPath);
        return tokensSeenFor(vaultPath).at(-1) === TOKEN_2 ? response : undefined;
      }, 2000);
      expect(seen, `A still sends the old token; fake saw ${tokensSeenFor(vaultPath).join(", ")}`).toBeDefined();
      expect(seen!.body).toMatchObject({ value: "p-1", cached: false });
      const newTokenAt = Date.now();

      // B announced the change on the channel, naming itself, and A heard it.
      const notice = await waitFor(() => channel.received.find((n) => n.payload.id === connection.id), 2000);
      expect(notice?.payload, "B sent no NOTIFY for the connection").toMatchObject({
        kind: "connection",
        id: connection.id,
        instance: instanceIdOf(b),
      });
      const heard = await waitFor(() => heardAt(a, connection.id, changedAt), 2000, 50);
      expect(heard, "A's listener did not hear B's change").toBeDefined();
      console.info(
        `(a) connection, ms after the PUT was sent to B: B's NOTIFY seen on the channel ${notice!.at - changedAt}, ` +
          `heard by A's listener ${heard! - changedAt}, B's 200 received ${answeredAt - changedAt}, A's first resolve with the new token done ${newTokenAt - changedAt}`,
      );
    } finally {
      await channel.close();
    }
  });

  it("a secret's edit through B (jsonKey) is what A resolves next; B's NOTIFY reaches A", async () => {
    const vaultPath = `secret/${unique("sec")}`;
    vault.putSecret(vaultPath, { username: "app-user", password: "p-2" });
    const connection = await createConnection(a, { vaultUrl: vault.url, token: TOKEN_1 });
    const secretPath = unique("cluster.sec");
    const secret = await createSecret(a, {
      secretPath,
      provider: "vault",
      providerPath: vaultPath,
      secretProviderId: connection.id,
      providerConfig: { jsonKey: "password" },
    });
    expect((await resolve(a, secretPath)).body).toMatchObject({ value: "p-2", cached: false });
    expect((await resolve(a, secretPath)).body).toMatchObject({ value: "p-2", cached: true });

    const changedAt = Date.now();
    const patch = await api(b, `/api/secrets/${secret.id}`, { method: "PATCH", body: { providerConfig: { jsonKey: "username" } } });
    expect(patch.status, patch.text).toBe(200);
    const answeredAt = Date.now();
    const seen = await waitFor(async () => {
      const response = await resolve(a, secretPath);
      return response.body.value === "app-user" ? response : undefined;
    }, 2000);
    expect(seen, "A still resolves the old jsonKey").toBeDefined();
    const heard = await waitFor(() => heardAt(a, secret.id, changedAt), 2000, 50);
    expect(heard, "A's listener did not hear B's change").toBeDefined();
    console.info(
      `(a) secret, ms after the PATCH was sent to B: heard by A's listener ${heard! - changedAt}, B's 200 received ${answeredAt - changedAt}, A resolved the new jsonKey ${Date.now() - changedAt}`,
    );
  });

  it("a token revoked through B is refused by A at its next request, although A had it in memory", async () => {
    const made = await api<{ id: string; token: string }>(a, "/api/tokens", {
      method: "POST",
      body: { name: unique("revoked"), role: "viewer" },
    });
    expect(made.status, made.text).toBe(201);
    const use = (instance: Instance) => call(instance, "/api/secrets", { token: made.body.token });
    expect((await use(a)).status).toBe(200);
    const revokedAt = Date.now();
    const revoked = await api(b, `/api/tokens/${made.body.id}`, { method: "DELETE" });
    expect(revoked.status, revoked.text).toBe(204);
    expect((await use(b)).status).toBe(401);
    // Well within the token cache's backstop (3 s): it is B's NOTIFY that ends it on A.
    const refused = await waitFor(async () => ((await use(a)).status === 401 ? true : undefined), 1500);
    expect(refused, "A still accepts a token revoked through B").toBe(true);
    console.info(`(a) token revoked through B: refused by A ${Date.now() - revokedAt} ms after the DELETE was sent`);
  });

  it("A drops a cached value when another instance announces a change to it, and ignores its own echo", async () => {
    const vaultPath = `secret/${unique("drop")}`;
    vault.putSecret(vaultPath, { value: "v" });
    const connection = await createConnection(a, { vaultUrl: vault.url, token: TOKEN_1 });
    const secretPath = unique("cluster.drop");
    const secret = await createSecret(a, { secretPath, provider: "vault", providerPath: vaultPath, secretProviderId: connection.id });
    await resolve(a, secretPath);
    expect((await resolve(a, secretPath)).body.cached).toBe(true);

    // A's own instance id: the echo of its own events is ignored (they were delivered locally).
    await sql(database.url, "SELECT pg_notify($1, $2)", [
      CHANNEL,
      JSON.stringify({ kind: "secret", id: secret.id, instance: instanceIdOf(a) }),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await resolve(a, secretPath)).body.cached, "A dropped its cache on its own echo").toBe(true);

    // Another instance's event drops it: the next resolve goes upstream.
    const sentAt = Date.now();
    await sql(database.url, "SELECT pg_notify($1, $2)", [
      CHANNEL,
      JSON.stringify({ kind: "secret", id: secret.id, instance: "another-instance" }),
    ]);
    const refetched = await waitFor(async () => ((await resolve(a, secretPath)).body.cached === false ? true : undefined), 2000);
    expect(refetched, "A kept serving its cached value after another instance's change event").toBe(true);
    console.info(`(a) injected event: A's cache entry gone within ${Date.now() - sentAt} ms`);
  });

  it("a watcher on A hears secrets created and edited through B (the change log is shared; B's NOTIFY wakes A's reader)", async () => {
    const prefix = unique("clusterwatch").replace(/-/g, "");
    const stream = await openEventStream(`${a.baseUrl}/api/secrets/watch?prefix=${prefix}`, { authorization: `Bearer ${token}` });
    try {
      expect(stream.status, stream.text).toBe(200);
      const sentAt = Date.now();
      const secret = await createSecret(b, { secretPath: `${prefix}.key`, value: "v1" });
      const created = await stream.next(5_000);
      expect(JSON.parse(created.data)).toMatchObject({ secretPath: `${prefix}.key`, change: "created", version: "1" });
      const heardAfter = Date.now() - sentAt;
      expect((await api(b, `/api/secrets/${secret.id}`, { method: "PATCH", body: { value: "v2" } })).status).toBe(200);
      expect(JSON.parse((await stream.next(5_000)).data)).toMatchObject({ change: "updated", version: "2" });
      console.info(`(a) watch: a secret created through B reached a watcher on A within ${heardAfter} ms`);
    } finally {
      stream.close();
    }
  });

  it("a listener whose connection drops reconnects, drops everything it may have missed, and hears again", async () => {
    const vaultPath = `secret/${unique("reconnect")}`;
    vault.putSecret(vaultPath, { value: "v" });
    const connection = await createConnection(a, { vaultUrl: vault.url, token: TOKEN_1 });
    const secretPath = unique("cluster.reconnect");
    await createSecret(a, { secretPath, provider: "vault", providerPath: vaultPath, secretProviderId: connection.id });
    for (const instance of [a, b]) {
      await resolve(instance, secretPath);
      expect((await resolve(instance, secretPath)).body.cached).toBe(true);
    }
    const listeners = () =>
      sql<{ pid: number }>(database.url, "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()", [
        LISTENER_APP,
      ]);
    const before = (await listeners()).map((r) => r.pid);
    expect(before, "one listening connection per instance").toHaveLength(2);

    const killedAt = Date.now();
    await sql(
      database.url,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
      [LISTENER_APP],
    );
    const back = await waitFor(
      async () => {
        const pids = (await listeners()).map((r) => r.pid);
        return pids.length === 2 && pids.every((pid) => !before.includes(pid)) ? pids : undefined;
      },
      10_000,
      50,
    );
    expect(back, "the listeners did not reconnect").toBeDefined();
    const reconnectedIn = Date.now() - killedAt;

    // Everything cached before the drop is gone on both (events may have been missed meanwhile).
    await waitFor(
      () => (logLines(a).some((l) => l.message === "listening for changes from other instances again") ? true : undefined),
      2000,
      50,
    );
    for (const instance of [a, b])
      expect((await resolve(instance, secretPath)).body.cached, `${instance.label} kept its cache`).toBe(false);

    // And the new connections hear: a change through B reaches A's listener.
    const changedAt = Date.now();
    expect(
      (await api(b, `/api/secret-providers/${connection.id}`, { method: "PATCH", body: { description: "after reconnect" } })).status,
    ).toBe(200);
    expect(await waitFor(() => heardAt(a, connection.id, changedAt), 2000, 50), "A no longer hears B").toBeDefined();
    console.info(`(a) reconnect: both listeners back ${reconnectedIn} ms after pg_terminate_backend`);
  });
});

/**
 * Checks a history of concurrent partial updates for lost updates: sorted by the version each
 * 200 reported, applying each request's own change to the previous state must give exactly the
 * state that response reported. A write based on a stale read would undo an earlier change.
 */
function replay<S extends Record<string, unknown>>(initial: S, wins: Array<{ version: number; change: Partial<S>; state: S }>): S {
  let state = initial;
  for (const win of [...wins].sort((x, y) => x.version - y.version)) {
    state = { ...state, ...win.change };
    expect(win.state, `the write that made version ${win.version} lost an earlier change`).toEqual(state);
  }
  return state;
}

describe("(b) concurrent writes through A and B never silently lose one", () => {
  it("two PUTs of one connection with the same If-Match: one 200, one 412, the winner's state stays", async () => {
    const connection = await createConnection(a, { vaultUrl: vault.url, token: TOKEN_1 });
    for (let round = 0; round < 5; round++) {
      const read = await api<ConnectionBody>(a, `/api/secret-providers/${connection.id}`);
      const etag = read.headers.get("etag")!;
      expect(etag).toMatch(/^"v\d+"$/);
      const [fromA, fromB] = await Promise.all(
        [a, b].map((instance) =>
          api<ConnectionBody>(instance, `/api/secret-providers/${connection.id}`, {
            method: "PUT",
            headers: { "if-match": etag },
            body: { description: `round ${round} by ${instance.label}` },
          }),
        ),
      );
      expect([fromA!.status, fromB!.status].sort(), `${fromA!.text} / ${fromB!.text}`).toEqual([200, 412]);
      const [winner, loser] = fromA!.status === 200 ? [fromA!, fromB!] : [fromB!, fromA!];
      expect(loser.body).toMatchObject({ error: { code: "precondition_failed" } });
      const after = await api<ConnectionBody>(b, `/api/secret-providers/${connection.id}`);
      expect(after.body.description).toBe(winner.body.description);
      expect(after.body.version).toBe(read.body.version + 1);
    }
  });

  it("20 concurrent PATCHes of one connection without If-Match: each 200 or 412, none lost", async () => {
    const connection = await createConnection(a, { vaultUrl: vault.url, token: TOKEN_1, namespace: "ns-start" });
    const changes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? { description: `d-${i}` } : { namespace: `ns-${i}` }));
    const replies = await Promise.all(
      changes.map((change, i) =>
        api<ConnectionBody>(i % 2 === 0 ? a : b, `/api/secret-providers/${connection.id}`, {
          method: "PATCH",
          body: "description" in change ? change : { config: change },
        }),
      ),
    );
    for (const reply of replies) expect([200, 412], reply.text).toContain(reply.status);
    const stateOf = (body: ConnectionBody) => ({ description: body.description, namespace: body.config.namespace });
    const wins = replies.flatMap((reply, i) =>
      reply.status === 200 ? [{ version: reply.body.version, change: changes[i]!, state: stateOf(reply.body) }] : [],
    );
    const final = (await api<ConnectionBody>(b, `/api/secret-providers/${connection.id}`)).body;
    expect(final.version).toBe(connection.version + wins.length);
    expect(new Set(wins.map((w) => w.version)).size, "two writes claimed the same version").toBe(wins.length);
    expect(stateOf(final)).toEqual(replay(stateOf(connection), wins));
    // Each applied write is audited once; refused ones are not recorded as updates.
    expect(
      await sql(database.url, "SELECT 1 FROM audit_events WHERE action = 'secret_provider.update' AND target_id = $1", [connection.id]),
    ).toHaveLength(wins.length);
    console.info(`(b) connection: ${wins.length} of 20 PATCHes applied, ${20 - wins.length} refused with 412`);
  });

  it("two PUTs of one secret with the same If-Match, and 20 concurrent PATCHes without: none lost", async () => {
    const secretPath = unique("cluster.race");
    const secret = await createSecret(a, { secretPath, value: "value-start", description: "start" });
    const read = await api<SecretBody>(b, `/api/secrets/${secret.id}`);
    const etag = read.headers.get("etag")!;
    const pair = await Promise.all(
      [a, b].map((instance) =>
        api<SecretBody>(instance, `/api/secrets/${secret.id}`, {
          method: "PUT",
          headers: { "if-match": etag },
          body: { value: `by-${instance.label}` },
        }),
      ),
    );
    expect(pair.map((r) => r.status).sort(), pair.map((r) => r.text).join(" / ")).toEqual([200, 412]);
    const pairWinner = pair[0]!.status === 200 ? "a" : "b";
    for (const instance of [a, b]) expect((await resolve(instance, secretPath)).body.value).toBe(`by-${pairWinner}`);

    const start = (await api<SecretBody>(a, `/api/secrets/${secret.id}`)).body;
    const changes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? { description: `d-${i}` } : { value: `value-${i}` }));
    const replies: Reply<SecretBody>[] = await Promise.all(
      changes.map((change, i) => api<SecretBody>(i % 2 === 0 ? b : a, `/api/secrets/${secret.id}`, { method: "PATCH", body: change })),
    );
    for (const reply of replies) expect([200, 412], reply.text).toContain(reply.status);
    const wins = replies.flatMap((reply, i) =>
      reply.status === 200 ? [{ version: reply.body.version, change: changes[i]!, reported: reply.body.description }] : [],
    );
    const final = (await api<SecretBody>(a, `/api/secrets/${secret.id}`)).body;
    expect(final.version).toBe(start.version + wins.length);
    expect(new Set(wins.map((w) => w.version)).size, "two writes claimed the same version").toBe(wins.length);
    // Responses show the description, not the value: replay both, check descriptions per write and the value at the end.
    const expected = { description: start.description, value: `by-${pairWinner}` };
    for (const win of [...wins].sort((x, y) => x.version - y.version)) {
      Object.assign(expected, win.change);
      expect(win.reported, `the write that made version ${win.version} lost an earlier change`).toBe(expected.description);
    }
    expect(final.description).toBe(expected.description);
    for (const instance of [a, b]) expect((await resolve(instance, secretPath)).body.value).toBe(expected.value);
    console.info(`(b) secret: ${wins.length} of 20 PATCHes applied, ${20 - wins.length} refused with 412`);
  });
});

describe("(c) sessions hold across instances", () => {
  it("a cookie from signing in on A works on B; signing out on A ends it on B", async () => {
    const jar = new CookieJar();
    const signIn = await jar.signIn(a, ADMIN.email, ADMIN.password);
    expect(signIn.status, signIn.text).toBeLessThan(400);
    const cookie = jar.sessionCookie();
    expect(cookie, "no session cookie").toBeDefined();
    expect((await call(b, "/api/secret-providers", { cookie })).status).toBe(200);
    expect((await call(b, "/api/secret-providers")).status).toBe(401);

    const signOut = await jar.signOut(a);
    expect(signOut.status, signOut.text).toBeLessThan(400);
    // The copied cookie (the jar itself dropped it) is refused everywhere at once.
    const onB = await call(b, "/api/secret-providers", { cookie });
    expect(onB.status).toBe(401);
    expect(onB.body).toMatchObject({ error: { code: "unauthorized" } });
    expect((await call(a, "/api/secret-providers", { cookie })).status).toBe(401);
  });
});

describe("(d) key rotation while both instances serve", () => {
  it("re-encrypts under the new key with zero failed resolves during and after; the old key can then go", async () => {
    const K2 = newKey();
    const ids = { k1: createKeyring({ masterKey: K1 }).current.id, k2: createKeyring({ masterKey: K2 }).current.id };
    const prefix = unique("rot").replace(/-/g, "_");
    let phaseStart = Date.now();
    const phase = (name: string) => {
      console.info(`(d) ${name}: ${Date.now() - phaseStart} ms`);
      phaseStart = Date.now();
    };

    // Stored secrets (enough that the rotation takes a while) and external ones whose connection
    // credentials are decrypted on every resolve (no caching).
    const expected: Record<string, string> = {};
    /** Every value a path has had: a resolve racing an edit may answer either side of it. */
    const written: Record<string, Set<string>> = {};
    const secretIds: Record<string, string> = {};
    const stored = Array.from({ length: 300 }, (_, i) => `${prefix}.stored${i}`);
    for (let i = 0; i < stored.length; i += 10) {
      await Promise.all(
        stored.slice(i, i + 10).map(async (secretPath, j) => {
          const value = `value-${i + j}-${randomBytes(6).toString("hex")}`;
          secretIds[secretPath] = (await createSecret(i % 20 === 0 ? a : b, { secretPath, value })).id;
          expected[secretPath] = value;
        }),
      );
    }
    const connection = await createConnection(a, { vaultUrl: vault.url, token: TOKEN_1 });
    for (let i = 0; i < 3; i++) {
      const vaultPath = `secret/${prefix}/ext${i}`;
      vault.putSecret(vaultPath, { value: `external-${i}` });
      await createSecret(b, {
        secretPath: `${prefix}.ext${i}`,
        provider: "vault",
        providerPath: vaultPath,
        secretProviderId: connection.id,
        providerConfig: { cacheTtlSeconds: 0 },
      });
      expected[`${prefix}.ext${i}`] = `external-${i}`;
    }
    const everything = Object.keys(expected);
    phase("created 300 stored and 3 external secrets");
    for (const p of everything) written[p] = new Set([expected[p]!]);

    const keyIdCounts = async () => {
      const rows = await sql<{ key_id: string; n: string }>(
        database.url,
        `SELECT split_part(c, '.', 2) AS key_id, count(*) AS n FROM (
           SELECT value_ciphertext AS c FROM secrets WHERE value_ciphertext IS NOT NULL
           UNION ALL SELECT credentials FROM secret_providers WHERE credentials IS NOT NULL) t GROUP BY 1`,
      );
      return Object.fromEntries(rows.map((r) => [r.key_id, Number(r.n)]));
    };
    expect(Object.keys(await keyIdCounts())).toEqual([ids.k1]);

    // Both instances move to the new key, still able to read the old one.
    await Promise.all([a.stop(), b.stop()]);
    const rotatingEnv = { ...baseEnv(), SECRETS_MASTER_KEY: K2, SECRETS_MASTER_KEY_PREVIOUS: K1 };
    [a, b] = await Promise.all([startInstance("a-rotating", rotatingEnv), startInstance("b-rotating", rotatingEnv)]);
    phase("restarted both with the new key and the previous one");

    // Traffic on both while the CLI rotates: batch resolves (the external secrets and a sample of
    // the stored ones; every path resolves many times over) and edits of stored values. Modest on
    // purpose: two servers, PostgreSQL and the CLI share two cores here.
    const failures: string[] = [];
    const okAt: number[] = [];
    let running = true;
    const resolver = async (instance: Instance) => {
      while (running) {
        const paths = [
          ...everything.slice(stored.length),
          ...Array.from({ length: 27 }, () => stored[Math.floor(Math.random() * stored.length)]!),
        ];
        const reply = await api<{ values: Record<string, string>; errors: Record<string, unknown> }>(instance, "/api/secrets/resolve", {
          method: "POST",
          body: { paths },
        }).catch((error: unknown) => ({ status: 0, text: String(error), body: undefined }) as const);
        if (reply.status !== 200 || !reply.body) failures.push(`${instance.label}: ${reply.status} ${reply.text.slice(0, 300)}`);
        else {
          const errors = Object.entries(reply.body.errors);
          if (errors.length > 0) failures.push(`${instance.label}: ${JSON.stringify(errors.slice(0, 3))}`);
          for (const [p, v] of Object.entries(reply.body.values))
            if (!written[p]?.has(v)) failures.push(`${instance.label}: ${p} resolved to a value never written`);
          okAt.push(Date.now());
        }
      }
    };
    let edits = 0;
    const editor = async () => {
      for (let i = 0; running; i++) {
        const secretPath = stored[(i * 37) % stored.length]!;
        const value = `edited-${i}-${randomBytes(4).toString("hex")}`;
        written[secretPath]!.add(value);
        const reply = await api(i % 2 ? b : a, `/api/secrets/${secretIds[secretPath]}`, { method: "PATCH", body: { value } });
        if (reply.status === 200) {
          expected[secretPath] = value;
          edits++;
        } else failures.push(`edit ${secretPath}: ${reply.status} ${reply.text.slice(0, 200)}`);
      }
    };
    let mixedFrom: number | undefined;
    let mixedUntil: number | undefined;
    const sampler = async () => {
      while (running) {
        const counts = await keyIdCounts();
        if ((counts[ids.k1] ?? 0) > 0 && (counts[ids.k2] ?? 0) > 0) {
          mixedFrom ??= Date.now();
          mixedUntil = Date.now();
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const traffic = Promise.all([resolver(a), resolver(b), editor(), sampler()]);
    await new Promise((r) => setTimeout(r, 500));
    const rotateStarted = Date.now();
    const rotation = await cli(["key", "rotate"], { DATABASE_URL: database.url, SECRETS_MASTER_KEY: K2, SECRETS_MASTER_KEY_PREVIOUS: K1 });
    const rotateEnded = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await traffic;

    expect(rotation.stderr).toMatch(/Re-encrypted \d+ value/);
    expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    const during = okAt.filter((t) => t >= rotateStarted && t <= rotateEnded).length;
    const whileMixed = mixedFrom === undefined ? 0 : okAt.filter((t) => t >= mixedFrom! && t <= mixedUntil! + 100).length;
    expect(mixedFrom, "never saw the database half rotated: the rotation was too quick to overlap traffic").toBeDefined();
    expect(whileMixed, "no resolve completed while the database was half rotated").toBeGreaterThan(0);
    expect(Object.keys(await keyIdCounts()), "ciphertexts left under the old key").toEqual([ids.k2]);
    console.info(
      `(d) rotation: CLI ran ${rotateEnded - rotateStarted} ms, the database was half rotated for ~${mixedUntil! - mixedFrom!} ms; ` +
        `${okAt.length} batch resolves of 30 paths in all, ${during} during the CLI run, ${whileMixed} while half rotated, ${edits} edits, 0 failures`,
    );

    // The previous key can go: both restart with the new key alone and serve the same values.
    await Promise.all([a.stop(), b.stop()]);
    const newKeyEnv = { ...baseEnv(), SECRETS_MASTER_KEY: K2 };
    phase("rotation under traffic");
    [a, b] = await Promise.all([startInstance("a-new-key", newKeyEnv), startInstance("b-new-key", newKeyEnv)]);
    phase("restarted both with the new key alone");
    for (const instance of [a, b]) {
      expect((await call(instance, "/api/health")).status).toBe(200);
      const reply = await api<{ values: Record<string, string>; errors: Record<string, unknown> }>(instance, "/api/secrets/resolve", {
        method: "POST",
        body: { paths: everything },
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.errors).toEqual({});
      expect(reply.body.values).toEqual(expected);
    }
  }, 240_000);
});
