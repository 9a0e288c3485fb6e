import { beforeAll, describe, expect, it } from "vitest";
import { createClient, isProvenanceError, type ProvenanceClient } from "@provenance/client";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";
import { freePort } from "./support/server";

/**
 * The TypeScript client (client/, `@provenance/client`) against the real server: values, batches,
 * the cache's single flight, loadEnv's naming rule and all-or-nothing, and errors in the API's
 * codes. Requests are counted by wrapping the real fetch, so "from the cache" is observed, not assumed.
 */
let prefix: string;

function countingClient(options: { token?: string; cacheTtlSeconds?: number } = {}): { client: ProvenanceClient; requests: () => number } {
  let requests = 0;
  const client = createClient({
    url: apiContext().baseUrl,
    token: options.token ?? apiContext().tokens.editor,
    cacheTtlSeconds: options.cacheTtlSeconds,
    fetch: (input, init) => {
      requests++;
      return fetch(input, init);
    },
  });
  return { client, requests: () => requests };
}

beforeAll(async () => {
  prefix = unique("client").replace(/-/g, "");
  for (const [path, value] of [
    [`${prefix}.apiKey`, "key-1"],
    [`${prefix}.db-url`, "postgres://db.internal/app"],
    [`${prefix}.nested.webhookSecret`, "whsec-1"],
  ]) {
    const created = await call("/api/secrets", { method: "POST", body: { secretPath: path, value } });
    expect(created.status, created.text).toBe(201);
  }
});

describe("get and getSecret", () => {
  it("get answers the value, then from the cache; getSecret always asks and carries the metadata", async () => {
    const { client, requests } = countingClient();
    expect(await client.get(`${prefix}.apiKey`)).toBe("key-1");
    expect(await client.get(`${prefix}.apiKey`)).toBe("key-1");
    expect(requests()).toBe(1);
    const secret = await client.getSecret(`${prefix}.apiKey`);
    expect(secret).toMatchObject({ secretPath: `${prefix}.apiKey`, value: "key-1", provider: "provenance", version: "1", stale: false });
    expect(requests()).toBe(2);
  });

  it("100 concurrent gets of one path make one request", async () => {
    const { client, requests } = countingClient({ cacheTtlSeconds: 0 });
    const values = await Promise.all(Array.from({ length: 100 }, () => client.get(`${prefix}.db-url`)));
    expect(new Set(values)).toEqual(new Set(["postgres://db.internal/app"]));
    expect(requests()).toBe(1);
  });

  it("invalidate makes the next get ask the server, which has the new value", async () => {
    const path = `${prefix}.rotating`;
    const created = await call<{ id: string }>("/api/secrets", { method: "POST", body: { secretPath: path, value: "old" } });
    const { client } = countingClient();
    expect(await client.get(path)).toBe("old");
    expect((await call(`/api/secrets/${created.body.id}`, { method: "PATCH", body: { value: "new" } })).status).toBe(200);
    expect(await client.get(path)).toBe("old");
    client.invalidate(path);
    expect(await client.get(path)).toBe("new");
  });
});

