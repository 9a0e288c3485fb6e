/**
 * The read path with a large catalogue: 10,000 secrets and 100 connections, seeded in one bulk
 * import (`provenance import`, the CLI's one-transaction path), then the list endpoints and the
 * dashboard's Secrets page timed one request at a time against a running server.
 *
 * Used by the bench (scripts/bench/run.ts), on SQLite and on PostgreSQL.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sealBundle } from "../../lib/transfer/bundle-crypto";

const ROOT = path.resolve(__dirname, "../..");

export interface LargeCatalogueOptions {
  /** A running server (the built app). */
  baseUrl: string;
  /** An admin API token for it. */
  token: string;
  /** The server's database and master key: the CLI seeds the catalogue and makes a dashboard admin with them. */
  databaseUrl: string;
  masterKey: string;
  secrets?: number;
  connections?: number;
}

/** One line of the bench's report. */
export interface BenchRow {
  name: string;
  value: string;
  goal: string;
  ok: boolean;
}

/** The read-path goal: the first page of the list, by API and in the dashboard, within this. */
const FIRST_PAGE_GOAL_MS = 300;
const PAGE_SIZE = 50;

export async function measureLargeCatalogue(options: LargeCatalogueOptions): Promise<BenchRow[]> {
  const secretCount = options.secrets ?? 10_000;
  const connectionCount = options.connections ?? 100;
  const started = performance.now();
  const { prefix, storedPath } = await seedCatalogue(options, secretCount, connectionCount);
  const seedSeconds = (performance.now() - started) / 1000;
  const cookie = await dashboardAdmin(options);

  const api = (p: string) => fetch(`${options.baseUrl}${p}`, { headers: { authorization: `Bearer ${options.token}` } });
  const rows: BenchRow[] = [
    {
      name: `seed ${secretCount} secrets and ${connectionCount} connections (CLI import)`,
      value: `${seedSeconds.toFixed(1)} s`,
      goal: "—",
      ok: true,
    },
  ];

  // The server's own count, not ours: the page and the list below must be reading this catalogue.
  const whole = await timed(3, async () => {
    const response = await api("/api/secrets");
    const body = (await response.json()) as unknown[];
    return response.ok && body.length >= secretCount;
  });
  const firstPage = await timed(30, async () => {
    const response = await api(`/api/secrets?limit=${PAGE_SIZE}`);
    const body = (await response.json()) as unknown[];
    return response.ok && body.length === PAGE_SIZE && response.headers.get("x-next-cursor") !== null;
  });
  const prefixPage = await timed(30, async () => {
    const response = await api(`/api/secrets?prefix=${prefix}&limit=${PAGE_SIZE}`);
    const body = (await response.json()) as unknown[];
    return response.ok && body.length === PAGE_SIZE;
  });
  const connections = await timed(30, async () => {
    const response = await api("/api/secret-providers");
    const body = (await response.json()) as Array<{ secretCount: number }>;
    return response.ok && body.length >= connectionCount && body.some((c) => c.secretCount > 0);
  });
  const dashboard = async (address: string) => {
    const response = await fetch(`${options.baseUrl}${address}`, { headers: { cookie }, redirect: "manual" });
    return { status: response.status, html: await response.text() };
  };
  // The default view: the catalogue's paths all have prefixes, so the top level is folders.
  const folderPage = await timed(10, async () => {
    const { status, html } = await dashboard("/secrets");
    return status === 200 && html.includes('href="/secrets?prefix=');
  });
  const listPage = await timed(10, async () => {
    const { status, html } = await dashboard("/secrets?view=list");
    // Each row links its secret; the page's own links to /secrets/new and /secrets/import are not rows.
    const rowsShown = html.match(/href="\/secrets\/(?!new"|import")[A-Za-z0-9_-]+"/g)?.length ?? 0;
    return status === 200 && rowsShown === PAGE_SIZE && html.includes('rel="next"');
  });
  const resolve = await timed(30, async () => {
    const response = await api(`/api/secrets/resolve?path=${storedPath}`);
    await response.arrayBuffer();
    return response.ok;
  });

  const goal = `≤ ${FIRST_PAGE_GOAL_MS} ms`;
  rows.push(
    row(`GET /api/secrets?limit=${PAGE_SIZE}, median of 30`, firstPage.median, goal, firstPage),
    row(`GET /api/secrets?limit=${PAGE_SIZE}, p99 of 30`, firstPage.p99, goal, firstPage),
    row(`GET /api/secrets?prefix=…&limit=${PAGE_SIZE}, median of 30`, prefixPage.median, goal, prefixPage),
    row("Secrets page, folders (the default; HTML, signed-in admin), median of 10", folderPage.median, goal, folderPage),
    row(`Secrets page, one list (?view=list, ${PAGE_SIZE} rows and a next link), median of 10`, listPage.median, goal, listPage),
    row(`GET /api/secret-providers (${connectionCount}, with secretCount), median of 30`, connections.median, goal, connections),
    { ...row(`GET /api/secrets, whole list (${secretCount}), median of 3`, whole.median, "—", whole), ok: whole.allOk },
    { ...row("resolve stored secret among them, median of 30", resolve.median, "as with a small catalogue", resolve), ok: resolve.allOk },
  );
  return rows;
}

