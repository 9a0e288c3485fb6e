/**
 * `npm run bench`: measures the built app (fresh SQLite file, then a fresh PostgreSQL database)
 * against local wire-protocol fakes of the four managers, each upstream reply delayed by 20 ms,
 * and a bare node:http server measured in the same run as the machine's ceiling. Every goal of
 * the read path is a row with its ratio and ok / NOT OK. A benchmark, not a test: it never fails
 * the build; numbers depend on the machine, ratios within one run much less.
 *
 * BENCH_REQUESTS (default 5000) requests per scenario, BENCH_CONCURRENCY (default 50) connections.
 * BENCH_DATABASES (default "sqlite,postgresql") and BENCH_PARTS (default all of "load,upstream,
 * run,catalogue") run part of it: `BENCH_DATABASES=sqlite BENCH_PARTS=upstream npm run bench`
 * measures only the herd and the batch rows, in a minute instead of many. BENCH_CPU_PROF_DIR: the
 * fast-path server writes a V8 CPU profile there when it stops (node --cpu-prof).
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { startAwsFake } from "../../tests/support/fakes/aws";
import { startAzureFake } from "../../tests/support/fakes/azure";
import { startGcpFake } from "../../tests/support/fakes/gcp";
import { TEST_CA_ENV } from "../../tests/support/fakes/tls";
import { startVaultFake } from "../../tests/support/fakes/vault";
import { createPostgresDatabase, createSqliteDatabase, type TempDatabase } from "../../tests/support/databases";
import { startServer, type RunningServer } from "../../tests/api/support/server";
import { createClient } from "../../client/src/index";
import { measureLargeCatalogue } from "./large-catalogue";
import { formatTable, runLoad, send, type LoadRequest, type LoadResult } from "./load";

const ROOT = path.resolve(__dirname, "../..");
const execFileAsync = promisify(execFile);
const UPSTREAM_DELAY_MS = 20;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const BATCH_PER_PROVIDER = 25;
const HERD_SIZE = 100;
/** Single uncached resolves and batches timed, alternately; the rows show the medians. */
const UPSTREAM_RUNS = 9;
const LOAD = { requests: REQUESTS, concurrency: CONCURRENCY };
const DATABASES = listEnv("BENCH_DATABASES", ["sqlite", "postgresql"]);
const PARTS = listEnv("BENCH_PARTS", ["load", "upstream", "run", "catalogue"]);

