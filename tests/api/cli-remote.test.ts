import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy } from "../support/tcp-proxy";
import { runCli } from "../transfer/support/cli";
import { call, unique } from "./support/client";
import { apiContext } from "./support/context";

/**
 * The CLI's remote mode, as a user runs it: the real `provenance` command as a child process
 * against the suite's server, with PROVENANCE_URL and PROVENANCE_TOKEN and no database or master
 * key in its environment. Values appear on stdout or in the child's environment, never on stderr.
 */
const TRICKY = `it's "quoted" $HOME \\back\\slash\nsecond line\tand ünïcødé ✓`;
let prefix: string;
let dir: string;

function remoteEnv(token = apiContext().tokens.editor): Record<string, string> {
  // No database and no master key: remote mode must not need them.
  return { PROVENANCE_URL: apiContext().baseUrl, PROVENANCE_TOKEN: token, DATABASE_URL: "", SECRETS_MASTER_KEY: "" };
}

const cli = (args: string[], env: Record<string, string> = remoteEnv()) => runCli(args, { env, cwd: dir });

async function store(path: string, value: string): Promise<void> {
  const created = await call("/api/secrets", { method: "POST", body: { secretPath: path, value } });
  expect(created.status, created.text).toBe(201);
}

beforeAll(async () => {
  prefix = unique("cli").replace(/-/g, "");
  dir = mkdtempSync(path.join(os.tmpdir(), "provenance-cli-remote-"));
  await store(`${prefix}.apiKey`, "key-1");
  await store(`${prefix}.db-url`, "postgres://db.internal/app");
  await store(`${prefix}.tricky`, TRICKY);
});

describe("provenance get", () => {
  it("prints the value and a newline; --raw the exact bytes", async () => {
    const plain = await cli(["get", `${prefix}.tricky`]);
    expect(plain).toMatchObject({ code: 0, stdout: `${TRICKY}\n` });
    const raw = await cli(["get", `${prefix}.tricky`, "--raw"]);
    expect(raw).toMatchObject({ code: 0, stdout: TRICKY });
    expect(plain.stderr + raw.stderr).not.toContain("key-1");
  });

  it("a failure is `code: message` on stderr and exit 1; bad usage exit 2", async () => {
    const missing = await cli(["get", `${prefix}.missing`]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/^not_found: /);

    const badToken = await cli(["get", `${prefix}.apiKey`], { ...remoteEnv(), PROVENANCE_TOKEN: "pvt_wrong-token-value" });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/^unauthorized: /);
    expect(badToken.stderr).not.toContain("pvt_wrong-token-value");

    const scoped = await cli(["get", `${prefix}.apiKey`], remoteEnv(apiContext().tokens.scopedEditor));
    expect(scoped.code).toBe(1);
    expect(scoped.stderr).toMatch(/^forbidden: /);

    expect((await cli(["get"])).code).toBe(2);
    expect((await cli(["get", `${prefix}.apiKey`], { ...remoteEnv(), PROVENANCE_URL: "" })).code).toBe(2);
    expect((await cli(["get", `${prefix}.apiKey`, "--bogus"])).code).toBe(2);
  });
});

