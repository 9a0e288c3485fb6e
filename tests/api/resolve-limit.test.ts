import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, unique, type ApiResponse } from "./support/client";
import { apiContext } from "./support/context";
import { startServer, type RunningServer } from "./support/server";

/**
 * The per-minute resolve limit, counted in memory (lib/rate-limit/synced-window.ts), on a server of
 * its own with a limit of 5 on the suite's database. Across instances: tests/cluster/rate-limits.test.ts.
 */
const LIMIT = 5;
let server: RunningServer;
let secretPath: string;

const at = <T = unknown>(path: string, options: Parameters<typeof call>[1] = {}) =>
  call<T>(path, { ...options, baseUrl: server.baseUrl }) as Promise<ApiResponse<T>>;

async function token(): Promise<string> {
  const reply = await at<{ token: string }>("/api/tokens", { method: "POST", body: { name: unique("limited"), role: "editor" } });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.token;
}

function expectLimited(reply: ApiResponse): void {
  expect(reply.status, reply.text).toBe(429);
  expect(reply.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
  expect(Number(reply.headers.get("retry-after"))).toBeLessThanOrEqual(120);
  expect((reply.body as { error: { code: string; message: string } }).error).toMatchObject({
    code: "rate_limited",
    message: expect.stringMatching(
      /^Too many resolve requests from this token \(limit 5 secrets per minute; a batch counts each of its paths\)\. Try again in \d+ seconds\.$/,
    ),
  });
  expect(reply.text).not.toContain('"value"');
}

beforeAll(async () => {
  const { databaseUrl, masterKey } = apiContext();
  server = await startServer(
    { DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: masterKey, PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: String(LIMIT) },
    `${apiContext().kind}-resolve-limit`,
  );
  secretPath = unique("limit.value").replace(/[^A-Za-z0-9_.]/g, "_");
  const created = await at("/api/secrets", { method: "POST", body: { secretPath, value: "v" } });
  expect(created.status, created.text).toBe(201);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe(`a resolve limit of ${LIMIT} per minute`, () => {
  it("answers the 6th resolve of a token with 429 and Retry-After, single or batch; another token is unaffected", async () => {
    const reader = await token();
    const statuses: number[] = [];
    for (let n = 0; n < LIMIT; n++) statuses.push((await at(`/api/secrets/resolve?path=${secretPath}`, { token: reader })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expectLimited(await at(`/api/secrets/resolve?path=${secretPath}`, { token: reader }));
    expectLimited(await at("/api/secrets/resolve", { method: "POST", token: reader, body: { paths: [secretPath] } }));
    expect((await at(`/api/secrets/resolve?path=${secretPath}`, { token: await token() })).status).toBe(200);
  });

  it("counts concurrent resolves exactly: of 8 at once, 5 are answered", async () => {
    const reader = await token();
    const replies = await Promise.all(Array.from({ length: 8 }, () => at(`/api/secrets/resolve?path=${secretPath}`, { token: reader })));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  });

  it("keeps a token's count across a restart: the counts reach the database within seconds", async () => {
    const reader = await token();
    for (let n = 0; n < LIMIT; n++) expect((await at(`/api/secrets/resolve?path=${secretPath}`, { token: reader })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // two syncs (one a second)
    await server.stop();
    const { databaseUrl, masterKey } = apiContext();
    server = await startServer(
      { DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: masterKey, PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: String(LIMIT) },
      `${apiContext().kind}-resolve-limit-again`,
    );
    expectLimited(await at(`/api/secrets/resolve?path=${secretPath}`, { token: reader }));
  }, 120_000);
});