/** A comma-separated list from the environment, lower-cased; `all` when unset. */
function listEnv(name: string, all: string[]): Set<string> {
  const raw = process.env[name]?.trim();
  const chosen = raw
    ? raw
        .split(",")
        .map((part) => part.trim().toLowerCase())
        .filter(Boolean)
    : all;
  const unknown = chosen.filter((part) => !all.includes(part));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(", ")} (choose from ${all.join(", ")})`);
  return new Set(chosen);
}

type Fakes = Awaited<ReturnType<typeof startFakes>>;

interface Goal {
  goal: string;
  measured: string;
  target: string;
  ok: boolean;
}

async function main() {
  if (!existsSync(path.join(ROOT, ".next/standalone/server.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  const fakes = await startFakes();
  const bare = await startBareServer();
  const loads: LoadResult[] = [];
  const goals: Goal[] = [];
  try {
    for (const [label, create] of [
      ["SQLite", async () => createSqliteDatabase()],
      ["PostgreSQL", () => createPostgresDatabase()],
    ] as const) {
      if (!DATABASES.has(label.toLowerCase())) continue;
      const database = await create();
      try {
        await benchDatabase(label, database, fakes, bare.url, loads, goals);
      } finally {
        await database.drop();
      }
    }
  } finally {
    bare.stop();
    await fakes.close();
  }

  console.log(
    `\nProvenance bench: ${REQUESTS} requests per scenario, ${CONCURRENCY} connections, upstream delay ${UPSTREAM_DELAY_MS} ms\n`,
  );
  const rows = [["scenario", "req/s", "p50 ms", "p99 ms", "errors", "timeouts"]];
  for (const r of loads)
    rows.push([r.name, r.perSecond.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), String(r.errors), String(r.timeouts)]);
  console.log(formatTable(rows));
  console.log(
    `\n${formatTable([["goal", "measured", "target", "ok"], ...goals.map((g) => [g.goal, g.measured, g.target, g.ok ? "ok" : "NOT OK"])])}\n`,
  );
}

async function benchDatabase(
  label: string,
  database: TempDatabase,
  fakes: Fakes,
  bareUrl: string,
  loads: LoadResult[],
  goals: Goal[],
): Promise<void> {
  const env = {
    DATABASE_URL: database.url,
    SECRETS_MASTER_KEY: randomBytes(32).toString("base64url"),
    PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
    ...TEST_CA_ENV,
  };
  // Two servers on one database: bearer-token resolves take the fast path on the first; the second
  // serves them through Next's route handler, as a serverless host does.
  const profile: Record<string, string> = process.env.BENCH_CPU_PROF_DIR
    ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF_DIR)}` }
    : {};
  const fast = await startServer({ ...env, ...profile, PROVENANCE_FAST_PATH: "true" }, `bench-${label}-fast`);
  const route = await startServer({ ...env, PROVENANCE_FAST_PATH: "false" }, `bench-${label}-route`);
  try {
    // Not execFileSync: a blocked event loop keeps the HTTP client's idle-socket timers from
    // running, so the first request after it could go out on a socket the server has just closed.
    const token = (
      await execFileAsync(
        process.execPath,
        [path.join(ROOT, "bin/provenance.mjs"), "token", "create", "--name", "bench", "--role", "admin"],
        {
          cwd: ROOT,
          env: { ...process.env, ...env },
          encoding: "utf8",
        },
      )
    ).stdout.trim();
    const auth = { authorization: `Bearer ${token}` };
    const batchPaths = await seed(fast.baseUrl, auth, fakes);
    const at = (server: RunningServer, p: string): LoadRequest => ({ url: `${server.baseUrl}${p}`, headers: auth });
    const measure = async (name: string, request: LoadRequest, options = LOAD) => {
      const result = await runLoad(`[${label}] ${name}`, request, options);
      loads.push(result);
      return result;
    };

    let stored: LoadResult | undefined;
    if (PARTS.has("load")) {
      const ceiling = await measure("bare node:http server (the machine's ceiling)", { url: bareUrl });
      await measure("GET /api/health", { url: `${fast.baseUrl}/api/health` });
      const live = await measure("GET /api/health/live", { url: `${fast.baseUrl}/api/health/live` });
      stored = await measure("resolve stored secret (fast path)", at(fast, "/api/secrets/resolve?path=bench.stored"));
      const cached = await measure("resolve cached external, Vault (fast path)", at(fast, "/api/secrets/resolve?path=bench.vault.cached"));
      const routeLive = await measure("GET /api/health/live (route-handler server)", { url: `${route.baseUrl}/api/health/live` });
      const routeStored = await measure("resolve stored secret (route handler)", at(route, "/api/secrets/resolve?path=bench.stored"));
      const routeCached = await measure(
        "resolve cached external, Vault (route handler)",
        at(route, "/api/secrets/resolve?path=bench.vault.cached"),
      );
      await measure("resolve uncached external, Vault 20 ms (fast path)", at(fast, "/api/secrets/resolve?path=bench.vault.uncached"), {
        ...LOAD,
        requests: Math.min(REQUESTS, 1000),
      });

      for (const [name, result] of [
        ["stored", stored],
        ["cached external", cached],
      ] as const) {
        const share = result.perSecond / ceiling.perSecond;
        goals.push({
          goal: `[${label}] resolve ${name}: share of bare node:http`,
          measured: percent(share),
          target: "≥ 10 %",
          ok: share >= 0.1,
        });
        goals.push({
          goal: `[${label}] resolve ${name}: p99 at ${CONCURRENCY} connections`,
          measured: `${result.p99.toFixed(1)} ms`,
          target: "≤ 100 ms",
          ok: result.p99 <= 100,
        });
        goals.push({
          goal: `[${label}] resolve ${name}: errors and timeouts`,
          measured: `${result.errors} / ${result.timeouts}`,
          target: "0 / 0",
          ok: result.errors === 0 && result.timeouts === 0,
        });
      }
      for (const [name, result] of [
        ["stored", routeStored],
        ["cached external", routeCached],
      ] as const) {
        const ratio = result.perSecond / routeLive.perSecond;
        goals.push({
          goal: `[${label}] route handler, resolve ${name} ÷ /api/health/live`,
          measured: `${ratio.toFixed(2)}×`,
          target: "≥ 0.8×",
          ok: ratio >= 0.8,
        });
      }
      goals.push({
        goal: `[${label}] fast path resolve stored ÷ /api/health/live`,
        measured: `${(stored.perSecond / live.perSecond).toFixed(2)}×`,
        target: "(information)",
        ok: true,
      });
    }

    if (PARTS.has("upstream")) goals.push(...(await upstreamGoals(label, fast, auth, fakes, batchPaths)));
    if (PARTS.has("run") && label === "SQLite")
      goals.push(await clientCacheGoal(fast.baseUrl, token), ...(await runStartGoals(fast.baseUrl, auth, token)));

    // 10,000 secrets and 100 connections: the list pages stay quick and resolve does not notice.
    if (!PARTS.has("catalogue")) return;
    const catalogue = await measureLargeCatalogue({
      baseUrl: fast.baseUrl,
      token,
      databaseUrl: env.DATABASE_URL,
      masterKey: env.SECRETS_MASTER_KEY,
    });
    goals.push(...catalogue.map((row) => ({ goal: `[${label}] ${row.name}`, measured: row.value, target: row.goal, ok: row.ok })));
    const storedLarge = await measure("resolve stored secret among 10,000 (fast path)", at(fast, "/api/secrets/resolve?path=bench.stored"));
    if (!stored) return;
    const kept = storedLarge.perSecond / stored.perSecond;
    goals.push({
      goal: `[${label}] resolve stored with 10,000 secrets ÷ without`,
      measured: `${kept.toFixed(2)}×`,
      target: "≥ 0.8×",
      ok: kept >= 0.8,
    });
  } finally {
    await Promise.all([fast.stop(), route.stop()]);
  }
}