describe("provenance run", () => {
  const printEnv = ["--", process.execPath, "-e", "process.stdout.write(JSON.stringify(process.env))"];

  it("adds the values under the contract's names, overriding inherited ones unless --no-override", async () => {
    const result = await cli(
      ["run", "--prefix", prefix, "--path", `${prefix}.apiKey`, "--env", `DATABASE_URL=${prefix}.db-url`, ...printEnv],
      {
        ...remoteEnv(),
        API_KEY: "inherited",
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const env = JSON.parse(result.stdout) as Record<string, string>;
    expect(env).toMatchObject({
      API_KEY: "key-1",
      DB_URL: "postgres://db.internal/app",
      TRICKY,
      DATABASE_URL: "postgres://db.internal/app",
    });
    expect(env[`${prefix.toUpperCase()}_API_KEY`]).toBe("key-1");

    const kept = await cli(["run", "--prefix", prefix, "--no-override", ...printEnv], { ...remoteEnv(), API_KEY: "inherited" });
    expect((JSON.parse(kept.stdout) as Record<string, string>).API_KEY).toBe("inherited");
  });

  it("exits with the command's exit code", async () => {
    const result = await cli(["run", "--path", `${prefix}.apiKey`, "--", process.execPath, "-e", "process.exit(7)"]);
    expect(result.code).toBe(7);
  });

  it("any path that fails stops the run before the command starts", async () => {
    const marker = path.join(dir, `started-${Date.now()}`);
    const result = await cli([
      "run",
      "--prefix",
      prefix,
      "--path",
      `${prefix}.missing`,
      "--",
      process.execPath,
      "-e",
      `require("fs").writeFileSync(${JSON.stringify(marker)}, "x")`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${prefix}.missing: not_found`);
    expect(existsSync(marker)).toBe(false);
    expect(result.stderr).not.toContain("key-1");
  });

  it("passes SIGTERM on to the command and exits with what it answers", async () => {
    const ready = path.join(dir, `ready-${Date.now()}`);
    const script = `process.on("SIGTERM", () => process.exit(42)); require("fs").writeFileSync(${JSON.stringify(ready)}, "1"); setInterval(() => {}, 1000);`;
    const child = spawn(
      process.execPath,
      [path.resolve(__dirname, "../../bin/provenance.mjs"), "run", "--path", `${prefix}.apiKey`, "--", process.execPath, "-e", script],
      {
        env: { ...process.env, ...remoteEnv() },
        stdio: "ignore",
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    for (let i = 0; i < 200 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(ready)).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(42);
  });
});

describe("provenance run --watch", () => {
  it("restarts the command with the new value when one it was given changes, and never prints the value", async () => {
    const path_ = `${prefix}.watched`;
    const created = await call<{ id: string }>("/api/secrets", { method: "POST", body: { secretPath: path_, value: "watched-one" } });
    expect(created.status).toBe(201);
    const log = path.join(dir, `starts-${Date.now()}`);
    // Each start appends the value it got; SIGTERM ends it cleanly.
    const script = `const fs = require("fs"); fs.appendFileSync(${JSON.stringify(log)}, process.env[${JSON.stringify(`${prefix.toUpperCase()}_WATCHED`)}] + "\\n"); process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000);`;
    const child = spawn(
      process.execPath,
      [path.resolve(__dirname, "../../bin/provenance.mjs"), "run", "--watch", "--path", path_, "--", process.execPath, "-e", script],
      {
        env: { ...process.env, ...remoteEnv() },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const starts = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    try {
      for (let i = 0; i < 200 && starts().length < 1; i++) await new Promise((r) => setTimeout(r, 50));
      expect(starts()).toEqual(["watched-one"]);
      // The watch stream opens just after the first start: a moment for it to connect.
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await call(`/api/secrets/${created.body.id}`, { method: "PATCH", body: { value: "watched-two" } })).status).toBe(200);
      for (let i = 0; i < 300 && starts().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(starts()).toEqual(["watched-one", "watched-two"]);
      // An edit that leaves the value as it was does not restart it.
      expect((await call(`/api/secrets/${created.body.id}`, { method: "PATCH", body: { description: "same value" } })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(starts()).toHaveLength(2);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain(`${prefix.toUpperCase()}_WATCHED changed; restarting`);
    expect(stderr).not.toContain("watched-two");
  }, 60_000);
});

describe("provenance run --watch with a command that ignores SIGTERM", () => {
  it("kills it with SIGKILL after 10 s, then starts it again with the new value", async () => {
    const path_ = `${prefix}.stubborn`;
    const created = await call<{ id: string }>("/api/secrets", { method: "POST", body: { secretPath: path_, value: "stubborn-one" } });
    expect(created.status).toBe(201);
    const log = path.join(dir, `stubborn-${Date.now()}`);
    const script = `require("fs").appendFileSync(${JSON.stringify(log)}, Date.now() + " " + process.env[${JSON.stringify(`${prefix.toUpperCase()}_STUBBORN`)}] + " " + process.pid + "\\n"); process.on("SIGTERM", () => {}); setInterval(() => {}, 1000);`;
    const child = spawn(
      process.execPath,
      [path.resolve(__dirname, "../../bin/provenance.mjs"), "run", "--watch", "--path", path_, "--", process.execPath, "-e", script],
      {
        env: { ...process.env, ...remoteEnv() },
        stdio: "ignore",
      },
    );
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const starts = () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .map((line) => line.split(" "))
        : [];
    try {
      for (let i = 0; i < 200 && starts().length < 1; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1_000));
      const changedAt = Date.now();
      expect((await call(`/api/secrets/${created.body.id}`, { method: "PATCH", body: { value: "stubborn-two" } })).status).toBe(200);
      for (let i = 0; i < 400 && starts().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      const [, second] = starts();
      expect(second?.[1]).toBe("stubborn-two");
      // It ignored SIGTERM, so the new start waited for the SIGKILL, 10 s on.
      expect(Number(second![0]) - changedAt).toBeGreaterThanOrEqual(9_500);
    } finally {
      // The command ignores SIGTERM: end it (and so the run) directly.
      for (const [, , pid] of starts()) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // already gone
        }
      }
      child.kill("SIGKILL");
      await exited;
    }
  }, 60_000);
});

describe("provenance run --fallback-file", () => {
  it("keeps an encrypted last-good copy and starts from it, with a notice, while the server cannot be reached", async () => {
    // The server behind a proxy that can be cut: the same URL, first reachable, then not.
    const proxy = await startTcpProxy(Number(new URL(apiContext().baseUrl).port));
    const env = { ...remoteEnv(), PROVENANCE_URL: `http://127.0.0.1:${proxy.port}` };
    const file = path.join(dir, `fallback-${Date.now()}`);
    const printKey = ["--", process.execPath, "-e", "process.stdout.write(process.env.API_KEY ?? 'unset')"];
    try {
      const online = await cli(["run", "--prefix", prefix, "--fallback-file", file, ...printKey], env);
      expect(online).toMatchObject({ code: 0, stdout: "key-1" });
      expect(readFileSync(file, "utf8")).not.toContain("key-1");

      proxy.cut();
      const offline = await cli(["run", "--prefix", prefix, "--fallback-file", file, ...printKey], env);
      expect(offline.code, offline.stderr).toBe(0);
      expect(offline.stdout).toBe("key-1");
      expect(offline.stderr).toMatch(/^provenance: Could not reach .* Starting with the last-good copy from /);
      expect(offline.stderr).not.toContain("key-1");

      // Another token cannot read the copy; a copy older than --fallback-max-age is not used.
      const otherToken = await cli(["run", "--prefix", prefix, "--fallback-file", file, ...printKey], {
        ...env,
        PROVENANCE_TOKEN: apiContext().tokens.admin,
      });
      expect(otherToken.code).toBe(1);
      expect(otherToken.stderr).toContain("another token");
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const tooOld = await cli(["run", "--prefix", prefix, "--fallback-file", file, "--fallback-max-age", "1s", ...printKey], env);
      expect(tooOld.code).toBe(1);
      expect(tooOld.stderr).toContain("more than --fallback-max-age allows");
      expect(tooOld.stdout).toBe("");
    } finally {
      proxy.restore();
      await proxy.close();
    }
  });

  it("a server that refuses (revoked or wrong token) never falls back", async () => {
    const file = path.join(dir, `fallback-refused-${Date.now()}`);
    const printKey = ["--", process.execPath, "-e", "process.stdout.write(process.env.API_KEY ?? 'unset')"];
    expect((await cli(["run", "--prefix", prefix, "--fallback-file", file, ...printKey])).code).toBe(0);
    const refused = await cli(["run", "--prefix", prefix, "--fallback-file", file, ...printKey], {
      ...remoteEnv(),
      PROVENANCE_TOKEN: "pvt_revoked-or-wrong",
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^unauthorized: /);
    expect(refused.stdout).toBe("");
  });
});

describe("provenance export", () => {
  it("dotenv, json and shell carry quotes, $, backslashes, newlines and unicode exactly", async () => {
    const json = await cli(["export", "--prefix", prefix, "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ API_KEY: "key-1", TRICKY });

    const shell = await cli(["export", "--prefix", prefix, "--format", "shell"]);
    expect(shell.code, shell.stderr).toBe(0);
    const shellFile = path.join(dir, "values.sh");
    writeFileSync(shellFile, shell.stdout);
    const sourced = await runShell(`. ${shellFile}; printf %s "$TRICKY"`);
    expect(sourced).toBe(TRICKY);

    // What dotenv writes, import reads back unchanged.
    const dotenv = await cli(["export", "--prefix", prefix, "--format", "dotenv"]);
    expect(dotenv.code, dotenv.stderr).toBe(0);
    const envFile = path.join(dir, "values.env");
    writeFileSync(envFile, dotenv.stdout);
    const copy = `${prefix}copy`;
    const imported = await cli(["import", envFile, "--prefix", copy]);
    expect(imported.code, imported.stderr).toBe(0);
    expect((await cli(["get", `${copy}.TRICKY`, "--raw"])).stdout).toBe(TRICKY);
    expect((await cli(["get", `${copy}.DB_URL`, "--raw"])).stdout).toBe("postgres://db.internal/app");
  });

  it("docker writes NAME=value lines, and refuses a value with a line break without printing it", async () => {
    const ok = await cli(["export", "--path", `${prefix}.apiKey`, "--format", "docker"]);
    expect(ok).toMatchObject({ code: 0, stdout: `${prefix.toUpperCase()}_API_KEY=key-1\n` });
    const refused = await cli(["export", "--prefix", prefix, "--format", "docker"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(`${prefix}.tricky`);
    expect(refused.stderr).not.toContain("second line");
  });

  it("an unknown format is bad usage", async () => {
    expect((await cli(["export", "--prefix", prefix, "--format", "yaml"])).code).toBe(2);
  });
});

describe("provenance import", () => {
  it("stores each variable as prefix.NAME; on conflict fails (writing nothing), skips or replaces", async () => {
    const target = `${prefix}imp`;
    const file = path.join(dir, "import.env");
    writeFileSync(file, `# comment\nexport ALPHA=one\nBETA='two words'\nGAMMA="line1\\nline2"\n`);
    const first = await cli(["import", file, "--prefix", target]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("3 created");
    expect((await cli(["get", `${target}.GAMMA`, "--raw"])).stdout).toBe("line1\nline2");

    writeFileSync(file, `ALPHA=changed\nDELTA=four\n`);
    const refused = await cli(["import", file, "--prefix", target]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^conflict: Nothing imported/);
    expect((await cli(["get", `${target}.DELTA`])).code).toBe(1);

    const skipped = await cli(["import", file, "--prefix", target, "--on-conflict", "skip"]);
    expect(skipped.stderr).toContain("1 created, 0 replaced, 1 skipped");
    expect((await cli(["get", `${target}.ALPHA`, "--raw"])).stdout).toBe("one");

    const replaced = await cli(["import", file, "--prefix", target, "--on-conflict", "replace"]);
    expect(replaced.stderr).toContain("0 created, 2 replaced");
    expect((await cli(["get", `${target}.ALPHA`, "--raw"])).stdout).toBe("changed");
    expect(readFileSync(file, "utf8")).toContain("ALPHA=changed");
  });
});

function runShell(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", () => resolve(out));
  });
}
