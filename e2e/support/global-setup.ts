import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../tests/api/support/server";
import { LEAK_SCAN_DIR } from "../../tests/support/leak-scan/record";
import { ADMIN } from "./accounts";
import { e2eRecorder, registerStoredSecrets } from "./leak-scan";
import { AUTH_DIR, ROOT, SERVER_STATE } from "./paths";

/**
 * Starts the built app for the browser tests (as `npm start` does) on a free port, a fresh SQLite file in
 * a temp directory, a random SECRETS_MASTER_KEY, http:// provider URLs allowed, and no first-admin
 * variables, so the setup code is printed to the server log (kept in a file the first test reads).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(path.join(ROOT, ".next/standalone/server.js"))) {
    throw new Error("No production build found: run `npm run build` before `npx playwright test`.");
  }
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) throw new Error(`${chromium} is missing: run scripts/ensure-chromium.sh (as root) first.`);

  const dir = mkdtempSync(path.join(os.tmpdir(), "provenance-e2e-"));
  const logFile = path.join(dir, "server.log");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const databaseFile = path.join(dir, "provenance.db");
  const masterKey = randomBytes(32).toString("base64url");
  e2eRecorder().sensitive("SECRETS_MASTER_KEY", "masterKey", masterKey);
  e2eRecorder().sensitive("the first admin's password", "credential", ADMIN.password);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    PROVENANCE_LISTEN_HOST: "127.0.0.1",
    // Unset (empty, so a developer's .env cannot fill it in), as by default: sign-in and sign-out
    // must follow the address the browser used, here a port that is not 3000.
    NEXTAUTH_URL: "",
    DATABASE_URL: `file:${databaseFile}`,
    SECRETS_MASTER_KEY: masterKey,
    SECRETS_MASTER_KEY_PREVIOUS: "",
    PROVENANCE_ALLOW_INSECURE_PROVIDER_URLS: "true",
    PROVENANCE_PROVIDER_TIMEOUT_MS: "3000",
    // Empty (not unset) so that a developer's .env cannot fill them in: the first admin must be
    // created through /setup, and sessions are signed with a key derived from the master key.
    PROVENANCE_ADMIN_EMAIL: "",
    PROVENANCE_ADMIN_PASSWORD: "",
    NEXTAUTH_SECRET: "",
  };

  const log = openSync(logFile, "a");
  // The same entry point as `npm start`: the standalone server of the last build.
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env,
    stdio: ["ignore", log, log],
  });
  closeSync(log);

  try {
    await waitForHealth(baseUrl, () => child.exitCode, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  mkdirSync(AUTH_DIR, { recursive: true });
  writeFileSync(SERVER_STATE, JSON.stringify({ baseUrl, logFile }, null, 2));
  process.env.E2E_BASE_URL = baseUrl;

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    // The server's log outlives the run next to Playwright's own results, for failures in CI,
    // and goes to the leak scan with everything the server stored (values typed in the dashboard too).
    mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
    copyFileSync(logFile, path.join(ROOT, "test-results/e2e-server.log"));
    mkdirSync(LEAK_SCAN_DIR, { recursive: true });
    const scannedLog = path.join(LEAK_SCAN_DIR, "e2e-server.log");
    copyFileSync(logFile, scannedLog);
    e2eRecorder().logFile(scannedLog);
    if (existsSync(databaseFile)) registerStoredSecrets(databaseFile, masterKey);
    if (!process.env.E2E_KEEP_SERVER_DIR) rmSync(dir, { recursive: true, force: true });
    else console.log(`e2e: server files kept in ${dir}`);
  };
}

async function waitForHealth(baseUrl: string, exitCode: () => number | null, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exitCode() !== null) throw new Error(`The server exited with code ${exitCode()}; see ${logFile}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The server did not become healthy within 60 s; see ${logFile}`);
}
