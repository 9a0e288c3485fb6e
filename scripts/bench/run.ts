/**
 * `npm run bench`: measures running servers (the built app on a temp SQLite database, then on
 * PostgreSQL with one and with two instances) against local wire-protocol fakes of the four
 * managers, each upstream reply delayed by a fixed 20 ms.
 * Prints a table; numbers depend on the machine, ratios to GET /api/health much less.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { startAwsFake } from "../../tests/support/fakes/aws";
import { startAzureFake } from "../../tests/support/fakes/azure";
import { startGcpFake } from "../../tests/support/fakes/gcp";
import { TEST_CA_ENV } from "../../tests/support/fakes/tls";
import { startVaultFake } from "../../tests/support/fakes/vault";
import { createPostgresDatabase, createSqliteDatabase } from "../../tests/support/databases";
import { startServer } from "../../tests/api/support/server";
import { formatTable, runLoad, type LoadResult } from "./load";

const ROOT = path.resolve(__dirname, "../..");
const UPSTREAM_DELAY_MS = 20;
const CONCURRENCY = 16;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const BATCH_PER_PROVIDER = 25;

async function main() {
  if (!existsSync(path.join(ROOT, ".next/standalone/server.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });

  const awsKey = { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") };
  const azureClient = { tenant: "bench-tenant", id: "bench-client", secret: randomBytes(16).toString("hex") };
  const vaultToken = `hvs.${randomBytes(12).toString("hex")}`;
  const vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [vaultToken]: [""] } });
  const aws = await startAwsFake({ [awsKey.id]: awsKey.secret });
  const azure = await startAzureFake({ tenantId: azureClient.tenant, clients: { [azureClient.id]: azureClient.secret } });
  const gcp = await startGcpFake();
  // Every upstream answer takes 20 ms, like a nearby cloud API on a good day.
  const slow = { delayMs: UPSTREAM_DELAY_MS };
  vault.faults.add(slow, 1_000_000);
  aws.faults.add(slow, 1_000_000);
  azure.faults.add(slow, 1_000_000);
  gcp.faults.add(slow, 1_000_000);

  const database = createSqliteDatabase();
  const env = { DATABASE_URL: database.url, SECRETS_MASTER_KEY: randomBytes(32).toString("base64url"), PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
    // Counted but never refused: the bench measures throughput, including the limiter's own cost.
    PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: "100000000" };
  const server = await startServer({ ...env, ...TEST_CA_ENV }, "bench");
  const token = execFileSync(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), "token", "create", "--name", "bench", "--role", "admin"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  }).trim();

  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}${p}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });
  const post = async (p: string, body: unknown) => {
    const response = await api(p, { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${p}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };

  const connections = {
    vault: await post("/api/secret-providers", { name: "bench vault", type: "vault", config: { vaultUrl: vault.url, token: vaultToken } }),
    "aws-sm": await post("/api/secret-providers", {
      name: "bench aws",
      type: "aws-sm",
      config: { region: "eu-west-1", accessKeyId: awsKey.id, secretAccessKey: awsKey.secret, endpoint: aws.url },
    }),
    "azure-kv": await post("/api/secret-providers", {
      name: "bench azure",
      type: "azure-kv",
      config: { vaultUrl: azure.vaultUrl, tenantId: azureClient.tenant, clientId: azureClient.id, clientSecret: azureClient.secret, authorityHost: azure.authorityUrl },
    }),
    "gcp-sm": await post("/api/secret-providers", { name: "bench gcp", type: "gcp-sm", config: { projectId: "bench-project", apiEndpoint: `http://${gcp.endpoint}` } }),
  };

  await post("/api/secrets", { secretPath: "bench.stored", value: "stored-value" });
  vault.putSecret("secret/bench/cached", { value: "cached-value" });
  vault.putSecret("secret/bench/uncached", { value: "uncached-value" });
  vault.putSecret("secret/bench/herd", { value: "herd" });
  await post("/api/secrets", { secretPath: "bench.vault.cached", provider: "vault", providerPath: "secret/bench/cached", secretProviderId: connections.vault.id });
  const uncached = { provider: "vault", providerPath: "secret/bench/uncached", secretProviderId: connections.vault.id, providerConfig: { cacheTtlSeconds: 0 } };
  await post("/api/secrets", { secretPath: "bench.vault.uncached", ...uncached });
  await post("/api/secrets", { secretPath: "bench.vault.herd", ...uncached, providerPath: "secret/bench/herd" });

  const batchPaths: string[] = [];
  for (let i = 0; i < BATCH_PER_PROVIDER; i++) {
    vault.putSecret(`secret/batch/s${i}`, { value: `v${i}` });
    aws.putSecret(`batch/s${i}`, `a${i}`);
    azure.putSecret(`batch-s${i}`, `z${i}`);
    gcp.putSecret("bench-project", `batch-s${i}`, `g${i}`);
    const entries: Array<[string, Record<string, unknown>]> = [
      ["vault", { provider: "vault", providerPath: `secret/batch/s${i}`, secretProviderId: connections.vault.id }],
      ["aws", { provider: "aws-sm", providerPath: `batch/s${i}`, secretProviderId: connections["aws-sm"].id }],
      ["azure", { provider: "azure-kv", providerPath: `batch-s${i}`, secretProviderId: connections["azure-kv"].id }],
      ["gcp", { provider: "gcp-sm", providerPath: `batch-s${i}`, secretProviderId: connections["gcp-sm"].id }],
    ];
    for (const [type, body] of entries) {
      const secretPath = `bench.batch.${type}.s${i}`;
      await post("/api/secrets", { secretPath, ...body, providerConfig: { cacheTtlSeconds: 0 } });
      batchPaths.push(secretPath);
    }
  }

  const options = { requests: REQUESTS, concurrency: CONCURRENCY };
  const results: LoadResult[] = [];
  results.push(await runLoad("GET /api/health", () => fetch(`${server.baseUrl}/api/health`), options));
  results.push(await runLoad("resolve stored secret", () => api("/api/secrets/resolve?path=bench.stored"), options));
  results.push(await runLoad("resolve cached external (Vault)", () => api("/api/secrets/resolve?path=bench.vault.cached"), options));
  results.push(
    await runLoad("resolve uncached external (Vault, 20 ms)", () => api("/api/secrets/resolve?path=bench.vault.uncached"), { ...options, requests: Math.min(REQUESTS, 1000) }),
  );

  // A thundering herd: 100 concurrent resolves of one uncached secret.
  const herdPath = "/v1/secret/data/bench/herd";
  const before = vault.requests.filter((r) => r.path.startsWith(herdPath)).length;
  await Promise.all(Array.from({ length: 100 }, () => api("/api/secrets/resolve?path=bench.vault.herd").then((r) => r.arrayBuffer())));
  const herdCalls = vault.requests.filter((r) => r.path.startsWith(herdPath)).length - before;

  const timeIt = async (fn: () => Promise<unknown>, runs = 7) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  };
  const single = await timeIt(async () => (await api("/api/secrets/resolve?path=bench.vault.uncached")).arrayBuffer());
  let batchErrors = 0;
  const batch = await timeIt(async () => {
    const response = await api("/api/secrets/resolve", { method: "POST", body: JSON.stringify({ paths: batchPaths }) });
    const body = (await response.json()) as { errors: Record<string, unknown> };
    batchErrors = Object.keys(body.errors).length;
  });

  await server.stop();

  // What the resolve limit's counter (one upsert and one read per request) costs: the same
  // database, served with the limit turned off.
  const unlimited = await startServer({ ...env, ...TEST_CA_ENV, PROVENANCE_RESOLVE_LIMIT_PER_MINUTE: "0" }, "bench-unlimited");
  results.push(
    await runLoad("resolve stored secret, resolve limit off", () =>
      fetch(`${unlimited.baseUrl}/api/secrets/resolve?path=bench.stored`, { headers: { authorization: `Bearer ${token}` } }), options),
  );
  await unlimited.stop();

  // The same resolves on PostgreSQL, with one instance and with two sharing the database.
  const pgDatabase = await createPostgresDatabase();
  const pgEnv = { ...env, DATABASE_URL: pgDatabase.url };
  const pgA = await startServer({ ...pgEnv, ...TEST_CA_ENV }, "bench-pg-a");
  const pgB = await startServer({ ...pgEnv, ...TEST_CA_ENV }, "bench-pg-b");
  const pgToken = execFileSync(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), "token", "create", "--name", "bench", "--role", "admin"], {
    cwd: ROOT,
    env: { ...process.env, ...pgEnv },
    encoding: "utf8",
  }).trim();
  const pgCall = (base: string, p: string, init: RequestInit = {}) =>
    fetch(`${base}${p}`, { ...init, headers: { authorization: `Bearer ${pgToken}`, "content-type": "application/json", ...init.headers } });
  const pgPost = async (p: string, body: unknown) => (await (await pgCall(pgA.baseUrl, p, { method: "POST", body: JSON.stringify(body) })).json()) as { id: string };
  const pgVault = await pgPost("/api/secret-providers", { name: "bench vault", type: "vault", config: { vaultUrl: vault.url, token: vaultToken } });
  await pgPost("/api/secrets", { secretPath: "bench.stored", value: "stored-value" });
  await pgPost("/api/secrets", { secretPath: "bench.vault.cached", provider: "vault", providerPath: "secret/bench/cached", secretProviderId: pgVault.id });
  let turn = 0;
  const both = () => (turn++ % 2 === 0 ? pgA.baseUrl : pgB.baseUrl);
  for (const [label, pick] of [
    ["PostgreSQL", () => pgA.baseUrl],
    ["PostgreSQL, 2 instances", both],
  ] as const) {
    results.push(await runLoad(`[${label}] GET /api/health`, () => fetch(`${pick()}/api/health`), options));
    results.push(await runLoad(`[${label}] resolve stored secret`, () => pgCall(pick(), "/api/secrets/resolve?path=bench.stored"), options));
    results.push(await runLoad(`[${label}] resolve cached external (Vault)`, () => pgCall(pick(), "/api/secrets/resolve?path=bench.vault.cached"), options));
  }
  await Promise.all([pgA.stop(), pgB.stop()]);
  await pgDatabase.drop();

  const health = results[0]!;
  const rows = [["scenario", "req/s", "p50 ms", "p99 ms", "req/s vs SQLite health", "errors"]];
  for (const r of results) {
    rows.push([r.name, r.perSecond.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), `${(r.perSecond / health.perSecond).toFixed(2)}×`, String(r.errors)]);
  }
  console.log(`\nProvenance bench: ${REQUESTS} requests per scenario, ${CONCURRENCY} concurrent, upstream delay ${UPSTREAM_DELAY_MS} ms; rows without a database are SQLite\n`);
  console.log(formatTable(rows));
  console.log(
    `\n${formatTable([
      ["measure", "value"],
      ["upstream calls for 100 concurrent resolves of one uncached secret", String(herdCalls)],
      ["one uncached resolve, median of 7 (ms)", single.toFixed(1)],
      [`batch of ${batchPaths.length} uncached secrets across 4 providers, median of 7 (ms)`, batch.toFixed(1)],
      ["batch / single", `${(batch / single).toFixed(1)}×`],
      ["batch errors", String(batchErrors)],
    ])}\n`,
  );

  await Promise.all([vault.close(), aws.close(), azure.close(), gcp.close()]);
  await database.drop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
