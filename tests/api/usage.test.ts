import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsFake, type AwsFake } from "../support/fakes/aws";
import { call, unique } from "./support/client";
import { createToken, expectError } from "./support/expectations";

/**
 * GET /api/secret-providers/:id/usage against the AWS wire-protocol fake: every connection signs
 * with its own access key, so the fake's own record of who signed each request is the number of
 * calls the connection made, and the answer must equal it.
 */
interface Counts {
  calls: number;
  errors: number;
  throttled: number;
  cacheHits: number;
  cacheMisses: number;
  estimatedCostUsd: number;
}
type Usage = Counts & { byDay: Array<Counts & { day: string }> };

const newKey = () => ({ id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") });
const KEYS = { counted: newKey(), throttled: newKey(), other: newKey() };

let aws: AwsFake;
const callsSignedBy = (key: { id: string }) => aws.signedBy.filter((id) => id === key.id).length;
const safe = (prefix: string) => unique(prefix).replace(/[^A-Za-z0-9_.-]/g, "-");
const usage = (id: string, query = "", token?: string) =>
  call<Usage>(`/api/secret-providers/${id}/usage${query}`, token === undefined ? {} : { token });
const resolve = (secretPath: string) =>
  call<{ value: string; cached: boolean }>(`/api/secrets/resolve?path=${encodeURIComponent(secretPath)}`);
const resolveBatch = (paths: string[]) =>
  call<{ values: Record<string, string>; errors: Record<string, unknown> }>("/api/secrets/resolve", { method: "POST", body: { paths } });

async function connect(key: { id: string; secret: string }) {
  const response = await call<{ id: string }>("/api/secret-providers", {
    method: "POST",
    body: {
      name: unique("usage"),
      type: "aws-sm",
      config: { region: "eu-west-1", accessKeyId: key.id, secretAccessKey: key.secret, endpoint: aws.url },
    },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id;
}

async function external(connectionId: string, providerPath: string, providerConfig: Record<string, unknown> = {}) {
  const secretPath = safe("usage.aws");
  const response = await call("/api/secrets", {
    method: "POST",
    body: { secretPath, provider: "aws-sm", providerPath, secretProviderId: connectionId, providerConfig },
  });
  expect(response.status, response.text).toBe(201);
  return secretPath;
}

beforeAll(async () => {
  aws = await startAwsFake(Object.fromEntries(Object.values(KEYS).map((k) => [k.id, k.secret])));
});
afterAll(async () => {
  await aws?.close();
});

describe("GET /api/secret-providers/:id/usage", () => {
  it("equals the manager's own count of calls, with cache hits, misses, errors and the list-price cost", async () => {
    const connection = await connect(KEYS.counted);
    const tag = randomBytes(4).toString("hex");
    for (let i = 0; i < 3; i++) aws.putSecret(`usage/${tag}/s${i}`, `usage-value-${i}-${tag}`);
    const [s0, s1, s2] = [
      await external(connection, `usage/${tag}/s0`),
      await external(connection, `usage/${tag}/s1`),
      await external(connection, `usage/${tag}/s2`),
    ];
    const missing = await external(connection, `usage/${tag}/missing`);

    const fresh = await usage(connection);
    expect(fresh.status, fresh.text).toBe(200);
    expect(fresh.body).toMatchObject({ calls: 0, errors: 0, throttled: 0, cacheHits: 0, cacheMisses: 0, estimatedCostUsd: 0 });

    expect((await resolve(s0!)).body).toMatchObject({ cached: false });
    expect((await resolve(s0!)).body).toMatchObject({ cached: true });
    expect((await resolve(s0!)).body).toMatchObject({ cached: true });
    // A batch: BatchGetSecretValue for what is not cached; then the same batch from the cache.
    expect((await resolveBatch([s1!, s2!])).body.values).toEqual({ [s1!]: `usage-value-1-${tag}`, [s2!]: `usage-value-2-${tag}` });
    expect(Object.keys((await resolveBatch([s1!, s2!])).body.values)).toHaveLength(2);
    expect((await resolve(missing)).status).toBe(502);

    const calls = callsSignedBy(KEYS.counted);
    expect(calls).toBeGreaterThanOrEqual(3);
    const response = await usage(connection);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ calls, errors: 1, throttled: 0, cacheHits: 4, cacheMisses: 4 });
    expect(response.body.estimatedCostUsd).toBeCloseTo((calls * 0.05) / 10_000, 9);

    // Yesterday and today (UTC); all of it today, unless the test ran across midnight.
    const { byDay } = response.body;
    expect(byDay).toHaveLength(2);
    expect(byDay.map((d) => d.day)).toEqual([...byDay.map((d) => d.day)].sort());
    expect(byDay.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.day))).toBe(true);
    const summed = byDay.reduce((sum, d) => sum + d.calls, 0);
    expect(summed).toBe(calls);
    // The answer carries numbers only, never a value.
    expect(response.text).not.toContain(tag);
  });

  it("counts a throttled call and its retry as two calls, one error, one throttled", async () => {
    const connection = await connect(KEYS.throttled);
    const name = `usage/${randomBytes(4).toString("hex")}/throttled`;
    aws.putSecret(name, "throttled-value");
    const secretPath = await external(connection, name, { cacheTtlSeconds: 0 });
    aws.faults.add({ status: 429, code: "ThrottlingException" }, 1);
    const resolved = await resolve(secretPath);
    expect(resolved.status, resolved.text).toBe(200);
    const response = await usage(connection);
    expect(callsSignedBy(KEYS.throttled)).toBe(2);
    expect(response.body).toMatchObject({ calls: 2, errors: 1, throttled: 1, cacheHits: 0, cacheMisses: 1 });
  });

  it("counts the calls of POST …/test too, and keeps connections apart", async () => {
    const connection = await connect(KEYS.other);
    const before = (await usage(connection)).body.calls;
    const tested = await call<{ ok: boolean }>(`/api/secret-providers/${connection}/test`, { method: "POST", body: {} });
    expect(tested.status, tested.text).toBe(200);
    expect((await usage(connection)).body.calls - before).toBe(1);
    expect((await usage(connection)).body.calls).toBe(callsSignedBy(KEYS.other));
  });

  it("takes window=24h|7d|30d (24h by default) and refuses anything else with fields.window", async () => {
    const connection = await connect(newKey());
    expect((await usage(connection)).body.byDay).toHaveLength(2);
    expect((await usage(connection, "?window=24h")).body.byDay).toHaveLength(2);
    expect((await usage(connection, "?window=7d")).body.byDay).toHaveLength(8);
    expect((await usage(connection, "?window=30d")).body.byDay).toHaveLength(31);
    for (const bad of ["1h", "7D", "30", "toString"]) {
      expectError(await usage(connection, `?window=${bad}`), 400, "validation_error", ["window"]);
    }
  });

  it("is for whoever may read the connection, except path-scoped tokens; 404 for an unknown one", async () => {
    const connection = await connect(newKey());
    const viewer = await createToken("viewer");
    const editor = await createToken("editor");
    const scoped = await createToken("editor", "usage.*");
    expect((await usage(connection, "", viewer.token)).status).toBe(200);
    expect((await usage(connection, "", editor.token)).status).toBe(200);
    expectError(await usage(connection, "", scoped.token), 403, "forbidden");
    expectError(await usage(connection, "", null as unknown as string), 401, "unauthorized");
    expectError(await usage("no-such-connection"), 404, "not_found");
  });
});