/** A thundering herd on one uncached secret, and a batch of 100 across the four managers. */
async function upstreamGoals(
  label: string,
  server: RunningServer,
  auth: Record<string, string>,
  fakes: Fakes,
  batchPaths: string[],
): Promise<Goal[]> {
  const call = (p: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}${p}`, { ...init, headers: { ...auth, "content-type": "application/json" } });
  const herdPath = "/v1/secret/data/bench/herd";
  const herdCalls = () => fakes.vault.requests.filter((r) => r.path.startsWith(herdPath)).length;
  // Each herd goes out on 100 connections opened beforehand, as 100 programs already connected
  // would send it: the requests reach the server together, not spread over the time this one
  // client takes to open 100 connections. Three herds; the row shows each one's upstream calls.
  const herds: number[] = [];
  let herdErrors = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: HERD_SIZE });
  try {
    for (let round = 0; round < 3; round++) {
      // Opened through the fast path (a stored secret): Next answers far slower on a busy machine,
      // and a socket left idle past the server's keep-alive timeout would be closed under the herd.
      await Promise.all(
        Array.from({ length: HERD_SIZE }, () =>
          send(agent, { url: `${server.baseUrl}/api/secrets/resolve?path=bench.stored`, headers: auth }),
        ),
      );
      const before = herdCalls();
      const outcomes = await Promise.all(
        Array.from({ length: HERD_SIZE }, () =>
          send(agent, { url: `${server.baseUrl}/api/secrets/resolve?path=bench.vault.herd`, headers: auth }),
        ),
      );
      herdErrors += outcomes.filter((outcome) => outcome !== "ok").length;
      herds.push(herdCalls() - before);
    }
  } finally {
    agent.destroy();
  }

  const cpu = serverCpuMs(server.pid);
  let batchErrors = 0;
  const runSingle = async () => (await call("/api/secrets/resolve?path=bench.vault.uncached")).arrayBuffer();
  const runBatch = async () => {
    const response = await call("/api/secrets/resolve", { method: "POST", body: JSON.stringify({ paths: batchPaths }) });
    batchErrors = Object.keys(((await response.json()) as { errors: Record<string, unknown> }).errors).length;
  };
  await runBatch(); // the first loads the SDKs: not what a batch costs once the server is warm
  // Singles and batches alternate, so whatever else the machine runs meanwhile meets both alike.
  const times = { single: [] as number[], batch: [] as number[] };
  const cpuSpent = { single: 0, batch: 0 };
  let cpuKnown = true;
  for (let round = 0; round < UPSTREAM_RUNS; round++) {
    for (const [kind, run] of [
      ["single", runSingle],
      ["batch", runBatch],
    ] as const) {
      const cpuBefore = cpu();
      const t0 = performance.now();
      await run();
      times[kind].push(performance.now() - t0);
      const cpuAfter = cpu();
      if (cpuBefore === null || cpuAfter === null) cpuKnown = false;
      else cpuSpent[kind] += cpuAfter - cpuBefore;
    }
  }
  const single = median(times.single);
  const batch = median(times.batch);
  const batchCpu = cpuKnown ? cpuSpent.batch / UPSTREAM_RUNS : null;
  const singleCpu = cpuKnown ? cpuSpent.single / UPSTREAM_RUNS : null;
  return [
    {
      goal: `[${label}] upstream calls for ${HERD_SIZE} concurrent resolves of one uncached secret (3 herds)`,
      measured: `${herds.join(", ")}${herdErrors > 0 ? ` (${herdErrors} errors)` : ""}`,
      target: "1 each",
      ok: herds.every((calls) => calls === 1) && herdErrors === 0,
    },
    {
      goal: `[${label}] batch of ${batchPaths.length} uncached across 4 managers ÷ one uncached resolve`,
      measured: `${(batch / single).toFixed(1)}× (${batch.toFixed(0)} ms ÷ ${single.toFixed(0)} ms)`,
      target: "≤ 3×",
      ok: batch / single <= 3,
    },
    { goal: `[${label}] batch errors`, measured: String(batchErrors), target: "0", ok: batchErrors === 0 },
    {
      // CPU time does not grow when other work shares the machine, as latency does.
      goal: `[${label}] server CPU per batch of ${batchPaths.length} / per uncached resolve (mean of ${UPSTREAM_RUNS})`,
      measured: batchCpu === null || singleCpu === null ? "n/a" : `${batchCpu.toFixed(0)} ms / ${singleCpu.toFixed(1)} ms`,
      target: "(information)",
      ok: true,
    },
  ];
}

/** The TypeScript client's cached get, in process: what a program pays per read once warm. */
async function clientCacheGoal(baseUrl: string, token: string): Promise<Goal> {
  const client = createClient({ url: baseUrl, token, cacheTtlSeconds: 3600 });
  await client.get("bench.stored");
  const gets = 1_000_000;
  const t0 = performance.now();
  for (let i = 0; i < gets; i++) await client.get("bench.stored");
  const perSecond = gets / ((performance.now() - t0) / 1000);
  return {
    goal: "TypeScript client: cached get() per second, in process",
    measured: perSecond.toFixed(0),
    target: "≥ 1,000,000",
    ok: perSecond >= 1_000_000,
  };
}

/**
 * `provenance run` for 50 secrets: its start-up cost over the command's own start (median of 9),
 * for the client package's built command (what users install) and the checkout's `npx provenance`.
 */
async function runStartGoals(baseUrl: string, auth: Record<string, string>, token: string): Promise<Goal[]> {
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${baseUrl}/api/secrets`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ secretPath: `bench.run.s${i}`, value: `run-value-${i}` }),
    });
    if (!response.ok) throw new Error(`seeding run secrets: ${response.status}`);
  }
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "client")]);
  const env = { ...process.env, PROVENANCE_URL: baseUrl, PROVENANCE_TOKEN: token };
  const child = [process.execPath, "-e", ""];
  const median = async (args: string[]) => medianMs(async () => execFileSync(args[0]!, args.slice(1), { env, stdio: "ignore" }), 9);
  const alone = await median(child);
  const built = await median([process.execPath, path.join(ROOT, "client/dist/cli/bin.js"), "run", "--prefix", "bench.run", "--", ...child]);
  const checkout = await median([process.execPath, path.join(ROOT, "bin/provenance.mjs"), "run", "--prefix", "bench.run", "--", ...child]);
  // And the values did reach the command (exit 3 otherwise).
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, "client/dist/cli/bin.js"),
      "run",
      "--prefix",
      "bench.run",
      "--",
      process.execPath,
      "-e",
      "if (process.env.S49 !== 'run-value-49') process.exit(3)",
    ],
    { env },
  );
  return [
    {
      goal: "provenance run, 50 secrets: start-up over the command's own (client package)",
      measured: `${(built - alone).toFixed(0)} ms (${built.toFixed(0)} − ${alone.toFixed(0)})`,
      target: "≤ 300 ms",
      ok: built - alone <= 300,
    },
    {
      goal: "the same through the checkout's npx provenance (TypeScript loaded at start)",
      measured: `${(checkout - alone).toFixed(0)} ms`,
      target: "(information)",
      ok: true,
    },
  ];
}

