import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRecorder } from "../../support/leak-scan/record";

/** A real start of the built app (as `npm start`), on its own port, with its output kept for inspection. */
export interface RunningServer {
  baseUrl: string;
  logFile: string;
  /** `npm start`'s process; the server itself is its only child. */
  pid: number;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, "../../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(env: Record<string, string>, label: string): Promise<RunningServer> {
  const port = await freePort();
  const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), `provenance-${label}-`)), "server.log");
  const log = createWriteStream(logFile);
  registerForLeakScan(env, logFile);
  // The same entry point as `npm start`: the standalone server of the last `npm run build`.
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      PROVENANCE_LISTEN_HOST: "127.0.0.1",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child, logFile);
  return {
    baseUrl,
    logFile,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** Every server's log joins the run-wide leak scan, with the secrets it was started with. */
function registerForLeakScan(env: Record<string, string>, logFile: string): void {
  const recorder = createRecorder("integration");
  recorder.logFile(logFile);
  for (const name of ["SECRETS_MASTER_KEY", "SECRETS_MASTER_KEY_PREVIOUS", "NEXTAUTH_SECRET"])
    recorder.sensitive(name, "masterKey", env[name]);
  recorder.sensitive("PROVENANCE_ADMIN_PASSWORD", "credential", env.PROVENANCE_ADMIN_PASSWORD);
  recorder.sensitive("PROVENANCE_WEBHOOK_SECRET", "credential", env.PROVENANCE_WEBHOOK_SECRET);
  if (env.DATABASE_URL && !env.DATABASE_URL.startsWith("file:")) {
    try {
      recorder.sensitive("the database password", "credential", decodeURIComponent(new URL(env.DATABASE_URL).password));
    } catch {
      // not a URL: nothing to register
    }
  }
}

async function waitForHealth(baseUrl: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy within 60 s; see ${logFile}`);
}