describe("getMany and loadEnv", () => {
  it("getMany by prefix and by paths: values and per-path errors, and later gets come from the cache", async () => {
    const { client, requests } = countingClient();
    const byPrefix = await client.getMany({ prefix });
    expect(byPrefix.values[`${prefix}.apiKey`]).toBe("key-1");
    expect(byPrefix.values[`${prefix}.nested.webhookSecret`]).toBe("whsec-1");
    const byPaths = await client.getMany({ paths: [`${prefix}.apiKey`, `${prefix}.missing`] });
    expect(byPaths.values).toEqual({ [`${prefix}.apiKey`]: "key-1" });
    expect(byPaths.errors[`${prefix}.missing`]?.code).toBe("not_found");
    expect(await client.get(`${prefix}.db-url`)).toBe("postgres://db.internal/app");
    expect(requests()).toBe(2);
  });

  it("loadEnv names values by the contract's rule and honours override: false", async () => {
    const { client } = countingClient();
    const env: Record<string, string | undefined> = { API_KEY: "inherited" };
    const loaded = await client.loadEnv({
      prefixes: [prefix],
      paths: [`${prefix}.apiKey`],
      names: { DATABASE_URL: `${prefix}.db-url` },
      env,
      override: false,
    });
    expect(env).toMatchObject({
      API_KEY: "inherited",
      DB_URL: "postgres://db.internal/app",
      NESTED_WEBHOOK_SECRET: "whsec-1",
      DATABASE_URL: "postgres://db.internal/app",
    });
    expect(env[`${prefix.toUpperCase()}_API_KEY`]).toBe("key-1");
    expect(loaded.kept).toEqual(["API_KEY"]);
    expect(loaded.variables.NESTED_WEBHOOK_SECRET).toBe(`${prefix}.nested.webhookSecret`);

    const overriding: Record<string, string | undefined> = { API_KEY: "inherited" };
    await client.loadEnv({ prefixes: [prefix], env: overriding });
    expect(overriding.API_KEY).toBe("key-1");
  });

  it("loadEnv writes nothing when any path fails, and says which", async () => {
    const { client } = countingClient();
    const env: Record<string, string | undefined> = {};
    const failure = await client.loadEnv({ prefixes: [prefix], paths: [`${prefix}.missing`], env }).catch((error: unknown) => error);
    expect(isProvenanceError(failure)).toBe(true);
    expect((failure as Error).message).toContain(`${prefix}.missing: not_found`);
    expect(env).toEqual({});
  });
});

describe("watch", () => {
  it("hears changes under its prefix (never a value), and a change drops that path's cached value", async () => {
    const { client } = countingClient({ cacheTtlSeconds: 3600 });
    const path = `${prefix}.watched`;
    const created = await call<{ id: string }>("/api/secrets", { method: "POST", body: { secretPath: path, value: "before" } });
    expect(await client.get(path)).toBe("before");
    const heard: Array<{ secretPath: string; change: string; version: string | null }> = [];
    const watch = client.watch(prefix, (change) => heard.push(change));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await call(`/api/secrets/${created.body.id}`, { method: "PATCH", body: { value: "after" } })).status).toBe(200);
      for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toEqual([expect.objectContaining({ secretPath: path, change: "updated", version: "2" })]);
      expect(JSON.stringify(heard)).not.toContain("after");
      expect(await client.get(path)).toBe("after");
    } finally {
      watch.close();
    }
  });

  it("stops on a refusal and reports it", async () => {
    const errors: string[] = [];
    const { client } = countingClient({ token: apiContext().tokens.viewer });
    const watch = client.watch(prefix, () => undefined, { onError: (error) => errors.push(error.code) });
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    watch.close();
    expect(errors).toEqual(["forbidden"]);
  });
});

describe("errors", () => {
  it("a bad token is the API's 401, without the token in the message", async () => {
    const token = "pvt_not-a-real-token-at-all";
    const failure = await countingClient({ token })
      .client.get(`${prefix}.apiKey`)
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "unauthorized", status: 401 });
    expect(String((failure as Error).message)).not.toContain(token);
  });

  it("a scoped token reads inside its scope only", async () => {
    const { client } = countingClient({ token: apiContext().tokens.scopedEditor });
    const failure = await client.get(`${prefix}.apiKey`).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "forbidden", status: 403 });
  });

  it("a server that cannot be reached is `unreachable`", async () => {
    const client = createClient({ url: `http://127.0.0.1:${await freePort()}`, token: apiContext().tokens.editor, timeoutMs: 2_000 });
    await expect(client.get(`${prefix}.apiKey`)).rejects.toMatchObject({ code: "unreachable", status: null });
  });

  it("bad usage is refused before any request", () => {
    expect(() => createClient({ url: "not a url", token: "t" })).toThrow(/not a URL/);
    expect(() => createClient({ url: "ftp://x", token: "t" })).toThrow(/https:\/\//);
    expect(() => createClient({ url: "https://user:pw@x", token: "t" })).toThrow(/not in the URL/);
    expect(() => createClient({ url: "https://x", token: "" })).toThrow(/token is required/);
  });
});