/** Connections to the four fakes, the secrets each scenario reads, and a batch of 100. */
async function seed(baseUrl: string, auth: Record<string, string>, fakes: Fakes): Promise<string[]> {
  const post = async (p: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${p}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { ...auth, "content-type": "application/json" },
    });
    if (!response.ok) throw new Error(`${p}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  const { vault, aws, azure, gcp, credentials } = fakes;
  const connections = {
    vault: await post("/api/secret-providers", {
      name: "bench vault",
      type: "vault",
      config: { vaultUrl: vault.url, token: credentials.vaultToken },
    }),
    aws: await post("/api/secret-providers", {
      name: "bench aws",
      type: "aws-sm",
      config: { region: "eu-west-1", accessKeyId: credentials.aws.id, secretAccessKey: credentials.aws.secret, endpoint: aws.url },
    }),
    azure: await post("/api/secret-providers", {
      name: "bench azure",
      type: "azure-kv",
      config: {
        vaultUrl: azure.vaultUrl,
        tenantId: credentials.azure.tenant,
        clientId: credentials.azure.id,
        clientSecret: credentials.azure.secret,
        authorityHost: azure.authorityUrl,
      },
    }),
    gcp: await post("/api/secret-providers", {
      name: "bench gcp",
      type: "gcp-sm",
      config: { projectId: "bench-project", apiEndpoint: `http://${gcp.endpoint}` },
    }),
  };

  await post("/api/secrets", { secretPath: "bench.stored", value: "stored-value" });
  await post("/api/secrets", {
    secretPath: "bench.vault.cached",
    provider: "vault",
    providerPath: "secret/bench/cached",
    secretProviderId: connections.vault.id,
  });
  const uncached = { provider: "vault", secretProviderId: connections.vault.id, providerConfig: { cacheTtlSeconds: 0 } };
  await post("/api/secrets", { secretPath: "bench.vault.uncached", providerPath: "secret/bench/uncached", ...uncached });
  await post("/api/secrets", { secretPath: "bench.vault.herd", providerPath: "secret/bench/herd", ...uncached });

  const batchPaths: string[] = [];
  for (let i = 0; i < BATCH_PER_PROVIDER; i++) {
    for (const [type, body] of [
      ["vault", { provider: "vault", providerPath: `secret/batch/s${i}`, secretProviderId: connections.vault.id }],
      ["aws", { provider: "aws-sm", providerPath: `batch/s${i}`, secretProviderId: connections.aws.id }],
      ["azure", { provider: "azure-kv", providerPath: `batch-s${i}`, secretProviderId: connections.azure.id }],
      ["gcp", { provider: "gcp-sm", providerPath: `batch-s${i}`, secretProviderId: connections.gcp.id }],
    ] as const) {
      const secretPath = `bench.batch.${type}.s${i}`;
      await post("/api/secrets", { secretPath, ...body, providerConfig: { cacheTtlSeconds: 0 } });
      batchPaths.push(secretPath);
    }
  }
  return batchPaths;
}

