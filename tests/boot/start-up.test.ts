import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase, type TempDatabase } from "../support/databases";
import { freePort, startServer } from "../api/support/server";

/**
 * What happens at start-up, with the real built server and the real CLI: a missing key in
 * production, a key that does not match the data, and the CLI's output contract.
 */
const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);
const key = () => randomBytes(32).toString("base64url");

/** Starts the built app as `npm start` does and waits for it to exit (it should refuse to start). */
async function startExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), PROVENANCE_LISTEN_HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(killer);
  return { code, output };
}

function cli(args: string[], env: Record<string, string>) {
  return run(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
}

let database: TempDatabase;
beforeAll(() => {
  if (!existsSync(path.join(ROOT, ".next/standalone/server.js"))) throw new Error("build the app first (npm run build)");
});
afterEach(async () => database?.drop());

describe("start-up", () => {
  it("refuses to start in production without SECRETS_MASTER_KEY, saying what to do", async () => {
    database = createSqliteDatabase();
    // Blank rather than absent: Next would fill an absent variable from a developer's own .env.
    const result = await startExpectingExit({ DATABASE_URL: database.url, SECRETS_MASTER_KEY: " " });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/SECRETS_MASTER_KEY is not set/);
    expect(result.output).toMatch(/npm run setup/);
  });

  it("refuses to start when the master key does not match the data, without printing either key", async () => {
    database = createSqliteDatabase();
    const right = key();
    const server = await startServer(
      {
        DATABASE_URL: database.url,
        SECRETS_MASTER_KEY: right,
        PROVENANCE_ADMIN_EMAIL: "a@example.test",
        PROVENANCE_ADMIN_PASSWORD: "long enough pw",
      },
      "boot",
    );
    await server.stop();
    const wrong = key();
    const result = await startExpectingExit({ DATABASE_URL: database.url, SECRETS_MASTER_KEY: wrong });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/does not match the key the data was encrypted with/);
    expect(result.output).not.toContain(wrong);
    expect(result.output).not.toContain(right);
  });

  it("prints a one-time setup code on a fresh install with no admin configured", async () => {
    database = createSqliteDatabase();
    const server = await startServer({ DATABASE_URL: database.url, SECRETS_MASTER_KEY: key() }, "setup-code");
    await server.stop();
    expect(readFileSync(server.logFile, "utf8")).toMatch(/setup code: [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/);
  });
});

describe("the CLI", () => {
  it("creates users and prints a token alone on stdout", async () => {
    database = createSqliteDatabase();
    const env = { DATABASE_URL: database.url, SECRETS_MASTER_KEY: key() };
    const user = await cli(["user", "create", "--email", "Ops@Example.test", "--password", "a long password", "--role", "admin"], env);
    expect(user.stderr).toMatch(/Created admin ops@example.test/);
    const token = await cli(["token", "create", "--name", "ci", "--role", "viewer", "--scope", "stripe.*"], env);
    expect(token.stdout).toMatch(/^pvn_[A-Za-z0-9_-]{43}\n$/);
    expect(token.stderr).toMatch(/scoped to stripe\.\*/);
  });

  it("explains bad input and exits non-zero", async () => {
    database = createSqliteDatabase();
    const env = { DATABASE_URL: database.url, SECRETS_MASTER_KEY: key() };
    const failure = await cli(["token", "create", "--name", "x", "--role", "root"], env).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/role/i);
    const unknown = await cli(["frobnicate"], env).catch((error: { code: number; stderr: string }) => error);
    expect((unknown as { code: number }).code).toBeGreaterThan(0);
  });

  it("writes a master key into .env with npm run setup, and never overwrites one", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-setup-"));
    const { SECRETS_MASTER_KEY: _ignored, ...env } = process.env;
    await run(process.execPath, [path.join(ROOT, "scripts/setup.mjs")], { cwd: dir, env: env as NodeJS.ProcessEnv });
    const first = readFileSync(path.join(dir, ".env"), "utf8");
    expect(first).toMatch(/^SECRETS_MASTER_KEY=[A-Za-z0-9_-]{43}$/m);
    writeFileSync(path.join(dir, ".env"), first + "OTHER=1\n");
    const again = await run(process.execPath, [path.join(ROOT, "scripts/setup.mjs")], { cwd: dir, env: env as NodeJS.ProcessEnv });
    expect(again.stdout).toMatch(/already configured/);
    expect(readFileSync(path.join(dir, ".env"), "utf8")).toBe(first + "OTHER=1\n");
  });
});
