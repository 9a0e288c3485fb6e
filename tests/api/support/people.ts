import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { expect } from "vitest";
import { Browser } from "./browser";
import { unique } from "./client";
import { apiContext } from "./context";
import { callAction, serverActions } from "./fuzz-actions";

/**
 * People and their doors for the trust tests: users made and changed through the dashboard's own
 * server actions, signed-in browsers, the real CLI against the servers' database, and (for what no
 * door offers, such as deleting a user row) a direct write to that database.
 */
export async function signedIn(email: string, password: string): Promise<Browser> {
  const browser = new Browser();
  const response = await browser.signIn(email, password);
  expect(response.status, response.text).toBeLessThan(400);
  expect(browser.sessionCookieName(), `no session for ${email}`).toBeDefined();
  return browser;
}

let adminBrowser: Browser | undefined;
/** The suite's admin, signed in once per file. */
export async function adminSession(): Promise<Browser> {
  adminBrowser ??= await signedIn(apiContext().admin.email, apiContext().admin.password);
  return adminBrowser;
}

/** Calls a dashboard server action by its exported name, as the browser would. */
export async function action<T = unknown>(
  browser: Browser,
  name: string,
  args: unknown[],
): Promise<{ ok: boolean; data?: T; message: string | null; fields: Record<string, string> }> {
  const found = serverActions().find((a) => a.name === name);
  if (!found) throw new Error(`no server action ${name} in the build`);
  const response = await callAction(browser, found, found.page, args);
  expect(response.status, response.text.slice(0, 300)).toBeLessThan(500);
  return response.result as { ok: boolean; data?: T; message: string | null; fields: Record<string, string> };
}

export interface Person {
  id: string;
  email: string;
  password: string;
}

/** A new user, added by the suite's admin on the users page. */
export async function newPerson(role: "admin" | "editor" | "viewer"): Promise<Person> {
  const email = `${unique(role)}@example.test`;
  const password = `pw-${randomBytes(9).toString("hex")}`;
  const result = await action<{ id: string }>(await adminSession(), "createUserAction", [{ email, password, role, name: null }]);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return { id: result.data!.id, email, password };
}

/** Changes a user's role or status on the users page, as the suite's admin. */
export async function changeUser(person: Person, change: { role?: string; disabled?: boolean }): Promise<void> {
  const result = await action(await adminSession(), "updateUserAction", [person.id, change]);
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

const ROOT = path.resolve(__dirname, "../../..");

/**
 * `provenance <args>` against the servers' database; never a password in argv. Asynchronous on
 * purpose: a synchronous child would stall this process while the server closes idle keep-alive
 * connections, and the next fetch would pick up a dead one.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { databaseUrl, masterKey } = apiContext();
  const child = spawn(process.execPath, [path.join(ROOT, "bin/provenance.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, SECRETS_MASTER_KEY: masterKey, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A write the API has no door for (e.g. removing a user row), straight to the servers' database. */
export async function executeSql(sql: string, params: unknown[] = []): Promise<void> {
  const { databaseUrl } = apiContext();
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length), { fileMustExist: true, timeout: 5_000 });
    try {
      db.prepare(sql.replace(/\$\d+/g, "?")).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}