async function startFakes() {
  const credentials = {
    aws: { id: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, secret: randomBytes(20).toString("base64") },
    azure: { tenant: "bench-tenant", id: "bench-client", secret: randomBytes(16).toString("hex") },
    vaultToken: `hvs.${randomBytes(12).toString("hex")}`,
  };
  const vault = await startVaultFake({ mounts: { secret: 2 }, tokens: { [credentials.vaultToken]: [""] } });
  const aws = await startAwsFake({ [credentials.aws.id]: credentials.aws.secret });
  const azure = await startAzureFake({ tenantId: credentials.azure.tenant, clients: { [credentials.azure.id]: credentials.azure.secret } });
  const gcp = await startGcpFake();
  // Every upstream answer takes 20 ms, like a nearby cloud API on a good day.
  for (const fake of [vault, aws, azure, gcp]) fake.faults.add({ delayMs: UPSTREAM_DELAY_MS }, 1_000_000);
  vault.putSecret("secret/bench/cached", { value: "cached-value" });
  vault.putSecret("secret/bench/uncached", { value: "uncached-value" });
  vault.putSecret("secret/bench/herd", { value: "herd" });
  for (let i = 0; i < BATCH_PER_PROVIDER; i++) {
    vault.putSecret(`secret/batch/s${i}`, { value: `v${i}` });
    aws.putSecret(`batch/s${i}`, `a${i}`);
    azure.putSecret(`batch-s${i}`, `z${i}`);
    gcp.putSecret("bench-project", `batch-s${i}`, `g${i}`);
  }
  return {
    vault,
    aws,
    azure,
    gcp,
    credentials,
    close: () => Promise.all([vault.close(), aws.close(), azure.close(), gcp.close()]),
  };
}

/** The ceiling: a node:http server in its own process answering a constant JSON body. */
async function startBareServer(): Promise<{ url: string; stop: () => void }> {
  const source = `require("node:http").createServer((q, s) => { s.writeHead(200, { "content-type": "application/json" }); s.end('{"status":"ok"}'); })
    .listen(0, "127.0.0.1", function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

/**
 * The CPU time (user + system, in ms) the server has used so far, read from /proc: the server is
 * the only child of `npm start`'s process (`pid`). null where there is no /proc.
 */
function serverCpuMs(pid: number): () => number | null {
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return null;
    }
  };
  const child = read(`/proc/${pid}/task/${pid}/children`)?.trim().split(/\s+/)[0];
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  return () => {
    const stat = child ? read(`/proc/${child}/stat`) : null;
    if (!stat) return null;
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
  };
}

async function medianMs(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