function row(name: string, ms: number, goal: string, run: { allOk: boolean }): BenchRow {
  return { name, value: `${ms.toFixed(1)} ms`, goal, ok: run.allOk && ms <= FIRST_PAGE_GOAL_MS };
}

/** `runs` sequential calls after one warm-up; each must report that it saw what it should. */
async function timed(runs: number, call: () => Promise<boolean>): Promise<{ median: number; p99: number; allOk: boolean }> {
  let allOk = await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    allOk = (await call()) && allOk;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { median: at(0.5), p99: at(0.99), allOk };
}

/**
 * Writes a bundle of `connections` AWS connections (with credentials, so listing them decrypts
 * something) and `secrets` secrets, half stored and half read through the connections in turn,
 * and imports it with the CLI. Returns a prefix that holds a few pages and one stored path.
 */
async function seedCatalogue(
  options: LargeCatalogueOptions,
  secrets: number,
  connections: number,
): Promise<{ prefix: string; storedPath: string }> {
  const run = randomBytes(3).toString("hex");
  const now = new Date().toISOString();
  const id = () => randomBytes(12).toString("base64url");
  const connectionRows = Array.from({ length: connections }, (_, i) => ({
    id: id(),
    name: `catalogue ${run} aws ${String(i).padStart(3, "0")}`,
    type: "aws-sm" as const,
    description: "",
    config: {
      region: "eu-west-1",
      accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: randomBytes(20).toString("base64"),
    },
    createdAt: now,
    updatedAt: now,
  }));
  // Ten teams of services, so that prefixes select a few pages' worth.
  const pathOf = (i: number) => `cat${run}.team${i % 10}.svc${String(Math.floor(i / 10)).padStart(4, "0")}.key`;
  const secretRows = Array.from({ length: secrets }, (_, i) => {
    const external = i % 2 === 1;
    return {
      id: id(),
      secretPath: pathOf(i),
      provider: external ? "aws-sm" : "provenance",
      providerPath: external ? `catalogue/${run}/s${i}` : null,
      secretProviderId: external ? connectionRows[i % connections]!.id : null,
      providerConfig: {},
      description: external ? "" : `Stored secret ${i}`,
      value: external ? null : `value-${i}-${randomBytes(6).toString("hex")}`,
      createdAt: now,
      updatedAt: now,
    };
  });
  const payload = {
    exportedAt: now,
    source: { database: options.databaseUrl.startsWith("file:") ? "sqlite" : "postgresql" },
    counts: { connections, secrets },
    connections: connectionRows,
    secrets: secretRows,
  };
  const passphrase = randomBytes(18).toString("base64url");
  const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-catalogue-"));
  const file = path.join(dir, "catalogue.bundle");
  try {
    // The cheapest key derivation a bundle may use: the bench times the import, not scrypt.
    writeFileSync(file, await sealBundle(JSON.stringify(payload), passphrase, { N: 2 ** 14, r: 8, p: 1 }), { mode: 0o600 });
    await cli(options, ["import", "--in", file, "--passphrase-env", "BENCH_BUNDLE_PASSPHRASE"], { BENCH_BUNDLE_PASSPHRASE: passphrase });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { prefix: `cat${run}.team3`, storedPath: pathOf(0) };
}

/**
 * A dashboard admin made with the CLI and signed in as next-auth's client does it; returns the
 * Cookie header of the session. (The integration suite's Browser cannot be reused here: its
 * module loads vitest, which refuses to load outside a test run.)
 */
async function dashboardAdmin(options: LargeCatalogueOptions): Promise<string> {
  const email = `catalogue-${randomBytes(4).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(12).toString("hex")}`;
  await cli(options, ["user", "create", "--email", email, "--password", password, "--role", "admin"]);
  const jar = new Map<string, string>();
  const send = async (p: string, init: RequestInit = {}) => {
    const response = await fetch(`${options.baseUrl}${p}`, {
      ...init,
      redirect: "manual",
      headers: { ...init.headers, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    return response;
  };
  const { csrfToken } = (await (await send("/api/auth/csrf")).json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: options.baseUrl });
  const signedIn = await send("/api/auth/callback/credentials", {
    method: "POST",
    body: form,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  const session = [...jar.keys()].find((name) => name.endsWith("session-token"));
  if (signedIn.status >= 400 || !session) throw new Error(`sign-in for the page timing failed: ${signedIn.status}`);
  return `${session}=${jar.get(session)}`;
}

function cli(options: LargeCatalogueOptions, args: string[], env: Record<string, string> = {}): Promise<void> {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, SECRETS_MASTER_KEY: options.masterKey, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) =>
      status === 0 ? resolve() : reject(new Error(`provenance ${args[0]} failed (${status}): ${stderr.slice(0, 2000)}`)),
    );
  });
}
